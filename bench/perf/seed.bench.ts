/**
 * Time to seed synthetic demo applications on embedded PGlite (a folder in a temp dir) and, when
 * TEST_DATABASE_URL is set, on PostgreSQL; with peak RSS. Writes bench/results/seed.json (or --out).
 * Usage: npx tsx bench/perf/seed.bench.ts [--applications 1000000] [--backends pglite,postgres] [--out file]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';
import {
  buildSyntheticWorld,
  defaultExporterCount,
  generateSyntheticApplications,
} from '../../src/engines/synthetic/synthetic-generator.ts';
import { seedDemoData, type SeedDemoDataCounts } from '../../src/services/demo-seed.service.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const applications = Number(arg('applications', '1000000'));
const backends = arg('backends', process.env.TEST_DATABASE_URL ? 'pglite,postgres' : 'pglite').split(',');
const out = path.resolve(ROOT, arg('out', 'bench/results/seed.json'));
const SEED = 20250630;
const REFERENCE_DATE = new Date('2026-06-30T12:00:00Z');
const MB = 1024 * 1024;
const LOAD_AT_START = +os.loadavg()[0]!.toFixed(1);

/** Samples RSS every 100 ms; returns the peak seen since start. */
function rssSampler() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 100);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

function dirSizeBytes(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? dirSizeBytes(p) : fs.statSync(p).size;
  }
  return total;
}

function progressPrinter(label: string) {
  const start = performance.now();
  let lastPrint = 0;
  return (done: number, total: number) => {
    const now = performance.now();
    if (done === total || now - lastPrint > 10_000) {
      lastPrint = now;
      const s = (now - start) / 1000;
      console.error(
        `[${label}] ${done}/${total} applications, ${s.toFixed(1)} s, ${(done / Math.max(s, 0.001)).toFixed(0)}/s, rss ${(process.memoryUsage.rss() / MB).toFixed(0)} MB`,
      );
    }
  };
}

interface RunResult {
  backend: string;
  applications: number;
  seconds: number;
  applicationsPerSecond: number;
  rowsPerSecond: number;
  totalRows: number;
  peakRssMb: number;
  /** CPU time of this process (user + system) during the seed: on PGlite that is all the work, since the
   * database runs in-process; on PostgreSQL the server's own CPU time is not included. */
  processCpuSeconds: number;
  loadAverage1mAtEnd: number;
  counts: SeedDemoDataCounts;
  groupByStatusMs: number;
  dataDirMb?: number;
  postgresVersion?: string;
}

async function seedInto(database: Database, label: string): Promise<Omit<RunResult, 'backend'>> {
  await migrate(database);
  const sampler = rssSampler();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { counts } = await seedDemoData(database.db, {
    applications,
    seed: SEED,
    referenceDate: REFERENCE_DATE,
    onProgress: progressPrinter(label),
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const peakRssMb = sampler.stop() / MB;
  const q0 = performance.now();
  const byStatus = await sql<{
    status: string;
    n: number;
  }>`select status, count(*)::int as n from applications group by status`.execute(database.db);
  const groupByStatusMs = performance.now() - q0;
  const stored = Object.fromEntries(byStatus.rows.map((r) => [r.status, r.n]));
  if (
    JSON.stringify(Object.entries(stored).sort()) !== JSON.stringify(Object.entries(counts.byStatus).sort())
  )
    throw new Error(`Stored status counts differ from reported counts: ${JSON.stringify(stored)}`);
  const totalRows =
    counts.organisations +
    counts.items +
    counts.parties +
    counts.applications +
    counts.applicationLines +
    counts.applicationParties +
    counts.applicationTransitions +
    counts.decisions +
    counts.licences;
  return {
    applications,
    seconds: +seconds.toFixed(2),
    applicationsPerSecond: Math.round(applications / seconds),
    rowsPerSecond: Math.round(totalRows / seconds),
    totalRows,
    peakRssMb: Math.round(peakRssMb),
    processCpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(1),
    loadAverage1mAtEnd: +os.loadavg()[0]!.toFixed(1),
    counts,
    groupByStatusMs: +groupByStatusMs.toFixed(1),
  };
}

async function runPglite(): Promise<RunResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-seed-bench-'));
  try {
    const database = await openDatabase({
      kind: 'pglite',
      dataDir: path.join(dir, 'data'),
      command: 'seed-bench',
    });
    try {
      const r = await seedInto(database, 'pglite');
      return {
        backend: 'pglite (on-disk folder)',
        ...r,
        dataDirMb: Math.round(dirSizeBytes(path.join(dir, 'data')) / MB),
      };
    } finally {
      await database.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function runPostgres(): Promise<RunResult> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const name = `custos_seed_bench_${process.pid}`;
  const admin = await openDatabase({ kind: 'postgres', url, poolSize: 1 });
  await admin.execScript(`drop database if exists ${name}`);
  await admin.execScript(`create database ${name}`);
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  try {
    const database = await openDatabase({ kind: 'postgres', url: dbUrl.toString(), poolSize: 2 });
    try {
      const version = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(
        database.db,
      );
      const r = await seedInto(database, 'postgres');
      return { backend: 'postgres', postgresVersion: version.rows[0]!.v, ...r };
    } finally {
      await database.close();
    }
  } finally {
    await admin.execScript(`drop database if exists ${name} with (force)`).catch(() => undefined);
    await admin.close();
  }
}

/** Generation alone (no database), to separate the generator's cost from the inserts'. */
function runGenerationOnly() {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const world = buildSyntheticWorld({
    seed: SEED,
    referenceDate: REFERENCE_DATE,
    applications,
    exporters: defaultExporterCount(applications),
  });
  let n = 0;
  for (const a of generateSyntheticApplications(world)) n += a.lines.length > 0 ? 1 : 0;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    applications: n,
    seconds: +seconds.toFixed(2),
    applicationsPerSecond: Math.round(n / seconds),
    processCpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(1),
    // Sampled at the end only: the loop is synchronous, and memory is flat because applications are streamed.
    rssAtEndMb: Math.round(process.memoryUsage.rss() / MB),
  };
}

const generation = runGenerationOnly();
console.error(`[generation] ${generation.applications} applications in ${generation.seconds} s`);
const runs: RunResult[] = [];
for (const b of backends) {
  if (b === 'pglite') runs.push(await runPglite());
  else if (b === 'postgres') runs.push(await runPostgres());
  else throw new Error(`unknown backend ${b}`);
  console.error(JSON.stringify(runs[runs.length - 1]));
}
const cpus = os.cpus();
const result = {
  benchmark: 'seed',
  description:
    'seedDemoData: synthetic applications with lines, parties, history, decisions and licences; batches of 1,000 applications per transaction',
  date: new Date().toISOString(),
  loadAverage1mAtStart: LOAD_AT_START,
  machine: {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  },
  seed: SEED,
  referenceDate: REFERENCE_DATE.toISOString(),
  generationOnly: generation,
  runs,
  processMaxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
};
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result, null, 2));
