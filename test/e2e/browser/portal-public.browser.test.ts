/// <reference lib="dom" />
/**
 * The public transparency pages in Chromium: no browser error on the landing page, the register and the API
 * documentation; zero axe WCAG 2.1 AA violations on the register, an application, the reports, a report and the
 * evidence pages in English and French. The member of the public who finds an application in
 * the register and downloads the report's CSV is in journey.browser.test.ts.
 */
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
  it('load the landing page, the API documentation and a JSON document without a browser error (icon, styles)', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
    for (const url of ['/', '/register', '/docs', '/openapi.json']) {
      await page.goto(server.url + url);
      await page.waitForLoadState('networkidle');
    }
    // Swagger UI has rendered its operations with its styles applied (not blocked by the page's policy).
    await page.goto(`${server.url}/docs`);
    await page.locator('.opblock').first().waitFor();
    expect(errors).toEqual([]);
    const icon = await page.request.get(`${server.url}/favicon.ico`);
    expect(icon.headers()['content-type']).toContain('image/svg+xml');
    await context.close();
  }, 60_000);

  it('have no axe violations, in English and French', async () => {
    const violations: string[] = [];
    const urls = [
      '/register',
      '/register?destination=AQ', // a real code with no application: the empty state
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
});
