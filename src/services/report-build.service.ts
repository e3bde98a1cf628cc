/**
 * Builds a period report's files with the cache of register blocks (ADR 0009): each month of decisions whose
 * applications, records, parties, policy and vocabulary are those a kept block was made from is taken from the cache
 * (its rows' text, its sheet rows already compressed, its applications' facts), and only the other months are read
 * and rendered, then kept. The trend's earlier periods are taken from it month by month too (each month's trend
 * groups, kept under the month's digest); their open applications are counted in the database. The files are byte for
 * byte those of `buildPeriodReport` and `renderPublicationFiles` (tested), the redaction guard checks the whole report
 * against confidential values read fresh, and the cache is never a source: without it (switched off, deleted, or under
 * a policy that withholds the reference or the decision date, whose rows depend on their place) the report is built
 * from the database as before.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Principal } from '../domain/model.ts';
import type { RegisterSourceRecord } from '../domain/reporting.ts';
import {
  assembleTransparencyReport,
  computeCutoffs,
  previousPeriods,
  registerBlockOf,
  registerSourceOfBlocks,
  registerSourceOf,
  renderRegisterBlock,
  reportPartialOf,
  renderReportFilesFrom,
  renderReportFilesTo,
  toPublicRow,
  type PublicRegisterRow,
  type RegisterBlock,
  type RegisterNotice,
  type RegisterSource,
  type RenderOptions,
  type ReportFormat,
  type ReportPeriod,
  type ReportShell,
  type TransparencyReport,
  withRegister,
  mergeTrendGroups,
  type PartialTrendGroup,
  type TrendGroup,
} from '../engines/reporting/index.ts';
import { parsePeriod } from '../engines/reporting/period.ts';
import { requireRole } from './authorization.ts';
import type { Db, ServiceContext } from './context.ts';
import {
  defaultPublicationPolicies,
  type PublicationPolicies,
} from './publication/publication-policy.loader.ts';
import {
  RegisterBlockCache,
  type CachedMonth,
  type CachedMonthMeta,
} from './publication/register-block.cache.ts';
import {
  inSnapshot,
  readMonthDigests,
  readRecordsWithReferences,
  readMonthTrendGroups,
  readReferences,
  readTrendGroups,
  type SourceReferences,
  type TrendOptions,
} from './publication/register-source.reader.ts';
import {
  authorityOf,
  buildPeriodReport,
  isoSeconds,
  parseReportPeriod,
  publicationRenderOptions,
  publishedStrings,
  RedactionGuard,
  refusedLeaks,
} from './publication.service.ts';
import { ReportFolderWriter } from './publication/report-folder.writer.ts';

/**
 * The version of what a kept block holds and how its rows are rendered: part of every key. Raise it with any change to
 * the register's row rendering (`toPublicRow`, `csvLine`, `sheetRowXml`, the JSON lines) or to `CachedMonthMeta`; the
 * golden digests of `src/engines/reporting/golden-bytes.test.ts` fail on such a change, as a reminder.
 */
export const REGISTER_BLOCK_VERSION = 1;

/** What a build says besides its files. */
export interface ReportBuildOutcome {
  shell: ReportShell;
  notices: RegisterNotice[];
  registerRows: number;
  /**
   * Months of decisions in the period, how many came from the cache and how many were rendered now; the months of the
   * trend's earlier periods and how many of their counts came from the cache; why the cache was not used (if not), and
   * what it could not keep (the report is whole all the same).
   */
  cache: {
    months: number;
    reused: number;
    rendered: number;
    trendMonths: number;
    trendReused: number;
    unused: string | null;
    unkept: string[];
  };
}

/** A build's files in memory. */
export interface BuiltReportFiles extends ReportBuildOutcome {
  files: Map<string, Uint8Array>;
}

/** A build's files written into a folder. */
export interface WrittenReportFiles extends ReportBuildOutcome {
  dir: string;
  /** The files written, by name, sorted. */
  names: string[];
}

export interface ReportBuildInput {
  period: string;
  formats: readonly ReportFormat[];
  policies?: PublicationPolicies;
  /** Told once the database is read: applications read now, and months taken from the cache. */
  onRead?: (read: {
    applications: number;
    monthsReused: number;
    months: number;
    trendMonthsReused: number;
    trendMonths: number;
  }) => void;
}

