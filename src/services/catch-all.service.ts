/**
 * Art 5 catch-all: the authority's notices that a non-listed cyber-surveillance item needs a licence (5(1)/(3)),
 * exporters' notifications of awareness (5(2)), the information and consultation of the other Member States with
 * the 30-working-day clock (5(4)-(5), the clock unverified), the published list after unanimous agreement and its
 * application to later applications. Exporters see only their own notices; consultations are staff-only.
 */
import { sql, type Selectable } from 'kysely';
import { z } from 'zod';
import { conflict, DomainError, notFound, staleVersion } from '../domain/errors.ts';
import type { Principal } from '../domain/model.ts';
import type { CatchAllItem, IsoDate, PublishedCatchAllEntry } from '../domain/workflow.ts';
import {
  assessCatchAllConsultation,
  extendCatchAllConsultation,
  matchPublishedCatchAll,
  openCatchAllConsultation,
  planCatchAllDuties,
  type CatchAllConsultation,
  type CatchAllPolicy,
} from '../engines/workflow/index.ts';
import type {
  CatchAllConsultationsTable,
  CatchAllNoticesTable,
  CatchAllPublicationsTable,
} from '../db/schema.ts';
import { appendAudit } from './audit.service.ts';
import { actorOf, assertCanReadOrganisation, isStaff, requireRole, requireUser } from './authorization.ts';
import { authorityCalendar, catchAllPolicy, todayOf } from './compliance-policy.ts';
import type { ServiceContext, Tx } from './context.ts';
import { loadApplicationFacts } from './denials.service.ts';
import { parseInput } from './validation.ts';

const countryCode = z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, upper case');
const isoDate = z.iso.date();

const CatchAllItemInput = z.strictObject({
  description: z.string().trim().min(1).max(5000),
  controlEntries: z.array(z.string().trim().min(2)).max(50).default([]),
  categories: z
    .array(z.string().regex(/^[a-z_]+$/))
    .max(20)
    .default([]),
});

export const CatchAllNoticeInput = z.strictObject({
  organisationId: z.uuid(),
  applicationId: z.uuid().optional(),
  issuedOn: isoDate.optional(),
  items: z.array(CatchAllItemInput).min(1).max(100),
  destinationCountry: countryCode,
  endUsers: z.array(z.string().trim().min(1).max(500)).max(100).default([]),
  grounds: z.string().trim().min(1).max(10000),
  legalBasis: z.enum(['Art 5(1)', 'Art 5(3)']).default('Art 5(1)'),
  informOthersInappropriate: z.boolean().default(false),
  inappropriateReason: z.string().trim().max(5000).optional(),
});

export const AwarenessNotificationInput = z.strictObject({
  applicationId: z.uuid().optional(),
  items: z.array(CatchAllItemInput).min(1).max(100),
  destinationCountry: countryCode,
  endUsers: z.array(z.string().trim().min(1).max(500)).max(100).default([]),
  findings: z.string().trim().min(1).max(10000),
  dueDiligenceRecordId: z.uuid().optional(),
});

export const AwarenessDecisionInput = z.strictObject({
  licenceRequired: z.boolean(),
  version: z.number().int().positive(),
});

function checkCategories(policy: CatchAllPolicy, items: { categories: string[] }[], path = 'items'): void {
  const known = new Set(policy.categories.map((c) => c.id));
  const issues = items.flatMap((it, i) =>
    it.categories
      .filter((c) => !known.has(c))
      .map((c) => ({
        path: `${path}.${i}.categories`,
        message: `unknown category ${c} (policy/workflow/catch-all.yaml)`,
      })),
  );
  if (issues.length > 0)
    throw new DomainError(
      'INVALID',
      `Unknown catch-all categories: ${issues.map((i) => i.message).join('; ')}`,
      { issues },
    );
}

