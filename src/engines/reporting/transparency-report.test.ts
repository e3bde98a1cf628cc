import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RegisterSourceRecord } from '../../domain/reporting.ts';
import {
  generateRecords,
  loadDefaultPolicy,
  loadVocabulary,
} from '../../../test/fixtures/reporting/records.ts';
import { buildAggregateTable } from './aggregate-table.ts';
import { parsePeriod } from './period.ts';
import { buildPublicRegister } from './public-register.ts';
import type { RedactionPolicy } from './redaction-policy.ts';
import { transparencyReportSchema, TABLE_IDS } from './report-model.ts';
import { buildTransparencyReport } from './transparency-report.ts';

const policy = loadDefaultPolicy();
const vocabulary = loadVocabulary();
const authority = { id: 'de-test', name: 'Test authority', memberState: 'DE' };
const build = (
  records: RegisterSourceRecord[],
  p: RedactionPolicy = policy,
  period = '2025-Q4',
  publishedAt = '2026-03-01T09:00:00Z',
) =>
  buildTransparencyReport(records, {
    period: parsePeriod(period),
    policy: p,
    vocabulary,
    authority,
    publishedAt,
    previousPeriods: 3,
  }).report;

describe('buildPublicRegister', () => {
  const base = generateRecords({ count: 1, seed: 1 })[0]!;
  const rec = (over: Partial<RegisterSourceRecord>): RegisterSourceRecord => ({ ...base, ...over });

  it.each([
    ['decided, delay run', rec({ decision: 'granted', decidedOn: '2025-12-01' }), '2025-12-31', 1, 0],
    ['decided, delay not run', rec({ decision: 'granted', decidedOn: '2025-12-10' }), '2025-12-31', 0, 1],
    [
      'pending, 180 days not run',
      rec({ decision: 'pending', decidedOn: null, receivedOn: '2025-10-01' }),
      '2025-12-31',
      0,
      1,
    ],
    [
      'pending, 180 days run',
      rec({ decision: 'pending', decidedOn: null, receivedOn: '2025-01-01' }),
      '2025-12-31',
      1,
      0,
    ],
  ] as const)('%s', (_name, record, asOf, rows, withheld) => {
    const r = buildPublicRegister([record], policy, asOf, vocabulary);
    expect(r.rows.length).toBe(rows);
    expect(r.withheldByDelay).toBe(withheld);
  });

  it('never publishes pending applications when the policy says null', () => {
    const p = { ...policy, register: { ...policy.register, pendingDelayDays: null } };
    const r = buildPublicRegister(
      [rec({ decision: 'pending', decidedOn: null, receivedOn: '2020-01-01' })],
      p,
      '2025-12-31',
      vocabulary,
    );
    expect(r.rows).toEqual([]);
  });

  it('shows vocabulary text, never the exporter text; names legal persons only when allowed; never natural persons', () => {
    const record = rec({
      decision: 'granted',
      decidedOn: '2025-10-01',
      parties: [
        {
          role: 'end_user',
          partyType: 'police',
          sector: 'law_enforcement',
          name: 'Police Agency X',
          naturalPerson: false,
          country: 'KE',
        },
        {
          role: 'consignee',
          partyType: 'individual',
          sector: 'other',
          name: 'Jane Roe',
          naturalPerson: false,
          country: 'KE',
        },
        {
          role: 'agent',
          partyType: 'private_company',
          sector: 'commercial',
          name: 'Sole Trader',
          naturalPerson: true,
          country: 'KE',
        },
      ],
    });
    const withheld = buildPublicRegister([record], policy, '2026-01-01', vocabulary).rows[0]!;
    expect(withheld.parties.map((p) => p.name)).toEqual([null, null, null]);
    expect(withheld.items[0]!.description).toBe(
      vocabulary.byCode.get(record.lines[0]!.publicDescriptionCode)!.text,
    );
    const open = {
      ...policy,
      fields: { ...policy.fields, 'parties.name.legalPerson': { publish: true, source: 't' } },
    };
    const row = buildPublicRegister([record], open, '2026-01-01', vocabulary).rows[0]!;
    expect(row.parties.map((p) => p.name)).toEqual(['Police Agency X', null, null]);
    expect(JSON.stringify(row)).not.toContain(record.lines[0]!.confidentialDescription);
  });

  it('withholds a field the policy withholds, and reports unknown vocabulary codes as notices', () => {
    const p = { ...policy, fields: { ...policy.fields, 'lines.valueEur': { publish: false, source: 't' } } };
    const record = rec({
      decision: 'denied',
      decidedOn: '2025-10-01',
      lines: [{ ...base.lines[0]!, publicDescriptionCode: 'NOPE' }],
    });
    const r = buildPublicRegister([record], p, '2026-01-01', vocabulary);
    expect(r.rows[0]!.totalValueEur).toBeNull();
    expect(r.rows[0]!.items[0]!.valueEur).toBeNull();
    expect(r.rows[0]!.items[0]!.description).toBeNull();
    expect(r.notices[0]!.reason).toContain('"NOPE" is not in vocabulary');
  });
});

