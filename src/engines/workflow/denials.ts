/** Art 16 denials: essentially identical transaction detection (Art 2(22)), review dates, consultations, notify duty. */
import type {
  ApplicationForDenialCheck,
  DenialConsultation,
  DenialParty,
  DenialRecord,
  IsoDate,
} from '../../domain/workflow.ts';
import { DomainError } from '../../domain/errors.ts';
import { entryCovers, normaliseControlEntry } from './licence-types.ts';
import { addWorkingDays, toEpochDay, type WorkingCalendar } from './working-days.ts';

/** Art 16(2) [verified in S1]: the consulted authority answers within 10 working days; extension at most 30. */
export const DENIAL_CONSULTATION_REPLY_WORKING_DAYS = 10;
export const DENIAL_CONSULTATION_MAX_EXTENSION_WORKING_DAYS = 30;
/** Art 16(1): denials are reviewed within three years. */
export const DENIAL_REVIEW_YEARS = 3;

export type ApplicationParty = ApplicationForDenialCheck['parties'][number];

export interface PartyMatchResult {
  strength: 'exact' | 'possible' | 'none';
  score01: number;
  reasons: string[];
}

/** A name matcher, injectable so the screening engine can be plugged in. */
export type PartyMatcher = (applicationParty: ApplicationParty, denialParty: DenialParty) => PartyMatchResult;

const LEGAL_FORMS = new Set(
  'ltd limited llc inc incorporated corp corporation co company plc gmbh ag kg ohg ug mbh sa sas sarl srl spa bv nv oy ab as aps sl slu pte pty jsc ojsc pjsc cjsc ooo zao oao llp lp fzco fze fzllc kk sdn bhd tbk'.split(
    ' ',
  ),
);

/**
 * Normalise an organisation or person name for comparison: transliterate accents, lower-case, `&` -> and,
 * drop punctuation and legal forms, sort the tokens. Idempotent.
 *
 * @example
 * normalisePartyName('Société Générale de Surveillance S.A.'); // => 'de generale societe surveillance'
 */
export function normalisePartyName(name: string): string {
  return tokenise(name)
    .filter((t) => !LEGAL_FORMS.has(t))
    .sort()
    .join(' ');
}

function tokenise(text: string): string[] {
  return (
    text
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/ß/g, 'ss')
      .replace(/&/g, ' and ')
      // Initialisms with or without a final dot: S.A. -> SA, A.A -> AA
      .replace(
        /(^|[^\p{L}])(\p{L}(?:\.\p{L})+)\.?(?=[^\p{L}]|$)/gu,
        (_m, pre: string, abbr: string) => pre + abbr.replace(/\./g, ''),
      )
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .split(' ')
      .filter(Boolean)
  );
}

function jaccard(a: string[], b: string[]): number {
  return jaccardSets(new Set(a), new Set(b));
}

function jaccardSets(A: ReadonlySet<string>, B: ReadonlySet<string>): number {
  if (A.size === 0 && B.size === 0) return 0;
  let inter = 0;
  for (const x of A) if (B.has(x)) inter++;
  return inter / (A.size + B.size - inter);
}

/**
 * The default party matcher: exact when a normalised name or alias is equal on both sides and the countries agree;
 * possible when the token overlap (Jaccard) is at least 0.6. A country mismatch is never a match.
 *
 * @example
 * defaultPartyMatcher({ role: 'end_user', name: 'ACME Surveillance Ltd.', country: 'AE' },
 *   { role: 'end_user', name: 'Acme Surveillance', address: '', country: 'AE', partyType: 'private_company' });
 * // => { strength: 'exact', score01: 1, reasons: ['normalised names equal: "acme surveillance"', 'same country AE'] }
 */
export const defaultPartyMatcher: PartyMatcher = (a, d) => matchNormalisedNames(a, d);

// Deterministic memo of normalised names (bounded): the same register is compared against every application.
const normalisedCache = new Map<string, { key: string; tokens: Set<string> }>();
function normaliseCached(name: string): { key: string; tokens: Set<string> } {
  let n = normalisedCache.get(name);
  if (n === undefined) {
    if (normalisedCache.size >= 200_000) normalisedCache.clear();
    const key = normalisePartyName(name);
    n = { key, tokens: new Set(key.split(' ').filter(Boolean)) };
    normalisedCache.set(name, n);
  }
  return n;
}

