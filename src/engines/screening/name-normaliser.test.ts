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
