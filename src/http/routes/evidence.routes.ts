/** The evidence registry: public submission (rate-limited) and public list; moderation and staff views. */
import { z } from 'zod';
import { Page } from '../../contracts/common.ts';
import {
  EvidenceEntry,
  EvidenceModeration,
  EvidencePublicQuery,
  EvidencePublicView,
  EvidenceReceipt,
  EvidenceStaffQuery,
  EvidenceStaffView,
  EvidenceSubmission,
} from '../../contracts/evidence.ts';
import {
  getEvidence,
  listEvidence,
  listPublicEvidence,
  moderateEvidence,
  readEvidenceAttachment,
  recordEvidence,
  submitEvidence,
} from '../../services/evidence.service.ts';
import type { RouteModule } from './types.ts';

const IdParams = z.object({ id: z.uuid() });

/** Submissions per minute and client address: open to the anonymous public, so kept low. */
export const EVIDENCE_SUBMISSIONS_PER_MINUTE = 10;

export const evidenceRoutes: RouteModule = (app, ctx) => {
  app.post(
    '/api/evidence',
    {
      config: { rateLimit: { max: EVIDENCE_SUBMISSIONS_PER_MINUTE, timeWindow: 60_000 } },
      schema: {
        tags: ['evidence'],
        summary:
          'Submit evidence for moderation (anyone; rate-limited; attachments inline as base64, checked like documents)',
        body: EvidenceSubmission,
        response: { 201: EvidenceReceipt },
      },
    },
    async (req, reply) => reply.code(201).send(await submitEvidence(ctx, req.principal, req.body)),
  );
  app.get(
    '/api/evidence',
    {
      schema: {
        tags: ['evidence'],
        summary:
          'The public registry: accepted, non-confidential evidence (search by text, country, type, right)',
        querystring: EvidencePublicQuery,
        response: { 200: Page(EvidencePublicView) },
      },
    },
    async (req) => listPublicEvidence(ctx, req.query),
  );
  app.post(
    '/api/evidence/records',
    {
      schema: {
        tags: ['evidence'],
        summary: 'Enter evidence directly, accepted with a reliability grade (officers, administrators)',
        body: EvidenceEntry,
        response: { 201: EvidenceStaffView },
      },
    },
    async (req, reply) => reply.code(201).send(await recordEvidence(ctx, req.principal, req.body)),
  );
  app.get(
    '/api/evidence/queue',
    {
      schema: {
        tags: ['evidence'],
        summary:
          'The whole registry with the moderation queue and submitter contacts (officers, administrators)',
        querystring: EvidenceStaffQuery,
        response: { 200: Page(EvidenceStaffView) },
      },
    },
    async (req) => listEvidence(ctx, req.principal, req.query),
  );
  app.get(
    '/api/evidence/:id',
    {
      schema: {
        tags: ['evidence'],
        summary:
          'One record: the full record for staff, the public view of accepted non-confidential evidence',
        params: IdParams,
        response: { 200: z.union([EvidenceStaffView, EvidencePublicView]) },
      },
    },
    async (req) => getEvidence(ctx, req.principal, req.params.id),
  );
  app.post(
    '/api/evidence/:id/moderation',
    {
      schema: {
        tags: ['evidence'],
        summary: 'Accept with a reliability grade or reject with a note (officers, administrators; audited)',
        params: IdParams,
        body: EvidenceModeration,
        response: { 200: EvidenceStaffView },
      },
    },
    async (req) => moderateEvidence(ctx, req.principal, req.params.id, req.body),
  );
  app.get(
    '/api/evidence/:id/attachments/:attachmentId',
    {
      schema: {
        tags: ['evidence'],
        summary: 'Download an attachment of an evidence record (officers, administrators)',
        params: z.object({ id: z.uuid(), attachmentId: z.uuid() }),
      },
    },
    async (req, reply) => {
      const a = await readEvidenceAttachment(ctx, req.principal, req.params.id, req.params.attachmentId);
      return reply
        .type(a.mediaType)
        .header('content-disposition', `attachment; filename="${encodeURIComponent(a.filename)}"`)
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(a.content));
    },
  );
};
