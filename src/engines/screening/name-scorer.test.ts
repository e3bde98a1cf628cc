import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EntitySchema } from '../../domain/watchlist.ts';
import { DEFAULT_MATCH_THRESHOLD } from './custos-scorer.ts';
import { matchPair } from './match-pair.ts';
import { prepareName } from './name-normaliser.ts';
import { compareTokens, scoreNames, vocalises } from './name-scorer.ts';
import { editDistance, jaroWinkler } from './string-similarity.ts';

const score = (schema: EntitySchema, a: string, b: string) => matchPair(schema, a, b).score01;

describe('scoreNames: features', () => {
  it.each([
    ['Person', 'Olaf Scholze', 'Olaf Scholz'],
    ['Person', 'AL BEN ALI, Isa Ben Tarif', 'Shaikh Isa Bin Tarif Al Bin Ali'],
    ['Person', 'Nikolai Plat Ono Vich Patrushev', 'Nikolai Platonovich Patrushev'],
    ['Person', 'FridrichLindenberg', 'Friedrich Lindenberg'],
    ['Person', 'Kim Joonng-un', 'Kim Jong-un'],
    ['Person', 'Владимир Путин', 'Vladimir Putin'],
    ['Person', 'أحمد حسن', 'Ahmed Hassan'],
    ['Person', 'محمد عمر', 'Mohammed Omar'],
    ['Person', 'محمد علي', 'Mohamed Ali'],
    ['Person', 'Saeed Jalili', 'Said Jalili'], // long vowels spelled double or not
    ['Person', 'Noor Mohammad', 'Nur Mohammad'],
    ['Person', 'Dawood Ibrahim', 'Dawud Ibrahim'],
    ['Person', 'Pyotr Tchaikovsky', 'Pyotr Chaykovskiy'], // tch / ch, y / i
    ['Person', 'Peter Mack', 'Peter Mak'], // ck / k
    ['Person', 'علي حسن', 'Ali Hassan'],
    ['Person', 'عمار حسن', 'Ammar Hassan'],
    ['Person', 'J.-C. Juncker', 'Jean-Claude Juncker'],
    ['Company', 'OAO Gazprom', 'Open Joint Stock Company Gazprom'],
    ['Company', 'Siemens Aktiengesellschaft', 'Siemens AG'],
    ['Organization', 'Brigade Forty-Four', 'Brigade 44'],
  ] as const)('%s: "%s" matches "%s"', (schema, a, b) => {
    expect(score(schema, a, b)).toBeGreaterThanOrEqual(DEFAULT_MATCH_THRESHOLD);
  });

  it.each([
    ['Organization', 'Unit 8200', 'Unit 8300'],
    ['Vessel', 'Zu Zag Bong 6', 'Zu Zag Bong 5'],
    ['Company', 'Deutsche Bank AG', 'Deutsche Bank GmbH'],
    ['Company', 'nso group technologies', 'TECHNOLOGIES SARL'],
    ['Person', 'Barack Obama', 'George Hussein Onyango Obama'],
    ['Person', 'Sergey Ivanov', 'Sergey Viktorovich LAVROV'],
    ['Organization', 'Government of Estonia', 'Government of Ethiopia'],
  ] as const)('%s: "%s" does not match "%s"', (schema, a, b) => {
    expect(score(schema, a, b)).toBeLessThan(DEFAULT_MATCH_THRESHOLD);
  });

  it('explains the score: pairs, leftovers and adjustments', () => {
    const r = scoreNames(
      prepareName('Unit 8200 Group', 'Organization'),
      prepareName('Unit 8300', 'Organization'),
    );
    expect(r.explanation.adjustments.map((a) => a.feature)).toContain('number-mismatch');
    expect(r.explanation.pairs.find((p) => p.query === 'unit')).toMatchObject({
      candidate: 'unit',
      how: 'exact',
    });
    expect(r.explanation.unmatchedQuery).toEqual(['8200', 'group']);
  });
});

