/** Public surface of the human-rights importers and the assessment policy loaders. */
export { importFreedomInTheWorld, type ImportOptions } from './fiw-importer.ts';
export { importPoliticalTerrorScale } from './pts-importer.ts';
export { importVDem } from './vdem-importer.ts';
export { importPegasusOperatorCounts } from './pegasus-importer.ts';
export { importAiGlobalSurveillanceIndex } from './aigs-importer.ts';
export {
  createCountryResolver,
  type CountryResolver,
  type CountryResolution,
} from './country-name-resolver.ts';
export {
  importHumanRightsReference,
  locateHumanRightsFiles,
  type HumanRightsDataFiles,
  type HumanRightsImport,
} from './human-rights-reference.ts';
export {
  loadAssessmentModel,
  loadRestrictiveMeasures,
  loadCountryNameTable,
  POLICY_DIR,
  DEFAULT_MODEL_FILE,
  DEFAULT_MEASURES_FILE,
  DEFAULT_COUNTRY_NAMES_FILE,
} from './policy-loader.ts';
export {
  crossCheckMeasures,
  findBansMentioned,
  loadProgrammeDescriptions,
  type CrossCheckResult,
  type ProgrammeDescription,
} from './programme-crosscheck.ts';
