/**
 * Record keeping (Art 27): retention of the authority's and exporters' records (default five years after the end of
 * the year of the event, per kind in policy/workflow/record-kinds.yaml, overridable), a purge that is a dry run unless
 * asked and is audited, and the export of all records of one exporter as a zip (manifest, stored files, checksums)
 * or a JSON bundle with a checksum.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DomainError, notFound } from '../domain/errors.ts';
import type { Principal } from '../domain/model.ts';
import type { IsoDate } from '../domain/workflow.ts';
import { assessRetention, canonicaliseJson, type RecordKinds } from '../engines/workflow/index.ts';
import { appendAudit } from './audit.service.ts';
import { assertCanReadOrganisation, isStaff, requireRole } from './authorization.ts';
import { recordKinds, todayOf } from './compliance-policy.ts';
import type { ServiceContext } from './context.ts';
import { writeZip } from '../engines/reporting/zip-writer.ts';
import { parseInput } from './validation.ts';

export const RetentionInput = z.strictObject({
  asOf: z.iso.date().optional(),
  /** One period for every kind, overriding policy/workflow/record-kinds.yaml (e.g. a national rule of 10 years). */
  years: z.number().int().min(1).max(100).optional(),
  /** false deletes; the default true only lists. */
  dryRun: z.boolean().default(true),
});

export interface RetentionCandidate {
  recordType: 'application' | 'denial' | 'catch_all_notice';
  id: string;
  reference: string;
  organisationId: string | null;
  kind: string;
  eventDate: IsoDate;
  keepUntil: IsoDate;
  reason: string;
}

export interface RetentionReport {
  asOf: IsoDate;
  dryRun: boolean;
  policyVersion: string;
  years: number | 'per kind';
  candidates: RetentionCandidate[];
  purged: { applications: number; denials: number; catchAllNotices: number };
  auditEventsPastRetention: number;
  notes: string[];
}

function withYears(kinds: RecordKinds, years: number | undefined): RecordKinds {
  return years === undefined ? kinds : { ...kinds, kinds: kinds.kinds.map((k) => ({ ...k, years })) };
}

const dateOf = (d: Date | string): IsoDate => new Date(d).toISOString().slice(0, 10);
const maxDate = (a: IsoDate, b: IsoDate): IsoDate => (a > b ? a : b);

/**
 * Tables that reference an application, its decisions or licences without `on delete cascade`, deleted by
 * `application_id` before the applications, children first. The rest cascade (lines, parties, history, documents,
 * checks, screening runs, due diligence…); a denial registered from a decision keeps its record, its decision_id is
 * set null by the schema. A test reads the schema's foreign keys and fails when a table is missing here
 * (test/integration/records-retention-schema.test.ts).
 */
export const APPLICATION_PURGE_CHILDREN = [
  'reassessment_proposals',
  'assessments',
  'appeals',
  'licences',
  'decisions',
] as const;

/**
 * List (and, with dryRun false, delete) the records past retention on `asOf`: decided or withdrawn applications with
 * everything hanging on them (lines, parties, history, decisions, licences, documents, due diligence, denial checks
 * and consultations), revoked or expired denials, catch-all notices. Administrators only; the purge is audited.
 * Audit events are counted, never deleted: the hash chain would break.
 */