function toNoticeView(r: Selectable<CatchAllNoticesTable>) {
  return {
    id: r.id,
    kind: r.kind as 'notice' | 'awareness',
    reference: r.reference,
    organisationId: r.organisation_id,
    applicationId: r.application_id,
    datedOn: r.dated_on,
    items: r.items as CatchAllItem[],
    destinationCountry: r.destination_country,
    endUsers: r.end_users,
    grounds: r.grounds,
    legalBasis: r.legal_basis,
    dueDiligenceRecordId: r.due_diligence_record_id,
    informOthersInappropriate: r.inform_others_inappropriate,
    inappropriateReason: r.inappropriate_reason,
    duties: r.duties,
    status: r.status,
    version: r.version,
  };
}
export type CatchAllNoticeView = ReturnType<typeof toNoticeView>;

async function nextNoticeReference(
  ctx: ServiceContext,
  trx: Tx,
  kind: 'notice' | 'awareness',
): Promise<string> {
  const year = ctx.now().getUTCFullYear();
  const scope = `catch-all-${kind}:${year}`;
  const row = await sql<{ value: number }>`
    insert into reference_counters (scope, next_value) values (${scope}, 2)
    on conflict (scope) do update set next_value = reference_counters.next_value + 1
    returning next_value - 1 as value`.execute(trx);
  const tag = kind === 'notice' ? 'A5N' : 'A5A';
  return `${ctx.config.authority.referencePrefix}-${tag}-${year}-${String(row.rows[0]!.value).padStart(5, '0')}`;
}

async function assertApplicationOf(
  trx: Tx,
  applicationId: string | undefined,
  organisationId: string,
): Promise<void> {
  if (!applicationId) return;
  const app = await trx
    .selectFrom('applications')
    .select('organisation_id')
    .where('id', '=', applicationId)
    .executeTakeFirst();
  if (!app || app.organisation_id !== organisationId)
    throw new DomainError('INVALID', "The application is not one of this exporter's.", {
      issues: [{ path: 'applicationId', message: 'not an application of the organisation' }],
    });
}

/** Art 5(1)/(3): the authority informs an exporter that the named non-listed items need a licence. Staff only. */
export async function issueCatchAllNotice(
  ctx: ServiceContext,
  actor: Principal,
  input: z.input<typeof CatchAllNoticeInput>,
): Promise<CatchAllNoticeView> {
  requireRole(actor, 'officer', 'administrator');
  const data = parseInput(CatchAllNoticeInput, input, 'The notice');
  checkCategories(catchAllPolicy(), data.items);
  const id = ctx.newId();
  const issuedOn = data.issuedOn ?? todayOf(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    const org = await trx
      .selectFrom('organisations')
      .select(['id', 'kind'])
      .where('id', '=', data.organisationId)
      .executeTakeFirst();
    if (!org || org.kind !== 'exporter')
      throw new DomainError('INVALID', 'A notice is addressed to an exporter.', {
        issues: [{ path: 'organisationId', message: 'not an exporter organisation' }],
      });
    await assertApplicationOf(trx, data.applicationId, data.organisationId);
    const reference = await nextNoticeReference(ctx, trx, 'notice');
    const duties = planCatchAllDuties({
      kind: 'notice',
      record: {
        id,
        exporterOrganisationId: data.organisationId,
        issuedOn,
        items: data.items,
        destinationCountry: data.destinationCountry,
        endUsers: data.endUsers,
        grounds: data.grounds,
        legalBasis: data.legalBasis,
      },
      informOthersInappropriate: data.informOthersInappropriate,
      ...(data.inappropriateReason !== undefined && { inappropriateReason: data.inappropriateReason }),
    });
    await trx
      .insertInto('catch_all_notices')
      .values({
        id,
        kind: 'notice',
        reference,
        organisation_id: data.organisationId,
        application_id: data.applicationId ?? null,
        dated_on: issuedOn,
        items: JSON.stringify(data.items),
        destination_country: data.destinationCountry,
        end_users: JSON.stringify(data.endUsers),
        grounds: data.grounds,
        legal_basis: data.legalBasis,
        inform_others_inappropriate: data.informOthersInappropriate,
        inappropriate_reason: data.inappropriateReason ?? null,
        duties: JSON.stringify(duties),
        status: 'licence_required',
        created_by: actorOf(actor),
      })
      .execute();
    await appendAudit(ctx, trx, actor, {
      action: 'catch_all.notice_issued',
      entityType: 'catch_all_notice',
      entityId: id,
      payload: {
        reference,
        organisationId: data.organisationId,
        applicationId: data.applicationId ?? null,
        legalBasis: data.legalBasis,
      },
    });
  });
  return getCatchAllNotice(ctx, actor, id);
}

