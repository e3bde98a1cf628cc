/**
 * The register as the renderers read it, and its blocks: the rows of one month of decisions (the rows without a
 * decision date, at the register's end, are one more block) rendered into every register output on their own (their
 * lines of `report.json`, of the three register CSV files, and their rows of the three register sheets, compressed
 * apart). The register's outputs are the blocks joined in order, whether the blocks were rendered now from rows or
 * kept from an earlier build (ADR 0009): a row's text never depends on its position, and the sheets are compressed
 * block by block in both cases, so both give the same bytes.
 */
import { inflateRawSync, constants as zlibConstants } from 'node:zlib';
import { ByteArena, type TextChunk } from './byte-builder.ts';
import type { Cell, FieldType, PublishedField } from './published-tables.ts';
import { csvLine } from './render-csv.ts';
import { sheetRowXml } from './render-xlsx.ts';
import type { PublicRegisterRow } from './report-model.ts';
import { deflatePartAsync, type DeflatedPart } from './zip-writer.ts';

const list = (xs: string[] | null): string | null => (xs === null ? null : xs.join(';'));

/** The register's fields, its items' and its parties' (the same in every report). */
const REGISTER_FIELDS: readonly PublishedField[] = [
  { name: 'rowId', type: 'string', description: 'Row key: the reference when published, else row-N.' },
  { name: 'reference', type: 'string', description: 'Application reference.' },
  { name: 'memberState', type: 'string', description: 'Issuing Member State, ISO 3166-1 alpha-2.' },
  { name: 'receivedOn', type: 'date', description: 'Date the application was received.' },
  { name: 'decidedOn', type: 'date', description: 'Date of the decision (empty while pending).' },
  { name: 'licenceType', type: 'string', description: 'Licence type (Art. 12).' },
  { name: 'destinationCountry', type: 'string', description: 'Destination country, ISO 3166-1 alpha-2.' },
  {
    name: 'decision',
    type: 'string',
    description: 'granted, granted_with_conditions, denied, withdrawn or pending.',
  },
  {
    name: 'cyberSurveillance',
    type: 'boolean',
    description: 'At least one item is a cyber-surveillance item (Art. 2(20)).',
  },
  { name: 'totalValueEur', type: 'number', description: 'Total value of the items in euro.' },
  { name: 'criteria', type: 'string', description: 'Assessment criteria cited, separated by ";".' },
  { name: 'rights', type: 'string', description: 'Charter rights assessed, separated by ";".' },
  { name: 'consulted', type: 'boolean', description: 'Another Member State was consulted (Art. 16).' },
  {
    name: 'denialRelated',
    type: 'boolean',
    description: 'Denied, or essentially identical to a notified denial.',
  },
];

const REGISTER_ITEM_FIELDS: readonly PublishedField[] = [
  { name: 'rowId', type: 'string', description: 'Register row.' },
  { name: 'lineNo', type: 'integer', description: 'Line number within the application.' },
  {
    name: 'controlEntries',
    type: 'string',
    description: 'Annex I entries, separated by ";" (empty: not listed).',
  },
  {
    name: 'cyberSurveillanceCategory',
    type: 'string',
    description: 'Cyber-surveillance category, if any.',
  },
  { name: 'descriptionCode', type: 'string', description: 'Code of the public description vocabulary.' },
  { name: 'description', type: 'string', description: 'Public description (controlled vocabulary).' },
  { name: 'quantity', type: 'number', description: 'Quantity.' },
  { name: 'unit', type: 'string', description: 'Unit of the quantity.' },
  { name: 'valueEur', type: 'number', description: 'Value in euro.' },
];

const REGISTER_PARTY_FIELDS: readonly PublishedField[] = [
  { name: 'rowId', type: 'string', description: 'Register row.' },
  { name: 'partyNo', type: 'integer', description: 'Party number within the application.' },
  { name: 'role', type: 'string', description: 'Role: end_user, consignee, ultimate_end_user, ...' },
  { name: 'partyType', type: 'string', description: 'Type of party.' },
  { name: 'sector', type: 'string', description: 'Sector of the party.' },
  { name: 'country', type: 'string', description: 'Country, ISO 3166-1 alpha-2.' },
  {
    name: 'name',
    type: 'string',
    description: 'Name of a legal person where the policy publishes it; never a natural person.',
  },
];

