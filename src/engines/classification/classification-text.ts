/** Plain-text rendering of a classification result (for the CLI), and one entry point from raw input to result. */
import { parseItemTechnicalProfile } from '../../domain/classification.ts';
import { classifyItem } from './classifier.ts';
import type { ClassificationResult, ClassifyOptions, CriterionResult } from './classifier.ts';
import type { ClassificationPolicy } from './rule-set.ts';

/**
 * Parses raw input (a JSON value from a file or an HTTP body) as an item technical profile and classifies it, so the
 * CLI and the API return the same result for the same input. Throws DomainError INVALID naming the bad field.
 * @example classifyTechnicalProfile(JSON.parse(text), policy, { profileId: 'broad', controlListVersion: list.listVersion })
 */
export function classifyTechnicalProfile(
  input: unknown,
  policy: ClassificationPolicy,
  options: ClassifyOptions,
): ClassificationResult {
  return classifyItem(parseItemTechnicalProfile(input), policy, options);
}

const mark = (v: CriterionResult['value']): string => (v === true ? '[x]' : v === false ? '[ ]' : '[?]');

function renderTrail(n: CriterionResult, depth: number, out: string[], maxDepth: number): void {
  const src = n.source ? ` (${n.source.entry})` : '';
  const fact = n.fact ? ` <${n.fact}>` : '';
  out.push(`${'  '.repeat(depth)}${mark(n.value)} ${n.label}${fact}${src}`);
  if (depth >= maxDepth) return;
  for (const c of n.children ?? []) renderTrail(c, depth + 1, out, maxDepth);
}

/**
 * Renders a result as readable text: conclusions (law / profile), entries met or undetermined with their trails,
 * the Art. 2(20) limbs, raised flags and the questions to ask.
 * @example console.log(renderClassificationText(result))
 */
export function renderClassificationText(r: ClassificationResult, maxDepth = 6): string {
  const out: string[] = [];
  out.push(`Item: ${r.item.name ?? '(unnamed)'} [${r.item.itemForm}]`);
  out.push(
    `Control list: ${r.controlListVersion}   Policy: ${r.policyVersion}   Profile: ${r.profile.title}`,
  );
  out.push('', 'Conclusions:');
  for (const c of r.conclusions)
    out.push(`  - [${c.basis === 'law' ? 'LAW' : `PROFILE ${c.profileId}`}] ${c.statement}`);
  const shown = r.entries.filter((e) => e.status !== 'not_met' || e.exclusionsApplied.length > 0);
  if (shown.length > 0) out.push('', 'Annex I entries:');
  for (const e of shown) {
    out.push(`  ${e.code} ${e.title}: ${e.status.toUpperCase()}${e.verified ? '' : ' (UNVERIFIED rule)'}`);
    renderTrail(e.trail, 2, out, maxDepth);
    for (const x of e.exclusionsApplied) out.push(`    excluded by ${x.title} (${x.source.entry})`);
    for (const x of e.exclusionsUndetermined)
      out.push(`    may be excluded by ${x.title} (${x.source.entry})`);
  }
  out.push('', `Art. 2(20) cyber-surveillance item: ${String(r.cyberSurveillance.value).toUpperCase()}`);
  for (const l of r.cyberSurveillance.limbs) out.push(`  ${mark(l.value)} ${l.label}`);
  const flags = r.profileFlags.filter((f) => f.value !== false);
  if (flags.length > 0) out.push('', `Profile ${r.profile.id} flags (policy, not law):`);
  for (const f of flags) out.push(`  ${mark(f.value)} ${f.title}`);
  if (r.questions.length > 0) out.push('', 'Questions for the exporter:');
  for (const q of r.questions) out.push(`  - ${q.question} [${q.fact}; affects ${q.affects.join(', ')}]`);
  if (r.unverified.length > 0) out.push('', `Unverified rules used: ${r.unverified.join(', ')}`);
  return `${out.join('\n')}\n`;
}
