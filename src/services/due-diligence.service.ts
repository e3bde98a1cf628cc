/**
 * Exporter due diligence per application (Rec. 2024/2659, UNGPs: policy/workflow/due-diligence.yaml) and the
 * organisation's ICP self-assessment (Rec. 2019/1318: policy/workflow/icp-self-assessment.yaml). Completeness and red
 * flags are shown to officers and to the owning exporter only; other exporters get NOT_FOUND.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import { conflict, DomainError, notFound, staleVersion } from '../domain/errors.ts';
import { DECIDED_STATUSES, type Principal } from '../domain/model.ts';
import { ICP_ANSWERS, assessDueDiligence, assessIcp } from '../engines/workflow/index.ts';
import { appendAudit } from './audit.service.ts';
import { actorOf, assertCanReadOrganisation, assertExporterOf } from './authorization.ts';
import { dueDiligenceQuestionnaire, icpDefinition } from './compliance-policy.ts';
import type { ServiceContext, Tx } from './context.ts';
import { parseInput } from './validation.ts';

type DbLike = ServiceContext['db'] | Tx;

/** Once an application is decided or withdrawn its due-diligence record is closed: it may change until then. */
export const isDueDiligenceClosed = (status: string): boolean =>
  (DECIDED_STATUSES as readonly string[]).includes(status) || status === 'withdrawn';

export const DueDiligenceSaveInput = z.strictObject({
  answers: z.record(z.string().regex(/^[a-z0-9_]+$/), z.unknown()),
  /** The record's version when it exists (optimistic concurrency); omit to create. */
  version: z.number().int().positive().optional(),
});

export const IcpSaveInput = z.strictObject({
  answers: z.record(z.string().regex(/^[a-z_]+$/), z.enum(ICP_ANSWERS)),
  version: z.number().int().positive().optional(),
});

/** The questionnaire the portal renders (policy data, public). */
export function getDueDiligenceQuestionnaire() {
  return dueDiligenceQuestionnaire();
}

export function getIcpDefinition() {
  return icpDefinition();
}

async function loadRecord(db: DbLike, applicationId: string) {
  const record = await db
    .selectFrom('due_diligence_records')
    .selectAll()
    .where('application_id', '=', applicationId)
    .executeTakeFirst();
  if (!record) return null;
  const assessment = assessDueDiligence(dueDiligenceQuestionnaire(), {
    id: record.id,
    applicationId,
    answers: record.answers,
  });
  return {
    id: record.id,
    applicationId,
    organisationId: record.organisation_id,
    answers: record.answers,
    questionnaireVersion: record.questionnaire_version,
    updatedBy: record.updated_by,
    updatedAt: new Date(record.updated_at).toISOString(),
    version: record.version,
    assessment,
  };
}

/** Read an application's due-diligence record with completeness and red flags (null record when none yet). */
export async function getDueDiligence(ctx: ServiceContext, actor: Principal, applicationId: string) {
  const app = await ctx.db
    .selectFrom('applications')
    .select(['organisation_id'])
    .where('id', '=', applicationId)
    .executeTakeFirst();
  if (!app) throw notFound('Application');
  assertCanReadOrganisation(actor, app.organisation_id, 'Application');
  return { applicationId, record: await loadRecord(ctx.db, applicationId) };
}

/**
 * The exporter saves its answers (whole record each time). Unknown question ids are refused; incomplete records are
 * kept (completeness is reported, not enforced here). Decided or withdrawn applications are closed to changes.
 */
