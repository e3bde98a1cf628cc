/** Builds the Fastify application from the services: no globals, so tests build as many as they like. */
import { randomUUID } from 'node:crypto';
import cookie, { fastifyCookie } from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { PUBLIC } from '../domain/model.ts';
import type { ServiceContext } from '../services/context.ts';
import { registerAuth } from './auth.ts';
import { renderNotFoundPage } from './portal/portal.routes.ts';
import { handleError, problem, sendProblem } from './problem.ts';
import { ROUTES } from './routes/index.ts';
import type { TypedApp } from './routes/types.ts';

export interface HttpAppOptions {
  logger?: FastifyServerOptions['logger'];
  /** Checked by /readyz. */
  ready?: () => Promise<void>;
  version?: string;
}

export interface RouteInfo {
  method: string;
  url: string;
}

export type App = FastifyInstance & { routeTable: RouteInfo[] };

/** A browser's request outside the API (a page, or a form posted to one): its errors are pages, not problem+json. */
const wantsPage = (req: FastifyRequest): boolean =>
  !req.url.startsWith('/api/') && (req.headers.accept?.includes('text/html') ?? false);

export async function buildHttpApp(ctx: ServiceContext, options: HttpAppOptions = {}): Promise<App> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: ctx.config.maxBodyBytes,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    },
    trustProxy: false,
    // Addresses the router refuses before any route sees them (a malformed percent-escape, a path segment over
    // Fastify's 100 characters): answered like every other refusal, not with the framework's own JSON.
    frameworkErrors: (error, req, reply) => {
      if (wantsPage(req)) {
        // No hook has run yet: the page is rendered as for a visitor, in the language of the visitor's cookie.
        req.cookies ??= fastifyCookie.parse(req.headers.cookie ?? '');
        req.principal ??= PUBLIC;
        return renderNotFoundPage(ctx, req, reply);
      }
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      return sendProblem(
        reply,
        problem(
          tooLong ? 414 : 400,
          tooLong ? 'TOO_LARGE' : 'INVALID',
          tooLong
            ? 'A segment of the address is longer than any identifier here (100 characters at most).'
            : 'The address is not valid: a percent-escape in it does not decode.',
          req,
          [{ path: 'url', message: tooLong ? 'segment too long' : 'invalid percent-encoding' }],
        ),
      );
    },
  }).withTypeProvider<ZodTypeProvider>() as unknown as App;

  const routeTable: RouteInfo[] = [];
  app.routeTable = routeTable;
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    for (const m of methods) if (m !== 'HEAD') routeTable.push({ method: m, url: r.url });
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((req, reply) =>
    wantsPage(req)
      ? renderNotFoundPage(ctx, req, reply)
      : sendProblem(
          reply,
          problem(404, 'NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}.`, req),
        ),
  );
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', String(req.id));
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: ctx.config.secureCookies ? { maxAge: 31_536_000 } : false,
  });
  await app.register(rateLimit, {
    max: ctx.config.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: (req) =>
      req.headers.authorization ? `token:${req.headers.authorization.slice(-16)}` : req.ip,
    errorResponseBuilder: (req, context) => ({
      ...problem(
        429,
        'RATE_LIMITED',
        `Too many requests: at most ${context.max} per minute. Retry in ${Math.ceil(context.ttl / 1000)} s.`,
        req,
      ),
      statusCode: 429,
    }),
  });
  await app.register(cookie);
  await app.register(formbody);
  await app.register(multipart, { limits: { fileSize: ctx.config.maxUploadBytes, files: 1, fields: 10 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Custos API',
        version: options.version ?? '0.1.0',
        description:
          'Export control of cyber-surveillance items under Regulation (EU) 2021/821. Errors are RFC 9457 problem+json. ' +
          'Authenticate with a session cookie (browser; send the CSRF token in x-csrf-token) or `Authorization: Bearer <token>`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'custos_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // Swagger UI sets inline styles (as the portal's own policy allows); its default policy blocks them.
    transformStaticCSP: (header) =>
      header.replace("style-src 'self' https:", "style-src 'self' 'unsafe-inline'"),
  });

  registerAuth(app, ctx);
  for (const register of ROUTES)
    await app.register(async (scope) => register(scope as unknown as TypedApp, ctx, options));
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
