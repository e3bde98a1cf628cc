/**
 * Notifications outbox (issue 6 item 8): e-mails and webhook calls are written in the transaction of the change that
 * causes them and delivered afterwards by the job queue (retries with backoff, then the dead letters); webhook
 * subscriptions are managed by administrators and every call is signed (HMAC-SHA256, docs/notifications.md).
 */
import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { OutboxMessagesTable } from '../db/schema.ts';
import { conflict, notFound } from '../domain/errors.ts';
import type { Principal } from '../domain/model.ts';
import { signWebhookBody, WEBHOOK_HEADERS } from '../engines/notifications/webhook-signature.ts';
import type { ClaimedJob, JobHandler } from '../jobs/queue.ts';
import { enqueueJob } from '../jobs/queue.ts';
import { appendAudit } from './audit.service.ts';
import { actorOf, requireRole } from './authorization.ts';
import type { ServiceContext, Tx } from './context.ts';
import { parseInput } from './validation.ts';

/** The job queue that delivers outbox messages. */
export const OUTBOX_QUEUE = 'outbox.deliver';

/**
 * Events a webhook can subscribe to: the audit actions of lifecycle transitions that declare notify_* effects
 * (policy/workflow/lifecycle.yaml) and the events of policy/workflow/notifications.yaml (notifications.service.ts).
 */
export const NOTIFICATION_EVENTS = [
  'application.submitted',
  'application.information_requested',
  'application.information_provided',
  'application.information_request_closed',
  'application.withdrawn',
  'application.consultation_opened',
  'application.granted',
  'application.granted_with_conditions',
  'application.denied',
  'licence.suspended',
  'licence.reinstated',
  'licence.revoked',
  'licence.annulled',
  'licence.expired',
  'licence.exhausted',
  'denial_consultation.opened',
  'denial_consultation.extended',
  'denial_consultation.answered',
  'denial_consultation.withdrawn',
  'deadline.approaching',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export type NotificationInput =
  | {
      kind: 'email';
      event: string;
      /** E-mail addresses: one message (and one delivery job) per recipient. */
      to: string[];
      subject: string;
      text: string;
      organisationId?: string | null;
    }
  | {
      kind: 'webhook';
      event: NotificationEvent;
      /** The event's data; sent to every active subscription to the event. */
      data: Record<string, unknown>;
      organisationId?: string | null;
    };

/**
 * Write outgoing messages in the caller's transaction, each with its delivery job, so they exist if and only if the
 * change that causes them commits. Returns the message ids (none for a webhook event nobody subscribes to).
 */
export async function enqueueNotification(
  ctx: ServiceContext,
  trx: Tx,
  input: NotificationInput,
): Promise<string[]> {
  const maxAttempts = ctx.config.outbox.maxAttempts;
  const rows: {
    recipient: string;
    subscription_id: string | null;
    payload: Record<string, unknown>;
  }[] = [];
  if (input.kind === 'email') {
    for (const to of new Set(input.to))
      rows.push({
        recipient: to,
        subscription_id: null,
        payload: { subject: input.subject, text: input.text },
      });
  } else {
    const subs = await trx
      .selectFrom('webhook_subscriptions')
      .select(['id', 'url', 'events'])
      .where('removed_at', 'is', null)
      .orderBy('created_at')
      .execute();
    for (const s of subs)
      if (s.events.includes(input.event))
        rows.push({ recipient: s.url, subscription_id: s.id, payload: input.data });
  }
  const ids: string[] = [];
  const now = ctx.now();
  for (const r of rows) {
    const id = ctx.newId();
    await trx
      .insertInto('outbox_messages')
      .values({
        id,
        kind: input.kind,
        event: input.event,
        recipient: r.recipient,
        subscription_id: r.subscription_id,
        organisation_id: input.organisationId ?? null,
        payload: JSON.stringify(r.payload),
        max_attempts: maxAttempts,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await enqueueJob(trx, OUTBOX_QUEUE, { messageId: id }, { maxAttempts });
    ids.push(id);
  }
  return ids;
}

// ---------------------------------------------------------------------------------------------------------------
// Delivery (job handler)
// ---------------------------------------------------------------------------------------------------------------

type Transport = ReturnType<typeof nodemailer.createTransport>;

/** The job handler delivering one outbox message; registered in main.ts jobHandlers under OUTBOX_QUEUE. */
export function createOutboxDeliveryHandler(ctx: ServiceContext): JobHandler {
  let transport: Transport | null = null;
  const mailer = (): Transport =>
    (transport ??= nodemailer.createTransport({
      host: ctx.config.smtp.host,
      port: ctx.config.smtp.port,
      secure: ctx.config.smtp.secure,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    }));
  return async (payload, job) => {
    const messageId = typeof payload.messageId === 'string' ? payload.messageId : null;
    if (!messageId) throw new Error('outbox job without messageId');
    await deliverOutboxMessage(ctx, messageId, job, mailer);
  };
}

async function deliverOutboxMessage(
  ctx: ServiceContext,
  messageId: string,
  job: ClaimedJob,
  mailer: () => Transport,
): Promise<void> {
  const m = await ctx.db
    .selectFrom('outbox_messages')
    .selectAll()
    .where('id', '=', messageId)
    .executeTakeFirst();
  if (!m || m.status !== 'pending') return; // delivered already, or retried under another job
  try {
    if (m.kind === 'email') {
      const p = m.payload as { subject: string; text: string };
      await mailer().sendMail({
        from: ctx.config.smtp.from,
        to: m.recipient,
        subject: p.subject,
        text: p.text,
        headers: { 'X-Custos-Message-Id': m.id, 'X-Custos-Event': m.event },
      });
    } else {
      await postWebhook(ctx, m);
    }
  } catch (e) {
    const dead = job.attempts >= job.maxAttempts;
    await ctx.db
      .updateTable('outbox_messages')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        last_error: String(e instanceof Error ? e.message : e).slice(0, 2000),
        status: dead ? 'dead' : 'pending',
        updated_at: ctx.now(),
      }))
      .where('id', '=', m.id)
      .execute();
    throw e; // the queue retries with backoff, or moves the job to its dead state
  }
  await ctx.db
    .updateTable('outbox_messages')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      status: 'delivered',
      last_error: null,
      delivered_at: ctx.now(),
      updated_at: ctx.now(),
    }))
    .where('id', '=', m.id)
    .execute();
}

