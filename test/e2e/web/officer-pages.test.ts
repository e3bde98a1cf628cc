/**
 * Officer evidence moderation and country profiles in-process: the queue and its filters (bad filters beside their
 * field), a record with its submitter contact (staff only), refused moderations shown beside the fields with the
 * values kept, acceptance and rejection, staff entry, the country profile's sections and chart, links from the
 * queue and the case view, escaping, and access (public to sign-in, exporters 403).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src/http/app.ts';
import { submitApplication } from '../../../src/services/applications.service.ts';
import { assignCase } from '../../../src/services/casework.service.ts';
import { createServiceContext, type ServiceContext } from '../../../src/services/context.ts';
import { createDenial } from '../../../src/services/denials.service.ts';
import { getEvidence, submitEvidence } from '../../../src/services/evidence.service.ts';
import { PUBLIC } from '../../../src/domain/model.ts';
import { makeApplication, makeWorld, type World } from '../../factories/world.ts';
import { testConfig } from '../../support/config.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { buildTestApp, sessionFor, type Caller } from '../../support/http.ts';

let database: TestDatabase;
let ctx: ServiceContext;
let world: World;
let app: App;
let officer: Caller;
let admin: Caller;
let exporter: Caller;
let caseId: string;

const CONTACT = 'canary-contact@example.test';
const form = (caller: Caller, fields: Record<string, string>) => ({
  method: 'POST' as const,
  headers: { cookie: caller.headers.cookie!, 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams({ _csrf: caller.headers['x-csrf-token']!, ...fields }).toString(),
});
/** The error message shown beside a field (the paragraph the field's aria-describedby names). */
const errorBeside = (body: string, field: string): string | undefined =>
  new RegExp(`id="f-${field}-error">\\s*<span class="visually-hidden">[^<]*</span>\\s*([^<]+)`)
    .exec(body)?.[1]
    ?.trim();

