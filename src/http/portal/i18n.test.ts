import { describe, expect, it } from 'vitest';
import {
  APPLICATION_STATUSES,
  ITEM_FORMS,
  LICENCE_TYPES,
  PARTY_ROLES,
  PARTY_TYPES,
} from '../../domain/model.ts';
import { CATALOGUES, LOCALES, labelOf, pickLocale, translator, type MessageKey } from './i18n.ts';
import { en } from './messages/en.ts';

describe('message catalogues', () => {
  const keys = Object.keys(en).sort();
  for (const locale of LOCALES) {
    it(`${locale} has every key of the English catalogue, no extra key, and no empty message`, () => {
      const cat = CATALOGUES[locale] as Record<string, string>;
      expect(Object.keys(cat).sort()).toEqual(keys);
      for (const k of keys) expect(cat[k]!.trim(), `${locale}.${k}`).not.toBe('');
    });
    it(`${locale} keeps the placeholders of every English message`, () => {
      const cat = CATALOGUES[locale] as Record<string, string>;
      for (const k of keys) {
        const want = (en[k as MessageKey].match(/\{\w+\}/g) ?? []).sort();
        expect((cat[k]!.match(/\{\w+\}/g) ?? []).sort(), `${locale}.${k}`).toEqual(want);
      }
    });
  }

  it('labels every value of the closed vocabularies shown on pages', () => {
    const vocab: [string, readonly string[]][] = [
      ['status', APPLICATION_STATUSES],
      ['partyType', PARTY_TYPES],
      ['role', PARTY_ROLES],
      ['licenceType', LICENCE_TYPES],
      ['itemForm', ITEM_FORMS],
    ];
    for (const [prefix, values] of vocab)
      for (const v of values) expect(Object.keys(en), `${prefix}.${v}`).toContain(`${prefix}.${v}`);
    expect(labelOf(translator('fr'), 'status', 'draft')).toBe(CATALOGUES.fr['status.draft']);
  });

  it('picks the language from the cookie, then Accept-Language, then English', () => {
    expect(pickLocale('fr', 'en')).toBe('fr');
    expect(pickLocale(undefined, 'fr-BE,fr;q=0.9,en;q=0.5')).toBe('fr');
    expect(pickLocale('xx', 'pl,de')).toBe('en');
  });

  it('fills placeholders', () => {
    expect(translator('en')('flash.itemSaved', { name: 'X' })).toContain('X');
  });
});
