/**
 * Errors while reading a multipart upload. The body is the client's: a part that never ends, a boundary that is not
 * in the body, a content type without one are its faults (400), not the server's; a file past the size limit is 413.
 */
import { DomainError, isDomainError } from '../domain/errors.ts';

/** Why reading an upload failed when the body is at fault; each form answers it beside its file field. */
export type UploadFault = 'too_large' | 'malformed';

/**
 * The client's fault in an error raised while the upload was read, or null for a domain error (a refused CSRF
 * token, say), which the caller rethrows as it is.
 * @example try { await part.toBuffer() } catch (e) { if (uploadFault(e) === 'malformed') ... }
 */
export function uploadFault(e: unknown): UploadFault | null {
  if (isDomainError(e)) return null;
  // The code @fastify/multipart gives a file past `limits.fileSize`; anything else is the multipart parser's refusal.
  return (e as { code?: string } | null)?.code === 'FST_REQ_FILE_TOO_LARGE' ? 'too_large' : 'malformed';
}

/** The API's refusal of a malformed upload (the problem+json names the parser's reason). */
export function malformedUpload(e: unknown): DomainError {
  const reason = e instanceof Error && e.message ? e.message : 'it could not be read';
  return new DomainError('INVALID', `The upload is not well-formed multipart/form-data: ${reason}.`, {
    issues: [{ path: 'file', message: 'malformed multipart body' }],
  });
}
