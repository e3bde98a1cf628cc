/**
 * The redaction policy as data: which register fields are published, publication delays and minimum group sizes for
 * aggregate cells. A policy that would publish a confidential field is refused with the reason.
 */
import { z } from 'zod';
import { DomainError, type FieldIssue } from '../../domain/errors.ts';

/** Why a field can never be published (Art. 26(2)-(3) Reg. (EU) 2021/821: personal data, commercially sensitive
 * information and security information are protected; GDPR Art. 5(1)(c) data minimisation). */
export const CONFIDENTIAL_FIELDS = {
  applicationId: 'internal identifier: links the public row to internal records (security information).',
  exporterName: "commercially sensitive information: the exporter's identity (Art. 26(3)).",
  exporterId: "commercially sensitive information: the exporter's identity (Art. 26(3)).",
  'lines.confidentialDescription':
    "commercially sensitive information: the exporter's own item description (Art. 26(3)); the register uses the controlled public vocabulary instead.",
  'parties.name.naturalPerson': 'personal data of a natural person (Art. 26(3); GDPR Art. 5(1)(c)).',
} as const;
export type ConfidentialField = keyof typeof CONFIDENTIAL_FIELDS;

/** Fields a policy may publish or withhold. */
export const PUBLISHABLE_FIELDS = [
  'reference',
  'memberState',
  'receivedOn',
  'decidedOn',
  'licenceType',
  'destinationCountry',
  'decision',
  'lines.controlEntries',
  'lines.cyberSurveillanceCategory',
  'lines.publicDescription',
  'lines.quantity',
  'lines.valueEur',
  'parties.role',
  'parties.partyType',
  'parties.sector',
  'parties.country',
  'parties.name.legalPerson',
  'grounds.criteria',
  'grounds.rights',
  'consulted',
  'denialRelated',
] as const;
export type PublishableField = (typeof PUBLISHABLE_FIELDS)[number];

const fieldRuleSchema = z.strictObject({
  publish: z.boolean(),
  /** The legal source or reason for the choice. */
  source: z.string().min(1),
});

const policySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  version: z.string().min(1),
  title: z.string().min(1),
  legalSource: z.string().min(1),
  fields: z.record(z.string(), fieldRuleSchema),
  register: z.strictObject({
    /** Days after the decision before a decided application appears. */
    decidedDelayDays: z.number().int().min(0).max(3650),
    /** Days after receipt before a pending application appears; null = pending applications are never published. */
    pendingDelayDays: z.number().int().min(0).max(3650).nullable(),
    includeWithdrawn: z.boolean(),
  }),
  aggregation: z.strictObject({
    /** A published cell counts at least this many applications. */
    minApplicationsPerCell: z.number().int().min(1),
    /** ... and at least this many distinct exporters, so no single exporter can be identified. */
    minExportersPerCell: z.number().int().min(1),
    /** ... and no exporter holds more than this share of the cell's value (dominance rule). */
    maxSingleExporterValueShare01: z.number().gt(0).max(1),
  }),
});

export interface RedactionPolicy {
  id: string;
  version: string;
  title: string;
  legalSource: string;
  /** Every publishable field with its decision. */
  fields: Record<PublishableField, { publish: boolean; source: string }>;
  register: { decidedDelayDays: number; pendingDelayDays: number | null; includeWithdrawn: boolean };
  aggregation: {
    minApplicationsPerCell: number;
    minExportersPerCell: number;
    maxSingleExporterValueShare01: number;
  };
}

/**
 * Validates a redaction policy (parsed YAML/JSON). Refuses (DomainError INVALID, each issue naming the file and
 * field) a policy that publishes a confidential field, names an unknown field or leaves a publishable field unset.
 * @example parseRedactionPolicy(YAML.parse(text), 'policy/redaction/default.yaml').fields.exporterName // never set
 */
export function parseRedactionPolicy(data: unknown, sourceName: string): RedactionPolicy {
  const parsed = policySchema.safeParse(data);
  if (!parsed.success) {
    const issues: FieldIssue[] = parsed.error.issues.map((i) => ({
      path: `${sourceName}:${i.path.join('.')}`,
      message: i.message,
    }));
    throw new DomainError(
      'INVALID',
      `Redaction policy ${sourceName} is not valid: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      { issues },
    );
  }
  const issues: FieldIssue[] = [];
  const publishable = new Set<string>(PUBLISHABLE_FIELDS);
  for (const [field, rule] of Object.entries(parsed.data.fields)) {
    if (field in CONFIDENTIAL_FIELDS) {
      if (rule.publish) {
        issues.push({
          path: `${sourceName}:fields.${field}`,
          message: `"${field}" is confidential and can never be published: ${CONFIDENTIAL_FIELDS[field as ConfidentialField]}`,
        });
      }
    } else if (!publishable.has(field)) {
      issues.push({ path: `${sourceName}:fields.${field}`, message: `unknown field "${field}".` });
    }
  }
  for (const field of PUBLISHABLE_FIELDS) {
    if (!(field in parsed.data.fields)) {
      issues.push({
        path: `${sourceName}:fields.${field}`,
        message: `field "${field}" must be set to publish: true or false.`,
      });
    }
  }
  if (issues.length > 0) {
    throw new DomainError(
      'INVALID',
      `Redaction policy ${sourceName} is refused: ${issues.map((i) => `${i.path}: ${i.message}`).join(' ')}`,
      { issues },
    );
  }
  const fields = Object.fromEntries(
    PUBLISHABLE_FIELDS.map((f) => [f, parsed.data.fields[f]!]),
  ) as RedactionPolicy['fields'];
  return {
    id: parsed.data.id,
    version: parsed.data.version,
    title: parsed.data.title,
    legalSource: parsed.data.legalSource,
    fields,
    register: parsed.data.register,
    aggregation: parsed.data.aggregation,
  };
}

/** True when the policy publishes the field. */
export const publishes = (policy: RedactionPolicy, field: PublishableField): boolean =>
  policy.fields[field].publish;
