/** Re-assessment proposals after new evidence, a new restrictive measure or an indicator update. */
import { describe, expect, it } from 'vitest';
import { expandProfile, loadScenarios } from '../../../test/fixtures/assessment/scenario-loader.ts';
import { assessApplication, type AssessmentReference } from '../../engines/assessment/assess-application.ts';
import { isAffectedByChange, proposeReassessmentAction } from '../../engines/assessment/reassessment.ts';
import { loadAssessmentModel, loadRestrictiveMeasures } from './policy-loader.ts';

const model = loadAssessmentModel();
const measures = loadRestrictiveMeasures();
const reference: AssessmentReference = { version: 'r1', measures: measures.measures, profiles: {} };
const input = structuredClone(loadScenarios().find((s) => s.id === 'li-brazil-federal-police')!.input);

describe('re-assessment', () => {
  const before = assessApplication(input, model, reference);

  it('finds affected applications by country or party name', () => {
    expect(isAffectedByChange(before.inputSnapshot, { kind: 'evidence', countries: ['BR'], names: [] })).toBe(
      true,
    );
    expect(
      isAffectedByChange(before.inputSnapshot, {
        kind: 'evidence',
        countries: ['FR'],
        names: ['federal police'],
      }),
    ).toBe(true);
    expect(
      isAffectedByChange(before.inputSnapshot, { kind: 'indicator', countries: ['FR'], names: [] }),
    ).toBe(false);
  });

  it('proposes nothing when nothing changed', () => {
    const again = assessApplication(before.inputSnapshot, model, reference);
    expect(proposeReassessmentAction(before, again, 'granted')).toMatchObject({
      changed: false,
      action: 'none',
    });
  });

  it('proposes suspension of a granted licence after decisive new evidence', () => {
    const snapshot = structuredClone(before.inputSnapshot);
    snapshot.evidence = [
      {
        id: 'ev-new',
        title: 'Forensic report: the Federal Police monitoring centre used against journalists',
        type: 'forensic_report',
        reliability: 'high',
        date: '2026-10-01',
        sourceUrl: 'https://example.org/report',
        countries: ['BR'],
        endUsers: ['Federal Police'],
        companies: [],
        itemCapabilities: ['lawful_interception_handover'],
        rights: [7, 11],
        documentsMisuse: true,
        status: 'accepted',
      },
    ];
    const after = assessApplication(snapshot, model, reference);
    const p = proposeReassessmentAction(before, after, 'granted');
    expect(after.recommendation).toBe('deny');
    expect(p.action).toBe('propose_suspension');
    expect(proposeReassessmentAction(before, after, 'open').action).toBe('review');
  });

  it('proposes revocation when a new prohibition applies', () => {
    const banned = {
      ...reference,
      version: 'r2',
      measures: [
        ...measures.measures,
        {
          id: 'eu-test-br-telecom',
          authority: 'EU' as const,
          kind: 'telecom_monitoring_equipment_ban' as const,
          countries: ['BR'],
          scope: 'whole_country' as const,
          legalActs: ['Hypothetical Council Regulation for this test'],
          summary: 'Hypothetical ban.',
          programmeKeys: [],
          verified: false,
          verificationNote: 'test only',
        },
      ],
    };
    const snapshot = {
      ...before.inputSnapshot,
      countryProfile: expandProfile({ country: 'BR', fiw: ['F', 72] }),
    };
    const after = assessApplication(snapshot, model, banned);
    const p = proposeReassessmentAction(before, after, 'granted');
    expect(p.action).toBe('propose_revocation');
    expect(p.reasons.join(' ')).toContain('eu-test-br-telecom');
  });
});
