/** Working-day calendars per authority (weekends + public holidays as data), deadlines and processing-time (SLA) figures. */
import { z } from 'zod';
import { DomainError } from '../../domain/errors.ts';
import { DECIDED_STATUSES, type ApplicationStatus, type ApplicationTransition } from '../../domain/model.ts';
import type { IsoDate } from '../../domain/workflow.ts';
import { failPolicy, parsePolicyText } from './policy-parser.ts';

const holidayRuleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_]+$/),
    name: z.string().min(1),
    fixed: z
      .string()
      .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'fixed must be MM-DD')
      .optional(),
    easterOffsetDays: z.number().int().min(-100).max(100).optional(),
    fromYear: z.number().int().optional(),
    toYear: z.number().int().optional(),
  })
  .strict();

export const holidayPolicySchema = z
  .object({
    version: z.string().min(1),
    country: z.string().regex(/^[A-Z]{2}$/),
    authority: z.string().min(1),
    weekendIsoDays: z.array(z.number().int().min(1).max(7)).max(6),
    source: z.string().min(1),
    rules: z.array(holidayRuleSchema),
    excludeRules: z.array(z.string()).optional(),
    closures: z.array(z.object({ date: z.iso.date(), name: z.string().min(1) }).strict()),
  })
  .strict();

export type HolidayPolicy = z.infer<typeof holidayPolicySchema>;

/** A working-day calendar. Pure: holiday sets are computed per year on demand and memoised inside the value. */
export interface WorkingCalendar {
  id: string;
  country: string;
  policyVersion: string;
  isWorkingDay(date: IsoDate): boolean;
  /** Same as isWorkingDay, on days since 1970-01-01 (fast path for counting). */
  isWorkingEpochDay(epochDay: number): boolean;
  /** Working days d with from < d <= to, as epoch days (from <= to); uses per-year totals for long spans. */
  countWorkingEpochDays(fromExclusive: number, toInclusive: number): number;
  holidaysIn(year: number): { date: IsoDate; name: string }[];
}

/**
 * Parse policy/workflow/holidays-<country>.yaml; each rule has exactly one of `fixed` (MM-DD) or `easterOffsetDays`.
 *
 * @example
 * const de = createWorkingCalendar(parseHolidayPolicy(text, 'policy/workflow/holidays-de.yaml'));
 */
export function parseHolidayPolicy(text: string, sourceName: string): HolidayPolicy {
  const policy = parsePolicyText(text, sourceName, holidayPolicySchema);
  policy.rules.forEach((r, i) => {
    if ((r.fixed === undefined) === (r.easterOffsetDays === undefined))
      failPolicy(sourceName, `rules.${i}`, `rule ${r.id} needs exactly one of fixed or easterOffsetDays`);
  });
  const ids = new Set(policy.rules.map((r) => r.id));
  (policy.excludeRules ?? []).forEach((id, i) => {
    if (!ids.has(id)) failPolicy(sourceName, `excludeRules.${i}`, `unknown rule ${id}`);
  });
  return policy;
}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 for a valid ISO date; throws INVALID otherwise. */
export function toEpochDay(date: IsoDate, field = 'date'): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const ms = Date.UTC(y, mo - 1, d);
    const back = new Date(ms);
    if (back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d)
      return ms / DAY_MS;
  }
  throw new DomainError('INVALID', `${field} must be an ISO date YYYY-MM-DD, got "${date}".`, {
    issues: [{ path: field, message: 'not an ISO date' }],
  });
}

