// The case table (test/fixtures/classification/cases.yaml) run under both profiles, with the reasons checked.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { FACT_KEYS, parseItemTechnicalProfile } from '../../domain/classification.ts';
import { classifyItem } from '../../engines/classification/classifier.ts';
import type { ClassificationResult, CriterionResult } from '../../engines/classification/classifier.ts';
import { loadClassificationPolicy } from './classification-policy.loader.ts';

interface Case {
  id: string;
  basedOn: string;
  profile: { facts: Record<string, unknown> } & Record<string, unknown>;
  expect: {
    entries: string[];
    listing: string;
    art220: boolean | 'unknown';
    broad: string[];
    broadUndetermined?: string[];
    questions?: string[];
  };
}

const here = path.dirname(fileURLToPath(import.meta.url));
const casesFile = path.resolve(here, '..', '..', '..', 'test', 'fixtures', 'classification', 'cases.yaml');
const cases = (parseYaml(fs.readFileSync(casesFile, 'utf8'), { merge: true }) as { cases: Case[] }).cases;
const policy = loadClassificationPolicy();
const LIST = 'reg-2021-821@test';

/** The case author states every fact: those not listed are false for that product (never assumed by the engine). */
function profileOf(c: Case) {
  const facts = Object.fromEntries(FACT_KEYS.map((k) => [k, c.profile.facts[k] ?? false]));
  return parseItemTechnicalProfile({ ...c.profile, facts });
}

function leaves(n: CriterionResult): CriterionResult[] {
  return n.children ? n.children.flatMap(leaves) : [n];
}

describe('classification case table', () => {
  it('has at least 30 cases with unique ids', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  describe.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const item = profileOf(c);
    const legal = classifyItem(item, policy, { profileId: 'legal', controlListVersion: LIST });
    const broad = classifyItem(item, policy, { profileId: 'broad', controlListVersion: LIST });

    it('legal profile: expected Annex I entries, listing and Art. 2(20) determination, law only', () => {
      expect([...legal.matchedEntries].sort()).toEqual([...c.expect.entries].sort());
      expect(legal.listing).toBe(c.expect.listing);
      expect(legal.cyberSurveillance.value).toBe(c.expect.art220);
      expect(legal.profileFlags).toEqual([]);
      expect(legal.conclusions.every((k) => k.basis === 'law')).toBe(true);
      expect(legal.controlListVersion).toBe(LIST);
      expect(legal.policyVersion).toMatch(/^cyber-rules@.+\+legal@/);
    });

    it('broad profile: same law, plus the expected policy flags, each marked as coming from the profile', () => {
      expect(broad.matchedEntries).toEqual(legal.matchedEntries);
      expect(broad.cyberSurveillance.value).toBe(legal.cyberSurveillance.value);
      const raised = broad.profileFlags.filter((f) => f.value === true).map((f) => f.id);
      expect(raised.sort()).toEqual([...c.expect.broad].sort());
      const open = broad.profileFlags.filter((f) => f.value === 'unknown').map((f) => f.id);
      expect(open.sort()).toEqual([...(c.expect.broadUndetermined ?? [])].sort());
      const profileConclusions = broad.conclusions.filter((k) => k.basis === 'profile');
      expect(profileConclusions.map((k) => k.id).sort()).toEqual(
        [...raised, ...open].map((f) => `broad:${f}`).sort(),
      );
      expect(profileConclusions.every((k) => k.profileId === 'broad')).toBe(true);
    });

    it('shows its reasons: each met entry has a trail of met criteria and every limb of Art. 2(20)', () => {
      for (const e of legal.entries.filter((x) => x.status === 'met')) {
        expect(e.trail.value).toBe(true);
        expect(e.source.quote.length).toBeGreaterThan(10);
        expect(leaves(e.trail).some((l) => l.kind === 'fact' && l.value === true)).toBe(true);
        expect(e.exclusionsApplied).toEqual([]);
      }
      expect(legal.cyberSurveillance.limbs.map((l) => l.id)).toEqual([
        'dual-use-item',
        'specially-designed',
        'covert',
        'natural-persons',
        'monitoring-data',
        'ict-systems',
      ]);
      for (const e of legal.entries.filter((x) => x.status === 'not_met' && x.trail.value === true)) {
        expect(e.exclusionsApplied.length).toBeGreaterThan(0);
      }
    });

    it('asks only about unknown facts, and asks the expected ones', () => {
      const stated = (k: string) => c.profile.facts[k];
      for (const q of [...legal.questions, ...broad.questions])
        expect(stated(q.fact) === 'unknown' || q.fact === 'biometricModality').toBe(true);
      for (const f of c.expect.questions ?? []) expect(legal.questions.map((q) => q.fact)).toContain(f);
      if (legal.listing !== 'undetermined' && legal.cyberSurveillance.value !== 'unknown')
        expect(legal.questions).toEqual([]);
    });
  });
});

