/**
 * The public register: which applications may be published as of a date (delays), and each one's public row with
 * every withheld field set to null. Never the exporter's text, the exporter's identity or a natural person's name.
 */
import type { RegisterSourceParty, RegisterSourceRecord } from '../../domain/reporting.ts';
import type { DescriptionVocabulary } from './description-vocabulary.ts';
import { addDays } from './period.ts';
import { publishes, type RedactionPolicy } from './redaction-policy.ts';
import type { PublicRegisterParty, PublicRegisterRow } from './report-model.ts';

export type Eligibility =
  | { publishable: true }
  | { publishable: false; reason: 'delay' | 'withdrawn_excluded' | 'pending_excluded' | 'no_decision_date' };

/** A fact the authority should see before publishing (never published itself). */
export interface RegisterNotice {
  reference: string;
  reason: string;
}

export interface PublicRegister {
  asOf: string;
  policy: { id: string; version: string };
  vocabulary: { id: string; version: string };
  rows: PublicRegisterRow[];
  /** Records not yet published because their delay has not run. */
  withheldByDelay: number;
  notices: RegisterNotice[];
}

/**
 * Whether the record may appear in the public register on `asOf` under the policy's delays.
 * @example checkEligibility(record, policy, '2026-01-15').publishable
 */
export function checkEligibility(
  record: Pick<RegisterSourceRecord, 'decision' | 'receivedOn' | 'decidedOn'>,
  policy: RedactionPolicy,
  asOf: string,
  cutoffs: EligibilityCutoffs = computeCutoffs(policy, asOf),
): Eligibility {
  if (record.decision === 'pending') {
    if (cutoffs.pendingReceivedOnOrBefore === null) return { publishable: false, reason: 'pending_excluded' };
    return record.receivedOn.slice(0, 10) <= cutoffs.pendingReceivedOnOrBefore
      ? PUBLISHABLE
      : { publishable: false, reason: 'delay' };
  }
  if (record.decision === 'withdrawn' && !policy.register.includeWithdrawn) {
    return { publishable: false, reason: 'withdrawn_excluded' };
  }
  if (record.decidedOn === null) return { publishable: false, reason: 'no_decision_date' };
  return record.decidedOn.slice(0, 10) <= cutoffs.decidedOnOrBefore
    ? PUBLISHABLE
    : { publishable: false, reason: 'delay' };
}

const PUBLISHABLE: Eligibility = Object.freeze({ publishable: true });

/** The latest decision (and receipt) dates whose delay has run on `asOf`: date + delay <= asOf. */
export interface EligibilityCutoffs {
  decidedOnOrBefore: string;
  pendingReceivedOnOrBefore: string | null;
}

export function computeCutoffs(policy: RedactionPolicy, asOf: string): EligibilityCutoffs {
  const today = asOf.slice(0, 10);
  return {
    decidedOnOrBefore: addDays(today, -policy.register.decidedDelayDays),
    pendingReceivedOnOrBefore:
      policy.register.pendingDelayDays === null ? null : addDays(today, -policy.register.pendingDelayDays),
  };
}