/** Renders the built report (its shell and its register's source) wherever the caller wants the files. */
type RenderInto = (shell: ReportShell, register: RegisterSource, options: RenderOptions) => Promise<void>;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Why the cache cannot serve this build, or null. */
function cacheUnusable(ctx: ServiceContext, policies: PublicationPolicies): string | null {
  if (ctx.config.reportCacheDir === null) return 'switched off (CUSTOS_REPORT_CACHE_DIR=off)';
  const fields = policies.redaction.fields;
  if (fields.reference?.publish !== true)
    return 'the policy withholds the reference, so a row id is its place in the register';
  if (fields.decidedOn?.publish !== true)
    return 'the policy withholds the decision date, so the register is not in blocks by month';
  return null;
}

/**
 * Everything a block depends on besides its applications' records and parties: the format's version, the zlib that
 * compressed its sheets, the redaction policy, the vocabulary and the authority (its Member State is in every row).
 */
function formKey(ctx: ServiceContext, policies: PublicationPolicies): string {
  return sha256(
    JSON.stringify({
      version: REGISTER_BLOCK_VERSION,
      zlib: process.versions.zlib,
      policy: policies.redaction,
      vocabulary: {
        id: policies.vocabulary.id,
        version: policies.vocabulary.version,
        entries: [...policies.vocabulary.byCode.values()],
      },
      authority: authorityOf(ctx),
    }),
  );
}

const lastDayOfMonth = (month: string): string => parsePeriod(month).endOn;

/**
 * What the policy's delay leaves of a month on the day of publication: all of it, none of it, or the decisions up to
 * the cutoff (a block holds the month's publishable rows).
 */
function monthCut(month: string, decidedOnOrBefore: string): string {
  if (decidedOnOrBefore >= lastDayOfMonth(month)) return 'all';
  if (decidedOnOrBefore < `${month}-01`) return 'none';
  return decidedOnOrBefore;
}

/**
 * Digest of what a register row shows of the parties (type, country, name; the order of a row's parties follows them
 * too), from each party's digest as read: a changed, removed or added party changes it.
 */
function partiesDigestOf(partyIds: readonly string[], parties: SourceReferences['parties']): string {
  const hash = createHash('md5');
  for (const id of partyIds) hash.update(`${id}:${parties.get(id)?.digest ?? 'missing'}\n`);
  return hash.digest('hex');
}

/** A month read from the database in this build. */
interface FreshMonth {
  month: string;
  key: string;
  records: RegisterSourceRecord[];
  references: SourceReferences;
}

interface Plan {
  cached: CachedMonth[];
  fresh: FreshMonth[];
  pending: RegisterSourceRecord[];
  /** Items, parties and organisations named by the cached months, read now for the guard. */
  cachedReferences: SourceReferences;
  earlierPeriodGroups: TrendGroup[];
  /** The earlier periods' months: how many, how many from the cache, and those counted now, to be kept. */
  trendMonths: {
    months: number;
    reused: number;
    counted: { month: string; key: string; groups: PartialTrendGroup[] }[];
  };
}

/**
 * Builds the period's report files in memory, reusing the months kept in the cache and keeping the months rendered now.
 * Staff or system only. Byte for byte the files of `buildPeriodReport` rendered by `renderPublicationFiles`.
 * @example await buildPeriodReportFiles(ctx, system, { period: '2025', formats: ['json', 'csv', 'xlsx'] })
 */
export async function buildPeriodReportFiles(
  ctx: ServiceContext,
  actor: Principal,
  input: ReportBuildInput,
): Promise<BuiltReportFiles> {
  let files = new Map<string, Uint8Array>();
  const outcome = await buildInto(ctx, actor, input, async (shell, register, options) => {
    files = await renderReportFilesFrom(shell, register, options);
  });
  return { ...outcome, files };
}

