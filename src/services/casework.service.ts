/**
 * Case handling (issue 6): lifecycle transitions, the officer's queue and assignment, deadlines and SLA figures,
 * information requests, and the Art 12(4) requirements on file. Decisions: decisions.service.ts; licences:
 * licences.service.ts. The state machine is policy/workflow/lifecycle.yaml applied by casework/lifecycle.ts.
 */
import type { Selectable } from 'kysely';
import type { ApplicationsTable } from '../db/schema.ts';
import type { z } from 'zod';
import {
  ApplicationTransitionCommand,
  CaseAssignment,
  CaseListQuery,
  InformationRequestAnswer,
  InformationRequestCreate,
  LicenceRequirementsUpdate,
  SlaQuery,
  type ApplicationTransitionCommandInput,
  type CaseListQueryInput,
  type InformationRequestAnswerInput,
  type InformationRequestCreateInput,
  type LicenceRequirementsUpdateInput,
} from '../contracts/casework.ts';
import type {
  CaseView,
  DeadlineView,
  InformationRequestView,
  SlaView,
  TransitionsView,
} from '../contracts/casework.ts';
import { DomainError, forbidden, invalid, notFound, staleVersion } from '../domain/errors.ts';
import { OPEN_STATUSES, type Application, type ApplicationStatus, type Principal } from '../domain/model.ts';
import {
  assessDeadline,
  computeSlaFigures,
  listAvailableTransitions,
  type ApplicationHistory,
} from '../engines/workflow/index.ts';
import { getApplication, loadApplication } from './applications.service.ts';
import { appendAudit } from './audit.service.ts';
import {
  assertCanReadOrganisation,
  assertExporterOf,
  isStaff,
  requireRole,
  requireUser,
} from './authorization.ts';
import { loadLicenceRequirements } from './casework/guard-facts.ts';
import { actorRoleOf, applyApplicationTransition, type ApplyOptions } from './casework/lifecycle.ts';
import { lifecyclePolicy, todayOf, workingCalendar } from './casework/policy.ts';
import type { ServiceContext, Tx } from './context.ts';
import { parseInput } from './validation.ts';

/** Targets that need their own endpoint because they carry content the generic transition cannot. */
const DEDICATED: Partial<Record<ApplicationStatus, string>> = {
  information_requested: 'POST /api/applications/{id}/information-requests',
  granted: 'POST /api/applications/{id}/decision',
  granted_with_conditions: 'POST /api/applications/{id}/decision',
  denied: 'POST /api/applications/{id}/decision',
};

/** Load an application in a transaction and check the actor may see it (other exporters get NOT_FOUND). */
export async function loadVisibleApplication(trx: Tx | ServiceContext['db'], actor: Principal, id: string) {
  const found = await loadApplication(trx, id, false);
  if (!found) throw notFound('Application');
  assertCanReadOrganisation(actor, found.app.organisationId, 'Application');
  return found.app;
}

/** Exporters act only on their own organisation's cases; staff on every case. */
function assertActsOn(actor: Principal, app: Application): void {
  if (actor.kind === 'user' && actor.role === 'exporter')
    assertExporterOf(actor, app.organisationId, 'application');
}

/**
 * Move an application along the lifecycle: role, state and guards checked by the engine; refused transitions
 * change nothing and say why. Decisions and information requests have their own endpoints.
 *
 * @example
 * await transitionApplication(ctx, officer, id, { to: 'in_assessment', expectedVersion: 2 });
 */
export async function transitionApplication(
  ctx: ServiceContext,
  actor: Principal,
  applicationId: string,
  input: ApplicationTransitionCommandInput,
  options: ApplyOptions = {},
): Promise<Application> {
  const data = parseInput(ApplicationTransitionCommand, input);
  const dedicated = DEDICATED[data.to];
  if (dedicated)
    throw invalid(`Moving an application to ${data.to} carries content: use ${dedicated}.`, [
      { path: 'to', message: `use ${dedicated}` },
    ]);
  await ctx.db.transaction().execute(async (trx) => {
    const app = await loadVisibleApplication(trx, actor, applicationId);
    assertActsOn(actor, app);
    await applyApplicationTransition(ctx, trx, actor, app, data.to, data, options);
  });
  return getApplication(ctx, actor, applicationId);
}

