/**
 * Stored assessments per application (issue 5): an officer runs the assessment, the result is stored with its
 * inputs' versions (model, reference data, registry evidence ids) and input hash, one revision per run; safeguard
 * checklist edits are audited and recompute the findings; memos render as HTML and PDF; a job proposes
 * re-assessment or post-licence review when evidence or reference data change. Staff only: an exporter sees the
 * decision and its reasons, never the authority's working assessment.
 */
import { z } from 'zod';
import type { Assessment, AssessmentInput } from '../domain/assessment.ts';
import { ITEM_CAPABILITIES } from '../domain/assessment.ts';
import { isCountryCode } from '../domain/codes.ts';
import { conflict, DomainError, notFound } from '../domain/errors.ts';
import { DECIDED_STATUSES, type ApplicationStatus, type Principal } from '../domain/model.ts';
import type { Selectable } from 'kysely';
import type { DB } from '../db/schema.ts';
import {
  applySafeguardEdit,
  assessApplication,
  buildApplicationAssessmentInput,
  isAffectedByChange,
  proposeReassessmentAction,
  renderAssessmentMemo,
  renderAssessmentMemoPdf,
  type ReferenceChange,
} from '../engines/assessment/index.ts';
import { enqueueJob } from '../jobs/queue.ts';
import { assessmentModel, assessmentReference, withRegistryEvidence } from './assessment.service.ts';
import { appendAudit } from './audit.service.ts';
import { actorOf, requireRole } from './authorization.ts';
import type { Db, ServiceContext } from './context.ts';
import { REASSESS_QUEUE } from './evidence.service.ts';
import { parseInput } from './validation.ts';

/** What the officer adds when running an assessment for a stored application. */
export const AssessmentRunRequest = z.strictObject({
  profile: z.enum(['legal', 'broad']).default('legal'),
  memberState: z
    .string()
    .refine(isCountryCode, { message: 'must be an ISO 3166-1 alpha-2 country code' })
    .optional(),
  memberStateApplies5_3: z.boolean().default(false),
  dueDiligence: z
    .object({
      completeness01: z.number().min(0).max(1),
      redFlags: z.array(z.string()).default([]),
      endUseStatement: z.boolean(),
      noReExportUndertaking: z.boolean().default(false),
      awareOfMisuse: z.boolean().default(false),
    })
    .optional(),
  screeningHits: z.array(z.looseObject({})).default([]),
  priorDenials: z.array(z.looseObject({})).default([]),
  capabilities: z.record(z.string(), z.array(z.enum(ITEM_CAPABILITIES))).default({}),
});

type AssessmentRow = Selectable<DB['assessments']>;

export interface StoredAssessmentView {
  id: string;
  applicationId: string;
  revision: number;
  origin: string;
  recommendation: string;
  confidence01: number;
  modelVersion: string;
  referenceVersion: string;
  referenceFiles: string[];
  evidenceIds: string[];
  inputHash: string;
  safeguardEdits: Record<string, unknown>[];
  createdBy: string;
  createdAt: string;
  assessment: Assessment;
}

const toView = (r: AssessmentRow): StoredAssessmentView => ({
  id: r.id,
  applicationId: r.application_id,
  revision: r.revision,
  origin: r.origin,
  recommendation: r.recommendation,
  confidence01: Number(r.confidence01),
  modelVersion: r.model_version,
  referenceVersion: r.reference_version,
  referenceFiles: r.reference_files,
  evidenceIds: r.evidence_ids,
  inputHash: r.input_hash,
  safeguardEdits: r.safeguard_edits,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at).toISOString(),
  assessment: r.result as unknown as Assessment,
});

async function findApplication(db: Db, idOrReference: string) {
  const isUuid = /^[0-9a-f-]{36}$/i.test(idOrReference);
  const app = await db
    .selectFrom('applications')
    .selectAll()
    .where(isUuid ? 'id' : 'reference', '=', idOrReference)
    .executeTakeFirst();
  if (!app) throw notFound('Application');
  return app;
}

