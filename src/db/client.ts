/** Opens the database: embedded PGlite by default (a folder on disk), PostgreSQL when a URL is given. */
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts';
import { PGlitePool } from './pglite-pool.ts';
import type { DB } from './schema.ts';

export type Backend = 'pglite' | 'postgres';

export interface Database {
  readonly db: Kysely<DB>;
  readonly backend: Backend;
  /** Run a multi-statement SQL script (migrations). */
  execScript(sql: string): Promise<void>;
  close(): Promise<void>;
  /** The embedded instance, when the backend is PGlite (tests use it to dump a template). */
  readonly pglite?: PGlite;
}

export type DatabaseOptions =
  | { kind: 'postgres'; url: string; poolSize?: number }
  | { kind: 'pglite'; dataDir: string; command: string }
  | { kind: 'pglite-memory'; loadDataDir?: Blob | File };

// One set of type parsers for both drivers: int8 and numeric as JS numbers, dates as 'YYYY-MM-DD' strings.
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const toNumber = (v: string): number => Number(v);
const asIs = (v: string): string => v;

function pgliteParsers() {
  return { [pgliteTypes.INT8]: toNumber, [pgliteTypes.NUMERIC]: toNumber, [pgliteTypes.DATE]: asIs };
}

async function openPGlite(pgl: PGlite, lock?: DataDirLock): Promise<Database> {
  await pgl.waitReady;
  const pool = new PGlitePool(pgl);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: pool as never }) });
  return {
    db,
    backend: 'pglite',
    pglite: pgl,
    async execScript(sql) {
      // Serialise with queries that Kysely is running through the same single connection.
      const conn = await pool.connect();
      try {
        await pgl.exec(sql);
      } catch (e) {
        await pgl.exec('rollback').catch(() => undefined);
        throw e;
      } finally {
        conn.release();
      }
    },
    async close() {
      await db.destroy();
      lock?.release();
    },
  };
}

/** Open a database. For a PGlite folder, the process takes an exclusive lock on it first. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.kind === 'postgres') {
    const parsers: Record<number, (v: string) => unknown> = {
      [INT8]: toNumber,
      [NUMERIC]: toNumber,
      [DATE]: asIs,
    };
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          parsers[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
      },
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      backend: 'postgres',
      async execScript(sql) {
        const client = await pool.connect();
        try {
          await client.query(sql);
        } catch (e) {
          await client.query('rollback').catch(() => undefined);
          throw e;
        } finally {
          client.release();
        }
      },
      async close() {
        await db.destroy();
      },
    };
  }
  if (options.kind === 'pglite') {
    const lock = lockDataDir(options.dataDir, options.command);
    try {
      const pgl = new PGlite({ dataDir: options.dataDir, parsers: pgliteParsers() });
      return await openPGlite(pgl, lock);
    } catch (e) {
      lock.release();
      throw e;
    }
  }
  const pgl = new PGlite({
    parsers: pgliteParsers(),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  return openPGlite(pgl);
}