export async function applyRetention(
  ctx: ServiceContext,
  actor: Principal,
  input: z.input<typeof RetentionInput> = {},
): Promise<RetentionReport> {
  requireRole(actor, 'administrator');
  const data = parseInput(RetentionInput, input, 'The retention run');
  const asOf = data.asOf ?? todayOf(ctx);
  if (asOf > todayOf(ctx) && !data.dryRun)
    throw new DomainError(
      'INVALID',
      'A purge runs as of today or earlier; a future date is for dry runs only.',
      {
        issues: [{ path: 'asOf', message: 'in the future' }],
      },
    );
  const kinds = withYears(recordKinds(), data.years);
  const candidates: RetentionCandidate[] = [];
  const apps = await ctx.db
    .selectFrom('applications')
    .select(['id', 'reference', 'organisation_id', 'status', 'decided_at', 'updated_at'])
    .where('status', 'in', ['granted', 'granted_with_conditions', 'denied', 'withdrawn'])
    .execute();
  const licences = await ctx.db.selectFrom('licences').select(['application_id', 'valid_until']).execute();
  const licenceEnd = new Map<string, IsoDate>();
  for (const l of licences) {
    // A registration for a general export authorisation has no end date of its own: its records run from the decision.
    if (l.valid_until === null) continue;
    licenceEnd.set(
      l.application_id,
      maxDate(licenceEnd.get(l.application_id) ?? '0000-01-01', l.valid_until),
    );
  }
  for (const a of apps) {
    const eventDate = dateOf(a.decided_at ?? a.updated_at);
    let r = assessRetention(kinds, 'licence_application', eventDate, asOf);
    let reason = `${a.status} on ${eventDate}; ${r.kind} kept until ${r.keepUntil} (${r.source})`;
    const end = licenceEnd.get(a.id);
    if (end) {
      const l = assessRetention(kinds, 'licensing_decision', end, asOf);
      if (l.keepUntil > r.keepUntil) {
        r = l;
        reason = `licence valid until ${end}; ${l.kind} kept until ${l.keepUntil} (${l.source})`;
      }
    }
    if (r.deletable)
      candidates.push({
        recordType: 'application',
        id: a.id,
        reference: a.reference,
        organisationId: a.organisation_id,
        kind: r.kind,
        eventDate,
        keepUntil: r.keepUntil,
        reason,
      });
  }
  const denials = await ctx.db
    .selectFrom('denials')
    .select([
      'id',
      'reference',
      'notifying_member_state',
      'organisation_id',
      'status',
      'status_changed_on',
      'updated_at',
    ])
    .where('status', 'in', ['revoked', 'expired'])
    .execute();
  for (const d of denials) {
    const eventDate = d.status_changed_on ?? dateOf(d.updated_at);
    const r = assessRetention(kinds, 'denial_record', eventDate, asOf);
    if (r.deletable)
      candidates.push({
        recordType: 'denial',
        id: d.id,
        reference: `${d.notifying_member_state} ${d.reference}`,
        organisationId: d.organisation_id,
        kind: r.kind,
        eventDate,
        keepUntil: r.keepUntil,
        reason: `${d.status} on ${eventDate}; kept until ${r.keepUntil} (${r.source})`,
      });
  }
  const notices = await ctx.db
    .selectFrom('catch_all_notices')
    .select(['id', 'reference', 'organisation_id', 'dated_on'])
    .execute();
  for (const n of notices) {
    const r = assessRetention(kinds, 'catch_all_record', n.dated_on, asOf);
    if (r.deletable)
      candidates.push({
        recordType: 'catch_all_notice',
        id: n.id,
        reference: n.reference,
        organisationId: n.organisation_id,
        kind: r.kind,
        eventDate: n.dated_on,
        keepUntil: r.keepUntil,
        reason: `dated ${n.dated_on}; kept until ${r.keepUntil} (${r.source})`,
      });
  }
  const auditKind = kinds.kinds.find((k) => k.id === 'audit_event');
  const auditCutoff = `${Number(asOf.slice(0, 4)) - (auditKind?.years ?? kinds.defaultYears)}-01-01`;
  const auditOld = await ctx.db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('occurred_at', '<', new Date(`${auditCutoff}T00:00:00Z`))
    .executeTakeFirstOrThrow();
  const purged = { applications: 0, denials: 0, catchAllNotices: 0 };
  const ids = (t: RetentionCandidate['recordType']) =>
    candidates.filter((c) => c.recordType === t).map((c) => c.id);
  await ctx.db.transaction().execute(async (trx) => {
    if (!data.dryRun) {
      const appIds = ids('application');
      const denialIds = ids('denial');
      const noticeIds = ids('catch_all_notice');
      if (appIds.length > 0) {
        for (const table of APPLICATION_PURGE_CHILDREN)
          await trx.deleteFrom(table).where('application_id', 'in', appIds).execute();
        purged.applications = Number(
          (await trx.deleteFrom('applications').where('id', 'in', appIds).executeTakeFirst()).numDeletedRows,
        );
      }
      if (denialIds.length > 0)
        purged.denials = Number(
          (await trx.deleteFrom('denials').where('id', 'in', denialIds).executeTakeFirst()).numDeletedRows,
        );
      if (noticeIds.length > 0)
        purged.catchAllNotices = Number(
          (await trx.deleteFrom('catch_all_notices').where('id', 'in', noticeIds).executeTakeFirst())
            .numDeletedRows,
        );
    }
    await appendAudit(ctx, trx, actor, {
      action: data.dryRun ? 'records.retention_listed' : 'records.purged',
      entityType: 'records',
      payload: {
        asOf,
        years: data.years ?? 'per kind',
        policyVersion: kinds.version,
        candidates: candidates.map((c) => ({
          type: c.recordType,
          id: c.id,
          reference: c.reference,
          keepUntil: c.keepUntil,
        })),
        purged,
      },
    });
  });
  return {
    asOf,
    dryRun: data.dryRun,
    policyVersion: kinds.version,
    years: data.years ?? 'per kind',
    candidates,
    purged,
    auditEventsPastRetention: Number(auditOld.n),
    notes: [
      'Retention runs to 31 December of (event year + years) (Art 27(3), seen in a secondary source: unverified).',
      'Open applications and denials in force are never candidates.',
      'Audit events are counted but never deleted: the hash chain would break.',
      ...(data.dryRun ? ['Dry run: nothing was deleted. Pass dryRun false (CLI --purge) to delete.'] : []),
    ],
  };
}

