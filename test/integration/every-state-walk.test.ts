/**
 * Issue 6's "done when" in one walk on a real database: an application goes draft -> submitted -> in assessment ->
 * information requested -> in assessment -> in consultation -> in assessment -> granted with conditions, under an
 * Art 5 notice the authority addressed to its exporter, while a denial RECEIVED from France (imported through the
 * Art 16 exchange file, not a test provider) forces the consultation and, once France answers, the notification of
 * the grant despite it. The decision document shows the reasons; every step is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DenialRecord } from '../../src/domain/workflow.ts';
import { exportDenials } from '../../src/engines/workflow/index.ts';
import { getApplication } from '../../src/services/applications.service.ts';
import {
  answerInformationRequest,
  getApplicationTransitions,
  requestInformation,
  transitionApplication,
} from '../../src/services/casework.service.ts';
import { issueCatchAllNotice, matchApplicationCatchAll } from '../../src/services/catch-all.service.ts';
import { createServiceContext, type ServiceContext } from '../../src/services/context.ts';
import { decideApplication, getDecisionDocument } from '../../src/services/decisions.service.ts';
import {
  getApplicationDenialView,
  importDenialExchange,
  openApplicationConsultation,
  recordDenialOverrideNotification,
  updateApplicationConsultation,
} from '../../src/services/denials.service.ts';
import { putEndUseStatementOnFile } from '../factories/casework.ts';
import { makeApplication, makeWorld, type World } from '../factories/world.ts';
import { testConfig } from '../support/config.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
let ctx: ServiceContext;
let world: World;
let clock = new Date('2026-03-02T09:00:00Z'); // a Monday

/** What France's authority notified: the same end user as makeApplication's (Ministry of Interior, AE). */
const received: DenialRecord = {
  id: 'FR-2025-101',
  origin: 'own',
  kind: 'refusal',
  notifyingMemberState: 'FR',
  reference: 'SBDU-2025-101',
  deniedOn: '2025-09-15',
  controlEntries: ['5A001.f'],
  itemDescription: 'Mobile network interception equipment',
  endUse: 'Surveillance of demonstrators',
  destinationCountry: 'AE',
  parties: [
    {
      role: 'end_user',
      name: 'Ministry of Interior',
      address: 'Abu Dhabi',
      country: 'AE',
      partyType: 'police',
    },
  ],
  reason: 'Criterion 2: clear risk of internal repression',
  status: 'in_force',
  reviewDueOn: '2028-09-15',
};

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = createServiceContext(database.db, testConfig(), { now: () => clock });
  world = await makeWorld(ctx, 'walk');
});
afterAll(async () => database.close());

