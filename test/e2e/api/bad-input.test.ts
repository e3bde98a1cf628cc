/**
 * Bad input, everywhere: every operation of the published OpenAPI document is called with malformed path parameters,
 * query parameters of the wrong type and bodies that are not what its schema says, as an administrator and as an
 * exporter. None may answer 500; every refusal is problem+json whose status is the HTTP status; and a refused request
 * changes nothing (no audit event, no row added or removed in any table).
 */
import { sql } from 'kysely';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src/http/app.ts';
import { createServiceContext, type ServiceContext } from '../../../src/services/context.ts';
import { makeApplication, makeWorld, type World } from '../../factories/world.ts';
import { testConfig } from '../../support/config.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { buildTestApp, sessionFor, type Caller } from '../../support/http.ts';

interface SchemaObject {
  type?: string | string[];
  properties?: Record<string, SchemaObject>;
  items?: SchemaObject;
  enum?: unknown[];
  $ref?: string;
  anyOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  allOf?: SchemaObject[];
}

interface Operation {
  parameters?: { name: string; in: 'path' | 'query' | 'header' | 'cookie'; schema?: SchemaObject }[];
  requestBody?: { content?: Record<string, { schema?: SchemaObject }> };
}

interface Probe {
  label: string;
  request: InjectOptions;
}

/** A value of the wrong JSON type for a schema (a string where a number is wanted, and so on). */
function wrongValue(schema: SchemaObject | undefined): unknown {
  const type = Array.isArray(schema?.type) ? schema.type[0] : schema?.type;
  switch (type) {
    case 'string':
      return schema?.enum ? 'not-one-of-the-allowed-values' : 12345;
    case 'integer':
    case 'number':
      return 'not a number';
    case 'boolean':
      return 'yes';
    case 'array':
      return { not: 'an array' };
    case 'object':
      return 'not an object';
    default:
      return { unexpected: ['shape'] };
  }
}

/** Signing out would end the sweep's own sessions (and takes no input to get wrong). */
const SIGN_OUT = /logout|sign-out/;

const MALFORMED_IDS = [
  'not-a-uuid',
  '0',
  'x'.repeat(300),
  '00000000-0000-0000-0000-00000000000g',
  '%E0%A4%A',
];

/** The probes of one operation: its real path with each path parameter malformed, bad queries and bad bodies. */
function probesOf(
  pathTemplate: string,
  method: string,
  op: Operation,
  fill: (name: string) => string,
): Probe[] {
  const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
  const url = (override?: { name: string; value: string }) =>
    pathTemplate.replace(/\{([^}]+)\}/g, (_, name: string) =>
      override?.name === name ? override.value : encodeURIComponent(fill(name)),
    );
  const probes: Probe[] = [];
  const hasBody = op.requestBody !== undefined;
  const bodySchema = op.requestBody?.content?.['application/json']?.schema;
  const base = (u: string): InjectOptions => ({
    method: method.toUpperCase() as InjectOptions['method'],
    url: u,
    ...(hasBody && bodySchema ? { payload: {} } : {}),
  });
  for (const name of pathParams) {
    for (const value of MALFORMED_IDS) {
      probes.push({ label: `path ${name}=${value.slice(0, 20)}`, request: base(url({ name, value })) });
    }
  }
  for (const q of (op.parameters ?? []).filter((p) => p.in === 'query')) {
    const bad = wrongValue(q.schema);
    const text = typeof bad === 'string' ? bad : JSON.stringify(bad);
    probes.push({
      label: `query ${q.name}=${text.slice(0, 20)}`,
      request: base(`${url()}?${encodeURIComponent(q.name)}=${encodeURIComponent(text)}`),
    });
    probes.push({
      label: `query ${q.name} twice`,
      request: base(`${url()}?${encodeURIComponent(q.name)}=1&${encodeURIComponent(q.name)}=2`),
    });
  }
  probes.push({ label: 'unknown query parameter', request: base(`${url()}?zz-unknown=1`) });
  if (bodySchema) {
    const m = method.toUpperCase() as InjectOptions['method'];
    const raw = (label: string, payload: string, contentType = 'application/json') =>
      probes.push({
        label,
        request: { method: m, url: url(), payload, headers: { 'content-type': contentType } },
      });
    raw('body not JSON', '{"unterminated": ');
    raw('body null', 'null');
    raw('body an array', '[]');
    raw('body a string', '"text"');
    raw('body a number', '42');
    raw('body empty object', '{}');
    raw('body as text/plain', 'name=x', 'text/plain');
    raw('body nested deeply', `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`);
    const props = bodySchema.properties ?? {};
    for (const [name, schema] of Object.entries(props)) {
      raw(`body ${name} of the wrong type`, JSON.stringify({ [name]: wrongValue(schema) }));
      raw(`body ${name} a huge string`, JSON.stringify({ [name]: 'x'.repeat(200_000) }));
    }
  }
  return probes;
}