/**
 * Builds the period's report files as `buildPeriodReportFiles` does (the same bytes) and writes them into `dir` as they
 * are rendered (see `ReportFolderWriter`): all of them, replacing files of the same names, or none if the build fails.
 * What `custos report build` does.
 * @example await writePeriodReportFiles(ctx, system, { period: '2025', formats: ['json', 'csv'], dir: 'out' })
 */
export async function writePeriodReportFiles(
  ctx: ServiceContext,
  actor: Principal,
  input: ReportBuildInput & { dir: string },
): Promise<WrittenReportFiles> {
  // The folder is touched only once the report has passed the redaction guard (the build calls `render` then).
  const written: { writer?: ReportFolderWriter } = {};
  try {
    const outcome = await buildInto(ctx, actor, input, async (shell, register, options) => {
      written.writer = new ReportFolderWriter(input.dir);
      await renderReportFilesTo(shell, register, options, written.writer);
    });
    return { ...outcome, dir: input.dir, names: written.writer!.commit() };
  } catch (error) {
    written.writer?.abort();
    throw error;
  }
}

/** A build's report whole: its shell and every register row. */
export interface BuiltReportContent extends ReportBuildOutcome {
  report: TransparencyReport;
}

/**
 * Builds the period's report whole, as `buildPeriodReport` does (the same report: tested), but through the cache: the
 * months kept are read back from their rows' JSON, and the months read now are kept. What a draft stores; so the
 * scheduled drafts keep the cache warm for the builds and drafts that follow (a year's months are kept by its quarters').
 * @example const { report, notices } = await buildPeriodReportContent(ctx, system, { period: '2025-Q4' })
 */
export async function buildPeriodReportContent(
  ctx: ServiceContext,
  actor: Principal,
  input: Omit<ReportBuildInput, 'formats'>,
): Promise<BuiltReportContent> {
  let report: TransparencyReport | null = null;
  const outcome = await buildInto(ctx, actor, { ...input, formats: [] }, async (shell, register) => {
    report = withRegister(shell, [...register.rows()]);
  });
  return { ...outcome, report: report! };
}

