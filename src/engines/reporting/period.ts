/** Reporting periods: parse `2025-Q4`, `2025-11` or `2025` into inclusive ISO date bounds, and step between them. */
import { invalid } from '../../domain/errors.ts';

export type PeriodGranularity = 'month' | 'quarter' | 'year';

export interface ReportPeriod {
  /** Canonical id, e.g. `2025-Q4`, `2025-11`, `2025`. */
  id: string;
  granularity: PeriodGranularity;
  /** First day, `YYYY-MM-DD`. */
  startOn: string;
  /** Last day (inclusive), `YYYY-MM-DD`. */
  endOn: string;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
const lastDayOfMonth = (year: number, month: number): number =>
  new Date(Date.UTC(year, month, 0)).getUTCDate();

function monthsPeriod(
  id: string,
  granularity: PeriodGranularity,
  year: number,
  first: number,
  last: number,
): ReportPeriod {
  return {
    id,
    granularity,
    startOn: `${year}-${pad2(first)}-01`,
    endOn: `${year}-${pad2(last)}-${pad2(lastDayOfMonth(year, last))}`,
  };
}

/**
 * Parses a period id. Refuses anything else with the reason (DomainError INVALID naming the field `period`).
 * @example parsePeriod('2025-Q4') // { id: '2025-Q4', granularity: 'quarter', startOn: '2025-10-01', endOn: '2025-12-31' }
 */
export function parsePeriod(text: string): ReportPeriod {
  const s = text.trim();
  const fail = (why: string) =>
    invalid(`Period "${text}" is not valid: ${why}`, [{ path: 'period', message: why }]);
  let m = /^(\d{4})$/.exec(s);
  if (m) return monthsPeriod(s, 'year', checkYear(Number(m[1]), fail), 1, 12);
  m = /^(\d{4})-[Qq]([0-9]+)$/.exec(s);
  if (m) {
    const q = Number(m[2]);
    if (q < 1 || q > 4) throw fail(`quarter must be Q1 to Q4, got Q${m[2]}.`);
    const year = checkYear(Number(m[1]), fail);
    return monthsPeriod(`${year}-Q${q}`, 'quarter', year, q * 3 - 2, q * 3);
  }
  m = /^(\d{4})-(\d{2})$/.exec(s);
  if (m) {
    const month = Number(m[2]);
    if (month < 1 || month > 12) throw fail(`month must be 01 to 12, got ${m[2]}.`);
    const year = checkYear(Number(m[1]), fail);
    return monthsPeriod(`${year}-${m[2]}`, 'month', year, month, month);
  }
  throw fail(
    'expected YYYY (annual), YYYY-Qn (quarterly) or YYYY-MM (monthly), e.g. 2025, 2025-Q4, 2025-11.',
  );
}

function checkYear(year: number, fail: (why: string) => Error): number {
  if (year < 2000 || year > 2999) throw fail(`year must be between 2000 and 2999, got ${year}.`);
  return year;
}

/** True when the ISO date `YYYY-MM-DD` lies in the period (inclusive). */
export function isInPeriod(isoDate: string, period: ReportPeriod): boolean {
  const d = isoDate.slice(0, 10);
  return d >= period.startOn && d <= period.endOn;
}

/**
 * The `count` periods of the same granularity immediately before `period`, oldest first.
 * @example previousPeriods(parsePeriod('2025-Q1'), 2).map((p) => p.id) // ['2024-Q3', '2024-Q4']
 */
export function previousPeriods(period: ReportPeriod, count: number): ReportPeriod[] {
  const out: ReportPeriod[] = [];
  let current = period;
  for (let i = 0; i < count; i += 1) {
    current = stepPeriod(current, -1);
    out.unshift(current);
  }
  return out;
}

/** The period `steps` periods after (or before, when negative) `period`, at the same granularity. */
export function stepPeriod(period: ReportPeriod, steps: number): ReportPeriod {
  const year = Number(period.id.slice(0, 4));
  if (period.granularity === 'year') return parsePeriod(String(year + steps));
  if (period.granularity === 'quarter') {
    const index = year * 4 + (Number(period.id.slice(6)) - 1) + steps;
    return parsePeriod(`${Math.floor(index / 4)}-Q${(index % 4) + 1}`);
  }
  const index = year * 12 + (Number(period.id.slice(5)) - 1) + steps;
  return parsePeriod(`${Math.floor(index / 12)}-${pad2((index % 12) + 1)}`);
}

/** Adds whole days to an ISO date (UTC), returning `YYYY-MM-DD`. */
export function addDays(isoDate: string, days: number): string {
  const t = Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
