/**
 * The exporter's due-diligence questionnaire (policy/workflow/due-diligence.yaml) as a portal form: one field per
 * question by its type, the answers read back from the form, and the record's completeness and red flags. The
 * questions and red flags are the authority's policy, written in English: marked lang="en" on other pages.
 */
import type { DueDiligenceAssessment, DueDiligenceQuestionnaire } from '../../engines/workflow/index.ts';
import { englishText } from './components.ts';
import { radioGroup, selectField, textArea, textField, type FormState } from './forms.ts';
import { html, type SafeHtml } from './html.ts';
import type { Translate } from './i18n.ts';

type Question = DueDiligenceQuestionnaire['sections'][number]['questions'][number];

/** The form field of a question (question ids are `[a-z0-9_]+`, so no other field can take the name). */
export const answerField = (questionId: string): string => `q.${questionId}`;

const questionsOf = (q: DueDiligenceQuestionnaire): Question[] => q.sections.flatMap((s) => s.questions);

/** A stored record's answers as the form shows them: yes/no as true/false, a list one entry per line. */
export function answersToForm(
  questionnaire: DueDiligenceQuestionnaire,
  answers: Readonly<Record<string, unknown>>,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const q of questionsOf(questionnaire)) {
    const a = answers[q.id];
    if (a === undefined || a === null) continue;
    values[answerField(q.id)] = Array.isArray(a) ? a.map(String).join('\n') : String(a);
  }
  return values;
}

/**
 * The answers a submitted form gives, by question type; a field left empty is no answer (the record may be
 * incomplete). A yes/no field that is neither is passed on as typed, so that the service refuses it by name.
 */
export function formToAnswers(
  questionnaire: DueDiligenceQuestionnaire,
  values: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const q of questionsOf(questionnaire)) {
    const raw = (values[answerField(q.id)] ?? '').trim();
    if (raw === '') continue;
    switch (q.type) {
      case 'yes_no':
        answers[q.id] = raw === 'true' ? true : raw === 'false' ? false : raw;
        break;
      case 'list': {
        const entries = raw
          .split(/\r?\n/)
          .map((x) => x.trim())
          .filter((x) => x !== '');
        if (entries.length > 0) answers[q.id] = entries;
        break;
      }
      default:
        answers[q.id] = raw;
    }
  }
  return answers;
}

function questionField(t: Translate, q: Question, form: FormState): SafeHtml {
  const name = answerField(q.id);
  const label = englishText(q.text);
  const conditional = q.required !== true && q.requiredIf !== undefined;
  const hintOf = (own?: string): string | undefined =>
    [own, conditional ? t('diligence.requiredIfAnswered') : undefined].filter(Boolean).join(' ') || undefined;
  switch (q.type) {
    case 'yes_no':
      return radioGroup(t, {
        name,
        label,
        hint: hintOf(),
        form,
        inline: true,
        options: [
          { value: 'true', label: t('common.yes') },
          { value: 'false', label: t('common.no') },
        ],
      });
    case 'choice':
      return selectField(t, {
        name,
        label,
        hint: hintOf(),
        form,
        placeholder: t('common.choose'),
        options: (q.options ?? []).map((o) => ({ value: o, label: o.replace(/_/g, ' ') })),
      });
    case 'list':
      return textArea(t, { name, label, hint: hintOf(t('diligence.listHint')), form, rows: 3 });
    case 'date':
      return textField(t, { name, label, hint: hintOf(t('diligence.dateHint')), form, width: 'short' });
    case 'text':
      return textArea(t, { name, label, hint: hintOf(), form, rows: 3 });
  }
}

/** The labels the error summary links to, by field. */
export function diligenceLabels(questionnaire: DueDiligenceQuestionnaire): Record<string, SafeHtml> {
  return Object.fromEntries(questionsOf(questionnaire).map((q) => [answerField(q.id), englishText(q.text)]));
}

/** Every section's questions as fields (the caller wraps them in its form). */
export function diligenceFields(
  t: Translate,
  questionnaire: DueDiligenceQuestionnaire,
  form: FormState,
): SafeHtml {
  return html`${questionnaire.sections.map(
    (s) =>
      html`<section class="diligence-section" aria-labelledby="dd-${s.id}">
        <h2 id="dd-${s.id}" lang="en">${s.title}</h2>
        ${s.note ? html`<p class="hint" lang="en">${s.note}</p>` : ''}
        ${s.questions.map((q) => questionField(t, q, form))}
      </section>`,
  )}`;
}

/** Completeness (with the count of missing answers) and the red flags of a stored record. */
export function diligenceSummary(t: Translate, assessment: DueDiligenceAssessment): SafeHtml {
  const missing = assessment.sections.reduce((n, s) => n + s.missing.length + s.invalid.length, 0);
  return html`<p>
      ${assessment.complete ? t('diligence.complete') : t('diligence.incomplete', { n: missing })}
    </p>
    ${
      assessment.redFlags.length
        ? html`<h3>${t('diligence.redFlags')}</h3>
            <ul class="red-flags">
              ${assessment.redFlags.map((f) => html`<li lang="en">${f.text}</li>`)}
            </ul>`
        : html`<p>${t('diligence.noRedFlags')}</p>`
    }`;
}
