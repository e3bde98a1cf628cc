/**
 * The report's trend is counted in SQL for the earlier periods (readReportSource); the engine counts the period itself
 * from records. Both must agree: for several periods, delays and withdrawn rules, the SQL groups equal the engine's
 * trendGroupsOf over the same periods read application by application, and the trends are identical.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../test/support/config.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import {
  buildTransparencyReport,
  checkEligibility,
  computeCutoffs,
  isInPeriod,
  mergeTrendGroups,
  parsePeriod,
  previousPeriods,
  trendGroupsOf,
  type RedactionPolicy,
  type TrendGroup,
} from '../../engines/reporting/index.ts';
import { reportingDateOf } from '../../engines/reporting/transparency-report.ts';
import { classifyDemoCatalogue } from '../classification.service.ts';
import { createServiceContext, type ServiceContext } from '../context.ts';
import { seedDemoData } from '../demo-seed.service.ts';
import { defaultPublicationPolicies } from './publication-policy.loader.ts';
import {
  readMonthTrendGroups,
  readRegisterSource,
  readReportSource,
  readTrendGroups,
} from './register-source.reader.ts';

/** The months (`YYYY-MM`) of a period, from its first day's to its last day's. */
function monthsOf(startOn: string, endOn: string): string[] {
  const out: string[] = [];
  const at = new Date(`${startOn.slice(0, 7)}-01T00:00:00Z`);
  while (at.toISOString().slice(0, 7) <= endOn.slice(0, 7)) {
    out.push(at.toISOString().slice(0, 7));
    at.setUTCMonth(at.getUTCMonth() + 1);
  }
  return out;
}

let database: TestDatabase;
let ctx: ServiceContext;
const policies = defaultPublicationPolicies();
const authority = { id: 'de-test', name: 'Test authority', memberState: testConfig().authority.country };

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = createServiceContext(database.db, testConfig());
  await seedDemoData(ctx.db, {
    applications: 1200,
    seed: 23,
    referenceDate: new Date('2026-06-30T12:00:00Z'),
  });
  await classifyDemoCatalogue(ctx);
}, 120_000);
afterAll(async () => database.close());

const sortGroups = (gs: readonly TrendGroup[]) =>
  [...gs].sort((a, b) =>
    `${a.periodId}|${a.exporterId}|${a.cyberSurveillance}|${a.denied}` <
    `${b.periodId}|${b.exporterId}|${b.cyberSurveillance}|${b.denied}`
      ? -1
      : 1,
  );

const variants: { name: string; policy: RedactionPolicy; publishedAt: string; periods: string[] }[] = [
  {
    name: 'default policy',
    policy: policies.redaction,
    publishedAt: '2026-06-30T12:00:00Z',
    periods: ['2025', '2025-Q4', '2026-03'],
  },
  {
    name: 'withdrawn excluded, pending published after 30 days',
    policy: {
      ...policies.redaction,
      register: { ...policies.redaction.register, includeWithdrawn: false, pendingDelayDays: 30 },
    },
    publishedAt: '2026-06-30T12:00:00Z',
    periods: ['2025', '2026-Q2', '2026-05'],
  },
  {
    name: 'withdrawn excluded, pending never published, a long decision delay cutting into the earlier periods',
    policy: {
      ...policies.redaction,
      register: {
        ...policies.redaction.register,
        includeWithdrawn: false,
        pendingDelayDays: null,
        decidedDelayDays: 120,
      },
    },
    publishedAt: '2026-04-15T08:00:00Z',
    periods: ['2026-Q1', '2026-02', '2025'],
  },
];

