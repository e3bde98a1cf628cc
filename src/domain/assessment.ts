/**
 * Human-rights assessment vocabulary: country profiles and their indicators, restrictive measures, the D.3
 * surveillance-law safeguards checklist, the application input the assessment engine reads (zod + JSON Schema)
 * and the assessment it returns. Plain types and validation; no I/O.
 */
import { z } from 'zod';
import { countryName, isCountryCode } from './codes.ts';
import { EVIDENCE_TYPES, LICENCE_TYPES, PARTY_ROLES, PARTY_TYPES } from './model.ts';

// ---------------------------------------------------------------------------------------------------------------
// Country indicators

/** Indicator keys a country profile may carry. Units are in the names. */
export const INDICATOR_KEYS = [
  'fiw_status',
  'fiw_score100',
  'pts_amnesty15',
  'pts_hrw15',
  'pts_state15',
  'vdem_libdem01',
  'pegasus_targets_count',
  'aigs_listed',
] as const;
export type IndicatorKey = (typeof INDICATOR_KEYS)[number];

/** Where an imported indicator came from: enough to reproduce the import. */
export interface IndicatorProvenance {
  /** Dataset id, e.g. `fiw-2023`. */
  dataset: string;
  /** Human-readable source, e.g. `Freedom House, Freedom in the World 2023`. */
  source: string;
  /** File name as read. */
  file: string;
  /** SHA-256 of the file bytes. */
  sha256: string;
  /** Publisher's edition or date as stated in the manifest. */
  publisherDate: string;
  rowsRead: number;
  rowsUsed: number;
  /** Rows skipped with their reason (historical entity, territory without ISO code, aggregate, no value). */
  rowsSkipped: number;
  skippedReasons: Record<string, number>;
  countries: number;
}

export interface CountryIndicator {
  key: IndicatorKey;
  value: number | string | boolean;
  /** Year the value describes (coverage year), or null when the source gives none. */
  year: number | null;
  /** Dataset id of the provenance record. */
  dataset: string;
  /** Human-readable source, repeated here so a finding can cite it alone. */
  source: string;
  note?: string;
}

/** One imported dataset: indicators per ISO alpha-2 code, with its provenance. */
export interface IndicatorSet {
  provenance: IndicatorProvenance;
  byCountry: Record<string, CountryIndicator[]>;
}

// ---------------------------------------------------------------------------------------------------------------
// D.3 surveillance-law safeguards checklist (ECtHR case law; BRIEF D.3, [M] for case details)

export const SAFEGUARD_CRITERIA = [
  { id: 'accessible_foreseeable_law', n: 1, text: 'Accessible, foreseeable published law' },
  { id: 'defined_offences_grounds', n: 2, text: 'Defined serious offences or grounds' },
  { id: 'defined_targets_suspicion', n: 3, text: 'Defined categories of targets and a suspicion threshold' },
  {
    id: 'prior_independent_authorisation',
    n: 4,
    text: 'Prior authorisation by a judge or independent body testing necessity and proportionality',
  },
  { id: 'duration_renewal_limits', n: 5, text: 'Limits on duration and renewal' },
  { id: 'examination_use_storage_rules', n: 6, text: 'Rules on examining, using and storing data' },
  { id: 'onward_foreign_sharing_safeguards', n: 7, text: 'Safeguards for onward or foreign sharing' },
  { id: 'erasure_destruction_rules', n: 8, text: 'Rules on erasure and destruction' },
  { id: 'independent_oversight', n: 9, text: 'Independent oversight with real powers' },
  { id: 'subject_notification', n: 10, text: 'Notification of subjects after the fact' },
  { id: 'effective_remedy', n: 11, text: 'Effective remedy and ex-post review' },
  { id: 'no_direct_network_access', n: 12, text: 'No unrestricted direct network access' },
  {
    id: 'no_blanket_retention_or_encryption_weakening',
    n: 13,
    text: 'No blanket retention and no mandated weakening of encryption',
  },
  {
    id: 'journalist_privilege_protection',
    n: 14,
    text: "Protection for journalists' sources and privileged communications",
  },
] as const;
export type SafeguardId = (typeof SAFEGUARD_CRITERIA)[number]['id'];
export const SAFEGUARD_IDS = SAFEGUARD_CRITERIA.map((c) => c.id) as unknown as readonly [
  SafeguardId,
  ...SafeguardId[],
];

export const TRI_STATES = ['true', 'false', 'unknown'] as const;
export type TriState = (typeof TRI_STATES)[number];

export interface SafeguardAnswer {
  criterion: SafeguardId;
  value: TriState;
  /** Citation or URL supporting the answer; null while unknown. */
  source: string | null;
  note?: string;
}

