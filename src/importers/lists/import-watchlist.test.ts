import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCountryCode } from '../../domain/codes.ts';
import { describeWithShared, sharedPath } from '../../../test/support/shared.ts';
import { expectRefusal } from '../../../test/fixtures/lists/refusal.ts';
import { fixturePath } from '../../../test/fixtures/lists/temp-files.ts';
import { importWatchlistFile } from './import-watchlist.ts';

const importedAt = '2026-11-29T19:00:00Z';

describe('importWatchlistFile', () => {
  it.each([
    ['un-sc', [fixturePath('un', 'un-small.xml')], 3],
    ['ofac-sdn', [fixturePath('ofac', 'sdn.csv')], 3],
    ['ofac-sdn', ['alt.csv', 'sdn.csv', 'add.csv'].map((f) => fixturePath('ofac', f)), 3],
    ['us-csl', [fixturePath('us-csl', 'csl-small.csv')], 3],
    ['bis-dpl', [fixturePath('bis', 'dpl-small.txt')], 2],
    ['eu-fsf', [fixturePath('eu', 'eu-small.xml')], 2],
    ['uk-fcdo', [fixturePath('uk', 'uk-small.xml')], 2],
    ['ftm-jsonl', [fixturePath('ftm', 'entities-small.ftm.jsonl')], 3],
    ['custos-csv', [fixturePath('custos', 'demo-watchlist.csv')], 5],
  ])('dispatches %s', async (kind, paths, entries) => {
    const r = await importWatchlistFile(kind, paths, { importedAt });
    expect(r.provenance.sourceKind).toBe(kind);
    expect(r.provenance.counts.entries).toBe(entries);
  });

  it('without the comments file, an explicit OFAC set has three files', async () => {
    const r = await importWatchlistFile(
      'ofac-sdn',
      ['alt.csv', 'sdn.csv', 'add.csv'].map((f) => fixturePath('ofac', f)),
      { importedAt },
    );
    expect(r.provenance.files).toEqual(['sdn.csv', 'add.csv', 'alt.csv']);
    expect(r.fileDigests).toHaveLength(3);
    expect(r.provenance.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses an unknown kind, no file, several files for a one-file kind, and the wrong format for a kind', async () => {
    await expectRefusal(
      importWatchlistFile('interpol', [fixturePath('un', 'un-small.xml')], { importedAt }),
      /Unknown list source kind "interpol"/,
    );
    await expectRefusal(importWatchlistFile('un-sc', [], { importedAt }), /No file given/);
    await expectRefusal(
      importWatchlistFile('un-sc', [fixturePath('un', 'un-small.xml'), fixturePath('eu', 'eu-small.xml')], {
        importedAt,
      }),
      /one file, got 2/,
    );
    await expectRefusal(
      importWatchlistFile('un-sc', fixturePath('eu', 'eu-small.xml'), { importedAt }),
      /root element <export>/,
    );
    await expectRefusal(
      importWatchlistFile('bis-dpl', fixturePath('us-csl', 'csl-small.csv'), { importedAt }),
      /csl-small\.csv: malformed CSV at line 2/,
    );
    await expectRefusal(
      importWatchlistFile('us-csl', fixturePath('custos', 'demo-watchlist.csv'), { importedAt }),
      /header lacks column/,
    );
    await expectRefusal(
      importWatchlistFile('ofac-sdn', fixturePath('us-csl', 'csl-small.csv'), { importedAt }),
      /not an OFAC sdn file name/,
    );
  });
});

const S = (...p: string[]): string[] => ['data', 'sanctions', ...p];
describeWithShared(
  'importWatchlistFile on every real list in ../shared',
  [S('un', 'un_consolidated_2026.xml')],
  () => {
    it.each([
      ['un-sc', S('un', 'un_consolidated_2026.xml'), 1003],
      ['ofac-sdn', S('ofac', 'bench_ofac_sdn_2021.csv'), 8976],
      ['ofac-nonsdn', S('ofac', 'ofac_nonsdn_cons_prim_2025.csv'), 442],
      ['bis-dpl', S('bis', 'bench_bis_dpl_2022.txt'), 486],
      ['us-csl', S('us-csl', 'us_csl_sample_2019.csv'), 115],
      ['eu-fsf', S('eu', 'eu_fsf_sample_GSmiguel.xml'), 5],
      ['uk-fcdo', S('uk', 'uk_fcdo_sanctions_list_sample_GSmiguel.xml'), 5],
    ])('%s loads %s', async (kind, parts, entries) => {
      const r = await importWatchlistFile(kind, sharedPath(...parts), { importedAt });
      expect(r.provenance.counts.entries).toBe(entries);
      expect(r.provenance.files[0]).toBe(path.basename(sharedPath(...parts)));
      // invariants of the shape, on every real entry
      for (const e of r.entries) {
        expect(e.name.trim(), e.sourceId).not.toBe('');
        expect(e.name).toBe(e.name.replace(/\s+/g, ' ').trim());
        const aliasNames = e.aliases.map((a) => a.name);
        expect(new Set(aliasNames).size, e.sourceId).toBe(aliasNames.length);
        expect(aliasNames, e.sourceId).not.toContain(e.name);
        for (const c of e.countries) expect(isCountryCode(c) || c === 'XK', `${e.sourceId} ${c}`).toBe(true);
        for (const a of e.addresses) if (a.country) expect(e.countries, e.sourceId).toContain(a.country);
        for (const d of e.birthDates)
          expect(d, e.sourceId).toMatch(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/);
        for (const i of e.identifiers) expect(i.value.trim(), e.sourceId).not.toBe('');
        if (e.listedOn) expect(e.listedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    });
  },
);