let db: TestDatabase;
let ctx: ServiceContext;
let app: App;
let world: World;
let callers: Record<'admin' | 'exporter' | 'public', Caller>;
let ids: Record<string, string>;

beforeAll(async () => {
  db = await createTestDatabase();
  // The sweep sends thousands of requests in a minute: the rate limit (tested elsewhere) is set out of its way.
  ctx = createServiceContext(db.db, testConfig({ CUSTOS_RATE_LIMIT_PER_MINUTE: '1000000' }));
  world = await makeWorld(ctx, 'bad');
  const application = await makeApplication(ctx, world.exporterA.principal);
  app = await buildTestApp(ctx);
  callers = {
    admin: await sessionFor(ctx, world.admin.email),
    exporter: await sessionFor(ctx, world.exporterA.email),
    public: { headers: {} },
  };
  ids = { application: application.app.id };
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

/** A well-formed value for the path parameters a probe does not break: the exporter's application for an id. */
const fill = (name: string): string => (name.toLowerCase().endsWith('id') ? ids.application! : 'x');

/**
 * Every table's rows and content (audit events included), as a count and a digest of its rows' text per table: what a
 * refused request must leave as it was, not one value changed. Sessions are the callers' own.
 */
async function footprint(): Promise<string> {
  const { rows: tables } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE'
      and table_name <> 'sessions'
    order by table_name`.execute(db.db);
  const digests = await sql<{ name: string; n: number; digest: string }>`${sql.raw(
    tables
      .map(
        (t) =>
          `select '${t.name}' as name, count(*)::int as n, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as digest from "${t.name}" x`,
      )
      .join(' union all '),
  )}`.execute(db.db);
  return digests.rows.map((r) => `${r.name}=${r.n}:${r.digest.slice(0, 12)}`).join(' ');
}

describe('bad input on every operation', () => {
  it('sees one value changed, not only a row added or removed', async () => {
    const before = await footprint();
    await sql`update organisations set name = name || '.' where id = (select id from organisations order by id limit 1)`.execute(
      db.db,
    );
    const changed = await footprint();
    await sql`update organisations set name = left(name, -1) where id = (select id from organisations order by id limit 1)`.execute(
      db.db,
    );
    expect(diff(before, changed)).toMatch(/^organisations /);
    expect(await footprint()).toBe(before);
  });

  it('never answers 500, refuses with problem+json and changes nothing', async () => {
    const doc = (await app.inject({ url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, Operation>>;
    };
    const failures: string[] = [];
    let probed = 0;
    const statuses = new Map<number, number>();
    // The footprint before each request: the one after the previous request (taken again after an accepted one).
    let before = await footprint();
    for (const [pathTemplate, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        if (SIGN_OUT.test(pathTemplate)) continue;
        for (const probe of probesOf(pathTemplate, method, op, fill)) {
          for (const [who, caller] of Object.entries(callers)) {
            const res = await app.inject({
              ...probe.request,
              headers: { ...(probe.request.headers as Record<string, string>), ...caller.headers },
            });
            probed += 1;
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
            const where = `${method.toUpperCase()} ${pathTemplate} [${probe.label}] as ${who}: ${res.statusCode}`;
            if (res.statusCode >= 500 && res.statusCode !== 503) {
              failures.push(`${where} ${res.body.slice(0, 300)}`);
              before = await footprint();
              continue;
            }
            if (res.statusCode >= 400) {
              const type = String(res.headers['content-type'] ?? '');
              if (!type.startsWith('application/problem+json'))
                failures.push(`${where} content-type ${type}`);
              else {
                const body = res.json() as { status?: number; title?: string; type?: string };
                if (body.status !== res.statusCode || !body.title || !body.type)
                  failures.push(`${where} problem ${res.body.slice(0, 200)}`);
              }
              const after = await footprint();
              if (after !== before) failures.push(`${where} changed rows: ${diff(before, after)}`);
              before = after;
            } else before = await footprint();
          }
        }
      }
    }
    await expectSignedIn();
    console.info(
      `bad input: ${probed} requests; by status ${[...statuses]
        .sort((a, b) => a[0] - b[0])
        .map(([s, n]) => `${s}: ${n}`)
        .join(', ')}`,
    );
    expect(probed).toBeGreaterThan(500);
    expect(failures).toEqual([]);
  }, 900_000);
});

/** Form fields the portal's forms use, each sent with values no form accepts. */
const PORTAL_FIELDS = [
  'name',
  'country',
  'partyType',
  'licenceType',
  'destinationCountry',
  'exportChannel',
  'intendedEndUse',
  'itemForm',
  'itemId',
  'partyId',
  'role',
  'quantity',
  'unit',
  'valueEur',
  'lineNo',
  'version',
  'decision',
  'reason',
  'answer',
  'text',
  'status',
  'period',
  'note',
  'email',
  'password',
  'locale',
  'q',
];
const PORTAL_VALUES = ['', '-1', 'NaN', '1e309', 'x'.repeat(100_000), '<script>alert(1)</script>', '\u0000'];

describe('bad input on every portal page and form', () => {
  it('never answers 500, refuses with an HTML page and changes nothing', async () => {
    const openApiPaths = new Set(
      Object.keys(((await app.inject({ url: '/openapi.json' })).json() as { paths: object }).paths).map((p) =>
        p.replace(/\{([^}]+)\}/g, ':$1'),
      ),
    );
    const routes = app.routeTable.filter(
      (r) =>
        !r.url.startsWith('/api/') &&
        !openApiPaths.has(r.url) &&
        (r.method === 'POST' || (r.method === 'GET' && r.url.includes(':'))) &&
        !r.url.startsWith('/assets') &&
        !r.url.includes('*') &&
        !SIGN_OUT.test(r.url),
    );
    expect(routes.length).toBeGreaterThan(20);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let probed = 0;
    let before = await footprint();
    for (const route of routes) {
      const params = [...route.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
      const url = (override?: { name: string; value: string }) =>
        route.url.replace(/:([A-Za-z]+)/g, (_, name: string) =>
          override?.name === name ? override.value : encodeURIComponent(fill(name)),
        );
      const requests: { label: string; request: InjectOptions }[] = [];
      const form = (label: string, u: string, body: string) =>
        requests.push({
          label,
          request:
            route.method === 'GET'
              ? { method: 'GET', url: u }
              : {
                  method: 'POST',
                  url: u,
                  payload: body,
                  headers: { 'content-type': 'application/x-www-form-urlencoded' },
                },
        });
      for (const name of params)
        for (const value of MALFORMED_IDS)
          form(`path ${name}=${value.slice(0, 20)}`, url({ name, value }), '');
      if (route.method === 'POST') {
        form('empty form', url(), '');
        form('form not url-encoded', url(), '%%%=&&&=%');
        for (const value of PORTAL_VALUES)
          form(
            `every field ${JSON.stringify(value.slice(0, 12))}`,
            url(),
            new URLSearchParams(PORTAL_FIELDS.map((f) => [f, value])).toString(),
          );
      }
      for (const { label, request } of requests) {
        for (const [who, caller] of Object.entries(callers)) {
          const res = await app.inject({
            ...request,
            headers: {
              ...(request.headers as Record<string, string>),
              ...caller.headers,
              accept: 'text/html',
            },
          });
          probed += 1;
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          const where = `${route.method} ${route.url} [${label}] as ${who}: ${res.statusCode}`;
          if (res.statusCode >= 500) {
            failures.push(`${where} ${res.body.slice(0, 300)}`);
            before = await footprint();
            continue;
          }
          if (res.statusCode >= 400) {
            const type = String(res.headers['content-type'] ?? '');
            if (!type.startsWith('text/html')) failures.push(`${where} content-type ${type}`);
            const after = await footprint();
            if (after !== before) failures.push(`${where} changed rows: ${diff(before, after)}`);
            before = after;
          } else before = await footprint();
        }
      }
    }
    console.info(
      `portal bad input: ${probed} requests on ${routes.length} routes; by status ${[...statuses]
        .sort((a, b) => a[0] - b[0])
        .map(([s, n]) => `${s}: ${n}`)
        .join(', ')}`,
    );
    await expectSignedIn();
    expect(failures).toEqual([]);
  }, 900_000);
});

describe('malformed uploads', () => {
  it('never answers 500 to a broken multipart body, refuses it and stores nothing', async () => {
    const B = 'custos-boundary';
    const part = (name: string, filename: string | null, content: string) =>
      `--${B}\r\nContent-Disposition: form-data; name="${name}"${filename === null ? '' : `; filename="${filename}"`}\r\n` +
      `${filename === null ? '' : 'Content-Type: application/pdf\r\n'}\r\n${content}\r\n`;
    const pdf = '%PDF-1.4\n%%EOF';
    const bodies: { label: string; body: string; type?: string }[] = [
      { label: 'truncated (no closing boundary)', body: part('file', 'a.pdf', pdf).slice(0, -6) },
      {
        label: 'no boundary parameter',
        body: `${part('file', 'a.pdf', pdf)}--${B}--\r\n`,
        type: 'multipart/form-data',
      },
      {
        label: 'boundary of the header not in the body',
        body: `${part('file', 'a.pdf', pdf)}--${B}--\r\n`,
        type: 'multipart/form-data; boundary=another',
      },
      { label: 'no file part', body: `${part('title', null, 'x')}--${B}--\r\n` },
      { label: 'file under another name', body: `${part('other', 'a.pdf', pdf)}--${B}--\r\n` },
      { label: 'empty file', body: `${part('file', 'a.pdf', '')}--${B}--\r\n` },
      {
        label: 'not a PDF under a PDF name',
        body: `${part('file', 'a.pdf', 'MZ\u0090\u0000binary')}--${B}--\r\n`,
      },
      {
        label: 'over the size limit',
        body: `${part('file', 'a.pdf', `${pdf}${'x'.repeat(70_000)}`)}--${B}--\r\n`,
      },
      { label: 'two files', body: `${part('file', 'a.pdf', pdf)}${part('file', 'b.pdf', pdf)}--${B}--\r\n` },
      {
        label: 'more fields than allowed',
        body: `${Array.from({ length: 20 }, (_, i) => part(`f${i}`, null, 'x')).join('')}--${B}--\r\n`,
      },
      { label: 'a header line without end', body: `--${B}\r\nContent-Disposition: form-data; name="file"` },
    ];
    const targets = [
      { url: `/api/applications/${ids.application}/documents`, page: false },
      { url: `/exporter/applications/${ids.application}/attachments`, page: true },
      { url: '/evidence/submit', page: true },
    ];
    const failures: string[] = [];
    let probed = 0;
    let before = await footprint();
    for (const target of targets) {
      for (const { label, body, type } of bodies) {
        for (const who of ['exporter', 'public'] as const) {
          const res = await app.inject({
            method: 'POST',
            url: target.url,
            payload: body,
            headers: {
              ...callers[who].headers,
              'content-type': type ?? `multipart/form-data; boundary=${B}`,
              ...(target.page && { accept: 'text/html' }),
            },
          });
          probed += 1;
          const where = `POST ${target.url} [${label}] as ${who}: ${res.statusCode}`;
          const after = await footprint();
          if (res.statusCode >= 500) failures.push(`${where} ${res.body.slice(0, 300)}`);
          else if (res.statusCode >= 400) {
            const contentType = String(res.headers['content-type'] ?? '');
            const expected = target.page ? 'text/html' : 'application/problem+json';
            if (!contentType.startsWith(expected)) failures.push(`${where} content-type ${contentType}`);
            if (after !== before) failures.push(`${where} changed rows: ${diff(before, after)}`);
          }
          before = after;
        }
      }
    }
    expect(probed).toBe(targets.length * bodies.length * 2);
    expect(failures).toEqual([]);
  }, 300_000);
});

/** The sweep's callers were signed in throughout (else their requests proved nothing past authentication). */
async function expectSignedIn(): Promise<void> {
  for (const who of ['admin', 'exporter'] as const) {
    const res = await app.inject({ url: '/api/auth/me', headers: callers[who].headers });
    expect(res.statusCode, who).toBe(200);
  }
}

function diff(before: string, after: string): string {
  const b = new Map(before.split(' ').map((x) => x.split('=') as [string, string]));
  return after
    .split(' ')
    .map((x) => x.split('=') as [string, string])
    .filter(([k, v]) => b.get(k) !== v)
    .map(([k, v]) => `${k} ${b.get(k)}->${v}`)
    .join(', ');
}