async function postWebhook(
  ctx: ServiceContext,
  m: { id: string; event: string; recipient: string; subscription_id: string | null; payload: unknown },
): Promise<void> {
  const sub = m.subscription_id
    ? await ctx.db
        .selectFrom('webhook_subscriptions')
        .select(['secret', 'removed_at'])
        .where('id', '=', m.subscription_id)
        .executeTakeFirst()
    : undefined;
  if (!sub) throw new Error('webhook subscription not found');
  if (sub.removed_at) throw new Error('webhook subscription removed');
  const now = ctx.now();
  const timestamp = Math.floor(now.getTime() / 1000);
  const body = JSON.stringify({ id: m.id, event: m.event, occurredAt: now.toISOString(), data: m.payload });
  const res = await fetch(m.recipient, {
    method: 'POST',
    redirect: 'manual',
    signal: AbortSignal.timeout(ctx.config.outbox.webhookTimeoutMs),
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Custos-Webhooks/1',
      [WEBHOOK_HEADERS.event]: m.event,
      [WEBHOOK_HEADERS.delivery]: m.id,
      [WEBHOOK_HEADERS.timestamp]: String(timestamp),
      [WEBHOOK_HEADERS.signature]: signWebhookBody(sub.secret, timestamp, body),
    },
    body,
  });
  await res.body?.cancel();
  if (res.status < 200 || res.status >= 300) throw new Error(`webhook receiver answered HTTP ${res.status}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Administration: dead letters, retries, webhook subscriptions
// ---------------------------------------------------------------------------------------------------------------

export interface OutboxMessageView {
  id: string;
  kind: 'email' | 'webhook';
  event: string;
  recipient: string;
  subscriptionId: string | null;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

export const OutboxListQuery = z.strictObject({
  status: z.enum(['pending', 'delivered', 'dead']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Outbox messages, newest first; `status: 'dead'` is the dead-letter view. Administrators only. */
export async function listOutboxMessages(
  ctx: ServiceContext,
  actor: Principal,
  query: z.input<typeof OutboxListQuery> = {},
): Promise<OutboxMessageView[]> {
  requireRole(actor, 'administrator');
  const q = parseInput(OutboxListQuery, query);
  let sel = ctx.db.selectFrom('outbox_messages').selectAll();
  if (q.status) sel = sel.where('status', '=', q.status);
  const rows = await sel.orderBy('created_at', 'desc').orderBy('id').limit(q.limit).execute();
  return rows.map(toOutboxView);
}

function toOutboxView(r: Selectable<OutboxMessagesTable>): OutboxMessageView {
  return {
    id: r.id,
    kind: r.kind,
    event: r.event,
    recipient: r.recipient,
    subscriptionId: r.subscription_id,
    status: r.status,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    lastError: r.last_error,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    deliveredAt: iso(r.delivered_at),
  };
}

/** Put a dead message back in the queue for another round of attempts. Administrators only; audited. */
export async function retryOutboxMessage(
  ctx: ServiceContext,
  actor: Principal,
  id: string,
): Promise<OutboxMessageView> {
  requireRole(actor, 'administrator');
  parseInput(z.uuid(), id, 'The message id');
  await ctx.db.transaction().execute(async (trx) => {
    const m = await trx
      .selectFrom('outbox_messages')
      .select(['id', 'status', 'max_attempts'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!m) throw notFound('Outbox message');
    if (m.status !== 'dead') throw conflict(`Only a dead message can be retried; this one is ${m.status}.`);
    await trx
      .updateTable('outbox_messages')
      .set({ status: 'pending', updated_at: ctx.now() })
      .where('id', '=', id)
      .execute();
    await enqueueJob(trx, OUTBOX_QUEUE, { messageId: id }, { maxAttempts: m.max_attempts });
    await appendAudit(ctx, trx, actor, {
      action: 'outbox.retried',
      entityType: 'outbox_message',
      entityId: id,
      payload: {},
    });
  });
  const row = await ctx.db
    .selectFrom('outbox_messages')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return toOutboxView(row);
}

export const WebhookSubscriptionRequest = z.strictObject({
  url: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
    .max(2000)
    .describe('Where events are POSTed'),
  events: z.array(z.enum(NOTIFICATION_EVENTS)).min(1).max(20),
  description: z.string().max(500).default(''),
});

export interface WebhookSubscriptionView {
  id: string;
  url: string;
  events: string[];
  description: string;
  createdBy: string;
  createdAt: string;
}

/** Subscribe a receiver to events. The secret is returned once, here, and never shown again. Administrators only. */
export async function createWebhookSubscription(
  ctx: ServiceContext,
  actor: Principal,
  input: z.input<typeof WebhookSubscriptionRequest>,
): Promise<WebhookSubscriptionView & { secret: string }> {
  requireRole(actor, 'administrator');
  const data = parseInput(WebhookSubscriptionRequest, input);
  const id = ctx.newId();
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  const now = ctx.now();
  const events = [...new Set(data.events)];
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('webhook_subscriptions')
      .values({
        id,
        url: data.url,
        events: JSON.stringify(events),
        secret,
        description: data.description,
        created_by: actorOf(actor),
        created_at: now,
        removed_at: null,
      })
      .execute();
    await appendAudit(ctx, trx, actor, {
      action: 'webhook.subscribed',
      entityType: 'webhook_subscription',
      entityId: id,
      payload: { url: data.url, events },
    });
  });
  return {
    id,
    url: data.url,
    events,
    description: data.description,
    createdBy: actorOf(actor),
    createdAt: now.toISOString(),
    secret,
  };
}

/** Active webhook subscriptions (without their secrets). Administrators only. */
export async function listWebhookSubscriptions(
  ctx: ServiceContext,
  actor: Principal,
): Promise<WebhookSubscriptionView[]> {
  requireRole(actor, 'administrator');
  const rows = await ctx.db
    .selectFrom('webhook_subscriptions')
    .select(['id', 'url', 'events', 'description', 'created_by', 'created_at'])
    .where('removed_at', 'is', null)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    url: r.url,
    events: r.events,
    description: r.description,
    createdBy: r.created_by,
    createdAt: iso(r.created_at)!,
  }));
}

/** Remove a subscription: no new messages for it; pending ones fail and end in the dead letters. Audited. */
export async function removeWebhookSubscription(
  ctx: ServiceContext,
  actor: Principal,
  id: string,
): Promise<void> {
  requireRole(actor, 'administrator');
  parseInput(z.uuid(), id, 'The subscription id');
  await ctx.db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('webhook_subscriptions')
      .set({ removed_at: ctx.now() })
      .where('id', '=', id)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw notFound('Webhook subscription');
    await appendAudit(ctx, trx, actor, {
      action: 'webhook.removed',
      entityType: 'webhook_subscription',
      entityId: id,
      payload: {},
    });
  });
}