/** A register row's one row of the `register` table. */
const registerCells = (r: PublicRegisterRow): Cell[] => [
  r.rowId,
  r.reference,
  r.memberState,
  r.receivedOn,
  r.decidedOn,
  r.licenceType,
  r.destinationCountry,
  r.decision,
  r.cyberSurveillance,
  r.totalValueEur,
  list(r.criteria),
  list(r.rights),
  r.consulted,
  r.denialRelated,
];

/** A register row's rows of `register-items`, one per item. */
const itemCells = (r: PublicRegisterRow): Cell[][] =>
  r.items.map((i) => [
    r.rowId,
    i.lineNo,
    list(i.controlEntries),
    i.cyberSurveillanceCategory,
    i.descriptionCode,
    i.description,
    i.quantity,
    i.unit,
    i.valueEur,
  ]);

/** A register row's rows of `register-parties`, one per party, numbered from 1. */
const partyCells = (r: PublicRegisterRow): Cell[][] =>
  r.parties.map((p, k) => [r.rowId, k + 1, p.role, p.partyType, p.sector, p.country, p.name]);

/** The three tables of the register, in published order: how each is described, and each row's rows in it. */
export const REGISTER_TABLES = [
  {
    name: 'register',
    title: (periodId: string) => `Public register of applications, ${periodId}`,
    fields: REGISTER_FIELDS,
    primaryKey: ['rowId'],
    rowsOf: (r: PublicRegisterRow): Cell[][] => [registerCells(r)],
    countOf: (_: PublicRegisterRow): number => 1,
  },
  {
    name: 'register-items',
    title: () => 'Items of each application in the register',
    fields: REGISTER_ITEM_FIELDS,
    primaryKey: ['rowId', 'lineNo'],
    rowsOf: itemCells,
    countOf: (r: PublicRegisterRow): number => r.items.length,
  },
  {
    name: 'register-parties',
    title: () => 'End users and other parties of each application (described; named only where allowed)',
    fields: REGISTER_PARTY_FIELDS,
    primaryKey: ['rowId', 'partyNo'],
    rowsOf: partyCells,
    countOf: (r: PublicRegisterRow): number => r.parties.length,
  },
] as const;

/** The block a register row belongs to: the month of its decision, or `undated` (pending, or the date withheld). */
export const registerBlockOf = (row: Pick<PublicRegisterRow, 'decidedOn'>): string =>
  row.decidedOn === null ? 'undated' : row.decidedOn.slice(0, 7);

const SHAPES = REGISTER_TABLES.map((t) => ({
  rowsOf: t.rowsOf,
  countOf: t.countOf,
  types: t.fields.map((f) => f.type) as FieldType[],
}));

/** A row's line of the register in `report.json`: indented, compact, with its comma (the writer drops the last). */
const jsonLine = (row: PublicRegisterRow): string => `    ${JSON.stringify(row)},\n`;

/** A block of register rows rendered: what a cache keeps of one month, and what the register's outputs are joined from. */
export interface RegisterBlock {
  /** Register rows in the block. */
  rows: number;
  /** Rows of each register table (`REGISTER_TABLES` order). */
  tableRows: readonly number[];
  /** The rows' lines of the register in `report.json` (see `jsonLine`), as UTF-8. */
  json: TextChunk;
  /** Per register table, the rows' CSV lines. */
  csv: readonly TextChunk[];
  /** Per register table, the rows' sheet XML (`sheetRowXml`), deflated apart. */
  sheets: readonly DeflatedPart[];
}

/** Two scratch arenas in turn: one is written while zlib compresses the other on its thread pool. */
class SheetCompressor {
  private readonly scratch = [new ByteArena(), new ByteArena()];
  private turn = 0;
  private pending: (Promise<DeflatedPart> | undefined)[] = [undefined, undefined];

  /**
   * Compresses the XML that `write` appends, once the arena it uses is free again; resolves when the compression has
   * started (wrapped: an async function would otherwise wait for the compressed part itself).
   */
  async compress(write: (append: (text: string) => void) => void): Promise<{ part: Promise<DeflatedPart> }> {
    const k = this.turn % 2;
    this.turn += 1;
    await this.pending[k];
    const arena = this.scratch[k]!;
    arena.reset();
    const out = arena.builder();
    write((text) => out.append(text));
    const part = deflatePartAsync(out.toBytes());
    // Compression errors surface where the part is awaited; this one only waits for the arena to be free.
    this.pending[k] = part.catch(() => undefined as never);
    return { part };
  }
}

