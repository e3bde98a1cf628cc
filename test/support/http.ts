/** In-process HTTP helpers: build the app on a test database and sign in as a role. */
import type { LightMyRequestResponse } from 'fastify';
import { buildHttpApp, type App } from '../../src/http/app.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { TEST_PASSWORD } from '../factories/world.ts';

export interface Caller {
  /** Request headers that authenticate the caller (cookie + CSRF for sessions, bearer for tokens). */
  headers: Record<string, string>;
}

export const anonymous: Caller = { headers: {} };

export async function buildTestApp(ctx: ServiceContext): Promise<App> {
  const app = await buildHttpApp(ctx, { logger: false });
  await app.ready();
  return app;
}

export async function signIn(app: App, email: string, password = TEST_PASSWORD): Promise<Caller> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in failed for ${email}: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'custos_session');
  return { headers: { cookie: `custos_session=${cookie!.value}`, 'x-csrf-token': res.json().csrfToken } };
}

export const json = <T = Record<string, unknown>>(res: LightMyRequestResponse): T =>
  JSON.parse(res.body) as T;

/** A session opened through the service (no HTTP login, so no login rate limit), as a browser would hold it. */
export async function sessionFor(
  ctx: ServiceContext,
  email: string,
  password = TEST_PASSWORD,
): Promise<Caller> {
  const { login } = await import('../../src/services/identity.service.ts');
  const s = await login(ctx, email, password);
  return { headers: { cookie: `custos_session=${s.sessionToken}`, 'x-csrf-token': s.csrfToken } };
}
