/** Parses a workflow policy file (YAML or JSON text) with a zod schema; a bad file fails naming the file and the rule. */
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { DomainError, type FieldIssue } from '../../domain/errors.ts';

/**
 * Parse policy text with a zod schema. The caller (a service or importer) reads the file; this stays pure.
 * Every issue names the file and the dotted path of the rule, e.g. `policy/workflow/eugea.yaml: eugeas.3.destinations`.
 *
 * @example
 * const policy = parsePolicyText(text, 'policy/workflow/lifecycle.yaml', lifecyclePolicySchema);
 */
export function parsePolicyText<S extends z.ZodType>(
  text: string,
  sourceName: string,
  schema: S,
): z.output<S> {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (cause) {
    throw new DomainError('INVALID', `${sourceName}: not valid YAML/JSON: ${(cause as Error).message}`, {
      issues: [{ path: sourceName, message: 'not valid YAML/JSON' }],
      cause,
    });
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issues: FieldIssue[] = result.error.issues.map((issue) => ({
      path: `${sourceName}: ${issue.path.map(String).join('.')}`,
      message: issue.message,
    }));
    throw new DomainError(
      'INVALID',
      `${sourceName}: invalid policy: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      { issues },
    );
  }
  return result.data;
}

/** Throws an INVALID DomainError naming the file and rule when a cross-field check fails. */
export function failPolicy(sourceName: string, rulePath: string, message: string): never {
  throw new DomainError('INVALID', `${sourceName}: ${rulePath}: ${message}`, {
    issues: [{ path: `${sourceName}: ${rulePath}`, message }],
  });
}
