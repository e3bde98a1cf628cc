/**
 * Evidence registry (issue 5): anyone submits, officers moderate (accept with a reliability grade, reject with a
 * note), staff enter records directly; only accepted, non-confidential records are public; accepted records feed
 * the assessment and trigger a re-assessment job. The submitter's contact is visible to staff only.
 */
import { createHash } from 'node:crypto';
import { sql, type RawBuilder, type Selectable } from 'kysely';
import {
  EvidenceEntry,
  EvidenceModeration,
  EvidencePublicQuery,
  EvidenceStaffQuery,
  EvidenceSubmission,
  type EvidencePublicView,
  type EvidenceStaffView,
} from '../contracts/evidence.ts';
import type { CharterArticle, EvidenceRecord, ItemCapability, Reliability } from '../domain/assessment.ts';
import { DomainError, notFound, staleVersion } from '../domain/errors.ts';
import type { EvidenceType, Principal } from '../domain/model.ts';
import type { DB } from '../db/schema.ts';
import { namesMatch, normaliseName } from '../engines/assessment/index.ts';
import { sniffMediaType } from '../engines/documents/sniff.ts';
import { enqueueJob } from '../jobs/queue.ts';
import { appendAudit } from './audit.service.ts';
import { isStaff, requireRole } from './authorization.ts';
import type { Db, ServiceContext, Tx } from './context.ts';
import { parseInput } from './validation.ts';

/** Queue of the job that looks for stored assessments a change may affect (handler in assessments.service.ts). */
export const REASSESS_QUEUE = 'assessment.reassess';

type EvidenceRow = Selectable<DB['evidence']>;

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());
const day = (d: Date | string | null): string | null =>
  d === null ? null : typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10);
const arr = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

function toPublicView(r: EvidenceRow): EvidencePublicView {
  return {
    id: r.id,
    title: r.title,
    summary: r.summary,
    publishedOn: day(r.published_on),
    sourceUrl: r.source_url,
    evidenceType: r.evidence_type,
    reliability: r.reliability,
    countries: arr<string>(r.countries),
    endUsers: arr<string>(r.end_users),
    companies: arr<string>(r.companies),
    itemTypes: arr<string>(r.item_types),
    rights: arr<number | string>(r.rights).map(Number),
    documentsMisuse: r.documents_misuse,
    acceptedAt: r.status === 'accepted' ? iso(r.moderated_at) : null,
  };
}

type AttachmentView = EvidenceStaffView['attachments'][number];

/** The attachments of some records (one query), by record id, oldest first. */
async function attachmentsOf(db: Db | Tx, evidenceIds: string[]): Promise<Map<string, AttachmentView[]>> {
  const byEvidence = new Map<string, AttachmentView[]>();
  if (evidenceIds.length === 0) return byEvidence;
  const rows = await db
    .selectFrom('evidence_attachments')
    .select(['id', 'evidence_id', 'filename', 'media_type', 'size_bytes', 'sha256'])
    .where('evidence_id', 'in', evidenceIds)
    .orderBy('created_at')
    .execute();
  for (const a of rows) {
    const view = {
      id: a.id,
      filename: a.filename,
      mediaType: a.media_type,
      sizeBytes: a.size_bytes,
      sha256: a.sha256,
    };
    const list = byEvidence.get(a.evidence_id);
    if (list) list.push(view);
    else byEvidence.set(a.evidence_id, [view]);
  }
  return byEvidence;
}

function toStaffView(r: EvidenceRow, attachments: Map<string, AttachmentView[]>): EvidenceStaffView {
  return {
    ...toPublicView(r),
    status: r.status,
    confidential: r.confidential,
    enteredBy: r.entered_by,
    submittedBy: r.submitted_by,
    submitterContact: r.submitter_contact,
    moderatedBy: r.moderated_by,
    moderatedAt: iso(r.moderated_at),
    moderationNote: r.moderation_note,
    attachments: attachments.get(r.id) ?? [],
    createdAt: iso(r.created_at)!,
    version: r.version,
  };
}

/** The staff view of one record. */
const staffViewOf = async (db: Db | Tx, r: EvidenceRow): Promise<EvidenceStaffView> =>
  toStaffView(r, await attachmentsOf(db, [r.id]));

const safeFilename = (name: string): string =>
  name
    .replace(/[\\/]/g, '_')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 200) || 'attachment';

