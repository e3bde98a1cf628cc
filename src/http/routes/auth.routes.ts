/** Sign-in, sign-out, the current user, and API tokens. */
import { z } from 'zod';
import {
  LoginRequest,
  SessionView,
  TokenCreate,
  TokenCreated,
  UserPreferences,
  UserView,
} from '../../contracts/foundation.ts';
import { Problem } from '../../contracts/common.ts';
import {
  createApiToken,
  getOwnUser,
  login,
  logout,
  revokeApiToken,
  setOwnPreferences,
} from '../../services/identity.service.ts';
import { clearSessionCookie, setSessionCookie } from '../auth.ts';
import type { RouteModule } from './types.ts';

export const authRoutes: RouteModule = (app, ctx) => {
  app.post(
    '/api/auth/login',
    {
      config: { rateLimit: { max: 10, timeWindow: 60_000 } },
      schema: {
        tags: ['identity'],
        summary: 'Sign in and open a browser session',
        body: LoginRequest,
        response: { 200: SessionView, 401: Problem },
      },
    },
    async (req, reply) => {
      const s = await login(ctx, req.body.email, req.body.password);
      setSessionCookie(reply, s.sessionToken, s.expiresAt, ctx.config.secureCookies);
      return { user: s.user, csrfToken: s.csrfToken, expiresAt: s.expiresAt };
    },
  );
  app.post(
    '/api/auth/logout',
    { schema: { tags: ['identity'], summary: 'Close the browser session', response: { 204: z.null() } } },
    async (req, reply) => {
      if (req.sessionToken) await logout(ctx, req.sessionToken);
      clearSessionCookie(reply, ctx.config.secureCookies);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/api/auth/me',
    {
      schema: {
        tags: ['identity'],
        summary: 'Who am I',
        response: { 200: z.object({ user: UserView, csrfToken: z.string().nullable() }), 401: Problem },
      },
    },
    async (req) => ({ user: await getOwnUser(ctx, req.principal), csrfToken: req.csrfToken ?? null }),
  );
  app.patch(
    '/api/auth/me',
    {
      schema: {
        tags: ['identity'],
        summary: 'Change my preferences (the language of e-mails from Custos)',
        body: UserPreferences,
        response: { 200: z.object({ user: UserView }), 400: Problem, 401: Problem },
      },
    },
    async (req) => ({ user: await setOwnPreferences(ctx, req.principal, req.body) }),
  );
  app.post(
    '/api/tokens',
    {
      schema: {
        tags: ['identity'],
        summary: 'Create an API token for the current user (shown once)',
        body: TokenCreate,
        response: { 201: TokenCreated },
      },
    },
    async (req, reply) => reply.code(201).send(await createApiToken(ctx, req.principal, req.body)),
  );
  app.delete(
    '/api/tokens/:id',
    {
      schema: {
        tags: ['identity'],
        summary: 'Revoke an API token',
        params: z.object({ id: z.uuid() }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await revokeApiToken(ctx, req.principal, req.params.id);
      return reply.code(204).send(null);
    },
  );
};
