/**
 * A register row's forms: its share of each register output (its line of `report.json`, its lines of the three
 * register CSV files and its rows of the three register sheets), rendered on their own by the renderers' own row
 * functions. They depend on the row alone, not on its position, so a report can be assembled from forms kept from an
 * earlier build (ADR 0009): the sheet row number, the one positional part, is left as a placeholder.
 */
import type { Cell, PublishedField } from './published-tables.ts';
import { csvLine } from './render-csv.ts';
import { SHEET_ROW_NUMBER, sheetColumns, sheetRowCells } from './render-xlsx.ts';
import type { PublicRegisterRow } from './report-model.ts';

export { SHEET_ROW_NUMBER, sheetCellsAt } from './render-xlsx.ts';

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

export interface RegisterForms {
  /** The row's line in the register of `report.json`: compact JSON, without the indent and the comma. */
  json: string;
  /** Per register table (`REGISTER_TABLES` order), the row's CSV lines, each ending in CRLF. */
  csv: string[];
  /** Per register table, the cells of each of the row's sheet rows, the row number as `SHEET_ROW_NUMBER`. */
  sheet: string[][];
}

const SHAPES = REGISTER_TABLES.map((t) => ({
  rowsOf: t.rowsOf,
  countOf: t.countOf,
  types: t.fields.map((f) => f.type),
  columns: sheetColumns(t.fields),
}));

/**
 * The forms of one register row.
 * @example registerForms(report.register[0]).csv[0] === csvLine(...) // the row's line of register.csv
 */
export function registerForms(row: PublicRegisterRow): RegisterForms {
  return {
    json: JSON.stringify(row),
    csv: SHAPES.map((s) =>
      s
        .rowsOf(row)
        .map((cells) => csvLine(cells, s.types))
        .join(''),
    ),
    sheet: SHAPES.map((s) =>
      s.rowsOf(row).map((cells) => sheetRowCells(cells, s.types, s.columns, SHEET_ROW_NUMBER)),
    ),
  };
}

/**
 * A report's register as the renderers read it: its rows' forms, part by part and in register order, and its first
 * rows as objects. Each call of a part is a new pass.
 */
export interface RegisterSource {
  /** Rows in the register. */
  readonly length: number;
  /** Rows of each register table (`REGISTER_TABLES` order): one per application, one per item, one per party. */
  readonly tableRows: readonly number[];
  /** Each row's line of `report.json`. */
  jsonLines(): Iterable<string>;
  /** The CSV lines of register table `t`. */
  csvLines(t: number): Iterable<string>;
  /**
   * The sheet rows of register table `t`: their cells, or the cells as sheet XML with the row number as
   * `SHEET_ROW_NUMBER` (forms made earlier).
   */
  sheetRows(t: number): Iterable<Cell[] | string>;
  /** The first `n` rows as objects (the HTML and PDF excerpts). */
  head(n: number): PublicRegisterRow[];
}

/**
 * The register source of rows in hand: each part rendered as it is read, by the same functions as `registerForms`.
 * @example registerSourceOf(report.register).tableRows // [rows, items, parties]
 */
export function registerSourceOf(rows: readonly PublicRegisterRow[]): RegisterSource {
  return {
    length: rows.length,
    tableRows: SHAPES.map((s) => rows.reduce((n, r) => n + s.countOf(r), 0)),
    *jsonLines() {
      for (const r of rows) yield JSON.stringify(r);
    },
    *csvLines(t) {
      const s = SHAPES[t]!;
      for (const r of rows) for (const cells of s.rowsOf(r)) yield csvLine(cells, s.types);
    },
    // Cells, written by the sheet writer with their row number: no placeholder to fill in for rows in hand.
    *sheetRows(t) {
      const s = SHAPES[t]!;
      for (const r of rows) yield* s.rowsOf(r);
    },
    head: (n) => rows.slice(0, n),
  };
}

/**
 * The register source of forms made earlier (`registerForms`, kept by ADR 0009's cache): the report renders from them
 * as from the rows they were made of, byte for byte. The excerpts' rows are read back from the forms' JSON.
 * @example renderReportFilesFrom(shell, registerSourceOfForms(forms), options)
 */
export function registerSourceOfForms(forms: readonly RegisterForms[]): RegisterSource {
  return {
    length: forms.length,
    tableRows: SHAPES.map((_, t) =>
      t === 0 ? forms.length : forms.reduce((n, f) => n + f.sheet[t]!.length, 0),
    ),
    *jsonLines() {
      for (const f of forms) yield f.json;
    },
    *csvLines(t) {
      for (const f of forms) yield f.csv[t]!;
    },
    *sheetRows(t) {
      for (const f of forms) yield* f.sheet[t]!;
    },
    head: (n) => forms.slice(0, n).map((f) => JSON.parse(f.json) as PublicRegisterRow),
  };
}
