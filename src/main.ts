/** Composition root: configuration -> database -> services -> HTTP server and job workers. */
import { hostname } from 'node:os';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/client.ts';
import { migrate, type MigrationReport } from './db/migrate.ts';
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
import { EXPIRE_LICENCES_QUEUE, expireLicences } from './services/licences.service.ts';
import { PUBLICATION_SCHEDULE_QUEUE, runPublicationSchedule } from './services/publication.service.ts';

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

/** Job handlers of every capability, by queue name. */
export function jobHandlers(ctx: ServiceContext): Record<string, JobHandler> {
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
