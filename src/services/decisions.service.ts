/**
 * Licensing decisions (issue 6): the officer records a reasoned decision (legal basis, criteria, rights engaged,
 * reasons, conditions, evidence); the case moves to granted / granted_with_conditions / denied under the lifecycle
 * guards; the reasoned decision document is rendered as HTML and PDF and stored; a grant issues the licence (number,
 * type, validity, Art 12(4) requirements, EUGEA eligibility). Appeals are recorded against decisions.
 */
import { sql } from 'kysely';
import type { z } from 'zod';
import {
  AppealCreate,
  AppealResolve,
  DecisionCreate,
  type AppealView,
  type DecisionCreateInput,
  type DecisionView,
  type LicenceView,
} from '../contracts/casework.ts';
import { DomainError, forbidden, invalid, notFound, staleVersion, requiredIssue } from '../domain/errors.ts';
import type { Application, DecisionOutcome, LicenceType, Principal } from '../domain/model.ts';
import type { DecisionForDocument } from '../domain/workflow.ts';
import {
  checkEugeaEligibility,
  computeAppealDeadline,
  computeValidity,
  renderDecisionDocument,
} from '../engines/workflow/index.ts';
import { appendAudit } from './audit.service.ts';
import { assertExporterOf, requireUser } from './authorization.ts';
import { renderDecisionPdf } from './casework/decision-pdf.ts';
import { loadLicenceRequirements } from './casework/guard-facts.ts';
import { applyApplicationTransition, type AllowedPlan, type ApplyOptions } from './casework/lifecycle.ts';
import { eugeaPolicy, licenceTypePolicy, todayOf, workingCalendar } from './casework/policy.ts';
import { loadVisibleApplication } from './casework.service.ts';
import type { ServiceContext, Tx } from './context.ts';
import { recordDenialFromDecision } from './denials.service.ts';
import { notifyApplicationTransition } from './notifications.service.ts';
import { parseInput } from './validation.ts';

type DecisionData = z.infer<typeof DecisionCreate>;

/** What a hook receives after a decision is written (inside the same transaction). */
export interface DecisionEvent {
  application: Application;
  decisionId: string;
  outcome: DecisionOutcome;
  decision: DecisionData;
  licenceId: string | null;
  plan: AllowedPlan;
}
export type AfterDecisionHook = (
  ctx: ServiceContext,
  trx: Tx,
  actor: Principal,
  event: DecisionEvent,
) => Promise<void>;

/**
 * Hooks run after every decision, in the decision's transaction (a throwing hook rolls the decision back). The lead
 * attaches denial recording (Art 16: the plan's `record_denial` effect) and notifications here.
 */
export const afterDecisionHooks: AfterDecisionHook[] = [
  // Art 16(1): a denial enters the authority's denials register (and the exchange with other Member States).
  async (ctx, trx, _actor, event) => {
    if (event.outcome === 'denied')
      await recordDenialFromDecision(ctx, trx, event.application.id, event.decisionId);
  },
];

async function nextNumber(ctx: ServiceContext, trx: Tx, kind: 'decision' | 'licence'): Promise<string> {
  const year = ctx.now().getUTCFullYear();
  const scope = `${kind}:${year}`;
  const row = await sql<{ value: number }>`
    insert into reference_counters (scope, next_value) values (${scope}, 2)
    on conflict (scope) do update set next_value = reference_counters.next_value + 1
    returning next_value - 1 as value`.execute(trx);
  const letter = kind === 'decision' ? 'D' : 'L';
  return `${ctx.config.authority.referencePrefix}-${letter}-${year}-${String(row.rows[0]!.value).padStart(6, '0')}`;
}

/** The control entries an application line was submitted with (its classification snapshot). */
function entriesOf(classification: unknown): string[] {
  const matched = (classification as { matchedEntries?: unknown } | null)?.matchedEntries;
  return Array.isArray(matched) ? matched.filter((m): m is string => typeof m === 'string') : [];
}

