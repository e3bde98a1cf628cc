/**
 * Applying the application lifecycle (policy/workflow/lifecycle.yaml) inside a transaction: guard facts from the
 * providers, the engine's plan, then status, transition row, audit event, deadlines. Refusals change nothing.
 */
import { sql } from 'kysely';
import { DomainError, staleVersion, type FieldIssue, requiredIssue } from '../../domain/errors.ts';
import type { Application, ApplicationStatus, Principal } from '../../domain/model.ts';
import type { ActorRole } from '../../domain/workflow.ts';
import {
  addWorkingDays,
  planTransition,
  type StateMachine,
  type TransitionPlan,
  type TransitionRefusal,
} from '../../engines/workflow/index.ts';
import { submissionGaps } from '../applications.service.ts';
import { appendAudit } from '../audit.service.ts';
import { requireUser } from '../authorization.ts';
import type { ServiceContext, Tx } from '../context.ts';
import { collectGuardFacts, guardFactProviders, type GuardFactProvider } from './guard-facts.ts';
import { lifecyclePolicy, todayOf, workingCalendar } from './policy.ts';
import { enqueueJob } from '../../jobs/queue.ts';
import { recordDenialCheck } from '../denials.service.ts';
import { notifyApplicationTransition } from '../notifications.service.ts';
import { SCREEN_APPLICATION_QUEUE } from '../screening-runs.service.ts';

/** The kind of the service-target deadline started on submission (`start_processing_clock`). */
export const PROCESSING_CLOCK = 'processing';

export type AllowedPlan = Extract<TransitionPlan, { allowed: true }>;

/** The lifecycle role of a principal: its user role, or `system` for jobs and the CLI's system principal. */
export function actorRoleOf(actor: Principal): ActorRole {
  if (actor.kind === 'system') return 'system';
  return requireUser(actor).role;
}

/** The engine's refusal as a DomainError: 403 for the role, 409 for the state or a failed guard, 400 for input. */
export function refusalError(refusal: TransitionRefusal, issues: FieldIssue[] = []): DomainError {
  switch (refusal.kind) {
    case 'role_not_allowed':
      return new DomainError('FORBIDDEN', refusal.message);
    case 'reason_missing':
      return new DomainError('INVALID', refusal.message, {
        issues: [requiredIssue('reason')],
      });
    case 'unknown_state':
      return new DomainError('INVALID', refusal.message, {
        issues: [{ path: 'to', message: 'unknown state' }],
      });
    case 'guard_failed':
      return new DomainError('CONFLICT', refusal.message, {
        issues: [
          ...refusal.failedGuards.map((g) => ({
            path: `guards.${g.guard}`,
            message: `${g.description} (${g.fact}; ${g.source})`,
          })),
          ...issues,
        ],
      });
    default:
      return new DomainError('CONFLICT', refusal.message);
  }
}

/** Plan a licence or application transition and throw the refusal; returns the allowed plan. */
export function planOrRefuse(
  machine: StateMachine,
  from: string,
  to: string,
  role: ActorRole,
  facts: Record<string, boolean | undefined>,
  reason: string | null,
  issues: FieldIssue[] = [],
): AllowedPlan {
  const plan = planTransition(machine, from, to, role, facts, { reason });
  if (!plan.allowed) throw refusalError(plan.refusal, issues);
  return plan;
}

export interface ApplyOptions {
  /** Guard fact providers (default: the registered list). Tests may add their own. */
  providers?: readonly GuardFactProvider[];
  /** Facts of this request (e.g. `reasons_given` from the decision being recorded). */
  extraFacts?: Record<string, boolean | undefined>;
  /** Working days for the deadline started on entering `to` (default: the policy's). */
  deadlineWorkingDays?: number;
  /** The caller sends the notify_* effects itself once it has written what they link to (decisions). */
  deferNotifications?: boolean;
}

/**
 * Move an application from its current status to `to` inside `trx`: check version, role, state and guards with the
 * engine, then write status (and submitted_at / decided_at), the transition row with the policy version, the audit
 * event the plan names, and the deadlines (close the one of the state left; start the one of the state entered;
 * `stop_processing_clock` closes the service target started on submission).
 */
