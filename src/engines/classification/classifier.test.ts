import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FACT_KEYS, parseItemTechnicalProfile } from '../../domain/classification.ts';
import { isDomainError } from '../../domain/errors.ts';
import { classifyItem, kleene } from './classifier.ts';
import type { Truth } from './classifier.ts';
import { compileClassificationPolicy } from './rule-set.ts';

const truth = fc.constantFrom<Truth>(true, false, 'unknown');

const src = { entry: 'TEST', quote: 'test text' };
const rulesDoc = (
  rules: unknown[],
  limbs: unknown[] = [
    { id: 'l1', label: 'limb', verified: true, source: src, when: { fact: 'targetsNaturalPersons' } },
  ],
) => ({
  file: 'rules.yaml',
  content: {
    policyVersion: 'p1',
    controlList: 'test',
    rules,
    cyberSurveillanceTest: { title: 't', verified: true, source: src, limbs },
  },
});
const legal = {
  file: 'legal.yaml',
  content: { id: 'legal', version: '1', title: 'Legal', summary: 's', flags: [] },
};
const entry = (id: string, when: unknown, extra: Record<string, unknown> = {}) => ({
  id,
  kind: 'entry',
  code: id,
  title: id,
  verified: true,
  source: src,
  when,
  ...extra,
});

function errorOf(fn: () => unknown): {
  message: string;
  issues: readonly { path: string; message: string }[];
} {
  try {
    fn();
  } catch (e) {
    if (isDomainError(e)) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('Kleene logic', () => {
  it('agrees with Boolean logic on known values and is commutative', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), (a, b) => {
        expect(kleene.and(a, b)).toBe(a && b);
        expect(kleene.or(a, b)).toBe(a || b);
      }),
    );
    fc.assert(
      fc.property(truth, truth, (a, b) => {
        expect(kleene.and(a, b)).toBe(kleene.and(b, a));
        expect(kleene.or(a, b)).toBe(kleene.or(b, a));
        // De Morgan holds in Kleene logic.
        expect(kleene.not(kleene.and(a, b))).toBe(kleene.or(kleene.not(a), kleene.not(b)));
      }),
    );
  });
  it('false dominates "and", true dominates "or", unknown otherwise', () => {
    expect(kleene.and(false, 'unknown')).toBe(false);
    expect(kleene.or(true, 'unknown')).toBe(true);
    expect(kleene.and(true, 'unknown')).toBe('unknown');
    expect(kleene.not('unknown')).toBe('unknown');
  });
});

describe('policy validation', () => {
  it('refuses an unknown fact, naming the file and the rule', () => {
    const e = errorOf(() =>
      compileClassificationPolicy(rulesDoc([entry('X1', { fact: 'noSuchFact' })]), [legal]),
    );
    expect(e.issues[0]!.path).toBe('rules.yaml: rule X1.when.fact');
    expect(e.issues[0]!.message).toMatch(/unknown fact "noSuchFact"/);
  });
  it('refuses a dangling rule reference and a circular one', () => {
    const e = errorOf(() => compileClassificationPolicy(rulesDoc([entry('X1', { rule: 'X9' })]), [legal]));
    expect(e.message).toMatch(/rules\.yaml: rule X1\.when\.rule: dangling reference to rule "X9"/);
    const c = errorOf(() =>
      compileClassificationPolicy(rulesDoc([entry('A', { rule: 'B' }), entry('B', { rule: 'A' })]), [legal]),
    );
    expect(c.message).toMatch(/circular/);
  });
  it('refuses wrong types (verified not a boolean, form not a form) and names the rule', () => {
    const e = errorOf(() =>
      compileClassificationPolicy(rulesDoc([entry('X1', { form: ['firmware'] }, { verified: 'yes' })]), [
        legal,
      ]),
    );
    expect(e.issues.map((i) => i.path)).toContain('rules.yaml: rule X1.verified');
    const f = errorOf(() =>
      compileClassificationPolicy(rulesDoc([entry('X2', { form: ['firmware'] })]), [legal]),
    );
    expect(f.issues[0]!.path).toBe('rules.yaml: rule X2.when.form');
  });
  it('refuses a profile flag with a dangling reference, naming the profile file and flag', () => {
    const bad = {
      file: 'authority.yaml',
      content: {
        id: 'authority',
        version: '1',
        title: 'A',
        summary: 's',
        flags: [{ id: 'f1', title: 't', rationale: 'r', source: src, when: { rule: 'nope' } }],
      },
    };
    const e = errorOf(() =>
      compileClassificationPolicy(rulesDoc([entry('X1', { fact: 'extractsRawData' })]), [legal, bad]),
    );
    expect(e.issues[0]!.path).toBe('authority.yaml: flag f1.when.rule');
  });
});

