/** Art 5 catch-all: notices, awareness notifications, consultation of the other Member States, the published list. */
import { z } from 'zod';
import { DomainError, requiredIssue } from '../../domain/errors.ts';
import type {
  AwarenessNotification,
  CatchAllItem,
  CatchAllNotice,
  IsoDate,
  PublishedCatchAllEntry,
} from '../../domain/workflow.ts';
import { parsePolicyText } from './policy-parser.ts';
import { addWorkingDays, toEpochDay, type WorkingCalendar } from './working-days.ts';

const clockValue = z
  .object({ value: z.number().int().positive(), verified: z.boolean(), source: z.string().min(1) })
  .strict();

export const catchAllPolicySchema = z
  .object({
    version: z.string().min(1),
    categories: z.array(
      z
        .object({
          id: z.string().regex(/^[a-z_]+$/),
          label: z.string(),
          source: z.string(),
          verified: z.boolean(),
        })
        .strict(),
    ),
    outOfScope: z.array(
      z.object({ id: z.string().regex(/^[a-z_]+$/), label: z.string(), source: z.string() }).strict(),
    ),
    clock: z
      .object({
        memberStateReviewWorkingDays: clockValue,
        extensionCapWorkingDays: clockValue,
        publicationReviewMonths: clockValue,
      })
      .strict(),
  })
  .strict();
export type CatchAllPolicy = z.infer<typeof catchAllPolicySchema>;

/**
 * Parse policy/workflow/catch-all.yaml.
 *
 * @example
 * const catchAll = parseCatchAllPolicy(text, 'policy/workflow/catch-all.yaml');
 */
export function parseCatchAllPolicy(text: string, sourceName: string): CatchAllPolicy {
  return parsePolicyText(text, sourceName, catchAllPolicySchema);
}

export interface CatchAllDuty {
  id:
    | 'licence_required'
    | 'inform_customs_and_national_authorities'
    | 'inform_member_states_and_commission'
    | 'decide_whether_licence_required';
  dueOn: IsoDate | 'immediately' | null;
  text: string;
  source: string;
  verified: boolean;
}

/**
 * The duties that follow an Art 5(1)/(3) notice or an Art 5(2) awareness notification. Informing the other Member
 * States may be skipped when inappropriate (nature of the transaction, sensitivity): pass that judgement in.
 *
 * @example
 * planCatchAllDuties({ kind: 'notice', record: notice, informOthersInappropriate: false });
 * // => [{ id: 'licence_required', ... }, { id: 'inform_customs_and_national_authorities', dueOn: 'immediately' }, ...]
 */
export function planCatchAllDuties(
  input:
    | {
        kind: 'notice';
        record: CatchAllNotice;
        informOthersInappropriate: boolean;
        inappropriateReason?: string;
      }
    | { kind: 'awareness'; record: AwarenessNotification },
): CatchAllDuty[] {
  if (input.kind === 'awareness')
    return [
      {
        id: 'decide_whether_licence_required',
        dueOn: null,
        text: `Decide whether the export notified on ${input.record.notifiedOn} needs a licence; if so, issue an Art 5(1) notice.`,
        source: 'Art 5(2)',
        verified: true,
      },
    ];
  const n = input.record;
  if (n.items.length === 0)
    throw new DomainError('INVALID', 'A catch-all notice names at least one item.', {
      issues: [{ path: 'items', message: 'empty' }],
    });
  const duties: CatchAllDuty[] = [
    {
      id: 'licence_required',
      dueOn: null,
      text: `Exports of the notified items to ${n.destinationCountry} need a licence from ${n.issuedOn}.`,
      source: n.legalBasis,
      verified: true,
    },
    {
      id: 'inform_customs_and_national_authorities',
      dueOn: 'immediately',
      text: 'Inform the customs authorities and other relevant national authorities.',
      source: 'Art 5(4)',
      verified: true,
    },
  ];
  if (!input.informOthersInappropriate)
    duties.push({
      id: 'inform_member_states_and_commission',
      dueOn: 'immediately',
      text: 'Inform the other Member States and the Commission of the requirement, in particular the items and entities concerned.',
      source: 'Art 5(4)',
      verified: true,
    });
  else if (!input.inappropriateReason?.trim())
    throw new DomainError(
      'INVALID',
      'Say why informing the other Member States is inappropriate (Art 5(4)).',
      { issues: [requiredIssue('inappropriateReason')] },
    );
  return duties;
}