async function buildInto(
  ctx: ServiceContext,
  actor: Principal,
  input: ReportBuildInput,
  render: RenderInto,
): Promise<ReportBuildOutcome> {
  requireRole(actor, 'officer', 'administrator');
  const period = parseReportPeriod(input.period);
  const policies = input.policies ?? defaultPublicationPolicies();
  const unusable = cacheUnusable(ctx, policies);
  if (unusable !== null) return buildWithoutCache(ctx, actor, input, period, policies, unusable, render);

  const cache = new RegisterBlockCache(ctx.config.reportCacheDir!);
  const publishedAt = isoSeconds(ctx.now());
  const cutoffs = computeCutoffs(policies.redaction, publishedAt);
  const authority = authorityOf(ctx);
  const form = formKey(ctx, policies);
  const plan = await inSnapshot(ctx.db, (trx) =>
    readPlan(trx, { period, policies, cutoffs, memberState: authority.memberState, form, cache }),
  );
  try {
    const months = plan.cached.length + plan.fresh.length;
    const options = {
      period,
      policy: policies.redaction,
      vocabulary: policies.vocabulary,
      authority,
      publishedAt,
      previousPeriods: policies.publication.previousPeriods[period.granularity],
      earlierPeriodGroups: plan.earlierPeriodGroups,
    };
    input.onRead?.({
      applications: plan.fresh.reduce((n, m) => n + m.records.length, 0) + plan.pending.length,
      monthsReused: plan.cached.length,
      months,
      trendMonthsReused: plan.trendMonths.reused,
      trendMonths: plan.trendMonths.months,
    });

    // The applications read now are the report's entries; the cached months count as the partials they keep.
    const entries: RegisterSourceRecord[] = [...plan.fresh.flatMap((m) => m.records), ...plan.pending];
    const partialOf = (records: readonly RegisterSourceRecord[]) =>
      reportPartialOf(records, period, policies.redaction, publishedAt, cutoffs).partial;
    const freshPartials = new Map(plan.fresh.map((m) => [m.month, partialOf(m.records)]));
    const pendingPartial = partialOf(plan.pending);
    // Rows are rendered into their blocks, each block's notices apart: a report's notices are its eligibility
    // notices, then the rows' in register order, and cached months' rows stand between the rows rendered now.
    const blocks = new Map<string, { rows: PublicRegisterRow[]; notices: RegisterNotice[] }>();
    const assembled = assembleTransparencyReport(
      entries,
      (record, fallbackRowId) => {
        const notices: RegisterNotice[] = [];
        const row = toPublicRow(record, policies.redaction, policies.vocabulary, fallbackRowId, notices);
        const key = registerBlockOf(row);
        const block = blocks.get(key) ?? { rows: [], notices: [] };
        blocks.set(key, block);
        block.rows.push(row);
        block.notices.push(...notices);
        return null;
      },
      options,
      // Every application is counted once, by the partial of its month (cached, or made now to be kept) or of the
      // open applications; the entries read now are only rendered.
      [...plan.cached.map((m) => m.meta.partial), ...freshPartials.values(), pendingPartial],
      false,
    );

    // The guard, report-wide: confidential values of every application, read now; the shell walked; each block's
    // published strings (a cached block's as kept, checked against today's values).
    const guard = guardOf(policies, plan);
    guard.assertClean(assembled.shell, 'report');
    for (const m of plan.cached) {
      if (m.meta.strings.some((s) => guard.leaks(s)))
        throw refusedLeaks([`register (decisions of ${m.meta.month}, from the cache)`]);
    }
    const strings = new Map([...blocks].map(([key, b]) => [key, publishedStrings(b.rows)]));
    for (const [key, b] of blocks) {
      if ([...strings.get(key)!].some((s) => guard.leaks(s))) guard.assertClean(b.rows, `register (${key})`);
    }
    // The ids of the cached months' applications are not read: every block's strings shaped like one are looked up.
    await assertNoIdsPublished(ctx, [...plan.cached.map((m) => m.meta.strings), ...[...strings.values()]]);
    const rendered = new Map<
      string,
      { block: RegisterBlock; strings: Set<string>; notices: RegisterNotice[] }
    >();
    for (const [key, b] of blocks) {
      rendered.set(key, {
        block: await renderRegisterBlock(b.rows),
        strings: strings.get(key)!,
        notices: b.notices,
      });
    }

    // Months read now are kept (those without a publishable row too: their partial counts what the delay withholds).
    const empty = await renderRegisterBlock([]);
    const unkept: string[] = [];
    for (const m of plan.fresh) {
      const made = rendered.get(m.month);
      const partyIds = [...m.references.parties.keys()].sort();
      const meta: CachedMonthMeta = {
        month: m.month,
        partial: freshPartials.get(m.month)!,
        notices: made?.notices ?? [],
        strings: [...(made?.strings ?? [])],
        partyIds,
        partiesDigest: partiesDigestOf(partyIds, m.references.parties),
        items: [...m.references.items.keys()],
        organisations: [...m.references.organisations.keys()],
      };
      try {
        cache.write(m.key, made?.block ?? empty, meta);
      } catch (error) {
        // A cache that cannot be written costs the next build time, never this one its report.
        unkept.push(`${m.month}: ${(error as Error).message}`);
      }
    }
    for (const m of plan.trendMonths.counted) {
      try {
        cache.writeTrend(m.key, m.groups);
      } catch (error) {
        unkept.push(`${m.month} (trend): ${(error as Error).message}`);
      }
    }
    cache.prune(ctx.now());

    // Blocks in register order: months of decisions, then the rows without a decision date.
    const ordered = [
      ...plan.cached.map((m) => ({ key: m.meta.month, block: m.block, notices: m.meta.notices })),
      ...[...rendered].map(([key, r]) => ({ key, block: r.block, notices: r.notices })),
    ].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const notices = [...assembled.notices, ...ordered.flatMap((b) => b.notices)];
    const source = registerSourceOfBlocks(ordered.map((b) => b.block));
    await render(assembled.shell, source, publicationRenderOptions(ctx, input.formats, policies));
    return {
      shell: assembled.shell,
      notices,
      registerRows: source.length,
      cache: {
        months,
        reused: plan.cached.length,
        rendered: plan.fresh.length,
        trendMonths: plan.trendMonths.months,
        trendReused: plan.trendMonths.reused,
        unused: null,
        unkept,
      },
    };
  } finally {
    for (const m of plan.cached) m.close();
  }
}

