/** Record keeping (Art 27): the export of all records of one exporter, and the retention run. */
import { z } from 'zod';
import {
  applyRetention,
  exportOrganisationRecords,
  exportOrganisationRecordsZip,
  RetentionInput,
} from '../../services/records.service.ts';
import type { RouteModule } from './types.ts';

const IdParams = z.object({ id: z.uuid() });

export const recordsRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/organisations/:id/records-export',
    {
      schema: {
        tags: ['records'],
        summary:
          'All records of one exporter as a JSON bundle with a SHA-256 checksum (staff, or the exporter for its own)',
        params: IdParams,
        response: {
          200: z.looseObject({
            format: z.literal('custos.records-export'),
            organisation: z.looseObject({ id: z.string() }),
            checksum: z.object({ algorithm: z.literal('sha256'), value: z.string() }),
          }),
        },
      },
    },
    async (req, reply) => {
      const bundle = await exportOrganisationRecords(ctx, req.principal, req.params.id);
      return reply
        .header('content-disposition', `attachment; filename="records-${req.params.id}.json"`)
        .send(bundle as never);
    },
  );
  app.get(
    '/api/organisations/:id/records-archive',
    {
      schema: {
        tags: ['records'],
        summary:
          'All records of one exporter as a zip (application/zip): manifest.json (format v2), the stored documents and decision documents as files, and SHA256SUMS (staff, or the exporter for its own)',
        params: IdParams,
      },
    },
    async (req, reply) => {
      const zip = await exportOrganisationRecordsZip(ctx, req.principal, req.params.id);
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="${zip.filename}"`)
        .header('x-content-sha256', zip.sha256)
        .send(Buffer.from(zip.bytes));
    },
  );
  app.post(
    '/api/records/retention',
    {
      schema: {
        tags: ['records'],
        summary: 'List records past retention; delete them with dryRun false (administrator, audited)',
        body: RetentionInput,
        response: {
          200: z.looseObject({
            asOf: z.string(),
            dryRun: z.boolean(),
            candidates: z.array(
              z.looseObject({ recordType: z.string(), id: z.string(), reason: z.string() }),
            ),
            purged: z.record(z.string(), z.number()),
          }),
        },
      },
    },
    async (req) => (await applyRetention(ctx, req.principal, req.body)) as never,
  );
};
