/** Message catalogues and the request's language: English is the reference catalogue, every other has every key. */
import { en } from './messages/en.ts';
import { fr } from './messages/fr.ts';
import { isLocale, LOCALES, type Locale } from '../../domain/locales.ts';

export { isLocale, LOCALES, type Locale };

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;

export const CATALOGUES: Record<Locale, Catalogue> = { en, fr };
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', fr: 'Français' };
export const LANG_COOKIE = 'custos_lang';

/** The language of a request: the switcher's cookie, else the browser's Accept-Language, else English. */
export function pickLocale(cookie: string | undefined, acceptLanguage: string | undefined): Locale {
  if (isLocale(cookie)) return cookie;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0]!.trim().slice(0, 2).toLowerCase();
    if (isLocale(tag)) return tag;
  }
  return 'en';
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** A translator for one locale: `{name}` placeholders are replaced by params (the result is text, escaped on output). */
export function translator(locale: Locale): Translate {
  const cat = CATALOGUES[locale];
  return (key, params) => {
    const template = cat[key] ?? en[key];
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  };
}

/** Translate a closed-vocabulary value (status, party type…) when the catalogue has it, else show it readable. */
export function labelOf(t: Translate, prefix: string, value: string): string {
  const key = `${prefix}.${value}` as MessageKey;
  return key in en ? t(key) : value.replace(/_/g, ' ');
}
