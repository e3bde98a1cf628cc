/**
 * Cross-checks policy/countries/restrictive-measures.yaml (written from the law) against the OpenSanctions
 * programme descriptions in ../shared, and reports the differences in the test output.
 */
import { describe, expect, it } from 'vitest';
import { describeWithShared, sharedPath } from '../../../test/support/shared.ts';
import { loadRestrictiveMeasures } from './policy-loader.ts';
import {
  crossCheckMeasures,
  findBansMentioned,
  loadProgrammeDescriptions,
  type ProgrammeDescription,
} from './programme-crosscheck.ts';

describe('findBansMentioned', () => {
  it.each([
    [
      'It prohibits exports of equipment which might be used for internal repression.',
      ['internal_repression_equipment_ban'],
    ],
    [
      'Bans on equipment, technology or software for monitoring or intercepting internet and telephone communications.',
      ['telecom_monitoring_equipment_ban'],
    ],
    ['The ban on exporting equipment usable for internal repression was lifted in 2014.', []],
    ['Export controls on dual-use goods apply.', ['dual_use_export_ban']],
    ['Targets persons responsible for the repression of civil society.', []],
  ])('%s', (summary, kinds) => {
    expect([...findBansMentioned(summary)].sort()).toEqual(kinds);
  });
});

describe('crossCheckMeasures (synthetic)', () => {
  const programme: ProgrammeDescription = {
    key: 'EU-XYZ',
    summary: 'Bans exports of equipment for telecommunications interception.',
    targets: ['SY'],
    measures: [],
  };
  const measure = {
    id: 'm1',
    authority: 'EU' as const,
    kind: 'telecom_monitoring_equipment_ban' as const,
    countries: ['SY'],
    scope: 'whole_country' as const,
    legalActs: ['x'],
    summary: 'x',
    programmeKeys: ['EU-XYZ'],
    verified: false,
    verificationNote: 'x',
  };
  it('passes when covered', () => {
    expect(crossCheckMeasures([programme], [measure]).failures).toEqual([]);
  });
  it('fails when a ban is not covered or a target country is missing', () => {
    expect(crossCheckMeasures([programme], []).failures).toEqual([
      'EU-XYZ: mentions telecom_monitoring_equipment_ban, not covered',
    ]);
    expect(crossCheckMeasures([programme], [{ ...measure, countries: ['IR'] }]).failures[0]).toContain(
      'miss targets',
    );
  });
});

const DIR = ['data', 'sanctions', 'opensanctions-programs'];

describeWithShared('restrictive measures cross-checked against OpenSanctions programmes', [DIR], () => {
  const programmes = loadProgrammeDescriptions(sharedPath(...DIR));
  const { measures } = loadRestrictiveMeasures();
  const { failures, report } = crossCheckMeasures(programmes, measures);

  it('covers every EU programme mentioning an equipment, dual-use or arms ban, with its target countries', () => {
    expect(programmes.length).toBeGreaterThan(50);
    console.info(
      `[restrictive measures cross-check] ${report.length} difference(s) to read:\n  ${report.join('\n  ')}`,
    );
    expect(failures).toEqual([]);
  });

  it('marks none of the measures the programme summaries do not corroborate as verified', () => {
    const uncorroborated = measures.filter((m) => report.some((r) => r.startsWith(`${m.id}:`)));
    expect(uncorroborated.filter((m) => m.verified).map((m) => m.id)).toEqual([]);
  });
});
