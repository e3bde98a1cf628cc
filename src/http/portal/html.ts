/**
 * The portal's template layer: an `html` tagged template whose interpolations are escaped unless they are already
 * SafeHtml, so markup is never built by string concatenation of untrusted text.
 */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Markup that is known to be safe: produced by `html` or explicitly trusted with `trustedHtml`. */
export class SafeHtml {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

/** What a template may interpolate: text (escaped), numbers, safe markup, lists of them; null/undefined/false render nothing. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map((v: HtmlValue) => render(v)).join('');
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return escapeHtml(String(value));
}

/**
 * Build markup: every interpolated value is escaped (attributes too, quotes included).
 * @example html`<p title="${userText}">${userText}</p>`
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Trust a constant string of markup written in this code base (never user input). */
export const trustedHtml = (markup: string): SafeHtml => new SafeHtml(markup);

/** Join safe fragments with a safe separator. */
export const joinHtml = (parts: readonly SafeHtml[], separator: SafeHtml = new SafeHtml('')): SafeHtml =>
  new SafeHtml(parts.map((p) => p.value).join(separator.value));

/** A URL safe to put in an href: relative paths and http(s) only, so `javascript:` never reaches a link. */
export function safeUrl(url: string): string {
  if (url.startsWith('/') && !url.startsWith('//')) return url;
  if (/^https?:\/\//i.test(url)) return url;
  return '#';
}
