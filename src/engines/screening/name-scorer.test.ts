import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EntitySchema } from '../../domain/watchlist.ts';
import { DEFAULT_MATCH_THRESHOLD } from './custos-scorer.ts';
import { matchPair } from './match-pair.ts';
import { prepareName } from './name-normaliser.ts';
import { compareTokens, scoreNames } from './name-scorer.ts';
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
