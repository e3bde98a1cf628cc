/** Exporter due diligence (Rec. 2024/2659, UNGPs) and ICP self-assessment (Rec. 2019/1318): completeness and red flags. */
import { z } from 'zod';
import { failPolicy, parsePolicyText } from './policy-parser.ts';

const conditionSchema = z
  .object({
    question: z.string(),
    equals: z.union([z.boolean(), z.string()]).optional(),
    in: z.array(z.string()).optional(),
  })
  .strict();

const questionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_]+$/),
    text: z.string().min(1),
    type: z.enum(['yes_no', 'text', 'choice', 'list', 'date']),
    options: z.array(z.string()).optional(),
    required: z.boolean().optional(),
    requiredIf: conditionSchema.optional(),
  })
  .strict();

export const dueDiligenceQuestionnaireSchema = z
  .object({
    version: z.string().min(1),
    title: z.string(),
    sources: z.record(z.string(), z.string()),
    sections: z.array(
      z
        .object({
          id: z.string().regex(/^[a-z0-9_]+$/),
          title: z.string(),
          source: z.string(),
          note: z.string().optional(),
          questions: z.array(questionSchema).min(1),
        })
        .strict(),
    ),
    redFlags: z.array(
      z
        .object({
          id: z.string().regex(/^[a-z0-9_]+$/),
          text: z.string().min(1),
          source: z.string().min(1),
          verified: z.boolean(),
          when: z.array(conditionSchema).min(1),
          andWhen: z.array(conditionSchema).optional(),
        })
        .strict(),
    ),
  })
  .strict();
export type DueDiligenceQuestionnaire = z.infer<typeof dueDiligenceQuestionnaireSchema>;
type Condition = z.infer<typeof conditionSchema>;
type Question = z.infer<typeof questionSchema>;

/**
 * Parse policy/workflow/due-diligence.yaml; every condition must name a known question, choices need options, and
 * `equals`/`in` values must be possible answers.
 *
 * @example
 * const questionnaire = parseDueDiligenceQuestionnaire(text, 'policy/workflow/due-diligence.yaml');
 */
export function parseDueDiligenceQuestionnaire(text: string, sourceName: string): DueDiligenceQuestionnaire {
  const q = parsePolicyText(text, sourceName, dueDiligenceQuestionnaireSchema);
  const byId = new Map<string, Question>();
  q.sections.forEach((s, i) => {
    if (!(s.source in q.sources))
      failPolicy(sourceName, `sections.${i}.source`, `unknown source ${s.source}`);
    s.questions.forEach((question, j) => {
      if (byId.has(question.id))
        failPolicy(sourceName, `sections.${i}.questions.${j}.id`, `duplicate question ${question.id}`);
      if (question.type === 'choice' && !question.options?.length)
        failPolicy(sourceName, `sections.${i}.questions.${j}.options`, 'a choice needs options');
      byId.set(question.id, question);
    });
  });
  const checkCondition = (c: Condition, at: string) => {
    const target = byId.get(c.question);
    if (!target) failPolicy(sourceName, `${at}.question`, `unknown question ${c.question}`);
    const values = c.in ?? (c.equals !== undefined ? [c.equals] : []);
    if (values.length === 0) failPolicy(sourceName, at, 'a condition needs equals or in');
    for (const v of values) {
      const ok =
        target.type === 'yes_no'
          ? typeof v === 'boolean'
          : target.type === 'choice'
            ? target.options?.includes(String(v))
            : true;
      if (!ok) failPolicy(sourceName, at, `${String(v)} is not a possible answer to ${c.question}`);
    }
  };
  q.sections.forEach((s, i) =>
    s.questions.forEach(
      (question, j) =>
        question.requiredIf && checkCondition(question.requiredIf, `sections.${i}.questions.${j}.requiredIf`),
    ),
  );
  q.redFlags.forEach((f, i) => {
    f.when.forEach((c, j) => checkCondition(c, `redFlags.${i}.when.${j}`));
    (f.andWhen ?? []).forEach((c, j) => checkCondition(c, `redFlags.${i}.andWhen.${j}`));
  });
  return q;
}

/** The exporter's answers for one application, by question id. */
export interface DueDiligenceRecord {
  id: string;
  applicationId: string;
  answers: Readonly<Record<string, unknown>>;
}

