/**
 * Publication: builds periodic transparency reports from the database with the reporting engine, runs them through a
 * review queue (draft -> approved -> published), stores each published revision immutably with its files, keeps the
 * public register as published, and serves reports, files, the Atom feed and the register to the public.
 */
import { CountryCode } from '../contracts/common.ts';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql, type Selectable } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema.ts';
import { conflict, DomainError, invalid, notFound, staleVersion, requiredIssue } from '../domain/errors.ts';
import type { Principal } from '../domain/model.ts';
import type { RegisterSourceRecord } from '../domain/reporting.ts';
import {
  buildTransparencyReport,
  computeCutoffs,
  digestReportContent,
  parsePeriod,
  planPublication,
  previousPeriods,
  renderAtomFeed,
  renderReportFiles,
  REPORT_FORMATS,
  stepPeriod,
  transparencyReportSchema,
  type PublicationRevision,
  type RegisterNotice,
  type ReportAuthority,
  type ReportFormat,
  type ReportPeriod,
  type RenderOptions,
  type TransparencyReport,
  type TrendGroup,
} from '../engines/reporting/index.ts';
import { addDays } from '../engines/reporting/period.ts';
import { primaryEndUser } from '../engines/reporting/transparency-report.ts';
import type { RecurringJob } from '../jobs/recurring.ts';
import { appendAudit } from './audit.service.ts';
import { actorOf, requireRole } from './authorization.ts';
import type { ServiceContext, Tx } from './context.ts';
import {
  defaultPublicationPolicies,
  type PublicationPolicies,
} from './publication/publication-policy.loader.ts';
import { readReportSource } from './publication/register-source.reader.ts';
import { buildPeriodReportContent } from './report-build.service.ts';
import { parseInput } from './validation.ts';

export const PUBLICATION_SCHEDULE_QUEUE = 'publication.schedule';

/** Media type of each published file name. */
export function mediaTypeOf(name: string): string {
  if (name.endsWith('.schema.json')) return 'application/schema+json';
  if (name.endsWith('.json')) return 'application/json';
  if (name.endsWith('.csv')) return 'text/csv; charset=utf-8';
  if (name.endsWith('.xlsx')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  if (name.endsWith('.html')) return 'text/html; charset=utf-8';
  if (name.endsWith('.pdf')) return 'application/pdf';
  if (name.endsWith('.atom')) return 'application/atom+xml; charset=utf-8';
  return 'application/octet-stream';
}

const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
/** A timestamp to the second (ISO 8601, UTC): a report's publication time. */
export const isoSeconds = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The reporting authority of this instance: a URL-safe id from its country and name. */
export function authorityOf(ctx: ServiceContext): ReportAuthority {
  const { name, country } = ctx.config.authority;
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return { id: `${country.toLowerCase()}-${slug || 'authority'}`, name, memberState: country };
}

/** Parses the period text, refusing anything else with the reason (INVALID naming `period`). */
export const parseReportPeriod = (text: unknown): ReportPeriod => {
  if (typeof text !== 'string') throw invalid('A period is required.', [requiredIssue('period')]);
  return parsePeriod(text);
};

/**
 * Service-level redaction guard: no public string of the report may equal a confidential value of its source
 * (internal id, exporter identity, the exporter's item text, a natural person's name, or any party name the policy
 * withholds). The engine already withholds them; this check refuses to go on if it ever did not. Values compare
 * trimmed and case-folded; confidential values shorter than three characters are not checked.
 */
export class RedactionGuard {
  private readonly secret = new Set<string>();
  private readonly legalNames: boolean;

  constructor(policies: PublicationPolicies) {
    this.legalNames = policies.redaction.fields['parties.name.legalPerson']?.publish === true;
  }

  /** A confidential value. */
  add(value: string): void {
    const t = value.trim();
    if (t.length >= 3) this.secret.add(t.toLowerCase());
  }

  /** A party's name, confidential when it names a natural person or the policy withholds legal persons' names. */
  addPartyName(name: string, naturalPerson: boolean): void {
    if (naturalPerson || !this.legalNames) this.add(name);
  }

  /** Every confidential value of a source record. */
  addRecord(r: RegisterSourceRecord): void {
    this.add(r.applicationId);
    this.add(r.exporterName);
    this.add(r.exporterId);
    for (const l of r.lines) this.add(l.confidentialDescription);
    for (const p of r.parties) this.addPartyName(p.name, p.naturalPerson || p.partyType === 'individual');
  }

  /** Whether a published string (as `publishedStrings` gives it: trimmed and case-folded) is confidential. */
  leaks(normalized: string): boolean {
    return this.secret.has(normalized);
  }

  /**
   * Refuses `value` (the report, or part of it, at `root`) if any string in it is confidential, naming where.
   * @example guard.assertClean(report, 'report')
   */
  assertClean(value: unknown, root: string): void {
    // A fast pass first over each distinct string (most repeat: countries, decisions, descriptions); no path is
    // tracked unless something leaks (a million-row register has tens of millions of values).
    if (![...publishedStrings([value])].some((v) => this.leaks(v))) return;
    const leaks: string[] = [];
    const path: (string | number)[] = [root];
    const visit = (v: unknown): void => {
      if (leaks.length >= 5) return;
      if (typeof v === 'string') {
        if (this.leaks(v.trim().toLowerCase())) leaks.push(path.join('.'));
      } else if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i += 1) {
          path.push(i);
          visit(v[i]);
          path.pop();
        }
      } else if (v && typeof v === 'object') {
        for (const k in v) {
          path.push(k);
          visit((v as Record<string, unknown>)[k]);
          path.pop();
        }
      }
    };
    visit(value);
    throw refusedLeaks(leaks);
  }
}

