/**
 * Case handling end to end on a real database: an application through every state (information requested and
 * back, consultation and back, granted with conditions, licence suspended, reinstated, revoked), another denied,
 * another withdrawn; deadlines on the DE calendar, audit events, the decision document; and the refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC, type Principal } from '../../src/domain/model.ts';
import { getApplication } from '../../src/services/applications.service.ts';
import {
  answerInformationRequest,
  assignCase,
  computeCaseSla,
  getApplicationTransitions,
  getCaseDeadlines,
  getCaseParticulars,
  listCases,
  listInformationRequests,
  recordLicenceRequirements,
  requestInformation,
  transitionApplication,
} from '../../src/services/casework.service.ts';
import { guardFactProviders, type GuardFactProvider } from '../../src/services/casework/guard-facts.ts';
import { createServiceContext, type ServiceContext } from '../../src/services/context.ts';
import {
  decideApplication,
  getDecisionDocument,
  listAppeals,
  recordAppeal,
  resolveAppeal,
} from '../../src/services/decisions.service.ts';
import { attachDocument } from '../../src/services/documents.service.ts';
import { adjudicateHit } from '../../src/services/screening-runs.service.ts';
import {
  amendLicence,
  expireLicences,
  flagLicenceForReview,
  getLicence,
  getLicenceUsage,
  listLicences,
  listLicenceTransitions,
  reportLicenceUsage,
  transitionLicence,
} from '../../src/services/licences.service.ts';
import { seedScreeningHit } from '../factories/screening.ts';
import { makeCaseInAssessment, putEndUseStatementOnFile } from '../factories/casework.ts';
import { makeApplication, makeWorld, type World } from '../factories/world.ts';
import { testConfig } from '../support/config.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
let ctx: ServiceContext;
let world: World;
let clock = new Date('2026-12-01T09:00:00Z'); // a Tuesday

// The Art 16 consultation facts belong to the denials capability; this test drives them through its own provider.
let consultationsClosed = true;
const consultationFacts: GuardFactProvider = async () => ({
  essentially_identical_check_done: true,
  all_consultations_closed: consultationsClosed,
  denial_override_notified: true,
});
const providers = [...guardFactProviders, consultationFacts];
const withFacts = { providers };

const DENIAL = {
  outcome: 'denied' as const,
  legalBasis: [
    {
      citation: 'Regulation (EU) 2021/821, Art 15(1)',
      text: 'The authority takes into account all relevant considerations.',
    },
  ],
  criteria: [
    {
      code: 'CP2',
      title: 'Respect for human rights in the country of final destination',
      finding: 'Documented use of interception against journalists by the end user.',
      weighsAgainst: true,
    },
  ],
  rightsEngaged: ['privacy (ICCPR Art 17)', 'freedom of expression (ICCPR Art 19)'],
  reasons: ['A clear risk that the system would be used for internal repression of journalists.'],
  evidence: [
    { id: 'EV-1', title: 'Report of a UN Special Rapporteur', source: 'United Nations', date: '2025-06-01' },
  ],
};

async function actions(entityId: string): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('audit_events')
    .select('action')
    .where('entity_id', '=', entityId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.action);
}

/** A submitted case in assessment, with an end-use statement on file. */
const caseInAssessment = (exporter: Principal = world.exporterA.principal) =>
  makeCaseInAssessment(ctx, world, exporter);

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = createServiceContext(database.db, testConfig(), { now: () => clock });
  world = await makeWorld(ctx, 'case');
});
afterAll(async () => database.close());

