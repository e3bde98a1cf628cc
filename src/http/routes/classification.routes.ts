/** Classification of technical profiles and catalogue items, and the control list (search, entries). */
import { z } from 'zod';
import { buildItemTechnicalProfileJsonSchema } from '../../domain/classification.ts';
import {
  ClassificationProfileView,
  ClassificationRequest,
  ClassificationResultView,
  ControlListEntryView,
  ControlListSearchQuery,
  ControlListSearchView,
  StoredClassificationView,
} from '../../contracts/classification.ts';
import {
  classifyCatalogueItem,
  classifyProfile,
  getControlListEntry,
  listClassificationProfiles,
  searchControlListEntries,
} from '../../services/classification.service.ts';
import type { RouteModule } from './types.ts';

/** The engine's result type is richer than the OpenAPI view; the view keeps every field (loose objects). */
type ResultView = z.infer<typeof ClassificationResultView>;

export const classificationRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/classification/profiles',
    {
      schema: {
        tags: ['classification'],
        summary: 'Classification profiles (legal, broad, authority profiles)',
        response: { 200: z.array(ClassificationProfileView) },
      },
    },
    async () => listClassificationProfiles(ctx),
  );
  app.post(
    '/api/classifications',
    {
      schema: {
        tags: ['classification'],
        summary:
          'Classify a technical profile against Annex I and Art. 2(20) under a profile (no data stored)',
        body: ClassificationRequest,
        response: { 200: ClassificationResultView },
      },
    },
    async (req) => (await classifyProfile(ctx, req.body.item, req.body.profile)) as unknown as ResultView,
  );
  app.post(
    '/api/items/:id/classification',
    {
      schema: {
        tags: ['classification'],
        summary: 'Classify a catalogue item from its technical profile and store the result on the item',
        params: z.object({ id: z.uuid() }),
        body: z.strictObject({ profile: z.string().min(1).max(64).default('legal') }),
        response: { 200: z.object({ result: ClassificationResultView, stored: StoredClassificationView }) },
      },
    },
    async (req) =>
      (await classifyCatalogueItem(ctx, req.principal, req.params.id, req.body.profile)) as unknown as {
        result: ResultView;
        stored: z.infer<typeof StoredClassificationView>;
      },
  );
  app.get(
    '/api/control-list/search',
    {
      schema: {
        tags: ['classification'],
        summary: 'Rank control-list entries for a free-text description, with the matching passage',
        querystring: ControlListSearchQuery,
        response: { 200: ControlListSearchView },
      },
    },
    async (req) => searchControlListEntries(ctx, req.query.q, req.query.limit),
  );
  app.get(
    '/api/control-list/entries/:code',
    {
      schema: {
        tags: ['classification'],
        summary: 'One control-list entry of the current list version',
        params: z.object({
          code: z.string().regex(/^[0-9][A-E][0-9]{3}[a-z0-9.]*$/, 'an Annex I code such as 5A001.f.2'),
        }),
        response: { 200: ControlListEntryView },
      },
    },
    async (req) => getControlListEntry(ctx, req.params.code),
  );
  app.get(
    '/schemas/technical-profile.json',
    { schema: { tags: ['classification'], summary: 'JSON Schema of the item technical profile' } },
    async (_req, reply) => reply.type('application/schema+json').send(buildItemTechnicalProfileJsonSchema()),
  );
};