async function submitted(title: string, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await submitEvidence(ctx, PUBLIC, {
    title,
    summary: 'Synthetic summary of an interception deployment.',
    evidenceType: 'ngo_report',
    countries: ['AE'],
    rights: [7, 8],
    submitterContact: CONTACT,
    ...extra,
  });
  return r.id;
}

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = createServiceContext(database.db, testConfig());
  world = await makeWorld(ctx, 'officer-pages');
  app = await buildTestApp(ctx);
  officer = await sessionFor(ctx, world.officer.email);
  admin = await sessionFor(ctx, world.admin.email);
  exporter = await sessionFor(ctx, world.exporterA.email);
  const { app: draft } = await makeApplication(ctx, world.exporterA.principal);
  caseId = (await submitApplication(ctx, world.exporterA.principal, draft.id, { version: draft.version })).id;
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe('evidence moderation pages', () => {
  it('lists the pending queue by default and filters by status, country and right', async () => {
    const id = await submitted('Queue <b>record</b>');
    await submitted('Other country', { countries: ['BY'], rights: [11] });
    const res = await app.inject({ url: '/officer/evidence', headers: officer.headers });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`href="/officer/evidence/${id}"`);
    expect(res.body).toContain('Queue &lt;b&gt;record&lt;/b&gt;');
    expect(res.body).not.toContain('<b>record</b>');
    const ae = await app.inject({
      url: '/officer/evidence?status=pending&country=ae&right=8',
      headers: officer.headers,
    });
    expect(ae.body).toContain('Queue &lt;b&gt;record&lt;/b&gt;');
    expect(ae.body).not.toContain('Other country');
    const accepted = await app.inject({ url: '/officer/evidence?status=accepted', headers: officer.headers });
    expect(accepted.body).not.toContain('Queue &lt;b&gt;record&lt;/b&gt;');
  });

  it('shows a bad filter beside its field, keeping what was typed', async () => {
    const res = await app.inject({ url: '/officer/evidence?country=ZZ&right=', headers: officer.headers });
    expect(res.statusCode).toBe(400);
    expect(errorBeside(res.body, 'country')).toBeTruthy();
    expect(res.body).toMatch(/id="f-country"[^>]*value="ZZ"|value="ZZ"[^>]*id="f-country"/s);
    const status = await app.inject({ url: '/officer/evidence?status=bogus', headers: officer.headers });
    expect(status.statusCode).toBe(400);
    expect(errorBeside(status.body, 'status')).toBe('Choose a status from the list');
  });

  it('shows a record with its submitter contact to staff, and nothing to exporters or the public', async () => {
    const id = await submitted('Contact record');
    const res = await app.inject({ url: `/officer/evidence/${id}`, headers: officer.headers });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(CONTACT);
    expect(res.body).toContain('Record the moderation');
    expect(res.body).toContain('href="/officer/countries/AE"');
    const ex = await app.inject({ url: `/officer/evidence/${id}`, headers: exporter.headers });
    expect(ex.statusCode).toBe(403);
    expect(ex.body).not.toContain(CONTACT);
    const pub = await app.inject({ url: `/officer/evidence/${id}` });
    expect(pub.statusCode).toBe(303);
    expect(pub.headers.location).toBe(`/sign-in?next=${encodeURIComponent(`/officer/evidence/${id}`)}`);
    expect(
      (await app.inject({ url: '/officer/evidence/not-a-uuid', headers: officer.headers })).statusCode,
    ).toBe(404);
  });

  it('refuses a moderation without a decision, an accept without a grade and a reject without a note, beside the field', async () => {
    const id = await submitted('Refused moderations');
    const none = await app.inject({
      url: `/officer/evidence/${id}/moderation`,
      ...form(officer, { version: '1', note: 'kept text' }),
    });
    expect(none.statusCode).toBe(400);
    expect(errorBeside(none.body, 'decision')).toBe('Choose accept or reject');
    expect(none.body).toContain('kept text');
    const noGrade = await app.inject({
      url: `/officer/evidence/${id}/moderation`,
      ...form(officer, { version: '1', decision: 'accept' }),
    });
    expect(noGrade.statusCode).toBe(400);
    expect(errorBeside(noGrade.body, 'reliability')).toBe('Choose a reliability grade to accept');
    expect(noGrade.body).toMatch(/value="accept"\s+checked/);
    const noNote = await app.inject({
      url: `/officer/evidence/${id}/moderation`,
      ...form(admin, { version: '1', decision: 'reject' }),
    });
    expect(noNote.statusCode).toBe(400);
    expect(errorBeside(noNote.body, 'note')).toBe('Enter a note saying why the evidence is rejected');
    // nothing changed
    expect(((await getEvidence(ctx, world.officer.principal, id)) as { status: string }).status).toBe(
      'pending',
    );
    // French page: the catalogue's message
    const frForm = form(officer, { version: '1' });
    const fr = await app.inject({
      url: `/officer/evidence/${id}/moderation`,
      ...frForm,
      headers: { ...frForm.headers, cookie: `${officer.headers.cookie!}; custos_lang=fr` },
    });
    expect(errorBeside(fr.body, 'decision')).toBe('Choisissez accepter ou rejeter');
  });

  it('accepts with a grade (then refuses a second moderation as a conflict) and rejects with a note', async () => {
    const id = await submitted('To accept');
    const ok = await app.inject({
      url: `/officer/evidence/${id}/moderation`,
      ...form(officer, {
        version: '1',
        decision: 'accept',
        reliability: 'high',
        confidential: 'true',
        note: 'Checked',
      }),
    });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`/officer/evidence/${id}`);
    const view = (await getEvidence(ctx, world.officer.principal, id)) as {
      status: string;
      reliability: string;
      confidential: boolean;
    };
    expect(view).toMatchObject({ status: 'accepted', reliability: 'high', confidential: true });
    const again = await app.inject({
      url: `/officer/evidence/${id}/moderation`,
      ...form(officer, { version: '2', decision: 'reject', note: 'Too late' }),
    });
    expect(again.statusCode).toBe(409);
    const shown = await app.inject({ url: `/officer/evidence/${id}`, headers: officer.headers });
    expect(shown.body).toContain('This record was moderated: Accepted.');

    const id2 = await submitted('To reject');
    const rej = await app.inject({
      url: `/officer/evidence/${id2}/moderation`,
      ...form(officer, { version: '1', decision: 'reject', note: 'Unsourced' }),
    });
    expect(rej.statusCode).toBe(303);
    expect(((await getEvidence(ctx, world.officer.principal, id2)) as { status: string }).status).toBe(
      'rejected',
    );
    // exporters cannot moderate
    const id3 = await submitted('Exporter tries');
    const ex = await app.inject({
      url: `/officer/evidence/${id3}/moderation`,
      ...form(exporter, { version: '1', decision: 'reject', note: 'No' }),
    });
    expect(ex.statusCode).toBe(403);
    expect(((await getEvidence(ctx, world.officer.principal, id3)) as { status: string }).status).toBe(
      'pending',
    );
  });

  it('enters evidence as staff, with errors beside the fields and the values kept', async () => {
    const bad = await app.inject({
      url: '/officer/evidence/new',
      ...form(officer, {
        title: '',
        summary: 'Kept summary',
        countries: 'AE, XX',
        rights: '7, 99',
        confidential: 'false',
      }),
    });
    expect(bad.statusCode).toBe(400);
    expect(errorBeside(bad.body, 'title')).toBe('Enter a title');
    expect(bad.body).toContain('Kept summary');
    expect(bad.body).toContain('value="AE, XX"');
    const good = await app.inject({
      url: '/officer/evidence/new',
      ...form(officer, {
        title: 'Staff entry',
        summary: 'Court ruling on interception',
        evidenceType: 'court_ruling',
        publishedOn: '2024-05-01',
        sourceUrl: 'https://example.org/ruling',
        countries: 'ae',
        endUsers: 'Agency One\nAgency Two',
        rights: '7, 8',
        reliability: 'medium',
        confidential: 'false',
      }),
    });
    expect(good.statusCode).toBe(303);
    const page = await app.inject({ url: good.headers.location!, headers: officer.headers });
    expect(page.body).toContain('Staff entry');
    expect(page.body).toContain('Agency One, Agency Two');
    expect(page.body).toContain('Art. 8 of the Charter');
  });
});

