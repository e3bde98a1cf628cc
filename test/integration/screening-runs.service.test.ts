/**
 * Screening in the workflow on a real database: screening on submission, re-screening after a list change (new hits
 * only), officer adjudication remembered per party and entry, exporter notes, and who sees what.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemPrincipal, type Principal } from '../../src/domain/model.ts';
import { createWorker } from '../../src/jobs/queue.ts';
import { jobHandlers } from '../../src/main.ts';
import { submitApplication } from '../../src/services/applications.service.ts';
import { createParty, updateParty } from '../../src/services/catalogue.service.ts';
import { createServiceContext, type ServiceContext } from '../../src/services/context.ts';
import {
  addHitNote,
  adjudicateHit,
  getApplicationScreening,
  getScreeningHit,
  listScreeningHits,
} from '../../src/services/screening-runs.service.ts';
import { importWatchlist } from '../../src/services/watchlists.service.ts';
import { makeApplication, makeWorld, type World } from '../factories/world.ts';
import { testConfig } from '../support/config.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// A synthetic watch-list in the Custos CSV format (docs/lists.md): invented names only.
const HEADER = 'id,schema,name,aliases,countries,birth_dates,remarks';
const V1 = [
  'syn-1,Company,Volkov Interception Systems OOO,,RU,,first listing',
  'syn-2,Person,Dmitri Aleksandrovich KOROLEV,,RU,1970,first listing',
  'syn-3,Company,Harbour Signal Analytics Ltd,HSA Ltd,AE,,first listing',
];
const V2 = [
  V1[0]!,
  V1[1]!,
  'syn-3,Company,Harbour Signal Analytics Ltd,HSA Ltd|Harbour Signals,AE,,alias added',
  'syn-4,Company,Northwind Lawful Intercept GmbH,,DE,,new listing',
];

let database: TestDatabase;
let ctx: ServiceContext;
let world: World;
let dir: string;
const system = systemPrincipal('test');

async function importList(rows: string[], file: string): Promise<void> {
  const p = path.join(dir, file);
  fs.writeFileSync(
    p,
    `# list: Synthetic denials\n# publisher: Test authority\n${HEADER}\n${rows.join('\n')}\n`,
  );
  await importWatchlist(ctx, system, 'custos-csv', [p]);
}

const drainJobs = () => createWorker({ db: ctx.db, workerId: 'test', handlers: jobHandlers(ctx) }).drain();

async function submitWith(exporter: Principal, parties: { id: string }[]) {
  const { app } = await makeApplication(ctx, exporter, {
    parties: [
      { partyId: parties[0]!.id, role: 'consignee' },
      { partyId: (parties[1] ?? parties[0])!.id, role: 'end_user' },
    ],
  });
  return submitApplication(ctx, exporter, app.id, { version: app.version });
}

const party = (exporter: Principal, name: string, country: string) =>
  createParty(ctx, exporter, { name, aliases: [], country, address: '', partyType: 'private_company' });

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = createServiceContext(database.db, testConfig());
  world = await makeWorld(ctx, 'scr');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-scr-'));
});
afterAll(async () => {
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('screening in the workflow', () => {
  let harbour: { id: string; version: number };
  let hitId: string;
  let appA: string;

  it('records a run without hits when no list is loaded, then screens every party on submission', async () => {
    const a = world.exporterA.principal;
    harbour = await party(a, 'Harbour Signal Analytics Limited', 'AE');
    const ministry = await party(a, 'Ministry of Interior', 'AE');
    const early = await submitWith(a, [harbour, ministry]);
    await drainJobs();
    const none = await getApplicationScreening(ctx, world.officer.principal, early.id);
    expect(none.runs.map((r) => r.outcome)).toEqual(['no-list-loaded']);

    await importList(V1, 'v1.csv');
    const submitted = await submitWith(a, [harbour, ministry]);
    appA = submitted.id;
    expect(await drainJobs()).toBeGreaterThanOrEqual(2); // re-screening after the import, then the submission
    const s = await getApplicationScreening(ctx, world.officer.principal, appA);
    expect(s.runs).toHaveLength(1);
    expect(s.runs[0]).toMatchObject({ trigger: 'submission', outcome: 'screened', partiesScreened: 2 });
    const hit = s.hits.find((h) => h.sourceId === 'syn-3');
    expect(hit).toMatchObject({ partyId: harbour.id, listName: 'Synthetic denials', status: 'open' });
    expect(hit!.score01).toBeGreaterThanOrEqual(0.75);
    expect(hit!.explanation).toHaveProperty('name');
    expect(s.hits.some((h) => h.partyName === 'Ministry of Interior')).toBe(false);
    expect(s.openHits).toBeGreaterThanOrEqual(1);
    hitId = hit!.id;
  });

  it('shows an exporter the hits on its own parties only', async () => {
    const b = world.exporterB.principal;
    const volkov = await party(b, 'Volkov Interception Systems LLC', 'RU');
    await submitWith(b, [volkov]);
    await drainJobs();
    const ofB = await listScreeningHits(ctx, b);
    expect(ofB.items.length).toBeGreaterThan(0);
    expect(ofB.items.every((h) => h.organisationId === world.exporterB.organisationId)).toBe(true);
    const ofA = await listScreeningHits(ctx, world.exporterA.principal);
    expect(ofA.items.some((h) => h.sourceId === 'syn-1')).toBe(false);
    expect(ofA.items.some((h) => h.id === hitId)).toBe(true);
    // B cannot read A's hit, nor A's application screening, nor filter its way to A's parties.
    await expect(getScreeningHit(ctx, b, hitId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getApplicationScreening(ctx, b, appA)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await listScreeningHits(ctx, b, { partyId: harbour.id })).items).toEqual([]);
    expect((await listScreeningHits(ctx, b, { applicationId: appA })).items).toEqual([]);
    await expect(listScreeningHits(ctx, { kind: 'public' })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    const officerView = await listScreeningHits(ctx, world.officer.principal);
    expect(new Set(officerView.items.map((h) => h.organisationId)).size).toBe(2);
  });

  it('lets the exporter note a hit but only an officer adjudicate it, with a reason, audited', async () => {
    const a = world.exporterA.principal;
    const hit = await getScreeningHit(ctx, a, hitId);
    await expect(
      adjudicateHit(ctx, a, hitId, {
        decision: 'false_positive',
        reason: 'not the same company',
        version: 1,
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      adjudicateHit(ctx, world.exporterB.principal, hitId, {
        decision: 'false_positive',
        reason: 'not the same company',
        version: 1,
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const noted = await addHitNote(ctx, a, hitId, {
      note: 'Our consignee is registered in Dubai since 2011.',
    });
    expect(noted.status).toBe('open');
    expect(noted.adjudications[0]).toMatchObject({ kind: 'exporter', decision: 'note' });
    await expect(
      addHitNote(ctx, world.officer.principal, hitId, { note: 'x'.repeat(5) }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      addHitNote(ctx, world.exporterB.principal, hitId, { note: 'x'.repeat(5) }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const officer = world.officer.principal;
    await expect(
      adjudicateHit(ctx, officer, hitId, {
        decision: 'false_positive',
        reason: 'short',
        version: hit.version,
      }),
    ).rejects.toMatchObject({ code: 'INVALID' });
    await expect(
      adjudicateHit(ctx, officer, hitId, { decision: 'cleared', reason: 'a long enough reason', version: 1 }),
    ).rejects.toMatchObject({ code: 'INVALID' });
    await expect(
      adjudicateHit(ctx, officer, hitId, {
        decision: 'false_positive',
        reason: 'a long enough reason',
        version: hit.version + 1,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await getScreeningHit(ctx, officer, hitId)).status).toBe('open');

    const decided = await adjudicateHit(ctx, officer, hitId, {
      decision: 'false_positive',
      reason: 'Different registration number and incorporation date (checked in the Dubai register).',
      version: hit.version,
    });
    expect(decided.status).toBe('false_positive');
    expect(decided.version).toBe(hit.version + 1);
    expect(decided.adjudications.find((x) => x.kind === 'officer')).toMatchObject({
      decision: 'false_positive',
      reason: expect.stringContaining('Dubai register'),
      outdated: false,
    });
    // The exporter sees the decision, not the officer's reasoning.
    const seenByA = await getScreeningHit(ctx, a, hitId);
    expect(seenByA.status).toBe('false_positive');
    expect(seenByA.adjudications.find((x) => x.kind === 'officer')).toMatchObject({
      reason: null,
      decidedBy: null,
    });
    const audit = await ctx.db
      .selectFrom('audit_events')
      .select(['action', 'payload'])
      .where('action', '=', 'screening.hit.adjudicated')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.payload).toMatchObject({ decision: 'false_positive', sourceId: 'syn-3' });
  });

  it('remembers the adjudication when the same party is screened again against the unchanged entry', async () => {
    const a = world.exporterA.principal;
    const again = await submitWith(a, [harbour]);
    await drainJobs();
    const s = await getApplicationScreening(ctx, world.officer.principal, again.id);
    const latest = s.hits.filter((h) => h.runId === s.runs[0]!.id && h.sourceId === 'syn-3');
    expect(latest).toHaveLength(1);
    expect(latest[0]).toMatchObject({ isNew: false, status: 'false_positive' });
  });

  it('re-screens after a list change, storing only new hits; a changed entry re-opens its adjudication', async () => {
    const a = world.exporterA.principal;
    const northwind = await party(a, 'Northwind Lawful Intercept', 'DE');
    const beforeB = (await listScreeningHits(ctx, world.exporterB.principal)).total;
    await importList(V2, 'v2.csv');
    await drainJobs();
    const fresh = await listScreeningHits(ctx, world.officer.principal, { newOnly: true, status: 'open' });
    const latestRun = await ctx.db
      .selectFrom('screening_runs')
      .select(['id', 'organisation_id', 'new_hits', 'trigger'])
      .where('trigger', '=', 'list-change')
      .orderBy('ran_at', 'desc')
      .execute();
    const runIds = new Set(latestRun.slice(0, 2).map((r) => r.id));
    const rescreened = fresh.items.filter((h) => runIds.has(h.runId));
    expect(rescreened.map((h) => `${h.partyName}/${h.sourceId}`).sort()).toEqual([
      'Harbour Signal Analytics Limited/syn-3',
      'Northwind Lawful Intercept/syn-4',
    ]);
    expect(
      rescreened.find((h) => h.sourceId === 'syn-3')!.adjudications.find((x) => x.kind === 'officer'),
    ).toMatchObject({ outdated: true });
    expect(
      rescreened.every(
        (h) => h.partyId !== northwind.id || h.organisationId === world.exporterA.organisationId,
      ),
    ).toBe(true);
    // B's party matches an unchanged entry it was already screened against: nothing new for B.
    expect((await listScreeningHits(ctx, world.exporterB.principal)).total).toBe(beforeB);
  });

  it('screens a renamed party afresh', async () => {
    const a = world.exporterA.principal;
    const current = await getScreeningHit(ctx, a, hitId);
    expect(current.status).toBe('false_positive');
    const p = await ctx.db
      .selectFrom('parties')
      .select('version')
      .where('id', '=', harbour.id)
      .executeTakeFirstOrThrow();
    await updateParty(ctx, a, harbour.id, { name: 'Harbour Signal Analytics Ltd.', version: p.version });
    const app = await submitWith(a, [harbour]);
    await drainJobs();
    const s = await getApplicationScreening(ctx, world.officer.principal, app.id);
    const mine = s.hits.filter((h) => h.runId === s.runs[0]!.id && h.sourceId === 'syn-3');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ isNew: true, status: 'open' });
  });
});
