/** Applies the SQL migrations in src/db/migrations in name order, each once, recording a checksum. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { DomainError } from '../domain/errors.ts';
import type { Database } from './client.ts';

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      return { name, sql: text, checksum: createHash('sha256').update(text).digest('hex') };
    });
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Bring the schema up to date. Safe to run from several processes at once on PostgreSQL (advisory lock).
 * Refuses to continue when an applied migration's file has changed since it ran.
 */
export async function migrate(database: Database, migrations = readMigrations()): Promise<MigrationReport> {
  await database.execScript(`
    create table if not exists custos_migrations (
      name text primary key, checksum char(64) not null, applied_at timestamptz not null default now());`);
  const applied: string[] = [];
  let alreadyApplied = 0;
  for (const m of migrations) {
    const done = await sql<{
      checksum: string;
    }>`select checksum from custos_migrations where name = ${m.name}`.execute(database.db);
    const row = done.rows[0];
    if (row) {
      if (row.checksum.trim() !== m.checksum) {
        throw new DomainError(
          'CONFLICT',
          `Migration ${m.name} was changed after it was applied. Write a new migration instead of editing an old one.`,
        );
      }
      alreadyApplied++;
      continue;
    }
    const name = m.name.replace(/'/g, "''");
    // One script per migration: take the lock, re-check, apply and record atomically.
    await database
      .execScript(
        `
      begin;
      select pg_advisory_xact_lock(727001);
      do $custos$ begin
        if exists (select 1 from custos_migrations where name = '${name}') then
          raise exception 'custos: already applied %', '${name}' using errcode = 'P0001';
        end if;
      end $custos$;
      ${m.sql}
      ;
      insert into custos_migrations (name, checksum) values ('${name}', '${m.checksum}');
      commit;`,
      )
      .then(
        () => applied.push(m.name),
        (e: unknown) => {
          if (String((e as Error).message).includes('custos: already applied')) return;
          throw e;
        },
      );
  }
  return { applied, alreadyApplied };
}
