/** Renders a report into every requested format as named files (bytes); the caller writes them. */
import { ByteArena } from './byte-builder.ts';
import { buildDataPackage, type PublicationContext } from './data-package.ts';
import { publishedTablesOf } from './published-tables.ts';
import { registerSourceOf, type RegisterSource } from './register-blocks.ts';
import { renderCsv, renderReportJson } from './render-csv.ts';
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
 * Renders a report whose register comes as a `RegisterSource` (its rows' forms, ADR 0009): the same files, the same
 * bytes as `renderReportFiles` for the same rows.
 */
export async function renderReportFilesFrom(
  report: ReportShell,
  register: RegisterSource,
  options: RenderOptions,
): Promise<Map<string, Uint8Array>> {
  const enc = new TextEncoder();
  const files = new Map<string, Uint8Array>();
  // Every large file is a view into one arena (see ByteArena), sized so that it seldom grows (each growth copies the
  // output in progress and can cost a full garbage collection); spreadsheet XML is compressed as it is written.
  const formats = new Set(options.formats);
  const arena = new ByteArena(arenaBytesFor(register.length, formats));
  const tables = publishedTablesOf(report, register);
  if (formats.has('json')) {
    files.set('report.json', renderReportJson(report, register, arena));
    files.set('report.schema.json', enc.encode(`${JSON.stringify(buildReportJsonSchema(), null, 2)}\n`));
  }
  if (formats.has('csv')) {
    const csv = new Map(tables.map((t) => [t.name, renderCsv(t, arena)]));
    for (const [name, bytes] of csv) files.set(`${name}.csv`, bytes);
    files.set(
      'datapackage.json',
      enc.encode(`${JSON.stringify(buildDataPackage(report, tables, csv, options), null, 2)}\n`),
    );
  }
  if (formats.has('xlsx')) files.set('report.xlsx', await renderXlsx(report, tables));
  if (formats.has('html')) {
    files.set(
      'report.html',
      enc.encode(
        renderHtml(report, register, { ...options, maxRegisterRows: options.maxRegisterRowsHtml ?? 1000 }),
      ),
    );
  }
  if (formats.has('pdf')) {
    files.set(
      'report.pdf',
      await renderPdf(report, register, {
        maxRegisterRows: options.maxRegisterRowsPdf ?? 500,
        compress: options.compressPdf ?? true,
      }),
    );
  }
  return files;
}
