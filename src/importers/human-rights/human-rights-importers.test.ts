/** Importers: synthetic files for the error paths, the real ../shared files for counts, privacy and engine feed. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenarios } from '../../../test/fixtures/assessment/scenario-loader.ts';
import { describeWithShared, sharedPath } from '../../../test/support/shared.ts';
import { DomainError } from '../../domain/errors.ts';
import { isCountryCode } from '../../domain/codes.ts';
import { assessApplication } from '../../engines/assessment/assess-application.ts';
import { importAiGlobalSurveillanceIndex } from './aigs-importer.ts';
import { createCountryResolver } from './country-name-resolver.ts';
import { importFreedomInTheWorld } from './fiw-importer.ts';
import { importHumanRightsReference, locateHumanRightsFiles } from './human-rights-reference.ts';
import { importPegasusOperatorCounts } from './pegasus-importer.ts';
import { loadAssessmentModel, loadCountryNameTable } from './policy-loader.ts';
import { importPoliticalTerrorScale } from './pts-importer.ts';
import { importVDem } from './vdem-importer.ts';

const resolver = createCountryResolver(loadCountryNameTable());
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-hr-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, content: string | Buffer): string => {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, content);
  return f;
};
function failure(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('country-name resolver', () => {
  it.each([
    ['Congo (Kinshasa)', 'CD'],
    ['Syria', 'SY'],
    ['UAE', 'AE'],
    ['ROM', 'RO'],
    ['XKX', 'XK'],
    ['DEU', 'DE'],
    ['Germany', 'DE'],
    ['germany ', 'DE'],
  ])('%s -> %s', (name, code) => {
    expect(resolver.resolve(name)).toEqual({ code });
  });
  it('reports excluded territories with their reason and unknown names as null', () => {
    expect(resolver.resolve('Abkhazia')).toEqual({ excluded: 'territory without ISO code' });
    expect(resolver.resolve('Atlantis')).toBeNull();
    expect(resolver.resolve('NA')).toBeNull();
  });
});

describe('Freedom in the World importer', () => {
  it('imports status and score with provenance and skips excluded territories', () => {
    const f = write(
      'fiw.csv',
      'name,region,country_or_territory,status,score\nNorway,Europe,c,F,100\nAbkhazia,Eurasia,t,PF,39\nSyria,Middle East,c,NF,1\n',
    );
    const set = importFreedomInTheWorld(f, resolver);
    expect(set.byCountry.NO?.map((i) => [i.key, i.value])).toEqual([
      ['fiw_score100', 100],
      ['fiw_status', 'F'],
    ]);
    expect(set.byCountry.SY?.find((i) => i.key === 'fiw_status')?.value).toBe('NF');
    expect(set.provenance).toMatchObject({
      dataset: 'fiw-2023',
      rowsRead: 3,
      rowsUsed: 2,
      rowsSkipped: 1,
      countries: 2,
    });
    expect(set.provenance.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
  it('fails the whole import naming the line of an unknown country or a bad value', () => {
    const unknown = write(
      'fiw-bad.csv',
      'name,region,country_or_territory,status,score\nNorway,Europe,c,F,100\nAtlantis,Sea,c,F,90\n',
    );
    const e = failure(() => importFreedomInTheWorld(unknown, resolver));
    expect(e.code).toBe('INVALID');
    expect(e.issues[0]?.path).toBe('fiw-bad.csv:3');
    expect(e.message).toContain('Atlantis');
    const bad = write(
      'fiw-bad2.csv',
      'name,region,country_or_territory,status,score\nNorway,Europe,c,Free,100\n',
    );
    expect(failure(() => importFreedomInTheWorld(bad, resolver)).issues[0]?.path).toBe('fiw-bad2.csv:2');
    const missing = write('fiw-bad3.csv', 'name,region,status\nNorway,Europe,F\n');
    expect(failure(() => importFreedomInTheWorld(missing, resolver)).message).toContain('score');
  });
});

describe('Political Terror Scale importer', () => {
  const header =
    'Country,Country_OLD,Year,COW_Code_A,COW_Code_N,WordBank_Code_A,UN_Code_N,Region,PTS_A,PTS_H,PTS_S,NA_Status_A,NA_Status_H,NA_Status_S\n';
  it('reads latin-1, keeps the latest year with a score per source, and skips historical states', () => {
    const text =
      header +
      "C\xf4te d'Ivoire,Ivory Coast,2021,CDI,437,CIV,384,ssa,3,3,3,0,0,0\n" +
      "C\xf4te d'Ivoire,Ivory Coast,2022,CDI,437,CIV,384,ssa,2,NA,3,0,88,0\n" +
      "C\xf4te d'Ivoire,Ivory Coast,2023,CDI,437,CIV,384,ssa,NA,NA,NA,88,88,88\n" +
      'Soviet Union,Soviet Union,1980,USR,365,NA,NA,eeca,4,NA,4,0,88,0\n';
    const set = importPoliticalTerrorScale(write('pts.csv', Buffer.from(text, 'latin1')), resolver);
    const ci = Object.fromEntries((set.byCountry.CI ?? []).map((i) => [i.key, [i.value, i.year]]));
    expect(ci).toEqual({ pts_amnesty15: [2, 2022], pts_hrw15: [3, 2021], pts_state15: [3, 2022] });
    expect(set.provenance.skippedReasons).toEqual({ 'historical state': 1, 'no score in any source': 1 });
  });
  it('fails naming the line of a score out of range', () => {
    const f = write('pts-bad.csv', header + 'Norway,Norway,2020,NOR,385,NOR,578,weu,1,1,7,0,0,0\n');
    expect(failure(() => importPoliticalTerrorScale(f, resolver)).issues[0]?.path).toBe('pts-bad.csv:2');
  });
});

describe('V-Dem importer', () => {
  it('keeps the latest year and skips aggregate rows', () => {
    const f = write(
      'vdem.csv',
      'country_name,country_text_id,year,v2x_libdem\nNorway,NOR,2023,0.85\nNorway,NOR,2024,0.84\nNA,WLD,2024,NA\nKosovo,XKX,2024,0.5\nNorway,NOR,2022,NA\n',
    );
    const set = importVDem(f, resolver);
    expect(set.byCountry.NO?.[0]).toMatchObject({ key: 'vdem_libdem01', value: 0.84, year: 2024 });
    expect(set.byCountry.XK?.[0]?.value).toBe(0.5);
    expect(set.provenance.skippedReasons).toEqual({
      'no value': 1,
      'row without a V-Dem country (aggregate)': 1,
    });
  });
  it('fails naming the line of an index outside 0-1', () => {
    const f = write('vdem-bad.csv', 'country_name,country_text_id,year,v2x_libdem\nNorway,NOR,2023,1.85\n');
    expect(failure(() => importVDem(f, resolver)).issues[0]?.path).toBe('vdem-bad.csv:2');
  });
});

describe('Pegasus operator aggregation (synthetic)', () => {
  it('counts by operator country, splits joint attributions and never outputs a name', () => {
    const f = write(
      'peg.csv',
      'name,code_name,role,operator,disclosed\nAlice Example,Falcon,Journalist,Mexico,2020-12-20\nBob Sample,,Activist,Mexico; El Salvador,2021-08-24\nCarol Test,Owl,Staff,,2019-10-31\n',
    );
    const set = importPegasusOperatorCounts(f, resolver);
    expect(set.byCountry.MX?.[0]).toMatchObject({ key: 'pegasus_targets_count', value: 2, year: 2021 });
    expect(set.byCountry.SV?.[0]?.value).toBe(1);
    expect(set.provenance.skippedReasons).toEqual({ 'no attributed operator': 1 });
    const out = JSON.stringify(set);
    for (const secret of ['Alice', 'Example', 'Falcon', 'Bob', 'Sample', 'Carol', 'Owl'])
      expect(out.includes(secret)).toBe(false);
  });
});

describe('AI Global Surveillance Index importer', () => {
  it('marks listed countries and fails on an unknown name', () => {
    const set = importAiGlobalSurveillanceIndex(
      write('aigs.csv', 'country,aigs\nCIV,5.25\nLao,2.46\n'),
      resolver,
    );
    expect(Object.keys(set.byCountry)).toEqual(['CI', 'LA']);
    expect(set.byCountry.CI?.[0]?.value).toBe(true);
    expect(
      failure(() =>
        importAiGlobalSurveillanceIndex(write('aigs-bad.csv', 'country,aigs\nNarnia,1\n'), resolver),
      ).issues[0]?.path,
    ).toBe('aigs-bad.csv:2');
  });
});

const SHARED_FILES = [
  ['data', 'human-rights', 'freedomhouse_fiw2023_status_score.csv'],
  ['data', 'human-rights', 'PTS-2024.csv'],
  ['data', 'human-rights', 'vdem_v15_indices_1960-2024.csv'],
  ['data', 'surveillance-evidence', 'granitt_pegasus_victims.csv'],
  ['data', 'surveillance-evidence', 'aigs_countries_ajkeith.csv'],
];

describeWithShared('human-rights importers on the real ../shared data', SHARED_FILES, () => {
  const { sets, reference } = importHumanRightsReference(locateHumanRightsFiles(sharedPath('data')));
  const set = (id: string) => sets.find((s) => s.provenance.dataset === id)!;

  it('imports every dataset with provenance and valid ISO codes', () => {
    for (const s of sets) {
      expect(s.provenance.rowsUsed).toBeGreaterThan(0);
      expect(s.provenance.rowsRead).toBe(s.provenance.rowsUsed + s.provenance.rowsSkipped);
      for (const code of Object.keys(s.byCountry)) expect(isCountryCode(code), code).toBe(true);
    }
    expect(set('fiw-2023').provenance.countries).toBeGreaterThan(190);
    expect(set('pts-2024').provenance.countries).toBeGreaterThan(180);
    expect(set('vdem-v15').provenance.countries).toBeGreaterThan(170);
    expect(set('aigs-2019').provenance.countries).toBe(75);
  });

  it('builds a profile for every ISO 3166 country, naming missing indicators', () => {
    expect(Object.keys(reference.profiles).length).toBeGreaterThanOrEqual(249);
    expect(reference.profiles.SY?.indicators.fiw_status?.value).toBe('NF');
    expect(reference.profiles.SY?.restrictiveMeasureIds).toContain('eu-syr-telecom');
    expect(reference.profiles.AQ?.missingIndicators).toContain('fiw_score100');
    expect(reference.profiles.NO?.eugeaDestinationOf).toEqual(['EU001']);
  });

  it('aggregates Pegasus targets by operator country and never lets a name or code name into the output', () => {
    const peg = set('pegasus-granitt');
    expect(peg.byCountry.MX?.[0]?.value).toBeGreaterThan(20);
    const file = sharedPath('data', 'surveillance-evidence', 'granitt_pegasus_victims.csv');
    const rows = parse(fs.readFileSync(file), { columns: true }) as Record<string, string>[];
    // 1. Whole names and code names never appear in any output.
    const phrases = rows
      .flatMap((r) => [r.name, r.code_name])
      .map((v) => (v ?? '').trim().toLowerCase())
      .filter((v) => v.length >= 4);
    const outputs = [JSON.stringify(peg).toLowerCase(), JSON.stringify(reference.profiles).toLowerCase()];
    const leaks = phrases.filter((p) => outputs.some((o) => o.includes(p))).length;
    expect(phrases.length).toBeGreaterThan(100);
    expect(leaks, 'names from the Pegasus file appear in the output (not printed on purpose)').toBe(0);
    // 2. The names have no influence at all: blanking them gives the identical aggregation (checksum aside).
    const blanked: Record<string, string>[] = rows.map((r) => ({ ...r, name: '', code_name: '' }));
    const columns = Object.keys(rows[0] ?? {});
    const csv = [
      columns.join(','),
      ...blanked.map((r) => columns.map((c) => JSON.stringify(r[c] ?? '')).join(',')),
    ].join('\n');
    const again = importPegasusOperatorCounts(write('pegasus-blanked.csv', csv), resolver);
    expect(again.byCountry).toEqual(peg.byCountry);
    expect({ ...again.provenance, sha256: '', file: '', publisherDate: '' }).toEqual({
      ...peg.provenance,
      sha256: '',
      file: '',
      publisherDate: '',
    });
  });

  it('feeds the engine: real profiles drive the documented cases', () => {
    const model = loadAssessmentModel();
    const scenarios = loadScenarios();
    const run = (id: string) => {
      const input = structuredClone(scenarios.find((s) => s.id === id)!.input);
      delete input.countryProfile;
      return assessApplication(input, model, reference);
    };
    const syria = run('area-syria-asfador');
    expect(syria.recommendation).toBe('deny');
    expect(syria.prohibitions.map((p) => p.measureId)).toContain('eu-syr-telecom');
    const libya = run('amesys-libya-eagle');
    expect(libya.recommendation).toBe('deny');
    expect(
      libya.rights.find((r) => r.article === 7)?.indicators.some((i) => i.citation.includes('fiw-2023')),
    ).toBe(true);
    const norway = run('forensics-norway-police');
    expect(['approve', 'approve_with_conditions']).toContain(norway.recommendation);
    expect(norway.criterion2.clearRisk).toBe(false);
    expect(norway.unknowns.some((u) => u.startsWith('safeguard 4'))).toBe(true);
    expect(norway.referenceVersion).toBe(reference.version);
  });
});
