/** Licence applications: exporters draft, edit and submit; officers list, filter and read. */
import { sql, type Selectable } from 'kysely';
import {
  ApplicationCreate,
  ApplicationListQuery,
  ApplicationTransitionRequest,
  ApplicationUpdate,
  type ApplicationCreateInput,
  type ApplicationListQueryInput,
  type ApplicationUpdateInput,
} from '../contracts/foundation.ts';
import { conflict, invalid, notFound, staleVersion, type FieldIssue } from '../domain/errors.ts';
import {
  APPLICATION_STATUSES,
  EDITABLE_STATUSES,
  type Application,
  type ApplicationStatus,
  type ApplicationTransition,
  type ExportChannel,
  type LicenceType,
  type PartyRole,
  type Principal,
  type QuantityUnit,
  OPEN_STATUSES,
} from '../domain/model.ts';
import type { ApplicationsTable } from '../db/schema.ts';
import { appendAudit } from './audit.service.ts';
import {
  assertCanReadOrganisation,
  assertExporterOf,
  isStaff,
  requireRole,
  requireUser,
} from './authorization.ts';
import type { ServiceContext, Tx } from './context.ts';
import { transitionApplication } from './casework.service.ts';
import { parseInput } from './validation.ts';

type Line = Application['lines'][number];
type AppParty = Application['parties'][number];

function toApplication(r: Selectable<ApplicationsTable>, lines: Line[], parties: AppParty[]): Application {
  return {
    id: r.id,
    reference: r.reference,
    organisationId: r.organisation_id,
    licenceType: r.licence_type as LicenceType,
    destinationCountry: r.destination_country,
    intendedEndUse: r.intended_end_use,
    exportChannel: r.export_channel as ExportChannel,
    status: r.status as ApplicationStatus,
    lines,
    parties,
    totalValueEur: Number(r.total_value_eur),
    submittedAt: r.submitted_at ? new Date(r.submitted_at).toISOString() : null,
    decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
    synthetic: r.synthetic,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    version: r.version,
  };
}

/** Next application reference, e.g. CUS-2026-000042, from a per-year counter. */
async function nextReference(ctx: ServiceContext, trx: Tx): Promise<string> {
  const year = ctx.now().getUTCFullYear();
  const scope = `application:${year}`;
  const row = await sql<{ value: number }>`
    insert into reference_counters (scope, next_value) values (${scope}, 2)
    on conflict (scope) do update set next_value = reference_counters.next_value + 1
    returning next_value - 1 as value`.execute(trx);
  return `${ctx.config.authority.referencePrefix}-${year}-${String(row.rows[0]!.value).padStart(6, '0')}`;
}

/** Items and parties on an application must be the exporter's own. */
async function checkOwnership(
  trx: Tx,
  organisationId: string,
  lines: { itemId: string }[],
  parties: { partyId: string; role: string }[],
): Promise<void> {
  const issues: FieldIssue[] = [];
  const itemIds = [...new Set(lines.map((l) => l.itemId))];
  const partyIds = [...new Set(parties.map((p) => p.partyId))];
  const ownItems = itemIds.length
    ? new Set(
        (
          await trx
            .selectFrom('items')
            .select('id')
            .where('id', 'in', itemIds)
            .where('organisation_id', '=', organisationId)
            .execute()
        ).map((r) => r.id),
      )
    : new Set<string>();
  const ownParties = partyIds.length
    ? new Set(
        (
          await trx
            .selectFrom('parties')
            .select('id')
            .where('id', 'in', partyIds)
            .where('organisation_id', '=', organisationId)
            .execute()
        ).map((r) => r.id),
      )
    : new Set<string>();
  lines.forEach((l, i) => {
    if (!ownItems.has(l.itemId))
      issues.push({
        path: `lines.${i}.itemId`,
        message: 'no such item in your catalogue',
        code: 'unknown_item',
      });
  });
  parties.forEach((p, i) => {
    if (!ownParties.has(p.partyId))
      issues.push({
        path: `parties.${i}.partyId`,
        message: 'no such party among yours',
        code: 'unknown_party',
      });
  });
  const seen = new Set<string>();
  parties.forEach((p, i) => {
    const key = `${p.partyId}/${p.role}`;
    if (seen.has(key))
      issues.push({
        path: `parties.${i}`,
        message: 'the same party is listed twice in the same role',
        code: 'duplicate_party',
      });
    seen.add(key);
  });
  if (issues.length)
    throw invalid(
      `The application refers to records you do not have: ${issues.map((i) => i.path).join(', ')}`,
      issues,
    );
}

