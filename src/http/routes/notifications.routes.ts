/** Notifications outbox administration: webhook subscriptions, the outbox and its dead letters, retries. */
import { z } from 'zod';
import {
  createWebhookSubscription,
  listOutboxMessages,
  listWebhookSubscriptions,
  NOTIFICATION_EVENTS,
  removeWebhookSubscription,
  retryOutboxMessage,
  WebhookSubscriptionRequest,
} from '../../services/outbox.service.ts';
import type { RouteModule } from './types.ts';

const WebhookSubscriptionView = z
  .object({
    id: z.uuid(),
    url: z.string(),
    events: z.array(z.string()),
    description: z.string(),
    createdBy: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'WebhookSubscription' });

const OutboxMessageView = z
  .object({
    id: z.uuid(),
    kind: z.enum(['email', 'webhook']),
    event: z.string(),
    recipient: z.string(),
    subscriptionId: z.string().nullable(),
    status: z.enum(['pending', 'delivered', 'dead']),
    attempts: z.number(),
    maxAttempts: z.number(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    deliveredAt: z.string().nullable(),
  })
  .meta({ id: 'OutboxMessage' });

export const notificationRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/admin/webhooks',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Webhook subscriptions (administrators; secrets are never shown again after creation)',
        response: { 200: z.array(WebhookSubscriptionView) },
      },
    },
    async (req) => listWebhookSubscriptions(ctx, req.principal),
  );
  app.post(
    '/api/admin/webhooks',
    {
      schema: {
        tags: ['notifications'],
        summary: `Subscribe a receiver URL to events (${NOTIFICATION_EVENTS.join(', ')}); returns the signing secret once`,
        body: WebhookSubscriptionRequest,
        response: { 201: WebhookSubscriptionView.extend({ secret: z.string() }) },
      },
    },
    async (req, reply) => reply.code(201).send(await createWebhookSubscription(ctx, req.principal, req.body)),
  );
  app.delete(
    '/api/admin/webhooks/:id',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Remove a webhook subscription (its undelivered messages end in the dead letters)',
        params: z.object({ id: z.uuid() }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await removeWebhookSubscription(ctx, req.principal, req.params.id);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/api/admin/outbox',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Outgoing e-mails and webhook calls, newest first; status=dead is the dead-letter view',
        querystring: z.strictObject({
          status: z.enum(['pending', 'delivered', 'dead']).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.array(OutboxMessageView) },
      },
    },
    async (req) => listOutboxMessages(ctx, req.principal, req.query),
  );
  app.post(
    '/api/admin/outbox/:id/retry',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Queue a dead message for another round of delivery attempts',
        params: z.object({ id: z.uuid() }),
        response: { 200: OutboxMessageView },
      },
    },
    async (req) => retryOutboxMessage(ctx, req.principal, req.params.id),
  );
};
