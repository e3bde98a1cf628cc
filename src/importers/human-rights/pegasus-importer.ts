/**
 * Documented Pegasus targets aggregated by OPERATOR country (the state attributed as using the spyware).
 * Reads only the operator, role and disclosure columns: no name or code name is read into any output.
 */
import type { IndicatorSet } from '../../domain/assessment.ts';
import type { CountryResolver } from './country-name-resolver.ts';
import type { ImportOptions } from './fiw-importer.ts';
import { IndicatorSetBuilder } from './indicator-set-builder.ts';
import { lineError, parseCsvRows, readSourceFile } from './source-file.ts';

const CIVIC_ROLES = new Set([
  'journalist',
  'activist',
  'lawyer',
  'academic',
  'clergy',
  'politician',
  'staff',
]);

/**
 * Count targets per operator country; a record attributed to several operators ("A; B") counts for each;
 * records with no attributed operator are counted in provenance only. All or nothing, errors name the line.
 */
export function importPegasusOperatorCounts(
  filePath: string,
  resolver: CountryResolver,
  options: ImportOptions = {},
): IndicatorSet {
  const source = readSourceFile(filePath);
  const rows = parseCsvRows(source, ['operator', 'role', 'disclosed']);
  const b = new IndicatorSetBuilder(
    'pegasus-granitt',
    'Granitt, Pegasus victims dataset (aggregated by operator country)',
    source,
    options.publisherDate ?? '2023-11-27',
  );
  const counts = new Map<string, { n: number; civic: number; lastYear: number | null }>();
  for (const { line, values } of rows) {
    b.rowsRead++;
    const operators = (values.operator ?? '')
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean);
    if (operators.length === 0) {
      b.skip('no attributed operator');
      continue;
    }
    const years = (values.disclosed ?? '').match(/\d{4}/g)?.map(Number) ?? [];
    const year = years.length > 0 ? Math.max(...years) : null;
    const civic = CIVIC_ROLES.has((values.role ?? '').trim().toLowerCase());
    for (const op of operators) {
      const r = resolver.resolve(op);
      if (r === null) lineError(source, line, `unknown operator country "${op}"`);
      if ('excluded' in r) {
        b.skip(r.excluded);
        continue;
      }
      const c = counts.get(r.code) ?? { n: 0, civic: 0, lastYear: null };
      c.n++;
      if (civic) c.civic++;
      if (year !== null && (c.lastYear === null || year > c.lastYear)) c.lastYear = year;
      counts.set(r.code, c);
    }
    b.rowsUsed++;
  }
  for (const [code, c] of counts) {
    b.set(code, {
      key: 'pegasus_targets_count',
      value: c.n,
      year: c.lastYear,
      note: `${c.n} documented target(s), of which ${c.civic} journalists, activists, lawyers, academics, clergy, politicians or staff; latest disclosure year`,
    });
  }
  return b.build();
}
