/** Classifies an item technical profile against the control-list rules, the Art. 2(20) test and a profile (Kleene logic). */
import { invalid } from '../../domain/errors.ts';
import { FACT_KEYS, FACTS } from '../../domain/classification.ts';
import type { BiometricModality, FactKey, ItemTechnicalProfile } from '../../domain/classification.ts';
import type { ItemForm } from '../../domain/model.ts';
import { ART_2_20_RULE_ID } from './rule-set.ts';
import type { ClassificationPolicy, Expr, Rule, SourceCitation } from './rule-set.ts';

/** Three-valued truth: true, false or unknown (Kleene's strong logic). */
export type Truth = true | false | 'unknown';
export type EntryStatus = 'met' | 'not_met' | 'undetermined';

/** One node of a criterion trail: its value and, at the leaves, the fact (or item form) that decided it. */
export interface CriterionResult {
  label: string;
  kind: Expr['kind'];
  value: Truth;
  source?: SourceCitation;
  /** For a fact leaf: the fact key and the value stated in the profile. */
  fact?: FactKey;
  /** For a rule reference: the rule referred to (its own trail is in `children`). */
  ruleId?: string;
  /** Facts that decided this node's value (the false ones of a failed "all", the true ones of a met "any", …). */
  decidedBy: string[];
  /** For a determined "all" / "any": the labels of the branches that decided it (e.g. the met branch of a disjunction). */
  decidingBranches?: string[];
  /**
   * For a branch of a disjunction evaluated on the footing that its sibling branches are not met (A or B equals
   * A or (B given not A)): which siblings were taken as not met. Shown when that footing settled the disjunction.
   */
  assuming?: string[];
  children?: CriterionResult[];
}

export interface ExclusionResult {
  id: string;
  title: string;
  source: SourceCitation;
  verified: boolean;
  value: Truth;
  trail: CriterionResult;
}

/** The outcome of one rule: its criterion trail and its exclusions. */
export interface RuleOutcome {
  ruleId: string;
  value: Truth;
  criteriaValue: Truth;
  trail: CriterionResult;
  exclusions: ExclusionResult[];
}

export interface EntryResult {
  ruleId: string;
  code: string;
  title: string;
  status: EntryStatus;
  /** Always 'law': entries come from Annex I. */
  basis: 'law';
  verified: boolean;
  source: SourceCitation;
  trail: CriterionResult;
  /** Exclusions (Notes) whose conditions hold and which therefore take the item out of the entry. */
  exclusionsApplied: ExclusionResult[];
  /** Exclusions that could not be decided (and could take the item out of the entry). */
  exclusionsUndetermined: ExclusionResult[];
}

export interface LimbResult {
  id: string;
  label: string;
  value: Truth;
  verified: boolean;
  source: SourceCitation;
  trail: CriterionResult;
}

export interface CyberSurveillanceDetermination {
  /** Art. 2(20): all limbs are cumulative. */
  value: Truth;
  basis: 'law';
  title: string;
  source: SourceCitation;
  limbs: LimbResult[];
}

export interface FlagResult {
  id: string;
  title: string;
  rationale: string;
  value: Truth;
  basis: 'profile';
  profileId: string;
  source: SourceCitation;
  trail: CriterionResult;
}

export interface Conclusion {
  id: string;
  statement: string;
  /** 'law': Annex I or the Regulation; 'profile': the chosen profile's reading, beyond the law. */
  basis: 'law' | 'profile';
  profileId?: string;
  determination: 'yes' | 'no' | 'undetermined';
  sources: string[];
}

export interface Question {
  fact: string;
  question: string;
  /** The outcomes (entry codes, 'art-2-20', profile flags) whose determination the answer can change. */
  affects: string[];
}

export interface ClassificationResult {
  item: { name: string | null; itemForm: ItemForm; biometricModality: BiometricModality };
  controlListVersion: string;
  policyVersion: string;
  profile: { id: string; version: string; title: string };
  /** Annex I codes met. */
  matchedEntries: string[];
  /** 'listed' when an entry is met; 'undetermined' when none is met but some are undetermined. */
  listing: 'listed' | 'not_listed' | 'undetermined';
  entries: EntryResult[];
  cyberSurveillance: CyberSurveillanceDetermination;
  profileFlags: FlagResult[];
  conclusions: Conclusion[];
  questions: Question[];
  /** Ids of rules, exclusions and limbs used that are not verified against the official text. */
  unverified: string[];
}

