/** Validates and compiles classification policy documents (rules, Art. 2(20) test, profiles) into a checked rule set. */
import { z } from 'zod';
import { invalid } from '../../domain/errors.ts';
import type { FieldIssue } from '../../domain/errors.ts';
import { BIOMETRIC_MODALITIES, FACT_KEYS, FACTS } from '../../domain/classification.ts';
import type { BiometricModality, FactKey } from '../../domain/classification.ts';
import { ITEM_FORMS } from '../../domain/model.ts';
import type { ItemForm } from '../../domain/model.ts';

/** Where a criterion comes from: an Annex I entry, definition or article, with a quote or paraphrase. */
export interface SourceCitation {
  entry: string;
  quote: string;
}

interface ExprBase {
  label?: string;
  source?: SourceCitation;
  /** Filled by the classifier on first use: the label shown when the policy gives none. */
  defaultLabel?: string;
  /** Filled by the classifier on first use: the shared `decidedBy` list of a fact leaf. */
  deciders?: string[];
}
export type Expr =
  | (ExprBase & { kind: 'fact'; fact: FactKey; /** Position of the fact in FACT_KEYS. */ factIndex: number })
  | (ExprBase & { kind: 'all' | 'any'; items: Expr[] })
  | (ExprBase & { kind: 'not'; item: Expr })
  | (ExprBase & { kind: 'rule'; ruleId: string })
  | (ExprBase & { kind: 'form'; forms: ItemForm[] })
  | (ExprBase & { kind: 'modality'; modalities: BiometricModality[] });

export interface Exclusion {
  id: string;
  title: string;
  verified: boolean;
  source: SourceCitation;
  when: Expr;
}

export interface Rule {
  id: string;
  kind: 'entry' | 'definition' | 'feature';
  code?: string;
  title: string;
  verified: boolean;
  source: SourceCitation;
  when: Expr;
  exclusions: Exclusion[];
  file: string;
}

export interface Limb {
  id: string;
  label: string;
  verified: boolean;
  source: SourceCitation;
  when: Expr;
}

export interface ProfileFlag {
  id: string;
  title: string;
  rationale: string;
  source: SourceCitation;
  when: Expr;
}

/** A classification profile: `legal` (law only), `broad` (civil-society reading), or an authority's own. */
export interface ClassificationProfile {
  id: string;
  version: string;
  title: string;
  summary: string;
  /** What a raised flag means, e.g. "flag for licensing under the Art. 5 catch-all or national measures". */
  flagConsequence: string;
  flags: ProfileFlag[];
  file: string;
}

export interface ClassificationPolicy {
  policyVersion: string;
  controlList: string;
  rules: Map<string, Rule>;
  /** Rule ids of kind `entry`, in file order: the entries reported in every result. */
  entryRuleIds: string[];
  cyberSurveillanceTest: { title: string; verified: boolean; source: SourceCitation; limbs: Limb[] };
  profiles: Map<string, ClassificationProfile>;
  /** Ids of rules, exclusions and Art. 2(20) limbs not verified against the official text (reported in results). */
  unverifiedIds: string[];
}

/** Pseudo rule id for the Art. 2(20) determination, usable as `{rule: art-2-20}` in profiles. */
export const ART_2_20_RULE_ID = 'art-2-20';

/** One policy document as read from a file: the file name is kept for error messages. */
export interface PolicyDocument {
  file: string;
  content: unknown;
}

const sourceSchema = z.object({ entry: z.string().min(1), quote: z.string().min(1) }).strict();
const exclusionSchema = z
  .object({
    id: z.string().min(1),
    title: z.string().min(1),
    verified: z.boolean(),
    source: sourceSchema,
    when: z.unknown(),
  })
  .strict();
const ruleSchema = z
  .object({
    id: z.string().min(1),
    kind: z.enum(['entry', 'definition', 'feature']),
    code: z.string().optional(),
    title: z.string().min(1),
    verified: z.boolean(),
    source: sourceSchema,
    when: z.unknown(),
    exclusions: z.array(exclusionSchema).default([]),
  })
  .strict();
const rulesDocSchema = z
  .object({
    policyVersion: z.string().min(1),
    controlList: z.string().min(1),
    rules: z.array(z.unknown()),
    cyberSurveillanceTest: z
      .object({
        title: z.string(),
        verified: z.boolean(),
        source: sourceSchema,
        limbs: z
          .array(
            z
              .object({
                id: z.string(),
                label: z.string(),
                verified: z.boolean(),
                source: sourceSchema,
                when: z.unknown(),
              })
              .strict(),
          )
          .min(1),
      })
      .strict(),
  })
  .strict();
const profileDocSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case id (letters, digits, hyphens)'),
    version: z.string().min(1),
    title: z.string().min(1),
    summary: z.string().min(1),
    flagConsequence: z.string().default(''),
    flags: z
      .array(
        z
          .object({
            id: z.string().min(1),
            title: z.string().min(1),
            rationale: z.string().min(1),
            source: sourceSchema,
            when: z.unknown(),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

class IssueSink {
  readonly issues: FieldIssue[] = [];
  add(path: string, message: string): void {
    this.issues.push({ path, message });
  }
}

const EXPR_KEYS = ['fact', 'all', 'any', 'not', 'rule', 'form', 'modality'] as const;

function parseExpr(
  raw: unknown,
  where: string,
  sink: IssueSink,
  refs: { ruleId: string; where: string }[],
): Expr {
  const fallback: Expr = { kind: 'all', items: [] };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    sink.add(where, 'expected an expression object');
    return fallback;
  }
  const o = raw as Record<string, unknown>;
  const keys = EXPR_KEYS.filter((k) => k in o);
  const extra = Object.keys(o).filter(
    (k) => !(EXPR_KEYS as readonly string[]).includes(k) && k !== 'label' && k !== 'source',
  );
  if (extra.length) sink.add(where, `unknown key(s) ${extra.join(', ')}`);
  if (keys.length !== 1) {
    sink.add(where, `expected exactly one of ${EXPR_KEYS.join(', ')}`);
    return fallback;
  }
  const base: ExprBase = {};
  if (o.label !== undefined) {
    if (typeof o.label !== 'string') sink.add(`${where}.label`, 'expected a string');
    else base.label = o.label;
  }
  if (o.source !== undefined) {
    const s = sourceSchema.safeParse(o.source);
    if (!s.success) sink.add(`${where}.source`, 'expected {entry, quote}');
    else base.source = s.data;
  }
  const k = keys[0]!;
  const v = o[k];
  switch (k) {
    case 'fact':
      if (typeof v !== 'string' || !(v in FACTS)) {
        sink.add(`${where}.fact`, `unknown fact "${String(v)}"`);
        return fallback;
      }
      return { ...base, kind: 'fact', fact: v as FactKey, factIndex: FACT_KEYS.indexOf(v as FactKey) };
    case 'all':
    case 'any':
      if (!Array.isArray(v) || v.length === 0) {
        sink.add(`${where}.${k}`, 'expected a non-empty list');
        return fallback;
      }
      return { ...base, kind: k, items: v.map((x, i) => parseExpr(x, `${where}.${k}[${i}]`, sink, refs)) };
    case 'not':
      return { ...base, kind: 'not', item: parseExpr(v, `${where}.not`, sink, refs) };
    case 'rule':
      if (typeof v !== 'string') {
        sink.add(`${where}.rule`, 'expected a rule id');
        return fallback;
      }
      refs.push({ ruleId: v, where: `${where}.rule` });
      return { ...base, kind: 'rule', ruleId: v };
    case 'form': {
      const forms = Array.isArray(v) ? v : [v];
      const bad = forms.filter((f) => !(ITEM_FORMS as readonly unknown[]).includes(f));
      if (bad.length) sink.add(`${where}.form`, `unknown item form(s) ${bad.join(', ')}`);
      return { ...base, kind: 'form', forms: forms as ItemForm[] };
    }
    case 'modality': {
      const mods = Array.isArray(v) ? v : [v];
      const bad = mods.filter((f) => !(BIOMETRIC_MODALITIES as readonly unknown[]).includes(f));
      if (bad.length) sink.add(`${where}.modality`, `unknown modality ${bad.join(', ')}`);
      return { ...base, kind: 'modality', modalities: mods as BiometricModality[] };
    }
  }
}

function zodIssues(err: z.ZodError, prefix: string, sink: IssueSink): void {
  for (const i of err.issues) sink.add([prefix, ...i.path.map(String)].filter(Boolean).join('.'), i.message);
}

/** Finds a cycle among rule references, returning the ids on it. */
function findCycle(rules: Map<string, Rule>): string[] | null {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const deps = (e: Expr, out: string[]): void => {
    if (e.kind === 'rule') out.push(e.ruleId);
    else if (e.kind === 'all' || e.kind === 'any') e.items.forEach((x) => deps(x, out));
    else if (e.kind === 'not') deps(e.item, out);
  };
  const visit = (id: string): string[] | null => {
    if (state.get(id) === 2) return null;
    if (state.get(id) === 1) return [...stack.slice(stack.indexOf(id)), id];
    const r = rules.get(id);
    if (!r) return null;
    state.set(id, 1);
    stack.push(id);
    const out: string[] = [];
    deps(r.when, out);
    r.exclusions.forEach((x) => deps(x.when, out));
    for (const d of out) {
      const c = visit(d);
      if (c) return c;
    }
    stack.pop();
    state.set(id, 2);
    return null;
  };
  for (const id of rules.keys()) {
    const c = visit(id);
    if (c) return c;
  }
  return null;
}

/**
 * Validates the rules document and any number of profile documents and compiles them into a policy.
 * Every problem is reported at once as DomainError INVALID, each issue naming the file and the rule.
 * @example compileClassificationPolicy({ file: 'rules.yaml', content: yamlParse(text) }, [{ file: 'broad.yaml', content: … }])
 */
export function compileClassificationPolicy(
  rulesDoc: PolicyDocument,
  profileDocs: PolicyDocument[],
): ClassificationPolicy {
  const sink = new IssueSink();
  const refs: { ruleId: string; where: string }[] = [];
  const top = rulesDocSchema.safeParse(rulesDoc.content);
  if (!top.success) {
    zodIssues(top.error, rulesDoc.file, sink);
    throw invalid(
      `Invalid classification policy: ${sink.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      sink.issues,
    );
  }
  const rules = new Map<string, Rule>();
  const entryRuleIds: string[] = [];
  top.data.rules.forEach((raw, idx) => {
    const rid =
      typeof raw === 'object' && raw && 'id' in raw ? String((raw as { id: unknown }).id) : `#${idx}`;
    const where = `${rulesDoc.file}: rule ${rid}`;
    const r = ruleSchema.safeParse(raw);
    if (!r.success) return zodIssues(r.error, where, sink);
    if (rules.has(r.data.id)) sink.add(where, 'duplicate rule id');
    if (r.data.kind === 'entry' && !r.data.code) sink.add(where, 'an entry rule needs a code');
    const exIds = new Set<string>();
    const rule: Rule = {
      id: r.data.id,
      kind: r.data.kind,
      title: r.data.title,
      verified: r.data.verified,
      source: r.data.source,
      file: rulesDoc.file,
      when: parseExpr(r.data.when, `${where}.when`, sink, refs),
      exclusions: r.data.exclusions.map((x) => {
        if (exIds.has(x.id)) sink.add(`${where}.exclusions.${x.id}`, 'duplicate exclusion id');
        exIds.add(x.id);
        return { ...x, when: parseExpr(x.when, `${where}.exclusions.${x.id}.when`, sink, refs) };
      }),
    };
    if (r.data.code) rule.code = r.data.code;
    rules.set(rule.id, rule);
    if (rule.kind === 'entry') entryRuleIds.push(rule.id);
  });
  const limbRefs: { ruleId: string; where: string }[] = [];
  const limbs: Limb[] = top.data.cyberSurveillanceTest.limbs.map((l) => ({
    ...l,
    when: parseExpr(l.when, `${rulesDoc.file}: cyberSurveillanceTest limb ${l.id}.when`, sink, limbRefs),
  }));
  for (const ref of [...refs, ...limbRefs]) {
    if (!rules.has(ref.ruleId)) sink.add(ref.where, `dangling reference to rule "${ref.ruleId}"`);
  }
  const cycle = findCycle(rules);
  if (cycle)
    sink.add(`${rulesDoc.file}: rule ${cycle[0]}`, `circular rule references: ${cycle.join(' -> ')}`);

  const profiles = new Map<string, ClassificationProfile>();
  for (const doc of profileDocs) {
    const p = profileDocSchema.safeParse(doc.content);
    if (!p.success) {
      zodIssues(p.error, doc.file, sink);
      continue;
    }
    if (profiles.has(p.data.id)) sink.add(doc.file, `duplicate profile id "${p.data.id}"`);
    const pRefs: { ruleId: string; where: string }[] = [];
    const flagIds = new Set<string>();
    const flags = p.data.flags.map((f) => {
      if (flagIds.has(f.id)) sink.add(`${doc.file}: flag ${f.id}`, 'duplicate flag id');
      flagIds.add(f.id);
      return { ...f, when: parseExpr(f.when, `${doc.file}: flag ${f.id}.when`, sink, pRefs) };
    });
    for (const ref of pRefs) {
      if (ref.ruleId !== ART_2_20_RULE_ID && !rules.has(ref.ruleId))
        sink.add(ref.where, `dangling reference to rule "${ref.ruleId}"`);
    }
    profiles.set(p.data.id, { ...p.data, flags, file: doc.file });
  }
  if (sink.issues.length > 0) {
    throw invalid(
      `Invalid classification policy: ${sink.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      sink.issues,
    );
  }
  return {
    policyVersion: top.data.policyVersion,
    controlList: top.data.controlList,
    rules,
    entryRuleIds,
    cyberSurveillanceTest: { ...top.data.cyberSurveillanceTest, limbs },
    profiles,
    unverifiedIds: [
      ...[...rules.values()].filter((r) => !r.verified).map((r) => r.id),
      ...[...rules.values()].flatMap((r) => r.exclusions.filter((x) => !x.verified).map((x) => x.id)),
      ...limbs.filter((l) => !l.verified).map((l) => `art-2-20:${l.id}`),
    ].filter((id, i, all) => all.indexOf(id) === i),
  };
}