describe('classifyItem on a small synthetic policy', () => {
  const policy = compileClassificationPolicy(
    rulesDoc([
      entry(
        'E1',
        { all: [{ form: ['hardware'] }, { fact: 'extractsRawData' }, { fact: 'circumventsAuthentication' }] },
        {
          exclusions: [
            { id: 'n1', title: 'note', verified: false, source: src, when: { fact: 'usesChipOffOrJtag' } },
          ],
        },
      ),
    ]),
    [
      legal,
      {
        file: 'x.yaml',
        content: {
          id: 'x',
          version: '1',
          title: 'X',
          summary: 's',
          flagConsequence: 'flag it',
          flags: [{ id: 'f', title: 'F', rationale: 'r', source: src, when: { rule: 'art-2-20' } }],
        },
      },
    ],
  );
  const classify = (facts: Record<string, unknown>, profileId = 'legal') =>
    classifyItem(parseItemTechnicalProfile({ itemForm: 'hardware', facts }), policy, {
      profileId,
      controlListVersion: 'L1',
    });

  it('never guesses: an unknown fact leaves the entry undetermined and becomes a question', () => {
    const r = classify({ extractsRawData: true, usesChipOffOrJtag: false });
    expect(r.entries[0]!.status).toBe('undetermined');
    expect(r.questions.map((q) => q.fact)).toEqual(
      expect.arrayContaining(['circumventsAuthentication', 'targetsNaturalPersons']),
    );
    expect(r.questions.find((q) => q.fact === 'circumventsAuthentication')!.affects).toEqual(['E1']);
  });
  it('a false fact decides, and the trail names it', () => {
    const r = classify({ extractsRawData: false });
    expect(r.entries[0]!.status).toBe('not_met');
    expect(r.entries[0]!.trail.decidedBy).toEqual(['extractsRawData']);
    expect(r.questions.map((q) => q.fact)).not.toContain('circumventsAuthentication');
  });
  it('an exclusion takes a met entry out and is reported; unverified parts are listed', () => {
    const r = classify({
      extractsRawData: true,
      circumventsAuthentication: true,
      usesChipOffOrJtag: true,
      targetsNaturalPersons: false,
    });
    expect(r.entries[0]!.status).toBe('not_met');
    expect(r.entries[0]!.exclusionsApplied.map((x) => x.id)).toEqual(['n1']);
    expect(r.unverified).toEqual(['n1']);
    expect(r.questions).toEqual([]);
  });
  it('records versions, keeps law and profile apart, and refuses an unknown profile', () => {
    const r = classify(
      {
        extractsRawData: true,
        circumventsAuthentication: true,
        usesChipOffOrJtag: false,
        targetsNaturalPersons: true,
      },
      'x',
    );
    expect(r.controlListVersion).toBe('L1');
    expect(r.policyVersion).toBe('p1+x@1');
    expect(r.matchedEntries).toEqual(['E1']);
    expect(r.conclusions.map((c) => [c.id, c.basis])).toEqual([
      ['annex-i', 'law'],
      ['art-2-20', 'law'],
      ['x:f', 'profile'],
    ]);
    expect(() => classify({}, 'nope')).toThrow(/Unknown classification profile/);
  });
  it('is monotone: answering an unknown never flips a determined outcome', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom<boolean | 'unknown'>(true, false, 'unknown'), {
          minLength: 4,
          maxLength: 4,
        }),
        fc.nat(3),
        fc.boolean(),
        (vals, i, v) => {
          const keys = [
            'extractsRawData',
            'circumventsAuthentication',
            'usesChipOffOrJtag',
            'targetsNaturalPersons',
          ];
          const facts = Object.fromEntries(keys.map((k, j) => [k, vals[j]]));
          const before = classify(facts).entries[0]!.status;
          if (vals[i] !== 'unknown') return;
          const after = classify({ ...facts, [keys[i]!]: v }).entries[0]!.status;
          if (before !== 'undetermined') expect(after).toBe(before);
        },
      ),
    );
  });
});

