/**
 * The periodic transparency report: the period's public register, aggregate tables (per control entry, destination,
 * end-user type and decision, and the Art. 26(2) cyber-surveillance table) and trends against earlier periods.
 */
import { countryName } from '../../domain/codes.ts';
import { invalid } from '../../domain/errors.ts';
import type {
  RegisterDecision,
  RegisterSourceLine,
  RegisterSourceParty,
  RegisterSourceRecord,
} from '../../domain/reporting.ts';
import { buildAggregateTable, checkCell, type AggregateUnit } from './aggregate-table.ts';
import type { DescriptionVocabulary } from './description-vocabulary.ts';
import { isInPeriod, previousPeriods, type ReportPeriod } from './period.ts';
import {
  checkEligibility,
  computeCutoffs,
  registerOrderKey,
  toPublicRow,
  type EligibilityCutoffs,
  type RegisterNotice,
} from './public-register.ts';
import { publishes, type RedactionPolicy } from './redaction-policy.ts';
import {
  REPORT_FIELDS,
  REPORT_SCHEMA_VERSION,
  TABLE_IDS,
  type TableId,
  type PublicRegisterRow,
  type ReportShell,
  type TransparencyReport,
  type TrendPoint,
} from './report-model.ts';

export interface ReportAuthority {
  /** URL-safe id, e.g. `de-bafa`. */
  id: string;
  name: string;
  /** ISO 3166-1 alpha-2. */
  memberState: string;
}

export interface ReportOptions {
  period: ReportPeriod;
  policy: RedactionPolicy;
  vocabulary: DescriptionVocabulary;
  authority: ReportAuthority;
  /** The publication timestamp (ISO 8601); delays are measured to this date. No clock is read inside. */
  publishedAt: string;
  /** How many earlier periods of the same granularity the trend covers (their records must be in `records`). */
  previousPeriods: number;
  /** Revision number (1 for the first publication) and the correction note of a later revision. */
  revision?: { number: number; note: string | null };
  /**
   * The trend's earlier periods already reduced to groups (by the database, under `checkEligibility`'s rules): when
   * given, `records` need cover only the period itself and the earlier periods are counted from these groups.
   */
  earlierPeriodGroups?: readonly TrendGroup[];
}

/**
 * Publishable applications of one period reduced to what a trend point needs: counts and values per exporter and
 * per (cyber-surveillance, denied) pair. Many applications become a few hundred groups, so a year's trend does not
 * have to read every earlier application.
 */
export interface TrendGroup {
  periodId: string;
  exporterId: string;
  /** At least one line is a cyber-surveillance item. */
  cyberSurveillance: boolean;
  denied: boolean;
  applications: number;
  valueCents: number;
}

export interface ReportBuild {
  report: TransparencyReport;
  /** For the authority's review queue; never published. */
  notices: RegisterNotice[];
}

/**
 * What the report's totals, tables, trend and register order need of an application: a source record is one; so is
 * what a cache keeps of an application whose register row was rendered earlier (ADR 0009).
 */
export interface ReportFacts {
  applicationId: string;
  reference: string;
  memberState: string;
  receivedOn: string;
  decidedOn: string | null;
  decision: RegisterDecision;
  exporterId: string;
  destinationCountry: string;
  lines: readonly Pick<RegisterSourceLine, 'controlEntries' | 'cyberSurveillanceCategory' | 'valueEur'>[];
  parties: readonly Pick<RegisterSourceParty, 'role' | 'partyType'>[];
}

/**
 * Renders an application's register row once its place is known (`fallbackRowId` is the row id of a policy that
 * withholds the reference; problems found while rendering go to `notices`).
 */
export type RenderRow<E, T> = (entry: E, fallbackRowId: string, notices: RegisterNotice[]) => T;

/** A report assembled from entries: everything but the register, and the register's rows as the entries rendered them. */
export interface AssembledReport<T> {
  shell: ReportShell;
  register: T[];
  notices: RegisterNotice[];
}

