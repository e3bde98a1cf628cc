import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors.ts';
import { describeWithShared, sharedPath } from '../../../test/support/shared.ts';
import { fixturePath, latin1, readFixture, writeTemp } from '../../../test/fixtures/lists/temp-files.ts';
import { importUnSecurityCouncilXml } from './un-sc.importer.ts';

const importedAt = '2026-11-29T19:00:00Z';
const UN = ['data', 'sanctions', 'un', 'un_consolidated_2026.xml'];

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DomainError);
  expect((e as DomainError).code).toBe('INVALID');
  return e as DomainError;
}

describe('UN Security Council XML importer (fixture)', () => {
  it('maps individuals and entities with aliases, dates, documents and countries', async () => {
    const r = await importUnSecurityCouncilXml(fixturePath('un', 'un-small.xml'), { importedAt });
    expect(r.provenance).toMatchObject({
      sourceKind: 'un-sc',
      publishedOn: '2026-03-01',
      importedAt,
      files: ['un-small.xml'],
      counts: { entries: 3, bySchema: { Person: 2, Organization: 1 } },
    });
    const ivan = r.entries.find((e) => e.sourceId === '100001')!;
    expect(ivan.name).toBe('IVAN PETROVICH EXAMPLOV');
    expect(ivan.aliases).toEqual([
      { name: 'Иван Петрович Экзамплов', script: 'Cyrl' },
      { name: 'Ivan Examplov' },
      { name: 'The Teacher', weak: true },
    ]);
    expect(ivan.countries).toEqual(['KP', 'RU', 'IR']);
    expect(ivan.birthDates).toEqual(['1970-05-04', '1971', '1972']);
    expect(ivan.identifiers).toEqual([{ type: 'passport', value: 'P1234567', country: 'RU' }]);
    expect(ivan.addresses).toEqual([
      {
        full: "1 Example Street, Pyongyang, Democratic People's Republic of Korea",
        city: 'Pyongyang',
        country: 'KP',
      },
    ]);
    expect(ivan.programs).toEqual(['DPRK']);
    expect(ivan.listedOn).toBe('2017-06-02');
    expect(ivan.remarks).toBe('UN reference KPi.900. Synthetic test person.');
    const maria = r.entries.find((e) => e.sourceId === '100002')!;
    expect(maria.aliases).toEqual([]);
    expect(maria.birthDates).toEqual(['1965']);
    const etc = r.entries.find((e) => e.sourceId === '200001')!;
    expect(etc.schema).toBe('Organization');
    expect(etc.aliases.map((a) => a.name)).toEqual([
      'EXAMPLE TRADING COMPANY (ETC)',
      'SAMPLE EXPORT LIMITED',
      'ETC Ltd',
    ]);
    expect(etc.countries).toEqual(['HK']);
  });

  it('checksum is the SHA-256 of the file bytes', async () => {
    const r = await importUnSecurityCouncilXml(fixturePath('un', 'un-small.xml'), { importedAt });
    const expected = createHash('sha256')
      .update(fs.readFileSync(fixturePath('un', 'un-small.xml')))
      .digest('hex');
    expect(r.provenance.checksum).toBe(expected);
    expect(r.fileDigests[0]!.bytes).toBe(fs.statSync(fixturePath('un', 'un-small.xml')).size);
  });
});

