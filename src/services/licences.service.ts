/**
 * Licences (issue 6): the licence state machine (active, suspended, revoked, annulled, expired, exhausted) from
 * policy/workflow/lifecycle.yaml, amendments (planAmendment), usage reports by exporters (assessLicenceUsage,
 * exhaustion), the expiry job, and the post-licence review flag.
 */
import type { z } from 'zod';
import {
  LicenceAmendmentCreate,
  LicenceListQuery,
  LicenceTransitionCommand,
  ReviewFlag,
  UsageReportCreate,
  type LicenceTransitionCommandInput,
  type LicenceView,
  type UsageView,
} from '../contracts/casework.ts';
import { DomainError, forbidden, notFound, staleVersion } from '../domain/errors.ts';
import { systemPrincipal, type LicenceType, type Principal } from '../domain/model.ts';
import { assessLicenceUsage, planAmendment, toEpochDay, type UsageEntry } from '../engines/workflow/index.ts';
import { appendAudit } from './audit.service.ts';
import {
  actorOf,
  assertCanReadOrganisation,
  assertExporterOf,
  isStaff,
  requireRole,
  requireUser,
} from './authorization.ts';
import { actorRoleOf, planOrRefuse, type AllowedPlan } from './casework/lifecycle.ts';
import { licenceTypePolicy, lifecyclePolicy, todayOf } from './casework/policy.ts';
import type { ServiceContext, Tx } from './context.ts';
import { toLicenceView } from './decisions.service.ts';
import { notifyLicenceTransition } from './notifications.service.ts';
import { parseInput } from './validation.ts';

type Licence = z.infer<typeof LicenceView>;

/** What a hook receives after a licence changes status (inside the same transaction). */
export interface LicenceTransitionEvent {
  licence: Licence;
  to: string;
  reason: string | null;
  plan: AllowedPlan;
}
export type AfterLicenceTransitionHook = (
  ctx: ServiceContext,
  trx: Tx,
  actor: Principal,
  event: LicenceTransitionEvent,
) => Promise<void>;
/** Hooks after each licence transition; the lead attaches denial recording for revocations/annulments here. */
export const afterLicenceTransitionHooks: AfterLicenceTransitionHook[] = [];

async function loadLicence(db: Tx | ServiceContext['db'], actor: Principal, id: string): Promise<Licence> {
  const row = await db.selectFrom('licences').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Licence');
  assertCanReadOrganisation(actor, row.organisation_id, 'Licence');
  return toLicenceView(row);
}

export const getLicence = (ctx: ServiceContext, actor: Principal, id: string): Promise<Licence> =>
  loadLicence(ctx.db, actor, id);

/** Licences: an exporter sees its own; staff see all, optionally by organisation and status. */
export async function listLicences(
  ctx: ServiceContext,
  actor: Principal,
  query: Partial<z.input<typeof LicenceListQuery>>,
): Promise<{ items: Licence[]; total: number; limit: number; offset: number }> {
  const q = parseInput(LicenceListQuery, query, 'The query');
  let organisationId = q.organisationId;
  if (!isStaff(actor)) {
    const user = requireUser(actor);
    requireRole(actor, 'exporter');
    organisationId = user.organisationId;
  }
  let base = ctx.db.selectFrom('licences');
  if (organisationId) base = base.where('organisation_id', '=', organisationId);
  if (q.status) base = base.where('status', '=', q.status);
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(q.limit).offset(q.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toLicenceView), total: Number(count.n), limit: q.limit, offset: q.offset };
}

async function previousUsage(trx: Tx | ServiceContext['db'], licenceId: string): Promise<UsageEntry[]> {
  const rows = await trx
    .selectFrom('licence_usage_reports')
    .select('entries')
    .where('licence_id', '=', licenceId)
    .orderBy('reported_at')
    .orderBy('id')
    .execute();
  return rows.flatMap((r) => r.entries);
}