/** Art 5(2): an exporter aware from its due diligence that items are intended for a 5(1) use notifies the authority. */
export async function notifyCatchAllAwareness(
  ctx: ServiceContext,
  actor: Principal,
  input: z.input<typeof AwarenessNotificationInput>,
): Promise<CatchAllNoticeView> {
  const user = requireUser(actor);
  requireRole(actor, 'exporter');
  const data = parseInput(AwarenessNotificationInput, input, 'The notification');
  checkCategories(catchAllPolicy(), data.items);
  const id = ctx.newId();
  const notifiedOn = todayOf(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    await assertApplicationOf(trx, data.applicationId, user.organisationId);
    if (data.dueDiligenceRecordId) {
      const dd = await trx
        .selectFrom('due_diligence_records')
        .select('organisation_id')
        .where('id', '=', data.dueDiligenceRecordId)
        .executeTakeFirst();
      if (!dd || dd.organisation_id !== user.organisationId)
        throw new DomainError('INVALID', 'Unknown due-diligence record.', {
          issues: [{ path: 'dueDiligenceRecordId', message: 'not a record of this exporter' }],
        });
    }
    const reference = await nextNoticeReference(ctx, trx, 'awareness');
    const duties = planCatchAllDuties({
      kind: 'awareness',
      record: {
        id,
        exporterOrganisationId: user.organisationId,
        notifiedOn,
        items: data.items,
        destinationCountry: data.destinationCountry,
        endUsers: data.endUsers,
        dueDiligenceRecordId: data.dueDiligenceRecordId ?? null,
        findings: data.findings,
      },
    });
    await trx
      .insertInto('catch_all_notices')
      .values({
        id,
        kind: 'awareness',
        reference,
        organisation_id: user.organisationId,
        application_id: data.applicationId ?? null,
        dated_on: notifiedOn,
        items: JSON.stringify(data.items),
        destination_country: data.destinationCountry,
        end_users: JSON.stringify(data.endUsers),
        grounds: data.findings,
        legal_basis: 'Art 5(2)',
        due_diligence_record_id: data.dueDiligenceRecordId ?? null,
        duties: JSON.stringify(duties),
        status: 'open',
        created_by: actorOf(actor),
      })
      .execute();
    await appendAudit(ctx, trx, actor, {
      action: 'catch_all.awareness_notified',
      entityType: 'catch_all_notice',
      entityId: id,
      payload: { reference, organisationId: user.organisationId },
    });
  });
  return getCatchAllNotice(ctx, actor, id);
}

