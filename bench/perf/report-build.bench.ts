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
import { authorityOf } from '../../src/services/publication.service.ts';
import { describeMachine } from '../support/machine.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const applications = Number(arg('applications', '100000'));
const backends = arg('backends', process.env.TEST_DATABASE_URL ? 'pglite,postgres' : 'pglite').split(',');
const out = path.resolve(ROOT, arg('out', 'bench/results/report-build.json'));
const YEAR = arg('period', '2025');
const REFERENCE_DATE = new Date('2026-06-30T12:00:00Z');
const s = (t0: number): number => Math.round((performance.now() - t0) / 10) / 100;

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

async function seed(database: Database): Promise<void> {
  await migrate(database);
  const t0 = performance.now();
  await seedDemoData(database.db, { applications, seed: 7, referenceDate: REFERENCE_DATE, batchSize: 2000 });
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
  // PGlite runs no autovacuum: without statistics after a bulk load the planner picks nested loops over the whole
  // tables. PostgreSQL's autovacuum would analyze on its own; do it explicitly on both.
  await sql`analyze`.execute(database.db);
  console.log(`seeded ${applications} applications in ${s(t0)} s`);
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
  const database =
    backend === 'postgres'
      ? await openDatabase({ kind: 'postgres', url: process.env.TEST_DATABASE_URL! })
      : await openDatabase({ kind: 'pglite', dataDir: dir, command: 'bench' });
  try {
    await seed(database);
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
      const t0 = performance.now();
      records = await readRegisterSource(ctx.db, {
        fromOn,
        toOn: period.endOn,
        memberState: authorityOf(ctx).memberState,
        vocabulary: policies.vocabulary,
      });
      const readSeconds = s(t0);
      const t1 = performance.now();
      const { report } = buildTransparencyReport(records, {
        period,
        policy: policies.redaction,
        vocabulary: policies.vocabulary,
        authority: authorityOf(ctx),
        publishedAt: '2026-06-30T12:00:00Z',
        previousPeriods: trend,
      });
      const buildSeconds = s(t1);
      const t2 = performance.now();
      const files = await renderReportFiles(report, {
        formats: ['json', 'csv', 'xlsx', 'html'],
        baseUrl: 'https://exports.example.eu',
        licence: policies.publication.licence,
      });
      const renderSeconds = s(t2);
      registerRows = report.register.length;
      sizes = Object.fromEntries([...files].map(([n, b]) => [n, b.byteLength]));
      rounds.push({ readSeconds, buildSeconds, renderSeconds, totalSeconds: s(t0) });
      console.log(backend, rounds.at(-1));
    }
    const best = rounds.reduce((a, b) => (b.totalSeconds! < a.totalSeconds! ? b : a));
    const duck = await duckdbReference(records, period.startOn, period.endOn);
    return {
      backend,
      applicationsInDatabase: applications,
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

const runs = [];
const loadAtStart = +os.loadavg()[0]!.toFixed(1);
for (const b of backends) runs.push(await runOn(b));
const result = {
  benchmark: 'report-build',
  description: `Annual report ${YEAR} (register, every table, trends) from the database; every format but PDF. Targets at 1,000,000 applications: <= 10 s PGlite, <= 5 s PostgreSQL.`,
  date: new Date().toISOString(),
  loadAverage1mAtStart: loadAtStart,
  machine: describeMachine(),
  runs,
};
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${out}`);
