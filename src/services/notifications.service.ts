/**
 * Casework notifications, driven by policy: the `notify_*` effects that policy/workflow/lifecycle.yaml declares on
 * each transition, and the events of policy/workflow/notifications.yaml, become outbox messages (e-mail to the
 * audience's users, plus a webhook event carrying identifiers only) written in the transaction of the change.
 * Deadline reminders run as a recurring job. Texts name the case and the authority; never another organisation's data.
 */
import type { Application } from '../domain/model.ts';
import {
  checkNotificationCoverage,
  parseNotificationPolicy,
  planAudiences,
  type Audience,
  type AudiencePlan,
  type NotificationPolicy,
} from '../engines/notifications/notification-policy.ts';
import { assessDeadline } from '../engines/workflow/index.ts';
import { DomainError } from '../domain/errors.ts';
import { lifecyclePolicy, todayOf, workingCalendar } from './casework/policy.ts';
import { loadWorkflowPolicy } from './compliance-policy.ts';
import type { ServiceContext, Tx } from './context.ts';
import { enqueueNotification, NOTIFICATION_EVENTS, type NotificationEvent } from './outbox.service.ts';

/** The part of a transition plan notifications need. */
type PlanEffects = { effects: readonly string[]; auditAction: string };

/** The recurring job that sends deadline reminders (registered in src/main.ts, scheduled daily). */
export const DEADLINE_REMINDERS_QUEUE = 'casework.deadline-reminders';

/** The notifications policy, checked against the lifecycle: every notify_* effect has an audience. */
export function notificationPolicy(): NotificationPolicy {
  return loadWorkflowPolicy('notifications.yaml', (text, name) => {
    const policy = parseNotificationPolicy(text, name);
    const lifecycle = lifecyclePolicy();
    checkNotificationCoverage(policy, lifecycle, name);
    // Every event that can be sent is one a webhook can subscribe to.
    const events = new Set<string>(NOTIFICATION_EVENTS);
    const sent = [
      ...[lifecycle.application, lifecycle.licence].flatMap((m) =>
        m.transitions.filter((t) => t.effects.some((e) => e in policy.effects)).map((t) => t.audit),
      ),
      ...Object.keys(policy.events),
      'deadline.approaching',
    ];
    const unknown = sent.filter((e) => !events.has(e));
    if (unknown.length)
      throw new DomainError('INVALID', `${name}: events without a webhook name: ${unknown.join(', ')}`);
    return policy;
  });
}

type Db = Tx | ServiceContext['db'];

/** Active users of the exporting organisation (exporter role only), by e-mail. */
async function exporterEmails(db: Db, organisationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('email')
    .where('organisation_id', '=', organisationId)
    .where('role', '=', 'exporter')
    .where('disabled', '=', false)
    .orderBy('email')
    .execute();
  return rows.map((r) => r.email);
}

/** The assigned officer if active, otherwise every active licensing officer. */
async function caseOfficerEmails(db: Db, applicationId: string | null): Promise<string[]> {
  if (applicationId) {
    const assigned = await db
      .selectFrom('applications')
      .innerJoin('users', 'users.id', 'applications.assigned_officer_id')
      .select('users.email')
      .where('applications.id', '=', applicationId)
      .where('users.role', '=', 'officer')
      .where('users.disabled', '=', false)
      .executeTakeFirst();
    if (assigned) return [assigned.email];
  }
  const rows = await db
    .selectFrom('users')
    .select('email')
    .where('role', '=', 'officer')
    .where('disabled', '=', false)
    .orderBy('email')
    .execute();
  return rows.map((r) => r.email);
}

async function recipientsOf(
  db: Db,
  audience: Audience,
  caseRef: { applicationId: string | null; organisationId: string },
): Promise<string[]> {
  return audience === 'exporter'
    ? exporterEmails(db, caseRef.organisationId)
    : caseOfficerEmails(db, caseRef.applicationId);
}

const FOOTER = {
  exporter: 'You receive this message because you are a user of the exporting organisation.',
  case_officer: 'You receive this message as the licensing officer of the case (or of the authority).',
} as const;

