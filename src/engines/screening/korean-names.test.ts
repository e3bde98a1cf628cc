import { describe, expect, it } from 'vitest';
import { watchlistEntry } from '../../../test/factories/watchlist.ts';
import { DEFAULT_MATCH_THRESHOLD } from './custos-scorer.ts';
import { customaryKoreanReadings } from './korean-names.ts';
import { matchPair } from './match-pair.ts';
import { buildScreeningIndex, screenName } from './screening-index.ts';

describe('customaryKoreanReadings', () => {
  it('reads a person name with its surname customarily spelled, in three readings', () => {
    expect(customaryKoreanReadings('김정은', true)).toEqual(['kim jong un', 'kim jeong eun', 'kim chong un']);
    expect(customaryKoreanReadings('김 정은', true)[0]).toBe('kim jong un');
    expect(customaryKoreanReadings('남궁민', true)[0]).toBe('namgung min'); // a two-syllable surname
    expect(customaryKoreanReadings('반기문', true)).toContain('ban ki mun'); // given name unvoiced
  });

  it('reads organisations and non-Korean words without surnames, and nothing without Hangul', () => {
    expect(customaryKoreanReadings('삼성전자', false)).toEqual(['sam song jon ja', 'sam seong jeon ja']);
    expect(customaryKoreanReadings('LG 전자', false)[0]).toBe('LG jon ja');
    expect(customaryKoreanReadings('Kim Jong Un', true)).toEqual([]);
  });

  it('decomposes every syllable block: initials, vowels and finals', () => {
    // 가 and 힣 are the first and last blocks of the range; 각 (g+a+k), 쐐 (ss+wae), 읩 (ui+p), 깎 (kk+a+kk)
    expect(customaryKoreanReadings('가 각 쐐 읩 깎 힣', false)).toEqual(['ga gak sswae uip kkak hit']);
  });
});

describe('Korean names against their customary spellings', () => {
  it.each([
    ['김정은', 'Kim Jong Un'],
    ['박지성', 'Park Ji Sung'],
    ['이민호', 'Lee Min Ho'],
    ['문재인', 'Moon Jae-in'],
    ['박근혜', 'Park Geun-hye'],
    ['김대중', 'Kim Dae-jung'],
  ])('"%s" matches "%s"', (hangul, latin) => {
    expect(matchPair('Person', hangul, latin).score01).toBeGreaterThanOrEqual(DEFAULT_MATCH_THRESHOLD);
  });

  it.each([
    ['김정은', 'Kim Jong Nam'],
    ['김정은', 'Kim Jong Il'],
    ['박지성', 'Park Ji Hoon'],
  ])('"%s" does not match "%s"', (hangul, latin) => {
    expect(matchPair('Person', hangul, latin).score01).toBeLessThan(DEFAULT_MATCH_THRESHOLD);
  });

  it('finds a Latin entry from a Hangul query, and a Hangul entry from a Latin query, by the index alone', () => {
    const entry = (sourceId: string, name: string) => watchlistEntry(sourceId, 'Person', name);
    // synthetic entries written for this test; one candidate only, so that the index's ranking decides
    const index = buildScreeningIndex(
      [entry('1', 'KIM JONG UN'), entry('2', 'GIM JEONG NAM'), entry('3', '박철'), entry('4', 'PARK MIN SU')],
      'test list',
    );
    const found = (name: string) =>
      screenName(index, { name, schema: 'Person' }, { candidates: 1, threshold: 0 }).map((h) => h.sourceId);
    expect(found('김정은')).toEqual(['1']);
    expect(found('Park Chol')).toEqual(['3']);
  });
});
