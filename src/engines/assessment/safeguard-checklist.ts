/** Officer edits of a country's D.3 safeguards checklist: validated, applied immutably, each producing an audit record. */
import { z } from 'zod';
import {
  SAFEGUARD_IDS,
  TRI_STATES,
  type SafeguardAnswer,
  type SafeguardId,
  type TriState,
} from '../../domain/assessment.ts';
import { invalid } from '../../domain/errors.ts';

export const safeguardEditSchema = z
  .object({
    criterion: z.enum(SAFEGUARD_IDS),
    value: z.enum(TRI_STATES),
    /** Required for true/false: the law, report or ruling the answer rests on. */
    source: z.string().trim().min(1).nullable(),
    note: z.string().optional(),
  })
  .refine((e) => e.value === 'unknown' || (e.source !== null && e.source.length > 0), {
    message: 'A true or false answer needs a source',
    path: ['source'],
  });
export type SafeguardEdit = z.infer<typeof safeguardEditSchema>;

export interface SafeguardAuditRecord {
  country: string;
  criterion: SafeguardId;
  from: { value: TriState; source: string | null };
  to: { value: TriState; source: string | null };
  actorId: string;
  /** ISO timestamp passed in by the caller (engines read no clock). */
  at: string;
  note?: string;
}

/**
 * Apply one edit to a checklist, returning the new checklist and the audit record. Invalid edits throw
 * DomainError INVALID naming the field.
 *
 * @example
 * const { checklist, audit } = applySafeguardEdit('EG', list, { criterion: 'independent_oversight', value: 'false',
 *   source: 'UN HRC, concluding observations 2023' }, 'officer-7', '2026-11-29T20:00:00Z');
 */
export function applySafeguardEdit(
  country: string,
  checklist: readonly SafeguardAnswer[],
  edit: unknown,
  actorId: string,
  at: string,
): { checklist: SafeguardAnswer[]; audit: SafeguardAuditRecord } {
  const parsed = safeguardEditSchema.safeParse(edit);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw invalid(
      `Invalid safeguard edit: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
  const e = parsed.data;
  const previous = checklist.find((a) => a.criterion === e.criterion);
  if (!previous)
    throw invalid(`Checklist has no criterion ${e.criterion}`, [
      { path: 'criterion', message: 'not in checklist' },
    ]);
  const next: SafeguardAnswer = {
    criterion: e.criterion,
    value: e.value,
    source: e.source,
    ...(e.note ? { note: e.note } : {}),
  };
  return {
    checklist: checklist.map((a) => (a.criterion === e.criterion ? next : a)),
    audit: {
      country,
      criterion: e.criterion,
      from: { value: previous.value, source: previous.source },
      to: { value: next.value, source: next.source },
      actorId,
      at,
      ...(e.note ? { note: e.note } : {}),
    },
  };
}