export interface ClassifyOptions {
  profileId: string;
  controlListVersion: string;
}

const and = (a: Truth, b: Truth): Truth =>
  a === false || b === false ? false : a === true && b === true ? true : 'unknown';
const or = (a: Truth, b: Truth): Truth =>
  a === true || b === true ? true : a === false && b === false ? false : 'unknown';
const not = (a: Truth): Truth => (a === 'unknown' ? 'unknown' : !a);

/** Kleene conjunction, disjunction and negation, exported for property tests. */
export const kleene = { and, or, not };

class Evaluation {
  private readonly memo = new Map<string, RuleOutcome>();
  /** The item's facts as a dense array in FACT_KEYS order; a fact left out is unknown (never guessed). */
  private readonly factValues: Truth[];
  constructor(
    private readonly policy: ClassificationPolicy,
    private readonly item: ItemTechnicalProfile,
    private readonly art220: () => CyberSurveillanceDetermination,
    /** Facts and rules taken as not met while evaluating one branch of a disjunction (see `anyNode`). */
    private readonly assumedNotMet: ReadonlySet<string> | null = null,
    factValues?: Truth[],
  ) {
    if (factValues) {
      this.factValues = factValues;
      return;
    }
    this.factValues = new Array<Truth>(FACT_KEYS.length).fill('unknown');
    const facts = item.facts as Record<string, Truth | undefined>;
    for (const k in facts) {
      const i = FACT_INDEX.get(k);
      const v = facts[k];
      if (i !== undefined && v !== undefined) this.factValues[i] = v;
    }
  }

  rule(id: string): RuleOutcome {
    const hit = this.memo.get(id);
    if (hit) return hit;
    const r = this.policy.rules.get(id) as Rule;
    if (this.assumedNotMet?.has(id)) {
      const t = node(`${r.title} (taken as not met: a sibling branch of the disjunction)`, 'rule', false, []);
      const out: RuleOutcome = { ruleId: id, value: false, criteriaValue: false, trail: t, exclusions: [] };
      this.memo.set(id, out);
      return out;
    }
    const trail = this.expr(r.when, r.title);
    const exclusions: ExclusionResult[] = [];
    for (const x of r.exclusions) {
      const t = this.expr(x.when, x.title);
      exclusions.push({
        id: x.id,
        title: x.title,
        source: x.source,
        verified: x.verified,
        value: t.value,
        trail: t,
      });
    }
    let value: Truth = trail.value;
    for (const x of exclusions) value = and(value, not(x.value));
    const out: RuleOutcome = { ruleId: id, value, criteriaValue: trail.value, trail, exclusions };
    this.memo.set(id, out);
    return out;
  }

  /**
   * Exclusions with the given value that act on a rule, its own and those of the rules it relies on (not through a
   * negation, where an exclusion works the other way), e.g. the Note to 5A001.f seen from 5A001.f.1.
   */
  exclusionsActing(id: string, value: Truth, seen = new Set<string>()): ExclusionResult[] {
    if (seen.has(id)) return [];
    seen.add(id);
    const o = this.rule(id);
    const out: ExclusionResult[] = [];
    if (o.criteriaValue !== false) for (const x of o.exclusions) if (x.value === value) out.push(x);
    this.walkForExclusions(o.trail, value, seen, out);
    return out;
  }

  private walkForExclusions(
    n: CriterionResult,
    value: Truth,
    seen: Set<string>,
    out: ExclusionResult[],
  ): void {
    if (n.kind === 'not') return;
    if (n.kind === 'rule' && n.ruleId && n.ruleId !== ART_2_20_RULE_ID) {
      for (const x of this.exclusionsActing(n.ruleId, value, seen)) out.push(x);
      return;
    }
    if (!n.children) return;
    // An "all" that fails on a criterion of its own is not decided by a relied-on rule's exclusion.
    if (n.kind === 'all') for (const c of n.children) if (c.kind !== 'rule' && c.value === false) return;
    for (const c of n.children) this.walkForExclusions(c, value, seen, out);
  }

