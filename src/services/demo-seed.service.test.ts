/** seedDemoData against a real database (PGlite, or PostgreSQL when TEST_DATABASE_URL is set). */
import { FACT_KEYS, parseItemTechnicalProfile } from '../domain/classification.ts';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../domain/errors.ts';
import { isCountryCode, isCurrencyCode, EU_MEMBER_STATES } from '../domain/codes.ts';
import type { DB } from '../db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { testConfig } from '../../test/support/config.ts';
import { addWorkingDays } from '../engines/workflow/index.ts';
import { PROCESSING_CLOCK } from './casework/lifecycle.ts';
import { workingCalendar } from './casework/policy.ts';
import { createServiceContext } from './context.ts';
import { classifyDemoCatalogue, classifyDemoItems } from './classification.service.ts';
import { checkReportSources, differingApplications } from '../db/report-sources.ts';
import {
  countDemoApplications,
  openSyntheticCaseDeadlines,
  removeDemoData,
  seedDemoData,
  type SeedDemoDataResult,
} from './demo-seed.service.ts';

const REFERENCE_DATE = new Date('2026-06-30T12:00:00Z');
const N = 1000;

/** Every row of the seeded tables, in a stable order, with values normalised across drivers. */
async function dumpSynthetic(db: Kysely<DB>): Promise<Record<string, unknown[]>> {
  const q = async (text: string) => (await sql.raw(text).execute(db)).rows;
  return {
    organisations: await q('select * from organisations where synthetic order by id'),
    items: await q('select * from items where synthetic order by id'),
    parties: await q('select * from parties where synthetic order by id'),
    applications: await q('select * from applications where synthetic order by id'),
    lines: await q('select * from application_lines order by application_id, line_no'),
    parties_roles: await q('select * from application_parties order by application_id, party_id, role'),
    transitions: await q('select * from application_transitions order by id'),
    decisions: await q('select * from decisions order by id'),
    licences: await q('select * from licences order by id'),
  };
}

/**
 * Close a test database. On PostgreSQL the support code drops the copy `with (force)` right after ending the
 * pool, and pg can still be closing a socket then (FATAL 57P01 as an unhandled error): end the pool first.
 */
async function closeDatabase(database: TestDatabase | undefined): Promise<void> {
  if (!database) return;
  await database.db.destroy();
  await new Promise((resolve) => setTimeout(resolve, 250));
  await database.close();
}

const expectDomainError = async (p: Promise<unknown>, code: string, path?: string) => {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DomainError);
  expect((e as DomainError).code).toBe(code);
  if (path) expect((e as DomainError).issues.map((i) => i.path)).toContain(path);
};

