/**
 * Public transparency pages: the register (search, filters, sorting, pagination in the query string) and one page per
 * application, the published reports with their charts and downloads, the evidence submission form and the public
 * list of accepted evidence. Data comes only from the publication and evidence services, which already redact.
 */
import type { FastifyReply } from 'fastify';
import { EVIDENCE_TYPES, PARTY_TYPES } from '../../domain/model.ts';
import { REGISTER_DECISIONS } from '../../domain/reporting.ts';
import { DomainError, isDomainError } from '../../domain/errors.ts';
import { uploadFault } from '../uploads.ts';
import type {
  AggregateTable,
  PublicRegisterRow,
  TransparencyReport,
} from '../../engines/reporting/report-model.ts';
import { OTHER_KEY } from '../../engines/reporting/aggregate-table.ts';
import {
  renderBarChartSvg,
  renderTrendChartSvg,
  renderWorldMapSvg,
} from '../../engines/reporting/svg-charts.ts';
import type { ServiceContext } from '../../services/context.ts';
import { listPublicEvidence, submitEvidence } from '../../services/evidence.service.ts';
import { csrfMatches } from '../../services/identity.service.ts';
import {
  getPublicRegisterEntry,
  getPublishedFile,
  latestPublishedRevision,
  listPublicRegister,
  listPublishedReports,
} from '../../services/publication.service.ts';
import { EVIDENCE_SUBMISSIONS_PER_MINUTE } from '../routes/evidence.routes.ts';
import type { TypedApp } from '../routes/types.ts';
import {
  emptyForm,
  errorSummary,
  errorsFromDomain,
  fileField,
  isInputError,
  selectField,
  submitButton,
  textArea,
  textField,
  type FormState,
} from './forms.ts';
import { englishText, pagination } from './components.ts';
import { html, safeUrl, trustedHtml, type SafeHtml } from './html.ts';
import { labelOf, type MessageKey, type Translate } from './i18n.ts';
import { csrfField, pageContext, redirectWithFlash, sendPage, type PageContext } from './page.ts';

export const REGISTER_PAGE_SIZE = 25;
export const EVIDENCE_PAGE_SIZE = 20;
const REGISTER_FILTERS = [
  'q',
  'destination',
  'controlEntry',
  'decision',
  'period',
  'endUserType',
  'sort',
] as const;
const REGISTER_SORTS = [
  '-decidedOn',
  'decidedOn',
  '-receivedOn',
  'receivedOn',
  'reference',
  '-reference',
  '-valueEur',
  'valueEur',
] as const;

const str = (v: unknown): string =>
  typeof v === 'string' ? v : Array.isArray(v) ? String(v.at(-1) ?? '') : '';
const dash = (v: unknown): string => (v === null || v === undefined || v === '' ? '—' : String(v));
const pageNumber = (v: unknown): number => {
  const n = Number.parseInt(str(v), 10);
  return Number.isFinite(n) && n >= 1 && n <= 100_000 ? n : 1;
};

function fmtEur(locale: string, v: number | null | undefined): string {
  return typeof v === 'number'
    ? new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 0 }).format(v)
    : '—';
}

/** A query string of the non-empty values, for shareable links (pagination, sorting). */
function queryOf(values: Record<string, string>, extra: Record<string, string | number> = {}): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...values, ...extra })) if (String(v) !== '') qs.set(k, String(v));
  const s = qs.toString();
  return s ? `?${s}` : '';
}

const decisionLabel = (t: Translate, d: string | null | undefined): string =>
  d ? labelOf(t, 'public.decision', d) : '—';

/** Text an engine or the item vocabulary wrote in English, marked so on pages in another language (WCAG 3.1.2). */

const regionNames = new Map<string, Intl.DisplayNames>();
function regionName(locale: string, code: string): string | undefined {
  let names = regionNames.get(locale);
  if (!names) regionNames.set(locale, (names = new Intl.DisplayNames([locale], { type: 'region' })));
  try {
    const name = names.of(code);
    return name && name !== code ? name : undefined;
  } catch {
    return undefined; // not a region code
  }
}

/**
 * A report table row's label in the page's language: the engine writes English labels, so codes it groups by
 * (decision, destination, end-user type, control entry) are labelled from the catalogues here; a label the page
 * cannot translate is kept in English and marked with lang="en".
 */
