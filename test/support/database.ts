/** A fresh, migrated database for one test file: a copy of the run's template (PGlite or PostgreSQL). */
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
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
      await admin.execScript(`drop database if exists ${name} with (force)`).catch(() => undefined);
      await admin.close();
    },
  };
}

export const backendUnderTest = (): 'pglite' | 'postgres' => inject('testDatabase').kind;
