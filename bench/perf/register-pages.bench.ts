/**
 * The public register's pages at scale: listPublicRegister (the API's /api/register and the portal's /register) over
 * a large published register, every sort and the filters people use, first pages and deep ones. The rows are written
 * straight into public_register_rows as a publication leaves them (synthetic, seeded random values; a row's JSON of
 * about 850 bytes, as the annual report's rows), so the query is measured, not the publication.
 * Usage: npx tsx bench/perf/register-pages.bench.ts [--rows 300000] [--runs 9] [--backends pglite,postgres]
 *        [--postgres-url URL] [--out file]   (PostgreSQL when --postgres-url or TEST_DATABASE_URL is given)
 * Writes bench/results/register-pages.json. No target is set by an issue; the figures say what a visitor waits for.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';
import { runUpkeep } from '../../src/db/upkeep.ts';
import { createServiceContext } from '../../src/services/context.ts';
import { listPublicRegister } from '../../src/services/publication.service.ts';
import { describeMachine } from '../support/machine.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const ROWS = Number(arg('rows', '300000'));
const RUNS = Number(arg('runs', '9'));
const postgresUrl = arg('postgres-url', process.env.TEST_DATABASE_URL ?? '');
const backends = arg('backends', postgresUrl ? 'pglite,postgres' : 'pglite').split(',');
const out = path.resolve(ROOT, arg('out', 'bench/results/register-pages.json'));

const QUERIES: Record<string, Record<string, unknown>> = {
  'newest first (the default)': {},
  'newest first, offset 5,000': { offset: 5000 },
  'oldest first': { sort: 'decidedOn' },
  'highest value': { sort: '-valueEur' },
  'by reference, descending': { sort: '-reference' },
  'received, newest first': { sort: '-receivedOn' },
  destination: { destination: 'AE' },
  decision: { decision: 'denied' },
  'decision, offset 20,000': { decision: 'denied', offset: 20000 },
  'control entry': { controlEntry: '4A005' },
  'a quarter': { period: '2025-Q2' },
  'text search, common word': { q: 'spyware' },
  'text search, one reference': { q: 'de-2025-0001234' },
  'destination, decision and text': { destination: 'AE', decision: 'granted', q: 'monitoring' },
  'past the end, filtered': { destination: 'AE', offset: 9_000_000 },
};

async function seed(database: Database): Promise<number> {
  const t0 = performance.now();
  await sql`truncate public_register_rows`.execute(database.db);
  await sql`select setseed(0.42)`.execute(database.db);
  await sql`
    insert into public_register_rows (reference, period_id, revision, published_at, received_on, decided_on,
      destination_country, decision, licence_type, end_user_type, control_entries, total_value_eur, search_text,
      row_json)
    select 'DE-2025-' || lpad(g::text, 7, '0'), '2025', 1, now(), date '2025-01-01' + d,
      case when random() < 0.08 then null else date '2025-01-01' + d + 20 end,
      (array['AE','SA','EG','US','CN','IN','BR','TR','RS','MX'])[1 + floor(random() * 10)::int],
      (array['granted','denied','granted_with_conditions','withdrawn'])[1 + floor(random() * 4)::int], 'individual',
      (array['police','ministry','private_company','intelligence'])[1 + floor(random() * 4)::int],
      array[(array['5A001.j','5A001.f','4A005','4D004','5D001.e'])[1 + floor(random() * 5)::int]],
      floor(random() * 1000000)::numeric,
      'de-2025-' || lpad(g::text, 7, '0') || ' mobile network interception equipment '
        || (array['ip network monitoring','spyware','forensic extraction','imsi catcher'])[1 + floor(random() * 4)::int],
      jsonb_build_object('reference', 'DE-2025-' || lpad(g::text, 7, '0'), 'text', repeat('x', 800))
    from (select g, floor(random() * 365)::int as d from generate_series(1, ${ROWS}) g) s`.execute(
    database.db,
  );
  // as the upkeep job (PGlite) or autovacuum (PostgreSQL) leave a table after a large publication: analyzed and
  // vacuumed, so counts can read the indexes alone
  await runUpkeep(database.db, { force: true });
  return Math.round((performance.now() - t0) / 100) / 10;
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const round = (x: number) => Math.round(x * 10) / 10;

const results = [];
for (const backend of backends) {
  if (backend === 'postgres' && !postgresUrl) {
    console.log('[register-pages] PostgreSQL skipped: give --postgres-url or TEST_DATABASE_URL');
    continue;
  }
  const database =
    backend === 'postgres'
      ? await openDatabase({ kind: 'postgres', url: postgresUrl })
      : await openDatabase({ kind: 'pglite-memory' });
  await migrate(database);
  console.log(`[register-pages] ${backend}: writing ${ROWS.toLocaleString('en')} published rows...`);
  const seedSeconds = await seed(database);
  console.log(`[register-pages] ${backend}: seeded in ${seedSeconds} s`);
  const ctx = createServiceContext(database.db, loadConfig({}));
  const queries = [];
  for (const [name, query] of Object.entries(QUERIES)) {
    const times: number[] = [];
    let total = 0;
    let items = 0;
    for (let i = 0; i < RUNS + 1; i++) {
      const t0 = performance.now();
      const page = await listPublicRegister(ctx, query);
      if (i > 0) times.push(performance.now() - t0); // the first run warms caches and plans
      total = page.total;
      items = page.items.length;
    }
    times.sort((a, b) => a - b);
    const row = {
      name,
      query,
      total,
      items,
      p50Ms: round(quantile(times, 0.5)),
      maxMs: round(times.at(-1)!),
    };
    console.log(
      `  ${name.padEnd(34)} p50 ${String(row.p50Ms).padStart(7)} ms  max ${String(row.maxMs).padStart(7)} ms  (${total} matches)`,
    );
    queries.push(row);
  }
  await database.close();
  results.push({
    backend,
    rows: ROWS,
    seedSeconds,
    runsPerQuery: RUNS,
    worstP50Ms: Math.max(...queries.map((q) => q.p50Ms)),
    queries,
  });
}

fs.writeFileSync(
  out,
  JSON.stringify(
    {
      benchmark: 'register-pages',
      description:
        'listPublicRegister over a large published register: first and deep pages, every sort, the filters; p50 and max of runs after a warm-up.',
      date: new Date().toISOString(),
      machine: describeMachine(),
      results,
    },
    null,
    2,
  ) + '\n',
);
console.log(`[register-pages] wrote ${path.relative(ROOT, out)}`);