const OUTCOME_TEXT: Record<string, string> = {
  granted: 'granted',
  granted_with_conditions: 'granted with conditions',
  denied: 'denied',
};

/** What a message about a case says, for one audience. */
interface Message {
  subject: string;
  lines: string[];
}

/** Send one event's messages: one e-mail per recipient of each audience, then the webhook event. */
async function dispatch(
  ctx: ServiceContext,
  trx: Tx,
  input: {
    event: NotificationEvent;
    audiences: AudiencePlan[];
    caseRef: { applicationId: string | null; organisationId: string };
    compose: (plan: AudiencePlan) => Message;
    webhookData: Record<string, unknown>;
  },
): Promise<void> {
  const sent = new Set<string>();
  for (const plan of input.audiences) {
    const to = (await recipientsOf(trx, plan.audience, input.caseRef)).filter((e) => !sent.has(e));
    if (to.length === 0) continue;
    to.forEach((e) => sent.add(e));
    const m = input.compose(plan);
    const actions = plan.actions.length ? ['', 'To do:', ...plan.actions.map((a) => `- ${a}`)] : [];
    await enqueueNotification(ctx, trx, {
      kind: 'email',
      event: input.event,
      to,
      organisationId: input.caseRef.organisationId,
      subject: m.subject,
      text: [...m.lines, ...actions, '', FOOTER[plan.audience]].join('\n'),
    });
  }
  if (input.audiences.length > 0)
    await enqueueNotification(ctx, trx, {
      kind: 'webhook',
      event: input.event,
      organisationId: input.caseRef.organisationId,
      data: { ...input.webhookData, occurredAt: ctx.now().toISOString() },
    });
}

const caseUrl = (ctx: ServiceContext, applicationId: string) =>
  `${ctx.config.publicUrl}/api/applications/${applicationId}`;

/** The decision that a decided transition carries (known once the decision is written). */
export interface DecisionNote {
  id: string;
  reference: string;
  licenceNumber: string | null;
}

/**
 * The notifications an application transition's effects declare, in its transaction. Called by the lifecycle for
 * every transition (decisions call it once the decision document exists, to link it).
 */
export async function notifyApplicationTransition(
  ctx: ServiceContext,
  trx: Tx,
  input: {
    app: Pick<Application, 'id' | 'reference' | 'organisationId' | 'status'>;
    to: string;
    plan: PlanEffects;
    reason: string | null;
    decision?: DecisionNote;
  },
): Promise<void> {
  const { app, to, plan } = input;
  const audiences = planAudiences(notificationPolicy(), plan.effects);
  if (audiences.length === 0) return;
  const deadline = await trx
    .selectFrom('case_deadlines')
    .select(['due_on', 'who', 'kind'])
    .where('application_id', '=', app.id)
    .where('kind', '=', to)
    .where('closed_at', 'is', null)
    .executeTakeFirst();
  const authority = ctx.config.authority.name;
  const url = caseUrl(ctx, app.id);
  const compose = (p: AudiencePlan): Message => {
    const lines: string[] = [];
    let subject = `Application ${app.reference}: ${to.replaceAll('_', ' ')}`;
    if (input.decision && OUTCOME_TEXT[to]) {
      subject = `Application ${app.reference}: ${OUTCOME_TEXT[to]}`;
      lines.push(
        `${authority} decided on application ${app.reference}: ${OUTCOME_TEXT[to]} (decision ${input.decision.reference}).`,
      );
      if (input.decision.licenceNumber) lines.push(`Licence number: ${input.decision.licenceNumber}.`);
      lines.push(
        'The reasoned decision, with the legal basis, the reasons and how to appeal:',
        `  ${url}/decision/document?format=pdf`,
        `  ${url}/decision/document?format=html`,
      );
    } else if (to === 'information_requested') {
      subject = `Application ${app.reference}: information requested`;
      lines.push(`${authority} asks for more information on application ${app.reference}.`);
      if (p.audience === 'exporter' && input.reason) lines.push('', 'Questions:', input.reason, '');
      if (deadline) lines.push(`Please answer by ${deadline.due_on}.`);
    } else if (to === 'submitted') {
      subject = `Application ${app.reference} submitted`;
      lines.push(`Application ${app.reference} was submitted to ${authority} on ${ctx.now().toISOString()}.`);
    } else {
      lines.push(
        `Application ${app.reference} moved from ${app.status.replaceAll('_', ' ')} to ${to.replaceAll('_', ' ')}.`,
      );
      if (input.reason) lines.push(`Reason: ${input.reason}`);
      if (deadline && deadline.who !== 'exporter')
        lines.push(`Deadline (${deadline.who.replaceAll('_', ' ')}): ${deadline.due_on}.`);
    }
    lines.push('', `Follow the case at ${url}.`);
    return { subject, lines };
  };
  await dispatch(ctx, trx, {
    event: plan.auditAction as NotificationEvent,
    audiences,
    caseRef: { applicationId: app.id, organisationId: app.organisationId },
    compose,
    webhookData: {
      applicationId: app.id,
      reference: app.reference,
      organisationId: app.organisationId,
      from: app.status,
      to,
      ...(to === 'submitted' && { submittedAt: ctx.now().toISOString() }),
      ...(deadline && { dueOn: deadline.due_on }),
      ...(input.decision && {
        decisionId: input.decision.id,
        decisionReference: input.decision.reference,
        licenceNumber: input.decision.licenceNumber,
      }),
    },
  });
}

