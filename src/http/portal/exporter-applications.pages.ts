/**
 * Exporter workspace: applications as a multi-step form (details, lines, parties with roles, due diligence,
 * attachments, review), and the status page with its due-diligence summary and the transitions history.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DomainError } from '../../domain/errors.ts';
import { uploadFault } from '../uploads.ts';
import { EDITABLE_STATUSES, type Application } from '../../domain/model.ts';
import type { ApplicationLineInput, ApplicationPartyInput } from '../../contracts/foundation.ts';
import {
  createApplication,
  getApplication,
  listApplications,
  submissionGaps,
  submitApplication,
  updateApplication,
  withdrawApplication,
} from '../../services/applications.service.ts';
import {
  answerInformationRequest,
  getCaseDeadlines,
  listInformationRequests,
} from '../../services/casework.service.ts';
import { getItem, getParty, listItems, listParties } from '../../services/catalogue.service.ts';
import type { ServiceContext } from '../../services/context.ts';
import { attachDocument, listDocuments } from '../../services/documents.service.ts';
import {
  getDueDiligence,
  getDueDiligenceQuestionnaire,
  isDueDiligenceClosed,
  saveDueDiligence,
} from '../../services/due-diligence.service.ts';
import { csrfMatches } from '../../services/identity.service.ts';
import type { TypedApp } from '../routes/types.ts';
import { deadlinesTable, pager, statusFilterField, statusHistoryTable, statusQuery } from './components.ts';
import {
  answerField,
  answersToForm,
  diligenceFields,
  diligenceLabels,
  diligenceSummary,
  formToAnswers,
} from './due-diligence-form.ts';
import { screenForPage, screeningPanel } from './exporter-parties.pages.ts';
import {
  checkboxGroup,
  emptyForm,
  formList,
  errorSummary,
  errorsFromDomain,
  issueText,
  refusalText,
  fileField,
  formValues,
  isInputError,
  radioGroup,
  selectField,
  submitButton,
  textArea,
  textField,
  type FormState,
} from './forms.ts';
import { pageNumber, requireExporterPage } from './guards.ts';
import { html, type SafeHtml } from './html.ts';
import { labelOf, type Translate } from './i18n.ts';
import {
  csrfField,
  pageContext,
  redirectWithFlash,
  sendPage,
  type PageContext,
  type PageOptions,
} from './page.ts';
import { EXPORT_CHANNELS, LICENCE_TYPES, PARTY_ROLES, QUANTITY_UNITS } from './vocabulary.ts';

const IdParams = z.object({ id: z.uuid() });
const PAGE_SIZE = 50;
type Line = z.infer<typeof ApplicationLineInput>;
type AppParty = z.infer<typeof ApplicationPartyInput>;

const STEPS = ['details', 'lines', 'parties', 'diligence', 'attachments', 'review'] as const;
type Step = (typeof STEPS)[number];

const DETAIL_FIELDS = ['licenceType', 'destinationCountry', 'exportChannel', 'intendedEndUse'] as const;
const LINE_FIELDS = ['itemId', 'quantity', 'unit', 'value', 'currency', 'valueEur'] as const;

const isEditable = (a: Application): boolean => EDITABLE_STATUSES.includes(a.status);
const linesOf = (a: Application): Line[] =>
  a.lines.map((l) => ({
    itemId: l.itemId,
    quantity: l.quantity,
    unit: l.unit,
    value: l.value,
    currency: l.currency,
    valueEur: l.valueEur,
  }));
const partiesOf = (a: Application): AppParty[] =>
  a.parties.map((p) => ({ partyId: p.partyId, role: p.role }));

function stepNav(t: Translate, a: Application, current: Step): SafeHtml {
  return html`<nav class="steps" aria-label="${t('application.steps')}">
    <ol>
      ${STEPS.map((s, i) =>
        s === current
          ? html`<li>
              <a href="/exporter/applications/${a.id}/${s}" aria-current="step"
                ><span class="step-no">${i + 1}</span> ${t(`step.${s}`)}</a
              >
            </li>`
          : html`<li>
              <a href="/exporter/applications/${a.id}/${s}"
                ><span class="step-no">${i + 1}</span> ${t(`step.${s}`)}</a
              >
            </li>`,
      )}
    </ol>
  </nav>`;
}

/** The link to the next step of the form. */
const nextStepLink = (t: Translate, a: Application, step: Step): SafeHtml =>
  html`<p>
    <a class="button button-secondary" href="/exporter/applications/${a.id}/${step}"
      >${t('common.next')}: ${t(`step.${step}`)}</a
    >
  </p>`;

const detailLabels = (t: Translate): Record<string, string> => ({
  licenceType: t('application.licenceType'),
  destinationCountry: t('application.destination'),
  exportChannel: t('application.exportChannel'),
  intendedEndUse: t('application.endUse'),
  version: t('common.version'),
});

function detailsForm(p: PageContext, form: FormState, action: string, version?: number): SafeHtml {
  const { t } = p;
  const labels = detailLabels(t);
  return html`${errorSummary(t, form, labels)}
    <form method="post" action="${action}" novalidate>
      ${csrfField(p)}
      ${version !== undefined ? html`<input type="hidden" name="version" value="${version}" />` : ''}
      ${radioGroup(t, { name: 'licenceType', label: labels.licenceType!, form, options: LICENCE_TYPES.map((v) => ({ value: v, label: labelOf(t, 'licenceType', v) })) })}
      ${textField(t, { name: 'destinationCountry', label: labels.destinationCountry!, hint: t('party.countryHint'), form, width: 'short' })}
      ${selectField(t, { name: 'exportChannel', label: labels.exportChannel!, form, options: EXPORT_CHANNELS.map((v) => ({ value: v, label: labelOf(t, 'channel', v) })) })}
      ${textArea(t, { name: 'intendedEndUse', label: labels.intendedEndUse!, hint: t('application.endUseHint'), form, rows: 5 })}
      ${submitButton(t('common.saveContinue'))}
    </form>`;
}

