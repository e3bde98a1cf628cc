/**
 * Officer workspace: the publication review queue. Build a period's draft report, review it (approve, or reject with
 * a note), publish an approved draft as a new immutable revision. The publication service decides every step;
 * refusals (bad period, missing note, wrong status) are shown beside their fields with the values kept.
 */
import type { FastifyReply } from 'fastify';
import type { ServiceContext } from '../../services/context.ts';
import {
  createReportDraft,
  getReportDraft,
  getReportDraftContent,
  listReportDrafts,
  publishReportDraft,
  reviewReportDraft,
} from '../../services/publication.service.ts';
import type { TypedApp } from '../routes/types.ts';
import { dataTable } from './components.ts';
import {
  emptyForm,
  errorsFromDomain,
  errorSummary,
  formValues,
  isInputError,
  radioGroup,
  selectField,
  submitButton,
  textArea,
  textField,
  type FormState,
} from './forms.ts';
import { requireOfficerPage, uuidParam } from './guards.ts';
import { html, type SafeHtml } from './html.ts';
import { labelOf } from './i18n.ts';
import { csrfField, pageContext, redirectWithFlash, sendPage, type PageContext } from './page.ts';

const hide = { schema: { hide: true } } as const;
const DRAFT_STATUSES = ['draft', 'approved', 'rejected', 'published', 'unchanged'] as const;
const optional = (v: string | undefined): string | undefined => (v?.trim() ? v.trim() : undefined);
const statusOf = (code: string): number => (code === 'CONFLICT' ? 409 : 400);

