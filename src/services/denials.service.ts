/**
 * Denials (Art 16): the register of this authority's own denials and those received from other Member States, the
 * JSON exchange (export, import refused whole), the essentially-identical check on an application, Art 16(2)
 * consultations with their 10-working-day clock, the notification when granting despite a denial, and the guard
 * facts the lifecycle reads. Received denials and everything about checks are staff-only.
 */
import { sql, type Selectable } from 'kysely';
import { z } from 'zod';
import { conflict, DomainError, notFound, staleVersion } from '../domain/errors.ts';
import { PARTY_TYPES, systemPrincipal, type Principal } from '../domain/model.ts';
import {
  DENIAL_KINDS,
  DENIAL_PARTY_ROLES,
  type ApplicationForDenialCheck,
  type DenialConsultation,
  type DenialParty,
  type DenialRecord,
  type IsoDate,
} from '../domain/workflow.ts';
import {
  assessDenialConsultation,
  assessDenialGuards,
  computeDenialReviewDue,
  exportDenials,
  extendDenialConsultation,
  findEssentiallyIdenticalTransactions,
  openDenialConsultation,
  parseDenialExchange,
  type DenialMatch,
} from '../engines/workflow/index.ts';
import type { DenialConsultationsTable, DenialsTable } from '../db/schema.ts';
import { appendAudit } from './audit.service.ts';
import { actorOf, requireRole } from './authorization.ts';
import { authorityCalendar, todayOf } from './compliance-policy.ts';
import { notifyConsultationEvent } from './notifications.service.ts';
import type { ServiceContext, Tx } from './context.ts';
import { parseInput } from './validation.ts';

type DbLike = ServiceContext['db'] | Tx;

/** The register's three statuses: `expired` is a denial whose review lapsed without renewal (not in force). */
export const DENIAL_REGISTER_STATUSES = ['in_force', 'revoked', 'expired'] as const;
export type DenialRegisterStatus = (typeof DENIAL_REGISTER_STATUSES)[number];

export type DenialView = Omit<DenialRecord, 'status' | 'revokedOn'> & {
  status: DenialRegisterStatus;
  statusChangedOn: IsoDate | null;
  reviewOverdue: boolean;
  applicationId: string | null;
  decisionId: string | null;
  version: number;
};

const countryCode = z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, upper case');
const isoDate = z.iso.date();

export const DenialPartyInput = z.strictObject({
  role: z.enum(DENIAL_PARTY_ROLES),
  name: z.string().trim().min(1).max(500),
  aliases: z.array(z.string().trim().min(1)).max(50).optional(),
  address: z.string().max(1000).default(''),
  country: countryCode,
  partyType: z.enum([...PARTY_TYPES, 'unknown']).default('unknown'),
});

export const DenialCreateInput = z.strictObject({
  origin: z.enum(['own', 'received']),
  kind: z.enum(DENIAL_KINDS).default('refusal'),
  notifyingMemberState: countryCode.optional(),
  reference: z.string().trim().min(1).max(200),
  deniedOn: isoDate,
  controlEntries: z.array(z.string().trim().min(2)).max(100).default([]),
  itemDescription: z.string().trim().min(1).max(5000),
  endUse: z.string().max(5000).default(''),
  destinationCountry: countryCode,
  parties: z.array(DenialPartyInput).min(1).max(100),
  reason: z.string().trim().min(1).max(10000),
  reviewDueOn: isoDate.optional(),
});
export type DenialCreate = z.input<typeof DenialCreateInput>;

export const DenialStatusChangeInput = z.strictObject({
  status: z.enum(DENIAL_REGISTER_STATUSES),
  on: isoDate.optional(),
  reason: z.string().trim().min(1).max(2000),
  version: z.number().int().positive(),
});

export const DenialListQuery = z.strictObject({
  origin: z.enum(['own', 'received']).optional(),
  status: z.enum(DENIAL_REGISTER_STATUSES).optional(),
  destinationCountry: countryCode.optional(),
});

function toView(r: Selectable<DenialsTable>, asOf: IsoDate): DenialView {
  return {
    id: r.id,
    origin: r.origin as DenialRecord['origin'],
    kind: r.kind as DenialRecord['kind'],
    notifyingMemberState: r.notifying_member_state,
    reference: r.reference,
    deniedOn: r.denied_on,
    controlEntries: r.control_entries,
    itemDescription: r.item_description,
    endUse: r.end_use,
    destinationCountry: r.destination_country,
    parties: r.parties as DenialParty[],
    reason: r.reason,
    status: r.status as DenialRegisterStatus,
    statusChangedOn: r.status_changed_on,
    reviewDueOn: r.review_due_on,
    reviewOverdue: r.status === 'in_force' && r.review_due_on < asOf,
    applicationId: r.application_id,
    decisionId: r.decision_id,
    version: r.version,
  };
}