async function writeLinesAndParties(
  trx: Tx,
  applicationId: string,
  lines: ApplicationCreateInput['lines'],
  parties: ApplicationCreateInput['parties'],
): Promise<void> {
  await trx.deleteFrom('application_lines').where('application_id', '=', applicationId).execute();
  await trx.deleteFrom('application_parties').where('application_id', '=', applicationId).execute();
  if (lines.length) {
    await trx
      .insertInto('application_lines')
      .values(
        lines.map((l, i) => ({
          application_id: applicationId,
          line_no: i + 1,
          item_id: l.itemId,
          quantity: l.quantity,
          unit: l.unit,
          value: l.value,
          currency: l.currency,
          value_eur: l.valueEur,
        })),
      )
      .execute();
  }
  if (parties.length) {
    await trx
      .insertInto('application_parties')
      .values(parties.map((p) => ({ application_id: applicationId, party_id: p.partyId, role: p.role })))
      .execute();
  }
}

const sumEur = (lines: { valueEur: number }[]): number =>
  Math.round(lines.reduce((s, l) => s + l.valueEur * 100, 0)) / 100;

export async function createApplication(
  ctx: ServiceContext,
  actor: Principal,
  input: ApplicationCreateInput,
): Promise<Application> {
  const user = requireUser(actor);
  requireRole(actor, 'exporter');
  const data = parseInput(ApplicationCreate, input);
  const id = await ctx.db.transaction().execute(async (trx) => {
    await checkOwnership(trx, user.organisationId, data.lines, data.parties);
    const id = ctx.newId();
    const now = ctx.now();
    await trx
      .insertInto('applications')
      .values({
        id,
        reference: await nextReference(ctx, trx),
        organisation_id: user.organisationId,
        created_by: user.userId,
        licence_type: data.licenceType,
        destination_country: data.destinationCountry,
        intended_end_use: data.intendedEndUse,
        export_channel: data.exportChannel,
        status: 'draft',
        total_value_eur: sumEur(data.lines),
        created_at: now,
        updated_at: now,
      })
      .execute();
    await writeLinesAndParties(trx, id, data.lines, data.parties);
    await trx
      .insertInto('application_transitions')
      .values({
        application_id: id,
        from_status: null,
        to_status: 'draft',
        actor_id: user.userId,
        at: now,
        reason: null,
      })
      .execute();
    await appendAudit(ctx, trx, actor, {
      action: 'application.created',
      entityType: 'application',
      entityId: id,
      payload: {
        licenceType: data.licenceType,
        destinationCountry: data.destinationCountry,
        lines: data.lines.length,
        parties: data.parties.length,
      },
    });
    return id;
  });
  return getApplication(ctx, actor, id);
}

export async function loadApplication(db: ServiceContext['db'] | Tx, id: string, withHistory: boolean) {
  const row = await db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const [lines, parties, history] = await Promise.all([
    db
      .selectFrom('application_lines')
      .selectAll()
      .where('application_id', '=', id)
      .orderBy('line_no')
      .execute(),
    db
      .selectFrom('application_parties')
      .selectAll()
      .where('application_id', '=', id)
      .orderBy('role')
      .orderBy('party_id')
      .execute(),
    withHistory
      ? db
          .selectFrom('application_transitions')
          .selectAll()
          .where('application_id', '=', id)
          .orderBy('id')
          .execute()
      : Promise.resolve([]),
  ]);
  const app = toApplication(
    row,
    lines.map((l) => ({
      lineNo: l.line_no,
      itemId: l.item_id,
      quantity: Number(l.quantity),
      unit: l.unit as QuantityUnit,
      value: Number(l.value),
      currency: l.currency,
      valueEur: Number(l.value_eur),
      classification: l.classification,
    })),
    parties.map((p) => ({ partyId: p.party_id, role: p.role as PartyRole })),
  );
  const transitions: ApplicationTransition[] = history.map((h) => ({
    fromStatus: h.from_status as ApplicationStatus | null,
    toStatus: h.to_status as ApplicationStatus,
    actorId: h.actor_id,
    at: new Date(h.at).toISOString(),
    reason: h.reason,
  }));
  return { app, history: transitions };
}

