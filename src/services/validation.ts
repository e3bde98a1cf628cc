/** Parse untrusted input with a zod schema into a DomainError INVALID that names every bad field. */
import type { z } from 'zod';
import { DomainError } from '../domain/errors.ts';

export function zodIssuesToFieldIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => {
    const path = i.path.map(String).join('.');
    const keys = 'keys' in i && Array.isArray(i.keys) ? ` (${(i.keys as string[]).join(', ')})` : '';
    return { path: path || '(body)', message: `${i.message}${keys}` };
  });
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'The request'): z.infer<S> {
  const result = schema.safeParse(input);
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