/** The authority decides on an Art 5(2) notification whether a licence is needed (then it acts as a 5(1) notice). */
export async function decideCatchAllAwareness(
  ctx: ServiceContext,
  actor: Principal,
  id: string,
  input: z.input<typeof AwarenessDecisionInput>,
): Promise<CatchAllNoticeView> {
  requireRole(actor, 'officer', 'administrator');
  const data = parseInput(AwarenessDecisionInput, input, 'The decision');
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('catch_all_notices')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('Catch-all notice');
    if (row.kind !== 'awareness') throw conflict('Only an Art 5(2) notification awaits a decision.');
    if (row.version !== data.version) throw staleVersion('notification', row.version, data.version);
    if (row.status !== 'open') throw conflict(`The notification was already decided (${row.status}).`);
    const status = data.licenceRequired ? 'licence_required' : 'no_licence_required';
    await trx
      .updateTable('catch_all_notices')
      .set({ status, version: sql`version + 1` })
      .where('id', '=', id)
      .execute();
    await appendAudit(ctx, trx, actor, {
      action: 'catch_all.awareness_decided',
      entityType: 'catch_all_notice',
      entityId: id,
      payload: { status },
    });
  });
  return getCatchAllNotice(ctx, actor, id);
}

export async function getCatchAllNotice(
  ctx: ServiceContext,
  actor: Principal,
  id: string,
): Promise<CatchAllNoticeView> {
  const row = await ctx.db
    .selectFrom('catch_all_notices')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('Catch-all notice');
  assertCanReadOrganisation(actor, row.organisation_id, 'Catch-all notice');
  return toNoticeView(row);
}

/** Notices and notifications: an exporter sees its own; staff see all (optionally of one organisation). */
export async function listCatchAllNotices(
  ctx: ServiceContext,
  actor: Principal,
  filter: { organisationId?: string; kind?: 'notice' | 'awareness' } = {},
): Promise<CatchAllNoticeView[]> {
  const user = actor.kind === 'user' ? actor : null;
  if (actor.kind === 'public') requireUser(actor);
  let q = ctx.db
    .selectFrom('catch_all_notices')
    .selectAll()
    .orderBy('dated_on', 'desc')
    .orderBy('reference', 'desc');
  if (!isStaff(actor)) q = q.where('organisation_id', '=', user!.organisationId);
  else if (filter.organisationId) q = q.where('organisation_id', '=', filter.organisationId);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  return (await q.execute()).map(toNoticeView);
}

function toConsultationRecord(
  r: Selectable<CatchAllConsultationsTable>,
  policy: CatchAllPolicy,
): CatchAllConsultation {
  return {
    id: r.id,
    requirementId: r.notice_id,
    informedOn: r.informed_on,
    memberStates: r.member_states,
    dueOn: r.due_on,
    extensionWorkingDays: r.extension_working_days,
    responses: r.responses as CatchAllConsultation['responses'],
    verified: policy.clock.memberStateReviewWorkingDays.verified,
    source: policy.clock.memberStateReviewWorkingDays.source,
  };
}

async function consultationView(ctx: ServiceContext, id: string) {
  const row = await ctx.db
    .selectFrom('catch_all_consultations')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('Catch-all consultation');
  const c = toConsultationRecord(row, catchAllPolicy());
  return {
    ...c,
    noticeId: row.notice_id,
    version: row.version,
    assessment: assessCatchAllConsultation(c, todayOf(ctx)),
  };
}

export const CatchAllConsultationOpenInput = z.strictObject({
  memberStates: z.array(countryCode).min(1).max(27),
  informedOn: isoDate.optional(),
});

