/** The lists screened against, with their provenance: public, so anyone can see how fresh and complete they are. */
import { z } from 'zod';
import { listWatchlists } from '../../services/watchlists.service.ts';
import type { RouteModule } from './types.ts';

const WatchlistVersionView = z
  .object({
    id: z.uuid(),
    listName: z.string(),
    sourceKind: z.string(),
    publisher: z.string(),
    publishedOn: z.string().nullable(),
    importedAt: z.string(),
    importedBy: z.string(),
    checksum: z.string(),
    files: z.array(z.string()),
    counts: z.record(z.string(), z.unknown()),
    diff: z
      .object({ added: z.number(), removed: z.number(), changed: z.number(), unchanged: z.number() })
      .nullable(),
    warnings: z.array(z.string()),
    isCurrent: z.boolean(),
  })
  .meta({ id: 'WatchlistVersion' });

export const watchlistRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/lists',
    {
      schema: {
        tags: ['screening'],
        summary:
          'Restricted-party lists loaded: publisher, publication date, import time, checksum, counts, changes',
        querystring: z.strictObject({ all: z.enum(['true', 'false']).default('false') }),
        response: { 200: z.array(WatchlistVersionView) },
      },
    },
    async (req) => listWatchlists(ctx, { currentOnly: req.query.all !== 'true' }),
  );
};
