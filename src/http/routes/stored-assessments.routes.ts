/** Stored assessments per application, safeguard edits, memos (HTML, PDF), re-assessment proposals: staff only. */
import { z } from 'zod';
import { safeguardEditSchema } from '../../engines/assessment/index.ts';
import {
  AssessmentRunRequest,
  closeReassessmentProposal,
  editAssessmentSafeguard,
  getStoredAssessment,
  listApplicationAssessments,
  listReassessmentProposals,
  ProposalClosureRequest,
  ReassessmentRequest,
  renderStoredAssessmentMemo,
  requestReassessment,
  runApplicationAssessment,
} from '../../services/assessments.service.ts';
import type { RouteModule } from './types.ts';

const StoredView = z.looseObject({
  id: z.string(),
  applicationId: z.string(),
  revision: z.number(),
  origin: z.string(),
  recommendation: z.string(),
  confidence01: z.number(),
  modelVersion: z.string(),
  referenceVersion: z.string(),
  referenceFiles: z.array(z.string()),
  evidenceIds: z.array(z.string()),
  inputHash: z.string(),
  safeguardEdits: z.array(z.looseObject({})),
  createdBy: z.string(),
  createdAt: z.string(),
  assessment: z.looseObject({ recommendation: z.string() }),
});

const ProposalView = z.object({
  id: z.string(),
  assessmentId: z.string(),
  applicationId: z.string(),
  licenceId: z.string().nullable(),
  action: z.string(),
  previousRecommendation: z.string(),
  currentRecommendation: z.string(),
  reasons: z.array(z.string()),
  createdAt: z.string(),
  status: z.enum(['open', 'closed']),
  closure: z.enum(['actioned', 'dismissed']).nullable(),
  closureNote: z.string().nullable(),
  closedBy: z.string().nullable(),
  closedAt: z.string().nullable(),
});

export const storedAssessmentRoutes: RouteModule = (app, ctx) => {
  app.post(
    '/api/applications/:id/assessments',
    {
      schema: {
        tags: ['assessment'],
        summary: 'Run and store the assessment of a submitted application (officers, administrators)',
        params: z.object({ id: z.uuid() }),
        body: AssessmentRunRequest.optional(),
        response: { 201: StoredView },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send((await runApplicationAssessment(ctx, req.principal, req.params.id, req.body)) as never),
  );
  app.get(
    '/api/applications/:id/assessments',
    {
      schema: {
        tags: ['assessment'],
        summary: 'The stored assessments of an application, newest revision first (officers, administrators)',
        params: z.object({ id: z.uuid() }),
        response: { 200: z.array(StoredView) },
      },
    },
    async (req) => (await listApplicationAssessments(ctx, req.principal, req.params.id)) as never,
  );
  app.get(
    '/api/assessments/:id',
    {
      schema: {
        tags: ['assessment'],
        summary: 'One stored assessment revision (officers, administrators)',
        params: z.object({ id: z.uuid() }),
        response: { 200: StoredView },
      },
    },
    async (req) => (await getStoredAssessment(ctx, req.principal, req.params.id)) as never,
  );
  app.post(
    '/api/assessments/:id/safeguards',
    {
      schema: {
        tags: ['assessment'],
        summary:
          'Edit one D.3 safeguard answer of the destination (audited); findings are recomputed into a new revision',
        params: z.object({ id: z.uuid() }),
        body: safeguardEditSchema,
        response: { 201: StoredView },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send((await editAssessmentSafeguard(ctx, req.principal, req.params.id, req.body)) as never),
  );
  app.get(
    '/api/assessments/:id/memo',
    {
      schema: {
        tags: ['assessment'],
        summary: 'Download the memo of a stored assessment as HTML or PDF (officers, administrators)',
        params: z.object({ id: z.uuid() }),
        querystring: z.strictObject({
          format: z.enum(['html', 'pdf']).default('pdf'),
          lang: z.enum(['en', 'fr', 'de']).default('en'),
        }),
      },
    },
    async (req, reply) => {
      const memo = await renderStoredAssessmentMemo(
        ctx,
        req.principal,
        req.params.id,
        req.query.format,
        req.query.lang,
      );
      return reply
        .type(memo.contentType)
        .header('content-disposition', `attachment; filename="${memo.filename}"`)
        .header('x-content-type-options', 'nosniff')
        .send(typeof memo.body === 'string' ? memo.body : Buffer.from(memo.body));
    },
  );
  app.get(
    '/api/reassessment-proposals',
    {
      schema: {
        tags: ['assessment'],
        summary:
          'Open re-assessment and post-licence review proposals, with reasons (officers, administrators)',
        querystring: z.strictObject({
          application: z.string().optional(),
          status: z.enum(['open', 'closed', 'all']).default('open'),
        }),
        response: { 200: z.array(ProposalView) },
      },
    },
    async (req) =>
      await listReassessmentProposals(ctx, req.principal, req.query.application, req.query.status),
  );
  app.post(
    '/api/reassessment-proposals/:id/close',
    {
      schema: {
        tags: ['assessment'],
        summary:
          'Close a re-assessment proposal as actioned or dismissed, with the reasons (officers, administrators; audited)',
        params: z.object({ id: z.uuid() }),
        body: ProposalClosureRequest,
        response: { 200: ProposalView },
      },
    },
    async (req) => await closeReassessmentProposal(ctx, req.principal, req.params.id, req.body),
  );
  app.post(
    '/api/reassessments',
    {
      schema: {
        tags: ['assessment'],
        summary:
          'Ask for the re-assessment of open applications and live licences a reference change concerns (officers, administrators); the job records proposals',
        body: ReassessmentRequest,
        response: { 202: z.object({ jobId: z.number().nullable() }) },
      },
    },
    async (req, reply) => reply.code(202).send(await requestReassessment(ctx, req.principal, req.body)),
  );
};