/** The checklist with every criterion `unknown` and no source: the default for every country. */
export function createDefaultSafeguardChecklist(): SafeguardAnswer[] {
  return SAFEGUARD_CRITERIA.map((c) => ({ criterion: c.id, value: 'unknown', source: null }));
}

// ---------------------------------------------------------------------------------------------------------------
// Restrictive measures (facts written from the law in policy/countries/restrictive-measures.yaml)

export const MEASURE_KINDS = [
  'arms_embargo',
  'internal_repression_equipment_ban',
  'telecom_monitoring_equipment_ban',
  'dual_use_export_ban',
] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

export const MEASURE_SCOPES = [
  'whole_country',
  'region',
  'non_government_forces',
  'designated_persons',
  'military_end_users',
] as const;
export type MeasureScope = (typeof MEASURE_SCOPES)[number];

export interface RestrictiveMeasure {
  id: string;
  authority: 'EU' | 'UN';
  kind: MeasureKind;
  countries: string[];
  scope: MeasureScope;
  /** Legal acts, e.g. `Council Regulation (EU) No 36/2012, Art. 4 and Annex V`. */
  legalActs: string[];
  summary: string;
  /** OpenSanctions programme keys describing the same regime, used to cross-check. */
  programmeKeys: string[];
  verified: boolean;
  verificationNote: string;
  /** A narrow authorisation route the act itself provides, if any (paraphrased). */
  derogation?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Country profile

export interface CountryProfile {
  country: string;
  name: string;
  euMemberState: boolean;
  /** Union general export authorisations whose destination list includes this country (e.g. EU001). */
  eugeaDestinationOf: string[];
  indicators: Partial<Record<IndicatorKey, CountryIndicator>>;
  /** Indicator keys without a value: unknown, never zero. */
  missingIndicators: IndicatorKey[];
  safeguards: SafeguardAnswer[];
  /** Ids of restrictive measures naming this country. */
  restrictiveMeasureIds: string[];
  /** Dataset ids used, for reproducibility. */
  datasets: string[];
}

/** A profile with no indicators, the default checklist and no measures, for any ISO 3166 alpha-2 code. */
export function createEmptyCountryProfile(country: string): CountryProfile {
  if (!isCountryCode(country)) throw new Error(`Not an ISO 3166-1 alpha-2 code: ${country}`);
  return {
    country,
    name: countryName(country),
    euMemberState: false,
    eugeaDestinationOf: [],
    indicators: {},
    missingIndicators: [...INDICATOR_KEYS],
    safeguards: createDefaultSafeguardChecklist(),
    restrictiveMeasureIds: [],
    datasets: [],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Assessment input (the application as the engine reads it). Published as JSON Schema.

export const CHARTER_ARTICLES = [1, 4, 6, 7, 8, 10, 11, 12, 17, 21, 41, 42, 47, 48, 52] as const;
export type CharterArticle = (typeof CHARTER_ARTICLES)[number];

/** Item capability facts (what an item can do), the vocabulary the model maps to rights. */
export const ITEM_CAPABILITIES = [
  'lawful_interception_handover',
  'interception_content',
  'ip_network_monitoring',
  'deep_packet_inspection',
  'bulk_collection',
  'hard_selector_search',
  'relational_mapping',
  'data_retention',
  'location_tracking',
  'ss7_signalling_exploitation',
  'imsi_catcher',
  'intrusion_software',
  'mobile_device_forensics',
  'cryptanalysis',
  'facial_recognition',
  'social_media_monitoring',
  'covert_operation',
  'network_security_only',
] as const;
export type ItemCapability = (typeof ITEM_CAPABILITIES)[number];

export const RELIABILITY_LEVELS = ['high', 'medium', 'low'] as const;
export type Reliability = (typeof RELIABILITY_LEVELS)[number];

/** Red flags, from Rec. (EU) 2024/2659 and Rec. (EU) 2019/1318 annexes (paraphrased). */
export const RED_FLAGS = [
  'covert_capability_marketing',
  'prior_misuse_indications',
  'repressive_end_user_record',
  'no_legal_safeguards_destination',
  'end_use_disclosure_refused',
  'opaque_intermediary',
  'unusual_routing_or_payment',
  'targeting_customisation_request',
  'end_user_mismatch',
  'no_re_export_undertaking_refused',
] as const;
export type RedFlag = (typeof RED_FLAGS)[number];

const countryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, 'Expected an ISO 3166-1 alpha-2 country code in upper case')
  .refine((c) => isCountryCode(c), { message: 'Unknown ISO 3166-1 alpha-2 country code' })
  .describe('ISO 3166-1 alpha-2 country code, e.g. DE');

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Expected a date YYYY-MM-DD');

export const assessmentItemSchema = z.object({
  id: z.string().min(1),
  description: z.string().min(1),
  /** Annex I control entries found by classification, e.g. ["5A001.j"]; empty for non-listed items. */
  controlEntries: z.array(z.string().min(1)).default([]),
  cyberSurveillance: z.object({
    /** An Art. 2(20) cyber-surveillance item under the law. */
    underLaw: z.boolean(),
    /** In the broader policy scope (e.g. biometrics), not the law. */
    underPolicy: z.boolean(),
  }),
  capabilities: z.array(z.enum(ITEM_CAPABILITIES)).default([]),
  /** True when classification put the item on an internal-repression annex of a sanctions regulation. */
  internalRepressionAnnex: z.boolean().default(false),
  /** True for an item on the Common Military List (arms). */
  militaryListed: z.boolean().default(false),
});

export const assessmentPartySchema = z.object({
  id: z.string().min(1).optional(),
  name: z.string().min(1),
  type: z.enum(PARTY_TYPES),
  role: z.enum(PARTY_ROLES),
  country: countryCode,
});

export const screeningHitSchema = z.object({
  partyName: z.string().min(1),
  list: z.string().min(1),
  /** sanctions: an asset-freeze list (EU, UN); other lists are signals (e.g. US Entity List). */
  listKind: z.enum(['sanctions', 'export_denial', 'entity_list', 'civil_society', 'other']),
  score01: z.number().min(0).max(1),
  confirmed: z.boolean(),
});

export const priorDenialSchema = z.object({
  memberState: countryCode,
  reference: z.string().min(1),
  date: isoDate,
  inForce: z.boolean(),
  essentiallyIdentical: z.boolean(),
  reason: z.string().optional(),
});

export const evidenceRecordSchema = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  type: z.enum(EVIDENCE_TYPES),
  reliability: z.enum(RELIABILITY_LEVELS),
  date: isoDate,
  sourceUrl: z.string().min(1),
  countries: z.array(countryCode).default([]),
  endUsers: z.array(z.string().min(1)).default([]),
  companies: z.array(z.string().min(1)).default([]),
  itemCapabilities: z.array(z.enum(ITEM_CAPABILITIES)).default([]),
  rights: z.array(z.literal(CHARTER_ARTICLES)).default([]),
  /** True when the record documents misuse (surveillance used against rights); false for context. */
  documentsMisuse: z.boolean().default(true),
  status: z.enum(['pending', 'accepted', 'rejected']).default('accepted'),
});

