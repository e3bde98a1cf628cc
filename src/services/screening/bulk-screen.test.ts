import { describe, expect, it } from 'vitest';
import type { WatchlistEntry } from '../../domain/watchlist.ts';
import { type ScreeningQuery, buildScreeningIndex, screenName } from '../../engines/screening/index.ts';
import { importUnSecurityCouncilXml } from '../../importers/lists/un-sc.importer.ts';
import { describeWithShared, sharedPath } from '../../../test/support/shared.ts';
import { screenInBulk } from './bulk-screen.ts';
import { watchlistEntry } from '../../../test/factories/watchlist.ts';

const UN_XML = ['data', 'sanctions', 'un', 'un_consolidated_2026.xml'];

const entry = (sourceId: string, schema: WatchlistEntry['schema'], name: string, aliases: string[] = []) =>
  watchlistEntry(sourceId, schema, name, { aliases: aliases.map((a) => ({ name: a })) });

// synthetic entries written for this test
const lists = [
  {
    listName: 'Test list A',
    entries: [
      entry('A1', 'Person', 'Ivan Petrovich SIDOROV'),
      entry('A2', 'Organization', 'Northwind Optics LLC', ['Northwind Optical']),
    ],
  },
  { listName: 'Test list B', entries: [entry('B1', 'Vessel', 'Sea Falcon 7')] },
];
const queries = [
  { name: 'Sidorov, Ivan' },
  { name: 'Northwind Optics GmbH & Co' },
  { name: 'Sea Falcon 8' },
  { name: '' },
  { name: 'Completely Unrelated Bakery' },
];

describe('screenInBulk', () => {
  it('screens on worker threads in order, reports progress, and refuses bad rows one by one', async () => {
    const progress: number[] = [];
    const r = await screenInBulk({
      lists,
      queries: [...queries, ...queries],
      workers: 2,
      batchSize: 3,
      onProgress: (done) => progress.push(done),
    });
    expect(r.workers).toBe(2);
    expect(r.indexBuildMs).toHaveLength(1); // built once, by the first worker, and shared
    expect(r.indexReadyMs).toHaveLength(2);
    expect(r.rows.map((x) => x.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(r.rows[0]!.hits[0]).toMatchObject({ listName: 'Test list A', sourceId: 'A1' });
    expect(r.rows[1]!.hits[0]?.sourceId).toBe('A2');
    expect(r.rows[2]!.hits).toEqual([]); // 8 is not 7
    expect(r.rows[3]!.error).toMatch(/empty/);
    expect(r.rows[4]!.hits).toEqual([]);
    expect(progress.at(-1)).toBe(10);
  });

  it('gives the same rows on the calling thread', async () => {
    const threaded = await screenInBulk({ lists, queries, workers: 2, batchSize: 2 });
    const inline = await screenInBulk({ lists, queries, workers: 0 });
    expect(inline.rows).toEqual(threaded.rows);
  });

  it('builds no index when the caller gives one, and screens the same', async () => {
    const index = buildScreeningIndex(
      lists.flatMap((l) => l.entries),
      lists.flatMap((l) => l.entries.map(() => l.listName)),
    );
    const given = await screenInBulk({ lists, index, queries, workers: 3, batchSize: 1 });
    const built = await screenInBulk({ lists, queries, workers: 0 });
    expect(given.indexBuildMs).toEqual([]);
    expect(given.indexReadyMs).toHaveLength(3);
    expect(given.rows).toEqual(built.rows);
  });
});

describeWithShared('screenInBulk on a real list', [UN_XML], () => {
  it('gives, row for row, what screening each name alone gives (the shared index is not corrupted)', async () => {
    const un = await importUnSecurityCouncilXml(sharedPath(...UN_XML), {
      importedAt: '2026-01-01T00:00:00Z',
    });
    const unLists = [{ listName: 'UN', entries: un.entries }];
    // every 5th listed name with a letter dropped, half with the entry's country or birth date as evidence,
    // and names no list holds
    const sample: ScreeningQuery[] = un.entries
      .filter((_, i) => i % 5 === 0)
      .map((e, i) => ({
        name: e.name.length > 6 ? e.name.slice(0, 3) + e.name.slice(4) : e.name,
        ...(i % 2 === 0 && e.countries[0] && { country: e.countries[0] }),
        ...(i % 4 === 1 && e.birthDates[0] && { birthDate: e.birthDates[0] }),
      }));
    sample.push({ name: 'Completely Unrelated Bakery' }, { name: 'Maria Schmidt' }, { name: '' });
    const options = { threshold: 0.5, limit: 5 };
    const index = buildScreeningIndex(
      un.entries,
      un.entries.map(() => 'UN'),
    );
    const sequential = sample.map((q, i) => {
      try {
        return { index: i, hits: screenName(index, q, options) };
      } catch (error) {
        return { index: i, hits: [], error: (error as Error).message };
      }
    });
    const bulk = await screenInBulk({ lists: unLists, queries: sample, options, workers: 2, batchSize: 17 });
    expect(sequential.filter((r) => r.hits.length > 0).length).toBeGreaterThan(sample.length * 0.8);
    expect(bulk.rows).toEqual(sequential);
  }, 60_000);
});