/** The engine's record: only `in_force` is in force; revoked and expired are both "not in force". */
function toEngineRecord(r: Selectable<DenialsTable>): DenialRecord {
  const inForce = r.status === 'in_force';
  return {
    id: r.id,
    origin: r.origin as DenialRecord['origin'],
    kind: r.kind as DenialRecord['kind'],
    notifyingMemberState: r.notifying_member_state,
    reference: r.reference,
    deniedOn: r.denied_on,
    controlEntries: r.control_entries,
    itemDescription: r.item_description,
    endUse: r.end_use,
    destinationCountry: r.destination_country,
    parties: r.parties as DenialParty[],
    reason: r.reason,
    status: inForce ? 'in_force' : 'revoked',
    revokedOn: inForce ? null : (r.status_changed_on ?? r.review_due_on),
    reviewDueOn: r.review_due_on,
  };
}

const staffOnly = (actor: Principal) => requireRole(actor, 'officer', 'administrator');

/** Register a denial by hand: one of this authority's own, or one received from another Member State. Staff only. */
export async function createDenial(
  ctx: ServiceContext,
  actor: Principal,
  input: DenialCreate,
): Promise<DenialView> {
  staffOnly(actor);
  const data = parseInput(DenialCreateInput, input, 'The denial');
  const own = ctx.config.authority.country;
  const notifying = data.origin === 'own' ? own : data.notifyingMemberState;
  if (!notifying)
    throw new DomainError('INVALID', 'A received denial names the notifying Member State.', {
      issues: [{ path: 'notifyingMemberState', message: 'required for a received denial', code: 'required' }],
    });
  if (data.origin === 'received' && notifying === own)
    throw new DomainError('INVALID', `A received denial comes from another Member State than ${own}.`, {
      issues: [{ path: 'notifyingMemberState', message: `not ${own}` }],
    });
  const id = ctx.newId();
  await ctx.db.transaction().execute(async (trx) => {
    await assertReferenceFree(trx, notifying, data.reference);
    await trx
      .insertInto('denials')
      .values({
        id,
        origin: data.origin,
        kind: data.kind,
        notifying_member_state: notifying,
        reference: data.reference,
        denied_on: data.deniedOn,
        control_entries: JSON.stringify(data.controlEntries),
        item_description: data.itemDescription,
        end_use: data.endUse,
        destination_country: data.destinationCountry,
        parties: JSON.stringify(data.parties),
        reason: data.reason,
        status: 'in_force',
        review_due_on: data.reviewDueOn ?? computeDenialReviewDue(data.deniedOn),
      })
      .execute();
    await appendAudit(ctx, trx, actor, {
      action: 'denial.registered',
      entityType: 'denial',
      entityId: id,
      payload: { origin: data.origin, notifyingMemberState: notifying, reference: data.reference },
    });
  });
  return getDenial(ctx, actor, id);
}

async function assertReferenceFree(trx: Tx, memberState: string, reference: string): Promise<void> {
  const taken = await trx
    .selectFrom('denials')
    .select('id')
    .where('notifying_member_state', '=', memberState)
    .where('reference', '=', reference)
    .executeTakeFirst();
  if (taken) throw conflict(`Denial ${memberState} ${reference} is already in the register.`);
}

export async function getDenial(ctx: ServiceContext, actor: Principal, id: string): Promise<DenialView> {
  staffOnly(actor);
  const row = await ctx.db.selectFrom('denials').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Denial');
  return toView(row, todayOf(ctx));
}

export async function listDenials(
  ctx: ServiceContext,
  actor: Principal,
  query: z.input<typeof DenialListQuery> = {},
): Promise<DenialView[]> {
  staffOnly(actor);
  const q = parseInput(DenialListQuery, query, 'The query');
  let sel = ctx.db.selectFrom('denials').selectAll().orderBy('denied_on', 'desc').orderBy('reference');
  if (q.origin) sel = sel.where('origin', '=', q.origin);
  if (q.status) sel = sel.where('status', '=', q.status);
  if (q.destinationCountry) sel = sel.where('destination_country', '=', q.destinationCountry);
  const asOf = todayOf(ctx);
  return (await sel.execute()).map((r) => toView(r, asOf));
}

