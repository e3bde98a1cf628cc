/// <reference lib="dom" />
/**
 * The portal in a real browser (Debian Chromium via playwright-core): zero axe WCAG 2.1 AA violations on every page
 * visited, keyboard-only use of a form with visible focus, the exporter journey from sign-in to a submitted
 * application, and the public-page JavaScript budget.
 */
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../../factories/world.ts';
import { axeViolations, launchChromium } from '../../support/browser.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { startPortalServer, type PortalServer } from '../../support/portal-server.ts';

let database: TestDatabase;
let server: PortalServer;
let browser: Browser;
const violations: string[] = [];

async function check(page: Page): Promise<void> {
  violations.push(...(await axeViolations(page)));
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(`${server.url}/sign-in`);
  await page.fill('#f-email', email);
  await page.fill('#f-password', TEST_PASSWORD);
  await page.click('button[type=submit]:has-text("Sign in")');
  await page.waitForURL(/\/exporter$|\/officer\/applications$/);
}

beforeAll(async () => {
  browser = await launchChromium();
  database = await createTestDatabase();
  server = await startPortalServer(database);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await database?.close();
});

describe('portal in Chromium', () => {
  it('public pages have no axe violations, in English and French', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    for (const url of ['/', '/methodology', '/sign-in']) {
      await page.goto(server.url + url);
      await check(page);
    }
    await page.click('button[type=submit]:has-text("Sign in")'); // empty form: errors beside the fields
    expect(await page.locator('#f-email-error').textContent()).toContain('Enter your email address');
    await check(page);
    await page.goto(`${server.url}/language/fr?back=/methodology`);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await page.locator('h1').textContent()).toBe('Méthodologie et sources de données');
    expect(await page.locator('main').textContent()).toContain('Custos demo watch-list');
    await check(page);
    // the public-page JavaScript budget: every script these pages load, gzipped
    let gzipped = 0;
    const scripts = new Set<string>();
    for (const url of ['/', '/methodology', '/sign-in']) {
      await page.goto(server.url + url);
      for (const src of await page.evaluate(() => [...document.scripts].map((s) => s.src))) scripts.add(src);
    }
    for (const src of scripts) gzipped += gzipSync(await (await page.request.get(src)).body()).byteLength;
    expect(scripts.size).toBeGreaterThan(0);
    expect(gzipped).toBeLessThanOrEqual(100 * 1024);
    await context.close();
    expect(violations).toEqual([]);
  });

  it('works without JavaScript: sign-in errors are rendered by the server', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.fill('#f-email', 'not-an-email');
    await page.click('button[type=submit]:has-text("Sign in")');
    expect(await page.locator('#f-email-error').textContent()).toContain('correct format');
    expect(await page.inputValue('#f-email')).toBe('not-an-email');
    expect(await page.getAttribute('.error-summary a', 'href')).toBe('#f-email');
    await context.close();
  });

  it('can be used with the keyboard alone, with a visible focus', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    const focusStyle = async () =>
      page.evaluate(() => {
        const s = getComputedStyle(document.activeElement as Element);
        return { outline: s.outlineStyle, shadow: s.boxShadow };
      });
    for (let i = 0; i < 10 && (await page.evaluate(() => document.activeElement?.id)) !== 'f-email'; i++)
      await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-email');
    const style = await focusStyle();
    expect(style.outline !== 'none' || style.shadow !== 'none').toBe(true);
    await page.keyboard.type(server.world.exporterA.email);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-password');
    await page.keyboard.type(TEST_PASSWORD);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BUTTON');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/exporter$/);
    expect(await page.locator('.flash').textContent()).toContain('Signed in');
    await context.close();
  });

  it('an exporter adds an item, classifies it, adds parties with live screening, and submits an application', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, server.world.exporterA.email);
    await check(page);

    // the catalogue: add an item (first with an error, then right)
    await page.goto(`${server.url}/exporter/items/new`);
    await check(page);
    await page.click('button:has-text("Save")');
    expect(await page.locator('#f-name-error').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.className)).toContain('error-summary');
    await check(page);
    await page.fill('#f-name', 'Tactical IMSI catcher');
    await page.check('input[name=itemForm][value=hardware]');
    await page.fill('#f-publicDescription', 'Mobile network interception equipment');
    await page.click('button:has-text("Save")');
    await page.waitForURL(/\/exporter\/items\/[0-9a-f-]{36}$/);
    await check(page);

    // the wizard: answer every question the engine asks until it shows the result
    await page.click('a:has-text("Classify this item")');
    await check(page);
    for (let round = 0; round < 15 && page.url().endsWith('/classify'); round++) {
      const modality = page.locator('#f-biometricModality');
      if (await modality.count()) await modality.selectOption('none');
      const groups = await page.locator('fieldset').count();
      for (let g = 0; g < groups; g++)
        await page.locator('fieldset').nth(g).locator('input[value=true]').check();
      await page.click('button:has-text("Save answers and continue")');
      await page.waitForLoadState('load');
    }
    expect(page.url()).toMatch(/\/classification$/);
    expect(await page.locator('.tag-law').count()).toBeGreaterThan(0);
    expect(await page.locator('main').textContent()).toContain('5A001');
    await check(page);

    // parties: live screening with JavaScript, and the server-side result after saving
    await page.goto(`${server.url}/exporter/parties/new`);
    await page.fill('#f-name', 'NSO Group Technologies');
    await page.fill('#f-country', 'IL');
    await page.locator('#screening-result .tag-yes').waitFor({ timeout: 10_000 });
    await check(page);
    await page.selectOption('#f-partyType', 'private_company');
    await page.click('button:has-text("Save")');
    await page.waitForURL(/\/exporter\/parties\/[0-9a-f-]{36}$/);
    expect(await page.locator('#screening-result').textContent()).toContain('NSO Group');
    await check(page);
    await page.goto(`${server.url}/exporter/parties/new`);
    await page.fill('#f-name', 'Ministry of Interior');
    await page.fill('#f-country', 'AE');
    await page.selectOption('#f-partyType', 'police');
    await page.click('button:has-text("Save")');
    await page.waitForURL(/\/exporter\/parties\/[0-9a-f-]{36}$/);

    // the application, step by step
    await page.goto(`${server.url}/exporter/applications/new`);
    await check(page);
    await page.fill('#f-destinationCountry', 'AE');
    await page.fill('#f-intendedEndUse', 'Lawful interception by the national police under judicial warrant');
    await page.click('button:has-text("Save and continue")');
    await page.waitForURL(/\/lines$/);
    await check(page);
    await page.selectOption('#f-itemId', { label: 'Tactical IMSI catcher' });
    await page.fill('#f-quantity', '2');
    await page.fill('#f-value', '1200000');
    await page.fill('#f-valueEur', '1200000');
    await page.click('button:has-text("Add line")');
    await page.waitForURL(/\/lines$/);
    expect(await page.locator('table').textContent()).toContain('Tactical IMSI catcher');
    await page.click('a:has-text("Next: Parties")');
    await check(page);
    await page.selectOption('#f-partyId', { label: 'Ministry of Interior (AE)' });
    await page.selectOption('#f-role', 'end_user');
    await page.click('button:has-text("Add party")');
    await page.waitForURL(/\/parties$/);
    await page.selectOption('#f-partyId', { label: 'NSO Group Technologies (IL)' });
    await page.selectOption('#f-role', 'consignee');
    await page.click('button:has-text("Add party")');
    await page.waitForURL(/\/parties$/);
    expect(await page.locator('main').textContent()).toContain('Possible match');
    await check(page);
    await page.click('a:has-text("Next: Attachments")');
    await check(page);
    const big = Buffer.concat([
      Buffer.from('%PDF-1.4\n'),
      Buffer.alloc(server.ctx.config.maxUploadBytes + 10, 0x20),
    ]);
    await page.setInputFiles('#f-file', { name: 'too-big.pdf', mimeType: 'application/pdf', buffer: big });
    await page.click('button:has-text("Upload")');
    expect(await page.locator('#f-file-error').textContent()).toContain('it was not stored');
    await check(page);
    await page.setInputFiles('#f-file', {
      name: 'end-user-statement.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n%%EOF\n'),
    });
    await page.click('button:has-text("Upload")');
    await page.waitForURL(/\/attachments$/);
    expect(await page.locator('main').textContent()).toContain('end-user-statement.pdf');
    await page.click('a:has-text("Next: Check and submit")');
    await check(page);
    await page.click('button:has-text("Submit the application")');
    await page.waitForURL(/\/exporter\/applications\/[0-9a-f-]{36}$/);
    expect(await page.locator('h1').textContent()).toContain('Submitted');
    expect(await page.locator('main').textContent()).toContain('History');
    await check(page);
    await context.close();
    expect(violations).toEqual([]);
  }, 240_000);
});
