import { describe, expect, it } from 'vitest';
import type { WatchlistEntry } from '../../domain/watchlist.ts';
import { screenInBulk } from './bulk-screen.ts';

const entry = (
  sourceId: string,
  schema: WatchlistEntry['schema'],
  name: string,
  aliases: string[] = [],
): WatchlistEntry => ({
  sourceId,
  schema,
  name,
  aliases: aliases.map((a) => ({ name: a })),
  countries: [],
  birthDates: [],
  identifiers: [],
  addresses: [],
  programs: [],
});

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
    expect(r.indexBuildMs).toHaveLength(2);
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
});
