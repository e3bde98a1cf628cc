/**
 * The two summaries behind the slimmed-down exporter dashboard and landing page: each exporter sees only its own
 * figures (another organisation's records never count), staff and the public are refused the dashboard, and the
 * landing figures follow the database (applications, synthetic ones, current control list and watch-lists).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC, systemPrincipal } from '../../src/domain/model.ts';
import { createServiceContext, type ServiceContext } from '../../src/services/context.ts';
import { answerInformationRequest, requestInformation } from '../../src/services/casework.service.ts';
import { updateApplication } from '../../src/services/applications.service.ts';
import { summariseExporterDashboard } from '../../src/services/exporter-dashboard.service.ts';
import { summariseHoldings } from '../../src/services/methodology.service.ts';
import { importWatchlist } from '../../src/services/watchlists.service.ts';
import { makeCaseInAssessment } from '../factories/casework.ts';
import { makeApplication, makeWorld, type World } from '../factories/world.ts';
import { testConfig } from '../support/config.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
let ctx: ServiceContext;
let world: World;

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = createServiceContext(database.db, testConfig());
  world = await makeWorld(ctx, 'sum');
}, 60_000);
afterAll(async () => database?.close());

describe('exporter dashboard summary', () => {
  it("counts only the exporter's own records and lists its applications, the latest changed first", async () => {
    const a = world.exporterA.principal;
    const empty = await summariseExporterDashboard(ctx, a, { recent: 5 });
    expect(empty).toEqual({ items: 0, parties: 0, applications: 0, awaiting: [], recent: [] });
    const first = await makeApplication(ctx, a); // one item, two parties, one application
    const second = await makeApplication(ctx, a, { destinationCountry: 'SA' });
    await makeApplication(ctx, world.exporterB.principal); // another organisation: never counted
    const d = await summariseExporterDashboard(ctx, a, { recent: 1 });
    expect(d.items).toBe(2);
    expect(d.parties).toBe(4);
    expect(d.applications).toBe(2);
    expect(d.recent).toHaveLength(1);
    expect(d.recent[0]).toMatchObject({
      id: second.app.id,
      reference: second.app.reference,
      destinationCountry: 'SA',
      status: 'draft',
    });
    const all = await summariseExporterDashboard(ctx, a, { recent: 5 });
    expect(all.recent.map((r) => r.id)).toEqual([second.app.id, first.app.id]);
    // A change to the older draft brings it to the top.
    await updateApplication(ctx, a, first.app.id, {
      version: first.app.version,
      intendedEndUse: 'Lawful interception, revised.',
    });
    const touched = await summariseExporterDashboard(ctx, a, { recent: 5 });
    expect(touched.recent.map((r) => r.id)).toEqual([first.app.id, second.app.id]);
    const b = await summariseExporterDashboard(ctx, world.exporterB.principal, { recent: 5 });
    expect(b.applications).toBe(1);
    expect(b.recent.map((r) => r.id)).not.toContain(first.app.id);
  });

  it("lists the open information requests on the exporter's applications, earliest answer-by date first", async () => {
    const a = world.exporterA.principal;
    const later = await makeCaseInAssessment(ctx, world, a);
    const sooner = await makeCaseInAssessment(ctx, world, a);
    const ask = (app: typeof later, workingDays: number) =>
      requestInformation(ctx, world.officer.principal, app.id, {
        questions: ['Who operates the system?'],
        workingDays,
        expectedVersion: app.version,
      });
    const r1 = await ask(later, 20);
    const r2 = await ask(sooner, 5);
    const d = await summariseExporterDashboard(ctx, a, { recent: 5 });
    expect(d.awaiting).toEqual([
      { applicationId: sooner.id, reference: sooner.reference, askedAt: r2.askedAt, dueOn: r2.dueOn },
      { applicationId: later.id, reference: later.reference, askedAt: r1.askedAt, dueOn: r1.dueOn },
    ]);
    expect(
      (await summariseExporterDashboard(ctx, world.exporterB.principal, { recent: 5 })).awaiting,
    ).toEqual([]);
    await answerInformationRequest(ctx, a, sooner.id, r2.id, { answer: 'The police cyber unit.' });
    expect(
      (await summariseExporterDashboard(ctx, a, { recent: 5 })).awaiting.map((r) => r.reference),
    ).toEqual([later.reference]);
  });

  it('is refused to staff and to the public', async () => {
    await expect(
      summariseExporterDashboard(ctx, world.officer.principal, { recent: 5 }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(summariseExporterDashboard(ctx, PUBLIC, { recent: 5 })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });
});

describe('landing holdings', () => {
  it('follows the database: applications, synthetic ones and the current watch-lists', async () => {
    const before = await summariseHoldings(ctx);
    expect(before.watchlists).toEqual([]);
    await ctx.db
      .updateTable('applications')
      .set({ synthetic: true })
      .where('destination_country', '=', 'SA')
      .execute();
    await importWatchlist(ctx, systemPrincipal('test'), 'custos-csv', [
      path.resolve('test/fixtures/lists/custos/demo-watchlist.csv'),
    ]);
    const after = await summariseHoldings(ctx);
    const total = await ctx.db
      .selectFrom('applications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.applications).toBe(Number(total.n));
    expect(after.synthetic).toBe(1);
    expect(after.watchlists).toHaveLength(1);
    expect(after.controlListVersion).toBe(before.controlListVersion);
  });
});