describe('item technical profile', () => {
  it('refuses an unknown fact and a wrong type, naming the field', () => {
    const e = errorOf(() =>
      parseItemTechnicalProfile({ itemForm: 'software', facts: { bogus: true, extractsRawData: 'yes' } }),
    );
    expect(e.issues.map((i) => i.path).sort()).toEqual(['facts.bogus', 'facts.extractsRawData']);
    const f = errorOf(() => parseItemTechnicalProfile({ itemForm: 'firmware', facts: {} }));
    expect(f.issues[0]!.path).toBe('itemForm');
  });
  it('covers every fact in its JSON Schema', async () => {
    const { buildItemTechnicalProfileJsonSchema } = await import('../../domain/classification.ts');
    const s = buildItemTechnicalProfileJsonSchema() as {
      properties: { facts: { properties: Record<string, unknown>; additionalProperties: boolean } };
    };
    expect(Object.keys(s.properties.facts.properties).sort()).toEqual([...FACT_KEYS].sort());
    expect(s.properties.facts.additionalProperties).toBe(false);
  });
});

describe('disjunctions whose branches depend on each other (A or (B and not A))', () => {
  // f1 = a and not x; f2 = b and not f1 and not x (as 5A001.f.2 is "not specified in 5A001.f.1", and the Note to
  // 5A001.f excludes both); E = f1 or f2.
  const note = {
    id: 'n1',
    title: 'Note',
    verified: true,
    source: src,
    when: { fact: 'designedForMobileNetworkOperators' },
  };
  const feature = (id: string, when: unknown) => ({
    ...entry(id, when),
    kind: 'feature',
    exclusions: [note],
  });
  const policy = compileClassificationPolicy(
    rulesDoc([
      feature('f1', { fact: 'extractsVoiceOrDataOverAirInterface' }),
      feature('f2', {
        all: [{ fact: 'extractsIdentifiersOverAirInterface' }, { not: { rule: 'f1' } }],
      }),
      entry('E', {
        any: [
          { rule: 'f1', label: 'branch f1' },
          { rule: 'f2', label: 'branch f2' },
        ],
      }),
    ]),
    [legal],
  );
  const U = 'unknown' as const;
  // [voice/data (a), identifiers (b), operator note (x)] -> E, the branches that decided it
  const table: [Truth, Truth, Truth, 'met' | 'not_met' | 'undetermined', string[] | undefined][] = [
    [true, U, false, 'met', ['branch f1']],
    [U, true, false, 'met', ['branch f2']], // one branch alone settles it: met whatever f1 is
    [false, true, false, 'met', ['branch f2']],
    [true, true, false, 'met', ['branch f1']],
    [false, false, false, 'not_met', ['branch f1', 'branch f2']],
    [false, U, false, 'undetermined', undefined],
    [U, false, false, 'undetermined', undefined],
    [U, U, false, 'undetermined', undefined],
    [U, true, true, 'not_met', ['branch f1', 'branch f2']], // the Note takes out both branches
    [U, true, U, 'undetermined', undefined],
    [true, U, true, 'not_met', ['branch f1', 'branch f2']],
  ];
  it.each(table)('voice %s, identifiers %s, operator note %s -> %s', (a, b, x, status, branches) => {
    const facts: Record<string, Truth> = {
      extractsVoiceOrDataOverAirInterface: a,
      extractsIdentifiersOverAirInterface: b,
      designedForMobileNetworkOperators: x,
    };
    const item = parseItemTechnicalProfile({ itemForm: 'hardware', facts });
    const r = classifyItem(item, policy, { profileId: 'legal', controlListVersion: 'v' });
    const e = r.entries.find((en) => en.code === 'E')!;
    expect(e.status).toBe(status);
    expect(e.trail.decidingBranches).toEqual(branches);
    // Never better than the facts allow: every way of answering the unknowns gives the same determined value.
    if (status !== 'undetermined') {
      const unknowns = Object.keys(facts).filter((k) => facts[k] === U);
      for (let mask = 0; mask < 1 << unknowns.length; mask++) {
        const filled = { ...facts };
        unknowns.forEach((k, i) => (filled[k] = ((mask >> i) & 1) === 1));
        const c = classifyItem(parseItemTechnicalProfile({ itemForm: 'hardware', facts: filled }), policy, {
          profileId: 'legal',
          controlListVersion: 'v',
        });
        expect(c.entries.find((en) => en.code === 'E')!.status).toBe(status);
      }
    }
  });
  it('shows the footing a re-evaluated branch was decided on', () => {
    const item = parseItemTechnicalProfile({
      itemForm: 'hardware',
      facts: { extractsIdentifiersOverAirInterface: true, designedForMobileNetworkOperators: false },
    });
    const e = classifyItem(item, policy, { profileId: 'legal', controlListVersion: 'v' }).entries[0]!;
    const f2 = e.trail.children!.find((c) => c.label === 'branch f2')!;
    expect(f2.value).toBe(true);
    expect(f2.assuming).toEqual(['f1']);
    expect(e.trail.decidedBy).toEqual(['extractsIdentifiersOverAirInterface']);
  });
});
