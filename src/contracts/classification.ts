/** Request and response schemas of classification and the control list. */
import { z } from 'zod';
import { itemTechnicalProfileSchema } from '../domain/classification.ts';

export const ClassificationRequest = z
  .strictObject({
    profile: z
      .string()
      .min(1)
      .max(64)
      .default('legal')
      .meta({ description: 'legal, broad, or an authority profile id' }),
    item: itemTechnicalProfileSchema,
  })
  .meta({ id: 'ClassificationRequest' });

const Conclusion = z.looseObject({ basis: z.enum(['law', 'profile']) });

export const ClassificationResultView = z
  .looseObject({
    item: z.looseObject({}),
    controlListVersion: z.string(),
    policyVersion: z.string(),
    profile: z.object({ id: z.string(), version: z.string(), title: z.string() }),
    matchedEntries: z.array(z.string()),
    listing: z.enum(['listed', 'not_listed', 'undetermined']),
    entries: z.array(z.looseObject({ code: z.string() })),
    cyberSurveillance: z.looseObject({}),
    profileFlags: z.array(z.looseObject({ id: z.string() })),
    conclusions: z.array(Conclusion),
    questions: z.array(z.object({ fact: z.string(), question: z.string(), affects: z.array(z.string()) })),
    unverified: z.array(z.string()),
  })
  .meta({
    id: 'ClassificationResult',
    description: 'Matched entries with the full criterion trail; see docs/classification.md',
  });

export const StoredClassificationView = z
  .looseObject({
    matchedEntries: z.array(z.string()),
    listing: z.string(),
    controlListVersion: z.string(),
    policyVersion: z.string(),
  })
  .meta({ id: 'StoredClassification' });

export const ClassificationProfileView = z.object({ id: z.string(), version: z.string(), title: z.string() });

export const ControlListSearchQuery = z.strictObject({
  q: z.string().trim().min(1).max(1000),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export const ControlListSearchView = z.object({
  version: z.string(),
  hits: z.array(
    z.object({
      code: z.string(),
      score: z.number(),
      passage: z.string(),
      matchedTerms: z.array(z.string()),
      vocabularyPhrases: z.array(z.string()),
      listVersion: z.string(),
    }),
  ),
});

export const ControlListEntryView = z
  .object({
    code: z.string(),
    parent: z.string().nullable(),
    category: z.string(),
    text: z.string(),
    notes: z.array(z.string()),
    technicalNotes: z.array(z.string()),
    definitionsUsed: z.array(z.string()),
    version: z.string(),
    children: z.array(z.string()),
  })
  .meta({ id: 'ControlListEntry' });