/** Art 5(4)-(5): inform and consult the other Member States about a notice; answers due in 30 working days. */
export async function openNoticeConsultation(
  ctx: ServiceContext,
  actor: Principal,
  noticeId: string,
  input: z.input<typeof CatchAllConsultationOpenInput>,
) {
  requireRole(actor, 'officer', 'administrator');
  const data = parseInput(CatchAllConsultationOpenInput, input, 'The consultation');
  const own = ctx.config.authority.country;
  if (data.memberStates.includes(own))
    throw new DomainError('INVALID', `${own} is this authority's own Member State.`, {
      issues: [{ path: 'memberStates', message: `remove ${own}` }],
    });
  const id = ctx.newId();
  await ctx.db.transaction().execute(async (trx) => {
    const notice = await trx
      .selectFrom('catch_all_notices')
      .selectAll()
      .where('id', '=', noticeId)
      .executeTakeFirst();
    if (!notice) throw notFound('Catch-all notice');
    if (notice.status !== 'licence_required')
      throw conflict(
        'Only a notice that requires a licence is consulted on (decide the Art 5(2) notification first).',
      );
    if (notice.inform_others_inappropriate)
      throw conflict('The notice records that informing the other Member States is inappropriate.');
    const c = openCatchAllConsultation(authorityCalendar(ctx), catchAllPolicy(), {
      id,
      requirementId: noticeId,
      informedOn: data.informedOn ?? todayOf(ctx),
      memberStates: data.memberStates,
    });
    await trx
      .insertInto('catch_all_consultations')
      .values({
        id,
        notice_id: noticeId,
        informed_on: c.informedOn,
        member_states: JSON.stringify(c.memberStates),
        due_on: c.dueOn,
        responses: JSON.stringify([]),
      })
      .execute();
    await appendAudit(ctx, trx, actor, {
      action: 'catch_all.consultation_opened',
      entityType: 'catch_all_notice',
      entityId: noticeId,
      payload: { consultationId: id, memberStates: c.memberStates, dueOn: c.dueOn, verified: c.verified },
    });
  });
  return consultationView(ctx, id);
}

export const CatchAllConsultationUpdateInput = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('respond'),
    memberState: countryCode,
    agrees: z.boolean(),
    note: z.string().max(5000).optional(),
    respondedOn: isoDate.optional(),
    version: z.number().int().positive(),
  }),
  z.strictObject({
    action: z.literal('extend'),
    extraWorkingDays: z.number().int().positive(),
    version: z.number().int().positive(),
  }),
]);

/** Record a Member State's answer, or extend the clock (capped). */
export async function updateNoticeConsultation(
  ctx: ServiceContext,
  actor: Principal,
  consultationId: string,
  input: z.input<typeof CatchAllConsultationUpdateInput>,
) {
  requireRole(actor, 'officer', 'administrator');
  const data = parseInput(CatchAllConsultationUpdateInput, input, 'The consultation update');
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('catch_all_consultations')
      .selectAll()
      .where('id', '=', consultationId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('Catch-all consultation');
    if (row.version !== data.version) throw staleVersion('consultation', row.version, data.version);
    const c = toConsultationRecord(row, catchAllPolicy());
    let set: Record<string, unknown>;
    if (data.action === 'respond') {
      if (!c.memberStates.includes(data.memberState))
        throw new DomainError('INVALID', `${data.memberState} was not consulted.`, {
          issues: [{ path: 'memberState', message: `one of ${c.memberStates.join(', ')}` }],
        });
      if (c.responses.some((r) => r.memberState === data.memberState))
        throw conflict(`${data.memberState} has already answered.`);
      const responses = [
        ...c.responses,
        {
          memberState: data.memberState,
          respondedOn: data.respondedOn ?? todayOf(ctx),
          agreesEssentiallyIdenticalRequirement: data.agrees,
          ...(data.note && { note: data.note }),
        },
      ];
      set = { responses: JSON.stringify(responses) };
    } else {
      const e = extendCatchAllConsultation(
        authorityCalendar(ctx),
        catchAllPolicy(),
        c,
        data.extraWorkingDays,
      );
      set = { extension_working_days: e.extensionWorkingDays, due_on: e.dueOn };
    }
    await trx
      .updateTable('catch_all_consultations')
      .set({ ...set, version: sql`version + 1` })
      .where('id', '=', consultationId)
      .execute();
    await appendAudit(ctx, trx, actor, {
      action:
        data.action === 'respond' ? 'catch_all.consultation_answered' : 'catch_all.consultation_extended',
      entityType: 'catch_all_notice',
      entityId: row.notice_id,
      payload: {
        consultationId,
        ...(data.action === 'respond'
          ? { memberState: data.memberState, agrees: data.agrees }
          : { extraWorkingDays: data.extraWorkingDays }),
      },
    });
  });
  return consultationView(ctx, consultationId);
}

