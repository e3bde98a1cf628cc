/**
 * XLSX (Office Open XML spreadsheet) of the published tables, one sheet each, written by hand with inline strings
 * and a fixed creation date so that the same report gives the same bytes. A cell carries its reference (`r="C7"`)
 * only where a reader cannot infer it: a million-row register's workbook is then less than half the size (the
 * references were most of what did not compress) and a quarter faster to write.
 */
import { ByteArena } from './byte-builder.ts';
import type { Cell, FieldType, PublishedTable } from './published-tables.ts';
import type { ReportShell } from './report-model.ts';
import { writeZipStreamed, type ZipEntryProducer } from './zip-writer.ts';

const NEEDS_ESCAPE = /[&<>"\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
const xml = (s: string): string =>
  !NEEDS_ESCAPE.test(s)
    ? s
    : s
        .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
        .replaceAll('&', '&amp;')
        .replaceAll('<', '&lt;')
        .replaceAll('>', '&gt;')
        .replaceAll('"', '&quot;');

/** Text with leading or trailing white space, or tabs and line breaks inside, keeps them only when marked. */
const KEEP_SPACE = /^\s|\s$|[\t\n\r]/;

function columnName(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** Stands for the row number in a register row's sheet cells (its forms, ADR 0009): a control character, which no cell text keeps (`xml()`). */
export const SHEET_ROW_NUMBER = '\u0001';

/**
 * A form's sheet cells as the sheet's row `rowNumber` (1 is the header row).
 * @example sheetCellsAt(forms.sheet[0][0], 2)
 */
export const sheetCellsAt = (cells: string, rowNumber: number): string =>
  cells.includes(SHEET_ROW_NUMBER) ? cells.replaceAll(SHEET_ROW_NUMBER, String(rowNumber)) : cells;

/** The column letters of a table's fields: A, B, ... Z, AA, ... */
export const sheetColumns = (fields: readonly { name: string }[]): string[] =>
  fields.map((_, c) => columnName(c));

/**
 * One row's cells as sheet XML, `rowNumber` being the text of its row number (a register row's forms pass a
 * placeholder, filled in when the sheet is written). A cell without a reference is the one after the previous cell of
 * its row (ECMA-376 Part 1, 18.3.1.4): only the first cell after one left out (null) needs its reference.
 * @example sheetRowCells(['a', null, 2], ['string', 'string', 'integer'], ['A', 'B', 'C'], '7') // '<c t="inlineStr"><is><t>a</t></is></c><c r="C7"><v>2</v></c>'
 */
export function sheetRowCells(
  row: readonly Cell[],
  types: readonly FieldType[],
  columns: readonly string[],
  rowNumber: string,
): string {
  let cells = '';
  let gap = false;
  for (let c = 0; c < row.length; c += 1) {
    const v = row[c]!;
    if (v === null) {
      gap = true;
      continue;
    }
    const ref = gap ? ` r="${columns[c]}${rowNumber}"` : '';
    gap = false;
    if (typeof v === 'number')
      cells +=
        types[c] === 'number' ? `<c${ref} s="2"><v>${v.toFixed(2)}</v></c>` : `<c${ref}><v>${v}</v></c>`;
    else if (typeof v === 'boolean') cells += `<c${ref} t="b"><v>${v ? 1 : 0}</v></c>`;
    // xml:space="preserve" only where a reader could otherwise drop white space (most cells have none).
    else
      cells += `<c${ref} t="inlineStr"><is><t${KEEP_SPACE.test(v) ? ' xml:space="preserve"' : ''}>${xml(v)}</t></is></c>`;
  }
  return cells;
}

/** Excel's limit is 1,048,576 rows per sheet: one header row plus this many data rows. */
export const MAX_SHEET_DATA_ROWS = 1_048_575;

/** Sheet XML (in characters, about as many bytes) handed to the compressor at a time. */
const CHUNK_BYTES = 4 << 20;

/**
 * Writes one sheet's XML in chunks of about CHUNK_BYTES, alternating between two scratch arenas: while zlib
 * compresses one chunk on its thread pool, the next is written into the other.
 */
function sheetXml(
  { table, from, to, rows }: Sheet,
  scratch: readonly [ByteArena, ByteArena],
): ZipEntryProducer {
  return async (emit) => {
    let turn = 0;
    let written = 0;
    const start = () => {
      const arena = scratch[turn % 2]!;
      turn += 1;
      arena.reset();
      written = 0;
      return arena.builder();
    };
    let out = start();
    const append = (text: string) => {
      out.append(text);
      written += text.length;
    };
    append(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>',
    );
    const columns = sheetColumns(table.fields);
    const types = table.fields.map((f) => f.type);
    append(
      `<row r="1">${table.fields.map((f) => `<c t="inlineStr" s="1"><is><t>${xml(f.name)}</t></is></c>`).join('')}</row>`,
    );
    for (let r = from; r < to; r += 1) {
      const n = r - from + 2;
      const next = rows.next().value as Cell[] | string;
      const cells =
        typeof next === 'string' ? sheetCellsAt(next, n) : sheetRowCells(next, types, columns, String(n));
      append(`<row r="${n}">${cells}</row>`);
      if (written >= CHUNK_BYTES) {
        await emit(out.toBytes());
        out = start();
      }
    }
    append('</sheetData></worksheet>');
    await emit(out.toBytes());
  };
}

interface Sheet {
  table: PublishedTable;
  part: number;
  from: number;
  to: number;
  /** The table's rows (as cells, or as rendered cells), one pass shared by its sheets (written in order). */
  rows: Iterator<Cell[] | string>;
}

/** Tables longer than Excel's row limit continue on further sheets (`register-items (2)`, ...). */
function planSheets(tables: readonly PublishedTable[]): Sheet[] {
  return tables.flatMap((table) => {
    const parts = Math.max(1, Math.ceil(table.rowCount / MAX_SHEET_DATA_ROWS));
    const rows: Iterator<Cell[] | string> = (table.rendered?.sheetRows() ?? table.rows!)[Symbol.iterator]();
    return Array.from({ length: parts }, (_, p) => ({
      table,
      rows,
      part: p + 1,
      from: p * MAX_SHEET_DATA_ROWS,
      to: Math.min(table.rowCount, (p + 1) * MAX_SHEET_DATA_ROWS),
    }));
  });
}

/** Sheet names: at most 31 characters, unique, without []:*?/\ . */
function sheetNames(sheets: readonly Sheet[]): string[] {
  const used = new Set<string>();
  return sheets.map((sheet) => {
    const suffix = sheet.part > 1 ? ` (${sheet.part})` : '';
    const base = `${sheet.table.name.replace(/[[\]:*?/\\]/g, '-').slice(0, 31 - suffix.length)}${suffix}`;
    let name = base;
    for (let i = 2; used.has(name.toLowerCase()); i += 1) name = `${base.slice(0, 28)}-${i}`;
    used.add(name.toLowerCase());
    return name;
  });
}

/**
 * Renders the tables as one workbook. Document properties carry the report id and publication time (no clock).
 * @example const bytes = await renderXlsx(report, buildPublishedTables(report)); // a ZIP starting with 'PK'
 */
export async function renderXlsx(
  report: ReportShell,
  tables: readonly PublishedTable[],
): Promise<Uint8Array> {
  const scratch = [new ByteArena(), new ByteArena()] as const;
  const sheets = planSheets(tables);
  const names = sheetNames(sheets);
  const enc = new TextEncoder();
  const head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
  const files: { name: string; data: string }[] = [
    {
      name: '[Content_Types].xml',
      data:
        head +
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
        names
          .map(
            (_, i) =>
              `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
          )
          .join('') +
        '</Types>',
    },
    {
      name: '_rels/.rels',
      data:
        head +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
        '</Relationships>',
    },
    {
      name: 'docProps/core.xml',
      data:
        head +
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
        `<dc:title>${xml(`${report.authority.name}: transparency report ${report.period.id}, revision ${report.revision.number}`)}</dc:title>` +
        `<dc:identifier>${xml(report.reportId)}</dc:identifier>` +
        '<dc:creator>Custos</dc:creator>' +
        `<dcterms:created xsi:type="dcterms:W3CDTF">${xml(report.publishedAt)}</dcterms:created>` +
        `<dcterms:modified xsi:type="dcterms:W3CDTF">${xml(report.publishedAt)}</dcterms:modified>` +
        '</cp:coreProperties>',
    },
    {
      name: 'xl/workbook.xml',
      data:
        head +
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>' +
        names.map((n, i) => `<sheet name="${xml(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
        '</sheets></workbook>',
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data:
        head +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        names
          .map(
            (_, i) =>
              `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
          )
          .join('') +
        `<Relationship Id="rId${names.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
        '</Relationships>',
    },
    {
      name: 'xl/styles.xml',
      data:
        head +
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
        '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
        '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>' +
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
        '</styleSheet>',
    },
  ];
  return writeZipStreamed([
    ...files.map((f) => ({ name: f.name, data: enc.encode(f.data) })),
    ...sheets.map((sheet, i) => ({
      name: `xl/worksheets/sheet${i + 1}.xml`,
      // Written in chunks as the zip writer compresses them: no sheet is ever held whole.
      data: sheetXml(sheet, scratch),
    })),
  ]);
}