/** Everything the document needs about the case: applicant, items, end users, officer. */
async function loadDocumentFacts(trx: Tx, app: Application, officerId: string | null) {
  const [org, lines, parties, officer] = await Promise.all([
    trx
      .selectFrom('organisations')
      .select(['name', 'country'])
      .where('id', '=', app.organisationId)
      .executeTakeFirstOrThrow(),
    trx
      .selectFrom('application_lines')
      .innerJoin('items', 'items.id', 'application_lines.item_id')
      .select([
        'application_lines.line_no',
        'application_lines.quantity',
        'application_lines.unit',
        'application_lines.value_eur',
        'application_lines.classification',
        'items.public_description',
        'items.name',
        'items.item_form',
      ])
      .where('application_lines.application_id', '=', app.id)
      .orderBy('application_lines.line_no')
      .execute(),
    trx
      .selectFrom('application_parties')
      .innerJoin('parties', 'parties.id', 'application_parties.party_id')
      .select(['parties.name', 'parties.country', 'application_parties.role'])
      .where('application_parties.application_id', '=', app.id)
      .execute(),
    officerId
      ? trx.selectFrom('users').select(['display_name']).where('id', '=', officerId).executeTakeFirst()
      : Promise.resolve(undefined),
  ]);
  return { org, lines, parties, officerName: officer?.display_name ?? 'Licensing officer' };
}

/**
 * Record the officer's decision on a case in assessment. Administrators cannot decide (separation of duties).
 * Refused (role, state, guards, licence checks) -> nothing is written.
 *
 * @example
 * await decideApplication(ctx, officer, id, { outcome: 'denied', legalBasis: [...], reasons: ['...'], expectedVersion: 5 });
 */