/** The refusal of a report that would publish confidential values. */
export function refusedLeaks(where: readonly string[]): DomainError {
  return new DomainError(
    'INVALID',
    `The report would publish confidential values at ${where.join(', ')}; refused.`,
    {
      issues: where.map((path) => ({ path, message: 'confidential value' })),
    },
  );
}

/**
 * Every distinct string in the values (objects and arrays walked), trimmed and case-folded as the guard compares
 * them: what a kept register block records of its rows so that the guard can check it again without them.
 * @example publishedStrings(rows).has('de')
 */
export function publishedStrings(values: Iterable<unknown>): Set<string> {
  const raw = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') raw.add(v);
    else if (Array.isArray(v)) for (let i = 0; i < v.length; i += 1) walk(v[i]);
    else if (typeof v === 'object' && v !== null) for (const k in v) walk((v as Record<string, unknown>)[k]);
  };
  for (const v of values) walk(v);
  const out = new Set<string>();
  for (const v of raw) out.add(v.trim().toLowerCase());
  return out;
}

/**
 * The guard over a whole report and the records it was built from.
 * @example assertReportRedacted(report, records, policies) // throws INVALID naming where a value leaks
 */
export function assertReportRedacted(
  report: TransparencyReport,
  records: readonly RegisterSourceRecord[],
  policies: PublicationPolicies,
): void {
  const guard = new RedactionGuard(policies);
  for (const r of records) guard.addRecord(r);
  guard.assertClean(report, 'report');
}

export interface BuiltReport {
  report: TransparencyReport;
  notices: RegisterNotice[];
  records: number;
}

/**
 * Builds the report of a period from the database as of now (delays measured to now). Staff or system only.
 * @example await buildPeriodReport(ctx, system, { period: '2025-Q4' })
 */
export async function buildPeriodReport(
  ctx: ServiceContext,
  actor: Principal,
  input: {
    period: string;
    policies?: PublicationPolicies;
    revision?: { number: number; note: string | null };
    /** Told when the source is read, before the (long, for a big register) build: for progress lines. */
    onRead?: (applications: number) => void;
  },
): Promise<BuiltReport> {
  requireRole(actor, 'officer', 'administrator');
  const period = parseReportPeriod(input.period);
  const policies = input.policies ?? defaultPublicationPolicies();
  const publishedAt = isoSeconds(ctx.now());
  const source = await readPeriodSource(ctx, period, policies, publishedAt);
  input.onRead?.(source.records.length);
  return buildReportFromSource(ctx, { period, policies, publishedAt, source, revision: input.revision });
}

export interface PeriodSource {
  records: RegisterSourceRecord[];
  earlierPeriodGroups: TrendGroup[];
}

/**
 * The database half of `buildPeriodReport` (separate so the benchmark can time it): the period's applications in
 * full and the trend's earlier periods only as groups counted in SQL, in one snapshot. No authorization here.
 */
export function readPeriodSource(
  ctx: ServiceContext,
  period: ReportPeriod,
  policies: PublicationPolicies,
  publishedAt: string,
): Promise<PeriodSource> {
  return readReportSource(ctx.db, {
    fromOn: period.startOn,
    toOn: period.endOn,
    memberState: authorityOf(ctx).memberState,
    vocabulary: policies.vocabulary,
    earlierPeriods: previousPeriods(period, policies.publication.previousPeriods[period.granularity]),
    cutoffs: computeCutoffs(policies.redaction, publishedAt),
    includeWithdrawn: policies.redaction.register.includeWithdrawn,
  });
}

/** The engine half of `buildPeriodReport`: builds the report from its source and refuses it if anything leaks. */
export function buildReportFromSource(
  ctx: ServiceContext,
  input: {
    period: ReportPeriod;
    policies: PublicationPolicies;
    publishedAt: string;
    source: PeriodSource;
    revision?: { number: number; note: string | null } | undefined;
  },
): BuiltReport {
  const { period, policies, source } = input;
  const build = buildTransparencyReport(source.records, {
    period,
    policy: policies.redaction,
    vocabulary: policies.vocabulary,
    authority: authorityOf(ctx),
    publishedAt: input.publishedAt,
    previousPeriods: policies.publication.previousPeriods[period.granularity],
    earlierPeriodGroups: source.earlierPeriodGroups,
    ...(input.revision && { revision: input.revision }),
  });
  assertReportRedacted(build.report, source.records, policies);
  return { report: build.report, notices: build.notices, records: source.records.length };
}

