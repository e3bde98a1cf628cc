/// <reference lib="dom" />
/**
 * The public transparency pages in Chromium: zero axe WCAG 2.1 AA violations on the register, an application, the
 * reports, a report and the evidence pages in English and French, and a member of the public who searches the
 * register, opens an application and downloads the CSV of a report published through the service.
 */
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishMatrixReport } from '../../factories/publication.ts';
import { axeViolations, launchChromium } from '../../support/browser.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { startPortalServer, type PortalServer } from '../../support/portal-server.ts';

let database: TestDatabase;
let server: PortalServer;
let browser: Browser;
let reference = '';

beforeAll(async () => {
  browser = await launchChromium();
  database = await createTestDatabase();
  server = await startPortalServer(database);
  ({ reference } = await publishMatrixReport(server.ctx, server.world));
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await database?.close();
});

describe('public transparency pages in Chromium', () => {
  it('have no axe violations, in English and French', async () => {
    const violations: string[] = [];
    const urls = [
      '/register',
      '/register?destination=ZZ',
      `/register/${encodeURIComponent(reference)}`,
      '/reports',
      '/reports/2025-Q4',
      '/evidence',
      '/evidence/submit',
    ];
    for (const lang of ['en', 'fr']) {
      const context = await browser.newContext({ locale: lang });
      const page = await context.newPage();
      await page.goto(`${server.url}/language/${lang}?back=/`);
      for (const url of urls) {
        await page.goto(server.url + url);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        violations.push(...(await axeViolations(page)).map((v) => `${lang} ${url}: ${v}`));
      }
      await page.click('form[action="/evidence/submit"] button[type=submit]'); // errors beside the fields
      expect(await page.locator('#f-title-error').count()).toBe(1);
      violations.push(...(await axeViolations(page)).map((v) => `${lang} evidence errors: ${v}`));
      await context.close();
    }
    expect(violations).toEqual([]);
  }, 180_000);

  it('a member of the public searches the register, opens an application, and downloads the CSV of a report', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.click('nav.main-nav a[href="/register"]');
    await page.fill('#f-q', reference);
    await page.click('form[action="/register"] button[type=submit]');
    expect(page.url()).toContain(`q=${encodeURIComponent(reference)}`);
    expect(await page.locator('#result-count').textContent()).toContain('1 applications found');
    await page.click(`a[href="/register/${encodeURIComponent(reference)}"]`);
    expect(await page.locator('h1').textContent()).toContain(reference);
    await page.click('nav.main-nav a[href="/reports"]');
    await page.click('a[href="/reports/2025-Q4"]');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a[href$="/register.csv"]'),
    ]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain(reference);
    await context.close();
  });
});
