import { describe, expect, it } from 'vitest';
import { expectRefusal } from '../../../test/fixtures/lists/refusal.ts';
import { fixturePath, latin1, readFixture, writeTemp } from '../../../test/fixtures/lists/temp-files.ts';
import { importCustosWatchlistCsv } from './custos-csv.importer.ts';
import { importFollowTheMoneyJsonLines } from './ftm-jsonl.importer.ts';

const importedAt = '2026-11-29T19:00:00Z';

describe('FollowTheMoney JSON lines importer', () => {
  it('imports target persons, companies and vessels; skips other schemata and non-targets', async () => {
    const r = await importFollowTheMoneyJsonLines(fixturePath('ftm', 'entities-small.ftm.jsonl'), {
      importedAt,
    });
    expect(r.provenance).toMatchObject({
      sourceKind: 'ftm-jsonl',
      publisher: 'OpenSanctions',
      publishedOn: '2026-02-20',
      counts: { entries: 3, aliases: 4, bySchema: { Person: 1, Company: 1, Vessel: 1 } },
    });
    expect(r.warnings).toEqual(['1 Sanction entities skipped', '1 non-target entities skipped']);
    expect(r.entries[0]).toEqual({
      sourceId: 'NK-example-person-1',
      schema: 'Person',
      name: 'Ivan Petrovich Testov',
      aliases: [
        { name: 'Иван Петрович Тестов', script: 'Cyrl' },
        { name: 'Ivan Testoff' },
        { name: 'The Tester', weak: true },
      ],
      countries: ['RU'],
      birthDates: ['1961-02-05', '1960'],
      identifiers: [
        { type: 'passport', value: '7101234' },
        { type: 'national_id', value: 'RU-123' },
      ],
      addresses: [{ full: '1 Example Street, Moscow' }],
      programs: ['EU-RUS'],
      listedOn: '2022-02-28',
      remarks: 'Synthetic test person.',
      sourceUrl: 'https://example.invalid/p1',
    });
    expect(r.entries[1]).toMatchObject({
      countries: ['IL', 'CY'],
      birthDates: ['2010-05'],
      aliases: [{ name: 'Example Interception Ltd' }],
    });
    expect(r.entries[2]).toMatchObject({
      schema: 'Vessel',
      identifiers: [{ type: 'imo', value: '9000001' }],
      countries: ['IR'],
    });
  });

  it('refuses truncated JSON, bad objects, missing names, duplicate ids and latin-1', async () => {
    const good = readFixture('ftm', 'entities-small.ftm.jsonl');
    const run = (text: string | Uint8Array) =>
      importFollowTheMoneyJsonLines(writeTemp('e.jsonl', text), { importedAt });
    await expectRefusal(
      run(good.slice(0, good.length - 20)),
      /e\.jsonl: line 5: not valid JSON .*the file may be truncated/,
    );
    await expectRefusal(run(`${good}[1,2]\n`), /line 6: not a JSON object/);
    await expectRefusal(run(`${good}{"schema":"Person","properties":{"name":["X"]}}\n`), /line 6: no "id"/);
    await expectRefusal(
      run(`${good}{"id":"x","schema":"Person","properties":{"name":[]}}\n`),
      /line 6: entity x has no name/,
    );
    await expectRefusal(
      run(`${good}{"id":"NK-example-vessel-1","schema":"Vessel","properties":{"name":["B"]}}\n`),
      /line 6: duplicate id NK-example-vessel-1 \(first at line 5\)/,
    );
    await expectRefusal(
      run(latin1('{"id":"x","schema":"Person","properties":{"name":["José"]}}\n')),
      /invalid UTF-8 at line 1/,
    );
  });
});

describe('Custos watch-list CSV importer', () => {
  it('reads metadata, multi-valued cells and address countries', async () => {
    const r = await importCustosWatchlistCsv(fixturePath('custos', 'demo-watchlist.csv'), { importedAt });
    expect(r.provenance).toMatchObject({
      sourceKind: 'custos-csv',
      listName: 'Custos demo watch-list (public facts)',
      publisher: 'Custos project',
      publishedOn: '2026-11-29',
      counts: { entries: 5, bySchema: { Company: 4, Person: 1 } },
    });
    expect(r.entries[0]).toMatchObject({
      sourceId: 'us-el-nso-group',
      name: 'NSO Group Technologies Ltd.',
      aliases: [{ name: 'NSO Group' }, { name: 'Q Cyber Technologies' }],
      countries: ['IL'],
      addresses: [{ full: 'Herzliya, Israel', country: 'IL' }],
      listedOn: '2021-11-04',
    });
    expect(r.entries[4]).toMatchObject({
      birthDates: ['1961-02-05', '1960'],
      identifiers: [
        { type: 'passport', value: '7101234', country: 'RU' },
        { type: 'national_id', value: 'RU-123' },
      ],
      aliases: [
        { name: 'Иван Петрович Тестов', script: 'Cyrl' },
        { name: 'The Tester', weak: true },
      ],
    });
    const renamed = await importCustosWatchlistCsv(fixturePath('custos', 'demo-watchlist.csv'), {
      importedAt,
      listName: 'DE denials',
      publisher: 'BAFA',
    });
    expect(renamed.provenance).toMatchObject({ listName: 'DE denials', publisher: 'BAFA' });
  });

  const header = 'id,schema,name,countries,birth_dates,identifiers,listed_on,source_url';
  const run = (body: string | Uint8Array) =>
    importCustosWatchlistCsv(writeTemp('w.csv', body), { importedAt });
  it.each([
    ['an unknown column', 'id,schema,name,colour\nx,Person,A,red\n', /line 1, column colour: unknown column/],
    ['a missing required column', 'id,name\nx,A\n', /column schema: required column missing/],
    ['an unknown schema', `${header}\nx,Human,A,,,,,\n`, /line 2, column schema: "Human" is not one of/],
    ['an empty name', `${header}\nx,Person,,,,,,\n`, /line 2, column name: required/],
    [
      'a country name instead of a code',
      `${header}\nx,Person,A,Germany,,,,\n`,
      /column countries: "Germany" is not an ISO 3166-1 alpha-2 code/,
    ],
    [
      'a non-ISO date',
      `${header}\nx,Person,A,,05/02/1961,,,\n`,
      /column birth_dates: "05\/02\/1961" is not YYYY/,
    ],
    [
      'a malformed identifier',
      `${header}\nx,Person,A,,,7101234,,\n`,
      /column identifiers: "7101234" is not type:value/,
    ],
    ['a bad listing date', `${header}\nx,Person,A,,,,2021-13-01,\n`, /column listed_on/],
    ['a bad URL', `${header}\nx,Person,A,,,,,ftp://x\n`, /column source_url/],
    [
      'a duplicate id',
      `${header}\nx,Person,A,,,,,\nx,Person,B,,,,,\n`,
      /line 3: duplicate id x \(first at line 2\)/,
    ],
    ['a short row', `${header}\nx,Person,A\n`, /line 2, column \*: 3 fields, the header has 8/],
    ['an open quote (truncation)', `${header}\nx,Person,"A,,,,,\n`, /malformed CSV at line 2/],
    ['unknown metadata', `# colour: red\n${header}\n`, /metadata lines/],
    ['no rows', `${header}\n`, /no entries/],
  ])('refuses %s', async (_case, body, message) => {
    await expectRefusal(run(body), message);
  });
  it('refuses latin-1', async () => {
    await expectRefusal(run(latin1(`${header}\nx,Person,José,,,,,\n`)), /invalid UTF-8 at line 2/);
  });
});
