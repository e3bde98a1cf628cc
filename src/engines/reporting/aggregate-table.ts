/**
 * Aggregate tables with minimum group sizes: cells too small (applications, distinct exporters, one exporter's value
 * share) are merged into one `_other` row until every published row passes, or the whole table is suppressed. Merging
 * (not blanking) keeps totals equal to the sum of rows and stops a small cell being recovered by subtraction.
 */
import type { RedactionPolicy } from './redaction-policy.ts';
import type { AggregateRow, AggregateTable } from './report-model.ts';

/**
 * One counted unit: an application (or an application-item pair), with its exporter and value in cents; or several
 * such of one key and exporter added together (`applications` of them).
 */
export interface AggregateUnit {
  key: readonly string[];
  exporterId: string;
  valueCents: number;
  /** How many applications the unit stands for (default 1). */
  applications?: number;
}

interface Cell {
  key: string[];
  applications: number;
  valueCents: number;
  exporterCents: Map<string, number>;
  merged: number;
}

export interface TableSpec {
  id: string;
  title: string;
  unit: string;
  dimensions: string[];
  /** Human label of a key (e.g. a country name); defaults to the key joined by ' / '. */
  labelOf?: (key: readonly string[]) => string;
  /** Values withheld by the policy: the value column is null. */
  publishValues: boolean;
}

export const OTHER_KEY = '_other';

/** Why a cell fails, or null when it may be published. */
export function checkCell(
  cell: { applications: number; valueCents: number; exporterCents: ReadonlyMap<string, number> },
  rules: RedactionPolicy['aggregation'],
): string | null {
  if (cell.applications < rules.minApplicationsPerCell)
    return `fewer than ${rules.minApplicationsPerCell} applications`;
  if (cell.exporterCents.size < rules.minExportersPerCell)
    return `fewer than ${rules.minExportersPerCell} distinct exporters`;
  if (cell.valueCents > 0) {
    let max = 0;
    for (const v of cell.exporterCents.values()) max = Math.max(max, v);
    if (max / cell.valueCents > rules.maxSingleExporterValueShare01) {
      return `one exporter holds more than ${Math.round(rules.maxSingleExporterValueShare01 * 100)}% of the value`;
    }
  }
  return null;
}

const compareKeys = (a: readonly string[], b: readonly string[]): number => {
  const ja = a.join('\u0000');
  const jb = b.join('\u0000');
  return ja < jb ? -1 : ja > jb ? 1 : 0;
};

function mergeInto(target: Cell, source: Cell): void {
  target.applications += source.applications;
  target.valueCents += source.valueCents;
  for (const [e, v] of source.exporterCents)
    target.exporterCents.set(e, (target.exporterCents.get(e) ?? 0) + v);
  target.merged += source.merged === 0 ? 1 : source.merged;
}

/**
 * Builds one aggregate table from units, applying the policy's minimum group sizes.
 * @example buildAggregateTable(units, { id: 'byDecision', title: 'By decision', unit: 'application', dimensions: ['decision'], publishValues: true }, policy.aggregation)
 */
export function buildAggregateTable(
  units: Iterable<AggregateUnit>,
  spec: TableSpec,
  rules: RedactionPolicy['aggregation'],
): AggregateTable {
  const cells = new Map<string, Cell>();
  for (const u of units) {
    const k = u.key.join('\u0000');
    let cell = cells.get(k);
    if (!cell) {
      cell = { key: [...u.key], applications: 0, valueCents: 0, exporterCents: new Map(), merged: 0 };
      cells.set(k, cell);
    }
    cell.applications += u.applications ?? 1;
    cell.valueCents += u.valueCents;
    cell.exporterCents.set(u.exporterId, (cell.exporterCents.get(u.exporterId) ?? 0) + u.valueCents);
  }
  const sorted = [...cells.values()].sort((a, b) => compareKeys(a.key, b.key));
  const passing: Cell[] = [];
  const other: Cell = {
    key: spec.dimensions.map(() => OTHER_KEY),
    applications: 0,
    valueCents: 0,
    exporterCents: new Map(),
    merged: 0,
  };
  const failReasons = new Map<string, number>();
  for (const cell of sorted) {
    const why = checkCell(cell, rules);
    if (why === null) passing.push(cell);
    else {
      mergeInto(other, cell);
      failReasons.set(why, (failReasons.get(why) ?? 0) + 1);
    }
  }
  const reasons: string[] = [...failReasons.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([why, n]) => `${n} cell(s) merged into "other": ${why}.`);
  // An "other" row that itself fails absorbs the smallest published cells until it passes.
  while (other.merged > 0 && checkCell(other, rules) !== null && passing.length > 0) {
    let smallest = 0;
    for (let i = 1; i < passing.length; i += 1) {
      const c = passing[i]!;
      const s = passing[smallest]!;
      if (
        c.applications < s.applications ||
        (c.applications === s.applications && c.valueCents < s.valueCents)
      )
        smallest = i;
    }
    mergeInto(other, passing.splice(smallest, 1)[0]!);
    reasons.push('1 further cell merged into "other" so that "other" meets the minimum group sizes.');
  }
  const total = { applications: 0, valueCents: 0 };
  for (const c of cells.values()) {
    total.applications += c.applications;
    total.valueCents += c.valueCents;
  }
  const labelOf = spec.labelOf ?? ((key: readonly string[]) => key.join(' / '));
  const suppressed = cells.size > 0 && other.merged > 0 && checkCell(other, rules) !== null;
  if (suppressed) {
    return {
      id: spec.id,
      title: spec.title,
      unit: spec.unit,
      dimensions: spec.dimensions,
      rows: [],
      total: { applications: null, valueEur: null },
      suppressed: true,
      reasons: [
        `Suppressed: the table as a whole fails the minimum group sizes (${checkCell(other, rules)}); publishing any cell or total could identify an exporter.`,
      ],
    };
  }
  const toRow = (c: Cell, label: string): AggregateRow => ({
    key: c.key,
    label,
    applications: c.applications,
    valueEur: spec.publishValues ? c.valueCents / 100 : null,
    mergedCells: c.merged,
  });
  const rows = passing.map((c) => toRow(c, labelOf(c.key)));
  if (other.merged > 0) rows.push(toRow(other, `Other (${other.merged} smaller groups combined)`));
  return {
    id: spec.id,
    title: spec.title,
    unit: spec.unit,
    dimensions: spec.dimensions,
    rows,
    total: { applications: total.applications, valueEur: spec.publishValues ? total.valueCents / 100 : null },
    suppressed: false,
    reasons,
  };
}
