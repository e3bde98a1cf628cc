/** The single entry point of list imports: a source kind and its file(s) -> entries and provenance. */
import { invalid, requiredIssue } from '../../domain/errors.ts';
import { WATCHLIST_SOURCE_KINDS, type WatchlistSourceKind } from '../../domain/watchlist.ts';
import type { ImportedWatchlist, WatchlistImportOptions } from '../../domain/watchlist-import.ts';
import { importBisDeniedPersonsList } from './bis-dpl.importer.ts';
import { importCustosWatchlistCsv } from './custos-csv.importer.ts';
import { importEuFinancialSanctionsXml } from './eu-fsf.importer.ts';
import { importFollowTheMoneyJsonLines } from './ftm-jsonl.importer.ts';
import { classifyOfacPaths, importOfacLegacyCsv } from './ofac-legacy.importer.ts';
import { importUkSanctionsListXml } from './uk-fcdo.importer.ts';
import { importUnSecurityCouncilXml } from './un-sc.importer.ts';
import { importUsConsolidatedScreeningListCsv } from './us-csl.importer.ts';

/** True when `kind` names a supported source kind. */
export const isWatchlistSourceKind = (kind: string): kind is WatchlistSourceKind =>
  (WATCHLIST_SOURCE_KINDS as readonly string[]).includes(kind);

/**
 * Imports one list version, all or nothing. `paths` is one file, except for OFAC (ofac-sdn, ofac-nonsdn): pass
 * the primary file (sdn.csv / cons_prim.csv) and its siblings are found by OFAC's naming, or pass all of them.
 * Throws DomainError INVALID naming file and line or element on any malformed input.
 */
export async function importWatchlistFile(
  kind: WatchlistSourceKind | string,
  paths: string | string[],
  options: WatchlistImportOptions,
): Promise<ImportedWatchlist> {
  const list = Array.isArray(paths) ? paths : [paths];
  if (!isWatchlistSourceKind(kind)) {
    throw invalid(
      `Unknown list source kind "${kind}"; expected one of ${WATCHLIST_SOURCE_KINDS.join(', ')}.`,
      [{ path: 'kind', message: 'unknown source kind' }],
    );
  }
  if (list.length === 0) throw invalid('No file given.', [requiredIssue('paths')]);
  if (kind !== 'ofac-sdn' && kind !== 'ofac-nonsdn' && list.length !== 1) {
    throw invalid(`A ${kind} list is one file, got ${list.length}.`, [
      { path: 'paths', message: 'one file expected' },
    ]);
  }
  const file = list[0]!;
  switch (kind) {
    case 'ofac-sdn':
    case 'ofac-nonsdn':
      return importOfacLegacyCsv(kind, classifyOfacPaths(kind, list), options);
    case 'bis-dpl':
      return importBisDeniedPersonsList(file, options);
    case 'us-csl':
      return importUsConsolidatedScreeningListCsv(file, options);
    case 'un-sc':
      return importUnSecurityCouncilXml(file, options);
    case 'eu-fsf':
      return importEuFinancialSanctionsXml(file, options);
    case 'uk-fcdo':
      return importUkSanctionsListXml(file, options);
    case 'ftm-jsonl':
      return importFollowTheMoneyJsonLines(file, options);
    case 'custos-csv':
      return importCustosWatchlistCsv(file, options);
  }
}