/** Revoke, mark expired or reinstate a denial (with a reason; optimistic concurrency on `version`). */
export async function changeDenialStatus(
  ctx: ServiceContext,
  actor: Principal,
  id: string,
  input: z.input<typeof DenialStatusChangeInput>,
): Promise<DenialView> {
  staffOnly(actor);
  const data = parseInput(DenialStatusChangeInput, input, 'The status change');
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('denials')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('Denial');
    if (row.version !== data.version) throw staleVersion('denial', row.version, data.version);
    if (row.origin === 'received' && data.status === 'in_force' && row.status === 'revoked')
      throw conflict(
        'Only the notifying Member State can reinstate its revoked denial: import its new file.',
      );
    await trx
      .updateTable('denials')
      .set({
        status: data.status,
        status_changed_on: data.status === 'in_force' ? null : (data.on ?? todayOf(ctx)),
        updated_at: ctx.now(),
        version: sql`version + 1`,
      })
      .where('id', '=', id)
      .execute();
    await appendAudit(ctx, trx, actor, {
      action: 'denial.status_changed',
      entityType: 'denial',
      entityId: id,
      payload: { from: row.status, to: data.status, reason: data.reason },
    });
  });
  return getDenial(ctx, actor, id);
}

/**
 * Export the register as a `custos.denial-exchange` file (own denials by default; `includeReceived` adds those
 * received). Expired denials are exported as not in force (`revoked` with the date), the exchange format's only
 * other status. Audited.
 */
export async function exportDenialRegister(
  ctx: ServiceContext,
  actor: Principal,
  options: { includeReceived?: boolean } = {},
): Promise<{ text: string; count: number }> {
  staffOnly(actor);
  let q = ctx.db.selectFrom('denials').selectAll();
  if (!options.includeReceived) q = q.where('origin', '=', 'own');
  const rows = await q.execute();
  const text = exportDenials(rows.map(toEngineRecord), {
    exportedAt: ctx.now().toISOString(),
    exportingAuthority: { memberState: ctx.config.authority.country, name: ctx.config.authority.name },
  });
  await ctx.db.transaction().execute(async (trx) => {
    await appendAudit(ctx, trx, actor, {
      action: 'denial.exported',
      entityType: 'denial_register',
      payload: { count: rows.length, includeReceived: !!options.includeReceived },
    });
  });
  return { text, count: rows.length };
}

export type DenialImportReport = {
  importId: string;
  exportingAuthority: { memberState: string; name: string };
  checksum: string;
  denials: number;
  created: number;
  updated: number;
};

/**
 * Import another Member State's exchange file. The whole file is refused (INVALID, nothing written) on bad JSON,
 * schema, duplicate ids, checksum, or a denial notified by this authority's own Member State. Known denials (same
 * notifying State and reference) are updated (e.g. revoked); new ones are added as `received`.
 */
export async function importDenialExchange(
  ctx: ServiceContext,
  actor: Principal,
  text: string,
): Promise<DenialImportReport> {
  staffOnly(actor);
  const doc = parseDenialExchange(text);
  const own = ctx.config.authority.country;
  const ownIssues = doc.denials
    .map((d, i) => ({ d, i }))
    .filter(({ d }) => d.notifyingMemberState === own)
    .map(({ i }) => ({
      path: `denials.${i}.notifyingMemberState`,
      message: `${own} is this authority's Member State: its denials are not received`,
    }));
  if (ownIssues.length > 0)
    throw new DomainError(
      'INVALID',
      `Denial exchange file refused: ${ownIssues.length} denial(s) notified by ${own} itself.`,
      { issues: ownIssues },
    );
  const importId = ctx.newId();
  let created = 0;
  let updated = 0;
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('denial_imports')
      .values({
        id: importId,
        exporting_member_state: doc.exportingAuthority.memberState,
        exporting_authority: doc.exportingAuthority.name,
        exported_at: doc.exportedAt,
        checksum: doc.checksum.value,
        denial_count: doc.denials.length,
        created_count: 0,
        updated_count: 0,
        imported_by: actorOf(actor),
        imported_at: ctx.now(),
      })
      .execute();
    for (const d of doc.denials) {
      const values = {
        kind: d.kind,
        denied_on: d.deniedOn,
        control_entries: JSON.stringify(d.controlEntries),
        item_description: d.itemDescription,
        end_use: d.endUse,
        destination_country: d.destinationCountry,
        parties: JSON.stringify(d.parties),
        reason: d.reason,
        status: d.status,
        status_changed_on: d.status === 'revoked' ? (d.revokedOn ?? null) : null,
        review_due_on: d.reviewDueOn,
        import_id: importId,
      };
      const existing = await trx
        .selectFrom('denials')
        .select(['id', 'origin'])
        .where('notifying_member_state', '=', d.notifyingMemberState)
        .where('reference', '=', d.reference)
        .executeTakeFirst();
      if (existing) {
        await trx
          .updateTable('denials')
          .set({ ...values, updated_at: ctx.now(), version: sql`version + 1` })
          .where('id', '=', existing.id)
          .execute();
        updated++;
      } else {
        await trx
          .insertInto('denials')
          .values({
            id: ctx.newId(),
            origin: 'received',
            notifying_member_state: d.notifyingMemberState,
            reference: d.reference,
            ...values,
          })
          .execute();
        created++;
      }
    }
    await trx
      .updateTable('denial_imports')
      .set({ created_count: created, updated_count: updated })
      .where('id', '=', importId)
      .execute();
    await appendAudit(ctx, trx, actor, {
      action: 'denial.imported',
      entityType: 'denial_import',
      entityId: importId,
      payload: {
        exportingAuthority: doc.exportingAuthority,
        checksum: doc.checksum.value,
        denials: doc.denials.length,
        created,
        updated,
      },
    });
  });
  return {
    importId,
    exportingAuthority: doc.exportingAuthority,
    checksum: doc.checksum.value,
    denials: doc.denials.length,
    created,
    updated,
  };
}