describe('scores and similarities: invariants', () => {
  const name = fc.string({ maxLength: 30 });
  const schema = fc.constantFrom<EntitySchema | undefined>('Person', 'Company', 'Vessel', undefined);
  it('scores are in [0,1] and a name matches itself fully', () => {
    fc.assert(
      fc.property(name, name, schema, (a, b, s) => {
        const r = scoreNames(prepareName(a, s), prepareName(b, s)).score01;
        expect(r).toBeGreaterThanOrEqual(0);
        expect(r).toBeLessThanOrEqual(1);
        const self = prepareName(a, s);
        if (self.tokens.length > 0) expect(scoreNames(self, self).score01).toBe(1);
      }),
      { numRuns: 400 },
    );
  });
  it('token similarity, edit distance and Jaro-Winkler are symmetric', () => {
    const word = fc.stringMatching(/^[a-z]{1,12}$/);
    fc.assert(
      fc.property(word, word, (a, b) => {
        const ta = prepareName(a).tokens[0];
        const tb = prepareName(b).tokens[0];
        if (ta && tb)
          expect(compareTokens(ta, tb).similarity01).toBeCloseTo(compareTokens(tb, ta).similarity01, 10);
        expect(editDistance(a, b)).toBeCloseTo(editDistance(b, a), 10);
        expect(jaroWinkler(a, b)).toBeCloseTo(jaroWinkler(b, a), 10);
      }),
      { numRuns: 500 },
    );
  });
  it('edit distance with a bound is exact up to the bound and a lower bound above it', () => {
    // letters drawn from a few confusable ones, so that close pairs and fractional costs are common
    const word = fc.stringMatching(/^[ckiyeuosz]{0,10}$/);
    fc.assert(
      fc.property(word, word, fc.constantFrom(0, 0.5, 1, 2, 3), (a, b, max) => {
        const exact = editDistance(a, b);
        const bounded = editDistance(a, b, max);
        if (exact <= max) expect(bounded).toBe(exact);
        else {
          expect(bounded).toBeGreaterThan(max);
          expect(bounded).toBeLessThanOrEqual(exact + 1e-9);
        }
      }),
      { numRuns: 2000 },
    );
    expect(editDistance('sechin', 'putin', 1)).toBeGreaterThan(1);
    expect(editDistance('sechin', 'sechn', 1)).toBe(1);
  });
});

describe('scoreNames: hypocorisms, inflected endings, scrambled letters', () => {
  it('matches a person by a short form of the given name, and says so', () => {
    const m = matchPair('Person', 'Bill Gates', 'William Gates');
    expect(m.match).toBe(true);
    expect(m.explanation.pairs.map((p) => p.how)).toContain('nickname');
    expect(score('Person', 'Ben Netanyahu', 'Benjamin Netanyahu')).toBeGreaterThan(
      score('Person', 'Bob Netanyahu', 'Benjamin Netanyahu'),
    );
  });
  it('never reads short forms into organisation names', () => {
    expect(matchPair('Company', 'Bill Holdings', 'William Holdings').match).toBe(false);
  });
  it('takes a final -s as an inflected ending, not a different word', () => {
    const m = matchPair('Person', 'Sergejs Lavrovs', 'Sergey Lavrov');
    expect(m.explanation.pairs.map((p) => p.how)).toContain('ending');
    expect(m.match).toBe(true);
  });
  it('gives scrambled letters weak credit, from five letters on', () => {
    expect(matchPair('Person', 'Vladimir Nitpu', 'Vladimir Putin').match).toBe(true);
    expect(compareTokens(prepareName('Amin').tokens[0]!, prepareName('Mina').tokens[0]!).similarity01).toBe(
      0,
    );
  });
});