describe('one application through every state', () => {
  it('with an Art 5 notice and a denial received from France forcing consultation, to a reasoned grant', async () => {
    const exporter = world.exporterA.principal;
    const officer = world.officer.principal;

    // France's denial arrives through the exchange file
    const imported = await importDenialExchange(
      ctx,
      officer,
      exportDenials([received], {
        exportedAt: '2026-02-27T08:00:00Z',
        exportingAuthority: { memberState: 'FR', name: 'SBDU' },
      }),
    );
    expect(imported).toMatchObject({ denials: 1, created: 1 });

    // the authority tells the exporter (Art 5(1)) that its monitoring kit for the destination needs a licence
    const notice = await issueCatchAllNotice(ctx, officer, {
      organisationId: world.exporterA.organisationId,
      items: [{ description: 'Mobile network interception equipment', categories: ['interception'] }],
      destinationCountry: 'AE',
      endUsers: ['Ministry of Interior'],
      grounds: 'Information that the items may be used in connection with internal repression.',
    });
    expect(notice).toMatchObject({ legalBasis: 'Art 5(1)', status: 'licence_required' });

    // draft, classified under 5A001.f.1, with its end-use statement
    const { app, item } = await makeApplication(ctx, exporter);
    await ctx.db
      .updateTable('items')
      .set({ classification: JSON.stringify({ matchedEntries: ['5A001.f.1'] }) })
      .where('id', '=', item.id)
      .execute();
    await putEndUseStatementOnFile(ctx, exporter, app.id);
    const catchAll = await matchApplicationCatchAll(ctx, exporter, app.id);
    expect(JSON.stringify(catchAll)).toContain(notice.reference);

    let a = await transitionApplication(ctx, exporter, app.id, {
      to: 'submitted',
      expectedVersion: app.version,
    });
    expect(a.status).toBe('submitted');

    // opening the assessment runs the Art 16 check: France's denial is essentially identical
    clock = new Date('2026-03-03T09:00:00Z');
    a = await transitionApplication(ctx, officer, app.id, {
      to: 'in_assessment',
      expectedVersion: a.version,
    });
    let view = await getApplicationDenialView(ctx, officer, app.id);
    const match = view.lastCheck?.matches.find((m) => m.origin === 'received');
    expect(match).toMatchObject({ strength: 'essentially_identical', consultationRequired: true });

    // information requested and answered
    const request = await requestInformation(ctx, officer, app.id, {
      questions: ['Which unit of the Ministry will operate the equipment?'],
      workingDays: 10,
      expectedVersion: a.version,
    });
    a = await getApplication(ctx, exporter, app.id);
    expect(a.status).toBe('information_requested');
    clock = new Date('2026-03-05T09:00:00Z');
    await answerInformationRequest(ctx, exporter, app.id, request.id, {
      answer: 'The cybercrime unit, under warrants of the public prosecutor.',
      documentIds: [],
    });
    a = await getApplication(ctx, exporter, app.id);
    expect(a.status).toBe('in_assessment');

    const grant = {
      outcome: 'granted_with_conditions' as const,
      legalBasis: [
        { citation: 'Regulation (EU) 2021/821, Art 12(1)(a)', text: 'Individual export authorisation.' },
      ],
      criteria: [
        {
          code: 'CP2',
          title: 'Respect for human rights',
          finding: 'The operating unit works under prosecutorial warrants; on-site checks accepted.',
          weighsAgainst: false,
        },
      ],
      rightsEngaged: ['privacy (Charter Art 7)'],
      reasons: ['The end user changed its operating unit and accepts on-site verification.'],
      conditions: ['Post-shipment verification within 6 months.'],
      evidence: [],
    };
    // no grant while France has not been consulted
    await expect(
      decideApplication(ctx, officer, app.id, { ...grant, expectedVersion: a.version }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      issues: expect.arrayContaining([expect.objectContaining({ path: 'guards.all_consultations_closed' })]),
    });

    // consultation of France (Art 16(2)): the case waits until France answers
    a = await transitionApplication(ctx, officer, app.id, {
      to: 'in_consultation',
      reason: `Denial ${received.reference} received from FR names the same end user.`,
      expectedVersion: a.version,
    });
    const consultation = await openApplicationConsultation(ctx, officer, app.id, {
      denialId: match!.denialId,
    });
    expect(consultation).toMatchObject({ consultedMemberState: 'FR', status: 'open' });
    await expect(
      transitionApplication(ctx, officer, app.id, { to: 'in_assessment', expectedVersion: a.version }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      issues: [expect.objectContaining({ path: 'guards.all_consultations_closed' })],
    });
    clock = new Date('2026-03-10T09:00:00Z');
    await updateApplicationConsultation(ctx, officer, consultation.id, {
      action: 'answer',
      considersIdentical: true,
      answer: 'France regards the transaction as essentially identical.',
      version: consultation.version,
    });
    a = await transitionApplication(ctx, officer, app.id, {
      to: 'in_assessment',
      expectedVersion: a.version,
    });
    expect(a.status).toBe('in_assessment');

    // granting despite an essentially identical denial needs the notification first (Art 16(2), last subparagraph)
    await expect(
      decideApplication(ctx, officer, app.id, { ...grant, expectedVersion: a.version }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      issues: expect.arrayContaining([expect.objectContaining({ path: 'guards.denial_override_notified' })]),
    });
    expect((await getApplication(ctx, officer, app.id)).status).toBe('in_assessment');
    await recordDenialOverrideNotification(ctx, officer, app.id, {
      denialIds: [match!.denialId],
      recipients: ['FR', 'EU'],
      explanation: 'Granted: the end user changed its operating unit and accepts on-site checks.',
    });
    view = await getApplicationDenialView(ctx, officer, app.id);
    expect(view.notificationRequired).toBe(true);

    clock = new Date('2026-03-11T10:00:00Z');
    const decision = await decideApplication(ctx, officer, app.id, { ...grant, expectedVersion: a.version });
    expect(decision).toMatchObject({ outcome: 'granted_with_conditions' });
    expect(decision.licence?.status).toBe('active');
    a = await getApplication(ctx, exporter, app.id);
    expect(a.status).toBe('granted_with_conditions');
    expect((await getApplicationTransitions(ctx, officer, app.id)).history.map((h) => h.toStatus)).toEqual([
      'draft',
      'submitted',
      'in_assessment',
      'information_requested',
      'in_assessment',
      'in_consultation',
      'in_assessment',
      'granted_with_conditions',
    ]);

    const html = String((await getDecisionDocument(ctx, exporter, app.id, 'html')).content);
    for (const text of [
      'The end user changed its operating unit and accepts on-site verification.',
      'Post-shipment verification within 6 months.',
      'Regulation (EU) 2021/821, Art 12(1)(a)',
    ])
      expect(html).toContain(text);

    const audit = await ctx.db
      .selectFrom('audit_events')
      .select('action')
      .where('entity_id', '=', app.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'application.submitted',
        'application.denial_check',
        'application.information_requested',
        'application.consultation_opened',
        'denial_consultation.opened',
        'denial_consultation.answered',
        'denial.override_notified',
        'application.granted_with_conditions',
      ]),
    );
  });
});
