/** Record keeping (Art 27): retention runs to 31 December of (event year + years); the record kinds as data. */
import { z } from 'zod';
import { DomainError } from '../../domain/errors.ts';
import type { IsoDate } from '../../domain/workflow.ts';
import { failPolicy, parsePolicyText } from './policy-parser.ts';
import { toEpochDay } from './working-days.ts';

export const recordKindsSchema = z
  .object({
    version: z.string().min(1),
    defaultYears: z.number().int().min(1).max(100),
    kinds: z.array(
      z
        .object({
          id: z.string().regex(/^[a-z_]+$/),
          holder: z.enum(['exporter', 'broker', 'technical_assistance_provider', 'authority']),
          years: z.number().int().min(1).max(100),
          clockEvent: z.string().regex(/^[a-z_]+$/),
          contents: z.string().min(1),
          source: z.string().min(1),
          verified: z.boolean(),
        })
        .strict(),
    ),
  })
  .strict();
export type RecordKinds = z.infer<typeof recordKindsSchema>;

/**
 * Parse policy/workflow/record-kinds.yaml.
 *
 * @example
 * const kinds = parseRecordKinds(text, 'policy/workflow/record-kinds.yaml');
 */
export function parseRecordKinds(text: string, sourceName: string): RecordKinds {
  const k = parsePolicyText(text, sourceName, recordKindsSchema);
  const seen = new Set<string>();
  k.kinds.forEach((kind, i) => {
    if (seen.has(kind.id)) failPolicy(sourceName, `kinds.${i}.id`, `duplicate kind ${kind.id}`);
    seen.add(kind.id);
  });
  return k;
}

/**
 * The last day a record must be kept: 31 December of (year of the event + years). Art 27(3): "at least five years
 * from the end of the calendar year" (BRIEF H.3), so an export on 2 January 2026 is kept until 31 December 2031.
 *
 * @example
 * retentionUntil('2026-01-02'); // => '2031-12-31'
 * retentionUntil('2026-12-31', 10); // => '2036-12-31'
 */
export function retentionUntil(eventDate: IsoDate, years = 5): IsoDate {
  toEpochDay(eventDate, 'eventDate');
  if (!Number.isInteger(years) || years < 0)
    throw new DomainError('INVALID', `years must be a whole number >= 0, got ${years}.`, {
      issues: [{ path: 'years', message: 'integer >= 0' }],
    });
  return `${String(Number(eventDate.slice(0, 4)) + years).padStart(4, '0')}-12-31`;
}

/**
 * Retention of one record of a given kind: until when, whether it may be deleted on `asOf`, and the legal source.
 *
 * @example
 * assessRetention(kinds, 'export_record', '2026-05-04', '2032-01-01'); // => { keepUntil: '2031-12-31', deletable: true, ... }
 */
export function assessRetention(
  kinds: RecordKinds,
  kindId: string,
  eventDate: IsoDate,
  asOf: IsoDate,
): {
  kind: string;
  keepUntil: IsoDate;
  deletable: boolean;
  years: number;
  source: string;
  verified: boolean;
} {
  const kind = kinds.kinds.find((k) => k.id === kindId);
  if (!kind)
    throw new DomainError('INVALID', `Unknown record kind ${kindId}.`, {
      issues: [{ path: 'kind', message: 'unknown' }],
    });
  const keepUntil = retentionUntil(eventDate, kind.years);
  return {
    kind: kind.id,
    keepUntil,
    deletable: toEpochDay(asOf, 'asOf') > toEpochDay(keepUntil),
    years: kind.years,
    source: kind.source,
    verified: kind.verified,
  };
}
