/**
 * Annual transparency report build time on synthetic applications: read the register source from the database,
 * build the report (register + every table + trends), render every format but PDF; on PGlite and, when
 * TEST_DATABASE_URL is set, PostgreSQL. The same aggregates computed by DuckDB over the same rows are the speed
 * reference (ratio reported). Writes bench/results/report-build.json (or --out).
 * The product's path, `custos report build`, goes through the cache of register blocks (ADR 0009) and writes the files
 * into a folder: timed cold (an empty cache) and warm, up to the files on disk, which are compared with those built
 * without it.
 * Usage: npx tsx bench/perf/report-build.bench.ts [--applications 100000] [--backends pglite,postgres] [--out file]
 *   [--uncached-rounds 1] [--warm-rounds 2] [--pglite-dir DIR] [--seed-only]
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';
import { runUpkeep, summarizeUpkeep } from '../../src/db/upkeep.ts';
import type { RegisterSourceRecord } from '../../src/domain/reporting.ts';
import { parsePeriod, previousPeriods, renderReportFiles } from '../../src/engines/reporting/index.ts';
import { primaryEndUser } from '../../src/engines/reporting/transparency-report.ts';
import { classifyDemoCatalogue, classifyDemoItems } from '../../src/services/classification.service.ts';
import { createServiceContext } from '../../src/services/context.ts';
import { seedDemoData } from '../../src/services/demo-seed.service.ts';
import { defaultPublicationPolicies } from '../../src/services/publication/publication-policy.loader.ts';
import { readRegisterSource } from '../../src/services/publication/register-source.reader.ts';
import {
  authorityOf,
  buildReportFromSource,
  readPeriodSource,
} from '../../src/services/publication.service.ts';
import { writePeriodReportFiles } from '../../src/services/report-build.service.ts';
import { describeMachine } from '../support/machine.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const applications = Number(arg('applications', '100000'));
const postgresUrl = arg('postgres-url', process.env.TEST_DATABASE_URL ?? '');
const backends = arg('backends', postgresUrl ? 'pglite,postgres' : 'pglite').split(',');
/** A PGlite folder kept between runs (seeded once, reused when it holds `applications`); default a temporary one. */
const pgliteDir = arg('pglite-dir', '');
const seedOnly = process.argv.includes('--seed-only');
const out = path.resolve(ROOT, arg('out', 'bench/results/report-build.json'));
const YEAR = arg('period', '2025');
/** Builds without the cache (the reference the cached files are compared with), and warm builds through it. */
const uncachedRounds = Number(arg('uncached-rounds', '1'));
const warmRounds = Number(arg('warm-rounds', '2'));
const FORMATS = ['json', 'csv', 'xlsx', 'html'] as const;
/** SHA-256 of each file, by name in name order (so that files built in another order compare equal). */
const digestsOf = (files: Map<string, Uint8Array>): Record<string, string> =>
  Object.fromEntries(
    [...files]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([n, b]) => [n, createHash('sha256').update(b).digest('hex')]),
  );
const REFERENCE_DATE = new Date('2026-06-30T12:00:00Z');
const s = (t0: number): number => Math.round((performance.now() - t0) / 10) / 100;
/** Process CPU seconds (user + system) since `c0`: unlike wall time, barely inflated by other load on the machine. */
const cpu = (c0: NodeJS.CpuUsage): number => {
  const c = process.cpuUsage(c0);
  return Math.round((c.user + c.system) / 1e4) / 100;
};

