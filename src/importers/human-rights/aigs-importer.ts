/** AI Global Surveillance Index (Carnegie, 2019): the list of countries found to use AI surveillance. */
import type { IndicatorSet } from '../../domain/assessment.ts';
import type { CountryResolver } from './country-name-resolver.ts';
import type { ImportOptions } from './fiw-importer.ts';
import { IndicatorSetBuilder } from './indicator-set-builder.ts';
import { lineError, parseCsvRows, readSourceFile } from './source-file.ts';

/**
 * Import the AIGS country list (columns country, aigs). Each listed country gets `aigs_listed: true`; the
 * numeric column is kept in the note only, because its meaning in this copy of the list is not verified.
 */
export function importAiGlobalSurveillanceIndex(
  filePath: string,
  resolver: CountryResolver,
  options: ImportOptions = {},
): IndicatorSet {
  const source = readSourceFile(filePath);
  const rows = parseCsvRows(source, ['country']);
  const b = new IndicatorSetBuilder(
    'aigs-2019',
    'Carnegie Endowment, AI Global Surveillance Index (2019) country list',
    source,
    options.publisherDate ?? 'AIGS 2019 country list',
  );
  for (const { line, values } of rows) {
    b.rowsRead++;
    const name = values.country ?? '';
    const r = resolver.resolve(name);
    if (r === null) lineError(source, line, `unknown country "${name}"`);
    if ('excluded' in r) {
      b.skip(r.excluded);
      continue;
    }
    if (b.get(r.code, 'aigs_listed')) {
      b.skip('duplicate country');
      continue;
    }
    b.rowsUsed++;
    b.set(r.code, {
      key: 'aigs_listed',
      value: true,
      year: 2019,
      note: `listed; source column aigs = ${values.aigs ?? 'n/a'} (meaning not verified)`,
    });
  }
  return b.build();
}