/** The guard's confidential values: every record read now, and the rows the cached months name, read now. */
function guardOf(policies: PublicationPolicies, plan: Plan): RedactionGuard {
  const guard = new RedactionGuard(policies);
  for (const m of plan.fresh) for (const r of m.records) guard.addRecord(r);
  for (const r of plan.pending) guard.addRecord(r);
  const refs = plan.cachedReferences;
  for (const o of refs.organisations.values()) guard.add(o.name);
  for (const i of refs.items.values()) guard.add(i.text);
  for (const p of refs.parties.values()) guard.addPartyName(p.name, p.party_type === 'individual');
  return guard;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The guard's check of internal ids (the cached months' applications are not read, so their ids are not in the guard's
 * values): an application's or an exporter's id is a UUID, so only a published string shaped like one could be one
 * (normally none is); those few are looked up.
 */
async function assertNoIdsPublished(ctx: ServiceContext, blocks: readonly Iterable<string>[]): Promise<void> {
  const shaped = new Set<string>();
  for (const strings of blocks) for (const s of strings) if (UUID.test(s)) shaped.add(s);
  if (shaped.size === 0) return;
  const ids = [...shaped];
  const found = await sql<{
    id: string;
  }>`select id::text as id from applications where id = any(${ids}::uuid[])
    union all select id::text from organisations where id = any(${ids}::uuid[])`.execute(ctx.db);
  if (found.rows.length > 0) throw refusedLeaks(['register (an internal id of an application or exporter)']);
}

/** Reads, in the report's snapshot, which months the cache holds as they are now, and everything else the report needs. */
async function readPlan(
  trx: Db,
  o: {
    period: ReportPeriod;
    policies: PublicationPolicies;
    cutoffs: ReturnType<typeof computeCutoffs>;
    memberState: string;
    form: string;
    cache: RegisterBlockCache;
  },
): Promise<Plan> {
  const { period, policies } = o;
  const reader = { memberState: o.memberState, vocabulary: policies.vocabulary };
  const earlierPeriods = previousPeriods(period, policies.publication.previousPeriods[period.granularity]);
  const trendOptions = {
    cutoffs: o.cutoffs,
    includeWithdrawn: policies.redaction.register.includeWithdrawn,
    vocabulary: policies.vocabulary,
  };
  // One digest query for the period's months and those of the earlier periods: a month of the trend whose records are
  // those its kept groups were counted from is not counted again.
  const fromOn = earlierPeriods.reduce((m, p) => (p.startOn < m ? p.startOn : m), period.startOn);
  const digests = await readMonthDigests(trx, { fromOn, toOn: period.endOn });
  const keyOf = (kind: 'register' | 'trend', d: { month: string; digest: string }) =>
    sha256(
      JSON.stringify([
        o.form,
        ...(kind === 'trend' ? ['trend'] : []),
        d.month,
        monthCut(d.month, o.cutoffs.decidedOnOrBefore),
        d.digest,
      ]),
    );
  const keyed = digests
    .filter((d) => d.month >= period.startOn.slice(0, 7))
    .map((d) => ({ month: d.month, key: keyOf('register', d) }));
  const opened = keyed.map((k) => ({ ...k, cached: o.cache.open(k.key) }));
  try {
    const earlier = await readEarlierTrend(trx, {
      earlierPeriods,
      months: digests
        .filter((d) => d.month < period.startOn.slice(0, 7))
        .map((d) => ({ month: d.month, key: keyOf('trend', d) })),
      trendOptions,
      cache: o.cache,
    });
    const cachedReferences = await readReferences(trx, {
      itemIds: opened.flatMap((m) => m.cached?.meta.items ?? []),
      partyIds: opened.flatMap((m) => m.cached?.meta.partyIds ?? []),
      organisationIds: opened.flatMap((m) => m.cached?.meta.organisations ?? []),
    });
    const cached: CachedMonth[] = [];
    const fresh: FreshMonth[] = [];
    for (const m of opened) {
      // A party changed since the block was made (its type, country or name): the month is rendered again.
      const sameParties =
        m.cached !== null &&
        partiesDigestOf(m.cached.meta.partyIds, cachedReferences.parties) === m.cached.meta.partiesDigest;
      if (m.cached !== null && sameParties) {
        cached.push(m.cached);
        continue;
      }
      m.cached?.close();
      const read = await readRecordsWithReferences(trx, {
        ...reader,
        fromOn: `${m.month}-01`,
        toOn: lastDayOfMonth(m.month),
        only: 'settled',
      });
      fresh.push({ month: m.month, key: m.key, ...read });
    }
    const pending = (
      await readRecordsWithReferences(trx, {
        ...reader,
        fromOn: period.startOn,
        toOn: period.endOn,
        only: 'open',
      })
    ).records;
    return { cached, fresh, pending, cachedReferences, ...earlier };
  } catch (error) {
    for (const m of opened) m.cached?.close();
    throw error;
  }
}