export interface DueDiligenceAssessment {
  recordId: string;
  questionnaireVersion: string;
  complete: boolean;
  sections: {
    id: string;
    title: string;
    complete: boolean;
    answeredCount: number;
    requiredCount: number;
    missing: { questionId: string; text: string }[];
    invalid: { questionId: string; message: string }[];
  }[];
  redFlags: {
    id: string;
    text: string;
    source: string;
    verified: boolean;
    triggeredBy: { questionId: string; answer: unknown }[];
  }[];
  unknownAnswers: string[];
  summary: string;
}

const holds = (c: Condition, answers: Readonly<Record<string, unknown>>): boolean => {
  const a = answers[c.question];
  if (a === undefined || a === null) return false;
  if (c.in) return c.in.includes(String(a));
  return a === c.equals;
};

function checkAnswer(q: Question, a: unknown): 'missing' | 'ok' | string {
  if (a === undefined || a === null) return 'missing';
  switch (q.type) {
    case 'yes_no':
      return typeof a === 'boolean' ? 'ok' : 'expected yes or no (true/false)';
    case 'text':
      return typeof a !== 'string' ? 'expected text' : a.trim() ? 'ok' : 'missing';
    case 'choice':
      return q.options?.includes(String(a)) ? 'ok' : `expected one of ${q.options?.join(', ')}`;
    case 'list':
      return !Array.isArray(a) || a.some((x) => typeof x !== 'string')
        ? 'expected a list of texts'
        : a.length === 0
          ? 'missing'
          : 'ok';
    case 'date':
      return typeof a === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(a) ? 'ok' : 'expected a date YYYY-MM-DD';
  }
}

/**
 * Completeness per section (missing and invalid answers named) and the red flags the answers raise, each citing its
 * source and whether that source is verified.
 *
 * @example
 * assessDueDiligence(questionnaire, { id: 'dd-1', applicationId: 'a-1', answers: { marketing_stresses_covert: true } });
 * // => { complete: false, sections: [{ id: 'classification', missing: [...] }, ...], redFlags: [{ id: 'covert_capabilities_marketing', ... }] }
 */
export function assessDueDiligence(
  questionnaire: DueDiligenceQuestionnaire,
  record: DueDiligenceRecord,
): DueDiligenceAssessment {
  const answers = record.answers;
  const known = new Set<string>();
  const sections = questionnaire.sections.map((s) => {
    const missing: { questionId: string; text: string }[] = [];
    const invalid: { questionId: string; message: string }[] = [];
    let requiredCount = 0;
    let answeredCount = 0;
    for (const q of s.questions) {
      known.add(q.id);
      const required = q.required === true || (q.requiredIf !== undefined && holds(q.requiredIf, answers));
      const state = checkAnswer(q, answers[q.id]);
      if (required) requiredCount++;
      if (state === 'ok') answeredCount++;
      else if (state === 'missing') {
        if (required) missing.push({ questionId: q.id, text: q.text });
      } else invalid.push({ questionId: q.id, message: state });
    }
    return {
      id: s.id,
      title: s.title,
      complete: missing.length === 0 && invalid.length === 0,
      answeredCount,
      requiredCount,
      missing,
      invalid,
    };
  });
  const redFlags = questionnaire.redFlags
    .filter((f) => f.when.some((c) => holds(c, answers)) && (f.andWhen ?? []).every((c) => holds(c, answers)))
    .map((f) => ({
      id: f.id,
      text: f.text,
      source: f.source,
      verified: f.verified,
      triggeredBy: [...f.when.filter((c) => holds(c, answers)), ...(f.andWhen ?? [])].map((c) => ({
        questionId: c.question,
        answer: answers[c.question],
      })),
    }));
  const complete = sections.every((s) => s.complete);
  const incomplete = sections.filter((s) => !s.complete).map((s) => s.id);
  return {
    recordId: record.id,
    questionnaireVersion: questionnaire.version,
    complete,
    sections,
    redFlags,
    unknownAnswers: Object.keys(answers).filter((k) => !known.has(k)),
    summary:
      `${complete ? 'Complete' : `Incomplete (${incomplete.join(', ')})`}; ` +
      `${redFlags.length} red flag(s)${redFlags.length ? `: ${redFlags.map((f) => f.id).join(', ')}` : ''}.`,
  };
}

