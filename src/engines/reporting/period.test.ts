import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../domain/errors.ts';
import { addDays, isInPeriod, parsePeriod, previousPeriods, stepPeriod } from './period.ts';

describe('parsePeriod', () => {
  it.each([
    ['2025-Q4', 'quarter', '2025-10-01', '2025-12-31'],
    ['2025-q1', 'quarter', '2025-01-01', '2025-03-31'],
    ['2024-02', 'month', '2024-02-01', '2024-02-29'],
    ['2025-02', 'month', '2025-02-01', '2025-02-28'],
    ['2025-11', 'month', '2025-11-01', '2025-11-30'],
    ['2025', 'year', '2025-01-01', '2025-12-31'],
  ])('%s -> %s %s..%s', (text, granularity, startOn, endOn) => {
    expect(parsePeriod(text)).toMatchObject({ granularity, startOn, endOn });
  });

  it.each([
    ['2025-Q5', 'quarter must be Q1 to Q4'],
    ['2025-13', 'month must be 01 to 12'],
    ['2025-00', 'month must be 01 to 12'],
    ['25-Q1', 'expected YYYY'],
    ['2025-H1', 'expected YYYY'],
    ['Q4 2025', 'expected YYYY'],
    ['', 'expected YYYY'],
    ['1999', 'year must be between'],
  ])('refuses %j with the reason', (text, why) => {
    try {
      parsePeriod(text);
      expect.unreachable();
    } catch (e) {
      expect(isDomainError(e) && e.code).toBe('INVALID');
      expect((e as Error).message).toContain(why);
      expect(isDomainError(e) && e.issues[0]?.path).toBe('period');
    }
  });
});

describe('period arithmetic', () => {
  it('steps across year boundaries', () => {
    expect(stepPeriod(parsePeriod('2025-Q1'), -1).id).toBe('2024-Q4');
    expect(stepPeriod(parsePeriod('2025-01'), -1).id).toBe('2024-12');
    expect(stepPeriod(parsePeriod('2025-12'), 1).id).toBe('2026-01');
    expect(previousPeriods(parsePeriod('2025-Q1'), 3).map((p) => p.id)).toEqual([
      '2024-Q2',
      '2024-Q3',
      '2024-Q4',
    ]);
    expect(previousPeriods(parsePeriod('2025'), 2).map((p) => p.id)).toEqual(['2023', '2024']);
  });
  it('tests membership inclusively and adds days', () => {
    const q = parsePeriod('2025-Q4');
    expect(isInPeriod('2025-10-01', q)).toBe(true);
    expect(isInPeriod('2025-12-31T23:59:00Z', q)).toBe(true);
    expect(isInPeriod('2026-01-01', q)).toBe(false);
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });
});
