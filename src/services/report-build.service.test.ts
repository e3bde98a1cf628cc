/**
 * The cache of register blocks (ADR 0009) on a real database: a report built through it is byte for byte the report
 * built from the database without it, cold and warm, after a change to each input of a block (an application's
 * record, a party, the policy, the delay's cutoff), with a damaged or deleted cache, and under a policy it cannot
 * serve; the redaction guard still refuses a confidential value that reaches a month kept earlier.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicyWith } from '../../test/fixtures/reporting/records.ts';
import { testConfig } from '../../test/support/config.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { digestReportContent, REPORT_FORMATS } from '../engines/reporting/index.ts';
import { classifyDemoCatalogue } from './classification.service.ts';
import { createServiceContext, type ServiceContext } from './context.ts';
import { seedDemoData } from './demo-seed.service.ts';
import {
  defaultPublicationPolicies,
  type PublicationPolicies,
} from './publication/publication-policy.loader.ts';
import {
  buildPeriodReport,
  createReportDraft,
  getReportDraftContent,
  renderPublicationFiles,
} from './publication.service.ts';
import {
  buildPeriodReportContent,
  buildPeriodReportFiles,
  writePeriodReportFiles,
} from './report-build.service.ts';

let database: TestDatabase;
let cacheDir: string;
let clock = new Date('2026-06-30T12:00:00Z');
const system = { kind: 'system', name: 'test' } as const;
const context = (cache: string | null = cacheDir): ServiceContext =>
  createServiceContext(database.db, testConfig({ CUSTOS_REPORT_CACHE_DIR: cache ?? 'off' }), {
    now: () => clock,
  });

beforeAll(async () => {
  database = await createTestDatabase();
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-block-cache-'));
  await seedDemoData(database.db, {
    applications: 1500,
    seed: 31,
    referenceDate: new Date('2026-06-30T12:00:00Z'),
  });
  await classifyDemoCatalogue(context(null));
}, 180_000);
afterAll(async () => {
  await database.close();
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

/** The files as built without the cache: the report from the database, rendered. */
async function reference(period: string, policies: PublicationPolicies = defaultPublicationPolicies()) {
  const ctx = context(null);
  const built = await buildPeriodReport(ctx, system, { period, policies });
  return renderPublicationFiles(ctx, built.report, REPORT_FORMATS, policies);
}

async function cached(period: string, policies?: PublicationPolicies) {
  return buildPeriodReportFiles(context(), system, {
    period,
    formats: REPORT_FORMATS,
    ...(policies && { policies }),
  });
}

function expectSameFiles(actual: Map<string, Uint8Array>, expected: Map<string, Uint8Array>): void {
  expect([...actual.keys()]).toEqual([...expected.keys()]);
  for (const [name, bytes] of expected)
    expect(Buffer.from(actual.get(name)!).equals(Buffer.from(bytes)), name).toBe(true);
}

/** A settled application of 2025 decided in `month`, with a party. */
async function applicationDecidedIn(month: string): Promise<{ id: string; partyId: string }> {
  const r = await sql<{ id: string; party_id: string }>`select a.id, ap.party_id from applications a
    join application_parties ap on ap.application_id = a.id
    where a.status in ('granted', 'denied') and to_char(a.decided_at at time zone 'UTC', 'YYYY-MM') = ${month}
    order by a.id limit 1`.execute(database.db);
  return { id: r.rows[0]!.id, partyId: r.rows[0]!.party_id };
}

