/** Builds a country profile for every ISO 3166 country from imported indicator sets and restrictive measures. */
import {
  INDICATOR_KEYS,
  createEmptyCountryProfile,
  type CountryProfile,
  type IndicatorSet,
  type RestrictiveMeasure,
  type SafeguardAnswer,
} from '../../domain/assessment.ts';
import { EU_MEMBER_STATES, allCountryCodes } from '../../domain/codes.ts';

/** EU001 destinations, Annex II Section A of Reg. (EU) 2021/821 (BRIEF H.9, verified). */
export const EU001_DESTINATIONS = ['AU', 'CA', 'IS', 'JP', 'NZ', 'NO', 'CH', 'LI', 'GB', 'US'] as const;

export interface BuildCountryProfilesOptions {
  /** Officer-edited safeguard checklists by country; criteria not given stay `unknown`. */
  safeguards?: Record<string, SafeguardAnswer[]>;
}

/**
 * One profile per ISO 3166-1 alpha-2 code. Indicators come from the sets (a later set does not overwrite an
 * earlier one for the same key); keys without a value are listed in `missingIndicators`, never zero.
 *
 * @example
 * const profiles = buildCountryProfiles([fiwSet, ptsSet], measures);
 * profiles.SY.restrictiveMeasureIds; // ['eu-syr-telecom', ...]
 */
export function buildCountryProfiles(
  sets: IndicatorSet[],
  measures: RestrictiveMeasure[],
  options: BuildCountryProfilesOptions = {},
): Record<string, CountryProfile> {
  const eu = new Set<string>(EU_MEMBER_STATES);
  const eu001 = new Set<string>(EU001_DESTINATIONS);
  const profiles: Record<string, CountryProfile> = {};
  for (const code of allCountryCodes()) {
    const profile = createEmptyCountryProfile(code);
    profile.euMemberState = eu.has(code);
    if (eu001.has(code)) profile.eugeaDestinationOf.push('EU001');
    for (const set of sets) {
      const found = set.byCountry[code];
      if (!found || found.length === 0) continue;
      for (const indicator of found) {
        if (profile.indicators[indicator.key] === undefined) profile.indicators[indicator.key] = indicator;
      }
      if (!profile.datasets.includes(set.provenance.dataset)) profile.datasets.push(set.provenance.dataset);
    }
    profile.missingIndicators = INDICATOR_KEYS.filter((k) => profile.indicators[k] === undefined);
    profile.restrictiveMeasureIds = measures.filter((m) => m.countries.includes(code)).map((m) => m.id);
    const edited = options.safeguards?.[code];
    if (edited) {
      profile.safeguards = profile.safeguards.map(
        (d) => edited.find((e) => e.criterion === d.criterion) ?? d,
      );
    }
    profiles[code] = profile;
  }
  return profiles;
}