describe('buildAggregateTable (minimum group sizes)', () => {
  const rules = { minApplicationsPerCell: 3, minExportersPerCell: 2, maxSingleExporterValueShare01: 0.9 };
  const spec = { id: 't', title: 't', unit: 'application', dimensions: ['d'], publishValues: true };
  const u = (key: string, exporterId: string, valueCents = 100) => ({ key: [key], exporterId, valueCents });

  it('publishes passing cells and merges failing ones into "other"', () => {
    const t = buildAggregateTable(
      [u('A', 'e1'), u('A', 'e2'), u('A', 'e3'), u('B', 'e1'), u('C', 'e2'), u('D', 'e3'), u('E', 'e1')],
      spec,
      rules,
    );
    expect(t.rows.map((r) => [r.key[0], r.applications, r.mergedCells])).toEqual([
      ['A', 3, 0],
      ['_other', 4, 4],
    ]);
    expect(t.total).toEqual({ applications: 7, valueEur: 7 });
  });

  it('a cell with one exporter fails even with many applications; a dominant exporter fails the share rule', () => {
    const t = buildAggregateTable(
      [
        u('A', 'e1'),
        u('A', 'e1'),
        u('A', 'e1'),
        u('B', 'e1', 1000),
        u('B', 'e2', 1),
        u('B', 'e3', 1),
        u('C', 'e1'),
        u('C', 'e2'),
        u('C', 'e3'),
      ],
      spec,
      rules,
    );
    expect(t.rows.find((r) => r.key[0] === 'A')).toBeUndefined();
    expect(t.rows.find((r) => r.key[0] === 'B')).toBeUndefined();
    expect(t.reasons.join(' ')).toContain('distinct exporters');
    expect(t.reasons.join(' ')).toContain('more than 90% of the value');
  });

  it('absorbs the smallest passing cell when "other" alone fails, and suppresses a table that cannot pass', () => {
    const t = buildAggregateTable(
      [
        u('A', 'e1'),
        u('A', 'e2'),
        u('A', 'e3'),
        u('B', 'e1'),
        u('B', 'e2'),
        u('B', 'e3'),
        u('B', 'e4'),
        u('C', 'e1'),
      ],
      spec,
      rules,
    );
    expect(t.rows.map((r) => r.key[0])).toEqual(['B', '_other']);
    expect(t.rows[1]!.applications).toBe(4);
    const s = buildAggregateTable([u('A', 'e1'), u('B', 'e1')], spec, rules);
    expect(s.suppressed).toBe(true);
    expect(s.rows).toEqual([]);
    expect(s.total).toEqual({ applications: null, valueEur: null });
  });
});