/** Audit actions that concern staff-only work (received denials, consultations) and never reach an exporter. */
const STAFF_ONLY_AUDIT =
  /^(denial|application\.denial_check|denial_consultation|catch_all\.consultation|catch_all\.published)/;

/** A file stored beside the manifest in the zip export. */
interface ExportFile {
  path: string;
  data: Uint8Array;
}

/** A file name safe in any archive tool: letters, digits, dot, dash, underscore; at most 120 characters. */
const safeName = (name: string): string =>
  name
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^\.+/, '_')
    .slice(-120) || 'file';

/**
 * Every record of one exporter, the bundle and (for the zip) the stored files. With `asFiles`, document contents and
 * decision documents are files (`documents/<id>/<name>`, `decisions/<reference>.html|pdf`) that the bundle names
 * with their SHA-256; otherwise they are inline (base64) as in the JSON export v1.
 */
async function collectOrganisationRecords(
  ctx: ServiceContext,
  actor: Principal,
  organisationId: string,
  asFiles: boolean,
): Promise<{ body: Record<string, unknown>; files: ExportFile[]; counts: Record<string, number> }> {
  assertCanReadOrganisation(actor, organisationId, 'Organisation');
  const db = ctx.db;
  const org = await db
    .selectFrom('organisations')
    .selectAll()
    .where('id', '=', organisationId)
    .executeTakeFirst();
  if (!org) throw notFound('Organisation');
  if (org.kind !== 'exporter')
    throw new DomainError('INVALID', 'Records are exported per exporter organisation.', {
      issues: [{ path: 'organisationId', message: 'not an exporter' }],
    });
  const staff = isStaff(actor);
  const [items, parties, applications, icp, notices] = await Promise.all([
    db
      .selectFrom('items')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('parties')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('applications')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('icp_self_assessments')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .executeTakeFirst(),
    db
      .selectFrom('catch_all_notices')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .orderBy('dated_on')
      .execute(),
  ]);
  const appIds = applications.map((a) => a.id);
  const none = ['00000000-0000-0000-0000-000000000000'];
  const inApps = appIds.length > 0 ? appIds : none;
  const [lines, appParties, transitions, decisions, licences, documents, dueDiligence] = await Promise.all([
    db
      .selectFrom('application_lines')
      .selectAll()
      .where('application_id', 'in', inApps)
      .orderBy('application_id')
      .orderBy('line_no')
      .execute(),
    db.selectFrom('application_parties').selectAll().where('application_id', 'in', inApps).execute(),
    db
      .selectFrom('application_transitions')
      .selectAll()
      .where('application_id', 'in', inApps)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('decisions')
      .selectAll()
      .where('application_id', 'in', inApps)
      .orderBy('decided_at')
      .execute(),
    db
      .selectFrom('licences')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('documents')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('due_diligence_records')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .execute(),
  ]);
  const entityIds = [
    organisationId,
    ...items.map((r) => r.id),
    ...parties.map((r) => r.id),
    ...appIds,
    ...decisions.map((r) => r.id),
    ...licences.map((r) => r.id),
    ...documents.map((r) => r.id),
    ...notices.map((r) => r.id),
  ];
  const audit = (
    await db
      .selectFrom('audit_events')
      .selectAll()
      .where('entity_id', 'in', entityIds)
      .orderBy('seq')
      .execute()
  )
    // The exports themselves are audited but not exported: the same records give the same bundle.
    .filter((e) => e.action !== 'records.exported')
    .filter((e) => staff || !STAFF_ONLY_AUDIT.test(e.action));
  const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
  const files: ExportFile[] = [];
  const addFile = (path: string, data: Uint8Array) => {
    files.push({ path, data });
    return { file: path, sha256: sha256Hex(data) };
  };
  const body = {
    format: 'custos.records-export',
    version: asFiles ? 2 : 1,
    exportedAt: ctx.now().toISOString(),
    exportedFor: staff ? 'authority' : 'exporter',
    organisation: {
      id: org.id,
      name: org.name,
      country: org.country,
      kind: org.kind,
      createdAt: iso(org.created_at),
    },
    items: items.map((r) => ({ ...r, created_at: iso(r.created_at), updated_at: iso(r.updated_at) })),
    parties: parties.map((r) => ({ ...r, created_at: iso(r.created_at), updated_at: iso(r.updated_at) })),
    applications: applications.map((a) => ({
      ...a,
      submitted_at: iso(a.submitted_at),
      decided_at: iso(a.decided_at),
      created_at: iso(a.created_at),
      updated_at: iso(a.updated_at),
      // The report's derived column (migration 0870) is not a record: the bundle keeps format v1.
      lines: lines
        .filter((l) => l.application_id === a.id)
        .map(({ report_classification: _derived, ...l }) => l),
      parties: appParties.filter((p) => p.application_id === a.id),
      history: transitions.filter((t) => t.application_id === a.id).map((t) => ({ ...t, at: iso(t.at) })),
    })),
    decisions: decisions.map(({ document_html, document_pdf, ...d }) => {
      const base = { ...d, decided_at: iso(d.decided_at), created_at: iso(d.created_at) };
      if (!asFiles) return { ...base, document_html, document_pdf };
      const stem = `decisions/${safeName(d.reference ?? d.id)}`;
      const docs: Record<string, { file: string; sha256: string }> = {};
      if (document_html) docs.html = addFile(`${stem}.html`, new TextEncoder().encode(document_html));
      if (document_pdf) docs.pdf = addFile(`${stem}.pdf`, document_pdf);
      return { ...base, documents: docs };
    }),
    licences: licences.map((l) => ({ ...l, created_at: iso(l.created_at), updated_at: iso(l.updated_at) })),
    documents: documents.map(({ content, ...d }) => ({
      ...d,
      created_at: iso(d.created_at),
      ...(asFiles
        ? { file: addFile(`documents/${d.id}/${safeName(d.filename)}`, content).file }
        : { contentBase64: Buffer.from(content).toString('base64') }),
    })),
    dueDiligence: dueDiligence.map((d) => ({
      ...d,
      created_at: iso(d.created_at),
      updated_at: iso(d.updated_at),
    })),
    icpSelfAssessment: icp
      ? { ...icp, created_at: iso(icp.created_at), updated_at: iso(icp.updated_at) }
      : null,
    catchAllNotices: notices.map((n) => ({ ...n, created_at: iso(n.created_at) })),
    auditEvents: audit.map((e) => ({
      seq: Number(e.seq),
      occurredAt: iso(e.occurred_at),
      actor: e.actor,
      action: e.action,
      entityType: e.entity_type,
      entityId: e.entity_id,
      payload: e.payload,
      contentHash: e.content_hash.trim(),
    })),
  };
  return {
    body: JSON.parse(JSON.stringify(body)) as Record<string, unknown>,
    files,
    counts: {
      items: items.length,
      parties: parties.length,
      applications: applications.length,
      documents: documents.length,
      auditEvents: audit.length,
    },
  };
}

