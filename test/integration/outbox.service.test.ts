// The notifications outbox end to end: application submitted -> e-mails through a real local SMTP server and a signed
// webhook to a local HTTP receiver; a failing receiver retries with backoff and ends in the dead letters.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  WEBHOOK_HEADERS,
  verifyWebhookSignature,
} from '../../src/engines/notifications/webhook-signature.ts';
import { createWorker, type Worker } from '../../src/jobs/queue.ts';
import { jobHandlers } from '../../src/main.ts';
import { submitApplication } from '../../src/services/applications.service.ts';
import { createServiceContext, type ServiceContext } from '../../src/services/context.ts';
import {
  createWebhookSubscription,
  listOutboxMessages,
  listWebhookSubscriptions,
  removeWebhookSubscription,
  retryOutboxMessage,
} from '../../src/services/outbox.service.ts';
import { makeApplication, makeWorld, type World } from '../factories/world.ts';
import { testConfig } from '../support/config.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';

interface Call {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let database: TestDatabase;
let ctx: ServiceContext;
let world: World;
let worker: Worker;
let smtp: SmtpSink;
let receiver: http.Server;
const calls: Call[] = [];
let receiverUrl = '';

beforeAll(async () => {
  smtp = await startSmtpSink();
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      calls.push({ path: req.url ?? '', headers: req.headers, body });
      res.statusCode = req.url === '/broken' ? 500 : 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  database = await createTestDatabase();
  ctx = createServiceContext(
    database.db,
    testConfig({
      CUSTOS_SMTP_HOST: '127.0.0.1',
      CUSTOS_SMTP_PORT: String(smtp.port),
      CUSTOS_SMTP_FROM: 'Custos Test <custos@authority.test>',
      CUSTOS_OUTBOX_MAX_ATTEMPTS: '3',
    }),
  );
  world = await makeWorld(ctx, 'outbox');
  worker = createWorker({ db: database.db, workerId: 'test-worker', handlers: jobHandlers(ctx), batch: 10 });
});
afterAll(async () => {
  await database.close();
  await smtp.close();
  await new Promise<void>((r) => receiver.close(() => r()));
});

/** Runs the due jobs, then makes the failed ones due at once (as if the backoff had passed), `rounds` times. */
async function deliver(rounds = 1): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await worker.drain();
    await sql`update jobs set run_at = now() where status = 'failed'`.execute(database.db);
  }
  await worker.drain();
}

