/** Licence usage reports (quantity and value drawn down per line, exhaustion) and appeal deadlines. */
import type { IsoDate } from '../../domain/workflow.ts';
import { addWorkingDays, fromEpochDay, toEpochDay, type WorkingCalendar } from './working-days.ts';

export interface LicensedLine {
  lineNo: number;
  quantity: number;
  valueEur: number;
}

export interface UsageEntry {
  lineNo: number;
  quantity: number;
  valueEur: number;
  shippedOn: IsoDate;
  reference: string;
}

export interface UsageAssessment {
  accepted: boolean;
  refusals: { entryIndex: number; reference: string; message: string }[];
  lines: {
    lineNo: number;
    usedQuantity: number;
    usedValueEur: number;
    remainingQuantity: number;
    remainingValueEur: number;
    exhausted: boolean;
  }[];
  exhausted: boolean;
  guardFacts: { quantity_or_value_used_up: boolean };
}

/**
 * Check an exporter's usage report against the licence, all or nothing: the licence must be active, each shipment
 * within the validity period and on a licensed line, and the running totals within the licensed quantity and value.
 * A line is exhausted when its quantity or value is used up; the licence when every line is.
 *
 * @example
 * assessLicenceUsage({ status: 'active', validFrom: '2026-03-20', validUntil: '2028-03-19', lines: [{ lineNo: 1, quantity: 2, valueEur: 100000 }] },
 *   [], [{ lineNo: 1, quantity: 2, valueEur: 90000, shippedOn: '2026-05-01', reference: 'MRN 26DE...' }]);
 * // => { accepted: true, exhausted: true, guardFacts: { quantity_or_value_used_up: true }, ... }
 */
export function assessLicenceUsage(
  licence: { status: string; validFrom: IsoDate; validUntil: IsoDate | null; lines: readonly LicensedLine[] },
  previous: readonly UsageEntry[],
  report: readonly UsageEntry[],
): UsageAssessment {
  const refusals: UsageAssessment['refusals'] = [];
  const used = new Map<number, { q: number; v: number }>(
    licence.lines.map((l) => [l.lineNo, { q: 0, v: 0 }]),
  );
  for (const e of previous) {
    const u = used.get(e.lineNo);
    if (u) {
      u.q += e.quantity;
      u.v += e.valueEur;
    }
  }
  if (licence.status !== 'active' && report.length > 0)
    refusals.push({
      entryIndex: -1,
      reference: '',
      message: `The licence is ${licence.status}: no exports may be reported against it.`,
    });
  const from = toEpochDay(licence.validFrom, 'validFrom');
  const until =
    licence.validUntil === null ? Number.POSITIVE_INFINITY : toEpochDay(licence.validUntil, 'validUntil');
  report.forEach((e, i) => {
    const line = licence.lines.find((l) => l.lineNo === e.lineNo);
    const refuse = (message: string) => refusals.push({ entryIndex: i, reference: e.reference, message });
    if (!line) return refuse(`Line ${e.lineNo} is not on the licence.`);
    if (!(e.quantity >= 0 && e.valueEur >= 0)) return refuse('Quantity and value must be zero or more.');
    const day = toEpochDay(e.shippedOn, `report.${i}.shippedOn`);
    if (day < from || day > until)
      return refuse(
        `Shipped on ${e.shippedOn}, outside the validity ${licence.validFrom} to ${licence.validUntil ?? 'open'}.`,
      );
    const u = used.get(e.lineNo) as { q: number; v: number };
    u.q += e.quantity;
    u.v += e.valueEur;
    if (u.q > line.quantity)
      refuse(`Line ${e.lineNo}: ${u.q} exceeds the licensed quantity ${line.quantity}.`);
    if (u.v > line.valueEur + 1e-9)
      refuse(`Line ${e.lineNo}: EUR ${u.v} exceeds the licensed value EUR ${line.valueEur}.`);
  });
  const lines = licence.lines.map((l) => {
    const u = used.get(l.lineNo) as { q: number; v: number };
    const remainingQuantity = Math.max(0, l.quantity - u.q);
    const remainingValueEur = Math.max(0, l.valueEur - u.v);
    return {
      lineNo: l.lineNo,
      usedQuantity: u.q,
      usedValueEur: u.v,
      remainingQuantity,
      remainingValueEur,
      exhausted: remainingQuantity === 0 || remainingValueEur <= 1e-9,
    };
  });
  const accepted = refusals.length === 0;
  const exhausted = accepted && lines.length > 0 && lines.every((l) => l.exhausted);
  return { accepted, refusals, lines, exhausted, guardFacts: { quantity_or_value_used_up: exhausted } };
}

/**
 * The last day to appeal: `days` calendar days (or working days) after notification; a calendar deadline ending on a
 * weekend or holiday moves to the next working day (the usual rule, e.g. Reg. 1182/71 Art 3(4), German VwGO § 57 with
 * ZPO § 222(2); national procedural law governs).
 *
 * @example
 * computeAppealDeadline(de, { notifiedOn: '2026-03-18', days: 30, kind: 'calendar' }); // => '2026-04-17'
 */
export function computeAppealDeadline(
  calendar: WorkingCalendar,
  input: { notifiedOn: IsoDate; days: number; kind: 'calendar' | 'working' },
): IsoDate {
  if (input.kind === 'working') return addWorkingDays(calendar, input.notifiedOn, input.days);
  let day = toEpochDay(input.notifiedOn, 'notifiedOn') + input.days;
  while (!calendar.isWorkingEpochDay(day)) day++;
  return fromEpochDay(day);
}