export function rowLabel(
  t: Translate,
  locale: string,
  table: AggregateTable,
  row: AggregateTable['rows'][number],
): { text: string; html: SafeHtml } {
  const plain = (text: string) => ({ text, html: html`${text}` });
  const k = row.key[0] ?? '';
  if (k === OTHER_KEY) return plain(t('public.report.otherGroups', { n: row.mergedCells }));
  if (row.key.length === 1) {
    if (table.id === 'byDecision' && (REGISTER_DECISIONS as readonly string[]).includes(k))
      return plain(decisionLabel(t, k));
    if (table.id === 'byDestination') {
      const name = regionName(locale, k);
      if (name) return plain(`${name} (${k})`);
    }
    if (table.id === 'byEndUserType' && (PARTY_TYPES as readonly string[]).includes(k))
      return plain(labelOf(t, 'partyType', k));
    if (table.id === 'byControlEntry') return plain(k === 'not-listed' ? t('public.report.notListed') : k); // an entry code reads the same in every language
  }
  return { text: row.label, html: englishText(row.label) };
}

function aggregateTable(
  t: Translate,
  id: string,
  caption: string,
  table: AggregateTable,
  locale: string,
): SafeHtml {
  if (table.suppressed) return html`<p id="${id}">${caption}: ${t('public.report.suppressed')}</p>`;
  return html`<table class="table" id="${id}">
    <caption class="caption">
      ${caption}
    </caption>
    <thead>
      <tr>
        <th scope="col">${t('public.report.category')}</th>
        <th scope="col" class="num">${t('public.report.applications')}</th>
        <th scope="col" class="num">${t('public.register.value')}</th>
      </tr>
    </thead>
    <tbody>
      ${table.rows.map(
        (r) =>
          html`<tr>
            <th scope="row">${rowLabel(t, locale, table, r).html}</th>
            <td class="num">${r.applications}</td>
            <td class="num">${fmtEur(locale, r.valueEur)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function registerPublicTransparencyPages(app: TypedApp, ctx: ServiceContext): void {
  const hide = { schema: { hide: true } };

  // ---------------- register ----------------

  app.get('/register', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    const { t } = p;
    const raw = req.query as Record<string, unknown>;
    const values: Record<string, string> = {};
    for (const k of REGISTER_FILTERS) values[k] = str(raw[k]).trim().slice(0, 200);
    const page = pageNumber(raw.page);
    const query: Record<string, unknown> = {
      limit: REGISTER_PAGE_SIZE,
      offset: (page - 1) * REGISTER_PAGE_SIZE,
    };
    for (const k of REGISTER_FILTERS) if (values[k]) query[k] = values[k];
    const form: FormState = { values, errors: {} };
    let result: Awaited<ReturnType<typeof listPublicRegister>> | undefined;
    try {
      result = await listPublicRegister(ctx, query);
    } catch (e) {
      if (!isInputError(e)) throw e;
      // zod issues name their field; the only unnamed refusal is a period the engine cannot read
      form.errors = errorsFromDomain(p.t, e, [...REGISTER_FILTERS], values.period ? 'period' : 'q');
      if (form.errors.period && !e.issues.some((i) => i.path === 'period'))
        form.errors.period = t('public.register.periodInvalid');
    }
    const labels: Record<string, string> = {
      q: t('public.register.search'),
      destination: t('public.register.destination'),
      controlEntry: t('public.register.controlEntry'),
      decision: t('public.register.decision'),
      period: t('public.register.period'),
      endUserType: t('public.register.endUserType'),
      sort: t('public.register.sort'),
    };
    const pages = result ? Math.max(1, Math.ceil(result.total / REGISTER_PAGE_SIZE)) : 1;
    const rows = (result?.items ?? []) as unknown as PublicRegisterRow[];
    const status = Object.keys(form.errors).length ? 400 : 200;
    return sendPage(
      reply,
      p,
      {
        title: t('public.register.title'),
        errorCount: Object.keys(form.errors).length,
        body: html`${errorSummary(t, form, labels)}
          <h1>${t('public.register.title')}</h1>
          <p class="lead">${t('public.register.lead')}</p>
          <form
            method="get"
            action="/register"
            class="filters"
            role="search"
            aria-label="${t('public.register.searchForm')}"
          >
            ${textField(t, { name: 'q', label: labels.q!, hint: t('public.register.searchHint'), form, type: 'text' })}
            ${textField(t, { name: 'destination', label: labels.destination!, hint: t('public.register.destinationHint'), form, width: 'short', autocomplete: 'off' })}
            ${textField(t, { name: 'controlEntry', label: labels.controlEntry!, hint: t('public.register.controlEntryHint'), form, width: 'short' })}
            ${selectField(t, {
              name: 'decision',
              label: labels.decision!,
              form,
              placeholder: t('common.any'),
              options: REGISTER_DECISIONS.map((d) => ({ value: d, label: decisionLabel(t, d) })),
            })}
            ${textField(t, { name: 'period', label: labels.period!, hint: t('public.register.periodHint'), form, width: 'short' })}
            ${selectField(t, {
              name: 'endUserType',
              label: labels.endUserType!,
              form,
              placeholder: t('common.any'),
              options: PARTY_TYPES.map((v) => ({ value: v, label: labelOf(t, 'partyType', v) })),
            })}
            ${selectField(t, {
              name: 'sort',
              label: labels.sort!,
              form: { values: { sort: values.sort || '-decidedOn' }, errors: form.errors },
              options: REGISTER_SORTS.map((s) => ({
                value: s,
                label: t(`public.register.sort.${s}` as MessageKey),
              })),
            })}
            <div class="form-group">${submitButton(t('public.register.submit'))}</div>
          </form>
          <p><a href="/register">${t('public.register.clear')}</a></p>
          ${
            result
              ? html`<p id="result-count" class="meta">
                    ${t('public.register.count', { count: result.total })}
                  </p>
                  ${
                    rows.length
                      ? html`<div
                          class="scroll"
                          role="region"
                          aria-labelledby="register-caption"
                          tabindex="0"
                        >
                          <table class="table">
                            <caption class="caption" id="register-caption">
                              ${t('public.register.caption')}
                            </caption>
                            <thead>
                              <tr>
                                <th scope="col">${t('public.register.reference')}</th>
                                <th scope="col">${t('public.register.receivedOn')}</th>
                                <th scope="col">${t('public.register.decidedOn')}</th>
                                <th scope="col">${t('public.register.destination')}</th>
                                <th scope="col">${t('public.register.controlEntries')}</th>
                                <th scope="col">${t('public.register.decision')}</th>
                                <th scope="col" class="num">${t('public.register.value')}</th>
                              </tr>
                            </thead>
                            <tbody>
                              ${rows.map(
                                (r) =>
                                  html`<tr>
                                    <th scope="row" class="ref">
                                      ${r.reference ? html`<a href="/register/${encodeURIComponent(r.reference)}">${r.reference}</a>` : '—'}
                                    </th>
                                    <td class="date">${dash(r.receivedOn)}</td>
                                    <td class="date">${dash(r.decidedOn)}</td>
                                    <td>${dash(r.destinationCountry)}</td>
                                    <td>
                                      ${[...new Set(r.items.flatMap((i) => i.controlEntries ?? []))].join(', ') || '—'}
                                    </td>
                                    <td>${decisionLabel(t, r.decision)}</td>
                                    <td class="num">${fmtEur(p.locale, r.totalValueEur)}</td>
                                  </tr>`,
                              )}
                            </tbody>
                          </table>
                        </div>`
                      : html`<p>${t('public.register.none')}</p>`
                  }
                  ${pagination(t, page, pages, (n) => `/register${queryOf(values, { page: n })}`)}`
              : ''
          }
          <p>
            ${t('public.register.openData')} <a href="/api/register">/api/register</a> ·
            <a href="/reports">${t('nav.reports')}</a>
          </p>`,
      },
      status,
    );
  });

  app.get('/register/:reference', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    const { t } = p;
    const { reference } = req.params as { reference: string };
    if (reference.length > 80) throw new DomainError('NOT_FOUND', 'Register entry not found.');
    const r = (await getPublicRegisterEntry(ctx, reference)) as unknown as PublicRegisterRow;
    const yesNo = (v: boolean | null | undefined) =>
      v === null || v === undefined ? '—' : v ? t('common.yes') : t('common.no');
    const row = (label: string, value: string | SafeHtml) =>
      html`<div>
        <dt>${label}</dt>
        <dd>${value}</dd>
      </div>`;
    const title = t('public.entry.title', { reference: r.reference ?? reference });
    return sendPage(reply, p, {
      title,
      breadcrumbs: [{ href: '/register', label: t('public.register.title') }],
      body: html`<h1>${title}</h1>
        <dl class="summary-list">
          ${row(t('public.register.reference'), dash(r.reference))}
          ${row(t('public.entry.memberState'), dash(r.memberState))}
          ${row(t('public.register.receivedOn'), dash(r.receivedOn))}
          ${row(t('public.register.decidedOn'), dash(r.decidedOn))}
          ${row(t('public.entry.licenceType'), r.licenceType ? labelOf(t, 'licenceType', r.licenceType) : '—')}
          ${row(t('public.register.destination'), dash(r.destinationCountry))}
          ${row(t('public.register.decision'), decisionLabel(t, r.decision))}
          ${row(t('public.entry.cyberSurveillance'), yesNo(r.cyberSurveillance))}
          ${row(t('public.register.value'), fmtEur(p.locale, r.totalValueEur))}
          ${row(t('public.entry.criteria'), r.criteria?.length ? r.criteria.join(', ') : '—')}
          ${row(t('public.entry.rights'), r.rights?.length ? r.rights.join(', ') : '—')}
          ${row(t('public.entry.consulted'), yesNo(r.consulted))}
          ${row(t('public.entry.denialRelated'), yesNo(r.denialRelated))}
        </dl>
        <h2 id="items">${t('public.entry.items')}</h2>
        ${
          r.items.length
            ? html`<table class="table" aria-labelledby="items">
                <thead>
                  <tr>
                    <th scope="col">${t('public.entry.line')}</th>
                    <th scope="col">${t('public.register.controlEntries')}</th>
                    <th scope="col">${t('public.entry.category')}</th>
                    <th scope="col">${t('public.entry.description')}</th>
                    <th scope="col" class="num">${t('public.entry.quantity')}</th>
                    <th scope="col" class="num">${t('public.register.value')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${r.items.map(
                    (i) =>
                      html`<tr>
                        <th scope="row">${i.lineNo}</th>
                        <td>${i.controlEntries?.join(', ') || '—'}</td>
                        <td>
                          ${i.cyberSurveillanceCategory ? labelOf(t, 'public.category', i.cyberSurveillanceCategory) : '—'}
                        </td>
                        <td>${i.description ? englishText(i.description) : dash(i.descriptionCode)}</td>
                        <td class="num">
                          ${i.quantity === null ? '—' : `${i.quantity}${i.unit ? ` ${i.unit}` : ''}`}
                        </td>
                        <td class="num">${fmtEur(p.locale, i.valueEur)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
            : html`<p>—</p>`
        }
        <h2 id="parties">${t('public.entry.parties')}</h2>
        <p class="hint">${t('public.entry.partiesHint')}</p>
        ${
          r.parties.length
            ? html`<table class="table" aria-labelledby="parties">
                <thead>
                  <tr>
                    <th scope="col">${t('public.entry.role')}</th>
                    <th scope="col">${t('public.entry.partyType')}</th>
                    <th scope="col">${t('public.entry.sector')}</th>
                    <th scope="col">${t('public.entry.country')}</th>
                    <th scope="col">${t('public.entry.name')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${r.parties.map(
                    (x) =>
                      html`<tr>
                        <td>${x.role ? labelOf(t, 'role', x.role) : '—'}</td>
                        <td>${x.partyType ? labelOf(t, 'partyType', x.partyType) : '—'}</td>
                        <td>${x.sector ? labelOf(t, 'public.sector', x.sector) : '—'}</td>
                        <td>${dash(x.country)}</td>
                        <td>${x.name ?? t('public.entry.withheld')}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
            : html`<p>—</p>`
        }
        <p><a href="/api/register/${encodeURIComponent(reference)}">${t('public.entry.json')}</a></p>`,
    });
  });

  // ---------------- reports ----------------

  app.get('/reports', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    const { t } = p;
    const all = await listPublishedReports(ctx);
    const latest = new Map<string, (typeof all)[number]>();
    for (const r of all) if ((latest.get(r.periodId)?.revision ?? 0) < r.revision) latest.set(r.periodId, r);
    const reports = [...latest.values()].sort((a, b) => b.periodId.localeCompare(a.periodId));
    return sendPage(reply, p, {
      title: t('public.reports.title'),
      alternate: { href: '/reports/feed.atom', title: t('public.reports.feed') },
      body: html`<h1>${t('public.reports.title')}</h1>
        <p class="lead">${t('public.reports.lead')}</p>
        <p><a href="/reports/feed.atom" type="application/atom+xml">${t('public.reports.feed')}</a></p>
        ${
          reports.length
            ? html`<table class="table">
                <caption class="caption">
                  ${t('public.reports.caption')}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${t('public.reports.period')}</th>
                    <th scope="col">${t('public.reports.revision')}</th>
                    <th scope="col">${t('public.reports.publishedAt')}</th>
                    <th scope="col">${t('public.reports.summary')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${reports.map(
                    (r) =>
                      html`<tr>
                        <th scope="row"><a href="/reports/${r.periodId}">${r.periodId}</a></th>
                        <td>${r.revision}</td>
                        <td class="date">${r.publishedAt.slice(0, 10)}</td>
                        <td>${r.summary}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
            : html`<p>${t('public.reports.none')}</p>`
        }`,
    });
  });

  app.get('/reports/:period', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    const { t } = p;
    const { period } = req.params as { period: string };
    let revision: number;
    try {
      revision = await latestPublishedRevision(ctx, period);
    } catch (e) {
      if (isDomainError(e) && e.code === 'INVALID') throw new DomainError('NOT_FOUND', 'No such period.');
      throw e;
    }
    const file = await getPublishedFile(ctx, period, revision, 'report.json');
    const report = JSON.parse(Buffer.from(file.content).toString('utf8')) as TransparencyReport;
    const view = (await listPublishedReports(ctx)).find(
      (r) => r.periodId === file.periodId && r.revision === revision,
    );
    const files = view?.files ?? [];
    const title = t('public.report.title', { period: report.period.id });
    const dest = report.tables.byDestination;
    const counts = new Map(
      dest.rows.filter((r) => r.key[0] !== '_other').map((r) => [r.key[0]!, r.applications]),
    );
    const entries = report.tables.byControlEntry;
    const s = report.summary;
    const mapFigure = dest.suppressed
      ? html``
      : html`<figure>
          ${trustedHtml(
            renderWorldMapSvg(counts, {
              id: 'fig-map',
              title: t('public.report.mapTitle'),
              description: dest.rows
                .map((r) => `${rowLabel(t, p.locale, dest, r).text}: ${r.applications}`)
                .join('; '),
            }),
          )}
          <figcaption>
            ${t('public.report.mapTitle')}. <a href="#table-destinations">${t('public.report.dataTable')}</a>
          </figcaption>
        </figure>`;
    const barFigure = entries.suppressed
      ? html``
      : html`<figure>
          ${trustedHtml(
            renderBarChartSvg(
              entries.rows.map((r) => ({
                label: rowLabel(t, p.locale, entries, r).text,
                value: r.applications,
              })),
              {
                id: 'fig-bars',
                title: t('public.report.entriesTitle'),
                description: entries.rows
                  .map((r) => `${rowLabel(t, p.locale, entries, r).text}: ${r.applications}`)
                  .join('; '),
              },
            ),
          )}
          <figcaption>
            ${t('public.report.entriesTitle')}. <a href="#table-entries">${t('public.report.dataTable')}</a>
          </figcaption>
        </figure>`;
    const trendFigure = html`<figure>
      ${trustedHtml(
        renderTrendChartSvg(
          report.trends.map((x) => ({ label: x.period, value: x.applications })),
          {
            id: 'fig-trend',
            title: t('public.report.trendTitle'),
            description: report.trends.map((x) => `${x.period}: ${x.applications ?? '—'}`).join('; '),
          },
        ),
      )}
      <figcaption>
        ${t('public.report.trendTitle')}. <a href="#table-trend">${t('public.report.dataTable')}</a>
      </figcaption>
    </figure>`;
    return sendPage(reply, p, {
      title,
      alternate: { href: '/reports/feed.atom', title: t('public.reports.feed') },
      breadcrumbs: [{ href: '/reports', label: t('public.reports.title') }],
      body: html`<h1>${title}</h1>
        <p class="meta">
          ${t('public.report.meta', {
            authority: report.authority.name,
            revision: report.revision.number,
            date: report.publishedAt.slice(0, 10),
          })}
        </p>
        ${report.revision.note ? html`<p>${report.revision.note}</p>` : ''}
        <dl class="summary-list">
          <div>
            <dt>${t('public.report.applications')}</dt>
            <dd>${s.applications}</dd>
          </div>
          <div>
            <dt>${t('public.register.value')}</dt>
            <dd>${fmtEur(p.locale, s.valueEur)}</dd>
          </div>
          <div>
            <dt>${t('public.entry.cyberSurveillance')}</dt>
            <dd>${dash(s.cyberSurveillanceApplications)}</dd>
          </div>
          <div>
            <dt>${t('public.report.withheld')}</dt>
            <dd>${s.withheldByDelay}</dd>
          </div>
        </dl>
        <p>
          <a href="/register?period=${encodeURIComponent(report.period.id)}"
            >${t('public.report.registerLink')}</a
          >
        </p>
        <h2 id="downloads">${t('public.report.downloads')}</h2>
        <ul aria-labelledby="downloads">
          ${files.map(
            (f) =>
              html`<li>
                <a
                  href="/api/reports/${encodeURIComponent(file.periodId)}/${revision}/${encodeURIComponent(f.name)}"
                  download
                  >${f.name}</a
                >
                <span class="meta"
                  >(${f.mediaType},
                  ${t('public.report.size', { kb: Math.max(1, Math.round(f.sizeBytes / 1024)) })})</span
                >
              </li>`,
          )}
          <li><a href="/reports/feed.atom" type="application/atom+xml">${t('public.reports.feed')}</a></li>
        </ul>
        <h2>${t('public.report.mapTitle')}</h2>
        ${mapFigure} ${aggregateTable(t, 'table-destinations', t('public.report.mapTitle'), dest, p.locale)}
        <h2>${t('public.report.entriesTitle')}</h2>
        ${barFigure} ${aggregateTable(t, 'table-entries', t('public.report.entriesTitle'), entries, p.locale)}
        <h2>${t('public.report.decisionsTitle')}</h2>
        ${aggregateTable(t, 'table-decisions', t('public.report.decisionsTitle'), report.tables.byDecision, p.locale)}
        <h2>${t('public.report.trendTitle')}</h2>
        ${trendFigure}
        <table class="table" id="table-trend">
          <caption class="caption">
            ${t('public.report.trendTitle')}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t('public.reports.period')}</th>
              <th scope="col" class="num">${t('public.report.applications')}</th>
              <th scope="col" class="num">${t('public.register.value')}</th>
              <th scope="col" class="num">${t('public.entry.cyberSurveillance')}</th>
              <th scope="col" class="num">${t('public.decision.denied')}</th>
            </tr>
          </thead>
          <tbody>
            ${report.trends.map(
              (x) =>
                html`<tr>
                  <th scope="row">${x.period}</th>
                  <td class="num">${dash(x.applications)}</td>
                  <td class="num">${fmtEur(p.locale, x.valueEur)}</td>
                  <td class="num">${dash(x.cyberSurveillanceApplications)}</td>
                  <td class="num">${dash(x.denied)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
        ${
          report.notes.length
            ? html`<h2>${t('public.report.notes')}</h2>
                <ul>
                  ${report.notes.map((n) => html`<li lang="en">${n}</li>`)}
                </ul>`
            : ''
        }`,
    });
  });

  // ---------------- evidence ----------------

  const evidenceLabels = (t: Translate): Record<string, string> => ({
    title: t('public.evidence.fieldTitle'),
    summary: t('public.evidence.fieldSummary'),
    evidenceType: t('public.evidence.fieldType'),
    countries: t('public.evidence.fieldCountries'),
    sourceUrl: t('public.evidence.fieldSource'),
    submitterContact: t('public.evidence.fieldContact'),
    attachment: t('public.evidence.fieldAttachment'),
  });

  const evidenceForm = (reply: FastifyReply, p: PageContext, form: FormState, status = 200) => {
    const { t } = p;
    const labels = evidenceLabels(t);
    return sendPage(
      reply,
      p,
      {
        title: t('public.evidence.submitTitle'),
        errorCount: Object.keys(form.errors).length,
        body: html`${errorSummary(t, form, labels)}
          <h1>${t('public.evidence.submitTitle')}</h1>
          <p class="lead">${t('public.evidence.submitLead')}</p>
          <div class="notice"><p>${t('public.evidence.moderatedNotice')}</p></div>
          <form method="post" action="/evidence/submit" enctype="multipart/form-data" novalidate>
            ${csrfField(p)} ${textField(t, { name: 'title', label: labels.title!, form, required: true })}
            ${textArea(t, { name: 'summary', label: labels.summary!, hint: t('public.evidence.summaryHint'), form, rows: 6 })}
            ${selectField(t, {
              name: 'evidenceType',
              label: labels.evidenceType!,
              form,
              placeholder: t('common.choose'),
              options: EVIDENCE_TYPES.map((v) => ({ value: v, label: labelOf(t, 'evidenceType', v) })),
            })}
            ${textField(t, { name: 'countries', label: labels.countries!, hint: t('public.evidence.countriesHint'), form })}
            ${textField(t, { name: 'sourceUrl', label: labels.sourceUrl!, hint: t('public.evidence.sourceHint'), form, autocomplete: 'url' })}
            ${textField(t, { name: 'submitterContact', label: labels.submitterContact!, hint: t('public.evidence.contactHint'), form, autocomplete: 'email' })}
            ${fileField(t, {
              name: 'attachment',
              label: labels.attachment!,
              hint: t('public.evidence.attachmentHint', { kb: Math.floor(ctx.config.maxUploadBytes / 1024) }),
              form,
            })}
            ${submitButton(t('public.evidence.submit'))}
          </form>`,
      },
      status,
    );
  };

  app.get('/evidence/submit', hide, async (req, reply) =>
    evidenceForm(reply, pageContext(ctx, req, reply), emptyForm()),
  );

  // multipart: CSRF (for a signed-in submitter) is checked here on the fields, before the file is read (see auth.ts)
  app.post(
    '/evidence/submit',
    {
      ...hide,
      config: {
        csrfInHandler: true,
        rateLimit: { max: EVIDENCE_SUBMISSIONS_PER_MINUTE, timeWindow: 60_000 },
      },
    },
    async (req, reply) => {
      const p = pageContext(ctx, req, reply);
      const { t } = p;
      const values: Record<string, string> = {};
      const form: FormState = { values, errors: {} };
      const kb = Math.floor(ctx.config.maxUploadBytes / 1024);
      let csrf = typeof req.headers['x-csrf-token'] === 'string' ? req.headers['x-csrf-token'] : undefined;
      const csrfOk = () => !req.sessionToken || (!!req.csrfToken && csrfMatches(req.csrfToken, csrf));
      let file: { filename: string; content: Buffer } | undefined;
      if (req.isMultipart()) {
        try {
          for await (const part of req.parts()) {
            if (part.type === 'field') {
              if (part.fieldname === '_csrf') csrf ??= String(part.value);
              else values[part.fieldname] = String(part.value).slice(0, 20_000);
              continue;
            }
            if (!csrfOk()) throw new DomainError('FORBIDDEN', 'Missing or wrong CSRF token.');
            if (part.fieldname !== 'attachment' || !part.filename) {
              await part.toBuffer().catch(() => undefined);
              continue;
            }
            // throws past the size limit while streaming, before anything is stored
            file = { filename: part.filename, content: await part.toBuffer() };
          }
        } catch (e) {
          const fault = uploadFault(e);
          if (fault === null) throw e;
          form.errors.attachment =
            fault === 'too_large' ? t('public.evidence.tooLarge', { kb }) : t('public.evidence.malformed');
          return evidenceForm(reply, p, form, fault === 'too_large' ? 413 : 400);
        }
      } else {
        for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>))
          if (typeof v === 'string') {
            if (k === '_csrf') csrf ??= v;
            else values[k] = v;
          }
      }
      if (!csrfOk()) throw new DomainError('FORBIDDEN', 'Missing or wrong CSRF token.');
      // server-side validation, beside each field
      const title = (values.title ?? '').trim();
      const summary = (values.summary ?? '').trim();
      const type = values.evidenceType ?? '';
      const countries = (values.countries ?? '')
        .split(/[\s,;]+/)
        .map((c) => c.trim().toUpperCase())
        .filter(Boolean);
      const sourceUrl = (values.sourceUrl ?? '').trim();
      const contact = (values.submitterContact ?? '').trim();
      if (!title) form.errors.title = t('public.evidence.titleMissing');
      else if (title.length > 300) form.errors.title = t('public.evidence.tooLong', { max: 300 });
      if (!summary) form.errors.summary = t('public.evidence.summaryMissing');
      else if (summary.length > 10_000) form.errors.summary = t('public.evidence.tooLong', { max: 10_000 });
      if (!(EVIDENCE_TYPES as readonly string[]).includes(type))
        form.errors.evidenceType = t('public.evidence.typeMissing');
      if (countries.some((c) => !/^[A-Z]{2}$/.test(c)) || countries.length > 50)
        form.errors.countries = t('public.evidence.countriesInvalid');
      if (sourceUrl && !/^https?:\/\/\S+$/i.test(sourceUrl))
        form.errors.sourceUrl = t('public.evidence.sourceInvalid');
      if (contact.length > 500) form.errors.submitterContact = t('public.evidence.tooLong', { max: 500 });
      if (file && file.content.byteLength === 0)
        form.errors.attachment = t('public.evidence.attachmentEmpty');
      if (Object.keys(form.errors).length) return evidenceForm(reply, p, form, 400);
      try {
        await submitEvidence(ctx, p.principal, {
          title,
          summary,
          evidenceType: type,
          countries,
          ...(sourceUrl ? { sourceUrl } : {}),
          ...(contact ? { submitterContact: contact } : {}),
          attachments: file
            ? [{ filename: file.filename, contentBase64: file.content.toString('base64') }]
            : [],
        });
      } catch (e) {
        if (!isInputError(e)) throw e;
        if (e.code === 'TOO_LARGE') {
          form.errors.attachment = t('public.evidence.tooLarge', { kb });
          return evidenceForm(reply, p, form, 413);
        }
        form.errors = errorsFromDomain(p.t, e, Object.keys(evidenceLabels(t)), 'title', {
          attachments: 'attachment',
        });
        if (form.errors.attachment) form.errors.attachment = t('public.evidence.attachmentType');
        return evidenceForm(reply, p, form, 400);
      }
      return redirectWithFlash(reply, '/evidence/thanks', 'flash.evidenceSubmitted');
    },
  );

  app.get('/evidence/thanks', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    const { t } = p;
    return sendPage(reply, p, {
      title: t('public.evidence.thanksTitle'),
      body: html`<h1>${t('public.evidence.thanksTitle')}</h1>
        <p class="lead">${t('public.evidence.thanksText')}</p>
        <p><a href="/evidence">${t('public.evidence.listTitle')}</a></p>`,
    });
  });

  app.get('/evidence', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    const { t } = p;
    const raw = req.query as Record<string, unknown>;
    const values = { q: str(raw.q).trim().slice(0, 200) };
    const page = pageNumber(raw.page);
    const result = await listPublicEvidence(ctx, {
      ...(values.q ? { q: values.q } : {}),
      limit: EVIDENCE_PAGE_SIZE,
      offset: (page - 1) * EVIDENCE_PAGE_SIZE,
    });
    const pages = Math.max(1, Math.ceil(result.total / EVIDENCE_PAGE_SIZE));
    const form = emptyForm(values);
    return sendPage(reply, p, {
      title: t('public.evidence.listTitle'),
      body: html`<h1>${t('public.evidence.listTitle')}</h1>
        <p class="lead">${t('public.evidence.listLead')}</p>
        <p><a href="/evidence/submit" class="button">${t('public.evidence.submitTitle')}</a></p>
        <form
          method="get"
          action="/evidence"
          class="filters"
          role="search"
          aria-label="${t('public.evidence.searchForm')}"
        >
          ${textField(t, { name: 'q', label: t('public.register.search'), form })}
          <div class="form-group">${submitButton(t('public.register.submit'))}</div>
        </form>
        <p class="meta">${t('public.evidence.count', { count: result.total })}</p>
        ${result.items.map(
          (e) =>
            html`<article class="card" aria-labelledby="ev-${e.id}">
              <h2 id="ev-${e.id}" class="heading-s">${e.title}</h2>
              <p class="meta">
                ${labelOf(t, 'evidenceType', e.evidenceType)}${e.publishedOn ? ` · ${e.publishedOn}` : ''}${
                  e.countries.length ? ` · ${e.countries.join(', ')}` : ''
                }${e.reliability ? ` · ${t('public.evidence.reliability')}: ${e.reliability}` : ''}
              </p>
              <p>${e.summary}</p>
              ${e.sourceUrl ? html`<p><a href="${safeUrl(e.sourceUrl)}" rel="noopener noreferrer">${t('public.evidence.source')}</a></p>` : ''}
            </article>`,
        )}
        ${pagination(t, page, pages, (n) => `/evidence${queryOf(values, { page: n })}`)}`,
    });
  });
}
