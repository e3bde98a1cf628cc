/**
 * The access matrix: every endpoint x every role, including an exporter acting on another organisation's records.
 * A route missing from the matrix fails the test, so new endpoints cannot skip it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src/http/app.ts';
import { createApiToken } from '../../../src/services/identity.service.ts';
import { createServiceContext, type ServiceContext } from '../../../src/services/context.ts';
import { makeApplication, makeWorld, type World } from '../../factories/world.ts';
import { testConfig } from '../../support/config.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { anonymous, buildTestApp, sessionFor, signIn, type Caller } from '../../support/http.ts';

type Role = 'public' | 'exporterOwn' | 'exporterOther' | 'officer' | 'admin';
const ROLES: Role[] = ['public', 'exporterOwn', 'exporterOther', 'officer', 'admin'];

/** Fresh records owned by exporter A for one request. */
interface Fixture {
  appId: string;
  version: number;
  itemId: string;
  partyId: string;
  organisationId: string;
  documentId: string;
  tokenId: string;
}

interface Entry {
  method: string;
  url: string;
  request: (f: Fixture) => Omit<InjectOptions, 'headers'>;
  expect: Record<Role, number>;
  /** A portal page: errors are HTML pages, not problem+json. */
  html?: boolean;
}

const all = (status: number): Record<Role, number> => ({
  public: status,
  exporterOwn: status,
  exporterOther: status,
  officer: status,
  admin: status,
});
const m = (
  pub: number,
  own: number,
  other: number,
  officer: number,
  admin: number,
): Record<Role, number> => ({
  public: pub,
  exporterOwn: own,
  exporterOther: other,
  officer,
  admin,
});