  expr(e: Expr, fallbackLabel?: string): CriterionResult {
    const label = e.label ?? fallbackLabel;
    let n: CriterionResult;
    switch (e.kind) {
      case 'fact':
        n = node(label ?? FACTS[e.fact], 'fact', this.factValues[e.factIndex]!, (e.deciders ??= [e.fact]));
        n.fact = e.fact;
        break;
      case 'form':
        n = node(
          label ?? (e.defaultLabel ??= `Item form is ${e.forms.join(' or ')}`),
          'form',
          e.forms.includes(this.item.itemForm),
          FORM_DECIDER,
        );
        break;
      case 'modality': {
        const m = this.item.biometricModality;
        n = node(
          label ?? (e.defaultLabel ??= `Biometric modality is ${e.modalities.join(' or ')}`),
          'modality',
          m === 'unknown' ? 'unknown' : e.modalities.includes(m),
          MODALITY_DECIDER,
        );
        break;
      }
      case 'not': {
        const c = this.expr(e.item);
        n = node(label ?? `Not: ${c.label}`, 'not', not(c.value), c.decidedBy);
        n.children = [c];
        break;
      }
      case 'rule':
        n = e.ruleId === ART_2_20_RULE_ID ? this.art220Node(label) : this.ruleNode(e.ruleId, label);
        break;
      case 'all':
      case 'any': {
        const isAll = e.kind === 'all';
        const children: CriterionResult[] = new Array(e.items.length);
        let v: Truth = isAll;
        for (let i = 0; i < e.items.length; i++) {
          const c = this.expr(e.items[i]!);
          children[i] = c;
          v = isAll ? and(v, c.value) : or(v, c.value);
        }
        if (!isAll && v === 'unknown') v = this.settleDisjunction(e, children);
        // The deciding children: for a forced value those that forced it, if unknown the unknown ones, else all.
        const want: Truth | null = v === 'unknown' ? 'unknown' : v === !isAll ? v : null;
        const decidedBy: string[] = [];
        const branches: string[] = [];
        for (const c of children) {
          if (want !== null && c.value !== want) continue;
          if (v !== 'unknown') branches.push(c.label);
          for (const f of c.decidedBy) if (!decidedBy.includes(f)) decidedBy.push(f);
        }
        n = node(label ?? (isAll ? 'All of the following' : 'Any of the following'), e.kind, v, decidedBy);
        if (v !== 'unknown') n.decidingBranches = branches;
        n.children = children;
        break;
      }
    }
    if (e.source) n.source = e.source;
    return n;
  }

  /**
   * A disjunction left unknown by Kleene's tables although its branches depend on each other, e.g. 5A001.f.1 or
   * 5A001.f.2 where f.2 is "not specified in f.1": when f.2's own criteria are met the disjunction is met whatever f.1
   * is. Each branch that refers to a sibling is evaluated again taking its siblings as not met (A or B equals
   * A or B[A := not met], valid because rules are acyclic); the disjunction is met when any branch so evaluated is
   * met, not met when all are not met, and stays undetermined otherwise. Replaces the children it re-evaluated
   * when that settles the value, so the trail shows the deciding branch and the footing it was evaluated on.
   */
  private settleDisjunction(e: Extract<Expr, { items: Expr[] }>, children: CriterionResult[]): Truth {
    const plan = disjunctionPlan(this.policy, e);
    if (plan === null) return 'unknown';
    const settled: (CriterionResult | null)[] = new Array(children.length).fill(null);
    let v: Truth = false;
    for (let i = 0; i < children.length; i++) {
      const assumed = plan[i];
      let c = children[i]!;
      if (assumed && c.value === 'unknown') {
        const sub = new Evaluation(
          this.policy,
          this.item,
          this.art220,
          assumed.atoms,
          assumed.facts.length ? this.factValuesWithout(assumed.facts) : this.factValues,
        );
        c = sub.expr(e.items[i]!);
        c.assuming = assumed.labels;
        settled[i] = c;
      }
      v = or(v, c.value);
    }
    if (v === 'unknown') return v;
    for (let i = 0; i < children.length; i++) if (settled[i]) children[i] = settled[i]!;
    return v;
  }

  private factValuesWithout(indexes: number[]): Truth[] {
    const out = this.factValues.slice();
    for (const i of indexes) out[i] = false;
    return out;
  }