/** Read an application with its lines, items and parties as the engine's input builder needs them. */
async function loadApplicationInput(ctx: ServiceContext, app: Awaited<ReturnType<typeof findApplication>>) {
  const lines = await ctx.db
    .selectFrom('application_lines as l')
    .innerJoin('items as i', 'i.id', 'l.item_id')
    .select(['l.line_no', 'i.name', 'i.public_description', 'i.technical_profile', 'i.classification'])
    .where('l.application_id', '=', app.id)
    .orderBy('l.line_no')
    .execute();
  // The line's classification at submission, when the applications slice stores it; else the item's.
  const lineClassifications = new Map<number, Record<string, unknown> | null>();
  try {
    const rows = (await ctx.db
      .selectFrom('application_lines')
      .selectAll()
      .where('application_id', '=', app.id)
      .execute()) as unknown as { line_no: number; classification?: Record<string, unknown> | null }[];
    for (const r of rows) if (r.classification) lineClassifications.set(r.line_no, r.classification);
  } catch {
    // no per-line classification column: the item's classification is used
  }
  const parties = await ctx.db
    .selectFrom('application_parties as ap')
    .innerJoin('parties as p', 'p.id', 'ap.party_id')
    .select(['p.id', 'p.name', 'p.party_type', 'p.country', 'ap.role'])
    .where('ap.application_id', '=', app.id)
    .orderBy('ap.role')
    .orderBy('p.name')
    .execute();
  return {
    reference: app.reference,
    licenceType: app.licence_type as never,
    destinationCountry: app.destination_country,
    intendedEndUse: app.intended_end_use,
    lines: lines.map((l) => ({
      lineNo: l.line_no,
      itemName: l.name,
      itemDescription: l.public_description,
      technicalProfile: l.technical_profile,
      classification: lineClassifications.get(l.line_no) ?? l.classification,
    })),
    parties: parties.map((p) => ({
      id: p.id,
      name: p.name,
      type: p.party_type as never,
      role: p.role as never,
      country: p.country,
    })),
  };
}

async function authorityCountry(db: Db): Promise<string> {
  const org = await db
    .selectFrom('organisations')
    .select('country')
    .where('kind', '=', 'authority')
    .executeTakeFirst();
  return org?.country ?? 'DE';
}

