/** Imports every human-rights dataset from a data folder and builds the reference data the assessment engine reads. */
import path from 'node:path';
import type { CountryProfile, IndicatorSet, SafeguardAnswer } from '../../domain/assessment.ts';
import type { AssessmentReference } from '../../engines/assessment/assess-application.ts';
import { buildCountryProfiles } from '../../engines/assessment/country-profile.ts';
import { hashCanonical } from '../../engines/assessment/canonical-hash.ts';
import { importAiGlobalSurveillanceIndex } from './aigs-importer.ts';
import { createCountryResolver } from './country-name-resolver.ts';
import { importFreedomInTheWorld } from './fiw-importer.ts';
import { importPegasusOperatorCounts } from './pegasus-importer.ts';
import { loadCountryNameTable, loadRestrictiveMeasures } from './policy-loader.ts';
import { importPoliticalTerrorScale } from './pts-importer.ts';
import { readManifestDates } from './source-file.ts';
import { importVDem } from './vdem-importer.ts';

export interface HumanRightsDataFiles {
  fiw: string;
  pts: string;
  vdem: string;
  pegasus: string;
  aigs: string;
}

/** The file layout of ../shared/data (human-rights/ and surveillance-evidence/). */
export function locateHumanRightsFiles(dataDir: string): HumanRightsDataFiles {
  return {
    fiw: path.join(dataDir, 'human-rights', 'freedomhouse_fiw2023_status_score.csv'),
    pts: path.join(dataDir, 'human-rights', 'PTS-2024.csv'),
    vdem: path.join(dataDir, 'human-rights', 'vdem_v15_indices_1960-2024.csv'),
    pegasus: path.join(dataDir, 'surveillance-evidence', 'granitt_pegasus_victims.csv'),
    aigs: path.join(dataDir, 'surveillance-evidence', 'aigs_countries_ajkeith.csv'),
  };
}

export interface HumanRightsImport {
  sets: IndicatorSet[];
  reference: AssessmentReference;
}

/**
 * Import all five datasets (all or nothing), load the restrictive measures and build a profile for every
 * ISO 3166 country. The reference version combines the measures version and every file checksum.
 */
export function importHumanRightsReference(
  files: HumanRightsDataFiles,
  options: { safeguards?: Record<string, SafeguardAnswer[]> } = {},
): HumanRightsImport {
  const resolver = createCountryResolver(loadCountryNameTable());
  const dates = {
    ...readManifestDates(path.dirname(files.fiw)),
    ...readManifestDates(path.dirname(files.pegasus)),
  };
  const d = (f: string): { publisherDate?: string } => {
    const v = dates[path.basename(f)];
    return v ? { publisherDate: v } : {};
  };
  const sets = [
    importFreedomInTheWorld(files.fiw, resolver, d(files.fiw)),
    importPoliticalTerrorScale(files.pts, resolver, d(files.pts)),
    importVDem(files.vdem, resolver, d(files.vdem)),
    importPegasusOperatorCounts(files.pegasus, resolver, d(files.pegasus)),
    importAiGlobalSurveillanceIndex(files.aigs, resolver, d(files.aigs)),
  ];
  const measuresFile = loadRestrictiveMeasures();
  const profiles: Record<string, CountryProfile> = buildCountryProfiles(sets, measuresFile.measures, options);
  const version = `measures ${measuresFile.version}; data ${hashCanonical(sets.map((s) => [s.provenance.dataset, s.provenance.sha256])).slice(7, 23)}`;
  return { sets, reference: { version, measures: measuresFile.measures, profiles } };
}