const ROLE_TO_DENIAL_ROLE: Record<string, DenialParty['role']> = {
  end_user: 'end_user',
  consignee: 'consignee',
  ultimate_end_user: 'ultimate_end_user',
  intermediary: 'intermediary',
  broker: 'other',
  agent: 'other',
};

/** Control entries of an application line: the classification frozen at submission, else the item's. */
function entriesOf(classification: unknown): string[] {
  const c = classification as { matchedEntries?: unknown } | null;
  return Array.isArray(c?.matchedEntries)
    ? c.matchedEntries.filter((e): e is string => typeof e === 'string')
    : [];
}

interface LoadedApplication {
  id: string;
  reference: string;
  organisationId: string;
  status: string;
  destinationCountry: string;
  intendedEndUse: string;
  facts: ApplicationForDenialCheck;
  parties: {
    name: string;
    aliases: string[];
    country: string;
    address: string;
    partyType: string;
    role: string;
  }[];
}

/** The application's parties and items in the shape the denial and catch-all engines read. */
export async function loadApplicationFacts(db: DbLike, applicationId: string): Promise<LoadedApplication> {
  const app = await db
    .selectFrom('applications')
    .selectAll()
    .where('id', '=', applicationId)
    .executeTakeFirst();
  if (!app) throw notFound('Application');
  const [lines, parties] = await Promise.all([
    db
      .selectFrom('application_lines as l')
      .innerJoin('items as i', 'i.id', 'l.item_id')
      .select([
        'l.line_no',
        'l.classification as line_classification',
        'i.classification as item_classification',
        'i.name',
        'i.public_description',
        'i.technical_profile',
      ])
      .where('l.application_id', '=', applicationId)
      .orderBy('l.line_no')
      .execute(),
    db
      .selectFrom('application_parties as ap')
      .innerJoin('parties as p', 'p.id', 'ap.party_id')
      .select(['ap.role', 'p.name', 'p.aliases', 'p.country', 'p.address', 'p.party_type'])
      .where('ap.application_id', '=', applicationId)
      .orderBy('ap.role')
      .orderBy('p.name')
      .execute(),
  ]);
  return {
    id: app.id,
    reference: app.reference,
    organisationId: app.organisation_id,
    status: app.status,
    destinationCountry: app.destination_country,
    intendedEndUse: app.intended_end_use,
    facts: {
      id: app.id,
      destinationCountry: app.destination_country,
      parties: parties.map((p) => ({
        role: p.role as ApplicationForDenialCheck['parties'][number]['role'],
        name: p.name,
        aliases: p.aliases,
        address: p.address,
        country: p.country,
      })),
      items: lines.map((l) => ({
        controlEntries: entriesOf(l.line_classification ?? l.item_classification),
        description: [l.name, l.public_description].filter(Boolean).join('. '),
      })),
    },
    parties: parties.map((p) => ({
      name: p.name,
      aliases: p.aliases,
      country: p.country,
      address: p.address,
      partyType: p.party_type,
      role: p.role,
    })),
  };
}

/**
 * Put this authority's denial into the register when an officer denies an application (called by the decision
 * service inside ITS transaction). Idempotent per decision. CONFLICT when the decision is not a denial of that
 * application.
 */
