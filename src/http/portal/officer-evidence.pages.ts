/**
 * Officer workspace: evidence moderation. The queue of registry records (filters: status, country, right), one page
 * per record (content, attachments, submitter contact: staff only) with the moderation form (accept with a
 * reliability grade, reject with a note), and direct staff entry. The evidence service decides; refusals are shown
 * beside their fields with the values kept.
 */
import type { FastifyReply } from 'fastify';
import type { EvidenceStaffView } from '../../contracts/evidence.ts';
import { CHARTER_ARTICLES, RELIABILITY_LEVELS } from '../../domain/assessment.ts';
import { EVIDENCE_STATUSES, EVIDENCE_TYPES } from '../../domain/model.ts';
import type { ServiceContext } from '../../services/context.ts';
import {
  getEvidence,
  listEvidence,
  moderateEvidence,
  recordEvidence,
} from '../../services/evidence.service.ts';
import type { TypedApp } from '../routes/types.ts';
import { dataTable, pager } from './components.ts';
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
import { pageNumber, requireOfficerPage, uuidParam } from './guards.ts';
import { html, safeUrl, type SafeHtml } from './html.ts';
import { labelOf, type MessageKey, type Translate } from './i18n.ts';
import { csrfField, pageContext, redirectWithFlash, sendPage, type PageContext } from './page.ts';

const PAGE_SIZE = 25;
const hide = { schema: { hide: true } } as const;

const splitList = (text: string | undefined): string[] =>
  (text ?? '')
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
const splitLines = (text: string | undefined): string[] =>
  (text ?? '')
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);
/** An optional text field: absent when blank, so the service's "optional" rules apply. */
const optional = (v: string | undefined): string | undefined => (v?.trim() ? v.trim() : undefined);

const reliabilityOptions = (t: Translate) =>
  RELIABILITY_LEVELS.map((r) => ({ value: r, label: labelOf(t, 'evidence.reliability', r) }));
const rightLabel = (t: Translate, a: number): string => t('evidence.right', { n: a });

/**
 * The service's messages for a field left empty, replaced by the catalogue's (in the page's language); other
 * refusals (format, length, conflicts) keep the service's wording.
 */
function localiseMissing(
  t: Translate,
  errors: Record<string, string>,
  values: Record<string, string>,
  messages: Record<string, MessageKey>,
): Record<string, string> {
  for (const [field, key] of Object.entries(messages))
    if (errors[field] && !values[field]?.trim()) errors[field] = t(key);
  return errors;
}

/** The queue's filters from the query string: the status defaults to pending (the moderation queue). */
function filtersOf(query: unknown): { form: FormState; status: string } {
  const q = (query ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof q[k] === 'string' ? (q[k] as string).trim() : '');
  const status = q.status === undefined ? 'pending' : str('status');
  return { form: emptyForm({ status, country: str('country').toUpperCase(), right: str('right') }), status };
}

function tagList(values: readonly (string | number)[]): SafeHtml | string {
  return values.length ? values.join(', ') : '—';
}

