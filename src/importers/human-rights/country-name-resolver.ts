/** Maps a source's country names and codes to ISO 3166-1 alpha-2 through the documented table in policy/countries. */
import countries from 'i18n-iso-countries';
import { isCountryCode } from '../../domain/codes.ts';
import type { CountryNameTable } from '../../engines/assessment/assessment-model.ts';

export type CountryResolution = { code: string } | { excluded: string } | null;

export interface CountryResolver {
  /** Resolve a name or code: alias table, then excluded list, then ISO alpha-2/alpha-3, then English names. */
  resolve(nameOrCode: string): CountryResolution;
}

/** A resolver over the table; names are matched case-insensitively after trimming. */
export function createCountryResolver(table: CountryNameTable): CountryResolver {
  const aliases = new Map(Object.entries(table.aliases).map(([k, v]) => [k.trim().toLowerCase(), v]));
  const excluded = new Map(Object.entries(table.excluded).map(([k, v]) => [k.trim().toLowerCase(), v]));
  const cache = new Map<string, CountryResolution>();
  const resolveUncached = (raw: string): CountryResolution => {
    const s = raw.trim();
    if (s === '' || s === 'NA') return null;
    const key = s.toLowerCase();
    const alias = aliases.get(key);
    if (alias) return { code: alias };
    const why = excluded.get(key);
    if (why) return { excluded: why };
    if (/^[A-Z]{2}$/.test(s) && isCountryCode(s)) return { code: s };
    if (/^[A-Z]{3}$/.test(s)) {
      const a2 = countries.alpha3ToAlpha2(s);
      if (a2 && isCountryCode(a2)) return { code: a2 };
    }
    const byName = countries.getAlpha2Code(s, 'en');
    if (byName && isCountryCode(byName)) return { code: byName };
    return null;
  };
  return {
    resolve(raw: string): CountryResolution {
      const hit = cache.get(raw);
      if (hit !== undefined) return hit;
      const r = resolveUncached(raw);
      cache.set(raw, r);
      return r;
    },
  };
}