/** Decode and check attachments with the documents rules (size limit, content-sniffed type), before any write. */
function checkAttachments(ctx: ServiceContext, uploads: { filename: string; contentBase64: string }[]) {
  return uploads.map((u, i) => {
    const path = `attachments.${i}.contentBase64`;
    if (!/^[A-Za-z0-9+/=\s]+$/.test(u.contentBase64))
      throw new DomainError('INVALID', `Attachment ${i + 1} is not valid base64.`, {
        issues: [{ path, message: 'not base64' }],
      });
    const content = new Uint8Array(Buffer.from(u.contentBase64, 'base64'));
    if (content.byteLength === 0)
      throw new DomainError('INVALID', `Attachment ${i + 1} is empty.`, {
        issues: [{ path, message: 'empty' }],
      });
    if (content.byteLength > ctx.config.maxUploadBytes)
      throw new DomainError(
        'TOO_LARGE',
        `Attachment ${i + 1} is larger than the limit of ${ctx.config.maxUploadBytes} bytes.`,
      );
    const sniffed = sniffMediaType(content);
    if (!sniffed)
      throw new DomainError(
        'INVALID',
        `Attachment ${i + 1}: the file type is not accepted: a PDF, an image (PNG, JPEG), an office document or plain text.`,
        { issues: [{ path, message: 'unrecognised or not accepted content type' }] },
      );
    return {
      filename: safeFilename(u.filename),
      mediaType: sniffed.mediaType,
      content,
      sha256: createHash('sha256').update(content).digest('hex'),
    };
  });
}

type Submission = ReturnType<typeof EvidenceSubmission.parse>;

async function insertEvidence(
  ctx: ServiceContext,
  trx: Tx,
  actor: Principal,
  data: Submission,
  files: ReturnType<typeof checkAttachments>,
  accepted: { reliability: Reliability; note: string | null } | null,
): Promise<EvidenceRow> {
  const now = ctx.now();
  const row = await trx
    .insertInto('evidence')
    .values({
      id: ctx.newId(),
      title: data.title,
      summary: data.summary,
      published_on: data.publishedOn ?? null,
      source_url: data.sourceUrl ?? null,
      evidence_type: data.evidenceType,
      reliability: accepted?.reliability ?? 'unassessed',
      countries: JSON.stringify([...new Set(data.countries)]),
      end_users: JSON.stringify(data.endUsers),
      companies: JSON.stringify(data.companies),
      item_types: JSON.stringify([...new Set(data.itemTypes)]),
      rights: JSON.stringify([...new Set(data.rights)]),
      confidential: data.confidential,
      documents_misuse: data.documentsMisuse,
      status: accepted ? 'accepted' : 'pending',
      entered_by: accepted ? 'staff' : actor.kind === 'public' ? 'public' : 'user',
      submitted_by: actor.kind === 'user' ? actor.userId : null,
      submitter_contact: data.submitterContact ?? null,
      moderated_by: accepted && actor.kind === 'user' ? actor.userId : null,
      moderated_at: accepted ? now : null,
      moderation_note: accepted?.note ?? null,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  for (const f of files)
    await trx
      .insertInto('evidence_attachments')
      .values({
        id: ctx.newId(),
        evidence_id: row.id,
        filename: f.filename,
        media_type: f.mediaType,
        size_bytes: f.content.byteLength,
        sha256: f.sha256,
        content: f.content,
        created_at: now,
      })
      .execute();
  return row;
}

/** The change an accepted record represents, for the re-assessment job. */
const changeOf = (r: EvidenceRow) => ({
  kind: 'evidence' as const,
  countries: arr<string>(r.countries),
  names: [...arr<string>(r.end_users), ...arr<string>(r.companies)],
  reason: `Evidence ${r.id} accepted: ${r.title}`,
  evidenceId: r.id,
});

/**
 * Submit evidence for moderation. Open to everyone, including the anonymous public; the HTTP route is rate-limited.
 * The receipt echoes nothing but the id: the record stays invisible until an officer accepts it.
 */
export async function submitEvidence(ctx: ServiceContext, actor: Principal, raw: unknown) {
  const data = parseInput(EvidenceSubmission, raw, 'The evidence submission');
  const files = checkAttachments(ctx, data.attachments);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await insertEvidence(ctx, trx, actor, data, files, null);
    // The audit payload names no contact and no content: the log is readable by every officer for years.
    await appendAudit(ctx, trx, actor, {
      action: 'evidence.submitted',
      entityType: 'evidence',
      entityId: row.id,
      payload: { evidenceType: row.evidence_type, attachments: files.length, confidential: row.confidential },
    });
    return {
      id: row.id,
      status: row.status,
      attachments: files.length,
      message:
        'Thank you. The submission is in the moderation queue; it is not public until an officer accepts it.',
    };
  });
}