/** How this instance renders a report's files: its base URL and data licence. */
export function publicationRenderOptions(
  ctx: ServiceContext,
  formats: readonly ReportFormat[],
  policies: PublicationPolicies,
): RenderOptions {
  return { formats, baseUrl: ctx.config.publicUrl, licence: policies.publication.licence };
}

/** Renders the report's files with this instance's base URL and data licence. */
export function renderPublicationFiles(
  ctx: ServiceContext,
  report: TransparencyReport,
  formats: readonly ReportFormat[] = REPORT_FORMATS,
  policies: PublicationPolicies = defaultPublicationPolicies(),
): Promise<Map<string, Uint8Array>> {
  return renderReportFiles(report, publicationRenderOptions(ctx, formats, policies));
}

/** Parses `json,csv,...` into formats, refusing unknown ones. */
export function parseFormats(text: string): ReportFormat[] {
  const list = text
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const bad = list.filter((f) => !(REPORT_FORMATS as readonly string[]).includes(f));
  if (bad.length > 0 || list.length === 0) {
    throw invalid(`Unknown format ${bad.join(', ') || '(none)'}; use ${REPORT_FORMATS.join(', ')}.`, [
      { path: 'format', message: `one or more of ${REPORT_FORMATS.join(', ')}` },
    ]);
  }
  return [...new Set(list)] as ReportFormat[];
}

// ----- drafts and the review queue -----

export interface ReportDraftView {
  id: string;
  periodId: string;
  granularity: string;
  status: 'draft' | 'approved' | 'rejected' | 'published' | 'unchanged';
  applications: number;
  contentSha256: string;
  notices: { reference: string; reason: string }[];
  correctionNote: string | null;
  builtAt: string;
  builtBy: string;
  reviewedAt: string | null;
  reviewedBy: string | null;
  reviewNote: string | null;
  publishedRevision: number | null;
  version: number;
}

type DraftRow = {
  id: string;
  period_id: string;
  granularity: string;
  status: string;
  applications: number;
  content_sha256: string;
  notices: { reference: string; reason: string }[];
  correction_note: string | null;
  built_at: Date;
  built_by: string;
  reviewed_at: Date | null;
  reviewed_by: string | null;
  review_note: string | null;
  published_revision: number | null;
  version: number;
};

const DRAFT_COLUMNS = [
  'id',
  'period_id',
  'granularity',
  'status',
  'applications',
  'content_sha256',
  'notices',
  'correction_note',
  'built_at',
  'built_by',
  'reviewed_at',
  'reviewed_by',
  'review_note',
  'published_revision',
  'version',
] as const;

const toDraftView = (r: DraftRow): ReportDraftView => ({
  id: r.id,
  periodId: r.period_id,
  granularity: r.granularity,
  status: r.status as ReportDraftView['status'],
  applications: r.applications,
  contentSha256: r.content_sha256,
  notices: r.notices,
  correctionNote: r.correction_note,
  builtAt: new Date(r.built_at).toISOString(),
  builtBy: r.built_by,
  reviewedAt: r.reviewed_at ? new Date(r.reviewed_at).toISOString() : null,
  reviewedBy: r.reviewed_by,
  reviewNote: r.review_note,
  publishedRevision: r.published_revision,
  version: r.version,
});

export const DraftCreateInput = z.strictObject({
  period: z.string().min(1).max(16),
  correctionNote: z.string().trim().min(1).max(2000).optional(),
});

/**
 * Builds a draft of a period's report and queues it for review. Staff or system.
 * @example await createReportDraft(ctx, officer, { period: '2025-Q4' })
 */
export async function createReportDraft(
  ctx: ServiceContext,
  actor: Principal,
  input: unknown,
  policies?: PublicationPolicies,
): Promise<ReportDraftView> {
  requireRole(actor, 'officer', 'administrator');
  const body = parseInput(DraftCreateInput, input, 'The draft');
  // Through the cache of register blocks (ADR 0009): the same report, and its months kept for the builds that follow.
  const built = await buildPeriodReportContent(ctx, actor, {
    period: body.period,
    ...(policies && { policies }),
  });
  const id = ctx.newId();
  const reportJson = encodeDraftReport(built.report);
  const contentSha256 = digestReportContent(built.report);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('report_drafts')
      .values({
        id,
        authority_id: built.report.authority.id,
        period_id: built.report.period.id,
        granularity: built.report.period.granularity,
        status: 'draft',
        report_json: reportJson,
        content_sha256: contentSha256,
        applications: built.report.summary.applications,
        notices: JSON.stringify(built.notices),
        correction_note: body.correctionNote ?? null,
        built_at: ctx.now(),
        built_by: actorOf(actor),
      })
      .execute();
    await appendAudit(ctx, trx, actor, {
      action: 'report.draft_built',
      entityType: 'report_draft',
      entityId: id,
      payload: {
        period: built.report.period.id,
        applications: built.report.summary.applications,
        contentSha256,
        notices: built.notices.length,
      },
    });
  });
  return getReportDraft(ctx, actor, id);
}

