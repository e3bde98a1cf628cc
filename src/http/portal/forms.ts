/**
 * Form components following the GOV.UK Frontend patterns: a label, a hint and the error beside each field, an error
 * summary at the top linking to the fields, and the values the user typed kept on a failed submission.
 */
import { isDomainError, type DomainError, type FieldIssue } from '../../domain/errors.ts';
import { html, type SafeHtml } from './html.ts';
import type { Translate } from './i18n.ts';

/** Values as typed (strings) and the error message of each field that failed. */
export interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
}

export const emptyForm = (values: Record<string, string> = {}): FormState => ({ values, errors: {} });

/** The form body as strings (formbody gives strings, or arrays for repeated names: the last one wins). */
export function formValues(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      if (k === '_csrf') continue;
      const value = Array.isArray(v) ? v[v.length - 1] : v;
      if (typeof value === 'string') out[k] = value;
    }
  }
  return out;
}

/** Every value sent under one name (checkboxes: none, one or several), in the order sent. */
export function formList(body: unknown, name: string): string[] {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter(
    (x): x is string => typeof x === 'string',
  );
}

export const fieldId = (name: string): string => `f-${name.replace(/[^\w-]/g, '-')}`;

/** An issue in the page's language when it has a code (`issue.<code>`), else the service's English message. */
export const issueText = (t: Translate, issue: FieldIssue): string =>
  issue.code ? t(`issue.${issue.code}`, issue.params) : issue.message;

/** A refusal in the page's language when it is of a known kind (`reason.<code>`), else the service's English message. */
export const refusalText = (t: Translate, error: DomainError): string =>
  error.reason ? t(`reason.${error.reason}`) : error.message;

/**
 * Map a service's INVALID error to form fields: an issue's first path segment names the field (`lines.0.quantity`
 * goes to `lines`, unless `map` says otherwise). Issues without a known field go to `fallback`. Messages are in the
 * page's language where the issue has a code (`issueText`).
 */
export function errorsFromDomain(
  t: Translate,
  error: DomainError,
  fields: readonly string[],
  fallback: string,
  map: Record<string, string> = {},
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const mapped = map[issue.path] ?? map[issue.path.split('.')[0]!] ?? issue.path.split('.')[0]!;
    const field = fields.includes(mapped) ? mapped : fallback;
    errors[field] ??= issueText(t, issue);
  }
  if (Object.keys(errors).length === 0) errors[fallback] = refusalText(t, error);
  return errors;
}

/** True when an error is the service refusing the input (shown on the form), not a failure. */
export const isInputError = (e: unknown): e is DomainError =>
  isDomainError(e) && (e.code === 'INVALID' || e.code === 'CONFLICT' || e.code === 'TOO_LARGE');

export function errorSummary(
  t: Translate,
  form: FormState,
  labels: Record<string, string | SafeHtml>,
): SafeHtml {
  const entries = Object.entries(form.errors);
  if (entries.length === 0) return html``;
  return html`<div
    class="error-summary"
    role="alert"
    tabindex="-1"
    aria-labelledby="error-summary-title"
    data-focus-on-load
  >
    <h2 id="error-summary-title">${t('form.errorSummaryTitle')}</h2>
    <ul>
      ${entries.map(([name, message]) => html`<li><a href="#${fieldId(name)}">${labels[name] ?? name}: ${message}</a></li>`)}
    </ul>
  </div>`;
}

interface FieldBase {
  name: string;
  /** Text, or markup (a policy's English question inside a French page, marked lang="en"). */
  label: string | SafeHtml;
  hint?: string;
  form: FormState;
  required?: boolean;
}

