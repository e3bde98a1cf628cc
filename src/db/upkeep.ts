/**
 * Table upkeep (ANALYZE and VACUUM) where PostgreSQL's autovacuum does not run. PostgreSQL keeps planner statistics
 * and visibility maps current by itself; embedded PGlite runs PostgreSQL as a single standalone backend without the
 * autovacuum launcher, so its tables are never analyzed: after a large import or the demo seed the planner then
 * guesses row counts (a table never analyzed has `reltuples` -1) and may pick plans that read everything. Custos
 * therefore applies autovacuum's own rule itself, from the same statistics (`pg_stat_user_tables`) and with
 * PostgreSQL's default thresholds (per-table storage parameters such as `autovacuum_enabled` are not read); where the
 * launcher runs, it leaves the work to it unless forced.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.ts';

type Db = Kysely<DB>;

/**
 * PostgreSQL's default autovacuum thresholds (postgresql.conf, "Automatic Vacuuming": autovacuum_analyze_threshold
 * and _scale_factor, autovacuum_vacuum_threshold and _scale_factor, autovacuum_vacuum_insert_threshold and
 * _scale_factor; the same in PostgreSQL 13 to 17). A table is analyzed when more than
 * `analyzeBase + analyzeScale * reltuples` rows changed since its last analyze, and vacuumed when more than
 * `vacuumBase + vacuumScale * reltuples` rows are dead or `insertBase + insertScale * reltuples` were inserted since
 * its last vacuum (an insert-only table is vacuumed too, which sets its visibility map for index-only scans).
 */
export const AUTOVACUUM_DEFAULTS = {
  analyzeBase: 50,
  analyzeScale: 0.1,
  vacuumBase: 50,
  vacuumScale: 0.2,
  insertBase: 1000,
  insertScale: 0.2,
} as const;

export type UpkeepThresholds = typeof AUTOVACUUM_DEFAULTS;

/** One table's counters, as `pg_stat_user_tables` and `pg_class` give them. */
export interface TableActivity {
  table: string;
  /** Planner's row estimate; -1 when the table was never analyzed or vacuumed. */
  reltuples: number;
  liveRows: number;
  deadRows: number;
  modifiedSinceAnalyze: number;
  insertedSinceVacuum: number;
}

/** A table to analyze, and to vacuum first when `vacuum`. */
export interface UpkeepStep {
  table: string;
  vacuum: boolean;
  /** Why, in words (for logs and the command's output). */
  reason: string;
}

/**
 * The tables that need upkeep and why: autovacuum's rule, plus every table never analyzed (the counters are kept in
 * memory, reach the statistics views a second or more late and are lost on a crash; a missing analyze is not).
 * @example planUpkeep([{ table: 'applications', reltuples: -1, liveRows: 5000, deadRows: 0, modifiedSinceAnalyze: 5000, insertedSinceVacuum: 5000 }])
 * // [{ table: 'applications', vacuum: true, reason: 'never analyzed; 5000 rows changed since analyze; 5000 rows inserted since vacuum' }]
 */
export function planUpkeep(
  tables: readonly TableActivity[],
  thresholds: UpkeepThresholds = AUTOVACUUM_DEFAULTS,
): UpkeepStep[] {
  const steps: UpkeepStep[] = [];
  for (const t of tables) {
    const size = Math.max(0, t.reltuples);
    const reasons: string[] = [];
    // Cheap for an empty table (which then counts 0 rows), and it does not depend on counters that lag.
    const neverAnalyzed = t.reltuples < 0;
    if (neverAnalyzed) reasons.push('never analyzed');
    const changed = t.modifiedSinceAnalyze > thresholds.analyzeBase + thresholds.analyzeScale * size;
    if (changed) reasons.push(`${t.modifiedSinceAnalyze} rows changed since analyze`);
    const dead = t.deadRows > thresholds.vacuumBase + thresholds.vacuumScale * size;
    if (dead) reasons.push(`${t.deadRows} dead rows`);
    const inserted = t.insertedSinceVacuum > thresholds.insertBase + thresholds.insertScale * size;
    if (inserted) reasons.push(`${t.insertedSinceVacuum} rows inserted since vacuum`);
    if (reasons.length === 0) continue;
    steps.push({
      table: t.table,
      vacuum: dead || inserted,
      reason: reasons.join('; '),
    });
  }
  return steps.sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0));
}

