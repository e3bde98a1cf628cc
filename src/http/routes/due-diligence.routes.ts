/** Exporter due diligence per application and the ICP self-assessment per organisation. */
import { z } from 'zod';
import {
  DueDiligenceSaveInput,
  getDueDiligence,
  getDueDiligenceQuestionnaire,
  getIcpDefinition,
  getIcpSelfAssessment,
  IcpSaveInput,
  saveDueDiligence,
  saveIcpSelfAssessment,
} from '../../services/due-diligence.service.ts';
import type { RouteModule } from './types.ts';

const IdParams = z.object({ id: z.uuid() });

const DueDiligence = z
  .looseObject({
    applicationId: z.string(),
    record: z
      .looseObject({
        id: z.string(),
        answers: z.record(z.string(), z.unknown()),
        version: z.number(),
        assessment: z.looseObject({
          complete: z.boolean(),
          redFlags: z.array(z.unknown()),
          summary: z.string(),
        }),
      })
      .nullable(),
  })
  .meta({ id: 'DueDiligence', description: 'Due-diligence record with completeness and red flags' });

const Icp = z
  .looseObject({
    organisationId: z.string(),
    selfAssessment: z
      .looseObject({
        answers: z.record(z.string(), z.string()),
        version: z.number(),
        assessment: z.unknown(),
      })
      .nullable(),
  })
  .meta({
    id: 'IcpSelfAssessment',
    description: 'ICP self-assessment on the seven elements of Rec. 2019/1318',
  });

export const dueDiligenceRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/due-diligence/questionnaire',
    {
      schema: {
        tags: ['due-diligence'],
        summary: 'The due-diligence questionnaire and red flags (policy/workflow/due-diligence.yaml)',
        response: { 200: z.looseObject({ version: z.string(), sections: z.array(z.unknown()) }) },
      },
    },
    async () => getDueDiligenceQuestionnaire(),
  );
  app.get(
    '/api/icp/questionnaire',
    {
      schema: {
        tags: ['due-diligence'],
        summary: 'The ICP self-assessment questions (policy/workflow/icp-self-assessment.yaml)',
        response: { 200: z.looseObject({ version: z.string(), elements: z.array(z.unknown()) }) },
      },
    },
    async () => getIcpDefinition(),
  );
  app.get(
    '/api/applications/:id/due-diligence',
    {
      schema: {
        tags: ['due-diligence'],
        summary:
          "An application's due-diligence record with completeness and red flags (its exporter and staff)",
        params: IdParams,
        response: { 200: DueDiligence },
      },
    },
    async (req) => (await getDueDiligence(ctx, req.principal, req.params.id)) as never,
  );
  app.put(
    '/api/applications/:id/due-diligence',
    {
      schema: {
        tags: ['due-diligence'],
        summary: 'Save the due-diligence answers (the exporter; send the version once the record exists)',
        params: IdParams,
        body: DueDiligenceSaveInput,
        response: { 200: DueDiligence },
      },
    },
    async (req) => (await saveDueDiligence(ctx, req.principal, req.params.id, req.body)) as never,
  );
  app.get(
    '/api/organisations/:id/icp-self-assessment',
    {
      schema: {
        tags: ['due-diligence'],
        summary: "The organisation's ICP self-assessment with scores and gaps (its exporters and staff)",
        params: IdParams,
        response: { 200: Icp },
      },
    },
    async (req) => (await getIcpSelfAssessment(ctx, req.principal, req.params.id)) as never,
  );
  app.put(
    '/api/organisations/:id/icp-self-assessment',
    {
      schema: {
        tags: ['due-diligence'],
        summary: 'Save the ICP self-assessment (the exporter; send the version once it exists)',
        params: IdParams,
        body: IcpSaveInput,
        response: { 200: Icp },
      },
    },
    async (req) => (await saveIcpSelfAssessment(ctx, req.principal, req.params.id, req.body)) as never,
  );
};
