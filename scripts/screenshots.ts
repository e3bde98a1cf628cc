/**
 * Screenshots of the key portal pages (PNG, 1280 px wide) into docs/screenshots/, taken in Debian's Chromium from a
 * demo instance (synthetic data, demo accounts).  Run: npm run screenshots
 */
import fs from 'node:fs';
import path from 'node:path';
import { startPortalDemo } from '../bench/support/portal-demo.ts';
import { launchChromium } from '../test/support/browser.ts';

const OUT = path.resolve('docs/screenshots');
fs.mkdirSync(OUT, { recursive: true });

const demo = await startPortalDemo(); // the demo data set of `npm start`
const browser = await launchChromium();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const shot = async (name: string, url: string) => {
    await page.goto(demo.url + url);
    await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: false });
    console.log(`docs/screenshots/${name}.png  ${url}`);
  };
  await shot('landing', '/');
  await shot('methodology', '/methodology');
  await shot('methodology-fr', '/language/fr?back=/methodology');
  await page.goto(`${demo.url}/language/en?back=/register`);
  await shot('register', '/register');
  const entry = await page.locator('a[href^="/register/"]').first().getAttribute('href');
  await shot('register-entry', entry!);
  await page.goto(`${demo.url}/reports`);
  // the latest annual report, if the schedule published one (more applications: the map and charts have more to show)
  const reports = await page
    .locator('a[href^="/reports/2"]')
    .evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
  const report = reports.find((r) => /^\/reports\/\d{4}$/.test(r)) ?? reports[0];
  await page.goto(demo.url + report!);
  await page.screenshot({ path: path.join(OUT, 'report.png'), fullPage: true });
  console.log(`docs/screenshots/report.png  ${report} (full page: tables, map and charts)`);
  await page.goto(`${demo.url}/language/en?back=/sign-in`);
  await page.click('button[type=submit]'); // the empty form: errors beside each field
  await page.screenshot({ path: path.join(OUT, 'sign-in-errors.png') });
  console.log('docs/screenshots/sign-in-errors.png  /sign-in (empty form submitted)');
  const exporter = demo.accounts.find((a) => a.role === 'exporter')!;
  await page.fill('#f-email', exporter.email);
  await page.fill('#f-password', exporter.password);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/exporter$/);
  await shot('exporter-dashboard', '/exporter');
  await shot('catalogue', '/exporter/items');
  const user = await demo.ctx.db
    .selectFrom('users')
    .select('organisation_id')
    .where('email', '=', exporter.email)
    .executeTakeFirstOrThrow();
  const item = await demo.ctx.db
    .selectFrom('items')
    .select('id')
    .where('organisation_id', '=', user.organisation_id)
    .orderBy('name')
    .executeTakeFirstOrThrow();
  await shot('classification-wizard', `/exporter/items/${item.id}/classify?all=1`);
  await shot('classification-result', `/exporter/items/${item.id}/classification`);
  await page.goto(`${demo.url}/exporter/parties/new`);
  await page.fill('#f-name', 'NSO Group Technologies');
  await page.fill('#f-country', 'IL');
  await page.locator('#screening-result .tag-yes').waitFor({ timeout: 10_000 });
  await page.screenshot({ path: path.join(OUT, 'party-live-screening.png'), fullPage: true });
  console.log('docs/screenshots/party-live-screening.png  /exporter/parties/new (typed a listed name)');
  const app = await demo.ctx.db
    .selectFrom('applications')
    .select('id')
    .where('organisation_id', '=', user.organisation_id)
    .where('status', '!=', 'draft')
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  // The demo officer has asked for information on one of this exporter's applications (see stageDemoCasework).
  const asked = await demo.ctx.db
    .selectFrom('applications')
    .select('id')
    .where('organisation_id', '=', user.organisation_id)
    .where('status', '=', 'information_requested')
    .orderBy('reference')
    .executeTakeFirst();
  await shot('application-status', `/exporter/applications/${(asked ?? app).id}`);
  await shot('application-parties-step', `/exporter/applications/${app.id}/parties`);
  const begun = await demo.ctx.db
    .selectFrom('due_diligence_records')
    .innerJoin('applications', 'applications.id', 'due_diligence_records.application_id')
    .select('applications.id')
    .where('applications.organisation_id', '=', user.organisation_id)
    .executeTakeFirst();
  if (begun) await shot('application-diligence-step', `/exporter/applications/${begun.id}/diligence`);
  await page.click('button:has-text("Sign out")');
  const officer = demo.accounts.find((a) => a.role === 'officer')!;
  await page.goto(`${demo.url}/sign-in`);
  await page.fill('#f-email', officer.email);
  await page.fill('#f-password', officer.password);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/officer\/applications$/);
  await shot('officer-queue', '/officer/applications?status=submitted');
  await shot('officer-case', `/officer/cases/${app.id}`);
  const destination = await demo.ctx.db
    .selectFrom('applications')
    .select('destination_country')
    .where('id', '=', app.id)
    .executeTakeFirstOrThrow();
  await shot('officer-country-profile', `/officer/countries/${destination.destination_country}`);
  await shot('officer-reports', '/officer/reports');
  await page.goto(`${demo.url}/officer/cases/${app.id}#decision`);
  await page.locator('#decision').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(OUT, 'officer-decision-form.png') });
  console.log('docs/screenshots/officer-decision-form.png  /officer/cases/{id}#decision');
  await context.close();
} finally {
  await browser.close();
  await demo.close();
}