export const ICP_ANSWERS = ['yes', 'partly', 'no', 'not_applicable'] as const;
export type IcpAnswer = (typeof ICP_ANSWERS)[number];

export const icpSelfAssessmentSchema = z
  .object({
    version: z.string().min(1),
    title: z.string(),
    source: z.string().min(1),
    elements: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z_]+$/),
            title: z.string(),
            questions: z
              .array(z.object({ id: z.string().regex(/^[a-z_]+$/), text: z.string().min(1) }).strict())
              .min(1),
          })
          .strict(),
      )
      .length(7, 'Recommendation 2019/1318 has seven core elements'),
  })
  .strict();
export type IcpSelfAssessmentDefinition = z.infer<typeof icpSelfAssessmentSchema>;

/**
 * Parse policy/workflow/icp-self-assessment.yaml (exactly seven elements).
 *
 * @example
 * const icp = parseIcpSelfAssessment(text, 'policy/workflow/icp-self-assessment.yaml');
 */
export function parseIcpSelfAssessment(text: string, sourceName: string): IcpSelfAssessmentDefinition {
  const d = parsePolicyText(text, sourceName, icpSelfAssessmentSchema);
  const ids = new Set<string>();
  d.elements.forEach((e, i) =>
    e.questions.forEach((q, j) => {
      if (ids.has(q.id))
        failPolicy(sourceName, `elements.${i}.questions.${j}.id`, `duplicate question ${q.id}`);
      ids.add(q.id);
    }),
  );
  return d;
}

const ANSWER_SCORE: Record<IcpAnswer, number | null> = { yes: 1, partly: 0.5, no: 0, not_applicable: null };

/**
 * Score an organisation's ICP self-assessment per element (yes = 1, partly = 0.5, no = 0; not applicable left out),
 * name the unanswered questions and the gaps, and list elements below `threshold01`.
 *
 * @example
 * assessIcp(icp, { written_commitment: 'yes', training_programme: 'no' });
 * // => { complete: false, overallScore01: ..., elements: [{ id: 'management_commitment', score01: 1, missing: [...] }, ...] }
 */
export function assessIcp(
  definition: IcpSelfAssessmentDefinition,
  answers: Readonly<Record<string, IcpAnswer | undefined>>,
  options: { threshold01?: number } = {},
): {
  definitionVersion: string;
  complete: boolean;
  overallScore01: number | null;
  elements: {
    id: string;
    title: string;
    score01: number | null;
    missing: string[];
    gaps: { questionId: string; text: string; answer: IcpAnswer }[];
    invalid: string[];
  }[];
  elementsBelowThreshold: string[];
  summary: string;
} {
  const threshold = options.threshold01 ?? 0.5;
  const elements = definition.elements.map((e) => {
    const missing: string[] = [];
    const invalid: string[] = [];
    const gaps: { questionId: string; text: string; answer: IcpAnswer }[] = [];
    const scores: number[] = [];
    for (const q of e.questions) {
      const a = answers[q.id];
      if (a === undefined) missing.push(q.id);
      else if (!(ICP_ANSWERS as readonly string[]).includes(a)) invalid.push(q.id);
      else {
        const s = ANSWER_SCORE[a];
        if (s !== null) scores.push(s);
        if (a === 'no' || a === 'partly') gaps.push({ questionId: q.id, text: q.text, answer: a });
      }
    }
    const score01 = scores.length === 0 ? null : scores.reduce((x, y) => x + y, 0) / scores.length;
    return { id: e.id, title: e.title, score01, missing, gaps, invalid };
  });
  const scored = elements.filter((e) => e.score01 !== null).map((e) => e.score01 as number);
  const overallScore01 = scored.length === 0 ? null : scored.reduce((x, y) => x + y, 0) / scored.length;
  const elementsBelowThreshold = elements
    .filter((e) => e.score01 !== null && e.score01 < threshold)
    .map((e) => e.id);
  const complete = elements.every((e) => e.missing.length === 0 && e.invalid.length === 0);
  return {
    definitionVersion: definition.version,
    complete,
    overallScore01,
    elements,
    elementsBelowThreshold,
    summary: `${complete ? 'Complete' : 'Incomplete'}; overall ${overallScore01 === null ? 'n/a' : overallScore01.toFixed(2)}; below ${threshold}: ${elementsBelowThreshold.join(', ') || 'none'}.`,
  };
}