export async function getReportDraft(
  ctx: ServiceContext,
  actor: Principal,
  id: string,
): Promise<ReportDraftView> {
  requireRole(actor, 'officer', 'administrator');
  if (!z.uuid().safeParse(id).success) throw notFound('Report draft');
  const row = await ctx.db
    .selectFrom('report_drafts')
    .select(DRAFT_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('Report draft');
  return toDraftView(row as DraftRow);
}

/** The built report of a draft, exactly as it will be published (with its publication time and revision then set). */
export async function getReportDraftContent(
  ctx: ServiceContext,
  actor: Principal,
  id: string,
): Promise<TransparencyReport> {
  await getReportDraft(ctx, actor, id);
  const row = await ctx.db
    .selectFrom('report_drafts')
    .select('report_json')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return decodeDraftReport(row.report_json);
}

/**
 * A draft's report as stored: its JSON gzipped (level 1), a tenth of the bytes to send to the database and keep (a
 * year of 1,000,000 applications is about 250 MB of JSON).
 */
function encodeDraftReport(report: TransparencyReport): Uint8Array {
  return gzipSync(JSON.stringify(report), { level: 1 });
}

/** A stored draft's report: gzipped JSON, or plain JSON as drafts were stored before 2026-12-02 (JSON never starts 0x1f). */
function decodeDraftReport(stored: Uint8Array): TransparencyReport {
  const json = stored[0] === 0x1f && stored[1] === 0x8b ? gunzipSync(stored) : stored;
  return transparencyReportSchema.parse(JSON.parse(new TextDecoder().decode(json)));
}

export const DraftListQuery = z.strictObject({
  status: z.enum(['draft', 'approved', 'rejected', 'published', 'unchanged']).optional(),
  period: z.string().max(16).optional(),
});

export async function listReportDrafts(
  ctx: ServiceContext,
  actor: Principal,
  query: unknown = {},
): Promise<ReportDraftView[]> {
  requireRole(actor, 'officer', 'administrator');
  const q = parseInput(DraftListQuery, query, 'The query');
  let sel = ctx.db.selectFrom('report_drafts').select(DRAFT_COLUMNS);
  if (q.status) sel = sel.where('status', '=', q.status);
  if (q.period) sel = sel.where('period_id', '=', parseReportPeriod(q.period).id);
  const rows = await sel.orderBy('built_at', 'desc').orderBy('id').limit(200).execute();
  return rows.map((r) => toDraftView(r as DraftRow));
}

export const DraftReviewInput = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  note: z.string().trim().max(2000).optional(),
  version: z.number().int().min(1),
});

/**
 * An officer or administrator approves or rejects a draft. Only a draft can be reviewed.
 * @example await reviewReportDraft(ctx, officer, id, { decision: 'approve', version: 1 })
 */
export async function reviewReportDraft(
  ctx: ServiceContext,
  actor: Principal,
  id: string,
  input: unknown,
): Promise<ReportDraftView> {
  requireRole(actor, 'officer', 'administrator');
  const body = parseInput(DraftReviewInput, input, 'The review');
  const draft = await getReportDraft(ctx, actor, id);
  if (draft.status !== 'draft')
    throw conflict(`Draft ${id} is ${draft.status}; only a draft can be reviewed.`);
  if (body.decision === 'reject' && !body.note) {
    throw invalid('A rejection needs a note saying why.', [
      { path: 'note', message: 'required when rejecting' },
    ]);
  }
  await ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('report_drafts')
      .set({
        status: body.decision === 'approve' ? 'approved' : 'rejected',
        reviewed_at: ctx.now(),
        reviewed_by: actorOf(actor),
        review_note: body.note ?? null,
        version: sql`version + 1`,
      })
      .where('id', '=', id)
      .where('version', '=', body.version)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw staleVersion('Report draft', draft.version, body.version);
    await appendAudit(ctx, trx, actor, {
      action: body.decision === 'approve' ? 'report.draft_approved' : 'report.draft_rejected',
      entityType: 'report_draft',
      entityId: id,
      payload: { period: draft.periodId, contentSha256: draft.contentSha256, note: body.note ?? null },
    });
  });
  return getReportDraft(ctx, actor, id);
}

export interface PublicationResult {
  action: 'published' | 'unchanged';
  reason: string;
  revision: PublishedRevisionView;
  files: { name: string; mediaType: string; sha256: string; sizeBytes: number }[];
}

export const PublishInput = z.strictObject({ note: z.string().trim().min(1).max(2000).optional() });

/**
 * Publishes an approved draft: a new immutable revision with its files, or nothing when the latest revision already
 * has this content (idempotent; publishing the same draft twice returns the same revision). A different content for
 * an already published period is a correction and needs a note (the draft's or this call's).
 * @example await publishReportDraft(ctx, admin, draftId, {})
 */
