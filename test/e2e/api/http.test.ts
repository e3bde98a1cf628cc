import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src/http/app.ts';
import { createServiceContext, type ServiceContext } from '../../../src/services/context.ts';
import { makeApplication, makeWorld, type World } from '../../factories/world.ts';
import { testConfig } from '../../support/config.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { buildTestApp, signIn, type Caller } from '../../support/http.ts';

let database: TestDatabase;
let ctx: ServiceContext;
let world: World;
let app: App;
let exporterA: Caller;

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = createServiceContext(database.db, testConfig({ CUSTOS_MAX_BODY_BYTES: '20000' }));
  world = await makeWorld(ctx);
  app = await buildTestApp(ctx);
  exporterA = await signIn(app, world.exporterA.email);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe('HTTP basics', () => {
  it('answers health and readiness', async () => {
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ url: '/readyz' })).json()).toMatchObject({ status: 'ready' });
  });

  it('publishes an OpenAPI 3 document with every API route', async () => {
    const res = await app.inject({ url: '/openapi.json' });
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    const documented = new Set(
      Object.entries(doc.paths as Record<string, object>).flatMap(([p, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
      ),
    );
    const apiRoutes = app.routeTable.filter((r) => r.url.startsWith('/api/'));
    for (const r of apiRoutes)
      expect(documented, `${r.method} ${r.url}`).toContain(`${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
    expect(doc.components.schemas.Application).toBeDefined();
    expect((await app.inject({ url: '/docs/' })).statusCode).toBe(200);
  });

  it('sets security headers and a request id', async () => {
    const res = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'req-12345678' } });
    expect(res.headers['x-request-id']).toBe('req-12345678');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeDefined();
  });

  it('serves a landing page at / that says where to go', async () => {
    const res = await app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('<html lang="en">');
    expect(res.body).toContain('href="/docs"');
  });

  it('answers unknown routes with problem+json', async () => {
    const res = await app.inject({ url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      title: expect.any(String),
      type: expect.any(String),
    });
  });
});

describe('bad input changes nothing', () => {
  const count = async () =>
    Number(
      (
        await ctx.db
          .selectFrom('applications')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('malformed JSON: 400 problem naming the body', async () => {
    const before = await count();
    const res = await app.inject({
      method: 'POST',
      url: '/api/applications',
      headers: { ...exporterA.headers, 'content-type': 'application/json' },
      payload: '{"licenceType": "individual",',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().issues[0].path).toBe('body');
    expect(await count()).toBe(before);
  });

  it('unknown fields, bad country and currency, negative values: 400 naming each field', async () => {
    const before = await count();
    const res = await app.inject({
      method: 'POST',
      url: '/api/applications',
      headers: exporterA.headers,
      payload: {
        licenceType: 'individual',
        destinationCountry: 'ZZ',
        surprise: true,
        lines: [
          {
            itemId: '00000000-0000-4000-8000-000000000000',
            quantity: -3,
            unit: 'items',
            value: -1,
            currency: 'XYZ',
            valueEur: 5,
          },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json().issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'body.destinationCountry',
        'body.lines.0.quantity',
        'body.lines.0.value',
        'body.lines.0.currency',
      ]),
    );
    expect(res.json().issues.some((i: { message: string }) => i.message.includes('surprise'))).toBe(true);
    // each issue also says its kind as a stable code, with its parameters (for clients and translations)
    const codes = Object.fromEntries(
      res
        .json()
        .issues.map((i: { path: string; code?: string; params?: object }) => [i.path, [i.code, i.params]]),
    );
    expect(codes).toMatchObject({
      'body.destinationCountry': ['country_code', undefined],
      'body.lines.0.quantity': ['above_number', { minimum: 0 }],
      'body.lines.0.value': ['min_number', { minimum: 0 }],
      'body.lines.0.currency': ['currency_code', undefined],
      body: ['unknown_fields', { keys: 'surprise' }],
    });
    expect(await count()).toBe(before);
  });

  it('a body over the limit: 413 problem', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/applications',
      headers: exporterA.headers,
      payload: { licenceType: 'individual', destinationCountry: 'DE', intendedEndUse: 'x'.repeat(30_000) },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('TOO_LARGE');
  });

  it('a stale version: 409 problem', async () => {
    const { app: draft } = await makeApplication(ctx, world.exporterA.principal);
    const ok = await app.inject({
      method: 'PATCH',
      url: `/api/applications/${draft.id}`,
      headers: exporterA.headers,
      payload: { version: draft.version, intendedEndUse: 'Changed once by the exporter' },
    });
    expect(ok.statusCode).toBe(200);
    const stale = await app.inject({
      method: 'PATCH',
      url: `/api/applications/${draft.id}`,
      headers: exporterA.headers,
      payload: { version: draft.version, intendedEndUse: 'Changed again from a stale copy' },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('CONFLICT');
    expect(stale.json().reason).toBe('stale_version'); // a client can tell "reload and retry" from other conflicts
    // Another conflict (a submitted application is no longer editable) carries no such reason.
    const submitted = await app.inject({
      method: 'POST',
      url: `/api/applications/${draft.id}/submit`,
      headers: exporterA.headers,
      payload: { version: ok.json().version },
    });
    expect(submitted.statusCode).toBe(200);
    const closed = await app.inject({
      method: 'PATCH',
      url: `/api/applications/${draft.id}`,
      headers: exporterA.headers,
      payload: { version: submitted.json().version, intendedEndUse: 'Too late' },
    });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().reason).toBeUndefined();
  });
});

describe('sessions, CSRF and tokens', () => {
  it('refuses a session request that changes state without the CSRF token', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/items',
      headers: { cookie: exporterA.headers.cookie! },
      payload: { name: 'X', itemForm: 'software' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().detail).toContain('CSRF');
  });

  it('sets a HttpOnly SameSite session cookie and refuses wrong passwords alike for unknown users', async () => {
    const ok = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: world.officer.email, password: 'correct horse battery staple' },
    });
    const cookie = ok.cookies.find((c) => c.name === 'custos_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: world.officer.email, password: 'wrong password!' },
    });
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nobody@example.test', password: 'wrong password!' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json().detail).toBe(wrong.json().detail);
  });

  it('issues API tokens that work without CSRF and stop working when revoked', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: exporterA.headers,
      payload: { name: 'ERP connector' },
    });
    expect(created.statusCode).toBe(201);
    const bearer = { authorization: `Bearer ${created.json().token}` };
    const item = await app.inject({
      method: 'POST',
      url: '/api/items',
      headers: bearer,
      payload: { name: 'Router', itemForm: 'hardware' },
    });
    expect(item.statusCode).toBe(201);
    await app.inject({
      method: 'DELETE',
      url: `/api/tokens/${created.json().id}`,
      headers: exporterA.headers,
    });
    expect((await app.inject({ url: '/api/items', headers: bearer })).statusCode).toBe(401);
    expect(
      (await app.inject({ url: '/api/items', headers: { authorization: 'Bearer cst_forged' } })).statusCode,
    ).toBe(401);
  });

  it("changes the caller's own language for e-mails, and refuses one Custos does not speak", async () => {
    const caller = await signIn(app, world.exporterB.email);
    const bad = await app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: caller.headers,
      payload: { language: 'de' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().issues).toEqual([
      expect.objectContaining({ path: 'body.language', code: 'not_one_of', params: { options: 'en, fr' } }),
    ]);
    const extra = await app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: caller.headers,
      payload: { language: 'fr', role: 'administrator' },
    });
    expect(extra.statusCode).toBe(400);
    expect((await app.inject({ url: '/api/auth/me', headers: caller.headers })).json().user).toMatchObject({
      language: null,
      role: 'exporter',
    });
    const ok = await app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: caller.headers,
      payload: { language: 'fr' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user).toMatchObject({ email: world.exporterB.email, language: 'fr' });
    expect((await app.inject({ url: '/api/auth/me', headers: caller.headers })).json().user.language).toBe(
      'fr',
    );
  });

  it('logout ends the session', async () => {
    const caller = await signIn(app, world.exporterB.email);
    expect((await app.inject({ url: '/api/auth/me', headers: caller.headers })).statusCode).toBe(200);
    await app.inject({ method: 'POST', url: '/api/auth/logout', headers: caller.headers });
    expect((await app.inject({ url: '/api/auth/me', headers: caller.headers })).statusCode).toBe(401);
  });
});

describe('documents', () => {
  it('stores an upload with its sniffed type, and refuses oversize or unknown types before storing', async () => {
    const { app: draft } = await makeApplication(ctx, world.exporterA.principal);
    const upload = async (name: string, bytes: Buffer, type = 'application/octet-stream') => {
      const boundary = '----custosboundary';
      const body = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`,
        ),
        bytes,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return app.inject({
        method: 'POST',
        url: `/api/applications/${draft.id}/documents`,
        headers: { ...exporterA.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: body,
      });
    };
    const pdf = await upload(
      'end-user-statement.pdf',
      Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\n%%EOF'),
      'image/png',
    );
    expect(pdf.statusCode).toBe(201);
    expect(pdf.json()).toMatchObject({ mediaType: 'application/pdf', filename: 'end-user-statement.pdf' });
    const exe = await upload(
      'tool.pdf',
      Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00]),
    );
    expect(exe.statusCode).toBe(400);
    const big = await upload('big.txt', Buffer.alloc(70_000, 0x41));
    expect(big.statusCode).toBe(413);
    const listed = await app.inject({
      url: `/api/applications/${draft.id}/documents`,
      headers: exporterA.headers,
    });
    expect(listed.json()).toHaveLength(1);
    const download = await app.inject({ url: `/api/documents/${pdf.json().id}`, headers: exporterA.headers });
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.body.startsWith('%PDF')).toBe(true);
  });
});

describe('assessment API', () => {
  it('assesses an application and renders the memo as HTML', async () => {
    const fs = await import('node:fs');
    const input = JSON.parse(fs.readFileSync('test/fixtures/assessment/syria-interception.json', 'utf8'));
    const res = await app.inject({
      method: 'POST',
      url: '/api/assessments',
      headers: exporterA.headers,
      payload: input,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().assessment.recommendation).toBe('deny');
    const memo = await app.inject({
      method: 'POST',
      url: '/api/assessments?format=html',
      headers: exporterA.headers,
      payload: input,
    });
    expect(memo.headers['content-type']).toContain('text/html');
    expect(memo.body).toContain('<html');
    const bad = await app.inject({
      method: 'POST',
      url: '/api/assessments',
      headers: exporterA.headers,
      payload: { ...input, destination: 'XX' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues.map((i: { path: string }) => i.path)).toContain('destination');
  });
});
