/** Denials (Art 16): the register, the exchange file, the check on an application, consultations and notifications. */
import { z } from 'zod';
import {
  changeDenialStatus,
  checkApplicationAgainstDenials,
  ConsultationOpenInput,
  ConsultationUpdateInput,
  createDenial,
  DenialCheckInput,
  DenialCreateInput,
  DenialListQuery,
  DenialStatusChangeInput,
  exportDenialRegister,
  getApplicationDenialView,
  getDenial,
  importDenialExchange,
  listDenials,
  openApplicationConsultation,
  OverrideNotificationInput,
  recordDenialOverrideNotification,
  updateApplicationConsultation,
} from '../../services/denials.service.ts';
import type { RouteModule } from './types.ts';

const IdParams = z.object({ id: z.uuid() });

const Denial = z
  .looseObject({
    id: z.string(),
    origin: z.enum(['own', 'received']),
    notifyingMemberState: z.string(),
    reference: z.string(),
    deniedOn: z.string(),
    status: z.enum(['in_force', 'revoked', 'expired']),
    reviewDueOn: z.string(),
    reviewOverdue: z.boolean(),
    version: z.number(),
  })
  .meta({ id: 'Denial', description: 'A denial in the register (Art 16), own or received; staff only' });

const Consultation = z
  .looseObject({
    id: z.string(),
    applicationId: z.string(),
    denialId: z.string(),
    consultedMemberState: z.string(),
    openedOn: z.string(),
    replyDueOn: z.string(),
    status: z.string(),
    version: z.number(),
    assessment: z.looseObject({ closed: z.boolean(), reason: z.string() }),
  })
  .meta({
    id: 'DenialConsultation',
    description: 'Art 16(2) consultation, 10 working days, extension capped at 30',
  });

const ApplicationDenials = z
  .looseObject({
    applicationId: z.string(),
    lastCheck: z.looseObject({ matches: z.array(z.unknown()) }).nullable(),
    consultations: z.array(Consultation),
    guardFacts: z.record(z.string(), z.boolean()),
    notificationRequired: z.boolean(),
    reasons: z.array(z.string()),
  })
  .meta({
    id: 'ApplicationDenials',
    description: 'Denial check, consultations, notifications and guard facts',
  });

export const denialRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/denials',
    {
      schema: {
        tags: ['denials'],
        summary: 'List the denial register (staff only)',
        querystring: DenialListQuery,
        response: { 200: z.object({ items: z.array(Denial) }) },
      },
    },
    async (req) => ({ items: await listDenials(ctx, req.principal, req.query) }),
  );
  app.post(
    '/api/denials',
    {
      schema: {
        tags: ['denials'],
        summary: 'Register a denial by hand: own, or received from another Member State (staff only)',
        body: DenialCreateInput,
        response: { 201: Denial },
      },
    },
    async (req, reply) => reply.code(201).send((await createDenial(ctx, req.principal, req.body)) as never),
  );
  app.get(
    '/api/denials/export',
    {
      schema: {
        tags: ['denials'],
        summary:
          'Export the register as a custos.denial-exchange file with its SHA-256 checksum (staff only)',
        querystring: z.object({ includeReceived: z.enum(['true', 'false']).optional() }),
      },
    },
    async (req, reply) => {
      const { text } = await exportDenialRegister(ctx, req.principal, {
        includeReceived: req.query.includeReceived === 'true',
      });
      return reply
        .type('application/json')
        .header('content-disposition', 'attachment; filename="denials.json"')
        .send(text);
    },
  );
  app.post(
    '/api/denials/import',
    {
      schema: {
        tags: ['denials'],
        summary:
          "Import another Member State's exchange file (policy/workflow/denial-exchange.schema.json); refused whole when bad",
        body: z.unknown(),
        response: {
          200: z.looseObject({
            importId: z.string(),
            denials: z.number(),
            created: z.number(),
            updated: z.number(),
          }),
        },
      },
    },
    async (req) =>
      (await importDenialExchange(ctx, req.principal, JSON.stringify(req.body ?? null))) as never,
  );
  app.get(
    '/api/denials/:id',
    {
      schema: {
        tags: ['denials'],
        summary: 'Read a denial (staff only)',
        params: IdParams,
        response: { 200: Denial },
      },
    },
    async (req) => (await getDenial(ctx, req.principal, req.params.id)) as never,
  );
  app.post(
    '/api/denials/:id/status',
    {
      schema: {
        tags: ['denials'],
        summary: 'Revoke, mark expired or reinstate a denial, with a reason (send its version)',
        params: IdParams,
        body: DenialStatusChangeInput,
        response: { 200: Denial },
      },
    },
    async (req) => (await changeDenialStatus(ctx, req.principal, req.params.id, req.body)) as never,
  );
  app.post(
    '/api/applications/:id/denial-check',
    {
      schema: {
        tags: ['denials'],
        summary:
          'Check an application for essentially identical transactions against denials in force (staff)',
        params: IdParams,
        body: DenialCheckInput,
        response: { 200: z.looseObject({ id: z.string(), matches: z.array(z.unknown()) }) },
      },
    },
    async (req) =>
      (await checkApplicationAgainstDenials(ctx, req.principal, req.params.id, req.body)) as never,
  );
  app.get(
    '/api/applications/:id/denials',
    {
      schema: {
        tags: ['denials'],
        summary: 'Denials on an application: last check, consultations, notifications, guard facts (staff)',
        params: IdParams,
        response: { 200: ApplicationDenials },
      },
    },
    async (req) => (await getApplicationDenialView(ctx, req.principal, req.params.id)) as never,
  );
  app.post(
    '/api/applications/:id/denial-consultations',
    {
      schema: {
        tags: ['denials'],
        summary: 'Open an Art 16(2) consultation with the Member State that issued a denial (staff)',
        params: IdParams,
        body: ConsultationOpenInput,
        response: { 201: Consultation },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send((await openApplicationConsultation(ctx, req.principal, req.params.id, req.body)) as never),
  );
  app.patch(
    '/api/denial-consultations/:id',
    {
      schema: {
        tags: ['denials'],
        summary: 'Extend, answer or withdraw a consultation (send its version)',
        params: IdParams,
        body: ConsultationUpdateInput,
        response: { 200: Consultation },
      },
    },
    async (req) =>
      (await updateApplicationConsultation(ctx, req.principal, req.params.id, req.body)) as never,
  );
  app.post(
    '/api/applications/:id/denial-notifications',
    {
      schema: {
        tags: ['denials'],
        summary: 'Record the notification of Member States and Commission when granting despite a denial',
        params: IdParams,
        body: OverrideNotificationInput,
        response: { 201: ApplicationDenials },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(await recordDenialOverrideNotification(ctx, req.principal, req.params.id, req.body)),
  );
};