export async function publishReportDraft(
  ctx: ServiceContext,
  actor: Principal,
  id: string,
  input: unknown = {},
): Promise<PublicationResult> {
  requireRole(actor, 'officer', 'administrator');
  const body = parseInput(PublishInput, input, 'The publication');
  const draft = await getReportDraft(ctx, actor, id);
  if (draft.status === 'published' || draft.status === 'unchanged') {
    const rev = draft.publishedRevision ?? (await latestRevisionNumber(ctx, draft.periodId));
    if (rev !== null) {
      const view = await getPublishedRevision(ctx, draft.periodId, rev);
      return {
        action: 'unchanged',
        reason: `Draft ${id} was already published as revision ${rev}.`,
        revision: view,
        files: view.files,
      };
    }
  }
  if (draft.status !== 'approved') {
    throw conflict(
      `Draft ${id} is ${draft.status}; only an approved draft can be published (review it first).`,
    );
  }
  const policies = defaultPublicationPolicies();
  const stored = await getReportDraftContent(ctx, actor, id);
  const publishedAt = isoSeconds(ctx.now());
  const note = body.note ?? draft.correctionNote ?? null;
  return ctx.db.transaction().execute(async (trx) => {
    // One publisher per period at a time.
    await sql`select pg_advisory_xact_lock(727400, hashtext(${draft.periodId}))`.execute(trx);
    const existing = await loadRevisions(trx, draft.periodId);
    const candidate: TransparencyReport = { ...stored, publishedAt };
    const plan = planPublication(existing, candidate, note);
    if (plan.action === 'unchanged') {
      await trx
        .updateTable('report_drafts')
        .set({ status: 'unchanged', published_revision: plan.revision.revision, version: sql`version + 1` })
        .where('id', '=', id)
        .execute();
      await appendAudit(ctx, trx, actor, {
        action: 'report.publish_unchanged',
        entityType: 'report_draft',
        entityId: id,
        payload: { period: draft.periodId, revision: plan.revision.revision, reason: plan.reason },
      });
      const view = await getPublishedRevision(ctx, draft.periodId, plan.revision.revision, trx);
      return { action: 'unchanged' as const, reason: plan.reason, revision: view, files: view.files };
    }
    const rev = plan.revision;
    const report: TransparencyReport = { ...candidate, revision: { number: rev.revision, note: rev.note } };
    const files = await renderPublicationFiles(ctx, report, REPORT_FORMATS, policies);
    await trx
      .insertInto('report_revisions')
      .values({
        period_id: rev.periodId,
        revision: rev.revision,
        report_id: rev.reportId,
        authority_id: rev.authorityId,
        authority_name: rev.authorityName,
        granularity: report.period.granularity,
        published_at: rev.publishedAt,
        published_by: actorOf(actor),
        note: rev.note,
        content_sha256: rev.contentSha256,
        supersedes_sha256: rev.supersedesSha256,
        summary: rev.summary,
        draft_id: id,
      })
      .execute();
    const fileRows = [...files.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, content]) => ({
        period_id: rev.periodId,
        revision: rev.revision,
        name,
        media_type: mediaTypeOf(name),
        sha256: sha256Hex(content),
        size_bytes: content.byteLength,
        content,
      }));
    for (const f of fileRows) await trx.insertInto('report_files').values(f).execute();
    await upsertRegisterRows(trx, report);
    await trx
      .updateTable('report_drafts')
      .set({ status: 'published', published_revision: rev.revision, version: sql`version + 1` })
      .where('id', '=', id)
      .execute();
    await appendAudit(ctx, trx, actor, {
      action: 'report.published',
      entityType: 'report_revision',
      entityId: `${rev.periodId}/r${rev.revision}`,
      payload: {
        draftId: id,
        period: rev.periodId,
        revision: rev.revision,
        contentSha256: rev.contentSha256,
        supersedesSha256: rev.supersedesSha256,
        note: rev.note,
        files: fileRows.map((f) => ({ name: f.name, sha256: f.sha256 })),
      },
    });
    const view = await getPublishedRevision(ctx, rev.periodId, rev.revision, trx);
    return {
      action: 'published' as const,
      reason: `Published revision ${rev.revision}.`,
      revision: view,
      files: view.files,
    };
  });
}

async function latestRevisionNumber(ctx: ServiceContext, periodId: string): Promise<number | null> {
  const row = await ctx.db
    .selectFrom('report_revisions')
    .select(sql<number>`max(revision)`.as('n'))
    .where('period_id', '=', periodId)
    .executeTakeFirst();
  return row?.n ?? null;
}

type RevisionRow = Selectable<DB['report_revisions']>;

const toRevision = (r: RevisionRow): PublicationRevision => ({
  reportId: r.report_id,
  authorityId: r.authority_id,
  authorityName: r.authority_name,
  periodId: r.period_id,
  revision: r.revision,
  publishedAt: isoSeconds(new Date(r.published_at)),
  note: r.note,
  contentSha256: r.content_sha256,
  supersedesSha256: r.supersedes_sha256,
  summary: r.summary,
});