/**
 * The trend groups of the earlier periods: each month's settled applications from the cache, or counted now (and kept)
 * for the months not kept as they are; the open applications (pending, reported by receipt date) always counted now,
 * as few and without a digest. Equal to `readTrendGroups` over the same snapshot (tested).
 */
async function readEarlierTrend(
  trx: Db,
  o: {
    earlierPeriods: ReportPeriod[];
    months: { month: string; key: string }[];
    trendOptions: TrendOptions;
    cache: RegisterBlockCache;
  },
): Promise<Pick<Plan, 'earlierPeriodGroups' | 'trendMonths'>> {
  const none = { months: 0, reused: 0, counted: [] };
  if (o.earlierPeriods.length === 0) return { earlierPeriodGroups: [], trendMonths: none };
  // Periods are whole months (a year, a quarter or a month: parsePeriod), so each month is in one earlier period.
  const periodOf = (month: string) =>
    o.earlierPeriods.find((p) => p.startOn <= `${month}-01` && `${month}-01` <= p.endOn)?.id;
  const months = o.months.flatMap((m) => {
    const periodId = periodOf(m.month);
    return periodId === undefined ? [] : [{ ...m, periodId }];
  });
  const kept = months.map((m) => ({ ...m, groups: o.cache.openTrend(m.key) }));
  const missing = kept.filter((m) => m.groups === null);
  const counted = await readMonthTrendGroups(trx, { ...o.trendOptions, months: missing.map((m) => m.month) });
  const open = await readTrendGroups(trx, {
    earlierPeriods: o.earlierPeriods,
    ...o.trendOptions,
    only: 'open',
  });
  const byMonth = new Map<string, PartialTrendGroup[]>(missing.map((m) => [m.month, []]));
  for (const { periodId, ...g } of counted) byMonth.get(periodId)!.push(g);
  const groups: TrendGroup[] = [...open];
  for (const m of kept)
    for (const g of m.groups ?? byMonth.get(m.month)!) groups.push({ periodId: m.periodId, ...g });
  return {
    earlierPeriodGroups: mergeTrendGroups(groups),
    trendMonths: {
      months: months.length,
      reused: months.length - missing.length,
      counted: missing.map((m) => ({ month: m.month, key: m.key, groups: byMonth.get(m.month)! })),
    },
  };
}

/** The build without the cache: the report from the database, then its files. */
async function buildWithoutCache(
  ctx: ServiceContext,
  actor: Principal,
  input: ReportBuildInput,
  period: ReportPeriod,
  policies: PublicationPolicies,
  unused: string,
  render: RenderInto,
): Promise<ReportBuildOutcome> {
  const built = await buildPeriodReport(ctx, actor, {
    period: period.id,
    policies,
    onRead: (applications) =>
      input.onRead?.({ applications, monthsReused: 0, months: 0, trendMonthsReused: 0, trendMonths: 0 }),
  });
  const { register, ...shell } = built.report;
  await render(shell, registerSourceOf(register), publicationRenderOptions(ctx, input.formats, policies));
  return {
    shell,
    notices: built.notices,
    registerRows: register.length,
    cache: { months: 0, reused: 0, rendered: 0, trendMonths: 0, trendReused: 0, unused, unkept: [] },
  };
}