export const dueDiligenceSchema = z.object({
  /** Share of the Rec. 2024/2659 steps the exporter documented, 0..1. */
  completeness01: z.number().min(0).max(1),
  redFlags: z.array(z.enum(RED_FLAGS)).default([]),
  endUseStatement: z.boolean(),
  noReExportUndertaking: z.boolean().default(false),
  /** Exporter aware from its due diligence of an intended use for internal repression (Art. 5(2)). */
  awareOfMisuse: z.boolean().default(false),
});

const triState = z.enum(TRI_STATES);

export const countryProfileSchema = z.object({
  country: countryCode,
  name: z.string(),
  euMemberState: z.boolean(),
  eugeaDestinationOf: z.array(z.string()),
  indicators: z.partialRecord(
    z.enum(INDICATOR_KEYS),
    z.object({
      key: z.enum(INDICATOR_KEYS),
      value: z.union([z.number(), z.string(), z.boolean()]),
      year: z.number().int().nullable(),
      dataset: z.string(),
      source: z.string(),
      note: z.string().optional(),
    }),
  ),
  missingIndicators: z.array(z.enum(INDICATOR_KEYS)),
  safeguards: z.array(
    z.object({
      criterion: z.enum(SAFEGUARD_IDS),
      value: triState,
      source: z.string().nullable(),
      note: z.string().optional(),
    }),
  ),
  restrictiveMeasureIds: z.array(z.string()),
  datasets: z.array(z.string()),
});

export const assessmentInputSchema = z.object({
  applicationId: z.string().min(1),
  /** `legal`: the law only; `broad`: also the policy scope and policy extras. */
  profile: z.enum(['legal', 'broad']).default('legal'),
  licenceType: z.enum(LICENCE_TYPES).default('individual'),
  /** Member State of the competent authority (for Art. 5(3) and Art. 16). */
  memberState: countryCode,
  /** True when that Member State has adopted an Art. 5(3) "grounds for suspecting" extension. */
  memberStateApplies5_3: z.boolean().default(false),
  destination: countryCode,
  intendedEndUse: z.string().min(1),
  items: z.array(assessmentItemSchema).min(1),
  parties: z.array(assessmentPartySchema).min(1),
  screeningHits: z.array(screeningHitSchema).default([]),
  priorDenials: z.array(priorDenialSchema).default([]),
  evidence: z.array(evidenceRecordSchema).default([]),
  dueDiligence: dueDiligenceSchema,
  /** The destination's profile; when absent the engine takes it from the reference data. */
  countryProfile: countryProfileSchema.optional(),
});

