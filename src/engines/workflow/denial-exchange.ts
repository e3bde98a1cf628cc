/** The Custos denial exchange file: zod schema, JSON Schema, canonical JSON with a SHA-256 checksum; refused whole if bad. */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../shared/canonical-json.ts';
import { z } from 'zod';
import { isCountryCode } from '../../domain/codes.ts';
import { DomainError, type FieldIssue } from '../../domain/errors.ts';
import { PARTY_TYPES } from '../../domain/model.ts';
import {
  DENIAL_KINDS,
  DENIAL_ORIGINS,
  DENIAL_PARTY_ROLES,
  DENIAL_STATUSES,
  type DenialRecord,
} from '../../domain/workflow.ts';

export const DENIAL_EXCHANGE_FORMAT = 'custos.denial-exchange';
export const DENIAL_EXCHANGE_VERSION = 1;

const isoDate = z.iso.date();
const countryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, upper case')
  .refine(isCountryCode, 'not an ISO 3166-1 alpha-2 code');

export const denialPartySchema = z
  .object({
    role: z.enum(DENIAL_PARTY_ROLES),
    name: z.string().min(1),
    aliases: z.array(z.string().min(1)).optional(),
    address: z.string(),
    country: countryCode,
    partyType: z.enum([...PARTY_TYPES, 'unknown']),
  })
  .strict();

export const denialRecordSchema = z
  .object({
    id: z.string().min(1),
    origin: z.enum(DENIAL_ORIGINS),
    kind: z.enum(DENIAL_KINDS),
    notifyingMemberState: countryCode,
    reference: z.string().min(1),
    deniedOn: isoDate,
    controlEntries: z.array(z.string().min(2)),
    itemDescription: z.string().min(1),
    endUse: z.string(),
    destinationCountry: countryCode,
    parties: z.array(denialPartySchema).min(1),
    reason: z.string().min(1),
    status: z.enum(DENIAL_STATUSES),
    revokedOn: isoDate.nullable().optional(),
    reviewDueOn: isoDate,
  })
  .strict()
  .refine((d) => d.status !== 'revoked' || !!d.revokedOn, {
    message: 'a revoked denial needs revokedOn',
    path: ['revokedOn'],
  }) satisfies z.ZodType<DenialRecord>;

export const denialExchangeSchema = z
  .object({
    format: z.literal(DENIAL_EXCHANGE_FORMAT),
    version: z.literal(DENIAL_EXCHANGE_VERSION),
    exportedAt: z.iso.datetime({ offset: true }),
    exportingAuthority: z.object({ memberState: countryCode, name: z.string().min(1) }).strict(),
    denials: z.array(denialRecordSchema),
    checksum: z
      .object({ algorithm: z.literal('sha256'), value: z.string().regex(/^[0-9a-f]{64}$/) })
      .strict(),
  })
  .strict();

export type DenialExchangeDocument = z.infer<typeof denialExchangeSchema>;

/**
 * The JSON Schema (draft 2020-12) of the exchange file, generated from the zod schema.
 *
 * @example
 * JSON.stringify(buildDenialExchangeJsonSchema(), null, 2);
 */
export function buildDenialExchangeJsonSchema(): Record<string, unknown> {
  return {
    ...(z.toJSONSchema(denialExchangeSchema, { target: 'draft-2020-12', io: 'input' }) as Record<
      string,
      unknown
    >),
    $id: 'https://custos.example/schemas/denial-exchange-v1.json',
    title: 'Custos denial exchange file, version 1',
    description:
      'Denials under Art 16 of Reg. (EU) 2021/821. checksum.value is the SHA-256 (hex) of the canonical JSON of the document without its checksum member: object keys sorted by code unit, no whitespace, JSON string escaping.',
  };
}

/**
 * Canonical JSON: keys sorted, no whitespace, `undefined` members dropped (as JSON.stringify does). Stable across
 * re-serialisation, so a checksum survives pretty-printing.
 *
 * @example
 * canonicaliseJson({ b: 1, a: [true, null] }); // => '{"a":[true,null],"b":1}'
 */
export function canonicaliseJson(value: unknown): string {
  try {
    return canonicalJson(value);
  } catch (e) {
    if (e instanceof RangeError) throw new DomainError('INVALID', 'Non-finite numbers cannot be exchanged.');
    throw e;
  }
}

/** SHA-256 hex of the canonical JSON of the document without `checksum`. */
export function computeDenialExchangeChecksum(
  document: Omit<DenialExchangeDocument, 'checksum'> & { checksum?: unknown },
): string {
  const { checksum: _ignored, ...rest } = document;
  return createHash('sha256').update(canonicaliseJson(rest), 'utf8').digest('hex');
}

/**
 * Export denials as an exchange file (pretty-printed JSON with its checksum). The records are validated first.
 *
 * @example
 * exportDenials(denials, { exportedAt: '2026-11-30T10:00:00Z', exportingAuthority: { memberState: 'DE', name: 'BAFA' } });
 */
export function exportDenials(
  denials: readonly DenialRecord[],
  meta: { exportedAt: string; exportingAuthority: { memberState: string; name: string } },
): string {
  const body = {
    format: DENIAL_EXCHANGE_FORMAT,
    version: DENIAL_EXCHANGE_VERSION,
    exportedAt: meta.exportedAt,
    exportingAuthority: meta.exportingAuthority,
    denials: [...denials].sort((a, b) => a.id.localeCompare(b.id)),
  } as const;
  const document = {
    ...body,
    checksum: { algorithm: 'sha256' as const, value: computeDenialExchangeChecksum(body) },
  };
  validateWhole(document);
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * Parse an exchange file. Refused WHOLE (DomainError INVALID, every problem listed by path) when the JSON, the schema,
 * duplicate ids or the checksum are wrong: no partial import.
 *
 * @example
 * const { denials } = parseDenialExchange(text);
 */
export function parseDenialExchange(text: string): DenialExchangeDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new DomainError('INVALID', `Denial exchange file is not JSON: ${(cause as Error).message}`, {
      issues: [{ path: '', message: 'not JSON' }],
      cause,
    });
  }
  const document = validateWhole(raw);
  const expected = computeDenialExchangeChecksum(document);
  if (expected !== document.checksum.value)
    throw new DomainError(
      'INVALID',
      'Denial exchange file refused: the checksum does not match its content.',
      {
        issues: [{ path: 'checksum.value', message: `expected ${expected}` }],
      },
    );
  return document;
}

function validateWhole(raw: unknown): DenialExchangeDocument {
  const result = denialExchangeSchema.safeParse(raw);
  if (!result.success) {
    const issues: FieldIssue[] = result.error.issues.map((i) => ({
      path: i.path.map(String).join('.'),
      message: i.message,
    }));
    throw new DomainError(
      'INVALID',
      `Denial exchange file refused: ${issues.length} problem(s): ${issues
        .slice(0, 5)
        .map((i) => `${i.path}: ${i.message}`)
        .join('; ')}`,
      { issues },
    );
  }
  const seen = new Map<string, number>();
  const dupes: FieldIssue[] = [];
  result.data.denials.forEach((d, i) => {
    if (seen.has(d.id))
      dupes.push({
        path: `denials.${i}.id`,
        message: `duplicate id ${d.id} (first at denials.${seen.get(d.id)})`,
      });
    else seen.set(d.id, i);
  });
  if (dupes.length > 0)
    throw new DomainError('INVALID', 'Denial exchange file refused: duplicate denial ids.', {
      issues: dupes,
    });
  return result.data;
}