/** The period an application belongs to: its decision date, or its receipt date while pending. */
export const reportingDateOf = (r: Pick<ReportFacts, 'decision' | 'receivedOn' | 'decidedOn'>): string =>
  r.decision === 'pending' ? r.receivedOn : (r.decidedOn ?? r.receivedOn);

const NOT_LISTED = 'not-listed';
const humanLabel = (key: readonly string[]): string => key.join(' / ').replaceAll('_', ' ');
const cents = (v: number): number => Math.round(v * 100);

/** The party that describes the end user: end user, else ultimate end user, else consignee. */
export function primaryEndUser<P extends Pick<RegisterSourceParty, 'role'>>(
  parties: readonly P[],
): P | undefined {
  for (const role of ['end_user', 'ultimate_end_user', 'consignee'] as const) {
    const p = parties.find((x) => x.role === role);
    if (p) return p;
  }
  return undefined;
}

/** Units of an (application, item) table: one per distinct item key, its value the sum of the matching lines. */
function itemUnits(
  r: ReportFacts,
  keyOf: (line: ReportFacts['lines'][number]) => string[] | null,
): AggregateUnit[] {
  const byKey = new Map<string, AggregateUnit>();
  for (const line of r.lines) {
    const key = keyOf(line);
    if (key === null) continue;
    const k = key.join('\u0000');
    const unit = byKey.get(k) ?? { key, exporterId: r.exporterId, valueCents: 0 };
    unit.valueCents += cents(line.valueEur);
    byKey.set(k, unit);
  }
  return [...byKey.values()];
}

const applicationCents = (r: ReportFacts): number => r.lines.reduce((s, l) => s + cents(l.valueEur), 0);

/**
 * The trend groups of one period's publishable records (what the database computes for earlier periods).
 * @example trendGroupsOf('2025', eligible).reduce((n, g) => n + g.applications, 0) === eligible.length
 */
export function trendGroupsOf(periodId: string, records: readonly ReportFacts[]): TrendGroup[] {
  return mergeTrendGroups(
    records.map((r) => ({
      periodId,
      exporterId: r.exporterId,
      cyberSurveillance: r.lines.some((l) => l.cyberSurveillanceCategory !== null),
      denied: r.decision === 'denied',
      applications: 1,
      valueCents: applicationCents(r),
    })),
  );
}

/**
 * Adds up groups with the same period, exporter and flags (first-seen order); the inputs are not changed.
 * @example mergeTrendGroups([a, a]).length === 1
 */
export function mergeTrendGroups(groups: Iterable<TrendGroup>): TrendGroup[] {
  const out = new Map<string, TrendGroup>();
  for (const g of groups) {
    const k = `${g.periodId}\u0000${g.exporterId}\u0000${g.cyberSurveillance ? 1 : 0}${g.denied ? 1 : 0}`;
    const sum = out.get(k);
    if (sum) {
      sum.applications += g.applications;
      sum.valueCents += g.valueCents;
    } else out.set(k, { ...g });
  }
  return [...out.values()];
}

/** A trend group of applications not yet assigned to a period (see `ReportPartial`). */
export type PartialTrendGroup = Omit<TrendGroup, 'periodId'>;

/**
 * Some of a period's applications (e.g. one month of decisions, as a cache keeps it: ADR 0009) reduced to what the
 * report's summary, aggregate tables and trend need of them. Partials add up: the tables of several partials are the
 * tables of their applications together, exactly (units carry counts; values are whole cents).
 */
export interface ReportPartial {
  /** Publishable applications, their value, and those with a cyber-surveillance item. */
  applications: number;
  valueCents: number;
  cyberSurveillanceApplications: number;
  /** Applications of the period the policy's delay still withholds. */
  withheldByDelay: number;
  /** Eligibility notices (e.g. decided without a decision date), by reference. */
  notices: RegisterNotice[];
  /** Per aggregate table, its units reduced by key and exporter (each with its count of applications). */
  units: Record<TableId, AggregateUnit[]>;
  /** The period's trend groups, without the period. */
  trend: PartialTrendGroup[];
}

