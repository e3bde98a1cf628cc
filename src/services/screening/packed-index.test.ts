import { describe, expect, it } from 'vitest';
import type { WatchlistEntry } from '../../domain/watchlist.ts';
import { buildScreeningIndex, screenName } from '../../engines/screening/index.ts';
import { packScreeningIndex, unpackScreeningIndex } from './packed-index.ts';

// synthetic entries written for this test
const entry = (sourceId: string, schema: WatchlistEntry['schema'], name: string, aliases: string[] = []) => ({
  sourceId,
  schema,
  name,
  aliases: aliases.map((a) => ({ name: a, ...(a.startsWith('~') && { weak: true }) })),
  countries: sourceId === 'P1' ? ['RU'] : [],
  birthDates: sourceId === 'P1' ? ['1961-02-18'] : [],
  identifiers: [],
  addresses: [],
  programs: [],
});
const entries: WatchlistEntry[] = [
  entry('P1', 'Person', 'Ivan Petrovich SIDOROV', ['Ivan Sidorov', '~Vanya']),
  entry('O1', 'Organization', 'Northwind Optics LLC', ['Northwind Optical', 'Нортвинд Оптикс']),
  entry('V1', 'Vessel', 'Sea Falcon 7'),
  entry('O2', 'Company', 'Global Trade Northwind GmbH'),
];
const listNames = ['List A', 'List A', 'List B', 'List C'];

describe('packScreeningIndex / unpackScreeningIndex', () => {
  it('gives back the same rows and postings, the numeric tables over one shared buffer', () => {
    const index = buildScreeningIndex(entries, listNames);
    const packed = packScreeningIndex(index);
    expect(packed.postingRows.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(packed.aliasWeak.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(packed.lists).toEqual(['List A', 'List B', 'List C']);
    // through a structured clone, as a worker receives it
    const unpacked = unpackScreeningIndex(structuredClone(packed));
    expect(unpacked.listNames).toEqual(index.listNames);
    expect(unpacked.entries).toEqual(index.entries);
    expect(Array.from(unpacked.aliasEntry)).toEqual(Array.from(index.aliasEntry));
    expect(Array.from(unpacked.aliasWeak)).toEqual(Array.from(index.aliasWeak));
    expect(unpacked.aliasName).toEqual(index.aliasName);
    expect(unpacked.aliasPrepared).toEqual(index.aliasPrepared);
    expect(Array.from(unpacked.aliasSame)).toEqual(Array.from(index.aliasSame));
    expect([...unpacked.postings.keys()]).toEqual([...index.postings.keys()]);
    for (const [key, rows] of index.postings)
      expect(Array.from(unpacked.postings.get(key)!)).toEqual(Array.from(rows));
  });

  it('screens exactly as the index it was packed from', () => {
    const index = buildScreeningIndex(entries, listNames);
    const unpacked = unpackScreeningIndex(structuredClone(packScreeningIndex(index)));
    const queries = [
      { name: 'Sidorov Ivan', country: 'RU', birthDate: '1961' },
      { name: 'Vanya' },
      { name: 'Northwind Optics' },
      { name: 'Sea Falcon 7', schema: 'Vessel' as const },
    ];
    let hits = 0;
    for (const q of queries) {
      const expected = screenName(index, q, { threshold: 0.3 });
      hits += expected.length;
      expect(screenName(unpacked, q, { threshold: 0.3 })).toEqual(expected);
    }
    expect(hits).toBeGreaterThanOrEqual(4);
  });
});
