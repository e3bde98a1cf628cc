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
import {
  mergeTrendGroups,
  type DescriptionVocabulary,
  type EligibilityCutoffs,
  type TrendGroup,
} from '../../engines/reporting/index.ts';
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

/**
 * A memoised describer of a line's classification in the report's short form (see `reportClassificationSql`):
 * few distinct values in a whole register, each described once.
 */
function classificationDescriber(vocabulary: DescriptionVocabulary) {
  const byEntry = indexVocabulary(vocabulary);
  const described = new Map<string, ReturnType<typeof describeClassifiedLine>>();
  return (memo: string): ReturnType<typeof describeClassifiedLine> => {
    let d = described.get(memo);
    if (!d) {
      // The flag ('1'/'0'), then the matched entries as JSON text (absent when the snapshot has none).
      const entries = memo.length > 1 ? memo.slice(1) : null;
      d = describeClassifiedLine(
        {
          matchedEntries: entries === null ? undefined : JSON.parse(entries),
          cyberSurveillance: memo[0] === '1',
        },
        vocabulary,
        byEntry,
      );
      described.set(memo, d);
    }
    return d;
  };
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
  /** Rows fetched per round trip from each cursor (default 20,000): bounds the raw rows held at once. */
  pageRows?: number;
}

const sqlList = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');

/**
 * The reporting date in UTC: decision date for decided and withdrawn applications, receipt date while pending.
 * Written out with literal statuses so that it is the very expression of `applications_reporting_on_idx`
 * (migration 0820); keep the two identical or the period filter scans every application.
 */
export const REPORTING_ON_SQL = `(case when a.status in (${sqlList(PENDING_STATUSES)}) then (a.submitted_at at time zone 'UTC')::date else (coalesce(a.decided_at, a.updated_at) at time zone 'UTC')::date end)`;

/** Streams a query through a server-side cursor, `pageRows` rows per round trip, one page ahead. */
async function forEachPage<R>(
  trx: Db,
  name: string,
  query: ReturnType<typeof sql>,
  pageRows: number,
  onRows: (rows: R[]) => void,
): Promise<void> {
  await sql`declare ${sql.raw(name)} no scroll cursor for ${query}`.execute(trx);
  const fetchPage = () =>
    sql<R>`fetch forward ${sql.raw(String(pageRows))} from ${sql.raw(name)}`.execute(trx);
  // The next page is asked for before this one is processed: a PostgreSQL server produces it meanwhile.
  let next = fetchPage();
  for (;;) {
    const page = await next;
    const more = page.rows.length === pageRows;
    if (more) next = fetchPage();
    if (page.rows.length > 0) onRows(page.rows);
    if (!more) break;
  }
  await sql`close ${sql.raw(name)}`.execute(trx);
}

/** Items and parties are few and shared by many applications: their text is read once each, by id. */
async function readByIds<R extends { id: string }>(
  ids: readonly string[],
  select: (chunk: string[]) => Promise<{ rows: R[] }>,
): Promise<Map<string, R>> {
  const out = new Map<string, R>();
  for (let i = 0; i < ids.length; i += 10_000) {
    for (const row of (await select(ids.slice(i, i + 10_000))).rows) out.set(row.id, row);
  }
  return out;
}

/**
 * Reads the records of the range in one snapshot: applications, their lines and their parties each streamed by a
 * cursor over the period filter (migration 0820 indexes it), then the few items and parties they refer to by id.
 * Only the columns the report uses are selected; a line's classification contributes only its matched entries and
 * cyber-surveillance flag. Lines come by line number, parties in a fixed order; record order is unspecified (the engine sorts).
 * @example await readRegisterSource(db, { fromOn: '2025-01-01', toOn: '2025-12-31', memberState: 'DE', vocabulary })
 */
export async function readRegisterSource(
  db: Db,
  options: ReadRegisterSourceOptions,
): Promise<RegisterSourceRecord[]> {
  return inSnapshot(db, (trx) => readInSnapshot(trx, options));
}

/**
 * Runs `read` in one repeatable-read snapshot (the caller's transaction when it is one), tuned for a report: the
 * streams read in it cannot be torn by a decision committed between them.
 */