/** Register order: by decision date (pending last, by receipt date), then reference; keys computed once. */
export function sortForRegister(records: readonly RegisterSourceRecord[]): RegisterSourceRecord[] {
  const keyed = records.map((r) => ({ r, k: registerOrderKey(r) }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return keyed.map((x) => x.r);
}

/** An application's place in the register as one string: decision date (pending last), receipt date, reference, id. */
export const registerOrderKey = (
  r: Pick<RegisterSourceRecord, 'decidedOn' | 'receivedOn' | 'reference' | 'applicationId'>,
): string => `${r.decidedOn ?? '9999-99-99'}|${r.receivedOn}|${r.reference}|${r.applicationId}`;

/** A natural person is never named, whatever the flag says about a party typed `individual`. */
export const isNaturalPerson = (party: RegisterSourceParty): boolean =>
  party.naturalPerson || party.partyType === 'individual';

const toCents = (valueEur: number): number => Math.round(valueEur * 100);
const fromCents = (cents: number): number => cents / 100;

function toPublicParty(party: RegisterSourceParty, policy: RedactionPolicy): PublicRegisterParty {
  const legalName = !isNaturalPerson(party) && publishes(policy, 'parties.name.legalPerson');
  return {
    role: publishes(policy, 'parties.role') ? party.role : null,
    partyType: publishes(policy, 'parties.partyType') ? party.partyType : null,
    sector: publishes(policy, 'parties.sector') ? party.sector : null,
    country: publishes(policy, 'parties.country') ? party.country : null,
    name: legalName ? party.name : null,
  };
}

/**
 * The public row of one record (no eligibility check: see `checkEligibility`). Fields the policy withholds are null.
 * @example toPublicRow(record, policy, vocabulary, 'row-1', notices).items[0].description // vocabulary text
 */
export function toPublicRow(
  record: RegisterSourceRecord,
  policy: RedactionPolicy,
  vocabulary: DescriptionVocabulary,
  fallbackRowId: string,
  notices: RegisterNotice[],
): PublicRegisterRow {
  const p = (field: Parameters<typeof publishes>[1]) => publishes(policy, field);
  let totalCents = 0;
  const items = [...record.lines]
    .sort((a, b) => a.lineNo - b.lineNo)
    .map((line) => {
      totalCents += toCents(line.valueEur);
      const entry = vocabulary.byCode.get(line.publicDescriptionCode);
      if (!entry) {
        notices.push({
          reference: record.reference,
          reason: `line ${line.lineNo}: description code "${line.publicDescriptionCode}" is not in vocabulary ${vocabulary.id} ${vocabulary.version}; no description published.`,
        });
      }
      const describe = p('lines.publicDescription') && entry !== undefined;
      return {
        lineNo: line.lineNo,
        controlEntries: p('lines.controlEntries') ? [...line.controlEntries] : null,
        cyberSurveillanceCategory: p('lines.cyberSurveillanceCategory')
          ? line.cyberSurveillanceCategory
          : null,
        descriptionCode: describe ? entry.code : null,
        description: describe ? entry.text : null,
        quantity: p('lines.quantity') ? line.quantity : null,
        unit: p('lines.quantity') ? line.unit : null,
        valueEur: p('lines.valueEur') ? fromCents(toCents(line.valueEur)) : null,
      };
    });
  return {
    rowId: p('reference') ? record.reference : fallbackRowId,
    reference: p('reference') ? record.reference : null,
    memberState: p('memberState') ? record.memberState : null,
    receivedOn: p('receivedOn') ? record.receivedOn.slice(0, 10) : null,
    decidedOn: p('decidedOn') && record.decidedOn !== null ? record.decidedOn.slice(0, 10) : null,
    licenceType: p('licenceType') ? record.licenceType : null,
    destinationCountry: p('destinationCountry') ? record.destinationCountry : null,
    decision: p('decision') ? record.decision : null,
    cyberSurveillance: p('lines.cyberSurveillanceCategory')
      ? record.lines.some((l) => l.cyberSurveillanceCategory !== null)
      : false,
    totalValueEur: p('lines.valueEur') ? fromCents(totalCents) : null,
    items,
    parties: record.parties.map((party) => toPublicParty(party, policy)),
    criteria: p('grounds.criteria') ? [...record.grounds.criteria].sort() : null,
    rights: p('grounds.rights') ? [...record.grounds.rights].sort() : null,
    consulted: p('consulted') ? record.consulted : null,
    denialRelated: p('denialRelated') ? record.denialRelated : null,
  };
}

/**
 * The public register as of `asOf` (ISO date or timestamp): every record whose delay has run, in a deterministic
 * order, with withheld fields null.
 * @example buildPublicRegister(records, policy, '2026-01-15T00:00:00Z', vocabulary).rows.length
 */
export function buildPublicRegister(
  records: readonly RegisterSourceRecord[],
  policy: RedactionPolicy,
  asOf: string,
  vocabulary: DescriptionVocabulary,
): PublicRegister {
  const notices: RegisterNotice[] = [];
  let withheldByDelay = 0;
  const eligible: RegisterSourceRecord[] = [];
  const cutoffs = computeCutoffs(policy, asOf);
  for (const record of records) {
    const e = checkEligibility(record, policy, asOf, cutoffs);
    if (e.publishable) eligible.push(record);
    else if (e.reason === 'delay') withheldByDelay += 1;
    else if (e.reason === 'no_decision_date')
      notices.push({
        reference: record.reference,
        reason: 'decided without a decision date; not published.',
      });
  }
  const rows = sortForRegister(eligible).map((record, index) =>
    toPublicRow(record, policy, vocabulary, `row-${index + 1}`, notices),
  );
  return {
    asOf,
    policy: { id: policy.id, version: policy.version },
    vocabulary: { id: vocabulary.id, version: vocabulary.version },
    rows,
    withheldByDelay,
    notices,
  };
}
