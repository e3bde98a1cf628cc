import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanDueDiligenceAnswers, fullIcpAnswers } from '../../../test/fixtures/workflow/due-diligence.ts';
import { readWorkflowPolicy } from '../../../test/fixtures/workflow/policy-files.ts';
import {
  assessDueDiligence,
  assessIcp,
  ICP_ANSWERS,
  parseDueDiligenceQuestionnaire,
  parseIcpSelfAssessment,
} from './due-diligence.ts';

const d = readWorkflowPolicy('due-diligence.yaml');
const questionnaire = parseDueDiligenceQuestionnaire(d.text, d.sourceName);
const i = readWorkflowPolicy('icp-self-assessment.yaml');
const icp = parseIcpSelfAssessment(i.text, i.sourceName);
const assess = (answers: Record<string, unknown>) =>
  assessDueDiligence(questionnaire, { id: 'dd-1', applicationId: 'a-1', answers });

describe('assessDueDiligence', () => {
  it('a complete clean record has no missing answers and no red flags', () => {
    const r = assess(cleanDueDiligenceAnswers);
    expect(r.sections.filter((s) => !s.complete)).toEqual([]);
    expect(r.complete).toBe(true);
    expect(r.redFlags).toEqual([]);
    expect(r.unknownAnswers).toEqual([]);
  });

  it('names the missing answers per section', () => {
    const { classification_rationale: _a, leverage: _b, ...rest } = cleanDueDiligenceAnswers;
    const r = assess(rest);
    expect(r.complete).toBe(false);
    expect(r.sections.find((s) => s.id === 'classification')?.missing.map((m) => m.questionId)).toEqual([
      'classification_rationale',
    ]);
    expect(r.sections.find((s) => s.id === 'human_rights_impact')?.missing.map((m) => m.questionId)).toEqual([
      'leverage',
    ]);
    expect(r.summary).toMatch(/Incomplete \(classification, human_rights_impact\)/);
  });

  it('follows conditional questions (requiredIf)', () => {
    const contributing = assess({ ...cleanDueDiligenceAnswers, involvement: 'contribute' });
    expect(contributing.sections.find((s) => s.id === 'remedy')?.missing.map((m) => m.questionId)).toEqual([
      'remediation_plan',
    ]);
    const misuse = assess({ ...cleanDueDiligenceAnswers, past_misuse_found: true });
    expect(
      misuse.sections.find((s) => s.id === 'stakeholder_screening')?.missing.map((m) => m.questionId),
    ).toEqual(['past_misuse_sources']);
  });

  it('reports answers of the wrong type as invalid', () => {
    const r = assess({
      ...cleanDueDiligenceAnswers,
      scale: 'galactic',
      parties_screened: 'yes',
      screening_date: 'yesterday',
    });
    const invalid = r.sections.flatMap((s) => s.invalid.map((x) => x.questionId));
    expect(invalid.sort()).toEqual(['parties_screened', 'scale', 'screening_date']);
    expect(r.complete).toBe(false);
  });

  it.each([
    [{ marketing_stresses_covert: true }, ['covert_capabilities_marketing']],
    [{ past_misuse_found: true, past_misuse_sources: ['UN report'] }, ['prior_misuse']],
    [{ legal_framework_safeguards: 'absent' }, ['destination_without_safeguards']],
    [
      { legal_framework_safeguards: 'absent', end_user_type: 'security_or_intelligence_service' },
      ['repressive_security_end_user', 'destination_without_safeguards'],
    ],
    [{ legal_framework_safeguards: 'partial', end_user_type: 'private_company' }, []],
    [{ end_use_disclosure_refused: true }, ['end_use_not_disclosed']],
    [{ end_user_type: 'unknown' }, ['end_use_not_disclosed']],
    [{ opaque_parties: true }, ['opaque_intermediaries']],
    [{ targeting_vulnerable_groups: true }, ['targeting_customisation']],
    [{ aware_of_intended_misuse: true, authority_notified: false }, ['aware_not_notified']],
    [{ aware_of_intended_misuse: true, authority_notified: true, notification_date: '2026-02-10' }, []],
    [{ end_use_plausible: false }, ['implausible_end_use']],
  ])('answers %j raise %j', (change, flags) => {
    const r = assess({ ...cleanDueDiligenceAnswers, ...change });
    expect(r.redFlags.map((f) => f.id)).toEqual(flags);
    for (const f of r.redFlags) {
      expect(f.source).toMatch(/2024\/2659|Art 5\(2\)/);
      expect(f.triggeredBy.length).toBeGreaterThan(0);
    }
  });

  it('requires the notification answer once aware (Art 5(2))', () => {
    const r = assess({ ...cleanDueDiligenceAnswers, aware_of_intended_misuse: true });
    expect(r.sections.find((s) => s.id === 'notification')?.missing.map((m) => m.questionId)).toEqual([
      'authority_notified',
    ]);
  });

  it('property: removing an answer never makes a record more complete', () => {
    const keys = Object.keys(cleanDueDiligenceAnswers);
    fc.assert(
      fc.property(fc.subarray(keys), (removed) => {
        const answers = Object.fromEntries(
          Object.entries(cleanDueDiligenceAnswers).filter(([k]) => !removed.includes(k)),
        );
        const r = assess(answers);
        const missingCount = r.sections.reduce((n, s) => n + s.missing.length, 0);
        expect(r.complete).toBe(removed.length === 0 || missingCount === 0);
        if (
          removed.some((k) =>
            questionnaire.sections.some((s) => s.questions.some((q) => q.id === k && q.required)),
          )
        )
          expect(r.complete).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects a questionnaire whose red flag names an unknown question or impossible answer', () => {
    expect(() =>
      parseDueDiligenceQuestionnaire(
        d.text.replace('question: opaque_parties, equals: true', 'question: opaque, equals: true'),
        d.sourceName,
      ),
    ).toThrow(/redFlags\.\d+\.when\.0\.question: unknown question opaque/);
    expect(() =>
      parseDueDiligenceQuestionnaire(
        d.text.replace('in: [absent, partial]', 'in: [absent, weak]'),
        d.sourceName,
      ),
    ).toThrow(/weak is not a possible answer/);
  });
});

describe('assessIcp (Rec. 2019/1318)', () => {
  it('scores the seven elements and names gaps', () => {
    const r = assessIcp(icp, fullIcpAnswers);
    expect(r.elements).toHaveLength(7);
    expect(r.complete).toBe(true);
    const byId = Object.fromEntries(r.elements.map((e) => [e.id, e.score01]));
    expect(byId.management_commitment).toBeCloseTo(2.5 / 3);
    expect(byId.training).toBe(0);
    expect(byId.performance_review).toBe(1);
    expect(r.elementsBelowThreshold).toEqual(['training']);
    expect(r.elements.find((e) => e.id === 'transaction_screening')?.gaps.map((g) => g.questionId)).toEqual([
      'end_use_risk_assessment',
    ]);
  });

  it('names unanswered questions', () => {
    const { audits: _a, ...rest } = fullIcpAnswers;
    const r = assessIcp(icp, rest);
    expect(r.complete).toBe(false);
    expect(r.elements.find((e) => e.id === 'performance_review')?.missing).toEqual(['audits']);
  });

  it('refuses a definition without seven elements', () => {
    const cut = i.text.slice(0, i.text.indexOf('  - id: security'));
    expect(() => parseIcpSelfAssessment(cut, i.sourceName)).toThrow(/seven core elements/);
  });

  it('property: scores stay in [0, 1]', () => {
    const ids = icp.elements.flatMap((e) => e.questions.map((q) => q.id));
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...ids), fc.constantFrom(...ICP_ANSWERS)), (answers) => {
        const r = assessIcp(icp, answers);
        for (const e of r.elements) {
          if (e.score01 === null) continue;
          expect(e.score01).toBeGreaterThanOrEqual(0);
          expect(e.score01).toBeLessThanOrEqual(1);
        }
        if (r.overallScore01 !== null) expect(r.overallScore01).toBeLessThanOrEqual(1);
      }),
    );
  });
});
