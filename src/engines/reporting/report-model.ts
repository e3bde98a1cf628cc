/**
 * The published shapes (public register rows, aggregate tables, the transparency report) as zod schemas: the
 * TypeScript types and the JSON Schema of the JSON output both come from here.
 */
import { z } from 'zod';
import { REGISTER_DECISIONS } from '../../domain/reporting.ts';

/** Bumped on any change to a published shape; `mergeDataPackages` refuses packages of another version. */
export const REPORT_SCHEMA_VERSION = '1.0.0';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const publicRegisterItemSchema = z.strictObject({
  lineNo: z.number().int(),
  controlEntries: z.array(z.string()).nullable(),
  cyberSurveillanceCategory: z.string().nullable(),
  descriptionCode: z.string().nullable(),
  description: z.string().nullable(),
  quantity: z.number().nullable(),
  unit: z.string().nullable(),
  valueEur: z.number().nullable(),
});

export const publicRegisterPartySchema = z.strictObject({
  role: z.string().nullable(),
  partyType: z.string().nullable(),
  sector: z.string().nullable(),
  country: z.string().nullable(),
  /** Only a legal person's name, and only when the policy publishes it. Never a natural person's. */
  name: z.string().nullable(),
});

export const publicRegisterRowSchema = z.strictObject({
  /** Stable key of the row within the report: the reference when published, else `row-N`. */
  rowId: z.string(),
  reference: z.string().nullable(),
  memberState: z.string().nullable(),
  receivedOn: isoDate.nullable(),
  decidedOn: isoDate.nullable(),
  licenceType: z.string().nullable(),
  destinationCountry: z.string().nullable(),
  decision: z.enum(REGISTER_DECISIONS).nullable(),
  cyberSurveillance: z.boolean(),
  totalValueEur: z.number().nullable(),
  items: z.array(publicRegisterItemSchema),
  parties: z.array(publicRegisterPartySchema),
  criteria: z.array(z.string()).nullable(),
  rights: z.array(z.string()).nullable(),
  consulted: z.boolean().nullable(),
  denialRelated: z.boolean().nullable(),
});

export const aggregateRowSchema = z.strictObject({
  /** One value per dimension; `_other` in every dimension for the row that merges small cells. */
  key: z.array(z.string()),
  label: z.string(),
  applications: z.number().int(),
  valueEur: z.number().nullable(),
  /** How many small cells this row merges (0 for an ordinary row). */
  mergedCells: z.number().int(),
});

export const aggregateTableSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  /** What one application count means in this table. */
  unit: z.string(),
  dimensions: z.array(z.string()),
  rows: z.array(aggregateRowSchema),
  total: z.strictObject({ applications: z.number().int().nullable(), valueEur: z.number().nullable() }),
  /** True when the whole table fails the minimum group sizes and nothing but this flag is published. */
  suppressed: z.boolean(),
  reasons: z.array(z.string()),
});

export const trendPointSchema = z.strictObject({
  period: z.string(),
  applications: z.number().int().nullable(),
  valueEur: z.number().nullable(),
  cyberSurveillanceApplications: z.number().int().nullable(),
  denied: z.number().int().nullable(),
});

export const transparencyReportSchema = z.strictObject({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  reportId: z.string(),
  authority: z.strictObject({ id: z.string(), name: z.string(), memberState: z.string() }),
  period: z.strictObject({
    id: z.string(),
    granularity: z.enum(['month', 'quarter', 'year']),
    startOn: isoDate,
    endOn: isoDate,
  }),
  revision: z.strictObject({ number: z.number().int().min(1), note: z.string().nullable() }),
  publishedAt: z.string(),
  policy: z.strictObject({ id: z.string(), version: z.string() }),
  vocabulary: z.strictObject({ id: z.string(), version: z.string() }),
  summary: z.strictObject({
    applications: z.number().int(),
    valueEur: z.number().nullable(),
    /** Null when the policy withholds the cyber-surveillance category. */
    cyberSurveillanceApplications: z.number().int().nullable(),
    /** Applications of the period not yet published because their delay has not run. */
    withheldByDelay: z.number().int(),
  }),
  register: z.array(publicRegisterRowSchema),
  tables: z.strictObject({
    byControlEntry: aggregateTableSchema,
    byDestination: aggregateTableSchema,
    byEndUserType: aggregateTableSchema,
    byDecision: aggregateTableSchema,
    cyberSurveillance: aggregateTableSchema,
  }),
  trends: z.array(trendPointSchema),
  notes: z.array(z.string()),
});

export type PublicRegisterItem = z.infer<typeof publicRegisterItemSchema>;
export type PublicRegisterParty = z.infer<typeof publicRegisterPartySchema>;
export type PublicRegisterRow = z.infer<typeof publicRegisterRowSchema>;
export type AggregateRow = z.infer<typeof aggregateRowSchema>;
export type AggregateTable = z.infer<typeof aggregateTableSchema>;
export type TrendPoint = z.infer<typeof trendPointSchema>;
export type TransparencyReport = z.infer<typeof transparencyReportSchema>;
/** A report without its register rows: the renderers take the register apart, as a `RegisterSource` (ADR 0009). */
export type ReportShell = Omit<TransparencyReport, 'register'>;
/** The report's fields in published order (the register's place among them included). */
export const REPORT_FIELDS = Object.keys(transparencyReportSchema.shape) as (keyof TransparencyReport)[];
export type TableId = keyof TransparencyReport['tables'];
export const TABLE_IDS: readonly TableId[] = [
  'byControlEntry',
  'byDestination',
  'byEndUserType',
  'byDecision',
  'cyberSurveillance',
];

/**
 * JSON Schema (draft 2020-12) of the report's JSON output.
 * @example const schema = buildReportJsonSchema(); schema.$id // 'urn:custos:schema:transparency-report:1.0.0'
 */
export function buildReportJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(transparencyReportSchema, { target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  return {
    $id: `urn:custos:schema:transparency-report:${REPORT_SCHEMA_VERSION}`,
    title: 'Custos transparency report',
    ...schema,
  };
}
