/** Lists as reference data: real publisher files, versions with provenance and diffs, all-or-nothing, downloads. */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemPrincipal } from '../../src/domain/model.ts';
import { createServiceContext, type ServiceContext } from '../../src/services/context.ts';
import {
  importWatchlist,
  listWatchlists,
  loadCurrentEntries,
  RESCREEN_QUEUE,
  updateWatchlists,
} from '../../src/services/watchlists.service.ts';
import { testConfig } from '../support/config.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { describeWithShared, sharedPath } from '../support/shared.ts';

let database: TestDatabase;
let ctx: ServiceContext;
let refDir: string;
const admin = systemPrincipal('test');

beforeAll(async () => {
  database = await createTestDatabase();
  refDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-ref-'));
  ctx = createServiceContext(database.db, testConfig({ CUSTOS_REFERENCE_DATA_DIR: refDir }));
});
afterAll(async () => {
  await database.close();
  fs.rmSync(refDir, { recursive: true, force: true });
});

describeWithShared(
  'watch-lists from the real files',
  [
    ['data', 'sanctions', 'un', 'un_consolidated_2026.xml'],
    ['data', 'sanctions', 'ofac', 'ofac_sdn_2019.csv'],
    ['data', 'sanctions', 'ofac', 'bench_ofac_sdn_2021.csv'],
  ],
  () => {
    it('imports the UN list with provenance and queues re-screening', async () => {
      const r = await importWatchlist(ctx, admin, 'un-sc', [
        sharedPath('data', 'sanctions', 'un', 'un_consolidated_2026.xml'),
      ]);
      expect(r.unchanged).toBe(false);
      expect(r.version.counts.entries).toBe(1003);
      expect(r.version.publishedOn).toMatch(/^2026-02/);
      expect(r.version.checksum).toMatch(/^[0-9a-f]{64}$/);
      const again = await importWatchlist(ctx, admin, 'un-sc', [
        sharedPath('data', 'sanctions', 'un', 'un_consolidated_2026.xml'),
      ]);
      expect(again.unchanged).toBe(true);
      const jobs = await ctx.db
        .selectFrom('jobs')
        .select(['queue', 'payload'])
        .where('queue', '=', RESCREEN_QUEUE)
        .execute();
      expect(jobs).toHaveLength(1);
    });

    it('keeps versions of one list and records the diff (OFAC 2019 -> 2021)', async () => {
      await importWatchlist(
        ctx,
        admin,
        'ofac-sdn',
        [sharedPath('data', 'sanctions', 'ofac', 'ofac_sdn_2019.csv')],
        { listName: 'OFAC SDN' },
      );
      // The 2021 trio is named bench_ofac_*; pass all its files explicitly.
      const dir = sharedPath('data', 'sanctions', 'ofac');
      const r = await importWatchlist(
        ctx,
        admin,
        'ofac-sdn',
        [
          'bench_ofac_sdn_2021.csv',
          'bench_ofac_add_2021.csv',
          'bench_ofac_alt_2021.csv',
          'bench_ofac_sdn_comments_2021.csv',
        ].map((f) => path.join(dir, f)),
        { listName: 'OFAC SDN' },
      );
      expect(r.version.diff).toMatchObject({
        added: expect.any(Number),
        removed: expect.any(Number),
        changed: expect.any(Number),
      });
      expect(r.version.diff!.added).toBeGreaterThan(1000);
      const versions = await listWatchlists(ctx, {});
      expect(versions.filter((v) => v.listName === 'OFAC SDN').map((v) => v.isCurrent)).toEqual([
        true,
        false,
      ]);
      const current = await loadCurrentEntries(ctx.db, ['OFAC SDN']);
      expect(current.length).toBe(r.version.counts.entries);
    });
  },
);

it('refuses a malformed file whole and changes nothing', async () => {
  const before = await listWatchlists(ctx, { currentOnly: false });
  const bad = path.join(refDir, 'broken.xml');
  fs.writeFileSync(
    bad,
    '<?xml version="1.0"?><CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>',
  );
  await expect(importWatchlist(ctx, admin, 'un-sc', [bad])).rejects.toMatchObject({ code: 'INVALID' });
  expect(await listWatchlists(ctx, { currentOnly: false })).toEqual(before);
});

it('downloads configured sources from a server and imports them; a failing source leaves the rest in force', async () => {
  const body = fs.readFileSync(path.resolve('test/fixtures/lists/custos/demo-watchlist.csv'));
  const server = http.createServer((req, res) => {
    if (req.url === '/watchlist.csv') {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.end(body);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    const results = await updateWatchlists(ctx, admin, [
      { kind: 'custos-csv', urls: [`http://127.0.0.1:${port}/watchlist.csv`] },
      { kind: 'un-sc', urls: [`http://127.0.0.1:${port}/missing.xml`] },
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['imported', 'failed']);
    expect(results[1]!.message).toMatch(/404/);
  } finally {
    server.close();
  }
});
