import { beforeAll, describe, expect, it } from 'vitest';
import { describeWithShared, sharedPath } from '../../../test/support/shared.ts';
import type { ControlListEntry } from '../../domain/classification.ts';
import {
  buildControlListIndex,
  parseSearchVocabulary,
  searchControlList,
  tokenise,
} from '../../engines/classification/control-list-search.ts';
import type { ControlListIndex } from '../../engines/classification/control-list-search.ts';
import { loadSearchVocabulary } from './classification-policy.loader.ts';
import { importControlListFile } from './control-list.importer.ts';

const OFFICIAL = ['data', 'control-list', 'reg_2021_821_consolidated.md'];

describeWithShared('free-text search of the real Annex I', [OFFICIAL], () => {
  let index: ControlListIndex;
  let plain: ControlListIndex;
  beforeAll(() => {
    const list = importControlListFile(sharedPath(...OFFICIAL));
    index = buildControlListIndex(list.entries, loadSearchVocabulary());
    plain = buildControlListIndex(list.entries);
  });

  it('ranks 5A001.f.2 first for an IMSI catcher and shows the IMSI passage', () => {
    const [top] = searchControlList(index, 'portable IMSI catcher for police', 3);
    expect(top!.code).toBe('5A001.f.2');
    expect(top!.passage).toMatch(/IMSI, TIMSI or IMEI/);
    expect(top!.vocabularyPhrases).toContain('imsi catcher');
    expect(top!.listVersion).toMatch(/^reg-2021-821@/);
  });

  it('finds entries from the list text alone (no vocabulary)', () => {
    expect(
      searchControlList(
        plain,
        'interception equipment extracting subscriber identifiers IMSI over the air interface',
        3,
      ).map((h) => h.code),
    ).toContain('5A001.f.2');
    expect(
      searchControlList(plain, 'hard selectors handover interface law enforcement monitoring', 3).map(
        (h) => h.code,
      ),
    ).toContain('5D001.e');
    expect(
      searchControlList(plain, 'generation command and control delivery of intrusion software', 5).map(
        (h) => h.code,
      ),
    ).toEqual(expect.arrayContaining(['4A005', '4D004']));
  });

  it('returns at most `limit` hits, scored in descending order, and nothing for noise', () => {
    const hits = searchControlList(index, 'mobile jammer', 5);
    expect(hits.length).toBeLessThanOrEqual(5);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
    expect(searchControlList(index, 'zzzqqq xxyyzz', 5)).toEqual([]);
  });
});

describe('search on a synthetic list', () => {
  const e = (code: string, parent: string | null, text: string): ControlListEntry => ({
    code,
    parent,
    category: code[0]!,
    text,
    notes: [],
    technicalNotes: [],
    definitionsUsed: [],
    listVersion: 'v',
  });
  const entries = [
    e('9E901', null, 'Widgets as follows:'),
    e('9E901.a', '9E901', 'Blue widgets with sprockets;'),
    e('9E901.b', '9E901', 'Red gadgets for gizmos.'),
  ];
  it('ranks by text and by vocabulary, and rejects a bad vocabulary naming the file', () => {
    expect(searchControlList(buildControlListIndex(entries), 'red gadgets', 1)[0]!.code).toBe('9E901.b');
    const vocab = parseSearchVocabulary({
      version: '1',
      terms: [{ phrases: ['thingamajig'], codes: ['9E901.a'], expand: ['sprockets'] }],
    });
    expect(searchControlList(buildControlListIndex(entries, vocab), 'a thingamajig', 1)[0]!.code).toBe(
      '9E901.a',
    );
    expect(() =>
      parseSearchVocabulary({ version: '1', terms: [{ phrases: ['x1'], codes: ['not a code'] }] }, 'v.yaml'),
    ).toThrow(/v\.yaml: terms\.0\.codes\.0/);
  });
  it('tokenises without stop words and with light stemming', () => {
    expect(tokenise('The Jammers and the jamming')).toEqual(['jamm', 'jamm']);
    expect(tokenise('interception, IMSI')).toEqual(['interception', 'imsi']);
  });
});