export async function applyApplicationTransition(
  ctx: ServiceContext,
  trx: Tx,
  actor: Principal,
  app: Application,
  to: ApplicationStatus,
  input: { reason?: string | null; expectedVersion: number },
  options: ApplyOptions = {},
): Promise<AllowedPlan> {
  if (app.version !== input.expectedVersion)
    throw staleVersion('application', app.version, input.expectedVersion);
  const facts = {
    ...(await collectGuardFacts(ctx, trx, app, options.providers ?? guardFactProviders)),
    ...options.extraFacts,
  };
  const reason = input.reason?.trim() ? input.reason.trim() : null;
  const gaps = to === 'submitted' ? submissionGaps(app) : [];
  const planned = planTransition(lifecyclePolicy().application, app.status, to, actorRoleOf(actor), facts, {
    reason,
  });
  if (!planned.allowed) {
    const r = planned.refusal;
    if (
      r.kind === 'guard_failed' &&
      r.failedGuards.some((g) => g.guard === 'application_complete') &&
      gaps.length
    )
      throw new DomainError(
        'INVALID',
        `The application is not complete: ${gaps.map((g) => g.message).join('; ')}.`,
        {
          issues: gaps,
        },
      );
    throw refusalError(r);
  }
  const plan = planned;
  const now = ctx.now();
  const today = todayOf(ctx);
  const decided = lifecyclePolicy().application.terminal.includes(to) && to !== 'withdrawn';
  const res = await trx
    .updateTable('applications')
    .set({
      status: to,
      updated_at: now,
      version: app.version + 1,
      ...(to === 'submitted' ? { submitted_at: now } : {}),
      ...(decided ? { decided_at: now } : {}),
    })
    .where('id', '=', app.id)
    .where('version', '=', app.version)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw staleVersion('application');
  await trx
    .insertInto('application_transitions')
    .values({
      application_id: app.id,
      from_status: app.status,
      to_status: to,
      actor_id: actor.kind === 'user' ? actor.userId : null,
      at: now,
      reason,
      policy_version: plan.policyVersion,
    })
    .execute();
  // On submission each line keeps the classification its item has then (with the list and policy versions used),
  // so later re-classifications of the catalogue item do not rewrite what the authority was asked to decide on.
  if (to === 'submitted') {
    await sql`update application_lines set classification = items.classification
      from items where items.id = application_lines.item_id and application_lines.application_id = ${app.id}`.execute(
      trx,
    );
    await enqueueJob(trx, SCREEN_APPLICATION_QUEUE, { applicationId: app.id });
  }
  // Art 16(2): opening the assessment compares the case with every denial in force and records the check.
  if (to === 'in_assessment' && app.status === 'submitted') await recordDenialCheck(ctx, trx, actor, app.id);
  // Deadlines: leaving a state closes its own clock; stopping the processing clock closes every open one.
  const stop =
    plan.effects.includes('stop_processing_clock') || lifecyclePolicy().application.terminal.includes(to);
  let closeQuery = trx
    .updateTable('case_deadlines')
    .set({ closed_at: now })
    .where('application_id', '=', app.id)
    .where('closed_at', 'is', null);
  if (!stop) closeQuery = closeQuery.where('kind', '=', app.status).where('kind', '!=', PROCESSING_CLOCK);
  await closeQuery.execute();
  let deadline: { kind: string; dueOn: string; workingDays: number } | null = null;
  if (plan.deadline) {
    const cal = workingCalendar(ctx);
    const workingDays = options.deadlineWorkingDays ?? plan.deadline.workingDays;
    const dueOn = addWorkingDays(cal, today, workingDays);
    // The deadline started with the processing clock runs until a decision or withdrawal stops it.
    const kind = plan.effects.includes('start_processing_clock') ? PROCESSING_CLOCK : to;
    await trx
      .insertInto('case_deadlines')
      .values({
        id: ctx.newId(),
        application_id: app.id,
        kind,
        who: plan.deadline.who,
        started_on: today,
        working_days: workingDays,
        due_on: dueOn,
        calendar_id: cal.id,
        verified: plan.deadline.verified,
        source: plan.deadline.source,
        closed_at: null,
        created_at: now,
      })
      .execute();
    deadline = { kind, dueOn, workingDays };
  }
  await appendAudit(ctx, trx, actor, {
    action: plan.auditAction,
    entityType: 'application',
    entityId: app.id,
    payload: {
      from: app.status,
      to,
      reason,
      policyVersion: plan.policyVersion,
      guardsChecked: plan.guardsChecked.map((g) => g.guard),
      effects: plan.effects,
      deadline,
    },
  });
  if (!options.deferNotifications) await notifyApplicationTransition(ctx, trx, { app, to, plan, reason });
  return plan;
}