/** The notifications a licence transition's effects declare (suspended, reinstated, revoked, expired...). */
export async function notifyLicenceTransition(
  ctx: ServiceContext,
  trx: Tx,
  input: {
    licence: {
      id: string;
      licenceNumber: string;
      applicationId: string;
      organisationId: string;
      status: string;
    };
    to: string;
    plan: PlanEffects;
    reason: string | null;
  },
): Promise<void> {
  const { licence, to } = input;
  const audiences = planAudiences(notificationPolicy(), input.plan.effects);
  if (audiences.length === 0) return;
  const url = `${ctx.config.publicUrl}/api/licences/${licence.id}`;
  await dispatch(ctx, trx, {
    event: input.plan.auditAction as NotificationEvent,
    audiences,
    caseRef: { applicationId: licence.applicationId, organisationId: licence.organisationId },
    compose: () => ({
      subject: `Licence ${licence.licenceNumber}: ${to}`,
      lines: [
        `Licence ${licence.licenceNumber} is now ${to} (it was ${licence.status}); ${ctx.config.authority.name}, ${todayOf(ctx)}.`,
        ...(input.reason ? [`Reason: ${input.reason}`] : []),
        '',
        `See the licence at ${url}.`,
      ],
    }),
    webhookData: {
      licenceId: licence.id,
      licenceNumber: licence.licenceNumber,
      applicationId: licence.applicationId,
      organisationId: licence.organisationId,
      from: licence.status,
      to,
    },
  });
}

/** An Art 16(2) denial consultation opened, extended, answered or withdrawn: the audiences of its policy event. */
export async function notifyConsultationEvent(
  ctx: ServiceContext,
  trx: Tx,
  input: {
    event:
      | 'denial_consultation.opened'
      | 'denial_consultation.extended'
      | 'denial_consultation.answered'
      | 'denial_consultation.withdrawn';
    consultationId: string;
  },
): Promise<void> {
  const rule = notificationPolicy().events[input.event];
  if (!rule) return;
  const c = await trx
    .selectFrom('denial_consultations')
    .innerJoin('applications', 'applications.id', 'denial_consultations.application_id')
    .innerJoin('denials', 'denials.id', 'denial_consultations.denial_id')
    .select([
      'denial_consultations.application_id',
      'denial_consultations.consulted_member_state',
      'denial_consultations.reply_due_on',
      'denial_consultations.status',
      'applications.reference',
      'applications.organisation_id',
      'denials.reference as denial_reference',
    ])
    .where('denial_consultations.id', '=', input.consultationId)
    .executeTakeFirstOrThrow();
  const verb = input.event.split('.')[1]!;
  await dispatch(ctx, trx, {
    event: input.event,
    audiences: rule.audiences.map((audience) => ({ audience, effects: [], actions: [] })),
    caseRef: { applicationId: c.application_id, organisationId: c.organisation_id },
    compose: () => ({
      subject: `Application ${c.reference}: Art 16 consultation ${verb} (${c.consulted_member_state})`,
      lines: [
        `The consultation of ${c.consulted_member_state} on its denial ${c.denial_reference} about application ${c.reference} was ${verb}; it is now ${c.status.replaceAll('_', ' ')}.`,
        ...(c.status === 'open' || c.status === 'extended' ? [`Reply due on ${c.reply_due_on}.`] : []),
        '',
        `Follow the case at ${caseUrl(ctx, c.application_id)}/denials.`,
      ],
    }),
    webhookData: {
      consultationId: input.consultationId,
      applicationId: c.application_id,
      reference: c.reference,
      memberState: c.consulted_member_state,
      status: c.status,
      replyDueOn: c.reply_due_on,
    },
  });
}