/** Adds units with the same key and exporter together. */
function reduceUnits(units: Iterable<AggregateUnit>): AggregateUnit[] {
  const out = new Map<string, AggregateUnit & { applications: number }>();
  for (const u of units) {
    const k = `${u.key.join('\u0000')}\u0000\u0000${u.exporterId}`;
    const sum = out.get(k);
    if (sum) {
      sum.applications += u.applications ?? 1;
      sum.valueCents += u.valueCents;
    } else
      out.set(k, {
        key: u.key,
        exporterId: u.exporterId,
        valueCents: u.valueCents,
        applications: u.applications ?? 1,
      });
  }
  return [...out.values()];
}

/** The units of each aggregate table of one publishable application. */
function unitsOf(r: ReportFacts): Record<TableId, AggregateUnit[]> {
  const whole = (key: string[]): AggregateUnit[] => [
    { key, exporterId: r.exporterId, valueCents: applicationCents(r) },
  ];
  return {
    byControlEntry: itemUnits(r, (l) => [l.controlEntries[0] ?? NOT_LISTED]),
    byDestination: whole([r.destinationCountry]),
    byEndUserType: whole([primaryEndUser(r.parties)?.partyType ?? 'unknown']),
    byDecision: whole([r.decision]),
    cyberSurveillance: itemUnits(r, (l) =>
      l.cyberSurveillanceCategory === null
        ? null
        : [
            l.controlEntries[0] ?? NOT_LISTED,
            l.cyberSurveillanceCategory,
            r.memberState,
            r.destinationCountry,
            r.decision,
          ],
    ),
  };
}

/** Which of the entries in `period` the policy publishes as of `publishedAt`, how many its delay withholds, and why others are left out. */
export function eligibleOf<E extends ReportFacts>(
  entries: readonly E[],
  period: ReportPeriod,
  policy: RedactionPolicy,
  publishedAt: string,
  cutoffs: EligibilityCutoffs = computeCutoffs(policy, publishedAt),
): { eligible: E[]; withheldByDelay: number; notices: RegisterNotice[] } {
  const notices: RegisterNotice[] = [];
  const eligible: E[] = [];
  let withheldByDelay = 0;
  for (const r of entries) {
    if (!isInPeriod(reportingDateOf(r), period)) continue;
    const e = checkEligibility(r, policy, publishedAt, cutoffs);
    if (e.publishable) eligible.push(r);
    else if (e.reason === 'delay') withheldByDelay += 1;
    else if (e.reason === 'no_decision_date')
      notices.push({ reference: r.reference, reason: 'decided without a decision date; not published.' });
  }
  return { eligible, withheldByDelay, notices };
}

/**
 * Reduces entries to a partial of `period`'s report under the policy as of `publishedAt`, and gives the publishable
 * ones in the order of the entries (entries outside the period are left out).
 * @example reportPartialOf(records, parsePeriod('2025'), policy, '2026-06-30T12:00:00Z').partial.applications
 */
export function reportPartialOf<E extends ReportFacts>(
  entries: readonly E[],
  period: ReportPeriod,
  policy: RedactionPolicy,
  publishedAt: string,
  cutoffs: EligibilityCutoffs = computeCutoffs(policy, publishedAt),
): { partial: ReportPartial; eligible: E[] } {
  const { eligible, withheldByDelay, notices } = eligibleOf(entries, period, policy, publishedAt, cutoffs);
  const units: Record<TableId, AggregateUnit[][]> = {
    byControlEntry: [],
    byDestination: [],
    byEndUserType: [],
    byDecision: [],
    cyberSurveillance: [],
  };
  let valueCents = 0;
  let cyber = 0;
  for (const r of eligible) {
    const u = unitsOf(r);
    for (const id of TABLE_IDS) units[id].push(u[id]);
    valueCents += applicationCents(r);
    if (r.lines.some((l) => l.cyberSurveillanceCategory !== null)) cyber += 1;
  }
  const reduced = Object.fromEntries(TABLE_IDS.map((id) => [id, reduceUnits(units[id].flat())])) as Record<
    TableId,
    AggregateUnit[]
  >;
  return {
    partial: {
      applications: eligible.length,
      valueCents,
      cyberSurveillanceApplications: cyber,
      withheldByDelay,
      notices,
      units: reduced,
      trend: trendGroupsOf(period.id, eligible).map(({ periodId: _, ...g }) => g),
    },
    eligible,
  };
}