export async function recordDenialFromDecision(
  ctx: ServiceContext,
  trx: Tx,
  applicationId: string,
  decisionId: string,
): Promise<DenialView> {
  const decision = await trx
    .selectFrom('decisions')
    .selectAll()
    .where('id', '=', decisionId)
    .executeTakeFirst();
  if (!decision || decision.application_id !== applicationId) throw notFound('Decision');
  if (decision.outcome !== 'denied')
    throw conflict(`Decision ${decisionId} is ${decision.outcome}, not a denial: nothing to register.`);
  const existing = await trx
    .selectFrom('denials')
    .selectAll()
    .where('decision_id', '=', decisionId)
    .executeTakeFirst();
  if (existing) return toView(existing, todayOf(ctx));
  const app = await loadApplicationFacts(trx, applicationId);
  const deniedOn = new Date(decision.decided_at).toISOString().slice(0, 10);
  const memberState = ctx.config.authority.country;
  await assertReferenceFree(trx, memberState, app.reference);
  const entries = [...new Set(app.facts.items.flatMap((i) => i.controlEntries))];
  const id = ctx.newId();
  await trx
    .insertInto('denials')
    .values({
      id,
      origin: 'own',
      kind: 'refusal',
      notifying_member_state: memberState,
      reference: app.reference,
      denied_on: deniedOn,
      control_entries: JSON.stringify(entries),
      item_description: app.facts.items.map((i) => i.description).join('; ') || '(no item lines)',
      end_use: app.intendedEndUse,
      destination_country: app.destinationCountry,
      parties: JSON.stringify(
        app.parties.map((p): DenialParty => ({
          role: ROLE_TO_DENIAL_ROLE[p.role] ?? 'other',
          name: p.name,
          ...(p.aliases.length > 0 && { aliases: p.aliases }),
          address: p.address,
          country: p.country,
          partyType: p.partyType as DenialParty['partyType'],
        })),
      ),
      reason: decision.reasons,
      status: 'in_force',
      review_due_on: computeDenialReviewDue(deniedOn),
      application_id: applicationId,
      decision_id: decisionId,
      organisation_id: app.organisationId,
    })
    .execute();
  await appendAudit(ctx, trx, systemPrincipal('denial-register'), {
    action: 'denial.registered',
    entityType: 'denial',
    entityId: id,
    payload: { origin: 'own', applicationId, decisionId, reference: app.reference },
  });
  const row = await trx.selectFrom('denials').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return toView(row, todayOf(ctx));
}

export const DenialCheckInput = z.strictObject({
  /** The matches the officer keeps after adjudication; omitted = all (the conservative default). */
  keepDenialIds: z.array(z.uuid()).optional(),
  note: z.string().max(5000).optional(),
});

export interface DenialCheckView {
  id: string;
  applicationId: string;
  checkedOn: IsoDate;
  checkedBy: string;
  denialsCompared: number;
  matches: DenialMatch[];
  keptDenialIds: string[];
  note: string | null;
}

/**
 * Compare an application with every denial in force (Art 2(22), Art 16(2)) and record the check with its matches
 * and reasons. Staff only; the exporter never sees received denials.
 */
export async function checkApplicationAgainstDenials(
  ctx: ServiceContext,
  actor: Principal,
  applicationId: string,
  input: z.input<typeof DenialCheckInput> = {},
): Promise<DenialCheckView> {
  staffOnly(actor);
  const data = parseInput(DenialCheckInput, input, 'The check');
  return ctx.db.transaction().execute((trx) => recordDenialCheck(ctx, trx, actor, applicationId, data));
}

/**
 * The check itself, inside the caller's transaction: the lifecycle runs it when an officer opens the assessment,
 * so no case reaches a decision without the Art 16(2) comparison on file.
 */