describe('exclusions and reasons in detail', () => {
  const byId = (id: string) => cases.find((c) => c.id === id)!;
  const run = (id: string, profileId = 'legal'): ClassificationResult =>
    classifyItem(profileOf(byId(id)), policy, { profileId, controlListVersion: LIST });

  it('the WLAN kit meets 5A001.f.1 criteria but the Note (a) takes it out', () => {
    const e = run('wlan-interception-kit').entries.find((x) => x.code === '5A001.f.1')!;
    expect(e.status).toBe('not_met');
    expect(e.exclusionsApplied.map((x) => x.id)).toEqual(['note-5A001.f.a']);
  });
  it('DPI for QoS fails 5A001.j on content, indexing, selectors and mapping, and the QoS Note also applies', () => {
    const e = run('dpi-for-qos').entries.find((x) => x.code === '5A001.j')!;
    expect(e.status).toBe('not_met');
    expect(e.trail.decidedBy).toEqual(
      expect.arrayContaining([
        'extractsContent',
        'indexesExtractedData',
        'searchesByHardSelectors',
        'mapsRelationalNetwork',
      ]),
    );
  });
  it('vulnerability disclosure meets 4E001.c criteria and the Note 1 excludes it', () => {
    const e = run('vulnerability-disclosure').entries.find((x) => x.code === '4E001.c')!;
    expect(e.trail.value).toBe(true);
    expect(e.exclusionsApplied.map((x) => x.id)).toEqual(['note-4E001-1-vd']);
  });
  it('forensic training: 5E002.a criteria met, excluded by its Note', () => {
    const e = run('forensic-training').entries.find((x) => x.ruleId === '5E002.a-forensic')!;
    expect(e.status).toBe('not_met');
    expect(e.exclusionsApplied.map((x) => x.id)).toEqual(['note-5E002.a']);
  });
  it('an IMSI catcher whose operator status is unknown is undetermined, and the question names 5A001.f.2', () => {
    const r = run('imsi-catcher-operator-unknown');
    expect(r.entries.find((x) => x.code === '5A001.f.2')!.status).toBe('undetermined');
    expect(r.questions.find((q) => q.fact === 'designedForMobileNetworkOperators')!.affects).toContain(
      '5A001.f.2',
    );
    expect(r.conclusions[0]!.determination).toBe('undetermined');
  });
  it('live facial recognition: Art. 2(20) undetermined on the ICT limb only, biometric flag raised under broad', () => {
    const r = run('live-facial-recognition', 'broad');
    expect(r.cyberSurveillance.limbs.filter((l) => l.value !== true).map((l) => l.id)).toEqual([
      'ict-systems',
    ]);
    expect(r.profileFlags.find((f) => f.id === 'biometric-identification')!.value).toBe(true);
    expect(r.item.biometricModality).toBe('face');
  });
});

