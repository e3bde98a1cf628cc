/** Reading a source file once: its text in the stated encoding, its SHA-256 and its CSV records with line numbers. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { invalid } from '../../domain/errors.ts';

export interface SourceFile {
  file: string;
  text: string;
  sha256: string;
  bytes: number;
}

/** Read a file (utf-8 or latin1), failing with DomainError INVALID naming the file when it cannot be read. */
export function readSourceFile(filePath: string, encoding: 'utf-8' | 'latin1' = 'utf-8'): SourceFile {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(filePath);
  } catch (e) {
    throw invalid(`Cannot read ${filePath}: ${(e as Error).message}`, [
      { path: filePath, message: 'unreadable' },
    ]);
  }
  const text = encoding === 'latin1' ? buf.toString('latin1') : buf.toString('utf-8');
  return {
    file: path.basename(filePath),
    text,
    sha256: createHash('sha256').update(buf).digest('hex'),
    bytes: buf.length,
  };
}

export interface CsvRow {
  /** 1-based line number of the record in the file (the header is line 1). */
  line: number;
  values: Record<string, string>;
}

/** Parse CSV with a header; every record keeps its line number. Missing columns fail naming them. */
export function parseCsvRows(source: SourceFile, requiredColumns: string[]): CsvRow[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(source.text, {
      columns: true,
      info: true,
      skip_empty_lines: true,
      bom: true,
      relax_column_count: false,
    }) as typeof records;
  } catch (e) {
    throw invalid(`${source.file}: ${(e as Error).message}`, [
      { path: source.file, message: (e as Error).message },
    ]);
  }
  const first = records[0]?.record;
  if (first) {
    const missing = requiredColumns.filter((c) => !(c in first));
    if (missing.length > 0) {
      throw invalid(
        `${source.file}: missing column(s) ${missing.join(', ')}`,
        missing.map((c) => ({ path: `${source.file}:1`, message: `missing column ${c}` })),
      );
    }
  }
  return records.map((r) => ({ line: r.info.lines, values: r.record }));
}

/** Throw DomainError INVALID naming the file and line. */
export function lineError(source: SourceFile, line: number, message: string): never {
  throw invalid(`${source.file} line ${line}: ${message}`, [{ path: `${source.file}:${line}`, message }]);
}

/** Publisher dates from a MANIFEST.tsv (file, source, date, ...) in a data folder; empty when absent. */
export function readManifestDates(dir: string): Record<string, string> {
  const file = path.join(dir, 'MANIFEST.tsv');
  if (!fs.existsSync(file)) return {};
  const out: Record<string, string> = {};
  const [header, ...lines] = fs
    .readFileSync(file, 'utf-8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const cols = (header ?? '').split('\t');
  const fi = cols.indexOf('file');
  const di = cols.indexOf('date');
  const si = cols.indexOf('source');
  for (const l of lines) {
    const parts = l.split('\t');
    const name = parts[fi];
    if (name) out[name] = [parts[di], parts[si]].filter(Boolean).join('; ');
  }
  return out;
}