describe('country profile pages', () => {
  it('gathers measures, indicators, evidence, denials and decisions, with a chart and its table', async () => {
    await createDenial(ctx, world.officer.principal, {
      origin: 'own',
      reference: 'DEN-AE-1',
      deniedOn: '2025-02-01',
      itemDescription: 'Interception <script>',
      destinationCountry: 'AE',
      parties: [{ role: 'end_user', name: 'Agency', country: 'AE' }],
      reason: 'Criterion 2',
    });
    const res = await app.inject({ url: '/officer/countries/ae', headers: officer.headers });
    expect(res.statusCode).toBe(200);
    for (const text of [
      'United Arab Emirates (AE)',
      'Embargoes and restrictive measures',
      'Human-rights indicators',
      'Surveillance abuse',
      'Surveillance-law safeguards',
      'Accepted registry evidence',
      'DEN-AE-1',
      'Interception &lt;script&gt;',
      'Decisions of this authority',
      `href="/officer/cases/${caseId}"`,
    ])
      expect(res.body, text).toContain(text);
    expect(res.body).toContain('href="/officer/evidence/'); // the accepted record from the moderation tests
    expect(res.body).toContain('id="table-outcomes"');
    // a country under measures lists them with their verified flag and legal acts
    const by = await app.inject({ url: '/officer/countries/BY', headers: officer.headers });
    expect(by.statusCode).toBe(200);
    expect(by.body).toContain('Legal acts');
    expect(by.body).toMatch(/<span class="tag">(verified|unverified)<\/span>/);
  });

  it('draws the decisions-by-outcome chart once a decision is on record', async () => {
    await ctx.db.updateTable('applications').set({ status: 'denied' }).where('id', '=', caseId).execute();
    const res = await app.inject({ url: '/officer/countries/AE', headers: officer.headers });
    expect(res.body).toContain('<svg');
    expect(res.body).toContain('role="img"');
    expect(res.body).toMatch(
      /<title id="fig-outcomes-title">Decisions on applications to United Arab Emirates by outcome/,
    );
    expect(res.body).toContain('Denied: 1');
    // "All N cases" lists every status, not only the queue's default open cases.
    expect(res.body).toContain('href="/officer/applications?status=&amp;destination=AE"');
  });

  it('opens the queue on the open cases, with deadlines and officers; filters by status, reference, assignment and deadline', async () => {
    const { app: draft } = await makeApplication(ctx, world.exporterA.principal);
    const { app: toSubmit } = await makeApplication(ctx, world.exporterA.principal);
    const submitted = await submitApplication(ctx, world.exporterA.principal, toSubmit.id, {
      version: toSubmit.version,
    });
    const decided = caseId; // denied above
    const link = (id: string) => `href="/officer/cases/${id}"`;
    const queue = (query = '') =>
      app.inject({ url: `/officer/applications${query}`, headers: officer.headers });
    const open = await queue();
    expect(open.statusCode).toBe(200);
    expect(open.body).toContain(link(submitted.id));
    expect(open.body).not.toContain(link(draft.id)); // a draft is never the authority's
    expect(open.body).not.toContain(link(decided));
    expect(open.body).toMatch(/<option value="open"\s+selected/);
    // The submission started the processing clock: its deadline is shown; nobody is assigned yet.
    const row = new RegExp(`${link(submitted.id)}[\\s\\S]*?</tr>`).exec(open.body)![0];
    expect(row).toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(row).toContain('Not assigned');
    const any = await queue('?status=');
    expect(any.body).toContain(link(submitted.id));
    expect(any.body).toContain(link(decided));
    expect(any.body).not.toContain(link(draft.id));
    const denied = await queue('?status=denied');
    expect(denied.body).toContain(link(decided));
    expect(denied.body).not.toContain(link(submitted.id));
    // By part of the reference.
    const byRef = await queue(`?status=&q=${encodeURIComponent(submitted.reference.slice(-6))}`);
    expect(byRef.body).toContain(link(submitted.id));
    expect(byRef.body).not.toContain(link(decided));
    // Assigned to me, after assigning it to me; the officer's name is shown.
    expect((await queue('?assigned=mine')).body).not.toContain(link(submitted.id));
    await assignCase(ctx, world.officer.principal, submitted.id, {
      officerId: world.officer.userId,
      expectedVersion: submitted.version,
    });
    const mine = await queue('?assigned=mine');
    expect(mine.body).toContain(link(submitted.id));
    expect(new RegExp(`${link(submitted.id)}[\\s\\S]*?</tr>`).exec(mine.body)![0]).toContain(
      world.officer.email,
    );
    expect((await queue('?assigned=unassigned')).body).not.toContain(link(submitted.id));
    // Overdue only: nothing is overdue on the day of submission.
    expect((await queue('?deadline=overdue')).body).not.toContain(link(submitted.id));
    // The pages keep the filters.
    const paged = await queue('?status=&assigned=mine&q=SYN');
    expect(paged.body).toMatch(/name="q"[^>]*value="SYN"|value="SYN"[^>]*name="q"/s);
    expect(paged.body).toMatch(/<option value="mine"\s+selected/);
    // The API says the same: `open` is one value of the cases' and the applications' status filters.
    const cases = await app.inject({ url: '/api/cases?status=open&limit=100', headers: officer.headers });
    const caseIds = (cases.json() as { items: { id: string; nextDueOn: string | null }[] }).items;
    expect(caseIds.map((i) => i.id)).toContain(submitted.id);
    expect(caseIds.map((i) => i.id)).not.toContain(decided);
    const api = await app.inject({
      url: '/api/applications?status=open&limit=100',
      headers: officer.headers,
    });
    const ids = (api.json() as { items: { id: string }[] }).items.map((i) => i.id);
    expect(ids).toContain(submitted.id);
    expect(ids).not.toContain(draft.id);
    expect(ids).not.toContain(decided);
  });

  it('links the profile from the queue and the case view', async () => {
    const queue = await app.inject({ url: '/officer/applications?status=', headers: officer.headers });
    expect(queue.body).toContain('href="/officer/countries/AE"');
    const view = await app.inject({ url: `/officer/cases/${caseId}`, headers: officer.headers });
    expect(view.body).toContain('href="/officer/countries/AE"');
  });

  it('looks a country up by code, with a bad code beside the field', async () => {
    const index = await app.inject({ url: '/officer/countries', headers: officer.headers });
    expect(index.statusCode).toBe(200);
    const go = await app.inject({ url: '/officer/countries?code=eg', headers: officer.headers });
    expect(go.statusCode).toBe(303);
    expect(go.headers.location).toBe('/officer/countries/EG');
    const bad = await app.inject({ url: '/officer/countries?code=Q%3Cx', headers: officer.headers });
    expect(bad.statusCode).toBe(400);
    expect(errorBeside(bad.body, 'code')).toBe('Enter a two-letter ISO 3166 country code, for example EG');
    expect(bad.body).toContain('value="Q&lt;x"');
    expect((await app.inject({ url: '/officer/countries/ZZ', headers: officer.headers })).statusCode).toBe(
      404,
    );
  });

  it('keeps exporters out and sends the public to sign in', async () => {
    for (const url of [
      '/officer/countries',
      '/officer/countries/AE',
      '/officer/evidence',
      '/officer/evidence/new',
    ]) {
      expect((await app.inject({ url, headers: exporter.headers })).statusCode, url).toBe(403);
      const pub = await app.inject({ url });
      expect(pub.statusCode, url).toBe(303);
      expect(pub.headers.location).toContain('/sign-in?next=');
    }
  });
});

