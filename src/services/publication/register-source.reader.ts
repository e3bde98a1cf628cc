/**
 * Reads the register source from the database: every submitted application whose reporting date (decision date, or
 * receipt date while pending) falls in a date range, mapped into the reporting engine's input. Confidential fields
 * the engine needs (exporter identity, the exporter's item text, party names) are read; fields it never needs
 * (intended end use, addresses, contacts, internal notes) are never read at all.
 */
import { sql } from 'kysely';
import type { PartyRole, PartyType, QuantityUnit, LicenceType } from '../../domain/model.ts';
import type {
  CyberSurveillanceCategory,
  EndUserSector,
  RegisterDecision,
  RegisterSourceLine,
  RegisterSourceParty,
  RegisterSourceRecord,
} from '../../domain/reporting.ts';
import type { DescriptionVocabulary } from '../../engines/reporting/index.ts';
import type { Db } from '../context.ts';

/** Application statuses that count as received but not yet decided. */
export const PENDING_STATUSES = ['submitted', 'in_assessment', 'information_requested', 'in_consultation'];
const REPORTED_STATUSES = [...PENDING_STATUSES, 'granted', 'granted_with_conditions', 'denied', 'withdrawn'];

/** The public end-user sector a party type describes (a party's sector is not a separate field yet). */
export const SECTOR_OF_PARTY_TYPE: Readonly<Record<PartyType, EndUserSector | null>> = {
  government_body: 'government_administration',
  police: 'law_enforcement',
  intelligence: 'intelligence',
  military: 'defence',
  state_owned_company: 'other',
  telecom_operator: 'telecommunications',
  private_company: 'commercial',
  research_institution: 'academia_research',
  individual: null,
};

export const FALLBACK_DESCRIPTION_CODE = 'OTHER-DUAL-USE';

interface StoredClassification {
  matchedEntries?: unknown;
  cyberSurveillance?: unknown;
}

/** Maps a line's classification snapshot to its public description code and cyber-surveillance category. */
export function describeClassifiedLine(
  classification: StoredClassification | null,
  vocabulary: DescriptionVocabulary,
  byEntry: ReadonlyMap<
    string,
    { code: string; category: CyberSurveillanceCategory | null }
  > = indexVocabulary(vocabulary),
): Pick<RegisterSourceLine, 'controlEntries' | 'cyberSurveillanceCategory' | 'publicDescriptionCode'> {
  const entries = Array.isArray(classification?.matchedEntries)
    ? classification.matchedEntries.filter((e): e is string => typeof e === 'string').sort()
    : [];
  const described = entries.map((e) => byEntry.get(e)).find((d) => d !== undefined);
  const cyber = classification?.cyberSurveillance === true;
  const fallback = vocabulary.byCode.has(FALLBACK_DESCRIPTION_CODE) ? FALLBACK_DESCRIPTION_CODE : '';
  return {
    controlEntries: entries,
    cyberSurveillanceCategory: described?.category ?? (cyber ? 'other' : null),
    publicDescriptionCode: described?.code ?? fallback,
  };
}

/** Control entry -> the first vocabulary description naming it (vocabulary file order). */
export function indexVocabulary(
  vocabulary: DescriptionVocabulary,
): Map<string, { code: string; category: CyberSurveillanceCategory | null }> {
  const out = new Map<string, { code: string; category: CyberSurveillanceCategory | null }>();
  for (const d of vocabulary.byCode.values()) {
    for (const e of d.controlEntries) if (!out.has(e)) out.set(e, { code: d.code, category: d.category });
  }
  return out;
}

/** Criteria as stored on a decision: strings, or objects with `criterion`/`id`. */
function criteriaOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (const c of value) {
    if (typeof c === 'string') out.push(c);
    else if (c && typeof c === 'object') {
      const o = c as Record<string, unknown>;
      const id = o.id ?? o.criterion;
      if (typeof id === 'string') out.push(id);
    }
  }
  return [...new Set(out)].sort();
}

const isoDay = (d: unknown): string | null =>
  d === null || d === undefined
    ? null
    : typeof d === 'string'
      ? d.slice(0, 10)
      : (d as Date).toISOString().slice(0, 10);

const toNumber = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

export interface ReadRegisterSourceOptions {
  /** Inclusive ISO date bounds of the reporting date. */
  fromOn: string;
  toOn: string;
  memberState: string;
  vocabulary: DescriptionVocabulary;
}

/**
 * Reads the records of the range in three queries (applications, lines, parties) and joins them in memory.
 * @example await readRegisterSource(db, { fromOn: '2025-01-01', toOn: '2025-12-31', memberState: 'DE', vocabulary })
 */