const detailsInput = (v: Record<string, string>) => ({
  licenceType: (v.licenceType ?? '') as 'individual',
  destinationCountry: (v.destinationCountry ?? '').trim().toUpperCase(),
  exportChannel: (v.exportChannel ?? 'physical') as 'physical',
  intendedEndUse: v.intendedEndUse ?? '',
});

/** A number typed in a form: a decimal comma is accepted; anything else that is not a number is NaN (refused). */
const parseAmount = (s: string | undefined): number => {
  const v = (s ?? '').trim().replace(/\s/g, '').replace(',', '.');
  return v === '' || !/^-?\d+(\.\d+)?$/.test(v) ? Number.NaN : Number(v);
};

type InformationRequest = Awaited<ReturnType<typeof listInformationRequests>>[number];
type Deadline = Awaited<ReturnType<typeof getCaseDeadlines>>[number];
/** A refused answer to an information request: what was typed, and the errors beside the fields. */
type Answering = { requestId: string; form: FormState; documentIds: string[] };

/**
 * The authority's information requests on the application: what was asked and by when, the answer given, and for an
 * open request a form to answer it (text, and documents already attached to this application).
 */
function informationSection(
  p: PageContext,
  a: Application,
  requests: readonly InformationRequest[],
  docs: readonly { id: string; filename: string }[],
  answering: Answering | null,
): SafeHtml {
  const { t } = p;
  if (requests.length === 0) return html``;
  return html`<h2 id="information">${t('information.title')}</h2>
    ${requests.map((r) => {
      const form = answering?.requestId === r.id ? answering.form : emptyForm();
      const checked = new Set(answering?.requestId === r.id ? answering.documentIds : []);
      return html`<section class="information-request" aria-labelledby="ir-${r.id}">
        <h3 id="ir-${r.id}">
          ${t('information.asked', { date: r.askedAt.slice(0, 10), due: r.dueOn })}
          <span class="tag tag-status">${t(`information.${r.status}`)}</span>
        </h3>
        <ul>
          ${r.questions.map((q) => html`<li>${q}</li>`)}
        </ul>
        ${
          r.answer !== null
            ? html`<p><strong>${t('information.answer')}</strong> (${(r.answeredAt ?? '').slice(0, 10)}):</p>
                <p class="answer">${r.answer}</p>`
            : ''
        }
        ${
          r.status === 'open'
            ? html`<form method="post" action="/exporter/applications/${a.id}/information/${r.id}" novalidate>
                ${csrfField(p)}
                ${textArea(t, { name: 'answer', label: t('information.answer'), hint: t('information.answerHint'), form, rows: 5 })}
                ${
                  docs.length
                    ? checkboxGroup(t, {
                        name: 'documentIds',
                        label: t('information.documents'),
                        hint: t('information.documentsHint'),
                        form,
                        checked,
                        options: docs.map((d) => ({ value: d.id, label: d.filename })),
                      })
                    : html`<p class="hint">${t('information.noDocuments')}</p>`
                }
                ${submitButton(t('information.send'))}
              </form>`
            : ''
        }
      </section>`;
    })}`;
}

/** The application's deadlines (the authority's and the exporter's), with the working days left on open ones. */
function deadlinesSection(t: Translate, deadlines: readonly Deadline[]): SafeHtml {
  if (deadlines.length === 0) return html``;
  return html`<h2>${t('deadlines.title')}</h2>
    ${deadlinesTable(t, t('deadlines.title'), deadlines)}`;
}