describe('notifications outbox', () => {
  it('administrators manage webhook subscriptions; others are refused; bad input changes nothing', async () => {
    await expect(
      createWebhookSubscription(ctx, world.officer.principal, {
        url: `${receiverUrl}/hook`,
        events: ['application.submitted'],
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      createWebhookSubscription(ctx, world.admin.principal, {
        url: 'ftp://example.test/x',
        events: ['application.submitted'],
      }),
    ).rejects.toMatchObject({ code: 'INVALID' });
    await expect(
      createWebhookSubscription(ctx, world.admin.principal, {
        url: `${receiverUrl}/hook`,
        events: ['no.such.event' as 'application.submitted'],
      }),
    ).rejects.toMatchObject({ code: 'INVALID' });
    expect(await listWebhookSubscriptions(ctx, world.admin.principal)).toEqual([]);
    await expect(listOutboxMessages(ctx, world.exporterA.principal)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('application submitted: e-mails to the organisation users over SMTP and a signed webhook, in the same transaction', async () => {
    const sub = await createWebhookSubscription(ctx, world.admin.principal, {
      url: `${receiverUrl}/hook`,
      events: ['application.submitted'],
      description: 'case system',
    });
    expect(sub.secret).toMatch(/^whsec_/);
    expect(JSON.stringify(await listWebhookSubscriptions(ctx, world.admin.principal))).not.toContain(
      sub.secret,
    );

    const { app } = await makeApplication(ctx, world.exporterA.principal);
    // A refused submission (stale version) writes no message: the outbox shares the transaction.
    await expect(
      submitApplication(ctx, world.exporterA.principal, app.id, { version: app.version + 7 }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await listOutboxMessages(ctx, world.admin.principal)).toEqual([]);

    await submitApplication(ctx, world.exporterA.principal, app.id, { version: app.version });
    const queued = await listOutboxMessages(ctx, world.admin.principal, { status: 'pending' });
    // notify_exporter and notify_authority (policy/workflow/lifecycle.yaml): the exporter's users and the officers.
    expect(queued.map((m) => m.kind).sort()).toEqual(['email', 'email', 'webhook']);

    await deliver();
    // E-mail: one per user of exporter A (never exporter B's users), one per officer (nobody assigned yet).
    expect(
      smtp.mails
        .map((m) => m.to)
        .flat()
        .sort(),
    ).toEqual([world.exporterA.email, world.officer.email].sort());
    const toExporter = smtp.mails.find((m) => m.to.includes(world.exporterA.email))!;
    expect(toExporter.from).toBe('custos@authority.test');
    expect(toExporter.raw).toContain(`Subject: Application ${app.reference} submitted`);
    // Webhook: signed with the subscription secret over "<timestamp>.<body>".
    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    expect(call.headers[WEBHOOK_HEADERS.event]).toBe('application.submitted');
    const verified = verifyWebhookSignature(
      sub.secret,
      {
        timestamp: call.headers[WEBHOOK_HEADERS.timestamp] as string,
        signature: call.headers[WEBHOOK_HEADERS.signature] as string,
      },
      call.body,
      Math.floor(Date.now() / 1000),
    );
    expect(verified).toEqual({ valid: true });
    expect(
      verifyWebhookSignature(
        'whsec_wrong',
        {
          timestamp: call.headers[WEBHOOK_HEADERS.timestamp] as string,
          signature: call.headers[WEBHOOK_HEADERS.signature] as string,
        },
        call.body,
        Math.floor(Date.now() / 1000),
      ).valid,
    ).toBe(false);
    const body = JSON.parse(call.body) as { event: string; data: Record<string, unknown> };
    expect(body.event).toBe('application.submitted');
    expect(body.data).toMatchObject({ applicationId: app.id, reference: app.reference });
    const delivered = await listOutboxMessages(ctx, world.admin.principal, { status: 'delivered' });
    expect(delivered).toHaveLength(3);
    expect(delivered.every((m) => m.attempts === 1 && m.deliveredAt !== null)).toBe(true);
    await removeWebhookSubscription(ctx, world.admin.principal, sub.id);
  });

  it('a failing receiver is retried with backoff and ends in the dead-letter view; an administrator retries it', async () => {
    smtp.mails.length = 0;
    calls.length = 0;
    const broken = await createWebhookSubscription(ctx, world.admin.principal, {
      url: `${receiverUrl}/broken`,
      events: ['application.submitted'],
    });
    const { app } = await makeApplication(ctx, world.exporterA.principal);
    await submitApplication(ctx, world.exporterA.principal, app.id, { version: app.version });

    await worker.drain();
    const afterFirst = (await listOutboxMessages(ctx, world.admin.principal)).find(
      (m) => m.subscriptionId === broken.id,
    )!;
    expect(afterFirst).toMatchObject({ status: 'pending', attempts: 1 });
    expect(afterFirst.lastError).toMatch(/HTTP 500/);
    // The queue set a later run time (backoff): nothing runs before it is due.
    expect(await worker.drain()).toBe(0);

    await deliver(3);
    const dead = await listOutboxMessages(ctx, world.admin.principal, { status: 'dead' });
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ id: afterFirst.id, attempts: 3, maxAttempts: 3 });
    expect(calls.filter((c) => c.path === '/broken')).toHaveLength(3);
    const job = await database.db
      .selectFrom('jobs')
      .select('status')
      .where(sql`payload->>'messageId'`, '=', afterFirst.id)
      .executeTakeFirstOrThrow();
    expect(job.status).toBe('dead');

    // Retry: only a dead message, only by an administrator.
    await expect(retryOutboxMessage(ctx, world.officer.principal, afterFirst.id)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const delivered = (await listOutboxMessages(ctx, world.admin.principal, { status: 'delivered' }))[0]!;
    await expect(retryOutboxMessage(ctx, world.admin.principal, delivered.id)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const retried = await retryOutboxMessage(ctx, world.admin.principal, afterFirst.id);
    expect(retried.status).toBe('pending');
    await worker.drain();
    expect(calls.filter((c) => c.path === '/broken')).toHaveLength(4);
  });
});
