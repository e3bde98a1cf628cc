import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors.ts';
import type { WatchlistEntry } from '../../domain/watchlist.ts';
import { buildScreeningIndex, findCandidates, screenName } from './screening-index.ts';
import { prepareName } from './name-normaliser.ts';
import { watchlistEntry } from '../../../test/factories/watchlist.ts';

// synthetic entries written for these tests
const e = watchlistEntry;
const entries: WatchlistEntry[] = [
  e('1', 'Person', 'PETROV, Ivan Sergeevich', {
    aliases: [{ name: 'Иван Петров' }, { name: 'Ivan Petroff', weak: true }],
    countries: ['RU'],
    birthDates: ['1961-03-02'],
    identifiers: [{ type: 'passport', value: '45 123 456' }],
  }),
  e('2', 'Person', 'Ivan Sidorov', { birthDates: ['1980'] }),
  e('3', 'Organization', 'Northwind Optics LLC', { countries: ['CY'] }),
  e('4', 'Organization', 'Unit 8200'),
  e('5', 'Vessel', 'Sea Falcon 7'),
  ...Array.from({ length: 200 }, (_, i) => e(`f${i}`, 'Company', `Filler Trading Company Number ${i} Ltd`)),
];
const index = buildScreeningIndex(entries, 'Test list');

describe('buildScreeningIndex / screenName', () => {
  it('indexes every distinct name and alias', () => {
    expect(index.aliasName.filter((_, i) => index.aliasEntry[i] === 0)).toEqual([
      'PETROV, Ivan Sergeevich',
      'Иван Петров',
      'Ivan Petroff',
    ]);
  });

  it('finds an entry by a transliterated alias, with the list, alias and an explanation', () => {
    const [hit] = screenName(index, { name: 'Ivan Petrov', schema: 'Person' }, { threshold: 0.7 });
    expect(hit).toMatchObject({ listName: 'Test list', sourceId: '1', entryName: 'PETROV, Ivan Sergeevich' });
    expect(hit!.explanation.name.pairs.length).toBeGreaterThan(0);
    expect(hit!.score01).toBeGreaterThan(0.7);
  });

  it('weighs evidence: birth year against, identifier for', () => {
    const base = screenName(index, { name: 'Ivan Petrov' }, { threshold: 0 })[0]!;
    const otherYear = screenName(
      index,
      { name: 'Ivan Petrov', birthDate: '1990-01-01' },
      { threshold: 0 },
    )[0]!;
    const byId = screenName(
      index,
      { name: 'I. Petrov', identifiers: [{ type: 'passport', value: '45123456' }] },
      { threshold: 0 },
    )[0]!;
    expect(otherYear.score01).toBeLessThan(base.score01);
    expect(otherYear.explanation.evidence.map((x) => x.feature)).toContain('birth-year-mismatch');
    expect(byId.explanation.evidence.map((x) => x.feature)).toContain('identifier-match');
  });

  it('keeps numbers that must agree', () => {
    expect(screenName(index, { name: 'Unit 8300' }).map((h) => h.sourceId)).not.toContain('4');
    expect(screenName(index, { name: 'Unit 8200' })[0]?.sourceId).toBe('4');
  });

  it('asks the scorer only about candidates from the index, never the whole list', () => {
    const rows = findCandidates(index, prepareName('Northwind Optical GmbH'), 64);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(10);
    expect(index.aliasEntry[rows[0]!]).toBe(2);
    expect(findCandidates(index, prepareName('Zyxwv Qqq'), 64)).toEqual([]);
  });

  it('scores a name listed on several entries once, and reports each entry with its own evidence', () => {
    const twice = buildScreeningIndex(
      [
        e('A7', 'Person', 'Olga Smirnova', { countries: ['RU'] }),
        e('B9', 'Person', 'Olga Smirnova', { countries: ['BY'] }),
        e('C1', 'Organization', 'Olga Smirnova'),
      ],
      ['List A', 'List B', 'List C'],
    );
    expect(Array.from(twice.aliasSame)).toEqual([0, 0, 2]); // another schema is prepared otherwise
    const hits = screenName(twice, { name: 'Olga Smirnova', country: 'BY' }, { threshold: 0 });
    const a = hits.find((h) => h.sourceId === 'A7')!;
    const b = hits.find((h) => h.sourceId === 'B9')!;
    expect(a.explanation.name).toEqual(b.explanation.name);
    expect(a.listName).toBe('List A');
    expect(b.explanation.evidence.map((x) => x.feature)).toContain('country-match');
    expect(a.explanation.evidence.map((x) => x.feature)).toContain('country-mismatch');
    expect(b.score01).toBeGreaterThan(a.score01);
  });

  it('refuses an empty or over-long name', () => {
    expect(() => screenName(index, { name: '  ' })).toThrow(DomainError);
    expect(() => screenName(index, { name: 'x'.repeat(1025) })).toThrow(/longer than 1024/);
  });

  it('refuses list names that do not line up with the entries', () => {
    expect(() => buildScreeningIndex(entries, ['a'])).toThrow(DomainError);
  });
});