async function loadRevisions(
  db: Tx | ServiceContext['db'],
  periodId?: string,
): Promise<PublicationRevision[]> {
  let q = db.selectFrom('report_revisions').selectAll();
  if (periodId) q = q.where('period_id', '=', periodId);
  const rows = await q.orderBy('period_id').orderBy('revision').execute();
  return rows.map(toRevision);
}

/** Keeps each application's public row from the newest publication that contains it. */
async function upsertRegisterRows(trx: Tx, report: TransparencyReport): Promise<void> {
  const rows = report.register.map((row) => {
    const endUser = primaryEndUser(row.parties.map((p) => ({ ...p, role: p.role ?? '' })) as never) as
      { partyType: string | null } | undefined;
    const searchText = [
      row.reference,
      row.destinationCountry,
      row.decision,
      row.licenceType,
      ...row.items.flatMap((i) => [...(i.controlEntries ?? []), i.description, i.cyberSurveillanceCategory]),
      ...row.parties.flatMap((p) => [p.partyType, p.sector, p.country, p.name]),
    ]
      .filter((s): s is string => typeof s === 'string' && s !== '')
      .join(' ')
      .toLowerCase();
    return {
      reference: row.reference ?? `${report.period.id}/${row.rowId}`,
      period_id: report.period.id,
      revision: report.revision.number,
      published_at: report.publishedAt,
      received_on: row.receivedOn,
      decided_on: row.decidedOn,
      destination_country: row.destinationCountry,
      decision: row.decision,
      licence_type: row.licenceType,
      end_user_type: endUser?.partyType ?? null,
      control_entries: [...new Set(row.items.flatMap((i) => i.controlEntries ?? []))].sort(),
      total_value_eur: row.totalValueEur === null ? null : row.totalValueEur.toFixed(2),
      search_text: searchText,
      row_json: JSON.stringify(row),
    };
  });
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await trx
      .insertInto('public_register_rows')
      .values(chunk)
      .onConflict((oc) =>
        oc.column('reference').doUpdateSet((eb) => ({
          period_id: eb.ref('excluded.period_id'),
          revision: eb.ref('excluded.revision'),
          published_at: eb.ref('excluded.published_at'),
          received_on: eb.ref('excluded.received_on'),
          decided_on: eb.ref('excluded.decided_on'),
          destination_country: eb.ref('excluded.destination_country'),
          decision: eb.ref('excluded.decision'),
          licence_type: eb.ref('excluded.licence_type'),
          end_user_type: eb.ref('excluded.end_user_type'),
          control_entries: eb.ref('excluded.control_entries'),
          total_value_eur: eb.ref('excluded.total_value_eur'),
          search_text: eb.ref('excluded.search_text'),
          row_json: eb.ref('excluded.row_json'),
        })),
      )
      .execute();
  }
}

// ----- public reads -----

export interface PublishedRevisionView {
  reportId: string;
  authorityId: string;
  periodId: string;
  granularity: string;
  revision: number;
  publishedAt: string;
  note: string | null;
  contentSha256: string;
  supersedesSha256: string | null;
  summary: string;
  files: { name: string; mediaType: string; sha256: string; sizeBytes: number }[];
}

type FileView = PublishedRevisionView['files'][number];

function toPublishedView(r: RevisionRow, files: FileView[]): PublishedRevisionView {
  const { authorityName: _name, reportId, authorityId, periodId, ...rest } = toRevision(r);
  return { reportId, authorityId, periodId, granularity: r.granularity, ...rest, files };
}

/** The files of the revisions of `periodId` (all periods when omitted), by `<periodId>/<revision>`, by name. */
async function loadFileViews(
  db: Tx | ServiceContext['db'],
  only?: { periodId: string; revision: number },
): Promise<Map<string, FileView[]>> {
  let q = db
    .selectFrom('report_files')
    .select(['period_id', 'revision', 'name', 'media_type', 'sha256', 'size_bytes']);
  if (only) q = q.where('period_id', '=', only.periodId).where('revision', '=', only.revision);
  const byRevision = new Map<string, FileView[]>();
  for (const f of await q.orderBy('name').execute()) {
    const key = `${f.period_id}/${f.revision}`;
    const view = { name: f.name, mediaType: f.media_type, sha256: f.sha256, sizeBytes: f.size_bytes };
    const list = byRevision.get(key);
    if (list) list.push(view);
    else byRevision.set(key, [view]);
  }
  return byRevision;
}

async function getPublishedRevision(
  ctx: ServiceContext,
  periodId: string,
  revision: number,
  db: Tx | ServiceContext['db'] = ctx.db,
): Promise<PublishedRevisionView> {
  const r = await db
    .selectFrom('report_revisions')
    .selectAll()
    .where('period_id', '=', periodId)
    .where('revision', '=', revision)
    .executeTakeFirst();
  if (!r) throw notFound('Report revision');
  const files = await loadFileViews(db, { periodId, revision });
  return toPublishedView(r, files.get(`${periodId}/${revision}`) ?? []);
}

