/** Political Terror Scale 2024 (latin-1 CSV): Amnesty, HRW and State Department scores 1-5; latest year per source. */
import type { IndicatorKey, IndicatorSet } from '../../domain/assessment.ts';
import type { CountryResolver } from './country-name-resolver.ts';
import type { ImportOptions } from './fiw-importer.ts';
import { IndicatorSetBuilder } from './indicator-set-builder.ts';
import { lineError, parseCsvRows, readSourceFile } from './source-file.ts';

const SCORE_COLUMNS: [string, IndicatorKey, string][] = [
  ['PTS_A', 'pts_amnesty15', 'Amnesty International reports'],
  ['PTS_H', 'pts_hrw15', 'Human Rights Watch reports'],
  ['PTS_S', 'pts_state15', 'US State Department reports'],
];

/**
 * Import the PTS CSV. Countries resolve by name (excluded list), then the World Bank code, then the name.
 * For each country and source the latest year with a score is kept. All or nothing, errors name the line.
 */
export function importPoliticalTerrorScale(
  filePath: string,
  resolver: CountryResolver,
  options: ImportOptions = {},
): IndicatorSet {
  const source = readSourceFile(filePath, 'latin1');
  const rows = parseCsvRows(source, ['Country', 'Year', 'WordBank_Code_A', 'PTS_A', 'PTS_H', 'PTS_S']);
  const b = new IndicatorSetBuilder(
    'pts-2024',
    'Political Terror Scale 2024 (Gibney et al.)',
    source,
    options.publisherDate ?? 'PTS 2024 release',
  );
  const latest = new Map<string, { year: number; value: number }>();
  for (const { line, values } of rows) {
    b.rowsRead++;
    const name = values.Country ?? '';
    let r = resolver.resolve(name);
    if (r === null || !('excluded' in r)) {
      const byCode = resolver.resolve(values.WordBank_Code_A ?? '');
      if (byCode && 'code' in byCode) r = byCode;
    }
    if (r === null) lineError(source, line, `unknown country "${name}" (code "${values.WordBank_Code_A}")`);
    if ('excluded' in r) {
      b.skip(r.excluded);
      continue;
    }
    const year = Number(values.Year);
    if (!Number.isInteger(year) || year < 1900 || year > 2100)
      lineError(source, line, `year "${values.Year}" is not a year`);
    let any = false;
    for (const [col, key] of SCORE_COLUMNS) {
      const raw = (values[col] ?? '').trim();
      if (raw === 'NA' || raw === '') continue;
      const v = Number(raw);
      if (!Number.isInteger(v) || v < 1 || v > 5)
        lineError(source, line, `${col} "${raw}" is not NA or an integer 1-5`);
      any = true;
      const k = `${r.code}|${key}`;
      const prev = latest.get(k);
      if (!prev || year > prev.year) latest.set(k, { year, value: v });
    }
    if (any) b.rowsUsed++;
    else b.skip('no score in any source');
  }
  for (const [k, { year, value }] of latest) {
    const [code, key] = k.split('|') as [string, IndicatorKey];
    const note = SCORE_COLUMNS.find(([, kk]) => kk === key)?.[2];
    b.set(code, {
      key,
      value,
      year,
      ...(note ? { note: `PTS coded from ${note}; latest year with a score` } : {}),
    });
  }
  return b.build();
}