export async function getApplication(
  ctx: ServiceContext,
  actor: Principal,
  id: string,
): Promise<Application & { history: ApplicationTransition[] }> {
  const found = await loadApplication(ctx.db, id, true);
  if (!found) throw notFound('Application');
  assertCanReadOrganisation(actor, found.app.organisationId, 'Application');
  return { ...found.app, history: found.history };
}

export async function updateApplication(
  ctx: ServiceContext,
  actor: Principal,
  id: string,
  input: ApplicationUpdateInput,
): Promise<Application> {
  const data = parseInput(ApplicationUpdate, input);
  await ctx.db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
    if (!current) throw notFound('Application');
    assertExporterOf(actor, current.organisation_id, 'application');
    if (!EDITABLE_STATUSES.includes(current.status as ApplicationStatus)) {
      throw conflict(
        `An application in status ${current.status} cannot be edited (only ${EDITABLE_STATUSES.join(' or ')}).`,
      );
    }
    if (current.version !== data.version) {
      throw staleVersion('application', current.version, data.version);
    }
    if (data.lines || data.parties) {
      const existing = await loadApplication(trx, id, false);
      const lines = data.lines ?? existing!.app.lines.map(({ lineNo: _n, ...l }) => l);
      const parties = data.parties ?? existing!.app.parties;
      await checkOwnership(trx, current.organisation_id, lines, parties);
      await writeLinesAndParties(trx, id, lines, parties);
      if (data.lines)
        await trx
          .updateTable('applications')
          .set({ total_value_eur: sumEur(data.lines) })
          .where('id', '=', id)
          .execute();
    }
    const updated = await trx
      .updateTable('applications')
      .set({
        ...(data.licenceType !== undefined && { licence_type: data.licenceType }),
        ...(data.destinationCountry !== undefined && { destination_country: data.destinationCountry }),
        ...(data.intendedEndUse !== undefined && { intended_end_use: data.intendedEndUse }),
        ...(data.exportChannel !== undefined && { export_channel: data.exportChannel }),
        updated_at: ctx.now(),
        version: current.version + 1,
      })
      .where('id', '=', id)
      .where('version', '=', data.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw staleVersion('application');
    await appendAudit(ctx, trx, actor, {
      action: 'application.updated',
      entityType: 'application',
      entityId: id,
      payload: { fields: Object.keys(data).filter((k) => k !== 'version'), version: current.version + 1 },
    });
  });
  return getApplication(ctx, actor, id);
}

/** What an application needs before it can be submitted; an empty list means it is complete. */
export function submissionGaps(app: Application): FieldIssue[] {
  const gaps: FieldIssue[] = [];
  if (app.lines.length === 0)
    gaps.push({ path: 'lines', message: 'add at least one item line', code: 'add_item_line' });
  if (!app.parties.some((p) => p.role === 'end_user'))
    gaps.push({ path: 'parties', message: 'name the end user', code: 'name_end_user' });
  if (!app.parties.some((p) => p.role === 'consignee') && app.exportChannel === 'physical') {
    gaps.push({
      path: 'parties',
      message: 'name the consignee of a physical export',
      code: 'name_consignee',
    });
  }
  if (app.intendedEndUse.trim().length < 10)
    gaps.push({
      path: 'intendedEndUse',
      message: 'describe the intended end use',
      code: 'describe_end_use',
      params: { minimum: 10 },
    });
  return gaps;
}

/** Submit a complete draft to the authority (the lifecycle's draft -> submitted, guard application_complete). */
export async function submitApplication(
  ctx: ServiceContext,
  actor: Principal,
  id: string,
  input: { version: number },
): Promise<Application> {
  const data = parseInput(ApplicationTransitionRequest, input);
  return transitionApplication(ctx, actor, id, { to: 'submitted', expectedVersion: data.version });
}