/** Staff enter a record directly: accepted on entry with its reliability grade; triggers re-assessment. */
export async function recordEvidence(ctx: ServiceContext, actor: Principal, raw: unknown) {
  requireRole(actor, 'officer', 'administrator');
  const data = parseInput(EvidenceEntry, raw, 'The evidence record');
  const files = checkAttachments(ctx, data.attachments);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await insertEvidence(ctx, trx, actor, data, files, {
      reliability: data.reliability,
      note: data.note ?? null,
    });
    await appendAudit(ctx, trx, actor, {
      action: 'evidence.recorded',
      entityType: 'evidence',
      entityId: row.id,
      payload: {
        evidenceType: row.evidence_type,
        reliability: row.reliability,
        confidential: row.confidential,
      },
    });
    await enqueueJob(trx, REASSESS_QUEUE, changeOf(row));
    return staffViewOf(trx, row);
  });
}

/** Accept (with a reliability grade) or reject (with a note) a pending record; audited; acceptance re-assesses. */
export async function moderateEvidence(ctx: ServiceContext, actor: Principal, id: string, raw: unknown) {
  requireRole(actor, 'officer', 'administrator');
  const data = parseInput(EvidenceModeration, raw, 'The moderation');
  return ctx.db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('evidence').selectAll().where('id', '=', id).executeTakeFirst();
    if (!current) throw notFound('Evidence');
    if (current.status !== 'pending')
      throw new DomainError(
        'CONFLICT',
        `This evidence was already ${current.status}; it cannot be moderated again.`,
      );
    const accept = data.decision === 'accept';
    const row = await trx
      .updateTable('evidence')
      .set({
        status: accept ? 'accepted' : 'rejected',
        reliability: accept ? data.reliability : current.reliability,
        confidential: accept && data.confidential !== undefined ? data.confidential : current.confidential,
        moderated_by: actor.kind === 'user' ? actor.userId : null,
        moderated_at: ctx.now(),
        moderation_note: data.note ?? null,
        updated_at: ctx.now(),
        version: current.version + 1,
      })
      .where('id', '=', id)
      .where('version', '=', data.version)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw staleVersion('evidence', current.version, data.version);
    await appendAudit(ctx, trx, actor, {
      action: accept ? 'evidence.accepted' : 'evidence.rejected',
      entityType: 'evidence',
      entityId: id,
      payload: {
        reliability: row.reliability,
        confidential: row.confidential,
        note: row.moderation_note,
        version: row.version,
      },
    });
    if (accept) await enqueueJob(trx, REASSESS_QUEUE, changeOf(row));
    return staffViewOf(trx, row);
  });
}

/** SQL conditions of a registry query (title/summary text, tags); `true` when none. */
function filterOf(f: {
  q?: string | undefined;
  country?: string | undefined;
  evidenceType?: string | undefined;
  itemType?: string | undefined;
  right?: number | undefined;
  status?: string | undefined;
}): RawBuilder<boolean> {
  const conds: RawBuilder<boolean>[] = [];
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(sql<boolean>`(title ilike ${like} or summary ilike ${like})`);
  }
  if (f.country) conds.push(sql<boolean>`countries @> ${JSON.stringify([f.country])}::jsonb`);
  if (f.evidenceType) conds.push(sql<boolean>`evidence_type = ${f.evidenceType}`);
  if (f.itemType) conds.push(sql<boolean>`item_types @> ${JSON.stringify([f.itemType])}::jsonb`);
  if (f.right !== undefined) conds.push(sql<boolean>`rights @> ${JSON.stringify([f.right])}::jsonb`);
  if (f.status) conds.push(sql<boolean>`status = ${f.status}`);
  return conds.length ? sql<boolean>`(${sql.join(conds, sql` and `)})` : sql<boolean>`true`;
}

