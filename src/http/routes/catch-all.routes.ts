/** Art 5 catch-all: notices, awareness notifications, Member State consultations, the published list. */
import { z } from 'zod';
import {
  AwarenessDecisionInput,
  AwarenessNotificationInput,
  CatchAllConsultationOpenInput,
  CatchAllConsultationUpdateInput,
  CatchAllNoticeInput,
  CatchAllPublicationInput,
  decideCatchAllAwareness,
  getCatchAllNotice,
  getNoticeConsultation,
  issueCatchAllNotice,
  listCatchAllNotices,
  listCatchAllPublications,
  matchApplicationCatchAll,
  notifyCatchAllAwareness,
  openNoticeConsultation,
  publishCatchAllEntry,
  updateNoticeConsultation,
} from '../../services/catch-all.service.ts';
import type { RouteModule } from './types.ts';

const IdParams = z.object({ id: z.uuid() });

const Notice = z
  .looseObject({
    id: z.string(),
    kind: z.enum(['notice', 'awareness']),
    reference: z.string(),
    organisationId: z.string(),
    datedOn: z.string(),
    destinationCountry: z.string(),
    legalBasis: z.string(),
    duties: z.array(z.unknown()),
    status: z.string(),
    version: z.number(),
  })
  .meta({ id: 'CatchAllNotice', description: 'Art 5(1)/(3) notice or Art 5(2) notification of awareness' });

const Consultation = z
  .looseObject({
    id: z.string(),
    noticeId: z.string(),
    memberStates: z.array(z.string()),
    dueOn: z.string(),
    responses: z.array(z.unknown()),
    version: z.number(),
    assessment: z.looseObject({
      closed: z.boolean(),
      unanimous: z.boolean().nullable(),
      reasons: z.array(z.string()),
    }),
  })
  .meta({
    id: 'CatchAllConsultation',
    description: 'Art 5(4)-(5) consultation (30 working days, unverified)',
  });

const Publication = z
  .looseObject({
    id: z.string(),
    ojReference: z.string(),
    publishedOn: z.string(),
    itemDescription: z.string(),
  })
  .meta({
    id: 'CatchAllPublication',
    description: 'Items and destinations published after unanimous agreement',
  });

export const catchAllRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/catch-all/notices',
    {
      schema: {
        tags: ['catch-all'],
        summary: 'List Art 5 notices and notifications (exporters see their own)',
        querystring: z.object({
          organisationId: z.uuid().optional(),
          kind: z.enum(['notice', 'awareness']).optional(),
        }),
        response: { 200: z.object({ items: z.array(Notice) }) },
      },
    },
    async (req) => ({ items: await listCatchAllNotices(ctx, req.principal, req.query) }),
  );
  app.post(
    '/api/catch-all/notices',
    {
      schema: {
        tags: ['catch-all'],
        summary: 'Issue an Art 5(1)/(3) notice: a non-listed item needs a licence (staff)',
        body: CatchAllNoticeInput,
        response: { 201: Notice },
      },
    },
    async (req, reply) =>
      reply.code(201).send((await issueCatchAllNotice(ctx, req.principal, req.body)) as never),
  );
  app.post(
    '/api/catch-all/awareness',
    {
      schema: {
        tags: ['catch-all'],
        summary: 'Notify the authority of awareness under Art 5(2) (exporter)',
        body: AwarenessNotificationInput,
        response: { 201: Notice },
      },
    },
    async (req, reply) =>
      reply.code(201).send((await notifyCatchAllAwareness(ctx, req.principal, req.body)) as never),
  );
  app.get(
    '/api/catch-all/notices/:id',
    {
      schema: {
        tags: ['catch-all'],
        summary: 'Read a notice or notification (its exporter and staff)',
        params: IdParams,
        response: { 200: Notice },
      },
    },
    async (req) => (await getCatchAllNotice(ctx, req.principal, req.params.id)) as never,
  );
  app.post(
    '/api/catch-all/notices/:id/decision',
    {
      schema: {
        tags: ['catch-all'],
        summary: 'Decide whether an Art 5(2) notification needs a licence (staff)',
        params: IdParams,
        body: AwarenessDecisionInput,
        response: { 200: Notice },
      },
    },
    async (req) => (await decideCatchAllAwareness(ctx, req.principal, req.params.id, req.body)) as never,
  );
  app.post(
    '/api/catch-all/notices/:id/consultations',
    {
      schema: {
        tags: ['catch-all'],
        summary: 'Inform and consult the other Member States on a notice (staff)',
        params: IdParams,
        body: CatchAllConsultationOpenInput,
        response: { 201: Consultation },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send((await openNoticeConsultation(ctx, req.principal, req.params.id, req.body)) as never),
  );
  app.get(
    '/api/catch-all/consultations/:id',
    {
      schema: {
        tags: ['catch-all'],
        summary: 'Read a consultation with its clock and unanimity (staff)',
        params: IdParams,
        response: { 200: Consultation },
      },
    },
    async (req) => (await getNoticeConsultation(ctx, req.principal, req.params.id)) as never,
  );
  app.patch(
    '/api/catch-all/consultations/:id',
    {
      schema: {
        tags: ['catch-all'],
        summary: "Record a Member State's answer or extend the clock (send its version)",
        params: IdParams,
        body: CatchAllConsultationUpdateInput,
        response: { 200: Consultation },
      },
    },
    async (req) => (await updateNoticeConsultation(ctx, req.principal, req.params.id, req.body)) as never,
  );
  app.get(
    '/api/catch-all/publications',
    {
      schema: {
        tags: ['catch-all'],
        summary: 'The published catch-all list (public, as in the Official Journal)',
        response: { 200: z.object({ items: z.array(Publication) }) },
      },
    },
    async () => ({ items: await listCatchAllPublications(ctx) }) as never,
  );
  app.post(
    '/api/catch-all/publications',
    {
      schema: {
        tags: ['catch-all'],
        summary: 'Record a publication after unanimous agreement (staff)',
        body: CatchAllPublicationInput,
        response: { 201: Publication },
      },
    },
    async (req, reply) =>
      reply.code(201).send((await publishCatchAllEntry(ctx, req.principal, req.body)) as never),
  );
  app.get(
    '/api/applications/:id/catch-all',
    {
      schema: {
        tags: ['catch-all'],
        summary: 'Which published catch-all entries and Art 5 notices apply to an application, with reasons',
        params: IdParams,
        response: {
          200: z.looseObject({
            applicationId: z.string(),
            published: z.array(z.unknown()),
            notices: z.array(z.unknown()),
            licenceRequiredUnderArt5: z.boolean(),
            reasons: z.array(z.string()),
          }),
        },
      },
    },
    async (req) => (await matchApplicationCatchAll(ctx, req.principal, req.params.id)) as never,
  );
};
