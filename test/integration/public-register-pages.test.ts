/**
 * The public register's pages (listPublicRegister) against a reference ordering computed here: every sort, with and
 * without filters, read page by page to the end and past it. The query takes two paths (indexes in sort order without
 * filters, a materialized set of matches with filters, migration 0920); both must give exactly the rows and order of
 * the definition: the sort column with empty values last in either direction, ties by the reference in the same
 * direction, and the number of matches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceContext, type ServiceContext } from '../../src/services/context.ts';
import { listPublicRegister } from '../../src/services/publication.service.ts';
import { testConfig } from '../support/config.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
let ctx: ServiceContext;

interface Row {
  reference: string;
  received_on: string;
  decided_on: string | null;
  destination_country: string;
  decision: string;
  total_value_eur: number | null;
  search_text: string;
}

/** A deterministic generator (mulberry32), so a failure names a reproducible case. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rows: Row[] = [];
const day = (n: number) => new Date(Date.UTC(2025, 0, 1 + n)).toISOString().slice(0, 10);

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = createServiceContext(database.db, testConfig());
  const r = random(821);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(r() * values.length)]!;
  for (let i = 1; i <= 240; i++) {
    // few distinct dates and values, so ties (broken by the reference) are common; some empty values
    const received = Math.floor(r() * 120);
    rows.push({
      reference: `T-${String(i).padStart(5, '0')}`,
      received_on: day(received),
      decided_on: r() < 0.15 ? null : day(received + Math.floor(r() * 40)),
      destination_country: pick(['AE', 'EG', 'RS', 'US']),
      decision: pick(['granted', 'denied', 'granted_with_conditions']),
      total_value_eur: r() < 0.1 ? null : pick([1000, 2500, 2500.5, 90000]),
      search_text: pick(['imsi catcher', 'spyware', 'ip network monitoring']),
    });
  }
  await ctx.db
    .insertInto('public_register_rows')
    .values(
      rows.map((row) => ({
        ...row,
        period_id: '2025',
        revision: 1,
        published_at: '2026-01-15T00:00:00Z',
        licence_type: 'individual',
        end_user_type: 'police',
        control_entries: ['5A001.j'],
        total_value_eur: row.total_value_eur === null ? null : row.total_value_eur.toFixed(2),
        row_json: JSON.stringify({ reference: row.reference }),
      })),
    )
    .execute();
});
afterAll(async () => {
  await database.close();
});

const SORTS = {
  decidedOn: (r: Row) => r.decided_on,
  receivedOn: (r: Row) => r.received_on,
  valueEur: (r: Row) => r.total_value_eur,
  reference: (r: Row) => r.reference,
} as const;

/** The definition: the column, empty values last in either direction, then the reference in the same direction. */
function expected(sort: string, matches: (r: Row) => boolean): string[] {
  const desc = sort.startsWith('-');
  const key = SORTS[sort.replace(/^-/, '') as keyof typeof SORTS];
  const sign = desc ? -1 : 1;
  return rows
    .filter(matches)
    .sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      if (x === null || y === null) {
        if (x !== y) return x === null ? 1 : -1;
      } else if (x !== y) return (x < y ? -1 : 1) * sign;
      return (a.reference < b.reference ? -1 : 1) * sign;
    })
    .map((r) => r.reference);
}

const FILTERS: [string, Record<string, string>, (r: Row) => boolean][] = [
  ['none', {}, () => true],
  ['decision', { decision: 'denied' }, (r) => r.decision === 'denied'],
  [
    'destination and text',
    { destination: 'eg', q: 'SPY' },
    (r) => r.destination_country === 'EG' && r.search_text === 'spyware',
  ],
  [
    'period',
    { period: '2025-02' },
    (r) => (r.decided_on ?? r.received_on) >= '2025-02-01' && (r.decided_on ?? r.received_on) <= '2025-02-28',
  ],
  ['no match', { q: 'nothing like this' }, () => false],
];

describe('public register pages', () => {
  for (const [name, filter, matches] of FILTERS)
    it(`filter ${name}: every sort, page by page, gives the definition's rows in its order and the count`, async () => {
      for (const sort of Object.keys(SORTS).flatMap((s) => [s, `-${s}`])) {
        const want = expected(sort, matches);
        const got: string[] = [];
        for (let offset = 0; ; offset += 37) {
          const page = await listPublicRegister(ctx, {
            ...filter,
            sort,
            limit: '37',
            offset: String(offset),
          });
          expect(page.total, `${sort} at ${offset}`).toBe(want.length);
          got.push(...page.items.map((item) => String(item.reference)));
          if (page.items.length < 37) break;
        }
        expect(got, sort).toEqual(want);
        const past = await listPublicRegister(ctx, { ...filter, sort, offset: String(want.length + 100) });
        expect(past).toMatchObject({ total: want.length, items: [] });
      }
    });
});
