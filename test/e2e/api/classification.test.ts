/** Classification through the API and the CLI: same input, same result; the control list imported from the official text. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src/http/app.ts';
import { createServiceContext, type ServiceContext } from '../../../src/services/context.ts';
import { importControlList, searchControlListEntries } from '../../../src/services/classification.service.ts';
import { systemPrincipal } from '../../../src/domain/model.ts';
import { createItem } from '../../../src/services/catalogue.service.ts';
import { makeApplication, makeWorld, type World } from '../../factories/world.ts';
import { submitApplication, updateApplication } from '../../../src/services/applications.service.ts';
import { runCli } from '../../support/cli.ts';
import { testConfig } from '../../support/config.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { buildTestApp, sessionFor } from '../../support/http.ts';
import { describeWithShared, sharedPath } from '../../support/shared.ts';

const fixture = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../fixtures/classification/tactical-interceptor.json',
);

let database: TestDatabase;
let ctx: ServiceContext;
let app: App;
let world: World;

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = createServiceContext(database.db, testConfig());
  app = await buildTestApp(ctx);
  world = await makeWorld(ctx, 'cls');
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe('classification API', () => {
  it('classifies a profile with the criterion trail, the Art. 2(20) limbs and law/policy labels', async () => {
    const body = { profile: 'broad', item: JSON.parse(fs.readFileSync(fixture, 'utf8')) };
    const res = await app.inject({ method: 'POST', url: '/api/classifications', payload: body });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.matchedEntries).toContain('5A001.f.2');
    expect(r.listing).toBe('listed');
    expect(r.conclusions.some((c: { basis: string }) => c.basis === 'law')).toBe(true);
    expect(r.conclusions.some((c: { basis: string }) => c.basis === 'profile')).toBe(true);
    expect(r.cyberSurveillance).toBeTruthy();
  });

  it('asks instead of guessing when a deciding fact is unknown', async () => {
    const item = JSON.parse(fs.readFileSync(fixture, 'utf8'));
    delete item.facts.extractsVoiceOrDataOverAirInterface;
    const r = (await app.inject({ method: 'POST', url: '/api/classifications', payload: { item } })).json();
    expect(r.listing).toBe('undetermined');
    expect(r.questions.map((q: { fact: string }) => q.fact)).toContain('extractsVoiceOrDataOverAirInterface');
  });

  it('refuses an unknown fact or a wrong type naming the field', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/classifications',
      payload: { item: { itemForm: 'hardware', facts: { readsMinds: true, operatesCovertly: 'yes' } } },
    });
    expect(res.statusCode).toBe(400);
    const paths = res
      .json()
      .issues.map((i: { path: string; message: string }) => `${i.path} ${i.message}`)
      .join('\n');
    expect(paths).toContain('readsMinds');
    expect(paths).toContain('operatesCovertly');
  });

  it('refuses an unknown profile', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/classifications',
      payload: { profile: 'lenient', item: { itemForm: 'software', facts: {} } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues[0].path).toBe('profile');
  });

  it('stores a classification on a catalogue item with the versions used, and audits it', async () => {
    const item = await createItem(ctx, world.exporterA.principal, {
      name: 'Interceptor',
      publicDescription: '',
      confidentialDescription: '',
      itemForm: 'hardware',
      technicalProfile: {
        facts: {
          extractsIdentifiersOverAirInterface: true,
          extractsVoiceOrDataOverAirInterface: false,
          designedForAnaloguePmrOrWlanInterception: false,
          designedForMobileNetworkOperators: false,
          designedForDevelopmentOrProduction: false,
        },
      },
    });
    const caller = await sessionFor(ctx, world.exporterA.email);
    const res = await app.inject({
      method: 'POST',
      url: `/api/items/${item.id}/classification`,
      headers: caller.headers,
      payload: { profile: 'legal' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().stored).toMatchObject({
      matchedEntries: ['5A001.f.2'],
      policyVersion: expect.any(String),
      controlListVersion: expect.any(String),
    });
    // Submitting an application keeps the item's classification on its line.
    const { app: draft } = await makeApplication(ctx, world.exporterA.principal);
    const withItem = await updateApplication(ctx, world.exporterA.principal, draft.id, {
      version: draft.version,
      lines: [{ itemId: item.id, quantity: 1, unit: 'systems', value: 100, currency: 'EUR', valueEur: 100 }],
    });
    const submitted = await submitApplication(ctx, world.exporterA.principal, draft.id, {
      version: withItem.version,
    });
    expect(submitted.lines[0]!.classification).toMatchObject({
      matchedEntries: ['5A001.f.2'],
      policyVersion: expect.any(String),
    });
    const other = await sessionFor(ctx, world.exporterB.email);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/items/${item.id}/classification`,
          headers: other.headers,
          payload: {},
        })
      ).statusCode,
    ).toBe(404);
  });

  it('publishes the technical-profile JSON Schema', async () => {
    const res = await app.inject({ url: '/schemas/technical-profile.json' });
    expect(res.statusCode).toBe(200);
    expect(res.json().properties.facts.properties.simulatesRadioAccessNetwork).toBeDefined();
  });
});

describe('classification CLI', { timeout: 300_000 }, () => {
  it('returns the same result as the API for the same input', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-cls-'));
    try {
      const cli = await runCli(['classify', fixture, '--profile', 'broad', '--json'], {
        CUSTOS_DATA_DIR: dataDir,
      });
      expect(cli.code, cli.stderr).toBe(0);
      const api = await app.inject({
        method: 'POST',
        url: '/api/classifications',
        payload: { profile: 'broad', item: JSON.parse(fs.readFileSync(fixture, 'utf8')) },
      });
      expect(JSON.parse(cli.stdout)).toEqual(api.json());
      const human = await runCli(['classify', fixture], { CUSTOS_DATA_DIR: dataDir });
      expect(human.stdout).toContain('5A001.f.2');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describeWithShared(
  'control list from the official text',
  [['data', 'control-list', 'reg_2021_821_consolidated.md']],
  () => {
    it('imports Annex I once (idempotent), searches it and serves entries', async () => {
      const file = sharedPath('data', 'control-list', 'reg_2021_821_consolidated.md');
      const first = await importControlList(ctx, systemPrincipal('test'), file, {
        crossCheckFile: sharedPath('data', 'control-list', 'annex_i_en_2025-11.json'),
      });
      expect(first.entries).toBeGreaterThan(3000);
      expect(first.crossCheck!.disagreements).toBeGreaterThan(0);
      const again = await importControlList(ctx, systemPrincipal('test'), file);
      expect(again.alreadyImported).toBe(true);
      const { hits } = await searchControlListEntries(ctx, 'IMSI catcher that simulates a base station', 3);
      expect(hits.map((h) => h.code)).toContain('5A001.f.2');
      const res = await app.inject({
        url: '/api/control-list/search?q=monitoring%20centre%20handover%20interface&limit=3',
      });
      expect(res.json().hits.map((h: { code: string }) => h.code)).toContain('5D001.e');
      const entry = await app.inject({ url: '/api/control-list/entries/5A001.j' });
      expect(entry.json().notes.join(' ')).toMatch(/marketing|quality of service|QoS/i);
      const classified = await app.inject({
        method: 'POST',
        url: '/api/classifications',
        payload: { item: JSON.parse(fs.readFileSync(fixture, 'utf8')) },
      });
      expect(classified.json().controlListVersion).toBe(first.version);
    });
  },
);
