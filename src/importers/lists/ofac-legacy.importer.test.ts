import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeWithShared, sharedPath } from '../../../test/support/shared.ts';
import { expectRefusal } from '../../../test/fixtures/lists/refusal.ts';
import { fixturePath, latin1, writeTempDir } from '../../../test/fixtures/lists/temp-files.ts';
import { classifyOfacPaths, findOfacSiblings, importOfacLegacyCsv } from './ofac-legacy.importer.ts';
import { extractOfacRemarkFacts } from './ofac-remarks.ts';

const importedAt = '2026-11-29T19:00:00Z';
const fixtureFiles = (): Record<string, Buffer> =>
  Object.fromEntries(
    ['sdn.csv', 'add.csv', 'alt.csv', 'sdn_comments.csv'].map((f) => [
      f,
      fs.readFileSync(fixturePath('ofac', f)),
    ]),
  );

describe('OFAC legacy CSV importer (fixture)', () => {
  it('joins sdn, add, alt and comments, reading facts from the remarks', async () => {
    const r = await importOfacLegacyCsv(
      'ofac-sdn',
      findOfacSiblings('ofac-sdn', fixturePath('ofac', 'sdn.csv')),
      { importedAt },
    );
    expect(r.provenance).toMatchObject({
      sourceKind: 'ofac-sdn',
      listName: 'OFAC SDN',
      publishedOn: null,
      files: ['sdn.csv', 'add.csv', 'alt.csv', 'sdn_comments.csv'],
      counts: { entries: 3, aliases: 4, bySchema: { Organization: 1, Person: 1, Vessel: 1 } },
    });
    const [company, person, vessel] = r.entries;
    expect(company).toMatchObject({
      sourceId: '10001',
      schema: 'Organization',
      name: 'EXAMPLE SHIPPING CO., LTD.',
      aliases: [{ name: 'EXAMPLE SHIPPING COMPANY' }, { name: 'ESC', weak: true }],
      countries: ['IR', 'AE'],
      identifiers: [{ type: 'registration', value: '12345', country: 'IR' }],
      programs: ['SDGT', 'IRGC'],
    });
    expect(company!.addresses).toEqual([
      { full: '1 Example Road, Tehran, Iran', city: 'Tehran', country: 'IR' },
      { full: 'Dubai, United Arab Emirates', city: 'Dubai', country: 'AE' },
    ]);
    expect(person).toMatchObject({
      schema: 'Person',
      aliases: [{ name: 'TESTOV, Ivan' }, { name: 'ТЕСТОВ, Иван', script: 'Cyrl' }],
      birthDates: ['1961-02-05', '1960'],
      countries: ['RU'],
      identifiers: [{ type: 'passport', value: '7101234', country: 'RU' }],
    });
    expect(person!.remarks).toMatch(
      /Linked To: EXAMPLE SHIPPING CO\., LTD\.; Website www\.example\.invalid$/,
    );
    expect(vessel).toMatchObject({
      schema: 'Vessel',
      countries: ['IR'],
      identifiers: [
        { type: 'call_sign', value: '9BXX1' },
        { type: 'imo', value: '9000001' },
        { type: 'mmsi', value: '422000001' },
      ],
    });
  });

  it('finds siblings by OFAC naming and classifies explicit paths', () => {
    const dir = writeTempDir({ 'x_sdn_2020.csv': '', 'x_add_2020.csv': '', 'x_alt_2020.csv': '' });
    expect(findOfacSiblings('ofac-sdn', path.join(dir, 'x_sdn_2020.csv'))).toEqual({
      primary: path.join(dir, 'x_sdn_2020.csv'),
      addresses: path.join(dir, 'x_add_2020.csv'),
      aliases: path.join(dir, 'x_alt_2020.csv'),
    });
    const cons = writeTempDir({
      'cons_prim.csv': '',
      'cons_add.csv': '',
      'cons_alt.csv': '',
      'cons_comments.csv': '',
    });
    expect(classifyOfacPaths('ofac-nonsdn', [path.join(cons, 'cons_prim.csv')]).comments).toBe(
      path.join(cons, 'cons_comments.csv'),
    );
    expect(
      classifyOfacPaths(
        'ofac-nonsdn',
        ['cons_alt.csv', 'cons_prim.csv', 'cons_add.csv'].map((f) => path.join(cons, f)),
      ),
    ).toMatchObject({ primary: path.join(cons, 'cons_prim.csv') });
    const upper = writeTempDir({ 'SDN.CSV': '', 'ADD.CSV': '', 'ALT.CSV': '', 'SDN_COMMENTS.CSV': '' });
    expect(findOfacSiblings('ofac-sdn', path.join(upper, 'SDN.CSV'))).toEqual({
      primary: path.join(upper, 'SDN.CSV'),
      addresses: path.join(upper, 'ADD.CSV'),
      aliases: path.join(upper, 'ALT.CSV'),
      comments: path.join(upper, 'SDN_COMMENTS.CSV'),
    });
    expect(() => findOfacSiblings('ofac-sdn', path.join(dir, 'x_add_2020.csv'))).toThrow(
      /not an OFAC sdn file name/,
    );
    const lonely = writeTempDir({ 'sdn.csv': '' });
    expect(() => findOfacSiblings('ofac-sdn', path.join(lonely, 'sdn.csv'))).toThrow(
      /address file add\.csv was not found/,
    );
  });
});

