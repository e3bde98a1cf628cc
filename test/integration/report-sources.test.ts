/**
 * The report source kept by the database (migration 0900): `report_sources` must always equal its definition,
 * `report_source_view`, whatever path wrote the base tables: the services (draft, submission, assessment, decision,
 * appeal), the demo's bulk load, and direct changes to every table the definition reads (lines changed and removed,
 * parties removed, a decision corrected, a consultation recorded, an item reclassified, an application deleted).
 * On PostgreSQL, two transactions changing one application at once must also leave it right (the refresh locks).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import {
  checkReportSources,
  differingApplications,
  summarizeReportSourceCheck,
} from '../../src/db/report-sources.ts';
import { createServiceContext, type ServiceContext } from '../../src/services/context.ts';
import { seedDemoData } from '../../src/services/demo-seed.service.ts';
import { makeCaseworkFixture } from '../support/casework-fixtures.ts';
import { makeApplication, makeWorld, type World } from '../factories/world.ts';
import { testConfig } from '../support/config.ts';
import { backendUnderTest, createTestDatabase, type TestDatabase } from '../support/database.ts';
import type { Db } from '../../src/services/context.ts';

let database: TestDatabase;
let ctx: ServiceContext;
let world: World;

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = createServiceContext(database.db, testConfig());
  world = await makeWorld(ctx);
});
afterAll(async () => {
  await database.close();
});

/**
 * What differs between the table and the view (`custos report check-source`'s comparison, whose own test below plants
 * a stale, a missing and an extra row), and applications noted but not yet refreshed.
 */
async function drift(db: Db): Promise<{ differing: string[]; leftPending: number }> {
  const pending = await sql<{ n: number }>`select (select count(*) from report_sources_pending)
      + (select count(*) from report_sources_flush_due) as n`.execute(db);
  return {
    differing: differingApplications(await checkReportSources(db)),
    // Applications noted by a committed transaction are refreshed at its commit: nothing is left waiting.
    leftPending: Number(pending.rows[0]!.n),
  };
}

const count = async (db: Db) =>
  (await sql<{ n: number }>`select count(*)::int as n from report_sources`.execute(db)).rows[0]!.n;

