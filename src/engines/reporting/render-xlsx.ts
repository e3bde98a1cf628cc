/**
 * XLSX (Office Open XML spreadsheet) of the published tables, one sheet each, written by hand with inline strings
 * and a fixed creation date so that the same report gives the same bytes. Rows and cells carry no references (a
 * reader infers them; see `sheetRowXml`): a million-row register's workbook is then less than half the size (the
 * references were most of what did not compress), and a register's sheet rows can be compressed ahead, in blocks.
 */
import { ByteArena } from './byte-builder.ts';
import type { Cell, FieldType, PublishedTable } from './published-tables.ts';
import type { ReportShell } from './report-model.ts';
import { deflatePart, writeZipStreamed, type DeflatedPart, type ZipEntryProducer } from './zip-writer.ts';

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

/**
 * One row as sheet XML. Neither the row nor its cells carry a reference (ECMA-376 Part 1, 18.3.1.73 and 18.3.1.4: a
 * row without one follows the previous row, a cell the previous cell), and a left-out value is an empty `<c/>`: a
 * row's XML is then the same wherever it stands, so a block of register rows can be kept compressed and joined to
 * others (ADR 0009). Trailing empty cells are left out.
 * @example sheetRowXml(['a', null, 2], ['string', 'string', 'integer']) // '<row><c t="inlineStr"><is><t>a</t></is></c><c/><c><v>2</v></c></row>'
 */
export function sheetRowXml(row: readonly Cell[], types: readonly FieldType[]): string {
  let last = row.length - 1;
  while (last >= 0 && row[last] === null) last -= 1;
  let cells = '';
  for (let c = 0; c <= last; c += 1) {
    const v = row[c]!;
    if (v === null) cells += '<c/>';
    else if (typeof v === 'number')
      cells += types[c] === 'number' ? `<c s="2"><v>${v.toFixed(2)}</v></c>` : `<c><v>${v}</v></c>`;
    else if (typeof v === 'boolean') cells += `<c t="b"><v>${v ? 1 : 0}</v></c>`;
    // xml:space="preserve" only where a reader could otherwise drop white space (most cells have none).
    else
      cells += `<c t="inlineStr"><is><t${KEEP_SPACE.test(v) ? ' xml:space="preserve"' : ''}>${xml(v)}</t></is></c>`;
  }
  return `<row>${cells}</row>`;
}

/** Excel's limit is 1,048,576 rows per sheet: one header row plus this many data rows. */
export const MAX_SHEET_DATA_ROWS = 1_048_575;

/** Sheet XML (in characters, about as many bytes) handed to the compressor at a time. */
const CHUNK_BYTES = 4 << 20;

/** A sheet's XML before its rows: the frozen header row is its first row. */
const sheetHead = (table: PublishedTable): string =>
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
  '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>' +
  `<row>${table.fields.map((f) => `<c t="inlineStr" s="1"><is><t>${xml(f.name)}</t></is></c>`).join('')}</row>`;

const SHEET_TAIL = '</sheetData></worksheet>';

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
    append(sheetHead(table));
    const types = table.fields.map((f) => f.type);
    for (let r = from; r < to; r += 1) {
      const next = rows.next().value as Cell[] | string;
      append(typeof next === 'string' ? next : sheetRowXml(next, types));
      if (written >= CHUNK_BYTES) {
        await emit(out.toBytes());
        out = start();
      }
    }
    append(SHEET_TAIL);
    await emit(out.toBytes());
  };
}

/** A register sheet from its blocks of rows already deflated: only its head and tail are compressed here. */
async function* sheetParts(table: PublishedTable, blocks: AsyncIterable<DeflatedPart>) {
  const enc = new TextEncoder();
  yield deflatePart(enc.encode(sheetHead(table)));
  yield* blocks;
  yield deflatePart(enc.encode(SHEET_TAIL));
}

interface Sheet {
  table: PublishedTable;
  part: number;
  from: number;
  to: number;
  /** The table's rows (as cells, or as row XML), one pass shared by its sheets (written in order). */
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
      // A register table that fits one sheet comes as blocks already deflated; any other is written in chunks as the
      // zip writer compresses them: no sheet is ever held whole.
      data:
        sheet.table.rendered && sheet.table.rowCount <= MAX_SHEET_DATA_ROWS
          ? { parts: sheetParts(sheet.table, sheet.table.rendered.sheetParts()) }
          : sheetXml(sheet, scratch),
    })),
  ]);
}