const MULTIPART_BOUNDARY = '----matrix';
const pdfUpload = Buffer.concat([
  Buffer.from(
    `--${MULTIPART_BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="eus.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
  ),
  Buffer.from('%PDF-1.4\n%%EOF'),
  Buffer.from(`\r\n--${MULTIPART_BOUNDARY}--\r\n`),
]);

const MATRIX: Entry[] = [
  { method: 'GET', url: '/', request: () => ({ url: '/' }), expect: all(200) },
  {
    method: 'POST',
    url: '/api/assessments',
    request: () => ({
      method: 'POST',
      url: '/api/assessments',
      payload: JSON.parse(
        fs.readFileSync(path.resolve('test/fixtures/assessment/syria-interception.json'), 'utf8'),
      ),
    }),
    expect: m(401, 200, 200, 200, 200),
  },
  {
    method: 'GET',
    url: '/api/countries/:code',
    request: () => ({ url: '/api/countries/EG' }),
    expect: all(200),
  },
  // No list is loaded in this database: signed-in callers get 503 (the lists are named in the message), the public 401.
  {
    method: 'POST',
    url: '/api/screenings',
    request: () => ({ method: 'POST', url: '/api/screenings', payload: { name: 'Ivan Petrov' } }),
    expect: m(401, 503, 503, 503, 503),
  },
  {
    method: 'POST',
    url: '/api/screenings/batch',
    request: () => ({
      method: 'POST',
      url: '/api/screenings/batch',
      payload: { queries: [{ name: 'Ivan Petrov' }] },
    }),
    expect: m(401, 503, 503, 503, 503),
  },
  { method: 'GET', url: '/api/lists', request: () => ({ url: '/api/lists' }), expect: all(200) },
  {
    method: 'GET',
    url: '/api/classification/profiles',
    request: () => ({ url: '/api/classification/profiles' }),
    expect: all(200),
  },
  {
    method: 'POST',
    url: '/api/classifications',
    request: () => ({
      method: 'POST',
      url: '/api/classifications',
      payload: { item: { itemForm: 'software', facts: {} } },
    }),
    expect: all(200),
  },
  {
    method: 'POST',
    url: '/api/items/:id/classification',
    request: (f) => ({ method: 'POST', url: `/api/items/${f.itemId}/classification`, payload: {} }),
    expect: m(401, 200, 404, 200, 200),
  },
  // No control list is imported in this database: search and entries answer 503 to everyone alike.
  {
    method: 'GET',
    url: '/api/control-list/search',
    request: () => ({ url: '/api/control-list/search?q=imsi' }),
    expect: all(503),
  },
  {
    method: 'GET',
    url: '/api/control-list/entries/:code',
    request: () => ({ url: '/api/control-list/entries/5A001' }),
    expect: all(503),
  },
  {
    method: 'GET',
    url: '/schemas/technical-profile.json',
    request: () => ({ url: '/schemas/technical-profile.json' }),
    expect: all(200),
  },
  { method: 'GET', url: '/healthz', request: () => ({ url: '/healthz' }), expect: all(200) },
  { method: 'GET', url: '/readyz', request: () => ({ url: '/readyz' }), expect: all(200) },
  { method: 'GET', url: '/openapi.json', request: () => ({ url: '/openapi.json' }), expect: all(200) },
  {
    method: 'POST',
    url: '/api/auth/login',
    request: () => ({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nobody@example.test', password: 'not a real password' },
    }),
    expect: all(401),
  },
  {
    method: 'POST',
    url: '/api/auth/logout',
    request: () => ({ method: 'POST', url: '/api/auth/logout' }),
    expect: all(204),
  },
  {
    method: 'GET',
    url: '/api/auth/me',
    request: () => ({ url: '/api/auth/me' }),
    expect: m(401, 200, 200, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/tokens',
    request: () => ({ method: 'POST', url: '/api/tokens', payload: { name: 'matrix' } }),
    expect: m(401, 201, 201, 201, 201),
  },
  {
    method: 'DELETE',
    url: '/api/tokens/:id',
    request: (f) => ({ method: 'DELETE', url: `/api/tokens/${f.tokenId}` }),
    expect: m(401, 204, 404, 404, 204),
  },
  {
    method: 'GET',
    url: '/api/organisations',
    request: () => ({ url: '/api/organisations' }),
    expect: m(401, 200, 200, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/organisations',
    request: () => ({
      method: 'POST',
      url: '/api/organisations',
      payload: { kind: 'exporter', name: `Matrix Org ${Math.random()}`, country: 'FR' },
    }),
    expect: m(401, 403, 403, 403, 201),
  },
  {
    method: 'GET',
    url: '/api/organisations/:id',
    request: (f) => ({ url: `/api/organisations/${f.organisationId}` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'GET',
    url: '/api/users',
    request: () => ({ url: '/api/users' }),
    expect: m(401, 403, 403, 403, 200),
  },
  {
    method: 'POST',
    url: '/api/users',
    request: (f) => ({
      method: 'POST',
      url: '/api/users',
      payload: {
        organisationId: f.organisationId,
        email: `u${Math.random()}@example.test`,
        displayName: 'New',
        role: 'exporter',
        password: 'a long enough password',
      },
    }),
    expect: m(401, 403, 403, 403, 201),
  },
  {
    method: 'GET',
    url: '/api/items',
    request: () => ({ url: '/api/items' }),
    expect: m(401, 200, 200, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/items',
    request: () => ({ method: 'POST', url: '/api/items', payload: { name: 'Probe', itemForm: 'software' } }),
    expect: m(401, 201, 201, 403, 403),
  },
  {
    method: 'GET',
    url: '/api/items/:id',
    request: (f) => ({ url: `/api/items/${f.itemId}` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'PATCH',
    url: '/api/items/:id',
    request: (f) => ({
      method: 'PATCH',
      url: `/api/items/${f.itemId}`,
      payload: { version: 1, name: 'Renamed' },
    }),
    expect: m(401, 200, 404, 403, 403),
  },
  {
    method: 'GET',
    url: '/api/parties',
    request: () => ({ url: '/api/parties' }),
    expect: m(401, 200, 200, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/parties',
    request: () => ({
      method: 'POST',
      url: '/api/parties',
      payload: { name: 'Some Ministry', country: 'EG', partyType: 'government_body' },
    }),
    expect: m(401, 201, 201, 403, 403),
  },
  {
    method: 'GET',
    url: '/api/parties/:id',
    request: (f) => ({ url: `/api/parties/${f.partyId}` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'PATCH',
    url: '/api/parties/:id',
    request: (f) => ({
      method: 'PATCH',
      url: `/api/parties/${f.partyId}`,
      payload: { version: 1, address: 'New address' },
    }),
    expect: m(401, 200, 404, 403, 403),
  },
  {
    method: 'GET',
    url: '/api/applications',
    request: () => ({ url: '/api/applications' }),
    expect: m(401, 200, 200, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/applications',
    request: () => ({
      method: 'POST',
      url: '/api/applications',
      payload: { licenceType: 'individual', destinationCountry: 'EG' },
    }),
    expect: m(401, 201, 201, 403, 403),
  },
  {
    method: 'GET',
    url: '/api/applications/:id',
    request: (f) => ({ url: `/api/applications/${f.appId}` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'PATCH',
    url: '/api/applications/:id',
    request: (f) => ({
      method: 'PATCH',
      url: `/api/applications/${f.appId}`,
      payload: { version: f.version, intendedEndUse: 'Changed by the matrix test' },
    }),
    expect: m(401, 200, 404, 403, 403),
  },
  {
    method: 'POST',
    url: '/api/applications/:id/submit',
    request: (f) => ({
      method: 'POST',
      url: `/api/applications/${f.appId}/submit`,
      payload: { version: f.version },
    }),
    expect: m(401, 200, 404, 403, 403),
  },
  {
    method: 'POST',
    url: '/api/applications/:id/withdraw',
    request: (f) => ({
      method: 'POST',
      url: `/api/applications/${f.appId}/withdraw`,
      payload: { version: f.version },
    }),
    expect: m(401, 200, 404, 403, 403),
  },
  {
    method: 'GET',
    url: '/api/applications/:id/documents',
    request: (f) => ({ url: `/api/applications/${f.appId}/documents` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/applications/:id/documents',
    request: (f) => ({
      method: 'POST',
      url: `/api/applications/${f.appId}/documents`,
      payload: pdfUpload,
      extraHeaders: { 'content-type': `multipart/form-data; boundary=${MULTIPART_BOUNDARY}` },
    }),
    expect: m(401, 201, 404, 403, 403),
  },
  {
    method: 'GET',
    url: '/api/documents/:id',
    request: (f) => ({ url: `/api/documents/${f.documentId}` }),
    expect: m(401, 200, 404, 200, 200),
  },
  {
    method: 'GET',
    url: '/api/audit-events',
    request: () => ({ url: '/api/audit-events' }),
    expect: m(401, 403, 403, 200, 200),
  },
  {
    method: 'POST',
    url: '/api/audit/verify',
    request: () => ({ method: 'POST', url: '/api/audit/verify' }),
    expect: m(401, 403, 403, 403, 200),
  },
];

// ---- portal pages (HTML): the public is sent to sign in (303), other exporters get 404, staff are refused (403) ----
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const page = (
  method: 'GET' | 'POST',
  url: string,
  path: (f: Fixture) => string,
  expect: Record<Role, number>,
  fields: (f: Fixture) => Record<string, string> = () => ({}),
): Entry => ({
  method,
  url,
  html: true,
  expect,
  request: (f) =>
    method === 'GET'
      ? { url: path(f) }
      : { method, url: path(f), payload: new URLSearchParams(fields(f)).toString(), extraHeaders: FORM },
});
const EXPORTER_LIST = m(303, 200, 200, 403, 403);
const EXPORTER_OWN = m(303, 200, 404, 403, 403);
const EXPORTER_POST_NEW = m(303, 303, 303, 403, 403);
const EXPORTER_POST_OWN = m(303, 303, 404, 403, 403);
const itemFields = { name: 'Matrix item', itemForm: 'software' };
const partyFields = { name: 'Matrix party', country: 'EG', partyType: 'police' };
const detailFields = {
  licenceType: 'individual',
  destinationCountry: 'EG',
  exportChannel: 'physical',
  intendedEndUse: 'Matrix end use',
};
MATRIX.push(
  page('GET', '/assets/:name', () => '/assets/portal.css', all(200)),
  page('GET', '/methodology', () => '/methodology', all(200)),
  page('GET', '/language/:locale', () => '/language/fr?back=/methodology', all(303)),
  page('GET', '/sign-in', () => '/sign-in', all(200)),
  page(
    'POST',
    '/sign-in',
    () => '/sign-in',
    all(400),
    () => ({
      email: 'nobody@example.test',
      password: 'not a real password',
    }),
  ),
  page('POST', '/sign-out', () => '/sign-out', all(303)),
  page('GET', '/exporter', () => '/exporter', EXPORTER_LIST),
  page('GET', '/exporter/items', () => '/exporter/items', EXPORTER_LIST),
  page('GET', '/exporter/items/new', () => '/exporter/items/new', EXPORTER_LIST),
  page(
    'POST',
    '/exporter/items/new',
    () => '/exporter/items/new',
    EXPORTER_POST_NEW,
    () => itemFields,
  ),
  page('GET', '/exporter/items/:id', (f) => `/exporter/items/${f.itemId}`, EXPORTER_OWN),
  page('GET', '/exporter/items/:id/edit', (f) => `/exporter/items/${f.itemId}/edit`, EXPORTER_OWN),
  page(
    'POST',
    '/exporter/items/:id/edit',
    (f) => `/exporter/items/${f.itemId}/edit`,
    EXPORTER_POST_OWN,
    () => ({
      ...itemFields,
      version: '1',
    }),
  ),
  page('GET', '/exporter/items/:id/classify', (f) => `/exporter/items/${f.itemId}/classify`, EXPORTER_OWN),
  page(
    'POST',
    '/exporter/items/:id/classify',
    (f) => `/exporter/items/${f.itemId}/classify`,
    EXPORTER_POST_OWN,
    () => ({
      version: '1',
      asked: '',
      biometricModality: 'none',
    }),
  ),
  page(
    'GET',
    '/exporter/items/:id/classification',
    (f) => `/exporter/items/${f.itemId}/classification`,
    EXPORTER_OWN,
  ),
  page('GET', '/exporter/parties', () => '/exporter/parties', EXPORTER_LIST),
  page('GET', '/exporter/parties/new', () => '/exporter/parties/new', EXPORTER_LIST),
  page(
    'POST',
    '/exporter/parties/new',
    () => '/exporter/parties/new',
    EXPORTER_POST_NEW,
    () => partyFields,
  ),
  page('GET', '/exporter/parties/:id', (f) => `/exporter/parties/${f.partyId}`, EXPORTER_OWN),
  page('GET', '/exporter/parties/:id/edit', (f) => `/exporter/parties/${f.partyId}/edit`, EXPORTER_OWN),
  page(
    'POST',
    '/exporter/parties/:id/edit',
    (f) => `/exporter/parties/${f.partyId}/edit`,
    EXPORTER_POST_OWN,
    () => ({
      ...partyFields,
      version: '1',
    }),
  ),
  page('GET', '/exporter/applications', () => '/exporter/applications', EXPORTER_LIST),
  page('GET', '/exporter/applications/new', () => '/exporter/applications/new', EXPORTER_LIST),
  page(
    'POST',
    '/exporter/applications/new',
    () => '/exporter/applications/new',
    EXPORTER_POST_NEW,
    () => detailFields,
  ),
  page('GET', '/exporter/applications/:id', (f) => `/exporter/applications/${f.appId}`, EXPORTER_OWN),
  ...(['details', 'lines', 'parties', 'attachments', 'review'] as const).map((step) =>
    page(
      'GET',
      `/exporter/applications/:id/${step}`,
      (f) => `/exporter/applications/${f.appId}/${step}`,
      EXPORTER_OWN,
    ),
  ),
  page(
    'POST',
    '/exporter/applications/:id/details',
    (f) => `/exporter/applications/${f.appId}/details`,
    EXPORTER_POST_OWN,
    (f) => ({
      ...detailFields,
      version: String(f.version),
    }),
  ),
  page(
    'POST',
    '/exporter/applications/:id/lines',
    (f) => `/exporter/applications/${f.appId}/lines`,
    EXPORTER_POST_OWN,
    (f) => ({
      version: String(f.version),
      itemId: f.itemId,
      quantity: '1',
      unit: 'items',
      value: '10',
      currency: 'EUR',
      valueEur: '10',
    }),
  ),
  page(
    'POST',
    '/exporter/applications/:id/lines/remove',
    (f) => `/exporter/applications/${f.appId}/lines/remove`,
    EXPORTER_POST_OWN,
    (f) => ({
      version: String(f.version),
      lineNo: '1',
    }),
  ),
  page(
    'POST',
    '/exporter/applications/:id/parties',
    (f) => `/exporter/applications/${f.appId}/parties`,
    EXPORTER_POST_OWN,
    (f) => ({
      version: String(f.version),
      partyId: f.partyId,
      role: 'ultimate_end_user',
    }),
  ),
  page(
    'POST',
    '/exporter/applications/:id/parties/remove',
    (f) => `/exporter/applications/${f.appId}/parties/remove`,
    EXPORTER_POST_OWN,
    (f) => ({
      version: String(f.version),
      partyId: f.partyId,
      role: 'end_user',
    }),
  ),
  {
    method: 'POST',
    url: '/exporter/applications/:id/attachments',
    html: true,
    request: (f) => ({
      method: 'POST',
      url: `/exporter/applications/${f.appId}/attachments`,
      payload: pdfUpload,
      extraHeaders: { 'content-type': `multipart/form-data; boundary=${MULTIPART_BOUNDARY}` },
    }),
    expect: EXPORTER_POST_OWN,
  },
  page(
    'POST',
    '/exporter/applications/:id/submit',
    (f) => `/exporter/applications/${f.appId}/submit`,
    EXPORTER_POST_OWN,
    (f) => ({
      version: String(f.version),
    }),
  ),
  page(
    'POST',
    '/exporter/applications/:id/withdraw',
    (f) => `/exporter/applications/${f.appId}/withdraw`,
    EXPORTER_POST_OWN,
    (f) => ({
      version: String(f.version),
    }),
  ),
  page(
    'GET',
    '/officer/applications',
    () => '/officer/applications?status=submitted',
    m(303, 403, 403, 200, 200),
  ),
);

let database: TestDatabase;
let ctx: ServiceContext;
let world: World;
let app: App;
const callers = {} as Record<Role, Caller>;

async function makeFixture(): Promise<Fixture> {
  const { app: draft, item, endUser } = await makeApplication(ctx, world.exporterA.principal);
  const { attachDocument } = await import('../../../src/services/documents.service.ts');
  const doc = await attachDocument(ctx, world.exporterA.principal, draft.id, {
    filename: 'a.pdf',
    content: new TextEncoder().encode('%PDF-1.4\n%%EOF'),
  });
  const token = await createApiToken(ctx, world.exporterA.principal, { name: 'to revoke' });
  return {
    appId: draft.id,
    version: draft.version,
    itemId: item.id,
    partyId: endUser.id,
    organisationId: world.exporterA.organisationId,
    documentId: doc.id,
    tokenId: token.id,
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = createServiceContext(database.db, testConfig());
  world = await makeWorld(ctx, 'matrix');
  app = await buildTestApp(ctx);
  callers.public = anonymous;
  callers.exporterOwn = await signIn(app, world.exporterA.email);
  callers.exporterOther = await signIn(app, world.exporterB.email);
  callers.officer = await signIn(app, world.officer.email);
  callers.admin = await signIn(app, world.admin.email);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe('access matrix', () => {
  it('covers every registered route', () => {
    const covered = new Set(MATRIX.map((e) => `${e.method} ${e.url}`));
    const routes = app.routeTable
      .filter((r) => !r.url.startsWith('/docs'))
      .map((r) => `${r.method} ${r.url}`);
    const missing = routes.filter((r) => !covered.has(r));
    expect(missing, 'routes without an access-matrix entry').toEqual([]);
  });

  for (const entry of MATRIX) {
    it(`${entry.method} ${entry.url}`, async () => {
      const outcomes: Record<string, number> = {};
      for (const role of ROLES) {
        const fixture = await makeFixture();
        const { extraHeaders, ...req } = entry.request(fixture) as InjectOptions & {
          extraHeaders?: Record<string, string>;
        };
        // logout would end the shared session: give it a session of its own
        const caller =
          (entry.url === '/api/auth/logout' || entry.url === '/sign-out') && role !== 'public'
            ? await sessionFor(
                ctx,
                role === 'admin'
                  ? world.admin.email
                  : role === 'officer'
                    ? world.officer.email
                    : role === 'exporterOwn'
                      ? world.exporterA.email
                      : world.exporterB.email,
              )
            : callers[role];
        const res = await app.inject({
          ...req,
          headers: { ...caller.headers, ...extraHeaders },
        } as InjectOptions);
        outcomes[role] = res.statusCode;
        if (res.statusCode >= 400)
          expect(res.headers['content-type'], `${role}: ${res.body}`).toContain(
            entry.html ? 'text/html' : 'application/problem+json',
          );
        if (role === 'exporterOther' && res.statusCode < 300 && entry.url.includes(':id')) {
          throw new Error(`exporter B reached A's record via ${entry.method} ${entry.url}`);
        }
      }
      expect(outcomes).toEqual(entry.expect);
    });
  }
});