describe(`report_sources is kept equal to report_source_view (${backendUnderTest()})`, () => {
  it('after the services write drafts, submissions, assessments, decisions and appeals', async () => {
    const draft = await makeApplication(ctx, world.exporterA.principal);
    await makeCaseworkFixture(ctx, world, 'decided');
    await makeCaseworkFixture(ctx, world, 'information');
    const d = await drift(database.db);
    expect(d).toEqual({ differing: [], leftPending: 0 });
    // Drafts are not reported; submitted applications are.
    const inTable = await sql<{ id: string }>`select application_id as id from report_sources`.execute(
      database.db,
    );
    expect(inTable.rows.map((r) => r.id)).not.toContain(draft.app.id);
    expect(inTable.rows.length).toBeGreaterThanOrEqual(2);
  });

  it('after a bulk load (the demo seed)', async () => {
    await seedDemoData(database.db, {
      applications: 300,
      seed: 7,
      batchSize: 64,
      referenceDate: new Date('2026-06-30T00:00:00Z'),
    });
    expect(await count(database.db)).toBeGreaterThan(250);
    expect(await drift(database.db)).toEqual({ differing: [], leftPending: 0 });
  });

  it('after direct changes to every table the definition reads', async () => {
    const db = database.db;
    const pick = async (where: string) =>
      (
        await sql<{
          id: string;
        }>`select a.id from applications a join report_sources r on r.application_id = a.id
          where ${sql.raw(where)} order by a.reference limit 1`.execute(db)
      ).rows[0]!.id;
    // Undecided, so that nothing but its own rows refers to it and it can be deleted at the end.
    const multiLine = await pick(`(select count(*) from application_lines l where l.application_id = a.id) > 1
      and not exists (select 1 from decisions d where d.application_id = a.id)
      and not exists (select 1 from licences c where c.application_id = a.id)`);
    const withParties = await pick(
      `(select count(*) from application_parties p where p.application_id = a.id) > 1 and a.id <> '${multiLine}'`,
    );
    const decided = await pick(`exists (select 1 from decisions d where d.application_id = a.id)`);
    const pending = await pick(`a.status = 'in_assessment' and a.id <> '${multiLine}'`);
    const steps: [string, () => Promise<unknown>][] = [
      [
        'a line changed',
        () =>
          sql`update application_lines set quantity = quantity + 1, value_eur = value_eur + 10.5
          where application_id = ${multiLine} and line_no = 1`.execute(db),
      ],
      [
        'a line removed',
        () =>
          sql`delete from application_lines where application_id = ${multiLine}
          and line_no = (select max(line_no) from application_lines where application_id = ${multiLine})`.execute(
            db,
          ),
      ],
      [
        'a line snapshot cleared (the item then counts)',
        () =>
          sql`update application_lines set classification = null
          where application_id = ${multiLine}`.execute(db),
      ],
      [
        'the item reclassified',
        () =>
          sql`update items set classification = jsonb_build_object(
          'cyberSurveillance', true, 'matchedEntries', jsonb_build_array('5A001.f', '5A001.j'))
          where id in (select item_id from application_lines where application_id = ${multiLine})`.execute(
            db,
          ),
      ],
      [
        'a party removed',
        () =>
          sql`delete from application_parties where (application_id, party_id, role) in
          (select application_id, party_id, role from application_parties where application_id = ${withParties}
           order by role, party_id limit 1)`.execute(db),
      ],
      [
        'a decision corrected',
        () =>
          sql`update decisions set criteria = '["art15.1.b", "charter.art7"]'::jsonb
          where application_id = ${decided}`.execute(db),
      ],
      [
        'a consultation recorded',
        () =>
          sql`insert into application_transitions (application_id, from_status,
          to_status, at) values (${pending}, 'in_assessment', 'in_consultation', now())`.execute(db),
      ],
      [
        'an application withdrawn',
        () =>
          sql`update applications set status = 'withdrawn', decided_at = now()
          where id = ${pending}`.execute(db),
      ],
      [
        'an application back to draft (not reported)',
        () =>
          sql`update applications set status = 'draft',
          submitted_at = null where id = ${withParties}`.execute(db),
      ],
      ['an application deleted', () => sql`delete from applications where id = ${multiLine}`.execute(db)],
    ];
    const before = await count(db);
    for (const [name, step] of steps) {
      await step();
      expect({ name, ...(await drift(db)) }).toEqual({
        name,
        differing: [],
        leftPending: 0,
      });
    }
    expect(await count(db)).toBe(before - 2);
  });

  it('finds rows that differ from the definition (as after a restore without triggers) and repairs them', async () => {
    const db = database.db;
    expect(await checkReportSources(db)).toMatchObject({ stale: [], missing: [], extra: [], repaired: 0 });
    const ids = (
      await sql<{
        id: string;
      }>`select application_id as id from report_sources order by application_id limit 2`.execute(db)
    ).rows.map((r) => r.id);
    const draft = (
      await sql<{
        id: string;
      }>`select id from applications where status = 'draft' order by id limit 1`.execute(db)
    ).rows[0]!.id;
    // Written behind the triggers' back: the triggers only watch the base tables.
    await sql`update report_sources set value_cents = value_cents + 1 where application_id = ${ids[0]}`.execute(
      db,
    );
    await sql`delete from report_sources where application_id = ${ids[1]}`.execute(db);
    await sql`insert into report_sources select ${draft}::uuid, reporting_on, status, organisation_id, received_on,
        settled_on, value_cents, memos, record from report_sources where application_id = ${ids[0]}`.execute(
      db,
    );

    const found = await checkReportSources(db);
    expect(found).toMatchObject({ stale: [ids[0]], missing: [ids[1]], extra: [draft], repaired: 0 });
    expect(summarizeReportSourceCheck(found)).toMatch(
      /^Report source differs: 1 stale, 1 missing, 1 extra of \d+ applications\.$/,
    );
    expect(await checkReportSources(db, { repair: true })).toMatchObject({ repaired: 3 });
    expect(await drift(db)).toEqual({ differing: [], leftPending: 0 });
    const after = await checkReportSources(db);
    expect(after.checked).toBe(await count(db));
    expect(summarizeReportSourceCheck(after)).toBe(
      `Report source up to date (${after.checked} applications compared).`,
    );
  });

  it('refreshes more applications in one transaction than the lock table holds (locks are striped)', async () => {
    // 40,000 ids: one advisory lock each (migration 0900) overflowed the shared lock table at commit on both
    // backends ("out of shared memory", about 6,400 locks on a default PostgreSQL, under 32,000 on PGlite).
    const held = await database.db.transaction().execute(async (trx) => {
      await sql`select report_sources_refresh(array(select gen_random_uuid() from generate_series(1, 40000)))`.execute(
        trx,
      );
      return (
        await sql<{ n: number }>`select count(*)::int as n from pg_locks
          where locktype = 'advisory' and pid = pg_backend_pid() and classid = 727100`.execute(trx)
      ).rows[0]!.n;
    });
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThanOrEqual(256);
    expect(await drift(database.db)).toEqual({ differing: [], leftPending: 0 });
  });

  it('refreshes every application a transaction touched, in bulk and after a flush forced midway', async () => {
    const db = database.db;
    const ids = (
      await sql<{
        id: string;
      }>`select application_id as id from report_sources order by application_id`.execute(db)
    ).rows.map((r) => r.id);
    expect(ids.length).toBeGreaterThan(100);
    // Every reported application's lines in one statement (one flush for all of them at commit).
    await sql`update application_lines set quantity = quantity + 1
      where application_id in (select application_id from report_sources)`.execute(db);
    expect(await drift(db)).toEqual({ differing: [], leftPending: 0 });
    // A flush forced before commit, then a change to another application in the same transaction: refreshed too.
    const [first, second] = [ids[0]!, ids[ids.length - 1]!];
    await db.transaction().execute(async (trx) => {
      await sql`update application_lines set quantity = quantity + 1 where application_id = ${first}`.execute(
        trx,
      );
      await sql`set constraints report_sources_pending_flush immediate`.execute(trx);
      await sql`set constraints report_sources_pending_flush deferred`.execute(trx);
      await sql`update application_lines set quantity = quantity + 1 where application_id = ${second}`.execute(
        trx,
      );
    });
    expect(await drift(db)).toEqual({ differing: [], leftPending: 0 });
  });

  it.runIf(backendUnderTest() === 'postgres')(
    'two transactions changing one application at once leave it right (PostgreSQL)',
    async () => {
      const second = await openDatabase({ kind: 'postgres', url: database.url!, poolSize: 1 });
      try {
        const app = (
          await sql<{ id: string; item: string }>`select l.application_id as id, l.item_id as item
            from application_lines l join report_sources r on r.application_id = l.application_id
            order by l.application_id limit 1`.execute(database.db)
        ).rows[0]!;
        const addLine = (db: Db, lineNo: number) =>
          sql`insert into application_lines (application_id, line_no, item_id, quantity, unit, value, currency,
              value_eur) values (${app.id}, ${lineNo}, ${app.item}, 1, 'items', 100, 'EUR', 100)`.execute(db);
        let releaseFirst!: () => void;
        const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
        let firstWrote!: () => void;
        const firstHasWritten = new Promise<void>((resolve) => (firstWrote = resolve));
        const first = database.db.transaction().execute(async (trx) => {
          await addLine(trx, 901);
          // Refreshed now rather than at commit, so that its refresh is done and held while the second's runs (at
          // commit the same interleaving is possible, in a window too short for a test to hit).
          await sql`set constraints report_sources_pending_flush immediate`.execute(trx);
          firstWrote();
          await firstMayCommit;
        });
        await firstHasWritten;
        // The second starts while the first holds its change uncommitted, and commits after it.
        const secondDone = second.db.transaction().execute((trx) => addLine(trx, 902));
        await new Promise((r) => setTimeout(r, 300));
        releaseFirst();
        await first;
        await secondDone;
        expect(await drift(database.db)).toEqual({ differing: [], leftPending: 0 });
        const lines = await sql<{
          n: number;
        }>`select json_array_length(record -> 10)::int as n from report_sources
          where application_id = ${app.id}`.execute(database.db);
        const expected = await sql<{ n: number }>`select count(*)::int as n from application_lines
          where application_id = ${app.id}`.execute(database.db);
        expect(lines.rows[0]!.n).toBe(expected.rows[0]!.n);
      } finally {
        await second.close();
      }
    },
  );
});