export interface UpkeepResult {
  /** Whether PostgreSQL's autovacuum launcher runs on this database. */
  autovacuum: boolean;
  /** True when nothing was done because autovacuum runs and the upkeep was not forced. */
  leftToAutovacuum: boolean;
  steps: (UpkeepStep & { seconds: number })[];
}

/**
 * One line saying what an upkeep did.
 * @example summarizeUpkeep(result) // 'Analyzed 52 tables (5 vacuumed) in 0.2 s.'
 */
export function summarizeUpkeep(result: UpkeepResult): string {
  if (result.leftToAutovacuum)
    return 'PostgreSQL autovacuum serves this database: nothing done (use --force to analyze now).';
  if (result.steps.length === 0) return 'Every table is up to date.';
  const seconds = result.steps.reduce((sum, s) => sum + s.seconds, 0);
  const vacuumed = result.steps.filter((s) => s.vacuum).length;
  return `Analyzed ${result.steps.length} tables (${vacuumed} vacuumed) in ${seconds.toFixed(1)} s.`;
}

/** The counters of every table of the current schema. */
async function readActivity(db: Db): Promise<TableActivity[]> {
  // A backend reports its counters at most once a second, when idle: ask for the next report, let it happen (the
  // statement after), then read. On PGlite that backend is the only one; on PostgreSQL it is one of the pool's.
  await sql`select pg_stat_force_next_flush()`.execute(db);
  await sql`select 1`.execute(db);
  const rows = await sql<{
    table: string;
    reltuples: number;
    live: number;
    dead: number;
    modified: number;
    inserted: number;
  }>`select s.relname as table, c.reltuples::float8 as reltuples, s.n_live_tup::int8 as live,
      s.n_dead_tup::int8 as dead, s.n_mod_since_analyze::int8 as modified, s.n_ins_since_vacuum::int8 as inserted
    from pg_stat_user_tables s join pg_class c on c.oid = s.relid
    where s.schemaname = current_schema()`.execute(db);
  return rows.rows.map((r) => ({
    table: r.table,
    reltuples: Number(r.reltuples),
    liveRows: Number(r.live),
    deadRows: Number(r.dead),
    modifiedSinceAnalyze: Number(r.modified),
    insertedSinceVacuum: Number(r.inserted),
  }));
}

/** Whether an autovacuum launcher serves this server (never on PGlite, a standalone backend). */
export async function autovacuumRuns(db: Db): Promise<boolean> {
  const r = await sql<{ runs: boolean }>`select exists (
      select 1 from pg_stat_activity where backend_type = 'autovacuum launcher') as runs`.execute(db);
  return r.rows[0]?.runs === true;
}

/**
 * Analyzes and vacuums the tables that need it (see `planUpkeep`), one table at a time, outside any transaction
 * (VACUUM cannot run in one). Where autovacuum runs, does nothing unless `force` (e.g. right after a bulk load, when
 * the launcher may not have come round yet). `onStep` is told before each table.
 * @example await runUpkeep(db) // { autovacuum: false, leftToAutovacuum: false, steps: [...] }
 */
export async function runUpkeep(
  db: Db,
  options: { force?: boolean; onStep?: (step: UpkeepStep) => void } = {},
): Promise<UpkeepResult> {
  const autovacuum = await autovacuumRuns(db);
  if (autovacuum && !options.force) return { autovacuum, leftToAutovacuum: true, steps: [] };
  const steps: UpkeepResult['steps'] = [];
  for (const step of planUpkeep(await readActivity(db))) {
    options.onStep?.(step);
    const t0 = performance.now();
    const table = sql.id(step.table);
    if (step.vacuum) await sql`vacuum (analyze) ${table}`.execute(db);
    else await sql`analyze ${table}`.execute(db);
    steps.push({ ...step, seconds: Math.round(performance.now() - t0) / 1000 });
  }
  return { autovacuum, leftToAutovacuum: false, steps };
}
