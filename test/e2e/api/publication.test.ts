/**
 * Publication end to end on a real database: build a draft from decided applications, review, publish, correct;
 * every public endpoint and every published file (XLSX unzipped, PDF streams decoded), the feed and the register are
 * searched for canaries planted in every confidential field, while a public value (the reference) is found in each.
 */
import { unzipSync } from 'fflate';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src/http/app.ts';
import { renderReportFiles, transparencyReportSchema } from '../../../src/engines/reporting/index.ts';
import { createServiceContext, type ServiceContext } from '../../../src/services/context.ts';
import { defaultPublicationPolicies } from '../../../src/services/publication/publication-policy.loader.ts';
import { authorityOf } from '../../../src/services/publication.service.ts';
import { extractPdfText } from '../../fixtures/reporting/pdf-text.ts';
import { CANARY_FIELDS, makeDecidedApplication } from '../../factories/publication.ts';
import { makeWorld, type World } from '../../factories/world.ts';
import { testConfig } from '../../support/config.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { anonymous, buildTestApp, json, sessionFor, type Caller } from '../../support/http.ts';

const CANARY = 'QQCANARYPUB';
let database: TestDatabase;
let ctx: ServiceContext;
let world: World;
let app: App;
let officer: Caller;
let admin: Caller;
let exporter: Caller;
let clock = new Date('2026-03-01T10:00:00Z');
const references: string[] = [];
let canaryReference = '';

function textOf(name: string, bytes: Uint8Array): string {
  if (name.endsWith('.xlsx')) {
    return Object.values(unzipSync(bytes))
      .map((e) => new TextDecoder().decode(e))
      .join('\n');
  }
  if (name.endsWith('.pdf')) {
    const { text, raw } = extractPdfText(bytes);
    return `${text}\n${raw}`;
  }
  return new TextDecoder().decode(bytes);
}

const assertNoCanary = (where: string, text: string) => {
  expect(text.toUpperCase().includes(CANARY), `${where} contains a canary`).toBe(false);
};

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = createServiceContext(database.db, testConfig({ CUSTOS_PUBLIC_URL: 'https://exports.example.eu' }), {
    now: () => clock,
  });
  world = await makeWorld(ctx, 'pub');
  // The exporters' identity and contacts are confidential too.
  await ctx.db
    .updateTable('organisations')
    .set({ name: `${CANARY}exporterA GmbH` })
    .where('id', '=', world.exporterA.organisationId)
    .execute();
  await ctx.db
    .updateTable('users')
    .set({ display_name: `${CANARY}contact Max Muster` })
    .where('id', '=', world.exporterA.userId)
    .execute();
  const plan = [
    { by: world.exporterA, outcome: 'granted', decidedAt: '2025-10-20T10:00:00Z', dest: 'AE', canary: true },
    { by: world.exporterA, outcome: 'denied', decidedAt: '2025-11-03T10:00:00Z', dest: 'AE', canary: true },
    { by: world.exporterB, outcome: 'granted', decidedAt: '2025-11-15T10:00:00Z', dest: 'AE', canary: true },
    {
      by: world.exporterB,
      outcome: 'granted_with_conditions',
      decidedAt: '2025-12-01T10:00:00Z',
      dest: 'SG',
      canary: false,
    },
    { by: world.exporterA, outcome: 'granted', decidedAt: '2025-12-10T10:00:00Z', dest: 'AE', canary: true },
    { by: world.exporterB, outcome: 'granted', decidedAt: '2025-07-10T10:00:00Z', dest: 'AE', canary: false },
  ] as const;
  for (const p of plan) {
    const made = await makeDecidedApplication(ctx, p.by.principal, {
      submittedAt: '2025-06-01T09:00:00Z',
      decidedAt: p.decidedAt,
      outcome: p.outcome,
      destination: p.dest,
      ...(p.canary && { canary: CANARY }),
    });
    references.push(made.reference);
    if (p.canary && !canaryReference) canaryReference = made.reference;
  }
  // A pending application received recently (its delay has not run) and a draft never submitted.
  await makeDecidedApplication(ctx, world.exporterA.principal, {
    submittedAt: '2025-11-20T09:00:00Z',
    decidedAt: null,
    outcome: 'in_assessment',
    canary: CANARY,
  });
  app = await buildTestApp(ctx);
  officer = await sessionFor(ctx, world.officer.email);
  admin = await sessionFor(ctx, world.admin.email);
  exporter = await sessionFor(ctx, world.exporterA.email);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const post = (caller: Caller, url: string, payload: unknown = {}) =>
  app.inject({ method: 'POST', url, headers: caller.headers, payload: payload as object });

