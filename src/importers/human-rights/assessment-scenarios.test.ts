/** The documented cases of BRIEF F and their benign counterparts, assessed end to end against the real policy. */
import { describe, expect, it } from 'vitest';
import { loadScenarios } from '../../../test/fixtures/assessment/scenario-loader.ts';
import { loadAssessmentModel, loadRestrictiveMeasures } from './policy-loader.ts';
import { assessApplication, type AssessmentReference } from '../../engines/assessment/assess-application.ts';

const model = loadAssessmentModel();
const measures = loadRestrictiveMeasures();
const reference: AssessmentReference = {
  version: `measures ${measures.version}`,
  measures: measures.measures,
  profiles: {},
};
const scenarios = loadScenarios();

describe('assessment scenarios', () => {
  it('has at least 20 scenarios with unique ids', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(20);
    expect(new Set(scenarios.map((s) => s.id)).size).toBe(scenarios.length);
  });

  it.each(scenarios.map((s) => [s.id, s] as const))('%s', (_id, s) => {
    const a = assessApplication(s.input, model, reference);
    const e = s.expect;
    const summary = `${s.case}\n${a.trail.map((t) => `${t.step}: ${t.outcome}`).join('\n')}`;
    expect(a.recommendation, summary).toBe(e.recommendation);
    if (e.clearRisk !== undefined) expect(a.criterion2.clearRisk, summary).toBe(e.clearRisk);
    if (e.prohibitions) {
      const ids = a.prohibitions.map((p) => p.measureId);
      if (e.prohibitions.length === 0) expect(ids, summary).toEqual([]);
      for (const id of e.prohibitions) expect(ids, summary).toContain(id);
    }
    for (const k of e.prohibitionKinds ?? []) expect(a.prohibitions.map((p) => p.kind)).toContain(k);
    if (e.c7) expect(a.criterion7.level, summary).toBe(e.c7);
    for (const sig of e.signalsInclude ?? []) expect(a.criterion7.signals).toContain(sig);
    for (const [item, outcome] of Object.entries(e.catchAll ?? {})) {
      expect(a.catchAll.find((c) => c.itemId === item)?.outcome, summary).toBe(outcome);
    }
    if (e.rightsInclude) {
      const arts = a.rights.map((r) => r.article);
      if (e.rightsInclude.length === 0) expect(arts).toEqual([]);
      for (const art of e.rightsInclude) expect(arts).toContain(art);
    }
    for (const c of e.conditionsInclude ?? []) expect(a.conditions.map((x) => x.id)).toContain(c);
    for (const i of e.informationNeededInclude ?? [])
      expect(a.informationNeeded.map((x) => x.id)).toContain(i);
    for (const u of e.unknownsInclude ?? [])
      expect(
        a.unknowns.some((x) => x.startsWith(u)),
        a.unknowns.join('\n'),
      ).toBe(true);
    const rules = a.trail.flatMap((t) => t.reasons.map((r) => r.rule));
    for (const r of e.trailRules ?? []) expect(rules, summary).toContain(r);
    if (e.confidence) expect(a.confidence, `${a.confidence01}`).toBe(e.confidence);
    // every right finding names its sources
    for (const r of a.rights)
      expect(r.standards.length + r.indicators.length + r.evidence.length).toBeGreaterThan(0);
  });
});
