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
import {
  applicationTransitionEmail,
  consultationEmail,
  deadlineEmail,
  emailBody,
  licenceTransitionEmail,
  type EmailText,
} from '../engines/notifications/email-texts.ts';
import { assessDeadline } from '../engines/workflow/index.ts';
import { isLocale, LOCALES, type Locale } from '../domain/locales.ts';
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

/** A recipient and the language they read (their preference, else English). */
interface Recipient {
  email: string;
  language: Locale;
}
const recipientOf = (r: { email: string; language: string | null }): Recipient => ({
  email: r.email,
  language: isLocale(r.language) ? r.language : 'en',
});

/** Active users of the exporting organisation (exporter role only), by e-mail. */
async function exporterRecipients(db: Db, organisationId: string): Promise<Recipient[]> {
  const rows = await db
    .selectFrom('users')
    .select(['email', 'language'])
    .where('organisation_id', '=', organisationId)
    .where('role', '=', 'exporter')
    .where('disabled', '=', false)
    .orderBy('email')
    .execute();
  return rows.map(recipientOf);
}

/** The assigned officer if active, otherwise every active licensing officer. */
async function caseOfficerRecipients(db: Db, applicationId: string | null): Promise<Recipient[]> {
  if (applicationId) {
    const assigned = await db
      .selectFrom('applications')
      .innerJoin('users', 'users.id', 'applications.assigned_officer_id')
      .select(['users.email', 'users.language'])
      .where('applications.id', '=', applicationId)
      .where('users.role', '=', 'officer')
      .where('users.disabled', '=', false)
      .executeTakeFirst();
    if (assigned) return [recipientOf(assigned)];
  }
  const rows = await db
    .selectFrom('users')
    .select(['email', 'language'])
    .where('role', '=', 'officer')
    .where('disabled', '=', false)
    .orderBy('email')
    .execute();
  return rows.map(recipientOf);
}

async function recipientsOf(
  db: Db,
  audience: Audience,
  caseRef: { applicationId: string | null; organisationId: string },
): Promise<Recipient[]> {
  return audience === 'exporter'
    ? exporterRecipients(db, caseRef.organisationId)
    : caseOfficerRecipients(db, caseRef.applicationId);
}

/**
 * Send one event's messages: one e-mail per recipient of each audience, in the recipient's language (one message
 * per audience and language, each worded once), then the webhook event.
 */
async function dispatch(
  ctx: ServiceContext,
  trx: Tx,
  input: {
    event: NotificationEvent;
    audiences: AudiencePlan[];
    caseRef: { applicationId: string | null; organisationId: string };
    compose: (plan: AudiencePlan, locale: Locale) => EmailText;
    webhookData: Record<string, unknown>;
  },
): Promise<void> {
  const sent = new Set<string>();
  for (const plan of input.audiences) {
    const to = (await recipientsOf(trx, plan.audience, input.caseRef)).filter((r) => !sent.has(r.email));
    to.forEach((r) => sent.add(r.email));
    for (const locale of LOCALES) {
      const readers = to.filter((r) => r.language === locale).map((r) => r.email);
      if (readers.length === 0) continue;
      const m = input.compose(plan, locale);
      await enqueueNotification(ctx, trx, {
        kind: 'email',
        event: input.event,
        to: readers,
        organisationId: input.caseRef.organisationId,
        subject: m.subject,
        text: emailBody(locale, m, plan.audience, plan.actions),
      });
    }
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
  const url = caseUrl(ctx, app.id);
  const compose = (p: AudiencePlan, locale: Locale): EmailText =>
    applicationTransitionEmail(locale, {
      authority: ctx.config.authority.name,
      reference: app.reference,
      from: app.status,
      to,
      url,
      audience: p.audience,
      reason: input.reason,
      deadline: deadline ? { dueOn: deadline.due_on, who: deadline.who } : null,
      decision: input.decision
        ? { reference: input.decision.reference, licenceNumber: input.decision.licenceNumber }
        : null,
      at: ctx.now().toISOString(),
    });
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
    compose: (_plan, locale) =>
      licenceTransitionEmail(locale, {
        authority: ctx.config.authority.name,
        licenceNumber: licence.licenceNumber,
        from: licence.status,
        to,
        url,
        reason: input.reason,
        on: todayOf(ctx),
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
  const verb = input.event.split('.')[1] as 'opened' | 'extended' | 'answered' | 'withdrawn';
  await dispatch(ctx, trx, {
    event: input.event,
    audiences: rule.audiences.map((audience) => ({ audience, effects: [], actions: [] })),
    caseRef: { applicationId: c.application_id, organisationId: c.organisation_id },
    compose: (_plan, locale) =>
      consultationEmail(locale, {
        reference: c.reference,
        memberState: c.consulted_member_state,
        denialReference: c.denial_reference,
        event: verb,
        status: c.status,
        replyDueOn: c.reply_due_on,
        url: caseUrl(ctx, c.application_id),
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
      await dispatch(ctx, trx, {
        event: 'deadline.approaching',
        audiences: [{ audience, effects: [], actions: [] }],
        caseRef: { applicationId: d.application_id, organisationId: d.organisation_id },
        compose: (_plan, locale) =>
          deadlineEmail(locale, {
            reference: d.reference,
            kind: d.kind,
            who: d.who,
            dueOn: d.due_on,
            overdue: status.overdue,
            remainingWorkingDays: status.remainingWorkingDays,
            url: caseUrl(ctx, d.application_id),
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
