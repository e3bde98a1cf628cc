/** Case handling (issue 6): lifecycle transitions, the officer's queue, information requests, decisions, appeals, licences. */
import { z } from 'zod';
import {
  AppealCreate,
  AppealResolve,
  AppealView,
  ApplicationTransitionCommand,
  CaseAssignment,
  CaseListQuery,
  CaseView,
  DeadlineView,
  DecisionCreate,
  DecisionView,
  InformationRequestAnswer,
  InformationRequestCreate,
  InformationRequestView,
  LicenceAmendmentCreate,
  LicenceListQuery,
  LicenceRequirementsUpdate,
  LicenceRequirementsView,
  LicenceTransitionCommand,
  LicenceView,
  ReviewFlag,
  SlaQuery,
  SlaView,
  TransitionHistoryEntry,
  TransitionsView,
  UsageReportCreate,
  UsageView,
} from '../../contracts/casework.ts';
import { Page } from '../../contracts/common.ts';
import { ApplicationView } from '../../contracts/foundation.ts';
import {
  answerInformationRequest,
  assignCase,
  computeCaseSla,
  getApplicationTransitions,
  getCaseDeadlines,
  getLicenceRequirements,
  listCases,
  listInformationRequests,
  recordLicenceRequirements,
  requestInformation,
  transitionApplication,
} from '../../services/casework.service.ts';
import {
  decideApplication,
  getDecision,
  getDecisionDocument,
  listAppeals,
  recordAppeal,
  resolveAppeal,
} from '../../services/decisions.service.ts';
import {
  amendLicence,
  flagLicenceForReview,
  getLicence,
  getLicenceUsage,
  listLicences,
  listLicenceTransitions,
  reportLicenceUsage,
  transitionLicence,
} from '../../services/licences.service.ts';
import type { RouteModule } from './types.ts';

const IdParams = z.object({ id: z.uuid() });
const TAG_CASES = ['cases'];
const TAG_LICENCES = ['licences'];