/** The public registry: accepted, non-confidential records only, with no submitter data. Open to everyone. */
export async function listPublicEvidence(ctx: ServiceContext, raw: unknown) {
  const q = parseInput(EvidencePublicQuery, raw ?? {}, 'The query');
  const base = ctx.db
    .selectFrom('evidence')
    .where('status', '=', 'accepted')
    .where('confidential', '=', false)
    .where(filterOf(q));
  const [rows, total] = await Promise.all([
    base
      .selectAll()
      .orderBy('published_on', (ob) => ob.desc().nullsLast())
      .orderBy('id')
      .limit(q.limit)
      .offset(q.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toPublicView), total: Number(total.n), limit: q.limit, offset: q.offset };
}

/** The whole registry (moderation queue included) with submitter contacts: officers and administrators only. */
export async function listEvidence(ctx: ServiceContext, actor: Principal, raw: unknown) {
  requireRole(actor, 'officer', 'administrator');
  const q = parseInput(EvidenceStaffQuery, raw ?? {}, 'The query');
  const base = ctx.db.selectFrom('evidence').where(filterOf(q));
  const [rows, total] = await Promise.all([
    base.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(q.limit).offset(q.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const attachments = await attachmentsOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  return {
    items: rows.map((r) => toStaffView(r, attachments)),
    total: Number(total.n),
    limit: q.limit,
    offset: q.offset,
  };
}

/**
 * One record: staff get the full view; anyone else gets the public view of an accepted, non-confidential record
 * and NOT_FOUND otherwise (a pending, rejected or confidential record's existence is not disclosed).
 */
export async function getEvidence(
  ctx: ServiceContext,
  actor: Principal,
  id: string,
): Promise<EvidenceStaffView | EvidencePublicView> {
  const row = await ctx.db.selectFrom('evidence').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Evidence');
  if (isStaff(actor)) return staffViewOf(ctx.db, row);
  if (row.status !== 'accepted' || row.confidential) throw notFound('Evidence');
  return toPublicView(row);
}

/** An attachment's bytes: staff only (submitted files may identify persons; they are not published). */
export async function readEvidenceAttachment(
  ctx: ServiceContext,
  actor: Principal,
  evidenceId: string,
  attachmentId: string,
) {
  requireRole(actor, 'officer', 'administrator');
  const row = await ctx.db
    .selectFrom('evidence_attachments')
    .selectAll()
    .where('id', '=', attachmentId)
    .where('evidence_id', '=', evidenceId)
    .executeTakeFirst();
  if (!row) throw notFound('Attachment');
  return { filename: row.filename, mediaType: row.media_type, content: row.content };
}

/** What an assessment needs to find registry evidence linked to it. */
export interface EvidenceLinkQuery {
  destination: string;
  parties: { name: string; country: string }[];
  capabilities: readonly string[];
  /** Confidential records are used only for staff (an exporter's assessment must not reveal them). */
  includeConfidential: boolean;
}

/**
 * Accepted registry records linked to an application: tagged with its destination or a party's country, or naming
 * a party (end user or company). Returned in the engine's evidence format, ordered by id (deterministic).
 */
export async function findRegistryEvidence(db: Db | Tx, q: EvidenceLinkQuery): Promise<EvidenceRecord[]> {
  const countries = [...new Set([q.destination, ...q.parties.map((p) => p.country)])];
  let query = db.selectFrom('evidence').selectAll().where('status', '=', 'accepted');
  if (!q.includeConfidential) query = query.where('confidential', '=', false);
  const rows = await query.orderBy('id').execute();
  const partyKeys = q.parties.map((p) => normaliseName(p.name));
  const linked = rows.filter((r) => {
    if (arr<string>(r.countries).some((c) => countries.includes(c))) return true;
    const names = [...arr<string>(r.end_users), ...arr<string>(r.companies)].map(normaliseName);
    return names.some((n) => partyKeys.some((k) => namesMatch(k, n)));
  });
  return linked.map((r) => ({
    id: `registry:${r.id}`,
    title: r.title,
    type: r.evidence_type as EvidenceType,
    reliability: (['high', 'medium', 'low'].includes(r.reliability) ? r.reliability : 'low') as Reliability,
    date: day(r.published_on) ?? day(r.moderated_at ?? r.created_at)!,
    sourceUrl: r.source_url ?? `custos:evidence/${r.id}`,
    countries: arr<string>(r.countries),
    endUsers: arr<string>(r.end_users),
    companies: arr<string>(r.companies),
    itemCapabilities: arr<ItemCapability>(r.item_types),
    rights: arr<number | string>(r.rights).map(Number) as CharterArticle[],
    documentsMisuse: r.documents_misuse,
    status: 'accepted' as const,
  }));
}
