/**
 * Reads the register source from the database: every submitted application whose reporting date (decision date, or
 * receipt date while pending) falls in a date range, mapped into the reporting engine's input. Confidential fields
 * the engine needs (exporter identity, the exporter's item text, party names) are read; fields it never needs
 * (intended end use, addresses, contacts, internal notes) are never read at all.
 */
import { sql, type RawBuilder } from 'kysely';
import type { PartyRole, PartyType, QuantityUnit, LicenceType } from '../../domain/model.ts';
import { OPEN_STATUSES } from '../../domain/model.ts';
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
import { parsePeriod } from '../../engines/reporting/period.ts';
import type { Db } from '../context.ts';

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
 * A memoised describer of a line's classification in the report's short form (`report_sources.record`, migration 0900):
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
      // Shared by every line with this classification: frozen, so that no reader of one line can change another's.
      Object.freeze(d.controlEntries);
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

export interface ReadRegisterSourceOptions {
  /** Inclusive ISO date bounds of the reporting date. */
  fromOn: string;
  toOn: string;
  memberState: string;
  vocabulary: DescriptionVocabulary;
  /** Rows fetched per round trip from each cursor (default 20,000): bounds the raw rows held at once. */
  pageRows?: number;
  /** Only the applications still open (pending) or only the settled ones (decided or withdrawn); default both. */
  only?: 'open' | 'settled';
}

const sqlList = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');

/** `report_sources` rows (alias `r`) still open (pending), or settled (decided or withdrawn). */
const statusIs = (which: 'open' | 'settled') =>
  sql.raw(`r.status ${which === 'open' ? '' : 'not '}in (${sqlList(OPEN_STATUSES)})`);

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
 * Reads the records of the range in one snapshot. Each application's record is kept by the database in
 * `report_sources` (migration 0900: its definition is `report_source_view`, refreshed by triggers when a change commits),
 * so the range is one index range scan of one narrow row per application; then the few items, parties and
 * organisations they refer to are read by id for the text the engine needs. Only the columns the report uses are
 * kept; a line's classification contributes only its matched entries and cyber-surveillance flag. Lines come by
 * line number, parties in a fixed order; record order is unspecified (the engine sorts).
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
export async function inSnapshot<T>(db: Db, read: (trx: Db) => Promise<T>): Promise<T> {
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
  // A year's trend groups hundreds of thousands of rows: in memory rather than in temporary files.
  await sql`set local work_mem = '64MB'`.execute(trx);
  // The cursors are read to the end: plan them for all rows, not for the first 10% (the default).
  await sql`set local cursor_tuple_fraction = 1`.execute(trx);
}

/** `checkEligibility` in SQL over `report_sources`: pending ones by receipt date (or never), withdrawn ones only when the policy includes them, decided ones by decision date. */
function eligibleSql(options: Pick<ReadReportSourceOptions, 'cutoffs' | 'includeWithdrawn'>) {
  const { cutoffs } = options;
  const pending = statusIs('open');
  return sql`((${pending} and ${cutoffs.pendingReceivedOnOrBefore}::date is not null
      and r.received_on <= ${cutoffs.pendingReceivedOnOrBefore}::date)
    or (not ${pending} and (r.status <> 'withdrawn' or ${options.includeWithdrawn})
      and r.settled_on <= ${cutoffs.decidedOnOrBefore}::date))`;
}

/** What the trend's eligibility and cyber-surveillance test need: the cutoffs, the withdrawn rule, the vocabulary. */
export type TrendOptions = Pick<ReadReportSourceOptions, 'cutoffs' | 'includeWithdrawn' | 'vocabulary'>;

/**
 * The trend groups of the earlier periods, counted in SQL so that their applications are never read one by one:
 * each period's publishable applications grouped by exporter, denial and the set of their lines' classifications
 * (kept per application in `report_sources.memos`); each set is then described exactly as read lines are (so the
 * cyber-surveillance test is the reader's own, not a copy in SQL). Agrees with `trendGroupsOf` over fully read
 * records (tested). `only` counts the open or the settled applications alone.
 */