async function inSnapshot<T>(db: Db, read: (trx: Db) => Promise<T>): Promise<T> {
  const tuned = async (trx: Db) => {
    await tuneSnapshot(trx);
    return read(trx);
  };
  if (db.isTransaction) return tuned(db);
  return db.transaction().setIsolationLevel('repeatable read').execute(tuned);
}

export interface ReadReportSourceOptions extends ReadRegisterSourceOptions {
  /** The trend's earlier periods: counted in the database, never read application by application. */
  earlierPeriods: readonly { id: string; startOn: string; endOn: string }[];
  /** Publication cutoffs (`computeCutoffs(policy, publishedAt)`) and the policy's withdrawn rule. */
  cutoffs: EligibilityCutoffs;
  includeWithdrawn: boolean;
}

/**
 * What a period's report needs, in one snapshot: the period's records (as `readRegisterSource`) and the trend
 * groups of its earlier periods.
 * @example await readReportSource(db, { fromOn: '2025-01-01', toOn: '2025-12-31', memberState: 'DE', vocabulary, earlierPeriods, cutoffs, includeWithdrawn: false })
 */
export async function readReportSource(
  db: Db,
  options: ReadReportSourceOptions,
): Promise<{ records: RegisterSourceRecord[]; earlierPeriodGroups: TrendGroup[] }> {
  return inSnapshot(db, async (trx) => {
    const earlierPeriodGroups = await readTrendGroups(trx, options);
    return { records: await readInSnapshot(trx, options), earlierPeriodGroups };
  });
}

/** Settings for the report's transaction (local to it). */
async function tuneSnapshot(trx: Db): Promise<void> {
  // A year's report joins and groups hundreds of thousands of rows: in memory rather than in temporary files.
  await sql`set local work_mem = '64MB'`.execute(trx);
  // The cursors are read to the end: plan them for all rows, not for the first 10% (the default).
  await sql`set local cursor_tuple_fraction = 1`.execute(trx);
}

const inReportingRange = (fromOn: string, toOn: string) =>
  sql`a.submitted_at is not null and a.status in (${sql.raw(sqlList(REPORTED_STATUSES))})
      and ${sql.raw(REPORTING_ON_SQL)} between ${fromOn}::date and ${toOn}::date`;

/** The report's short form of a classification snapshot: its flag ('1'/'0'), then its matched entries as JSON text. */
const reportClassificationSql = (column: string) =>
  `(case when (${column} -> 'cyberSurveillance') = 'true'::jsonb then '1' else '0' end) || coalesce((${column} -> 'matchedEntries')::text, '')`;

/**
 * A line's classification in that short form: the line's snapshot (its generated column, migration 0870, computed
 * by the same formula), else the item's current classification, else unclassified ('0').
 */
const LINE_MEMO_SQL = `coalesce(l.report_classification, ${reportClassificationSql('i.classification')}, '0')`;

/** `checkEligibility` in SQL: pending ones by receipt date (or never), withdrawn ones only when the policy includes them, decided ones by decision date. */
function eligibleSql(options: ReadReportSourceOptions) {
  const { cutoffs } = options;
  const pending = sql.raw(`a.status in (${sqlList(PENDING_STATUSES)})`);
  return sql`((${pending} and ${cutoffs.pendingReceivedOnOrBefore}::date is not null
      and (a.submitted_at at time zone 'UTC')::date <= ${cutoffs.pendingReceivedOnOrBefore}::date)
    or (not ${pending} and (a.status <> 'withdrawn' or ${options.includeWithdrawn})
      and (coalesce(a.decided_at, a.updated_at) at time zone 'UTC')::date <= ${cutoffs.decidedOnOrBefore}::date))`;
}

/**
 * The trend groups of the earlier periods, counted in SQL so that their applications are never read one by one:
 * each period's publishable applications grouped by exporter, denial and the set of their lines' classifications;
 * each set is then described exactly as read lines are (so the cyber-surveillance test is the reader's own, not a
 * copy in SQL). Agrees with `trendGroupsOf` over fully read records (tested).
 */
