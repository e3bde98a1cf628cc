import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WatchlistEntry } from '../../domain/watchlist.ts';
import { describeWithShared, sharedPath } from '../../../test/support/shared.ts';
import { findOfacSiblings, importOfacLegacyCsv } from './ofac-legacy.importer.ts';
import { diffWatchlists } from './watchlist-diff.ts';

const entry = (sourceId: string, extra: Partial<WatchlistEntry> = {}): WatchlistEntry => ({
  sourceId,
  schema: 'Person',
  name: `Name ${sourceId}`,
  aliases: [],
  countries: [],
  birthDates: [],
  identifiers: [],
  addresses: [],
  programs: [],
  ...extra,
});

describe('diffWatchlists', () => {
  it('finds added, removed and changed entries with the fields changed', () => {
    const a = entry('1', { countries: ['IR', 'IQ'] });
    const d = diffWatchlists(
      [a, entry('2'), entry('3')],
      [{ ...a, countries: ['IQ', 'IR'] }, { ...entry('2'), name: 'New', programs: ['X'] }, entry('4')],
    );
    expect(d.added.map((e) => e.sourceId)).toEqual(['4']);
    expect(d.removed.map((e) => e.sourceId)).toEqual(['3']);
    expect(d.changed.map((c) => [c.sourceId, c.fields])).toEqual([['2', ['name', 'programs']]]);
    expect(d.unchanged).toBe(1);
  });

  it('treats an alias becoming weak and a new remark as changes', () => {
    const p = entry('1', { aliases: [{ name: 'A' }] });
    const d = diffWatchlists([p], [{ ...p, aliases: [{ name: 'A', weak: true }], remarks: 'r' }]);
    expect(d.changed[0]!.fields).toEqual(['aliases', 'remarks']);
  });

  it('refuses duplicate ids on either side', () => {
    expect(() => diffWatchlists([entry('1'), entry('1')], [])).toThrow(/previous list holds id 1 twice/);
  });

  it('property: diff of a list with itself is empty; sizes add up', () => {
    const arbEntry = fc.record({ id: fc.integer({ min: 1, max: 40 }), name: fc.constantFrom('A', 'B', 'C') });
    fc.assert(
      fc.property(
        fc.uniqueArray(arbEntry, { selector: (e) => e.id }),
        fc.uniqueArray(arbEntry, { selector: (e) => e.id }),
        (xs, ys) => {
          const prev = xs.map((x) => entry(String(x.id), { name: x.name }));
          const next = ys.map((y) => entry(String(y.id), { name: y.name }));
          const self = diffWatchlists(prev, prev);
          expect(self.added.length + self.removed.length + self.changed.length).toBe(0);
          const d = diffWatchlists(prev, next);
          expect(d.added.length + d.changed.length + d.unchanged).toBe(next.length);
          expect(d.removed.length + d.changed.length + d.unchanged).toBe(prev.length);
        },
      ),
    );
  });
});

const OFAC = (f: string): string[] => ['data', 'sanctions', 'ofac', f];

describeWithShared(
  'diffWatchlists on the real OFAC SDN 2019-01 -> 2021-07 update',
  [OFAC('ofac_sdn_2019.csv'), OFAC('bench_ofac_sdn_2021.csv')],
  () => {
    it('counts the additions, removals and changes of two and a half years', async () => {
      const importedAt = '2026-11-29T19:00:00Z';
      const v2019 = await importOfacLegacyCsv(
        'ofac-sdn',
        findOfacSiblings('ofac-sdn', sharedPath(...OFAC('ofac_sdn_2019.csv'))),
        { importedAt },
      );
      const v2021 = await importOfacLegacyCsv(
        'ofac-sdn',
        findOfacSiblings('ofac-sdn', sharedPath(...OFAC('bench_ofac_sdn_2021.csv'))),
        { importedAt },
      );
      const d = diffWatchlists(v2019.entries, v2021.entries);
      expect(d.added.length - d.removed.length).toBe(8976 - 7379);
      expect(d.added.length + d.changed.length + d.unchanged).toBe(8976);
      expect(d.added.length).toBe(1858);
      expect(d.removed.length).toBe(261);
      expect(d.changed.length).toBe(843);
      // Al-Zawahiri (2676): the 2019 programs SDGT and SDT became SDGT alone
      const zawahiri = d.changed.find((c) => c.sourceId === '2676')!;
      expect(zawahiri.fields).toContain('programs');
      expect(zawahiri.previous.programs).toEqual(['SDGT', 'SDT']);
      expect(zawahiri.next.programs).toEqual(['SDGT']);
      expect(d.removed.find((e) => e.sourceId === '1544')!.name).toBe('NAVIERA MARITIMA DE AROSA, S.A.');
      expect(d.added.find((e) => e.sourceId === '18299')!.name).toBe('ROSNEFT TRADING S.A.');
      // Banco Nacional de Cuba (306) is the same in both
      expect(d.changed.some((c) => c.sourceId === '306') || d.added.some((e) => e.sourceId === '306')).toBe(
        false,
      );
    });
  },
);