export async function getNoticeConsultation(ctx: ServiceContext, actor: Principal, id: string) {
  requireRole(actor, 'officer', 'administrator');
  return consultationView(ctx, id);
}

export const CatchAllPublicationInput = z.strictObject({
  consultationId: z.uuid(),
  ojReference: z.string().trim().min(1).max(200),
  publishedOn: isoDate,
  itemDescription: z.string().trim().min(1).max(5000),
  categories: z
    .array(z.string().regex(/^[a-z_]+$/))
    .max(20)
    .default([]),
  keywords: z.array(z.string().trim().min(2).max(100)).max(50).default([]),
  destinations: z.array(countryCode).max(250).default([]),
});

function toPublication(
  r: Selectable<CatchAllPublicationsTable>,
): PublishedCatchAllEntry & { consultationId: string | null } {
  return {
    id: r.id,
    consultationId: r.consultation_id,
    ojReference: r.oj_reference,
    publishedOn: r.published_on,
    itemDescription: r.item_description,
    categories: r.categories,
    keywords: r.keywords,
    destinations: r.destinations,
    reviewDueOn: r.review_due_on,
    withdrawnOn: r.withdrawn_on,
  };
}

function addMonths(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

/**
 * Record the Commission's publication in the OJ C series of items (and destinations) after ALL consulted Member
 * States agreed [Art 5(6)-(7), unverified]. Refused (CONFLICT) without unanimity. Staff only.
 */
export async function publishCatchAllEntry(
  ctx: ServiceContext,
  actor: Principal,
  input: z.input<typeof CatchAllPublicationInput>,
) {
  requireRole(actor, 'officer', 'administrator');
  const data = parseInput(CatchAllPublicationInput, input, 'The publication');
  const policy = catchAllPolicy();
  checkCategories(policy, [{ categories: data.categories }], 'publication');
  if (data.categories.length === 0 && data.keywords.length === 0)
    throw new DomainError(
      'INVALID',
      'A publication names categories or keywords, or no application can match it.',
      {
        issues: [{ path: 'keywords', message: 'give categories or keywords' }],
      },
    );
  const id = ctx.newId();
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('catch_all_consultations')
      .selectAll()
      .where('id', '=', data.consultationId)
      .executeTakeFirst();
    if (!row) throw notFound('Catch-all consultation');
    const a = assessCatchAllConsultation(toConsultationRecord(row, policy), data.publishedOn);
    if (a.unanimous !== true) throw conflict(`No publication without unanimity: ${a.reasons.join(' ')}`);
    await trx
      .insertInto('catch_all_publications')
      .values({
        id,
        consultation_id: data.consultationId,
        oj_reference: data.ojReference,
        published_on: data.publishedOn,
        item_description: data.itemDescription,
        categories: JSON.stringify(data.categories),
        keywords: JSON.stringify(data.keywords),
        destinations: JSON.stringify(data.destinations),
        review_due_on: addMonths(data.publishedOn, policy.clock.publicationReviewMonths.value),
        created_by: actorOf(actor),
      })
      .execute();
    await appendAudit(ctx, trx, actor, {
      action: 'catch_all.published',
      entityType: 'catch_all_publication',
      entityId: id,
      payload: { ojReference: data.ojReference, consultationId: data.consultationId },
    });
  });
  const row = await ctx.db
    .selectFrom('catch_all_publications')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return toPublication(row);
}

/** The published list is public (it appears in the Official Journal). */
export async function listCatchAllPublications(ctx: ServiceContext) {
  const rows = await ctx.db
    .selectFrom('catch_all_publications')
    .selectAll()
    .orderBy('published_on', 'desc')
    .execute();
  return rows.map(toPublication);
}

