import { describe, expect, it } from 'vitest';
import { AUTOVACUUM_DEFAULTS, planUpkeep, type TableActivity } from './upkeep.ts';

const table = (over: Partial<TableActivity>): TableActivity => ({
  table: 't',
  reltuples: 10_000,
  liveRows: 10_000,
  deadRows: 0,
  modifiedSinceAnalyze: 0,
  insertedSinceVacuum: 0,
  ...over,
});

describe('planUpkeep (PostgreSQL autovacuum rule)', () => {
  it('leaves a quiet, analyzed table alone', () => {
    expect(planUpkeep([table({})])).toEqual([]);
  });

  it('analyzes a table never analyzed, even while its counters still read zero', () => {
    expect(planUpkeep([table({ reltuples: -1, liveRows: 0 })])).toEqual([
      { table: 't', vacuum: false, reason: 'never analyzed' },
    ]);
  });

  it('analyzes once changes pass 50 + 10% of the rows, not before', () => {
    const limit = AUTOVACUUM_DEFAULTS.analyzeBase + AUTOVACUUM_DEFAULTS.analyzeScale * 10_000; // 1,050
    expect(planUpkeep([table({ modifiedSinceAnalyze: limit })])).toEqual([]);
    expect(planUpkeep([table({ modifiedSinceAnalyze: limit + 1 })])).toEqual([
      { table: 't', vacuum: false, reason: '1051 rows changed since analyze' },
    ]);
  });

  it('vacuums past 50 + 20% dead rows, or 1,000 + 20% rows inserted since the last vacuum', () => {
    expect(planUpkeep([table({ deadRows: 2_050 })])).toEqual([]);
    expect(planUpkeep([table({ deadRows: 2_051 })])[0]).toMatchObject({
      vacuum: true,
      reason: '2051 dead rows',
    });
    expect(planUpkeep([table({ insertedSinceVacuum: 3_000 })])).toEqual([]);
    expect(planUpkeep([table({ insertedSinceVacuum: 3_001 })])[0]).toMatchObject({
      vacuum: true,
      reason: '3001 rows inserted since vacuum',
    });
  });

  it('names every reason and plans tables in name order', () => {
    const plan = planUpkeep([
      table({ table: 'parties', modifiedSinceAnalyze: 5_000 }),
      table({
        table: 'applications',
        reltuples: -1,
        modifiedSinceAnalyze: 5_000,
        insertedSinceVacuum: 5_000,
      }),
    ]);
    expect(plan.map((s) => s.table)).toEqual(['applications', 'parties']);
    expect(plan[0]!.reason).toBe(
      'never analyzed; 5000 rows changed since analyze; 5000 rows inserted since vacuum',
    );
  });
});