export function fromEpochDay(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday, Monday = 1 ... Sunday = 7. */
function isoWeekday(epochDay: number): number {
  return ((((epochDay + 3) % 7) + 7) % 7) + 1; // 1970-01-01 was a Thursday (4)
}

/** Gregorian Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function computeEasterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Build a calendar from a holiday policy.
 *
 * @example
 * const cal = createWorkingCalendar(policy);
 * cal.isWorkingDay('2026-10-03'); // => false in DE (Tag der Deutschen Einheit)
 */
export function createWorkingCalendar(policy: HolidayPolicy): WorkingCalendar {
  const weekend = new Set(policy.weekendIsoDays);
  const excluded = new Set(policy.excludeRules ?? []);
  const cache = new Map<number, Map<number, string>>();
  const holidayMap = (year: number): Map<number, string> => {
    let map = cache.get(year);
    if (map) return map;
    map = new Map();
    const easter = toEpochDay(computeEasterSunday(year));
    for (const rule of policy.rules) {
      if (excluded.has(rule.id)) continue;
      if (rule.fromYear !== undefined && year < rule.fromYear) continue;
      if (rule.toYear !== undefined && year > rule.toYear) continue;
      if (rule.fixed !== undefined) {
        const iso = `${String(year).padStart(4, '0')}-${rule.fixed}`;
        // 29 February only exists in leap years: skip it silently in other years.
        const ms = Date.UTC(year, Number(rule.fixed.slice(0, 2)) - 1, Number(rule.fixed.slice(3)));
        if (new Date(ms).toISOString().slice(0, 10) === iso) map.set(ms / DAY_MS, rule.name);
      } else if (rule.easterOffsetDays !== undefined) {
        map.set(easter + rule.easterOffsetDays, rule.name);
      }
    }
    for (const c of policy.closures) {
      if (Number(c.date.slice(0, 4)) === year) map.set(toEpochDay(c.date), c.name);
    }
    cache.set(year, map);
    return map;
  };
  function isWorkingEpochDay(day: number): boolean {
    if (weekend.has(isoWeekday(day))) return false;
    const year = new Date(day * DAY_MS).getUTCFullYear();
    return !holidayMap(year).has(day);
  }
  const yearTotals = new Map<number, number>();
  const countRange = (fromExclusive: number, toInclusive: number): number => {
    let n = 0;
    for (let d = fromExclusive + 1; d <= toInclusive; d++) if (isWorkingEpochDay(d)) n++;
    return n;
  };
  const yearStart = (year: number): number => Date.UTC(year, 0, 1) / DAY_MS;
  const yearTotal = (year: number): number => {
    let total = yearTotals.get(year);
    if (total === undefined) {
      total = countRange(yearStart(year) - 1, yearStart(year + 1) - 1);
      yearTotals.set(year, total);
    }
    return total;
  };
  const countWorkingEpochDays = (a: number, b: number): number => {
    const ya = new Date(a * DAY_MS).getUTCFullYear();
    const yb = new Date(b * DAY_MS).getUTCFullYear();
    if (yb - ya < 2) return countRange(a, b);
    let n = countRange(a, yearStart(ya + 1) - 1);
    for (let y = ya + 1; y < yb; y++) n += yearTotal(y);
    return n + countRange(yearStart(yb) - 1, b);
  };
  return {
    isWorkingEpochDay: isWorkingEpochDay,
    countWorkingEpochDays,
    id: `${policy.country}:${policy.version}`,
    country: policy.country,
    policyVersion: policy.version,
    isWorkingDay: (date) => isWorkingEpochDay(toEpochDay(date)),
    holidaysIn: (year) =>
      [...holidayMap(year).entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([day, name]) => ({ date: fromEpochDay(day), name })),
  };
}

/**
 * The date `days` working days after `start` (start itself not counted; negative goes back). With days = 0 returns
 * start unchanged. The result is always a working day when days != 0.
 *
 * @example
 * addWorkingDays(de, '2026-12-23', 2); // => '2026-12-28' (24 Dec counts, 25/26 Dec and the weekend do not)
 */
export function addWorkingDays(calendar: WorkingCalendar, start: IsoDate, days: number): IsoDate {
  if (!Number.isInteger(days)) throw new DomainError('INVALID', `days must be an integer, got ${days}.`);
  let day = toEpochDay(start, 'start');
  const step = days >= 0 ? 1 : -1;
  let left = Math.abs(days);
  while (left > 0) {
    day += step;
    if (calendar.isWorkingEpochDay(day)) left -= 1;
  }
  return fromEpochDay(day);
}

/**
 * Working days in the half-open interval (from, to]; negative when to is before from.
 * Inverse of addWorkingDays: workingDaysBetween(c, d, addWorkingDays(c, d, n)) === n.
 *
 * @example
 * workingDaysBetween(de, '2026-12-23', '2026-12-28'); // => 2
 */
export function workingDaysBetween(calendar: WorkingCalendar, from: IsoDate, to: IsoDate): number {
  const a = toEpochDay(from, 'from');
  const b = toEpochDay(to, 'to');
  if (b < a) return 0 - calendar.countWorkingEpochDays(b, a) || 0; // `|| 0` avoids -0
  return calendar.countWorkingEpochDays(a, b);
}

export interface DeadlineStatus {
  startedOn: IsoDate;
  workingDays: number;
  extensionWorkingDays: number;
  dueOn: IsoDate;
  asOf: IsoDate;
  /** Working days left until dueOn (0 on the due date; negative when overdue). */
  remainingWorkingDays: number;
  overdue: boolean;
  calendarId: string;
}

/**
 * A deadline of `workingDays` (+ extension) from `startedOn`, assessed on `asOf`. The due date counts in full.
 *
 * @example
 * assessDeadline(de, { startedOn: '2026-03-02', workingDays: 10 }, '2026-03-20'); // => { dueOn: '2026-03-16', overdue: true, ... }
 */
export function assessDeadline(
  calendar: WorkingCalendar,
  deadline: { startedOn: IsoDate; workingDays: number; extensionWorkingDays?: number },
  asOf: IsoDate,
): DeadlineStatus {
  const extension = deadline.extensionWorkingDays ?? 0;
  const dueOn = addWorkingDays(calendar, deadline.startedOn, deadline.workingDays + extension);
  const remaining = workingDaysBetween(calendar, asOf, dueOn);
  return {
    startedOn: deadline.startedOn,
    workingDays: deadline.workingDays,
    extensionWorkingDays: extension,
    dueOn,
    asOf,
    remainingWorkingDays: remaining,
    overdue: toEpochDay(asOf, 'asOf') > toEpochDay(dueOn),
    calendarId: calendar.id,
  };
}

export interface ApplicationHistory {
  applicationId: string;
  transitions: readonly Pick<ApplicationTransition, 'fromStatus' | 'toStatus' | 'at'>[];
}

export interface SlaOptions {
  asOf: IsoDate;
  /** Targets reported as "share decided within N working days" (UK statistics use 20 and 60). */
  targetsWorkingDays?: number[];
  /** Open cases older than this many working days are listed as overdue. */
  overdueAfterWorkingDays?: number;
  /** Statuses during which the clock stops (e.g. ['information_requested']); none by default, as in UK statistics. */
  pauseStatuses?: ApplicationStatus[];
}

export interface SlaFigures {
  calendarId: string;
  asOf: IsoDate;
  decidedCount: number;
  withdrawnCount: number;
  openCount: number;
  withinTargets: { workingDays: number; count: number; share01: number | null }[];
  medianWorkingDays: number | null;
  overdue: { applicationId: string; submittedOn: IsoDate; status: string; elapsedWorkingDays: number }[];
  perApplication: {
    applicationId: string;
    status: string;
    submittedOn: IsoDate | null;
    decidedOn: IsoDate | null;
    elapsedWorkingDays: number | null;
  }[];
  method: string;
}

const dateOf = (at: string): IsoDate => at.slice(0, 10);

/**
 * Processing-time figures from transition histories: the share decided within each target, the median and the open
 * cases past the overdue limit. The clock runs from the first `submitted` to the first decision (dates in UTC).
 *
 * @example
 * computeSlaFigures(de, histories, { asOf: '2026-11-30' });
 * // => { decidedCount: 12, withinTargets: [{ workingDays: 20, share01: 0.75 }, { workingDays: 60, share01: 1 }], medianWorkingDays: 14, overdue: [...] }
 */
export function computeSlaFigures(
  calendar: WorkingCalendar,
  histories: readonly ApplicationHistory[],
  options: SlaOptions,
): SlaFigures {
  const targets = options.targetsWorkingDays ?? [20, 60];
  const overdueAfter = options.overdueAfterWorkingDays ?? 20;
  const paused = new Set<string>(options.pauseStatuses ?? []);
  const perApplication: SlaFigures['perApplication'] = [];
  for (const h of histories) {
    const ts = [...h.transitions].sort((a, b) => a.at.localeCompare(b.at));
    const submitIdx = ts.findIndex((t) => t.toStatus === 'submitted');
    const current = ts.at(-1)?.toStatus ?? 'draft';
    if (submitIdx < 0) {
      perApplication.push({
        applicationId: h.applicationId,
        status: current,
        submittedOn: null,
        decidedOn: null,
        elapsedWorkingDays: null,
      });
      continue;
    }
    const submittedOn = dateOf((ts[submitIdx] as (typeof ts)[number]).at);
    let elapsed = 0;
    let decidedOn: IsoDate | null = null;
    let endStatus: string = current;
    for (let i = submitIdx; i < ts.length; i++) {
      const t = ts[i] as (typeof ts)[number];
      const next = ts[i + 1];
      const end = next ? dateOf(next.at) : options.asOf;
      if ((DECIDED_STATUSES as readonly string[]).includes(t.toStatus)) {
        decidedOn = dateOf(t.at);
        endStatus = t.toStatus;
        break;
      }
      if (t.toStatus === 'withdrawn') {
        endStatus = 'withdrawn';
        break;
      }
      if (!paused.has(t.toStatus)) elapsed += Math.max(0, workingDaysBetween(calendar, dateOf(t.at), end));
    }
    perApplication.push({
      applicationId: h.applicationId,
      status: endStatus,
      submittedOn,
      decidedOn,
      elapsedWorkingDays: elapsed,
    });
  }
  const decided = perApplication.filter((p) => p.decidedOn !== null);
  const open = perApplication.filter(
    (p) => p.submittedOn !== null && p.decidedOn === null && p.status !== 'withdrawn',
  );
  const days = decided.map((p) => p.elapsedWorkingDays as number).sort((a, b) => a - b);
  return {
    calendarId: calendar.id,
    asOf: options.asOf,
    decidedCount: decided.length,
    withdrawnCount: perApplication.filter((p) => p.status === 'withdrawn').length,
    openCount: open.length,
    withinTargets: targets.map((t) => {
      const count = days.filter((d) => d <= t).length;
      return { workingDays: t, count, share01: days.length === 0 ? null : count / days.length };
    }),
    medianWorkingDays: computeMedian(days),
    overdue: open
      .filter((p) => (p.elapsedWorkingDays as number) > overdueAfter)
      .sort((a, b) => (b.elapsedWorkingDays as number) - (a.elapsedWorkingDays as number))
      .map((p) => ({
        applicationId: p.applicationId,
        submittedOn: p.submittedOn as IsoDate,
        status: p.status,
        elapsedWorkingDays: p.elapsedWorkingDays as number,
      })),
    perApplication,
    method:
      'Working days from the first submission to the first decision, counted in the half-open interval (submitted, decided] ' +
      `on calendar ${calendar.id}` +
      (paused.size > 0 ? `, clock stopped while in ${[...paused].join(', ')}` : ', clock never stopped') +
      '; withdrawn applications are excluded from the shares and the median.',
  };
}

function computeMedian(sorted: number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
