import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../domain/errors.ts';
import { readWorkflowPolicy } from '../../../test/fixtures/workflow/policy-files.ts';
import {
  addWorkingDays,
  assessDeadline,
  computeEasterSunday,
  computeSlaFigures,
  createWorkingCalendar,
  fromEpochDay,
  parseHolidayPolicy,
  toEpochDay,
  workingDaysBetween,
  type ApplicationHistory,
} from './working-days.ts';

const load = (name: string) => {
  const { text, sourceName } = readWorkflowPolicy(name);
  return createWorkingCalendar(parseHolidayPolicy(text, sourceName));
};
const de = load('holidays-de.yaml');
const fr = load('holidays-fr.yaml');
const cals = { de, fr };

const arbDate = fc
  .integer({ min: toEpochDay('1995-01-01'), max: toEpochDay('2060-12-31') })
  .map(fromEpochDay);

describe('Easter and public holidays', () => {
  it.each([
    [2000, '2000-04-23'],
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'],
  ])('Easter %i is %s', (year, date) => expect(computeEasterSunday(year)).toBe(date));

  it('lists the German (Hesse) holidays of 2026', () => {
    expect(de.holidaysIn(2026).map((h) => h.date)).toEqual([
      '2026-01-01',
      '2026-04-03',
      '2026-04-06',
      '2026-05-01',
      '2026-05-14',
      '2026-05-25',
      '2026-06-04',
      '2026-10-03',
      '2026-12-25',
      '2026-12-26',
    ]);
    expect(de.holidaysIn(2017).map((h) => h.date)).toContain('2017-10-31');
    expect(de.holidaysIn(2018).map((h) => h.date)).not.toContain('2018-10-31');
  });

  it.each([
    ['de', '2026-10-02', true],
    ['de', '2026-06-04', false],
    ['fr', '2026-06-04', true],
    ['fr', '2026-07-14', false],
    ['fr', '2026-05-08', false],
    ['de', '2026-05-08', true],
    ['de', '2026-11-28', false],
  ] as const)('%s: %s working = %s', (cal, date, working) =>
    expect(cals[cal].isWorkingDay(date)).toBe(working),
  );

  it('counts 253 working days in 2026 at BAFA (261 weekdays minus 8 weekday holidays)', () => {
    expect(workingDaysBetween(de, '2025-12-31', '2026-12-31')).toBe(253);
  });
});

