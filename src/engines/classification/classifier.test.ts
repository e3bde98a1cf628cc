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