describe('publication review pages', () => {
  it('builds a draft (a bad period beside its field), reviews it (refusals beside the fields) and publishes it', async () => {
    const bad = await app.inject({
      url: '/officer/reports',
      ...form(officer, { period: '2025-Q9', correctionNote: 'kept' }),
    });
    expect(bad.statusCode).toBe(400);
    expect(errorBeside(bad.body, 'period')).toContain('Q1 to Q4');
    expect(bad.body).toContain('value="2025-Q9"');
    const empty = await app.inject({ url: '/officer/reports', ...form(officer, { period: '' }) });
    expect(errorBeside(empty.body, 'period')).toBe('Enter a period, for example 2025-Q4');

    const built = await app.inject({ url: '/officer/reports', ...form(officer, { period: '2025-Q4' }) });
    expect(built.statusCode).toBe(303);
    const draftUrl = built.headers.location!;
    expect(draftUrl).toMatch(/^\/officer\/reports\/[0-9a-f-]{36}$/);
    const queue = await app.inject({ url: '/officer/reports?status=draft', headers: officer.headers });
    expect(queue.body).toContain(`href="${draftUrl}"`);
    const page = await app.inject({ url: draftUrl, headers: officer.headers });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Record the review');
    const version = /name="version" value="(\d+)"/.exec(page.body)![1]!;

    const noDecision = await app.inject({ url: `${draftUrl}/review`, ...form(officer, { version }) });
    expect(noDecision.statusCode).toBe(400);
    expect(errorBeside(noDecision.body, 'decision')).toBe('Choose approve or reject');
    const noNote = await app.inject({
      url: `${draftUrl}/review`,
      ...form(officer, { version, decision: 'reject' }),
    });
    expect(noNote.statusCode).toBe(400);
    expect(errorBeside(noNote.body, 'note')).toBe('Enter a note saying why the draft is rejected');
    const exporterTry = await app.inject({
      url: `${draftUrl}/review`,
      ...form(exporter, { version, decision: 'approve' }),
    });
    expect(exporterTry.statusCode).toBe(403);

    const approved = await app.inject({
      url: `${draftUrl}/review`,
      ...form(officer, { version, decision: 'approve' }),
    });
    expect(approved.statusCode).toBe(303);
    const again = await app.inject({
      url: `${draftUrl}/review`,
      ...form(officer, { version, decision: 'approve' }),
    });
    expect(again.statusCode).toBe(409);
    const published = await app.inject({ url: `${draftUrl}/publish`, ...form(admin, {}) });
    expect(published.statusCode).toBe(303);
    const done = await app.inject({ url: draftUrl, headers: officer.headers });
    expect(done.body).toContain('Published');
    expect(done.body).toContain('href="/reports/2025-Q4"');
    expect((await app.inject({ url: '/reports/2025-Q4' })).statusCode).toBe(200);
  });

  it('keeps exporters out and sends the public to sign in', async () => {
    for (const url of ['/officer/reports']) {
      expect((await app.inject({ url, headers: exporter.headers })).statusCode).toBe(403);
      expect((await app.inject({ url })).statusCode).toBe(303);
    }
  });
});
