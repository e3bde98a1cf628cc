import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readWorkflowPolicy } from '../../../test/fixtures/workflow/policy-files.ts';
import { assessLicenceUsage, computeAppealDeadline, type UsageEntry } from './licence-usage.ts';
import { createWorkingCalendar, parseHolidayPolicy } from './working-days.ts';

const h = readWorkflowPolicy('holidays-de.yaml');
const de = createWorkingCalendar(parseHolidayPolicy(h.text, h.sourceName));
const licence = {
  status: 'active',
  validFrom: '2026-03-20',
  validUntil: '2028-03-19',
  lines: [
    { lineNo: 1, quantity: 2, valueEur: 100_000 },
    { lineNo: 2, quantity: 10, valueEur: 5_000 },
  ],
};
const entry = (lineNo: number, quantity: number, valueEur: number, shippedOn = '2026-05-01'): UsageEntry => ({
  lineNo,
  quantity,
  valueEur,
  shippedOn,
  reference: `R${lineNo}-${quantity}`,
});

describe('assessLicenceUsage', () => {
  it('draws down quantity and value and detects exhaustion', () => {
    const partial = assessLicenceUsage(licence, [], [entry(1, 1, 40_000)]);
    expect(partial).toMatchObject({ accepted: true, exhausted: false });
    expect(partial.lines[0]).toMatchObject({
      remainingQuantity: 1,
      remainingValueEur: 60_000,
      exhausted: false,
    });
    const full = assessLicenceUsage(
      licence,
      [entry(1, 1, 40_000)],
      [entry(1, 1, 40_000), entry(2, 3, 5_000)],
    );
    expect(full).toMatchObject({
      accepted: true,
      exhausted: true,
      guardFacts: { quantity_or_value_used_up: true },
    });
  });

  it.each([
    ['over quantity', [entry(1, 3, 10)], /exceeds the licensed quantity 2/],
    ['over value', [entry(2, 1, 6_000)], /exceeds the licensed value/],
    ['before validity', [entry(1, 1, 10, '2026-03-19')], /outside the validity/],
    ['after validity', [entry(1, 1, 10, '2028-03-20')], /outside the validity/],
    ['unknown line', [entry(9, 1, 10)], /not on the licence/],
  ])('refuses a report %s, whole', (_l, report, pattern) => {
    const r = assessLicenceUsage(licence, [], [entry(2, 1, 100), ...report]);
    expect(r.accepted).toBe(false);
    expect(r.exhausted).toBe(false);
    expect(r.refusals.map((x) => x.message).join(' ')).toMatch(pattern);
  });

  it('refuses usage on a suspended licence', () => {
    expect(assessLicenceUsage({ ...licence, status: 'suspended' }, [], [entry(1, 1, 10)]).accepted).toBe(
      false,
    );
  });

  it('property: accepted reports never leave negative remainders', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom(1, 2),
            fc.integer({ min: 0, max: 4 }),
            fc.integer({ min: 0, max: 60_000 }),
          ),
          { maxLength: 6 },
        ),
        (rows) => {
          const r = assessLicenceUsage(
            licence,
            [],
            rows.map(([l, q, v]) => entry(l, q, v)),
          );
          if (r.accepted)
            for (const l of r.lines)
              expect(l.usedQuantity).toBeLessThanOrEqual(
                licence.lines.find((x) => x.lineNo === l.lineNo)!.quantity,
              );
        },
      ),
    );
  });
});

describe('computeAppealDeadline', () => {
  it.each([
    ['2026-03-18', 30, 'calendar', '2026-04-17'],
    ['2026-03-07', 30, 'calendar', '2026-04-07'], // 6 April is Easter Monday, 5 April a Sunday
    ['2026-03-18', 10, 'working', '2026-04-01'],
  ] as const)('notified %s + %i %s days -> %s', (notifiedOn, days, kind, expected) =>
    expect(computeAppealDeadline(de, { notifiedOn, days, kind })).toBe(expected),
  );
});