describe('OFAC legacy CSV importer refuses bad input', () => {
  const run = (changes: Record<string, string | Uint8Array>) => {
    const dir = writeTempDir({ ...fixtureFiles(), ...changes });
    return importOfacLegacyCsv('ofac-sdn', findOfacSiblings('ofac-sdn', path.join(dir, 'sdn.csv')), {
      importedAt,
    });
  };
  const sdn = fs.readFileSync(fixturePath('ofac', 'sdn.csv'), 'utf8');

  it('a truncated file (quote left open)', async () => {
    await expectRefusal(
      run({ 'sdn.csv': sdn.slice(0, sdn.indexOf('Gender')) }),
      /sdn\.csv: malformed CSV at line 2/,
    );
  });
  it('a missing field (11 instead of 12)', async () => {
    await expectRefusal(
      run({ 'sdn.csv': sdn.replace('"CYBER2",-0- ,', '"CYBER2",') }),
      /sdn\.csv: line 2: 11 fields/,
    );
  });
  it('latin-1 bytes', async () => {
    await expectRefusal(
      run({ 'alt.csv': latin1('10002,604,"aka","MÜLLER, Jörg",-0- \r\n') }),
      /alt\.csv: invalid UTF-8 at line 1/,
    );
  });
  it('a duplicate ent_num, naming both lines', async () => {
    await expectRefusal(
      run({ 'sdn.csv': sdn.replace('10003,', '10001,') }),
      /sdn\.csv: line 3: duplicate id 10001 \(first at line 1\)/,
    );
  });
  it('a duplicate alias number', async () => {
    await expectRefusal(
      run({ 'alt.csv': '10001,601,"aka","A",-0- \r\n10002,601,"aka","B",-0- \r\n' }),
      /alt\.csv: line 2: duplicate alias number 601/,
    );
  });
  it('a header row or a missing name', async () => {
    await expectRefusal(
      run({
        'sdn.csv': `ent_num,SDN_Name,SDN_Type,Program,Title,Call_Sign,Vess_type,Tonnage,GRT,Vess_flag,Vess_owner,Remarks\r\n${sdn}`,
      }),
      /line 1: ent_num "ent_num" is not a number/,
    );
    await expectRefusal(
      run({ 'sdn.csv': sdn.replace('"TESTOV, Ivan Petrovich"', '-0- ') }),
      /line 2: ent_num 10002 has no name/,
    );
  });
});

const OFAC = (f: string): string[] => ['data', 'sanctions', 'ofac', f];

describeWithShared(
  'OFAC SDN legacy CSV (real files 2019-01, 2021-07)',
  [OFAC('ofac_sdn_2019.csv'), OFAC('bench_ofac_sdn_2021.csv')],
  () => {
    it('loads the 2019 trio: 7,379 entries', async () => {
      const r = await importOfacLegacyCsv(
        'ofac-sdn',
        findOfacSiblings('ofac-sdn', sharedPath(...OFAC('ofac_sdn_2019.csv'))),
        { importedAt },
      );
      expect(r.provenance.files).toEqual(['ofac_sdn_2019.csv', 'ofac_add_2019.csv', 'ofac_alt_2019.csv']);
      expect(r.provenance.counts).toEqual({
        entries: 7379,
        aliases: 11712,
        bySchema: { Organization: 2994, Person: 3845, Vessel: 323, Aircraft: 217 },
      });
    });

    it('loads the 2021 set with comments: 8,976 entries, real facts extracted', async () => {
      const r = await importOfacLegacyCsv(
        'ofac-sdn',
        findOfacSiblings('ofac-sdn', sharedPath(...OFAC('bench_ofac_sdn_2021.csv'))),
        { importedAt },
      );
      expect(r.provenance.counts.entries).toBe(8976);
      expect(r.provenance.counts.bySchema).toEqual({
        Organization: 3673,
        Person: 4620,
        Vessel: 406,
        Aircraft: 277,
      });
      expect(r.provenance.files).toContain('bench_ofac_sdn_comments_2021.csv');
      const bnc = r.entries.find((e) => e.sourceId === '306')!;
      expect(bnc.name).toBe('BANCO NACIONAL DE CUBA');
      expect(bnc.aliases).toEqual([{ name: 'NATIONAL BANK OF CUBA' }, { name: 'BNC', weak: true }]);
      expect(bnc.countries).toEqual(['CH', 'ES', 'JP', 'PA']);
      const zawahiri = r.entries.find((e) => e.sourceId === '2676')!;
      expect(zawahiri).toMatchObject({ schema: 'Person', birthDates: ['1951-06-19'], countries: ['EG'] });
      expect(zawahiri.identifiers).toContainEqual({ type: 'passport', value: '1084010', country: 'EG' });
      // the comments file continues remarks cut at OFAC's field limit
      const lazarus = r.entries.find((e) => e.sourceId === '28263')!;
      expect(lazarus.remarks).toMatch(/Linked To: LAZARUS GROUP\.$/);
      expect(r.entries.filter((e) => e.birthDates.length > 0).length).toBeGreaterThan(4000);
    });
  },
);