function matchNormalisedNames(a: ApplicationParty, d: DenialParty): PartyMatchResult {
  if (a.country && d.country && a.country.toUpperCase() !== d.country.toUpperCase())
    return { strength: 'none', score01: 0, reasons: [`different countries ${a.country} / ${d.country}`] };
  const aNames = [a.name, ...(a.aliases ?? [])];
  const dNames = [d.name, ...(d.aliases ?? [])];
  let best: PartyMatchResult = { strength: 'none', score01: 0, reasons: ['no name in common'] };
  for (const x of aNames) {
    for (const y of dNames) {
      const nx = normaliseCached(x);
      const ny = normaliseCached(y);
      if (nx.key && nx.key === ny.key)
        return {
          strength: 'exact',
          score01: 1,
          reasons: [`normalised names equal: "${nx.key}"`, `same country ${d.country}`],
        };
      const score = jaccardSets(nx.tokens, ny.tokens);
      if (score > best.score01)
        best = {
          strength: score >= 0.6 ? 'possible' : 'none',
          score01: score,
          reasons: [`token overlap ${score.toFixed(2)} between "${x}" and "${y}"`],
        };
    }
  }
  return best;
}

export interface DenialMatch {
  denialId: string;
  reference: string;
  notifyingMemberState: string;
  origin: DenialRecord['origin'];
  /** essentially_identical: exact party match and items matched on control entries; possible: needs the officer's adjudication. */
  strength: 'essentially_identical' | 'possible';
  partyMatches: {
    applicationParty: string;
    applicationRole: string;
    denialParty: string;
    denialRole: string;
    strength: 'exact' | 'possible';
    score01: number;
    reasons: string[];
  }[];
  itemMatches: {
    applicationItemIndex: number;
    basis: 'control_entry' | 'description';
    strength: 'identical' | 'possible';
    reasons: string[];
  }[];
  consultationRequired: boolean;
  reviewDueOn: IsoDate;
  reviewOverdue: boolean | null;
  reasons: string[];
}

const COMPARED_ROLES = new Set(['end_user', 'consignee', 'ultimate_end_user']);
const STOPWORDS = new Set(
  'a an and the of for to in on with by or system systems software technology equipment device devices item items'.split(
    ' ',
  ),
);

/**
 * Art 16(2) with Art 2(22): denials IN FORCE that concern the same end user or consignee (names compared with the
 * injected matcher) and essentially identical items (control entries that cover each other, or, where entries are
 * missing, similar descriptions). Revoked denials are ignored. Each match carries its reasons.
 *
 * @example
 * findEssentiallyIdenticalTransactions(application, denials, screeningMatcher, { asOf: '2026-11-30' });
 * // => [{ denialId: 'd-1', strength: 'essentially_identical', consultationRequired: true, reasons: [...] }]
 */
export function findEssentiallyIdenticalTransactions(
  application: ApplicationForDenialCheck,
  denials: readonly DenialRecord[],
  matcher: PartyMatcher = defaultPartyMatcher,
  options: { asOf?: IsoDate; descriptionThreshold01?: number } = {},
): DenialMatch[] {
  const threshold = options.descriptionThreshold01 ?? 0.5;
  const appParties = application.parties.filter((p) => COMPARED_ROLES.has(p.role));
  const matches: DenialMatch[] = [];
  for (const denial of denials) {
    if (denial.status !== 'in_force') continue;
    const partyMatches: DenialMatch['partyMatches'] = [];
    for (const dp of denial.parties.filter((p) => COMPARED_ROLES.has(p.role))) {
      for (const ap of appParties) {
        const r = matcher(ap, dp);
        if (r.strength !== 'none')
          partyMatches.push({
            applicationParty: ap.name,
            applicationRole: ap.role,
            denialParty: dp.name,
            denialRole: dp.role,
            strength: r.strength,
            score01: r.score01,
            reasons: r.reasons,
          });
      }
    }
    if (partyMatches.length === 0) continue;
    const itemMatches: DenialMatch['itemMatches'] = [];
    const deniedEntries = denial.controlEntries.map(normaliseControlEntry);
    application.items.forEach((item, i) => {
      const entries = item.controlEntries.map(normaliseControlEntry);
      if (entries.length > 0 && deniedEntries.length > 0) {
        const pairs = entries.flatMap((a) =>
          deniedEntries.filter((d) => entryCovers(a, d) || entryCovers(d, a)).map((d) => `${a} ~ ${d}`),
        );
        if (pairs.length > 0)
          itemMatches.push({
            applicationItemIndex: i,
            basis: 'control_entry',
            strength: 'identical',
            reasons: [`control entries correspond: ${pairs.join(', ')}`],
          });
        return;
      }
      const score = jaccard(
        tokenise(item.description).filter((t) => !STOPWORDS.has(t)),
        tokenise(denial.itemDescription).filter((t) => !STOPWORDS.has(t)),
      );
      if (score >= threshold)
        itemMatches.push({
          applicationItemIndex: i,
          basis: 'description',
          strength: 'possible',
          reasons: [`no control entries to compare; description overlap ${score.toFixed(2)}`],
        });
    });
    if (itemMatches.length === 0) continue;
    const exactParty = partyMatches.some((p) => p.strength === 'exact');
    const identicalItem = itemMatches.some((m) => m.strength === 'identical');
    const strength = exactParty && identicalItem ? 'essentially_identical' : 'possible';
    const reviewOverdue = options.asOf
      ? toEpochDay(options.asOf, 'asOf') > toEpochDay(denial.reviewDueOn, 'reviewDueOn')
      : null;
    const reasons = [
      `Denial ${denial.reference} by ${denial.notifyingMemberState} of ${denial.deniedOn} is in force.`,
      `Same end user or consignee: ${partyMatches.map((p) => `${p.applicationParty} (${p.applicationRole}) ~ ${p.denialParty} (${p.denialRole}), ${p.strength}`).join('; ')}.`,
      `Items: ${itemMatches.map((m) => `line ${m.applicationItemIndex + 1} ${m.strength} by ${m.basis}`).join('; ')}.`,
      denial.origin === 'received'
        ? `Consult ${denial.notifyingMemberState} before deciding (Art 16(2)).`
        : "This authority's own denial: decide consistently or record why not.",
    ];
    if (reviewOverdue)
      reasons.push(
        `The three-year review was due on ${denial.reviewDueOn} (Art 16(1)); ask the notifying Member State whether it still stands.`,
      );
    matches.push({
      denialId: denial.id,
      reference: denial.reference,
      notifyingMemberState: denial.notifyingMemberState,
      origin: denial.origin,
      strength,
      partyMatches,
      itemMatches,
      consultationRequired: denial.origin === 'received',
      reviewDueOn: denial.reviewDueOn,
      reviewOverdue,
      reasons,
    });
  }
  return matches.sort((a, b) =>
    a.strength === b.strength
      ? a.denialId.localeCompare(b.denialId)
      : a.strength === 'essentially_identical'
        ? -1
        : 1,
  );
}