/** Every published revision, newest first. Public. */
export async function listPublishedReports(ctx: ServiceContext): Promise<PublishedRevisionView[]> {
  const [rows, files] = await Promise.all([
    ctx.db
      .selectFrom('report_revisions')
      .selectAll()
      .orderBy('published_at', 'desc')
      .orderBy('period_id', 'desc')
      .orderBy('revision', 'desc')
      .execute(),
    loadFileViews(ctx.db),
  ]);
  return rows.map((r) => toPublishedView(r, files.get(`${r.period_id}/${r.revision}`) ?? []));
}

/** The latest revision number of a published period (public); NOT_FOUND when the period is not published. */
export async function latestPublishedRevision(ctx: ServiceContext, periodText: string): Promise<number> {
  const period = parseReportPeriod(periodText);
  const n = await latestRevisionNumber(ctx, period.id);
  if (n === null) throw notFound(`A published report for ${period.id}`);
  return n;
}

/** One published file's bytes with its media type and SHA-256 (public). `revision` is a number or `latest`. */
export async function getPublishedFile(
  ctx: ServiceContext,
  periodText: string,
  revision: number | 'latest',
  name: string,
): Promise<{ content: Uint8Array; mediaType: string; sha256: string; periodId: string; revision: number }> {
  const period = parseReportPeriod(periodText);
  const rev = revision === 'latest' ? await latestPublishedRevision(ctx, period.id) : revision;
  const f = await ctx.db
    .selectFrom('report_files')
    .selectAll()
    .where('period_id', '=', period.id)
    .where('revision', '=', rev)
    .where('name', '=', name)
    .executeTakeFirst();
  if (!f) throw notFound('Report file');
  return {
    content: new Uint8Array(f.content),
    mediaType: f.media_type,
    sha256: f.sha256,
    periodId: period.id,
    revision: rev,
  };
}

/** The Atom feed of every publication of this instance (public). */
export async function renderPublicationFeed(ctx: ServiceContext): Promise<string> {
  const revisions = await loadRevisions(ctx.db);
  return renderAtomFeed(revisions, {
    baseUrl: ctx.config.publicUrl,
    title: defaultPublicationPolicies().publication.feedTitle,
    author: ctx.config.authority.name,
  });
}