/**
 * The recurring reminder job: every open case deadline within the policy's lead time (or already overdue) that was
 * not announced yet gets one message to the audience of its `who`, in one transaction with its `reminded_at` mark.
 */
export async function sendDeadlineReminders(ctx: ServiceContext): Promise<{ reminded: string[] }> {
  const policy = notificationPolicy();
  const cal = workingCalendar(ctx);
  const today = todayOf(ctx);
  const open = await ctx.db
    .selectFrom('case_deadlines')
    .innerJoin('applications', 'applications.id', 'case_deadlines.application_id')
    .select([
      'case_deadlines.id',
      'case_deadlines.application_id',
      'case_deadlines.kind',
      'case_deadlines.who',
      'case_deadlines.started_on',
      'case_deadlines.working_days',
      'case_deadlines.due_on',
      'applications.reference',
      'applications.organisation_id',
    ])
    .where('case_deadlines.closed_at', 'is', null)
    .where('case_deadlines.reminded_at', 'is', null)
    .orderBy('case_deadlines.due_on')
    .orderBy('case_deadlines.id')
    .execute();
  const reminded: string[] = [];
  for (const d of open) {
    const status = assessDeadline(cal, { startedOn: d.started_on, workingDays: d.working_days }, today);
    if (!status.overdue && status.remainingWorkingDays > policy.reminders.workingDaysBefore) continue;
    const audience =
      policy.reminders.audienceByWho[d.who as keyof NotificationPolicy['reminders']['audienceByWho']];
    if (!audience) continue;
    await ctx.db.transaction().execute(async (trx) => {
      const mark = await trx
        .updateTable('case_deadlines')
        .set({ reminded_at: ctx.now() })
        .where('id', '=', d.id)
        .where('reminded_at', 'is', null)
        .where('closed_at', 'is', null)
        .executeTakeFirst();
      if (Number(mark.numUpdatedRows) !== 1) return; // closed or announced meanwhile
      const what =
        d.kind === 'information_requested'
          ? 'the answer to the information request'
          : `the ${d.kind.replaceAll('_', ' ')} deadline`;
      await dispatch(ctx, trx, {
        event: 'deadline.approaching',
        audiences: [{ audience, effects: [], actions: [] }],
        caseRef: { applicationId: d.application_id, organisationId: d.organisation_id },
        compose: () => ({
          subject: `Application ${d.reference}: deadline ${status.overdue ? 'passed' : 'approaching'} (${d.due_on})`,
          lines: [
            status.overdue
              ? `On application ${d.reference}, ${what} was due on ${d.due_on} (${d.who.replaceAll('_', ' ')}).`
              : `On application ${d.reference}, ${what} is due on ${d.due_on} (${d.who.replaceAll('_', ' ')}): ${status.remainingWorkingDays} working day(s) left.`,
            '',
            `Follow the case at ${caseUrl(ctx, d.application_id)}.`,
          ],
        }),
        webhookData: {
          applicationId: d.application_id,
          reference: d.reference,
          deadlineKind: d.kind,
          who: d.who,
          dueOn: d.due_on,
          overdue: status.overdue,
        },
      });
      reminded.push(d.id);
    });
  }
  return { reminded };
}