/**
 * The date by which a denial must be reviewed: three years after it was issued (Art 16(1)); 29 Feb -> 28 Feb.
 *
 * @example
 * computeDenialReviewDue('2024-02-29'); // => '2027-02-28'
 */
export function computeDenialReviewDue(deniedOn: IsoDate): IsoDate {
  toEpochDay(deniedOn, 'deniedOn');
  const [y, m, d] = deniedOn.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y + DENIAL_REVIEW_YEARS, m, 0)).getUTCDate();
  return `${y + DENIAL_REVIEW_YEARS}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/**
 * Open an Art 16(2) consultation with the Member State that issued the denial: reply due in 10 working days.
 *
 * @example
 * openDenialConsultation(de, { id: 'c-1', applicationId: 'a-1', denial, openedOn: '2026-03-02' });
 * // => { replyDueOn: '2026-03-16', status: 'open', extensionWorkingDays: 0, ... }
 */
export function openDenialConsultation(
  calendar: WorkingCalendar,
  input: {
    id: string;
    applicationId: string;
    denial: Pick<DenialRecord, 'id' | 'notifyingMemberState'>;
    openedOn: IsoDate;
  },
): DenialConsultation {
  return {
    id: input.id,
    applicationId: input.applicationId,
    denialId: input.denial.id,
    consultedMemberState: input.denial.notifyingMemberState,
    openedOn: input.openedOn,
    replyDueOn: addWorkingDays(calendar, input.openedOn, DENIAL_CONSULTATION_REPLY_WORKING_DAYS),
    extensionWorkingDays: 0,
    status: 'open',
    answeredOn: null,
    answer: null,
  };
}

/**
 * Extend a consultation by agreement (Art 16(2)): the total extension may not exceed 30 working days. Refused
 * (CONFLICT) when the consultation is closed or the cap would be passed.
 *
 * @example
 * extendDenialConsultation(de, consultation, 20); // => { extensionWorkingDays: 20, replyDueOn: ..., status: 'extended' }
 */
export function extendDenialConsultation(
  calendar: WorkingCalendar,
  consultation: DenialConsultation,
  extraWorkingDays: number,
): DenialConsultation {
  if (!Number.isInteger(extraWorkingDays) || extraWorkingDays <= 0)
    throw new DomainError('INVALID', 'The extension must be a positive whole number of working days.', {
      issues: [{ path: 'extraWorkingDays', message: 'positive integer' }],
    });
  if (consultation.status !== 'open' && consultation.status !== 'extended')
    throw new DomainError(
      'CONFLICT',
      `Consultation ${consultation.id} is ${consultation.status}; it cannot be extended.`,
    );
  const total = consultation.extensionWorkingDays + extraWorkingDays;
  if (total > DENIAL_CONSULTATION_MAX_EXTENSION_WORKING_DAYS)
    throw new DomainError(
      'CONFLICT',
      `The extension would total ${total} working days; Art 16(2) caps it at ${DENIAL_CONSULTATION_MAX_EXTENSION_WORKING_DAYS}.`,
    );
  return {
    ...consultation,
    extensionWorkingDays: total,
    replyDueOn: addWorkingDays(
      calendar,
      consultation.openedOn,
      DENIAL_CONSULTATION_REPLY_WORKING_DAYS + total,
    ),
    status: 'extended',
  };
}

/**
 * The state of a consultation on `asOf`: closed when answered, or lapsed after the due date, which Art 16(2) treats as
 * "not essentially identical".
 *
 * @example
 * assessDenialConsultation(consultation, '2026-03-17'); // => { closed: true, effectiveStatus: 'lapsed_not_identical', ... }
 */
export function assessDenialConsultation(
  consultation: DenialConsultation,
  asOf: IsoDate,
): {
  closed: boolean;
  effectiveStatus: DenialConsultation['status'];
  considersIdentical: boolean | null;
  reason: string;
} {
  const s = consultation.status;
  if (s === 'answered_identical')
    return {
      closed: true,
      effectiveStatus: s,
      considersIdentical: true,
      reason: `${consultation.consultedMemberState} considers the transaction essentially identical.`,
    };
  if (s === 'answered_not_identical' || s === 'lapsed_not_identical')
    return {
      closed: true,
      effectiveStatus: s,
      considersIdentical: false,
      reason: `${consultation.consultedMemberState} does not consider the transaction essentially identical.`,
    };
  if (s === 'withdrawn')
    return { closed: true, effectiveStatus: s, considersIdentical: null, reason: 'Consultation withdrawn.' };
  if (toEpochDay(asOf, 'asOf') > toEpochDay(consultation.replyDueOn, 'replyDueOn'))
    return {
      closed: true,
      effectiveStatus: 'lapsed_not_identical',
      considersIdentical: false,
      reason: `No reply by ${consultation.replyDueOn}: regarded as not essentially identical (Art 16(2)).`,
    };
  return {
    closed: false,
    effectiveStatus: s,
    considersIdentical: null,
    reason: `Awaiting ${consultation.consultedMemberState}'s reply, due ${consultation.replyDueOn}.`,
  };
}