export async function readTrendGroups(
  trx: Db,
  options: Pick<ReadReportSourceOptions, 'earlierPeriods'> & TrendOptions & { only?: 'open' | 'settled' },
): Promise<TrendGroup[]> {
  const periods = options.earlierPeriods;
  if (periods.length === 0) return [];
  const from = periods.reduce((m, p) => (p.startOn < m ? p.startOn : m), periods[0]!.startOn);
  const to = periods.reduce((m, p) => (p.endOn > m ? p.endOn : m), periods[0]!.endOn);
  const bounds = sql.join(periods.map((p) => sql`(${p.id}::text, ${p.startOn}::date, ${p.endOn}::date)`));
  return countTrendGroups(trx, options, {
    bounds: sql`with p(id, start_on, end_on) as (values ${bounds})`,
    bucket: sql`p.id`,
    join: sql`join p on r.reporting_on between p.start_on and p.end_on`,
    from,
    to,
    only: options.only,
  });
}

/**
 * The trend groups of the settled applications of some months (`YYYY-MM`, by reporting date), month by month: each
 * group's `periodId` is its month. What a cache keeps of an earlier period's month (ADR 0009).
 */
export async function readMonthTrendGroups(
  trx: Db,
  options: TrendOptions & { months: readonly string[] },
): Promise<TrendGroup[]> {
  const months = [...options.months].sort();
  if (months.length === 0) return [];
  return countTrendGroups(trx, options, {
    bounds: sql``,
    bucket: sql`to_char(r.reporting_on, 'YYYY-MM')`,
    join: sql``,
    from: `${months[0]}-01`,
    to: parsePeriod(months[months.length - 1]!).endOn,
    filter: sql`and to_char(r.reporting_on, 'YYYY-MM') = any(${months}::text[])`,
    only: 'settled',
  });
}

/**
 * The one grouped query behind `readTrendGroups` and `readMonthTrendGroups`: the publishable applications of
 * `report_sources` between `from` and `to` (with `join` and `filter` narrowing them), grouped by `bucket` (what becomes
 * each group's `periodId`), exporter, denial and the set of their lines' classifications.
 */
