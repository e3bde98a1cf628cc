/** Stored assessments on a real database: run, history, safeguard edits, memos, re-assessment proposals. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitApplication } from '../../src/services/applications.service.ts';
import {
  editAssessmentSafeguard,
  listApplicationAssessments,
  closeReassessmentProposal,
  listReassessmentProposals,
  renderStoredAssessmentMemo,
  requestReassessment,
  runApplicationAssessment,
  runReassessment,
} from '../../src/services/assessments.service.ts';
import { verifyAuditLog } from '../../src/services/audit.service.ts';
import { actorOf } from '../../src/services/authorization.ts';
import { createServiceContext, type ServiceContext } from '../../src/services/context.ts';
import { recordEvidence, REASSESS_QUEUE } from '../../src/services/evidence.service.ts';
import { makeApplication, makeWorld, type World } from '../factories/world.ts';
import { testConfig } from '../support/config.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
let ctx: ServiceContext;
let world: World;

const RUN = {
  capabilities: { '1': ['imsi_catcher', 'interception_content', 'location_tracking'] },
  dueDiligence: { completeness01: 0.9, endUseStatement: true, noReExportUndertaking: true },
};

async function submitted() {
  const { app, item } = await makeApplication(ctx, world.exporterA.principal);
  // As the classification service stores it (summariseClassification): a listed Art. 2(20) item.
  await ctx.db
    .updateTable('items')
    .set({
      classification: JSON.stringify({
        matchedEntries: ['5A001.f.1'],
        cyberSurveillance: true,
        profileFlags: [],
      }),
    })
    .where('id', '=', item.id)
    .execute();
  return submitApplication(ctx, world.exporterA.principal, app.id, { version: app.version });
}

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = createServiceContext(database.db, testConfig());
  world = await makeWorld(ctx, 'sa');
});
afterAll(async () => database.close());

describe('stored assessments', () => {
  it('runs for a submitted application and stores it with its versions and hash; staff only; not drafts', async () => {
    const { app: draft } = await makeApplication(ctx, world.exporterA.principal);
    await expect(runApplicationAssessment(ctx, world.officer.principal, draft.id, RUN)).rejects.toMatchObject(
      {
        code: 'CONFLICT',
      },
    );
    const app = await submitted();
    await expect(runApplicationAssessment(ctx, world.exporterA.principal, app.id, RUN)).rejects.toMatchObject(
      { code: 'FORBIDDEN' },
    );
    await expect(
      runApplicationAssessment(ctx, world.officer.principal, app.id, { memberState: 'XX' }),
    ).rejects.toMatchObject({ code: 'INVALID' });
    const first = await runApplicationAssessment(ctx, world.officer.principal, app.reference, RUN);
    expect(first).toMatchObject({ revision: 1, origin: 'run', applicationId: app.id });
    expect(first.modelVersion).toBe(first.assessment.modelVersion);
    expect(first.inputHash).toMatch(/^sha256:/);
    expect(first.assessment.inputSnapshot.items[0]!.capabilities).toContain('imsi_catcher');
    expect(first.assessment.inputSnapshot.parties.map((p) => p.role).sort()).toEqual([
      'consignee',
      'end_user',
    ]);
    const again = await runApplicationAssessment(ctx, world.officer.principal, app.id, RUN);
    expect(again.revision).toBe(2);
    expect(again.inputHash).toBe(first.inputHash); // same input, same hash
    expect(again.assessment.recommendation).toBe(first.assessment.recommendation);
    const history = await listApplicationAssessments(ctx, world.officer.principal, app.id);
    expect(history.map((h) => h.revision)).toEqual([2, 1]);
    await expect(listApplicationAssessments(ctx, world.exporterA.principal, app.id)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('edits a safeguard answer: validated, audited, findings recomputed into a new revision', async () => {
    const app = await submitted();
    const r1 = await runApplicationAssessment(ctx, world.officer.principal, app.id, RUN);
    await expect(
      editAssessmentSafeguard(ctx, world.officer.principal, r1.id, {
        criterion: 'independent_oversight',
        value: 'false',
        source: null,
      }),
    ).rejects.toMatchObject({ code: 'INVALID' });
    expect((await listApplicationAssessments(ctx, world.officer.principal, app.id)).length).toBe(1);
    const r2 = await editAssessmentSafeguard(ctx, world.officer.principal, r1.id, {
      criterion: 'independent_oversight',
      value: 'false',
      source: 'Synthetic test source: national oversight report 2025',
    });
    expect(r2).toMatchObject({ revision: 2, origin: 'safeguard_edit' });
    expect(r2.safeguardEdits).toHaveLength(1);
    expect(r2.safeguardEdits[0]).toMatchObject({
      criterion: 'independent_oversight',
      from: { value: 'unknown' },
      to: { value: 'false' },
    });
    expect(r2.inputHash).not.toBe(r1.inputHash);
    const answer = r2.assessment.inputSnapshot.countryProfile!.safeguards.find(
      (s) => s.criterion === 'independent_oversight',
    );
    expect(answer?.value).toBe('false');
    expect(r2.assessment.unknowns.length).toBeLessThan(r1.assessment.unknowns.length);
    await expect(
      editAssessmentSafeguard(ctx, world.officer.principal, r1.id, {
        criterion: 'effective_remedy',
        value: 'unknown',
        source: null,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    const audit = await ctx.db
      .selectFrom('audit_events')
      .select(['action', 'payload'])
      .where('entity_id', '=', app.id)
      .where('action', 'like', 'assessment.%')
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['assessment.stored', 'assessment.safeguard_edited']);
    expect((await verifyAuditLog(ctx.db)).ok).toBe(true);
  });

  it('renders the memo as HTML and PDF, marking unverified measures and case law', async () => {
    const app = await submitted();
    const r = await runApplicationAssessment(ctx, world.officer.principal, app.id, RUN);
    const caseLaw = r.assessment.rights.flatMap((f) => f.standards).filter((s) => s.kind === 'case_law');
    expect(caseLaw.length).toBeGreaterThan(0);
    expect(caseLaw.every((s) => s.verified === false)).toBe(true);
    expect(r.assessment.unverifiedRules.length).toBeGreaterThan(0);
    const html = await renderStoredAssessmentMemo(ctx, world.officer.principal, r.id, 'html');
    expect(html.body as string).toContain(app.reference);
    expect((html.body as string).toLowerCase()).toContain('unverified');
    const pdf = await renderStoredAssessmentMemo(ctx, world.officer.principal, r.id, 'pdf');
    expect(pdf.contentType).toBe('application/pdf');
    expect(
      Buffer.from(pdf.body as Uint8Array)
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const pdf2 = await renderStoredAssessmentMemo(ctx, world.officer.principal, r.id, 'pdf');
    expect(Buffer.from(pdf2.body as Uint8Array).equals(Buffer.from(pdf.body as Uint8Array))).toBe(true);
    await expect(
      renderStoredAssessmentMemo(ctx, world.exporterA.principal, r.id, 'pdf'),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('proposes re-assessment with reasons when linked evidence is accepted; unaffected cases get none', async () => {
    const app = await submitted();
    const stored = await runApplicationAssessment(ctx, world.officer.principal, app.id, RUN);
    const ev = await recordEvidence(ctx, world.officer.principal, {
      title: 'Forensic report: interception used against activists by the Ministry of Interior (synthetic)',
      summary: 'Synthetic test record.',
      evidenceType: 'forensic_report',
      countries: ['AE'],
      endUsers: ['Ministry of Interior'],
      itemTypes: ['imsi_catcher'],
      rights: [7, 8, 11],
      reliability: 'high',
    });
    const job = await ctx.db
      .selectFrom('jobs')
      .select('payload')
      .where('queue', '=', REASSESS_QUEUE)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const report = await runReassessment(ctx, job.payload);
    const mine = report.proposals.find((p) => p.applicationId === app.id);
    expect(mine).toBeDefined();
    expect(mine!.reasons.join(' ')).toContain(`registry:${ev.id}`);
    const proposals = await listReassessmentProposals(ctx, world.officer.principal, app.id);
    expect(proposals[0]).toMatchObject({ assessmentId: stored.id, action: expect.any(String) });
    expect(['review', 'propose_suspension', 'propose_revocation']).toContain(proposals[0]!.action);
    // a change concerning another country touches nothing
    const none = await runReassessment(ctx, { kind: 'indicator', countries: ['IS'], names: [] });
    expect(none.affected).toBe(0);
    expect(none.proposals).toEqual([]);
    await expect(
      requestReassessment(ctx, world.officer.principal, {
        kind: 'indicator',
        countries: ['QQ'],
        reason: 'x',
      }),
    ).rejects.toMatchObject({ code: 'INVALID' });
    const req = await requestReassessment(ctx, world.officer.principal, {
      kind: 'indicator',
      countries: ['AE'],
      reason: 'Country profile updated',
    });
    expect(req.jobId).not.toBeNull();
    const jobsBefore = await ctx.db
      .selectFrom('jobs')
      .select('id')
      .where('queue', '=', REASSESS_QUEUE)
      .execute();
    await expect(
      requestReassessment(ctx, world.officer.principal, { kind: 'evidence', reason: 'nothing named' }),
    ).rejects.toMatchObject({ code: 'INVALID' });
    await expect(
      requestReassessment(ctx, world.exporterA.principal, {
        kind: 'indicator',
        countries: ['AE'],
        reason: 'Country profile updated',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(
      await ctx.db.selectFrom('jobs').select('id').where('queue', '=', REASSESS_QUEUE).execute(),
    ).toHaveLength(jobsBefore.length);
  });

  it('closes a proposal once, with the outcome and the reasons, audited; a closed one stays on record', async () => {
    const app = await submitted();
    await runApplicationAssessment(ctx, world.officer.principal, app.id, RUN);
    await recordEvidence(ctx, world.officer.principal, {
      title: 'Interception used against journalists by the State Security Service (synthetic)',
      summary: 'Synthetic test record.',
      evidenceType: 'ngo_report',
      countries: ['AE'],
      endUsers: ['State Security Service'],
      itemTypes: ['imsi_catcher'],
      rights: [7, 11],
      reliability: 'medium',
    });
    const job = await ctx.db
      .selectFrom('jobs')
      .select('payload')
      .where('queue', '=', REASSESS_QUEUE)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    await runReassessment(ctx, job.payload);
    const [open] = await listReassessmentProposals(ctx, world.officer.principal, app.id);
    expect(open).toMatchObject({ status: 'open', closure: null, closedAt: null });

    await expect(
      closeReassessmentProposal(ctx, world.officer.principal, open!.id, { closure: 'ignored', note: 'x' }),
    ).rejects.toMatchObject({ code: 'INVALID' });
    await expect(
      closeReassessmentProposal(ctx, world.exporterA.principal, open!.id, {
        closure: 'dismissed',
        note: 'Not mine to close',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      closeReassessmentProposal(ctx, world.officer.principal, '00000000-0000-4000-8000-000000000000', {
        closure: 'dismissed',
        note: 'No such proposal',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await listReassessmentProposals(ctx, world.officer.principal, app.id))[0]!.status).toBe('open');

    const closed = await closeReassessmentProposal(ctx, world.officer.principal, open!.id, {
      closure: 'dismissed',
      note: 'The new report concerns a unit that is not the end user of this application.',
    });
    expect(closed).toMatchObject({
      id: open!.id,
      status: 'closed',
      closure: 'dismissed',
      closureNote: 'The new report concerns a unit that is not the end user of this application.',
      closedBy: actorOf(world.officer.principal),
    });
    expect(closed.closedAt).not.toBeNull();
    await expect(
      closeReassessmentProposal(ctx, world.officer.principal, open!.id, {
        closure: 'actioned',
        note: 'Again',
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(
      (await listReassessmentProposals(ctx, world.officer.principal, app.id)).map((p) => p.id),
    ).not.toContain(open!.id);
    const history = await listReassessmentProposals(ctx, world.officer.principal, app.id, 'closed');
    expect(history.find((p) => p.id === open!.id)).toMatchObject({ closure: 'dismissed' });
    const audit = await ctx.db
      .selectFrom('audit_events')
      .select(['payload'])
      .where('action', '=', 'assessment.reassessment_proposal_closed')
      .execute();
    expect(audit.map((a) => (a.payload as { proposalId: string }).proposalId)).toEqual([open!.id]);
  });
});