/**
 * Guard facts for the lifecycle from the denial matches and consultations of one application:
 * `essentially_identical_check_done`, `all_consultations_closed` and `denial_override_notified`, with the duty to
 * notify the other Member States and the Commission when granting despite an essentially identical denial.
 *
 * @example
 * assessDenialGuards({ checkedAt: '2026-03-01', matches, consultations, overrideNotificationRecorded: false, asOf: '2026-03-20' });
 * // => { facts: { all_consultations_closed: true, denial_override_notified: false, ... }, notificationRequired: true, ... }
 */
export function assessDenialGuards(input: {
  checkedAt: IsoDate | null;
  matches: readonly DenialMatch[];
  consultations: readonly DenialConsultation[];
  overrideNotificationRecorded: boolean;
  asOf: IsoDate;
}): {
  facts: {
    essentially_identical_check_done: boolean;
    all_consultations_closed: boolean;
    denial_override_notified: boolean;
  };
  notificationRequired: boolean;
  notifyDenialIds: string[];
  missingConsultations: string[];
  reasons: string[];
} {
  const reasons: string[] = [];
  const missingConsultations = input.matches
    .filter((m) => m.consultationRequired && !input.consultations.some((c) => c.denialId === m.denialId))
    .map((m) => m.denialId);
  if (missingConsultations.length > 0)
    reasons.push(`No consultation opened for denial(s) ${missingConsultations.join(', ')} (Art 16(2)).`);
  const assessed = input.consultations.map((c) => ({ c, a: assessDenialConsultation(c, input.asOf) }));
  for (const { a } of assessed) reasons.push(a.reason);
  const allClosed = missingConsultations.length === 0 && assessed.every(({ a }) => a.closed);
  // Granting despite a denial the consulted State (or this authority, for its own) regards as essentially identical.
  const notifyDenialIds = input.matches
    .filter((m) => {
      const c = assessed.find(({ c }) => c.denialId === m.denialId);
      if (m.origin === 'own') return m.strength === 'essentially_identical';
      return c ? c.a.considersIdentical === true : m.strength === 'essentially_identical';
    })
    .map((m) => m.denialId);
  const notificationRequired = notifyDenialIds.length > 0;
  if (notificationRequired)
    reasons.push(
      `Granting requires notifying the other Member States and the Commission with reasons (Art 16(2)): denial(s) ${notifyDenialIds.join(', ')}.`,
    );
  return {
    facts: {
      essentially_identical_check_done: input.checkedAt !== null,
      all_consultations_closed: allClosed,
      denial_override_notified: !notificationRequired || input.overrideNotificationRecorded,
    },
    notificationRequired,
    notifyDenialIds,
    missingConsultations,
    reasons,
  };
}
