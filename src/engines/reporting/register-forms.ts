/**
 * A register row's forms: its share of each register output (its line of `report.json`, its lines of the three
 * register CSV files and its rows of the three register sheets), rendered on their own by the renderers' own row
 * functions. They depend on the row alone, not on its position, so a report can be assembled from forms kept from an
 * earlier build (ADR 0009): the sheet row number, the one positional part, is left as a placeholder.
 */
import { REGISTER_TABLES } from './published-tables.ts';
import { csvLine } from './render-csv.ts';
import { sheetColumns, sheetRowCells } from './render-xlsx.ts';
import type { PublicRegisterRow } from './report-model.ts';

/** Stands for the row number in a form's sheet cells: a control character, which no cell text keeps (`xml()`). */
export const SHEET_ROW_NUMBER = '\u0001';

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
 * A form's sheet cells as the sheet's row `rowNumber` (1 is the header row).
 * @example sheetCellsAt(forms.sheet[0][0], 2)
 */
export const sheetCellsAt = (cells: string, rowNumber: number): string =>
  cells.includes(SHEET_ROW_NUMBER) ? cells.replaceAll(SHEET_ROW_NUMBER, String(rowNumber)) : cells;
