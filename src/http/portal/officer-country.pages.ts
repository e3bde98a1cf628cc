/**
 * Officer workspace: country profiles. One page per destination gathering what an officer weighs: restrictive
 * measures (policy, with their verified flags), the human-rights and surveillance indicators with source, year and
 * the dataset's publisher date, the D.3 safeguards checklist, accepted registry evidence, denials on record and this
 * authority's decisions to the country (counts by outcome drawn as a bar chart with a data table, links to cases).
 */
import { SAFEGUARD_CRITERIA, type IndicatorKey } from '../../domain/assessment.ts';
import { countryName, isCountryCode } from '../../domain/codes.ts';
import { DECIDED_STATUSES } from '../../domain/model.ts';
import { renderBarChartSvg } from '../../engines/reporting/svg-charts.ts';
import { countApplicationsByStatus, listApplications } from '../../services/applications.service.ts';
import { assessmentReference, countryProfile } from '../../services/assessment.service.ts';
import type { ServiceContext } from '../../services/context.ts';
import { listDenials } from '../../services/denials.service.ts';
import { listEvidence } from '../../services/evidence.service.ts';
import type { TypedApp } from '../routes/types.ts';
import { dataTable } from './components.ts';
import { emptyForm, errorSummary, submitButton, textField, type FormState } from './forms.ts';
import { requireOfficerPage } from './guards.ts';
import { html, trustedHtml, type SafeHtml } from './html.ts';
import { labelOf, type Translate } from './i18n.ts';
import { pageContext, sendPage, type PageContext } from './page.ts';

const hide = { schema: { hide: true } } as const;
/** Indicators of surveillance abuse (spyware operators, AI surveillance), shown apart from the general ones. */
const SURVEILLANCE_KEYS: readonly IndicatorKey[] = ['pegasus_targets_count', 'aigs_listed'];
const RECENT_CASES = 25;
const RECENT_EVIDENCE = 50;

const indicatorLabel = (t: Translate, key: string): string => labelOf(t, 'country.indicator', key);
const valueText = (t: Translate, v: number | string | boolean): string =>
  typeof v === 'boolean' ? (v ? t('common.yes') : t('common.no')) : String(v);

/** The country lookup form (index page and its refusal). */
function lookupForm(p: PageContext, form: FormState): SafeHtml {
  const { t } = p;
  return html`${errorSummary(t, form, { code: t('country.code') })}
    <form method="get" action="/officer/countries" class="filters" novalidate>
      ${textField(t, { name: 'code', label: t('country.code'), hint: t('party.countryHint'), form, width: 'short' })}
      ${submitButton(t('country.open'), { secondary: true })}
    </form>`;
}

