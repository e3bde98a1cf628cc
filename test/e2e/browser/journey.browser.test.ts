/// <reference lib="dom" />
/**
 * The whole journey of issue 8 §5 in one test, in Debian Chromium against a real server with its job worker: an
 * exporter adds and classifies an item and submits an application naming a party on the demo watch-list; the
 * submission is screened by the worker and assessed; an officer adjudicates the hit and decides; the period's report
 * is built, approved and published on the officer publication pages; a member of the public finds THAT application in the register and downloads a
 * CSV that contains it. Zero axe WCAG 2.1 AA violations on every page visited.
 */
import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorker, type Worker } from '../../../src/jobs/queue.ts';
import { jobHandlers } from '../../../src/main.ts';
import { defaultPublicationPolicies } from '../../../src/services/publication/publication-policy.loader.ts';
import { TEST_PASSWORD } from '../../factories/world.ts';
import { axeViolations, launchChromium } from '../../support/browser.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { startPortalServer, type PortalServer } from '../../support/portal-server.ts';

let database: TestDatabase;
let server: PortalServer;
let worker: Worker;
let browser: Browser;
const violations: string[] = [];
/** The server's clock runs from the real one plus this offset: the journey lets the publication delay pass. */
let clockOffsetMs = 0;
const DAY_MS = 24 * 3600 * 1000;

async function check(page: Page): Promise<void> {
  violations.push(...(await axeViolations(page)));
}

