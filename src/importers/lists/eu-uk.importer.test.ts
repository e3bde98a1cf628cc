import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeWithShared, sharedPath } from '../../../test/support/shared.ts';
import { expectRefusal } from '../../../test/fixtures/lists/refusal.ts';
import { fixturePath, latin1, readFixture, writeTemp } from '../../../test/fixtures/lists/temp-files.ts';
import { importEuFinancialSanctionsXml } from './eu-fsf.importer.ts';
import { importUkSanctionsListXml, toUkDate } from './uk-fcdo.importer.ts';

const importedAt = '2026-11-29T19:00:00Z';

describe('EU FSF XML importer (fixture)', () => {
  it('maps sanctionEntity elements', async () => {
    const r = await importEuFinancialSanctionsXml(fixturePath('eu', 'eu-small.xml'), { importedAt });
    expect(r.provenance).toMatchObject({
      sourceKind: 'eu-fsf',
      publishedOn: '2026-03-02',
      counts: { entries: 2 },
    });
    expect(r.entries[0]).toEqual({
      sourceId: '900001',
      schema: 'Person',
      name: 'Ivan Petrovich TESTOV',
      aliases: [
        { name: 'Ivan Testoff' },
        { name: 'Иван Петрович Тестов', script: 'Cyrl' },
        { name: 'The Tester', weak: true },
      ],
      countries: ['RU'],
      birthDates: ['1961-02-05', '1960'],
      identifiers: [{ type: 'passport', value: '7101234', country: 'RU' }],
      addresses: [{ full: '1 Example Street, 101000, Moscow, RUSSIA', city: 'Moscow', country: 'RU' }],
      programs: ['EU-RUS'],
      listedOn: '2022-02-28',
      remarks: 'EU reference EU.9.1. Synthetic test entry.',
    });
    expect(r.entries[1]).toMatchObject({
      schema: 'Organization',
      identifiers: [{ type: 'registration', value: '1027700000001' }],
    });
  });

  it('refuses duplicates, a missing logicalId or name, truncation, latin-1 and a foreign root', async () => {
    const good = readFixture('eu', 'eu-small.xml');
    const run = (text: string | Uint8Array) =>
      importEuFinancialSanctionsXml(writeTemp('eu.xml', text), { importedAt });
    await expectRefusal(
      run(good.replace('logicalId="900002"', 'logicalId="900001"')),
      /eu\.xml: sanctionEntity at line 18: duplicate id 900001 \(first at sanctionEntity at line 4\)/,
    );
    await expectRefusal(
      run(good.replace('logicalId="900002"', '')),
      /sanctionEntity at line 18 has no numeric logicalId/,
    );
    await expectRefusal(
      run(good.replace(/<nameAlias wholeName="Example[^>]*>/, '')),
      /logicalId 900002\) has no nameAlias/,
    );
    await expectRefusal(
      run(good.slice(0, good.indexOf('</sanctionEntity>'))),
      /eu\.xml: malformed XML at line \d+/,
    );
    await expectRefusal(
      run(
        latin1(
          good.replace('Synthetic test entry.', 'Entrée synthétique.').replace(/Иван Петрович Тестов/, 'x'),
        ),
      ),
      /invalid UTF-8 at line 16/,
    );
    await expectRefusal(run(readFixture('uk', 'uk-small.xml')), /root element <Designations>/);
  });
});

describe('UK Sanctions List XML importer (fixture)', () => {
  it('maps Designation elements, with placeholder DOB parts', async () => {
    const r = await importUkSanctionsListXml(fixturePath('uk', 'uk-small.xml'), { importedAt });
    expect(r.provenance).toMatchObject({
      sourceKind: 'uk-fcdo',
      publishedOn: '2026-03-03',
      counts: { entries: 2 },
    });
    expect(r.entries[0]).toMatchObject({
      sourceId: 'RUS9001',
      schema: 'Person',
      name: 'Ivan Petrovich TESTOV',
      aliases: [
        { name: 'THE TESTER', weak: true },
        { name: 'Иван Тестов', script: 'Cyrl' },
      ],
      birthDates: ['1960', '1961-02-05'],
      identifiers: [{ type: 'passport', value: '7101234' }],
      countries: ['RU'],
      listedOn: '2022-03-15',
    });
    expect(r.entries[1]).toMatchObject({
      schema: 'Organization',
      countries: ['CY'],
      addresses: [{ full: '1 Example Quay, Limassol, Cyprus', country: 'CY' }],
    });
    expect([toUkDate('dd/mm/1968'), toUkDate('dd/05/1968'), toUkDate('12/11/1967')]).toEqual([
      '1968',
      '1968-05',
      '1967-11-12',
    ]);
  });

  it('refuses a Designation without UniqueID or primary name, duplicates and truncation', async () => {
    const good = readFixture('uk', 'uk-small.xml');
    const run = (text: string) => importUkSanctionsListXml(writeTemp('uk.xml', text), { importedAt });
    await expectRefusal(
      run(good.replace('<UniqueID>RUS9002</UniqueID>', '')),
      /uk\.xml: Designation at line 21 has no UniqueID/,
    );
    await expectRefusal(
      run(good.replace('RUS9002', 'RUS9001')),
      /Designation at line 21: duplicate id RUS9001/,
    );
    await expectRefusal(
      run(good.replace('<NameType>Primary name</NameType>', '<NameType>Alias</NameType>')),
      /\(RUS9002\) has no primary name/,
    );
    await expectRefusal(run(good.slice(0, -30)), /uk\.xml: malformed XML/);
  });
});

const EU = (f: string): string[] => ['data', 'sanctions', 'eu', f];
const UK = (f: string): string[] => ['data', 'sanctions', 'uk', f];

describeWithShared(
  'EU FSF (real samples, export of 2026-08-05)',
  [EU('eu_fsf_sample_GSmiguel.xml'), EU('eu_fsf_sample_jaggeman.xml')],
  () => {
    it('loads the GSmiguel sample: 5 entities', async () => {
      const r = await importEuFinancialSanctionsXml(sharedPath(...EU('eu_fsf_sample_GSmiguel.xml')), {
        importedAt,
      });
      expect(r.provenance).toMatchObject({
        publishedOn: '2026-08-05',
        counts: { entries: 5, bySchema: { Person: 4, Organization: 1 } },
      });
      const ksm = r.entries.find((e) => e.sourceId === '191')!;
      expect(ksm).toMatchObject({
        name: 'Khalid Sheikh MOHAMMED',
        birthDates: ['1965-04-14', '1964-03-01'],
        programs: ['EU-TERR'],
      });
      expect(ksm.identifiers).toEqual([{ type: 'passport', value: '488555' }]);
      expect(r.entries.find((e) => e.sourceId === '6106')).toMatchObject({
        name: 'Abu Zayd Umar DORDA',
        countries: ['LY'],
      });
    });

    it('refuses the jaggeman sample: its synthetic entity 999999 has no name', async () => {
      await expectRefusal(
        importEuFinancialSanctionsXml(sharedPath(...EU('eu_fsf_sample_jaggeman.xml')), { importedAt }),
        /sanctionEntity at line 181 \(logicalId 999999\) has no nameAlias/,
      );
    });

    it('loads the four real entities of the jaggeman sample once the synthetic one is removed', async () => {
      const text = fs.readFileSync(sharedPath(...EU('eu_fsf_sample_jaggeman.xml')), 'utf8');
      const real = text.replace(/<sanctionEntity[^>]*logicalId="999999">[\s\S]*?<\/sanctionEntity>/, '');
      const r = await importEuFinancialSanctionsXml(writeTemp('eu-real.xml', real), { importedAt });
      expect(r.entries.map((e) => e.sourceId)).toEqual(['13', '191', '980', '330']);
      expect(r.entries[0]).toMatchObject({
        name: 'Saddam Hussein Al-Tikriti',
        birthDates: ['1937-04-28'],
        countries: ['IQ'],
      });
      expect(r.entries[2]!.addresses).toHaveLength(2);
    });
  },
);

describeWithShared(
  'UK Sanctions List (real samples, 2026-08/09)',
  [UK('uk_fcdo_sanctions_list_sample_GSmiguel.xml'), UK('uk_fcdo_sanctions_list_sample_jaggeman.xml')],
  () => {
    it('loads the GSmiguel sample: 5 designations', async () => {
      const r = await importUkSanctionsListXml(
        sharedPath(...UK('uk_fcdo_sanctions_list_sample_GSmiguel.xml')),
        { importedAt },
      );
      expect(r.provenance).toMatchObject({
        publishedOn: '2026-09-10',
        counts: { entries: 5, bySchema: { Organization: 2, Person: 2, Vessel: 1 } },
      });
      expect(r.entries.find((e) => e.sourceId === 'DPR0075')).toMatchObject({
        schema: 'Vessel',
        name: 'Petrel 8',
        identifiers: [{ type: 'imo', value: '9562233' }],
        countries: ['KM'],
      });
    });

    it('refuses the jaggeman sample: its synthetic Designation has no UniqueID (explicit rule)', async () => {
      await expectRefusal(
        importUkSanctionsListXml(sharedPath(...UK('uk_fcdo_sanctions_list_sample_jaggeman.xml')), {
          importedAt,
        }),
        /Designation at line 353 has no UniqueID/,
      );
    });

    it('loads its four real designations once the synthetic one is removed', async () => {
      const text = fs.readFileSync(sharedPath(...UK('uk_fcdo_sanctions_list_sample_jaggeman.xml')), 'utf8');
      const real = text.replace(/<!-- Synthetic edge case[\s\S]*?<\/Designation>/, '');
      const r = await importUkSanctionsListXml(writeTemp('uk-real.xml', real), { importedAt });
      expect(r.provenance.publishedOn).toBe('2026-08-14');
      expect(r.entries.map((e) => e.sourceId)).toEqual(['AFG0011', 'AQD0128', 'AQD0377', 'DPR0075']);
      const mansur = r.entries[0]!;
      expect(mansur).toMatchObject({ name: 'ABDUL LATIF MANSUR', birthDates: ['1968', '1967-11-12'] });
      expect(mansur.identifiers).toContainEqual({ type: 'passport', value: 'D0009720' });
      expect(mansur.aliases).toContainEqual({ name: 'عبد اللطيف منصور', script: 'Arab' });
      expect(r.entries[1]!.identifiers).toContainEqual({ type: 'national_id', value: '0075258' });
      expect(r.entries[3]!.aliases.map((a) => a.name)).toEqual(['Jal Vahini', 'Jal_Vahini', 'Tian Tai 36']);
    });
  },
);
