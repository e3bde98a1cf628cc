/**
 * The accessible HTML report: one self-contained page (no scripts, no external assets) with headings, a summary,
 * SVG charts each followed by its data table, every aggregate table and the period's register.
 */
import { countryName } from '../../domain/codes.ts';
import type { RegisterSource } from './register-blocks.ts';
import type { AggregateTable, ReportShell } from './report-model.ts';
import { TABLE_IDS } from './report-model.ts';
import type { PublicationContext } from './data-package.ts';
import { buildReportUrls } from './stable-urls.ts';
import { escapeXml as esc, renderBarChartSvg, renderTrendChartSvg, renderWorldMapSvg } from './svg-charts.ts';

export interface HtmlOptions extends PublicationContext {
  /** At most this many register rows in the page; the full register is in the CSV/JSON/XLSX files. */
  maxRegisterRows: number;
}

const eur = (v: number | null): string =>
  v === null
    ? '<abbr title="not published">n/p</abbr>'
    : `€${v.toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
const int = (v: number | null): string => (v === null ? '<abbr title="not published">n/p</abbr>' : String(v));
const opt = (v: string | null): string => (v === null ? '<abbr title="not published">n/p</abbr>' : esc(v));
const human = (s: string): string => s.replaceAll('_', ' ');
const DIMENSION_HEADERS: Record<string, string> = {
  controlEntry: 'Control list entry',
  destinationCountry: 'Destination',
  endUserType: 'End-user type',
  decision: 'Decision',
  category: 'Category',
  memberState: 'Member State',
};

function aggregateTableHtml(table: AggregateTable, headingLevel: 'h2' | 'h3' = 'h3'): string {
  const id = `table-${table.id}`;
  if (table.suppressed) {
    return `<section aria-labelledby="${id}"><${headingLevel} id="${id}">${esc(table.title)}</${headingLevel}><p>${table.reasons.map(esc).join(' ')}</p></section>`;
  }
  const head = [
    ...table.dimensions.map((d) => DIMENSION_HEADERS[d] ?? human(d)),
    'Applications',
    'Value (EUR)',
  ]
    .map((h) => `<th scope="col">${esc(h)}</th>`)
    .join('');
  const body = table.rows
    .map((r) => {
      const keys = r.key
        .map((k, i) =>
          i === 0
            ? `<th scope="row">${esc(k === '_other' || r.key.length === 1 ? r.label : human(k))}</th>`
            : `<td>${esc(k === '_other' ? '' : human(k))}</td>`,
        )
        .join('');
      return `<tr>${keys}<td class="num">${r.applications}</td><td class="num">${eur(r.valueEur)}</td></tr>`;
    })
    .join('');
  const foot = `<tr><th scope="row">Total</th>${table.dimensions
    .slice(1)
    .map(() => '<td></td>')
    .join(
      '',
    )}<td class="num">${int(table.total.applications)}</td><td class="num">${eur(table.total.valueEur)}</td></tr>`;
  const notes = table.reasons.length > 0 ? `<p class="note">${table.reasons.map(esc).join(' ')}</p>` : '';
  return (
    `<section aria-labelledby="${id}"><${headingLevel} id="${id}">${esc(table.title)}</${headingLevel}>` +
    `<p class="note">Unit: ${esc(table.unit)}.</p><div class="scroll" role="region" aria-labelledby="${id}" tabindex="0"><table><caption>${esc(table.title)}</caption>` +
    `<thead><tr>${head}</tr></thead><tbody>${body}</tbody><tfoot>${foot}</tfoot></table></div>${notes}</section>`
  );
}

function registerHtml(
  report: ReportShell,
  register: RegisterSource,
  maxRows: number,
  csvUrl: string,
): string {
  const rows = register.head(maxRows);
  const head = [
    'Reference',
    'Received',
    'Decided',
    'Licence',
    'Destination',
    'Items',
    'End user',
    'Value (EUR)',
    'Decision',
    'Grounds',
  ]
    .map((h) => `<th scope="col">${h}</th>`)
    .join('');
  const body = rows
    .map((r) => {
      const items = r.items
        .map(
          (i) =>
            `${opt(i.description)}${i.controlEntries && i.controlEntries.length > 0 ? ` (${esc(i.controlEntries.join(', '))})` : ''}${i.quantity !== null ? `, ${i.quantity} ${esc(i.unit ?? '')}` : ''}`,
        )
        .join('<br>');
      const parties = r.parties
        .filter((p) => p.role === 'end_user' || p.role === 'ultimate_end_user')
        .map((p) =>
          [p.name, p.partyType && human(p.partyType), p.sector && human(p.sector), p.country]
            .filter((x) => x !== null)
            .map((x) => esc(x as string))
            .join(', '),
        )
        .join('<br>');
      const grounds = [...(r.criteria ?? []), ...(r.rights ?? [])].map(esc).join(', ');
      return `<tr><th scope="row">${esc(r.reference ?? r.rowId)}</th><td>${opt(r.receivedOn)}</td><td>${r.decidedOn ? esc(r.decidedOn) : ''}</td><td>${opt(r.licenceType && human(r.licenceType))}</td><td>${r.destinationCountry ? esc(`${countryName(r.destinationCountry)} (${r.destinationCountry})`) : opt(null)}</td><td>${items}</td><td>${parties}</td><td class="num">${eur(r.totalValueEur)}</td><td>${opt(r.decision && human(r.decision))}</td><td>${grounds}</td></tr>`;
    })
    .join('');
  const more =
    register.length > rows.length
      ? `<p>Showing the first ${rows.length} of ${register.length} applications. The full register is in <a href="${esc(csvUrl)}">register.csv</a>.</p>`
      : '';
  return (
    `<section aria-labelledby="register"><h2 id="register">Register of applications</h2>${more}` +
    `<div class="scroll" role="region" aria-labelledby="register" tabindex="0"><table><caption>Applications decided in ${esc(report.period.id)} (and pending ones published after the delay)</caption>` +
    `<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div></section>`
  );
}

const STYLE =
  'body{font-family:system-ui,sans-serif;color:#0b0c0c;max-width:72rem;margin:0 auto;padding:1rem;line-height:1.5}' +
  'a{color:#1d70b8}a:focus,[tabindex]:focus{outline:3px solid #ffdd00}table{border-collapse:collapse;width:100%;margin:.5rem 0}' +
  'th,td{border-bottom:1px solid #b1b4b6;padding:.3rem .5rem;text-align:left;vertical-align:top}td.num{text-align:right;font-variant-numeric:tabular-nums}' +
  'caption{text-align:left;font-weight:700}.note{color:#505a5f}.scroll{overflow-x:auto}figure{margin:1rem 0}svg{max-width:100%;height:auto}' +
  '.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#ffdd00}dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:700}';

/**
 * Renders the report as one accessible HTML page (WCAG 2.1 AA patterns: landmarks, headings, captions, scoped
 * headers, text alternatives and data tables for charts). No clock: the dates shown are the report's.
 * @example renderHtml(report, { baseUrl: 'https://exports.example.eu', licence, maxRegisterRows: 1000 })
 */
export function renderHtml(report: ReportShell, register: RegisterSource, options: HtmlOptions): string {
  const urls = buildReportUrls(
    options.baseUrl,
    report.authority.id,
    report.period.id,
    report.revision.number,
  );
  const title = `${report.authority.name}: export licensing transparency report, ${report.period.id}`;
  const destinations = report.tables.byDestination;
  const counts = new Map(
    destinations.rows.filter((r) => r.key[0] !== '_other').map((r) => [r.key[0]!, r.applications]),
  );
  const mapFigure = destinations.suppressed
    ? ''
    : `<figure aria-labelledby="fig-map-cap">${renderWorldMapSvg(counts, {
        id: 'fig-map',
        title: 'Applications by destination country',
        description: `World map shading ${counts.size} destination countries by number of applications; the largest is ${
          [...destinations.rows]
            .filter((r) => r.key[0] !== '_other')
            .sort((a, b) => b.applications - a.applications)[0]?.label ?? 'none'
        }. The same figures are in the table "Applications by destination".`,
      })}<figcaption id="fig-map-cap">Applications by destination. Data: <a href="#table-byDestination">table below</a>.</figcaption></figure>`;
  const entries = report.tables.byControlEntry;
  const barFigure = entries.suppressed
    ? ''
    : `<figure aria-labelledby="fig-bars-cap">${renderBarChartSvg(
        entries.rows.map((r) => ({ label: r.label, value: r.applications })),
        {
          id: 'fig-bars',
          title: 'Applications by control list entry',
          description: entries.rows.map((r) => `${r.label}: ${r.applications}`).join('; '),
        },
      )}<figcaption id="fig-bars-cap">Applications by control list entry. Data: <a href="#table-byControlEntry">table below</a>.</figcaption></figure>`;
  const trendFigure = `<figure aria-labelledby="fig-trend-cap">${renderTrendChartSvg(
    report.trends.map((t) => ({ label: t.period, value: t.applications })),
    {
      id: 'fig-trend',
      title: 'Applications per period',
      description: report.trends.map((t) => `${t.period}: ${t.applications ?? 'not published'}`).join('; '),
    },
  )}<figcaption id="fig-trend-cap">Applications per period. Data: <a href="#trends">trend table</a>.</figcaption></figure>`;
  const trendTable =
    '<section aria-labelledby="trends"><h3 id="trends">Trend against earlier periods</h3><table><caption>Applications, value, cyber-surveillance applications and denials per period</caption>' +
    '<thead><tr><th scope="col">Period</th><th scope="col">Applications</th><th scope="col">Value (EUR)</th><th scope="col">Cyber-surveillance</th><th scope="col">Denied</th></tr></thead><tbody>' +
    report.trends
      .map(
        (t) =>
          `<tr><th scope="row">${esc(t.period)}</th><td class="num">${int(t.applications)}</td><td class="num">${eur(t.valueEur)}</td><td class="num">${int(t.cyberSurveillanceApplications)}</td><td class="num">${int(t.denied)}</td></tr>`,
      )
      .join('') +
    '</tbody></table></section>';
  const revision =
    report.revision.number > 1
      ? `<p role="note"><strong>Revision ${report.revision.number}.</strong> ${esc(report.revision.note ?? '')} <a href="${esc(urls.latest)}">Latest revision</a>.</p>`
      : '';
  const downloads = [
    'report.json',
    'report.schema.json',
    'datapackage.json',
    'report.xlsx',
    'report.pdf',
    'register.csv',
  ]
    .map((f) => `<li><a href="${esc(urls.file(f))}">${esc(f)}</a></li>`)
    .join('');
  return (
    '<!DOCTYPE html>\n' +
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${esc(title)}</title><link rel="canonical" href="${esc(urls.revision)}"><style>${STYLE}</style></head><body>` +
    '<a class="skip" href="#main">Skip to content</a>' +
    `<header><p>${esc(report.authority.name)} (${esc(report.authority.memberState)})</p></header>` +
    `<main id="main"><h1>${esc(title)}</h1>${revision}` +
    `<dl><dt>Period</dt><dd>${esc(report.period.startOn)} to ${esc(report.period.endOn)}</dd><dt>Published</dt><dd><time datetime="${esc(report.publishedAt)}">${esc(report.publishedAt)}</time></dd>` +
    `<dt>Applications published</dt><dd>${report.summary.applications}</dd><dt>Total value</dt><dd>${eur(report.summary.valueEur)}</dd>` +
    `<dt>With cyber-surveillance items</dt><dd>${int(report.summary.cyberSurveillanceApplications)}</dd><dt>Not yet published (delay)</dt><dd>${report.summary.withheldByDelay}</dd>` +
    `<dt>Redaction policy</dt><dd>${esc(report.policy.id)} ${esc(report.policy.version)}</dd></dl>` +
    `<section aria-labelledby="charts"><h2 id="charts">Charts</h2>${mapFigure}${barFigure}${trendFigure}</section>` +
    `<section aria-labelledby="tables"><h2 id="tables">Tables</h2>${TABLE_IDS.map((id) => aggregateTableHtml(report.tables[id])).join('')}${trendTable}</section>` +
    registerHtml(report, register, options.maxRegisterRows, urls.file('register.csv')) +
    `<section aria-labelledby="notes"><h2 id="notes">Notes and method</h2><ul>${report.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></section>` +
    `<section aria-labelledby="downloads"><h2 id="downloads">Open data</h2><ul>${downloads}</ul><p>Licence: <a href="${esc(options.licence.path)}">${esc(options.licence.title)}</a>.</p></section>` +
    '</main></body></html>\n'
  );
}