export function registerExporterApplicationPages(app: TypedApp, ctx: ServiceContext): void {
  const hide = { schema: { hide: true } };

  const load = async (req: FastifyRequest, reply: FastifyReply) => {
    const p = pageContext(ctx, req, reply);
    requireExporterPage(p);
    const a = await getApplication(ctx, p.principal, IdParams.parse(req.params).id);
    return { p, a };
  };

  const stepPage = (
    reply: FastifyReply,
    p: PageContext,
    a: Application,
    step: Step,
    body: SafeHtml,
    errorCount = 0,
    status = 200,
  ) => {
    const { t } = p;
    const o: PageOptions = {
      title: `${t(`step.${step}`)} – ${a.reference}`,
      errorCount,
      breadcrumbs: [
        { href: '/exporter/applications', label: t('applications.title') },
        { href: `/exporter/applications/${a.id}`, label: a.reference },
      ],
      body: html`<span class="caption">${a.reference}</span> ${stepNav(t, a, step)}
        ${isEditable(a) ? '' : html`<div class="notice"><p>${t('application.notEditable', { status: labelOf(t, 'status', a.status) })}</p></div>`}
        ${body}`,
    };
    return sendPage(reply, p, o, status);
  };

  /** Save a change to lines or parties under the version the page was rendered with. */
  const saveParts = (
    p: PageContext,
    a: Application,
    version: number,
    change: { lines?: Line[]; parties?: AppParty[] },
  ) => updateApplication(ctx, p.principal, a.id, { version, ...change });

  app.get('/exporter/applications', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireExporterPage(p);
    const { t } = p;
    const page = pageNumber(req.query);
    const status = statusQuery(req.query);
    const list = await listApplications(ctx, p.principal, {
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
      ...(status && { status }),
    });
    return sendPage(reply, p, {
      title: t('applications.title'),
      body: html`<h1>${t('applications.title')}</h1>
        <p><a class="button" href="/exporter/applications/new">${t('application.start')}</a></p>
        <form method="get" action="/exporter/applications" class="filters">
          ${statusFilterField(t, emptyForm({ status: status ?? '' }))}
          ${submitButton(t('common.filter'), { secondary: true })}
        </form>
        ${
          list.items.length
            ? html`<table class="table">
                  <caption class="visually-hidden">
                    ${t('applications.title')}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">${t('application.reference')}</th>
                      <th scope="col">${t('application.destination')}</th>
                      <th scope="col">${t('application.licenceType')}</th>
                      <th scope="col">${t('application.status')}</th>
                      <th scope="col">${t('application.updated')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${list.items.map(
                      (a) =>
                        html`<tr>
                          <td class="ref"><a href="/exporter/applications/${a.id}">${a.reference}</a></td>
                          <td>${a.destinationCountry}</td>
                          <td>${labelOf(t, 'licenceType', a.licenceType)}</td>
                          <td><span class="tag">${labelOf(t, 'status', a.status)}</span></td>
                          <td class="date">${a.updatedAt.slice(0, 10)}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
                ${pager(t, '/exporter/applications', page, list.total, PAGE_SIZE, status ? `&status=${status}` : '')}`
            : html`<p>${t('applications.empty')}</p>`
        }`,
    });
  });

  app.get('/exporter/applications/new', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireExporterPage(p);
    return sendPage(reply, p, {
      title: p.t('application.start'),
      breadcrumbs: [{ href: '/exporter/applications', label: p.t('applications.title') }],
      body: html`<h1>${p.t('application.start')}</h1>
        <p>${p.t('application.startLead')}</p>
        ${detailsForm(p, emptyForm({ licenceType: 'individual', exportChannel: 'physical' }), '/exporter/applications/new')}`,
    });
  });

  app.post('/exporter/applications/new', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireExporterPage(p);
    const values = formValues(req.body);
    try {
      const a = await createApplication(ctx, p.principal, {
        ...detailsInput(values),
        lines: [],
        parties: [],
      });
      return redirectWithFlash(
        reply,
        `/exporter/applications/${a.id}/lines`,
        'flash.applicationCreated',
        a.reference,
      );
    } catch (e) {
      if (!isInputError(e)) throw e;
      const form = { values, errors: errorsFromDomain(p.t, e, DETAIL_FIELDS, 'licenceType') };
      return sendPage(
        reply,
        p,
        {
          title: p.t('application.start'),
          errorCount: Object.keys(form.errors).length,
          breadcrumbs: [{ href: '/exporter/applications', label: p.t('applications.title') }],
          body: html`<h1>${p.t('application.start')}</h1>
            ${detailsForm(p, form, '/exporter/applications/new')}`,
        },
        400,
      );
    }
  });

  /**
   * The status page; `answering` keeps what was typed in a refused answer to an information request, with its errors
   * beside the fields.
   */
  const statusPage = async (
    reply: FastifyReply,
    p: PageContext,
    a: Awaited<ReturnType<typeof getApplication>>,
    answering: Answering | null = null,
    status = 200,
  ) => {
    const { t } = p;
    // only the records this application names (not the whole catalogue): the status page stays fast for big catalogues
    const [docs, items, parties, diligence, requests, deadlines] = await Promise.all([
      listDocuments(ctx, p.principal, a.id),
      Promise.all([...new Set(a.lines.map((l) => l.itemId))].map((id) => getItem(ctx, p.principal, id))),
      Promise.all([...new Set(a.parties.map((x) => x.partyId))].map((id) => getParty(ctx, p.principal, id))),
      getDueDiligence(ctx, p.principal, a.id),
      listInformationRequests(ctx, p.principal, a.id),
      getCaseDeadlines(ctx, p.principal, a.id),
    ]);
    const itemName = new Map(items.map((i) => [i.id, i.name]));
    const partyName = new Map(parties.map((x) => [x.id, x.name]));
    const withdrawable = [
      'draft',
      'submitted',
      'in_assessment',
      'information_requested',
      'in_consultation',
    ].includes(a.status);
    const errorCount = answering ? Object.keys(answering.form.errors).length : 0;
    return sendPage(
      reply,
      p,
      {
        title: a.reference,
        errorCount,
        breadcrumbs: [{ href: '/exporter/applications', label: t('applications.title') }],
        body: html`${answering ? errorSummary(t, answering.form, { answer: t('information.answer'), documentIds: t('information.documents') }) : ''}
          <span class="caption">${t('application.caption')}</span>
          <h1>${a.reference} <span class="tag tag-status">${labelOf(t, 'status', a.status)}</span></h1>
          ${isEditable(a) ? html`<p><a class="button" href="/exporter/applications/${a.id}/${a.lines.length ? 'review' : 'lines'}">${t('application.continue')}</a></p>` : ''}
          <dl class="summary-list">
            <div>
              <dt>${t('application.licenceType')}</dt>
              <dd>${labelOf(t, 'licenceType', a.licenceType)}</dd>
            </div>
            <div>
              <dt>${t('application.destination')}</dt>
              <dd>${a.destinationCountry}</dd>
            </div>
            <div>
              <dt>${t('application.exportChannel')}</dt>
              <dd>${labelOf(t, 'channel', a.exportChannel)}</dd>
            </div>
            <div>
              <dt>${t('application.endUse')}</dt>
              <dd>${a.intendedEndUse || '—'}</dd>
            </div>
            <div>
              <dt>${t('application.totalValue')}</dt>
              <dd>${a.totalValueEur.toLocaleString(p.locale)} EUR</dd>
            </div>
            <div>
              <dt>${t('application.submitted')}</dt>
              <dd>${a.submittedAt ? a.submittedAt.slice(0, 10) : '—'}</dd>
            </div>
          </dl>
          ${informationSection(p, a, requests, docs, answering)} ${deadlinesSection(t, deadlines)}
          <h2>${t('step.lines')}</h2>
          ${linesTable(t, a, itemName)}
          <h2>${t('step.parties')}</h2>
          ${
            a.parties.length
              ? html`<ul>
                  ${a.parties.map((x) => html`<li>${labelOf(t, 'role', x.role)}: ${partyName.get(x.partyId) ?? x.partyId}</li>`)}
                </ul>`
              : html`<p>${t('application.noParties')}</p>`
          }
          <h2>${t('diligence.status')}</h2>
          ${diligence.record ? diligenceSummary(t, diligence.record.assessment) : html`<p>${t('diligence.none')}</p>`}
          <p>
            <a href="/exporter/applications/${a.id}/diligence"
              >${diligence.record || isDueDiligenceClosed(a.status) ? t('diligence.edit') : t('diligence.answer')}</a
            >
          </p>
          <h2>${t('step.attachments')}</h2>
          ${
            docs.length
              ? html`<ul>
                  ${docs.map((d) => html`<li><a href="/api/documents/${d.id}">${d.filename}</a> (${d.mediaType}, ${Math.ceil(d.sizeBytes / 1024)} KB)</li>`)}
                </ul>`
              : html`<p>${t('application.noAttachments')}</p>`
          }
          <h2>${t('application.history')}</h2>
          ${statusHistoryTable(
            t,
            t('application.history'),
            [t('application.when'), t('application.from'), t('application.to'), t('application.reason')],
            a.history,
          )}
          ${
            withdrawable
              ? html`<form method="post" action="/exporter/applications/${a.id}/withdraw" class="form-inline">
                  ${csrfField(p)}<input
                    type="hidden"
                    name="version"
                    value="${a.version}"
                  />${submitButton(t('application.withdraw'), { secondary: true })}
                </form>`
              : ''
          }`,
      },
      status,
    );
  };

  app.get('/exporter/applications/:id', hide, async (req, reply) => {
    const { p, a } = await load(req, reply);
    return statusPage(reply, p, a);
  });

  app.post('/exporter/applications/:id/information/:requestId', hide, async (req, reply) => {
    const { p, a } = await load(req, reply);
    const requestId = z.object({ requestId: z.uuid() }).parse(req.params).requestId;
    const values = formValues(req.body);
    const documentIds = formList(req.body, 'documentIds');
    try {
      await answerInformationRequest(ctx, p.principal, a.id, requestId, {
        answer: values.answer ?? '',
        documentIds,
      });
      return redirectWithFlash(
        reply,
        `/exporter/applications/${a.id}`,
        'flash.informationAnswered',
        a.reference,
      );
    } catch (e) {
      if (!isInputError(e)) throw e;
      const form = { values, errors: errorsFromDomain(p.t, e, ['answer', 'documentIds'], 'answer') };
      return statusPage(reply, p, a, { requestId, form, documentIds }, 400);
    }
  });

  // ---- step 1: details ----
  app.get('/exporter/applications/:id/details', hide, async (req, reply) => {
    const { p, a } = await load(req, reply);
    const form = emptyForm({
      licenceType: a.licenceType,
      destinationCountry: a.destinationCountry,
      exportChannel: a.exportChannel,
      intendedEndUse: a.intendedEndUse,
    });
    return stepPage(
      reply,
      p,
      a,
      'details',
      html`<h1>${p.t('step.details')}</h1>
        ${detailsForm(p, form, `/exporter/applications/${a.id}/details`, a.version)}`,
    );
  });

  app.post('/exporter/applications/:id/details', hide, async (req, reply) => {
    const { p, a } = await load(req, reply);
    const values = formValues(req.body);
    try {
      await updateApplication(ctx, p.principal, a.id, {
        version: Number(values.version),
        ...detailsInput(values),
      });
      return redirectWithFlash(
        reply,
        `/exporter/applications/${a.id}/lines`,
        'flash.applicationSaved',
        a.reference,
      );
    } catch (e) {
      if (!isInputError(e)) throw e;
      const form = { values, errors: errorsFromDomain(p.t, e, DETAIL_FIELDS, 'licenceType') };
      return stepPage(
        reply,
        p,
        a,
        'details',
        html`<h1>${p.t('step.details')}</h1>
          ${detailsForm(p, form, `/exporter/applications/${a.id}/details`, Number(values.version))}`,
        Object.keys(form.errors).length,
        400,
      );
    }
  });

  // ---- step 2: lines ----
  const linesPage = async (
    reply: FastifyReply,
    p: PageContext,
    a: Application,
    form: FormState,
    status = 200,
  ) => {
    const { t } = p;
    const items = await listItems(ctx, p.principal, { limit: 500, offset: 0 });
    const itemName = new Map(items.items.map((i) => [i.id, i.name]));
    const labels: Record<string, string> = {
      itemId: t('line.item'),
      quantity: t('line.quantity'),
      unit: t('line.unit'),
      value: t('line.value'),
      currency: t('line.currency'),
      valueEur: t('line.valueEur'),
    };
    return stepPage(
      reply,
      p,
      a,
      'lines',
      html`${errorSummary(t, form, labels)}
        <h1>${t('step.lines')}</h1>
        ${linesTable(t, a, itemName, isEditable(a) ? p : undefined)}
        ${
          items.items.length === 0
            ? html`<p>${t('line.noItems')} <a href="/exporter/items/new">${t('item.add')}</a></p>`
            : isEditable(a)
              ? html`<h2>${t('line.add')}</h2>
                  <form method="post" action="/exporter/applications/${a.id}/lines" novalidate>
                    ${csrfField(p)}<input type="hidden" name="version" value="${a.version}" />
                    ${selectField(t, { name: 'itemId', label: labels.itemId!, form, placeholder: t('common.choose'), options: items.items.map((i) => ({ value: i.id, label: i.name })) })}
                    ${textField(t, { name: 'quantity', label: labels.quantity!, form, width: 'short', inputmode: 'decimal' })}
                    ${selectField(t, { name: 'unit', label: labels.unit!, form, options: QUANTITY_UNITS.map((u) => ({ value: u, label: labelOf(t, 'unit', u) })) })}
                    ${textField(t, { name: 'value', label: labels.value!, form, width: 'short', inputmode: 'decimal' })}
                    ${textField(t, { name: 'currency', label: labels.currency!, hint: t('line.currencyHint'), form, width: 'short' })}
                    ${textField(t, { name: 'valueEur', label: labels.valueEur!, form, width: 'short', inputmode: 'decimal' })}
                    ${submitButton(t('line.addButton'))}
                  </form>`
              : ''
        }
        ${nextStepLink(t, a, 'parties')}`,
      Object.keys(form.errors).length,
      status,
    );
  };

  app.get('/exporter/applications/:id/lines', hide, async (req, reply) => {
    const { p, a } = await load(req, reply);
    return linesPage(reply, p, a, emptyForm({ unit: 'items', currency: 'EUR' }));
  });

  app.post('/exporter/applications/:id/lines', hide, async (req, reply) => {
    const { p, a } = await load(req, reply);
    const values = formValues(req.body);
    const line = {
      itemId: values.itemId ?? '',
      quantity: parseAmount(values.quantity),
      unit: (values.unit ?? '') as 'items',
      value: parseAmount(values.value),
      currency: (values.currency ?? '').trim().toUpperCase(),
      valueEur: parseAmount(values.valueEur),
    };
    try {
      await saveParts(p, a, Number(values.version), { lines: [...linesOf(a), line] });
      return redirectWithFlash(reply, `/exporter/applications/${a.id}/lines`, 'flash.lineAdded', a.reference);
    } catch (e) {
      if (!isInputError(e)) throw e;
      const n = a.lines.length;
      const map = Object.fromEntries(LINE_FIELDS.map((f) => [`lines.${n}.${f}`, f]));
      const errors = errorsFromDomain(p.t, e, LINE_FIELDS, 'itemId', map);
      return linesPage(reply, p, a, { values, errors }, e.code === 'CONFLICT' ? 409 : 400);
    }
  });

  app.post('/exporter/applications/:id/lines/remove', hide, async (req, reply) => {
    const { p, a } = await load(req, reply);
    const values = formValues(req.body);
    const lineNo = Number(values.lineNo);
    await saveParts(p, a, Number(values.version), {
      lines: linesOf(a).filter((_, i) => a.lines[i]!.lineNo !== lineNo),
    });
    return redirectWithFlash(reply, `/exporter/applications/${a.id}/lines`, 'flash.lineRemoved', a.reference);
  });

  // ---- step 3: parties ----
  const partiesPage = async (
    reply: FastifyReply,
    p: PageContext,
    a: Application,
    form: FormState,
    status = 200,
  ) => {
    const { t } = p;
    const parties = await listParties(ctx, p.principal, { limit: 500, offset: 0 });
    const byId = new Map(parties.items.map((x) => [x.id, x]));
    const screenings = await Promise.all(
      a.parties.map((x) => {
        const party = byId.get(x.partyId);
        return party
          ? screenForPage(ctx, p.principal, party.name, party.country)
          : Promise.resolve(undefined);
      }),
    );
    const labels = { partyId: t('party.party'), role: t('party.role') };
    return stepPage(
      reply,
      p,
      a,
      'parties',
      html`${errorSummary(t, form, labels)}
        <h1>${t('step.parties')}</h1>
        ${
          a.parties.length
            ? a.parties.map((x, i) => {
                const party = byId.get(x.partyId);
                return html`<section
                  class="card party-card"
                  aria-label="${labelOf(t, 'role', x.role)}: ${party?.name ?? ''}"
                >
                  <h2 class="heading-s">
                    ${labelOf(t, 'role', x.role)}:
                    ${party ? html`<a href="/exporter/parties/${party.id}">${party.name}</a>` : x.partyId}
                    ${party ? html`(${party.country})` : ''}
                  </h2>
                  ${screeningPanel(t, screenings[i], `-${i + 1}`)}
                  ${
                    isEditable(a)
                      ? html`<form method="post" action="/exporter/applications/${a.id}/parties/remove">
                          ${csrfField(p)}<input type="hidden" name="version" value="${a.version}" /><input
                            type="hidden"
                            name="partyId"
                            value="${x.partyId}"
                          /><input
                            type="hidden"
                            name="role"
                            value="${x.role}"
                          />${submitButton(t('common.remove'), { secondary: true })}
                        </form>`
                      : ''
                  }
                </section>`;
              })
            : html`<p>${t('application.noParties')}</p>`
        }
        ${
          isEditable(a)
            ? parties.items.length
              ? html`<h2>${t('party.addToApplication')}</h2>
                  <form method="post" action="/exporter/applications/${a.id}/parties" novalidate>
                    ${csrfField(p)}<input type="hidden" name="version" value="${a.version}" />
                    ${selectField(t, { name: 'partyId', label: labels.partyId, form, placeholder: t('common.choose'), options: parties.items.map((x) => ({ value: x.id, label: `${x.name} (${x.country})` })) })}
                    ${selectField(t, { name: 'role', label: labels.role, form, options: PARTY_ROLES.map((r) => ({ value: r, label: labelOf(t, 'role', r) })) })}
                    ${submitButton(t('party.addButton'))}
                  </form>`
              : ''
            : ''
        }
        <p><a href="/exporter/parties/new">${t('party.add')}</a></p>
        ${nextStepLink(t, a, 'diligence')}`,
      Object.keys(form.errors).length,
      status,
    );
  };

  app.get('/exporter/applications/:id/parties', hide, async (req, reply) => {
    const { p, a } = await load(req, reply);
    return partiesPage(
      reply,
      p,
      a,
      emptyForm({ role: a.parties.some((x) => x.role === 'end_user') ? 'consignee' : 'end_user' }),
    );
  });

  app.post('/exporter/applications/:id/parties', hide, async (req, reply) => {
    const { p, a } = await load(req, reply);
    const values = formValues(req.body);
    const n = a.parties.length;
    try {
      if (a.parties.some((x) => x.partyId === values.partyId && x.role === values.role))
        throw new DomainError('INVALID', 'already named', {
          issues: [{ path: 'partyId', message: p.t('party.alreadyNamed') }],
        });
      await saveParts(p, a, Number(values.version), {
        parties: [
          ...partiesOf(a),
          { partyId: values.partyId ?? '', role: (values.role ?? '') as 'end_user' },
        ],
      });
      return redirectWithFlash(
        reply,
        `/exporter/applications/${a.id}/parties`,
        'flash.partyAdded',
        a.reference,
      );
    } catch (e) {
      if (!isInputError(e)) throw e;
      const errors = errorsFromDomain(p.t, e, ['partyId', 'role'], 'partyId', {
        [`parties.${n}.partyId`]: 'partyId',
        [`parties.${n}.role`]: 'role',
      });
      return partiesPage(reply, p, a, { values, errors }, e.code === 'CONFLICT' ? 409 : 400);
    }
  });

  app.post('/exporter/applications/:id/parties/remove', hide, async (req, reply) => {
    const { p, a } = await load(req, reply);
    const values = formValues(req.body);
    await saveParts(p, a, Number(values.version), {
      parties: partiesOf(a).filter((x) => !(x.partyId === values.partyId && x.role === values.role)),
    });
    return redirectWithFlash(
      reply,
      `/exporter/applications/${a.id}/parties`,
      'flash.partyRemoved',
      a.reference,
    );
  });

  // ---- step 5: attachments ----
  const attachmentsPage = async (
    reply: FastifyReply,
    p: PageContext,
    a: Application,
    form: FormState,
    status = 200,
  ) => {
    const { t } = p;
    const docs = await listDocuments(ctx, p.principal, a.id);
    const maxKb = Math.floor(ctx.config.maxUploadBytes / 1024);
    return stepPage(
      reply,
      p,
      a,
      'attachments',
      html`${errorSummary(t, form, { file: t('attachment.file') })}
        <h1>${t('step.attachments')}</h1>
        <p>${t('attachment.lead')}</p>
        ${
          docs.length
            ? html`<ul>
                ${docs.map((d) => html`<li><a href="/api/documents/${d.id}">${d.filename}</a> (${d.mediaType}, ${Math.ceil(d.sizeBytes / 1024)} KB)</li>`)}
              </ul>`
            : html`<p>${t('application.noAttachments')}</p>`
        }
        ${
          isEditable(a)
            ? html`<form
                method="post"
                action="/exporter/applications/${a.id}/attachments"
                enctype="multipart/form-data"
                novalidate
              >
                ${csrfField(p)}
                ${fileField(t, { name: 'file', label: t('attachment.file'), hint: t('attachment.hint', { kb: maxKb }), form, accept: '.pdf,.png,.jpg,.jpeg,.txt,.docx,.xlsx,.odt' })}
                ${submitButton(t('attachment.upload'))}
              </form>`
            : ''
        }
        ${nextStepLink(t, a, 'review')}`,
      Object.keys(form.errors).length,
      status,
    );
  };

  // ---- step 4: due diligence (between the parties and the attachments) ----
  const diligencePage = async (
    reply: FastifyReply,
    p: PageContext,
    a: Application,
    form: FormState | null,
    status = 200,
  ) => {
    const { t } = p;
    const questionnaire = getDueDiligenceQuestionnaire();
    const { record } = await getDueDiligence(ctx, p.principal, a.id);
    const closed = isDueDiligenceClosed(a.status);
    const shown = form ?? emptyForm(record ? answersToForm(questionnaire, record.answers) : {});
    const version = form ? form.values.version : record ? String(record.version) : '';
    return stepPage(
      reply,
      p,
      a,
      'diligence',
      html`${errorSummary(t, shown, diligenceLabels(questionnaire))}
        <h1>${t('step.diligence')}</h1>
        <p>${t('diligence.lead')}</p>
        ${
          record
            ? html`<p class="meta">
                  ${t('diligence.version', { version: record.questionnaireVersion, record: record.version, when: record.updatedAt.slice(0, 10) })}
                </p>
                ${diligenceSummary(t, record.assessment)}`
            : html`<p>${t('diligence.none')}</p>`
        }
        ${
          closed
            ? html`<div class="notice"><p>${t('diligence.closed')}</p></div>`
            : html`<form method="post" action="/exporter/applications/${a.id}/diligence" novalidate>
                ${csrfField(p)}
                ${version ? html`<input type="hidden" name="version" value="${version}" />` : ''}
                ${diligenceFields(t, questionnaire, shown)} ${submitButton(t('diligence.save'))}
              </form>`
        }
        ${nextStepLink(t, a, 'attachments')}`,
      Object.keys(shown.errors).length,
      status,
    );
  };

  app.get('/exporter/applications/:id/diligence', hide, async (req, reply) => {
    const { p, a } = await load(req, reply);
    return diligencePage(reply, p, a, null);
  });

  app.post('/exporter/applications/:id/diligence', hide, async (req, reply) => {
    const { p, a } = await load(req, reply);
    const values = formValues(req.body);
    const questionnaire = getDueDiligenceQuestionnaire();
    try {
      await saveDueDiligence(ctx, p.principal, a.id, {
        answers: formToAnswers(questionnaire, values),
        ...(values.version ? { version: Number(values.version) } : {}),
      });
      return redirectWithFlash(
        reply,
        `/exporter/applications/${a.id}/diligence`,
        'flash.diligenceSaved',
        a.reference,
      );
    } catch (e) {
      if (!isInputError(e)) throw e;
      // an answer's issue goes beside its question; anything else (a stale version, a closed record) to the first
      const first = answerField(questionnaire.sections[0]!.questions[0]!.id);
      const errors: Record<string, string> = {};
      for (const issue of e.issues) {
        const id = /^answers\.([a-z0-9_]+)$/.exec(issue.path)?.[1];
        errors[id ? answerField(id) : first] ??= issueText(p.t, issue);
      }
      if (Object.keys(errors).length === 0) errors[first] = refusalText(p.t, e);
      return diligencePage(reply, p, a, { values, errors }, 400);
    }
  });

  app.get('/exporter/applications/:id/attachments', hide, async (req, reply) => {
    const { p, a } = await load(req, reply);
    return attachmentsPage(reply, p, a, emptyForm());
  });

  // CSRF of this multipart form is checked here, on the first field, before the file is read (see auth.ts)
  app.post(
    '/exporter/applications/:id/attachments',
    { ...hide, config: { csrfInHandler: true } },
    async (req, reply) => {
      const { p, a } = await load(req, reply);
      const { t } = p;
      const fail = (message: string, status: number) =>
        attachmentsPage(reply, p, a, { values: {}, errors: { file: message } }, status);
      if (!req.isMultipart()) return fail(t('attachment.missing'), 400);
      const headerToken = req.headers['x-csrf-token'];
      let csrf: string | undefined = typeof headerToken === 'string' ? headerToken : undefined;
      let file: { filename: string; content: Buffer } | undefined;
      try {
        for await (const part of req.parts()) {
          if (part.type === 'field') {
            if (part.fieldname === '_csrf') csrf ??= String(part.value);
            continue;
          }
          if (req.sessionToken && (!req.csrfToken || !csrfMatches(req.csrfToken, csrf)))
            throw new DomainError('FORBIDDEN', 'Missing or wrong CSRF token.');
          if (part.fieldname !== 'file' || !part.filename) {
            await part.toBuffer().catch(() => undefined);
            continue;
          }
          // throws past the size limit while streaming, before anything is stored
          file = { filename: part.filename, content: await part.toBuffer() };
        }
      } catch (e) {
        const fault = uploadFault(e);
        if (fault === 'too_large')
          return fail(t('attachment.tooLarge', { kb: Math.floor(ctx.config.maxUploadBytes / 1024) }), 413);
        if (fault === 'malformed') return fail(t('attachment.malformed'), 400);
        throw e;
      }
      if (req.sessionToken && (!req.csrfToken || !csrfMatches(req.csrfToken, csrf)))
        throw new DomainError('FORBIDDEN', 'Missing or wrong CSRF token.');
      if (!file || file.content.byteLength === 0) return fail(t('attachment.missing'), 400);
      try {
        const doc = await attachDocument(ctx, p.principal, a.id, file);
        return redirectWithFlash(
          reply,
          `/exporter/applications/${a.id}/attachments`,
          'flash.attached',
          doc.filename,
        );
      } catch (e) {
        if (!isInputError(e)) throw e;
        if (e.code === 'TOO_LARGE')
          return fail(t('attachment.tooLarge', { kb: Math.floor(ctx.config.maxUploadBytes / 1024) }), 413);
        return fail(
          e.code === 'INVALID' ? t('attachment.badType') : e.message,
          e.code === 'CONFLICT' ? 409 : 400,
        );
      }
    },
  );

  // ---- step 6: review and submit ----
  const reviewPage = async (
    reply: FastifyReply,
    p: PageContext,
    a: Application,
    errors: Record<string, string> = {},
    status = 200,
  ) => {
    const { t } = p;
    const gaps = submissionGaps(a);
    const items = await listItems(ctx, p.principal, { limit: 500, offset: 0 });
    const itemName = new Map(items.items.map((i) => [i.id, i.name]));
    const form: FormState = { values: {}, errors };
    return stepPage(
      reply,
      p,
      a,
      'review',
      html`${errorSummary(t, form, { submit: t('application.submit') })}
        <h1>${t('step.review')}</h1>
        <dl class="summary-list">
          <div>
            <dt>${t('application.licenceType')}</dt>
            <dd>
              ${labelOf(t, 'licenceType', a.licenceType)}
              <a href="/exporter/applications/${a.id}/details"
                >${t('common.change')}<span class="visually-hidden"> ${t('application.licenceType')}</span></a
              >
            </dd>
          </div>
          <div>
            <dt>${t('application.destination')}</dt>
            <dd>${a.destinationCountry}</dd>
          </div>
          <div>
            <dt>${t('application.endUse')}</dt>
            <dd>${a.intendedEndUse || '—'}</dd>
          </div>
          <div>
            <dt>${t('step.lines')}</dt>
            <dd>
              ${a.lines.map((l) => itemName.get(l.itemId) ?? l.itemId).join(', ') || '—'}
              <a href="/exporter/applications/${a.id}/lines"
                >${t('common.change')}<span class="visually-hidden"> ${t('step.lines')}</span></a
              >
            </dd>
          </div>
          <div>
            <dt>${t('step.parties')}</dt>
            <dd>
              ${a.parties.map((x) => labelOf(t, 'role', x.role)).join(', ') || '—'}
              <a href="/exporter/applications/${a.id}/parties"
                >${t('common.change')}<span class="visually-hidden"> ${t('step.parties')}</span></a
              >
            </dd>
          </div>
        </dl>
        ${
          gaps.length
            ? html`<div class="notice">
                <h2 class="heading-s">${t('application.gapsTitle')}</h2>
                <ul>
                  ${gaps.map((g) =>
                    g.code ? html`<li>${issueText(t, g)}</li>` : html`<li lang="en">${g.message}</li>`,
                  )}
                </ul>
              </div>`
            : html`<p>${t('application.ready')}</p>`
        }
        ${
          isEditable(a)
            ? html`<form method="post" action="/exporter/applications/${a.id}/submit" novalidate>
                ${csrfField(p)}<input type="hidden" name="version" value="${a.version}" />
                <div class="${errors.submit ? 'form-group form-group-error' : 'form-group'}">
                  ${errors.submit ? html`<p class="field-error" id="f-submit-error">${errors.submit}</p>` : ''}
                  <button
                    type="submit"
                    class="button"
                    id="f-submit"
                    ${errors.submit ? html` aria-describedby="f-submit-error"` : ''}
                  >
                    ${t('application.submit')}
                  </button>
                </div>
              </form>`
            : ''
        }`,
      Object.keys(errors).length,
      status,
    );
  };

  app.get('/exporter/applications/:id/review', hide, async (req, reply) => {
    const { p, a } = await load(req, reply);
    return reviewPage(reply, p, a);
  });

  app.post('/exporter/applications/:id/submit', hide, async (req, reply) => {
    const { p, a } = await load(req, reply);
    const values = formValues(req.body);
    try {
      const done = await submitApplication(ctx, p.principal, a.id, { version: Number(values.version) });
      return redirectWithFlash(reply, `/exporter/applications/${a.id}`, 'flash.submitted', done.reference);
    } catch (e) {
      if (!isInputError(e)) throw e;
      return reviewPage(
        reply,
        p,
        a,
        { submit: e.issues.length ? e.issues.map((i) => issueText(p.t, i)).join('; ') : refusalText(p.t, e) },
        e.code === 'CONFLICT' ? 409 : 400,
      );
    }
  });

  app.post('/exporter/applications/:id/withdraw', hide, async (req, reply) => {
    const { p, a } = await load(req, reply);
    const values = formValues(req.body);
    const done = await withdrawApplication(ctx, p.principal, a.id, { version: Number(values.version) });
    return redirectWithFlash(reply, `/exporter/applications/${a.id}`, 'flash.withdrawn', done.reference);
  });
}

function linesTable(
  t: Translate,
  a: Application,
  itemName: Map<string, string>,
  editable?: PageContext,
): SafeHtml {
  if (a.lines.length === 0) return html`<p>${t('line.none')}</p>`;
  return html`<table class="table">
    <caption class="visually-hidden">
      ${t('step.lines')}
    </caption>
    <thead>
      <tr>
        <th scope="col">#</th>
        <th scope="col">${t('line.item')}</th>
        <th scope="col">${t('line.quantity')}</th>
        <th scope="col">${t('line.value')}</th>
        <th scope="col">${t('line.valueEur')}</th>
        ${editable ? html`<th scope="col"><span class="visually-hidden">${t('common.actions')}</span></th>` : ''}
      </tr>
    </thead>
    <tbody>
      ${a.lines.map(
        (l) =>
          html`<tr>
            <td>${l.lineNo}</td>
            <td>${itemName.get(l.itemId) ?? l.itemId}</td>
            <td>${l.quantity} ${labelOf(t, 'unit', l.unit)}</td>
            <td>${l.value} ${l.currency}</td>
            <td>${l.valueEur}</td>
            ${
              editable
                ? html`<td>
                    <form method="post" action="/exporter/applications/${a.id}/lines/remove">
                      ${csrfField(editable)}<input type="hidden" name="version" value="${a.version}" /><input
                        type="hidden"
                        name="lineNo"
                        value="${l.lineNo}"
                      /><button type="submit" class="link-button">
                        ${t('common.remove')}<span class="visually-hidden">
                          ${t('line.item')} ${l.lineNo}</span
                        >
                      </button>
                    </form>
                  </td>`
                : ''
            }
          </tr>`,
      )}
    </tbody>
  </table>`;
}
