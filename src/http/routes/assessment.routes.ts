/** The human-rights assessment (signed-in users) and country profiles (public). */
import { z } from 'zod';
import { assessApplicationInput, countryProfile, renderMemo } from '../../services/assessment.service.ts';
import type { RouteModule } from './types.ts';

const ReferenceStatus = z.object({
  loaded: z.array(z.string()),
  missing: z.array(z.string()),
  folder: z.string(),
});

export const assessmentRoutes: RouteModule = (app, ctx) => {
  app.post(
    '/api/assessments',
    {
      schema: {
        tags: ['assessment'],
        summary:
          'Assess an application (format: policy/assessment/assessment-input.schema.json); ?format=html returns the memo',
        querystring: z.strictObject({
          format: z.enum(['json', 'html']).default('json'),
          lang: z.enum(['en', 'fr', 'de']).default('en'),
        }),
        body: z
          .looseObject({})
          .meta({ description: 'An assessment input; validated by the engine, which names every bad field' }),
        response: {
          200: z.object({
            assessment: z.looseObject({
              recommendation: z.string(),
              confidence01: z.number(),
              modelVersion: z.string(),
              inputHash: z.string(),
            }),
            reference: ReferenceStatus,
            registry: z.object({ consulted: z.boolean(), ids: z.array(z.string()), note: z.string() }),
          }),
        },
      },
    },
    async (req, reply) => {
      const result = await assessApplicationInput(ctx, req.principal, req.body);
      if (req.query.format === 'html')
        return reply
          .type('text/html; charset=utf-8')
          .send(renderMemo(result.assessment, req.query.lang) as never);
      return result as never;
    },
  );
  app.get(
    '/api/countries/:code',
    {
      schema: {
        tags: ['assessment'],
        summary:
          'A country profile: indicators with source and year, restrictive measures, safeguards checklist',
        params: z.object({ code: z.string().min(2).max(2) }),
        response: {
          200: z.object({
            profile: z.looseObject({ country: z.string(), name: z.string() }),
            reference: ReferenceStatus,
          }),
        },
      },
    },
    async (req) => countryProfile(ctx, req.params.code) as never,
  );
};
