/** Engine behaviour with the real policy files: determinism, reproducibility, refusals, unknowns, properties, memo. */
import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandProfile, loadScenarios } from '../../../test/fixtures/assessment/scenario-loader.ts';
import { buildAssessmentInputJsonSchema, type Assessment } from '../../domain/assessment.ts';
import { DomainError } from '../../domain/errors.ts';
import { assessApplication, type AssessmentReference } from '../../engines/assessment/assess-application.ts';
import { renderAssessmentMemo } from '../../engines/assessment/assessment-memo.ts';
import { loadAssessmentModel, loadRestrictiveMeasures, POLICY_DIR } from './policy-loader.ts';

const model = loadAssessmentModel();
const measures = loadRestrictiveMeasures();
const reference: AssessmentReference = {
  version: `measures ${measures.version}`,
  measures: measures.measures,
  profiles: {},
};
const scenarios = loadScenarios();
const byId = (id: string): Record<string, unknown> => {
  const s = scenarios.find((x) => x.id === id);
  if (!s) throw new Error(id);
  return structuredClone(s.input);
};

function refusal(input: unknown): DomainError {
  try {
    assessApplication(input, model, reference);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('assessApplication: determinism and reproducibility', () => {
  it('gives the same assessment for the same input, whatever the key order', () => {
    const input = byId('li-brazil-federal-police');
    const reordered = Object.fromEntries(Object.entries(input).reverse());
    const a = assessApplication(input, model, reference);
    const b = assessApplication(reordered, model, reference);
    expect(b).toEqual(a);
    expect(a.inputHash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('reproduces an assessment from its stored input snapshot alone', () => {
    for (const s of scenarios) {
      const a = assessApplication(s.input, model, reference);
      const again = assessApplication(JSON.parse(JSON.stringify(a.inputSnapshot)), model, {
        ...reference,
        profiles: {},
      });
      expect(again.inputHash).toBe(a.inputHash);
      expect(again.recommendation).toBe(a.recommendation);
      expect(again.modelVersion).toBe(model.version);
    }
  });

  it('changes the hash when the model version changes', () => {
    const input = byId('forensics-norway-police');
    const a = assessApplication(input, model, reference);
    const b = assessApplication(input, { ...model, version: `${model.version}-edited` }, reference);
    expect(b.inputHash).not.toBe(a.inputHash);
  });
});

describe('assessApplication: bad input is refused naming the field', () => {
  it('refuses an unknown destination code', () => {
    const input = byId('forensics-norway-police');
    input.destination = 'XX';
    const e = refusal(input);
    expect(e.code).toBe('INVALID');
    expect(e.issues.map((i) => i.path)).toContain('destination');
  });
  it('refuses an unknown party type and an unknown party country', () => {
    const input = byId('forensics-norway-police');
    const parties = input.parties as Record<string, unknown>[];
    parties[0] = { ...parties[0], type: 'spy_agency', country: 'ZZ' };
    const e = refusal(input);
    const paths = e.issues.map((i) => i.path);
    expect(paths).toContain('parties.0.type');
    expect(paths).toContain('parties.0.country');
  });
  it('refuses a country profile of another country than the destination', () => {
    const input = byId('forensics-norway-police');
    input.countryProfile = expandProfile({ country: 'SE', fiw: ['F', 99] });
    expect(refusal(input).issues.map((i) => i.path)).toContain('countryProfile.country');
  });
  it('says when no licence is required at all', () => {
    const a = assessApplication(byId('firewall-india-not-cyber'), model, reference);
    expect(a.trail.flatMap((t) => t.reasons.map((r) => r.rule))).toContain('rec.no_licence_required');
    const b = assessApplication(byId('forensics-norway-police'), model, reference);
    expect(b.trail.flatMap((t) => t.reasons.map((r) => r.rule))).not.toContain('rec.no_licence_required');
  });
  it('refuses a lower-case code rather than guessing', () => {
    const input = byId('forensics-norway-police');
    input.destination = 'no';
    expect(refusal(input).issues.map((i) => i.path)).toContain('destination');
  });
});

describe('assessApplication: unknowns', () => {
  it('names missing indicators, never counts them as zero, and lowers the confidence', () => {
    const full = byId('li-brazil-federal-police');
    const partial = byId('li-brazil-federal-police');
    const profile = expandProfile({ country: 'BR', fiw: ['F', 72] });
    partial.countryProfile = profile;
    const a = assessApplication(full, model, reference);
    const b = assessApplication(partial, model, reference);
    expect(b.unknowns).toEqual(
      expect.arrayContaining([
        expect.stringContaining('pts_amnesty15'),
        expect.stringContaining('vdem_libdem01'),
      ]),
    );
    expect(a.unknowns.some((u) => u.includes('vdem_libdem01'))).toBe(false);
    expect(b.confidence01).toBeLessThan(a.confidence01);
    // a missing indicator is not a zero: removing the worst indicators must not turn the PTS risk into safety
    expect(b.trail.find((t) => t.step === 'country_context')?.outcome).toContain('coverage 0.3');
  });

  it('takes the profile from the reference when the input has none, and says so', () => {
    const input = byId('forensics-norway-police');
    const profile = input.countryProfile;
    delete input.countryProfile;
    const a = assessApplication(input, model, { ...reference, profiles: { NO: profile as never } });
    expect(a.trail[0]?.outcome).toContain('from reference');
    expect(a.recommendation).toBe('approve');
  });
});

describe('assessApplication: prohibitions override everything', () => {
  it('denies a Syria interception export even with a perfect due-diligence record and benign evidence', () => {
    const input = byId('area-syria-asfador');
    input.dueDiligence = {
      completeness01: 1,
      endUseStatement: true,
      noReExportUndertaking: true,
      redFlags: [],
    };
    input.countryProfile = expandProfile({ country: 'SY', fiw: ['F', 100], pts: [1, 1, 1], libdem: 0.9 });
    const a = assessApplication(input, model, reference);
    expect(a.recommendation).toBe('deny');
    expect(a.prohibitions.map((p) => p.measureId)).toContain('eu-syr-telecom');
    expect(a.unverifiedRules.some((r) => r.startsWith('eu-syr-telecom'))).toBe(true);
  });
  it('applies a ban when the end user sits in the banned country although the declared destination differs', () => {
    const input = byId('forensics-japan-global');
    input.items = [
      {
        id: 'li',
        description: 'LI monitoring centre',
        controlEntries: ['5D001.e'],
        cyberSurveillance: { underLaw: true, underPolicy: true },
        capabilities: ['lawful_interception_handover'],
      },
    ];
    input.parties = [
      { name: 'Trading house', type: 'private_company', role: 'consignee', country: 'JP' },
      { name: 'State operator', type: 'state_owned_company', role: 'ultimate_end_user', country: 'IR' },
    ];
    const a = assessApplication(input, model, reference);
    expect(a.recommendation).toBe('deny');
    expect(a.prohibitions.map((p) => p.measureId)).toContain('eu-irn-telecom');
  });
});

describe('assessApplication: invariants (property-based)', () => {
  const base = byId('li-brazil-federal-police');
  const arb = fc.record({
    fiw: fc.integer({ min: 0, max: 100 }),
    pts: fc.integer({ min: 1, max: 5 }),
    libdem: fc.double({ min: 0, max: 1, noNaN: true }),
    completeness: fc.double({ min: 0, max: 1, noNaN: true }),
  });
  const run = (v: { fiw: number; pts: number; libdem: number; completeness: number }): Assessment => {
    const input = structuredClone(base);
    input.countryProfile = expandProfile({
      country: 'BR',
      fiw: [v.fiw >= 70 ? 'F' : v.fiw >= 35 ? 'PF' : 'NF', v.fiw],
      pts: [v.pts, v.pts, v.pts],
      libdem: v.libdem,
    });
    input.dueDiligence = {
      completeness01: v.completeness,
      endUseStatement: true,
      noReExportUndertaking: true,
      redFlags: [],
    };
    return assessApplication(input, model, reference);
  };
  it('keeps scores and confidence in [0,1] and is deterministic', () => {
    fc.assert(
      fc.property(arb, (v) => {
        const a = run(v);
        expect(a.confidence01).toBeGreaterThanOrEqual(0);
        expect(a.confidence01).toBeLessThanOrEqual(1);
        for (const r of a.rights) {
          expect(r.score01 ?? 0).toBeGreaterThanOrEqual(0);
          expect(r.score01 ?? 0).toBeLessThanOrEqual(1);
        }
        expect(a.criterion7.score01).toBeLessThanOrEqual(1);
        expect(run(v)).toEqual(a);
      }),
      { numRuns: 60 },
    );
  });
  it('never lowers the criterion 2 score when the country gets worse', () => {
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 30 }), (v, worse) => {
        const a = run(v);
        const b = run({ ...v, fiw: Math.max(0, v.fiw - worse), libdem: Math.max(0, v.libdem - worse / 100) });
        expect(b.criterion2.score01 ?? 0).toBeGreaterThanOrEqual((a.criterion2.score01 ?? 0) - 1e-9);
      }),
      { numRuns: 60 },
    );
  });
});

describe('renderAssessmentMemo', () => {
  it('renders accessible HTML in which every finding names its sources', () => {
    for (const s of scenarios) {
      const a = assessApplication(s.input, model, reference);
      const html = renderAssessmentMemo(a, { lang: 'en' });
      expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
      expect(html).toContain(a.inputHash);
      expect(html).toContain(a.modelVersion);
      for (const r of a.rights) {
        const section = html.slice(
          html.indexOf(`id="art-${r.article}"`),
          html.indexOf('</article>', html.indexOf(`id="art-${r.article}"`)),
        );
        expect(section, `Art. ${r.article} in ${s.id}`).toMatch(/<cite>/);
        for (const st of r.standards) expect(section).toContain(st.citation);
      }
      for (const p of a.prohibitions)
        for (const act of p.legalActs) expect(html).toContain(act.replace(/'/g, '&#39;'));
      for (const u of a.unknowns) expect(html).toContain(u.replace(/&/g, '&amp;').replace(/'/g, '&#39;'));
    }
  });
  it('escapes untrusted text and renders French and German headings', () => {
    const input = byId('forensics-norway-police');
    input.applicationId = '<script>alert(1)</script>';
    const a = assessApplication(input, model, reference);
    const fr = renderAssessmentMemo(a, { lang: 'fr' });
    expect(fr).not.toContain('<script>');
    expect(fr).toContain('&lt;script&gt;');
    expect(fr).toContain('lang="fr"');
    expect(fr).toContain('Recommandation');
    expect(renderAssessmentMemo(a, { lang: 'de' })).toContain('Empfehlung');
  });
});

describe('published JSON Schema of the application format', () => {
  it('matches the committed policy/assessment/assessment-input.schema.json (regenerate with buildAssessmentInputJsonSchema)', () => {
    const committed = JSON.parse(
      fs.readFileSync(`${POLICY_DIR}/assessment/assessment-input.schema.json`, 'utf-8'),
    );
    expect(committed).toEqual(buildAssessmentInputJsonSchema());
    expect(committed.required).toEqual(
      expect.arrayContaining(['destination', 'items', 'parties', 'dueDiligence']),
    );
  });
});