describe('scoreNames: general rules from the error classes of the labelled checks', () => {
  const how = (schema: EntitySchema, a: string, b: string) =>
    matchPair(schema, a, b).explanation.pairs.map((p) => p.how);
  const adjusted = (schema: EntitySchema, a: string, b: string) =>
    matchPair(schema, a, b).explanation.adjustments.map((x) => x.feature);

  it('reads a legal form glued to a camel-case word as a legal form, not as letters of the name', () => {
    expect(matchPair('Company', 'AcmeGmbH', 'Acme GmbH').score01).toBe(1);
    expect(matchPair('Company', 'SiemensAG', 'Siemens AG').match).toBe(true);
    // not a legal form at the seam, and never in a person's name
    expect(matchPair('Company', 'PetroChina', 'Petro Limited').match).toBe(false);
    expect(prepareName('KarlAG', 'Person').normalised).toBe('karlag');
  });

  it('pairs an acronym with the initials of an organisation name, and says so', () => {
    expect(matchPair('Organization', 'PLA', 'People’s Liberation Army').match).toBe(true);
    expect(how('Organization', 'PLA China', 'People’s Liberation Army')).toEqual(['acronym']);
    expect(matchPair('Organization', 'BoE', 'Bank of England').match).toBe(true); // particle counted
    expect(matchPair('Organization', 'BE', 'Bank of England').match).toBe(true); // particle skipped
    // other initials, persons, and initials that are single letters already are not acronyms
    expect(matchPair('Organization', 'PLO', 'People’s Liberation Army').match).toBe(false);
    expect(matchPair('Person', 'Pla', 'Pedro Lopez Alvarez').match).toBe(false);
    expect(matchPair('LegalEntity', 'C G Clow Will Trust', 'CG City Funding Limited').match).toBe(false);
  });

  it('counts a distinctive word on each side as a disagreement, not an omission', () => {
    const a = matchPair('Organization', 'Al-Qaida in Iraq', 'Al-Qaida in the Arabian Peninsula');
    expect(a.match).toBe(false);
    expect(a.explanation.adjustments.find((x) => x.feature === 'conflicting-words')?.detail).toBe(
      'iraq vs arabian peninsula',
    );
    // a word only one side has is an omission: no conflict
    expect(adjusted('Company', 'Deutsche Bank (Schweiz) AG', 'Deutsche Bank AG')).not.toContain(
      'conflicting-words',
    );
    expect(matchPair('Person', 'Boris Johnson', 'Alexandre Boris de Pfeffel Johnson').match).toBe(true);
  });

  it('takes confusable letters alone (vowels, c/k, i/y) as a spelling variant, other edits as weak evidence', () => {
    const sim = (a: string, b: string) =>
      compareTokens(prepareName(a).tokens[0]!, prepareName(b).tokens[0]!).similarity01;
    expect(sim('osama', 'usama')).toBeCloseTo(0.94, 2);
    expect(sim('schulze', 'scholz')).toBeLessThan(0.7); // a vowel AND a letter more: squared
    expect(matchPair('Person', 'Osama bin Laden', 'Usāma bin Muhammad ibn Awad ibn Lādin').match).toBe(true);
    expect(matchPair('Person', 'Olga Barynova', 'Oleg BARANOV').match).toBe(false);
  });

  it('takes a final -s after a stem spelled with confusable letters as an inflected ending', () => {
    const t = (a: string, b: string) => compareTokens(prepareName(a).tokens[0]!, prepareName(b).tokens[0]!);
    expect(t('sergejs', 'sergey')).toMatchObject({ how: 'ending' });
    expect(t('sergejs', 'sergey').similarity01).toBeGreaterThan(0.8);
    expect(t('petrovs', 'petrak').how).not.toBe('ending');
    expect(matchPair('Person', 'Sergejs Lavrovs', 'Sergey Viktorovich LAVROV').match).toBe(true);
  });

  it('compares kana transcriptions like alphabetic ones, Han syllables strictly', () => {
    expect(matchPair('Person', 'Barack Obama', 'バラク・オバマ').match).toBe(true);
    expect(matchPair('Person', 'Boris Obama', 'バラク・オバマ').match).toBe(false);
    expect(compareTokens(prepareName('成').tokens[0]!, prepareName('sheng').tokens[0]!).similarity01).toBe(0);
  });

  it('scores names written as alternatives ("X/Y") by their best part, and names the parts', () => {
    const m = matchPair('Organization', 'Al Qaeda', "Al-Qa'ida/Islamic Army");
    expect(m.match).toBe(true);
    expect(m.explanation.alternative).toEqual({ query: 'Al Qaeda', candidate: "Al-Qa'ida" });
    expect(matchPair('Organization', 'Islamic State', "Al-Qa'ida/Islamic Army").match).toBe(false);
  });

  it('reads a legal form cut off at the end of a name (fixed-width list fields)', () => {
    expect(
      matchPair(
        'Company',
        'TACTICAL MISSILES CORPORATION JOINT STOCK COMPAN',
        'TACTICAL MISSILES CORPORATION JOINT STOCK COMPANY',
      ).score01,
    ).toBe(1);
  });
});

describe('spelling variants of transliteration', () => {
  it.each([
    ['saeed', 'said'],
    ['noor', 'nur'],
    ['tchaikovsky', 'chaykovskiy'], // the first letter changes too
    ['philips', 'filips'],
    ['xenia', 'ksenia'],
    ['wladimir', 'vladimir'],
    ['mack', 'mak'],
  ])('%s / %s: 0.9 or better', (a, b) => {
    const token = (t: string) => prepareName(t, 'Person').tokens[0]!;
    expect(compareTokens(token(a), token(b)).similarity01).toBeGreaterThanOrEqual(0.9);
  });
});

describe('vocalises: a short abjad word read with its vowels', () => {
  it.each([
    ['ly', 'ali', true], // علي: a dropped ayn, then the long i
    ['ly', 'eli', true],
    ['mwsa', 'musa', true], // موسى
    ['ywsf', 'yusuf', true], // يوسف
    ['nwr', 'nour', true], // نور
    ['ly', 'lia', false], // the long vowel is not where the spelling has one
    ['nwr', 'nir', false],
    ['mr', 'omar', false], // no long vowel: the consonants alone decide (skeleton)
    ['mhmdy', 'mahmudi', false], // longer words are compared by their skeletons
  ] as const)('%s / %s -> %s', (abjad, latin, expected) => {
    expect(vocalises(abjad, latin)).toBe(expected);
  });

  it('scores a vocalised short word above its bare skeleton, and only from the abjad side', () => {
    const token = (name: string) => prepareName(name, 'Person').tokens[0]!;
    expect(compareTokens(token('علي'), token('Ali'))).toEqual({ similarity01: 0.8, how: 'skeleton' });
    expect(compareTokens(token('Ali'), token('علي'))).toEqual({ similarity01: 0.8, how: 'skeleton' });
    expect(compareTokens(token('علي'), token('Lia')).similarity01).toBe(0.6);
    expect(compareTokens(token('Ly'), token('Ali')).similarity01).toBeLessThan(0.8); // Latin on both sides
  });
});
