/** Validation of the reporting input at the edge: database rows mapped to `RegisterSourceRecord` are checked once here. */
import { z } from 'zod';
import { isCountryCode } from '../../domain/codes.ts';
import { DomainError } from '../../domain/errors.ts';
import { LICENCE_TYPES, PARTY_ROLES, PARTY_TYPES, QUANTITY_UNITS } from '../../domain/model.ts';
import {
  CYBER_SURVEILLANCE_CATEGORIES,
  END_USER_SECTORS,
  REGISTER_DECISIONS,
  type RegisterSourceRecord,
} from '../../domain/reporting.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const country = z.string().refine(isCountryCode, 'expected an ISO 3166-1 alpha-2 code');

const recordSchema = z
  .strictObject({
    applicationId: z.string().min(1),
    reference: z.string().min(1),
    memberState: country,
    receivedOn: isoDate,
    decidedOn: isoDate.nullable(),
    licenceType: z.enum(LICENCE_TYPES),
    lines: z.array(
      z.strictObject({
        lineNo: z.number().int().min(1),
        controlEntries: z.array(z.string().min(1)),
        cyberSurveillanceCategory: z.enum(CYBER_SURVEILLANCE_CATEGORIES).nullable(),
        publicDescriptionCode: z.string().min(1),
        confidentialDescription: z.string(),
        quantity: z.number().finite().min(0),
        unit: z.enum(QUANTITY_UNITS),
        valueEur: z.number().finite().min(0),
      }),
    ),
    destinationCountry: country,
    parties: z.array(
      z.strictObject({
        role: z.enum(PARTY_ROLES),
        partyType: z.enum(PARTY_TYPES),
        sector: z.enum(END_USER_SECTORS).nullable(),
        name: z.string(),
        naturalPerson: z.boolean(),
        country,
      }),
    ),
    exporterName: z.string(),
    exporterId: z.string().min(1),
    decision: z.enum(REGISTER_DECISIONS),
    grounds: z.strictObject({ criteria: z.array(z.string()), rights: z.array(z.string()) }),
    consulted: z.boolean(),
    denialRelated: z.boolean(),
  })
  .superRefine((r, ctx) => {
    if (r.decision === 'pending' && r.decidedOn !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['decidedOn'],
        message: 'a pending application has no decision date',
      });
    }
    if (r.decision !== 'pending' && r.decidedOn === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['decidedOn'],
        message: `a ${r.decision} application needs a decision date`,
      });
    }
    if (r.decidedOn !== null && r.decidedOn < r.receivedOn) {
      ctx.addIssue({ code: 'custom', path: ['decidedOn'], message: 'decided before it was received' });
    }
  });

/**
 * Validates records (e.g. mapped from database rows); refuses the batch naming each bad record and field.
 * @example parseRegisterSourceRecords(rows.map(toRegisterSource)) // RegisterSourceRecord[]
 */
export function parseRegisterSourceRecords(data: readonly unknown[]): RegisterSourceRecord[] {
  const out: RegisterSourceRecord[] = [];
  const issues: { path: string; message: string }[] = [];
  data.forEach((item, index) => {
    const parsed = recordSchema.safeParse(item);
    if (parsed.success) out.push(parsed.data);
    else {
      const ref = (item as { reference?: unknown })?.reference;
      for (const i of parsed.error.issues.slice(0, 5)) {
        issues.push({
          path: `records.${index}${typeof ref === 'string' ? `(${ref})` : ''}.${i.path.join('.')}`,
          message: i.message,
        });
      }
    }
  });
  if (issues.length > 0) {
    throw new DomainError(
      'INVALID',
      `Invalid register records: ${issues
        .slice(0, 10)
        .map((i) => `${i.path}: ${i.message}`)
        .join('; ')}`,
      { issues },
    );
  }
  return out;
}
