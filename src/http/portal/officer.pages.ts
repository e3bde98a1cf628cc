/**
 * Officer workspace: the case queue. It opens on the open cases, oldest submission first, with each case's next
 * deadline (overdue ones marked) and its officer; filters by status, reference, destination, assignment and deadline.
 */
import { listCases } from '../../services/casework.service.ts';
import type { ServiceContext } from '../../services/context.ts';
import type { TypedApp } from '../routes/types.ts';
import { pager, statusFilterField, statusQuery } from './components.ts';
import { emptyForm, selectField, submitButton, textField } from './forms.ts';
import { pageNumber, requireOfficerPage } from './guards.ts';
import { html } from './html.ts';
import { labelOf } from './i18n.ts';
import { pageContext, sendPage } from './page.ts';

const PAGE_SIZE = 25;
const ASSIGNMENTS = ['mine', 'unassigned'] as const;
const DEADLINES = ['overdue'] as const;

export function registerOfficerPages(app: TypedApp, ctx: ServiceContext): void {
  app.get('/officer/applications', { schema: { hide: true } }, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    const officer = requireOfficerPage(p);
    const { t } = p;
    const q = req.query as { destination?: string; q?: string; assigned?: string; deadline?: string };
    // The queue opens on the open cases; "Any" (an empty status) lists every submitted application.
    const asked = (req.query as { status?: unknown }).status;
    const status = asked === undefined || asked === 'open' ? 'open' : statusQuery(req.query);
    const destination = /^[A-Za-z]{2}$/.test(q.destination ?? '') ? q.destination!.toUpperCase() : undefined;
    const reference = (q.q ?? '').trim().slice(0, 100) || undefined;
    const assigned = (ASSIGNMENTS as readonly string[]).includes(q.assigned ?? '') ? q.assigned : undefined;
    const deadline = (DEADLINES as readonly string[]).includes(q.deadline ?? '') ? q.deadline : undefined;
    const page = pageNumber(req.query);
    const list = await listCases(ctx, p.principal, {
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
      ...(status && { status }),
      ...(reference && { q: reference }),
      ...(destination && { destination }),
      ...(assigned === 'mine' && { assignedOfficerId: officer.userId }),
      ...(assigned === 'unassigned' && { unassigned: 'true' as const }),
      ...(deadline === 'overdue' && { overdue: 'true' as const }),
    });
    const form = emptyForm({
      status: status ?? '',
      q: reference ?? '',
      destination: destination ?? '',
      assigned: assigned ?? '',
      deadline: deadline ?? '',
    });
    const extra = new URLSearchParams({ status: status ?? '' });
    if (reference) extra.set('q', reference);
    if (destination) extra.set('destination', destination);
    if (assigned) extra.set('assigned', assigned);
    if (deadline) extra.set('deadline', deadline);
    return sendPage(reply, p, {
      title: t('queue.title'),
      body: html`<h1>${t('queue.title')}</h1>
        <form method="get" action="/officer/applications" class="filters">
          ${statusFilterField(t, form, { withOpen: true })}
          ${textField(t, { name: 'q', label: t('application.reference'), form, width: 'short' })}
          ${textField(t, { name: 'destination', label: t('application.destination'), hint: t('party.countryHint'), form, width: 'short' })}
          ${selectField(t, {
            name: 'assigned',
            label: t('case.assigned'),
            form,
            placeholder: t('common.any'),
            options: ASSIGNMENTS.map((a) => ({ value: a, label: t(`queue.assigned.${a}`) })),
          })}
          ${selectField(t, {
            name: 'deadline',
            label: t('queue.deadline'),
            form,
            placeholder: t('common.any'),
            options: DEADLINES.map((d) => ({ value: d, label: t(`queue.deadline.${d}`) })),
          })}
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
                      <th scope="col">${t('queue.deadline')}</th>
                      <th scope="col">${t('case.assigned')}</th>
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
                          <td class="date">
                            ${a.nextDueOn ?? '—'}
                            ${a.overdue ? html`<span class="tag tag-no">${t('queue.overdue')}</span>` : ''}
                          </td>
                          <td>${a.assignedOfficerName ?? t('case.unassigned')}</td>
                          <td>${a.totalValueEur.toLocaleString(p.locale)} EUR</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
                ${pager(t, '/officer/applications', page, list.total, PAGE_SIZE, `&${extra.toString()}`)}`
            : html`<p>${t('queue.empty')}</p>`
        }`,
    });
  });
}
