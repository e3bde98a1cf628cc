import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../domain/errors.ts';
import {
  generateRecords,
  loadDefaultPolicy,
  loadVocabulary,
} from '../../../test/fixtures/reporting/records.ts';
import { mergeDataPackages, type PublishedDataPackage } from './merge-data-packages.ts';
import { parsePeriod } from './period.ts';
import { renderCsv } from './render-csv.ts';
import { renderReportFiles } from './render-report.ts';
import { buildTransparencyReport } from './transparency-report.ts';

const licence = {
  name: 'CC-BY-4.0',
  title: 'CC BY 4.0',
  path: 'https://creativecommons.org/licenses/by/4.0/',
};

/** One synthetic Custos instance: its records, its report and its published package, as another authority would publish. */
async function publishInstance(memberState: string, seed: number, period = '2025') {
  const records = generateRecords({ count: 250, seed, memberState, fromYear: 2025, toYear: 2025 });
  const { report } = buildTransparencyReport(records, {
    period: parsePeriod(period),
    policy: loadDefaultPolicy(),
    vocabulary: loadVocabulary(),
    authority: {
      id: `${memberState.toLowerCase()}-authority`,
      name: `Authority ${memberState}`,
      memberState,
    },
    publishedAt: '2026-05-01T00:00:00Z',
    previousPeriods: 0,
  });
  const files = await renderReportFiles(report, {
    formats: ['csv'],
    baseUrl: `https://${memberState.toLowerCase()}.example.eu`,
    licence,
  });
  const text = new Map([...files].map(([n, b]) => [n, new TextDecoder().decode(b)]));
  const pkg: PublishedDataPackage = {
    source: `${memberState}/`,
    descriptor: JSON.parse(text.get('datapackage.json')!),
    files: text,
  };
  return { report, pkg };
}

const refusal = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (isDomainError(e)) return e.message;
    throw e;
  }
  throw new Error('accepted');
};

describe('mergeDataPackages', () => {
  it('combines three instances into EU tables whose totals equal the sum of the national reports', async () => {
    const instances = await Promise.all([
      publishInstance('DE', 1),
      publishInstance('FR', 2),
      publishInstance('NL', 3),
    ]);
    const eu = mergeDataPackages(instances.map((i) => i.pkg).reverse());
    expect(eu.sources.map((s) => s.memberState)).toEqual(['DE', 'FR', 'NL']);
    const table = (name: string) => eu.tables.find((t) => t.name === name)!;
    const sum = (name: string, col: number) => table(name).rows.reduce((s, r) => s + (r[col] as number), 0);
    const nationalApps = instances.reduce((s, i) => s + i.report.summary.applications, 0);
    expect(sum('eu-by-member-state', 1)).toBe(nationalApps);
    expect(sum('eu-by-destination', 1)).toBe(
      instances.reduce((s, i) => s + (i.report.tables.byDestination.total.applications ?? 0), 0),
    );
    expect(sum('eu-by-decision', 2)).toBe(nationalApps);
    expect(Math.round(sum('eu-by-member-state', 2) * 100)).toBe(
      Math.round(instances.reduce((s, i) => s + i.report.summary.valueEur!, 0) * 100),
    );
    const perMs = table('eu-by-member-state').rows.map((r) => [r[0], r[1]]);
    expect(perMs).toEqual(
      instances.map((i) => [i.report.authority.memberState, i.report.summary.applications]),
    );
    const cyberMs = new Set(table('eu-cyber-surveillance').rows.map((r) => r[2]));
    expect([...cyberMs].filter((m) => m !== '_other').sort()).toEqual(['DE', 'FR', 'NL']);
    expect(new TextDecoder().decode(renderCsv(table('eu-by-destination'))).split('\r\n')[0]).toBe(
      'destinationCountry,applications,valueEur',
    );
  });

  it('refuses mismatching schema versions, periods, duplicate authorities and altered files, with the reason', async () => {
    const de = (await publishInstance('DE', 1)).pkg;
    const fr = (await publishInstance('FR', 2)).pkg;
    const old = {
      ...fr,
      descriptor: structuredClone(fr.descriptor) as { custos: { schemaVersion: string } },
    };
    old.descriptor.custos.schemaVersion = '0.9.0';
    expect(refusal(() => mergeDataPackages([de, old]))).toMatch(
      /different schema versions: DE\/ 1\.0\.0, FR\/ 0\.9\.0/,
    );
    const q4 = (await publishInstance('NL', 3, '2025-Q4')).pkg;
    expect(refusal(() => mergeDataPackages([de, q4]))).toMatch(/different periods/);
    expect(refusal(() => mergeDataPackages([de, { ...de, source: 'copy/' }]))).toMatch(
      /Two packages of authority de-authority/,
    );
    const altered = new Map(fr.files);
    altered.set(
      'by-destination.csv',
      altered.get('by-destination.csv')!.replace(/,(\d+),/, (_, n) => `,${Number(n) + 1},`),
    );
    expect(refusal(() => mergeDataPackages([de, { ...fr, files: altered }]))).toMatch(
      /by-destination.csv does not match its hash/,
    );
    expect(refusal(() => mergeDataPackages([de, { ...fr, descriptor: { id: 'x' } }]))).toMatch(
      /not a Custos data package/,
    );
  });
});
