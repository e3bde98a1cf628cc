/** Freedom House, Freedom in the World 2023 (status F/PF/NF and total score 0-100, covering 2022). */
import type { IndicatorSet } from '../../domain/assessment.ts';
import type { CountryResolver } from './country-name-resolver.ts';
import { IndicatorSetBuilder } from './indicator-set-builder.ts';
import { lineError, parseCsvRows, readSourceFile } from './source-file.ts';

export interface ImportOptions {
  publisherDate?: string;
}

/**
 * Import the FIW CSV (columns name, region, country_or_territory, status, score). All or nothing: an unknown
 * name, status or score fails naming the line; names listed as excluded are skipped and counted.
 */
export function importFreedomInTheWorld(
  filePath: string,
  resolver: CountryResolver,
  options: ImportOptions = {},
): IndicatorSet {
  const source = readSourceFile(filePath);
  const rows = parseCsvRows(source, ['name', 'status', 'score']);
  const b = new IndicatorSetBuilder(
    'fiw-2023',
    'Freedom House, Freedom in the World 2023',
    source,
    options.publisherDate ?? 'FIW 2023 edition (covers 2022)',
  );
  for (const { line, values } of rows) {
    b.rowsRead++;
    const name = values.name ?? '';
    const r = resolver.resolve(name);
    if (r === null)
      lineError(
        source,
        line,
        `unknown country or territory "${name}" (add it to policy/countries/country-names.yaml)`,
      );
    if ('excluded' in r) {
      b.skip(r.excluded);
      continue;
    }
    const status = (values.status ?? '').trim();
    if (!['F', 'PF', 'NF'].includes(status)) lineError(source, line, `status "${status}" is not F, PF or NF`);
    const score = Number(values.score);
    if (!Number.isInteger(score) || score < 0 || score > 100)
      lineError(source, line, `score "${values.score}" is not an integer 0-100`);
    if (b.get(r.code, 'fiw_status')) {
      b.skip('duplicate country');
      continue;
    }
    b.set(r.code, { key: 'fiw_status', value: status, year: 2022 });
    b.set(r.code, { key: 'fiw_score100', value: score, year: 2022 });
    b.rowsUsed++;
  }
  return b.build();
}
