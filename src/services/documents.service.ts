/** Attachments to applications: size-limited, type sniffed from the content, stored with a SHA-256. */
import { createHash } from 'node:crypto';
import { DomainError, notFound } from '../domain/errors.ts';
import { EDITABLE_STATUSES, type ApplicationStatus, type Principal } from '../domain/model.ts';
import { sniffMediaType } from '../engines/documents/sniff.ts';
import { appendAudit } from './audit.service.ts';
import { assertCanReadOrganisation, assertExporterOf } from './authorization.ts';
import type { ServiceContext } from './context.ts';

export interface DocumentMeta {
  id: string;
  applicationId: string | null;
  filename: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
}

const safeFilename = (name: string): string =>
  name
    .replace(/[\\/]/g, '_')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 200) || 'attachment';

export async function attachDocument(
  ctx: ServiceContext,
  actor: Principal,
  applicationId: string,
  file: { filename: string; content: Uint8Array },
): Promise<DocumentMeta> {
  if (file.content.byteLength > ctx.config.maxUploadBytes) {
    throw new DomainError(
      'TOO_LARGE',
      `The file is larger than the limit of ${ctx.config.maxUploadBytes} bytes.`,
    );
  }
  if (file.content.byteLength === 0)
    throw new DomainError('INVALID', 'The file is empty.', { issues: [{ path: 'file', message: 'empty' }] });
  const sniffed = sniffMediaType(file.content);
  if (!sniffed) {
    throw new DomainError(
      'INVALID',
      'The file type is not accepted: upload a PDF, an image (PNG, JPEG), an office document or plain text.',
      {
        issues: [{ path: 'file', message: 'unrecognised or not accepted content type' }],
      },
    );
  }
  const sha256 = createHash('sha256').update(file.content).digest('hex');
  return ctx.db.transaction().execute(async (trx) => {
    const app = await trx
      .selectFrom('applications')
      .select(['id', 'organisation_id', 'status'])
      .where('id', '=', applicationId)
      .executeTakeFirst();
    if (!app) throw notFound('Application');
    assertExporterOf(actor, app.organisation_id, 'application');
    if (!EDITABLE_STATUSES.includes(app.status as ApplicationStatus)) {
      throw new DomainError(
        'CONFLICT',
        `Documents can be attached only while the application is ${EDITABLE_STATUSES.join(' or ')}.`,
      );
    }
    const row = await trx
      .insertInto('documents')
      .values({
        id: ctx.newId(),
        organisation_id: app.organisation_id,
        application_id: app.id,
        filename: safeFilename(file.filename),
        media_type: sniffed.mediaType,
        size_bytes: file.content.byteLength,
        sha256,
        content: file.content,
        uploaded_by: actor.kind === 'user' ? actor.userId : null,
      })
      .returning(['id', 'application_id', 'filename', 'media_type', 'size_bytes', 'sha256', 'created_at'])
      .executeTakeFirstOrThrow();
    await appendAudit(ctx, trx, actor, {
      action: 'document.attached',
      entityType: 'application',
      entityId: app.id,
      payload: { documentId: row.id, mediaType: row.media_type, sizeBytes: row.size_bytes, sha256 },
    });
    return {
      id: row.id,
      applicationId: row.application_id,
      filename: row.filename,
      mediaType: row.media_type,
      sizeBytes: row.size_bytes,
      sha256: row.sha256,
      createdAt: new Date(row.created_at).toISOString(),
    };
  });
}

export async function listDocuments(
  ctx: ServiceContext,
  actor: Principal,
  applicationId: string,
): Promise<DocumentMeta[]> {
  const app = await ctx.db
    .selectFrom('applications')
    .select(['organisation_id'])
    .where('id', '=', applicationId)
    .executeTakeFirst();
  if (!app) throw notFound('Application');
  assertCanReadOrganisation(actor, app.organisation_id, 'Application');
  const rows = await ctx.db
    .selectFrom('documents')
    .select(['id', 'application_id', 'filename', 'media_type', 'size_bytes', 'sha256', 'created_at'])
    .where('application_id', '=', applicationId)
    .orderBy('created_at')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    applicationId: row.application_id,
    filename: row.filename,
    mediaType: row.media_type,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    createdAt: new Date(row.created_at).toISOString(),
  }));
}

export async function readDocument(
  ctx: ServiceContext,
  actor: Principal,
  documentId: string,
): Promise<{ meta: DocumentMeta; content: Uint8Array }> {
  const row = await ctx.db
    .selectFrom('documents')
    .selectAll()
    .where('id', '=', documentId)
    .executeTakeFirst();
  if (!row) throw notFound('Document');
  assertCanReadOrganisation(actor, row.organisation_id, 'Document');
  return {
    meta: {
      id: row.id,
      applicationId: row.application_id,
      filename: row.filename,
      mediaType: row.media_type,
      sizeBytes: row.size_bytes,
      sha256: row.sha256,
      createdAt: new Date(row.created_at).toISOString(),
    },
    content: row.content,
  };
}
