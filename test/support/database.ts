/** A fresh, migrated database for one test file: a copy of the run's template (PGlite or PostgreSQL). */
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.ts';

export interface TestDatabase extends Database {
  /** For PostgreSQL: the URL of this copy (to open a second connection pool, as a second process would). */
  readonly url?: string;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const spec = inject('testDatabase');
  if (spec.kind === 'pglite') {
    const blob = new Blob([fs.readFileSync(spec.dumpFile)]);
    return openDatabase({ kind: 'pglite-memory', loadDataDir: blob });
  }
  const name = `custos_t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = await openDatabase({ kind: 'postgres', url: spec.adminUrl, poolSize: 1 });
  await admin.execScript(`create database ${name} template ${spec.template}`);
  const url = new URL(spec.adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString() });
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      // pg's pool.end() does not wait for its sockets to close: wait for the server to see them gone, then drop.
      for (let i = 0; i < 50; i++) {
        const { rows } = await sql<{
          n: number;
        }>`select count(*)::int as n from pg_stat_activity where datname = ${name}`.execute(admin.db);
        if (rows[0]!.n === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await admin.execScript(`drop database if exists ${name}`).catch(() => undefined);
      await admin.close();
    },
  };
}

export const backendUnderTest = (): 'pglite' | 'postgres' => inject('testDatabase').kind;