function describedBy(f: FieldBase): string | undefined {
  const ids = [
    f.hint ? `${fieldId(f.name)}-hint` : '',
    f.form.errors[f.name] ? `${fieldId(f.name)}-error` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return ids || undefined;
}

function fieldMeta(t: Translate, f: FieldBase): SafeHtml {
  const err = f.form.errors[f.name];
  return html`${f.hint ? html`<div class="hint" id="${fieldId(f.name)}-hint">${f.hint}</div>` : ''}${
    err
      ? html`<p class="field-error" id="${fieldId(f.name)}-error">
          <span class="visually-hidden">${t('form.errorPrefix')}</span> ${err}
        </p>`
      : ''
  }`;
}

const groupClass = (f: FieldBase): string =>
  f.form.errors[f.name] ? 'form-group form-group-error' : 'form-group';

export function textField(
  t: Translate,
  f: FieldBase & {
    type?: 'text' | 'email' | 'password' | 'number';
    autocomplete?: string;
    inputmode?: string;
    width?: 'short' | 'full';
  },
): SafeHtml {
  const d = describedBy(f);
  return html`<div class="${groupClass(f)}">
    <label class="label" for="${fieldId(f.name)}">${f.label}</label>
    ${fieldMeta(t, f)}
    <input
      class="input${f.width === 'short' ? ' input-short' : ''}${f.form.errors[f.name] ? ' input-error' : ''}"
      id="${fieldId(f.name)}"
      name="${f.name}"
      type="${f.type ?? 'text'}"
      value="${f.type === 'password' ? '' : (f.form.values[f.name] ?? '')}"
      ${f.autocomplete ? html` autocomplete="${f.autocomplete}"` : ''}${f.inputmode ? html` inputmode="${f.inputmode}"` : ''}${f.type === 'number' ? html` step="any"` : ''}${f.required ? html` required aria-required="true"` : ''}${d ? html` aria-describedby="${d}"` : ''}${f.form.errors[f.name] ? html` aria-invalid="true"` : ''}
    />
  </div>`;
}

export function textArea(t: Translate, f: FieldBase & { rows?: number }): SafeHtml {
  const d = describedBy(f);
  return html`<div class="${groupClass(f)}">
    <label class="label" for="${fieldId(f.name)}">${f.label}</label>
    ${fieldMeta(t, f)}
    <textarea
      class="textarea${f.form.errors[f.name] ? ' input-error' : ''}"
      id="${fieldId(f.name)}"
      name="${f.name}"
      rows="${f.rows ?? 4}"
      ${d ? html` aria-describedby="${d}"` : ''}${f.form.errors[f.name] ? html` aria-invalid="true"` : ''}
    >
${f.form.values[f.name] ?? ''}</textarea>
  </div>`;
}

export interface Option {
  value: string;
  label: string;
}

export function selectField(
  t: Translate,
  f: FieldBase & { options: Option[]; placeholder?: string },
): SafeHtml {
  const d = describedBy(f);
  const current = f.form.values[f.name] ?? '';
  return html`<div class="${groupClass(f)}">
    <label class="label" for="${fieldId(f.name)}">${f.label}</label>
    ${fieldMeta(t, f)}
    <select
      class="select${f.form.errors[f.name] ? ' input-error' : ''}"
      id="${fieldId(f.name)}"
      name="${f.name}"
      ${d ? html` aria-describedby="${d}"` : ''}${f.form.errors[f.name] ? html` aria-invalid="true"` : ''}
    >
      ${f.placeholder !== undefined ? html`<option value="">${f.placeholder}</option>` : ''}
      ${f.options.map((o) => html`<option value="${o.value}" ${o.value === current ? html` selected` : ''}>${o.label}</option>`)}
    </select>
  </div>`;
}

/** A group of radios in a fieldset; the first radio carries the field id so the error summary can link to it. */
export function radioGroup(
  t: Translate,
  f: FieldBase & { options: Option[]; inline?: boolean; legendClass?: string },
): SafeHtml {
  const d = describedBy(f);
  const current = f.form.values[f.name] ?? '';
  return html`<div class="${groupClass(f)}">
    <fieldset class="fieldset" ${d ? html` aria-describedby="${d}"` : ''}>
      <legend class="${f.legendClass ?? 'legend'}">${f.label}</legend>
      ${fieldMeta(t, f)}
      <div class="radios${f.inline ? ' radios-inline' : ''}">
        ${f.options.map(
          (o, i) =>
            html`<div class="radio">
              <input
                class="radio-input"
                type="radio"
                id="${i === 0 ? fieldId(f.name) : `${fieldId(f.name)}-${i}`}"
                name="${f.name}"
                value="${o.value}"
                ${o.value === current ? html` checked` : ''}
              />
              <label class="radio-label" for="${i === 0 ? fieldId(f.name) : `${fieldId(f.name)}-${i}`}"
                >${o.label}</label
              >
            </div>`,
        )}
      </div>
    </fieldset>
  </div>`;
}

/**
 * A group of checkboxes sharing one name (the form sends every checked value); the first carries the field id so the
 * error summary can link to it.
 */
export function checkboxGroup(
  t: Translate,
  f: FieldBase & { options: Option[]; checked: ReadonlySet<string> },
): SafeHtml {
  const d = describedBy(f);
  return html`<div class="${groupClass(f)}">
    <fieldset class="fieldset" ${d ? html` aria-describedby="${d}"` : ''}>
      <legend class="legend">${f.label}</legend>
      ${fieldMeta(t, f)}
      <div class="checkboxes">
        ${f.options.map((o, i) => {
          const id = i === 0 ? fieldId(f.name) : `${fieldId(f.name)}-${i}`;
          return html`<div class="checkbox">
            <input
              class="checkbox-input"
              type="checkbox"
              id="${id}"
              name="${f.name}"
              value="${o.value}"
              ${f.checked.has(o.value) ? html` checked` : ''}
            />
            <label class="checkbox-label" for="${id}">${o.label}</label>
          </div>`;
        })}
      </div>
    </fieldset>
  </div>`;
}

export function fileField(t: Translate, f: FieldBase & { accept?: string }): SafeHtml {
  const d = describedBy(f);
  return html`<div class="${groupClass(f)}">
    <label class="label" for="${fieldId(f.name)}">${f.label}</label>
    ${fieldMeta(t, f)}
    <input
      class="file-upload${f.form.errors[f.name] ? ' input-error' : ''}"
      id="${fieldId(f.name)}"
      name="${f.name}"
      type="file"
      ${f.accept ? html` accept="${f.accept}"` : ''}${d ? html` aria-describedby="${d}"` : ''}${f.form.errors[f.name] ? html` aria-invalid="true"` : ''}
    />
  </div>`;
}

export const submitButton = (
  label: string,
  opts: { secondary?: boolean; name?: string; value?: string; formaction?: string } = {},
): SafeHtml =>
  html`<button
    type="submit"
    class="button${opts.secondary ? ' button-secondary' : ''}"
    ${opts.name ? html` name="${opts.name}" value="${opts.value ?? ''}"` : ''}${opts.formaction ? html` formaction="${opts.formaction}"` : ''}
  >
    ${label}
  </button>`;