/** The sheet XML of register table `t` for `rows`. */
function writeSheetRows(rows: readonly PublicRegisterRow[], t: number, append: (text: string) => void): void {
  const s = SHAPES[t]!;
  for (const r of rows) for (const cells of s.rowsOf(r)) append(sheetRowXml(cells, s.types));
}

/**
 * Renders rows (one block: see `registerBlockOf`) into a block, its sheets compressed on zlib's thread pool.
 * @example const block = await renderRegisterBlock(report.register.filter((r) => registerBlockOf(r) === '2025-03'));
 */
export async function renderRegisterBlock(rows: readonly PublicRegisterRow[]): Promise<RegisterBlock> {
  const compressor = new SheetCompressor();
  // One table after another: each waits until the scratch arena it writes into is free again.
  const started: { part: Promise<DeflatedPart> }[] = [];
  for (let t = 0; t < SHAPES.length; t += 1)
    started.push(await compressor.compress((append) => writeSheetRows(rows, t, append)));
  const sheets = await Promise.all(started.map((s) => s.part));
  const text = (lines: (append: (s: string) => void) => void): Uint8Array => {
    // Written into one scratch arena reused by every block, then copied out sized to fit: a block is kept (cached,
    // and held until the report is written), and few large allocations keep the garbage collector quiet.
    TEXT_SCRATCH.reset();
    const out = TEXT_SCRATCH.builder();
    lines((s) => out.append(s));
    return Uint8Array.prototype.slice.call(out.toBytes());
  };
  return {
    rows: rows.length,
    tableRows: SHAPES.map((s) => rows.reduce((n, r) => n + s.countOf(r), 0)),
    json: text((append) => {
      for (const r of rows) append(jsonLine(r));
    }),
    csv: SHAPES.map((s) =>
      text((append) => {
        for (const r of rows) for (const cells of s.rowsOf(r)) append(csvLine(cells, s.types));
      }),
    ),
    sheets,
  };
}

/** Scratch space for a block's text (`renderRegisterBlock` is synchronous while it writes text: one at a time). */
const TEXT_SCRATCH = new ByteArena(1 << 20);

/**
 * A report's register as the renderers read it, part by part and in register order; each call of a part is a new
 * pass. The register's sheets come in blocks compressed apart (see `RegisterBlock`).
 */
export interface RegisterSource {
  /** Rows in the register. */
  readonly length: number;
  /** Rows of each register table (`REGISTER_TABLES` order): one per application, one per item, one per party. */
  readonly tableRows: readonly number[];
  /** The register's lines of `report.json`, each with its comma (see `jsonLine`). */
  jsonChunks(): Iterable<TextChunk>;
  /** The CSV lines of register table `t`. */
  csvChunks(t: number): Iterable<TextChunk>;
  /** The sheet XML of register table `t`, block by block, each deflated apart. */
  sheetParts(t: number): AsyncIterable<DeflatedPart>;
  /** The sheet rows of register table `t` one by one, as cells or as row XML (for a table longer than one sheet). */
  sheetRows(t: number): Iterable<Cell[] | string>;
  /** The first `n` rows as objects (the HTML and PDF excerpts). */
  head(n: number): PublicRegisterRow[];
  /** Every row as an object, in order (a draft keeps its report whole); kept blocks' rows are read back from their JSON. */
  rows(): Iterable<PublicRegisterRow>;
}

/** Splits rows in register order into their blocks (`registerBlockOf`), in order. */
export function splitIntoBlocks<R extends Pick<PublicRegisterRow, 'decidedOn'>>(rows: readonly R[]): R[][] {
  const blocks: R[][] = [];
  let key: string | null = null;
  for (const r of rows) {
    const k = registerBlockOf(r);
    if (k !== key) {
      blocks.push([]);
      key = k;
    }
    blocks.at(-1)!.push(r);
  }
  return blocks;
}

/**
 * The register source of rows in hand: text rendered as it is read, sheets block by block as `renderRegisterBlock`
 * compresses them (two blocks in flight).
 * @example registerSourceOf(report.register).tableRows // [rows, items, parties]
 */
