/** The controlled public item-description vocabulary: the only item text the public register ever shows. */
import { z } from 'zod';
import { DomainError } from '../../domain/errors.ts';
import { CYBER_SURVEILLANCE_CATEGORIES, type CyberSurveillanceCategory } from '../../domain/reporting.ts';

const vocabularySchema = z.strictObject({
  id: z.string().min(1),
  version: z.string().min(1),
  source: z.string().min(1),
  descriptions: z
    .array(
      z.strictObject({
        code: z.string().regex(/^[A-Z0-9][A-Z0-9-]*$/),
        text: z.string().min(1).max(200),
        controlEntries: z.array(z.string().min(1)),
        category: z.enum(CYBER_SURVEILLANCE_CATEGORIES).nullable(),
      }),
    )
    .min(1),
});

export interface DescriptionEntry {
  code: string;
  text: string;
  controlEntries: string[];
  category: CyberSurveillanceCategory | null;
}

export interface DescriptionVocabulary {
  id: string;
  version: string;
  source: string;
  byCode: ReadonlyMap<string, DescriptionEntry>;
}

/**
 * Validates the vocabulary (parsed YAML/JSON); duplicate codes are refused naming the file and entry.
 * @example parseDescriptionVocabulary(YAML.parse(text), 'policy/vocabulary/item-descriptions.yaml').byCode.get('IP-SURVEILLANCE')
 */
export function parseDescriptionVocabulary(data: unknown, sourceName: string): DescriptionVocabulary {
  const parsed = vocabularySchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      path: `${sourceName}:${i.path.join('.')}`,
      message: i.message,
    }));
    throw new DomainError(
      'INVALID',
      `Vocabulary ${sourceName} is not valid: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      { issues },
    );
  }
  const byCode = new Map<string, DescriptionEntry>();
  parsed.data.descriptions.forEach((d, index) => {
    if (byCode.has(d.code)) {
      throw new DomainError(
        'INVALID',
        `Vocabulary ${sourceName}: duplicate code ${d.code} at descriptions.${index}.`,
        {
          issues: [{ path: `${sourceName}:descriptions.${index}.code`, message: `duplicate code ${d.code}` }],
        },
      );
    }
    byCode.set(d.code, { ...d });
  });
  return { id: parsed.data.id, version: parsed.data.version, source: parsed.data.source, byCode };
}