describe('buildTransparencyReport', () => {
  const records = generateRecords({ count: 400, seed: 7, fromYear: 2024, toYear: 2025 });

  it('conforms to its schema and covers the period only', () => {
    const report = build(records);
    expect(transparencyReportSchema.parse(report)).toEqual(report);
    expect(report.register.length).toBeGreaterThan(20);
    for (const row of report.register) {
      const date = row.decision === 'pending' ? row.receivedOn! : row.decidedOn!;
      expect(date >= '2025-10-01' && date <= '2025-12-31').toBe(true);
    }
    expect(report.trends.map((t) => t.period)).toEqual(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4']);
    expect(report.trends.at(-1)!.applications).toBe(report.summary.applications);
  });

  it('counts withheld-by-delay applications and publishes them once the delay has run', () => {
    const early = build(records, policy, '2025-Q4', '2026-01-05T00:00:00Z');
    const late = build(records, policy, '2025-Q4', '2026-12-31T00:00:00Z');
    expect(early.summary.withheldByDelay).toBeGreaterThan(0);
    expect(late.summary.withheldByDelay).toBe(0);
    expect(early.summary.applications + early.summary.withheldByDelay).toBe(late.summary.applications);
  });

  it('property: totals equal the sum of rows; per-application tables agree with the summary; input order is irrelevant', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 150 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        (count, seed, minApps, minExporters) => {
          const recs = generateRecords({
            count,
            seed,
            fromYear: 2025,
            toYear: 2025,
            exporters: 1 + (seed % 8),
          });
          const p = {
            ...policy,
            aggregation: {
              ...policy.aggregation,
              minApplicationsPerCell: minApps,
              minExportersPerCell: minExporters,
            },
          };
          const report = build(recs, p, '2025');
          for (const id of TABLE_IDS) {
            const t = report.tables[id];
            if (t.suppressed) continue;
            const apps = t.rows.reduce((s, r) => s + r.applications, 0);
            const cents = t.rows.reduce((s, r) => s + Math.round(r.valueEur! * 100), 0);
            expect(t.total.applications).toBe(apps);
            expect(Math.round(t.total.valueEur! * 100)).toBe(cents);
            for (const r of t.rows) {
              if (r.key[0] !== '_other') expect(r.applications).toBeGreaterThanOrEqual(minApps);
            }
          }
          for (const id of ['byDestination', 'byDecision', 'byEndUserType'] as const) {
            const t = report.tables[id];
            if (t.suppressed) continue;
            expect(t.total.applications).toBe(report.summary.applications);
            expect(t.total.valueEur).toBe(report.summary.valueEur);
          }
          const shuffled = [...recs].reverse();
          expect(JSON.stringify(build(shuffled, p, '2025'))).toBe(JSON.stringify(report));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('refuses records of another Member State', () => {
    const other = generateRecords({ count: 2, seed: 3, memberState: 'FR' });
    expect(() => build(other)).toThrow(/Member State FR/);
  });
});

describe('a policy that withholds every publishable field', () => {
  it('publishes rows of nulls, withholds every table and still renders every format', async () => {
    const { renderReportFiles } = await import('./render-report.ts');
    const closed: RedactionPolicy = {
      ...policy,
      fields: Object.fromEntries(
        Object.keys(policy.fields).map((f) => [f, { publish: false, source: 'test' }]),
      ) as RedactionPolicy['fields'],
    };
    const records = generateRecords({ count: 120, seed: 9, fromYear: 2025, toYear: 2025 });
    const report = build(records, closed, '2025');
    expect(report.register.length).toBeGreaterThan(0);
    for (const row of report.register) {
      const { rowId, cyberSurveillance, items, parties, ...rest } = row;
      expect(rowId).toMatch(/^row-\d+$/);
      expect(cyberSurveillance).toBe(false);
      expect(Object.values(rest).every((v) => v === null)).toBe(true);
      for (const i of items)
        expect(Object.entries(i).filter(([k, v]) => k !== 'lineNo' && v !== null)).toEqual([]);
      for (const p of parties) expect(Object.values(p).every((v) => v === null)).toBe(true);
    }
    for (const id of TABLE_IDS) expect(report.tables[id].suppressed).toBe(true);
    expect(report.summary.valueEur).toBeNull();
    expect(report.summary.cyberSurveillanceApplications).toBeNull();
    const files = await renderReportFiles(report, {
      formats: ['json', 'csv', 'xlsx', 'html', 'pdf'],
      baseUrl: 'https://exports.example.eu',
      licence: {
        name: 'CC-BY-4.0',
        title: 'CC BY 4.0',
        path: 'https://creativecommons.org/licenses/by/4.0/',
      },
    });
    const csv = new TextDecoder().decode(files.get('register-items.csv'));
    for (const code of ['MOB-INTERCEPT', 'IP-SURVEILLANCE', '5A001', 'DE-2025'])
      expect(csv).not.toContain(code);
    expect(new TextDecoder().decode(files.get('report.html'))).not.toContain('DE-2025-');
  });
});