export interface CatchAllConsultation {
  id: string;
  requirementId: string;
  informedOn: IsoDate;
  memberStates: string[];
  dueOn: IsoDate;
  extensionWorkingDays: number;
  responses: {
    memberState: string;
    respondedOn: IsoDate;
    agreesEssentiallyIdenticalRequirement: boolean;
    note?: string;
  }[];
  verified: boolean;
  source: string;
}

/**
 * Open the consultation of the other Member States after informing them under Art 5(4): they give it due
 * consideration and answer within 30 working days [Art 5(5): UNVERIFIED, carried as `verified: false`].
 *
 * @example
 * openCatchAllConsultation(de, policy, { id: 'cc-1', requirementId: 'n-1', informedOn: '2026-03-02', memberStates: ['FR', 'NL'] });
 * // => { dueOn: '2026-04-14', verified: false, ... }
 */
export function openCatchAllConsultation(
  calendar: WorkingCalendar,
  policy: CatchAllPolicy,
  input: { id: string; requirementId: string; informedOn: IsoDate; memberStates: string[] },
): CatchAllConsultation {
  const c = policy.clock.memberStateReviewWorkingDays;
  return {
    id: input.id,
    requirementId: input.requirementId,
    informedOn: input.informedOn,
    memberStates: [...new Set(input.memberStates.map((m) => m.toUpperCase()))].sort(),
    dueOn: addWorkingDays(calendar, input.informedOn, c.value),
    extensionWorkingDays: 0,
    responses: [],
    verified: c.verified,
    source: c.source,
  };
}

/**
 * Extend the consultation; the total extension is capped (30 working days [unverified]). Refused with CONFLICT beyond.
 *
 * @example
 * extendCatchAllConsultation(de, policy, consultation, 10); // => { extensionWorkingDays: 10, dueOn: ... }
 */
export function extendCatchAllConsultation(
  calendar: WorkingCalendar,
  policy: CatchAllPolicy,
  consultation: CatchAllConsultation,
  extraWorkingDays: number,
): CatchAllConsultation {
  if (!Number.isInteger(extraWorkingDays) || extraWorkingDays <= 0)
    throw new DomainError('INVALID', 'The extension must be a positive whole number of working days.', {
      issues: [{ path: 'extraWorkingDays', message: 'positive integer' }],
    });
  const cap = policy.clock.extensionCapWorkingDays.value;
  const total = consultation.extensionWorkingDays + extraWorkingDays;
  if (total > cap)
    throw new DomainError(
      'CONFLICT',
      `The extension would total ${total} working days; the cap is ${cap} (unverified rule).`,
    );
  return {
    ...consultation,
    extensionWorkingDays: total,
    dueOn: addWorkingDays(
      calendar,
      consultation.informedOn,
      policy.clock.memberStateReviewWorkingDays.value + total,
    ),
  };
}

/**
 * Where a consultation stands on `asOf`: who answered, who is late, and whether ALL Member States agreed (the
 * condition for the Commission's publication in the OJ C series [Art 5(6)-(7), unverified]).
 *
 * @example
 * assessCatchAllConsultation(consultation, '2026-04-20'); // => { closed: true, unanimous: false, missing: ['NL'], ... }
 */