export async function recordDenialCheck(
  ctx: ServiceContext,
  trx: Tx,
  actor: Principal,
  applicationId: string,
  data: z.output<typeof DenialCheckInput> = {},
): Promise<DenialCheckView> {
  const asOf = todayOf(ctx);
  const id = ctx.newId();
  let result!: DenialCheckView;
  {
    const app = await loadApplicationFacts(trx, applicationId);
    const rows = await trx.selectFrom('denials').selectAll().where('status', '=', 'in_force').execute();
    const matches = findEssentiallyIdenticalTransactions(app.facts, rows.map(toEngineRecord), undefined, {
      asOf,
    });
    const matchedIds = new Set(matches.map((m) => m.denialId));
    const unknownKept = (data.keepDenialIds ?? []).filter((k) => !matchedIds.has(k));
    if (unknownKept.length > 0)
      throw new DomainError('INVALID', 'Only denials that matched can be kept.', {
        issues: unknownKept.map((k) => ({ path: 'keepDenialIds', message: `${k} did not match` })),
      });
    const kept = data.keepDenialIds ?? [...matchedIds];
    await trx
      .insertInto('denial_checks')
      .values({
        id,
        application_id: applicationId,
        checked_on: asOf,
        checked_at: ctx.now(),
        checked_by: actorOf(actor),
        denials_compared: rows.length,
        matches: JSON.stringify(matches),
        kept_denial_ids: JSON.stringify(kept),
        note: data.note ?? null,
      })
      .execute();
    await appendAudit(ctx, trx, actor, {
      action: 'application.denial_check',
      entityType: 'application',
      entityId: applicationId,
      payload: {
        checkId: id,
        denialsCompared: rows.length,
        matches: matches.map((m) => ({ denialId: m.denialId, strength: m.strength })),
        kept,
      },
    });
    result = {
      id,
      applicationId,
      checkedOn: asOf,
      checkedBy: actorOf(actor),
      denialsCompared: rows.length,
      matches,
      keptDenialIds: kept,
      note: data.note ?? null,
    };
  }
  return result;
}

function toConsultation(r: Selectable<DenialConsultationsTable>): DenialConsultation & { version: number } {
  return {
    id: r.id,
    applicationId: r.application_id,
    denialId: r.denial_id,
    consultedMemberState: r.consulted_member_state,
    openedOn: r.opened_on,
    replyDueOn: r.reply_due_on,
    extensionWorkingDays: r.extension_working_days,
    status: r.status as DenialConsultation['status'],
    answeredOn: r.answered_on,
    answer: r.answer,
    version: r.version,
  };
}

/** Everything the officer needs about denials on one application, and the lifecycle guard facts. */
async function loadDenialState(db: DbLike, applicationId: string, asOf: IsoDate) {
  const [check, consultations, notifications] = await Promise.all([
    db
      .selectFrom('denial_checks')
      .selectAll()
      .where('application_id', '=', applicationId)
      .orderBy('checked_at', 'desc')
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom('denial_consultations')
      .selectAll()
      .where('application_id', '=', applicationId)
      .orderBy('opened_on')
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('denial_override_notifications')
      .selectAll()
      .where('application_id', '=', applicationId)
      .orderBy('created_at')
      .execute(),
  ]);
  const kept = new Set(check?.kept_denial_ids ?? []);
  const matches = ((check?.matches ?? []) as DenialMatch[]).filter((m) => kept.has(m.denialId));
  // A later consultation on the same denial supersedes an earlier withdrawn one.
  const latestPerDenial = new Map<string, DenialConsultation & { version: number }>();
  for (const c of consultations.map(toConsultation)) latestPerDenial.set(c.denialId, c);
  const notified = new Set(notifications.flatMap((n) => n.denial_ids));
  const guards = assessDenialGuards({
    checkedAt: check?.checked_on ?? null,
    matches,
    consultations: [...latestPerDenial.values()],
    overrideNotificationRecorded: false,
    asOf,
  });
  const overrideNotificationRecorded =
    guards.notifyDenialIds.length > 0 && guards.notifyDenialIds.every((id) => notified.has(id));
  const final = overrideNotificationRecorded
    ? assessDenialGuards({
        checkedAt: check?.checked_on ?? null,
        matches,
        consultations: [...latestPerDenial.values()],
        overrideNotificationRecorded: true,
        asOf,
      })
    : guards;
  return { check, matches, consultations, notifications, guards: final };
}

/**
 * The lifecycle guard facts from the denial records of one application, read in the caller's transaction:
 * `essentially_identical_check_done`, `all_consultations_closed`, `denial_override_notified`.
 */
export async function denialGuardFacts(
  ctx: ServiceContext,
  trx: Tx,
  applicationId: string,
): Promise<Record<string, boolean | undefined>> {
  const state = await loadDenialState(trx, applicationId, todayOf(ctx));
  return { ...state.guards.facts };
}

