/** V-Dem v15: liberal democracy index (v2x_libdem, 0-1), latest year with a value per country. */
import type { IndicatorSet } from '../../domain/assessment.ts';
import type { CountryResolver } from './country-name-resolver.ts';
import type { ImportOptions } from './fiw-importer.ts';
import { IndicatorSetBuilder } from './indicator-set-builder.ts';
import { lineError, parseCsvRows, readSourceFile } from './source-file.ts';

/**
 * Import the V-Dem indices CSV (columns country_name, country_text_id, year, v2x_libdem). Rows without a V-Dem
 * country name (merged World Bank aggregates) are skipped and counted; unknown countries fail naming the line.
 */
export function importVDem(
  filePath: string,
  resolver: CountryResolver,
  options: ImportOptions = {},
): IndicatorSet {
  const source = readSourceFile(filePath);
  const rows = parseCsvRows(source, ['country_name', 'country_text_id', 'year', 'v2x_libdem']);
  const b = new IndicatorSetBuilder(
    'vdem-v15',
    'V-Dem Institute, V-Dem dataset v15 (liberal democracy index)',
    source,
    options.publisherDate ?? 'V-Dem v15 (2025)',
  );
  const latest = new Map<string, { year: number; value: number }>();
  for (const { line, values } of rows) {
    b.rowsRead++;
    const name = values.country_name ?? '';
    if (name === 'NA' || name.trim() === '') {
      b.skip('row without a V-Dem country (aggregate)');
      continue;
    }
    const raw = (values.v2x_libdem ?? '').trim();
    let r = resolver.resolve(values.country_text_id ?? '');
    if (r === null) r = resolver.resolve(name);
    if (r === null) lineError(source, line, `unknown country "${name}" (code "${values.country_text_id}")`);
    if ('excluded' in r) {
      b.skip(r.excluded);
      continue;
    }
    if (raw === 'NA' || raw === '') {
      b.skip('no value');
      continue;
    }
    const v = Number(raw);
    if (!Number.isFinite(v) || v < 0 || v > 1)
      lineError(source, line, `v2x_libdem "${raw}" is not a number 0-1`);
    const year = Number(values.year);
    if (!Number.isInteger(year)) lineError(source, line, `year "${values.year}" is not a year`);
    b.rowsUsed++;
    const prev = latest.get(r.code);
    if (!prev || year > prev.year) latest.set(r.code, { year, value: v });
  }
  for (const [code, { year, value }] of latest) b.set(code, { key: 'vdem_libdem01', value, year });
  return b.build();
}