export type AssessmentItem = z.infer<typeof assessmentItemSchema>;
export type AssessmentParty = z.infer<typeof assessmentPartySchema>;
export type ScreeningHit = z.infer<typeof screeningHitSchema>;
export type PriorDenial = z.infer<typeof priorDenialSchema>;
export type EvidenceRecord = z.infer<typeof evidenceRecordSchema>;
export type DueDiligenceRecord = z.infer<typeof dueDiligenceSchema>;
/** The application as the engine reads it, after defaults are applied. */
export type AssessmentInput = z.infer<typeof assessmentInputSchema>;
/** The application as a client writes it (defaults optional). */
export type AssessmentInputDraft = z.input<typeof assessmentInputSchema>;

/** JSON Schema (draft 2020-12) of the application format, generated from the zod schema. */
export function buildAssessmentInputJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(assessmentInputSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return {
    ...schema,
    $id: 'https://custos.example/schemas/assessment-input.json',
    title: 'Custos assessment input (licence application as assessed)',
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Assessment output

export const RECOMMENDATIONS = ['deny', 'approve_with_conditions', 'approve', 'needs_information'] as const;
export type Recommendation = (typeof RECOMMENDATIONS)[number];

export const RISK_LEVELS = ['high', 'elevated', 'moderate', 'low', 'undetermined'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** A source a finding rests on: an indicator, an evidence record, a legal act, a case, a checklist answer. */
export interface SourceRef {
  kind:
    | 'indicator'
    | 'evidence'
    | 'legal_act'
    | 'case_law'
    | 'safeguard'
    | 'screening'
    | 'denial'
    | 'due_diligence'
    | 'input';
  id: string;
  label: string;
  /** URL, citation or dataset, as available. */
  citation: string;
  verified?: boolean;
}

export interface Reason {
  /** Stable rule id from the model, e.g. `c2.clear_risk.threshold`. */
  rule: string;
  text: string;
  sources: SourceRef[];
}

export interface RightFinding {
  article: CharterArticle;
  title: string;
  level: RiskLevel;
  score01: number | null;
  engagedBy: ItemCapability[];
  indicators: SourceRef[];
  evidence: SourceRef[];
  standards: SourceRef[];
  safeguardGaps: { criterion: SafeguardId; value: TriState }[];
  reasons: Reason[];
}

export interface Prohibition {
  measureId: string;
  kind: MeasureKind | 'designated_party';
  country: string | null;
  legalActs: string[];
  verified: boolean;
  reasons: Reason[];
}

export interface Criterion2Finding {
  clearRisk: boolean;
  specialCaution: boolean;
  level: RiskLevel;
  score01: number | null;
  reasons: Reason[];
}

export interface Criterion7Finding {
  level: RiskLevel;
  score01: number;
  signals: string[];
  reasons: Reason[];
}

export const CATCH_ALL_OUTCOMES = [
  'not_applicable_listed',
  'not_applicable_not_cyber_surveillance',
  'policy_scope_only',
  'licence_required_art5_1',
  'notification_required_art5_2',
  'licence_required_art5_3',
  'no_requirement',
] as const;
export type CatchAllOutcome = (typeof CATCH_ALL_OUTCOMES)[number];

export interface CatchAllFinding {
  itemId: string;
  outcome: CatchAllOutcome;
  verified: boolean;
  reasons: Reason[];
}

export interface ConditionRef {
  id: string;
  text: string;
  source: string;
  /** Why the condition is proposed. */
  because: string[];
}

export interface Assessment {
  applicationId: string;
  modelVersion: string;
  referenceVersion: string;
  inputHash: string;
  profile: 'legal' | 'broad';
  destination: string;
  recommendation: Recommendation;
  confidence01: number;
  confidence: 'high' | 'medium' | 'low';
  prohibitions: Prohibition[];
  rights: RightFinding[];
  criterion2: Criterion2Finding;
  criterion7: Criterion7Finding;
  catchAll: CatchAllFinding[];
  conditions: ConditionRef[];
  informationNeeded: { id: string; text: string }[];
  /** Indicators and checklist items that were unknown, named. */
  unknowns: string[];
  /** Unverified rules the result relied on. */
  unverifiedRules: string[];
  trail: { step: string; outcome: string; reasons: Reason[] }[];
  /** The normalised input, so the assessment can be reproduced. */
  inputSnapshot: AssessmentInput;
}