/** Where the actor can take the case from here (before guards), with the history and the policy version. */
export async function getApplicationTransitions(
  ctx: ServiceContext,
  actor: Principal,
  applicationId: string,
): Promise<z.infer<typeof TransitionsView>> {
  const app = await loadVisibleApplication(ctx.db, actor, applicationId);
  const history = await ctx.db
    .selectFrom('application_transitions')
    .selectAll()
    .where('application_id', '=', applicationId)
    .orderBy('id')
    .execute();
  const machine = lifecyclePolicy().application;
  return {
    applicationId,
    status: app.status,
    version: app.version,
    policyVersion: machine.policyVersion,
    available: listAvailableTransitions(machine, app.status, actorRoleOf(actor)),
    history: history.map((h) => ({
      fromStatus: h.from_status,
      toStatus: h.to_status,
      actorId: h.actor_id,
      at: new Date(h.at).toISOString(),
      reason: h.reason,
      policyVersion: h.policy_version,
    })),
  };
}

/** The officer's queue: submitted cases by status, destination, licence type, assignment and overdue deadlines. */
export async function listCases(
  ctx: ServiceContext,
  actor: Principal,
  query: Partial<CaseListQueryInput>,
): Promise<{ items: z.infer<typeof CaseView>[]; total: number; limit: number; offset: number }> {
  requireRole(actor, 'officer', 'administrator');
  const q = parseInput(CaseListQuery, query, 'The query');
  const today = todayOf(ctx);
  let base = ctx.db.selectFrom('applications').where('status', '!=', 'draft');
  if (q.status === 'open') base = base.where('status', 'in', [...OPEN_STATUSES]);
  else if (q.status) base = base.where('status', '=', q.status);
  if (q.q) base = base.where('reference', 'ilike', `%${q.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
  if (q.destination) base = base.where('destination_country', '=', q.destination);
  if (q.licenceType) base = base.where('licence_type', '=', q.licenceType);
  if (q.assignedOfficerId) base = base.where('assigned_officer_id', '=', q.assignedOfficerId);
  if (q.unassigned === 'true') base = base.where('assigned_officer_id', 'is', null);
  if (q.overdue !== undefined) {
    const overdueIds = ctx.db
      .selectFrom('case_deadlines')
      .select('application_id')
      .where('closed_at', 'is', null)
      .where('due_on', '<', today);
    base = q.overdue === 'true' ? base.where('id', 'in', overdueIds) : base.where('id', 'not in', overdueIds);
  }
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy('submitted_at', 'asc').orderBy('id').limit(q.limit).offset(q.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const items = await toCaseViews(ctx, rows, today);
  return { items, total: Number(count.n), limit: q.limit, offset: q.offset };
}

/** What the officer's case view names instead of ids: the exporter, the assigned officer, each item and party. */
export interface CaseParticulars {
  exporter: { id: string; name: string; country: string };
  assignedOfficer: { id: string; displayName: string } | null;
  items: Map<string, { name: string; itemForm: string; publicDescription: string }>;
  parties: Map<string, { name: string; country: string; partyType: string }>;
}

/**
 * The names behind a case's ids, for staff (the exporter's own names and descriptions are not public, but the
 * authority assessing the case reads them). Exporters and the public are refused.
 * @example const { exporter, items } = await getCaseParticulars(ctx, officer, applicationId);
 */
export async function getCaseParticulars(
  ctx: ServiceContext,
  actor: Principal,
  applicationId: string,
): Promise<CaseParticulars> {
  requireRole(actor, 'officer', 'administrator');
  const head = await ctx.db
    .selectFrom('applications as a')
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .leftJoin('users as u', 'u.id', 'a.assigned_officer_id')
    .select([
      'o.id as orgId',
      'o.name as orgName',
      'o.country as orgCountry',
      'u.id as userId',
      'u.display_name',
    ])
    .where('a.id', '=', applicationId)
    .executeTakeFirst();
  if (!head) throw notFound('Application');
  const [items, parties] = await Promise.all([
    ctx.db
      .selectFrom('items')
      .select(['id', 'name', 'item_form', 'public_description'])
      .where(
        'id',
        'in',
        ctx.db.selectFrom('application_lines').select('item_id').where('application_id', '=', applicationId),
      )
      .execute(),
    ctx.db
      .selectFrom('parties')
      .select(['id', 'name', 'country', 'party_type'])
      .where(
        'id',
        'in',
        ctx.db
          .selectFrom('application_parties')
          .select('party_id')
          .where('application_id', '=', applicationId),
      )
      .execute(),
  ]);
  return {
    exporter: { id: head.orgId, name: head.orgName, country: head.orgCountry.trim() },
    assignedOfficer: head.userId ? { id: head.userId, displayName: head.display_name! } : null,
    items: new Map(
      items.map((i) => [
        i.id,
        { name: i.name, itemForm: i.item_form, publicDescription: i.public_description },
      ]),
    ),
    parties: new Map(
      parties.map((x) => [x.id, { name: x.name, country: x.country.trim(), partyType: x.party_type }]),
    ),
  };
}

type CaseViewData = z.infer<typeof CaseView>;

/** Case views of application rows: the assigned officer's name and the open deadlines (the earliest, any overdue). */
async function toCaseViews(
  ctx: ServiceContext,
  rows: readonly Selectable<ApplicationsTable>[],
  today: string,
): Promise<CaseViewData[]> {
  const ids = rows.map((r) => r.id);
  const officerIds = [
    ...new Set(rows.flatMap((r) => (r.assigned_officer_id ? [r.assigned_officer_id] : []))),
  ];
  const officers = new Map(
    officerIds.length
      ? (
          await ctx.db
            .selectFrom('users')
            .select(['id', 'display_name'])
            .where('id', 'in', officerIds)
            .execute()
        ).map((u) => [u.id, u.display_name])
      : [],
  );
  const deadlines = ids.length
    ? await ctx.db
        .selectFrom('case_deadlines')
        .select(['application_id', 'due_on'])
        .where('application_id', 'in', ids)
        .where('closed_at', 'is', null)
        .execute()
    : [];
  return rows.map((r) => {
    const due = deadlines
      .filter((d) => d.application_id === r.id)
      .map((d) => d.due_on)
      .sort();
    return {
      id: r.id,
      reference: r.reference,
      organisationId: r.organisation_id,
      licenceType: r.licence_type,
      destinationCountry: r.destination_country,
      status: r.status,
      submittedAt: r.submitted_at ? new Date(r.submitted_at).toISOString() : null,
      totalValueEur: Number(r.total_value_eur),
      assignedOfficerId: r.assigned_officer_id,
      assignedOfficerName: r.assigned_officer_id ? (officers.get(r.assigned_officer_id) ?? null) : null,
      nextDueOn: due[0] ?? null,
      overdue: due.some((d) => d < today),
      version: r.version,
    };
  });
}

/** Assign a case to an officer (or unassign with null); audited. Officers and administrators may assign. */
export async function assignCase(
  ctx: ServiceContext,
  actor: Principal,
  applicationId: string,
  input: { officerId: string | null; expectedVersion: number },
): Promise<z.infer<typeof CaseView>> {
  const data = parseInput(CaseAssignment, input);
  await ctx.db.transaction().execute(async (trx) => {
    const app = await loadVisibleApplication(trx, actor, applicationId);
    requireRole(actor, 'officer', 'administrator');
    if (app.status === 'draft')
      throw new DomainError('CONFLICT', 'A draft is not a case yet: it cannot be assigned.');
    if (data.officerId) {
      const officer = await trx
        .selectFrom('users')
        .select(['id', 'role', 'disabled'])
        .where('id', '=', data.officerId)
        .executeTakeFirst();
      if (!officer || officer.role !== 'officer' || officer.disabled)
        throw invalid('Cases are assigned to active licensing officers only.', [
          { path: 'officerId', message: 'not an active officer' },
        ]);
    }
    if (app.version !== data.expectedVersion)
      throw staleVersion('application', app.version, data.expectedVersion);
    const current = await trx
      .selectFrom('applications')
      .select('assigned_officer_id')
      .where('id', '=', applicationId)
      .executeTakeFirstOrThrow();
    const res = await trx
      .updateTable('applications')
      .set({ assigned_officer_id: data.officerId, version: app.version + 1, updated_at: ctx.now() })
      .where('id', '=', applicationId)
      .where('version', '=', app.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw staleVersion('application');
    await appendAudit(ctx, trx, actor, {
      action: 'application.assigned',
      entityType: 'application',
      entityId: applicationId,
      payload: { from: current.assigned_officer_id, to: data.officerId },
    });
  });
  const row = await ctx.db
    .selectFrom('applications')
    .selectAll()
    .where('id', '=', applicationId)
    .executeTakeFirstOrThrow();
  return (await toCaseViews(ctx, [row], todayOf(ctx)))[0]!;
}

/** The deadlines of a case (open and closed), each assessed today on the authority's working-day calendar. */
export async function getCaseDeadlines(
  ctx: ServiceContext,
  actor: Principal,
  applicationId: string,
): Promise<z.infer<typeof DeadlineView>[]> {
  await loadVisibleApplication(ctx.db, actor, applicationId);
  const rows = await ctx.db
    .selectFrom('case_deadlines')
    .selectAll()
    .where('application_id', '=', applicationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const cal = workingCalendar(ctx);
  const today = todayOf(ctx);
  return rows.map((r) => {
    const open = r.closed_at === null;
    const status = open
      ? assessDeadline(cal, { startedOn: r.started_on, workingDays: r.working_days }, today)
      : null;
    return {
      id: r.id,
      kind: r.kind,
      who: r.who,
      startedOn: r.started_on,
      workingDays: r.working_days,
      dueOn: r.due_on,
      calendarId: r.calendar_id,
      verified: r.verified,
      source: r.source,
      open,
      remainingWorkingDays: status ? status.remainingWorkingDays : null,
      overdue: status ? status.overdue : false,
    };
  });
}

/** Processing-time figures over every submitted application (computeSlaFigures), for officers and administrators. */
export async function computeCaseSla(
  ctx: ServiceContext,
  actor: Principal,
  query: { asOf?: string; pauseForInformationRequests?: 'true' | 'false' } = {},
): Promise<z.infer<typeof SlaView>> {
  requireRole(actor, 'officer', 'administrator');
  const q = parseInput(SlaQuery, query, 'The query');
  const rows = await ctx.db
    .selectFrom('application_transitions')
    .select(['application_id', 'from_status', 'to_status', 'at'])
    .where(
      'application_id',
      'in',
      ctx.db.selectFrom('applications').select('applications.id').where('submitted_at', 'is not', null),
    )
    .orderBy('id')
    .execute();
  const byApp = new Map<string, ApplicationHistory['transitions'][number][]>();
  for (const r of rows) {
    const list = byApp.get(r.application_id) ?? [];
    list.push({
      fromStatus: r.from_status as ApplicationStatus | null,
      toStatus: r.to_status as ApplicationStatus,
      at: new Date(r.at).toISOString(),
    });
    byApp.set(r.application_id, list);
  }
  const figures = computeSlaFigures(
    workingCalendar(ctx),
    [...byApp].map(([applicationId, transitions]) => ({ applicationId, transitions })),
    {
      asOf: q.asOf ?? todayOf(ctx),
      pauseStatuses: q.pauseForInformationRequests === 'true' ? ['information_requested'] : [],
    },
  );
  const { perApplication: _per, ...rest } = figures;
  return rest;
}

type InfoRow = {
  id: string;
  application_id: string;
  questions: string[];
  working_days: number;
  due_on: string;
  status: string;
  asked_at: Date | string;
  answer: string | null;
  document_ids: string[];
  answered_at: Date | string | null;
};
const toInfoView = (r: InfoRow): z.infer<typeof InformationRequestView> => ({
  id: r.id,
  applicationId: r.application_id,
  questions: r.questions,
  workingDays: r.working_days,
  dueOn: r.due_on,
  status: r.status as 'open' | 'answered' | 'closed',
  askedAt: new Date(r.asked_at).toISOString(),
  answer: r.answer,
  documentIds: r.document_ids,
  answeredAt: r.answered_at ? new Date(r.answered_at).toISOString() : null,
});

/**
 * The officer asks the exporter questions with a deadline in working days: the request is stored and the case moves
 * to information_requested (the exporter's clock starts).
 */
export async function requestInformation(
  ctx: ServiceContext,
  actor: Principal,
  applicationId: string,
  input: InformationRequestCreateInput,
  options: ApplyOptions = {},
): Promise<z.infer<typeof InformationRequestView>> {
  const data = parseInput(InformationRequestCreate, input);
  const id = ctx.newId();
  await ctx.db.transaction().execute(async (trx) => {
    const app = await loadVisibleApplication(trx, actor, applicationId);
    assertActsOn(actor, app);
    const plan = await applyApplicationTransition(
      ctx,
      trx,
      actor,
      app,
      'information_requested',
      { reason: data.questions.join('\n'), expectedVersion: data.expectedVersion },
      { ...options, deadlineWorkingDays: data.workingDays },
    );
    const deadline = await trx
      .selectFrom('case_deadlines')
      .select(['due_on', 'working_days'])
      .where('application_id', '=', applicationId)
      .where('kind', '=', 'information_requested')
      .where('closed_at', 'is', null)
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('information_requests')
      .values({
        id,
        application_id: applicationId,
        questions: JSON.stringify(data.questions),
        working_days: deadline.working_days,
        due_on: deadline.due_on,
        status: 'open',
        asked_by: actor.kind === 'user' ? actor.userId : null,
        asked_at: ctx.now(),
        answer: null,
        document_ids: JSON.stringify([]),
        answered_by: null,
        answered_at: null,
      })
      .execute();
    await appendAudit(ctx, trx, actor, {
      action: 'information_request.created',
      entityType: 'information_request',
      entityId: id,
      payload: {
        applicationId,
        questions: data.questions.length,
        dueOn: deadline.due_on,
        policy: plan.policyVersion,
      },
    });
  });
  return getInformationRequest(ctx, actor, applicationId, id);
}

async function getInformationRequest(
  ctx: ServiceContext,
  actor: Principal,
  applicationId: string,
  id: string,
): Promise<z.infer<typeof InformationRequestView>> {
  await loadVisibleApplication(ctx.db, actor, applicationId);
  const row = await ctx.db
    .selectFrom('information_requests')
    .selectAll()
    .where('id', '=', id)
    .where('application_id', '=', applicationId)
    .executeTakeFirst();
  if (!row) throw notFound('Information request');
  return toInfoView(row);
}

/** The information requests of one application (the exporter sees only its own applications'). */
export async function listInformationRequests(
  ctx: ServiceContext,
  actor: Principal,
  applicationId: string,
): Promise<z.infer<typeof InformationRequestView>[]> {
  await loadVisibleApplication(ctx.db, actor, applicationId);
  const rows = await ctx.db
    .selectFrom('information_requests')
    .selectAll()
    .where('application_id', '=', applicationId)
    .orderBy('asked_at')
    .orderBy('id')
    .execute();
  return rows.map(toInfoView);
}

/**
 * The exporter answers an open request (text and, optionally, documents already attached to this application).
 * When no request is left open the case returns to in_assessment (guard `information_provided`).
 */
export async function answerInformationRequest(
  ctx: ServiceContext,
  actor: Principal,
  applicationId: string,
  requestId: string,
  input: InformationRequestAnswerInput,
  options: ApplyOptions = {},
): Promise<z.infer<typeof InformationRequestView>> {
  const data = parseInput(InformationRequestAnswer, input);
  await ctx.db.transaction().execute(async (trx) => {
    const app = await loadVisibleApplication(trx, actor, applicationId);
    const user = requireUser(actor);
    if (user.role !== 'exporter') throw forbidden('Only the exporter answers an information request.');
    assertExporterOf(actor, app.organisationId, 'application');
    const request = await trx
      .selectFrom('information_requests')
      .selectAll()
      .where('id', '=', requestId)
      .where('application_id', '=', applicationId)
      .executeTakeFirst();
    if (!request) throw notFound('Information request');
    if (request.status !== 'open') throw new DomainError('CONFLICT', `This request is ${request.status}.`);
    if (data.documentIds.length) {
      const docs = await trx
        .selectFrom('documents')
        .select('id')
        .where('id', 'in', data.documentIds)
        .where('application_id', '=', applicationId)
        .where('organisation_id', '=', app.organisationId)
        .execute();
      const known = new Set(docs.map((d) => d.id));
      const issues = data.documentIds
        .map((d, i) => ({ d, i }))
        .filter(({ d }) => !known.has(d))
        .map(({ i }) => ({ path: `documentIds.${i}`, message: 'no such document on this application' }));
      if (issues.length) throw invalid('Attach the documents to this application first.', issues);
    }
    const res = await trx
      .updateTable('information_requests')
      .set({
        status: 'answered',
        answer: data.answer,
        document_ids: JSON.stringify(data.documentIds),
        answered_by: user.userId,
        answered_at: ctx.now(),
        version: request.version + 1,
      })
      .where('id', '=', requestId)
      .where('version', '=', request.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw staleVersion('information request');
    await appendAudit(ctx, trx, actor, {
      action: 'information_request.answered',
      entityType: 'information_request',
      entityId: requestId,
      payload: { applicationId, documents: data.documentIds.length },
    });
    const stillOpen = await trx
      .selectFrom('information_requests')
      .select('id')
      .where('application_id', '=', applicationId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (!stillOpen && app.status === 'information_requested')
      await applyApplicationTransition(
        ctx,
        trx,
        actor,
        app,
        'in_assessment',
        { reason: null, expectedVersion: app.version },
        options,
      );
  });
  return getInformationRequest(ctx, actor, applicationId, requestId);
}

/** The Art 12(4) requirements of an application: what is on file, what the authority waived, and whether met. */
export async function getLicenceRequirements(ctx: ServiceContext, actor: Principal, applicationId: string) {
  const app = await loadVisibleApplication(ctx.db, actor, applicationId);
  return ctx.db.transaction().execute(async (trx) => {
    const { record, check } = await loadLicenceRequirements(trx, app);
    return {
      applicationId,
      licenceType: app.licenceType,
      ...record,
      met: check.met,
      requirements: check.requirements,
    };
  });
}

/**
 * Record what is on file: the exporter names its end-use statement and ICP documents (attached to this
 * application); an officer records an exemption or waiver (Art 12(4)). Each only its own fields.
 */
export async function recordLicenceRequirements(
  ctx: ServiceContext,
  actor: Principal,
  applicationId: string,
  input: LicenceRequirementsUpdateInput,
) {
  const data = parseInput(LicenceRequirementsUpdate, input);
  await ctx.db.transaction().execute(async (trx) => {
    const app = await loadVisibleApplication(trx, actor, applicationId);
    const role = actorRoleOf(actor);
    const exporterFields = data.endUseStatementDocumentId !== undefined || data.icpDocumentId !== undefined;
    const officerFields = data.endUseStatementExempted !== undefined || data.icpWaived !== undefined;
    if (!exporterFields && !officerFields)
      throw invalid('Nothing to record.', [{ path: '(body)', message: 'empty' }]);
    if (exporterFields) assertExporterOf(actor, app.organisationId, 'application');
    if (officerFields && role !== 'officer')
      throw forbidden('Only a licensing officer exempts from the end-use statement or waives the ICP.');
    if (lifecyclePolicy().application.terminal.includes(app.status))
      throw new DomainError('CONFLICT', `The application is ${app.status}: its requirements are closed.`);
    const docIds = [data.endUseStatementDocumentId, data.icpDocumentId].filter((d): d is string => !!d);
    if (docIds.length) {
      const docs = await trx
        .selectFrom('documents')
        .select('id')
        .where('id', 'in', docIds)
        .where('application_id', '=', applicationId)
        .execute();
      if (docs.length !== new Set(docIds).size)
        throw invalid('Name documents attached to this application.', [
          { path: 'endUseStatementDocumentId', message: 'must be a document of this application' },
        ]);
    }
    const now = ctx.now();
    const patch = {
      ...(data.endUseStatementDocumentId !== undefined && {
        end_use_statement_document_id: data.endUseStatementDocumentId,
      }),
      ...(data.icpDocumentId !== undefined && { icp_document_id: data.icpDocumentId }),
      ...(data.endUseStatementExempted !== undefined && {
        end_use_statement_exempted: data.endUseStatementExempted,
      }),
      ...(data.icpWaived !== undefined && { icp_waived: data.icpWaived }),
      updated_at: now,
    };
    await trx
      .insertInto('licence_requirement_records')
      .values({ application_id: applicationId, ...patch })
      .onConflict((oc) => oc.column('application_id').doUpdateSet(patch))
      .execute();
    await appendAudit(ctx, trx, actor, {
      action: 'application.requirements_recorded',
      entityType: 'application',
      entityId: applicationId,
      payload: { fields: Object.keys(data) },
    });
  });
  return getLicenceRequirements(ctx, actor, applicationId);
}

/** Is the actor staff (for callers deciding what to show)? Re-exported for routes. */
export { isStaff };
