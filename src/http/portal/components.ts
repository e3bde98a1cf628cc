/** Page components shared by the portal's workspaces and public pages: pagination, tables, status filters. */
import type { ApplicationStatus, ApplicationTransition } from '../../domain/model.ts';
import { selectField, type FormState } from './forms.ts';
import { html, type HtmlValue, type SafeHtml } from './html.ts';
import { labelOf, type Translate } from './i18n.ts';
import { APPLICATION_STATUSES } from './vocabulary.ts';

/**
 * A text the engines or policies write in English (reasons, conclusions, questions, titles), marked as such inside a
 * page in another language (WCAG 3.1.2, language of parts). Harmless on an English page.
 */
export const englishText = (text: string): SafeHtml => html`<span lang="en">${text}</span>`;

/** Previous/next links with "page n of m"; nothing when everything fits on one page. */
export function pagination(
  t: Translate,
  page: number,
  pages: number,
  hrefOf: (page: number) => string,
): SafeHtml {
  if (pages <= 1) return html``;
  return html`<nav class="pagination" aria-label="${t('common.pagination')}">
    <p>${t('common.pageOf', { page, pages })}</p>
    <ul>
      ${page > 1 ? html`<li><a href="${hrefOf(page - 1)}" rel="prev">${t('common.previous')}</a></li>` : ''}
      ${page < pages ? html`<li><a href="${hrefOf(page + 1)}" rel="next">${t('common.next')}</a></li>` : ''}
    </ul>
  </nav>`;
}

/** Pagination for the workspace lists: `base?page=n` followed by `extra` (already-encoded `&k=v` pairs). */
export const pager = (
  t: Translate,
  base: string,
  page: number,
  total: number,
  pageSize: number,
  extra = '',
): SafeHtml =>
  pagination(t, page, Math.max(1, Math.ceil(total / pageSize)), (n) => `${base}?page=${n}${extra}`);

/** A data table with a visually hidden caption and one header row of column headings. */
export const dataTable = (
  caption: string,
  headings: readonly HtmlValue[],
  rows: readonly SafeHtml[],
): SafeHtml =>
  html`<table class="table">
    <caption class="visually-hidden">
      ${caption}
    </caption>
    <thead>
      <tr>
        ${headings.map((h) => html`<th scope="col">${h}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;

/** The `status` query parameter when it names an application status, else undefined (no filter). */
export const statusQuery = (query: unknown): ApplicationStatus | undefined => {
  const s = (query as { status?: unknown } | undefined)?.status;
  return (APPLICATION_STATUSES as readonly unknown[]).includes(s) ? (s as ApplicationStatus) : undefined;
};

/** The status filter of the application lists: any status, one, or (`withOpen`) every open one. */
export const statusFilterField = (t: Translate, form: FormState, o: { withOpen?: boolean } = {}): SafeHtml =>
  selectField(t, {
    name: 'status',
    label: t('application.status'),
    form,
    placeholder: t('common.any'),
    options: [
      ...(o.withOpen ? [{ value: 'open', label: t('queue.open') }] : []),
      ...APPLICATION_STATUSES.map((s) => ({ value: s, label: labelOf(t, 'status', s) })),
    ],
  });

/** An application's status history: when, from, to and the reason of each transition. */
export const statusHistoryTable = (
  t: Translate,
  caption: string,
  headings: readonly [string, string, string, string],
  history: readonly ApplicationTransition[],
): SafeHtml =>
  dataTable(
    caption,
    headings,
    history.map(
      (h) =>
        html`<tr>
          <td>${h.at.slice(0, 16).replace('T', ' ')}</td>
          <td>${h.fromStatus ? labelOf(t, 'status', h.fromStatus) : '—'}</td>
          <td>${labelOf(t, 'status', h.toStatus)}</td>
          <td>${h.reason ?? ''}</td>
        </tr>`,
    ),
  );

/** A case's deadlines (the authority's and the exporter's): kind, start, due date, and the working days left or overdue. */
export function deadlinesTable(
  t: Translate,
  caption: string,
  deadlines: readonly {
    kind: string;
    who: string;
    startedOn: string;
    dueOn: string;
    open: boolean;
    overdue: boolean;
    remainingWorkingDays: number | null;
  }[],
): SafeHtml {
  return html`<table class="table">
    <caption class="visually-hidden">
      ${caption}
    </caption>
    <thead>
      <tr>
        <th scope="col">${t('deadlines.kind')}</th>
        <th scope="col">${t('deadlines.started')}</th>
        <th scope="col">${t('deadlines.due')}</th>
        <th scope="col">${t('deadlines.state')}</th>
      </tr>
    </thead>
    <tbody>
      ${deadlines.map(
        (d) =>
          html`<tr>
            <th scope="row">${englishText(d.kind.replace(/_/g, ' '))} (${englishText(d.who)})</th>
            <td>${d.startedOn}</td>
            <td>${d.dueOn}</td>
            <td>
              ${
                !d.open
                  ? t('deadlines.closed')
                  : d.overdue
                    ? html`<strong class="tag">${t('deadlines.overdue')}</strong>`
                    : t('deadlines.remaining', { n: d.remainingWorkingDays ?? 0 })
              }
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}
