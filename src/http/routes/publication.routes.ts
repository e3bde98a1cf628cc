/**
 * Transparency: the public register and published reports (public), their files at stable URLs with ETags, the Atom
 * feed, and the staff review queue (build a draft, review it, publish or correct).
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  authorityOf,
  createReportDraft,
  DraftCreateInput,
  DraftListQuery,
  DraftReviewInput,
  getPublicRegisterEntry,
  getPublishedFile,
  getReportDraft,
  latestPublishedRevision,
  listPublicRegister,
  listPublishedReports,
  listReportDrafts,
  publishReportDraft,
  PublishInput,
  RegisterQuery,
  renderPublicationFeed,
  reviewReportDraft,
} from '../../services/publication.service.ts';
import { notFound } from '../../domain/errors.ts';
import type { RouteModule } from './types.ts';

const FileView = z.object({
  name: z.string(),
  mediaType: z.string(),
  sha256: z.string(),
  sizeBytes: z.number(),
});
const RevisionView = z
  .object({
    reportId: z.string(),
    authorityId: z.string(),
    periodId: z.string(),
    granularity: z.string(),
    revision: z.number().int(),
    publishedAt: z.string(),
    note: z.string().nullable(),
    contentSha256: z.string(),
    supersedesSha256: z.string().nullable(),
    summary: z.string(),
    files: z.array(FileView),
  })
  .meta({
    id: 'PublishedReportRevision',
    description: 'One immutable published revision of a periodic report',
  });
const DraftView = z
  .object({
    id: z.string(),
    periodId: z.string(),
    granularity: z.string(),
    status: z.string(),
    applications: z.number().int(),
    contentSha256: z.string(),
    notices: z.array(z.object({ reference: z.string(), reason: z.string() })),
    correctionNote: z.string().nullable(),
    builtAt: z.string(),
    builtBy: z.string(),
    reviewedAt: z.string().nullable(),
    reviewedBy: z.string().nullable(),
    reviewNote: z.string().nullable(),
    publishedRevision: z.number().int().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'ReportDraft', description: 'A built report waiting for review and publication (staff only)' });
const RegisterRow = z.record(z.string(), z.unknown()).meta({
  id: 'PublicRegisterRow',
  description: 'One application as published: public fields only (see docs/transparency.md)',
});
const FileParams = z.object({
  period: z.string().min(4).max(16),
  revision: z.union([z.literal('latest'), z.coerce.number().int().min(1)]),
  file: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i),
});
const StableFileParams = z.object({
  authorityId: z.string().min(1).max(80),
  period: z.string().min(4).max(16),
  rev: z.string().regex(/^r[1-9][0-9]*$/),
  file: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i),
});
const DraftParams = z.object({ id: z.uuid() });

function sendFile(
  reply: FastifyReply,
  ifNoneMatch: string | undefined,
  f: { content: Uint8Array; mediaType: string; sha256: string },
  immutable: boolean,
) {
  const etag = `"${f.sha256}"`;
  reply
    .header('etag', etag)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
  if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((t) => t.trim() === etag)) {
    return reply.code(304).send();
  }
  return reply.type(f.mediaType).send(Buffer.from(f.content));
}

export const publicationRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/register',
    {
      schema: {
        tags: ['transparency'],
        summary:
          'The public register as published (filters: destination, controlEntry, decision, period, endUserType, q; sort; limit/offset)',
        querystring: RegisterQuery,
        response: {
          200: z.object({
            total: z.number().int(),
            limit: z.number().int(),
            offset: z.number().int(),
            items: z.array(RegisterRow),
          }),
        },
      },
    },
    async (req) => listPublicRegister(ctx, req.query),
  );
  app.get(
    '/api/register/:reference',
    {
      schema: {
        tags: ['transparency'],
        summary: 'One application of the public register by its reference',
        params: z.object({ reference: z.string().min(1).max(80) }),
        response: { 200: RegisterRow },
      },
    },
    async (req) => getPublicRegisterEntry(ctx, req.params.reference),
  );
  app.get(
    '/api/reports',
    {
      schema: {
        tags: ['transparency'],
        summary: 'Every published report revision, newest first, with its files',
        response: { 200: z.object({ items: z.array(RevisionView) }) },
      },
    },
    async () => ({ items: await listPublishedReports(ctx) }),
  );
  const feed = async (_req: unknown, reply: FastifyReply) =>
    reply
      .type('application/atom+xml; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(await renderPublicationFeed(ctx));
  app.get(
    '/api/reports/feed.atom',
    { schema: { tags: ['transparency'], summary: 'Atom feed of publications' } },
    feed,
  );
  app.get(
    '/reports/feed.atom',
    { schema: { tags: ['transparency'], summary: 'Atom feed of publications (stable URL)' } },
    feed,
  );
  app.get(
    '/api/reports/:period/:revision/:file',
    {
      schema: {
        tags: ['transparency'],
        summary:
          'A file of a published revision (`latest` for the newest); media type by file, ETag = SHA-256 of the bytes',
        params: FileParams,
      },
    },
    async (req, reply) => {
      const f = await getPublishedFile(ctx, req.params.period, req.params.revision, req.params.file);
      return sendFile(reply, req.headers['if-none-match'], f, req.params.revision !== 'latest');
    },
  );
  app.get(
    '/reports/:authorityId/:period/',
    {
      schema: {
        tags: ['transparency'],
        summary: 'Stable URL of the latest revision of a period: redirects to its HTML report',
        params: z.object({ authorityId: z.string().min(1).max(80), period: z.string().min(4).max(16) }),
      },
    },
    async (req, reply) => {
      if (req.params.authorityId !== authorityOf(ctx).id) throw notFound('Report');
      const n = await latestPublishedRevision(ctx, req.params.period);
      return reply.redirect(
        `/reports/${req.params.authorityId}/${req.params.period.toLowerCase()}/r${n}/report.html`,
        302,
      );
    },
  );
  app.get(
    '/reports/:authorityId/:period/:rev/:file',
    {
      schema: {
        tags: ['transparency'],
        summary:
          'Stable, immutable URL of a file of a published revision, e.g. /reports/de-x/2025-q4/r2/report.json',
        params: StableFileParams,
      },
    },
    async (req, reply) => {
      if (req.params.authorityId !== authorityOf(ctx).id) throw notFound('Report');
      const f = await getPublishedFile(
        ctx,
        req.params.period,
        Number(req.params.rev.slice(1)),
        req.params.file,
      );
      return sendFile(reply, req.headers['if-none-match'], f, true);
    },
  );

  // Staff: the review queue.
  app.post(
    '/api/reports/drafts',
    {
      schema: {
        tags: ['transparency'],
        summary: 'Build a draft of a period report from the database (a correction: with correctionNote)',
        body: DraftCreateInput,
        response: { 201: DraftView },
      },
    },
    async (req, reply) => reply.code(201).send(await createReportDraft(ctx, req.principal, req.body)),
  );
  app.get(
    '/api/reports/drafts',
    {
      schema: {
        tags: ['transparency'],
        summary: 'The review queue: drafts by status and period (staff)',
        querystring: DraftListQuery,
        response: { 200: z.object({ items: z.array(DraftView) }) },
      },
    },
    async (req) => ({ items: await listReportDrafts(ctx, req.principal, req.query) }),
  );
  app.get(
    '/api/reports/drafts/:id',
    {
      schema: {
        tags: ['transparency'],
        summary: 'One draft with its notices (staff)',
        params: DraftParams,
        response: { 200: DraftView },
      },
    },
    async (req) => getReportDraft(ctx, req.principal, req.params.id),
  );
  app.post(
    '/api/reports/drafts/:id/review',
    {
      schema: {
        tags: ['transparency'],
        summary: 'Approve or reject a draft (officer or administrator)',
        params: DraftParams,
        body: DraftReviewInput,
        response: { 200: DraftView },
      },
    },
    async (req) => reviewReportDraft(ctx, req.principal, req.params.id, req.body),
  );
  app.post(
    '/api/reports/drafts/:id/publish',
    {
      schema: {
        tags: ['transparency'],
        summary: 'Publish an approved draft as an immutable revision (idempotent; a correction needs a note)',
        params: DraftParams,
        body: PublishInput.optional(),
        response: {
          200: z.object({
            action: z.enum(['published', 'unchanged']),
            reason: z.string(),
            revision: RevisionView,
            files: z.array(FileView),
          }),
        },
      },
    },
    async (req) => publishReportDraft(ctx, req.principal, req.params.id, req.body ?? {}),
  );
};
