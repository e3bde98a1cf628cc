/** The shape of a route module: it registers its routes on the app with the services it calls. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ServiceContext } from '../../services/context.ts';

export type TypedApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface RouteOptions {
  ready?: () => Promise<void>;
  version?: string;
}

export type RouteModule = (app: TypedApp, ctx: ServiceContext, options: RouteOptions) => void | Promise<void>;
