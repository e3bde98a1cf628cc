/** DomainError: the one error type the application raises on purpose, with a stable code. */

export const ERROR_CODES = [
  'INVALID',
  'NOT_FOUND',
  'CONFLICT',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'UNAVAILABLE',
  'LOCKED',
  'TOO_LARGE',
  'RATE_LIMITED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** A problem with one input field: `path` is the dotted path of the field, e.g. `lines.0.quantity`. */
export interface FieldIssue {
  path: string;
  message: string;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly issues: readonly FieldIssue[];
  override readonly cause?: unknown;

  constructor(code: ErrorCode, message: string, options: { issues?: FieldIssue[]; cause?: unknown } = {}) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.issues = options.issues ?? [];
    this.cause = options.cause;
  }
}

export const invalid = (message: string, issues: FieldIssue[] = []): DomainError =>
  new DomainError('INVALID', message, { issues });
export const notFound = (what: string): DomainError => new DomainError('NOT_FOUND', `${what} was not found.`);
export const forbidden = (message = 'You are not allowed to do this.'): DomainError =>
  new DomainError('FORBIDDEN', message);
export const conflict = (message: string): DomainError => new DomainError('CONFLICT', message);
/** Optimistic concurrency: the record moved on since the caller read it. */
export const staleVersion = (what: string, current?: number, sent?: number): DomainError =>
  conflict(
    `The ${what} was changed by someone else${current !== undefined && sent !== undefined ? ` (version ${current}, you sent ${sent})` : ''}. Reload and try again.`,
  );

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
