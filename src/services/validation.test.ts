import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { CountryCode, CurrencyCode } from '../contracts/common.ts';
import { isDomainError, ISSUE_CODES, type FieldIssue } from '../domain/errors.ts';
import { parseInput } from './validation.ts';

/** The issues parseInput raises for `input`. */
function issuesOf(schema: z.ZodType, input: unknown): FieldIssue[] {
  try {
    parseInput(schema, input);
  } catch (e) {
    if (isDomainError(e)) return [...e.issues];
    throw e;
  }
  throw new Error('expected the input to be refused');
}

const byPath = (issues: FieldIssue[]) => Object.fromEntries(issues.map((i) => [i.path, i]));

describe('field issues from zod', () => {
  const schema = z
    .object({
      name: z.string().trim().min(1),
      code: z.string().min(3).max(5),
      count: z.number().int().min(2),
      share: z.number().gt(0).lt(1),
      size: z.number().max(3).multipleOf(1),
      step: z.number().multipleOf(5),
      kind: z.enum(['hardware', 'software']),
      email: z.email(),
      id: z.uuid(),
      tags: z.array(z.string()).min(1).max(2),
      day: z.iso.date(),
      at: z.iso.datetime(),
      pattern: z.string().regex(/^[A-Z]+$/),
      country: CountryCode,
      currency: CurrencyCode,
      flag: z.boolean(),
    })
    .strict();

  it('gives every kind of problem a stable code with its parameters, and keeps the English message', () => {
    const issues = byPath(
      issuesOf(schema, {
        name: '   ',
        code: 'abcdefg',
        count: 1.5,
        share: 0,
        size: 9,
        step: 7,
        kind: 'firmware',
        email: 'not-an-address',
        id: 'x',
        tags: ['a', 'b', 'c'],
        day: '2025-02-30',
        at: 'yesterday',
        pattern: 'abc',
        country: 'de',
        currency: 'euro',
        flag: 'yes',
        extra: 1,
      }),
    );
    const coded = Object.fromEntries(Object.entries(issues).map(([p, i]) => [p, [i.code, i.params]]));
    expect(coded).toEqual({
      name: ['required', undefined],
      code: ['too_long', { maximum: 5 }],
      count: ['not_an_integer', undefined],
      share: ['above_number', { minimum: 0 }],
      size: ['max_number', { maximum: 3 }],
      step: ['not_multiple_of', { divisor: 5 }],
      kind: ['not_one_of', { options: 'hardware, software' }],
      email: ['invalid_email', undefined],
      id: ['invalid_id', undefined],
      tags: ['too_many', { maximum: 2 }],
      day: ['invalid_date', undefined],
      at: ['invalid_datetime', undefined],
      pattern: ['invalid_format', undefined],
      country: ['country_code', undefined],
      currency: ['currency_code', undefined],
      flag: ['wrong_type', { expected: 'boolean' }],
      '(body)': ['unknown_fields', { keys: 'extra' }],
    });
    for (const issue of Object.values(issues)) {
      expect(issue.message.length).toBeGreaterThan(0);
      expect(ISSUE_CODES).toContain(issue.code);
    }
    expect(issues['(body)']!.message).toContain('extra');
  });

  it('tells a missing value from a wrong one, and a too short text from an empty one', () => {
    const missing = byPath(issuesOf(schema.partial().required({ count: true, kind: true, code: true }), {}));
    expect(missing.count!.code).toBe('required');
    expect(missing.kind!.code).toBe('required');
    expect(missing.code!.code).toBe('required');
    const wrong = byPath(
      issuesOf(z.object({ count: z.number(), code: z.string().min(3) }), { count: 'x', code: 'a' }),
    );
    expect(wrong.count).toMatchObject({ code: 'not_a_number' });
    expect(wrong.code).toMatchObject({ code: 'too_short', params: { minimum: 3 } });
    const lists = byPath(issuesOf(z.object({ tags: z.array(z.string()).min(2) }), { tags: ['a'] }));
    expect(lists.tags).toMatchObject({ code: 'too_few', params: { minimum: 2 } });
    const range = byPath(issuesOf(z.object({ n: z.number().min(10), m: z.number().lt(3) }), { n: 2, m: 3 }));
    expect(range.n).toMatchObject({ code: 'min_number', params: { minimum: 10 } });
    expect(range.m).toMatchObject({ code: 'below_number', params: { maximum: 3 } });
  });

  it('leaves problems it cannot name without a code, and never copies what was sent', () => {
    const secret = 'CANARY-validation-7f3a';
    const schema2 = z.object({
      either: z.union([z.number(), z.boolean()]),
      checked: z.string().refine(() => false, { message: 'no good' }),
      unknownCode: z.string().refine(() => false, { message: 'no', params: { code: 'made_up' } }),
    });
    const issues = issuesOf(schema2, { either: secret, checked: secret, unknownCode: secret });
    for (const issue of issues) {
      expect(issue.code, issue.path).toBeUndefined();
      expect(JSON.stringify(issue)).not.toContain(secret);
    }
    expect(byPath(issues).checked!.message).toBe('no good');
    const explained = issuesOf(z.object({ code: z.string().regex(/^[A-Z]{2}$/, 'two capitals, like DE') }), {
      code: 'd',
    });
    expect(explained).toEqual([{ path: 'code', message: 'two capitals, like DE' }]);
  });
});