/** The officer's view of denials on an application: last check, consultations (with their state), notifications. */
export async function getApplicationDenialView(ctx: ServiceContext, actor: Principal, applicationId: string) {
  staffOnly(actor);
  const exists = await ctx.db
    .selectFrom('applications')
    .select('id')
    .where('id', '=', applicationId)
    .executeTakeFirst();
  if (!exists) throw notFound('Application');
  const asOf = todayOf(ctx);
  const s = await loadDenialState(ctx.db, applicationId, asOf);
  return {
    applicationId,
    asOf,
    lastCheck: s.check
      ? {
          id: s.check.id,
          checkedOn: s.check.checked_on,
          checkedBy: s.check.checked_by,
          denialsCompared: s.check.denials_compared,
          matches: s.check.matches as DenialMatch[],
          keptDenialIds: s.check.kept_denial_ids,
          note: s.check.note,
        }
      : null,
    consultations: s.consultations.map((r) => {
      const c = toConsultation(r);
      return { ...c, assessment: assessDenialConsultation(c, asOf) };
    }),
    overrideNotifications: s.notifications.map((n) => ({
      id: n.id,
      denialIds: n.denial_ids,
      notifiedOn: n.notified_on,
      recipients: n.recipients,
      explanation: n.explanation,
      recordedBy: n.recorded_by,
    })),
    guardFacts: s.guards.facts,
    notificationRequired: s.guards.notificationRequired,
    notifyDenialIds: s.guards.notifyDenialIds,
    missingConsultations: s.guards.missingConsultations,
    reasons: s.guards.reasons,
  };
}

export const ConsultationOpenInput = z.strictObject({
  denialId: z.uuid(),
  openedOn: isoDate.optional(),
});

/** Open an Art 16(2) consultation with the Member State that issued the denial: reply due in 10 working days. */
export async function openApplicationConsultation(
  ctx: ServiceContext,
  actor: Principal,
  applicationId: string,
  input: z.input<typeof ConsultationOpenInput>,
) {
  staffOnly(actor);
  const data = parseInput(ConsultationOpenInput, input, 'The consultation');
  const id = ctx.newId();
  await ctx.db.transaction().execute(async (trx) => {
    const app = await trx
      .selectFrom('applications')
      .select('id')
      .where('id', '=', applicationId)
      .executeTakeFirst();
    if (!app) throw notFound('Application');
    const denial = await trx
      .selectFrom('denials')
      .selectAll()
      .where('id', '=', data.denialId)
      .executeTakeFirst();
    if (!denial) throw notFound('Denial');
    if (denial.origin !== 'received')
      throw conflict("A consultation is held with another Member State; this is the authority's own denial.");
    if (denial.status !== 'in_force') throw conflict(`Denial ${denial.reference} is ${denial.status}.`);
    const open = await trx
      .selectFrom('denial_consultations')
      .select('id')
      .where('application_id', '=', applicationId)
      .where('denial_id', '=', data.denialId)
      .where('status', 'in', ['open', 'extended'])
      .executeTakeFirst();
    if (open) throw conflict(`A consultation on this denial is already open (${open.id}).`);
    const c = openDenialConsultation(authorityCalendar(ctx), {
      id,
      applicationId,
      denial: { id: denial.id, notifyingMemberState: denial.notifying_member_state },
      openedOn: data.openedOn ?? todayOf(ctx),
    });
    await trx
      .insertInto('denial_consultations')
      .values({
        id,
        application_id: applicationId,
        denial_id: denial.id,
        consulted_member_state: c.consultedMemberState,
        opened_on: c.openedOn,
        reply_due_on: c.replyDueOn,
        extension_working_days: 0,
        status: c.status,
        opened_by: actorOf(actor),
      })
      .execute();
    await appendAudit(ctx, trx, actor, {
      action: 'denial_consultation.opened',
      entityType: 'application',
      entityId: applicationId,
      payload: {
        consultationId: id,
        denialId: denial.id,
        memberState: c.consultedMemberState,
        replyDueOn: c.replyDueOn,
      },
    });
    await notifyConsultationEvent(ctx, trx, { event: 'denial_consultation.opened', consultationId: id });
  });
  return getConsultation(ctx, id);
}

async function getConsultation(ctx: ServiceContext, id: string) {
  const row = await ctx.db
    .selectFrom('denial_consultations')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('Consultation');
  const c = toConsultation(row);
  return { ...c, assessment: assessDenialConsultation(c, todayOf(ctx)) };
}

export const ConsultationUpdateInput = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('extend'),
    extraWorkingDays: z.number().int().positive(),
    version: z.number().int().positive(),
  }),
  z.strictObject({
    action: z.literal('answer'),
    considersIdentical: z.boolean(),
    answer: z.string().trim().min(1).max(10000),
    answeredOn: isoDate.optional(),
    version: z.number().int().positive(),
  }),
  z.strictObject({
    action: z.literal('withdraw'),
    answer: z.string().trim().min(1).max(2000),
    version: z.number().int().positive(),
  }),
]);

