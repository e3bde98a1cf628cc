/// <reference lib="dom" />
/**
 * The officer workspace in Chromium: zero axe WCAG 2.1 AA violations on the queue and the case view, the queue row
 * opening the case, the assessment run from the page, and a refused decision with its errors beside the fields.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitApplication } from '../../../src/services/applications.service.ts';
import { makeApplication, TEST_PASSWORD } from '../../factories/world.ts';
import { axeViolations, launchChromium } from '../../support/browser.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { startPortalServer, type PortalServer } from '../../support/portal-server.ts';

let database: TestDatabase;
let server: PortalServer;
let browser: Browser;
let reference: string;

beforeAll(async () => {
  browser = await launchChromium();
  database = await createTestDatabase();
  server = await startPortalServer(database);
  const exporter = server.world.exporterA.principal;
  const { app: draft } = await makeApplication(server.ctx, exporter);
  reference = (await submitApplication(server.ctx, exporter, draft.id, { version: draft.version })).reference;
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
});