describe('an application through every state', () => {
  it('draft -> submitted -> in assessment -> information requested -> back -> consultation -> back -> granted with conditions; licence suspended, reinstated, revoked', async () => {
    const exporter = world.exporterA.principal;
    const officer = world.officer.principal;
    const { app } = await makeApplication(ctx, exporter);
    await putEndUseStatementOnFile(ctx, exporter, app.id);

    let a = await transitionApplication(ctx, exporter, app.id, {
      to: 'submitted',
      expectedVersion: app.version,
    });
    expect(a.status).toBe('submitted');
    // 20 working days from Tue 1 Dec 2026 on the DE calendar skip 25 and 26 December: Wed 30 Dec.
    let deadlines = await getCaseDeadlines(ctx, exporter, app.id);
    expect(deadlines).toEqual([
      expect.objectContaining({
        kind: 'processing',
        who: 'authority',
        dueOn: '2026-12-30',
        open: true,
        overdue: false,
      }),
    ]);

    const queue = await listCases(ctx, officer, {
      status: 'submitted',
      destination: 'AE',
      unassigned: 'true',
    });
    expect(queue.items.map((c) => c.id)).toContain(app.id);
    const assigned = await assignCase(ctx, officer, app.id, {
      officerId: world.officer.userId,
      expectedVersion: a.version,
    });
    expect(assigned.assignedOfficerId).toBe(world.officer.userId);
    const mine = await listCases(ctx, officer, { assignedOfficerId: world.officer.userId });
    expect(mine.items.map((c) => c.id)).toEqual([app.id]);

    clock = new Date('2026-12-02T09:00:00Z');
    a = await transitionApplication(ctx, officer, app.id, {
      to: 'in_assessment',
      expectedVersion: assigned.version,
    });
    expect(a.status).toBe('in_assessment');

    const request = await requestInformation(ctx, officer, app.id, {
      questions: [
        'Which units of the Ministry of Interior will operate the system?',
        'Attach the warrant procedure.',
      ],
      workingDays: 10,
      expectedVersion: a.version,
    });
    expect(request).toMatchObject({ status: 'open', dueOn: '2026-12-16', workingDays: 10 });
    a = await getApplication(ctx, exporter, app.id);
    expect(a.status).toBe('information_requested');

    // the exporter cannot send the case back while a request is open: guard information_provided fails
    await expect(
      transitionApplication(ctx, exporter, app.id, { to: 'in_assessment', expectedVersion: a.version }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      issues: [expect.objectContaining({ path: 'guards.information_provided' })],
    });
    // exporter B does not see the request
    await expect(listInformationRequests(ctx, world.exporterB.principal, app.id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });

    const annex = await attachDocument(ctx, exporter, app.id, {
      filename: 'warrants.pdf',
      content: new TextEncoder().encode('%PDF-1.4\n%%EOF'),
    });
    clock = new Date('2026-12-07T09:00:00Z');
    const answered = await answerInformationRequest(ctx, exporter, app.id, request.id, {
      answer: 'The cyber unit of the federal police; warrants are issued by the investigating judge.',
      documentIds: [annex.id],
    });
    expect(answered).toMatchObject({ status: 'answered', documentIds: [annex.id] });
    a = await getApplication(ctx, exporter, app.id);
    expect(a.status).toBe('in_assessment');
    deadlines = await getCaseDeadlines(ctx, officer, app.id);
    expect(deadlines.find((d) => d.kind === 'information_requested')).toMatchObject({
      open: false,
      dueOn: '2026-12-16',
    });
    expect(deadlines.find((d) => d.kind === 'processing')).toMatchObject({ open: true });

    // consultation (Art 16(2)): 10 working days; back only when every consultation is closed
    consultationsClosed = false;
    a = await transitionApplication(
      ctx,
      officer,
      app.id,
      {
        to: 'in_consultation',
        reason: 'A received denial from FR names the same end user.',
        expectedVersion: a.version,
      },
      withFacts,
    );
    expect(a.status).toBe('in_consultation');
    expect(
      (await getCaseDeadlines(ctx, officer, app.id)).find((d) => d.kind === 'in_consultation'),
    ).toMatchObject({
      dueOn: '2026-12-21',
      who: 'consulted_member_state',
      open: true,
    });
    await expect(
      transitionApplication(
        ctx,
        officer,
        app.id,
        { to: 'in_assessment', expectedVersion: a.version },
        withFacts,
      ),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      issues: [expect.objectContaining({ path: 'guards.all_consultations_closed' })],
    });
    consultationsClosed = true;
    a = await transitionApplication(
      ctx,
      officer,
      app.id,
      { to: 'in_assessment', expectedVersion: a.version },
      withFacts,
    );
    expect(a.status).toBe('in_assessment');

    // administrators cannot decide (separation of duties); the exporter cannot either
    const grant = {
      outcome: 'granted_with_conditions' as const,
      legalBasis: [
        { citation: 'Regulation (EU) 2021/821, Art 12(1)(a)', text: 'Individual export authorisation.' },
      ],
      criteria: [
        {
          code: 'CP2',
          title: 'Respect for human rights',
          finding: 'Judicial warrant procedure documented.',
          weighsAgainst: false,
        },
      ],
      rightsEngaged: ['privacy (ICCPR Art 17)'],
      reasons: [
        'The end user operates under judicial authorisation; the answer of 7 December documents the procedure.',
      ],
      conditions: [
        'No re-export without prior written consent of the authority.',
        'Post-shipment verification within 6 months.',
      ],
      evidence: [
        { id: 'EV-7', title: 'Answer to the information request', source: 'Exporter', date: '2026-12-07' },
      ],
      expectedVersion: a.version,
    };
    await expect(
      decideApplication(ctx, world.admin.principal, app.id, grant, withFacts),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(decideApplication(ctx, exporter, app.id, grant, withFacts)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });

    clock = new Date('2026-12-08T10:00:00Z');
    const decision = await decideApplication(ctx, officer, app.id, grant, withFacts);
    expect(decision).toMatchObject({ outcome: 'granted_with_conditions', appealDeadline: '2027-01-07' });
    expect(decision.reference).toMatch(/^CUS-D-2026-\d{6}$/);
    const licence = decision.licence!;
    expect(licence).toMatchObject({
      status: 'active',
      licenceType: 'individual',
      validFrom: '2026-12-08',
      validUntil: '2028-12-07',
      validityVerified: false,
      conditions: grant.conditions,
      lines: [{ lineNo: 1, quantity: 2, valueEur: 1_100_000 }],
    });
    expect(licence.licenceNumber).toMatch(/^CUS-L-2026-\d{6}$/);
    a = await getApplication(ctx, exporter, app.id);
    expect(a.status).toBe('granted_with_conditions');
    expect(a.decidedAt).toBe('2026-12-08T10:00:00.000Z');
    expect((await getCaseDeadlines(ctx, officer, app.id)).every((d) => !d.open)).toBe(true);

    const html = await getDecisionDocument(ctx, exporter, app.id, 'html');
    expect(html.mediaType).toContain('text/html');
    for (const text of [
      'The end user operates under judicial authorisation',
      'No re-export without prior written consent of the authority.',
      'Regulation (EU) 2021/821, Art 12(1)(a)',
      'Rights engaged: privacy (ICCPR Art 17).',
      'Answer to the information request',
      '2028-12-07',
      'Validity period (unverified): Art 12(3)',
    ])
      expect(String(html.content)).toContain(text);
    const pdf = await getDecisionDocument(ctx, officer, app.id, 'pdf');
    expect(
      Buffer.from(pdf.content as Uint8Array)
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    await expect(getDecisionDocument(ctx, world.exporterB.principal, app.id, 'html')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });

    // licence: suspension needs the Member State notification prepared; then reinstated, then revoked
    await expect(
      transitionLicence(ctx, officer, licence.id, {
        to: 'suspended',
        reason: 'Misuse report',
        expectedVersion: licence.version,
      }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      issues: [expect.objectContaining({ path: 'guards.member_states_notified' })],
    });
    await expect(
      transitionLicence(ctx, exporter, licence.id, {
        to: 'suspended',
        reason: 'x',
        memberStatesNotified: true,
        expectedVersion: licence.version,
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    let l = await transitionLicence(ctx, officer, licence.id, {
      to: 'suspended',
      reason: 'Credible report of misuse against journalists.',
      memberStatesNotified: true,
      expectedVersion: licence.version,
    });
    expect(l.status).toBe('suspended');
    l = await transitionLicence(ctx, officer, licence.id, {
      to: 'active',
      reason: 'The report concerned another system.',
      expectedVersion: l.version,
    });
    expect(l.status).toBe('active');
    l = await flagLicenceForReview(ctx, officer, licence.id, {
      reason: 'Re-assessment of the destination asked for a review.',
      expectedVersion: l.version,
    });
    expect(l).toMatchObject({ postLicenceReview: true });
    l = await transitionLicence(ctx, officer, licence.id, {
      to: 'revoked',
      reason: 'Confirmed misuse.',
      memberStatesNotified: true,
      expectedVersion: l.version,
    });
    expect(l.status).toBe('revoked');
    await expect(
      transitionLicence(ctx, officer, licence.id, { to: 'active', reason: 'no', expectedVersion: l.version }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await listLicenceTransitions(ctx, exporter, licence.id)).map((t) => t.toStatus)).toEqual([
      'active',
      'suspended',
      'active',
      'revoked',
    ]);

    const history = await getApplicationTransitions(ctx, exporter, app.id);
    expect(history.history.map((h) => h.toStatus)).toEqual([
      'draft',
      'submitted',
      'in_assessment',
      'information_requested',
      'in_assessment',
      'in_consultation',
      'in_assessment',
      'granted_with_conditions',
    ]);
    expect(history.history.slice(1).every((h) => h.policyVersion === history.policyVersion)).toBe(true);
    expect(history.available).toEqual([]);
    expect(await actions(app.id)).toEqual([
      'application.created',
      'document.attached',
      'application.requirements_recorded',
      'application.submitted',
      'application.assigned',
      'application.denial_check',
      'application.assessment_started',
      'application.information_requested',
      'document.attached',
      'application.information_provided',
      'application.consultation_opened',
      'application.consultation_closed',
      'application.granted_with_conditions',
    ]);
    expect(await actions(licence.id)).toEqual([
      'licence.issued',
      'licence.suspended',
      'licence.reinstated',
      'licence.review_flagged',
      'licence.revoked',
    ]);
    expect(await actions(decision.id)).toEqual(['decision.recorded']);
    expect(await actions(request.id)).toEqual([
      'information_request.created',
      'information_request.answered',
    ]);
  });

  it('another application is denied with a reasoned refusal; an appeal is recorded and resolved', async () => {
    const a = await caseInAssessment();
    clock = new Date('2026-12-10T09:00:00Z');
    const decision = await decideApplication(
      ctx,
      world.officer.principal,
      a.id,
      { ...DENIAL, expectedVersion: a.version },
      withFacts,
    );
    expect(decision).toMatchObject({ outcome: 'denied', licence: null, rightsEngaged: DENIAL.rightsEngaged });
    expect((await getApplication(ctx, world.exporterA.principal, a.id)).status).toBe('denied');
    const html = String((await getDecisionDocument(ctx, world.exporterA.principal, a.id, 'html')).content);
    expect(html).toContain('<strong>Refused</strong>');
    expect(html).toContain(
      'A clear risk that the system would be used for internal repression of journalists.',
    );
    expect(html).toContain('Documented use of interception against journalists by the end user.');
    expect(html).not.toContain('Valid until');
    expect(await actions(a.id)).toContain('application.denied');

    const appeal = await recordAppeal(ctx, world.exporterA.principal, a.id, {
      lodgedOn: '2026-12-20',
      grounds: 'The evidence concerns another agency.',
    });
    expect(appeal).toMatchObject({ status: 'lodged', late: false, deadline: '2027-01-11' });
    await expect(
      recordAppeal(ctx, world.exporterB.principal, a.id, { lodgedOn: '2026-12-20', grounds: 'x' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const late = await recordAppeal(ctx, world.officer.principal, a.id, {
      lodgedOn: '2027-02-01',
      grounds: 'Late appeal.',
    });
    expect(late.late).toBe(true);
    const resolved = await resolveAppeal(ctx, world.officer.principal, a.id, appeal.id, {
      status: 'dismissed',
      note: 'The evidence names the end user.',
      expectedVersion: appeal.version,
    });
    expect(resolved.status).toBe('dismissed');
    expect((await listAppeals(ctx, world.exporterA.principal, a.id)).length).toBe(2);
  });

  it('another application is withdrawn by its exporter, closing the clock', async () => {
    const { app } = await makeApplication(ctx, world.exporterA.principal);
    const s = await transitionApplication(ctx, world.exporterA.principal, app.id, {
      to: 'submitted',
      expectedVersion: app.version,
    });
    const w = await transitionApplication(ctx, world.exporterA.principal, app.id, {
      to: 'withdrawn',
      reason: 'Contract cancelled.',
      expectedVersion: s.version,
    });
    expect(w.status).toBe('withdrawn');
    expect(w.decidedAt).toBeNull();
    expect((await getCaseDeadlines(ctx, world.officer.principal, app.id)).every((d) => !d.open)).toBe(true);
    expect(await actions(app.id)).toEqual([
      'application.created',
      'application.submitted',
      'application.withdrawn',
    ]);
  });
});

describe('refusals change nothing', () => {
  it('wrong role, wrong state, failed guard, missing reason, dedicated endpoint, another exporter', async () => {
    const { app } = await makeApplication(ctx, world.exporterA.principal);
    const before = await actions(app.id);
    // wrong state: a draft cannot go to assessment
    await expect(
      transitionApplication(ctx, world.officer.principal, app.id, {
        to: 'in_assessment',
        expectedVersion: app.version,
      }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('from draft it can go to: submitted, withdrawn'),
    });
    // wrong role: an officer does not submit for the exporter
    await expect(
      transitionApplication(ctx, world.officer.principal, app.id, {
        to: 'submitted',
        expectedVersion: app.version,
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // another exporter does not learn the case exists
    await expect(
      transitionApplication(ctx, world.exporterB.principal, app.id, {
        to: 'submitted',
        expectedVersion: app.version,
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // decisions have their own endpoint
    await expect(
      transitionApplication(ctx, world.officer.principal, app.id, {
        to: 'denied',
        expectedVersion: app.version,
      }),
    ).rejects.toMatchObject({ code: 'INVALID' });
    // stale version
    await expect(
      transitionApplication(ctx, world.exporterA.principal, app.id, {
        to: 'submitted',
        expectedVersion: app.version + 5,
      }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('changed by someone else'),
    });
    expect((await getApplication(ctx, world.exporterA.principal, app.id)).status).toBe('draft');
    expect(await actions(app.id)).toEqual(before);

    const s = await transitionApplication(ctx, world.exporterA.principal, app.id, {
      to: 'submitted',
      expectedVersion: app.version,
    });
    // missing reason for an officer closing an information request is not reachable here; consultation needs one
    const ia = await transitionApplication(ctx, world.officer.principal, app.id, {
      to: 'in_assessment',
      expectedVersion: s.version,
    });
    await expect(
      transitionApplication(ctx, world.officer.principal, app.id, {
        to: 'in_consultation',
        expectedVersion: ia.version,
      }),
    ).rejects.toMatchObject({ code: 'INVALID', issues: [{ path: 'reason', message: 'required' }] });
    // failed guard: no end-use statement on file (the Art 16 denial check ran when the assessment opened)
    await expect(
      decideApplication(ctx, world.officer.principal, app.id, {
        outcome: 'granted',
        legalBasis: [{ citation: 'Art 12(1)(a)', text: 'Individual authorisation.' }],
        reasons: ['No concern.'],
        expectedVersion: ia.version,
      }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      issues: expect.arrayContaining([expect.objectContaining({ path: 'guards.end_use_statement_on_file' })]),
    });
    expect((await getApplication(ctx, world.officer.principal, app.id)).status).toBe('in_assessment');
    expect(
      await ctx.db.selectFrom('decisions').select('id').where('application_id', '=', app.id).execute(),
    ).toEqual([]);
    // the officer exempts the end-use statement (Art 12(4)); an exporter cannot
    await expect(
      recordLicenceRequirements(ctx, world.exporterA.principal, app.id, { endUseStatementExempted: true }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await recordLicenceRequirements(ctx, world.officer.principal, app.id, { endUseStatementExempted: true });
    const d = await decideApplication(
      ctx,
      world.officer.principal,
      app.id,
      {
        outcome: 'granted',
        legalBasis: [{ citation: 'Art 12(1)(a)', text: 'Individual authorisation.' }],
        reasons: ['No concern.'],
        expectedVersion: ia.version,
      },
      withFacts,
    );
    expect(d.licence?.status).toBe('active');
  });

  it('a grant waits until every screening hit on the parties is adjudicated; a refusal does not', async () => {
    const a = await caseInAssessment();
    const [endUser] = await ctx.db
      .selectFrom('application_parties as ap')
      .innerJoin('parties as p', 'p.id', 'ap.party_id')
      .select(['p.id', 'p.name'])
      .where('ap.application_id', '=', a.id)
      .execute();
    const hitId = await seedScreeningHit(ctx, world, endUser!);
    const grant = {
      outcome: 'granted' as const,
      legalBasis: [{ citation: 'Art 12(1)(a)', text: 'Individual authorisation.' }],
      reasons: ['No concern.'],
      expectedVersion: a.version,
    };
    await expect(
      decideApplication(ctx, world.officer.principal, a.id, grant, withFacts),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      issues: expect.arrayContaining([
        expect.objectContaining({ path: 'guards.screening_hits_adjudicated' }),
      ]),
    });
    // waiting for information still blocks; a decided hit does not
    const waiting = await adjudicateHit(ctx, world.officer.principal, hitId, {
      decision: 'needs_information',
      reason: 'Ask the exporter for the registration number.',
      version: 1,
    });
    await expect(
      decideApplication(ctx, world.officer.principal, a.id, grant, withFacts),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect((await getApplication(ctx, world.officer.principal, a.id)).status).toBe('in_assessment');
    await adjudicateHit(ctx, world.officer.principal, hitId, {
      decision: 'false_positive',
      reason: 'Different registration number and address.',
      version: waiting.version,
    });
    const d = await decideApplication(ctx, world.officer.principal, a.id, grant, withFacts);
    expect(d.licence?.status).toBe('active');

    // a refusal is not held back by an open hit
    const b = await caseInAssessment();
    const [otherParty] = await ctx.db
      .selectFrom('application_parties')
      .select('party_id')
      .where('application_id', '=', b.id)
      .execute();
    const party = await ctx.db
      .selectFrom('parties')
      .select(['id', 'name'])
      .where('id', '=', otherParty!.party_id)
      .executeTakeFirstOrThrow();
    await seedScreeningHit(ctx, world, party);
    const denied = await decideApplication(
      ctx,
      world.officer.principal,
      b.id,
      { ...DENIAL, expectedVersion: b.version },
      withFacts,
    );
    expect(denied.outcome).toBe('denied');
  });

  it('a global licence needs an ICP on file; an EUGEA registration needs an eligible destination and item', async () => {
    const { app } = await makeApplication(ctx, world.exporterA.principal, { licenceType: 'global' });
    const s = await transitionApplication(ctx, world.exporterA.principal, app.id, {
      to: 'submitted',
      expectedVersion: app.version,
    });
    const ia = await transitionApplication(ctx, world.officer.principal, app.id, {
      to: 'in_assessment',
      expectedVersion: s.version,
    });
    const grant = {
      outcome: 'granted' as const,
      legalBasis: [{ citation: 'Art 12(1)(b)', text: 'Global authorisation.' }],
      reasons: ['Reliable exporter.'],
      expectedVersion: ia.version,
    };
    await expect(
      decideApplication(ctx, world.officer.principal, app.id, grant, withFacts),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      issues: [expect.objectContaining({ path: 'guards.icp_on_file_or_waived' })],
    });

    const { app: reg } = await makeApplication(ctx, world.exporterA.principal, {
      licenceType: 'eu_general_registration',
    });
    const s2 = await transitionApplication(ctx, world.exporterA.principal, reg.id, {
      to: 'submitted',
      expectedVersion: reg.version,
    });
    const ia2 = await transitionApplication(ctx, world.officer.principal, reg.id, {
      to: 'in_assessment',
      expectedVersion: s2.version,
    });
    await expect(
      decideApplication(
        ctx,
        world.officer.principal,
        reg.id,
        { ...grant, licence: { eugeaId: 'EU001' }, expectedVersion: ia2.version },
        withFacts,
      ),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      issues: expect.arrayContaining([expect.objectContaining({ path: 'eugea.destination_not_covered' })]),
    });
    expect((await getApplication(ctx, world.officer.principal, reg.id)).status).toBe('in_assessment');
  });
});

describe('licence usage, amendments and expiry', () => {
  it('usage reports draw the licence down to exhausted; amendments follow the licence-type rules; expiry runs as system', async () => {
    const a = await caseInAssessment();
    const d = await decideApplication(
      ctx,
      world.officer.principal,
      a.id,
      {
        outcome: 'granted',
        legalBasis: [{ citation: 'Art 12(1)(a)', text: 'Individual authorisation.' }],
        reasons: ['No concern.'],
        licence: { requestedValidUntil: '2027-06-30' },
        expectedVersion: a.version,
      },
      withFacts,
    );
    const lic = d.licence!;
    expect(lic.validUntil).toBe('2027-06-30');
    await expect(
      reportLicenceUsage(ctx, world.exporterA.principal, lic.id, {
        entries: [{ lineNo: 1, quantity: 3, valueEur: 10, shippedOn: '2026-12-20', reference: 'MRN 26DE1' }],
      }),
    ).rejects.toMatchObject({ code: 'INVALID', issues: [expect.objectContaining({ path: 'entries.0' })] });
    await expect(
      reportLicenceUsage(ctx, world.officer.principal, lic.id, {
        entries: [{ lineNo: 1, quantity: 1, valueEur: 10, shippedOn: '2026-12-20', reference: 'MRN 26DE1' }],
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    let usage = await reportLicenceUsage(ctx, world.exporterA.principal, lic.id, {
      entries: [
        { lineNo: 1, quantity: 1, valueEur: 500_000, shippedOn: '2026-12-20', reference: 'MRN 26DE1' },
      ],
    });
    expect(usage).toMatchObject({
      status: 'active',
      exhausted: false,
      lines: [expect.objectContaining({ remainingQuantity: 1 })],
    });

    const ext = await amendLicence(ctx, world.officer.principal, lic.id, {
      kind: 'extend_validity',
      newValidUntil: '2027-12-31',
      reason: 'Delivery delayed.',
      expectedVersion: (await getLicence(ctx, world.officer.principal, lic.id)).version,
    });
    expect(ext.licence.validUntil).toBe('2027-12-31');
    expect(ext.amendment.effect).toBe('reassess');
    await expect(
      amendLicence(ctx, world.officer.principal, lic.id, {
        kind: 'change_end_user',
        reason: 'New customer.',
        expectedVersion: ext.licence.version,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('new application') });

    usage = await reportLicenceUsage(ctx, world.exporterA.principal, lic.id, {
      entries: [
        { lineNo: 1, quantity: 1, valueEur: 500_000, shippedOn: '2027-01-15', reference: 'MRN 27DE2' },
      ],
    });
    expect(usage).toMatchObject({ status: 'exhausted', exhausted: true });
    expect(await actions(lic.id)).toEqual([
      'licence.issued',
      'licence.usage_reported',
      'licence.amended',
      'licence.usage_reported',
      'licence.exhausted',
    ]);
    expect((await getLicenceUsage(ctx, world.exporterA.principal, lic.id)).reports).toBe(2);

    // expiry: another licence, valid to 2027-01-31, expires when the job runs after that date
    const b = await caseInAssessment();
    const d2 = await decideApplication(
      ctx,
      world.officer.principal,
      b.id,
      {
        outcome: 'granted',
        legalBasis: [{ citation: 'Art 12(1)(a)', text: 'Individual authorisation.' }],
        reasons: ['No concern.'],
        licence: { requestedValidUntil: '2027-01-31' },
        expectedVersion: b.version,
      },
      withFacts,
    );
    clock = new Date('2027-01-31T12:00:00Z');
    expect((await expireLicences(ctx)).expired).not.toContain(d2.licence!.id);
    clock = new Date('2027-02-01T06:00:00Z');
    expect((await expireLicences(ctx)).expired).toContain(d2.licence!.id);
    expect((await getLicence(ctx, world.exporterA.principal, d2.licence!.id)).status).toBe('expired');
    const own = await listLicences(ctx, world.exporterA.principal, {});
    expect(own.items.every((x) => x.organisationId === world.exporterA.organisationId)).toBe(true);
    expect((await listLicences(ctx, world.exporterB.principal, {})).items).toEqual([]);
    await expect(getLicence(ctx, world.exporterB.principal, lic.id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('SLA figures over the decided and open cases', async () => {
    const sla = await computeCaseSla(ctx, world.officer.principal, { asOf: '2027-02-01' });
    expect(sla.decidedCount).toBeGreaterThanOrEqual(5);
    expect(sla.withdrawnCount).toBeGreaterThanOrEqual(1);
    expect(sla.withinTargets[0]).toMatchObject({ workingDays: 20 });
    expect(sla.method).toMatch(/working days/i);
    await expect(computeCaseSla(ctx, world.exporterA.principal, {})).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const overdue = await listCases(ctx, world.officer.principal, { overdue: 'true' });
    expect(overdue.items.every((c) => c.overdue)).toBe(true);
  });
});

describe("the case's particulars (names behind its ids)", () => {
  it('names the exporter, the assigned officer, each item and party, for staff only', async () => {
    const { app, item, consignee, endUser } = await makeApplication(ctx, world.exporterA.principal);
    const c = await getCaseParticulars(ctx, world.officer.principal, app.id);
    expect(c.exporter).toEqual({
      id: world.exporterA.organisationId,
      name: expect.stringContaining('Alpha'),
      country: 'DE',
    });
    expect(c.assignedOfficer).toBeNull();
    expect(c.items.get(item.id)).toEqual({
      name: 'Tactical cellular interception system',
      itemForm: 'hardware',
      publicDescription: 'Mobile network interception equipment',
    });
    expect([...c.parties.keys()].sort()).toEqual([consignee.id, endUser.id].sort());
    expect(c.parties.get(endUser.id)).toEqual({
      name: 'Ministry of Interior',
      country: 'AE',
      partyType: 'police',
    });
    // Exporters (even the owner) and the public are refused; an unknown application is not found.
    await expect(getCaseParticulars(ctx, world.exporterA.principal, app.id)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(getCaseParticulars(ctx, world.exporterB.principal, app.id)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(getCaseParticulars(ctx, PUBLIC, app.id)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(
      getCaseParticulars(ctx, world.officer.principal, '00000000-0000-4000-8000-000000000000'),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