export async function saveDueDiligence(
  ctx: ServiceContext,
  actor: Principal,
  applicationId: string,
  input: z.input<typeof DueDiligenceSaveInput>,
) {
  const data = parseInput(DueDiligenceSaveInput, input, 'The due-diligence record');
  const questionnaire = dueDiligenceQuestionnaire();
  await ctx.db.transaction().execute(async (trx) => {
    const app = await trx
      .selectFrom('applications')
      .select(['organisation_id', 'status'])
      .where('id', '=', applicationId)
      .executeTakeFirst();
    if (!app) throw notFound('Application');
    assertExporterOf(actor, app.organisation_id, 'due-diligence record');
    if (isDueDiligenceClosed(app.status))
      throw conflict(`The application is ${app.status}: its due-diligence record is closed.`);
    const check = assessDueDiligence(questionnaire, { id: 'check', applicationId, answers: data.answers });
    if (check.unknownAnswers.length > 0)
      throw invalidAnswers(
        check.unknownAnswers.map((k) => ({ path: `answers.${k}`, message: 'unknown question' })),
      );
    const bad = check.sections.flatMap((s) =>
      s.invalid.map((i) => ({ path: `answers.${i.questionId}`, message: i.message })),
    );
    if (bad.length > 0) throw invalidAnswers(bad);
    const existing = await trx
      .selectFrom('due_diligence_records')
      .select(['id', 'version'])
      .where('application_id', '=', applicationId)
      .forUpdate()
      .executeTakeFirst();
    let id: string;
    if (existing) {
      if (existing.version !== data.version)
        throw staleVersion('due-diligence record', existing.version, data.version);
      id = existing.id;
      await trx
        .updateTable('due_diligence_records')
        .set({
          answers: JSON.stringify(data.answers),
          questionnaire_version: questionnaire.version,
          updated_by: actorOf(actor),
          updated_at: ctx.now(),
          version: sql`version + 1`,
        })
        .where('id', '=', id)
        .execute();
    } else {
      if (data.version !== undefined) throw staleVersion('due-diligence record', undefined, data.version);
      id = ctx.newId();
      await trx
        .insertInto('due_diligence_records')
        .values({
          id,
          application_id: applicationId,
          organisation_id: app.organisation_id,
          answers: JSON.stringify(data.answers),
          questionnaire_version: questionnaire.version,
          updated_by: actorOf(actor),
        })
        .execute();
    }
    await appendAudit(ctx, trx, actor, {
      action: 'due_diligence.saved',
      entityType: 'application',
      entityId: applicationId,
      payload: { recordId: id, complete: check.complete, redFlags: check.redFlags.map((f) => f.id) },
    });
  });
  return getDueDiligence(ctx, actor, applicationId);
}