async function readTrendGroups(trx: Db, options: ReadReportSourceOptions): Promise<TrendGroup[]> {
  const periods = options.earlierPeriods;
  if (periods.length === 0) return [];
  const from = periods.reduce((m, p) => (p.startOn < m ? p.startOn : m), periods[0]!.startOn);
  const to = periods.reduce((m, p) => (p.endOn > m ? p.endOn : m), periods[0]!.endOn);
  // One pass for every earlier period. The innermost select is fenced (offset 0) so that lines are reduced to
  // narrow rows before they are grouped: otherwise the planner sorts whole lines, classification included.
  const bounds = sql.join(periods.map((p) => sql`(${p.id}::text, ${p.startOn}::date, ${p.endOn}::date)`));
  const result = await sql<{
    period_id: string;
    exporter_id: string;
    denied: boolean;
    memos: string;
    applications: number;
    value_cents: string;
  }>`with p(id, start_on, end_on) as (values ${bounds})
    select period_id, exporter_id, denied, array_to_json(memos)::text as memos, count(*)::int as applications,
      sum(cents)::text as value_cents
    from (select period_id, id, exporter_id, denied,
        coalesce(array_agg(distinct memo) filter (where memo is not null), '{}') as memos,
        coalesce(sum(cents), 0) as cents
      from (select p.id as period_id, a.id, a.organisation_id as exporter_id, a.status = 'denied' as denied,
          case when l.application_id is null then null else ${sql.raw(LINE_MEMO_SQL)} end as memo,
          (l.value_eur * 100)::bigint as cents
        from applications a
          join p on ${sql.raw(REPORTING_ON_SQL)} between p.start_on and p.end_on
          left join application_lines l on l.application_id = a.id
          left join items i on i.id = l.item_id
        where ${inReportingRange(from, to)} and ${eligibleSql(options)}
        offset 0) per_line
      group by 1, 2, 3, 4) per_app
    group by 1, 2, 3, 4`.execute(trx);
  // Each distinct set of line classifications is described as read lines are: cyber-surveillance or not.
  const describe = classificationDescriber(options.vocabulary);
  return mergeTrendGroups(
    result.rows.map((row) => ({
      periodId: row.period_id,
      exporterId: row.exporter_id,
      cyberSurveillance: (JSON.parse(row.memos) as string[]).some(
        (m) => describe(m).cyberSurveillanceCategory !== null,
      ),
      denied: row.denied,
      applications: Number(row.applications),
      valueCents: Number(row.value_cents),
    })),
  );
}