describe('seedDemoData', () => {
  let database: TestDatabase;
  let db: Kysely<DB>;
  let result: SeedDemoDataResult;
  const progress: [number, number][] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    result = await seedDemoData(db, {
      applications: N,
      seed: 20250630,
      referenceDate: REFERENCE_DATE,
      batchSize: 300,
      onProgress: (done, total) => progress.push([done, total]),
    });
  });
  afterAll(() => closeDatabase(database));

  it('reports counts that match the rows written, and progress per batch', async () => {
    const count = async (table: keyof DB) =>
      (
        await db
          .selectFrom(table)
          .select(sql<number>`count(*)::int`.as('n'))
          .executeTakeFirstOrThrow()
      ).n;
    expect(result.counts.applications).toBe(N);
    expect(await countDemoApplications(db)).toBe(N);
    expect(await count('organisations')).toBe(result.counts.organisations);
    expect(result.organisationIds).toHaveLength(result.counts.organisations);
    expect(await count('items')).toBe(result.counts.items);
    expect(await count('parties')).toBe(result.counts.parties);
    expect(await count('application_lines')).toBe(result.counts.applicationLines);
    expect(await count('application_parties')).toBe(result.counts.applicationParties);
    expect(await count('application_transitions')).toBe(result.counts.applicationTransitions);
    expect(await count('decisions')).toBe(result.counts.decisions);
    expect(await count('licences')).toBe(result.counts.licences);
    expect(Object.values(result.counts.byStatus).reduce((a, b) => a + b, 0)).toBe(N);
    expect(progress).toEqual([
      [0, N],
      [300, N],
      [600, N],
      [900, N],
      [1000, N],
    ]);
  });

  it('labels everything synthetic, with fictitious names and SYN- references', async () => {
    const orgs = await db.selectFrom('organisations').selectAll().execute();
    for (const o of orgs) {
      expect(o.synthetic).toBe(true);
      expect(o.kind).toBe('exporter');
      expect(o.name).toMatch(/ \(synthetic\)$/);
      expect(EU_MEMBER_STATES as readonly string[]).toContain(o.country);
    }
    const items = await db.selectFrom('items').selectAll().execute();
    const forms = new Set(items.map((i) => i.item_form));
    expect([...forms].sort()).toEqual(['hardware', 'software', 'technology']);
    for (const i of items) {
      expect(i.synthetic).toBe(true);
      expect(i.name).toMatch(/ \(synthetic\)$/);
      expect(i.confidential_description.length).toBeGreaterThan(0);
      // Stored in the classification engine's vocabulary: the profile parses as it is.
      const profile = parseItemTechnicalProfile({ ...i.technical_profile, itemForm: i.item_form });
      expect(profile.description.length).toBeGreaterThan(0);
      expect(Object.keys(profile.facts).sort()).toEqual([...FACT_KEYS].sort());
    }
    const parties = await db.selectFrom('parties').selectAll().execute();
    for (const p of parties) {
      expect(p.synthetic).toBe(true);
      expect(p.name).toMatch(/ \(synthetic\)$/);
      expect(isCountryCode(p.country)).toBe(true);
    }
    const apps = await db
      .selectFrom('applications')
      .select(['reference', 'created_at', 'synthetic'])
      .execute();
    for (const a of apps) {
      expect(a.synthetic).toBe(true);
      expect(a.reference).toMatch(/^SYN-\d{4}-\d{6}$/);
      expect(a.reference.slice(4, 8)).toBe(String(new Date(a.created_at).getUTCFullYear()));
    }
  });

  it('gives every application lines, an end user and a consignee from its own exporter, in its destination', async () => {
    const rows = await sql<{
      id: string;
      lines: number;
      end_users: number;
      consignees: number;
      foreign_items: number;
      foreign_parties: number;
      end_user_elsewhere: number;
      line_total: number;
      total_value_eur: number;
      bad_currency: number;
    }>`
      select a.id, a.total_value_eur,
        (select count(*)::int from application_lines l where l.application_id = a.id) as lines,
        (select coalesce(sum(l.value_eur), 0) from application_lines l where l.application_id = a.id) as line_total,
        (select count(*)::int from application_lines l join items i on i.id = l.item_id
           where l.application_id = a.id and i.organisation_id <> a.organisation_id) as foreign_items,
        (select count(*)::int from application_parties ap where ap.application_id = a.id and ap.role = 'end_user') as end_users,
        (select count(*)::int from application_parties ap where ap.application_id = a.id and ap.role = 'consignee') as consignees,
        (select count(*)::int from application_parties ap join parties p on p.id = ap.party_id
           where ap.application_id = a.id and p.organisation_id <> a.organisation_id) as foreign_parties,
        (select count(*)::int from application_parties ap join parties p on p.id = ap.party_id
           where ap.application_id = a.id and ap.role in ('end_user', 'consignee') and p.country <> a.destination_country) as end_user_elsewhere,
        (select count(*)::int from application_lines l where l.application_id = a.id and l.currency = 'XXX') as bad_currency
      from applications a`.execute(db);
    expect(rows.rows).toHaveLength(N);
    for (const r of rows.rows) {
      expect(r.lines).toBeGreaterThanOrEqual(1);
      expect(r.lines).toBeLessThanOrEqual(4);
      expect(r.end_users).toBe(1);
      expect(r.consignees).toBe(1);
      expect(r.foreign_items).toBe(0);
      expect(r.foreign_parties).toBe(0);
      expect(r.end_user_elsewhere).toBe(0);
      expect(Number(r.total_value_eur)).toBeCloseTo(Number(r.line_total), 2);
    }
    const lines = await db.selectFrom('application_lines').selectAll().execute();
    for (const l of lines) {
      expect(isCurrencyCode(l.currency)).toBe(true);
      expect(Number(l.quantity)).toBeGreaterThan(0);
      if (l.currency === 'EUR') expect(Number(l.value)).toBe(Number(l.value_eur));
    }
    const roles = await db.selectFrom('application_parties').select('role').distinct().execute();
    expect(roles.map((r) => r.role)).toEqual(expect.arrayContaining(['consignee', 'end_user']));
  });

  it('keeps status, history, decisions and licences consistent', async () => {
    const apps = await db.selectFrom('applications').selectAll().execute();
    const transitions = await db.selectFrom('application_transitions').selectAll().orderBy('id').execute();
    const decisions = await db.selectFrom('decisions').selectAll().execute();
    const licences = await db.selectFrom('licences').selectAll().execute();
    const byApp = new Map<string, typeof transitions>();
    for (const t of transitions) byApp.set(t.application_id, [...(byApp.get(t.application_id) ?? []), t]);
    const decisionByApp = new Map(decisions.map((d) => [d.application_id, d]));
    const licenceByApp = new Map(licences.map((l) => [l.application_id, l]));
    expect(decisionByApp.size).toBe(decisions.length);
    expect(licenceByApp.size).toBe(licences.length);
    for (const a of apps) {
      const history = byApp.get(a.id)!;
      expect(history[0]!.from_status).toBeNull();
      expect(history[0]!.to_status).toBe('draft');
      for (let k = 1; k < history.length; k++) {
        expect(history[k]!.from_status).toBe(history[k - 1]!.to_status);
        expect(new Date(history[k]!.at).getTime()).toBeGreaterThanOrEqual(
          new Date(history[k - 1]!.at).getTime(),
        );
      }
      const last = history[history.length - 1]!;
      expect(last.to_status).toBe(a.status);
      expect(new Date(last.at).getTime()).toBeLessThanOrEqual(REFERENCE_DATE.getTime());
      expect(new Date(a.created_at).getTime()).toBeGreaterThanOrEqual(Date.UTC(2023, 0, 1));
      expect(a.submitted_at === null).toBe(a.status === 'draft');
      const decided = ['granted', 'granted_with_conditions', 'denied'].includes(a.status);
      const decision = decisionByApp.get(a.id);
      expect(Boolean(decision)).toBe(decided);
      expect(a.decided_at !== null).toBe(decided);
      if (decision) {
        expect(decision.outcome).toBe(a.status);
        expect(new Date(decision.decided_at).getTime()).toBe(new Date(a.decided_at!).getTime());
        expect((decision.conditions as unknown as string[]).length > 0).toBe(
          a.status === 'granted_with_conditions',
        );
        expect(decision.reasons).toMatch(/^Synthetic decision/);
      }
      const licence = licenceByApp.get(a.id);
      expect(Boolean(licence)).toBe(a.status === 'granted' || a.status === 'granted_with_conditions');
      if (licence) {
        expect(licence.licence_number).toBe(`${a.reference}/L`);
        expect(licence.organisation_id).toBe(a.organisation_id);
        expect(licence.valid_from < licence.valid_until!).toBe(true);
      }
    }
  });

  it('opens the deadlines of the cases in progress as the lifecycle would, once', async () => {
    const ctx = createServiceContext(db, testConfig(), { now: () => REFERENCE_DATE });
    const opened = await openSyntheticCaseDeadlines(ctx);
    const open = (
      await sql`select id, status, submitted_at from applications
      where synthetic and status in ('submitted', 'in_assessment', 'information_requested', 'in_consultation')`.execute(
        db,
      )
    ).rows as { id: string; status: string; submitted_at: Date | string }[];
    const waiting = open.filter(
      (a) => a.status === 'information_requested' || a.status === 'in_consultation',
    );
    expect(open.length).toBeGreaterThan(0);
    expect(waiting.length).toBeGreaterThan(0);
    expect(opened).toBe(open.length + waiting.length);
    const rows = await db.selectFrom('case_deadlines').selectAll().where('closed_at', 'is', null).execute();
    const cal = workingCalendar(ctx);
    for (const a of open) {
      const clock = rows.find((r) => r.application_id === a.id && r.kind === PROCESSING_CLOCK)!;
      const submittedOn = new Date(a.submitted_at).toISOString().slice(0, 10);
      expect(clock, a.id).toMatchObject({ who: 'authority', started_on: submittedOn, working_days: 20 });
      expect(clock.due_on).toBe(addWorkingDays(cal, submittedOn, 20));
    }
    for (const a of waiting) {
      const own = rows.find((r) => r.application_id === a.id && r.kind === a.status)!;
      expect(own.who, a.id).toBe(
        a.status === 'information_requested' ? 'exporter' : 'consulted_member_state',
      );
      // started on the day of the last transition into the state
      const entered = (
        await sql<{ at: Date | string }>`select max(at) as at from application_transitions
        where application_id = ${a.id} and to_status = ${a.status}`.execute(db)
      ).rows[0]!.at;
      expect(own.started_on).toBe(new Date(entered).toISOString().slice(0, 10));
    }
    expect(await openSyntheticCaseDeadlines(ctx)).toBe(0); // once
  });

  it('produces plausible proportions of outcomes and destinations', () => {
    const share = (s: string) => (result.counts.byStatus[s] ?? 0) / N;
    expect(share('granted')).toBeGreaterThan(0.55);
    expect(share('granted')).toBeLessThan(0.85);
    expect(share('granted_with_conditions')).toBeGreaterThan(0.05);
    expect(share('denied')).toBeGreaterThan(0.01);
    expect(share('denied')).toBeLessThan(0.12);
    expect(share('withdrawn')).toBeGreaterThan(0.01);
    const pending = ['draft', 'submitted', 'in_assessment', 'information_requested', 'in_consultation'];
    const pendingShare = pending.reduce((a, s) => a + share(s), 0);
    expect(pendingShare).toBeGreaterThan(0.005);
    expect(pendingShare).toBeLessThan(0.15);
  });

  it('refuses to seed twice, and seeds again after removeDemoData', async () => {
    await expectDomainError(
      seedDemoData(db, { applications: 10, seed: 20250630, referenceDate: REFERENCE_DATE }),
      'CONFLICT',
    );
    await expectDomainError(
      seedDemoData(db, { applications: 10, seed: 7, referenceDate: REFERENCE_DATE }),
      'CONFLICT',
    );
    const removed = await removeDemoData(db);
    expect(removed).toEqual({ organisations: result.counts.organisations, applications: N });
    expect(await countDemoApplications(db)).toBe(0);
    const again = await seedDemoData(db, { applications: 10, seed: 7, referenceDate: REFERENCE_DATE });
    expect(again.counts.applications).toBe(10);
    await removeDemoData(db);
  });

  it('rejects invalid options naming the field, before writing anything', async () => {
    await expectDomainError(
      seedDemoData(db, { applications: -1, seed: 1, referenceDate: REFERENCE_DATE }),
      'INVALID',
      'applications',
    );
    await expectDomainError(
      seedDemoData(db, { applications: 5, seed: 1.5, referenceDate: REFERENCE_DATE }),
      'INVALID',
      'seed',
    );
    await expectDomainError(
      seedDemoData(db, { applications: 5, seed: 1, referenceDate: new Date('2022-06-01') }),
      'INVALID',
      'referenceDate',
    );
    await expectDomainError(
      seedDemoData(db, { applications: 5, seed: 1, referenceDate: REFERENCE_DATE, exporters: 0 }),
      'INVALID',
      'exporters',
    );
    expect(await countDemoApplications(db)).toBe(0);
  });
});