export async function decideApplication(
  ctx: ServiceContext,
  actor: Principal,
  applicationId: string,
  input: DecisionCreateInput,
  options: ApplyOptions = {},
): Promise<z.infer<typeof DecisionView>> {
  const data = parseInput(DecisionCreate, input);
  const decisionId = ctx.newId();
  await ctx.db.transaction().execute(async (trx) => {
    const app = await loadVisibleApplication(trx, actor, applicationId);
    const user = requireUser(actor);
    if (user.role === 'administrator')
      throw forbidden(
        'Administrators cannot decide cases (separation of duties): a licensing officer decides.',
      );
    if (user.role !== 'officer') throw forbidden('Only a licensing officer decides a case.');
    const extraFacts = {
      reasons_given: data.reasons.length > 0 && data.legalBasis.length > 0,
      conditions_stated: data.conditions.length > 0,
    };
    if (data.outcome === 'granted_with_conditions' && data.conditions.length === 0)
      throw invalid('A grant with conditions must state them.', [requiredIssue('conditions')]);
    if (data.outcome === 'granted' && data.conditions.length > 0)
      throw invalid('A grant with conditions has the outcome granted_with_conditions.', [
        { path: 'outcome', message: 'use granted_with_conditions' },
      ]);
    const plan = await applyApplicationTransition(
      ctx,
      trx,
      actor,
      app,
      data.outcome,
      { reason: data.reasons.join('\n'), expectedVersion: data.expectedVersion },
      { ...options, extraFacts: { ...options.extraFacts, ...extraFacts }, deferNotifications: true },
    );
    const today = todayOf(ctx);
    const cal = workingCalendar(ctx);
    const notes: string[] = [];
    const facts = await loadDocumentFacts(trx, app, user.userId);

    // Licence checks before anything else is written (a failure rolls the transition back).
    let licence: {
      validUntil: string | null;
      verified: boolean;
      eugeaId: string | null;
    } | null = null;
    if (data.outcome !== 'denied') {
      const type = app.licenceType as LicenceType;
      const { check } = await loadLicenceRequirements(trx, app);
      if (!check.met)
        throw new DomainError('CONFLICT', 'The Art 12(4) requirements of this licence type are not met.', {
          issues: check.requirements
            .filter((r) => !r.met)
            .map((r) => ({ path: `requirements.${r.id}`, message: r.reason })),
        });
      let eugeaId: string | null = null;
      if (type === 'eu_general_registration') {
        eugeaId = data.licence?.eugeaId ?? null;
        if (!eugeaId)
          throw invalid('A registration for an EU general export authorisation names it (EU001-EU008).', [
            requiredIssue('licence.eugeaId'),
          ]);
        const eligibility = checkEugeaEligibility(eugeaPolicy(), eugeaId, {
          destinationCountry: app.destinationCountry,
          items: facts.lines.map((l) => ({
            controlEntry: entriesOf(l.classification)[0] ?? null,
            itemForm: l.item_form as 'hardware',
          })),
          exporter: {
            icpOnFile: check.requirements.some((r) => r.id === 'internal_compliance_programme' && r.met),
          },
        });
        if (eligibility.outcome !== 'eligible')
          throw new DomainError(
            'CONFLICT',
            `The export is ${eligibility.outcome.replace('_', ' ')} for ${eugeaId}.`,
            {
              issues: eligibility.reasons
                .filter((r) => r.outcome !== 'eligible')
                .map((r) => ({ path: `eugea.${r.code}`, message: r.message })),
            },
          );
        if (!eligibility.verified)
          notes.push(`${eugeaId}: eligibility rules not fully verified (${eligibility.policyVersion}).`);
      }
      const validity = computeValidity(licenceTypePolicy(), {
        licenceType: type,
        issuedOn: today,
        requestedValidUntil: data.licence?.requestedValidUntil ?? null,
        dulyJustified: data.licence?.dulyJustified ?? false,
      });
      if (!validity.ok)
        throw invalid(validity.reasons.join(' '), [
          { path: 'licence.requestedValidUntil', message: validity.reasons.join(' ') },
        ]);
      if (!validity.verified) notes.push(`Validity period (unverified): ${validity.source}.`);
      licence = { validUntil: validity.validUntil, verified: validity.verified, eugeaId };
    }

    const reference = await nextNumber(ctx, trx, 'decision');
    const appealDeadline = computeAppealDeadline(cal, {
      notifiedOn: today,
      days: ctx.config.casework.appealDays,
      kind: 'calendar',
    });
    const reasons = [
      ...data.reasons,
      ...(data.rightsEngaged.length ? [`Rights engaged: ${data.rightsEngaged.join('; ')}.`] : []),
    ];
    const document: DecisionForDocument = {
      reference,
      applicationReference: app.reference,
      authority: {
        name: ctx.config.authority.name,
        address: ctx.config.casework.authorityAddress,
        country: ctx.config.authority.country,
      },
      applicant: { name: facts.org.name, address: facts.org.country },
      licenceType: app.licenceType as LicenceType,
      outcome: data.outcome,
      decidedOn: today,
      destinationCountry: app.destinationCountry,
      items: facts.lines.map((l) => ({
        description: l.public_description || l.name,
        controlEntries: entriesOf(l.classification),
        quantity: `${Number(l.quantity)} ${l.unit}`,
      })),
      endUsers: facts.parties
        .filter((p) => p.role === 'end_user' || p.role === 'ultimate_end_user')
        .map((p) => ({ name: p.name, country: p.country })),
      legalBasis: data.legalBasis,
      criteria: data.criteria,
      reasons,
      conditions: data.conditions,
      evidence: data.evidence.map((e) => ({ ...e, date: e.date ?? null })),
      validUntil: licence?.validUntil ?? null,
      officer: { name: facts.officerName, role: 'Licensing officer' },
      rights: {
        appealBody: ctx.config.casework.appealBody,
        appealDeadlineDays: ctx.config.casework.appealDays,
        appealDeadlineKind: 'calendar',
        howTo: `Lodge the appeal in writing, quoting the reference ${reference}. Last day on this authority's calendar: ${appealDeadline}.`,
      },
      ...(notes.length ? { unverifiedNotes: notes } : {}),
    };
    const html = renderDecisionDocument(document, { lang: data.lang });
    const pdf = await renderDecisionPdf(document);
    await trx
      .insertInto('decisions')
      .values({
        id: decisionId,
        application_id: app.id,
        outcome: data.outcome,
        legal_basis: JSON.stringify(data.legalBasis),
        reasons: data.reasons.join('\n\n'),
        reasons_list: JSON.stringify(data.reasons),
        conditions: JSON.stringify(data.conditions),
        criteria: JSON.stringify(data.criteria),
        rights_engaged: JSON.stringify(data.rightsEngaged),
        evidence: JSON.stringify(data.evidence),
        decided_by: user.userId,
        decided_at: ctx.now(),
        reference,
        policy_version: plan.policyVersion,
        document_html: html,
        document_pdf: pdf,
        appeal_deadline: appealDeadline,
      })
      .execute();
    await appendAudit(ctx, trx, actor, {
      action: 'decision.recorded',
      entityType: 'decision',
      entityId: decisionId,
      payload: {
        applicationId: app.id,
        reference,
        outcome: data.outcome,
        reasons: data.reasons.length,
        appealDeadline,
      },
    });
    let licenceId: string | null = null;
    let licenceNumber: string | null = null;
    if (licence && plan.effects.includes('issue_licence')) {
      licenceId = ctx.newId();
      const number = await nextNumber(ctx, trx, 'licence');
      licenceNumber = number;
      await trx
        .insertInto('licences')
        .values({
          id: licenceId,
          licence_number: number,
          application_id: app.id,
          organisation_id: app.organisationId,
          licence_type: app.licenceType,
          status: 'active',
          valid_from: today,
          valid_until: licence.validUntil,
          decision_id: decisionId,
          lines: JSON.stringify(
            app.lines.map((l) => ({ lineNo: l.lineNo, quantity: l.quantity, valueEur: l.valueEur })),
          ),
          conditions: JSON.stringify(data.conditions),
          eugea_id: licence.eugeaId,
          validity_verified: licence.verified,
          review_reason: null,
          created_at: ctx.now(),
          updated_at: ctx.now(),
        })
        .execute();
      await trx
        .insertInto('licence_transitions')
        .values({
          licence_id: licenceId,
          from_status: null,
          to_status: 'active',
          actor: actor.kind === 'user' ? `user:${actor.userId}` : 'system',
          at: ctx.now(),
          reason: `Issued by decision ${reference}`,
          policy_version: plan.policyVersion,
        })
        .execute();
      await appendAudit(ctx, trx, actor, {
        action: 'licence.issued',
        entityType: 'licence',
        entityId: licenceId,
        payload: {
          number,
          applicationId: app.id,
          decisionId,
          validUntil: licence.validUntil,
          eugeaId: licence.eugeaId,
        },
      });
    }
    // The plan's notify_* effects, now that the decision document they link to exists.
    await notifyApplicationTransition(ctx, trx, {
      app,
      to: data.outcome,
      plan,
      reason: null,
      decision: { id: decisionId, reference, licenceNumber },
    });
    for (const hook of afterDecisionHooks)
      await hook(ctx, trx, actor, {
        application: app,
        decisionId,
        outcome: data.outcome,
        decision: data,
        licenceId,
        plan,
      });
  });
  return getDecision(ctx, actor, applicationId);
}

