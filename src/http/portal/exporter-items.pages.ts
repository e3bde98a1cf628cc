/** Exporter workspace: the dashboard, the product catalogue (list, add, edit) and the classification wizard. */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { FACTS, type FactKey } from '../../domain/classification.ts';
import { ITEM_FORMS, BIOMETRIC_MODALITIES_FOR_PAGES, type Item } from './vocabulary.ts';
import { createItem, getItem, listItems, updateItem } from '../../services/catalogue.service.ts';
import { summariseExporterDashboard } from '../../services/exporter-dashboard.service.ts';
import {
  classifyCatalogueItem,
  classifyProfile,
  listClassificationProfiles,
  NO_LIST_IMPORTED,
} from '../../services/classification.service.ts';
import type { ServiceContext } from '../../services/context.ts';
import type { CriterionResult, ClassificationResult } from '../../engines/classification/classifier.ts';
import type { TypedApp } from '../routes/types.ts';
import {
  emptyForm,
  errorSummary,
  errorsFromDomain,
  formValues,
  isInputError,
  radioGroup,
  selectField,
  submitButton,
  textArea,
  textField,
  type FormState,
} from './forms.ts';
import { englishText, pager } from './components.ts';
import { requireExporterPage, pageNumber } from './guards.ts';
import { html, type SafeHtml } from './html.ts';
import { labelOf, type Translate } from './i18n.ts';
import { csrfField, pageContext, redirectWithFlash, sendPage, type PageContext } from './page.ts';

const IdParams = z.object({ id: z.uuid() });
const PAGE_SIZE = 50;
/** Questions per wizard page: enough to move on, few enough to read. */
const QUESTIONS_PER_PAGE = 6;

const ITEM_FIELDS = ['name', 'itemForm', 'publicDescription', 'confidentialDescription'] as const;

function itemForm(p: PageContext, form: FormState, action: string, version?: number): SafeHtml {
  const { t } = p;
  const labels = itemLabels(t);
  return html`${errorSummary(t, form, labels)}
    <form method="post" action="${action}" novalidate>
      ${csrfField(p)}
      ${version !== undefined ? html`<input type="hidden" name="version" value="${version}" />` : ''}
      ${textField(t, { name: 'name', label: labels.name, form, required: true })}
      ${radioGroup(t, { name: 'itemForm', label: labels.itemForm, hint: t('item.itemFormHint'), form, options: ITEM_FORMS.map((f) => ({ value: f, label: labelOf(t, 'itemForm', f) })) })}
      ${textArea(t, { name: 'publicDescription', label: labels.publicDescription, hint: t('item.publicDescriptionHint'), form })}
      ${textArea(t, { name: 'confidentialDescription', label: labels.confidentialDescription, hint: t('item.confidentialDescriptionHint'), form })}
      ${submitButton(t('common.save'))}
    </form>`;
}

const itemLabels = (t: Translate) => ({
  name: t('item.name'),
  itemForm: t('item.itemForm'),
  publicDescription: t('item.publicDescription'),
  confidentialDescription: t('item.confidentialDescription'),
  version: t('common.version'),
});

/** The control list a classification used; without an imported Annex I, the rules' own entries (said in words). */
const listVersionText = (t: Translate, version: string): string =>
  version === NO_LIST_IMPORTED ? t('classify.noListImported') : version;

const classificationSummary = (t: Translate, item: Item): string => {
  const c = item.classification as { listing?: string; matchedEntries?: string[] } | null;
  if (!c) return t('item.notClassified');
  if (c.listing === 'listed') return t('item.listed', { entries: (c.matchedEntries ?? []).join(', ') });
  if (c.listing === 'not_listed') return t('item.notListed');
  return t('item.undetermined');
};

const truthLabel = (t: Translate, v: boolean | 'unknown'): string =>
  v === true ? t('classify.true') : v === false ? t('classify.false') : t('classify.unknown');
const truthClass = (v: boolean | 'unknown'): string =>
  v === true ? 'tag tag-yes' : v === false ? 'tag tag-no' : 'tag tag-unknown';

