/**
 * The report flattened into named tables (the register, its items and parties, each aggregate table, trends): one
 * shape shared by the CSV, XLSX and data-package renderers so they always agree.
 */
import type { TextChunk } from './byte-builder.ts';
import { REGISTER_TABLES, registerSourceOf, type RegisterSource } from './register-blocks.ts';
import type { AggregateTable, ReportShell, TableId, TransparencyReport } from './report-model.ts';
import { TABLE_IDS } from './report-model.ts';
import type { DeflatedPart } from './zip-writer.ts';

export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'date';
export type Cell = string | number | boolean | null;

export interface PublishedField {
  name: string;
  type: FieldType;
  description: string;
}

interface PublishedTableShape {
  /** Frictionless resource name, e.g. `by-control-entry`. */
  name: string;
  title: string;
  fields: PublishedField[];
  rowCount: number;
  primaryKey?: string[];
  foreignKeys?: { fields: string[]; reference: { resource: string; fields: string[] } }[];
}

/** Rows rendered by their source (the register's tables: see `RegisterSource`), in order. */
export interface RenderedRows {
  /** The CSV lines. */
  csvChunks(): Iterable<TextChunk>;
  /** The sheet XML of the rows, in blocks deflated apart. */
  sheetParts(): AsyncIterable<DeflatedPart>;
  /** Each sheet row, as cells or as row XML (for a table longer than one sheet). */
  sheetRows(): Iterable<Cell[] | string>;
}

/** A table as its cells (aggregate and merged tables) or as rows already rendered (the register's). */
export type PublishedTable = PublishedTableShape &
  ({ rows: Iterable<Cell[]>; rendered?: undefined } | { rows?: undefined; rendered: RenderedRows });

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

/** A table whose rows are an array (aggregate and merged tables). */
export type ArrayTable = PublishedTable & { rows: Cell[][] };

/** Rows already in an array. */
export const arrayRows = (rows: Cell[][]): { rows: Cell[][]; rowCount: number } => ({
  rows,
  rowCount: rows.length,
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

/**
 * Flattens a report into its published tables, in a fixed order.
 * @example buildPublishedTables(report).map((t) => t.name) // ['register', 'register-items', ...]
 */
export function buildPublishedTables(report: TransparencyReport): PublishedTable[] {
  return publishedTablesOf(report, registerSourceOf(report.register));
}

/** The published tables of a report whose register comes as a `RegisterSource` (rows in hand, or blocks). */
export function publishedTablesOf(report: ReportShell, register: RegisterSource): PublishedTable[] {
  // The register's three tables: rows rendered by the source; a row's items and parties refer to it by rowId.
  const registerTables = REGISTER_TABLES.map((t, i): PublishedTable => ({
    name: t.name,
    title: t.title(report.period.id),
    fields: [...t.fields],
    rowCount: register.tableRows[i]!,
    rendered: {
      csvChunks: () => register.csvChunks(i),
      sheetParts: () => register.sheetParts(i),
      sheetRows: () => register.sheetRows(i),
    },
    primaryKey: [...t.primaryKey],
    ...(i > 0 && {
      foreignKeys: [{ fields: ['rowId'], reference: { resource: 'register', fields: ['rowId'] } }],
    }),
  }));
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
    ...registerTables,
    ...TABLE_IDS.map((id) => aggregateTable(report.tables[id], TABLE_FILE_NAMES[id])),
    trends,
  ];
}
