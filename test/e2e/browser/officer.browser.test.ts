/// <reference lib="dom" />
/**
 * The officer workspace in Chromium: zero axe WCAG 2.1 AA violations on the queue and the case view, the queue row
 * opening the case, the assessment run from the page, and a refused decision with its errors beside the fields; the
 * evidence moderation pages and country profiles in English and French, a refused then keyboard-only moderation.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC } from '../../../src/domain/model.ts';
import { submitApplication } from '../../../src/services/applications.service.ts';
import { submitEvidence } from '../../../src/services/evidence.service.ts';
import { makeApplication, TEST_PASSWORD } from '../../factories/world.ts';
import { axeViolations, launchChromium } from '../../support/browser.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { startPortalServer, type PortalServer } from '../../support/portal-server.ts';

let database: TestDatabase;
let server: PortalServer;
let browser: Browser;
let reference: string;
let evidenceId: string;

beforeAll(async () => {
  browser = await launchChromium();
  database = await createTestDatabase();
  server = await startPortalServer(database);
  const exporter = server.world.exporterA.principal;
  const { app: draft } = await makeApplication(server.ctx, exporter);
  reference = (await submitApplication(server.ctx, exporter, draft.id, { version: draft.version })).reference;
  evidenceId = (
    await submitEvidence(server.ctx, PUBLIC, {
      title: 'Browser evidence',
      summary: 'Synthetic report of an interception deployment.',
      evidenceType: 'ngo_report',
      countries: ['AE'],
      rights: [7],
      submitterContact: 'browser@example.test',
    })
  ).id;
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await database?.close();
});

describe('officer workspace in Chromium', () => {
  it('opens a case from the queue, runs the assessment and shows decision errors, without axe violations', async () => {
    const violations: string[] = [];
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.fill('#f-email', server.world.officer.email);
    await page.fill('#f-password', TEST_PASSWORD);
    await page.click('button[type=submit]:has-text("Sign in")');
    await page.waitForURL(/\/officer\/applications$/);
    violations.push(...(await axeViolations(page)));
    await page.click(`a:has-text("${reference}")`);
    await page.waitForURL(/\/officer\/cases\//);
    expect(await page.locator('h1').textContent()).toContain(reference);
    violations.push(...(await axeViolations(page)));
    await page.click('button:has-text("Run the assessment")');
    await page.waitForURL(/\/officer\/cases\/[^/]+$/);
    expect(await page.locator('.flash').textContent()).toContain('Assessment stored');
    violations.push(...(await axeViolations(page)));
    await page.check('input[name=outcome][value=denied]');
    await page.click('button:has-text("Record the decision")');
    expect(await page.locator('.field-error').count()).toBeGreaterThan(0);
    violations.push(...(await axeViolations(page)));
    await context.close();
    expect(violations).toEqual([]);
  }, 120_000);

  it('moderates evidence, opens country profiles and the publication review in English and French, keyboard only, without axe violations', async () => {
    const violations: string[] = [];
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.fill('#f-email', server.world.officer.email);
    await page.fill('#f-password', TEST_PASSWORD);
    await page.click('button[type=submit]:has-text("Sign in")');
    await page.waitForURL(/\/officer\/applications$/);
    for (const lang of ['en', 'fr']) {
      await context.addCookies([{ name: 'custos_lang', value: lang, url: server.url }]);
      for (const path of [
        '/officer/evidence',
        '/officer/evidence/new',
        `/officer/evidence/${evidenceId}`,
        '/officer/countries',
        '/officer/countries/AE',
        '/officer/reports',
      ]) {
        await page.goto(`${server.url}${path}`);
        expect(await page.locator('html').getAttribute('lang')).toBe(lang);
        violations.push(...(await axeViolations(page)).map((v) => `${lang} ${path}: ${v}`));
      }
    }
    await context.addCookies([{ name: 'custos_lang', value: 'en', url: server.url }]);
    // a refused moderation: the errors beside the fields, then accepted with the keyboard only
    await page.goto(`${server.url}/officer/evidence/${evidenceId}`);
    await page.click('button:has-text("Record the moderation")');
    expect(await page.locator('#f-decision-error').textContent()).toContain('Choose accept or reject');
    violations.push(...(await axeViolations(page)).map((v) => `refused: ${v}`));
    await page.focus('#f-decision');
    await page.keyboard.press('Space');
    await page.focus('#f-reliability');
    await page.keyboard.press('Space');
    await page.focus('button:has-text("Record the moderation")');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/officer/evidence/${evidenceId}$`));
    expect(await page.locator('.flash').textContent()).toContain('accepted');
    // a draft report built from the publication review page, and its review form
    await page.goto(`${server.url}/officer/reports`);
    await page.fill('#f-period', '2025-Q4');
    await page.click('button:has-text("Build the draft")');
    await page.waitForURL(/\/officer\/reports\/[0-9a-f-]{36}$/);
    await page.click('button:has-text("Record the review")');
    expect(await page.locator('#f-decision-error').textContent()).toContain('Choose approve or reject');
    violations.push(...(await axeViolations(page)).map((v) => `draft: ${v}`));
    // the country profile shows it; the queue links there
    await page.goto(`${server.url}/officer/countries/AE`);
    expect(await page.locator('#evidence ~ table').first().textContent()).toContain('Browser evidence');
    await context.close();
    expect(violations).toEqual([]);
  }, 180_000);
});