export function toLicenceView(r: {
  id: string;
  licence_number: string;
  application_id: string;
  organisation_id: string;
  decision_id: string | null;
  licence_type: string;
  status: string;
  valid_from: string;
  valid_until: string | null;
  validity_verified: boolean;
  eugea_id: string | null;
  lines: { lineNo: number; quantity: number; valueEur: number }[];
  conditions: string[];
  post_licence_review: boolean;
  review_reason: string | null;
  version: number;
}): z.infer<typeof LicenceView> {
  return {
    id: r.id,
    licenceNumber: r.licence_number,
    applicationId: r.application_id,
    organisationId: r.organisation_id,
    decisionId: r.decision_id,
    licenceType: r.licence_type,
    status: r.status as z.infer<typeof LicenceView>['status'],
    validFrom: r.valid_from,
    validUntil: r.valid_until,
    validityVerified: r.validity_verified,
    eugeaId: r.eugea_id,
    lines: r.lines,
    conditions: r.conditions,
    postLicenceReview: r.post_licence_review,
    reviewReason: r.review_reason,
    version: r.version,
  };
}

/** The decision on an application (exporter: own; officers and administrators: all). */
export async function getDecision(
  ctx: ServiceContext,
  actor: Principal,
  applicationId: string,
): Promise<z.infer<typeof DecisionView>> {
  await loadVisibleApplication(ctx.db, actor, applicationId);
  const d = await ctx.db
    .selectFrom('decisions')
    .selectAll()
    .where('application_id', '=', applicationId)
    .orderBy('decided_at', 'desc')
    .executeTakeFirst();
  if (!d) throw notFound('Decision');
  const lic = await ctx.db
    .selectFrom('licences')
    .selectAll()
    .where('decision_id', '=', d.id)
    .executeTakeFirst();
  return {
    id: d.id,
    reference: d.reference,
    applicationId,
    outcome: d.outcome as DecisionOutcome,
    legalBasis: d.legal_basis as { citation: string; text: string }[],
    criteria: d.criteria as z.infer<typeof DecisionView>['criteria'],
    rightsEngaged: d.rights_engaged,
    reasons: d.reasons_list.length ? d.reasons_list : [d.reasons],
    conditions: d.conditions as string[],
    evidence: d.evidence as z.infer<typeof DecisionView>['evidence'],
    decidedBy: d.decided_by,
    decidedAt: new Date(d.decided_at).toISOString(),
    appealDeadline: d.appeal_deadline,
    policyVersion: d.policy_version,
    licence: lic ? toLicenceView(lic) : null,
  };
}

