import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autovacuumRuns, runUpkeep } from '../../src/db/upkeep.ts';
import { backendUnderTest, createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

describe(`database upkeep (${backendUnderTest()})`, () => {
  it('knows whether PostgreSQL autovacuum serves the database (never on PGlite)', async () => {
    expect(await autovacuumRuns(database.db)).toBe(backendUnderTest() === 'postgres');
  });

  it('analyzes a freshly loaded table where autovacuum does not run (or when forced), then leaves it alone', async () => {
    // One connection throughout, so that its statistics counters can be flushed on demand (they reach the views late).
    await database.db.connection().execute(async (db) => {
      const flushStats = async () => {
        await sql`select pg_stat_force_next_flush()`.execute(db);
        await sql`select 1`.execute(db);
      };
      const statsOf = async (table: string) =>
        (
          await sql<{
            reltuples: number;
            analyzed: boolean;
            modified: number;
          }>`select c.reltuples::float8 as reltuples,
              (s.last_analyze is not null or s.last_autoanalyze is not null) as analyzed,
              s.n_mod_since_analyze::int as modified
            from pg_class c join pg_stat_user_tables s on s.relid = c.oid where c.relname = ${table}`.execute(
            db,
          )
        ).rows[0]!;
      // PostgreSQL's own autovacuum is kept off this table so that it cannot analyze it first (a race on a slow machine).
      await sql`create table upkeep_probe (id int primary key, v text) with (autovacuum_enabled = false)`.execute(
        db,
      );
      await sql`insert into upkeep_probe select g, md5(g::text) from generate_series(1, 5000) g`.execute(db);
      await flushStats();
      expect(await statsOf('upkeep_probe')).toMatchObject({ reltuples: -1, modified: 5000 });

      const first = await runUpkeep(db);
      if (backendUnderTest() === 'postgres') {
        // The launcher's business: nothing done unless forced (as after a bulk load).
        expect(first).toEqual({ autovacuum: true, leftToAutovacuum: true, steps: [] });
      }
      const done = backendUnderTest() === 'postgres' ? await runUpkeep(db, { force: true }) : first;
      expect(done.leftToAutovacuum).toBe(false);
      expect(done.steps.find((s) => s.table === 'upkeep_probe')).toMatchObject({
        vacuum: true,
        reason: 'never analyzed; 5000 rows changed since analyze; 5000 rows inserted since vacuum',
      });
      await flushStats();
      expect(await statsOf('upkeep_probe')).toMatchObject({ reltuples: 5000, analyzed: true, modified: 0 });
      // Every table of the schema was considered: none is left without statistics.
      const unknown = await sql<{ n: number }>`select count(*)::int as n from pg_class c
        join pg_stat_user_tables s on s.relid = c.oid where s.schemaname = current_schema() and c.reltuples < 0`.execute(
        db,
      );
      expect(unknown.rows[0]!.n).toBe(0);

      const again = await runUpkeep(db, { force: true });
      expect(again.steps.find((s) => s.table === 'upkeep_probe')).toBeUndefined();
    });
  });
});
