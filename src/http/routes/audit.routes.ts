/** The audit log: read by staff, verified by administrators. */
import { z } from 'zod';
import { listAuditEvents, verifyAuditLog } from '../../services/audit.service.ts';
import { requireRole } from '../../services/authorization.ts';
import type { RouteModule } from './types.ts';

const AuditEvent = z.object({
  seq: z.number().int(),
  occurredAt: z.string(),
  actor: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
});

export const auditRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/audit-events',
    {
      schema: {
        tags: ['audit'],
        summary: 'Read the audit log, newest first (officers, administrators)',
        querystring: z.strictObject({
          entityType: z.string().max(50).optional(),
          entityId: z.string().max(100).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          beforeSeq: z.coerce.number().int().positive().optional(),
        }),
        response: { 200: z.array(AuditEvent) },
      },
    },
    async (req) => listAuditEvents(ctx, req.principal, req.query),
  );
  app.post(
    '/api/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: 'Verify the hash chain (administrators)',
        response: {
          200: z.object({
            ok: z.boolean(),
            checked: z.number().int(),
            lastSeq: z.number().int(),
            problems: z.array(
              z.object({ kind: z.string(), seq: z.number().int(), eventId: z.string(), message: z.string() }),
            ),
          }),
        },
      },
    },
    async (req) => {
      requireRole(req.principal, 'administrator');
      return verifyAuditLog(ctx.db);
    },
  );
};
