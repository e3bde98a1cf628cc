/**
 * The retention purge against the schema itself: every foreign key that reaches a purged row must cascade, set null,
 * or come from a table the purge deletes first. A table added later with a plain reference to an application (or a
 * decision, licence, denial, notice) would make every purge of such a record fail whole; this test names it first.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICATION_PURGE_CHILDREN } from '../../src/services/records.service.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

interface ForeignKey {
  from: string;
  to: string;
  onDelete: 'a' | 'r' | 'c' | 'n' | 'd';
  name: string;
}

let database: TestDatabase;
let keys: ForeignKey[];

beforeAll(async () => {
  database = await createTestDatabase();
  keys = (
    await sql<ForeignKey>`
      select c.conrelid::regclass::text as "from", c.confrelid::regclass::text as "to",
             c.confdeltype as "onDelete", c.conname as name
      from pg_constraint c
      where c.contype = 'f' and c.connamespace = current_schema()::regnamespace
      order by 1, 4`.execute(database.db)
  ).rows;
});
afterAll(async () => {
  await database.close();
});

/**
 * The statements a purge runs, in order, and the foreign keys that would refuse one of them, at the level of tables:
 * a key into a table whose rows a statement deletes (directly or by cascade) from a table whose rows are deleted only
 * later or never. A key with no action is checked once the statement's cascades are done, so its rows may go by
 * cascade in the same statement (checked on both backends: the documents and licence requirement records of an
 * application); a restrict key needs its rows gone by an earlier statement. A key of a table into itself is checked
 * at the end of the statement and is not a problem.
 */
function refusals(statements: readonly string[]): string[] {
  const deletedAt = new Map<string, number>();
  statements.forEach((table, step) => {
    const queue = [table];
    if (!deletedAt.has(table)) deletedAt.set(table, step);
    while (queue.length > 0) {
      const t = queue.shift()!;
      for (const k of keys)
        if (k.to === t && k.onDelete === 'c' && k.from !== t && !deletedAt.has(k.from)) {
          deletedAt.set(k.from, step);
          queue.push(k.from);
        }
    }
  });
  const problems: string[] = [];
  for (const k of keys) {
    const step = deletedAt.get(k.to);
    if (
      step === undefined ||
      k.from === k.to ||
      k.onDelete === 'c' ||
      k.onDelete === 'n' ||
      k.onDelete === 'd'
    )
      continue;
    const from = deletedAt.get(k.from);
    if (from === undefined || from > step || (k.onDelete === 'r' && from === step))
      problems.push(`${k.from} -> ${k.to} (${k.name})`);
  }
  return problems;
}

describe('retention purge and the schema', () => {
  it('reads the schema foreign keys (the check is not vacuous)', () => {
    expect(keys.length).toBeGreaterThan(20);
    expect(keys.some((k) => k.to === 'applications' && k.onDelete === 'c')).toBe(true);
    expect(keys.some((k) => k.to === 'applications' && k.onDelete === 'a')).toBe(true);
  });

  it('deletes applications with everything that references them, children first', () => {
    expect(refusals([...APPLICATION_PURGE_CHILDREN, 'applications'])).toEqual([]);
    // the check finds a missing table: without the licences statement, decisions' deletion is refused by licences
    const withoutLicences = APPLICATION_PURGE_CHILDREN.filter((t) => t !== 'licences');
    expect(refusals([...withoutLicences, 'applications']).join('\n')).toMatch(/^licences -> /m);
  });

  it('deletes denials and catch-all notices without a table that refuses it', () => {
    expect(refusals(['denials'])).toEqual([]);
    expect(refusals(['catch_all_notices'])).toEqual([]);
  });
});
