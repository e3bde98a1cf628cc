/** Composition root: configuration -> database -> services -> HTTP server and job workers. */
import { hostname } from 'node:os';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/client.ts';
import { migrate, type MigrationReport } from './db/migrate.ts';
import { runUpkeep } from './db/upkeep.ts';
import { buildHttpApp, type App } from './http/app.ts';
import { createWorker, type JobHandler, type Worker } from './jobs/queue.ts';
import { runReassessment } from './services/assessments.service.ts';
import { REASSESS_QUEUE } from './services/evidence.service.ts';
import { createServiceContext, type ServiceContext } from './services/context.ts';
import { createOutboxDeliveryHandler, OUTBOX_QUEUE } from './services/outbox.service.ts';
import {
  rescreenAfterListChange,
  SCREEN_APPLICATION_QUEUE,
  screenSubmittedApplication,
} from './services/screening-runs.service.ts';
import { RESCREEN_QUEUE } from './services/watchlists.service.ts';
import {
  EXPIRE_LICENCES_EVERY_HOURS,
  EXPIRE_LICENCES_QUEUE,
  expireLicences,
} from './services/licences.service.ts';
import {
  PUBLICATION_SCHEDULE_QUEUE,
  publicationRecurringJob,
  runPublicationSchedule,
} from './services/publication.service.ts';
import { ensureRecurringJobs, withRecurrence, type RecurringJob } from './jobs/recurring.ts';
import {
  DEADLINE_REMINDERS_QUEUE,
  notificationPolicy,
  sendDeadlineReminders,
} from './services/notifications.service.ts';

export interface Custos {
  readonly config: Config;
  readonly database: Database;
  readonly ctx: ServiceContext;
  close(): Promise<void>;
}

/** Open the configured database (taking the PGlite folder lock) and build the service context. */
export async function openCustos(config: Config, command: string): Promise<Custos> {
  const database = config.databaseUrl
    ? await openDatabase({ kind: 'postgres', url: config.databaseUrl })
    : await openDatabase({ kind: 'pglite', dataDir: config.dataDir, command });
  const ctx = createServiceContext(database.db, config);
  return { config, database, ctx, close: () => database.close() };
}

export const migrateCustos = (custos: Custos): Promise<MigrationReport> => migrate(custos.database);

/** The recurring table upkeep (ANALYZE, VACUUM) for databases without PostgreSQL's autovacuum (PGlite). */
export const DATABASE_UPKEEP_QUEUE = 'system.database-upkeep';

/**
 * The periodic jobs: each has exactly one pending run (ensureRecurringJobs at start) and each run queues the next
 * (withRecurrence). Queues started by events (screening, re-screening, re-assessment, outbox) are not periodic.
 */
export function recurringJobs(): RecurringJob[] {
  return [
    {
      queue: EXPIRE_LICENCES_QUEUE,
      everyMs: EXPIRE_LICENCES_EVERY_HOURS * 3_600_000,
      description: 'Expire the licences whose validity ended',
    },
    {
      queue: DEADLINE_REMINDERS_QUEUE,
      everyMs: notificationPolicy().reminders.everyHours * 3_600_000,
      description: 'Remind officers and exporters of case deadlines falling due',
    },
    publicationRecurringJob(),
    {
      queue: DATABASE_UPKEEP_QUEUE,
      everyMs: 3_600_000,
      description:
        'Analyze and vacuum the tables that need it where PostgreSQL autovacuum does not run (embedded PGlite)',
    },
  ];
}

/** Queue the pending run of every recurring job that has none (called when a worker starts). */
export const scheduleRecurringJobs = (ctx: ServiceContext) =>
  ensureRecurringJobs(ctx.db, recurringJobs(), ctx.now());

/** Job handlers of every capability, by queue name (recurring ones queue their next run first). */
export function jobHandlers(ctx: ServiceContext): Record<string, JobHandler> {
  const handlers = eventJobHandlers(ctx);
  for (const job of recurringJobs())
    handlers[job.queue] = withRecurrence(ctx.db, job, () => ctx.now(), handlers[job.queue]!);
  return handlers;
}

function eventJobHandlers(ctx: ServiceContext): Record<string, JobHandler> {
  return {
    'system.noop': async () => undefined,
    [OUTBOX_QUEUE]: createOutboxDeliveryHandler(ctx),
    [SCREEN_APPLICATION_QUEUE]: async (p) =>
      void (await screenSubmittedApplication(ctx, String(p.applicationId))),
    [RESCREEN_QUEUE]: async (p) => void (await rescreenAfterListChange(ctx, String(p.listName))),
    [EXPIRE_LICENCES_QUEUE]: async () => {
      await expireLicences(ctx);
    },
    [REASSESS_QUEUE]: async (payload) => {
      await runReassessment(ctx, payload);
    },
    [PUBLICATION_SCHEDULE_QUEUE]: async () => {
      await runPublicationSchedule(ctx);
    },
    [DEADLINE_REMINDERS_QUEUE]: async () => {
      await sendDeadlineReminders(ctx);
    },
    [DATABASE_UPKEEP_QUEUE]: async () => {
      await runUpkeep(ctx.db);
    },
  };
}

export interface RunningServer {
  app: App;
  url: string;
  worker: Worker | null;
  stop(): Promise<void>;
}

/** Start the HTTP server and, when configured, a job worker in the same process. */
export async function startServer(
  custos: Custos,
  options: { logger?: boolean } = {},
): Promise<RunningServer> {
  const { config, ctx } = custos;
  const app = await buildHttpApp(ctx, {
    logger: options.logger === false ? false : { level: config.logLevel },
  });
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const worker =
    config.jobWorkers > 0
      ? createWorker({
          db: ctx.db,
          workerId: `${hostname()}:${process.pid}`,
          handlers: jobHandlers(ctx),
          log: app.log,
        })
      : null;
  if (worker) await scheduleRecurringJobs(ctx);
  worker?.start();
  return {
    app,
    url: `http://${config.host}:${port}`,
    worker,
    async stop() {
      await worker?.stop();
      await app.close();
    },
  };
}