export function assessCatchAllConsultation(
  consultation: CatchAllConsultation,
  asOf: IsoDate,
): { closed: boolean; overdue: boolean; missing: string[]; unanimous: boolean | null; reasons: string[] } {
  const responded = new Set(consultation.responses.map((r) => r.memberState));
  const missing = consultation.memberStates.filter((m) => !responded.has(m));
  const overdue = toEpochDay(asOf, 'asOf') > toEpochDay(consultation.dueOn, 'dueOn');
  const closed = missing.length === 0 || overdue;
  const unanimous =
    missing.length > 0
      ? overdue
        ? false
        : null
      : consultation.responses.every((r) => r.agreesEssentiallyIdenticalRequirement);
  const reasons = [
    `${consultation.responses.length} of ${consultation.memberStates.length} Member States answered; due ${consultation.dueOn}.`,
    ...(missing.length > 0 ? [`No answer yet from ${missing.join(', ')}${overdue ? ' (late)' : ''}.`] : []),
    unanimous === true
      ? 'All Member States agree: the Commission may publish the items (and destinations) in the OJ C series [Art 5(6)-(7), unverified].'
      : unanimous === false
        ? 'No unanimity: no publication.'
        : 'Unanimity not yet known.',
  ];
  if (!consultation.verified) reasons.push(`UNVERIFIED clock: ${consultation.source}.`);
  return { closed, overdue, missing, unanimous, reasons };
}

export interface PublishedCatchAllMatch {
  entryId: string;
  ojReference: string;
  applicationItemIndex: number;
  basis: ('category' | 'keyword')[];
  destinationMatched: boolean;
  reviewOverdue: boolean;
  reasons: string[];
  verified: false;
}

const words = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/**
 * Apply the published list (items and destinations agreed by all Member States) to a later application: an item
 * matches an entry by category or by keyword (whole words in the description); the entry's
 * destinations must include the application's (an empty list means all). Withdrawn entries are ignored.
 *
 * @example
 * matchPublishedCatchAll({ destinationCountry: 'XX', items: [{ description: 'Facial recognition for stadiums', controlEntries: [], categories: [] }] }, published, { asOf: '2026-11-30' });
 * // => [{ entryId: 'oj-1', basis: ['keyword'], destinationMatched: true, ... }]
 */
export function matchPublishedCatchAll(
  application: { destinationCountry: string; items: CatchAllItem[] },
  published: readonly PublishedCatchAllEntry[],
  options: { asOf: IsoDate },
): PublishedCatchAllMatch[] {
  const asOf = toEpochDay(options.asOf, 'asOf');
  const dest = application.destinationCountry.toUpperCase();
  const matches: PublishedCatchAllMatch[] = [];
  for (const entry of published) {
    if (entry.withdrawnOn && toEpochDay(entry.withdrawnOn) <= asOf) continue;
    if (toEpochDay(entry.publishedOn) > asOf) continue;
    const destinationMatched =
      entry.destinations.length === 0 || entry.destinations.map((d) => d.toUpperCase()).includes(dest);
    if (!destinationMatched) continue;
    application.items.forEach((item, i) => {
      const basis: PublishedCatchAllMatch['basis'] = [];
      const reasons: string[] = [];
      const cats = item.categories.filter((c) => entry.categories.includes(c));
      if (cats.length > 0) {
        basis.push('category');
        reasons.push(`category ${cats.join(', ')}`);
      }
      const text = ` ${words(item.description)} `;
      const kws = entry.keywords.filter((k) => words(k) && text.includes(` ${words(k)} `));
      if (kws.length > 0) {
        basis.push('keyword');
        reasons.push(`keyword ${kws.map((k) => `"${k}"`).join(', ')}`);
      }
      if (basis.length === 0) return;
      const reviewOverdue = toEpochDay(entry.reviewDueOn) < asOf;
      matches.push({
        entryId: entry.id,
        ojReference: entry.ojReference,
        applicationItemIndex: i,
        basis,
        destinationMatched,
        reviewOverdue,
        reasons: [
          `Line ${i + 1} matches "${entry.itemDescription}" published in ${entry.ojReference} on ${entry.publishedOn} by ${reasons.join('; ')}.`,
          entry.destinations.length === 0
            ? 'The publication covers all destinations.'
            : `${dest} is among the published destinations.`,
          'Take the publication into account in the decision [Art 5, later paragraphs: unverified].',
          ...(reviewOverdue ? [`The annual review was due on ${entry.reviewDueOn} [unverified rule].`] : []),
        ],
        verified: false,
      });
    });
  }
  return matches;
}