/** Guard facts of the licence machine: validity ended, quantities used up, and the officer's notification check. */
async function licenceFacts(
  ctx: ServiceContext,
  trx: Tx,
  licence: Licence,
  memberStatesNotified: boolean | undefined,
): Promise<Record<string, boolean | undefined>> {
  const usage = assessLicenceUsage(
    { status: 'active', validFrom: licence.validFrom, validUntil: licence.validUntil, lines: licence.lines },
    await previousUsage(trx, licence.id),
    [],
  );
  return {
    validity_period_ended:
      licence.validUntil !== null && toEpochDay(todayOf(ctx)) > toEpochDay(licence.validUntil),
    quantity_or_value_used_up: usage.lines.length > 0 && usage.lines.every((l) => l.exhausted),
    member_states_notified: memberStatesNotified,
  };
}

/** Apply one licence transition in `trx` (version, role, state, guards), writing status, history and audit. */
async function applyLicenceTransition(
  ctx: ServiceContext,
  trx: Tx,
  actor: Principal,
  licence: Licence,
  input: LicenceTransitionCommandInput,
): Promise<void> {
  if (licence.version !== input.expectedVersion)
    throw staleVersion('licence', licence.version, input.expectedVersion);
  const reason = input.reason?.trim() ? input.reason.trim() : null;
  const facts = await licenceFacts(ctx, trx, licence, input.memberStatesNotified);
  const plan = planOrRefuse(
    lifecyclePolicy().licence,
    licence.status,
    input.to,
    actorRoleOf(actor),
    facts,
    reason,
  );
  const now = ctx.now();
  const res = await trx
    .updateTable('licences')
    .set({ status: input.to, updated_at: now, version: licence.version + 1 })
    .where('id', '=', licence.id)
    .where('version', '=', licence.version)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw staleVersion('licence');
  await trx
    .insertInto('licence_transitions')
    .values({
      licence_id: licence.id,
      from_status: licence.status,
      to_status: input.to,
      actor: actorOf(actor),
      at: now,
      reason,
      policy_version: plan.policyVersion,
    })
    .execute();
  await appendAudit(ctx, trx, actor, {
    action: plan.auditAction,
    entityType: 'licence',
    entityId: licence.id,
    payload: {
      number: licence.licenceNumber,
      from: licence.status,
      to: input.to,
      reason,
      policyVersion: plan.policyVersion,
      guardsChecked: plan.guardsChecked.map((g) => g.guard),
      effects: plan.effects,
    },
  });
  await notifyLicenceTransition(ctx, trx, { licence, to: input.to, plan, reason });
  for (const hook of afterLicenceTransitionHooks)
    await hook(ctx, trx, actor, { licence, to: input.to, reason, plan });
}

/**
 * Suspend, reinstate, revoke, annul, expire or exhaust a licence under the licence state machine.
 *
 * @example
 * await transitionLicence(ctx, officer, id, { to: 'suspended', reason: 'Credible misuse report', memberStatesNotified: true, expectedVersion: 1 });
 */
export async function transitionLicence(
  ctx: ServiceContext,
  actor: Principal,
  licenceId: string,
  input: LicenceTransitionCommandInput,
): Promise<Licence> {
  const data = parseInput(LicenceTransitionCommand, input);
  await ctx.db.transaction().execute(async (trx) => {
    const licence = await loadLicence(trx, actor, licenceId);
    await applyLicenceTransition(ctx, trx, actor, licence, data);
  });
  return getLicence(ctx, actor, licenceId);
}

/** The history of a licence's statuses. */
export async function listLicenceTransitions(ctx: ServiceContext, actor: Principal, licenceId: string) {
  await loadLicence(ctx.db, actor, licenceId);
  const rows = await ctx.db
    .selectFrom('licence_transitions')
    .selectAll()
    .where('licence_id', '=', licenceId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    fromStatus: r.from_status,
    toStatus: r.to_status,
    actor: r.actor,
    at: new Date(r.at).toISOString(),
    reason: r.reason,
    policyVersion: r.policy_version,
  }));
}

