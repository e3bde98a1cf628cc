/**
 * The portal in-process: forms (CSRF, validation beside the field, values kept, PRG), escaping of user text, the
 * oversize upload refused before storage, and who may open which page (public -> sign-in, other exporter -> 404).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src/http/app.ts';
import { createServiceContext, type ServiceContext } from '../../../src/services/context.ts';
import { getApplication } from '../../../src/services/applications.service.ts';
import { listInformationRequests, requestInformation } from '../../../src/services/casework.service.ts';
import { listDocuments } from '../../../src/services/documents.service.ts';
import { getDueDiligence } from '../../../src/services/due-diligence.service.ts';
import { makeCaseInAssessment } from '../../factories/casework.ts';
import { makeApplication, makeWorld, TEST_PASSWORD, type World } from '../../factories/world.ts';
import { testConfig } from '../../support/config.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { buildTestApp, sessionFor, type Caller } from '../../support/http.ts';

let database: TestDatabase;
let ctx: ServiceContext;
let world: World;
let app: App;
let a: Caller;
let b: Caller;
let officer: Caller;

const form = (caller: Caller, fields: Record<string, string>) => ({
  headers: { cookie: caller.headers.cookie!, 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams({ _csrf: caller.headers['x-csrf-token']!, ...fields }).toString(),
});

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = createServiceContext(database.db, testConfig());
  world = await makeWorld(ctx, 'portal');
  app = await buildTestApp(ctx);
  a = await sessionFor(ctx, world.exporterA.email);
  b = await sessionFor(ctx, world.exporterB.email);
  officer = await sessionFor(ctx, world.officer.email);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe('portal pages', () => {
  it('serves the public pages as HTML in the chosen language', async () => {
    for (const url of ['/', '/methodology', '/sign-in']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('<html lang="en">');
      expect(res.body).toContain('href="#main"');
    }
    const fr = await app.inject({ url: '/methodology', headers: { cookie: 'custos_lang=fr' } });
    expect(fr.body).toContain('<html lang="fr">');
    expect(fr.body).toContain('Méthodologie et sources de données');
    const sw = await app.inject({ url: '/language/fr?back=/methodology' });
    expect(sw.statusCode).toBe(303);
    expect(sw.headers.location).toBe('/methodology');
    expect(String(sw.headers['set-cookie'])).toContain('custos_lang=fr');
    const evil = await app.inject({ url: '/language/fr?back=//evil.example/' });
    expect(evil.headers.location).toBe('/');
  });

  it('answers a browser at an unknown address with the 404 page, and machines with problem+json', async () => {
    const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
    const page = await app.inject({ url: '/officer', headers: html });
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<html lang="en">');
    expect(page.body).toContain('href="/"');
    for (const [url, headers] of [
      ['/officer', { accept: 'application/json' }],
      ['/api/no-such-thing', html],
    ] as const) {
      const res = await app.inject({ url, headers });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toContain('application/problem+json');
    }
  });

  it('signs in through the form, shows errors beside the fields, and signs out', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=not-an-email&password=',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('class="error-summary"');
    expect(bad.body).toContain('href="#f-email"');
    expect(bad.body).toContain('id="f-email-error"');
    expect(bad.body).toContain('value="not-an-email"');
    const wrong = await app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ email: world.exporterA.email, password: 'wrong password!' }).toString(),
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('The email address or password is wrong');
    const ok = await app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ email: world.exporterA.email, password: TEST_PASSWORD }).toString(),
    });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/exporter');
    const cookie = ok.cookies.find((c) => c.name === 'custos_session')!;
    const dash = await app.inject({
      url: '/exporter',
      headers: { cookie: `custos_session=${cookie.value}` },
    });
    expect(dash.statusCode).toBe(200);
    const csrf = /name="csrf-token" content="([^"]+)"/.exec(dash.body)![1]!;
    const out = await app.inject({
      method: 'POST',
      url: '/sign-out',
      headers: {
        cookie: `custos_session=${cookie.value}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: `_csrf=${csrf}`,
    });
    expect(out.statusCode).toBe(303);
    const after = await app.inject({
      url: '/exporter',
      headers: { cookie: `custos_session=${cookie.value}` },
    });
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toBe('/sign-in?next=%2Fexporter');
  });

  it("keeps the user's language for e-mails on their account page, and follows it at the next sign-in", async () => {
    const page = await app.inject({ url: '/account', headers: { cookie: b.headers.cookie! } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(world.exporterB.email);
    expect(page.body).toContain('Language of e-mails from Custos');
    expect(page.body).toMatch(/value=""\s+checked/); // not chosen yet
    expect(page.body).toMatch(/href="\/account"\s+aria-current="page"/);

    // A language Custos does not speak: refused beside the field, in the page's language, nothing stored.
    const bad = await app.inject({
      method: 'POST',
      url: '/account',
      ...form(b, { language: 'de' }),
      headers: { ...form(b, {}).headers, cookie: `${b.headers.cookie!}; custos_lang=fr` },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('id="f-language-error"');
    expect(bad.body).toContain('Langue des courriels de Custos');
    const row = () =>
      ctx.db
        .selectFrom('users')
        .select('language')
        .where('id', '=', world.exporterB.userId)
        .executeTakeFirstOrThrow();
    expect((await row()).language).toBeNull();

    const saved = await app.inject({ method: 'POST', url: '/account', ...form(b, { language: 'fr' }) });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/account');
    expect(saved.cookies.find((c) => c.name === 'custos_lang')?.value).toBe('fr');
    expect((await row()).language).toBe('fr');
    const shown = await app.inject({ url: '/account', headers: { cookie: b.headers.cookie! } });
    expect(shown.body).toMatch(/value="fr"\s+checked/);

    // Signing in from a browser without a language cookie: the portal follows the stored choice.
    const signIn = await app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ email: world.exporterB.email, password: TEST_PASSWORD }).toString(),
    });
    expect(signIn.statusCode).toBe(303);
    expect(signIn.cookies.find((c) => c.name === 'custos_lang')?.value).toBe('fr');

    // Not chosen again: stored as null, the cookie left as it is.
    const unset = await app.inject({ method: 'POST', url: '/account', ...form(b, { language: '' }) });
    expect(unset.statusCode).toBe(303);
    expect((await row()).language).toBeNull();
  });

  it('refuses a form without the CSRF token and changes nothing', async () => {
    const before = await ctx.db.selectFrom('items').select('id').execute();
    const res = await app.inject({
      method: 'POST',
      url: '/exporter/items/new',
      headers: { cookie: a.headers.cookie!, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=Sneaky&itemForm=software',
    });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('text/html');
    expect(await ctx.db.selectFrom('items').select('id').execute()).toHaveLength(before.length);
  });

  it('keeps what the user typed and shows the error beside the field; escapes user text (PRG on success)', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/exporter/items/new',
      ...form(a, { name: '', itemForm: 'software', publicDescription: 'typed <b>text</b>' }),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('id="f-name-error"');
    expect(bad.body).toContain('typed &lt;b&gt;text&lt;/b&gt;');
    const evil = '<script>alert("x")</script>';
    const ok = await app.inject({
      method: 'POST',
      url: '/exporter/items/new',
      ...form(a, { name: evil, itemForm: 'software' }),
    });
    expect(ok.statusCode).toBe(303);
    const page = await app.inject({
      url: ok.headers.location as string,
      headers: { cookie: `${a.headers.cookie}; ${String(ok.headers['set-cookie']).split(';')[0]}` },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain(evil);
    expect(page.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(page.body).toContain('class="flash"');
  });

  it('runs the classification wizard: questions the engine needs, answers stored, result with the trail', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/exporter/items/new',
      ...form(a, { name: 'IMSI catcher', itemForm: 'hardware' }),
    });
    const itemUrl = created.headers.location as string;
    const wizard = await app.inject({ url: `${itemUrl}/classify`, headers: a.headers });
    expect(wizard.statusCode).toBe(200);
    const asked = /name="asked" value="([^"]*)"/.exec(wizard.body)![1]!.split(',');
    expect(asked.length).toBeGreaterThan(0);
    const version = /name="version" value="(\d+)"/.exec(wizard.body)![1]!;
    const missing = await app.inject({
      method: 'POST',
      url: `${itemUrl}/classify`,
      ...form(a, { version, asked: asked.join(','), biometricModality: 'none' }),
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain(`id="f-fact-${asked[0]}-error"`);
    const answers = Object.fromEntries(asked.map((k) => [`fact.${k}`, 'true']));
    const saved = await app.inject({
      method: 'POST',
      url: `${itemUrl}/classify`,
      ...form(a, { version, asked: asked.join(','), biometricModality: 'none', ...answers }),
    });
    expect(saved.statusCode).toBe(303);
    const result = await app.inject({ url: `${itemUrl}/classification`, headers: a.headers });
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('class="tag tag-law"');
    expect(result.body).toContain('class="trail"');
    const broad = await app.inject({ url: `${itemUrl}/classification?profile=broad`, headers: a.headers });
    expect(broad.body).toContain('aria-current="page"');
    // On a French page the engine's English conclusions, entry titles and trail are marked lang="en" (WCAG 3.1.2)
    const fr = await app.inject({
      url: `${itemUrl}/classification`,
      headers: { ...a.headers, cookie: `${a.headers.cookie}; custos_lang=fr` },
    });
    expect(fr.body).toContain('<html lang="fr"');
    const conclusions = /<ul class="conclusions">([\s\S]*?)<\/ul>/.exec(fr.body)![1]!.split('<li>').slice(1);
    expect(conclusions.length).toBeGreaterThan(0);
    for (const li of conclusions) expect(li).toMatch(/<\/span\s*>\s*<span lang="en">[^<]+<\/span>\s*<\/li>/);
    expect(fr.body).toMatch(/<strong>[^<]+<\/strong> <span lang="en">/);
    // Without an imported Annex I the rules' own entries were used: said in words, in the page's language.
    expect(result.body).toContain('Control list not imported (the entries written into the rules)');
    expect(fr.body).toContain('Liste de contrôle non importée (les entrées écrites dans les règles)');
    expect(fr.body).not.toContain('none-imported');
  });

  it("says a refused field's problem in the page's language, and what a draft still needs", async () => {
    const fr = { ...a, headers: { ...a.headers, cookie: `${a.headers.cookie}; custos_lang=fr` } };
    const post = (caller: Caller) =>
      app.inject({
        method: 'POST',
        url: '/exporter/items/new',
        ...form(caller, { name: ' ', itemForm: 'software' }),
      });
    const [inEnglish, inFrench] = [await post(a), await post(fr)];
    expect(inEnglish.statusCode).toBe(400);
    expect(inFrench.statusCode).toBe(400);
    const fieldError = (body: string) => /id="f-name-error"[^>]*>([\s\S]*?)<\/p>/.exec(body)?.[1] ?? '';
    expect(fieldError(inEnglish.body)).toContain('This field is required');
    expect(fieldError(inFrench.body)).toContain('Ce champ est obligatoire');
    expect(inFrench.body).not.toContain('Too small');

    const { app: draft } = await makeApplication(ctx, world.exporterA.principal, {
      lines: [],
      parties: [],
      intendedEndUse: 'tbd',
    });
    const review = await app.inject({
      url: `/exporter/applications/${draft.id}/review`,
      headers: fr.headers,
    });
    expect(review.statusCode).toBe(200);
    for (const text of [
      "Ajoutez au moins une ligne d'article",
      "Indiquez l'utilisateur final",
      "Indiquez le destinataire d'une exportation physique",
      "Décrivez l'utilisation finale prévue (au moins 10 caractères)",
    ])
      expect(review.body).toContain(text.replace(/'/g, '&#39;'));
    expect(review.body).not.toContain('add at least one item line');
  });

  it('refuses an oversize upload before storing it, with the error beside the file field', async () => {
    const { app: draft } = await makeApplication(ctx, world.exporterA.principal);
    const boundary = '----portal';
    const big = Buffer.alloc(ctx.config.maxUploadBytes + 1024, 0x41);
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${a.headers['x-csrf-token']}\r\n`,
      ),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`,
      ),
      big,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await app.inject({
      method: 'POST',
      url: `/exporter/applications/${draft.id}/attachments`,
      headers: { cookie: a.headers.cookie!, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
    expect(res.statusCode).toBe(413);
    expect(res.body).toContain('id="f-file-error"');
    const docs = await ctx.db
      .selectFrom('documents')
      .select('id')
      .where('application_id', '=', draft.id)
      .execute();
    expect(docs).toHaveLength(0);
    const noCsrf = await app.inject({
      method: 'POST',
      url: `/exporter/applications/${draft.id}/attachments`,
      headers: { cookie: a.headers.cookie!, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n%%EOF\r\n--${boundary}--\r\n`,
      ),
    });
    expect(noCsrf.statusCode).toBe(403);
  });

  it('walks an application through the steps to submission', async () => {
    const { item, consignee, endUser } = await makeApplication(ctx, world.exporterA.principal);
    const created = await app.inject({
      method: 'POST',
      url: '/exporter/applications/new',
      ...form(a, {
        licenceType: 'individual',
        destinationCountry: 'ae',
        exportChannel: 'physical',
        intendedEndUse: 'Lawful interception under judicial warrant',
      }),
    });
    expect(created.statusCode).toBe(303);
    const id = /applications\/([0-9a-f-]{36})\/lines/.exec(created.headers.location as string)![1]!;
    const v = async () =>
      (
        await ctx.db
          .selectFrom('applications')
          .select('version')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).version;
    const badLine = await app.inject({
      method: 'POST',
      url: `/exporter/applications/${id}/lines`,
      ...form(a, {
        version: String(await v()),
        itemId: item.id,
        quantity: 'many',
        unit: 'systems',
        value: '10',
        currency: 'EUR',
        valueEur: '10',
      }),
    });
    expect(badLine.statusCode).toBe(400);
    expect(badLine.body).toContain('id="f-quantity-error"');
    expect(badLine.body).toContain('value="many"');
    const line = await app.inject({
      method: 'POST',
      url: `/exporter/applications/${id}/lines`,
      ...form(a, {
        version: String(await v()),
        itemId: item.id,
        quantity: '2',
        unit: 'systems',
        value: '1000',
        currency: 'EUR',
        valueEur: '1000',
      }),
    });
    expect(line.statusCode).toBe(303);
    for (const [partyId, role] of [
      [consignee.id, 'consignee'],
      [endUser.id, 'end_user'],
    ] as const) {
      const r = await app.inject({
        method: 'POST',
        url: `/exporter/applications/${id}/parties`,
        ...form(a, { version: String(await v()), partyId, role }),
      });
      expect(r.statusCode).toBe(303);
    }
    const parties = await app.inject({ url: `/exporter/applications/${id}/parties`, headers: a.headers });
    expect(parties.body).toContain('Screening against restricted-party lists');
    const submit = await app.inject({
      method: 'POST',
      url: `/exporter/applications/${id}/submit`,
      ...form(a, { version: String(await v()) }),
    });
    expect(submit.statusCode).toBe(303);
    const status = await app.inject({ url: `/exporter/applications/${id}`, headers: a.headers });
    expect(status.body).toContain('Submitted');
    expect(status.body).toContain('History');
  });
});

describe('exporter due diligence in the application form', () => {
  it('asks the questionnaire, refuses a bad answer beside its question keeping every value, then stores the record', async () => {
    const { app: draft } = await makeApplication(ctx, world.exporterA.principal);
    const url = `/exporter/applications/${draft.id}/diligence`;
    const page = await app.inject({ url, headers: a.headers });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('aria-current="step"');
    expect(page.body).toContain('name="q.listed_in_annex_i"');
    expect(page.body).toContain('name="q.screening_date"');
    expect(page.body).toContain('No due-diligence record yet.');
    // a date typed the wrong way: refused beside its question, nothing stored, the other answers kept
    const bad = await app.inject({
      method: 'POST',
      url,
      ...form(a, {
        'q.listed_in_annex_i': 'false',
        'q.parties_screened': 'true',
        'q.screening_date': '31/03/2026',
        'q.classification_rationale': 'Reviewed by <b>engineering</b>',
      }),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('id="f-q-screening_date-error"');
    expect(bad.body).toContain('href="#f-q-screening_date"');
    expect(bad.body).toContain('value="31/03/2026"');
    expect(bad.body).toContain('Reviewed by &lt;b&gt;engineering&lt;/b&gt;');
    expect(bad.body).toMatch(/id="f-q-parties_screened"[^>]*value="true"[^>]*checked/);
    expect((await getDueDiligence(ctx, world.exporterA.principal, draft.id)).record).toBeNull();
    // a partial record is kept, with what is missing and the red flags its answers raise
    const saved = await app.inject({
      method: 'POST',
      url,
      ...form(a, {
        'q.listed_in_annex_i': 'false',
        'q.marketing_stresses_covert': 'true',
        'q.technical_limits': 'licence keys\r\n\r\n geofencing ',
        'q.scale': 'targeted',
      }),
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(url);
    const { record } = await getDueDiligence(ctx, world.exporterA.principal, draft.id);
    expect(record!.answers).toEqual({
      listed_in_annex_i: false,
      marketing_stresses_covert: true,
      technical_limits: ['licence keys', 'geofencing'],
      scale: 'targeted',
    });
    const shown = await app.inject({ url, headers: a.headers });
    expect(shown.body).toMatch(/\d+ required answers missing\./);
    expect(shown.body).toContain('class="red-flags"');
    expect(shown.body).toContain('name="version" value="1"');
    expect(shown.body).toContain('licence keys\ngeofencing</textarea>');
    // a stale version is refused and changes nothing
    const stale = await app.inject({
      method: 'POST',
      url,
      ...form(a, { version: '7', 'q.listed_in_annex_i': 'true' }),
    });
    expect(stale.statusCode).toBe(400);
    expect((await getDueDiligence(ctx, world.exporterA.principal, draft.id)).record!.version).toBe(1);
    // the status page summarises the record
    const status = await app.inject({ url: `/exporter/applications/${draft.id}`, headers: a.headers });
    expect(status.body).toContain('Due-diligence record');
    expect(status.body).toContain(`href="${url}"`);
    // in French, the policy's English questions are marked lang="en"
    const fr = await app.inject({
      url,
      headers: { ...a.headers, cookie: `${a.headers.cookie}; custos_lang=fr` },
    });
    expect(fr.body).toContain('<html lang="fr"');
    expect(fr.body).toContain('<span lang="en">Is the item listed in Annex I?</span>');
  });
});

describe('exporter answers an information request on the status page', () => {
  it('shows the questions and deadlines, refuses an empty answer beside its field, then sends text and documents', async () => {
    const exporter = world.exporterA.principal;
    const inAssessment = await makeCaseInAssessment(ctx, world, exporter);
    const request = await requestInformation(ctx, world.officer.principal, inAssessment.id, {
      questions: ['Which units of the <Ministry> will operate the system?'],
      workingDays: 10,
      expectedVersion: inAssessment.version,
    });
    const [doc] = await listDocuments(ctx, exporter, inAssessment.id);
    const url = `/exporter/applications/${inAssessment.id}`;
    const page = await app.inject({ url, headers: a.headers });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Information requested by the authority');
    expect(page.body).toContain('Which units of the &lt;Ministry&gt; will operate the system?');
    expect(page.body).toContain(`action="${url}/information/${request.id}"`);
    expect(page.body).toContain(`value="${doc!.id}"`);
    expect(page.body).toContain('<h2>Deadlines</h2>');
    expect(page.body).toMatch(/\d+ working days left/);
    expect(page.body).toContain('<h2 id="information">');
    // the dashboard points the exporter to it; another exporter's dashboard does not
    const waiting = `<a href="${url}#information">${inAssessment.reference}</a>`;
    const dashboard = await app.inject({ url: '/exporter', headers: a.headers });
    expect(dashboard.body).toContain('Waiting for your answer');
    expect(dashboard.body).toContain(waiting);
    expect(dashboard.body).toContain(`answer by ${request.dueOn}`);
    expect((await app.inject({ url: '/exporter', headers: b.headers })).body).not.toContain(waiting);
    const answerUrl = `${url}/information/${request.id}`;
    const empty = await app.inject({ method: 'POST', url: answerUrl, ...form(a, { answer: ' ' }) });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('id="f-answer-error"');
    expect((await listInformationRequests(ctx, exporter, inAssessment.id))[0]!.status).toBe('open');
    // another exporter cannot answer it
    const other = await app.inject({
      method: 'POST',
      url: answerUrl,
      ...form(b, { answer: 'Not mine to answer.' }),
    });
    expect(other.statusCode).toBe(404);
    const body = new URLSearchParams({
      _csrf: a.headers['x-csrf-token']!,
      answer: 'The cyber unit of the federal police.',
    });
    body.append('documentIds', doc!.id);
    const sent = await app.inject({
      method: 'POST',
      url: answerUrl,
      headers: { cookie: a.headers.cookie!, 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
    expect(sent.statusCode).toBe(303);
    const [answered] = await listInformationRequests(ctx, exporter, inAssessment.id);
    expect(answered).toMatchObject({
      status: 'answered',
      answer: 'The cyber unit of the federal police.',
      documentIds: [doc!.id],
    });
    expect((await getApplication(ctx, exporter, inAssessment.id)).status).toBe('in_assessment');
    const after = await app.inject({ url, headers: a.headers });
    expect(after.body).toContain('The cyber unit of the federal police.');
    expect(after.body).not.toContain(`action="${answerUrl}"`);
    expect((await app.inject({ url: '/exporter', headers: a.headers })).body).not.toContain(waiting);
  });
});

describe('portal access', () => {
  let ids: { item: string; party: string; app: string };
  beforeAll(async () => {
    const made = await makeApplication(ctx, world.exporterA.principal);
    ids = { item: made.item.id, party: made.endUser.id, app: made.app.id };
  });

  const exporterPages = () => [
    '/exporter',
    '/exporter/items',
    '/exporter/items/new',
    `/exporter/items/${ids.item}`,
    `/exporter/items/${ids.item}/edit`,
    `/exporter/items/${ids.item}/classify`,
    `/exporter/items/${ids.item}/classification`,
    '/exporter/parties',
    '/exporter/parties/new',
    `/exporter/parties/${ids.party}`,
    `/exporter/parties/${ids.party}/edit`,
    '/exporter/applications',
    '/exporter/applications/new',
    `/exporter/applications/${ids.app}`,
    ...['details', 'lines', 'parties', 'diligence', 'attachments', 'review'].map(
      (s) => `/exporter/applications/${ids.app}/${s}`,
    ),
  ];

  it('sends the public to sign in from every workspace page', async () => {
    for (const url of [...exporterPages(), '/officer/applications']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(303);
      expect(res.headers.location, url).toBe(`/sign-in?next=${encodeURIComponent(url)}`);
    }
  });

  it("never shows one exporter another organisation's records (404), and shows the owner them", async () => {
    for (const url of exporterPages()) {
      const own = await app.inject({ url, headers: a.headers });
      expect([200, 303], `${url} own`).toContain(own.statusCode);
      const other = await app.inject({ url, headers: b.headers });
      if (url.includes(ids.item) || url.includes(ids.party) || url.includes(ids.app)) {
        expect(other.statusCode, `${url} other`).toBe(404);
        expect(other.body).not.toContain('Tactical cellular interception system');
      }
    }
    const post = await app.inject({
      method: 'POST',
      url: `/exporter/items/${ids.item}/edit`,
      ...form(b, { version: '1', name: 'Hijack', itemForm: 'software' }),
    });
    expect(post.statusCode).toBe(404);
    const diligence = await app.inject({
      method: 'POST',
      url: `/exporter/applications/${ids.app}/diligence`,
      ...form(b, { 'q.listed_in_annex_i': 'false' }),
    });
    expect(diligence.statusCode).toBe(404);
    expect((await getDueDiligence(ctx, world.exporterA.principal, ids.app)).record).toBeNull();
  });

  it('keeps officers out of the exporter workspace and exporters out of the officer queue', async () => {
    expect((await app.inject({ url: '/exporter/items', headers: officer.headers })).statusCode).toBe(403);
    expect((await app.inject({ url: '/officer/applications', headers: a.headers })).statusCode).toBe(403);
    const queue = await app.inject({
      url: '/officer/applications?status=draft&destination=ae',
      headers: officer.headers,
    });
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain('Application queue');
  });
});
