/** Due diligence, ICP self-assessment and Art 27 record keeping (retention, export of one exporter) on a real database. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceContext, type ServiceContext } from '../../src/services/context.ts';
import {
  dueDiligenceGuardFacts,
  getDueDiligence,
  getDueDiligenceQuestionnaire,
  getIcpDefinition,
  getIcpSelfAssessment,
  saveDueDiligence,
  saveIcpSelfAssessment,
  summariseDueDiligence,
} from '../../src/services/due-diligence.service.ts';
import { applyRetention, exportOrganisationRecords } from '../../src/services/records.service.ts';
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
  world = await makeWorld(ctx, 'dd');
});
afterAll(async () => {
  await database.close();
});

/** A full, benign answer set built from the questionnaire itself (so it follows policy changes). */
function completeAnswers(): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const s of getDueDiligenceQuestionnaire().sections)
    for (const q of s.questions)
      answers[q.id] =
        q.type === 'yes_no'
          ? false
          : q.type === 'text'
            ? 'Documented in the file.'
            : q.type === 'choice'
              ? q.options![0]
              : q.type === 'list'
                ? ['licence keys']
                : '2026-02-20';
  return { ...answers, end_use_plausible: true, legal_framework_safeguards: 'adequate' };
}

describe('due diligence per application', () => {
  it('keeps an incomplete record with its gaps and red flags, visible to its exporter and officers only', async () => {
    const { app } = await makeApplication(ctx, world.exporterA.principal);
    const facts = () => ctx.db.transaction().execute((trx) => dueDiligenceGuardFacts(ctx, trx, app.id));
    expect(await facts()).toMatchObject({ due_diligence_on_file: false, due_diligence_complete: false });
    const saved = await saveDueDiligence(ctx, world.exporterA.principal, app.id, {
      answers: { marketing_stresses_covert: true, listed_in_annex_i: true },
    });
    expect(saved.record!.assessment.complete).toBe(false);
    expect(saved.record!.assessment.redFlags.map((f) => f.id)).toContain('covert_capabilities_marketing');
    expect(
      saved
        .record!.assessment.sections.find((s) => s.id === 'classification')!
        .missing.map((m) => m.questionId),
    ).toContain('control_entries');
    await expect(getDueDiligence(ctx, world.exporterB.principal, app.id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      saveDueDiligence(ctx, world.exporterB.principal, app.id, { answers: {} }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      saveDueDiligence(ctx, world.officer.principal, app.id, { answers: {}, version: 1 }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await getDueDiligence(ctx, world.officer.principal, app.id)).record!.version).toBe(1);

    // Bad input changes nothing.
    await expect(
      saveDueDiligence(ctx, world.exporterA.principal, app.id, {
        answers: { no_such_question: true },
        version: 1,
      }),
    ).rejects.toMatchObject({ code: 'INVALID' });
    await expect(
      saveDueDiligence(ctx, world.exporterA.principal, app.id, {
        answers: { scale: 'galactic' },
        version: 1,
      }),
    ).rejects.toMatchObject({ code: 'INVALID' });
    await expect(
      saveDueDiligence(ctx, world.exporterA.principal, app.id, { answers: completeAnswers() }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await getDueDiligence(ctx, world.exporterA.principal, app.id)).record!.version).toBe(1);

    const complete = await saveDueDiligence(ctx, world.exporterA.principal, app.id, {
      answers: completeAnswers(),
      version: 1,
    });
    expect(complete.record!.assessment.complete).toBe(true);
    expect(complete.record!.assessment.redFlags).toEqual([]);
    expect(await facts()).toEqual({
      due_diligence_on_file: true,
      due_diligence_complete: true,
      due_diligence_red_flags_absent: true,
      icp_on_file: false,
    });
  });

  it('scores the ICP self-assessment on the seven elements and feeds the officer summary', async () => {
    const def = getIcpDefinition();
    const answers = Object.fromEntries(
      def.elements.flatMap((e) =>
        e.questions.map((q) => [q.id, e.id === 'training' ? 'no' : 'yes'] as const),
      ),
    );
    await expect(
      saveIcpSelfAssessment(ctx, world.exporterB.principal, world.exporterA.organisationId, { answers }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      saveIcpSelfAssessment(ctx, world.exporterA.principal, world.exporterA.organisationId, {
        answers: { bogus: 'yes' },
      }),
    ).rejects.toMatchObject({ code: 'INVALID' });
    const icp = await saveIcpSelfAssessment(ctx, world.exporterA.principal, world.exporterA.organisationId, {
      answers,
    });
    expect(icp.selfAssessment!.assessment.elementsBelowThreshold).toEqual(['training']);
    expect(icp.selfAssessment!.assessment.complete).toBe(true);
    await expect(
      getIcpSelfAssessment(ctx, world.exporterB.principal, world.exporterA.organisationId),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const { app } = await makeApplication(ctx, world.exporterA.principal);
    await saveDueDiligence(ctx, world.exporterA.principal, app.id, {
      answers: { ...completeAnswers(), past_misuse_found: true, past_misuse_sources: ['Citizen Lab 2025'] },
    });
    const s = await ctx.db.transaction().execute((trx) => summariseDueDiligence(ctx, trx, app.id));
    expect(s.dueDiligence!.redFlags.map((f) => f.id)).toEqual(['prior_misuse']);
    expect(s.icp!.elementsBelowThreshold).toEqual(['training']);
    expect(s.reasons.join(' ')).toMatch(/Red flag prior_misuse/);
  });
});

describe('record keeping (Art 27)', () => {
  it('exports every record of one exporter and nothing of another', async () => {
    const { app } = await makeApplication(ctx, world.exporterA.principal);
    const { app: other } = await makeApplication(ctx, world.exporterB.principal);
    const bundle = await exportOrganisationRecords(
      ctx,
      world.exporterA.principal,
      world.exporterA.organisationId,
    );
    const apps = bundle.applications as { id: string; lines: unknown[] }[];
    expect(apps.map((a) => a.id)).toContain(app.id);
    expect(apps.map((a) => a.id)).not.toContain(other.id);
    expect(apps.find((a) => a.id === app.id)!.lines).toHaveLength(1);
    expect((bundle.dueDiligence as unknown[]).length).toBeGreaterThanOrEqual(2);
    expect(bundle.icpSelfAssessment).not.toBeNull();
    const events = bundle.auditEvents as { action: string; entityId: string }[];
    expect(events.some((e) => e.entityId === app.id && e.action.startsWith('application.'))).toBe(true);
    expect(bundle.checksum).toMatchObject({ algorithm: 'sha256' });
    expect(JSON.stringify(bundle)).not.toContain(other.id);
    await expect(
      exportOrganisationRecords(ctx, world.exporterB.principal, world.exporterA.organisationId),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const staff = await exportOrganisationRecords(
      ctx,
      world.officer.principal,
      world.exporterA.organisationId,
    );
    expect(staff.exportedFor).toBe('authority');
  });

  it('lists records past retention on a dry run, purges them when asked, and audits both', async () => {
    const { app: old } = await makeApplication(ctx, world.exporterB.principal);
    const { app: recent } = await makeApplication(ctx, world.exporterB.principal);
    await ctx.db
      .updateTable('applications')
      .set({ status: 'denied', decided_at: '2020-06-30T10:00:00Z' })
      .where('id', '=', old.id)
      .execute();
    await ctx.db
      .updateTable('applications')
      .set({ status: 'denied', decided_at: '2021-01-04T10:00:00Z' })
      .where('id', '=', recent.id)
      .execute();
    await ctx.db
      .insertInto('due_diligence_records')
      .values({
        id: ctx.newId(),
        application_id: old.id,
        organisation_id: world.exporterB.organisationId,
        answers: '{}',
        questionnaire_version: 'x',
        updated_by: 'test',
      })
      .execute();

    await expect(applyRetention(ctx, world.officer.principal, {})).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    // As of 2 March 2026: 2020 + 5 = kept until 31 Dec 2025 -> past; 2021 -> kept until 31 Dec 2026.
    const dry = await applyRetention(ctx, world.admin.principal, {});
    expect(dry.dryRun).toBe(true);
    expect(dry.candidates.map((c) => c.id)).toEqual([old.id]);
    expect(dry.candidates[0]!.keepUntil).toBe('2025-12-31');
    expect(
      await ctx.db.selectFrom('applications').select('id').where('id', '=', old.id).executeTakeFirst(),
    ).toBeDefined();

    const longer = await applyRetention(ctx, world.admin.principal, { years: 10 });
    expect(longer.candidates).toEqual([]);

    const purge = await applyRetention(ctx, world.admin.principal, { dryRun: false });
    expect(purge.purged.applications).toBe(1);
    expect(
      await ctx.db.selectFrom('applications').select('id').where('id', '=', old.id).executeTakeFirst(),
    ).toBeUndefined();
    expect(
      await ctx.db
        .selectFrom('due_diligence_records')
        .select('id')
        .where('application_id', '=', old.id)
        .executeTakeFirst(),
    ).toBeUndefined();
    expect(
      await ctx.db.selectFrom('applications').select('id').where('id', '=', recent.id).executeTakeFirst(),
    ).toBeDefined();
    const audit = await ctx.db
      .selectFrom('audit_events')
      .select(['action', 'payload'])
      .where('action', 'in', ['records.retention_listed', 'records.purged'])
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'records.retention_listed',
      'records.retention_listed',
      'records.purged',
    ]);
    expect(JSON.stringify(audit[2]!.payload)).toContain(old.id);
  });

  it('purges a denied application with its decision, appeal and stored assessments (no foreign key left behind)', async () => {
    const { app } = await makeApplication(ctx, world.exporterB.principal);
    await ctx.db
      .updateTable('applications')
      .set({ status: 'denied', decided_at: '2019-05-02T10:00:00Z' })
      .where('id', '=', app.id)
      .execute();
    const decisionId = ctx.newId();
    await ctx.db
      .insertInto('decisions')
      .values({
        id: decisionId,
        application_id: app.id,
        outcome: 'denied',
        reasons: 'Art 15.',
        decided_at: '2019-05-02T10:00:00Z',
      })
      .execute();
    await ctx.db
      .insertInto('appeals')
      .values({
        id: ctx.newId(),
        decision_id: decisionId,
        application_id: app.id,
        lodged_on: '2019-05-20',
        grounds: 'Disagree.',
        status: 'dismissed',
        created_at: '2019-05-20T10:00:00Z',
        updated_at: '2019-06-20T10:00:00Z',
      })
      .execute();
    const assessmentId = ctx.newId();
    await ctx.db
      .insertInto('assessments')
      .values({
        id: assessmentId,
        application_id: app.id,
        revision: 1,
        origin: 'run',
        recommendation: 'deny',
        confidence01: '0.8',
        model_version: 'm',
        reference_version: 'r',
        input_hash: 'h',
        input_snapshot: '{}',
        result: '{}',
        created_by: 'test',
      })
      .execute();
    await ctx.db
      .insertInto('reassessment_proposals')
      .values({
        id: ctx.newId(),
        assessment_id: assessmentId,
        application_id: app.id,
        action: 'review',
        previous_recommendation: 'deny',
        current_recommendation: 'deny',
      })
      .execute();

    const purge = await applyRetention(ctx, world.admin.principal, { dryRun: false });
    expect(purge.candidates.map((c) => c.id)).toContain(app.id);
    expect(purge.purged.applications).toBe(
      purge.candidates.filter((c) => c.recordType === 'application').length,
    );
    for (const table of ['appeals', 'assessments', 'reassessment_proposals', 'decisions'] as const)
      expect(
        await ctx.db.selectFrom(table).select('id').where('application_id', '=', app.id).executeTakeFirst(),
      ).toBeUndefined();
    expect(
      await ctx.db.selectFrom('applications').select('id').where('id', '=', app.id).executeTakeFirst(),
    ).toBeUndefined();
  });
});
