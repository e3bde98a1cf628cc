/** Loads the publication policies once per process: redaction policy, item vocabulary and the publication schedule. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DomainError, invalid } from '../../domain/errors.ts';
import {
  parseDescriptionVocabulary,
  parseRedactionPolicy,
  type DescriptionVocabulary,
  type PeriodGranularity,
  type RedactionPolicy,
} from '../../engines/reporting/index.ts';

export const POLICY_ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'policy',
);
export const DEFAULT_REDACTION_POLICY_FILE = path.join(POLICY_ROOT, 'redaction', 'default.yaml');
export const DEFAULT_VOCABULARY_FILE = path.join(POLICY_ROOT, 'vocabulary', 'item-descriptions.yaml');
export const DEFAULT_PUBLICATION_POLICY_FILE = path.join(POLICY_ROOT, 'publication', 'publication.yaml');

const granularity = z.enum(['month', 'quarter', 'year']);
const publicationPolicySchema = z.strictObject({
  id: z.string().min(1),
  version: z.string().min(1),
  schedule: z.strictObject({
    granularities: z.array(granularity).max(3),
    buildDelayDays: z.number().int().min(0).max(366),
    lookbackPeriods: z.number().int().min(1).max(24),
    everyHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 31),
  }),
  previousPeriods: z.strictObject({
    month: z.number().int().min(0).max(60),
    quarter: z.number().int().min(0).max(20),
    year: z.number().int().min(0).max(10),
  }),
  licence: z.strictObject({ name: z.string().min(1), title: z.string().min(1), path: z.string().url() }),
  feedTitle: z.string().min(1),
});

export interface PublicationPolicy {
  id: string;
  version: string;
  schedule: {
    granularities: PeriodGranularity[];
    buildDelayDays: number;
    lookbackPeriods: number;
    everyHours: number;
  };
  previousPeriods: Record<PeriodGranularity, number>;
  licence: { name: string; title: string; path: string };
  feedTitle: string;
}

function readYamlFile(file: string): unknown {
  if (!fs.existsSync(file)) throw new DomainError('NOT_FOUND', `No policy file ${file}.`);
  try {
    return parseYaml(fs.readFileSync(file, 'utf8')) as unknown;
  } catch (e) {
    throw invalid(`${path.basename(file)}: not valid YAML: ${(e as Error).message}`, [
      { path: path.basename(file), message: 'YAML syntax' },
    ]);
  }
}

/** Validates the publication settings; a bad file is refused naming the file and field. */
export function parsePublicationPolicy(data: unknown, sourceName: string): PublicationPolicy {
  const parsed = publicationPolicySchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      path: `${sourceName}:${i.path.join('.')}`,
      message: i.message,
    }));
    throw invalid(
      `Publication policy ${sourceName} is not valid: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      issues,
    );
  }
  return parsed.data;
}

export interface PublicationPolicies {
  redaction: RedactionPolicy;
  vocabulary: DescriptionVocabulary;
  publication: PublicationPolicy;
}

/**
 * Reads and validates the three files. A redaction policy that would publish a confidential field is refused here
 * (DomainError INVALID with the reason), before anything is read from the database.
 * @example loadPublicationPolicies({ redactionFile: 'policy/redaction/default.yaml' }).redaction.id
 */
export function loadPublicationPolicies(
  files: { redactionFile?: string; vocabularyFile?: string; publicationFile?: string } = {},
): PublicationPolicies {
  const redactionFile = files.redactionFile ?? DEFAULT_REDACTION_POLICY_FILE;
  const vocabularyFile = files.vocabularyFile ?? DEFAULT_VOCABULARY_FILE;
  const publicationFile = files.publicationFile ?? DEFAULT_PUBLICATION_POLICY_FILE;
  return {
    redaction: parseRedactionPolicy(readYamlFile(redactionFile), path.basename(redactionFile)),
    vocabulary: parseDescriptionVocabulary(readYamlFile(vocabularyFile), path.basename(vocabularyFile)),
    publication: parsePublicationPolicy(readYamlFile(publicationFile), path.basename(publicationFile)),
  };
}

let cached: PublicationPolicies | null = null;

/** The repository's default policies, loaded once per process. */
export function defaultPublicationPolicies(): PublicationPolicies {
  cached ??= loadPublicationPolicies();
  return cached;
}