export function registerOfficerCountryPages(app: TypedApp, ctx: ServiceContext): void {
  app.get('/officer/countries', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireOfficerPage(p);
    const { t } = p;
    const raw = (req.query as { code?: unknown }).code;
    const code = typeof raw === 'string' ? raw.trim().toUpperCase() : '';
    const form = emptyForm({ code: typeof raw === 'string' ? raw : '' });
    if (raw !== undefined) {
      if (isCountryCode(code)) return reply.redirect(`/officer/countries/${code}`, 303);
      form.errors.code = t('country.codeInvalid');
    }
    const { reference } = assessmentReference(ctx);
    const measured = [...new Set(reference.measures.flatMap((m) => m.countries))].sort();
    return sendPage(
      reply,
      p,
      {
        title: t('country.indexTitle'),
        errorCount: Object.keys(form.errors).length,
        body: html`<h1>${t('country.indexTitle')}</h1>
          <p class="lead">${t('country.indexLead')}</p>
          ${lookupForm(p, form)}
          <h2>${t('country.withMeasures')}</h2>
          <ul class="columns">
            ${measured.map(
              (c) => html`<li><a href="/officer/countries/${c}">${countryName(c, p.locale)} (${c})</a></li>`,
            )}
          </ul>`,
      },
      form.errors.code ? 400 : 200,
    );
  });

  app.get('/officer/countries/:code', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireOfficerPage(p);
    const { t, principal } = p;
    const code = (req.params as { code: string }).code.toUpperCase();
    if (!isCountryCode(code)) return reply.callNotFound();
    const { profile, reference: status } = countryProfile(ctx, code);
    const loaded = assessmentReference(ctx);
    const measures = loaded.reference.measures.filter((m) => profile.restrictiveMeasureIds.includes(m.id));
    const provenance = new Map(loaded.provenance.map((d) => [d.dataset, d]));
    const [evidence, denials, recent, byStatus] = await Promise.all([
      listEvidence(ctx, principal, { country: code, status: 'accepted', limit: RECENT_EVIDENCE }),
      listDenials(ctx, principal, { destinationCountry: code }),
      listApplications(ctx, principal, { destination: code, sort: 'submitted_desc', limit: RECENT_CASES }),
      countApplicationsByStatus(ctx, principal, { destination: code }),
    ]);
    const outcomes = DECIDED_STATUSES.map((s) => ({
      label: labelOf(t, 'status', s),
      value: byStatus[s],
    }));
    const decidedTotal = outcomes.reduce((n, o) => n + o.value, 0);
    const name = countryName(code, p.locale);
    const title = t('country.title', { name, code });

    const indicatorRows = (keys: readonly IndicatorKey[]) =>
      keys.map((k) => {
        const ind = profile.indicators[k];
        const prov = ind ? provenance.get(ind.dataset) : undefined;
        return html`<tr>
          <th scope="row">${indicatorLabel(t, k)}</th>
          <td>${ind ? valueText(t, ind.value) : html`<span class="tag">${t('country.unknown')}</span>`}</td>
          <td>${ind?.year ?? '—'}</td>
          <td>${ind ? ind.source : '—'}${ind?.note ? html` <span class="meta">(${ind.note})</span>` : ''}</td>
          <td>${prov?.publisherDate ?? '—'}</td>
        </tr>`;
      });
    const indicatorHeadings = [
      t('country.indicatorName'),
      t('country.value'),
      t('country.year'),
      t('country.source'),
      t('country.publisherDate'),
    ];
    const general = (Object.keys(profile.indicators) as IndicatorKey[])
      .concat(profile.missingIndicators)
      .filter((k, i, all) => all.indexOf(k) === i && !SURVEILLANCE_KEYS.includes(k));

    const chart =
      decidedTotal > 0
        ? html`<figure>
            ${trustedHtml(
              renderBarChartSvg(outcomes, {
                id: 'fig-outcomes',
                title: t('country.outcomesChart', { name }),
                description: outcomes.map((o) => `${o.label}: ${o.value}`).join('; '),
              }),
            )}
            <figcaption>
              ${t('country.outcomesChart', { name })}.
              <a href="#table-outcomes">${t('public.report.dataTable')}</a>
            </figcaption>
          </figure>`
        : html``;

    const body = html`<h1>${title}</h1>
      <dl class="summary-list">
        <div>
          <dt>${t('country.euMember')}</dt>
          <dd>${profile.euMemberState ? t('common.yes') : t('common.no')}</dd>
        </div>
        <div>
          <dt>${t('country.eugea')}</dt>
          <dd>${profile.eugeaDestinationOf.length ? profile.eugeaDestinationOf.join(', ') : '—'}</dd>
        </div>
        <div>
          <dt>${t('country.referenceVersion')}</dt>
          <dd>${loaded.reference.version}</dd>
        </div>
        <div>
          <dt>${t('methodology.missing')}</dt>
          <dd>${status.missing.length ? status.missing.join(', ') : t('methodology.noneMissing')}</dd>
        </div>
      </dl>
      <nav aria-label="${t('country.sections')}">
        <ul>
          <li><a href="#measures">${t('country.measures')}</a></li>
          <li><a href="#indicators">${t('country.indicators')}</a></li>
          <li><a href="#surveillance">${t('country.surveillance')}</a></li>
          <li><a href="#safeguards">${t('country.safeguards')}</a></li>
          <li><a href="#evidence">${t('country.evidence')}</a></li>
          <li><a href="#denials">${t('country.denials')}</a></li>
          <li><a href="#decisions">${t('country.decisions')}</a></li>
        </ul>
      </nav>

      <h2 id="measures">${t('country.measures')}</h2>
      ${
        measures.length
          ? measures.map(
              (m) =>
                html`<section class="card" aria-labelledby="m-${m.id}">
                  <h3 id="m-${m.id}">
                    ${m.authority}: ${labelOf(t, 'country.measureKind', m.kind)}
                    ${
                      m.verified
                        ? html`<span class="tag">${t('country.verified')}</span>`
                        : html`<span class="tag">${t('case.unverified')}</span>`
                    }
                  </h3>
                  <p>${m.summary}</p>
                  <dl class="summary-list">
                    <div>
                      <dt>${t('country.scope')}</dt>
                      <dd>${labelOf(t, 'country.scope', m.scope)}</dd>
                    </div>
                    <div>
                      <dt>${t('country.legalActs')}</dt>
                      <dd>${m.legalActs.join('; ')}</dd>
                    </div>
                    ${
                      m.derogation
                        ? html`<div>
                            <dt>${t('country.derogation')}</dt>
                            <dd>${m.derogation}</dd>
                          </div>`
                        : ''
                    }
                    <div>
                      <dt>${t('country.verification')}</dt>
                      <dd>${m.verificationNote}</dd>
                    </div>
                  </dl>
                </section>`,
            )
          : html`<p>${t('country.noMeasures')}</p>`
      }

      <h2 id="indicators">${t('country.indicators')}</h2>
      <p class="hint">${t('country.unknownHint')}</p>
      ${dataTable(t('country.indicators'), indicatorHeadings, indicatorRows(general))}

      <h2 id="surveillance">${t('country.surveillance')}</h2>
      ${dataTable(t('country.surveillance'), indicatorHeadings, indicatorRows(SURVEILLANCE_KEYS))}

      <h2 id="safeguards">${t('country.safeguards')}</h2>
      ${dataTable(
        t('country.safeguards'),
        [t('country.criterion'), t('country.answer'), t('country.source')],
        profile.safeguards.map((s) => {
          const c = SAFEGUARD_CRITERIA.find((x) => x.id === s.criterion);
          return html`<tr>
            <th scope="row">${c ? `${c.n}. ${c.text}` : s.criterion}</th>
            <td>${labelOf(t, 'country.tri', s.value)}</td>
            <td>${s.source ?? '—'}</td>
          </tr>`;
        }),
      )}

      <h2 id="evidence">${t('country.evidence')}</h2>
      ${
        evidence.items.length
          ? html`<p>${t('evidence.count', { n: evidence.total })}</p>
              ${dataTable(
                t('country.evidence'),
                [
                  t('evidence.fieldTitle'),
                  t('evidence.type'),
                  t('evidence.reliability'),
                  t('evidence.publishedOn'),
                  t('evidence.rights'),
                ],
                evidence.items.map(
                  (e) =>
                    html`<tr>
                      <td>
                        <a href="/officer/evidence/${e.id}">${e.title}</a>${
                          e.confidential
                            ? html` <span class="tag">${t('evidence.confidentialTag')}</span>`
                            : ''
                        }
                      </td>
                      <td>${labelOf(t, 'evidenceType', e.evidenceType)}</td>
                      <td>${labelOf(t, 'evidence.reliability', e.reliability)}</td>
                      <td>${e.publishedOn ?? '—'}</td>
                      <td>${e.rights.length ? e.rights.join(', ') : '—'}</td>
                    </tr>`,
                ),
              )}
              <p>
                <a href="/officer/evidence?status=accepted&amp;country=${code}"
                  >${t('country.allEvidence')}</a
                >
              </p>`
          : html`<p>${t('country.noEvidence')}</p>`
      }

      <h2 id="denials">${t('country.denials')}</h2>
      ${
        denials.length
          ? dataTable(
              t('country.denials'),
              [
                t('country.denialRef'),
                t('country.origin'),
                t('country.deniedOn'),
                t('country.denialStatus'),
                t('country.items'),
              ],
              denials.map(
                (d) =>
                  html`<tr>
                    <td>
                      ${d.applicationId ? html`<a href="/officer/cases/${d.applicationId}">${d.reference}</a>` : d.reference}
                    </td>
                    <td>
                      ${labelOf(t, 'country.origin', d.origin)}${d.notifyingMemberState ? ` (${d.notifyingMemberState})` : ''}
                    </td>
                    <td>${d.deniedOn}</td>
                    <td>
                      ${labelOf(t, 'country.denialStatus', d.status)}${
                        d.reviewOverdue ? html` <span class="tag">${t('country.reviewOverdue')}</span>` : ''
                      }
                    </td>
                    <td>${d.controlEntries.join(', ') || '—'}: ${d.itemDescription}</td>
                  </tr>`,
              ),
            )
          : html`<p>${t('country.noDenials')}</p>`
      }

      <h2 id="decisions">${t('country.decisions')}</h2>
      ${chart}
      <table class="table" id="table-outcomes">
        <caption class="caption">
          ${t('country.outcomesTable', { name })}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t('case.outcome')}</th>
            <th scope="col">${t('country.count')}</th>
          </tr>
        </thead>
        <tbody>
          ${DECIDED_STATUSES.map(
            (s, i) =>
              html`<tr>
                <th scope="row">
                  <a href="/officer/applications?status=${s}&amp;destination=${code}"
                    >${outcomes[i]!.label}</a
                  >
                </th>
                <td>${outcomes[i]!.value}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <h3>${t('country.recentCases')}</h3>
      ${
        recent.items.length
          ? html`${dataTable(
                t('country.recentCases'),
                [
                  t('application.reference'),
                  t('application.status'),
                  t('application.submitted'),
                  t('application.totalValue'),
                ],
                recent.items.map(
                  (a) =>
                    html`<tr>
                      <td class="ref"><a href="/officer/cases/${a.id}">${a.reference}</a></td>
                      <td><span class="tag">${labelOf(t, 'status', a.status)}</span></td>
                      <td class="date">${a.submittedAt ? a.submittedAt.slice(0, 10) : '—'}</td>
                      <td>${a.totalValueEur.toLocaleString(p.locale)} EUR</td>
                    </tr>`,
                ),
              )}
              <p>
                <a href="/officer/applications?status=&amp;destination=${code}"
                  >${t('country.allCases', { n: recent.total })}</a
                >
              </p>`
          : html`<p>${t('country.noCases')}</p>`
      }`;
    return sendPage(reply, p, {
      title,
      breadcrumbs: [{ href: '/officer/countries', label: t('country.indexTitle') }],
      body,
    });
  });
}
