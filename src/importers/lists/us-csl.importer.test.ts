import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeWithShared, sharedPath } from '../../../test/support/shared.ts';
import { expectRefusal } from '../../../test/fixtures/lists/refusal.ts';
import { fixturePath, latin1, readFixture, writeTemp } from '../../../test/fixtures/lists/temp-files.ts';
import { importUsConsolidatedScreeningListCsv, parseCslSource } from './us-csl.importer.ts';

const importedAt = '2026-11-29T19:00:00Z';

describe('US Consolidated Screening List importer (fixture)', () => {
  it('maps rows, keeping the same id apart under different lists', async () => {
    const r = await importUsConsolidatedScreeningListCsv(fixturePath('us-csl', 'csl-small.csv'), {
      importedAt,
    });
    expect(r.entries.map((e) => e.sourceId)).toEqual(['EL:e1a2b3', 'SDN:20001', 'SSI:20001']);
    const [el, sdn] = r.entries;
    expect(el).toMatchObject({
      schema: 'LegalEntity',
      aliases: [{ name: 'EST Ltd' }, { name: 'Example Surveillance' }],
      countries: ['IL', 'CY'],
      programs: ['Entity List (EL)'],
      listedOn: '2021-11-04',
    });
    expect(sdn).toMatchObject({
      schema: 'Person',
      birthDates: ['1961-02-05', '1960'],
      countries: ['RU'],
      programs: ['Specially Designated Nationals (SDN)', 'CYBER2', 'SDGT'],
      identifiers: [
        { type: 'passport', value: '7101234', country: 'RU' },
        { type: 'tax_id', value: '770000000001', country: 'RU' },
      ],
    });
  });

  it('names list sections', () => {
    expect(parseCslSource('Military End User (MEU) List - Bureau of Industry and Security')).toEqual({
      code: 'MEU',
      section: 'Military End User (MEU) List',
    });
  });

  it('refuses truncation, wrong width, latin-1, duplicates, missing columns and names', async () => {
    const good = readFixture('us-csl', 'csl-small.csv');
    const lines = good.split('\n');
    await expectRefusal(
      importUsConsolidatedScreeningListCsv(
        writeTemp('c.csv', good.slice(0, good.lastIndexOf('"Passport') + 5)),
        {
          importedAt,
        },
      ),
      /c\.csv: malformed CSV at line 3: Quote Not Closed/,
    );
    await expectRefusal(
      importUsConsolidatedScreeningListCsv(
        writeTemp('c.csv', `${lines[0]}\n"x","Entity List (EL) - BIS","A"\n`),
        { importedAt },
      ),
      /line 2: 3 fields, the header has 29/,
    );
    await expectRefusal(
      importUsConsolidatedScreeningListCsv(
        writeTemp('c.csv', latin1(good.replace('Example Surveillance Technologies', 'Exemple Sécurité'))),
        { importedAt },
      ),
      /invalid UTF-8 at line 2/,
    );
    await expectRefusal(
      importUsConsolidatedScreeningListCsv(writeTemp('c.csv', `${good}${lines[2]}\n`), { importedAt }),
      /line 5: duplicate id SDN:20001 \(first at line 3\)/,
    );
    await expectRefusal(
      importUsConsolidatedScreeningListCsv(writeTemp('c.csv', good.replace('_id,source,', '_id,origin,')), {
        importedAt,
      }),
      /header lacks column\(s\) source/,
    );
    await expectRefusal(
      importUsConsolidatedScreeningListCsv(
        writeTemp('c.csv', good.replace('"Example Surveillance Technologies Ltd."', '""')),
        { importedAt },
      ),
      /line 2: name is empty/,
    );
  });
});

const CSL = (f: string): string[] => ['data', 'sanctions', 'us-csl', f];

describeWithShared(
  'US CSL (real files)',
  [CSL('us_csl_full_2023-11.csv'), CSL('us_csl_sample_2019.csv'), CSL('us_csl_new_format_sample_2025.csv')],
  () => {
    it('loads the 2019 sample (no _id column): 115 entries', async () => {
      const r = await importUsConsolidatedScreeningListCsv(sharedPath(...CSL('us_csl_sample_2019.csv')), {
        importedAt,
      });
      expect(r.provenance.counts).toMatchObject({
        entries: 115,
        bySchema: { LegalEntity: 47, Organization: 46, Vessel: 2, Person: 20 },
      });
      const psa = r.entries.find((e) => e.name === '200G PSA HOLDINGS LLC')!;
      expect(psa).toMatchObject({ sourceId: 'SDN:20264', countries: ['US'] });
      expect(psa.identifiers).toEqual([{ type: 'tax_id', value: '80-0890696', country: 'US' }]);
    });

    it('loads the 2025 sample of the newer layout: 13 entries', async () => {
      const r = await importUsConsolidatedScreeningListCsv(
        sharedPath(...CSL('us_csl_new_format_sample_2025.csv')),
        { importedAt },
      );
      expect(r.provenance.counts.entries).toBe(13);
      expect(r.entries.find((e) => e.sourceId === 'PLC:9673')).toMatchObject({
        name: 'Mohammed ABU JHEISHEH',
        birthDates: ['1955'],
      });
    });

    it('refuses the 2023-11 extract as published: its last record is cut inside a quoted field', async () => {
      await expectRefusal(
        importUsConsolidatedScreeningListCsv(sharedPath(...CSL('us_csl_full_2023-11.csv')), { importedAt }),
        /us_csl_full_2023-11\.csv: malformed CSV at line 4233: Quote Not Closed/,
      );
    });

    it('loads the 2023-11 extract without its cut last record: 4,226 entries, repeated header skipped', async () => {
      const text = fs.readFileSync(sharedPath(...CSL('us_csl_full_2023-11.csv')), 'utf8');
      const complete = writeTemp('csl-complete.csv', text.slice(0, text.lastIndexOf('\n"11476"') + 1));
      const r = await importUsConsolidatedScreeningListCsv(complete, { importedAt });
      expect(r.provenance.counts).toEqual({
        entries: 4226,
        aliases: 6129,
        bySchema: { Organization: 1060, LegalEntity: 2039, Person: 1124, Vessel: 3 },
      });
      expect(r.warnings).toContain('csl-complete.csv:2: repeated header row skipped');
      const tel = r.entries.find((e) => e.sourceId === 'CMIC:30882')!;
      expect(tel.name).toBe('China Telecom Corporation Limited');
      expect(tel.identifiers).toEqual([{ type: 'registration', value: '9111000071093019X7', country: 'CN' }]);
      expect(r.entries.filter((e) => e.programs[0] === 'Entity List (EL)')).toHaveLength(919);
      expect(
        r.entries.some((e) => e.sourceId === 'SSI:17014') &&
          r.entries.some((e) => e.sourceId === 'NS-MBS-LIST:17014'),
      ).toBe(true);
    });
  },
);
