import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../src/services/audit.service.ts';
import {
  getApplication,
  listApplications,
  submitApplication,
  updateApplication,
  withdrawApplication,
} from '../../src/services/applications.service.ts';
import { createServiceContext, type ServiceContext } from '../../src/services/context.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { testConfig } from '../support/config.ts';
import { makeApplication, makeWorld, type World } from '../factories/world.ts';

let database: TestDatabase;
let ctx: ServiceContext;
let world: World;

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = createServiceContext(database.db, testConfig());
  world = await makeWorld(ctx);
});
afterAll(async () => database.close());

describe('applications', () => {
  it('creates a draft with a reference, lines, parties and a history', async () => {
    const { app } = await makeApplication(ctx, world.exporterA.principal);
    expect(app.reference).toMatch(/^CUS-\d{4}-\d{6}$/);
    expect(app.status).toBe('draft');
    expect(app.totalValueEur).toBe(1_100_000);
    const full = await getApplication(ctx, world.exporterA.principal, app.id);
    expect(full.history.map((h) => h.toStatus)).toEqual(['draft']);
  });

  it('submits a complete draft and records the transition and audit event', async () => {
    const { app } = await makeApplication(ctx, world.exporterA.principal);
    const submitted = await submitApplication(ctx, world.exporterA.principal, app.id, {
      version: app.version,
    });
    expect(submitted.status).toBe('submitted');
    expect(submitted.submittedAt).not.toBeNull();
    const events = await ctx.db
      .selectFrom('audit_events')
      .select(['action'])
      .where('entity_id', '=', app.id)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['application.created', 'application.submitted']);
  });

  it('refuses to submit an incomplete draft and says what is missing, changing nothing', async () => {
    const { app } = await makeApplication(ctx, world.exporterA.principal, {
      lines: [],
      parties: [],
      intendedEndUse: '',
    });
    await expect(
      submitApplication(ctx, world.exporterA.principal, app.id, { version: app.version }),
    ).rejects.toMatchObject({
      code: 'INVALID',
      issues: expect.arrayContaining([
        expect.objectContaining({ path: 'lines', code: 'add_item_line' }),
        expect.objectContaining({ path: 'parties', code: 'name_end_user' }),
        expect.objectContaining({
          path: 'intendedEndUse',
          code: 'describe_end_use',
          params: { minimum: 10 },
        }),
      ]),
    });
    expect((await getApplication(ctx, world.exporterA.principal, app.id)).status).toBe('draft');
  });

  it('uses optimistic concurrency: a stale version gets CONFLICT and nothing is written', async () => {
    const { app } = await makeApplication(ctx, world.exporterA.principal);
    await updateApplication(ctx, world.exporterA.principal, app.id, {
      version: app.version,
      intendedEndUse: 'First edit of the end use',
    });
    await expect(
      updateApplication(ctx, world.exporterA.principal, app.id, {
        version: app.version,
        intendedEndUse: 'Second edit from a stale form',
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await getApplication(ctx, world.exporterA.principal, app.id)).intendedEndUse).toBe(
      'First edit of the end use',
    );
  });

  it('refuses negative values and invalid codes naming the field', async () => {
    const { app, item } = await makeApplication(ctx, world.exporterA.principal);
    await expect(
      updateApplication(ctx, world.exporterA.principal, app.id, {
        version: app.version,
        destinationCountry: 'XX',
        lines: [{ itemId: item.id, quantity: -1, unit: 'items', value: 10, currency: 'EUX', valueEur: -5 }],
      }),
    ).rejects.toMatchObject({
      code: 'INVALID',
      issues: expect.arrayContaining([
        expect.objectContaining({ path: 'destinationCountry' }),
        expect.objectContaining({ path: 'lines.0.quantity' }),
        expect.objectContaining({ path: 'lines.0.currency' }),
        expect.objectContaining({ path: 'lines.0.valueEur' }),
      ]),
    });
  });

  it('keeps exporters apart: B can neither read, list, edit, submit nor reference A’s records', async () => {
    const { app, item, endUser } = await makeApplication(ctx, world.exporterA.principal);
    const b = world.exporterB.principal;
    await expect(getApplication(ctx, b, app.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      updateApplication(ctx, b, app.id, { version: app.version, intendedEndUse: 'hijack attempt here' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(submitApplication(ctx, b, app.id, { version: app.version })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(withdrawApplication(ctx, b, app.id, { version: app.version })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const listed = await listApplications(ctx, b, { limit: 200 });
    expect(listed.items.every((a) => a.organisationId === world.exporterB.organisationId)).toBe(true);
    // Even a crafted filter cannot widen an exporter's view.
    const crafted = await listApplications(ctx, b, {
      organisationId: world.exporterA.organisationId,
      limit: 200,
    });
    expect(crafted.items.some((a) => a.organisationId === world.exporterA.organisationId)).toBe(false);
    // B cannot put A's item on B's application.
    await expect(
      makeApplication(ctx, b, {
        lines: [{ itemId: item.id, quantity: 1, unit: 'items', value: 1, currency: 'EUR', valueEur: 1 }],
      }),
    ).rejects.toMatchObject({
      code: 'INVALID',
      issues: [{ path: 'lines.0.itemId', code: 'unknown_item' }],
    });
    await expect(
      makeApplication(ctx, b, { parties: [{ partyId: endUser.id, role: 'end_user' }] }),
    ).rejects.toMatchObject({
      code: 'INVALID',
      issues: [{ path: 'parties.0.partyId', code: 'unknown_party' }],
    });
  });

  it('lets officers list and filter all applications', async () => {
    const list = await listApplications(ctx, world.officer.principal, { destination: 'AE', limit: 200 });
    expect(list.total).toBeGreaterThan(0);
    expect(list.items.every((a) => a.destinationCountry === 'AE')).toBe(true);
    const orgs = new Set(
      (await listApplications(ctx, world.officer.principal, { limit: 200 })).items.map(
        (a) => a.organisationId,
      ),
    );
    expect(orgs.has(world.exporterA.organisationId)).toBe(true);
  });

  it('leaves an intact audit chain after all of the above', async () => {
    const result = await verifyAuditLog(ctx.db);
    expect(result.problems).toEqual([]);
    expect(result.checked).toBeGreaterThan(10);
  });
});
