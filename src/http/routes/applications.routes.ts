/** Licence applications and their documents. */
import { z } from 'zod';
import { Page } from '../../contracts/common.ts';
import {
  ApplicationCreate,
  ApplicationListQuery,
  ApplicationTransitionRequest,
  ApplicationUpdate,
  ApplicationView,
  DocumentView,
} from '../../contracts/foundation.ts';
import { DomainError } from '../../domain/errors.ts';
import { requireSignedIn } from '../../services/authorization.ts';
import { malformedUpload, uploadFault } from '../uploads.ts';
import {
  createApplication,
  getApplication,
  listApplications,
  submitApplication,
  updateApplication,
  withdrawApplication,
} from '../../services/applications.service.ts';
import { attachDocument, listDocuments, readDocument } from '../../services/documents.service.ts';
import type { RouteModule } from './types.ts';

const IdParams = z.object({ id: z.uuid() });

export const applicationRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/applications',
    {
      schema: {
        tags: ['applications'],
        summary: 'List applications (exporters see their own)',
        querystring: ApplicationListQuery,
        response: { 200: Page(ApplicationView) },
      },
    },
    async (req) => listApplications(ctx, req.principal, req.query),
  );
  app.post(
    '/api/applications',
    {
      schema: {
        tags: ['applications'],
        summary: 'Create a draft application',
        body: ApplicationCreate,
        response: { 201: ApplicationView },
      },
    },
    async (req, reply) => reply.code(201).send(await createApplication(ctx, req.principal, req.body)),
  );
  app.get(
    '/api/applications/:id',
    {
      schema: {
        tags: ['applications'],
        summary: 'Read an application with its history',
        params: IdParams,
        response: { 200: ApplicationView },
      },
    },
    async (req) => getApplication(ctx, req.principal, req.params.id),
  );
  app.patch(
    '/api/applications/:id',
    {
      schema: {
        tags: ['applications'],
        summary: 'Edit a draft (send its version)',
        params: IdParams,
        body: ApplicationUpdate,
        response: { 200: ApplicationView },
      },
    },
    async (req) => updateApplication(ctx, req.principal, req.params.id, req.body),
  );
  app.post(
    '/api/applications/:id/submit',
    {
      schema: {
        tags: ['applications'],
        summary: 'Submit to the authority',
        params: IdParams,
        body: ApplicationTransitionRequest,
        response: { 200: ApplicationView },
      },
    },
    async (req) => submitApplication(ctx, req.principal, req.params.id, req.body),
  );
  app.post(
    '/api/applications/:id/withdraw',
    {
      schema: {
        tags: ['applications'],
        summary: 'Withdraw an undecided application',
        params: IdParams,
        body: ApplicationTransitionRequest,
        response: { 200: ApplicationView },
      },
    },
    async (req) => withdrawApplication(ctx, req.principal, req.params.id, req.body),
  );
  app.get(
    '/api/applications/:id/documents',
    {
      schema: {
        tags: ['applications'],
        summary: 'List attachments',
        params: IdParams,
        response: { 200: z.array(DocumentView) },
      },
    },
    async (req) => listDocuments(ctx, req.principal, req.params.id),
  );
  app.post(
    '/api/applications/:id/documents',
    {
      schema: {
        tags: ['applications'],
        summary: 'Attach a document (multipart/form-data, field "file"; type sniffed from content)',
        params: IdParams,
        consumes: ['multipart/form-data'],
        response: { 201: DocumentView },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart())
        throw new DomainError('INVALID', 'Send the file as multipart/form-data in the field "file".', {
          issues: [{ path: 'file', message: 'missing' }],
        });
      // Authentication before the body is read: a visitor's upload is never parsed.
      requireSignedIn(req.principal);
      let part: Awaited<ReturnType<typeof req.file>>;
      let content: Buffer;
      try {
        part = await req.file();
        if (!part)
          throw new DomainError('INVALID', 'No file was sent.', {
            issues: [{ path: 'file', message: 'missing' }],
          });
        content = await part.toBuffer(); // throws FST_REQ_FILE_TOO_LARGE past the limit, before anything is stored
      } catch (e) {
        // past the size limit: handleError answers 413
        throw uploadFault(e) === 'malformed' ? malformedUpload(e) : e;
      }
      return reply
        .code(201)
        .send(await attachDocument(ctx, req.principal, req.params.id, { filename: part.filename, content }));
    },
  );
  app.get(
    '/api/documents/:id',
    { schema: { tags: ['applications'], summary: 'Download an attachment', params: IdParams } },
    async (req, reply) => {
      const { meta, content } = await readDocument(ctx, req.principal, req.params.id);
      return reply
        .type(meta.mediaType)
        .header('content-disposition', `attachment; filename="${encodeURIComponent(meta.filename)}"`)
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(content));
    },
  );
};