async function signIn(context: BrowserContext, email: string, home: RegExp): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${server.url}/sign-in`);
  await page.fill('#f-email', email);
  await page.fill('#f-password', TEST_PASSWORD);
  await page.click('button[type=submit]:has-text("Sign in")');
  await page.waitForURL(home);
  return page;
}

beforeAll(async () => {
  browser = await launchChromium();
  database = await createTestDatabase();
  // imports the demo watch-list (test/fixtures/lists/custos)
  server = await startPortalServer(database, {}, { now: () => new Date(Date.now() + clockOffsetMs) });
  // the production job handlers (screening on submission, outbox…) polling in the background, as `custos serve` does
  worker = createWorker({
    db: server.ctx.db,
    workerId: 'journey',
    handlers: jobHandlers(server.ctx),
    pollMs: 200,
  });
  worker.start();
}, 120_000);
afterAll(async () => {
  await worker?.stop();
  await browser?.close();
  await server?.close();
  await database?.close();
});

describe('the whole journey in Chromium', () => {
  it('exporter submits, screening and assessment run, officer adjudicates and decides, report published, public downloads', async () => {
    // ---- 1. the exporter: an item, classified through the wizard ----
    const exporterContext = await browser.newContext();
    const ex = await signIn(exporterContext, server.world.exporterA.email, /\/exporter$/);
    await check(ex);
    await ex.goto(`${server.url}/exporter/items/new`);
    await check(ex);
    await ex.click('button:has-text("Save")'); // empty form: errors beside the fields, focus on the summary
    expect(await ex.locator('#f-name-error').isVisible()).toBe(true);
    expect(await ex.evaluate(() => document.activeElement?.className)).toContain('error-summary');
    await check(ex);
    await ex.fill('#f-name', 'Tactical IMSI catcher');
    await ex.check('input[name=itemForm][value=hardware]');
    await ex.fill('#f-publicDescription', 'Mobile network interception equipment');
    await ex.click('button:has-text("Save")');
    await ex.waitForURL(/\/exporter\/items\/[0-9a-f-]{36}$/);
    await check(ex);
    await ex.click('a:has-text("Classify this item")');
    await check(ex);
    for (let round = 0; round < 15 && ex.url().endsWith('/classify'); round++) {
      const modality = ex.locator('#f-biometricModality');
      if (await modality.count()) await modality.selectOption('none');
      const groups = await ex.locator('fieldset').count();
      for (let g = 0; g < groups; g++)
        await ex.locator('fieldset').nth(g).locator('input[value=true]').check();
      await ex.click('button:has-text("Save answers and continue")');
      await ex.waitForLoadState('load');
    }
    expect(ex.url()).toMatch(/\/classification$/);
    expect(await ex.locator('.tag-law').count()).toBeGreaterThan(0);
    expect(await ex.locator('main').textContent()).toContain('5A001');
    await check(ex);

    // ---- parties: one on the demo watch-list (live screening with JS, then the server's result) ----
    await ex.goto(`${server.url}/exporter/parties/new`);
    await ex.fill('#f-name', 'NSO Group Technologies');
    await ex.fill('#f-country', 'IL');
    await ex.locator('#screening-result .tag-yes').waitFor({ timeout: 10_000 });
    await check(ex);
    await ex.selectOption('#f-partyType', 'private_company');
    await ex.click('button:has-text("Save")');
    await ex.waitForURL(/\/exporter\/parties\/[0-9a-f-]{36}$/);
    expect(await ex.locator('#screening-result').textContent()).toContain('NSO Group');
    await check(ex);
    await ex.goto(`${server.url}/exporter/parties/new`);
    await ex.fill('#f-name', 'Ministry of Interior');
    await ex.fill('#f-country', 'AE');
    await ex.selectOption('#f-partyType', 'police');
    await ex.click('button:has-text("Save")');
    await ex.waitForURL(/\/exporter\/parties\/[0-9a-f-]{36}$/);

    // ---- the application, step by step, then submitted ----
    await ex.goto(`${server.url}/exporter/applications/new`);
    await check(ex);
    await ex.fill('#f-destinationCountry', 'AE');
    await ex.fill('#f-intendedEndUse', 'Lawful interception by the national police under judicial warrant');
    await ex.click('button:has-text("Save and continue")');
    await ex.waitForURL(/\/lines$/);
    await check(ex);
    await ex.selectOption('#f-itemId', { label: 'Tactical IMSI catcher' });
    await ex.fill('#f-quantity', '2');
    await ex.fill('#f-value', '1200000');
    await ex.fill('#f-valueEur', '1200000');
    await ex.click('button:has-text("Add line")');
    await ex.waitForURL(/\/lines$/);
    expect(await ex.locator('table').textContent()).toContain('Tactical IMSI catcher');
    await ex.click('a:has-text("Next: Parties")');
    await check(ex);
    await ex.selectOption('#f-partyId', { label: 'Ministry of Interior (AE)' });
    await ex.selectOption('#f-role', 'end_user');
    await ex.click('button:has-text("Add party")');
    await ex.waitForURL(/\/parties$/);
    await ex.selectOption('#f-partyId', { label: 'NSO Group Technologies (IL)' });
    await ex.selectOption('#f-role', 'consignee');
    await ex.click('button:has-text("Add party")');
    await ex.waitForURL(/\/parties$/);
    expect(await ex.locator('main').textContent()).toContain('Possible match');
    await check(ex);
    // due diligence (Recommendation (EU) 2024/2659, UNGPs): a date typed wrong is refused beside its question, then
    // a partial record is kept with what is missing and the red flags it raises
    await ex.click('a:has-text("Next: Due diligence")');
    await check(ex);
    await ex.check('#f-q-listed_in_annex_i');
    await ex.selectOption('#f-q-art_2_20_item', 'yes');
    await ex.fill(
      '#f-q-classification_rationale',
      'Export control officer, from the datasheet and a demonstration.',
    );
    await ex.check('#f-q-parties_screened');
    await ex.fill('#f-q-screening_date', 'last week');
    await ex.click('button:has-text("Save the record")');
    expect(await ex.locator('#f-q-screening_date-error').textContent()).toContain('YYYY-MM-DD');
    expect(await ex.inputValue('#f-q-classification_rationale')).toContain('from the datasheet');
    await check(ex);
    await ex.fill('#f-q-screening_date', '2026-03-02');
    await ex.click('button:has-text("Save the record")');
    await ex.waitForURL(/\/diligence$/);
    expect(await ex.locator('main').textContent()).toMatch(/\d+ required answers missing/);
    await check(ex);
    await ex.click('a:has-text("Next: Attachments")');
    await check(ex);
    const big = Buffer.concat([
      Buffer.from('%PDF-1.4\n'),
      Buffer.alloc(server.ctx.config.maxUploadBytes + 10, 0x20),
    ]);
    await ex.setInputFiles('#f-file', { name: 'too-big.pdf', mimeType: 'application/pdf', buffer: big });
    await ex.click('button:has-text("Upload")');
    expect(await ex.locator('#f-file-error').textContent()).toContain('it was not stored');
    await check(ex);
    await ex.setInputFiles('#f-file', {
      name: 'end-user-statement.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n%%EOF\n'),
    });
    await ex.click('button:has-text("Upload")');
    await ex.waitForURL(/\/attachments$/);
    expect(await ex.locator('main').textContent()).toContain('end-user-statement.pdf');
    await ex.click('a:has-text("Next: Check and submit")');
    await check(ex);
    await ex.click('button:has-text("Submit the application")');
    await ex.waitForURL(/\/exporter\/applications\/[0-9a-f-]{36}$/);
    expect(await ex.locator('h1').textContent()).toContain('Submitted');
    expect(await ex.locator('main').textContent()).toContain('History');
    await check(ex);
    const reference = ((await ex.locator('h1').textContent()) ?? '').trim().split(/\s+/)[0]!;
    expect(reference).toMatch(/\d/);
    const exporterStatusUrl = ex.url();

    // ---- 2. the officer: the queue, the case, screening by the worker, assessment, a hit adjudicated ----
    const officerContext = await browser.newContext();
    const of = await signIn(officerContext, server.world.officer.email, /\/officer\/applications$/);
    await check(of);
    await of.click(`a:has-text("${reference}")`);
    await of.waitForURL(/\/officer\/cases\/[0-9a-f-]{36}$/);
    const caseUrl = of.url();
    expect(await of.locator('h1').textContent()).toContain(reference);
    // the submission's screening runs in the background worker: reload until its hit on the watch-listed party shows
    const hit = of.locator('section.card:has(h3:has-text("NSO Group Technologies matches a list entry"))');
    for (let i = 0; i < 50 && (await hit.count()) === 0; i++) {
      await of.waitForTimeout(200);
      await of.goto(caseUrl);
    }
    expect(await hit.count()).toBe(1);
    expect(await hit.textContent()).toContain('Custos demo watch-list');
    await check(of);
    await of.click('button:has-text("Assign to me")');
    await of.waitForURL(caseUrl);
    expect(await of.locator('.flash').textContent()).toContain('assigned to you');
    await of.click('button:has-text("Start assessment")');
    await of.waitForURL(caseUrl);
    expect(await of.locator('.flash').textContent()).toContain('moved on');
    await of.click('button:has-text("Run the assessment")');
    await of.waitForURL(caseUrl);
    expect(await of.locator('.flash').textContent()).toContain('Assessment stored');
    expect(await of.locator('main').textContent()).not.toContain('No assessment');
    await check(of);
    await hit.locator('input[value=true_match]').check();
    await hit.locator('textarea').fill('Same company as the listed entry: name and country match.');
    await hit.locator('button:has-text("Record decision on this hit")').click();
    await of.waitForURL(caseUrl);
    expect(await of.locator('.flash').textContent()).toContain('Decision recorded on the hit');
    expect(await hit.textContent()).toContain('Same company as the listed entry');
    await check(of);

    // ---- the decision: first refused (no reasons), with errors beside the fields; then recorded ----
    await of.check('input[name=outcome][value=denied]');
    await of.click('button:has-text("Record the decision")');
    expect(await of.locator('.field-error').count()).toBeGreaterThan(0);
    await check(of);
    await of.check('input[name=outcome][value=denied]');
    await of.fill(
      '#f-legalText',
      'The competent authority decides on applications for individual export authorisations.',
    );
    await of.fill(
      '#f-reasons',
      'The consignee is a true match on a watch-list of spyware vendors.\nA clear risk of use for internal repression.',
    );
    await of.click('button:has-text("Record the decision")');
    await of.waitForLoadState('load');
    expect(of.url(), (await of.locator('.error-summary').allTextContents()).join(' ')).toBe(caseUrl);
    expect(await of.locator('.flash').textContent()).toContain('Decision recorded for');
    expect(await of.locator('main').textContent()).toContain('Decision recorded');
    await check(of);

    // the exporter sees the decision on the status page
    await ex.goto(exporterStatusUrl);
    expect(await ex.locator('h1').textContent()).toContain('Denied');
    await check(ex);
    await exporterContext.close();
    await officerContext.close();

    // ---- 3. the report. The redaction policy publishes a decision only after a delay (policy/redaction/default.yaml
    // register.decidedDelayDays), so the server's clock moves on past it (sessions expire meanwhile: staff sign in
    // again). On the officer publication pages an officer builds the draft of the decision's quarter and an
    // administrator approves it and publishes it ----
    const decidedOn = new Date(server.ctx.now());
    const period = `${decidedOn.getUTCFullYear()}-Q${Math.floor(decidedOn.getUTCMonth() / 3) + 1}`;
    const delayDays = defaultPublicationPolicies().redaction.register.decidedDelayDays;
    clockOffsetMs += (delayDays + 1) * DAY_MS;
    const officerLater = await browser.newContext();
    const of2 = await signIn(officerLater, server.world.officer.email, /\/officer\/applications$/);
    await of2.click('a[href="/officer/reports"]');
    await check(of2);
    await of2.fill('#f-period', period);
    await of2.click('button:has-text("Build the draft")');
    await of2.waitForURL(/\/officer\/reports\/[0-9a-f-]{36}$/);
    expect(await of2.locator('.flash').textContent()).toContain(`Draft report ${period} built`);
    const draftUrl = of2.url();
    await check(of2);
    await officerLater.close();
    const adminContext = await browser.newContext();
    const ad = await signIn(adminContext, server.world.admin.email, /\/officer\/applications$/);
    await ad.goto(draftUrl);
    await ad.check('input[name=decision][value=approve]');
    await ad.click('button:has-text("Record the review")');
    await ad.waitForURL(draftUrl);
    await check(ad);
    await ad.click('button:has-text("Publish this draft")');
    await ad.waitForLoadState('load');
    expect(
      await ad.locator('.flash').textContent(),
      (await ad.locator('.error-summary').allTextContents()).join(' '),
    ).toContain(`Report ${period} r1 published`);
    await check(ad);
    await adminContext.close();

    // ---- 4. the public, without JavaScript (so no axe here: portal-public.browser.test.ts checks these pages in EN
    // and FR): the register finds THAT application; the report's CSV contains it ----
    const publicContext = await browser.newContext({ javaScriptEnabled: false, acceptDownloads: true });
    const pub = await publicContext.newPage();
    await pub.goto(server.url);
    await pub.click('nav.main-nav a[href="/register"]');
    await pub.fill('#f-q', reference);
    await pub.click('form[action="/register"] button[type=submit]');
    expect(pub.url()).toContain(`q=${encodeURIComponent(reference)}`);
    expect(await pub.locator('#result-count').textContent()).toContain('1 applications found');
    await pub.click(`a[href="/register/${encodeURIComponent(reference)}"]`);
    expect(await pub.locator('h1').textContent()).toContain(reference);
    const entry = (await pub.locator('main').textContent()) ?? '';
    expect(entry).toMatch(/denied/i);
    expect(entry).not.toContain('NSO Group'); // no party names on a public page
    await pub.click('nav.main-nav a[href="/reports"]');
    await pub.click(`a[href="/reports/${period}"]`);
    const [download] = await Promise.all([
      pub.waitForEvent('download'),
      pub.click('a[href$="/register.csv"]'),
    ]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    const row = csv.split(/\r?\n/).find((l) => l.includes(reference));
    expect(row).toBeDefined();
    expect(row).toMatch(/denied/);
    await publicContext.close();
    expect(violations).toEqual([]);
  }, 300_000);
});
