/** The exporter's product catalogue and parties. */
import { z } from 'zod';
import { Page, PageQuery } from '../../contracts/common.ts';
import {
  ItemCreate,
  ItemUpdate,
  ItemView,
  PartyCreate,
  PartyUpdate,
  PartyView,
} from '../../contracts/foundation.ts';
import {
  createItem,
  createParty,
  getItem,
  getParty,
  listItems,
  listParties,
  updateItem,
  updateParty,
} from '../../services/catalogue.service.ts';
import type { RouteModule } from './types.ts';

const IdParams = z.object({ id: z.uuid() });
const ListQuery = PageQuery.extend({ organisationId: z.uuid().optional() });

export const catalogueRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/items',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'List catalogue items',
        querystring: ListQuery,
        response: { 200: Page(ItemView) },
      },
    },
    async (req) => ({
      ...(await listItems(ctx, req.principal, req.query)),
      limit: req.query.limit,
      offset: req.query.offset,
    }),
  );
  app.post(
    '/api/items',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Add an item to your catalogue',
        body: ItemCreate,
        response: { 201: ItemView },
      },
    },
    async (req, reply) => reply.code(201).send(await createItem(ctx, req.principal, req.body)),
  );
  app.get(
    '/api/items/:id',
    {
      schema: { tags: ['catalogue'], summary: 'Read an item', params: IdParams, response: { 200: ItemView } },
    },
    async (req) => getItem(ctx, req.principal, req.params.id),
  );
  app.patch(
    '/api/items/:id',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Change an item (send its version)',
        params: IdParams,
        body: ItemUpdate,
        response: { 200: ItemView },
      },
    },
    async (req) => updateItem(ctx, req.principal, req.params.id, req.body),
  );
  app.get(
    '/api/parties',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'List parties',
        querystring: ListQuery,
        response: { 200: Page(PartyView) },
      },
    },
    async (req) => ({
      ...(await listParties(ctx, req.principal, req.query)),
      limit: req.query.limit,
      offset: req.query.offset,
    }),
  );
  app.post(
    '/api/parties',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Add a party',
        body: PartyCreate,
        response: { 201: PartyView },
      },
    },
    async (req, reply) => reply.code(201).send(await createParty(ctx, req.principal, req.body)),
  );
  app.get(
    '/api/parties/:id',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Read a party',
        params: IdParams,
        response: { 200: PartyView },
      },
    },
    async (req) => getParty(ctx, req.principal, req.params.id),
  );
  app.patch(
    '/api/parties/:id',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Change a party (send its version)',
        params: IdParams,
        body: PartyUpdate,
        response: { 200: PartyView },
      },
    },
    async (req) => updateParty(ctx, req.principal, req.params.id, req.body),
  );
};