/** The stored decision document, as HTML or PDF. */
export async function getDecisionDocument(
  ctx: ServiceContext,
  actor: Principal,
  applicationId: string,
  format: 'html' | 'pdf',
): Promise<{ mediaType: string; filename: string; content: Uint8Array | string }> {
  await loadVisibleApplication(ctx.db, actor, applicationId);
  const d = await ctx.db
    .selectFrom('decisions')
    .select(['reference', 'document_html', 'document_pdf'])
    .where('application_id', '=', applicationId)
    .orderBy('decided_at', 'desc')
    .executeTakeFirst();
  const content = format === 'html' ? d?.document_html : d?.document_pdf;
  if (!d || !content) throw notFound('Decision document');
  return {
    mediaType: format === 'html' ? 'text/html; charset=utf-8' : 'application/pdf',
    filename: `${d.reference ?? 'decision'}.${format}`,
    content,
  };
}

type AppealRow = {
  id: string;
  decision_id: string;
  application_id: string;
  lodged_on: string;
  deadline: string | null;
  late: boolean;
  grounds: string;
  status: string;
  outcome_note: string | null;
  version: number;
};
const toAppealView = (r: AppealRow): z.infer<typeof AppealView> => ({
  id: r.id,
  decisionId: r.decision_id,
  applicationId: r.application_id,
  lodgedOn: r.lodged_on,
  deadline: r.deadline,
  late: r.late,
  grounds: r.grounds,
  status: r.status,
  outcomeNote: r.outcome_note,
  version: r.version,
});

