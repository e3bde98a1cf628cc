/** Screening through the API and the CLI against the real UN list and the demo watch-list. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src/http/app.ts';
import { systemPrincipal } from '../../../src/domain/model.ts';
import { createServiceContext, type ServiceContext } from '../../../src/services/context.ts';
import { importWatchlist } from '../../../src/services/watchlists.service.ts';
import { makeWorld, type World } from '../../factories/world.ts';
import { runCli } from '../../support/cli.ts';
import { testConfig } from '../../support/config.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { buildTestApp, sessionFor, type Caller } from '../../support/http.ts';
import { describeWithShared, sharedPath } from '../../support/shared.ts';

const DEMO_LIST = path.resolve('test/fixtures/lists/custos/demo-watchlist.csv');
let database: TestDatabase;
let ctx: ServiceContext;
let app: App;
let world: World;
let officer: Caller;

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = createServiceContext(database.db, testConfig());
  app = await buildTestApp(ctx);
  world = await makeWorld(ctx, 'scr');
  officer = await sessionFor(ctx, world.officer.email);
  await importWatchlist(ctx, systemPrincipal('test'), 'custos-csv', [DEMO_LIST]);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe('screening API', () => {
  it('finds a listed spyware vendor despite a legal form and a typo, with the list and an explanation', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/screenings',
      headers: officer.headers,
      payload: { name: 'NSO Grup Technologies Ltd', schema: 'Company' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.hits[0].entryName).toMatch(/NSO/i);
    expect(body.hits[0].score01).toBeGreaterThanOrEqual(body.threshold);
    expect(body.hits[0].explanation.name.pairs.length).toBeGreaterThan(0);
    expect(body.lists[0]).toMatchObject({ checksum: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('does not flag an unrelated name', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/screenings',
      headers: officer.headers,
      payload: { name: 'Technologies SARL' },
    });
    expect(res.json().hits).toEqual([]);
  });

  it('refuses an empty or over-long name with 400 naming the field', async () => {
    const empty = await app.inject({
      method: 'POST',
      url: '/api/screenings',
      headers: officer.headers,
      payload: { name: '  ' },
    });
    expect(empty.statusCode).toBe(400);
    const long = await app.inject({
      method: 'POST',
      url: '/api/screenings',
      headers: officer.headers,
      payload: { name: 'x'.repeat(1100) },
    });
    expect(long.statusCode).toBe(400);
    expect(long.json().issues[0].path).toBe('body.name');
  });

  it('screens a batch', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/screenings/batch',
      headers: officer.headers,
      payload: { queries: [{ name: 'Candiru' }, { name: 'Maria Schmidt' }, { name: 'Intellexa S.A.' }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    const flagged = res.json().results.map((r: { hits: unknown[] }) => r.hits.length > 0);
    expect(flagged).toEqual([true, false, true]);
  });
});

describeWithShared(
  'screening CLI against the UN list',
  [['data', 'sanctions', 'un', 'un_consolidated_2026.xml']],
  () => {
    it(
      'imports the list, screens one name, a CSV in bulk, and scores pairs',
      { timeout: 600_000 },
      async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-screen-'));
        const env = { CUSTOS_DATA_DIR: path.join(dir, 'data') };
        try {
          const imported = await runCli(
            [
              'lists',
              'import',
              sharedPath('data', 'sanctions', 'un', 'un_consolidated_2026.xml'),
              '--source',
              'un-sc',
              '--json',
            ],
            env,
          );
          expect(imported.code, imported.stderr).toBe(0);
          const one = await runCli(
            ['screen', 'HAJI KHAIRULLAH HAJI SATTAR MONEY EXCHANGE', '--type', 'organisation', '--json'],
            env,
          );
          expect(one.code, one.stderr).toBe(0);
          expect(JSON.parse(one.stdout).hits.length).toBeGreaterThan(0);
          fs.writeFileSync(
            path.join(dir, 'parties.csv'),
            'name,type,country\nHaji Khairullah Haji Sattar Money Exchange,organisation,AF\nAnna Lindqvist,person,SE\n',
          );
          const bulk = await runCli(
            [
              'screen',
              '--file',
              path.join(dir, 'parties.csv'),
              '--out',
              path.join(dir, 'results.csv'),
              '--workers',
              '1',
            ],
            env,
          );
          expect(bulk.code, bulk.stderr).toBe(0);
          const out = fs.readFileSync(path.join(dir, 'results.csv'), 'utf8');
          expect(out.split('\n')[0]).toBe(
            'row,name,list,entry_id,entry_name,matched_alias,score,explanation',
          );
          expect(out).toMatch(/Anna Lindqvist,,,,,,no hit/);
          fs.writeFileSync(
            path.join(dir, 'pairs.csv'),
            'schema,name1,name2\nPerson,Vladimir Putin,Владимир Путин\nCompany,Siemens AG,Siemens Aktiengesellschaft\nPerson,Olaf Scholz,Angela Merkel\n',
          );
          const pairs = await runCli(
            ['match', '--pairs', path.join(dir, 'pairs.csv'), '--out', path.join(dir, 'scores.csv')],
            env,
          );
          expect(pairs.code, pairs.stderr).toBe(0);
          const scores = fs.readFileSync(path.join(dir, 'scores.csv'), 'utf8').trim().split('\n');
          expect(scores[0]).toBe('schema,name1,name2,score,match');
          expect(scores.slice(1).map((l) => l.split(',').pop())).toEqual(['true', 'true', 'false']);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    );
  },
);
