/** Screening in the workflow: an application's screening, hits on parties, officer adjudications, exporter notes. */
import { z } from 'zod';
import {
  AdjudicationInput,
  addHitNote,
  adjudicateHit,
  getApplicationScreening,
  getScreeningHit,
  HIT_STATUSES,
  HitListQuery,
  HitNoteInput,
  listScreeningHits,
} from '../../services/screening-runs.service.ts';
import type { RouteModule } from './types.ts';

const IdParams = z.object({ id: z.uuid() });

const HitView = z
  .object({
    id: z.string(),
    runId: z.string(),
    organisationId: z.string(),
    partyId: z.string(),
    partyName: z.string(),
    listName: z.string(),
    watchlistId: z.string(),
    sourceId: z.string(),
    entryName: z.string(),
    matchedAlias: z.string(),
    score01: z.number(),
    explanation: z.looseObject({}),
    isNew: z.boolean(),
    status: z.enum(HIT_STATUSES),
    createdAt: z.string(),
    version: z.number().int(),
    adjudications: z.array(
      z.object({
        id: z.string(),
        kind: z.enum(['officer', 'exporter']),
        decision: z.string(),
        reason: z.string().nullable(),
        decidedBy: z.string().nullable(),
        decidedAt: z.string(),
        outdated: z.boolean(),
      }),
    ),
  })
  .meta({
    id: 'PartyScreeningHit',
    description:
      'A hit on one party of an exporter: list entry, matched alias, score and explanation, whether it is new, its status, adjudications and notes',
  });

export const screeningRunRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/applications/:id/screening',
    {
      schema: {
        tags: ['screening'],
        summary: 'The screening of an application: runs (on submission) and the hits on its parties',
        params: IdParams,
        response: {
          200: z.object({
            applicationId: z.string(),
            openHits: z.number().int(),
            runs: z.array(z.looseObject({ id: z.string(), trigger: z.string(), outcome: z.string() })),
            hits: z.array(HitView),
          }),
        },
      },
    },
    async (req) => getApplicationScreening(ctx, req.principal, req.params.id),
  );
  app.get(
    '/api/screening/hits',
    {
      schema: {
        tags: ['screening'],
        summary: 'Hits on parties (exporters see hits on their own parties; officers all)',
        querystring: HitListQuery,
        response: {
          200: z.object({
            items: z.array(HitView),
            total: z.number().int(),
            limit: z.number().int(),
            offset: z.number().int(),
          }),
        },
      },
    },
    async (req) => listScreeningHits(ctx, req.principal, req.query),
  );
  app.get(
    '/api/screening/hits/:id',
    {
      schema: {
        tags: ['screening'],
        summary: 'One hit with its adjudications and notes',
        params: IdParams,
        response: { 200: HitView },
      },
    },
    async (req) => getScreeningHit(ctx, req.principal, req.params.id),
  );
  app.post(
    '/api/screening/hits/:id/adjudication',
    {
      schema: {
        tags: ['screening'],
        summary:
          'Officer: decide a hit (true match, false positive, needs information) with a reason; remembered for the party and list entry',
        params: IdParams,
        body: AdjudicationInput,
        response: { 200: HitView },
      },
    },
    async (req) => adjudicateHit(ctx, req.principal, req.params.id, req.body),
  );
  app.post(
    '/api/screening/hits/:id/notes',
    {
      schema: {
        tags: ['screening'],
        summary:
          "Exporter: record a pre-screen note on a hit on one of its own parties (not an officer's decision)",
        params: IdParams,
        body: HitNoteInput,
        response: { 201: HitView },
      },
    },
    async (req, reply) => reply.code(201).send(await addHitNote(ctx, req.principal, req.params.id, req.body)),
  );
};
