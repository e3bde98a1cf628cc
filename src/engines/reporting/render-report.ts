/** Renders a report into every requested format as named files (bytes); the caller writes them. */
import { ByteArena, type OutputWriter } from './byte-builder.ts';
import { buildDataPackage, factsOf, type FileFacts, type PublicationContext } from './data-package.ts';
import { publishedTablesOf } from './published-tables.ts';
import { registerSourceOf, type RegisterSource } from './register-blocks.ts';
import { writeCsv, writeReportJson } from './render-csv.ts';
import { renderHtml } from './render-html.ts';
import { renderPdf } from './render-pdf.ts';
import { renderXlsx } from './render-xlsx.ts';
import { buildReportJsonSchema, type ReportShell, type TransparencyReport } from './report-model.ts';

export const REPORT_FORMATS = ['json', 'csv', 'xlsx', 'html', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderOptions extends PublicationContext {
  formats: readonly ReportFormat[];
  maxRegisterRowsHtml?: number;
  maxRegisterRowsPdf?: number;
  /** PDF content-stream compression (default true). */
  compressPdf?: boolean;
}

/** Bytes of JSON and CSV output per register row, about (with its items and parties). */
const JSON_BYTES_PER_ROW = 1024;
const CSV_BYTES_PER_ROW = 512;

/** The arena's first block: about the register's JSON and CSV (16 MB at least, 1 GB at most; it grows beyond). */
function arenaBytesFor(registerRows: number, formats: ReadonlySet<ReportFormat>): number {
  const perRow =
    (formats.has('json') ? JSON_BYTES_PER_ROW : 0) + (formats.has('csv') ? CSV_BYTES_PER_ROW : 0);
  return Math.min(1 << 30, Math.max(16 << 20, registerRows * perRow));
}

/**
 * Where a report's files go as they are rendered: kept in memory (`renderReportFilesFrom`), or written to files by a
 * target the caller provides (the service writes them into a folder, the kept register text passing through a small
 * buffer instead of being gathered in memory first).
 */
export interface ReportFileTarget {
  /** A file written through `write`, in order; with `digest`, its size and SHA-256 are returned. */
  stream(name: string, write: (out: OutputWriter) => void, digest: boolean): FileFacts | null;
  /** A file whose bytes are in hand. */
  put(name: string, content: Uint8Array): void;
}

/**
 * Renders the report. File names: report.json, report.schema.json, <table>.csv, datapackage.json, report.xlsx,
 * report.html, report.pdf. Byte-identical for the same report and options.
 * @example const files = await renderReportFiles(report, { formats: ['json', 'csv'], baseUrl, licence });
 */
export function renderReportFiles(
  report: TransparencyReport,
  options: RenderOptions,
): Promise<Map<string, Uint8Array>> {
  return renderReportFilesFrom(report, registerSourceOf(report.register), options);
}

/**
 * Renders a report whose register comes as a `RegisterSource` (its rows' forms, ADR 0009) into memory: the same files,
 * the same bytes as `renderReportFiles` for the same rows.
 */
export async function renderReportFilesFrom(
  report: ReportShell,
  register: RegisterSource,
  options: RenderOptions,
): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  // Every large file is a view into one arena (see ByteArena), sized so that it seldom grows (each growth copies the
  // output in progress and can cost a full garbage collection).
  const arena = new ByteArena(arenaBytesFor(register.length, new Set(options.formats)));
  await renderReportFilesTo(report, register, options, {
    stream: (name, write, digest) => {
      const out = arena.builder();
      write(out);
      const content = out.toBytes();
      files.set(name, content);
      return digest ? factsOf(content) : null;
    },
    put: (name, content) => files.set(name, content),
  });
  return files;
}

/**
 * Renders a report (its register as a `RegisterSource`) into `target`, file by file in a fixed order: the same bytes
 * whatever the target. Spreadsheet XML is compressed as it is written.
 */
export async function renderReportFilesTo(
  report: ReportShell,
  register: RegisterSource,
  options: RenderOptions,
  target: ReportFileTarget,
): Promise<void> {
  const enc = new TextEncoder();
  const formats = new Set(options.formats);
  const tables = publishedTablesOf(report, register);
  if (formats.has('json')) {
    target.stream('report.json', (out) => writeReportJson(report, register, out), false);
    target.put('report.schema.json', enc.encode(`${JSON.stringify(buildReportJsonSchema(), null, 2)}\n`));
  }
  if (formats.has('csv')) {
    const csv = new Map<string, FileFacts>();
    for (const t of tables)
      csv.set(
        t.name,
        target.stream(`${t.name}.csv`, (out) => writeCsv(t, out), true)!,
      );
    target.put(
      'datapackage.json',
      enc.encode(`${JSON.stringify(buildDataPackage(report, tables, csv, options), null, 2)}\n`),
    );
  }
  if (formats.has('xlsx')) target.put('report.xlsx', await renderXlsx(report, tables));
  if (formats.has('html')) {
    target.put(
      'report.html',
      enc.encode(
        renderHtml(report, register, { ...options, maxRegisterRows: options.maxRegisterRowsHtml ?? 1000 }),
      ),
    );
  }
  if (formats.has('pdf')) {
    target.put(
      'report.pdf',
      await renderPdf(report, register, {
        maxRegisterRows: options.maxRegisterRowsPdf ?? 500,
        compress: options.compressPdf ?? true,
      }),
    );
  }
}