describe('seedDemoData determinism', () => {
  it('writes identical rows into two fresh databases for the same seed and reference date', async () => {
    const dumps = [];
    for (let k = 0; k < 2; k++) {
      const database = await createTestDatabase();
      try {
        await seedDemoData(database.db, {
          applications: N,
          seed: 99,
          referenceDate: REFERENCE_DATE,
          batchSize: 70 + k * 100,
        });
        dumps.push(JSON.parse(JSON.stringify(await dumpSynthetic(database.db))) as Record<string, unknown[]>);
      } finally {
        await closeDatabase(database);
      }
    }
    expect(dumps[0]!.applications).toHaveLength(N);
    expect(dumps[0]!.transitions!.length).toBeGreaterThan(N);
    expect(dumps[1]).toEqual(dumps[0]);
  });
});

describe('seedDemoData classifying its catalogue first', () => {
  it('writes the same rows as classifying afterwards, and the report source agrees with its definition', async () => {
    const dumps = [];
    const classified = [];
    for (const first of [true, false]) {
      const database = await createTestDatabase();
      try {
        const ctx = createServiceContext(database.db, testConfig(), { now: () => REFERENCE_DATE });
        const seeded = await seedDemoData(database.db, {
          applications: 400,
          seed: 12,
          referenceDate: REFERENCE_DATE,
          batchSize: 150,
          ...(first ? { classifyCatalogue: () => classifyDemoItems(ctx) } : {}),
        });
        const after = await classifyDemoCatalogue(ctx);
        classified.push({ seeded: seeded.counts, after });
        const found = await checkReportSources(database.db);
        expect(differingApplications(found)).toEqual([]);
        expect(found.checked).toBeGreaterThan(200);
        dumps.push(JSON.parse(JSON.stringify(await dumpSynthetic(database.db))) as Record<string, unknown[]>);
      } finally {
        await closeDatabase(database);
      }
    }
    const [first, afterwards] = classified;
    // Classified first: every submitted line got its item's classification as it was written, nothing was left.
    expect(first!.seeded.classifiedItems).toBe(first!.seeded.items);
    expect(first!.seeded.classifiedLines).toBeGreaterThan(0);
    expect(first!.after).toEqual({ items: 0, lines: 0 });
    // Classified afterwards: the same items and lines, by the update.
    expect(afterwards!.seeded.classifiedLines).toBe(0);
    expect(afterwards!.after).toEqual({ items: first!.seeded.items, lines: first!.seeded.classifiedLines });
    const drafts = dumps[0]!.applications!.filter((a) => (a as { status: string }).status === 'draft');
    expect(drafts.length).toBeGreaterThan(0);
    const draftIds = new Set(drafts.map((a) => (a as { id: string }).id));
    for (const line of dumps[0]!.lines! as { application_id: string; classification: unknown }[])
      expect(line.classification === null).toBe(draftIds.has(line.application_id));
    expect(dumps[0]).toEqual(dumps[1]);
  }, 120_000);
});
