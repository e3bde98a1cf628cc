/**
 * Errors while reading a multipart upload. The body is the client's: a part that never ends, a boundary that is not
 * in the body, a content type without one are its faults (400), not the server's; a file past the size limit is 413.
 */
import { DomainError, isDomainError } from '../domain/errors.ts';

/** The code @fastify/multipart gives a file past `limits.fileSize`. */
export const FILE_TOO_LARGE = 'FST_REQ_FILE_TOO_LARGE';

export const isFileTooLarge = (e: unknown): boolean =>
  (e as { code?: string } | null)?.code === FILE_TOO_LARGE;

/**
 * What to throw for an error raised while the upload was read: domain errors and the size limit as they are (the
 * error handlers answer them), anything else as INVALID naming the multipart body.
 * @example try { await part.toBuffer() } catch (e) { throw uploadError(e) }
 */
export function uploadError(e: unknown): unknown {
  if (isDomainError(e) || isFileTooLarge(e)) return e;
  const reason = e instanceof Error && e.message ? e.message : 'it could not be read';
  return new DomainError('INVALID', `The upload is not well-formed multipart/form-data: ${reason}.`, {
    issues: [{ path: 'file', message: 'malformed multipart body' }],
  });
}