describe('readReportSource: trend groups counted in SQL', () => {
  it('has data that exercises every rule (decided, denied, withdrawn, pending, cyber-surveillance lines)', async () => {
    const all = await readRegisterSource(ctx.db, {
      fromOn: '2020-01-01',
      toOn: '2026-12-31',
      memberState: authority.memberState,
      vocabulary: policies.vocabulary,
    });
    const decisions = new Set(all.map((r) => r.decision));
    for (const d of ['granted', 'denied', 'withdrawn', 'pending']) expect(decisions).toContain(d);
    expect(all.some((r) => r.lines.some((l) => l.cyberSurveillanceCategory !== null))).toBe(true);
    expect(all.some((r) => r.lines.every((l) => l.cyberSurveillanceCategory === null))).toBe(true);

    // Read through the cursors two rows at a time (many pages, each asked for before the last is used): the same records.
    const paged = await readRegisterSource(ctx.db, {
      fromOn: '2020-01-01',
      toOn: '2026-12-31',
      memberState: authority.memberState,
      vocabulary: policies.vocabulary,
      pageRows: 2,
    });
    const byId = (xs: typeof all) => [...xs].sort((a, b) => a.applicationId.localeCompare(b.applicationId));
    expect(all.length).toBeGreaterThan(4);
    expect(byId(paged)).toEqual(byId(all));
  });

  for (const v of variants) {
    for (const id of v.periods) {
      it(`agrees with the engine over full records: ${v.name}, ${id}`, async () => {
        const period = parsePeriod(id);
        const count = policies.publication.previousPeriods[period.granularity];
        const earlier = previousPeriods(period, count);
        const cutoffs = computeCutoffs(v.policy, v.publishedAt);
        const source = await readReportSource(ctx.db, {
          fromOn: period.startOn,
          toOn: period.endOn,
          memberState: authority.memberState,
          vocabulary: policies.vocabulary,
          earlierPeriods: earlier,
          cutoffs,
          includeWithdrawn: v.policy.register.includeWithdrawn,
        });
        const full = await readRegisterSource(ctx.db, {
          fromOn: earlier[0]!.startOn,
          toOn: period.endOn,
          memberState: authority.memberState,
          vocabulary: policies.vocabulary,
        });
        const expected = earlier.flatMap((p) =>
          trendGroupsOf(
            p.id,
            full.filter(
              (r) =>
                isInPeriod(reportingDateOf(r), p) &&
                checkEligibility(r, v.policy, v.publishedAt, cutoffs).publishable,
            ),
          ),
        );
        expect(expected.length).toBeGreaterThan(0);
        expect(sortGroups(source.earlierPeriodGroups)).toEqual(sortGroups(expected));

        // As the cache of register blocks counts them (ADR 0009): the settled ones month by month, the open ones apart.
        const trendOptions = {
          cutoffs,
          includeWithdrawn: v.policy.register.includeWithdrawn,
          vocabulary: policies.vocabulary,
        };
        const months = earlier.flatMap((p) => monthsOf(p.startOn, p.endOn));
        const byMonth = await readMonthTrendGroups(ctx.db, { ...trendOptions, months });
        const open = await readTrendGroups(ctx.db, {
          ...trendOptions,
          earlierPeriods: earlier,
          only: 'open',
        });
        const settled = await readTrendGroups(ctx.db, {
          ...trendOptions,
          earlierPeriods: earlier,
          only: 'settled',
        });
        expect(byMonth.every((g) => months.includes(g.periodId))).toBe(true);
        const periodOfMonth = (month: string) => earlier.find((p) => isInPeriod(`${month}-01`, p))!.id;
        const monthsAdded = mergeTrendGroups(
          byMonth.map((g) => ({ ...g, periodId: periodOfMonth(g.periodId) })),
        );
        expect(sortGroups(monthsAdded)).toEqual(sortGroups(settled));
        expect(sortGroups(mergeTrendGroups([...open, ...monthsAdded]))).toEqual(sortGroups(expected));
        expect(source.records.every((r) => isInPeriod(reportingDateOf(r), period))).toBe(true);

        const options = {
          period,
          policy: v.policy,
          vocabulary: policies.vocabulary,
          authority,
          publishedAt: v.publishedAt,
          previousPeriods: count,
        };
        const fromRecords = buildTransparencyReport(full, options).report;
        const fromGroups = buildTransparencyReport(source.records, {
          ...options,
          earlierPeriodGroups: source.earlierPeriodGroups,
        }).report;
        expect(fromGroups.trends).toEqual(fromRecords.trends);
        expect(fromGroups).toEqual(fromRecords);
      });
    }
  }
});
