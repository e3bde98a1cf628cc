/**
 * Annual transparency report build time on synthetic applications: read the register source from the database,
 * build the report (register + every table + trends), render every format but PDF; on PGlite and, when
 * TEST_DATABASE_URL is set, PostgreSQL. The same aggregates computed by DuckDB over the same rows are the speed
 * reference (ratio reported). Writes bench/results/report-build.json (or --out).
 * Usage: npx tsx bench/perf/report-build.bench.ts [--applications 100000] [--backends pglite,postgres] [--out file]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';
import type { RegisterSourceRecord } from '../../src/domain/reporting.ts';
import {
  buildTransparencyReport,
  parsePeriod,
  previousPeriods,
  renderReportFiles,
} from '../../src/engines/reporting/index.ts';
import { primaryEndUser } from '../../src/engines/reporting/transparency-report.ts';
import { createServiceContext } from '../../src/services/context.ts';
import { seedDemoData } from '../../src/services/demo-seed.service.ts';
import { defaultPublicationPolicies } from '../../src/services/publication/publication-policy.loader.ts';
import { readRegisterSource } from '../../src/services/publication/register-source.reader.ts';
import { assertReportRedacted, authorityOf } from '../../src/services/publication.service.ts';
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
const REFERENCE_DATE = new Date('2026-06-30T12:00:00Z');
const s = (t0: number): number => Math.round((performance.now() - t0) / 10) / 100;
/** Process CPU seconds (user + system) since `c0`: unlike wall time, barely inflated by other load on the machine. */
const cpu = (c0: NodeJS.CpuUsage): number => {
  const c = process.cpuUsage(c0);
  return Math.round((c.user + c.system) / 1e4) / 100;
};

/** Synthetic items carry no classification: give each line the Annex I entry its item category usually has. */
const ENTRY_BY_CATEGORY: Record<string, string> = {
  imsi_catcher: '5A001.f.2',
  interception_system: '5A001.f.1',
  deep_packet_inspection: '5A001.j',
  monitoring_centre: '5D001.e',
  mobile_forensics: '5A004.b',
  interception_technology: '5E001.a',
  penetration_testing: '4D004',
  crypto_sdk: '5D002.c.1',
  vpn_gateway: '5A002.a',
  hardware_security_module: '5A002.a',
  secure_phone: '5A002.a',
  crypto_technology: '5E002.a',
};

/** Applications already in the database (a kept PGlite folder or PostgreSQL database is reused when it matches). */
async function countApplications(database: Database): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from applications`.execute(database.db);
  return r.rows[0]!.n;
}

async function seed(database: Database): Promise<{ seconds: number; reused: boolean }> {
  await migrate(database);
  const present = await countApplications(database);
  if (present === applications) {
    console.log(`reusing ${present} applications already in the database`);
    await sql`analyze`.execute(database.db);
    return { seconds: 0, reused: true };
  }
  if (present !== 0)
    throw new Error(`database holds ${present} applications, not ${applications}: use an empty one`);
  const t0 = performance.now();
  await seedDemoData(database.db, {
    applications,
    seed: 7,
    referenceDate: REFERENCE_DATE,
    batchSize: 2000,
    onProgress: (done, total) => {
      if (done % 50_000 === 0) console.log(`seeded ${done}/${total} (${s(t0)} s)`);
    },
  });
  await classifySyntheticLines(database);
  // PGlite runs no autovacuum: without statistics after a bulk load the planner picks nested loops over the whole
  // tables. PostgreSQL's autovacuum would analyze on its own; do it explicitly on both.
  await sql`analyze`.execute(database.db);
  console.log(`seeded ${applications} applications in ${s(t0)} s`);
  return { seconds: s(t0), reused: false };
}

async function classifySyntheticLines(database: Database): Promise<void> {
  const cases = Object.entries(ENTRY_BY_CATEGORY)
    .map(([c, e]) => `when '${c}' then '${e}'`)
    .join(' ');
  await sql
    .raw(
      `update application_lines l set classification = jsonb_build_object(
        'matchedEntries', case when e.entry is null then '[]'::jsonb else jsonb_build_array(e.entry) end,
        'cyberSurveillance', coalesce((i.technical_profile->>'category') in ('imsi_catcher','interception_system','deep_packet_inspection','monitoring_centre','mobile_forensics','facial_recognition'), false))
       from items i, lateral (select case i.technical_profile->>'category' ${cases} end as entry) e
       where i.id = l.item_id`,
    )
    .execute(database.db);
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
    const ctx = createServiceContext(database.db, config);
    const policies = defaultPublicationPolicies();
    const period = parsePeriod(YEAR);
    const trend = policies.publication.previousPeriods.year;
    const fromOn = previousPeriods(period, trend).at(-1)?.startOn ?? period.startOn;
    const rounds: Record<string, number>[] = [];
    let records: RegisterSourceRecord[] = [];
    let sizes: Record<string, number> = {};
    let registerRows = 0;
    for (let round = 0; round < 2; round++) {
      const loadAverage1m = +os.loadavg()[0]!.toFixed(1);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      records = await readRegisterSource(ctx.db, {
        fromOn,
        toOn: period.endOn,
        memberState: authorityOf(ctx).memberState,
        vocabulary: policies.vocabulary,
      });
      const readSeconds = s(t0);
      const t1 = performance.now();
      const readCpuSeconds = cpu(c0);
      const c1 = process.cpuUsage();
      const { report } = buildTransparencyReport(records, {
        period,
        policy: policies.redaction,
        vocabulary: policies.vocabulary,
        authority: authorityOf(ctx),
        publishedAt: '2026-06-30T12:00:00Z',
        previousPeriods: trend,
      });
      // The service's guard (buildPeriodReport) runs on every build: part of the product path, so timed here.
      assertReportRedacted(report, records, policies);
      const buildSeconds = s(t1);
      const buildCpuSeconds = cpu(c1);
      const c2 = process.cpuUsage();
      const t2 = performance.now();
      const files = await renderReportFiles(report, {
        formats: ['json', 'csv', 'xlsx', 'html'],
        baseUrl: 'https://exports.example.eu',
        licence: policies.publication.licence,
      });
      const renderSeconds = s(t2);
      const renderCpuSeconds = cpu(c2);
      registerRows = report.register.length;
      sizes = Object.fromEntries([...files].map(([n, b]) => [n, b.byteLength]));
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
      console.log(backend, rounds.at(-1));
    }
    const best = rounds.reduce((a, b) => (b.totalSeconds! < a.totalSeconds! ? b : a));
    const duck = await duckdbReference(records, period.startOn, period.endOn);
    return {
      backend,
      applicationsInDatabase: applications,
      date: new Date().toISOString(),
      machine: describeMachine(),
      peakRssMbSoFar: Math.round(process.resourceUsage().maxRSS / 1024),
      seed: seeded,
      recordsRead: records.length,
      registerRows,
      rounds,
      best,
      fileBytes: sizes,
      duckdb: duck,
      ratioCustosAggregateToDuckdb:
        Math.round((best.buildSeconds! / Math.max(duck.aggregateSeconds, 0.001)) * 10) / 10,
      ratioCustosTotalToDuckdbLoadAndAggregate:
        Math.round((best.totalSeconds! / Math.max(duck.loadSeconds + duck.aggregateSeconds, 0.001)) * 10) /
        10,
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
  description: `Annual report ${YEAR} (register, every table, trends; the service's redaction guard) from the database; every format but PDF. Targets at 1,000,000 applications: <= 10 s PGlite, <= 5 s PostgreSQL. Wall and process CPU seconds per phase; on a loaded shared machine CPU seconds are the steadier figure.`,
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
