/** Screening parties against the loaded lists: one name, or up to 1,000 in a batch. */
import { z } from 'zod';
import {
  ScreeningOptionsInput,
  ScreeningQueryInput,
  screenParties,
  screenParty,
} from '../../services/screening.service.ts';
import type { RouteModule } from './types.ts';

const Hit = z
  .looseObject({
    listName: z.string(),
    sourceId: z.string(),
    schema: z.string(),
    entryName: z.string(),
    matchedAlias: z.string(),
    score01: z.number(),
    explanation: z.looseObject({ scorer: z.string(), name01: z.number() }),
  })
  .meta({
    id: 'ScreeningHit',
    description:
      'A list entry whose best alias scored at or above the threshold, with the features behind the score',
  });
const ListUsed = z.object({
  listName: z.string(),
  publisher: z.string(),
  publishedOn: z.string().nullable(),
  importedAt: z.string(),
  checksum: z.string(),
  entries: z.unknown(),
});

export const screeningRoutes: RouteModule = (app, ctx) => {
  app.post(
    '/api/screenings',
    {
      schema: {
        tags: ['screening'],
        summary:
          'Screen one party (name, and optionally schema, country, birth date, identifiers as evidence)',
        body: ScreeningQueryInput.extend({ options: ScreeningOptionsInput.optional() }),
        response: {
          200: z.object({
            query: z.looseObject({ name: z.string() }),
            threshold: z.number(),
            hits: z.array(Hit),
            lists: z.array(ListUsed),
          }),
        },
      },
    },
    async (req) => {
      const { options, ...query } = req.body;
      return (await screenParty(ctx, req.principal, query, options ?? {})) as never;
    },
  );
  app.post(
    '/api/screenings/batch',
    {
      schema: {
        tags: ['screening'],
        summary: 'Screen up to 1,000 parties in one request',
        body: z.strictObject({
          queries: z.array(ScreeningQueryInput).min(1).max(1000),
          options: ScreeningOptionsInput.optional(),
        }),
        response: {
          200: z.object({
            results: z.array(
              z.object({ index: z.number().int(), hits: z.array(Hit), error: z.string().optional() }),
            ),
            threshold: z.number(),
            lists: z.array(ListUsed),
            elapsedMs: z.number(),
          }),
        },
      },
    },
    async (req) =>
      (await screenParties(ctx, req.principal, req.body.queries, req.body.options ?? {})) as never,
  );
};
