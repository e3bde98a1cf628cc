/** Organisations and users (administration). */
import { z } from 'zod';
import { OrganisationCreate, OrganisationView, UserCreate, UserView } from '../../contracts/foundation.ts';
import { createUser, listUsers } from '../../services/identity.service.ts';
import {
  createOrganisation,
  getOrganisation,
  listOrganisations,
} from '../../services/organisations.service.ts';
import type { RouteModule } from './types.ts';

export const organisationRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/organisations',
    {
      schema: {
        tags: ['administration'],
        summary: 'List organisations (an exporter sees its own)',
        response: { 200: z.array(OrganisationView) },
      },
    },
    async (req) => listOrganisations(ctx, req.principal),
  );
  app.post(
    '/api/organisations',
    {
      schema: {
        tags: ['administration'],
        summary: 'Create an organisation (administrator)',
        body: OrganisationCreate,
        response: { 201: OrganisationView },
      },
    },
    async (req, reply) => reply.code(201).send(await createOrganisation(ctx, req.principal, req.body)),
  );
  app.get(
    '/api/organisations/:id',
    {
      schema: {
        tags: ['administration'],
        summary: 'Read an organisation',
        params: z.object({ id: z.uuid() }),
        response: { 200: OrganisationView },
      },
    },
    async (req) => getOrganisation(ctx, req.principal, req.params.id),
  );
  app.get(
    '/api/users',
    {
      schema: {
        tags: ['administration'],
        summary: 'List users (administrator)',
        response: { 200: z.array(UserView) },
      },
    },
    async (req) => listUsers(ctx, req.principal),
  );
  app.post(
    '/api/users',
    {
      schema: {
        tags: ['administration'],
        summary: 'Create a user (administrator)',
        body: UserCreate,
        response: { 201: UserView },
      },
    },
    async (req, reply) => reply.code(201).send(await createUser(ctx, req.principal, req.body)),
  );
};