async function countTrendGroups(
  trx: Db,
  options: TrendOptions,
  q: {
    bounds: RawBuilder<unknown>;
    bucket: RawBuilder<unknown>;
    join: RawBuilder<unknown>;
    from: string;
    to: string;
    filter?: RawBuilder<unknown>;
    only?: 'open' | 'settled' | undefined;
  },
): Promise<TrendGroup[]> {
  const result = await sql<{
    period_id: string;
    exporter_id: string;
    denied: boolean;
    memos: string;
    applications: number;
    value_cents: string;
  }>`${q.bounds}
    select ${q.bucket} as period_id, r.organisation_id as exporter_id, r.status = 'denied' as denied,
      array_to_json(r.memos)::text as memos, count(*)::int as applications, sum(r.value_cents)::text as value_cents
    from report_sources r ${q.join}
    where r.reporting_on between ${q.from}::date and ${q.to}::date and ${eligibleSql(options)}
      ${q.only === undefined ? sql`` : sql`and ${statusIs(q.only)}`} ${q.filter ?? sql``}
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

/** The settled applications of one month: how many, and a digest of their ids and records' digests. */
export interface MonthDigest {
  /** `YYYY-MM` of the decision (or withdrawal). */
  month: string;
  applications: number;
  digest: string;
}

/**
 * The settled applications of a date range month by month (by reporting date, their decision date), each month with
 * a digest of its applications' records: their number and the sums of the two 64-bit halves of each record's MD5
 * (`report_sources.record_md5`, migration 0950; a record holds its application's id). A changed, added or removed
 * record changes the digest but for a chance of about 2^-128 (both sums unchanged) or an MD5 collision. Sums rather
 * than a hash of the records in id order: they need no sort and no long string, so a year of months costs about
 * half as much (measured at 1,000,000 applications: docs/adr/0009).
 * @example await readMonthDigests(trx, { fromOn: '2025-01-01', toOn: '2025-12-31' }) // [{ month: '2025-01', ... }]
 */
export async function readMonthDigests(
  trx: Db,
  { fromOn, toOn }: { fromOn: string; toOn: string },
): Promise<MonthDigest[]> {
  const half = (from: number) =>
    sql`sum(('x' || substr(r.record_md5, ${sql.lit(from)}, 16))::bit(64)::bigint)`;
  const result = await sql<MonthDigest>`select to_char(r.reporting_on, 'YYYY-MM') as month,
      count(*)::int as applications,
      count(*)::text || ':' || ${half(1)}::text || ':' || ${half(17)}::text as digest
    from report_sources r
    where r.reporting_on between ${fromOn}::date and ${toOn}::date and ${statusIs('settled')}
    group by 1 order by 1`.execute(trx);
  return result.rows.map((r) => ({ ...r, applications: Number(r.applications) }));
}

/** A `report_sources.record` (migration 0900): one JSON array per application. */
type StoredRecord = [
  id: string,
  reference: string,
  organisationId: string,
  licenceType: string,
  destinationCountry: string,
  status: string,
  receivedOn: string,
  settledOn: string,
  criteria: unknown,
  consulted: boolean,
  lines: [lineNo: number, itemId: string, quantity: number, unit: string, valueEur: number, memo: string][],
  parties: [partyId: string, role: string][],
];

async function readInSnapshot(trx: Db, options: ReadRegisterSourceOptions): Promise<RegisterSourceRecord[]> {
  return (await readRecordsWithReferences(trx, options)).records;
}

/**
 * The records of a range (as `readRegisterSource`) and the rows they name by id, in the caller's snapshot.
 * @example await readRecordsWithReferences(trx, { fromOn, toOn, memberState, vocabulary, only: 'settled' })
 */
export async function readRecordsWithReferences(
  trx: Db,
  options: ReadRegisterSourceOptions,
): Promise<{ records: RegisterSourceRecord[]; references: SourceReferences }> {
  const { fromOn, toOn } = options;
  const only = options.only === undefined ? sql`` : sql`and ${statusIs(options.only)}`;
  const pageRows = options.pageRows ?? 20_000;
  const records: RegisterSourceRecord[] = [];
  const organisationIds = new Set<string>();
  // A line's classification: only the matched entries (as text, few distinct values) and the flag travel.
  const describe = classificationDescriber(options.vocabulary);
  const lineItems: { line: RegisterSourceLine; itemId: string }[] = [];
  const partyRefs: { record: RegisterSourceRecord; partyId: string; role: string }[] = [];
  await forEachPage<{ record: string }>(
    trx,
    'register_sources',
    // As text, parsed here: one JSON.parse per row on either backend, whatever its driver does with json.
    sql`select r.record::text as record from report_sources r
      where r.reporting_on between ${fromOn}::date and ${toOn}::date ${only}`,
    pageRows,
    (rows) => {
      for (const row of rows) {
        const [
          id,
          reference,
          organisationId,
          licenceType,
          destination,
          status,
          receivedOn,
          settledOn,
          criteriaValue,
          consulted,
          lines,
          parties,
        ] = JSON.parse(row.record) as StoredRecord;
        const decision: RegisterDecision = (OPEN_STATUSES as readonly string[]).includes(status)
          ? 'pending'
          : (status as RegisterDecision);
        const criteria = criteriaOf(criteriaValue);
        organisationIds.add(organisationId);
        const record: RegisterSourceRecord = {
          applicationId: id,
          reference,
          memberState: options.memberState,
          receivedOn,
          decidedOn: decision === 'pending' ? null : settledOn,
          licenceType: licenceType as LicenceType,
          lines: [],
          destinationCountry: destination.trim(),
          parties: [],
          exporterName: '',
          exporterId: organisationId,
          decision,
          grounds: {
            criteria: criteria.filter((c) => !c.startsWith('charter.')),
            rights: criteria.filter((c) => c.startsWith('charter.')),
          },
          consulted,
          denialRelated: decision === 'denied',
        };
        for (const [lineNo, itemId, quantity, unit, valueEur, memo] of lines) {
          const d = describe(memo);
          const line: RegisterSourceLine = {
            lineNo,
            controlEntries: d.controlEntries,
            cyberSurveillanceCategory: d.cyberSurveillanceCategory,
            publicDescriptionCode: d.publicDescriptionCode,
            confidentialDescription: '',
            quantity,
            unit: unit as QuantityUnit,
            valueEur,
          };
          record.lines.push(line);
          lineItems.push({ line, itemId });
        }
        for (const [partyId, role] of parties) partyRefs.push({ record, partyId, role });
        records.push(record);
      }
    },
  );
  if (records.length === 0) return { records, references: emptyReferences() };

  const references = await readReferences(trx, {
    itemIds: lineItems.map((l) => l.itemId),
    partyIds: partyRefs.map((p) => p.partyId),
    organisationIds: [...organisationIds],
  });
  for (const { line, itemId } of lineItems)
    line.confidentialDescription = references.items.get(itemId)?.text ?? '';
  for (const ref of partyRefs) {
    const p = references.parties.get(ref.partyId)!;
    const partyType = p.party_type as PartyType;
    ref.record.parties.push({
      role: ref.role as PartyRole,
      partyType,
      sector: SECTOR_OF_PARTY_TYPE[partyType] ?? null,
      name: p.name,
      naturalPerson: partyType === 'individual',
      country: p.country.trim(),
    });
  }
  for (const r of records) {
    r.exporterName = references.organisations.get(r.exporterId)?.name ?? '';
    if (r.parties.length > 1) r.parties.sort(compareParties);
  }
  return { records, references };
}

/** The rows outside `report_sources` that records name by id, as read in the report's snapshot. */
export interface SourceReferences {
  /** Item id -> the exporter's text of it (name and confidential description). */
  items: Map<string, { id: string; text: string }>;
  /** Party id -> the party, with a digest of what a register row shows of it and orders parties by. */
  parties: Map<string, { id: string; party_type: string; name: string; country: string; digest: string }>;
  organisations: Map<string, { id: string; name: string }>;
}

const emptyReferences = (): SourceReferences => ({
  items: new Map(),
  parties: new Map(),
  organisations: new Map(),
});

/**
 * Reads items, parties and organisations by id (each id once).
 * @example await readReferences(trx, { itemIds, partyIds, organisationIds })
 */
export async function readReferences(
  trx: Db,
  ids: { itemIds: Iterable<string>; partyIds: Iterable<string>; organisationIds: Iterable<string> },
): Promise<SourceReferences> {
  const items = await readByIds([...new Set(ids.itemIds)], (chunk) =>
    sql<{ id: string; text: string }>`select id, name || ' ' || confidential_description as text
      from items where id = any(${chunk}::uuid[])`.execute(trx),
  );
  const parties = await readByIds([...new Set(ids.partyIds)], (chunk) =>
    sql<{
      id: string;
      party_type: string;
      name: string;
      country: string;
      digest: string;
    }>`select id, party_type, name, country, md5(party_type || '|' || country || '|' || name) as digest
      from parties where id = any(${chunk}::uuid[])`.execute(trx),
  );
  const organisations = await readByIds([...new Set(ids.organisationIds)], (chunk) =>
    sql<{
      id: string;
      name: string;
    }>`select id, name from organisations where id = any(${chunk}::uuid[])`.execute(trx),
  );
  return { items, parties, organisations };
}

const partyKey = (p: RegisterSourceParty): string => `${p.role}|${p.partyType}|${p.country}|${p.name}`;
function compareParties(x: RegisterSourceParty, y: RegisterSourceParty): number {
  const kx = partyKey(x);
  const ky = partyKey(y);
  return kx < ky ? -1 : kx > ky ? 1 : 0;
}
