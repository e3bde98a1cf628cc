/** Public API of the list importers: import a list file, compare two versions, download the official lists. */
export { importWatchlistFile, isWatchlistSourceKind } from './import-watchlist.ts';
export { diffWatchlists } from './watchlist-diff.ts';
export { downloadWatchlists, DEFAULT_WATCHLIST_SOURCES, type DownloadOptions } from './watchlist-download.ts';
export {
  findOfacSiblings,
  classifyOfacPaths,
  importOfacLegacyCsv,
  type OfacFileSet,
} from './ofac-legacy.importer.ts';
export { importUnSecurityCouncilXml } from './un-sc.importer.ts';
export { importEuFinancialSanctionsXml } from './eu-fsf.importer.ts';
export { importUkSanctionsListXml } from './uk-fcdo.importer.ts';
export { importUsConsolidatedScreeningListCsv } from './us-csl.importer.ts';
export { importBisDeniedPersonsList } from './bis-dpl.importer.ts';
export { importFollowTheMoneyJsonLines } from './ftm-jsonl.importer.ts';
export { importCustosWatchlistCsv, CUSTOS_CSV_COLUMNS } from './custos-csv.importer.ts';
export { toCountryCode, PUBLISHER_COUNTRY_SPELLINGS } from './country-names.ts';