/** The sum of partials (see `ReportPartial`). */
export function mergePartials(partials: readonly ReportPartial[]): ReportPartial {
  const stable = (a: RegisterNotice, b: RegisterNotice) =>
    a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0;
  return {
    applications: partials.reduce((n, p) => n + p.applications, 0),
    valueCents: partials.reduce((n, p) => n + p.valueCents, 0),
    cyberSurveillanceApplications: partials.reduce((n, p) => n + p.cyberSurveillanceApplications, 0),
    withheldByDelay: partials.reduce((n, p) => n + p.withheldByDelay, 0),
    notices: partials.flatMap((p) => p.notices).sort(stable),
    units: Object.fromEntries(TABLE_IDS.map((id) => [id, partials.flatMap((p) => p.units[id])])) as Record<
      TableId,
      AggregateUnit[]
    >,
    trend: partials.flatMap((p) => p.trend),
  };
}

/**
 * Builds the report for one period. Records outside the period (and its trend periods) are ignored; input order
 * does not matter. Throws INVALID when the authority's Member State is not the records' Member State.
 * @example buildTransparencyReport(records, { period: parsePeriod('2025-Q4'), policy, vocabulary, authority, publishedAt: '2026-02-01T09:00:00Z', previousPeriods: 4 }).report.tables.byDecision
 */
export function buildTransparencyReport(
  records: readonly RegisterSourceRecord[],
  options: ReportOptions,
): ReportBuild {
  const { policy, vocabulary } = options;
  const built = assembleTransparencyReport(
    records,
    (r, rowId, notices) => toPublicRow(r, policy, vocabulary, rowId, notices),
    options,
  );
  return { report: withRegister(built.shell, built.register), notices: built.notices };
}

/** The report of a shell and its register rows, its fields in the model's order. */
export const withRegister = (shell: ReportShell, register: PublicRegisterRow[]): TransparencyReport =>
  Object.fromEntries(
    REPORT_FIELDS.map((k) => [k, k === 'register' ? register : shell[k as keyof ReportShell]]),
  ) as TransparencyReport;

/** Deterministic order of applications: by reference, then internal id (input order never matters). */
const byReference = (x: ReportFacts, y: ReportFacts): number =>
  x.reference < y.reference
    ? -1
    : x.reference > y.reference
      ? 1
      : x.applicationId < y.applicationId
        ? -1
        : x.applicationId > y.applicationId
          ? 1
          : 0;

/**
 * Builds the report of one period from its entries, each application's register row rendered by its entry (as an
 * object, or as forms: see `RenderRow`): the work of `buildTransparencyReport`, whatever the row's form. Entries
 * outside the period (and its trend periods) are ignored; input order does not matter. `kept` are partials of other
 * applications of the period (months a cache holds, ADR 0009): they count in the summary, tables and trend, and their
 * rows are not in the returned register; their eligibility notices come first with the entries', by reference.
 */