export function registerSourceOf(rows: readonly PublicRegisterRow[]): RegisterSource {
  return {
    length: rows.length,
    tableRows: SHAPES.map((s) => rows.reduce((n, r) => n + s.countOf(r), 0)),
    *jsonChunks() {
      for (const r of rows) yield jsonLine(r);
    },
    *csvChunks(t) {
      const s = SHAPES[t]!;
      for (const r of rows) for (const cells of s.rowsOf(r)) yield csvLine(cells, s.types);
    },
    async *sheetParts(t) {
      const compressor = new SheetCompressor();
      let previous: Promise<DeflatedPart> | undefined;
      for (const block of splitIntoBlocks(rows)) {
        const { part } = await compressor.compress((append) => writeSheetRows(block, t, append));
        if (previous) yield await previous;
        previous = part;
      }
      if (previous) yield await previous;
    },
    *sheetRows(t) {
      const s = SHAPES[t]!;
      for (const r of rows) yield* s.rowsOf(r);
    },
    head: (n) => rows.slice(0, n),
    rows: () => rows,
  };
}

/** The first `bytes` bytes of a chunk (at most its length), as text. */
function prefixOf(chunk: TextChunk, bytes: number): string {
  if (typeof chunk === 'string') return chunk;
  if (chunk instanceof Uint8Array)
    return Buffer.from(chunk.buffer, chunk.byteOffset, Math.min(bytes, chunk.length)).toString('utf8');
  const out = Buffer.allocUnsafe(Math.min(bytes, chunk.length));
  chunk.readAt(out, 0, 0, out.length);
  return out.toString('utf8');
}

/** Parses JSON lines (`jsonLine`: no line break inside one, JSON escapes them) from `text`, at most `n`. */
function parseLines(text: string, n: number): PublicRegisterRow[] {
  const rows: PublicRegisterRow[] = [];
  for (let at = 0; rows.length < n;) {
    const end = text.indexOf(',\n', at);
    if (end < 0) break;
    rows.push(JSON.parse(text.slice(at, end)) as PublicRegisterRow);
    at = end + 2;
  }
  return rows;
}

/** The first `n` rows of a block's JSON lines (`jsonLine`), reading no more of it than they need. */
function headRows(json: TextChunk, n: number): PublicRegisterRow[] {
  for (let bytes = 1 << 16; ; bytes *= 4) {
    const whole = bytes >= json.length;
    const rows = parseLines(prefixOf(json, bytes), n);
    if (rows.length >= n || whole) return rows;
  }
}

/**
 * The register source of blocks (rendered now or kept from an earlier build), in register order: the same bytes as
 * `registerSourceOf` over the rows the blocks were made of. The excerpts' rows are read back from the JSON lines.
 * @example renderReportFilesFrom(shell, registerSourceOfBlocks(blocks), options)
 */
export function registerSourceOfBlocks(blocks: readonly RegisterBlock[]): RegisterSource {
  return {
    length: blocks.reduce((n, b) => n + b.rows, 0),
    tableRows: SHAPES.map((_, t) => blocks.reduce((n, b) => n + b.tableRows[t]!, 0)),
    *jsonChunks() {
      for (const b of blocks) yield b.json;
    },
    *csvChunks(t) {
      for (const b of blocks) yield b.csv[t]!;
    },
    async *sheetParts(t) {
      for (const b of blocks) yield b.sheets[t]!;
    },
    *sheetRows(t) {
      for (const b of blocks) {
        if (b.tableRows[t] === 0) continue;
        const xml = inflateRawSync(b.sheets[t]!.deflated, {
          finishFlush: zlibConstants.Z_SYNC_FLUSH,
        }).toString('utf8');
        for (let at = 0; at < xml.length;) {
          const end = xml.indexOf('</row>', at) + '</row>'.length;
          yield xml.slice(at, end);
          at = end;
        }
      }
    },
    head: (n) => {
      const rows: PublicRegisterRow[] = [];
      for (const b of blocks) {
        if (rows.length >= n) break;
        rows.push(...headRows(b.json, n - rows.length));
      }
      return rows;
    },
    *rows() {
      for (const b of blocks) yield* parseLines(prefixOf(b.json, b.json.length), b.rows);
    },
  };
}