const sha256Hex = (data: Uint8Array | string): string =>
  createHash('sha256')
    .update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
    .digest('hex');

async function auditExport(
  ctx: ServiceContext,
  actor: Principal,
  organisationId: string,
  payload: Record<string, unknown>,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await appendAudit(ctx, trx, actor, {
      action: 'records.exported',
      entityType: 'organisation',
      entityId: organisationId,
      payload,
    });
  });
}

/**
 * Every record of one exporter as a JSON bundle (format v1): organisation, items, parties, applications (lines,
 * parties, history), decisions, licences, documents (with content), due diligence, ICP, catch-all notices, and the
 * audit events about them. Staff, or the exporter for its own organisation (others get NOT_FOUND). Audited.
 */
export async function exportOrganisationRecords(
  ctx: ServiceContext,
  actor: Principal,
  organisationId: string,
): Promise<Record<string, unknown>> {
  const { body, counts } = await collectOrganisationRecords(ctx, actor, organisationId, false);
  const checksum = sha256Hex(canonicaliseJson(body));
  await auditExport(ctx, actor, organisationId, { checksum, counts });
  return { ...body, checksum: { algorithm: 'sha256', value: checksum } };
}

/** The name of the checksums file in the zip export (`sha256sum -c SHA256SUMS` verifies the archive's files). */
export const RECORDS_CHECKSUMS_FILE = 'SHA256SUMS';

