/** Schemas of the assessment policy files (model, restrictive measures, country-name table), validated on load. */
import { z } from 'zod';
import {
  CHARTER_ARTICLES,
  INDICATOR_KEYS,
  ITEM_CAPABILITIES,
  MEASURE_KINDS,
  MEASURE_SCOPES,
  RELIABILITY_LEVELS,
  SAFEGUARD_IDS,
  type RestrictiveMeasure,
} from '../../domain/assessment.ts';
import { isCountryCode } from '../../domain/codes.ts';
import { invalid } from '../../domain/errors.ts';
import { EVIDENCE_TYPES, PARTY_TYPES } from '../../domain/model.ts';

const unit = z.number().min(0).max(1);

const caseLawSchema = z.object({
  id: z.string().min(1),
  court: z.enum(['ECtHR', 'CJEU']),
  name: z.string().min(1),
  citation: z.string().min(1),
  holding: z.string().min(1),
  safeguards: z.array(z.enum(SAFEGUARD_IDS)),
  verified: z.boolean(),
});

const capabilitySchema = z.object({
  rights: z.array(z.literal(CHARTER_ARTICLES)),
  severity01: unit,
  standards: z.array(z.string()),
  plausibleEndUserTypes: z.array(z.enum(PARTY_TYPES)),
  telecomMonitoring: z.boolean(),
});

const indicatorRuleSchema = z.object({
  weight: z.number().min(0),
  kind: z.enum(['fiw_status', 'inverse100', 'inverse01', 'pts15', 'count_saturating', 'boolean']),
  saturateAt: z.number().positive().optional(),
  /** Risk of a `true` value for boolean indicators. */
  trueRisk01: unit.optional(),
  /** What a missing value means: `unknown` (lowers confidence, named) or `not_documented` (absent from a list). */
  absent: z.enum(['unknown', 'not_documented']).default('unknown'),
  label: z.string().min(1),
});

const DIVERSION_SIGNALS = [
  'intermediary_in_third_country',
  'consignee_outside_destination',
  'ultimate_end_user_elsewhere',
  'end_user_type_implausible',
  'no_end_use_statement',
  'no_re_export_undertaking',
  'red_flag_opaque_intermediary',
  'red_flag_unusual_routing_or_payment',
  'red_flag_end_use_disclosure_refused',
  'red_flag_end_user_mismatch',
  'red_flag_no_re_export_undertaking_refused',
  'intermediary_country_restricted',
  'party_on_restricted_list',
] as const;
export type DiversionSignal = (typeof DIVERSION_SIGNALS)[number];

export const assessmentModelSchema = z
  .object({
    version: z.string().min(1),
    title: z.string().min(1),
    legalBasis: z.array(z.object({ id: z.string().min(1), text: z.string().min(1), verified: z.boolean() })),
    rights: z.array(z.object({ article: z.literal(CHARTER_ARTICLES), title: z.string().min(1) })),
    caseLaw: z.array(caseLawSchema),
    capabilities: z.record(z.enum(ITEM_CAPABILITIES), capabilitySchema),
    indicators: z.record(z.enum(INDICATOR_KEYS), indicatorRuleSchema),
    context: z.object({ indicatorWeight: z.number().min(0), safeguardWeight: z.number().min(0) }),
    endUserTypeRisk: z.record(z.enum(PARTY_TYPES), unit),
    evidence: z.object({
      typeWeight: z.record(z.enum(EVIDENCE_TYPES), unit),
      reliabilityWeight: z.record(z.enum(RELIABILITY_LEVELS), unit),
      linkWeight: z.object({ end_user: unit, company: unit, country: unit }),
      competentBodyTypes: z.array(z.enum(EVIDENCE_TYPES)),
      decisiveTypes: z.array(z.enum(EVIDENCE_TYPES)),
    }),
    diversion: z.object({ signalWeights: z.record(z.enum(DIVERSION_SIGNALS), unit) }),
    thresholds: z.object({
      clearRisk01: unit,
      elevated01: unit,
      moderate01: unit,
      diversionHigh01: unit,
      diversionElevated01: unit,
      diversionModerate01: unit,
      minIndicatorCoverage01: unit,
      minDueDiligence01: unit,
      unconfirmedHitScore01: unit,
      confidenceHigh01: unit,
      confidenceMedium01: unit,
    }),
    conditions: z.array(
      z.object({ id: z.string().min(1), text: z.string().min(1), source: z.string().min(1) }),
    ),
  })
  .superRefine((m, ctx) => {
    const caseIds = new Set(m.caseLaw.map((c) => c.id));
    for (const [cap, rule] of Object.entries(m.capabilities)) {
      for (const s of rule.standards) {
        if (!caseIds.has(s))
          ctx.addIssue({
            code: 'custom',
            path: ['capabilities', cap, 'standards'],
            message: `Unknown case-law id "${s}"`,
          });
      }
      const titled = new Set(m.rights.map((r) => r.article));
      for (const a of rule.rights) {
        if (!titled.has(a))
          ctx.addIssue({
            code: 'custom',
            path: ['capabilities', cap, 'rights'],
            message: `Article ${a} has no title in rights`,
          });
      }
    }
    for (const cap of ITEM_CAPABILITIES) {
      if (!(cap in m.capabilities))
        ctx.addIssue({
          code: 'custom',
          path: ['capabilities', cap],
          message: 'Capability missing from the model',
        });
    }
    for (const key of INDICATOR_KEYS) {
      if (!(key in m.indicators))
        ctx.addIssue({
          code: 'custom',
          path: ['indicators', key],
          message: 'Indicator missing from the model',
        });
    }
    const t = m.thresholds;
    if (!(t.clearRisk01 > t.elevated01 && t.elevated01 > t.moderate01)) {
      ctx.addIssue({
        code: 'custom',
        path: ['thresholds'],
        message: 'Expected clearRisk01 > elevated01 > moderate01',
      });
    }
    const required = [
      'end_use_undertaking',
      'no_re_export',
      'post_shipment_verification',
      'technical_limits_targeted',
      'audit_logging',
      'human_rights_training',
      'suspension_clause',
      'licence_use_reporting',
    ];
    const have = new Set(m.conditions.map((c) => c.id));
    for (const id of required) {
      if (!have.has(id))
        ctx.addIssue({ code: 'custom', path: ['conditions'], message: `Condition "${id}" missing` });
    }
  });