async function storeRevision(
  ctx: ServiceContext,
  actor: Principal,
  applicationId: string,
  origin: 'run' | 'safeguard_edit' | 'reassessment',
  assessment: Assessment,
  safeguardEdits: Record<string, unknown>[],
  auditPayload: Record<string, unknown>,
): Promise<StoredAssessmentView> {
  const { status } = assessmentReference(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('assessments')
      .select((eb) => eb.fn.max('revision').as('r'))
      .where('application_id', '=', applicationId)
      .executeTakeFirst();
    const revision = Number(last?.r ?? 0) + 1;
    const row = await trx
      .insertInto('assessments')
      .values({
        id: ctx.newId(),
        application_id: applicationId,
        revision,
        origin,
        recommendation: assessment.recommendation,
        confidence01: assessment.confidence01,
        model_version: assessment.modelVersion,
        reference_version: assessment.referenceVersion,
        reference_files: JSON.stringify(status.loaded),
        evidence_ids: JSON.stringify(assessment.inputSnapshot.evidence.map((e) => e.id)),
        input_hash: assessment.inputHash,
        input_snapshot: JSON.stringify(assessment.inputSnapshot),
        result: JSON.stringify(assessment),
        safeguard_edits: JSON.stringify(safeguardEdits),
        created_by: actorOf(actor),
        created_at: ctx.now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(ctx, trx, actor, {
      action: origin === 'safeguard_edit' ? 'assessment.safeguard_edited' : 'assessment.stored',
      entityType: 'application',
      entityId: applicationId,
      payload: {
        assessmentId: row.id,
        revision,
        recommendation: assessment.recommendation,
        modelVersion: assessment.modelVersion,
        referenceVersion: assessment.referenceVersion,
        inputHash: assessment.inputHash,
        ...auditPayload,
      },
    });
    return toView(row);
  });
}

/**
 * Run the assessment for a stored application (by id or reference) and store it as a new revision, with the
 * accepted registry evidence (confidential included: staff only) and the versions of everything it read.
 */
export async function runApplicationAssessment(
  ctx: ServiceContext,
  actor: Principal,
  applicationIdOrReference: string,
  raw: unknown = {},
): Promise<StoredAssessmentView> {
  requireRole(actor, 'officer', 'administrator');
  const req = parseInput(AssessmentRunRequest, raw ?? {}, 'The assessment request');
  const app = await findApplication(ctx.db, applicationIdOrReference);
  if (app.status === 'draft')
    throw new DomainError('CONFLICT', 'A draft is not before the authority: assess it once it is submitted.');
  const stored = await loadApplicationInput(ctx, app);
  const draft = buildApplicationAssessmentInput(stored, {
    profile: req.profile,
    memberState: req.memberState ?? (await authorityCountry(ctx.db)),
    memberStateApplies5_3: req.memberStateApplies5_3,
    ...(req.dueDiligence && { dueDiligence: req.dueDiligence as never }),
    screeningHits: req.screeningHits as never,
    priorDenials: req.priorDenials as never,
    capabilities: req.capabilities,
  });
  const { input, registry } = await withRegistryEvidence(ctx, actor, draft);
  const assessment = assessApplication(input, assessmentModel(), assessmentReference(ctx).reference);
  return storeRevision(ctx, actor, app.id, 'run', assessment, [], { registryEvidence: registry.ids });
}

/** Every stored revision of an application's assessment, newest first. */
export async function listApplicationAssessments(
  ctx: ServiceContext,
  actor: Principal,
  applicationIdOrReference: string,
): Promise<StoredAssessmentView[]> {
  requireRole(actor, 'officer', 'administrator');
  const app = await findApplication(ctx.db, applicationIdOrReference);
  const rows = await ctx.db
    .selectFrom('assessments')
    .selectAll()
    .where('application_id', '=', app.id)
    .orderBy('revision', 'desc')
    .execute();
  return rows.map(toView);
}

export async function getStoredAssessment(
  ctx: ServiceContext,
  actor: Principal,
  id: string,
): Promise<StoredAssessmentView> {
  requireRole(actor, 'officer', 'administrator');
  const row = await ctx.db.selectFrom('assessments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Assessment');
  return toView(row);
}

/**
 * Edit one D.3 safeguard answer for the destination in the latest revision: the edit is validated, audited
 * (from/to, source, officer, time), and the findings are recomputed from the snapshot into a new revision.
 */
export async function editAssessmentSafeguard(
  ctx: ServiceContext,
  actor: Principal,
  assessmentId: string,
  edit: unknown,
): Promise<StoredAssessmentView> {
  requireRole(actor, 'officer', 'administrator');
  const current = await getStoredAssessment(ctx, actor, assessmentId);
  const latest = await ctx.db
    .selectFrom('assessments')
    .select((eb) => eb.fn.max('revision').as('r'))
    .where('application_id', '=', current.applicationId)
    .executeTakeFirstOrThrow();
  if (Number(latest.r) !== current.revision)
    throw new DomainError(
      'CONFLICT',
      `Revision ${current.revision} is not the latest (${String(latest.r)}): edit the latest revision.`,
    );
  const snapshot = current.assessment.inputSnapshot;
  const { reference } = assessmentReference(ctx);
  const profile = snapshot.countryProfile ?? reference.profiles[snapshot.destination];
  if (!profile) throw notFound('Country profile');
  const { checklist, audit } = applySafeguardEdit(
    snapshot.destination,
    profile.safeguards,
    edit,
    actorOf(actor),
    ctx.now().toISOString(),
  );
  const nextInput: AssessmentInput = { ...snapshot, countryProfile: { ...profile, safeguards: checklist } };
  const assessment = assessApplication(nextInput, assessmentModel(), reference);
  return storeRevision(
    ctx,
    actor,
    current.applicationId,
    'safeguard_edit',
    assessment,
    [...current.safeguardEdits, audit as unknown as Record<string, unknown>],
    { edit: audit, previousRevision: current.revision },
  );
}

/** The memo of a stored revision as HTML or PDF. */
export async function renderStoredAssessmentMemo(
  ctx: ServiceContext,
  actor: Principal,
  id: string,
  format: 'html' | 'pdf',
  lang: 'en' | 'fr' | 'de' = 'en',
): Promise<{ contentType: string; filename: string; body: string | Uint8Array }> {
  const v = await getStoredAssessment(ctx, actor, id);
  const base = `assessment-${v.assessment.applicationId}-r${v.revision}`;
  if (format === 'html')
    return {
      contentType: 'text/html; charset=utf-8',
      filename: `${base}.html`,
      body: renderAssessmentMemo(v.assessment, { lang }),
    };
  return {
    contentType: 'application/pdf',
    filename: `${base}.pdf`,
    body: await renderAssessmentMemoPdf(v.assessment, {
      createdAt: v.createdAt,
      header: `Revision ${v.revision} (${v.origin}), stored ${v.createdAt} by ${v.createdBy}.`,
    }),
  };
}

// ---- re-assessment

const OPEN_STATUSES: ApplicationStatus[] = [
  'submitted',
  'in_assessment',
  'information_requested',
  'in_consultation',
];

/** What a staff member gives to ask for a re-assessment: the kind of change, what it concerns, and why. */
export const ReassessmentRequest = z.strictObject({
  kind: z.enum(['evidence', 'indicator', 'restrictive_measure', 'screening_list']),
  countries: z
    .array(
      z
        .string()
        .transform((c) => c.toUpperCase())
        .refine(isCountryCode, { message: 'must be an ISO 3166-1 alpha-2 country code' }),
    )
    .max(250)
    .default([]),
  names: z.array(z.string().trim().min(1).max(300)).max(100).default([]),
  reason: z.string().trim().min(3).max(2000),
});

/** Ask for a re-assessment after a country profile or reference change (staff; the job does the work). */
export async function requestReassessment(
  ctx: ServiceContext,
  actor: Principal,
  raw: unknown,
): Promise<{ jobId: number | null }> {
  requireRole(actor, 'officer', 'administrator');
  const change = parseInput(ReassessmentRequest, raw, 'The re-assessment request');
  if (change.countries.length === 0 && change.names.length === 0)
    throw new DomainError('INVALID', 'Name the countries or the names the change concerns.', {
      issues: [{ path: 'countries', message: 'give at least one country or name' }],
    });
  return ctx.db.transaction().execute(async (trx) => {
    const jobId = await enqueueJob(trx, REASSESS_QUEUE, { ...change });
    await appendAudit(ctx, trx, actor, {
      action: 'assessment.reassessment_requested',
      entityType: 'assessment',
      payload: { ...change },
    });
    return { jobId };
  });
}

export interface ReassessmentRunReport {
  examined: number;
  affected: number;
  proposals: { applicationId: string; action: string; reasons: string[] }[];
}

/**
 * The re-assessment job: for the latest stored assessment of each open application or live licence that the
 * change may affect, re-run it from its snapshot with the current registry evidence and reference data, and record
 * a proposal for the officer (review; for a live licence, proposed suspension or revocation) with the reasons.
 */
export async function runReassessment(
  ctx: ServiceContext,
  payload: Record<string, unknown>,
): Promise<ReassessmentRunReport> {
  const change: ReferenceChange = {
    kind: (payload.kind as ReferenceChange['kind']) ?? 'evidence',
    countries: Array.isArray(payload.countries) ? (payload.countries as string[]) : [],
    names: Array.isArray(payload.names) ? (payload.names as string[]) : [],
  };
  const reason = typeof payload.reason === 'string' ? payload.reason : `${change.kind} changed`;
  const system = { kind: 'system', name: 'reassessment' } as const;
  const latest = await ctx.db
    .selectFrom('assessments as a')
    .innerJoin('applications as p', 'p.id', 'a.application_id')
    .leftJoin('licences as l', (j) => j.onRef('l.application_id', '=', 'p.id').on('l.status', '=', 'active'))
    .select(['a.id', 'a.application_id', 'a.result', 'p.status', 'l.id as licence_id'])
    .where(({ eb, selectFrom }) =>
      eb(
        'a.revision',
        '=',
        selectFrom('assessments as b')
          .select((x) => x.fn.max('b.revision').as('m'))
          .whereRef('b.application_id', '=', 'a.application_id'),
      ),
    )
    .orderBy('a.application_id')
    .execute();
  const report: ReassessmentRunReport = { examined: 0, affected: 0, proposals: [] };
  const { reference } = assessmentReference(ctx);
  for (const row of latest) {
    const open = OPEN_STATUSES.includes(row.status as ApplicationStatus);
    const granted = row.licence_id !== null && DECIDED_STATUSES.includes(row.status as ApplicationStatus);
    if (!open && !granted) continue;
    report.examined++;
    const previous = row.result as unknown as Assessment;
    if (!isAffectedByChange(previous.inputSnapshot, change)) continue;
    report.affected++;
    // Fresh registry evidence replaces the registry records of the snapshot; the input's own evidence stays.
    const own = previous.inputSnapshot.evidence.filter((e) => !e.id.startsWith('registry:'));
    const { input } = await withRegistryEvidence(ctx, system, { ...previous.inputSnapshot, evidence: own });
    const current = assessApplication(input, assessmentModel(), reference);
    const proposal = proposeReassessmentAction(previous, current, open ? 'open' : 'granted');
    const evidenceAdded = current.inputSnapshot.evidence
      .map((e) => e.id)
      .filter((id) => !previous.inputSnapshot.evidence.some((p) => p.id === id));
    const action =
      proposal.action !== 'none' ? proposal.action : evidenceAdded.length > 0 ? 'review' : ('none' as const);
    if (action === 'none') continue;
    const reasons = [
      reason,
      ...proposal.reasons,
      ...(evidenceAdded.length ? [`New linked evidence: ${evidenceAdded.join(', ')}.`] : []),
    ];
    await ctx.db.transaction().execute(async (trx) => {
      const id = ctx.newId();
      await trx
        .insertInto('reassessment_proposals')
        .values({
          id,
          assessment_id: row.id,
          application_id: row.application_id,
          licence_id: open ? null : row.licence_id,
          action,
          previous_recommendation: previous.recommendation,
          current_recommendation: current.recommendation,
          reasons: JSON.stringify(reasons),
          change: JSON.stringify({ ...payload }),
          created_at: ctx.now(),
        })
        .execute();
      await appendAudit(ctx, trx, system, {
        action: 'assessment.reassessment_proposed',
        entityType: 'application',
        entityId: row.application_id,
        payload: {
          proposalId: id,
          action,
          previous: previous.recommendation,
          current: current.recommendation,
        },
      });
    });
    report.proposals.push({ applicationId: row.application_id, action, reasons });
  }
  return report;
}

type ProposalRow = Selectable<DB['reassessment_proposals']>;

export interface ReassessmentProposalView {
  id: string;
  assessmentId: string;
  applicationId: string;
  licenceId: string | null;
  action: string;
  previousRecommendation: string;
  currentRecommendation: string;
  reasons: string[];
  createdAt: string;
  status: 'open' | 'closed';
  closure: 'actioned' | 'dismissed' | null;
  closureNote: string | null;
  closedBy: string | null;
  closedAt: string | null;
}

const toProposalView = (r: ProposalRow): ReassessmentProposalView => ({
  id: r.id,
  assessmentId: r.assessment_id,
  applicationId: r.application_id,
  licenceId: r.licence_id,
  action: r.action,
  previousRecommendation: r.previous_recommendation,
  currentRecommendation: r.current_recommendation,
  reasons: r.reasons,
  createdAt: new Date(r.created_at).toISOString(),
  status: r.status === 'closed' ? 'closed' : 'open',
  closure: r.closure,
  closureNote: r.closure_note,
  closedBy: r.closed_by,
  closedAt: r.closed_at ? new Date(r.closed_at).toISOString() : null,
});

/** Re-assessment proposals (open by default, or closed, or all), newest first (staff). */
export async function listReassessmentProposals(
  ctx: ServiceContext,
  actor: Principal,
  applicationId?: string,
  status: 'open' | 'closed' | 'all' = 'open',
): Promise<ReassessmentProposalView[]> {
  requireRole(actor, 'officer', 'administrator');
  let q = ctx.db.selectFrom('reassessment_proposals').selectAll();
  if (status !== 'all') q = q.where('status', '=', status);
  if (applicationId) q = q.where('application_id', '=', (await findApplication(ctx.db, applicationId)).id);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id').execute();
  return rows.map(toProposalView);
}

/** How an officer closes a proposal: acted on it (e.g. suspended the licence, re-opened the case) or dismissed it. */
export const ProposalClosureRequest = z.strictObject({
  closure: z.enum(['actioned', 'dismissed']),
  note: z.string().trim().min(3).max(4000),
});

/**
 * Close an open re-assessment proposal with the officer's outcome and reasons (officers, administrators; audited).
 * The proposal stays on record; closing a closed proposal is a CONFLICT and changes nothing.
 */
export async function closeReassessmentProposal(
  ctx: ServiceContext,
  actor: Principal,
  proposalId: string,
  raw: unknown,
): Promise<ReassessmentProposalView> {
  requireRole(actor, 'officer', 'administrator');
  const input = parseInput(ProposalClosureRequest, raw, 'The closure');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('reassessment_proposals')
      .set({
        status: 'closed',
        closure: input.closure,
        closure_note: input.note,
        closed_by: actorOf(actor),
        closed_at: ctx.now(),
      })
      .where('id', '=', proposalId)
      .where('status', '=', 'open')
      .returningAll()
      .executeTakeFirst();
    if (!row) {
      const exists = await trx
        .selectFrom('reassessment_proposals')
        .select('id')
        .where('id', '=', proposalId)
        .executeTakeFirst();
      if (!exists) throw notFound('Re-assessment proposal');
      throw conflict('This proposal is already closed.');
    }
    await appendAudit(ctx, trx, actor, {
      action: 'assessment.reassessment_proposal_closed',
      entityType: 'application',
      entityId: row.application_id,
      payload: { proposalId: row.id, action: row.action, closure: input.closure, note: input.note },
    });
    return toProposalView(row);
  });
}
