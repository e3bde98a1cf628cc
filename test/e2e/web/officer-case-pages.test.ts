/**
 * The officer case view in-process: the case with its sections, running the assessment, moving the case, a refused
 * decision shown beside its fields with the values kept, a decision (or the guards' refusal with reasons), and access.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src/http/app.ts';
import { escapeHtml } from '../../../src/http/portal/html.ts';
import { submitApplication } from '../../../src/services/applications.service.ts';
import { listApplicationAssessments } from '../../../src/services/assessments.service.ts';
import { summariseDueDiligence } from '../../../src/services/due-diligence.service.ts';
import { createServiceContext, type ServiceContext } from '../../../src/services/context.ts';
import { makeApplication, makeWorld, type World } from '../../factories/world.ts';
import { testConfig } from '../../support/config.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { buildTestApp, sessionFor, type Caller } from '../../support/http.ts';

let database: TestDatabase;
let ctx: ServiceContext;
let world: World;
let app: App;
let officer: Caller;
let exporter: Caller;
let caseId: string;
let reference: string;

const form = (caller: Caller, fields: Record<string, string>) => ({
  headers: { cookie: caller.headers.cookie!, 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams({ _csrf: caller.headers['x-csrf-token']!, ...fields }).toString(),
});
const version = (body: string): string => /name="version" value="(\d+)"/.exec(body)![1]!;

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = createServiceContext(database.db, testConfig());
  world = await makeWorld(ctx, 'officer-case');
  app = await buildTestApp(ctx);
  officer = await sessionFor(ctx, world.officer.email);
  exporter = await sessionFor(ctx, world.exporterA.email);
  const { app: draft } = await makeApplication(ctx, world.exporterA.principal);
  const submitted = await submitApplication(ctx, world.exporterA.principal, draft.id, {
    version: draft.version,
  });
  caseId = submitted.id;
  reference = submitted.reference;
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe('officer case pages', () => {
  it('links the queue to the case and shows every section', async () => {
    const queue = await app.inject({ url: '/officer/applications', headers: officer.headers });
    expect(queue.body).toContain(`href="/officer/cases/${caseId}"`);
    const res = await app.inject({ url: `/officer/cases/${caseId}`, headers: officer.headers });
    expect(res.statusCode).toBe(200);
    for (const text of [
      reference,
      'Items and their classification',
      'Line 1',
      'Screening hits',
      'No stored assessment yet.',
      'Due diligence',
      'History',
      'Record the decision',
      'Physical export', // the export channel in words, not its code
      // names, not ids: the exporter, the item with its form, each party with its country and type
      'Alpha Interception officer-case (DE)',
      'Tactical cellular interception system (Goods (hardware))',
      '2 systems · 1,100,000 EUR',
      'Consignee: Gulf Telecom Distribution LLC, AE, Private company',
      'End user: Ministry of Interior, AE, Police',
    ])
      expect(res.body.replace(/\s+/g, ' '), text).toContain(text);
  });

  it('keeps exporters out and sends the public to sign in', async () => {
    expect(
      (await app.inject({ url: `/officer/cases/${caseId}`, headers: exporter.headers })).statusCode,
    ).toBe(403);
    const pub = await app.inject({ url: `/officer/cases/${caseId}` });
    expect(pub.statusCode).toBe(303);
    expect(pub.headers.location).toContain('/sign-in?next=');
    expect(
      (await app.inject({ url: '/officer/cases/not-a-uuid', headers: officer.headers })).statusCode,
    ).toBe(404);
  });

  it('runs the assessment and shows the findings right by right', async () => {
    const run = await app.inject({
      method: 'POST',
      url: `/officer/cases/${caseId}/assessment`,
      ...form(officer, {}),
    });
    expect(run.statusCode).toBe(303);
    const res = await app.inject({ url: `/officer/cases/${caseId}`, headers: officer.headers });
    expect(res.body).toContain('Re-run the assessment');
    expect(res.body).toContain('Risk level');
  });

  it('marks the engines\' English texts lang="en" on a French page (WCAG 3.1.2)', async () => {
    const fr = { ...officer.headers, cookie: `${officer.headers.cookie}; custos_lang=fr` };
    const res = await app.inject({ url: `/officer/cases/${caseId}`, headers: fr });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="fr"');
    const [latest] = await listApplicationAssessments(ctx, world.officer.principal, caseId);
    const rights = latest!.assessment.rights;
    const reasons = [
      ...rights.flatMap((r) => r.reasons.map((x) => x.text)),
      ...latest!.assessment.informationNeeded.map((x) => x.text),
    ];
    expect(reasons.length).toBeGreaterThan(0);
    for (const text of reasons) {
      expect(res.body, text).toContain(`<li lang="en">${escapeHtml(text)}</li>`);
      expect(res.body, text).not.toContain(`<li>${escapeHtml(text)}</li>`);
    }
    for (const r of rights)
      expect(res.body, r.title).toContain(`<span lang="en">${escapeHtml(r.title)}</span>`);
    const dd = await ctx.db.transaction().execute((trx) => summariseDueDiligence(ctx, trx, caseId));
    expect(dd.reasons.length).toBeGreaterThan(0);
    for (const text of dd.reasons) expect(res.body, text).toContain(`<li lang="en">${escapeHtml(text)}</li>`);
  });

  it('assigns and starts the assessment; a stale version is refused with its reason', async () => {
    let page = await app.inject({ url: `/officer/cases/${caseId}`, headers: officer.headers });
    const assign = await app.inject({
      method: 'POST',
      url: `/officer/cases/${caseId}/assign`,
      ...form(officer, { version: version(page.body) }),
    });
    expect(assign.statusCode).toBe(303);
    page = await app.inject({ url: `/officer/cases/${caseId}`, headers: officer.headers });
    // The assigned officer by name, not by id.
    expect(page.body).toMatch(new RegExp(`<dt>Assigned officer</dt>\\s*<dd>${world.officer.email}</dd>`));
    expect(page.body).not.toContain(world.officer.userId);
    const stale = await app.inject({
      method: 'POST',
      url: `/officer/cases/${caseId}/start`,
      ...form(officer, { version: '1' }),
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('The action was refused');
    expect(stale.body).toContain('Someone else changed this record since you opened the page');
    const staleFr = await app.inject({
      method: 'POST',
      url: `/officer/cases/${caseId}/start`,
      ...form(officer, { version: '1' }),
      headers: { ...form(officer, {}).headers, cookie: `${officer.headers.cookie!}; custos_lang=fr` },
    });
    expect(staleFr.statusCode).toBe(409);
    expect(staleFr.body).toContain('Quelqu’un d’autre a modifié cet enregistrement');
    expect(staleFr.body).not.toContain('was changed by someone else');
    const start = await app.inject({
      method: 'POST',
      url: `/officer/cases/${caseId}/start`,
      ...form(officer, { version: version(page.body) }),
    });
    expect([303, 409]).toContain(start.statusCode);
    if (start.statusCode === 409) expect(start.body).toContain('The action was refused');
  });

  it('refuses an incomplete decision beside its fields, keeping the values typed', async () => {
    const page = await app.inject({ url: `/officer/cases/${caseId}`, headers: officer.headers });
    const res = await app.inject({
      method: 'POST',
      url: `/officer/cases/${caseId}/decision`,
      ...form(officer, {
        version: version(page.body),
        outcome: 'denied',
        legalCitation: 'Art. 12 <b>',
        legalText: '',
        reasons: '',
      }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('class="field-error"');
    expect(res.body).toContain('Art. 12 &lt;b&gt;');
    expect(res.body).not.toContain('Art. 12 <b>');
  });
});