/** The criterion trail as nested lists: every node with its value, the fact stated and the source quoted. */
function renderTrail(t: Translate, node: CriterionResult, depth = 0): SafeHtml {
  return html`<li>
    <span class="${truthClass(node.value)}">${truthLabel(t, node.value)}</span> ${englishText(node.label)}${
      node.source
        ? html` <span class="source"
            >(${node.source.entry}${node.source.quote ? html`: “${node.source.quote}”` : ''})</span
          >`
        : ''
    }${
      node.children?.length && depth < 8
        ? html`<ul class="trail">
            ${node.children.map((c) => renderTrail(t, c, depth + 1))}
          </ul>`
        : ''
    }
  </li>`;
}

const basisTag = (t: Translate, basis: 'law' | 'profile', profileId?: string): SafeHtml =>
  basis === 'law'
    ? html`<span class="tag tag-law">${t('classify.law')}</span>`
    : html`<span class="tag tag-policy">${t('classify.policy', { profile: profileId ?? '' })}</span>`;

function renderResult(t: Translate, r: ClassificationResult): SafeHtml {
  return html`<h2>${t('classify.conclusions')}</h2>
    <ul class="conclusions">
      ${r.conclusions.map(
        (c) =>
          html`<li>
            ${basisTag(t, c.basis, c.profileId)}
            <span
              class="${truthClass(c.determination === 'yes' ? true : c.determination === 'no' ? false : 'unknown')}"
              >${labelOf(t, 'determination', c.determination)}</span
            >
            ${englishText(c.statement)}
          </li>`,
      )}
    </ul>
    <p class="meta">
      ${t('classify.versions', { list: listVersionText(t, r.controlListVersion), policy: r.policyVersion, profile: `${r.profile.title} ${r.profile.version}` })}
    </p>
    ${r.unverified.length ? html`<div class="notice"><p>${t('classify.unverified', { ids: r.unverified.join(', ') })}</p></div>` : ''}
    <h2>${t('classify.entries')}</h2>
    ${r.entries.map(
      (e) =>
        html`<details class="entry" ${e.status === 'met' ? html` open` : ''}>
          <summary>
            <span
              class="${truthClass(e.status === 'met' ? true : e.status === 'not_met' ? false : 'unknown')}"
              >${labelOf(t, 'entryStatus', e.status)}</span
            >
            <strong>${e.code}</strong> ${englishText(e.title)}
            ${basisTag(t, 'law')}${e.verified ? '' : html` <span class="tag tag-unknown">${t('classify.notVerified')}</span>`}
          </summary>
          <ul class="trail">
            ${renderTrail(t, e.trail)}
          </ul>
          ${e.exclusionsApplied.length ? html`<p>${t('classify.exclusions')}: ${englishText(e.exclusionsApplied.map((x) => x.title).join('; '))}</p>` : ''}
        </details>`,
    )}
    <h2>${t('classify.cyber')}</h2>
    <details class="entry" open>
      <summary>
        <span class="${truthClass(r.cyberSurveillance.value)}"
          >${truthLabel(t, r.cyberSurveillance.value)}</span
        >
        ${englishText(r.cyberSurveillance.title)} ${basisTag(t, 'law')}
      </summary>
      <ul class="trail">
        ${r.cyberSurveillance.limbs.map((l) => renderTrail(t, l.trail))}
      </ul>
    </details>
    ${
      r.profileFlags.length
        ? html`<h2>${t('classify.flags')}</h2>
            ${r.profileFlags.map(
              (f) =>
                html`<details class="entry">
                  <summary>
                    <span class="${truthClass(f.value)}">${truthLabel(t, f.value)}</span>
                    ${englishText(f.title)} ${basisTag(t, 'profile', f.profileId)}
                  </summary>
                  <p lang="en">${f.rationale}</p>
                  <ul class="trail">
                    ${renderTrail(t, f.trail)}
                  </ul>
                </details>`,
            )}`
        : ''
    }`;
}

/**
 * The stored technical profile of an item, as the wizard edits it: only the fields of the profile format, so a
 * stored extra field (the synthetic demo items carry `category`) does not make the strict parser refuse the item.
 */