describe('addWorkingDays / workingDaysBetween', () => {
  it.each([
    ['de', '2026-12-23', 2, '2026-12-28'],
    ['de', '2026-03-02', 10, '2026-03-16'],
    ['de', '2026-04-02', 1, '2026-04-07'],
    ['de', '2026-04-07', -1, '2026-04-02'],
    ['de', '2026-11-28', 0, '2026-11-28'],
    ['fr', '2026-07-13', 1, '2026-07-15'],
  ] as const)('%s: %s + %i = %s', (cal, start, n, expected) =>
    expect(addWorkingDays(cals[cal], start, n)).toBe(expected),
  );

  it('rejects impossible dates and fractional days', () => {
    for (const f of [
      () => addWorkingDays(de, '2026-02-30', 1),
      () => addWorkingDays(de, '2026-02-03', 1.5),
    ]) {
      try {
        f();
        throw new Error('should fail');
      } catch (e) {
        expect(isDomainError(e) && e.code).toBe('INVALID');
      }
    }
  });

  it('property: monotone in n and inverse of workingDaysBetween; the result is a working day', () => {
    fc.assert(
      fc.property(
        arbDate,
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 60 }),
        (start, n, k) => {
          const a = addWorkingDays(de, start, n);
          const b = addWorkingDays(de, start, n + k);
          expect(a <= b).toBe(true);
          if (k > 0) expect(a < b).toBe(true);
          expect(workingDaysBetween(de, start, a)).toBe(n);
          if (n > 0) expect(de.isWorkingDay(a)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: workingDaysBetween is additive and antisymmetric', () => {
    fc.assert(
      fc.property(arbDate, arbDate, arbDate, (a, b, c) => {
        expect(workingDaysBetween(fr, a, b) + workingDaysBetween(fr, b, a)).toBe(0);
        const [x, y, z] = [a, b, c].sort();
        // the per-year fast path must agree with a day-by-day count
        let slow = 0;
        for (let d = toEpochDay(x as string) + 1; d <= toEpochDay(z as string); d++)
          if (fr.isWorkingEpochDay(d)) slow++;
        expect(workingDaysBetween(fr, x as string, z as string)).toBe(slow);
        expect(workingDaysBetween(fr, x as string, z as string)).toBe(
          workingDaysBetween(fr, x as string, y as string) + workingDaysBetween(fr, y as string, z as string),
        );
      }),
      { numRuns: 100 },
    );
  });
});

describe('assessDeadline', () => {
  it('is due on the last working day and overdue only after it', () => {
    const onTime = assessDeadline(de, { startedOn: '2026-03-02', workingDays: 10 }, '2026-03-16');
    expect(onTime).toMatchObject({ dueOn: '2026-03-16', remainingWorkingDays: 0, overdue: false });
    const late = assessDeadline(de, { startedOn: '2026-03-02', workingDays: 10 }, '2026-03-17');
    expect(late).toMatchObject({ overdue: true, remainingWorkingDays: -1 });
    const extended = assessDeadline(
      de,
      { startedOn: '2026-03-02', workingDays: 10, extensionWorkingDays: 5 },
      '2026-03-17',
    );
    expect(extended).toMatchObject({ dueOn: '2026-03-23', overdue: false });
  });
});

describe('computeSlaFigures', () => {
  const h = (id: string, steps: [string | null, string, string][]): ApplicationHistory => ({
    applicationId: id,
    transitions: steps.map(
      ([fromStatus, toStatus, at]) =>
        ({ fromStatus, toStatus, at }) as ApplicationHistory['transitions'][number],
    ),
  });
  const histories = [
    // 10 working days
    h('A', [
      [null, 'draft', '2026-02-20T09:00:00Z'],
      ['draft', 'submitted', '2026-03-02T09:00:00Z'],
      ['submitted', 'in_assessment', '2026-03-03T09:00:00Z'],
      ['in_assessment', 'granted', '2026-03-16T15:00:00Z'],
    ]),
    // 30 working days, with 10 of them waiting for the exporter
    h('B', [
      ['draft', 'submitted', '2026-03-02T09:00:00Z'],
      ['submitted', 'information_requested', '2026-03-09T09:00:00Z'],
      ['information_requested', 'in_assessment', '2026-03-23T09:00:00Z'],
      ['in_assessment', 'denied', '2026-04-14T09:00:00Z'],
    ]),
    // withdrawn
    h('C', [
      ['draft', 'submitted', '2026-03-02T09:00:00Z'],
      ['submitted', 'withdrawn', '2026-03-04T09:00:00Z'],
    ]),
    // open since 2 March: overdue on 30 April
    h('D', [
      ['draft', 'submitted', '2026-03-02T09:00:00Z'],
      ['submitted', 'in_assessment', '2026-03-03T09:00:00Z'],
    ]),
    // draft only
    h('E', [[null, 'draft', '2026-03-02T09:00:00Z']]),
  ];

  it('computes shares within 20 and 60 working days, the median and the overdue list', () => {
    const sla = computeSlaFigures(de, histories, { asOf: '2026-04-30' });
    expect(workingDaysBetween(de, '2026-03-02', '2026-04-14')).toBe(29);
    expect(sla.decidedCount).toBe(2);
    expect(sla.withdrawnCount).toBe(1);
    expect(sla.openCount).toBe(1);
    expect(sla.withinTargets).toEqual([
      { workingDays: 20, count: 1, share01: 0.5 },
      { workingDays: 60, count: 2, share01: 1 },
    ]);
    expect(sla.medianWorkingDays).toBe((10 + 29) / 2);
    expect(sla.overdue.map((o) => o.applicationId)).toEqual(['D']);
    expect(sla.overdue[0]?.elapsedWorkingDays).toBe(workingDaysBetween(de, '2026-03-02', '2026-04-30'));
  });

  it('stops the clock in paused statuses when asked', () => {
    const sla = computeSlaFigures(de, histories, {
      asOf: '2026-04-30',
      pauseStatuses: ['information_requested'],
    });
    const b = sla.perApplication.find((p) => p.applicationId === 'B');
    expect(b?.elapsedWorkingDays).toBe(29 - workingDaysBetween(de, '2026-03-09', '2026-03-23'));
    expect(sla.method).toMatch(/clock stopped while in information_requested/);
  });

  it('returns null shares and median when nothing is decided', () => {
    const sla = computeSlaFigures(de, [], { asOf: '2026-04-30' });
    expect(sla.medianWorkingDays).toBeNull();
    expect(sla.withinTargets.every((t) => t.share01 === null)).toBe(true);
  });
});

describe('parseHolidayPolicy validation', () => {
  it.each([
    [
      'both fixed and easter',
      "  - { id: neujahr, name: Neujahr, fixed: '01-01' }",
      "  - { id: neujahr, name: Neujahr, fixed: '01-01', easterOffsetDays: 1 }",
      /rules\.0: rule neujahr needs exactly one/,
    ],
    ['bad MM-DD', "fixed: '01-01'", "fixed: '13-01'", /rules\.0\.fixed/],
    [
      'unknown excluded rule',
      'closures: []',
      'closures: []\nexcludeRules: [nope]',
      /excludeRules\.0: unknown rule nope/,
    ],
  ])('rejects %s naming the file and rule', (_l, from, to, pattern) => {
    const { text, sourceName } = readWorkflowPolicy('holidays-de.yaml');
    expect(() => parseHolidayPolicy(text.replace(from, to), sourceName)).toThrow(pattern);
  });
});