describe('publication: draft, review, publish, correct', () => {
  let draftId = '';

  it('refuses a period that does not parse, naming the field and the reason; nothing is stored', async () => {
    const res = await post(officer, '/api/reports/drafts', { period: '2025-Q5' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('quarter must be Q1 to Q4');
    const res2 = await post(officer, '/api/reports/drafts', { period: 'Q4/2025' });
    expect(res2.statusCode).toBe(400);
    expect(json(res2).issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'period' })]));
    const n = await ctx.db
      .selectFrom('report_drafts')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirst();
    expect(n?.n).toBe(0);
  });

  it('an exporter cannot build, review or publish', async () => {
    expect((await post(exporter, '/api/reports/drafts', { period: '2025-Q4' })).statusCode).toBe(403);
  });

  it('an officer builds a draft: the period applications, audited; not public yet', async () => {
    const res = await post(officer, '/api/reports/drafts', { period: '2025-q4' });
    expect(res.statusCode, res.body).toBe(201);
    const draft = json<{
      id: string;
      status: string;
      periodId: string;
      applications: number;
      version: number;
    }>(res);
    expect(draft).toMatchObject({ status: 'draft', periodId: '2025-Q4', applications: 5 });
    draftId = draft.id;
    const queue = json<{ items: { id: string }[] }>(
      await app.inject({ url: '/api/reports/drafts?status=draft', headers: officer.headers }),
    );
    expect(queue.items.map((d) => d.id)).toEqual([draftId]);
    expect(json<{ items: unknown[] }>(await app.inject({ url: '/api/reports' })).items).toEqual([]);
    expect((await app.inject({ url: '/api/reports/2025-Q4/latest/report.json' })).statusCode).toBe(404);
    expect(json<{ total: number }>(await app.inject({ url: '/api/register' })).total).toBe(0);
    const audit = await ctx.db
      .selectFrom('audit_events')
      .select('action')
      .where('entity_id', '=', draftId)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['report.draft_built']);
  });

  it('an unapproved draft cannot be published; a stale review is refused', async () => {
    expect((await post(admin, `/api/reports/drafts/${draftId}/publish`)).statusCode).toBe(409);
    expect(
      (await post(admin, `/api/reports/drafts/${draftId}/review`, { decision: 'approve', version: 9 }))
        .statusCode,
    ).toBe(409);
    const rej = await post(admin, `/api/reports/drafts/${draftId}/review`, {
      decision: 'reject',
      version: 1,
    });
    expect(rej.statusCode).toBe(400);
  });

  it('an administrator approves, then publishes revision 1 with every file; publishing again is idempotent', async () => {
    const ok = await post(admin, `/api/reports/drafts/${draftId}/review`, {
      decision: 'approve',
      version: 1,
      note: 'checked',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    clock = new Date('2026-03-01T11:00:00Z');
    const pub = await post(admin, `/api/reports/drafts/${draftId}/publish`);
    expect(pub.statusCode, pub.body).toBe(200);
    const body = json<{ action: string; revision: { revision: number; files: { name: string }[] } }>(pub);
    expect(body.action).toBe('published');
    expect(body.revision.revision).toBe(1);
    expect(body.revision.files.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        'report.json',
        'report.pdf',
        'report.xlsx',
        'report.html',
        'register.csv',
        'datapackage.json',
      ]),
    );
    const again = json<{ action: string; revision: { revision: number } }>(
      await post(admin, `/api/reports/drafts/${draftId}/publish`),
    );
    expect(again).toMatchObject({ action: 'unchanged', revision: { revision: 1 } });
    const revs = await ctx.db.selectFrom('report_revisions').select('revision').execute();
    expect(revs).toHaveLength(1);
    const actions = await ctx.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', 'like', 'report.%')
      .orderBy('seq')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'report.draft_built',
      'report.draft_approved',
      'report.published',
    ]);
  });

  it('serves files with their media type and an ETag from the SHA-256; 304 on a match; stable URLs work', async () => {
    const list = json<{ items: { files: { name: string; mediaType: string; sha256: string }[] }[] }>(
      await app.inject({ url: '/api/reports' }),
    );
    for (const f of list.items[0]!.files) {
      const res = await app.inject({ url: `/api/reports/2025-Q4/1/${f.name}` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(f.mediaType);
      expect(res.headers.etag).toBe(`"${f.sha256}"`);
    }
    expect((await app.inject({ url: '/api/reports/2025-Q4/1/report.pdf' })).headers['content-type']).toBe(
      'application/pdf',
    );
    const again = await app.inject({
      url: '/api/reports/2025-Q4/1/report.json',
      headers: {
        'if-none-match': list.items[0]!.files.find((f) => f.name === 'report.json')!
          .sha256.replace(/^/, '"')
          .concat('"'),
      },
    });
    expect(again.statusCode).toBe(304);
    const authority = authorityOf(ctx).id;
    const stable = await app.inject({ url: `/reports/${authority}/2025-q4/r1/report.json` });
    expect(stable.statusCode).toBe(200);
    const latest = await app.inject({ url: `/reports/${authority}/2025-q4/` });
    expect(latest.statusCode).toBe(302);
    expect(latest.headers.location).toBe(`/reports/${authority}/2025-q4/r1/report.html`);
    const feed = await app.inject({ url: '/api/reports/feed.atom' });
    expect(feed.headers['content-type']).toContain('application/atom+xml');
    expect(feed.body).toContain(`https://exports.example.eu/reports/${authority}/2025-q4/r1/`);
  });

  it('a published report is reproducible byte for byte from its stored report.json', async () => {
    const files = await ctx.db.selectFrom('report_files').selectAll().where('revision', '=', 1).execute();
    const stored = new Map(files.map((f) => [f.name, new Uint8Array(f.content)]));
    const report = transparencyReportSchema.parse(
      JSON.parse(new TextDecoder().decode(stored.get('report.json'))),
    );
    const again = await renderReportFiles(report, {
      formats: ['json', 'csv', 'xlsx', 'html', 'pdf'],
      baseUrl: 'https://exports.example.eu',
      licence: defaultPublicationPolicies().publication.licence,
    });
    expect([...again.keys()].sort()).toEqual([...stored.keys()].sort());
    for (const [name, bytes] of again)
      expect(Buffer.from(bytes).equals(Buffer.from(stored.get(name)!)), name).toBe(true);
  });

  it('published revisions and files are immutable in the database', async () => {
    await expect(
      sql`update report_files set content = '\\x00' where revision = 1`.execute(ctx.db),
    ).rejects.toThrow(/immutable/);
    await expect(sql`delete from report_revisions`.execute(ctx.db)).rejects.toThrow(/immutable/);
  });

  it('no canary reaches any file, the feed or any public API response; the public reference does', async () => {
    const seen: [string, string][] = [];
    const rows = await ctx.db.selectFrom('report_files').select(['name', 'content']).execute();
    expect(rows.length).toBeGreaterThanOrEqual(15);
    for (const f of rows) seen.push([`file ${f.name}`, textOf(f.name, new Uint8Array(f.content))]);
    const urls = [
      '/api/reports',
      '/api/reports/feed.atom',
      '/reports/feed.atom',
      '/api/register',
      '/api/register?limit=500&sort=reference',
      `/api/register/${encodeURIComponent(canaryReference)}`,
      '/api/register?q=qqcanary',
      '/api/register?q=jane',
    ];
    for (const url of urls) {
      const res = await app.inject({ url, headers: anonymous.headers });
      expect(res.statusCode, url).toBe(200);
      seen.push([url, res.body]);
    }
    for (const [where, text] of seen) assertNoCanary(where, text);
    for (const name of [
      'file report.json',
      'file register.csv',
      'file report.xlsx',
      'file report.html',
      'file report.pdf',
      '/api/register',
    ]) {
      const text = seen.find(([w]) => w === name)![1];
      expect(text, `${name} shows the public reference`).toContain(canaryReference);
    }
    expect(json<{ total: number }>(await app.inject({ url: '/api/register?q=qqcanary' })).total).toBe(0);
    // The planted fields exist in the database (the test is not vacuous).
    const dbText = JSON.stringify(
      await sql`select i.name, i.confidential_description, p.name as pn, p.address, a.intended_end_use, d.reasons
        from applications a join application_lines l on l.application_id = a.id join items i on i.id = l.item_id
        join application_parties ap on ap.application_id = a.id join parties p on p.id = ap.party_id
        join decisions d on d.application_id = a.id where a.reference = ${canaryReference}`.execute(ctx.db),
    );
    for (const field of [
      'itemName',
      'itemConfidential',
      'personName',
      'address',
      'endUse',
      'decisionReasons',
    ]) {
      expect(dbText).toContain(`${CANARY}${field}`);
    }
    expect(CANARY_FIELDS.length).toBeGreaterThan(10);
  });

  it('register: filters, sorting, stable pagination and bad input', async () => {
    const all = json<{ total: number; items: { reference: string; decidedOn: string }[] }>(
      await app.inject({ url: '/api/register?sort=reference&limit=500' }),
    );
    expect(all.total).toBe(5);
    expect(all.items.map((r) => r.reference)).toEqual([...all.items.map((r) => r.reference)].sort());
    const ae = json<{ total: number; items: { destinationCountry: string }[] }>(
      await app.inject({ url: '/api/register?destination=ae' }),
    );
    expect(ae.total).toBe(4);
    expect(ae.items.every((r) => r.destinationCountry === 'AE')).toBe(true);
    expect(json<{ total: number }>(await app.inject({ url: '/api/register?decision=denied' })).total).toBe(1);
    expect(
      json<{ total: number }>(await app.inject({ url: '/api/register?controlEntry=5A001.f.2' })).total,
    ).toBe(5);
    expect(json<{ total: number }>(await app.inject({ url: '/api/register?controlEntry=4A005' })).total).toBe(
      0,
    );
    expect(json<{ total: number }>(await app.inject({ url: '/api/register?endUserType=police' })).total).toBe(
      5,
    );
    expect(json<{ total: number }>(await app.inject({ url: '/api/register?period=2025-11' })).total).toBe(2);
    expect(
      json<{ total: number }>(await app.inject({ url: '/api/register?q=identifier%20catcher' })).total,
    ).toBe(5);
    const byDate = json<{ items: { decidedOn: string }[] }>(
      await app.inject({ url: '/api/register?sort=-decidedOn' }),
    );
    expect(byDate.items.map((r) => r.decidedOn)).toEqual(
      [...byDate.items.map((r) => r.decidedOn)].sort().reverse(),
    );
    const pages: string[] = [];
    for (let offset = 0; offset < 5; offset += 2) {
      const page = json<{ items: { reference: string }[] }>(
        await app.inject({ url: `/api/register?sort=-valueEur&limit=2&offset=${offset}` }),
      );
      pages.push(...page.items.map((r) => r.reference));
    }
    expect(new Set(pages).size).toBe(5);
    expect((await app.inject({ url: '/api/register?destination=Atlantis' })).statusCode).toBe(400);
    // a code of the right shape that names no country is refused too, saying so
    const unknown = await app.inject({ url: '/api/register?destination=zz' });
    expect(unknown.statusCode).toBe(400);
    expect(json<{ issues: object[] }>(unknown).issues).toEqual([
      expect.objectContaining({ path: 'querystring.destination', code: 'country_code' }),
    ]);
    expect((await app.inject({ url: '/api/register?period=2025-13' })).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/register?limit=100000' })).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/register/NOPE-1' })).statusCode).toBe(404);
  });

  it('a correction is a new revision that needs a note; the register follows the newest publication', async () => {
    // A late decision for the period arrives.
    const late = await makeDecidedApplication(ctx, world.exporterB.principal, {
      submittedAt: '2025-09-01T09:00:00Z',
      decidedAt: '2025-12-20T10:00:00Z',
      outcome: 'denied',
      destination: 'SG',
    });
    clock = new Date('2026-03-01T12:00:00Z');
    const draft = json<{ id: string }>(await post(officer, '/api/reports/drafts', { period: '2025-Q4' }));
    await post(admin, `/api/reports/drafts/${draft.id}/review`, { decision: 'approve', version: 1 });
    const refused = await post(admin, `/api/reports/drafts/${draft.id}/publish`);
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('correction note');
    const ok = await post(admin, `/api/reports/drafts/${draft.id}/publish`, {
      note: 'A decision of 20 December was missing.',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(json<{ revision: { revision: number; note: string } }>(ok).revision).toMatchObject({
      revision: 2,
      note: 'A decision of 20 December was missing.',
    });
    expect((await app.inject({ url: `/api/register/${late.reference}` })).statusCode).toBe(200);
    const feed = (await app.inject({ url: '/reports/feed.atom' })).body;
    expect(feed).toContain('revision 2');
    expect(feed).toContain('Correction: A decision of 20 December was missing.');
    expect((await app.inject({ url: '/api/reports/2025-Q4/1/report.json' })).statusCode).toBe(200);
    const latest = await app.inject({ url: '/api/reports/2025-Q4/latest/report.json' });
    expect(JSON.parse(latest.body).revision).toEqual({
      number: 2,
      note: 'A decision of 20 December was missing.',
    });
  });
});
