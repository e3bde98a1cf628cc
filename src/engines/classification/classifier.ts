/** Classifies an item technical profile against the control-list rules, the Art. 2(20) test and a profile (Kleene logic). */
import { invalid } from '../../domain/errors.ts';
import { FACTS, readFact } from '../../domain/classification.ts';
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
  constructor(
    private readonly policy: ClassificationPolicy,
    private readonly item: ItemTechnicalProfile,
    private readonly art220: () => CyberSurveillanceDetermination,
  ) {}

  rule(id: string): RuleOutcome {
    const hit = this.memo.get(id);
    if (hit) return hit;
    const r = this.policy.rules.get(id) as Rule;
    const trail = this.expr(r.when, r.title);
    const exclusions: ExclusionResult[] = r.exclusions.map((x) => {
      const t = this.expr(x.when, x.title);
      return { id: x.id, title: x.title, source: x.source, verified: x.verified, value: t.value, trail: t };
    });
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
    const out = o.criteriaValue === false ? [] : o.exclusions.filter((x) => x.value === value);
    const walk = (n: CriterionResult): void => {
      if (n.kind === 'not') return;
      // An "all" that fails on a criterion of its own is not decided by a relied-on rule's exclusion.
      if (n.kind === 'all' && n.children?.some((c) => c.kind !== 'rule' && c.value === false)) return;
      if (n.kind === 'rule' && n.ruleId && n.ruleId !== ART_2_20_RULE_ID) {
        out.push(...this.exclusionsActing(n.ruleId, value, seen));
        return;
      }
      n.children?.forEach(walk);
    };
    walk(o.trail);
    return out;
  }

  expr(e: Expr, fallbackLabel?: string): CriterionResult {
    const label = e.label ?? fallbackLabel;
    switch (e.kind) {
      case 'fact': {
        const v = readFact(this.item, e.fact);
        return {
          label: label ?? FACTS[e.fact],
          kind: 'fact',
          value: v,
          fact: e.fact,
          decidedBy: [e.fact],
          ...(e.source ? { source: e.source } : {}),
        };
      }
      case 'form': {
        const v = e.forms.includes(this.item.itemForm);
        return {
          label: label ?? `Item form is ${e.forms.join(' or ')}`,
          kind: 'form',
          value: v,
          decidedBy: ['itemForm'],
          ...(e.source ? { source: e.source } : {}),
        };
      }
      case 'modality': {
        const m = this.item.biometricModality;
        const v: Truth = m === 'unknown' ? 'unknown' : e.modalities.includes(m);
        return {
          label: label ?? `Biometric modality is ${e.modalities.join(' or ')}`,
          kind: 'modality',
          value: v,
          decidedBy: ['biometricModality'],
        };
      }
      case 'not': {
        const c = this.expr(e.item);
        return {
          label: label ?? `Not: ${c.label}`,
          kind: 'not',
          value: not(c.value),
          decidedBy: c.decidedBy,
          children: [c],
          ...(e.source ? { source: e.source } : {}),
        };
      }
      case 'rule': {
        if (e.ruleId === ART_2_20_RULE_ID) {
          const d = this.art220();
          const decided = d.limbs.filter((l) => l.value === d.value).flatMap((l) => l.trail.decidedBy);
          return {
            label: label ?? d.title,
            kind: 'rule',
            ruleId: e.ruleId,
            value: d.value,
            decidedBy: unique(decided),
            children: d.limbs.map((l) => l.trail),
          };
        }
        const o = this.rule(e.ruleId);
        const r = this.policy.rules.get(e.ruleId) as Rule;
        const live = o.criteriaValue === false ? [] : o.exclusions.filter((x) => x.value !== false);
        const children = [o.trail, ...live.map((x) => ({ ...x.trail, label: `Exclusion: ${x.title}` }))];
        const decided =
          o.value === o.criteriaValue ? o.trail.decidedBy : live.flatMap((x) => x.trail.decidedBy);
        return {
          label: label ?? r.title,
          kind: 'rule',
          ruleId: e.ruleId,
          value: o.value,
          decidedBy: unique(decided),
          children,
          ...(e.source ? { source: e.source } : {}),
        };
      }
      case 'all':
      case 'any': {
        const children = e.items.map((x) => this.expr(x));
        let v: Truth = e.kind === 'all';
        for (const c of children) v = e.kind === 'all' ? and(v, c.value) : or(v, c.value);
        // The deciding children: for a determined value those that forced it, else the unknown ones.
        const forcing: Truth = e.kind === 'all' ? false : true;
        const deciders =
          v === forcing
            ? children.filter((c) => c.value === forcing)
            : v === 'unknown'
              ? children.filter((c) => c.value === 'unknown')
              : children;
        return {
          label: label ?? (e.kind === 'all' ? 'All of the following' : 'Any of the following'),
          kind: e.kind,
          value: v,
          decidedBy: unique(deciders.flatMap((c) => c.decidedBy)),
          children,
          ...(e.source ? { source: e.source } : {}),
        };
      }
    }
  }
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

function status(v: Truth): EntryStatus {
  return v === true ? 'met' : v === false ? 'not_met' : 'undetermined';
}

/** Unknown facts that can still change an undetermined node: the unknown leaves reachable through unknown nodes. */
function collectOpenFacts(node: CriterionResult, out: Set<string>): void {
  if (node.value !== 'unknown') return;
  if ((node.kind === 'fact' && node.fact) || node.kind === 'modality')
    out.add(node.fact ?? 'biometricModality');
  for (const c of node.children ?? []) collectOpenFacts(c, out);
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
      exclusionsApplied: ev.exclusionsActing(id, true),
      exclusionsUndetermined: ev.exclusionsActing(id, 'unknown'),
    };
  });
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

  // Questions: for each undetermined outcome, the unknown facts that can still change it.
  const affects = new Map<string, Set<string>>();
  const addOpen = (outcome: string, nodes: CriterionResult[]): void => {
    const open = new Set<string>();
    nodes.forEach((n) => collectOpenFacts(n, open));
    for (const f of open) {
      if (!affects.has(f)) affects.set(f, new Set());
      affects.get(f)!.add(outcome);
    }
  };
  for (const e of entries) {
    if (e.status !== 'undetermined') continue;
    const o = ev.rule(e.ruleId);
    addOpen(e.code, [o.trail, ...(o.criteriaValue !== false ? o.exclusions.map((x) => x.trail) : [])]);
  }
  if (cyber.value === 'unknown')
    addOpen(
      ART_2_20_RULE_ID,
      cyber.limbs.map((l) => l.trail),
    );
  for (const f of flags) if (f.value === 'unknown') addOpen(`${profile.id}:${f.id}`, [f.trail]);
  const questions: Question[] = [...affects]
    .map(([fact, outs]) => ({ fact, question: questionFor(fact), affects: [...outs].sort() }))
    .sort((a, b) => b.affects.length - a.affects.length || a.fact.localeCompare(b.fact));

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

  const unverified = unique([
    ...[...policy.rules.values()].filter((r) => !r.verified).map((r) => r.id),
    ...[...policy.rules.values()].flatMap((r) => r.exclusions.filter((x) => !x.verified).map((x) => x.id)),
    ...cyber.limbs.filter((l) => !l.verified).map((l) => `art-2-20:${l.id}`),
  ]);

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
    unverified,
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