export async function readRegisterSource(
  db: Db,
  options: ReadRegisterSourceOptions,
): Promise<RegisterSourceRecord[]> {
  const { fromOn, toOn } = options;
  // The reporting date in UTC: decision date for decided and withdrawn applications, receipt date while pending.
  const reportingDate = sql`(case when a.status = any(${PENDING_STATUSES}::text[])
      then (a.submitted_at at time zone 'UTC')::date
      else (coalesce(a.decided_at, a.updated_at) at time zone 'UTC')::date end)`;
  const inRange = sql`a.submitted_at is not null and a.status = any(${REPORTED_STATUSES}::text[])
      and ${reportingDate} between ${fromOn}::date and ${toOn}::date`;
  const apps = await sql<{
    id: string;
    reference: string;
    organisation_id: string;
    exporter_name: string;
    licence_type: string;
    destination_country: string;
    status: string;
    received_on: string;
    decided_on: string | null;
    criteria: unknown;
    consulted: boolean;
  }>`with d as (
        select distinct on (application_id) application_id, criteria from decisions
        order by application_id, decided_at desc),
      c as (select distinct application_id from application_transitions where to_status = 'in_consultation')
      select a.id, a.reference, a.organisation_id, o.name as exporter_name, a.licence_type, a.destination_country,
        a.status, to_char(a.submitted_at at time zone 'UTC', 'YYYY-MM-DD') as received_on,
        case when a.status = any(${PENDING_STATUSES}::text[]) then null
          else to_char(coalesce(a.decided_at, a.updated_at) at time zone 'UTC', 'YYYY-MM-DD') end as decided_on,
        d.criteria, (c.application_id is not null) as consulted
      from applications a join organisations o on o.id = a.organisation_id
        left join d on d.application_id = a.id left join c on c.application_id = a.id
      where ${inRange}`.execute(db);
  if (apps.rows.length === 0) return [];
  const lines = await sql<{
    application_id: string;
    line_no: number;
    quantity: string | number;
    unit: string;
    value_eur: string | number;
    classification: StoredClassification | null;
    confidential_description: string;
  }>`select l.application_id, l.line_no, l.quantity, l.unit, l.value_eur,
        coalesce(l.classification, i.classification) as classification,
        i.name || ' ' || i.confidential_description as confidential_description
      from application_lines l join applications a on a.id = l.application_id join items i on i.id = l.item_id
      where ${inRange}`.execute(db);
  const parties = await sql<{
    application_id: string;
    role: string;
    party_type: string;
    name: string;
    country: string;
  }>`select ap.application_id, ap.role, p.party_type, p.name, p.country
      from application_parties ap join applications a on a.id = ap.application_id join parties p on p.id = ap.party_id
      where ${inRange}`.execute(db);

  const byEntry = indexVocabulary(options.vocabulary);
  const linesOf = new Map<string, RegisterSourceLine[]>();
  for (const l of lines.rows) {
    const list = linesOf.get(l.application_id) ?? [];
    list.push({
      lineNo: l.line_no,
      ...describeClassifiedLine(l.classification, options.vocabulary, byEntry),
      confidentialDescription: l.confidential_description,
      quantity: toNumber(l.quantity),
      unit: l.unit as QuantityUnit,
      valueEur: toNumber(l.value_eur),
    });
    linesOf.set(l.application_id, list);
  }
  const partiesOf = new Map<string, RegisterSourceParty[]>();
  for (const p of parties.rows) {
    const list = partiesOf.get(p.application_id) ?? [];
    const partyType = p.party_type as PartyType;
    list.push({
      role: p.role as PartyRole,
      partyType,
      sector: SECTOR_OF_PARTY_TYPE[partyType] ?? null,
      name: p.name,
      naturalPerson: partyType === 'individual',
      country: p.country.trim(),
    });
    partiesOf.set(p.application_id, list);
  }
  return apps.rows.map((a) => {
    const decision: RegisterDecision = PENDING_STATUSES.includes(a.status)
      ? 'pending'
      : (a.status as RegisterDecision);
    const criteria = criteriaOf(a.criteria);
    return {
      applicationId: a.id,
      reference: a.reference,
      memberState: options.memberState,
      receivedOn: isoDay(a.received_on)!,
      decidedOn: decision === 'pending' ? null : isoDay(a.decided_on),
      licenceType: a.licence_type as LicenceType,
      lines: (linesOf.get(a.id) ?? []).sort((x, y) => x.lineNo - y.lineNo),
      destinationCountry: a.destination_country.trim(),
      parties: (partiesOf.get(a.id) ?? []).sort((x, y) => {
        const kx = `${x.role}|${x.partyType}|${x.country}|${x.name}`;
        const ky = `${y.role}|${y.partyType}|${y.country}|${y.name}`;
        return kx < ky ? -1 : kx > ky ? 1 : 0;
      }),
      exporterName: a.exporter_name,
      exporterId: a.organisation_id,
      decision,
      grounds: {
        criteria: criteria.filter((c) => !c.startsWith('charter.')),
        rights: criteria.filter((c) => c.startsWith('charter.')),
      },
      consulted: a.consulted,
      denialRelated: decision === 'denied',
    };
  });
}
