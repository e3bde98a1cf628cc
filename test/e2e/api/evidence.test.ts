/** The evidence registry over HTTP: public submission and list, rate limit, canaries that must never leak. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src/http/app.ts';
import { EVIDENCE_SUBMISSIONS_PER_MINUTE } from '../../../src/http/routes/evidence.routes.ts';
import { createServiceContext, type ServiceContext } from '../../../src/services/context.ts';
import { makeWorld, type World } from '../../factories/world.ts';
import { testConfig } from '../../support/config.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { anonymous, buildTestApp, json, sessionFor, type Caller } from '../../support/http.ts';

let database: TestDatabase;
let ctx: ServiceContext;
let world: World;
let app: App;
let officer: Caller;
let exporter: Caller;

const CONTACT = 'canary-http-contact-55c1@source.example';
const SECRET = 'CANARY-HTTP-CONFIDENTIAL-0b7e';

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = createServiceContext(database.db, testConfig());
  world = await makeWorld(ctx, 'evhttp');
  app = await buildTestApp(ctx);
  officer = await sessionFor(ctx, world.officer.email);
  exporter = await sessionFor(ctx, world.exporterA.email);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const body = (over: Record<string, unknown> = {}) => ({
  title: 'NGO report on interception of activists (synthetic)',
  summary: 'Synthetic test record.',
  evidenceType: 'ngo_report',
  countries: ['BY'],
  rights: [7, 11],
  ...over,
});

describe('evidence over HTTP', () => {
  it('accepts a public submission, lets an officer accept it, and never shows the contact or confidential records', async () => {
    const sub = await app.inject({
      method: 'POST',
      url: '/api/evidence',
      headers: anonymous.headers,
      payload: body({ submitterContact: CONTACT }),
    });
    expect(sub.statusCode).toBe(201);
    expect(sub.body).not.toContain(CONTACT);
    const id = json<{ id: string }>(sub).id;
    const queue = await app.inject({ url: '/api/evidence/queue?status=pending', headers: officer.headers });
    expect(queue.body).toContain(CONTACT);
    const mod = await app.inject({
      method: 'POST',
      url: `/api/evidence/${id}/moderation`,
      headers: officer.headers,
      payload: { decision: 'accept', version: 1, reliability: 'medium' },
    });
    expect(mod.statusCode).toBe(200);
    const conf = await app.inject({
      method: 'POST',
      url: '/api/evidence/records',
      headers: officer.headers,
      payload: { ...body({ title: `Source protection ${SECRET}`, confidential: true }), reliability: 'high' },
    });
    expect(conf.statusCode).toBe(201);
    const confId = json<{ id: string }>(conf).id;

    for (const caller of [anonymous, exporter]) {
      for (const url of [
        '/api/evidence',
        '/api/evidence?country=BY',
        `/api/evidence?q=${encodeURIComponent(SECRET)}`,
        '/api/evidence?right=11',
        `/api/evidence/${id}`,
      ]) {
        const res = await app.inject({ url, headers: caller.headers });
        expect(res.statusCode, url).toBe(200);
        expect(res.body).not.toContain(CONTACT);
        expect(res.body).not.toContain(SECRET);
      }
      const one = await app.inject({ url: `/api/evidence/${confId}`, headers: caller.headers });
      expect(one.statusCode).toBe(404);
      expect(one.body).not.toContain(SECRET);
    }
    const list = json<{ items: { id: string }[] }>(await app.inject({ url: '/api/evidence?country=BY' }));
    expect(list.items.map((i) => i.id)).toEqual([id]);
  });

  it('refuses bad input with problem+json naming the field', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/evidence',
      payload: body({ countries: ['ZZ'], sourceUrl: 'javascript:alert(1)' }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toContain('countries');
    expect(res.body).toContain('sourceUrl');
  });

  it('rate-limits public submissions per client', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < EVIDENCE_SUBMISSIONS_PER_MINUTE + 2; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/evidence',
        remoteAddress: '203.0.113.9',
        payload: body({ title: `Flood ${i}` }),
      });
      statuses.push(res.statusCode);
    }
    expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(EVIDENCE_SUBMISSIONS_PER_MINUTE);
    expect(statuses.at(-1)).toBe(429);
  });
});
