/** CSV (RFC 4180, UTF-8, CRLF) of each published table, and the report's canonical JSON, as bytes. */
import { ByteArena, type OutputWriter } from './byte-builder.ts';
import type { Cell, FieldType, PublishedTable } from './published-tables.ts';
import type { RegisterSource } from './register-blocks.ts';
import { REPORT_FIELDS, type ReportShell } from './report-model.ts';

/** Canonical text of one cell: `number` fields with two decimals, integers as they are, empty for null. */
export function formatCell(value: Cell, type: FieldType): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return type === 'number' ? value.toFixed(2) : String(value);
  return value;
}

/** A field that holds a quote, comma or line break, or starts or ends with white space, is quoted. */
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
const quote = (s: string): string => (NEEDS_QUOTES.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/**
 * One table as CSV bytes with a header row.
 * @example new TextDecoder().decode(renderCsv(tables[0])).split('\r\n')[0] // 'rowId,reference,memberState,...'
 */
export function renderCsv(table: PublishedTable, arena = new ByteArena()): Uint8Array {
  const out = arena.builder();
  writeCsv(table, out);
  return out.toBytes();
}

/** One table as CSV with a header row, written to `out` (in memory, or to a file as it goes). */
export function writeCsv(table: PublishedTable, out: OutputWriter): void {
  out.append(`${table.fields.map((f) => quote(f.name)).join(',')}\r\n`);
  if (table.rendered) for (const chunk of table.rendered.csvChunks()) out.appendChunk(chunk);
  else {
    const types = table.fields.map((f) => f.type);
    for (const row of table.rows) out.append(csvLine(row, types));
  }
}

/**
 * One row as a CSV line ending in CRLF, `types` being its fields' types (a register row's forms are made of these).
 * @example csvLine(['a,b', 2, null], ['string', 'number', 'string']) // '"a,b",2.00,\r\n'
 */
export function csvLine(row: readonly Cell[], types: readonly FieldType[]): string {
  let line = '';
  for (let i = 0; i < types.length; i += 1) {
    const v = row[i] ?? null;
    // Numbers and booleans never need quotes; only text is checked.
    const text = formatCell(v, types[i]!);
    line += i === 0 ? '' : ',';
    line += typeof v === 'string' ? quote(text) : text;
  }
  return `${line}\r\n`;
}

const REGISTER_MARKER = '\u0000register\u0000';
const REGISTER_PLACEHOLDER = JSON.stringify(REGISTER_MARKER);

/**
 * The report as JSON bytes: two-space indent, with each register row compact on its own line (a 1,000,000-row
 * register stays readable and below string limits). Key order is the model's construction order.
 * @example JSON.parse(new TextDecoder().decode(renderReportJson(report))).schemaVersion // '1.0.0'
 */
export function renderReportJson(
  report: ReportShell,
  register: RegisterSource,
  arena = new ByteArena(),
): Uint8Array {
  const out = arena.builder();
  writeReportJson(report, register, out);
  return out.toBytes();
}

/** The report as JSON (see `renderReportJson`), written to `out` (in memory, or to a file as it goes). */
export function writeReportJson(report: ReportShell, register: RegisterSource, out: OutputWriter): void {
  // The report's fields in the model's order, the register's place marked.
  const shell = Object.fromEntries(
    REPORT_FIELDS.map((k) => [k, k === 'register' ? REGISTER_MARKER : report[k as keyof ReportShell]]),
  );
  const head = JSON.stringify(shell, null, 2);
  const at = head.indexOf(REGISTER_PLACEHOLDER);
  out.append(head.slice(0, at));
  if (register.length === 0) out.append('[]');
  else {
    out.append('[\n');
    for (const chunk of register.jsonChunks()) out.appendChunk(chunk);
    // Every line ends in ",\n": the last one without its comma.
    out.dropLast(2);
    out.append('\n  ]');
  }
  out.append(head.slice(at + REGISTER_PLACEHOLDER.length));
  out.append('\n');
}