async function readInSnapshot(trx: Db, options: ReadRegisterSourceOptions): Promise<RegisterSourceRecord[]> {
  const { fromOn, toOn } = options;
  const pageRows = options.pageRows ?? 20_000;
  const inRange = inReportingRange(fromOn, toOn);
  const records = new Map<string, RegisterSourceRecord>();
  const organisationNames = new Map<string, string>();
  await forEachPage<{
    id: string;
    reference: string;
    organisation_id: string;
    licence_type: string;
    destination_country: string;
    status: string;
    received_on: string;
    decided_on: string | null;
    criteria: unknown;
    consulted: boolean;
  }>(
    trx,
    'register_applications',
    sql`with d as (
          select distinct on (d.application_id) d.application_id, d.criteria
          from decisions d join applications a on a.id = d.application_id
          where ${inRange} order by d.application_id, d.decided_at desc),
        c as (select distinct application_id from application_transitions where to_status = 'in_consultation')
      select a.id, a.reference, a.organisation_id, a.licence_type, a.destination_country, a.status,
        to_char(a.submitted_at at time zone 'UTC', 'YYYY-MM-DD') as received_on,
        to_char(coalesce(a.decided_at, a.updated_at) at time zone 'UTC', 'YYYY-MM-DD') as decided_on,
        d.criteria, (c.application_id is not null) as consulted
      from applications a left join d on d.application_id = a.id left join c on c.application_id = a.id
      where ${inRange}`,
    pageRows,
    (rows) => {
      for (const a of rows) {
        const decision: RegisterDecision = PENDING_STATUSES.includes(a.status)
          ? 'pending'
          : (a.status as RegisterDecision);
        const criteria = criteriaOf(a.criteria);
        organisationNames.set(a.organisation_id, '');
        records.set(a.id, {
          applicationId: a.id,
          reference: a.reference,
          memberState: options.memberState,
          receivedOn: isoDay(a.received_on)!,
          decidedOn: decision === 'pending' ? null : isoDay(a.decided_on),
          licenceType: a.licence_type as LicenceType,
          lines: [],
          destinationCountry: a.destination_country.trim(),
          parties: [],
          exporterName: '',
          exporterId: a.organisation_id,
          decision,
          grounds: {
            criteria: criteria.filter((c) => !c.startsWith('charter.')),
            rights: criteria.filter((c) => c.startsWith('charter.')),
          },
          consulted: a.consulted,
          denialRelated: decision === 'denied',
        });
      }
    },
  );
  if (records.size === 0) return [];

  // A line's classification: only the matched entries (as text, few distinct values) and the flag travel.
  const describe = classificationDescriber(options.vocabulary);
  const lineItems: { line: RegisterSourceLine; itemId: string }[] = [];
  await forEachPage<{
    application_id: string;
    line_no: number;
    item_id: string;
    quantity: string | number;
    unit: string;
    value_eur: string | number;
    memo: string;
  }>(
    trx,
    'register_lines',
    sql`select l.application_id, l.line_no, l.item_id, l.quantity, l.unit, l.value_eur,
        ${sql.raw(LINE_MEMO_SQL)} as memo
      from application_lines l join applications a on a.id = l.application_id join items i on i.id = l.item_id
      where ${inRange}`,
    pageRows,
    (rows) => {
      for (const l of rows) {
        const d = describe(l.memo);
        const line: RegisterSourceLine = {
          lineNo: l.line_no,
          controlEntries: [...d.controlEntries],
          cyberSurveillanceCategory: d.cyberSurveillanceCategory,
          publicDescriptionCode: d.publicDescriptionCode,
          confidentialDescription: '',
          quantity: toNumber(l.quantity),
          unit: l.unit as QuantityUnit,
          valueEur: toNumber(l.value_eur),
        };
        records.get(l.application_id)!.lines.push(line);
        lineItems.push({ line, itemId: l.item_id });
      }
    },
  );

  const partyRefs: { application_id: string; party_id: string; role: string }[] = [];
  await forEachPage<{ application_id: string; party_id: string; role: string }>(
    trx,
    'register_parties',
    sql`select ap.application_id, ap.party_id, ap.role
      from application_parties ap join applications a on a.id = ap.application_id
      where ${inRange}`,
    pageRows,
    (rows) => {
      for (const r of rows) partyRefs.push(r);
    },
  );

  const itemText = await readByIds([...new Set(lineItems.map((l) => l.itemId))], (ids) =>
    sql<{ id: string; text: string }>`select id, name || ' ' || confidential_description as text
      from items where id = any(${ids}::uuid[])`.execute(trx),
  );
  for (const { line, itemId } of lineItems) line.confidentialDescription = itemText.get(itemId)?.text ?? '';
  const parties = await readByIds([...new Set(partyRefs.map((p) => p.party_id))], (ids) =>
    sql<{
      id: string;
      party_type: string;
      name: string;
      country: string;
    }>`select id, party_type, name, country
      from parties where id = any(${ids}::uuid[])`.execute(trx),
  );
  for (const ref of partyRefs) {
    const p = parties.get(ref.party_id)!;
    const partyType = p.party_type as PartyType;
    records.get(ref.application_id)!.parties.push({
      role: ref.role as PartyRole,
      partyType,
      sector: SECTOR_OF_PARTY_TYPE[partyType] ?? null,
      name: p.name,
      naturalPerson: partyType === 'individual',
      country: p.country.trim(),
    });
  }
  const organisations = await readByIds([...organisationNames.keys()], (ids) =>
    sql<{
      id: string;
      name: string;
    }>`select id, name from organisations where id = any(${ids}::uuid[])`.execute(trx),
  );

  const out: RegisterSourceRecord[] = [];
  for (const r of records.values()) {
    r.exporterName = organisations.get(r.exporterId)?.name ?? '';
    if (r.lines.length > 1) r.lines.sort((x, y) => x.lineNo - y.lineNo);
    if (r.parties.length > 1) r.parties.sort(compareParties);
    out.push(r);
  }
  return out;
}

const partyKey = (p: RegisterSourceParty): string => `${p.role}|${p.partyType}|${p.country}|${p.name}`;
function compareParties(x: RegisterSourceParty, y: RegisterSourceParty): number {
  const kx = partyKey(x);
  const ky = partyKey(y);
  return kx < ky ? -1 : kx > ky ? 1 : 0;
}
