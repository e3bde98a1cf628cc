/** Maps the country spellings of list publishers (OFAC, UN, EU, UK, BIS, CSL) to ISO 3166-1 alpha-2 codes. */
import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import { isCountryCode } from '../../domain/codes.ts';

countries.registerLocale(en);

/**
 * Publisher spellings that the ISO short names and i18n-iso-countries' aliases do not cover. Keys are compared
 * after normalisation (lower case, no diacritics, punctuation folded to spaces). Sources: OFAC SDN (e.g.
 * "Korea, North", "Burma"), UN (e.g. "Iran (Islamic Republic of)", "China, Hong Kong Special Administrative
 * Region"), EU and UK (e.g. "Russia", "Syria"), BIS DPL and CSL (country codes and names).
 */
export const PUBLISHER_COUNTRY_SPELLINGS: Readonly<Record<string, string>> = {
  'korea, north': 'KP',
  'north korea': 'KP',
  "democratic people's republic of korea": 'KP',
  'korea, democratic people s republic of': 'KP',
  'korea (democratic people s republic of)': 'KP',
  dprk: 'KP',
  'korea, south': 'KR',
  'south korea': 'KR',
  'republic of korea': 'KR',
  'korea (republic of)': 'KR',
  'iran (islamic republic of)': 'IR',
  'iran, islamic republic of': 'IR',
  burma: 'MM',
  'burma (myanmar)': 'MM',
  russia: 'RU',
  syria: 'SY',
  'viet nam': 'VN',
  vietnam: 'VN',
  laos: 'LA',
  "lao people's democratic republic": 'LA',
  'china, hong kong special administrative region': 'HK',
  'hong kong special administrative region': 'HK',
  'hong kong sar': 'HK',
  'china, macao special administrative region': 'MO',
  macau: 'MO',
  macao: 'MO',
  'british virgin islands': 'VG',
  'virgin islands, british': 'VG',
  'united kingdom of great britain and northern ireland': 'GB',
  'united kingdom': 'GB',
  uk: 'GB',
  'great britain': 'GB',
  'united states of america': 'US',
  'united states': 'US',
  usa: 'US',
  'congo, democratic republic of the': 'CD',
  'democratic republic of the congo': 'CD',
  'congo (democratic republic)': 'CD',
  'congo, republic of the': 'CG',
  'republic of the congo': 'CG',
  'the gambia': 'GM',
  'gambia, the': 'GM',
  'bahamas, the': 'BS',
  'the bahamas': 'BS',
  'cote d ivoire': 'CI',
  "cote d'ivoire": 'CI',
  'ivory coast': 'CI',
  turkey: 'TR',
  turkiye: 'TR',
  palestinian: 'PS',
  'state of palestine': 'PS',
  'west bank': 'PS',
  gaza: 'PS',
  'palestinian territories': 'PS',
  'occupied palestinian territory': 'PS',
  'united republic of tanzania': 'TZ',
  tanzania: 'TZ',
  'bolivia (plurinational state of)': 'BO',
  'venezuela (bolivarian republic of)': 'VE',
  moldova: 'MD',
  'republic of moldova': 'MD',
  kosovo: 'XK',
  'czech republic': 'CZ',
  czechia: 'CZ',
  'north macedonia': 'MK',
  'the former yugoslav republic of macedonia': 'MK',
  macedonia: 'MK',
  'brunei darussalam': 'BN',
  brunei: 'BN',
  'northern mali': 'ML',
  'cabo verde': 'CV',
  'cape verde': 'CV',
  swaziland: 'SZ',
  eswatini: 'SZ',
  'east timor': 'TL',
  'timor leste': 'TL',
  'st. kitts and nevis': 'KN',
  'saint kitts and nevis': 'KN',
  'st. lucia': 'LC',
  'st. vincent and the grenadines': 'VC',
  'micronesia, federated states of': 'FM',
  'micronesia (federated states of)': 'FM',
  'sao tome and principe': 'ST',
  'netherlands antilles': 'CW',
  curacao: 'CW',
  'sint maarten': 'SX',
  taiwan: 'TW',
  'taiwan, province of china': 'TW',
  'holy see': 'VA',
  vatican: 'VA',
  'crimea region of ukraine': 'UA',
  crimea: 'UA',
  'region: crimea': 'UA',
  'the netherlands': 'NL',
  'united arab emirates': 'AE',
  uae: 'AE',
  'sudan, south': 'SS',
};

const normalise = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[’`]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();

/** Values publishers use for "no country". */
const NO_COUNTRY = new Set(['none identified', 'undetermined', 'unknown', 'n/a', 'none', 'stateless']);

/** Stronger folding: punctuation removed too ("Korea, North" and "Korea North" meet). */
const fold = (name: string): string =>
  normalise(name)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

const BY_NAME = new Map<string, string>();
for (const [code, names] of Object.entries(countries.getNames('en', { select: 'all' }))) {
  for (const n of names as string[]) BY_NAME.set(fold(n), code);
}
for (const [spelling, code] of Object.entries(PUBLISHER_COUNTRY_SPELLINGS)) BY_NAME.set(fold(spelling), code);

/**
 * The ISO 3166-1 alpha-2 code of a publisher's country name or code, or undefined when it names no country.
 * Accepts alpha-2 and alpha-3 codes too. Example: `toCountryCode('Korea, North')` is `'KP'`.
 */
export function toCountryCode(value: string | undefined | null): string | undefined {
  if (value === undefined || value === null) return undefined;
  const raw = value.trim().replace(/^region:\s*/i, '');
  if (raw === '' || raw === '-0-' || NO_COUNTRY.has(fold(raw))) return undefined;
  if (/^[A-Za-z]{2}$/.test(raw)) {
    const up = raw.toUpperCase();
    return isCountryCode(up) || up === 'XK' ? up : undefined;
  }
  if (/^[A-Z]{3}$/.test(raw)) {
    const a2 = countries.alpha3ToAlpha2(raw);
    if (a2) return a2;
  }
  const hit = BY_NAME.get(fold(raw));
  if (hit) return hit;
  // "Kabul, Afghanistan" or "Afghanistan (as of 2010)": try the last comma part, then without brackets
  const noBrackets = raw.replace(/\([^)]*\)/g, '').trim();
  if (noBrackets !== raw && noBrackets !== '') return toCountryCode(noBrackets);
  return undefined;
}

/** True for the spellings of "no country" ("None Identified", "undetermined", "stateless"...). */
export const isNoCountry = (value: string): boolean => NO_COUNTRY.has(fold(value));

/** Adds the code of `value` to `into` (no duplicates); returns false when `value` is non-empty but unknown. */
export function addCountry(into: string[], value: string | undefined | null): boolean {
  const code = toCountryCode(value);
  if (code) {
    if (!into.includes(code)) into.push(code);
    return true;
  }
  return (
    value === undefined ||
    value === null ||
    value.trim() === '' ||
    value.trim() === '-0-' ||
    isNoCountry(value)
  );
}