/** Extend (by agreement, total at most 30 working days), record the answer, or withdraw a consultation. */
export async function updateApplicationConsultation(
  ctx: ServiceContext,
  actor: Principal,
  consultationId: string,
  input: z.input<typeof ConsultationUpdateInput>,
) {
  staffOnly(actor);
  const data = parseInput(ConsultationUpdateInput, input, 'The consultation update');
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('denial_consultations')
      .selectAll()
      .where('id', '=', consultationId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('Consultation');
    if (row.version !== data.version) throw staleVersion('consultation', row.version, data.version);
    const c = toConsultation(row);
    if (c.status !== 'open' && c.status !== 'extended')
      throw conflict(`Consultation ${c.id} is ${c.status}; it is closed.`);
    let set: Record<string, unknown>;
    if (data.action === 'extend') {
      const e = extendDenialConsultation(authorityCalendar(ctx), c, data.extraWorkingDays);
      set = { extension_working_days: e.extensionWorkingDays, reply_due_on: e.replyDueOn, status: e.status };
    } else if (data.action === 'answer') {
      set = {
        status: data.considersIdentical ? 'answered_identical' : 'answered_not_identical',
        answered_on: data.answeredOn ?? todayOf(ctx),
        answer: data.answer,
      };
    } else set = { status: 'withdrawn', answer: data.answer, answered_on: todayOf(ctx) };
    await trx
      .updateTable('denial_consultations')
      .set({ ...set, version: sql`version + 1` })
      .where('id', '=', consultationId)
      .execute();
    const event =
      `denial_consultation.${data.action === 'extend' ? 'extended' : data.action === 'answer' ? 'answered' : 'withdrawn'}` as const;
    await appendAudit(ctx, trx, actor, {
      action: event,
      entityType: 'application',
      entityId: c.applicationId,
      payload: { consultationId, ...set },
    });
    await notifyConsultationEvent(ctx, trx, { event, consultationId });
  });
  return getConsultation(ctx, consultationId);
}

export const OverrideNotificationInput = z.strictObject({
  denialIds: z.array(z.uuid()).min(1),
  recipients: z.array(z.string().trim().min(2).max(100)).min(1),
  explanation: z.string().trim().min(1).max(10000),
  notifiedOn: isoDate.optional(),
});

/**
 * Record that the other Member States and the Commission were notified, with the reasons, of a grant despite an
 * essentially identical denial (Art 16(2)). The Commission must be among the recipients.
 */
export async function recordDenialOverrideNotification(
  ctx: ServiceContext,
  actor: Principal,
  applicationId: string,
  input: z.input<typeof OverrideNotificationInput>,
) {
  staffOnly(actor);
  const data = parseInput(OverrideNotificationInput, input, 'The notification');
  if (!data.recipients.some((r) => /^(EU|commission|european commission)$/i.test(r)))
    throw new DomainError(
      'INVALID',
      'Art 16(2): the Commission is notified too (add "EU" or "Commission").',
      {
        issues: [{ path: 'recipients', message: 'the Commission is missing' }],
      },
    );
  const id = ctx.newId();
  await ctx.db.transaction().execute(async (trx) => {
    const app = await trx
      .selectFrom('applications')
      .select('id')
      .where('id', '=', applicationId)
      .executeTakeFirst();
    if (!app) throw notFound('Application');
    const found = await trx.selectFrom('denials').select('id').where('id', 'in', data.denialIds).execute();
    const missing = data.denialIds.filter((d) => !found.some((f) => f.id === d));
    if (missing.length > 0)
      throw new DomainError('INVALID', 'Unknown denial(s).', {
        issues: missing.map((m) => ({ path: 'denialIds', message: `${m} not in the register` })),
      });
    await trx
      .insertInto('denial_override_notifications')
      .values({
        id,
        application_id: applicationId,
        denial_ids: JSON.stringify(data.denialIds),
        notified_on: data.notifiedOn ?? todayOf(ctx),
        recipients: JSON.stringify(data.recipients),
        explanation: data.explanation,
        recorded_by: actorOf(actor),
      })
      .execute();
    await appendAudit(ctx, trx, actor, {
      action: 'denial.override_notified',
      entityType: 'application',
      entityId: applicationId,
      payload: { notificationId: id, denialIds: data.denialIds, recipients: data.recipients },
    });
  });
  return getApplicationDenialView(ctx, actor, applicationId);
}
