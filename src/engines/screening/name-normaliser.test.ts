import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prepareName } from './name-normaliser.ts';
import { consonantSkeleton, phoneticKey } from './phonetic-key.ts';

describe('prepareName', () => {
  it.each([
    ['Person', 'Mr. Recep Tayyip Erdoğan', 'recep tayyip erdogan'],
    ['Person', 'Ig0r Sech1n', 'igor sechin'],
    ['Person', 'Sеrgеi Lavrov', 'sergei lavrov'], // Cyrillic е inside Latin words
    ['Person', 'Владимир Путин', 'vladimir putin'],
    ['Person', 'Νικόλαος', 'nikolaos'],
    ['Person', 'J.-C. Juncker', 'j c juncker'],
    ['Person', 'Sergey Sergey Shoigu', 'sergey shoigu'],
    ['Person', 'MOHAMMAD SADIQ AMIR MOHAMMAD', 'mohammad sadiq amir'],
    ['Company', 'Siemens Aktiengesellschaft', 'siemens'],
    ['Company', 'A.B.C. Company', 'abc'],
    ['Company', 'Oboronnye Initsiativy o.O.O.', 'oboronnye initsiativy'],
    ['Company', 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "БАЙКАЛ"', 'baykal'],
    ['Company', 'FABERLIC EUROPE Sp. z o.o.', 'faberlic europe'],
    ['Organization', 'Brigade Forty-Four', 'brigade 44'],
    ['Organization', 'Brigade Forty 4', 'brigade 44'],
    ['Company', '1st International Bank', '1 international bank'],
    ['Company', 'First Bank Int’l', '1 bank international'],
    ['Organization', "Al Qa'ida", 'al qaida'],
    ['LegalEntity', 'Nantahala Capital Offshore Fund I, Ltd.', 'nantahala capital offshore fund 1'],
  ] as const)('%s %s -> %s', (schema, name, expected) => {
    expect(prepareName(name, schema).normalised).toBe(expected);
  });

  it('canonicalises legal forms with their family', () => {
    const forms = (n: string) => prepareName(n, 'Company').legalForms.map((f) => `${f.code}/${f.family}`);
    expect(forms('Deutsche Bank AG')).toEqual(['ag/joint-stock']);
    expect(forms('Deutsche Bank GmbH')).toEqual(['gmbh/limited']);
    expect(forms('OAO Gazprom')).toEqual(['ojsc/joint-stock']);
    expect(forms('Open Joint Stock Company Gazprom')).toEqual(['ojsc/joint-stock']);
    expect(forms('Nanshan Group Co Ltd')).toEqual(['ltd/limited']);
    expect(forms('Siemens Aktiengeselschaft')).toEqual(['ag/joint-stock']); // one typing error
    expect(forms('Magyar Telekom Nyrt.')).toEqual(['zrt/joint-stock']);
    expect(forms('Company')).toEqual([]); // never strips the whole name
    expect(forms('SiemensAG')).toEqual(['ag/joint-stock']); // glued to a camel-case word
    expect(forms('PetroChina')).toEqual([]);
    expect(forms('TACTICAL MISSILES JOINT STOCK COMPAN')).toEqual(['jsc/joint-stock']); // cut off
    expect(forms('Bayer Aktienges')).toEqual(['ag/joint-stock']);
    expect(forms('Acme Comp')).toEqual([]); // too short to tell
    expect(prepareName('Antonio Corpora', 'Person').normalised).toBe('antonio corpora');
  });

  it('knows the common forms of EU Member States and of the main export destinations', () => {
    const forms = (n: string) => prepareName(n, 'Company').legalForms.map((f) => `${f.code}/${f.family}`);
    expect(forms('Telefonica Moviles S.L.U.')).toEqual(['sl/limited']);
    expect(forms('Ejemplo Sociedad Limitada')).toEqual(['sl/limited']);
    expect(forms('Baltic Signals UAB')).toEqual(['uab/limited']);
    expect(forms('SIA Rigas Tehnika')).toEqual(['sia/limited']);
    expect(forms('Tallinn Systems OÜ')).toEqual(['ou/limited']);
    expect(forms('Airbus SE')).toEqual(['se/joint-stock']);
    expect(forms('PT Telekomunikasi Indonesia')).toEqual(['pt/limited']);
    expect(forms('Ornek Teknoloji Ltd. Şti.')).toEqual(['sti/limited']);
    expect(forms('Grupo Ejemplo S. de R.L. de C.V.')).toEqual(['s de rl/limited']);
    expect(forms('Novye Sistemy НАО')).toEqual(['jsc/joint-stock']);
    expect(forms('Equinor ASA')).toEqual(['ab/joint-stock']);
    expect(forms('Nordic Radio AS')).toEqual(['as/generic']); // joint-stock in Estonia, limited in Norway
    expect(forms('Muscat Networks SAOG')).toEqual(['saog/joint-stock']);
    expect(forms('Redes Caracas, C.A.')).toEqual(['ca/joint-stock']);
    expect(forms('CA Technologies')).toEqual([]); // only at the end
  });

  it('knows the company forms of Chinese, Japanese and Korean names as they are transliterated', () => {
    const prepared = (n: string) => prepareName(n, 'Company');
    const forms = (n: string) => prepared(n).legalForms.map((f) => `${f.code}/${f.family}`);
    expect(forms('华为技术有限公司')).toEqual(['ltd/limited']); // you xian gong si
    expect(prepared('华为技术有限公司').normalised).toBe('hua wei ji shu');
    expect(forms('中兴通讯股份有限公司')).toEqual(['gufen/joint-stock']);
    expect(forms('某某有限责任公司')).toEqual(['llc/limited']);
    expect(forms('ソニー株式会社')).toEqual(['kk/joint-stock']); // read zhu shi hui she
    expect(forms('株式会社東芝')).toEqual(['kk/joint-stock']);
    expect(forms('삼성전자 주식회사')).toEqual(['kk/joint-stock']); // not "sa" (S.A.) taken off its last syllable
  });

  it('reads short forms only at the end where they are also words at the start of names', () => {
    const prepared = (n: string) => prepareName(n, 'Company');
    expect(prepared('As Salam Trading').normalised).toBe('as salam trading');
    expect(prepared('As Salam Trading').legalForms).toEqual([]);
    expect(prepared('Salam Trading AS').normalised).toBe('salam trading');
    expect(prepared('Se Young Electronics').legalForms).toEqual([]);
  });

  it('never takes a word transliterated from Arabic script for a title (عمر, Omar, is "mr")', () => {
    expect(prepareName('عمر علي', 'Person').normalised).toBe('mr ly');
    expect(prepareName('محمد عمر', 'Person').tokens.map((t) => t.kind)).toEqual(['word', 'word']);
    expect(prepareName('Mr Omar Ali', 'Person').normalised).toBe('omar ali'); // a Latin title still goes
  });

  it('never takes a form that is also a common name word for a legal form in a person name', () => {
    const person = (n: string) => prepareName(n, 'Person');
    expect(person('Ao Li').normalised).toBe('ao li');
    expect(person('Sia Furler').normalised).toBe('sia furler');
    expect(person('Tanaka Nao').normalised).toBe('tanaka nao');
    expect(person('Nao Tanaka').legalForms).toEqual([]);
    expect(person('John Smith Ltd').legalForms.map((f) => f.code)).toEqual(['ltd']);
    expect(person('Nicolás Maduro SA').legalForms.map((f) => f.code)).toEqual(['sa']);
    expect(prepareName('Nao Holdings', 'Company').legalForms.map((f) => f.code)).toEqual(['jsc']);
  });

  it('spells out the percent sign and splits names written as alternatives, not legal forms with a slash', () => {
    expect(prepareName('3%ers', 'Organization').normalised).toBe('3 percent ers');
    const alt = prepareName('ABU SAYYAF GROUP / ASG', 'Organization');
    expect(alt.alternatives?.map((a) => a.normalised)).toEqual(['abu sayyaf group', 'asg']);
    expect(prepareName('Maersk A/S', 'Company').alternatives).toBeUndefined();
    expect(prepareName('Fund 1/2', 'Company').alternatives).toBeUndefined();
  });

  it('keeps numbers apart and marks abjad tokens with a consonant skeleton', () => {
    expect(prepareName('Unit 8200', 'Organization').numbers).toEqual(['8200']);
    const arabic = prepareName('محمد علي', 'Person');
    expect(arabic.tokens.map((t) => t.skeleton)).toEqual(['mhmt', 'l']);
  });

  it('is idempotent on its normalised form', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 40 }),
        fc.constantFrom('Person', 'Company', undefined),
        (s, schema) => {
          const once = prepareName(s, schema).normalised;
          expect(prepareName(once, schema).normalised).toBe(once);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('produces ASCII lower-case tokens for any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (s) => {
        for (const t of prepareName(s).tokens) expect(t.text).toMatch(/^[a-z0-9]+$/);
      }),
      { numRuns: 300 },
    );
  });
});

describe('phonetic keys', () => {
  it('groups spellings of one sound', () => {
    expect(phoneticKey('mohammed')).toBe(phoneticKey('muhamad'));
    expect(phoneticKey('shi')).toBe(phoneticKey('chi'));
    expect(phoneticKey('lavrov')).not.toBe(phoneticKey('ivanov'));
    expect(consonantSkeleton('mohamed')).toBe(consonantSkeleton('mhmd'));
  });
});
