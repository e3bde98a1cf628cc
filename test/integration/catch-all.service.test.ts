/** Art 5 catch-all on a real database: notice, awareness, consultation clock, unanimity, published list applied. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceContext, type ServiceContext } from '../../src/services/context.ts';
import {
  decideCatchAllAwareness,
  getCatchAllNotice,
  issueCatchAllNotice,
  listCatchAllNotices,
  matchApplicationCatchAll,
  notifyCatchAllAwareness,
  openNoticeConsultation,
  publishCatchAllEntry,
  updateNoticeConsultation,
} from '../../src/services/catch-all.service.ts';
import { createItem } from '../../src/services/catalogue.service.ts';
import { makeApplication, makeWorld, type World } from '../factories/world.ts';
import { testConfig } from '../support/config.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
let ctx: ServiceContext;
let world: World;
const clock = new Date('2026-03-02T09:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = createServiceContext(database.db, testConfig(), { now: () => clock });
  world = await makeWorld(ctx, 'catchall');
});
afterAll(async () => {
  await database.close();
});

const noticeInput = () => ({
  organisationId: world.exporterA.organisationId,
  items: [
    {
      description: 'Facial recognition analytics for city CCTV networks',
      categories: ['facial_recognition'],
    },
  ],
  destinationCountry: 'AE',
  endUsers: ['Dubai Police'],
  grounds: 'Intended for use in connection with internal repression (information from the Foreign Office).',
});

describe('Art 5 notices', () => {
  it('issues an Art 5(1) notice with its duties; only staff issue, only the exporter and staff read', async () => {
    await expect(issueCatchAllNotice(ctx, world.exporterA.principal, noticeInput())).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const n = await issueCatchAllNotice(ctx, world.officer.principal, noticeInput());
    expect(n).toMatchObject({
      kind: 'notice',
      legalBasis: 'Art 5(1)',
      status: 'licence_required',
      datedOn: '2026-03-02',
    });
    expect(n.reference).toMatch(/^CUS-A5N-2026-\d{5}$/);
    expect((n.duties as { id: string }[]).map((d) => d.id)).toEqual([
      'licence_required',
      'inform_customs_and_national_authorities',
      'inform_member_states_and_commission',
    ]);
    expect((await getCatchAllNotice(ctx, world.exporterA.principal, n.id)).id).toBe(n.id);
    await expect(getCatchAllNotice(ctx, world.exporterB.principal, n.id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await listCatchAllNotices(ctx, world.exporterB.principal)).toEqual([]);
    expect((await listCatchAllNotices(ctx, world.exporterA.principal)).map((x) => x.id)).toContain(n.id);
  });

  it('refuses an unknown category and a skipped Art 5(4) information without a reason', async () => {
    await expect(
      issueCatchAllNotice(ctx, world.officer.principal, {
        ...noticeInput(),
        items: [{ description: 'x', categories: ['mind_reading'] }],
      }),
    ).rejects.toMatchObject({ code: 'INVALID' });
    await expect(
      issueCatchAllNotice(ctx, world.officer.principal, {
        ...noticeInput(),
        informOthersInappropriate: true,
      }),
    ).rejects.toMatchObject({ code: 'INVALID' });
  });

  it('takes an exporter notification of awareness and the decision on it', async () => {
    const a = await notifyCatchAllAwareness(ctx, world.exporterB.principal, {
      items: [{ description: 'Social media monitoring suite', categories: ['social_media_monitoring'] }],
      destinationCountry: 'EG',
      findings: 'Our due diligence found the end user targets journalists.',
    });
    expect(a).toMatchObject({
      kind: 'awareness',
      legalBasis: 'Art 5(2)',
      status: 'open',
      organisationId: world.exporterB.organisationId,
    });
    await expect(
      decideCatchAllAwareness(ctx, world.exporterB.principal, a.id, { licenceRequired: true, version: 1 }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const d = await decideCatchAllAwareness(ctx, world.officer.principal, a.id, {
      licenceRequired: true,
      version: 1,
    });
    expect(d.status).toBe('licence_required');
    await expect(
      decideCatchAllAwareness(ctx, world.officer.principal, a.id, { licenceRequired: false, version: 2 }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

describe('consultation, publication and later applications', () => {
  it('runs the 30-working-day clock, publishes only after unanimity and applies the list to a later application', async () => {
    const n = await issueCatchAllNotice(ctx, world.officer.principal, noticeInput());
    // 2 March 2026 + 30 working days in the DE (Hesse) calendar: Good Friday 3 April and Easter Monday 6 April skipped.
    const c = await openNoticeConsultation(ctx, world.officer.principal, n.id, {
      memberStates: ['NL', 'FR'],
    });
    expect(c).toMatchObject({ memberStates: ['FR', 'NL'], dueOn: '2026-04-15' });
    expect(c.assessment.unanimous).toBeNull();
    const pub = {
      consultationId: c.id,
      ojReference: 'OJ C 2026/123',
      publishedOn: '2026-03-02',
      itemDescription: 'Facial recognition systems',
      categories: ['facial_recognition'],
      keywords: ['facial recognition'],
      destinations: ['AE'],
    };
    await expect(publishCatchAllEntry(ctx, world.officer.principal, pub)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const fr = await updateNoticeConsultation(ctx, world.officer.principal, c.id, {
      action: 'respond',
      memberState: 'FR',
      agrees: true,
      version: 1,
    });
    await expect(
      updateNoticeConsultation(ctx, world.officer.principal, c.id, {
        action: 'respond',
        memberState: 'IT',
        agrees: true,
        version: 2,
      }),
    ).rejects.toMatchObject({ code: 'INVALID' });
    const both = await updateNoticeConsultation(ctx, world.officer.principal, c.id, {
      action: 'respond',
      memberState: 'NL',
      agrees: true,
      version: fr.version,
    });
    expect(both.assessment).toMatchObject({ closed: true, unanimous: true });
    const p = await publishCatchAllEntry(ctx, world.officer.principal, pub);
    expect(p).toMatchObject({ ojReference: 'OJ C 2026/123', reviewDueOn: '2027-03-02' });

    // A later application by exporter B with a facial recognition item to AE.
    const { app } = await makeApplication(ctx, world.exporterB.principal);
    const item = await createItem(ctx, world.exporterB.principal, {
      name: 'FaceFind 3',
      publicDescription: 'Facial recognition engine for video streams',
      confidentialDescription: '',
      itemForm: 'software',
      technicalProfile: {},
    });
    await ctx.db
      .insertInto('application_lines')
      .values({
        application_id: app.id,
        line_no: 2,
        item_id: item.id,
        quantity: 1,
        unit: 'licences',
        value: 1,
        currency: 'EUR',
        value_eur: 1,
      })
      .execute();
    const m = await matchApplicationCatchAll(ctx, world.exporterB.principal, app.id);
    expect(m.published).toHaveLength(1);
    expect(m.published[0]).toMatchObject({
      entryId: p.id,
      applicationItemIndex: 1,
      destinationMatched: true,
    });
    expect(m.published[0]!.basis).toEqual(['category', 'keyword']);
    expect(m.published[0]!.reasons.join(' ')).toMatch(/OJ C 2026\/123/);
    expect(m.notices).toEqual([]); // the notices went to exporter A
    expect(m.licenceRequiredUnderArt5).toBe(true);
    await expect(matchApplicationCatchAll(ctx, world.exporterA.principal, app.id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });

    // Exporter A's application to AE: its notices apply; the interception item matches no published entry.
    const { app: appA } = await makeApplication(ctx, world.exporterA.principal);
    const mA = await matchApplicationCatchAll(ctx, world.officer.principal, appA.id);
    expect(mA.published).toEqual([]);
    expect(mA.notices.length).toBeGreaterThanOrEqual(2);
    expect(mA.notices[0]!.reasons[0]).toMatch(/Art 5\(1\) notice/);
  });
});
