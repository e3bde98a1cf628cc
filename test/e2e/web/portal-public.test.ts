/**
 * The public transparency pages in-process: the register (filters round-trip in the query string, search text
 * escaped, bad filters beside their field), application pages, reports with charts and downloads, evidence
 * submission (validation, values kept, PRG, moderation before display) and no canary from a confidential field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CYBER_SURVEILLANCE_CATEGORIES, END_USER_SECTORS } from '../../../src/domain/reporting.ts';
import type { AggregateTable } from '../../../src/engines/reporting/report-model.ts';
import type { App } from '../../../src/http/app.ts';
import { translator } from '../../../src/http/portal/i18n.ts';
import { rowLabel } from '../../../src/http/portal/public-transparency.pages.ts';
import { createServiceContext, type ServiceContext } from '../../../src/services/context.ts';
import { recordEvidence } from '../../../src/services/evidence.service.ts';
import {
  createReportDraft,
  publishReportDraft,
  reviewReportDraft,
} from '../../../src/services/publication.service.ts';
import { makeDecidedApplication } from '../../factories/publication.ts';
import { makeWorld, type World } from '../../factories/world.ts';
import { testConfig } from '../../support/config.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { buildTestApp } from '../../support/http.ts';

const CANARY = 'ZQXPORTALCANARY';
let database: TestDatabase;
let ctx: ServiceContext;
let world: World;
let app: App;
const refs: string[] = [];

const assertNoCanary = (where: string, text: string) =>
  expect(text.toUpperCase().includes(CANARY), `${where} contains a canary`).toBe(false);

function multipart(fields: Record<string, string>, file?: { name: string; content: Buffer }) {
  const boundary = '----custosportaltest';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="attachment"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      file.content,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat(parts),
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = createServiceContext(database.db, testConfig(), { now: () => new Date('2026-03-01T10:00:00Z') });
  world = await makeWorld(ctx, 'pubportal');
  const plan = [
    { outcome: 'granted', decidedAt: '2025-10-20T10:00:00Z', dest: 'AE', canary: true },
    { outcome: 'denied', decidedAt: '2025-11-03T10:00:00Z', dest: 'AE', canary: true },
    { outcome: 'granted_with_conditions', decidedAt: '2025-12-01T10:00:00Z', dest: 'SG', canary: false },
  ] as const;
  for (const p of plan) {
    const made = await makeDecidedApplication(ctx, world.exporterA.principal, {
      submittedAt: '2025-09-01T09:00:00Z',
      decidedAt: p.decidedAt,
      outcome: p.outcome,
      destination: p.dest,
      ...(p.canary && { canary: CANARY }),
    });
    refs.push(made.reference);
  }
  const draft = await createReportDraft(ctx, world.officer.principal, { period: '2025-Q4' });
  await reviewReportDraft(ctx, world.admin.principal, draft.id, {
    decision: 'approve',
    version: draft.version,
  });
  await publishReportDraft(ctx, world.admin.principal, draft.id, {});
  app = await buildTestApp(ctx);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe('public register pages', () => {
  it('lists the published applications with a count, in English and French', async () => {
    const res = await app.inject({ url: '/register' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('3 applications found');
    for (const r of refs) expect(res.body).toContain(`href="/register/${encodeURIComponent(r)}"`);
    expect(res.body).toContain('aria-current="page"');
    const fr = await app.inject({ url: '/register', headers: { cookie: 'custos_lang=fr' } });
    expect(fr.body).toContain('3 demandes trouvées');
  });

  it('round-trips the filters and sort through the query string', async () => {
    const res = await app.inject({
      url: '/register?destination=ae&decision=denied&sort=reference&period=2025-Q4',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('1 applications found');
    expect(res.body).toContain(`/register/${encodeURIComponent(refs[1]!)}`);
    expect(res.body).not.toContain(`/register/${encodeURIComponent(refs[2]!)}"`);
    expect(res.body).toMatch(/name="destination"[^>]*value="ae"|value="ae"[^>]*name="destination"/s);
    expect(res.body).toMatch(/<option value="denied"\s+selected/);
    expect(res.body).toMatch(/<option value="reference"\s+selected/);
    const sg = await app.inject({ url: '/register?destination=SG' });
    expect(sg.body).toContain('1 applications found');
    expect(sg.body).toContain(encodeURIComponent(refs[2]!));
  });

  it('escapes the search text it shows back, and reports a bad filter beside its field', async () => {
    const evil = '<script>alert("x")</script>';
    const res = await app.inject({ url: `/register?q=${encodeURIComponent(evil)}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(evil);
    expect(res.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(res.body).toContain('0 applications found');
    const bad = await app.inject({ url: '/register?destination=XYZ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#f-destination"');
    expect(bad.body).toContain('id="f-destination-error"');
    const period = await app.inject({ url: '/register?period=soon' });
    expect(period.statusCode).toBe(400);
    expect(period.body).toContain('id="f-period-error"');
  });

  it('shows one page per application with its public fields, and 404 for an unknown reference', async () => {
    const res = await app.inject({ url: `/register/${encodeURIComponent(refs[2]!)}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(refs[2]!);
    expect(res.body).toContain('SG');
    expect(res.body).toContain('Granted with conditions');
    expect(res.body).toContain('5A001.f.2');
    const missing = await app.inject({ url: '/register/NOPE-1' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('text/html');
  });
});

describe('public report pages', () => {
  it('lists the reports and renders a report with charts, data tables, downloads and the feed', async () => {
    const list = await app.inject({ url: '/reports' });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('href="/reports/2025-Q4"');
    expect(list.body).toContain('rel="alternate" type="application/atom+xml"');
    const res = await app.inject({ url: '/reports/2025-Q4' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<svg');
    expect(res.body).toContain('id="table-destinations"');
    expect(res.body).toContain('id="table-trend"');
    expect(res.body).toContain('href="/reports/feed.atom"');
    expect(res.body).toContain('<link rel="alternate" type="application/atom+xml"');
    const links = [...res.body.matchAll(/href="(\/api\/reports\/[^"]+)"/g)].map((m) => m[1]!);
    expect(links.some((l) => l.endsWith('/register.csv'))).toBe(true);
    for (const l of links) {
      const f = await app.inject({ url: l });
      expect(f.statusCode, l).toBe(200);
    }
    const csv = await app.inject({ url: links.find((l) => l.endsWith('/register.csv'))! });
    expect(csv.body).toContain(refs[0]!);
    const fr = await app.inject({ url: '/reports/2025-Q4', headers: { cookie: 'custos_lang=fr' } });
    expect(fr.body).toContain('Rapport de transparence 2025-Q4');
    expect((await app.inject({ url: '/reports/2031-Q1' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/reports/nonsense' })).statusCode).toBe(404);
  });

  it('never shows a confidential field on any public page', async () => {
    const urls = [
      '/register',
      '/register?destination=AE',
      ...refs.map((r) => `/register/${encodeURIComponent(r)}`),
      '/reports',
      '/reports/2025-Q4',
    ];
    for (const url of urls) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBeLessThan(400);
      assertNoCanary(url, res.body);
    }
    // searching for a confidential value finds nothing (the search text itself is echoed, escaped, in the box)
    expect((await app.inject({ url: `/register?q=${CANARY}` })).body).toContain('0 applications found');
  });
});

describe('evidence pages', () => {
  it('validates the submission beside the fields and keeps the values', async () => {
    const form = await app.inject({ url: '/evidence/submit' });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('enctype="multipart/form-data"');
    const res = await app.inject({
      method: 'POST',
      url: '/evidence/submit',
      ...multipart({
        title: 'Kept <b>title</b>',
        summary: '',
        evidenceType: '',
        countries: 'A1, FR',
        sourceUrl: 'ftp://x',
      }),
    });
    expect(res.statusCode).toBe(400);
    for (const f of ['summary', 'evidenceType', 'countries', 'sourceUrl'])
      expect(res.body, f).toContain(`id="f-${f}-error"`);
    expect(res.body).not.toContain('id="f-title-error"');
    expect(res.body).toContain('value="Kept &lt;b&gt;title&lt;/b&gt;"');
    expect(res.body).toContain('value="A1, FR"');
  });

  it('refuses an attachment of a type not accepted, beside the field', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/evidence/submit',
      ...multipart(
        { title: 'T', summary: 'S', evidenceType: 'media' },
        { name: 'x.bin', content: Buffer.from([0, 1, 2, 3, 254, 255, 0, 9]) },
      ),
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('id="f-attachment-error"');
  });

  it('accepts a submission, thanks the submitter, and shows nothing until an officer accepts it', async () => {
    const title = 'Spyware found on phones of journalists';
    const res = await app.inject({
      method: 'POST',
      url: '/evidence/submit',
      ...multipart(
        {
          title,
          summary: 'A forensic analysis found an implant.',
          evidenceType: 'forensic_report',
          countries: 'ae, eg',
          sourceUrl: 'https://research.example/report',
          submitterContact: `${CANARY}@example.test`,
        },
        { name: 'note.txt', content: Buffer.from('Plain text evidence notes.\n') },
      ),
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/evidence/thanks');
    const thanks = await app.inject({ url: '/evidence/thanks' });
    expect(thanks.body).toContain('moderation queue');
    const before = await app.inject({ url: '/evidence' });
    expect(before.statusCode).toBe(200);
    expect(before.body).not.toContain(title);
    const stored = await ctx.db
      .selectFrom('evidence')
      .select(['status', 'countries'])
      .where('title', '=', title)
      .executeTakeFirstOrThrow();
    expect(stored.status).toBe('pending');
    await recordEvidence(ctx, world.officer.principal, {
      title: 'UN finding on <targeted> surveillance',
      summary: 'Accepted record.',
      evidenceType: 'un_finding',
      countries: ['AE'],
      sourceUrl: 'https://un.example/finding',
      reliability: 'high',
    });
    const after = await app.inject({ url: '/evidence' });
    expect(after.body).toContain('UN finding on &lt;targeted&gt; surveillance');
    expect(after.body).toContain('href="https://un.example/finding"');
    assertNoCanary('/evidence', after.body);
    const search = await app.inject({ url: '/evidence?q=nothing-matches-this' });
    expect(search.body).not.toContain('UN finding');
  });
});

describe('language of engine texts on public pages (WCAG 3.1.2)', () => {
  const fr = { cookie: 'custos_lang=fr' };
  const codes = [...CYBER_SURVEILLANCE_CATEGORIES, ...END_USER_SECTORS].filter((c) => c.includes('_'));

  it('labels vocabulary codes in French on a register entry and marks the English item description lang="en"', async () => {
    const res = await app.inject({ url: `/register/${encodeURIComponent(refs[2]!)}`, headers: fr });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="fr"');
    expect(res.body).toContain('Interception des télécommunications'); // the line's cyber-surveillance category
    expect(res.body).toMatch(/<span lang="en">Mobile subscriber identifier catcher/); // item vocabulary text
    for (const code of codes) expect(res.body, code).not.toContain(`>${code}<`);
    for (const code of codes) expect(res.body, code).not.toContain(`>${code.replace(/_/g, ' ')}<`);
  });

  it('labels the report tables in French and marks the engine notes lang="en"', async () => {
    const res = await app.inject({ url: '/reports/2025-Q4', headers: fr });
    expect(res.statusCode).toBe(200);
    const notes = [...res.body.matchAll(/<li lang="en">\s*An application belongs to the period/g)];
    expect(notes).toHaveLength(1);
    expect(res.body).not.toMatch(/<li>\s*An application belongs/); // never unmarked
    expect(res.body).not.toMatch(/>\s*Other \(\d+ smaller groups combined\)/); // the engine's English label
  });
});

describe('report table row labels', () => {
  const row = (key: string[], label: string, mergedCells = 0) => ({
    key,
    label,
    applications: 3,
    valueEur: null,
    mergedCells,
  });
  const table = (id: string) => ({ id }) as AggregateTable;
  const label = (id: string, key: string[], english: string, merged = 0) =>
    rowLabel(translator('fr'), 'fr', table(id), row(key, english, merged));

  it('labels the codes the engine groups by from the catalogues, in the page language', () => {
    expect(label('byDecision', ['denied'], 'denied').text).toBe('Refusée');
    expect(label('byDestination', ['AE'], 'United Arab Emirates (AE)').text).toBe('Émirats arabes unis (AE)');
    expect(label('byEndUserType', ['police'], 'police').text).toBe(translator('fr')('partyType.police'));
    expect(label('byControlEntry', ['5A001.f.1'], '5A001.f.1').text).toBe('5A001.f.1');
    expect(label('byControlEntry', ['not-listed'], 'Not listed (catch-all)').text).toBe(
      'Non listé (clause attrape-tout)',
    );
    expect(label('byDecision', ['_other'], 'Other (2 smaller groups combined)', 2).text).toBe(
      'Autres (2 petits groupes regroupés)',
    );
    expect(String(label('byDecision', ['denied'], 'denied').html)).not.toContain('lang=');
  });

  it('keeps a label it cannot translate in English, marked lang="en"', () => {
    const kept = label(
      'cyberSurveillance',
      ['telecom_interception', '5A001.f.1'],
      'telecom interception / 5A001.f.1',
    );
    expect(kept.text).toBe('telecom interception / 5A001.f.1');
    expect(String(kept.html)).toBe('<span lang="en">telecom interception / 5A001.f.1</span>');
    expect(String(label('byDestination', ['ZZZ'], 'ZZZ').html)).toContain('lang="en"');
  });
});