function invalidAnswers(issues: { path: string; message: string }[]): DomainError {
  return new DomainError(
    'INVALID',
    `The answers are invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    { issues },
  );
}

async function loadIcp(db: DbLike, organisationId: string) {
  const row = await db
    .selectFrom('icp_self_assessments')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    organisationId,
    answers: row.answers,
    definitionVersion: row.definition_version,
    updatedBy: row.updated_by,
    updatedAt: new Date(row.updated_at).toISOString(),
    version: row.version,
    assessment: assessIcp(icpDefinition(), row.answers as Record<string, (typeof ICP_ANSWERS)[number]>),
  };
}

/** Read an organisation's ICP self-assessment with per-element scores and gaps (null when none yet). */
export async function getIcpSelfAssessment(ctx: ServiceContext, actor: Principal, organisationId: string) {
  assertCanReadOrganisation(actor, organisationId, 'Organisation');
  const org = await ctx.db
    .selectFrom('organisations')
    .select('kind')
    .where('id', '=', organisationId)
    .executeTakeFirst();
  if (!org) throw notFound('Organisation');
  return { organisationId, selfAssessment: await loadIcp(ctx.db, organisationId) };
}

/** The exporter saves its ICP self-assessment (answers yes, partly, no, not_applicable per question). */
export async function saveIcpSelfAssessment(
  ctx: ServiceContext,
  actor: Principal,
  organisationId: string,
  input: z.input<typeof IcpSaveInput>,
) {
  const data = parseInput(IcpSaveInput, input, 'The ICP self-assessment');
  const definition = icpDefinition();
  const known = new Set(definition.elements.flatMap((e) => e.questions.map((q) => q.id)));
  const unknown = Object.keys(data.answers).filter((k) => !known.has(k));
  if (unknown.length > 0)
    throw invalidAnswers(unknown.map((k) => ({ path: `answers.${k}`, message: 'unknown question' })));
  await ctx.db.transaction().execute(async (trx) => {
    const org = await trx
      .selectFrom('organisations')
      .select('kind')
      .where('id', '=', organisationId)
      .executeTakeFirst();
    if (!org) throw notFound('Organisation');
    assertExporterOf(actor, organisationId, 'ICP self-assessment');
    const existing = await trx
      .selectFrom('icp_self_assessments')
      .select('version')
      .where('organisation_id', '=', organisationId)
      .forUpdate()
      .executeTakeFirst();
    if (existing) {
      if (existing.version !== data.version)
        throw staleVersion('ICP self-assessment', existing.version, data.version);
      await trx
        .updateTable('icp_self_assessments')
        .set({
          answers: JSON.stringify(data.answers),
          definition_version: definition.version,
          updated_by: actorOf(actor),
          updated_at: ctx.now(),
          version: sql`version + 1`,
        })
        .where('organisation_id', '=', organisationId)
        .execute();
    } else {
      if (data.version !== undefined) throw staleVersion('ICP self-assessment', undefined, data.version);
      await trx
        .insertInto('icp_self_assessments')
        .values({
          organisation_id: organisationId,
          answers: JSON.stringify(data.answers),
          definition_version: definition.version,
          updated_by: actorOf(actor),
        })
        .execute();
    }
    const a = assessIcp(definition, data.answers);
    await appendAudit(ctx, trx, actor, {
      action: 'icp.self_assessed',
      entityType: 'organisation',
      entityId: organisationId,
      payload: { complete: a.complete, overallScore01: a.overallScore01, below: a.elementsBelowThreshold },
    });
  });
  return getIcpSelfAssessment(ctx, actor, organisationId);
}

/**
 * Due diligence and ICP of one application for the officer's case view and the assessment, read in the caller's
 * transaction (no authorisation: the caller has checked it).
 */
export async function summariseDueDiligence(ctx: ServiceContext, trx: DbLike, applicationId: string) {
  const app = await trx
    .selectFrom('applications')
    .select(['organisation_id'])
    .where('id', '=', applicationId)
    .executeTakeFirst();
  if (!app) throw notFound('Application');
  const [record, icp] = await Promise.all([
    loadRecord(trx, applicationId),
    loadIcp(trx, app.organisation_id),
  ]);
  const reasons = [
    record ? `Due diligence: ${record.assessment.summary}` : 'No due-diligence record on file.',
    icp ? `ICP self-assessment: ${icp.assessment.summary}` : 'No ICP self-assessment on file.',
    ...(record?.assessment.redFlags ?? []).map(
      (f) => `Red flag ${f.id}: ${f.text} (${f.source}${f.verified ? '' : ', unverified'}).`,
    ),
  ];
  return {
    applicationId,
    organisationId: app.organisation_id,
    dueDiligence: record
      ? {
          recordId: record.id,
          complete: record.assessment.complete,
          incompleteSections: record.assessment.sections.filter((s) => !s.complete).map((s) => s.id),
          redFlags: record.assessment.redFlags,
          questionnaireVersion: record.questionnaireVersion,
          summary: record.assessment.summary,
        }
      : null,
    icp: icp
      ? {
          complete: icp.assessment.complete,
          overallScore01: icp.assessment.overallScore01,
          elementsBelowThreshold: icp.assessment.elementsBelowThreshold,
          summary: icp.assessment.summary,
        }
      : null,
    reasons,
  };
}

/**
 * Lifecycle guard facts from due diligence: `due_diligence_on_file`, `due_diligence_complete` (usable for
 * `information_provided` when the authority asked for the record), `due_diligence_red_flags_absent`, `icp_on_file`.
 */
export async function dueDiligenceGuardFacts(
  ctx: ServiceContext,
  trx: Tx,
  applicationId: string,
): Promise<Record<string, boolean | undefined>> {
  const s = await summariseDueDiligence(ctx, trx, applicationId);
  return {
    due_diligence_on_file: s.dueDiligence !== null,
    due_diligence_complete: s.dueDiligence?.complete ?? false,
    due_diligence_red_flags_absent: s.dueDiligence ? s.dueDiligence.redFlags.length === 0 : undefined,
    icp_on_file: s.icp !== null,
  };
}