describe('report files through the cache of register blocks', () => {
  it('cold, then warm: the same files as without the cache; the second build renders no month', async () => {
    const expected = await reference('2025');
    const cold = await cached('2025');
    expect(cold.cache).toMatchObject({ months: 12, reused: 0, rendered: 12, unused: null, unkept: [] });
    // The trend's earlier periods (2023 and 2024): their months counted in the database, then kept.
    expect(cold.cache).toMatchObject({ trendMonths: 24, trendReused: 0 });
    expectSameFiles(cold.files, expected);
    expect(fs.readdirSync(cacheDir).filter((f) => f.endsWith('.block'))).toHaveLength(12);
    expect(fs.readdirSync(cacheDir).filter((f) => f.endsWith('.trend'))).toHaveLength(24);
    const warm = await cached('2025');
    expect(warm.cache).toMatchObject({
      months: 12,
      reused: 12,
      rendered: 0,
      trendMonths: 24,
      trendReused: 24,
    });
    expectSameFiles(warm.files, expected);
    expect(warm.notices).toEqual(cold.notices);
    // A quarter shares its months with the year: its blocks are the year's.
    const quarter = await cached('2025-Q2');
    expect(quarter.cache).toMatchObject({ months: 3, reused: 3, rendered: 0 });
    expectSameFiles(quarter.files, await reference('2025-Q2'));
  }, 120_000);

  it("builds a draft's report through the cache: the report built without it, and its months kept for the year", async () => {
    const own = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-block-cache-draft-'));
    try {
      const expected = await buildPeriodReport(context(null), system, { period: '2025-Q2' });
      const cold = await buildPeriodReportContent(context(own), system, { period: '2025-Q2' });
      expect(cold.cache).toMatchObject({ months: 3, reused: 0, rendered: 3, unused: null });
      expect(JSON.stringify(cold.report)).toBe(JSON.stringify(expected.report));
      expect(cold.notices).toEqual(expected.notices);
      const warm = await buildPeriodReportContent(context(own), system, { period: '2025-Q2' });
      expect(warm.cache).toMatchObject({ months: 3, reused: 3, rendered: 0 });
      // Rows read back from the kept JSON lines: the same report, key for key.
      expect(JSON.stringify(warm.report)).toBe(JSON.stringify(expected.report));
      // The year finds the quarter's months kept.
      const year = await buildPeriodReportFiles(context(own), system, { period: '2025', formats: ['json'] });
      expect(year.cache).toMatchObject({ months: 12, reused: 3, rendered: 9 });
      // A draft stores that report, with the same content digest as the report built without the cache.
      const draft = await createReportDraft(context(own), system, { period: '2025-Q2' });
      expect(draft.contentSha256).toBe(digestReportContent(expected.report));
      const stored = await getReportDraftContent(context(own), system, draft.id);
      expect(JSON.stringify(stored)).toBe(JSON.stringify(expected.report));
    } finally {
      fs.rmSync(own, { recursive: true, force: true });
    }
  }, 120_000);

  it('writes the same files into a folder, from the cache or without it, replacing only files of the same names', async () => {
    const expected = await reference('2025');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-report-out-'));
    try {
      fs.writeFileSync(path.join(out, 'notes.txt'), 'mine');
      fs.writeFileSync(path.join(out, 'report.json'), 'an older build');
      for (const ctx of [context(), context(null)]) {
        const written = await writePeriodReportFiles(ctx, system, {
          period: '2025',
          formats: REPORT_FORMATS,
          dir: out,
        });
        expect(written.cache.unused === null).toBe(ctx.config.reportCacheDir !== null);
        expect(written.names).toEqual([...expected.keys()].sort());
        expect(fs.readdirSync(out).sort()).toEqual([...written.names, 'notes.txt'].sort());
        for (const [name, bytes] of expected)
          expect(fs.readFileSync(path.join(out, name)).equals(Buffer.from(bytes)), name).toBe(true);
      }
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);

  it('renders again only the month whose application changed, and the month of a changed party', async () => {
    await cached('2025');
    const { id } = await applicationDecidedIn('2025-05');
    await sql`update applications set destination_country = 'NO' where id = ${id}`.execute(database.db);
    const afterRecord = await cached('2025');
    expect(afterRecord.cache).toMatchObject({ reused: 11, rendered: 1 });
    expectSameFiles(afterRecord.files, await reference('2025'));

    // A decision of an earlier period changed: its month of the trend is counted again, the others come from the cache.
    const earlier = await applicationDecidedIn('2024-03');
    await sql`update applications set status = 'denied' where id = ${earlier.id}`.execute(database.db);
    const afterEarlier = await cached('2025');
    expect(afterEarlier.cache).toMatchObject({ reused: 12, rendered: 0, trendMonths: 24, trendReused: 23 });
    expectSameFiles(afterEarlier.files, await reference('2025'));

    const { partyId } = await applicationDecidedIn('2025-09');
    await sql`update parties set country = 'IS' where id = ${partyId}`.execute(database.db);
    const afterParty = await cached('2025');
    expect(afterParty.cache.rendered).toBeGreaterThanOrEqual(1);
    expect(afterParty.cache.reused).toBeLessThan(12);
    expectSameFiles(afterParty.files, await reference('2025'));
  }, 180_000);

  it('keys blocks by the policy and by what the delay leaves of a month', async () => {
    const open = defaultPolicyWith('open-names', { 'parties.name.legalPerson': true });
    const policies = { ...defaultPublicationPolicies(), redaction: open };
    const first = await cached('2025', policies);
    expect(first.cache.rendered).toBe(12);
    expectSameFiles(first.files, await reference('2025', policies));
    expect((await cached('2025', policies)).cache.reused).toBe(12);

    // Published early in 2026: the delay withholds part of December 2025, which is then a block of its own.
    const saved = clock;
    clock = new Date('2026-01-20T12:00:00Z');
    try {
      const early = await cached('2025');
      expectSameFiles(early.files, await reference('2025'));
      expect(early.cache.rendered).toBeGreaterThanOrEqual(1);
    } finally {
      clock = saved;
    }
  }, 180_000);

  it('treats a damaged or deleted file as a miss, and is not used where rows depend on their place', async () => {
    for (const f of fs.readdirSync(cacheDir)) fs.rmSync(path.join(cacheDir, f));
    await cached('2025');
    const files = fs.readdirSync(cacheDir).filter((f) => f.endsWith('.block'));
    const damaged = path.join(cacheDir, files[0]!);
    fs.truncateSync(damaged, fs.statSync(damaged).size - 100);
    fs.rmSync(path.join(cacheDir, files[1]!));
    const again = await cached('2025');
    expect(again.cache).toMatchObject({ reused: 10, rendered: 2 });
    expectSameFiles(again.files, await reference('2025'));

    const rowN = {
      ...defaultPublicationPolicies(),
      redaction: defaultPolicyWith('row-n', { reference: false }),
    };
    const positional = await cached('2025', rowN);
    expect(positional.cache.unused).toMatch(/withholds the reference/);
    expectSameFiles(positional.files, await reference('2025', rowN));
    const off = await buildPeriodReportFiles(context(null), system, { period: '2025', formats: ['json'] });
    expect(off.cache.unused).toMatch(/switched off/);
  }, 180_000);

  it('refuses an internal id published in a month rendered now, when the id is of an application in a kept month', async () => {
    const open = defaultPolicyWith('open-names', { 'parties.name.legalPerson': true });
    const policies = { ...defaultPublicationPolicies(), redaction: open };
    await cached('2025', policies);
    // A legal person's published name set to the id of an application decided in another month (kept: not read).
    // The legal person named in the fewest months of 2025, and an application of a month it is not named in.
    const party = await sql<{ id: string; name: string; months: string[] }>`select p.id, p.name,
        array_agg(distinct to_char(a.decided_at at time zone 'UTC', 'YYYY-MM')) as months
      from parties p join application_parties ap on ap.party_id = p.id join applications a on a.id = ap.application_id
      where p.party_type <> 'individual' and to_char(a.decided_at at time zone 'UTC', 'YYYY') = '2025'
      group by p.id, p.name order by count(distinct to_char(a.decided_at at time zone 'UTC', 'YYYY-MM')), p.id
      limit 1`.execute(database.db);
    const victim = await sql<{ id: string }>`select a.id from applications a where a.status = 'granted'
      and to_char(a.decided_at at time zone 'UTC', 'YYYY') = '2025'
      and not (to_char(a.decided_at at time zone 'UTC', 'YYYY-MM') = any(${party.rows[0]!.months}::text[]))
      order by a.id limit 1`.execute(database.db);
    const { id, name } = party.rows[0]!;
    await sql`update parties set name = ${victim.rows[0]!.id} where id = ${id}`.execute(database.db);
    try {
      await expect(reference('2025', policies)).rejects.toThrow(/confidential values/);
      await expect(cached('2025', policies)).rejects.toThrow(/internal id/);
    } finally {
      await sql`update parties set name = ${name} where id = ${id}`.execute(database.db);
    }
  }, 180_000);

  it('refuses a report when a value kept in a month is now confidential, as without the cache', async () => {
    const warm = await cached('2025');
    expect(warm.cache.reused).toBe(12);
    // An exporter renamed to a published reference of a month taken from the cache.
    const row = await sql<{
      reference: string;
      organisation_id: string;
    }>`select a.reference, a.organisation_id
      from applications a where a.status = 'granted' and to_char(a.decided_at at time zone 'UTC', 'YYYY-MM') = '2025-03'
      order by a.id limit 1`.execute(database.db);
    const { reference: ref, organisation_id: org } = row.rows[0]!;
    const other = await sql<{ id: string }>`select id from organisations where id <> ${org} and id in
      (select organisation_id from applications where to_char(decided_at at time zone 'UTC', 'YYYY') = '2025')
      limit 1`.execute(database.db);
    const was = await sql<{
      name: string;
    }>`select name from organisations where id = ${other.rows[0]!.id}`.execute(database.db);
    await sql`update organisations set name = ${ref} where id = ${other.rows[0]!.id}`.execute(database.db);
    try {
      await expect(reference('2025')).rejects.toThrow(/confidential values/);
      await expect(cached('2025')).rejects.toThrow(/confidential values/);
      // Refused before anything is written.
      const out = path.join(cacheDir, '..', `custos-refused-${process.pid}`);
      await expect(
        writePeriodReportFiles(context(), system, { period: '2025', formats: ['json'], dir: out }),
      ).rejects.toThrow(/confidential values/);
      expect(fs.existsSync(out)).toBe(false);
    } finally {
      await sql`update organisations set name = ${was.rows[0]!.name} where id = ${other.rows[0]!.id}`.execute(
        database.db,
      );
    }
  }, 180_000);
});
