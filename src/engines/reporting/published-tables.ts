/**
 * The report flattened into named tables (the register, its items and parties, each aggregate table, trends): one
 * shape shared by the CSV, XLSX and data-package renderers so they always agree.
 */
import type { AggregateTable, PublicRegisterRow, TableId, TransparencyReport } from './report-model.ts';
import { TABLE_IDS } from './report-model.ts';

export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'date';
export type Cell = string | number | boolean | null;

export interface PublishedField {
  name: string;
  type: FieldType;
  description: string;
}

export interface PublishedTable {
  /** Frictionless resource name, e.g. `by-control-entry`. */
  name: string;
  title: string;
  fields: PublishedField[];
  /**
   * The rows in order. The register's tables produce theirs on demand (iterate as often as needed), so a
   * million-row register is never also held as millions of row arrays while it is rendered.
   */
  rows: Iterable<Cell[]>;
  rowCount: number;
  primaryKey?: string[];
  foreignKeys?: { fields: string[]; reference: { resource: string; fields: string[] } }[];
}

export const TABLE_FILE_NAMES: Record<TableId, string> = {
  byControlEntry: 'by-control-entry',
  byDestination: 'by-destination',
  byEndUserType: 'by-end-user-type',
  byDecision: 'by-decision',
  cyberSurveillance: 'cyber-surveillance',
};

const DIMENSION_DESCRIPTIONS: Record<string, string> = {
  controlEntry: 'Annex I control list entry of Reg. (EU) 2021/821 (first entry of the item), or not-listed.',
  destinationCountry: 'Destination country, ISO 3166-1 alpha-2.',
  endUserType: 'Type of the end user (else ultimate end user, else consignee).',
  decision: 'Decision on the application.',
  category: 'Cyber-surveillance category (Custos taxonomy).',
  memberState: 'Issuing Member State, ISO 3166-1 alpha-2.',
};

const list = (xs: string[] | null): string | null => (xs === null ? null : xs.join(';'));

/** A table whose rows are an array (aggregate and merged tables). */
export type ArrayTable = PublishedTable & { rows: Cell[][] };

/** Rows already in an array. */
export const arrayRows = (rows: Cell[][]): Pick<PublishedTable, 'rows' | 'rowCount'> => ({
  rows,
  rowCount: rows.length,
});

/** Rows produced on demand from `make`, `count` of them. */
const lazyRows = (
  count: number,
  make: () => Generator<Cell[]>,
): Pick<PublishedTable, 'rows' | 'rowCount'> => ({
  rows: { [Symbol.iterator]: make },
  rowCount: count,
});

function aggregateTable(table: AggregateTable, name: string): PublishedTable {
  return {
    name,
    title: table.title,
    fields: [
      ...table.dimensions.map((d) => ({
        name: d,
        type: 'string' as const,
        description: `${DIMENSION_DESCRIPTIONS[d] ?? d} "_other" marks the row merging small cells.`,
      })),
      { name: 'label', type: 'string', description: 'Readable label of the row.' },
      { name: 'applications', type: 'integer', description: `Number of applications (unit: ${table.unit}).` },
      {
        name: 'valueEur',
        type: 'number',
        description: 'Value in euro; empty when the policy withholds values.',
      },
      { name: 'mergedCells', type: 'integer', description: 'Number of small cells merged into this row.' },
    ],
    ...arrayRows(table.rows.map((r) => [...r.key, r.label, r.applications, r.valueEur, r.mergedCells])),
    primaryKey: [...table.dimensions],
  };
}

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

/** The three tables of the register, in published order: their names, fields and each row's rows in them. */
export const REGISTER_TABLES = [
  {
    name: 'register',
    fields: REGISTER_FIELDS,
    rowsOf: (r: PublicRegisterRow): Cell[][] => [registerCells(r)],
  },
  { name: 'register-items', fields: REGISTER_ITEM_FIELDS, rowsOf: itemCells },
  { name: 'register-parties', fields: REGISTER_PARTY_FIELDS, rowsOf: partyCells },
] as const;

/**
 * Flattens a report into its published tables, in a fixed order.
 * @example buildPublishedTables(report).map((t) => t.name) // ['register', 'register-items', ...]
 */
export function buildPublishedTables(report: TransparencyReport): PublishedTable[] {
  const rows = report.register;
  const register: PublishedTable = {
    name: 'register',
    title: `Public register of applications, ${report.period.id}`,
    fields: [...REGISTER_FIELDS],
    ...lazyRows(rows.length, function* () {
      for (const r of rows) yield registerCells(r);
    }),
    primaryKey: ['rowId'],
  };
  const items: PublishedTable = {
    name: 'register-items',
    title: 'Items of each application in the register',
    fields: [...REGISTER_ITEM_FIELDS],
    ...lazyRows(
      rows.reduce((n, r) => n + r.items.length, 0),
      function* () {
        for (const r of rows) yield* itemCells(r);
      },
    ),
    primaryKey: ['rowId', 'lineNo'],
    foreignKeys: [{ fields: ['rowId'], reference: { resource: 'register', fields: ['rowId'] } }],
  };
  const parties: PublishedTable = {
    name: 'register-parties',
    title: 'End users and other parties of each application (described; named only where allowed)',
    fields: [...REGISTER_PARTY_FIELDS],
    ...lazyRows(
      rows.reduce((n, r) => n + r.parties.length, 0),
      function* () {
        for (const r of rows) yield* partyCells(r);
      },
    ),
    primaryKey: ['rowId', 'partyNo'],
    foreignKeys: [{ fields: ['rowId'], reference: { resource: 'register', fields: ['rowId'] } }],
  };
  const trends: PublishedTable = {
    name: 'trends',
    title: 'Trend against earlier periods',
    fields: [
      { name: 'period', type: 'string', description: 'Period id.' },
      {
        name: 'applications',
        type: 'integer',
        description: 'Applications (empty where too few to publish).',
      },
      { name: 'valueEur', type: 'number', description: 'Value in euro.' },
      {
        name: 'cyberSurveillanceApplications',
        type: 'integer',
        description: 'Applications with a cyber-surveillance item.',
      },
      { name: 'denied', type: 'integer', description: 'Denied applications.' },
    ],
    ...arrayRows(
      report.trends.map((t) => [
        t.period,
        t.applications,
        t.valueEur,
        t.cyberSurveillanceApplications,
        t.denied,
      ]),
    ),
    primaryKey: ['period'],
  };
  return [
    register,
    items,
    parties,
    ...TABLE_IDS.map((id) => aggregateTable(report.tables[id], TABLE_FILE_NAMES[id])),
    trends,
  ];
}
