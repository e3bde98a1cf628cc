/** `custos webhooks add|list|remove` and `custos outbox list|retry`: the notifications outbox, for administrators. */
import type { Command } from 'commander';
import { systemPrincipal } from '../../domain/model.ts';
import { migrateCustos } from '../../main.ts';
import {
  createWebhookSubscription,
  listOutboxMessages,
  listWebhookSubscriptions,
  NOTIFICATION_EVENTS,
  removeWebhookSubscription,
  retryOutboxMessage,
} from '../../services/outbox.service.ts';
import type { CliContext } from '../context.ts';

export function registerNotificationCommands(program: Command, cli: CliContext): void {
  const webhooks = program.command('webhooks').description('Webhook subscriptions (signed event deliveries)');
  webhooks
    .command('add <url>')
    .description(
      `Subscribe a receiver URL to events; prints the signing secret once (events: ${NOTIFICATION_EVENTS.join(', ')})`,
    )
    .option('--event <event...>', 'event(s) to deliver', ['application.submitted'])
    .option('--description <text>', 'what the receiver is', '')
    .option('--json', 'machine-readable output')
    .action(async (url: string, opts: { event: string[]; description: string; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const sub = await cli.withCustos('custos webhooks add', async (custos) => {
        await migrateCustos(custos);
        return createWebhookSubscription(custos.ctx, systemPrincipal('cli'), {
          url,
          events: opts.event as (typeof NOTIFICATION_EVENTS)[number][],
          description: opts.description,
        });
      });
      out.result(sub, () =>
        [
          `Subscribed ${sub.url} to ${sub.events.join(', ')} (id ${sub.id}).`,
          `Signing secret (shown only now; give it to the receiver): ${sub.secret}`,
        ].join('\n'),
      );
    });
  webhooks
    .command('list')
    .description('Active webhook subscriptions')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const subs = await cli.withCustos('custos webhooks list', async (custos) => {
        await migrateCustos(custos);
        return listWebhookSubscriptions(custos.ctx, systemPrincipal('cli'));
      });
      out.result(subs, () =>
        subs.length === 0
          ? 'No webhook subscription.'
          : subs.map((s) => `${s.id}  ${s.url}  ${s.events.join(',')}  ${s.description}`).join('\n'),
      );
    });
  webhooks
    .command('remove <id>')
    .description('Remove a webhook subscription')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { json?: boolean }) => {
      const out = cli.output(!!opts.json);
      await cli.withCustos('custos webhooks remove', async (custos) => {
        await migrateCustos(custos);
        await removeWebhookSubscription(custos.ctx, systemPrincipal('cli'), id);
      });
      out.result({ removed: id }, () => `Removed webhook subscription ${id}.`);
    });

  const outbox = program.command('outbox').description('Outgoing e-mails and webhook calls');
  outbox
    .command('list')
    .description('Outbox messages, newest first')
    .option('--dead', 'only the dead letters (delivery given up)')
    .option('--status <status>', 'pending, delivered or dead')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'machine-readable output')
    .action(async (opts: { dead?: boolean; status?: string; limit: string; json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const messages = await cli.withCustos('custos outbox list', async (custos) => {
        await migrateCustos(custos);
        return listOutboxMessages(custos.ctx, systemPrincipal('cli'), {
          ...((opts.dead || opts.status) && {
            status: (opts.dead ? 'dead' : opts.status) as 'pending' | 'delivered' | 'dead',
          }),
          limit: Number(opts.limit),
        });
      });
      out.result(messages, () =>
        messages.length === 0
          ? 'No message.'
          : messages
              .map(
                (m) =>
                  `${m.id}  ${m.status.padEnd(9)} ${m.kind.padEnd(7)} ${m.event}  ${m.recipient}  attempts ${m.attempts}/${m.maxAttempts}${m.lastError ? `  last error: ${m.lastError}` : ''}`,
              )
              .join('\n'),
      );
    });
  outbox
    .command('retry <id>')
    .description('Queue a dead message for another round of delivery attempts')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { json?: boolean }) => {
      const out = cli.output(!!opts.json);
      const m = await cli.withCustos('custos outbox retry', async (custos) => {
        await migrateCustos(custos);
        return retryOutboxMessage(custos.ctx, systemPrincipal('cli'), id);
      });
      out.result(m, () => `Message ${m.id} queued again (${m.kind} to ${m.recipient}).`);
    });
}