/** Cyber-surveillance categories an item description names, by the words of the category id (e.g. "facial recognition"). */
function categoriesFromText(policy: CatchAllPolicy, text: string, profile: unknown): string[] {
  const words = ` ${text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  const fromText = policy.categories
    .filter((c) => words.includes(` ${c.id.replace(/_/g, ' ')} `))
    .map((c) => c.id);
  const declared = (profile as { catchAllCategories?: unknown } | null)?.catchAllCategories;
  const fromProfile = Array.isArray(declared)
    ? declared.filter((c): c is string => typeof c === 'string')
    : [];
  return [...new Set([...fromText, ...fromProfile])];
}

/**
 * Which published catch-all entries apply to an application (by category or keyword, and destination), and which
 * Art 5 notices this authority addressed to the exporter for the same destination, each with reasons. The owning
 * exporter and staff may ask.
 */
export async function matchApplicationCatchAll(ctx: ServiceContext, actor: Principal, applicationId: string) {
  const app = await ctx.db
    .selectFrom('applications')
    .select(['organisation_id'])
    .where('id', '=', applicationId)
    .executeTakeFirst();
  if (!app) throw notFound('Application');
  assertCanReadOrganisation(actor, app.organisation_id, 'Application');
  return assessApplicationCatchAll(ctx, ctx.db, applicationId);
}

/** The same, without authorisation, for other services (e.g. the officer's case view) inside their transaction. */
export async function assessApplicationCatchAll(
  ctx: ServiceContext,
  db: ServiceContext['db'] | Tx,
  applicationId: string,
) {
  const policy = catchAllPolicy();
  const asOf = todayOf(ctx);
  const facts = await loadApplicationFacts(db, applicationId);
  const profiles = await db
    .selectFrom('application_lines as l')
    .innerJoin('items as i', 'i.id', 'l.item_id')
    .select(['i.technical_profile'])
    .where('l.application_id', '=', applicationId)
    .orderBy('l.line_no')
    .execute();
  const items: CatchAllItem[] = facts.facts.items.map((it, i) => ({
    description: it.description,
    controlEntries: it.controlEntries,
    categories: categoriesFromText(policy, it.description, profiles[i]?.technical_profile ?? null),
  }));
  const publications = (await db.selectFrom('catch_all_publications').selectAll().execute()).map(
    toPublication,
  );
  const published = matchPublishedCatchAll(
    { destinationCountry: facts.destinationCountry, items },
    publications,
    { asOf },
  );
  const notices = await db
    .selectFrom('catch_all_notices')
    .selectAll()
    .where('organisation_id', '=', facts.organisationId)
    .where('destination_country', '=', facts.destinationCountry)
    .where('status', '=', 'licence_required')
    .execute();
  const noticeMatches = notices.map((n) => ({
    noticeId: n.id,
    reference: n.reference,
    legalBasis: n.legal_basis,
    datedOn: n.dated_on,
    forThisApplication: n.application_id === applicationId,
    reasons: [
      `${n.legal_basis} ${n.kind === 'notice' ? 'notice' : 'notification (licence required)'} ${n.reference} of ${n.dated_on} covers exports by this exporter to ${n.destination_country}.`,
      ...(n.application_id === applicationId ? ['It names this application.'] : []),
    ],
  }));
  return {
    applicationId,
    asOf,
    itemCategories: items.map((it, i) => ({ line: i + 1, categories: it.categories })),
    published,
    notices: noticeMatches,
    licenceRequiredUnderArt5: noticeMatches.length > 0 || published.length > 0,
    verified: false as const,
    reasons: [
      published.length === 0
        ? 'No published catch-all entry applies.'
        : `${published.length} published entry match(es).`,
      noticeMatches.length === 0
        ? 'No Art 5 notice for this exporter and destination.'
        : `${noticeMatches.length} Art 5 notice(s) apply.`,
      'Publication rules (Art 5(6)-(7)) are unverified.',
    ],
  };
}
