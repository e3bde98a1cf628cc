/**
 * The portal: server-rendered pages for the public, exporters and officers, in their own Fastify scope so that
 * errors render as HTML pages (sign-in redirect, 403, 404) instead of problem+json.
 */
import fs from 'node:fs';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError, notFound, type DomainError, type ErrorCode } from '../../domain/errors.ts';
import type { ServiceContext } from '../../services/context.ts';
import type { RouteModule } from '../routes/types.ts';
import { registerExporterApplicationPages } from './exporter-applications.pages.ts';
import { registerExporterItemPages } from './exporter-items.pages.ts';
import { registerExporterPartyPages } from './exporter-parties.pages.ts';
import { html } from './html.ts';
import type { MessageKey } from './i18n.ts';
import { registerOfficerCasePages } from './officer-case.pages.ts';
import { registerOfficerCountryPages } from './officer-country.pages.ts';
import { registerOfficerEvidencePages } from './officer-evidence.pages.ts';
import { registerOfficerPublicationPages } from './officer-publication.pages.ts';
import { registerOfficerPages } from './officer.pages.ts';
import { pageContext, sendPage } from './page.ts';
import { registerAccountPages } from './account.pages.ts';
import { registerPublicPages } from './public.pages.ts';
import { registerPublicTransparencyPages } from './public-transparency.pages.ts';

const STATUS: Partial<Record<ErrorCode, number>> = {
  INVALID: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_LARGE: 413,
  LOCKED: 423,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

const ASSETS = {
  'portal.css': 'text/css; charset=utf-8',
  'portal.js': 'text/javascript; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
} as const;

/** The static assets, read once: small enough to keep in memory, served with a validator. */
export function readAsset(name: keyof typeof ASSETS): Buffer {
  return fs.readFileSync(new URL(`./assets/${name}`, import.meta.url));
}

function renderError(
  ctx: ServiceContext,
  error: FastifyError | DomainError,
  req: FastifyRequest,
  reply: FastifyReply,
) {
  if (isDomainError(error) && error.code === 'UNAUTHENTICATED') {
    return reply.redirect(`/sign-in?next=${encodeURIComponent(req.url)}`, 303);
  }
  let status = isDomainError(error) ? (STATUS[error.code] ?? 500) : (error.statusCode ?? 500);
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.code === 'FST_REQ_FILE_TOO_LARGE') status = 413;
  if ((error as { name?: string }).name === 'ZodError') status = 404; // a malformed id in the path names no page
  if (status >= 500) req.log.error({ err: error }, 'portal error');
  const p = pageContext(ctx, req, reply);
  const known = [400, 403, 404, 409, 413, 429, 503].includes(status);
  const title = p.t((known ? `error.${status}` : 'error.500') as MessageKey);
  const detail =
    status >= 500 && status !== 503
      ? p.t('error.500Text')
      : p.t((known ? `error.${status}Text` : 'error.500Text') as MessageKey);
  return sendPage(
    reply,
    p,
    {
      title,
      body: html`<h1>${title}</h1>
        <p>${detail}</p>
        <p class="meta">${p.t('error.requestId', { id: String(req.id) })}</p>
        <p><a href="/">${p.t('nav.home')}</a></p>`,
    },
    status,
  );
}

/** A browser asking for an address that is no page gets the portal's 404 page, not the API's problem+json. */
export function renderNotFoundPage(ctx: ServiceContext, req: FastifyRequest, reply: FastifyReply) {
  return renderError(ctx, notFound('Page'), req, reply);
}

export const portalRoutes: RouteModule = async (app, ctx) => {
  app.setErrorHandler((error: FastifyError, req, reply) => renderError(ctx, error, req, reply));
  const assets = Object.fromEntries(Object.keys(ASSETS).map((n) => [n, readAsset(n as keyof typeof ASSETS)]));
  app.get('/assets/:name', { schema: { hide: true } }, async (req, reply) => {
    const { name } = req.params as { name: string };
    if (!(name in ASSETS)) return reply.callNotFound();
    return reply
      .type(ASSETS[name as keyof typeof ASSETS])
      .header('cache-control', 'public, max-age=300')
      .send(assets[name]);
  });
  // Browsers ask for /favicon.ico on every page they open without an icon link (the JSON documents, for one).
  app.get('/favicon.ico', { schema: { hide: true } }, async (_req, reply) =>
    reply.redirect('/assets/favicon.svg', 301),
  );
  registerPublicPages(app, ctx);
  registerAccountPages(app, ctx);
  registerExporterItemPages(app, ctx);
  registerExporterPartyPages(app, ctx);
  registerExporterApplicationPages(app, ctx);
  registerOfficerPages(app, ctx);
  registerOfficerCasePages(app, ctx);
  registerOfficerEvidencePages(app, ctx);
  registerOfficerCountryPages(app, ctx);
  registerOfficerPublicationPages(app, ctx);
  registerPublicTransparencyPages(app, ctx);
};