/**
 * An officer amends a licence. planAmendment says whether the change is administrative, needs the officer's
 * re-assessment (recorded as done by this officer, with the reason), or needs a new application (refused).
 */
export async function amendLicence(
  ctx: ServiceContext,
  actor: Principal,
  licenceId: string,
  input: z.input<typeof LicenceAmendmentCreate>,
): Promise<{ licence: Licence; amendment: { id: string; kind: string; effect: string; reasons: string[] } }> {
  const data = parseInput(LicenceAmendmentCreate, input);
  const id = ctx.newId();
  let result: { effect: string; reasons: string[] } = { effect: '', reasons: [] };
  await ctx.db.transaction().execute(async (trx) => {
    const licence = await loadLicence(trx, actor, licenceId);
    if (requireUser(actor).role !== 'officer') throw forbidden('A licensing officer amends licences.');
    if (licence.version !== data.expectedVersion)
      throw staleVersion('licence', licence.version, data.expectedVersion);
    const plan = planAmendment(
      licenceTypePolicy(),
      {
        licenceType: licence.licenceType as LicenceType,
        status: licence.status,
        issuedOn: licence.validFrom,
      },
      { kind: data.kind, ...(data.newValidUntil && { newValidUntil: data.newValidUntil }) },
    );
    if (!plan.allowed)
      throw new DomainError(
        plan.effect === 'new_application' ? 'CONFLICT' : 'INVALID',
        `This amendment is not possible${plan.effect === 'new_application' ? ': it needs a new application' : ''}. ${plan.reasons.join(' ')}`,
        { issues: [{ path: 'kind', message: plan.reasons.join(' ') || plan.effect }] },
      );
    result = { effect: plan.effect, reasons: plan.reasons };
    await trx
      .updateTable('licences')
      .set({
        ...(data.kind === 'extend_validity' && data.newValidUntil && { valid_until: data.newValidUntil }),
        updated_at: ctx.now(),
        version: licence.version + 1,
      })
      .where('id', '=', licenceId)
      .where('version', '=', licence.version)
      .execute();
    await trx
      .insertInto('licence_amendments')
      .values({
        id,
        licence_id: licenceId,
        kind: data.kind,
        effect: plan.effect,
        details: JSON.stringify({ ...(data.newValidUntil && { newValidUntil: data.newValidUntil }) }),
        reasons: JSON.stringify(plan.reasons),
        reason: data.reason,
        amended_by: requireUser(actor).userId,
        amended_at: ctx.now(),
      })
      .execute();
    await appendAudit(ctx, trx, actor, {
      action: 'licence.amended',
      entityType: 'licence',
      entityId: licenceId,
      payload: { kind: data.kind, effect: plan.effect, reasons: plan.reasons },
    });
  });
  return { licence: await getLicence(ctx, actor, licenceId), amendment: { id, kind: data.kind, ...result } };
}

/** Remaining quantities and values of a licence after every usage report. */
export async function getLicenceUsage(
  ctx: ServiceContext,
  actor: Principal,
  licenceId: string,
): Promise<z.infer<typeof UsageView>> {
  const licence = await loadLicence(ctx.db, actor, licenceId);
  const previous = await previousUsage(ctx.db, licenceId);
  const reports = await ctx.db
    .selectFrom('licence_usage_reports')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('licence_id', '=', licenceId)
    .executeTakeFirstOrThrow();
  const u = assessLicenceUsage({ ...licence, status: 'active' }, previous, []);
  return {
    licenceId,
    status: licence.status,
    reports: Number(reports.n),
    lines: u.lines,
    exhausted: u.lines.length > 0 && u.lines.every((l) => l.exhausted),
  };
}

/**
 * The exporter reports exports made under its licence, all or nothing; when every line is used up the licence
 * becomes exhausted (a `system` transition in the same transaction).
 */