export function assembleTransparencyReport<E extends ReportFacts, T>(
  entries: readonly E[],
  render: RenderRow<E, T>,
  options: ReportOptions,
  kept: readonly ReportPartial[] = [],
  /** False when `kept` already counts the entries too (partials made apart, e.g. one per month to keep): they are then only rendered. */
  countEntries = true,
): AssembledReport<T> {
  const { period, policy, vocabulary, authority, publishedAt } = options;
  const sorted = [...entries].sort(byReference);
  const foreign = sorted.find((r) => r.memberState !== authority.memberState);
  if (foreign) {
    throw invalid(
      `Record ${foreign.reference} is from Member State ${foreign.memberState}, not the authority's ${authority.memberState}.`,
      [{ path: 'records.memberState', message: 'one report covers one Member State authority' }],
    );
  }
  const cutoffs = computeCutoffs(policy, publishedAt);
  // The entries are counted here unless `kept` already counts them; either way they are rendered.
  const own = countEntries ? reportPartialOf(sorted, period, policy, publishedAt, cutoffs) : null;
  const eligible = own ? own.eligible : eligibleOf(sorted, period, policy, publishedAt, cutoffs).eligible;
  const all =
    own === null
      ? mergePartials(kept)
      : kept.length === 0
        ? own.partial
        : mergePartials([own.partial, ...kept]);
  const notices: RegisterNotice[] = [...all.notices];

  const registerOrder = eligible
    .map((r) => ({ r, k: registerOrderKey(r) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  const register = registerOrder.map(({ r }, i) => render(r, `row-${i + 1}`, notices));

  const rules = policy.aggregation;
  const values = publishes(policy, 'lines.valueEur');
  const entryLabel = (key: readonly string[]) => (key[0] === NOT_LISTED ? 'Not listed (catch-all)' : key[0]!);
  const countryLabel = (key: readonly string[]) => `${countryName(key[0]!)} (${key[0]})`;
  const notes: string[] = [
    'An application belongs to the period of its decision date; a pending one to the period in which it was received.',
    'Values are in euro (EUR) as stated in the application, rounded to the cent.',
    `Cells with fewer than ${rules.minApplicationsPerCell} applications or ${rules.minExportersPerCell} exporters, or where one exporter holds more than ${Math.round(rules.maxSingleExporterValueShare01 * 100)}% of the value, are merged into "Other".`,
  ];
  const withheldTable = (id: string, title: string, unit: string, dimensions: string[], field: string) => ({
    id,
    title,
    unit,
    dimensions,
    rows: [],
    total: { applications: null, valueEur: null },
    suppressed: true,
    reasons: [`Not published: the redaction policy withholds ${field}.`],
  });

  const byControlEntry = publishes(policy, 'lines.controlEntries')
    ? buildAggregateTable(
        all.units.byControlEntry,
        {
          id: 'byControlEntry',
          title: 'Applications by control list entry',
          unit: 'application per control list entry (an application with items under several entries counts once under each)',
          dimensions: ['controlEntry'],
          labelOf: entryLabel,
          publishValues: values,
        },
        rules,
      )
    : withheldTable(
        'byControlEntry',
        'Applications by control list entry',
        'application per control list entry',
        ['controlEntry'],
        'lines.controlEntries',
      );

  const byDestination = publishes(policy, 'destinationCountry')
    ? buildAggregateTable(
        all.units.byDestination,
        {
          id: 'byDestination',
          title: 'Applications by destination',
          unit: 'application',
          dimensions: ['destinationCountry'],
          labelOf: countryLabel,
          publishValues: values,
        },
        rules,
      )
    : withheldTable(
        'byDestination',
        'Applications by destination',
        'application',
        ['destinationCountry'],
        'destinationCountry',
      );

  const byEndUserType = publishes(policy, 'parties.partyType')
    ? buildAggregateTable(
        all.units.byEndUserType,
        {
          id: 'byEndUserType',
          title: 'Applications by end-user type',
          unit: 'application (its end user, else ultimate end user, else consignee)',
          dimensions: ['endUserType'],
          labelOf: humanLabel,
          publishValues: values,
        },
        rules,
      )
    : withheldTable(
        'byEndUserType',
        'Applications by end-user type',
        'application',
        ['endUserType'],
        'parties.partyType',
      );

  const byDecision = publishes(policy, 'decision')
    ? buildAggregateTable(
        all.units.byDecision,
        {
          id: 'byDecision',
          title: 'Applications by decision',
          unit: 'application',
          dimensions: ['decision'],
          labelOf: humanLabel,
          publishValues: values,
        },
        rules,
      )
    : withheldTable('byDecision', 'Applications by decision', 'application', ['decision'], 'decision');

  const cyberDims = ['controlEntry', 'category', 'memberState', 'destinationCountry', 'decision'];
  const cyberFields = [
    'lines.controlEntries',
    'lines.cyberSurveillanceCategory',
    'memberState',
    'destinationCountry',
    'decision',
  ] as const;
  const cyberWithheld = cyberFields.find((f) => !publishes(policy, f));
  const cyberSurveillance =
    cyberWithheld === undefined
      ? buildAggregateTable(
          all.units.cyberSurveillance,
          {
            id: 'cyberSurveillance',
            title:
              'Cyber-surveillance items: applications by item, Member State, destination and decision (Art. 26(2))',
            unit: 'application per cyber-surveillance item',
            dimensions: cyberDims,
            publishValues: values,
          },
          rules,
        )
      : withheldTable(
          'cyberSurveillance',
          'Cyber-surveillance items (Art. 26(2))',
          'application per cyber-surveillance item',
          cyberDims,
          cyberWithheld,
        );

  const trendOf = (p: ReportPeriod, groups: readonly PartialTrendGroup[]): TrendPoint => {
    const cell = (subset: readonly PartialTrendGroup[]) => {
      const exporterCents = new Map<string, number>();
      let applications = 0;
      let valueCents = 0;
      for (const g of subset) {
        applications += g.applications;
        valueCents += g.valueCents;
        exporterCents.set(g.exporterId, (exporterCents.get(g.exporterId) ?? 0) + g.valueCents);
      }
      const ok = applications === 0 || checkCell({ applications, valueCents, exporterCents }, rules) === null;
      return { ok, applications, valueCents };
    };
    const total = cell(groups);
    const cyber = cell(groups.filter((g) => g.cyberSurveillance));
    const denied = cell(groups.filter((g) => g.denied));
    return {
      period: p.id,
      applications: total.ok ? total.applications : null,
      valueEur: total.ok && values ? total.valueCents / 100 : null,
      cyberSurveillanceApplications:
        cyber.ok && publishes(policy, 'lines.cyberSurveillanceCategory') ? cyber.applications : null,
      denied: denied.ok && publishes(policy, 'decision') ? denied.applications : null,
    };
  };
  const earlier = options.earlierPeriodGroups;
  // Without groups counted by the database, the earlier periods' applications are among the entries.
  const earlierGroupsOf = (p: ReportPeriod): TrendGroup[] => {
    const inP = eligibleOf(sorted, p, policy, publishedAt, cutoffs);
    notices.push(...inP.notices);
    return trendGroupsOf(p.id, inP.eligible);
  };
  const trends = [
    ...previousPeriods(period, options.previousPeriods).map((p) =>
      trendOf(p, earlier ? earlier.filter((g) => g.periodId === p.id) : earlierGroupsOf(p)),
    ),
    trendOf(period, all.trend),
  ];
  if (
    trends.some(
      (t) => t.applications === null || t.denied === null || t.cyberSurveillanceApplications === null,
    )
  ) {
    notes.push("A trend figure is empty where that period's group is too small to publish under the policy.");
  }

  const shell: ReportShell = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    reportId: `${authority.id}/${period.id}`,
    authority: { id: authority.id, name: authority.name, memberState: authority.memberState },
    period: { id: period.id, granularity: period.granularity, startOn: period.startOn, endOn: period.endOn },
    revision: options.revision ?? { number: 1, note: null },
    publishedAt,
    policy: { id: policy.id, version: policy.version },
    vocabulary: { id: vocabulary.id, version: vocabulary.version },
    summary: {
      applications: all.applications,
      valueEur: values ? all.valueCents / 100 : null,
      cyberSurveillanceApplications: publishes(policy, 'lines.cyberSurveillanceCategory')
        ? all.cyberSurveillanceApplications
        : null,
      withheldByDelay: all.withheldByDelay,
    },
    tables: { byControlEntry, byDestination, byEndUserType, byDecision, cyberSurveillance },
    trends,
    notes,
  };
  return { shell, register, notices };
}