/** The exporter withdraws an application that has not been decided (the lifecycle's * -> withdrawn). */
export async function withdrawApplication(
  ctx: ServiceContext,
  actor: Principal,
  id: string,
  input: { version: number; reason?: string | undefined },
): Promise<Application> {
  const data = parseInput(ApplicationTransitionRequest, input);
  return transitionApplication(ctx, actor, id, {
    to: 'withdrawn',
    expectedVersion: data.version,
    ...(data.reason !== undefined && { reason: data.reason }),
  });
}

const SORTS = {
  created_desc: ['created_at', 'desc'],
  created_asc: ['created_at', 'asc'],
  submitted_asc: ['submitted_at', 'asc'],
  submitted_desc: ['submitted_at', 'desc'],
  value_desc: ['total_value_eur', 'desc'],
} as const;

/**
 * How many applications the caller may see are in each status, in one grouped query (exporters: their own;
 * staff: all), optionally for one destination. Statuses with none are 0.
 */
export async function countApplicationsByStatus(
  ctx: ServiceContext,
  actor: Principal,
  filter: { destination?: string } = {},
): Promise<Record<ApplicationStatus, number>> {
  let organisationId: string | undefined;
  if (!isStaff(actor)) {
    const user = requireUser(actor);
    requireRole(actor, 'exporter');
    organisationId = user.organisationId;
  }
  let q = ctx.db
    .selectFrom('applications')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status');
  if (organisationId) q = q.where('organisation_id', '=', organisationId);
  if (filter.destination) q = q.where('destination_country', '=', filter.destination.toUpperCase());
  const counts = Object.fromEntries(APPLICATION_STATUSES.map((s) => [s, 0])) as Record<
    ApplicationStatus,
    number
  >;
  for (const r of await q.execute()) counts[r.status as ApplicationStatus] = Number(r.n);
  return counts;
}

/** List applications: an exporter sees its own; staff see all and can filter by organisation. */
export async function listApplications(
  ctx: ServiceContext,
  actor: Principal,
  query: Partial<ApplicationListQueryInput>,
): Promise<{ items: Application[]; total: number; limit: number; offset: number }> {
  const q = parseInput(ApplicationListQuery, query, 'The query');
  let organisationId = q.organisationId;
  if (!isStaff(actor)) {
    const user = requireUser(actor);
    requireRole(actor, 'exporter');
    organisationId = user.organisationId;
  }
  let base = ctx.db.selectFrom('applications');
  if (organisationId) base = base.where('organisation_id', '=', organisationId);
  if (q.status === 'open') base = base.where('status', 'in', [...OPEN_STATUSES]);
  else if (q.status) base = base.where('status', '=', q.status);
  if (q.destination) base = base.where('destination_country', '=', q.destination);
  if (q.licenceType) base = base.where('licence_type', '=', q.licenceType);
  if (q.q) base = base.where('reference', 'ilike', `%${q.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
  const [col, dir] = SORTS[q.sort];
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy(col, dir).orderBy('id').limit(q.limit).offset(q.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const ids = rows.map((r) => r.id);
  const [lines, parties] = ids.length
    ? await Promise.all([
        ctx.db
          .selectFrom('application_lines')
          .selectAll()
          .where('application_id', 'in', ids)
          .orderBy('line_no')
          .execute(),
        ctx.db.selectFrom('application_parties').selectAll().where('application_id', 'in', ids).execute(),
      ])
    : [[], []];
  const items = rows.map((r) =>
    toApplication(
      r,
      lines
        .filter((l) => l.application_id === r.id)
        .map((l) => ({
          lineNo: l.line_no,
          itemId: l.item_id,
          quantity: Number(l.quantity),
          unit: l.unit as QuantityUnit,
          value: Number(l.value),
          currency: l.currency,
          valueEur: Number(l.value_eur),
        })),
      parties
        .filter((p) => p.application_id === r.id)
        .map((p) => ({ partyId: p.party_id, role: p.role as PartyRole })),
    ),
  );
  return { items, total: Number(count.n), limit: q.limit, offset: q.offset };
}
