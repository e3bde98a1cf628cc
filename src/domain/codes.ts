/** ISO 3166-1 alpha-2 country codes, ISO 4217 currency codes and record ids (UUIDs), validated without I/O. */
import countries from 'i18n-iso-countries';
import de from 'i18n-iso-countries/langs/de.json' with { type: 'json' };
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import fr from 'i18n-iso-countries/langs/fr.json' with { type: 'json' };

for (const locale of [en, de, fr]) countries.registerLocale(locale);

const ALPHA2 = new Set(Object.keys(countries.getAlpha2Codes()));

/** True for an officially assigned ISO 3166-1 alpha-2 code in upper case, e.g. `DE`. */
export function isCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && ALPHA2.has(code);
}

/** All officially assigned ISO 3166-1 alpha-2 codes, sorted. */
export function allCountryCodes(): string[] {
  return [...ALPHA2].sort();
}

/** The 27 Member States of the European Union (ISO 3166-1 alpha-2; Greece is GR, not EL). */
export const EU_MEMBER_STATES = [
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
] as const;

const ISO4217 = new Set(
  (
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF ' +
    'CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD ' +
    'HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD ' +
    'MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN ' +
    'PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY ' +
    'TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG'
  ).split(' '),
);

/** True for an active ISO 4217 alphabetic currency code, e.g. `EUR`. */
export function isCurrencyCode(code: string): boolean {
  return ISO4217.has(code);
}

/** English short name of a country, or the code itself when unknown. */
export function countryName(code: string, lang = 'en'): string {
  return countries.getName(code, lang) ?? code;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a record id: every record is named by a UUID (hyphenated, any case). */
export const isUuid = (s: string): boolean => UUID.test(s);