/** Record an appeal against the decision on an application (the exporter, or an officer on its behalf); late ones are flagged. */
export async function recordAppeal(
  ctx: ServiceContext,
  actor: Principal,
  applicationId: string,
  input: { lodgedOn: string; grounds: string },
): Promise<z.infer<typeof AppealView>> {
  const data = parseInput(AppealCreate, input);
  const id = ctx.newId();
  await ctx.db.transaction().execute(async (trx) => {
    const app = await loadVisibleApplication(trx, actor, applicationId);
    const user = requireUser(actor);
    if (user.role === 'exporter') assertExporterOf(actor, app.organisationId, 'application');
    else if (user.role !== 'officer')
      throw forbidden('The exporter, or an officer on its behalf, records an appeal.');
    const d = await trx
      .selectFrom('decisions')
      .select(['id', 'appeal_deadline', 'decided_at'])
      .where('application_id', '=', applicationId)
      .orderBy('decided_at', 'desc')
      .executeTakeFirst();
    if (!d) throw new DomainError('CONFLICT', 'There is no decision to appeal against yet.');
    const decidedOn = new Date(d.decided_at).toISOString().slice(0, 10);
    if (data.lodgedOn < decidedOn)
      throw invalid('An appeal cannot be lodged before the decision.', [
        { path: 'lodgedOn', message: `before ${decidedOn}` },
      ]);
    const late = d.appeal_deadline !== null && data.lodgedOn > d.appeal_deadline;
    const now = ctx.now();
    await trx
      .insertInto('appeals')
      .values({
        id,
        decision_id: d.id,
        application_id: applicationId,
        lodged_on: data.lodgedOn,
        deadline: d.appeal_deadline,
        late,
        grounds: data.grounds,
        status: 'lodged',
        outcome_note: null,
        recorded_by: user.userId,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await appendAudit(ctx, trx, actor, {
      action: 'appeal.lodged',
      entityType: 'appeal',
      entityId: id,
      payload: {
        applicationId,
        decisionId: d.id,
        lodgedOn: data.lodgedOn,
        deadline: d.appeal_deadline,
        late,
      },
    });
  });
  return (await listAppeals(ctx, actor, applicationId)).find((a) => a.id === id)!;
}

export async function listAppeals(
  ctx: ServiceContext,
  actor: Principal,
  applicationId: string,
): Promise<z.infer<typeof AppealView>[]> {
  await loadVisibleApplication(ctx.db, actor, applicationId);
  const rows = await ctx.db
    .selectFrom('appeals')
    .selectAll()
    .where('application_id', '=', applicationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toAppealView);
}

/** An officer records the outcome of an appeal (upheld, dismissed, withdrawn). */
export async function resolveAppeal(
  ctx: ServiceContext,
  actor: Principal,
  applicationId: string,
  appealId: string,
  input: { status: 'upheld' | 'dismissed' | 'withdrawn'; note: string; expectedVersion: number },
): Promise<z.infer<typeof AppealView>> {
  const data = parseInput(AppealResolve, input);
  await ctx.db.transaction().execute(async (trx) => {
    await loadVisibleApplication(trx, actor, applicationId);
    const user = requireUser(actor);
    if (user.role !== 'officer') throw forbidden('A licensing officer records the outcome of an appeal.');
    const a = await trx
      .selectFrom('appeals')
      .selectAll()
      .where('id', '=', appealId)
      .where('application_id', '=', applicationId)
      .executeTakeFirst();
    if (!a) throw notFound('Appeal');
    if (a.status !== 'lodged') throw new DomainError('CONFLICT', `The appeal is already ${a.status}.`);
    if (a.version !== data.expectedVersion) throw staleVersion('appeal', a.version, data.expectedVersion);
    await trx
      .updateTable('appeals')
      .set({ status: data.status, outcome_note: data.note, updated_at: ctx.now(), version: a.version + 1 })
      .where('id', '=', appealId)
      .where('version', '=', a.version)
      .execute();
    await appendAudit(ctx, trx, actor, {
      action: `appeal.${data.status}`,
      entityType: 'appeal',
      entityId: appealId,
      payload: { applicationId },
    });
  });
  return (await listAppeals(ctx, actor, applicationId)).find((a) => a.id === appealId)!;
}
