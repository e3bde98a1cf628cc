import { describe, expect, it } from 'vitest';
import { describeWithShared, sharedPath } from '../../../test/support/shared.ts';
import { expectRefusal } from '../../../test/fixtures/lists/refusal.ts';
import { fixturePath, latin1, readFixture, writeTemp } from '../../../test/fixtures/lists/temp-files.ts';
import { importBisDeniedPersonsList } from './bis-dpl.importer.ts';

const importedAt = '2026-11-29T19:00:00Z';

describe('BIS Denied Persons List importer (fixture)', () => {
  it('groups rows of one denial, ignores a Last_Update in the future for publishedOn', async () => {
    const r = await importBisDeniedPersonsList(fixturePath('bis', 'dpl-small.txt'), { importedAt });
    expect(r.provenance).toMatchObject({
      sourceKind: 'bis-dpl',
      publishedOn: '2020-01-20',
      counts: { entries: 2 },
    });
    const [john, llc] = r.entries;
    expect(john).toMatchObject({
      name: 'JOHN EXAMPLE',
      schema: 'LegalEntity',
      countries: ['US'],
      listedOn: '2020-01-15',
    });
    expect(john!.addresses).toHaveLength(2);
    expect(john!.sourceId).toMatch(/^dpl-[0-9a-f]{16}$/);
    expect(llc).toMatchObject({ schema: 'Organization', countries: ['AE'] });
  });

  it('refuses a wrong header, a wrong width, latin-1, a missing name and truncation', async () => {
    const good = readFixture('bis', 'dpl-small.txt');
    await expectRefusal(
      importBisDeniedPersonsList(writeTemp('d.txt', good.replace('"Name"', '"Nom"')), { importedAt }),
      /line 1: header is not the DPL layout/,
    );
    await expectRefusal(
      importBisDeniedPersonsList(writeTemp('d.txt', good.replace('\t"62701"', '')), { importedAt }),
      /d\.txt: line 2: 11 fields/,
    );
    await expectRefusal(
      importBisDeniedPersonsList(writeTemp('d.txt', latin1(good.replace('JOHN EXAMPLE', 'JOSÉ EXAMPLE'))), {
        importedAt,
      }),
      /invalid UTF-8 at line 2/,
    );
    await expectRefusal(
      importBisDeniedPersonsList(writeTemp('d.txt', good.replace('"EXAMPLE TRADING LLC"', '""')), {
        importedAt,
      }),
      /line 4: Name is empty/,
    );
    await expectRefusal(
      importBisDeniedPersonsList(writeTemp('d.txt', good.slice(0, good.length - 10)), { importedAt }),
      /malformed CSV at line 4/,
    );
  });
});

const BIS = (f: string): string[] => ['data', 'sanctions', 'bis', f];

describeWithShared(
  'BIS DPL (real files 2019, 2022)',
  [BIS('bis_dpl_2019.txt'), BIS('bench_bis_dpl_2022.txt')],
  () => {
    it('loads 2019: 546 rows as 432 denials', async () => {
      const r = await importBisDeniedPersonsList(sharedPath(...BIS('bis_dpl_2019.txt')), { importedAt });
      expect(r.provenance.counts).toEqual({
        entries: 432,
        aliases: 0,
        bySchema: { LegalEntity: 336, Organization: 96 },
      });
      expect(r.provenance.publishedOn).toBe('2019-06-12');
      expect(r.entries.reduce((n, e) => n + e.addresses.length, 0)).toBeGreaterThan(432);
    });
    it('loads 2022: 486 denials, real entries', async () => {
      const r = await importBisDeniedPersonsList(sharedPath(...BIS('bench_bis_dpl_2022.txt')), {
        importedAt,
      });
      expect(r.provenance.counts.entries).toBe(486);
      expect(r.provenance.publishedOn).toBe('2022-09-02');
      const villa = r.entries.find((e) => e.name === 'AARON ABRAHAM VILLA')!;
      expect(villa).toMatchObject({ listedOn: '2022-08-24', countries: [] });
      expect(villa.addresses[0]!.full).toBe('3415 RIVERA AVENUE, EL PASO, TX, 79905');
    });
  },
);