  /**
   * A reference to another rule. An Annex I entry is reported on its own, so the reference carries its value and
   * deciding facts only; a definition or feature carries its whole trail and the exclusions that act on it.
   */
  private ruleNode(id: string, label: string | undefined): CriterionResult {
    const o = this.rule(id);
    const r = this.policy.rules.get(id) as Rule;
    const live: ExclusionResult[] = [];
    if (o.criteriaValue !== false) for (const x of o.exclusions) if (x.value !== false) live.push(x);
    let decidedBy = o.trail.decidedBy;
    if (o.value !== o.criteriaValue) {
      decidedBy = [];
      for (const x of live) for (const f of x.trail.decidedBy) if (!decidedBy.includes(f)) decidedBy.push(f);
    }
    const n = node(label ?? r.title, 'rule', o.value, decidedBy);
    n.ruleId = id;
    if (r.kind !== 'entry') {
      n.children = [o.trail];
      for (const x of live) n.children.push(x.trail);
    }
    return n;
  }

  private art220Node(label: string | undefined): CriterionResult {
    const d = this.art220();
    const decidedBy: string[] = [];
    for (const l of d.limbs)
      if (l.value === d.value)
        for (const f of l.trail.decidedBy) if (!decidedBy.includes(f)) decidedBy.push(f);
    const children: CriterionResult[] = [];
    for (const l of d.limbs) children.push(l.trail);
    const n = node(label ?? d.title, 'rule', d.value, decidedBy);
    n.ruleId = ART_2_20_RULE_ID;
    n.children = children;
    return n;
  }

  private readonly openFactsMemo = new Map<string, number[]>();

  /**
   * Unknown facts that can still change an undetermined node: the unknown leaves reachable through unknown nodes, as
   * indexes into FACT_KEYS (MODALITY_INDEX for the biometric modality), each added once (`seen` marks them).
   */
  collectOpenFacts(node: CriterionResult, out: number[], seen: Uint8Array): void {
    if (node.value !== 'unknown') return;
    if (node.kind === 'fact' && node.fact) addIndex(FACT_INDEX.get(node.fact)!, out, seen);
    else if (node.kind === 'modality') addIndex(MODALITY_INDEX, out, seen);
    else if (node.kind === 'rule' && node.ruleId && node.ruleId !== ART_2_20_RULE_ID) {
      for (const f of this.openFactsOfRule(node.ruleId)) addIndex(f, out, seen);
    } else if (node.children) for (const c of node.children) this.collectOpenFacts(c, out, seen);
  }

  /** The open facts of an undetermined rule (its criteria and its live exclusions), computed once per item. */
  openFactsOfRule(id: string): number[] {
    const hit = this.openFactsMemo.get(id);
    if (hit) return hit;
    const out: number[] = [];
    this.openFactsMemo.set(id, out);
    const o = this.rule(id);
    if (o.value === 'unknown') {
      const seen = new Uint8Array(MODALITY_INDEX + 1);
      this.collectOpenFacts(o.trail, out, seen);
      if (o.criteriaValue !== false) for (const x of o.exclusions) this.collectOpenFacts(x.trail, out, seen);
    }
    return out;
  }
}

function addIndex(i: number, out: number[], seen: Uint8Array): void {
  if (seen[i] === 0) {
    seen[i] = 1;
    out.push(i);
  }
}

/** For one branch of a disjunction: the sibling rules and facts it refers to, taken as not met when re-evaluated. */
interface SiblingAssumption {
  atoms: ReadonlySet<string>;
  facts: number[];
  labels: string[];
}

/** Per disjunction (compiled once per policy): for each branch, the siblings it refers to, or null if none does. */
const DISJUNCTION_PLANS = new WeakMap<Expr, (SiblingAssumption | null)[] | null>();