export const RegisterQuery = z.strictObject({
  destination: z
    .string()
    .regex(/^[A-Za-z]{2}$/) // in either case; the code it names must exist (CountryCode)
    .transform((s) => s.toUpperCase())
    .pipe(CountryCode)
    .optional(),
  controlEntry: z.string().min(1).max(40).optional(),
  decision: z.enum(['granted', 'granted_with_conditions', 'denied', 'withdrawn', 'pending']).optional(),
  period: z.string().min(4).max(16).optional(),
  endUserType: z.string().min(1).max(40).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  sort: z
    .enum([
      'decidedOn',
      '-decidedOn',
      'receivedOn',
      '-receivedOn',
      'reference',
      '-reference',
      'valueEur',
      '-valueEur',
    ])
    .default('-decidedOn'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});

const SORT_COLUMNS = {
  decidedOn: 'decided_on',
  receivedOn: 'received_on',
  reference: 'reference',
  valueEur: 'total_value_eur',
} as const;

/**
 * The public register as published, filtered, sorted (always ending with the reference, so pages are stable) and
 * paginated. Public: rows are the published public rows, never anything else.
 * @example await listPublicRegister(ctx, { destination: 'AE', sort: '-decidedOn', limit: 20 })
 */
export async function listPublicRegister(
  ctx: ServiceContext,
  query: unknown,
): Promise<{ total: number; limit: number; offset: number; items: Record<string, unknown>[] }> {
  const q = parseInput(RegisterQuery, query, 'The register query');
  const everyRow = ctx.db.selectFrom('public_register_rows');
  let sel = everyRow;
  if (q.destination) sel = sel.where('destination_country', '=', q.destination);
  if (q.controlEntry) sel = sel.where(sql<boolean>`${q.controlEntry} = any(control_entries)`);
  if (q.decision) sel = sel.where('decision', '=', q.decision);
  if (q.endUserType) sel = sel.where('end_user_type', '=', q.endUserType);
  if (q.period) {
    const p = parseReportPeriod(q.period);
    sel = sel.where(
      sql<boolean>`coalesce(decided_on, received_on) between ${p.startOn}::date and ${p.endOn}::date`,
    );
  }
  if (q.q) {
    const like = `%${q.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    sel = sel.where('search_text', 'like', like);
  }
  const count = async () => (await sel.select(sql<number>`count(*)::int`.as('n')).executeTakeFirst())?.n ?? 0;
  const desc = q.sort.startsWith('-');
  const column = SORT_COLUMNS[q.sort.replace(/^-/, '') as keyof typeof SORT_COLUMNS];
  const dir = desc ? 'desc' : 'asc';
  // The page's references first, then the page's rows, so that no query sorts or carries the published JSON of rows
  // outside the page (a page at offset 5,000 of 300,000 rows took 8 s on PGlite when it did). Without filters the
  // references are sorted on the table's narrow keys, from an index for the default order and the ascending decided
  // order (migrations 0400, 0920) and by the primary key for the reference (never empty, so without `nulls last`).
  // With filters the matching rows' keys are taken first (a materialized CTE), counted in the same pass and sorted:
  // walking the sort index while filtering can read most of the table when the matches sit late in that order (a
  // quarter deep in the year: 0.7-1.2 s at 300,000 rows on PGlite, against 0.2-0.5 s this way).
  const orderKey =
    column === 'reference'
      ? sql`reference ${sql.raw(dir)}`
      : sql`${sql.ref(column)} ${sql.raw(dir)} nulls last, reference ${sql.raw(dir)}`;
  const filtered = sel !== everyRow; // a filter above made a new builder
  let page: string[];
  let total: number;
  if (filtered) {
    const pageRows = await ctx.db
      .with(
        (cte) => cte('matches').materialized(),
        () => sel.select(['reference', 'decided_on', 'received_on', 'total_value_eur']),
      )
      .selectFrom('matches')
      .select(['reference', sql<number>`(count(*) over ())::int`.as('total')])
      .orderBy(orderKey)
      .limit(q.limit)
      .offset(q.offset)
      .execute();
    page = pageRows.map((r) => r.reference);
    total = pageRows[0]?.total ?? (q.offset > 0 ? await count() : 0); // past the end: counted apart
  } else {
    const pageRows = await sel
      .select('reference')
      .orderBy(orderKey)
      .limit(q.limit)
      .offset(q.offset)
      .execute();
    page = pageRows.map((r) => r.reference);
    total = await count();
  }
  const rows =
    page.length === 0
      ? []
      : await ctx.db
          .selectFrom('public_register_rows')
          .select(['reference', 'row_json'])
          .where('reference', 'in', page)
          .execute();
  const byReference = new Map(rows.map((r) => [r.reference, r.row_json]));
  const items = page.flatMap((reference) => {
    const row = byReference.get(reference);
    return row === undefined ? [] : [row]; // rows are never deleted; one republished meanwhile is read as it is now
  });
  return { total, limit: q.limit, offset: q.offset, items };
}

/** One application's public row (public); NOT_FOUND when it is not in a published report. */
export async function getPublicRegisterEntry(
  ctx: ServiceContext,
  reference: string,
): Promise<Record<string, unknown>> {
  const row = await ctx.db
    .selectFrom('public_register_rows')
    .select('row_json')
    .where('reference', '=', reference)
    .executeTakeFirst();
  if (!row) throw notFound('Register entry');
  return row.row_json;
}

// ----- schedule -----

/** The periods of the configured granularities whose build delay has run on `today` and that have no draft yet. */
export async function findDuePeriods(
  ctx: ServiceContext,
  today: string,
  policies = defaultPublicationPolicies(),
): Promise<ReportPeriod[]> {
  const { granularities, buildDelayDays, lookbackPeriods } = policies.publication.schedule;
  const due: ReportPeriod[] = [];
  for (const g of granularities) {
    const seed =
      g === 'year'
        ? today.slice(0, 4)
        : g === 'month'
          ? today.slice(0, 7)
          : `${today.slice(0, 4)}-Q${Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1}`;
    let p = stepPeriod(parsePeriod(seed), -1);
    for (let i = 0; i < lookbackPeriods; i += 1, p = stepPeriod(p, -1)) {
      if (addDays(p.endOn, buildDelayDays) > today) continue;
      const has = await ctx.db
        .selectFrom('report_drafts')
        .select('id')
        .where('period_id', '=', p.id)
        .where('status', '!=', 'rejected')
        .executeTakeFirst();
      if (!has) due.push(p);
    }
  }
  return due;
}

/**
 * The scheduled job's work: drafts every due period (they then wait for review). The next run is the recurring-job
 * mechanism's business (src/jobs/recurring.ts: the queue's handler is wrapped with `withRecurrence`).
 * @example await runPublicationSchedule(ctx) // { drafted: ['2025-Q4'] }
 */
export async function runPublicationSchedule(ctx: ServiceContext): Promise<{ drafted: string[] }> {
  const system: Principal = { kind: 'system', name: 'publication-schedule' };
  const policies = defaultPublicationPolicies();
  const today = ctx.now().toISOString().slice(0, 10);
  const drafted: string[] = [];
  for (const p of await findDuePeriods(ctx, today, policies)) {
    await createReportDraft(ctx, system, { period: p.id });
    drafted.push(p.id);
  }
  return { drafted };
}

/** The publication schedule as a recurring job (every `schedule.everyHours` of the publication policy). */
export function publicationRecurringJob(policies = defaultPublicationPolicies()): RecurringJob {
  return {
    queue: PUBLICATION_SCHEDULE_QUEUE,
    everyMs: policies.publication.schedule.everyHours * 3_600_000,
    description: 'Draft the open-data reports of the periods that are due',
  };
}