export function registerOfficerEvidencePages(app: TypedApp, ctx: ServiceContext): void {
  app.get('/officer/evidence', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireOfficerPage(p);
    const { t } = p;
    const { form, status } = filtersOf(req.query);
    const page = pageNumber(req.query);
    const query = {
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
      ...((EVIDENCE_STATUSES as readonly string[]).includes(status) && { status }),
      ...(form.values.country && { country: form.values.country }),
      ...(form.values.right && { right: form.values.right }),
    };
    if (status && !(EVIDENCE_STATUSES as readonly string[]).includes(status))
      form.errors.status = t('evidence.statusInvalid');
    let list: Awaited<ReturnType<typeof listEvidence>> = { items: [], total: 0, limit: PAGE_SIZE, offset: 0 };
    try {
      if (!form.errors.status) list = await listEvidence(ctx, p.principal, query);
    } catch (e) {
      if (!isInputError(e)) throw e;
      Object.assign(form.errors, errorsFromDomain(p.t, e, ['country', 'right'], 'country'));
    }
    const failed = Object.keys(form.errors).length > 0;
    const extra = ['status', 'country', 'right']
      .map((k) =>
        (req.query as Record<string, unknown>)[k] !== undefined
          ? `&${k}=${encodeURIComponent(form.values[k] ?? '')}`
          : '',
      )
      .join('');
    const labels = {
      status: t('evidence.status'),
      country: t('evidence.country'),
      right: t('evidence.rightFilter'),
    };
    return sendPage(
      reply,
      p,
      {
        title: t('evidence.queueTitle'),
        errorCount: Object.keys(form.errors).length,
        body: html`<h1>${t('evidence.queueTitle')}</h1>
          <p class="lead">${t('evidence.queueLead')}</p>
          <p><a href="/officer/evidence/new">${t('evidence.newTitle')}</a></p>
          ${errorSummary(t, form, labels)}
          <form method="get" action="/officer/evidence" class="filters" novalidate>
            ${selectField(t, {
              name: 'status',
              label: labels.status,
              form,
              placeholder: t('common.any'),
              options: EVIDENCE_STATUSES.map((s) => ({ value: s, label: labelOf(t, 'evidence.status', s) })),
            })}
            ${textField(t, { name: 'country', label: labels.country, hint: t('party.countryHint'), form, width: 'short' })}
            ${selectField(t, {
              name: 'right',
              label: labels.right,
              form,
              placeholder: t('common.any'),
              options: CHARTER_ARTICLES.map((a) => ({ value: String(a), label: rightLabel(t, a) })),
            })}
            ${submitButton(t('common.filter'), { secondary: true })}
          </form>
          ${
            failed
              ? ''
              : html`<p>${t('evidence.count', { n: list.total })}</p>
                  ${
                    list.items.length
                      ? html`${dataTable(
                          t('evidence.queueTitle'),
                          [
                            t('evidence.fieldTitle'),
                            t('evidence.status'),
                            t('evidence.type'),
                            t('evidence.countries'),
                            t('evidence.rights'),
                            t('evidence.reliability'),
                            t('evidence.received'),
                          ],
                          list.items.map(
                            (e) =>
                              html`<tr>
                                <td><a href="/officer/evidence/${e.id}">${e.title}</a></td>
                                <td><span class="tag">${labelOf(t, 'evidence.status', e.status)}</span></td>
                                <td>${labelOf(t, 'evidenceType', e.evidenceType)}</td>
                                <td>${tagList(e.countries)}</td>
                                <td>${tagList(e.rights)}</td>
                                <td>${labelOf(t, 'evidence.reliability', e.reliability)}</td>
                                <td class="date">${e.createdAt.slice(0, 10)}</td>
                              </tr>`,
                          ),
                        )}
                        ${pager(t, '/officer/evidence', page, list.total, PAGE_SIZE, extra)}`
                      : html`<p>${t('evidence.empty')}</p>`
                  }`
          }`,
      },
      failed ? 400 : 200,
    );
  });

  // ---- staff entry ----
  const entryFields = [
    'title',
    'summary',
    'evidenceType',
    'publishedOn',
    'sourceUrl',
    'countries',
    'endUsers',
    'companies',
    'rights',
    'reliability',
    'confidential',
    'note',
  ] as const;

  function renderEntry(p: PageContext, reply: FastifyReply, form: FormState, status = 200): FastifyReply {
    const { t } = p;
    const labels: Record<string, string> = {
      title: t('evidence.fieldTitle'),
      summary: t('evidence.fieldSummary'),
      evidenceType: t('evidence.type'),
      publishedOn: t('evidence.publishedOn'),
      sourceUrl: t('evidence.source'),
      countries: t('evidence.countries'),
      endUsers: t('evidence.endUsers'),
      companies: t('evidence.companies'),
      rights: t('evidence.rights'),
      reliability: t('evidence.reliability'),
      confidential: t('evidence.confidential'),
      note: t('evidence.note'),
    };
    return sendPage(
      reply,
      p,
      {
        title: t('evidence.newTitle'),
        errorCount: Object.keys(form.errors).length,
        breadcrumbs: [{ href: '/officer/evidence', label: t('evidence.queueTitle') }],
        body: html`<h1>${t('evidence.newTitle')}</h1>
          <p class="lead">${t('evidence.newLead')}</p>
          ${errorSummary(t, form, labels)}
          <form method="post" action="/officer/evidence/new" novalidate>
            ${csrfField(p)} ${textField(t, { name: 'title', label: labels.title!, form })}
            ${textArea(t, { name: 'summary', label: labels.summary!, form, rows: 6 })}
            ${selectField(t, {
              name: 'evidenceType',
              label: labels.evidenceType!,
              form,
              placeholder: t('common.choose'),
              options: EVIDENCE_TYPES.map((x) => ({ value: x, label: labelOf(t, 'evidenceType', x) })),
            })}
            ${textField(t, { name: 'publishedOn', label: labels.publishedOn!, hint: t('evidence.dateHint'), form, width: 'short' })}
            ${textField(t, { name: 'sourceUrl', label: labels.sourceUrl!, hint: t('public.evidence.sourceHint'), form })}
            ${textField(t, { name: 'countries', label: labels.countries!, hint: t('public.evidence.countriesHint'), form })}
            ${textArea(t, { name: 'endUsers', label: labels.endUsers!, hint: t('evidence.onePerLine'), form, rows: 2 })}
            ${textArea(t, { name: 'companies', label: labels.companies!, hint: t('evidence.onePerLine'), form, rows: 2 })}
            ${textField(t, { name: 'rights', label: labels.rights!, hint: t('evidence.rightsHint'), form })}
            ${radioGroup(t, { name: 'reliability', label: labels.reliability!, form, inline: true, options: reliabilityOptions(t) })}
            ${radioGroup(t, {
              name: 'confidential',
              label: labels.confidential!,
              hint: t('evidence.confidentialHint'),
              form,
              inline: true,
              options: [
                { value: 'false', label: t('common.no') },
                { value: 'true', label: t('common.yes') },
              ],
            })}
            ${textArea(t, { name: 'note', label: labels.note!, form, rows: 3 })}
            ${submitButton(t('evidence.record'))}
          </form>`,
      },
      status,
    );
  }

  app.get('/officer/evidence/new', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireOfficerPage(p);
    return renderEntry(p, reply, emptyForm({ confidential: 'false' }));
  });

  app.post('/officer/evidence/new', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireOfficerPage(p);
    const v = formValues(req.body);
    const form = emptyForm(v);
    try {
      const created = await recordEvidence(ctx, p.principal, {
        title: v.title ?? '',
        summary: v.summary ?? '',
        evidenceType: optional(v.evidenceType),
        publishedOn: optional(v.publishedOn),
        sourceUrl: optional(v.sourceUrl),
        countries: splitList(v.countries).map((c) => c.toUpperCase()),
        endUsers: splitLines(v.endUsers),
        companies: splitLines(v.companies),
        rights: splitList(v.rights).map((r) => (/^\d+$/.test(r) ? Number(r) : r)),
        reliability: optional(v.reliability),
        confidential: v.confidential === 'true',
        note: optional(v.note),
      });
      return redirectWithFlash(
        reply,
        `/officer/evidence/${created.id}`,
        'flash.evidenceRecorded',
        created.title,
      );
    } catch (e) {
      if (!isInputError(e)) throw e;
      form.errors = localiseMissing(p.t, errorsFromDomain(p.t, e, entryFields, 'title'), v, {
        title: 'public.evidence.titleMissing',
        summary: 'public.evidence.summaryMissing',
        evidenceType: 'public.evidence.typeMissing',
        reliability: 'evidence.reliabilityMissing',
      });
      return renderEntry(p, reply, form, e.code === 'TOO_LARGE' ? 413 : e.code === 'CONFLICT' ? 409 : 400);
    }
  });

  // ---- one record and its moderation ----
  async function renderRecord(
    p: PageContext,
    reply: FastifyReply,
    id: string,
    form?: FormState,
    status = 200,
  ): Promise<FastifyReply> {
    const { t } = p;
    const e = (await getEvidence(ctx, p.principal, id)) as EvidenceStaffView;
    const moderation = form ?? emptyForm({ decision: '', reliability: '', confidential: 'keep' });
    const labels = {
      decision: t('evidence.decision'),
      reliability: t('evidence.reliability'),
      confidential: t('evidence.confidential'),
      note: t('evidence.note'),
    };
    const row = (label: string, value: SafeHtml | string | number) =>
      html`<div>
        <dt>${label}</dt>
        <dd>${value}</dd>
      </div>`;
    return sendPage(
      reply,
      p,
      {
        title: e.title,
        errorCount: Object.keys(moderation.errors).length,
        breadcrumbs: [{ href: '/officer/evidence', label: t('evidence.queueTitle') }],
        body: html`<h1>${e.title}</h1>
          <p>
            <span class="tag">${labelOf(t, 'evidence.status', e.status)}</span>
            ${e.confidential ? html` <span class="tag">${t('evidence.confidentialTag')}</span>` : ''}
          </p>
          <h2>${t('evidence.content')}</h2>
          <p class="evidence-summary">${e.summary}</p>
          <dl class="summary-list">
            ${row(t('evidence.type'), labelOf(t, 'evidenceType', e.evidenceType))}
            ${row(t('evidence.publishedOn'), e.publishedOn ?? '—')}
            ${row(
              t('evidence.source'),
              e.sourceUrl
                ? html`<a href="${safeUrl(e.sourceUrl)}" rel="noopener noreferrer">${e.sourceUrl}</a>`
                : '—',
            )}
            ${row(
              t('evidence.countries'),
              e.countries.length
                ? html`${e.countries.map(
                    (c, i) => html`${i ? ', ' : ''}<a href="/officer/countries/${c}">${c}</a>`,
                  )}`
                : '—',
            )}
            ${row(t('evidence.endUsers'), tagList(e.endUsers))}
            ${row(t('evidence.companies'), tagList(e.companies))}
            ${row(t('evidence.itemTypes'), tagList(e.itemTypes.map((x) => x.replace(/_/g, ' '))))}
            ${row(t('evidence.rights'), tagList(e.rights.map((a) => rightLabel(t, a))))}
            ${row(t('evidence.documentsMisuse'), e.documentsMisuse ? t('common.yes') : t('common.no'))}
            ${row(t('evidence.reliability'), labelOf(t, 'evidence.reliability', e.reliability))}
          </dl>
          <h2>${t('evidence.attachments')}</h2>
          ${
            e.attachments.length
              ? html`<ul>
                  ${e.attachments.map(
                    (a) =>
                      html`<li>
                        <a href="/api/evidence/${e.id}/attachments/${a.id}">${a.filename}</a>
                        <span class="meta"
                          >(${a.mediaType}, ${Math.ceil(a.sizeBytes / 1024)} KB, SHA-256
                          ${a.sha256.slice(0, 12)}…)</span
                        >
                      </li>`,
                  )}
                </ul>`
              : html`<p>${t('evidence.noAttachments')}</p>`
          }
          <h2>${t('evidence.submission')}</h2>
          <p class="hint">${t('evidence.staffOnly')}</p>
          <dl class="summary-list">
            ${row(t('evidence.enteredBy'), labelOf(t, 'evidence.enteredBy', e.enteredBy))}
            ${row(t('evidence.received'), e.createdAt.slice(0, 16).replace('T', ' '))}
            ${row(t('evidence.contact'), e.submitterContact ?? '—')}
            ${row(t('evidence.moderatedAt'), e.moderatedAt ? e.moderatedAt.slice(0, 16).replace('T', ' ') : '—')}
            ${row(t('evidence.note'), e.moderationNote ?? '—')} ${row(t('common.version'), e.version)}
          </dl>
          <h2>${t('evidence.moderation')}</h2>
          ${
            e.status === 'pending'
              ? html`${errorSummary(t, moderation, labels)}
                  <form method="post" action="/officer/evidence/${e.id}/moderation" novalidate>
                    ${csrfField(p)}
                    <input type="hidden" name="version" value="${e.version}" />
                    ${radioGroup(t, {
                      name: 'decision',
                      label: labels.decision,
                      form: moderation,
                      inline: true,
                      options: [
                        { value: 'accept', label: t('evidence.accept') },
                        { value: 'reject', label: t('evidence.reject') },
                      ],
                    })}
                    ${radioGroup(t, {
                      name: 'reliability',
                      label: labels.reliability,
                      hint: t('evidence.reliabilityHint'),
                      form: moderation,
                      inline: true,
                      options: reliabilityOptions(t),
                    })}
                    ${radioGroup(t, {
                      name: 'confidential',
                      label: labels.confidential,
                      hint: t('evidence.confidentialHint'),
                      form: moderation,
                      inline: true,
                      options: [
                        { value: 'keep', label: t('evidence.keepAsSubmitted') },
                        { value: 'true', label: t('common.yes') },
                        { value: 'false', label: t('common.no') },
                      ],
                    })}
                    ${textArea(t, { name: 'note', label: labels.note, hint: t('evidence.noteHint'), form: moderation, rows: 3 })}
                    ${submitButton(t('evidence.moderate'))}
                  </form>`
              : html`<p>
                  ${t('evidence.alreadyModerated', { status: labelOf(t, 'evidence.status', e.status) })}
                </p>`
          }`,
      },
      status,
    );
  }

  app.get('/officer/evidence/:id', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireOfficerPage(p);
    const id = uuidParam(req.params);
    if (!id) return reply.callNotFound();
    return renderRecord(p, reply, id);
  });

  app.post('/officer/evidence/:id/moderation', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireOfficerPage(p);
    const id = uuidParam(req.params);
    if (!id) return reply.callNotFound();
    const v = formValues(req.body);
    const version = /^\d+$/.test(v.version ?? '') ? Number(v.version) : v.version;
    const accept = v.decision === 'accept';
    const input = accept
      ? {
          decision: 'accept',
          version,
          reliability: optional(v.reliability),
          ...(v.confidential === 'true' || v.confidential === 'false'
            ? { confidential: v.confidential === 'true' }
            : {}),
          note: optional(v.note),
        }
      : { decision: optional(v.decision), version, note: optional(v.note) };
    try {
      const done = await moderateEvidence(ctx, p.principal, id, input);
      return redirectWithFlash(
        reply,
        `/officer/evidence/${id}`,
        done.status === 'accepted' ? 'flash.evidenceAccepted' : 'flash.evidenceRejected',
        done.title,
      );
    } catch (e) {
      if (!isInputError(e)) throw e;
      const form = emptyForm(v);
      form.errors = errorsFromDomain(p.t, e, ['decision', 'reliability', 'confidential', 'note'], 'decision');
      if (e.code === 'INVALID')
        localiseMissing(p.t, form.errors, v, {
          decision: 'evidence.decisionMissing',
          reliability: 'evidence.reliabilityMissing',
          note: 'evidence.noteMissing',
        });
      return renderRecord(p, reply, id, form, e.code === 'CONFLICT' ? 409 : 400);
    }
  });
}