function disjunctionPlan(
  policy: ClassificationPolicy,
  e: Extract<Expr, { items: Expr[] }>,
): (SiblingAssumption | null)[] | null {
  const hit = DISJUNCTION_PLANS.get(e);
  if (hit !== undefined) return hit;
  const atomOf = (x: Expr): string | null =>
    x.kind === 'rule' && x.ruleId !== ART_2_20_RULE_ID ? x.ruleId : x.kind === 'fact' ? x.fact : null;
  const atoms = e.items.map(atomOf);
  let any = false;
  const plan = e.items.map((item, i) => {
    const reached = new Set<string>();
    collectReferences(policy, item, reached);
    const own = atoms[i];
    const hits = atoms.filter((a): a is string => a !== null && a !== own && reached.has(a));
    if (hits.length === 0) return null;
    any = true;
    const facts: number[] = [];
    const labels: string[] = [];
    for (const a of hits) {
      const fi = FACT_INDEX.get(a);
      if (fi !== undefined) facts.push(fi);
      labels.push(fi !== undefined ? a : (policy.rules.get(a)?.title ?? a));
    }
    return { atoms: new Set(hits), facts, labels };
  });
  const out = any ? plan : null;
  DISJUNCTION_PLANS.set(e, out);
  return out;
}

/** Every rule id and fact an expression reaches, through rule references and their exclusions. */
function collectReferences(policy: ClassificationPolicy, e: Expr, out: Set<string>): void {
  switch (e.kind) {
    case 'fact':
      out.add(e.fact);
      return;
    case 'not':
      collectReferences(policy, e.item, out);
      return;
    case 'all':
    case 'any':
      for (const x of e.items) collectReferences(policy, x, out);
      return;
    case 'rule': {
      if (e.ruleId === ART_2_20_RULE_ID || out.has(e.ruleId)) return;
      out.add(e.ruleId);
      const r = policy.rules.get(e.ruleId);
      if (!r) return;
      collectReferences(policy, r.when, out);
      for (const x of r.exclusions) collectReferences(policy, x.when, out);
      return;
    }
    default:
      return;
  }
}

/** Every trail node has the same shape (absent fields undefined), which keeps property access fast. */
function node(label: string, kind: Expr['kind'], value: Truth, decidedBy: string[]): CriterionResult {
  return {
    label,
    kind,
    value,
    source: undefined,
    fact: undefined,
    ruleId: undefined,
    decidedBy,
    decidingBranches: undefined,
    assuming: undefined,
    children: undefined,
  };
}

const FORM_DECIDER = ['itemForm'];
const FACT_INDEX = new Map<string, number>(FACT_KEYS.map((k, i) => [k, i]));
/** Open-fact index of the biometric modality, after the facts. */
const MODALITY_INDEX = FACT_KEYS.length;
/** Question subjects by open-fact index, their questions, and their rank in alphabetical order (for tie-breaks). */
const OPEN_SUBJECTS: string[] = [...FACT_KEYS, 'biometricModality'];
const OPEN_QUESTIONS: string[] = OPEN_SUBJECTS.map(questionFor);
const OPEN_RANK: number[] = (() => {
  const sorted = OPEN_SUBJECTS.map((f, i) => [f, i] as const).sort((x, y) => (x[0] < y[0] ? -1 : 1));
  const rank = new Array<number>(OPEN_SUBJECTS.length);
  sorted.forEach(([, i], r) => (rank[i] = r));
  return rank;
})();
const MODALITY_DECIDER = ['biometricModality'];

/** An outcome questions can affect: an entry (index in entryRuleIds), Art. 2(20), or a profile flag (index). */
interface OutcomeRef {
  name: string;
  entry: number;
  flag: number;
}
const OUTCOME_ORDERS = new WeakMap<ClassificationPolicy, Map<string, OutcomeRef[]>>();

