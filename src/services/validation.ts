/** Parse untrusted input with a zod schema into a DomainError INVALID that names every bad field. */
import type { z } from 'zod';
import { DomainError, ISSUE_CODES, type FieldIssue, type IssueCode } from '../domain/errors.ts';

type ZodIssue = z.core.$ZodIssue;

/** A refinement of ours names its kind in `params.code` (see src/contracts); kept when it is one of ISSUE_CODES. */
const KNOWN_CODES: ReadonlySet<string> = new Set(ISSUE_CODES);

const FORMAT_CODES: Record<string, IssueCode> = {
  email: 'invalid_email',
  url: 'invalid_url',
  uuid: 'invalid_id',
  guid: 'invalid_id',
  date: 'invalid_date',
  datetime: 'invalid_datetime',
};

const num = (v: unknown): number | string => (typeof v === 'bigint' ? String(v) : Number(v));

/**
 * The stable code and parameters of a zod issue, when it is a kind the portal can say in every language: a missing
 * value (absent, or an empty text where one character is the minimum), a length or range, a choice, a format.
 * Needs the value that failed, to tell a missing value from a wrong one: the issue's own input (parse with
 * `reportInput: true`) unless the caller gives it.
 */
export function issueCodeOf(
  issue: ZodIssue,
  input: unknown = issue.input,
): { code: IssueCode; params?: Record<string, string | number> } | undefined {
  const missing = input === undefined || input === null;
  switch (issue.code) {
    case 'invalid_type':
      if (missing) return { code: 'required' };
      if (issue.expected === 'number' || issue.expected === 'bigint') return { code: 'not_a_number' };
      if (issue.expected === 'int') return { code: 'not_an_integer' };
      return { code: 'wrong_type', params: { expected: String(issue.expected) } };
    case 'too_small': {
      const minimum = num(issue.minimum);
      if (issue.origin === 'string')
        return minimum === 1 ? { code: 'required' } : { code: 'too_short', params: { minimum } };
      if (issue.origin === 'array' || issue.origin === 'set') return { code: 'too_few', params: { minimum } };
      if (issue.origin === 'number' || issue.origin === 'bigint' || issue.origin === 'int')
        return { code: issue.inclusive === false ? 'above_number' : 'min_number', params: { minimum } };
      return undefined;
    }
    case 'too_big': {
      const maximum = num(issue.maximum);
      if (issue.origin === 'string') return { code: 'too_long', params: { maximum } };
      if (issue.origin === 'array' || issue.origin === 'set')
        return { code: 'too_many', params: { maximum } };
      if (issue.origin === 'number' || issue.origin === 'bigint' || issue.origin === 'int')
        return { code: issue.inclusive === false ? 'below_number' : 'max_number', params: { maximum } };
      return undefined;
    }
    case 'invalid_value':
      if (missing) return { code: 'required' };
      return { code: 'not_one_of', params: { options: issue.values.map(String).join(', ') } };
    case 'invalid_format':
      // a pattern the schema explains in its own words ("an ISO 3166-1 alpha-2 code") keeps them: more use than
      // "not in the expected format", even in English on a French page
      if (issue.format === 'regex' && !issue.message.startsWith('Invalid string')) return undefined;
      return { code: FORMAT_CODES[issue.format] ?? 'invalid_format' };
    case 'not_multiple_of':
      return { code: 'not_multiple_of', params: { divisor: num(issue.divisor) } };
    case 'unrecognized_keys':
      return { code: 'unknown_fields', params: { keys: issue.keys.join(', ') } };
    case 'custom': {
      const code = (issue.params as { code?: unknown } | undefined)?.code;
      return typeof code === 'string' && KNOWN_CODES.has(code) ? { code: code as IssueCode } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * One zod issue as a field issue (its input is never copied: it may hold what the caller sent in confidence). `input`
 * is the value that failed when the parse did not report it.
 */
export function fieldIssueOf(
  issue: ZodIssue,
  prefix: readonly string[] = [],
  input: unknown = issue.input,
): FieldIssue {
  const path = [...prefix, ...issue.path.map(String)].join('.');
  const coded = issueCodeOf(issue, input);
  return { path: path || '(body)', message: issue.message, ...coded };
}

export function zodIssuesToFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => fieldIssueOf(i));
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'The request'): z.infer<S> {
  const result = schema.safeParse(input, { reportInput: true });
  if (!result.success) {
    const issues = zodIssuesToFieldIssues(result.error);
    throw new DomainError(
      'INVALID',
      `${what} is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      {
        issues,
      },
    );
  }
  return result.data;
}