describeWithShared(
  'OFAC non-SDN consolidated (real files 2025-12)',
  [OFAC('ofac_nonsdn_cons_prim_2025.csv')],
  () => {
    it('loads 442 entries from cons_prim/add/alt/comments', async () => {
      const r = await importOfacLegacyCsv(
        'ofac-nonsdn',
        findOfacSiblings('ofac-nonsdn', sharedPath(...OFAC('ofac_nonsdn_cons_prim_2025.csv'))),
        { importedAt },
      );
      expect(r.provenance.counts.entries).toBe(442);
      expect(r.provenance.counts.bySchema).toEqual({ Person: 79, Organization: 363 });
      expect(r.provenance.files).toHaveLength(4);
      const martelly = r.entries.find((e) => e.sourceId === '50476')!;
      expect(martelly.name).toBe('MARTELLY, Michel Joseph');
      expect(martelly.aliases).toContainEqual({ name: 'Sweet Micky', weak: true });
      expect(martelly.identifiers).toContainEqual({
        type: 'national_id',
        value: '0032768386',
        country: 'HT',
      });
      const haniya = r.entries.find((e) => e.sourceId === '9639')!;
      expect(haniya).toMatchObject({ birthDates: ['1962'], programs: ['NS-PLC'], countries: [] });
      // "Palestinian" in cons_add.csv is OFAC's spelling of the territory
      expect(r.entries.find((e) => e.sourceId === '9641')!.countries).toEqual(['PS']);
    });
  },
);

describeWithShared(
  'OFAC 2025-02 address and alias files (no primary file of their own)',
  [OFAC('pkgofac_alt.csv'), OFAC('bench_ofac_sdn_2021.csv')],
  () => {
    it('parse completely; rows of parties listed after 2021 are counted, not attached', async () => {
      const r = await importOfacLegacyCsv(
        'ofac-sdn',
        {
          primary: sharedPath(...OFAC('bench_ofac_sdn_2021.csv')),
          addresses: sharedPath(...OFAC('pkgofac_add.csv')),
          aliases: sharedPath(...OFAC('pkgofac_alt.csv')),
          comments: sharedPath(...OFAC('pkgofac_sdn_comments.csv')),
        },
        { importedAt },
      );
      expect(r.provenance.counts.entries).toBe(8976);
      // e.g. INTELLEXA ANONYMI ETAIREIA (ent_num 48059, designated 2024) is among the orphan alias rows
      expect(r.warnings).toContain(
        'pkgofac_alt.csv: 7959 rows refer to an ent_num that is not in bench_ofac_sdn_2021.csv (first at line 1849)',
      );
      expect(r.warnings).toContain(
        'pkgofac_add.csv: 10524 rows refer to an ent_num that is not in bench_ofac_sdn_2021.csv (first at line 1702)',
      );
      expect(r.entries.some((e) => e.aliases.some((a) => a.name === 'INTELLEXA ANONYMI ETAIREIA'))).toBe(
        false,
      );
    });
  },
);

describe('OFAC remarks facts', () => {
  it.each([
    ['R.F.C. # PMA-910805 (Mexico)', { type: 'tax_id', value: 'PMA-910805', country: 'MX' }],
    ['Passport OR801168 and Kuwaiti National ID No. 281020505755', { type: 'passport', value: 'OR801168' }],
    [
      'Passport 0123 (Iran) issued 01 Jan 2000 expires 01 Jan 2010',
      { type: 'passport', value: '0123', country: 'IR' },
    ],
    ['National ID No. 12-34 (Venezuela)', { type: 'national_id', value: '12-34', country: 'VE' }],
    ['Vessel Registration Identification IMO 9187629', { type: 'imo', value: '9187629' }],
  ])('%s', (remark, identifier) => {
    expect(extractOfacRemarkFacts(remark).identifiers).toEqual([identifier]);
  });

  it('skips a passport segment without a number, reads dates, countries and weak aliases', () => {
    const f = extractOfacRemarkFacts(
      "Passport issued in Sarajevo; DOB 05 Feb 1961; alt. DOB circa 1960; DOB 1958 to 1960; POB Tehran, Iran; nationality Korea, North; a.k.a. 'NU'MAN'.",
    );
    expect(f).toEqual({
      identifiers: [],
      birthDates: ['1961-02-05', '1960', '1958', '1959'],
      countries: ['IR', 'KP'],
      weakAliases: ["NU'MAN"],
      unknownCountries: [],
    });
  });
});