export function registerOfficerPublicationPages(app: TypedApp, ctx: ServiceContext): void {
  async function renderQueue(p: PageContext, reply: FastifyReply, build: FormState, status = 200) {
    const { t } = p;
    const q = p.path.includes('?') ? new URLSearchParams(p.path.split('?')[1]) : new URLSearchParams();
    const wanted = q.get('status') ?? '';
    const filter = emptyForm({ status: wanted });
    const drafts = await listReportDrafts(
      ctx,
      p.principal,
      (DRAFT_STATUSES as readonly string[]).includes(wanted) ? { status: wanted } : {},
    );
    const labels = { period: t('reports.period'), correctionNote: t('reports.correctionNote') };
    return sendPage(
      reply,
      p,
      {
        title: t('reports.queueTitle'),
        errorCount: Object.keys(build.errors).length,
        body: html`<h1>${t('reports.queueTitle')}</h1>
          <p class="lead">${t('reports.queueLead')}</p>
          <h2>${t('reports.build')}</h2>
          ${errorSummary(t, build, labels)}
          <form method="post" action="/officer/reports" novalidate>
            ${csrfField(p)}
            ${textField(t, { name: 'period', label: labels.period, hint: t('reports.periodHint'), form: build, width: 'short' })}
            ${textArea(t, { name: 'correctionNote', label: labels.correctionNote, hint: t('reports.correctionHint'), form: build, rows: 2 })}
            ${submitButton(t('reports.buildButton'))}
          </form>
          <h2>${t('reports.drafts')}</h2>
          <form method="get" action="/officer/reports" class="filters">
            ${selectField(t, {
              name: 'status',
              label: t('reports.status'),
              form: filter,
              placeholder: t('common.any'),
              options: DRAFT_STATUSES.map((s) => ({ value: s, label: labelOf(t, 'reports.status', s) })),
            })}
            ${submitButton(t('common.filter'), { secondary: true })}
          </form>
          ${
            drafts.length
              ? dataTable(
                  t('reports.drafts'),
                  [
                    t('reports.period'),
                    t('reports.status'),
                    t('public.report.applications'),
                    t('reports.builtAt'),
                    t('reports.notices'),
                  ],
                  drafts.map(
                    (d) =>
                      html`<tr>
                        <td><a href="/officer/reports/${d.id}">${d.periodId}</a></td>
                        <td><span class="tag">${labelOf(t, 'reports.status', d.status)}</span></td>
                        <td>${d.applications}</td>
                        <td>${d.builtAt.slice(0, 16).replace('T', ' ')}</td>
                        <td>${d.notices.length}</td>
                      </tr>`,
                  ),
                )
              : html`<p>${t('reports.none')}</p>`
          }`,
      },
      status,
    );
  }

  app.get('/officer/reports', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireOfficerPage(p);
    return renderQueue(p, reply, emptyForm());
  });

  app.post('/officer/reports', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireOfficerPage(p);
    const v = formValues(req.body);
    try {
      const draft = await createReportDraft(ctx, p.principal, {
        period: v.period ?? '',
        correctionNote: optional(v.correctionNote),
      });
      return redirectWithFlash(reply, `/officer/reports/${draft.id}`, 'flash.draftBuilt', draft.periodId);
    } catch (e) {
      if (!isInputError(e)) throw e;
      const form = emptyForm(v);
      form.errors = errorsFromDomain(p.t, e, ['period', 'correctionNote'], 'period');
      if (!v.period?.trim()) form.errors.period = p.t('reports.periodMissing');
      return renderQueue(p, reply, form, statusOf(e.code));
    }
  });

  async function renderDraft(
    p: PageContext,
    reply: FastifyReply,
    id: string,
    forms: { review?: FormState; publish?: FormState } = {},
    status = 200,
  ) {
    const { t } = p;
    const d = await getReportDraft(ctx, p.principal, id);
    const report = await getReportDraftContent(ctx, p.principal, id);
    const review = forms.review ?? emptyForm();
    const publish = forms.publish ?? emptyForm();
    const row = (label: string, value: SafeHtml | string | number) =>
      html`<div>
        <dt>${label}</dt>
        <dd>${value}</dd>
      </div>`;
    const s = report.summary;
    return sendPage(
      reply,
      p,
      {
        title: t('reports.draftTitle', { period: d.periodId }),
        errorCount: Object.keys(review.errors).length + Object.keys(publish.errors).length,
        breadcrumbs: [{ href: '/officer/reports', label: t('reports.queueTitle') }],
        body: html`<h1>${t('reports.draftTitle', { period: d.periodId })}</h1>
          <p><span class="tag">${labelOf(t, 'reports.status', d.status)}</span></p>
          <dl class="summary-list">
            ${row(t('public.report.applications'), s.applications)}
            ${row(t('public.report.withheld'), s.withheldByDelay)}
            ${row(t('reports.builtAt'), `${d.builtAt.slice(0, 16).replace('T', ' ')} (${d.builtBy})`)}
            ${row(t('reports.sha'), d.contentSha256)}
            ${row(t('reports.correctionNote'), d.correctionNote ?? '—')}
            ${row(t('reports.reviewed'), d.reviewedAt ? `${d.reviewedAt.slice(0, 16).replace('T', ' ')} (${d.reviewedBy ?? ''})` : '—')}
            ${row(t('reports.reviewNote'), d.reviewNote ?? '—')}
            ${row(t('reports.revision'), d.publishedRevision ?? '—')}
          </dl>
          <h2>${t('reports.notices')}</h2>
          ${
            d.notices.length
              ? dataTable(
                  t('reports.notices'),
                  [t('application.reference'), t('reports.reason')],
                  d.notices.map(
                    (n) =>
                      html`<tr>
                        <td>${n.reference}</td>
                        <td>${n.reason}</td>
                      </tr>`,
                  ),
                )
              : html`<p>${t('reports.noNotices')}</p>`
          }
          <h2>${t('reports.byDestination')}</h2>
          ${
            report.tables.byDestination.suppressed
              ? html`<p>${t('reports.suppressed')}</p>`
              : dataTable(
                  t('reports.byDestination'),
                  [t('application.destination'), t('public.report.applications')],
                  report.tables.byDestination.rows.map(
                    (r) =>
                      html`<tr>
                        <td>${r.label}</td>
                        <td>${r.applications}</td>
                      </tr>`,
                  ),
                )
          }
          ${
            d.status === 'draft'
              ? html`<h2>${t('reports.review')}</h2>
                  ${errorSummary(t, review, { decision: t('reports.decision'), note: t('reports.reviewNote') })}
                  <form method="post" action="/officer/reports/${d.id}/review" novalidate>
                    ${csrfField(p)}<input type="hidden" name="version" value="${d.version}" />
                    ${radioGroup(t, {
                      name: 'decision',
                      label: t('reports.decision'),
                      form: review,
                      inline: true,
                      options: [
                        { value: 'approve', label: t('reports.approve') },
                        { value: 'reject', label: t('reports.reject') },
                      ],
                    })}
                    ${textArea(t, { name: 'note', label: t('reports.reviewNote'), hint: t('reports.reviewNoteHint'), form: review, rows: 2 })}
                    ${submitButton(t('reports.recordReview'))}
                  </form>`
              : ''
          }
          ${
            d.status === 'approved'
              ? html`<h2>${t('reports.publish')}</h2>
                  ${errorSummary(t, publish, { note: t('reports.publishNote') })}
                  <form method="post" action="/officer/reports/${d.id}/publish" novalidate>
                    ${csrfField(p)}
                    ${textArea(t, { name: 'note', label: t('reports.publishNote'), hint: t('reports.publishNoteHint'), form: publish, rows: 2 })}
                    ${submitButton(t('reports.publishButton'))}
                  </form>`
              : ''
          }
          ${
            d.publishedRevision
              ? html`<p><a href="/reports/${d.periodId}">${t('reports.viewPublished')}</a></p>`
              : ''
          }`,
      },
      status,
    );
  }

  app.get('/officer/reports/:id', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireOfficerPage(p);
    const id = uuidParam(req.params);
    if (!id) return reply.callNotFound();
    return renderDraft(p, reply, id);
  });

  app.post('/officer/reports/:id/review', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireOfficerPage(p);
    const id = uuidParam(req.params);
    if (!id) return reply.callNotFound();
    const v = formValues(req.body);
    try {
      const d = await reviewReportDraft(ctx, p.principal, id, {
        decision: optional(v.decision),
        note: optional(v.note),
        version: /^\d+$/.test(v.version ?? '') ? Number(v.version) : v.version,
      });
      return redirectWithFlash(
        reply,
        `/officer/reports/${id}`,
        d.status === 'approved' ? 'flash.draftApproved' : 'flash.draftRejected',
        d.periodId,
      );
    } catch (e) {
      if (!isInputError(e)) throw e;
      const form = emptyForm(v);
      form.errors = errorsFromDomain(p.t, e, ['decision', 'note'], 'decision');
      if (form.errors.decision && !v.decision) form.errors.decision = p.t('reports.decisionMissing');
      if (form.errors.note && !v.note?.trim()) form.errors.note = p.t('reports.noteMissing');
      return renderDraft(p, reply, id, { review: form }, statusOf(e.code));
    }
  });

  app.post('/officer/reports/:id/publish', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireOfficerPage(p);
    const id = uuidParam(req.params);
    if (!id) return reply.callNotFound();
    const v = formValues(req.body);
    try {
      const r = await publishReportDraft(ctx, p.principal, id, { note: optional(v.note) });
      return redirectWithFlash(
        reply,
        `/officer/reports/${id}`,
        r.action === 'published' ? 'flash.reportPublished' : 'flash.reportUnchanged',
        `${r.revision.periodId} r${r.revision.revision}`,
      );
    } catch (e) {
      if (!isInputError(e)) throw e;
      const form = emptyForm(v);
      form.errors = errorsFromDomain(p.t, e, ['note'], 'note');
      return renderDraft(p, reply, id, { publish: form }, statusOf(e.code));
    }
  });
}