export async function reportLicenceUsage(
  ctx: ServiceContext,
  actor: Principal,
  licenceId: string,
  input: z.input<typeof UsageReportCreate>,
): Promise<z.infer<typeof UsageView>> {
  const data = parseInput(UsageReportCreate, input);
  await ctx.db.transaction().execute(async (trx) => {
    const licence = await loadLicence(trx, actor, licenceId);
    assertExporterOf(actor, licence.organisationId, 'licence');
    const previous = await previousUsage(trx, licenceId);
    const usage = assessLicenceUsage(licence, previous, data.entries);
    if (!usage.accepted)
      throw new DomainError(
        'INVALID',
        `The usage report is refused: ${usage.refusals.map((r) => r.message).join(' ')}`,
        {
          issues: usage.refusals.map((r) => ({
            path: r.entryIndex >= 0 ? `entries.${r.entryIndex}` : 'licence',
            message: r.message,
          })),
        },
      );
    const id = ctx.newId();
    await trx
      .insertInto('licence_usage_reports')
      .values({
        id,
        licence_id: licenceId,
        entries: JSON.stringify(data.entries),
        reported_by: actor.kind === 'user' ? actor.userId : null,
        reported_at: ctx.now(),
      })
      .execute();
    await appendAudit(ctx, trx, actor, {
      action: 'licence.usage_reported',
      entityType: 'licence',
      entityId: licenceId,
      payload: { report: id, entries: data.entries.length, exhausted: usage.exhausted },
    });
    if (usage.exhausted)
      await applyLicenceTransition(ctx, trx, systemPrincipal('licence-usage'), licence, {
        to: 'exhausted',
        reason: 'Every licensed quantity or value has been used.',
        expectedVersion: licence.version,
      });
  });
  return getLicenceUsage(ctx, actor, licenceId);
}

/** An officer flags a licence for post-licence review when a re-assessment asks for it (audited). */
export async function flagLicenceForReview(
  ctx: ServiceContext,
  actor: Principal,
  licenceId: string,
  input: z.input<typeof ReviewFlag>,
): Promise<Licence> {
  const data = parseInput(ReviewFlag, input);
  await ctx.db.transaction().execute(async (trx) => {
    const licence = await loadLicence(trx, actor, licenceId);
    if (requireUser(actor).role !== 'officer')
      throw forbidden('A licensing officer flags a licence for review.');
    if (licence.version !== data.expectedVersion)
      throw staleVersion('licence', licence.version, data.expectedVersion);
    await trx
      .updateTable('licences')
      .set({
        post_licence_review: true,
        review_reason: data.reason,
        updated_at: ctx.now(),
        version: licence.version + 1,
      })
      .where('id', '=', licenceId)
      .where('version', '=', licence.version)
      .execute();
    await appendAudit(ctx, trx, actor, {
      action: 'licence.review_flagged',
      entityType: 'licence',
      entityId: licenceId,
      payload: { reason: data.reason },
    });
  });
  return getLicence(ctx, actor, licenceId);
}

/** Expire every active or suspended licence whose validity ended before today (the job `casework.expire-licences`). */
export async function expireLicences(
  ctx: ServiceContext,
  actor: Principal = systemPrincipal('licence-expiry'),
): Promise<{ expired: string[] }> {
  requireRole(actor, 'officer');
  const today = todayOf(ctx);
  const due = await ctx.db
    .selectFrom('licences')
    .select('id')
    .where('status', 'in', ['active', 'suspended'])
    .where('valid_until', 'is not', null)
    .where('valid_until', '<', today)
    .orderBy('valid_until')
    .execute();
  const expired: string[] = [];
  for (const { id } of due) {
    await ctx.db.transaction().execute(async (trx) => {
      const licence = await loadLicence(trx, actor, id);
      await applyLicenceTransition(ctx, trx, actor, licence, {
        to: 'expired',
        expectedVersion: licence.version,
      });
    });
    expired.push(id);
  }
  return { expired };
}

/** The job queue name of the expiry job (registered in src/main.ts jobHandlers, a recurring job). */
export const EXPIRE_LICENCES_QUEUE = 'casework.expire-licences';
/** The expiry job runs daily: a licence expires the day after its last valid day. */
export const EXPIRE_LICENCES_EVERY_HOURS = 24;
