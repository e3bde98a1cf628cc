/** Officer workspace: the queue of applications (open cases by default) with filters by status and destination. */
import { listApplications } from '../../services/applications.service.ts';
import type { ServiceContext } from '../../services/context.ts';
import type { TypedApp } from '../routes/types.ts';
import { pager, statusFilterField, statusQuery } from './components.ts';
import { emptyForm, submitButton, textField } from './forms.ts';
import { pageNumber, requireOfficerPage } from './guards.ts';
import { html } from './html.ts';
import { labelOf } from './i18n.ts';
import { pageContext, sendPage } from './page.ts';

const PAGE_SIZE = 25;

export function registerOfficerPages(app: TypedApp, ctx: ServiceContext): void {
  app.get('/officer/applications', { schema: { hide: true } }, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireOfficerPage(p);
    const { t } = p;
    const q = req.query as { destination?: string };
    // The queue opens on the open cases, oldest submission first; "Any" (an empty status) lists every application.
    const asked = (req.query as { status?: unknown }).status;
    const status = asked === undefined || asked === 'open' ? 'open' : statusQuery(req.query);
    const destination = /^[A-Za-z]{2}$/.test(q.destination ?? '') ? q.destination!.toUpperCase() : undefined;
    const page = pageNumber(req.query);
    const list = await listApplications(ctx, p.principal, {
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
      sort: 'submitted_asc',
      ...(status && { status }),
      ...(destination && { destination }),
    });
    const form = emptyForm({ status: status ?? '', destination: destination ?? '' });
    const extra = `&status=${status ?? ''}${destination ? `&destination=${destination}` : ''}`;
    return sendPage(reply, p, {
      title: t('queue.title'),
      body: html`<h1>${t('queue.title')}</h1>
        <form method="get" action="/officer/applications" class="filters">
          ${statusFilterField(t, form, { withOpen: true })}
          ${textField(t, { name: 'destination', label: t('application.destination'), hint: t('party.countryHint'), form, width: 'short' })}
          ${submitButton(t('common.filter'), { secondary: true })}
        </form>
        <p>${t('queue.count', { n: list.total })}</p>
        ${
          list.items.length
            ? html`<table class="table">
                  <caption class="visually-hidden">
                    ${t('queue.title')}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">${t('application.reference')}</th>
                      <th scope="col">${t('application.destination')}</th>
                      <th scope="col">${t('application.licenceType')}</th>
                      <th scope="col">${t('application.status')}</th>
                      <th scope="col">${t('application.submitted')}</th>
                      <th scope="col">${t('application.totalValue')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${list.items.map(
                      (a) =>
                        html`<tr>
                          <td class="ref"><a href="/officer/cases/${a.id}">${a.reference}</a></td>
                          <td>
                            <a href="/officer/countries/${a.destinationCountry}">${a.destinationCountry}</a>
                          </td>
                          <td>${labelOf(t, 'licenceType', a.licenceType)}</td>
                          <td><span class="tag">${labelOf(t, 'status', a.status)}</span></td>
                          <td class="date">${a.submittedAt ? a.submittedAt.slice(0, 10) : '—'}</td>
                          <td>${a.totalValueEur.toLocaleString(p.locale)} EUR</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
                ${pager(t, '/officer/applications', page, list.total, PAGE_SIZE, extra)}`
            : html`<p>${t('queue.empty')}</p>`
        }`,
    });
  });
}
