/** Resolves the acting principal of each request (session cookie or API token) and enforces CSRF on sessions. */
import '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/errors.ts';
import { PUBLIC, type Principal } from '../domain/model.ts';
import type { ServiceContext } from '../services/context.ts';
import { csrfMatches, resolveApiToken, resolveSession } from '../services/identity.service.ts';

export const SESSION_COOKIE = 'custos_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
    csrfToken?: string;
    sessionToken?: string;
  }
}

export function registerAuth(app: FastifyInstance, ctx: ServiceContext): void {
  app.decorateRequest('principal', null as never);
  app.addHook('onRequest', async (req: FastifyRequest) => {
    req.principal = PUBLIC;
    const authz = req.headers.authorization;
    if (authz) {
      const m = /^Bearer\s+(\S+)$/i.exec(authz);
      const principal = m ? await resolveApiToken(ctx, m[1]!) : null;
      if (!principal)
        throw new DomainError('UNAUTHENTICATED', 'The API token is invalid, expired or revoked.');
      req.principal = principal;
      return; // tokens are not sent by browsers on their own, so no CSRF check
    }
    const token = req.cookies[SESSION_COOKIE];
    if (!token) return;
    const session = await resolveSession(ctx, token);
    if (!session) return; // an expired cookie: treat as anonymous
    req.principal = session.principal;
    req.csrfToken = session.csrfToken;
    req.sessionToken = token;
  });
  // CSRF: a session-authenticated request that changes state must carry the session's token (header or form field).
  app.addHook('preHandler', async (req: FastifyRequest) => {
    if (SAFE_METHODS.has(req.method) || !req.sessionToken || !req.csrfToken) return;
    // a multipart portal form carries its token as a field: that route checks it before it reads the file
    if ((req.routeOptions.config as { csrfInHandler?: boolean }).csrfInHandler && req.isMultipart()) return;
    const body = req.body as Record<string, unknown> | undefined;
    const submitted =
      (req.headers[CSRF_HEADER] as string | undefined) ??
      (typeof body?._csrf === 'string' ? body._csrf : undefined);
    if (!csrfMatches(req.csrfToken, submitted)) {
      throw new DomainError(
        'FORBIDDEN',
        `Missing or wrong CSRF token: send the session's token in the ${CSRF_HEADER} header.`,
      );
    }
  });
}

export function setSessionCookie(
  reply: FastifyReply,
  token: string,
  expiresAt: string,
  secure: boolean,
): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    secure,
    sameSite: 'lax',
    path: '/',
    expires: new Date(expiresAt),
  });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, secure, sameSite: 'lax' });
}