/** Applications already in the database (a kept PGlite folder or PostgreSQL database is reused when it matches). */
async function countApplications(database: Database): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from applications`.execute(database.db);
  return r.rows[0]!.n;
}

/**
 * The product's table upkeep after a bulk load, as `custos demo seed` runs it (forced: on PostgreSQL too, where the
 * autovacuum launcher would come round later). Without statistics the planner picks nested loops over whole tables.
 */
async function upkeep(database: Database): Promise<void> {
  console.log(`upkeep: ${summarizeUpkeep(await runUpkeep(database.db, { force: true }))}`);
}

const benchContext = (database: Database) =>
  createServiceContext(database.db, loadConfig({ LOG_LEVEL: 'silent' }), { now: () => REFERENCE_DATE });

async function seed(database: Database): Promise<{ seconds: number; reused: boolean }> {
  await migrate(database);
  const present = await countApplications(database);
  if (present === applications) {
    console.log(`reusing ${present} applications already in the database`);
    await classifyCatalogue(database);
    await upkeep(database);
    return { seconds: 0, reused: true };
  }
  if (present !== 0)
    throw new Error(`database holds ${present} applications, not ${applications}: use an empty one`);
  const t0 = performance.now();
  // The catalogue is classified before the applications are written, as `custos demo seed` does, so that submitted
  // lines carry their snapshot from the start instead of 1.7 million lines being written twice.
  const { counts } = await seedDemoData(database.db, {
    applications,
    seed: 7,
    referenceDate: REFERENCE_DATE,
    batchSize: 2000,
    onProgress: (done, total) => {
      if (done % 50_000 === 0) console.log(`seeded ${done}/${total} (${s(t0)} s)`);
    },
    classifyCatalogue: () => classifyDemoItems(benchContext(database)),
  });
  console.log(
    `classified ${counts.classifiedItems} items, ${counts.classifiedLines} lines as they were written`,
  );
  await upkeep(database);
  console.log(`seeded ${applications} applications in ${s(t0)} s`);
  return { seconds: s(t0), reused: false };
}

/**
 * Classifies the synthetic catalogue with the product's own classification (as the demo's first run does) and gives
 * submitted lines their snapshot. A database left by an earlier version of this benchmark, whose lines all carry an
 * empty classification, is cleared first so that the control-entry and Art. 26(2) tables have something to count.
 */
async function classifyCatalogue(database: Database): Promise<void> {
  const t0 = performance.now();
  const listed = await sql<{ n: number }>`select count(*)::int as n from application_lines
    where jsonb_array_length(coalesce(classification -> 'matchedEntries', '[]'::jsonb)) > 0`.execute(
    database.db,
  );
  if (listed.rows[0]!.n > 0) return;
  await sql`update application_lines set classification = null where classification is not null`.execute(
    database.db,
  );
  await sql`update items set classification = null where synthetic`.execute(database.db);
  const done = await classifyDemoCatalogue(benchContext(database));
  console.log(`classified ${done.items} items, ${done.lines} lines in ${s(t0)} s`);
}

async function duckdbReference(records: readonly RegisterSourceRecord[], fromOn: string, toOn: string) {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  await c.run(
    'create table lines (application_id varchar, destination varchar, decision varchar, end_user_type varchar, exporter_id varchar, reporting_on date, control_entry varchar, category varchar, value_cents bigint)',
  );
  const t0 = performance.now();
  const appender = await c.createAppender('lines');
  for (const r of records) {
    const on = r.decision === 'pending' ? r.receivedOn : r.decidedOn!;
    const eu = primaryEndUser(r.parties)?.partyType ?? 'unknown';
    for (const l of r.lines) {
      appender.appendVarchar(r.applicationId);
      appender.appendVarchar(r.destinationCountry);
      appender.appendVarchar(r.decision);
      appender.appendVarchar(eu);
      appender.appendVarchar(r.exporterId);
      appender.appendVarchar(on);
      appender.appendVarchar(l.controlEntries[0] ?? 'not-listed');
      if (l.cyberSurveillanceCategory) appender.appendVarchar(l.cyberSurveillanceCategory);
      else appender.appendNull();
      appender.appendBigInt(BigInt(Math.round(l.valueEur * 100)));
      appender.endRow();
    }
  }
  appender.closeSync();
  const loadSeconds = s(t0);
  const where = `reporting_on between '${fromOn}' and '${toOn}'`;
  const queries = [
    `select control_entry, count(distinct application_id), sum(value_cents), count(distinct exporter_id), max(value_cents) from lines where ${where} group by 1`,
    `select destination, count(distinct application_id), sum(value_cents), count(distinct exporter_id) from lines where ${where} group by 1`,
    `select end_user_type, count(distinct application_id), sum(value_cents), count(distinct exporter_id) from lines where ${where} group by 1`,
    `select decision, count(distinct application_id), sum(value_cents), count(distinct exporter_id) from lines where ${where} group by 1`,
    `select control_entry, category, destination, decision, count(distinct application_id), count(distinct exporter_id) from lines where ${where} and category is not null group by all`,
    `select year(reporting_on), count(distinct application_id), sum(value_cents) from lines group by 1`,
  ];
  const t1 = performance.now();
  for (const q of queries) await c.runAndReadAll(q);
  const aggregateSeconds = s(t1);
  c.closeSync();
  return { loadSeconds, aggregateSeconds, lineRows: records.reduce((n, r) => n + r.lines.length, 0) };
}

async function runOn(backend: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-report-bench-'));
  if (backend === 'postgres' && !postgresUrl)
    throw new Error('postgres needs --postgres-url or TEST_DATABASE_URL');
  if (pgliteDir) fs.mkdirSync(pgliteDir, { recursive: true });
  const database =
    backend === 'postgres'
      ? await openDatabase({ kind: 'postgres', url: postgresUrl })
      : await openDatabase({ kind: 'pglite', dataDir: pgliteDir || dir, command: 'bench' });
  try {
    const seeded = await seed(database);
    if (seedOnly) return null;
    const config = loadConfig({ CUSTOS_DATA_DIR: dir, LOG_LEVEL: 'silent' });
    const publishedAt = '2026-06-30T12:00:00Z';
    const ctx = createServiceContext(database.db, config, { now: () => new Date(publishedAt) });
    const policies = defaultPublicationPolicies();
    const period = parsePeriod(YEAR);
    const rounds: Record<string, number>[] = [];
    let sizes: Record<string, number> = {};
    let registerRows = 0;
    let recordsRead = 0;
    let earlierGroups = 0;
    let uncachedDigests: Record<string, string> = {};
    for (let round = 0; round < uncachedRounds; round++) {
      const loadAverage1m = +os.loadavg()[0]!.toFixed(1);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      // The product path of `buildPeriodReport`, in its two halves so that each is timed. As there, the source
      // records are not kept once the report is built (a closure, so that they are garbage during the render).
      const { report, readSeconds, readCpuSeconds, buildSeconds, buildCpuSeconds } = await (async () => {
        const source = await readPeriodSource(ctx, period, policies, publishedAt);
        const read = { readSeconds: s(t0), readCpuSeconds: cpu(c0) };
        const t1 = performance.now();
        const c1 = process.cpuUsage();
        const built = buildReportFromSource(ctx, { period, policies, publishedAt, source });
        recordsRead = source.records.length;
        earlierGroups = source.earlierPeriodGroups.length;
        return { report: built.report, ...read, buildSeconds: s(t1), buildCpuSeconds: cpu(c1) };
      })();
      const c2 = process.cpuUsage();
      const t2 = performance.now();
      const files = await renderReportFiles(report, {
        formats: FORMATS,
        baseUrl: config.publicUrl,
        licence: policies.publication.licence,
      });
      const renderSeconds = s(t2);
      const renderCpuSeconds = cpu(c2);
      registerRows = report.register.length;
      sizes = Object.fromEntries([...files].map(([n, b]) => [n, b.byteLength]));
      uncachedDigests = digestsOf(files);
      rounds.push({
        readSeconds,
        buildSeconds,
        renderSeconds,
        totalSeconds: s(t0),
        readCpuSeconds,
        buildCpuSeconds,
        renderCpuSeconds,
        totalCpuSeconds: cpu(c0),
        loadAverage1m,
        rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
      });
      console.log(backend, 'without the cache', rounds.at(-1));
    }

    // The product's path (`custos report build`): the cache of register blocks (ADR 0009), first empty (every month
    // rendered and kept), then warm (every month taken from it). Its files must be those built without it.
    const cacheDir = path.join(dir, 'report-cache');
    const cachedCtx = createServiceContext(
      database.db,
      loadConfig({ CUSTOS_DATA_DIR: dir, CUSTOS_REPORT_CACHE_DIR: cacheDir, LOG_LEVEL: 'silent' }),
      { now: () => new Date(publishedAt) },
    );
    const cachedRounds: Record<string, number | string>[] = [];
    let identicalToUncached: boolean | null = null;
    for (let round = 0; round < 1 + warmRounds; round++) {
      const loadAverage1m = +os.loadavg()[0]!.toFixed(1);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      let readSeconds = 0;
      let readCpuSeconds = 0;
      // Into a folder, as `custos report build --out` leaves them: the time includes writing every file to disk.
      const outDir = path.join(dir, 'out');
      fs.rmSync(outDir, { recursive: true, force: true });
      const built = await writePeriodReportFiles(
        cachedCtx,
        { kind: 'system', name: 'bench' },
        {
          period: YEAR,
          formats: FORMATS,
          policies,
          dir: outDir,
          onRead: () => {
            readSeconds = s(t0);
            readCpuSeconds = cpu(c0);
          },
        },
      );
      const totalSeconds = s(t0);
      const totalCpuSeconds = cpu(c0);
      if (uncachedRounds > 0) {
        const digests = digestsOf(
          new Map(built.names.map((n) => [n, fs.readFileSync(path.join(outDir, n))])),
        );
        identicalToUncached =
          (identicalToUncached ?? true) && JSON.stringify(digests) === JSON.stringify(uncachedDigests);
      }
      registerRows = built.registerRows;
      cachedRounds.push({
        cache: round === 0 ? 'cold' : 'warm',
        monthsReused: built.cache.reused,
        monthsRendered: built.cache.rendered,
        trendMonthsReused: built.cache.trendReused,
        trendMonths: built.cache.trendMonths,
        readSeconds,
        readCpuSeconds,
        totalSeconds,
        totalCpuSeconds,
        loadAverage1m,
        rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
      });
      console.log(backend, 'through the cache', cachedRounds.at(-1));
    }
    const warm = cachedRounds.filter((r) => r.cache === 'warm');
    const bestWarm = warm.reduce<Record<string, number | string> | null>(
      (a, b) => (a === null || (b.totalSeconds as number) < (a.totalSeconds as number) ? b : a),
      null,
    );
    const cacheBytes = fs
      .readdirSync(cacheDir)
      .reduce((n, f) => n + fs.statSync(path.join(cacheDir, f)).size, 0);
    const best =
      rounds.length > 0 ? rounds.reduce((a, b) => (b.totalSeconds! < a.totalSeconds! ? b : a)) : null;
    // DuckDB's reference gets every application of the report's years (the period and its trend), read untimed.
    const trendFrom = previousPeriods(period, policies.publication.previousPeriods.year)[0]?.startOn;
    const all = await readRegisterSource(ctx.db, {
      fromOn: trendFrom ?? period.startOn,
      toOn: period.endOn,
      memberState: authorityOf(ctx).memberState,
      vocabulary: policies.vocabulary,
    });
    const duck = await duckdbReference(all, period.startOn, period.endOn);
    return {
      backend,
      applicationsInDatabase: applications,
      date: new Date().toISOString(),
      machine: describeMachine(),
      peakRssMbSoFar: Math.round(process.resourceUsage().maxRSS / 1024),
      seed: seeded,
      recordsRead,
      earlierPeriodGroups: earlierGroups,
      registerRows,
      rounds,
      best,
      cached: {
        rounds: cachedRounds,
        bestWarm,
        cacheMegabytes: Math.round(cacheBytes / 2 ** 20),
        identicalToUncached,
      },
      fileBytes: sizes,
      duckdb: duck,
      ratioCustosAggregateToDuckdb: best
        ? Math.round((best.buildSeconds! / Math.max(duck.aggregateSeconds, 0.001)) * 10) / 10
        : null,
      ratioCustosTotalToDuckdbLoadAndAggregate: best
        ? Math.round((best.totalSeconds! / Math.max(duck.loadSeconds + duck.aggregateSeconds, 0.001)) * 10) /
          10
        : null,
      ratioCachedWarmTotalToDuckdbLoadAndAggregate: bestWarm
        ? Math.round(
            ((bestWarm.totalSeconds as number) / Math.max(duck.loadSeconds + duck.aggregateSeconds, 0.001)) *
              10,
          ) / 10
        : null,
    };
  } finally {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const loadAtStart = +os.loadavg()[0]!.toFixed(1);
const runs: NonNullable<Awaited<ReturnType<typeof runOn>>>[] = [];
for (const b of backends) {
  const run = await runOn(b);
  if (run) runs.push(run);
}
if (seedOnly) process.exit(0);
// Runs of other sizes or backends already in the file stay: the file holds the scaling series.
const previous = fs.existsSync(out)
  ? (JSON.parse(fs.readFileSync(out, 'utf8')) as {
      runs?: { backend: string; applicationsInDatabase: number }[];
    })
  : {};
const kept = (previous.runs ?? []).filter(
  (r) => !runs.some((n) => n.backend === r.backend && n.applicationsInDatabase === r.applicationsInDatabase),
);
const result = {
  benchmark: 'report-build',
  description: `Annual report ${YEAR} (register, every table, trends; the service's redaction guard) from the database; every format but PDF. Targets at 1,000,000 applications: <= 10 s PGlite, <= 5 s PostgreSQL. "rounds"/"best": built without the cache (read, build, render timed apart). "cached": the product's path (custos report build --out DIR) through the cache of register blocks (ADR 0009), cold (empty cache: every month rendered and kept) then warm (every month taken from the cache), timed up to every file written into the folder (the rounds without the cache are timed to the files in memory, not written), its files compared byte for byte with those built without it. Wall and process CPU seconds; on a loaded shared machine CPU seconds are the steadier figure.`,
  date: new Date().toISOString(),
  loadAverage1mAtStart: loadAtStart,
  machine: describeMachine(),
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  runs: [...kept, ...runs].sort(
    (a, b) => a.backend.localeCompare(b.backend) || a.applicationsInDatabase - b.applicationsInDatabase,
  ),
};
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${out}`);