export type AssessmentModel = z.infer<typeof assessmentModelSchema>;

export const restrictiveMeasuresFileSchema = z
  .object({
    version: z.string().min(1),
    measures: z.array(
      z.object({
        id: z.string().min(1),
        authority: z.enum(['EU', 'UN']),
        kind: z.enum(MEASURE_KINDS),
        countries: z
          .array(z.string().refine(isCountryCode, 'Unknown ISO 3166-1 alpha-2 country code'))
          .min(1),
        scope: z.enum(MEASURE_SCOPES),
        legalActs: z.array(z.string().min(1)).min(1),
        summary: z.string().min(1),
        derogation: z.string().optional(),
        programmeKeys: z.array(z.string().min(1)),
        verified: z.boolean(),
        verificationNote: z.string().min(1),
      }),
    ),
  })
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    f.measures.forEach((m, i) => {
      if (seen.has(m.id))
        ctx.addIssue({
          code: 'custom',
          path: ['measures', i, 'id'],
          message: `Duplicate measure id "${m.id}"`,
        });
      seen.add(m.id);
    });
  });

export interface RestrictiveMeasuresFile {
  version: string;
  measures: RestrictiveMeasure[];
}

export const countryNameTableSchema = z.object({
  version: z.string().min(1),
  aliases: z.record(z.string(), z.string().refine(isCountryCode, 'Unknown ISO 3166-1 alpha-2 country code')),
  excluded: z.record(z.string(), z.string().min(1)),
});
export type CountryNameTable = z.infer<typeof countryNameTableSchema>;

/** Validate with a schema, throwing DomainError INVALID naming the file and the path of each problem. */
export function parsePolicy<T>(schema: z.ZodType<T>, raw: unknown, fileLabel: string): T {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    path: `${fileLabel}:${i.path.join('.')}`,
    message: i.message,
  }));
  throw invalid(
    `Invalid policy file ${fileLabel}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
    issues,
  );
}

/** Parse the assessment model (policy/assessment/model.yaml content). */
export function parseAssessmentModel(
  raw: unknown,
  fileLabel = 'policy/assessment/model.yaml',
): AssessmentModel {
  return parsePolicy(assessmentModelSchema, raw, fileLabel);
}

/** Parse restrictive measures (policy/countries/restrictive-measures.yaml content). */
export function parseRestrictiveMeasures(
  raw: unknown,
  fileLabel = 'policy/countries/restrictive-measures.yaml',
): RestrictiveMeasuresFile {
  return parsePolicy(restrictiveMeasuresFileSchema, raw, fileLabel) as RestrictiveMeasuresFile;
}

/** Parse the country-name table (policy/countries/country-names.yaml content). */
export function parseCountryNameTable(
  raw: unknown,
  fileLabel = 'policy/countries/country-names.yaml',
): CountryNameTable {
  return parsePolicy(countryNameTableSchema, raw, fileLabel);
}
