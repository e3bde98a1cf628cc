/** Liveness and readiness probes. */
import { sql } from 'kysely';
import { z } from 'zod';
import type { RouteModule } from './types.ts';

export const healthRoutes: RouteModule = (app, ctx, options) => {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness: the process answers',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({
      status: 'ok' as const,
    }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: the database answers and is migrated',
        response: { 200: z.object({ status: z.literal('ready'), database: z.string() }) },
      },
    },
    async () => {
      await sql`select 1`.execute(ctx.db);
      await options.ready?.();
      return { status: 'ready' as const, database: 'ok' };
    },
  );
};
