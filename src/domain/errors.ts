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

/**
 * Stable codes of field issues: what kind of problem, for API clients and for the portal, which shows each in the
 * page's language (`issue.<code>` in its catalogues). An issue without a code is shown with its English message.
 */
export const ISSUE_CODES = [
  'required',
  'too_short',
  'too_long',
  'min_number',
  'above_number',
  'max_number',
  'below_number',
  'too_few',
  'too_many',
  'not_a_number',
  'not_an_integer',
  'wrong_type',
  'not_one_of',
  'invalid_email',
  'invalid_url',
  'invalid_id',
  'invalid_date',
  'invalid_datetime',
  'invalid_format',
  'not_multiple_of',
  'unknown_fields',
  'country_code',
  'currency_code',
  'charter_article',
  'add_item_line',
  'name_end_user',
  'name_consignee',
  'describe_end_use',
  'unknown_item',
  'unknown_party',
  'duplicate_party',
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

/**
 * A problem with one input field: `path` is the dotted path of the field, e.g. `lines.0.quantity`; `message` is
 * English; `code` and `params` (the limit, the allowed values…) say the same for a client or a translation.
 */
export interface FieldIssue {
  path: string;
  message: string;
  code?: IssueCode;
  params?: Record<string, string | number>;
}

/** The issue of a field that must be given. */
export const requiredIssue = (path: string): FieldIssue => ({ path, message: 'required', code: 'required' });

/**
 * Stable codes of refusals that are not about one field, for API clients (`reason` in problem+json) and for the
 * portal, which says each in the page's language (`reason.<code>`). A refusal without one keeps its English message.
 */
export const REASON_CODES = ['stale_version'] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly issues: readonly FieldIssue[];
  /** Why, as a code (see REASON_CODES), when the refusal is of a known kind. */
  readonly reason?: ReasonCode;
  override readonly cause?: unknown;

  constructor(
    code: ErrorCode,
    message: string,
    options: { issues?: FieldIssue[]; cause?: unknown; reason?: ReasonCode } = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.issues = options.issues ?? [];
    if (options.reason) this.reason = options.reason;
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
  new DomainError(
    'CONFLICT',
    `The ${what} was changed by someone else${current !== undefined && sent !== undefined ? ` (version ${current}, you sent ${sent})` : ''}. Reload and try again.`,
    { reason: 'stale_version' },
  );

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