export const caseworkRoutes: RouteModule = (app, ctx) => {
  // ---- lifecycle ----
  app.get(
    '/api/applications/:id/transitions',
    {
      schema: {
        tags: TAG_CASES,
        summary: 'Where the case can go from here for you (before guards), with its transition history',
        params: IdParams,
        response: { 200: TransitionsView },
      },
    },
    async (req) => getApplicationTransitions(ctx, req.principal, req.params.id),
  );
  app.post(
    '/api/applications/:id/transitions',
    {
      schema: {
        tags: TAG_CASES,
        summary:
          'Move the case along the lifecycle (policy/workflow/lifecycle.yaml): role, state and guards checked; refusals say why and change nothing',
        params: IdParams,
        body: ApplicationTransitionCommand,
        response: { 200: ApplicationView },
      },
    },
    async (req) => transitionApplication(ctx, req.principal, req.params.id, req.body),
  );
  app.get(
    '/api/applications/:id/deadlines',
    {
      schema: {
        tags: TAG_CASES,
        summary: "The case's deadlines in working days on the authority's calendar, open and closed",
        params: IdParams,
        response: { 200: z.array(DeadlineView) },
      },
    },
    async (req) => getCaseDeadlines(ctx, req.principal, req.params.id),
  );
  app.get(
    '/api/applications/:id/requirements',
    {
      schema: {
        tags: TAG_CASES,
        summary: 'Art 12(4) requirements of the licence type: end-use statement and ICP on file or waived',
        params: IdParams,
        response: { 200: LicenceRequirementsView },
      },
    },
    async (req) => getLicenceRequirements(ctx, req.principal, req.params.id),
  );
  app.put(
    '/api/applications/:id/requirements',
    {
      schema: {
        tags: TAG_CASES,
        summary:
          'Record what is on file (exporter: end-use statement and ICP documents) or waived (officer: exemption, ICP waiver)',
        params: IdParams,
        body: LicenceRequirementsUpdate,
        response: { 200: LicenceRequirementsView },
      },
    },
    async (req) => recordLicenceRequirements(ctx, req.principal, req.params.id, req.body),
  );

  // ---- officer queue ----
  app.get(
    '/api/cases',
    {
      schema: {
        tags: TAG_CASES,
        summary:
          "The officers' queue: cases by status, destination, licence type, assignment and overdue deadlines",
        querystring: CaseListQuery,
        response: { 200: Page(CaseView) },
      },
    },
    async (req) => listCases(ctx, req.principal, req.query),
  );
  app.get(
    '/api/cases/sla',
    {
      schema: {
        tags: TAG_CASES,
        summary:
          'Processing-time figures: share decided within 20 and 60 working days, median, overdue open cases',
        querystring: SlaQuery,
        response: { 200: SlaView },
      },
    },
    async (req) => computeCaseSla(ctx, req.principal, req.query),
  );
  app.put(
    '/api/cases/:id/assignment',
    {
      schema: {
        tags: TAG_CASES,
        summary: 'Assign the case to a licensing officer (null to unassign); audited',
        params: IdParams,
        body: CaseAssignment,
        response: { 200: CaseView },
      },
    },
    async (req) => assignCase(ctx, req.principal, req.params.id, req.body),
  );

  // ---- information requests ----
  app.get(
    '/api/applications/:id/information-requests',
    {
      schema: {
        tags: TAG_CASES,
        summary: 'Information requests of the case and their answers',
        params: IdParams,
        response: { 200: z.array(InformationRequestView) },
      },
    },
    async (req) => listInformationRequests(ctx, req.principal, req.params.id),
  );
  app.post(
    '/api/applications/:id/information-requests',
    {
      schema: {
        tags: TAG_CASES,
        summary:
          'Ask the exporter questions with a deadline in working days (the case moves to information_requested)',
        params: IdParams,
        body: InformationRequestCreate,
        response: { 201: InformationRequestView },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await requestInformation(ctx, req.principal, req.params.id, req.body)),
  );
  app.post(
    '/api/applications/:id/information-requests/:requestId/answer',
    {
      schema: {
        tags: TAG_CASES,
        summary:
          'Answer a request (text, documents attached to the application); with none left open the case returns to assessment',
        params: z.object({ id: z.uuid(), requestId: z.uuid() }),
        body: InformationRequestAnswer,
        response: { 200: InformationRequestView },
      },
    },
    async (req) =>
      answerInformationRequest(ctx, req.principal, req.params.id, req.params.requestId, req.body),
  );

  // ---- decisions and appeals ----
  app.get(
    '/api/applications/:id/decision',
    {
      schema: {
        tags: TAG_CASES,
        summary: 'The reasoned decision on the case, with the licence issued',
        params: IdParams,
        response: { 200: DecisionView },
      },
    },
    async (req) => getDecision(ctx, req.principal, req.params.id),
  );
  app.post(
    '/api/applications/:id/decision',
    {
      schema: {
        tags: TAG_CASES,
        summary:
          'Decide the case (licensing officers only): granted, granted with conditions or denied, with legal basis, criteria, rights, reasons, conditions and evidence; a grant issues the licence',
        params: IdParams,
        body: DecisionCreate,
        response: { 201: DecisionView },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await decideApplication(ctx, req.principal, req.params.id, req.body)),
  );
  app.get(
    '/api/applications/:id/decision/document',
    {
      schema: {
        tags: TAG_CASES,
        summary: 'Download the reasoned decision document (format=html or pdf)',
        params: IdParams,
        querystring: z.strictObject({ format: z.enum(['html', 'pdf']).default('html') }),
      },
    },
    async (req, reply) => {
      const doc = await getDecisionDocument(ctx, req.principal, req.params.id, req.query.format);
      return reply
        .type(doc.mediaType)
        .header(
          'content-disposition',
          `${req.query.format === 'pdf' ? 'attachment' : 'inline'}; filename="${encodeURIComponent(doc.filename)}"`,
        )
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .send(typeof doc.content === 'string' ? doc.content : Buffer.from(doc.content));
    },
  );
  app.get(
    '/api/applications/:id/appeals',
    {
      schema: {
        tags: TAG_CASES,
        summary: 'Appeals lodged against the decision',
        params: IdParams,
        response: { 200: z.array(AppealView) },
      },
    },
    async (req) => listAppeals(ctx, req.principal, req.params.id),
  );
  app.post(
    '/api/applications/:id/appeals',
    {
      schema: {
        tags: TAG_CASES,
        summary: 'Record an appeal against the decision (late appeals are flagged against the deadline)',
        params: IdParams,
        body: AppealCreate,
        response: { 201: AppealView },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await recordAppeal(ctx, req.principal, req.params.id, req.body)),
  );
  app.post(
    '/api/applications/:id/appeals/:appealId/resolution',
    {
      schema: {
        tags: TAG_CASES,
        summary: 'Record the outcome of an appeal (officer): upheld, dismissed or withdrawn',
        params: z.object({ id: z.uuid(), appealId: z.uuid() }),
        body: AppealResolve,
        response: { 200: AppealView },
      },
    },
    async (req) => resolveAppeal(ctx, req.principal, req.params.id, req.params.appealId, req.body),
  );

  // ---- licences ----
  app.get(
    '/api/licences',
    {
      schema: {
        tags: TAG_LICENCES,
        summary: 'List licences (exporters see their own)',
        querystring: LicenceListQuery,
        response: { 200: Page(LicenceView) },
      },
    },
    async (req) => listLicences(ctx, req.principal, req.query),
  );
  app.get(
    '/api/licences/:id',
    {
      schema: {
        tags: TAG_LICENCES,
        summary: 'Read a licence',
        params: IdParams,
        response: { 200: LicenceView },
      },
    },
    async (req) => getLicence(ctx, req.principal, req.params.id),
  );
  app.get(
    '/api/licences/:id/transitions',
    {
      schema: {
        tags: TAG_LICENCES,
        summary: "The licence's status history",
        params: IdParams,
        response: {
          200: z.array(TransitionHistoryEntry.omit({ actorId: true }).extend({ actor: z.string() })),
        },
      },
    },
    async (req) => listLicenceTransitions(ctx, req.principal, req.params.id),
  );
  app.post(
    '/api/licences/:id/transitions',
    {
      schema: {
        tags: TAG_LICENCES,
        summary:
          'Suspend, reinstate, revoke, annul, expire or exhaust a licence under the licence state machine',
        params: IdParams,
        body: LicenceTransitionCommand,
        response: { 200: LicenceView },
      },
    },
    async (req) => transitionLicence(ctx, req.principal, req.params.id, req.body),
  );
  app.post(
    '/api/licences/:id/amendments',
    {
      schema: {
        tags: TAG_LICENCES,
        summary: 'Amend a licence (officer); changes that need a new application are refused with the reason',
        params: IdParams,
        body: LicenceAmendmentCreate,
        response: {
          201: z.object({
            licence: LicenceView,
            amendment: z.object({
              id: z.uuid(),
              kind: z.string(),
              effect: z.string(),
              reasons: z.array(z.string()),
            }),
          }),
        },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await amendLicence(ctx, req.principal, req.params.id, req.body)),
  );
  app.get(
    '/api/licences/:id/usage',
    {
      schema: {
        tags: TAG_LICENCES,
        summary: 'Used and remaining quantities and values per licensed line',
        params: IdParams,
        response: { 200: UsageView },
      },
    },
    async (req) => getLicenceUsage(ctx, req.principal, req.params.id),
  );
  app.post(
    '/api/licences/:id/usage-reports',
    {
      schema: {
        tags: TAG_LICENCES,
        summary: 'Report exports made under the licence (exporter; all or nothing); used up -> exhausted',
        params: IdParams,
        body: UsageReportCreate,
        response: { 201: UsageView },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await reportLicenceUsage(ctx, req.principal, req.params.id, req.body)),
  );
  app.put(
    '/api/licences/:id/review',
    {
      schema: {
        tags: TAG_LICENCES,
        summary: 'Flag the licence for post-licence review (officer), with the reason',
        params: IdParams,
        body: ReviewFlag,
        response: { 200: LicenceView },
      },
    },
    async (req) => flagLicenceForReview(ctx, req.principal, req.params.id, req.body),
  );
};