/**
 * The same records as a zip (format v2): `manifest.json` (the bundle, naming each stored file with its SHA-256),
 * the stored documents under `documents/<id>/<name>`, the decision documents under `decisions/`, and `SHA256SUMS`
 * (every other entry, `sha256sum` format). Deterministic: the same records exported at the same `exportedAt` give the
 * same bytes (entries sorted by path, fixed zip timestamps). Same access rule as the JSON export; audited.
 */
export async function exportOrganisationRecordsZip(
  ctx: ServiceContext,
  actor: Principal,
  organisationId: string,
): Promise<{ filename: string; bytes: Uint8Array; sha256: string; manifestChecksum: string; files: number }> {
  const { body, files, counts } = await collectOrganisationRecords(ctx, actor, organisationId, true);
  const manifestChecksum = sha256Hex(canonicaliseJson(body));
  const manifest = new TextEncoder().encode(
    `${JSON.stringify({ ...body, checksum: { algorithm: 'sha256', value: manifestChecksum } }, null, 2)}\n`,
  );
  const entries = [
    { name: 'manifest.json', data: manifest },
    ...files.map((f) => ({ name: f.path, data: f.data })),
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const sums = entries.map((e) => `${sha256Hex(e.data)}  ${e.name}\n`).join('');
  const bytes = writeZip([
    ...entries,
    { name: RECORDS_CHECKSUMS_FILE, data: new TextEncoder().encode(sums) },
  ]);
  const sha256 = sha256Hex(bytes);
  await auditExport(ctx, actor, organisationId, { format: 'zip', sha256, manifestChecksum, counts });
  return {
    filename: `records-${organisationId}.zip`,
    bytes,
    sha256,
    manifestChecksum,
    files: entries.length + 1,
  };
}