/** The outcomes of a policy under a profile, sorted by name (computed once per policy and profile). */
function outcomeOrder(policy: ClassificationPolicy, profileId: string): OutcomeRef[] {
  let byProfile = OUTCOME_ORDERS.get(policy);
  if (!byProfile) OUTCOME_ORDERS.set(policy, (byProfile = new Map()));
  const hit = byProfile.get(profileId);
  if (hit) return hit;
  const profile = policy.profiles.get(profileId)!;
  const out: OutcomeRef[] = [
    ...policy.entryRuleIds.map((id, i) => ({
      name: policy.rules.get(id)!.code as string,
      entry: i,
      flag: -1,
    })),
    { name: ART_2_20_RULE_ID, entry: -1, flag: -1 },
    ...profile.flags.map((f, i) => ({ name: `${profile.id}:${f.id}`, entry: -1, flag: i })),
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  byProfile.set(profileId, out);
  return out;
}

function status(v: Truth): EntryStatus {
  return v === true ? 'met' : v === false ? 'not_met' : 'undetermined';
}

function questionFor(fact: string): string {
  if (fact === 'biometricModality')
    return 'Which biometric modality does the item use (face, voice, fingerprint, iris, gait, other, none)?';
  return FACTS[fact as FactKey] ?? fact;
}

/**
 * Classifies one item under the law (Annex I rules and Art. 2(20)) and the chosen profile. Pure and deterministic:
 * unknown facts are never guessed; each one that can change an outcome becomes a question.
 * @example
 * const r = classifyItem(parseItemTechnicalProfile({ itemForm: 'hardware', facts: { extractsIdentifiersOverAirInterface: true,
 *   extractsVoiceOrDataOverAirInterface: false, designedForAnaloguePmrOrWlanInterception: false,
 *   designedForMobileNetworkOperators: false, designedForDevelopmentOrProduction: false } }), policy,
 *   { profileId: 'legal', controlListVersion: 'reg-2021-821@2026-09-21' });
 * r.matchedEntries // ['5A001.f.2']
 */
export function classifyItem(
  item: ItemTechnicalProfile,
  policy: ClassificationPolicy,
  options: ClassifyOptions,
): ClassificationResult {
  const profile = policy.profiles.get(options.profileId);
  if (!profile) {
    throw invalid(
      `Unknown classification profile "${options.profileId}"; known: ${[...policy.profiles.keys()].join(', ')}`,
      [{ path: 'profile', message: 'unknown profile' }],
    );
  }
  let art220: CyberSurveillanceDetermination | null = null;
  const determineArt220 = (): CyberSurveillanceDetermination => {
    if (art220) return art220;
    const t = policy.cyberSurveillanceTest;
    const limbs: LimbResult[] = t.limbs.map((l) => {
      const trail = ev.expr(l.when, l.label);
      return { id: l.id, label: l.label, value: trail.value, verified: l.verified, source: l.source, trail };
    });
    let v: Truth = true;
    for (const l of limbs) v = and(v, l.value);
    art220 = { value: v, basis: 'law', title: t.title, source: t.source, limbs };
    return art220;
  };
  const ev = new Evaluation(policy, item, determineArt220);

  const entries: EntryResult[] = policy.entryRuleIds.map((id) => {
    const r = policy.rules.get(id) as Rule;
    const o = ev.rule(id);
    return {
      ruleId: id,
      code: r.code as string,
      title: r.title,
      status: status(o.value),
      basis: 'law',
      verified: r.verified,
      source: r.source,
      trail: o.trail,
      // A met entry has no exclusion acting on it; only an undetermined one can have undetermined exclusions.
      exclusionsApplied: o.value === false ? ev.exclusionsActing(id, true) : [],
      exclusionsUndetermined: o.value === 'unknown' ? ev.exclusionsActing(id, 'unknown') : [],
    };
  });
  const entryById = entries;
  const cyber = determineArt220();
  const flags: FlagResult[] = profile.flags.map((f) => {
    const trail = ev.expr(f.when, f.title);
    return {
      id: f.id,
      title: f.title,
      rationale: f.rationale,
      value: trail.value,
      basis: 'profile',
      profileId: profile.id,
      source: f.source,
      trail,
    };
  });

  // Questions: for each undetermined outcome, the unknown facts that can still change it. Outcomes are visited in
  // alphabetical order of their names, so each fact's `affects` list comes out sorted without sorting.
  const affects: (string[] | undefined)[] = new Array(OPEN_SUBJECTS.length);
  const seen = new Uint8Array(OPEN_SUBJECTS.length);
  const order = outcomeOrder(policy, profile.id);
  for (const o of order) {
    let open: number[];
    if (o.entry >= 0) {
      const e = entryById[o.entry]!;
      if (e.status !== 'undetermined') continue;
      open = ev.openFactsOfRule(e.ruleId);
    } else {
      const trails =
        o.flag >= 0
          ? flags[o.flag]!.value === 'unknown'
            ? [flags[o.flag]!.trail]
            : null
          : cyber.value === 'unknown'
            ? cyber.limbs.map((l) => l.trail)
            : null;
      if (!trails) continue;
      open = [];
      seen.fill(0);
      for (const t of trails) ev.collectOpenFacts(t, open, seen);
    }
    for (const f of open) (affects[f] ??= []).push(o.name);
  }
  const asked: number[] = [];
  for (let f = 0; f < affects.length; f++) if (affects[f]) asked.push(f);
  asked.sort((x, y) => affects[y]!.length - affects[x]!.length || OPEN_RANK[x]! - OPEN_RANK[y]!);
  const questions: Question[] = asked.map((f) => ({
    fact: OPEN_SUBJECTS[f]!,
    question: OPEN_QUESTIONS[f]!,
    affects: affects[f]!,
  }));

  const met = entries.filter((e) => e.status === 'met');
  const undetermined = entries.filter((e) => e.status === 'undetermined');
  const listing = met.length > 0 ? 'listed' : undetermined.length > 0 ? 'undetermined' : 'not_listed';
  const conclusions = buildConclusions(
    listing,
    met,
    undetermined,
    cyber,
    flags,
    profile.id,
    profile.flagConsequence,
  );

  return {
    item: { name: item.name ?? null, itemForm: item.itemForm, biometricModality: item.biometricModality },
    controlListVersion: options.controlListVersion,
    policyVersion: `${policy.policyVersion}+${profile.id}@${profile.version}`,
    profile: { id: profile.id, version: profile.version, title: profile.title },
    matchedEntries: met.map((e) => e.code),
    listing,
    entries: [...met, ...undetermined, ...entries.filter((e) => e.status === 'not_met')],
    cyberSurveillance: cyber,
    profileFlags: flags,
    conclusions,
    questions,
    unverified: policy.unverifiedIds,
  };
}

function buildConclusions(
  listing: ClassificationResult['listing'],
  met: EntryResult[],
  undetermined: EntryResult[],
  cyber: CyberSurveillanceDetermination,
  flags: FlagResult[],
  profileId: string,
  flagConsequence: string,
): Conclusion[] {
  const out: Conclusion[] = [];
  const codes = (es: EntryResult[]): string => es.map((e) => e.code).join(', ');
  if (listing === 'listed') {
    out.push({
      id: 'annex-i',
      basis: 'law',
      determination: 'yes',
      statement: `Listed in Annex I under ${codes(met)}: an export authorisation is required (Art. 3(1)).`,
      sources: met.map((e) => e.code),
    });
  } else if (listing === 'undetermined') {
    out.push({
      id: 'annex-i',
      basis: 'law',
      determination: 'undetermined',
      statement: `Annex I listing undetermined: ${codes(undetermined)} depend on facts not yet stated; answer the questions.`,
      sources: undetermined.map((e) => e.code),
    });
  } else {
    out.push({
      id: 'annex-i',
      basis: 'law',
      determination: 'no',
      statement: 'Not listed under the cyber-surveillance entries of Annex I checked by these rules.',
      sources: [],
    });
  }
  const cyberStatement =
    cyber.value === true
      ? listing === 'listed'
        ? 'A cyber-surveillance item (Art. 2(20)), listed in Annex I.'
        : 'A cyber-surveillance item (Art. 2(20)) not listed in Annex I: a licence is required if the authority informs the exporter of a risk of use for internal repression or serious violations of human rights (Art. 5(1)); an exporter aware of such use from its due diligence must notify the authority (Art. 5(2)).'
      : cyber.value === false
        ? `Not a cyber-surveillance item under Art. 2(20): limb(s) not met: ${cyber.limbs
            .filter((l) => l.value === false)
            .map((l) => l.id)
            .join(', ')}.`
        : `Art. 2(20) undetermined: limb(s) unknown: ${cyber.limbs
            .filter((l) => l.value === 'unknown')
            .map((l) => l.id)
            .join(', ')}.`;
  out.push({
    id: ART_2_20_RULE_ID,
    basis: 'law',
    determination: cyber.value === true ? 'yes' : cyber.value === false ? 'no' : 'undetermined',
    statement: cyberStatement,
    sources: ['Art. 2(20)', ...(cyber.value === true && listing !== 'listed' ? ['Art. 5'] : [])],
  });
  for (const f of flags) {
    if (f.value === false) continue;
    out.push({
      id: `${profileId}:${f.id}`,
      basis: 'profile',
      profileId,
      determination: f.value === true ? 'yes' : 'undetermined',
      statement:
        `${f.value === true ? '' : 'Possibly (facts unknown): '}${f.title}. ${flagConsequence}`.trim(),
      sources: [f.source.entry],
    });
  }
  return out;
}
