/** CSV (RFC 4180, UTF-8, CRLF) of each published table, and the report's canonical JSON. */
import type { Cell, FieldType, PublishedTable } from './published-tables.ts';
import type { TransparencyReport } from './report-model.ts';

/** Canonical text of one cell: `number` fields with two decimals, integers as they are, empty for null. */
export function formatCell(value: Cell, type: FieldType): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return type === 'number' ? value.toFixed(2) : String(value);
  return value;
}

const quote = (s: string): string =>
  /[",\r\n]/.test(s) || /^[\s]|[\s]$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;

/**
 * One table as CSV text with a header row.
 * @example renderCsv(tables[0]).split('\r\n')[0] // 'rowId,reference,memberState,...'
 */
export function renderCsv(table: PublishedTable): string {
  const lines = [table.fields.map((f) => quote(f.name)).join(',')];
  for (const row of table.rows)
    lines.push(row.map((v, i) => quote(formatCell(v, table.fields[i]!.type))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * The report as JSON text (two-space indent, trailing newline). Key order is the model's construction order.
 * @example JSON.parse(renderReportJson(report)).schemaVersion // '1.0.0'
 */
export function renderReportJson(report: TransparencyReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
