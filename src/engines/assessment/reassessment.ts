/** Re-assessment: compares a fresh assessment with the stored one and proposes what to do with the case or licence. */
import type { Assessment, AssessmentInput, Recommendation } from '../../domain/assessment.ts';

export const REASSESSMENT_ACTIONS = ['none', 'review', 'propose_suspension', 'propose_revocation'] as const;
export type ReassessmentAction = (typeof REASSESSMENT_ACTIONS)[number];

export interface ReassessmentProposal {
  applicationId: string;
  changed: boolean;
  previous: Recommendation;
  current: Recommendation;
  action: ReassessmentAction;
  reasons: string[];
}

/** A change in the reference data or the evidence that may affect assessments. */
export interface ReferenceChange {
  kind: 'evidence' | 'indicator' | 'restrictive_measure' | 'screening_list';
  /** ISO alpha-2 codes the change concerns. */
  countries: string[];
  /** Party or company names the change concerns (evidence, list entries). */
  names: string[];
}

/**
 * True when an assessed application may be affected: its destination or a party's country is concerned, or a
 * party's name matches. Pure pre-filter; the caller re-runs `assessApplication` on the snapshot for the answer.
 *
 * @example
 * isAffectedByChange(a.inputSnapshot, { kind: 'evidence', countries: ['EG'], names: [] }); // true for Egypt
 */
export function isAffectedByChange(input: AssessmentInput, change: ReferenceChange): boolean {
  const countries = new Set([input.destination, ...input.parties.map((p) => p.country)]);
  if (change.countries.some((c) => countries.has(c))) return true;
  const names = new Set(input.parties.map((p) => p.name.trim().toLowerCase()));
  return change.names.some((n) => names.has(n.trim().toLowerCase()));
}

/**
 * Compare the stored assessment with a re-run. For an open application any change of recommendation asks for
 * review; for a granted licence a new prohibition proposes revocation, a new deny proposes suspension pending
 * review, and new conditions or information needs ask for review.
 *
 * @example
 * const p = proposeReassessmentAction(stored, assessApplication(stored.inputSnapshot, model, newRef), 'granted');
 * p.action; // 'propose_suspension'
 */
export function proposeReassessmentAction(
  previous: Assessment,
  current: Assessment,
  status: 'open' | 'granted',
): ReassessmentProposal {
  const reasons: string[] = [];
  const prevProhibitions = new Set(previous.prohibitions.map((p) => p.measureId));
  const newProhibitions = current.prohibitions.filter((p) => !prevProhibitions.has(p.measureId));
  const prevConditions = new Set(previous.conditions.map((c) => c.id));
  const newConditions = current.conditions.filter((c) => !prevConditions.has(c.id));
  const changed =
    previous.recommendation !== current.recommendation ||
    newProhibitions.length > 0 ||
    newConditions.length > 0;
  if (previous.recommendation !== current.recommendation) {
    reasons.push(`Recommendation changed from ${previous.recommendation} to ${current.recommendation}.`);
  }
  for (const p of newProhibitions)
    reasons.push(`New prohibition ${p.measureId} (${p.legalActs.join('; ')}).`);
  for (const c of newConditions) reasons.push(`New condition ${c.id}.`);
  if (current.criterion2.clearRisk && !previous.criterion2.clearRisk)
    reasons.push('Criterion 2 now finds a clear risk.');
  let action: ReassessmentAction = 'none';
  if (changed) {
    if (status === 'open') action = 'review';
    else if (newProhibitions.length > 0) action = 'propose_revocation';
    else if (current.recommendation === 'deny') action = 'propose_suspension';
    else action = 'review';
  }
  return {
    applicationId: current.applicationId,
    changed,
    previous: previous.recommendation,
    current: current.recommendation,
    action,
    reasons,
  };
}
