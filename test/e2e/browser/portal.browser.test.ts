/// <reference lib="dom" />
/**
 * The portal in a real browser (Debian Chromium via playwright-core): zero axe WCAG 2.1 AA violations on every page
 * visited, keyboard-only use of a form with visible focus, and the public-page JavaScript budget. The exporter's part of
 * the journey (item, wizard, parties, application, upload, submit) is in journey.browser.test.ts.
 */
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestInformation } from '../../../src/services/casework.service.ts';
import { makeCaseInAssessment } from '../../factories/casework.ts';
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

  it('lets the exporter answer an information request with a document, without axe violations', async () => {
    const { ctx, world } = server;
    const inAssessment = await makeCaseInAssessment(ctx, world, world.exporterA.principal);
    await requestInformation(ctx, world.officer.principal, inAssessment.id, {
      questions: ['Which units will operate the system?', 'Attach the warrant procedure.'],
      workingDays: 10,
      expectedVersion: inAssessment.version,
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.fill('#f-email', world.exporterA.email);
    await page.fill('#f-password', TEST_PASSWORD);
    await page.click('button[type=submit]:has-text("Sign in")');
    await page.waitForURL(/\/exporter$/);
    await page.goto(`${server.url}/exporter/applications/${inAssessment.id}`);
    expect(await page.locator('main').textContent()).toContain('Which units will operate the system?');
    const local: string[] = [];
    local.push(...(await axeViolations(page)).map((v) => `open: ${v}`));
    await page.click('button:has-text("Send the answer")'); // empty: refused beside the field
    expect(await page.locator('#f-answer-error').count()).toBe(1);
    local.push(...(await axeViolations(page)).map((v) => `refused: ${v}`));
    await page.fill('#f-answer', 'The cyber unit of the federal police; the warrant procedure is attached.');
    await page.locator('input[name="documentIds"]').first().check();
    await page.click('button:has-text("Send the answer")');
    await page.waitForURL(/\/exporter\/applications\/[0-9a-f-]{36}$/);
    expect(await page.locator('.flash').textContent()).toContain('was sent to the licensing authority');
    expect(await page.locator('main').textContent()).toContain('the warrant procedure is attached');
    local.push(...(await axeViolations(page)).map((v) => `answered: ${v}`));
    expect(local).toEqual([]);
    await context.close();
  });

  it('lets a user choose the language of their e-mails on the account page, without axe violations', async () => {
    const { ctx, world } = server;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.fill('#f-email', world.exporterB.email);
    await page.fill('#f-password', TEST_PASSWORD);
    await page.click('button[type=submit]:has-text("Sign in")');
    await page.waitForURL(/\/exporter$/);
    await page.click('header a:has-text("Your account")');
    await page.waitForURL(/\/account$/);
    const local: string[] = (await axeViolations(page)).map((v) => `account: ${v}`);
    await page.getByLabel('Français').check();
    await page.click('button[type=submit]:has-text("Save")');
    await page.waitForURL(/\/account$/);
    // Saved, and the portal now speaks the chosen language.
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await page.locator('.flash').textContent()).toContain('Votre compte a été enregistré');
    expect(await page.getByLabel('Français').isChecked()).toBe(true);
    local.push(...(await axeViolations(page)).map((v) => `saved: ${v}`));
    const row = await ctx.db
      .selectFrom('users')
      .select('language')
      .where('id', '=', world.exporterB.userId)
      .executeTakeFirstOrThrow();
    expect(row.language).toBe('fr');
    expect(local).toEqual([]);
    await context.close();
  });
});