describe('UN Security Council XML importer refuses bad input, naming line or element', () => {
  const good = readFixture('un', 'un-small.xml');

  it('refuses a truncated file', async () => {
    const file = writeTemp('un.xml', good.slice(0, Math.floor(good.length * 0.6)));
    const e = await refusal(importUnSecurityCouncilXml(file, { importedAt }));
    expect(e.message).toMatch(/un\.xml: malformed XML at line \d+/);
  });

  it('refuses mismatched tags with the line', async () => {
    const file = writeTemp(
      'un.xml',
      good.replace('<SECOND_NAME>TESTOVA</SECOND_NAME>', '<SECOND_NAME>TESTOVA</SECOND>'),
    );
    const e = await refusal(importUnSecurityCouncilXml(file, { importedAt }));
    expect(e.message).toMatch(/line 28/);
  });

  it('refuses latin-1 bytes with the line', async () => {
    const file = writeTemp(
      'un.xml',
      latin1(good.replace('Synthetic test person.', 'Synthétique.').replace(/Иван Петрович Экзамплов/, 'x')),
    );
    const e = await refusal(importUnSecurityCouncilXml(file, { importedAt }));
    expect(e.message).toMatch(/invalid UTF-8 at line 15/);
  });

  it('refuses a duplicate DATAID naming both elements', async () => {
    const file = writeTemp('un.xml', good.replace('<DATAID>100002</DATAID>', '<DATAID>100001</DATAID>'));
    const e = await refusal(importUnSecurityCouncilXml(file, { importedAt }));
    expect(e.message).toMatch(
      /un\.xml: INDIVIDUAL at line 25: duplicate id 100001 \(first at INDIVIDUAL at line 5\)/,
    );
  });

  it('refuses a record without DATAID or without a name', async () => {
    const noId = writeTemp('un.xml', good.replace('<DATAID>200001</DATAID>', ''));
    expect((await refusal(importUnSecurityCouncilXml(noId, { importedAt }))).message).toMatch(
      /un\.xml: ENTITY at line 36 has no numeric DATAID/,
    );
    const noName = writeTemp(
      'un.xml',
      good.replace('<FIRST_NAME>MARIA</FIRST_NAME>', '').replace('<SECOND_NAME>TESTOVA</SECOND_NAME>', ''),
    );
    expect((await refusal(importUnSecurityCouncilXml(noName, { importedAt }))).message).toMatch(
      /DATAID 100002\) has no name/,
    );
  });

  it('refuses DTD entities (no external or internal entity expansion)', async () => {
    const withEntity = good
      .replace(
        '<CONSOLIDATED_LIST',
        '<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<CONSOLIDATED_LIST',
      )
      .replace('Synthetic test person.', '&xxe;');
    const e = await refusal(importUnSecurityCouncilXml(writeTemp('un.xml', withEntity), { importedAt }));
    expect(e.message).toMatch(/un\.xml: malformed XML at line 16: .*undefined entity/);
  });

  it('refuses another XML document, an empty file and a missing file', async () => {
    const other = writeTemp('eu.xml', '<?xml version="1.0"?><export><sanctionEntity/></export>');
    expect((await refusal(importUnSecurityCouncilXml(other, { importedAt }))).message).toMatch(
      /root element <export>/,
    );
    await refusal(importUnSecurityCouncilXml(writeTemp('un.xml', ''), { importedAt }));
    await refusal(importUnSecurityCouncilXml('/nonexistent/un.xml', { importedAt }));
  });

  it('refuses a list without entries and an importedAt that is not ISO', async () => {
    const empty = writeTemp('un.xml', '<CONSOLIDATED_LIST><INDIVIDUALS/><ENTITIES/></CONSOLIDATED_LIST>');
    expect((await refusal(importUnSecurityCouncilXml(empty, { importedAt }))).message).toMatch(/no entries/);
    await refusal(importUnSecurityCouncilXml(fixturePath('un', 'un-small.xml'), { importedAt: 'yesterday' }));
  });
});

describeWithShared('UN Security Council XML importer (real list, 2026-02-27)', [UN], () => {
  it('loads 730 individuals and 273 entities with provenance', async () => {
    const r = await importUnSecurityCouncilXml(sharedPath(...UN), { importedAt });
    expect(r.provenance.counts.bySchema).toEqual({ Person: 730, Organization: 273 });
    expect(r.provenance.counts.entries).toBe(1003);
    expect(r.provenance.publishedOn).toBe('2026-02-27');
    expect(r.provenance.checksum).toBe(
      createHash('sha256')
        .update(fs.readFileSync(sharedPath(...UN)))
        .digest('hex'),
    );
    expect(new Set(r.entries.map((e) => e.sourceId)).size).toBe(1003);
    for (const e of r.entries) for (const c of e.countries) expect(c).toMatch(/^[A-Z]{2}$/);
  });

  it('reads real entries: Nkunda (DRC), Saddam Hussein (Arabic script), ADF (entity)', async () => {
    const r = await importUnSecurityCouncilXml(sharedPath(...UN), { importedAt });
    const nkunda = r.entries.find((e) => e.sourceId === '6908013')!;
    expect(nkunda.name).toBe('LAURENT NKUNDA');
    expect(nkunda.birthDates).toContain('1967-02-06');
    expect(nkunda.aliases).toContainEqual({ name: 'Papa Six', weak: true });
    expect(nkunda.countries).toContain('CD');
    const saddam = r.entries.find((e) => e.sourceId === '6908048')!;
    expect(saddam.aliases).toContainEqual({ name: 'صدام حسين التكريتي', script: 'Arab' });
    expect(saddam.programs).toEqual(['Iraq']);
    const adf = r.entries.find((e) => e.sourceId === '6908402')!;
    expect(adf).toMatchObject({ name: 'ADF', schema: 'Organization', listedOn: '2014-06-30' });
    const kp = r.entries.filter((e) => e.countries.includes('KP')).length;
    expect(kp).toBeGreaterThan(70);
  });
});