function profileOf(item: Item): {
  facts: Record<string, boolean | 'unknown'>;
  biometricModality?: string;
  description?: string;
} {
  const tp = item.technicalProfile as {
    facts?: Record<string, unknown>;
    biometricModality?: unknown;
    description?: unknown;
  };
  const facts: Record<string, boolean | 'unknown'> = {};
  for (const [k, v] of Object.entries(tp.facts ?? {}))
    if (k in FACTS && (v === true || v === false || v === 'unknown')) facts[k] = v;
  return {
    facts,
    ...(typeof tp.biometricModality === 'string' &&
      (BIOMETRIC_MODALITIES_FOR_PAGES as readonly string[]).includes(tp.biometricModality) && {
        biometricModality: tp.biometricModality,
      }),
    ...(typeof tp.description === 'string' && { description: tp.description.slice(0, 20_000) }),
  };
}

const classifyInput = (item: Item) => ({ ...profileOf(item), name: item.name, itemForm: item.itemForm });

export function registerExporterItemPages(app: TypedApp, ctx: ServiceContext): void {
  const hide = { schema: { hide: true } };

  app.get('/exporter', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireExporterPage(p);
    const { t } = p;
    const d = await summariseExporterDashboard(ctx, p.principal, { recent: 5 });
    return sendPage(reply, p, {
      title: t('dashboard.title'),
      body: html`<h1>${t('dashboard.title')}</h1>
        ${
          d.awaiting.length
            ? html`<section class="notice" aria-labelledby="d-awaiting">
                <h2 id="d-awaiting">${t('dashboard.awaiting')}</h2>
                <ul>
                  ${d.awaiting.map(
                    (r) =>
                      html`<li>
                        <a href="/exporter/applications/${r.applicationId}#information">${r.reference}</a>:
                        ${t('information.asked', { date: r.askedAt.slice(0, 10), due: r.dueOn })}
                      </li>`,
                  )}
                </ul>
              </section>`
            : ''
        }
        <div class="cards">
          <section class="card" aria-labelledby="d-items">
            <h2 id="d-items">${t('nav.items')}</h2>
            <p class="big-number">${d.items}</p>
            <p>
              <a href="/exporter/items">${t('dashboard.seeItems')}</a> ·
              <a href="/exporter/items/new">${t('item.add')}</a>
            </p>
          </section>
          <section class="card" aria-labelledby="d-parties">
            <h2 id="d-parties">${t('nav.parties')}</h2>
            <p class="big-number">${d.parties}</p>
            <p>
              <a href="/exporter/parties">${t('dashboard.seeParties')}</a> ·
              <a href="/exporter/parties/new">${t('party.add')}</a>
            </p>
          </section>
          <section class="card" aria-labelledby="d-apps">
            <h2 id="d-apps">${t('nav.applications')}</h2>
            <p class="big-number">${d.applications}</p>
            <p>
              <a href="/exporter/applications">${t('dashboard.seeApplications')}</a> ·
              <a href="/exporter/applications/new">${t('application.start')}</a>
            </p>
          </section>
        </div>
        <h2>${t('dashboard.recent')}</h2>
        ${
          d.recent.length
            ? html`<table class="table">
                <caption class="visually-hidden">
                  ${t('dashboard.recent')}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${t('application.reference')}</th>
                    <th scope="col">${t('application.destination')}</th>
                    <th scope="col">${t('application.status')}</th>
                    <th scope="col">${t('application.updated')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${d.recent.map(
                    (a) =>
                      html`<tr>
                        <td class="ref"><a href="/exporter/applications/${a.id}">${a.reference}</a></td>
                        <td>${a.destinationCountry}</td>
                        <td><span class="tag">${labelOf(t, 'status', a.status)}</span></td>
                        <td class="date">${a.updatedAt.slice(0, 10)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
            : html`<p>${t('dashboard.noApplications')}</p>`
        }`,
    });
  });

  app.get('/exporter/items', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireExporterPage(p);
    const { t } = p;
    const page = pageNumber(req.query);
    const { items, total } = await listItems(ctx, p.principal, {
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    });
    return sendPage(reply, p, {
      title: t('items.title'),
      body: html`<h1>${t('items.title')}</h1>
        <p><a class="button" href="/exporter/items/new">${t('item.add')}</a></p>
        ${
          items.length
            ? html`<table class="table">
                  <caption class="visually-hidden">
                    ${t('items.title')}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">${t('item.name')}</th>
                      <th scope="col">${t('item.itemForm')}</th>
                      <th scope="col">${t('item.classification')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${items.map(
                      (i) =>
                        html`<tr>
                          <td><a href="/exporter/items/${i.id}">${i.name}</a></td>
                          <td>${labelOf(t, 'itemForm', i.itemForm)}</td>
                          <td>${classificationSummary(t, i)}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
                ${pager(t, '/exporter/items', page, total, PAGE_SIZE)}`
            : html`<p>${t('items.empty')}</p>`
        }`,
    });
  });

  app.get('/exporter/items/new', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireExporterPage(p);
    return sendPage(reply, p, {
      title: p.t('item.add'),
      breadcrumbs: [{ href: '/exporter/items', label: p.t('items.title') }],
      body: html`<h1>${p.t('item.add')}</h1>
        ${itemForm(p, emptyForm({ itemForm: 'software' }), '/exporter/items/new')}`,
    });
  });

  app.post('/exporter/items/new', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireExporterPage(p);
    const values = formValues(req.body);
    try {
      const item = await createItem(ctx, p.principal, {
        name: values.name ?? '',
        itemForm: (values.itemForm ?? '') as 'software',
        publicDescription: values.publicDescription ?? '',
        confidentialDescription: values.confidentialDescription ?? '',
        technicalProfile: {},
      });
      return redirectWithFlash(reply, `/exporter/items/${item.id}`, 'flash.itemSaved', item.name);
    } catch (e) {
      if (!isInputError(e)) throw e;
      const form = { values, errors: errorsFromDomain(p.t, e, ITEM_FIELDS, 'name') };
      return sendPage(
        reply,
        p,
        {
          title: p.t('item.add'),
          errorCount: Object.keys(form.errors).length,
          breadcrumbs: [{ href: '/exporter/items', label: p.t('items.title') }],
          body: html`<h1>${p.t('item.add')}</h1>
            ${itemForm(p, form, '/exporter/items/new')}`,
        },
        400,
      );
    }
  });

  app.get('/exporter/items/:id', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireExporterPage(p);
    const { t } = p;
    const { id } = IdParams.parse(req.params);
    const item = await getItem(ctx, p.principal, id);
    const c = item.classification as {
      classifiedAt?: string;
      controlListVersion?: string;
      policyVersion?: string;
    } | null;
    return sendPage(reply, p, {
      title: item.name,
      breadcrumbs: [{ href: '/exporter/items', label: t('items.title') }],
      body: html`<h1>${item.name}</h1>
        <dl class="summary-list">
          <div>
            <dt>${t('item.itemForm')}</dt>
            <dd>${labelOf(t, 'itemForm', item.itemForm)}</dd>
          </div>
          <div>
            <dt>${t('item.publicDescription')}</dt>
            <dd>${item.publicDescription || '—'}</dd>
          </div>
          <div>
            <dt>${t('item.confidentialDescription')}</dt>
            <dd>${item.confidentialDescription || '—'}</dd>
          </div>
          <div>
            <dt>${t('item.classification')}</dt>
            <dd>
              ${classificationSummary(t, item)}${c?.classifiedAt ? html`<br /><span class="meta">${t('item.classifiedAt', { date: c.classifiedAt.slice(0, 10), list: listVersionText(t, c.controlListVersion ?? ''), policy: c.policyVersion ?? '' })}</span>` : ''}
            </dd>
          </div>
        </dl>
        <p class="button-group">
          <a class="button" href="/exporter/items/${item.id}/classify">${t('classify.start')}</a>
          ${item.classification ? html`<a class="button button-secondary" href="/exporter/items/${item.id}/classification">${t('classify.seeResult')}</a>` : ''}
          <a class="button button-secondary" href="/exporter/items/${item.id}/edit">${t('common.edit')}</a>
        </p>`,
    });
  });

  const editPage = (reply: FastifyReply, p: PageContext, item: Item, form: FormState, status = 200) =>
    sendPage(
      reply,
      p,
      {
        title: p.t('item.edit', { name: item.name }),
        errorCount: Object.keys(form.errors).length,
        breadcrumbs: [
          { href: '/exporter/items', label: p.t('items.title') },
          { href: `/exporter/items/${item.id}`, label: item.name },
        ],
        body: html`<h1>${p.t('item.edit', { name: item.name })}</h1>
          ${itemForm(p, form, `/exporter/items/${item.id}/edit`, Number(form.values.version ?? item.version))}`,
      },
      status,
    );

  app.get('/exporter/items/:id/edit', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireExporterPage(p);
    const item = await getItem(ctx, p.principal, IdParams.parse(req.params).id);
    return editPage(
      reply,
      p,
      item,
      emptyForm({
        name: item.name,
        itemForm: item.itemForm,
        publicDescription: item.publicDescription,
        confidentialDescription: item.confidentialDescription,
        version: String(item.version),
      }),
    );
  });

  app.post('/exporter/items/:id/edit', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireExporterPage(p);
    const { id } = IdParams.parse(req.params);
    const item = await getItem(ctx, p.principal, id);
    const values = formValues(req.body);
    try {
      const saved = await updateItem(ctx, p.principal, id, {
        version: Number(values.version),
        name: values.name ?? '',
        itemForm: (values.itemForm ?? '') as 'software',
        publicDescription: values.publicDescription ?? '',
        confidentialDescription: values.confidentialDescription ?? '',
      });
      return redirectWithFlash(reply, `/exporter/items/${saved.id}`, 'flash.itemSaved', saved.name);
    } catch (e) {
      if (!isInputError(e)) throw e;
      return editPage(
        reply,
        p,
        item,
        { values, errors: errorsFromDomain(p.t, e, ITEM_FIELDS, 'name') },
        e.code === 'CONFLICT' ? 409 : 400,
      );
    }
  });

  // ---- the classification wizard -------------------------------------------------------------------------------

  const wizardPage = async (p: PageContext, item: Item, all: boolean, form?: FormState) => {
    const { t } = p;
    const profile = profileOf(item);
    const result = await classifyProfile(ctx, classifyInput(item), 'legal');
    const open = result.questions.filter((q) => !(q.fact in profile.facts));
    const answered = Object.keys(profile.facts).filter((k): k is FactKey => k in FACTS);
    const shown = all
      ? [
          ...result.questions.map((q) => ({
            fact: q.fact as FactKey,
            question: q.question,
            affects: q.affects,
          })),
          ...answered
            .filter((k) => !result.questions.some((q) => q.fact === k))
            .map((k) => ({ fact: k, question: FACTS[k], affects: [] as string[] })),
        ]
      : open
          .slice(0, QUESTIONS_PER_PAGE)
          .map((q) => ({ fact: q.fact as FactKey, question: q.question, affects: q.affects }));
    const askModality = all || profile.biometricModality === undefined;
    if (shown.length === 0 && !askModality) return undefined;
    const f: FormState = form ?? {
      values: Object.fromEntries([
        ...shown.map((q) => [
          `fact.${q.fact}`,
          profile.facts[q.fact] === undefined ? '' : String(profile.facts[q.fact]),
        ]),
        ['biometricModality', profile.biometricModality ?? ''],
      ]),
      errors: {},
    };
    const labels: Record<string, string> = Object.fromEntries([
      ...shown.map((q) => [`fact.${q.fact}`, q.question]),
      ['biometricModality', t('classify.modality')],
    ]);
    return {
      title: t('classify.title', { name: item.name }),
      errorCount: Object.keys(f.errors).length,
      breadcrumbs: [
        { href: '/exporter/items', label: t('items.title') },
        { href: `/exporter/items/${item.id}`, label: item.name },
      ],
      body: html`${errorSummary(t, f, labels)}
        <h1>${t('classify.title', { name: item.name })}</h1>
        <p class="lead">${t('classify.lead')}</p>
        <p class="meta" id="wizard-progress">
          ${t('classify.progress', { answered: answered.length, open: open.length })}
        </p>
        <form method="post" action="/exporter/items/${item.id}/classify" novalidate>
          ${csrfField(p)}
          <input type="hidden" name="version" value="${item.version}" />
          <input type="hidden" name="asked" value="${shown.map((q) => q.fact).join(',')}" />
          ${askModality ? selectField(t, { name: 'biometricModality', label: labels.biometricModality!, hint: t('classify.modalityHint'), form: f, options: BIOMETRIC_MODALITIES_FOR_PAGES.map((m) => ({ value: m, label: labelOf(t, 'modality', m) })) }) : ''}
          ${shown.map((q) =>
            radioGroup(t, {
              name: `fact.${q.fact}`,
              label: q.question,
              legendClass: 'legend legend-question',
              ...(q.affects.length
                ? { hint: t('classify.affects', { outcomes: q.affects.join(', ') }) }
                : {}),
              form: f,
              inline: true,
              options: [
                { value: 'true', label: t('classify.true') },
                { value: 'false', label: t('classify.false') },
                { value: 'unknown', label: t('classify.unknown') },
              ],
            }),
          )}
          ${submitButton(t('classify.continue'))}
        </form>`,
    };
  };

  app.get('/exporter/items/:id/classify', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireExporterPage(p);
    const item = await getItem(ctx, p.principal, IdParams.parse(req.params).id);
    const all = (req.query as { all?: string }).all === '1';
    const page = await wizardPage(p, item, all);
    if (!page) return reply.redirect(`/exporter/items/${item.id}/classification`, 303);
    return sendPage(reply, p, page);
  });

  app.post('/exporter/items/:id/classify', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireExporterPage(p);
    const { t } = p;
    const { id } = IdParams.parse(req.params);
    const item = await getItem(ctx, p.principal, id);
    const values = formValues(req.body);
    const asked = (values.asked ?? '').split(',').filter((k): k is FactKey => k in FACTS);
    const errors: Record<string, string> = {};
    const profile = profileOf(item);
    for (const k of asked) {
      const v = values[`fact.${k}`];
      if (v === 'true') profile.facts[k] = true;
      else if (v === 'false') profile.facts[k] = false;
      else if (v === 'unknown') profile.facts[k] = 'unknown';
      else errors[`fact.${k}`] = t('classify.chooseAnswer');
    }
    if (values.biometricModality !== undefined) {
      if ((BIOMETRIC_MODALITIES_FOR_PAGES as readonly string[]).includes(values.biometricModality))
        profile.biometricModality = values.biometricModality;
      else errors.biometricModality = t('classify.chooseAnswer');
    }
    if (Object.keys(errors).length) {
      const page = await wizardPage(p, item, true, { values, errors });
      return sendPage(reply, p, page!, 400);
    }
    try {
      await updateItem(ctx, p.principal, id, { version: Number(values.version), technicalProfile: profile });
    } catch (e) {
      if (!isInputError(e)) throw e;
      const page = await wizardPage(p, item, true, {
        values,
        errors: errorsFromDomain(p.t, e, Object.keys(values), 'asked'),
      });
      return sendPage(reply, p, page!, e.code === 'CONFLICT' ? 409 : 400);
    }
    await classifyCatalogueItem(ctx, p.principal, id, 'legal');
    return reply.redirect(`/exporter/items/${id}/classify`, 303);
  });

  app.get('/exporter/items/:id/classification', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireExporterPage(p);
    const { t } = p;
    const item = await getItem(ctx, p.principal, IdParams.parse(req.params).id);
    const profiles = listClassificationProfiles(ctx);
    const wanted = (req.query as { profile?: string }).profile;
    const profileId = profiles.some((x) => x.id === wanted) ? wanted! : 'legal';
    const result = await classifyProfile(ctx, classifyInput(item), profileId);
    return sendPage(reply, p, {
      title: t('classify.resultTitle', { name: item.name }),
      breadcrumbs: [
        { href: '/exporter/items', label: t('items.title') },
        { href: `/exporter/items/${item.id}`, label: item.name },
      ],
      body: html`<h1>${t('classify.resultTitle', { name: item.name })}</h1>
        <nav aria-label="${t('classify.profiles')}" class="tabs">
          <ul>
            ${profiles.map((x) =>
              x.id === profileId
                ? html`<li><a href="?profile=${x.id}" aria-current="page">${x.title}</a></li>`
                : html`<li><a href="?profile=${x.id}">${x.title}</a></li>`,
            )}
          </ul>
        </nav>
        ${renderResult(t, result)}
        ${
          result.questions.length
            ? html`<h2>${t('classify.openQuestions')}</h2>
                <ul>
                  ${result.questions.map((q) => html`<li lang="en">${q.question}</li>`)}
                </ul>`
            : ''
        }
        <p class="button-group">
          <a class="button button-secondary" href="/exporter/items/${item.id}/classify?all=1"
            >${t('classify.changeAnswers')}</a
          >
          <a class="button button-secondary" href="/exporter/items/${item.id}">${t('classify.backToItem')}</a>
        </p>`,
    });
  });
}