describe('one entry point and a text rendering for the CLI', () => {
  it('classifies raw JSON input the same way and renders law and profile apart', async () => {
    const { classifyTechnicalProfile, renderClassificationText } =
      await import('../../engines/classification/classification-text.ts');
    const c = cases.find((x) => x.id === 'imsi-catcher-operator-unknown')!;
    const raw = JSON.parse(
      JSON.stringify({
        ...c.profile,
        facts: Object.fromEntries(FACT_KEYS.map((k) => [k, c.profile.facts[k] ?? false])),
      }),
    );
    const r = classifyTechnicalProfile(raw, policy, { profileId: 'broad', controlListVersion: LIST });
    expect(r).toEqual(classifyItem(profileOf(c), policy, { profileId: 'broad', controlListVersion: LIST }));
    const text = renderClassificationText(r);
    expect(text).toMatch(/\[LAW\] Annex I listing undetermined/);
    expect(text).toMatch(/\[PROFILE broad\]/);
    expect(text).toMatch(/5A001\.f\.2 .*: UNDETERMINED/);
    expect(text).toMatch(/designedForMobileNetworkOperators; affects .*5A001\.f\.2/);
    expect(() =>
      classifyTechnicalProfile({ itemForm: 'hardware', facts: { noSuch: true } }, policy, {
        profileId: 'legal',
        controlListVersion: LIST,
      }),
    ).toThrow(/facts\.noSuch/);
  });
});

describe('5A001.f.1 or 5A001.f.2 (through 5D001.c and 5E001.a): one branch alone settles the disjunction', () => {
  const U = 'unknown' as const;
  const notes = {
    designedForAnaloguePmrOrWlanInterception: false,
    designedForMobileNetworkOperators: false,
    designedForDevelopmentOrProduction: false,
  };
  // [item form, voice/data, identifiers, Note facts] -> [entry, status, deciding branch]
  const table: [
    string,
    boolean | typeof U,
    boolean | typeof U,
    Record<string, unknown>,
    string,
    string,
    string | null,
  ][] = [
    ['software', U, true, notes, '5D001.c', 'met', 'Functions of 5A001.f.2 (IMSI catcher)'],
    [
      'software',
      true,
      U,
      notes,
      '5D001.c',
      'met',
      'Functions of 5A001.f.1 (air-interface voice/data interception)',
    ],
    ['software', false, false, notes, '5D001.c', 'undetermined', null], // 5A001.f.3/f.4/j facts left unknown
    [
      'software',
      U,
      true,
      { ...notes, designedForMobileNetworkOperators: U },
      '5D001.c',
      'undetermined',
      null,
    ],
    [
      'software',
      U,
      true,
      { ...notes, designedForMobileNetworkOperators: true },
      '5D001.c',
      'undetermined',
      null,
    ],
    [
      'technology',
      U,
      true,
      { ...notes, technologyForDevelopment: true },
      '5E001.a',
      'met',
      'Functions of 5A001.f.2 (IMSI catcher)',
    ],
  ];
  it.each(table)(
    '%s, voice %s, identifiers %s -> %s %s',
    (itemForm, voice, ids, other, code, status, branch) => {
      const item = parseItemTechnicalProfile({
        itemForm,
        facts: {
          ...other,
          extractsVoiceOrDataOverAirInterface: voice,
          extractsIdentifiersOverAirInterface: ids,
        },
      });
      const r = classifyItem(item, policy, { profileId: 'legal', controlListVersion: LIST });
      const e = r.entries.find((x) => x.code === code)!;
      expect(e.status).toBe(status);
      const any = e.trail.children!.find((c) => c.kind === 'any' && c.label.includes('5A001.f or 5A001.j'))!;
      if (branch) expect(any.decidingBranches).toEqual([branch]);
      else expect(any.decidingBranches).toBeUndefined();
      if (status === 'met')
        expect(r.questions.map((q) => q.fact)).not.toContain('extractsVoiceOrDataOverAirInterface');
    },
  );
});
