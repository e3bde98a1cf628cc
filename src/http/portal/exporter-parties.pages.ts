/** Exporter workspace: parties (consignees, end users, intermediaries) with screening feedback on the page. */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { isDomainError } from '../../domain/errors.ts';
import type { Party, Principal } from '../../domain/model.ts';
import { createParty, getParty, listParties, updateParty } from '../../services/catalogue.service.ts';
import type { ServiceContext } from '../../services/context.ts';
import { screenParty, type ScreeningResult } from '../../services/screening.service.ts';
import type { TypedApp } from '../routes/types.ts';
import { pager } from './components.ts';
import {
  emptyForm,
  errorSummary,
  errorsFromDomain,
  formValues,
  isInputError,
  selectField,
  submitButton,
  textArea,
  textField,
  type FormState,
} from './forms.ts';
import { pageNumber, requireExporterPage } from './guards.ts';
import { html, type SafeHtml } from './html.ts';
import { labelOf, type Translate } from './i18n.ts';
import { csrfField, pageContext, redirectWithFlash, sendPage, type PageContext } from './page.ts';
import { PARTY_TYPES } from './vocabulary.ts';

const IdParams = z.object({ id: z.uuid() });
const PAGE_SIZE = 50;
const PARTY_FIELDS = ['name', 'aliases', 'country', 'address', 'partyType'] as const;

type Screening = { result: ScreeningResult } | { unavailable: string } | undefined;

/** Screen a party's name (and country when valid) against the current lists; no list loaded is a result, not a failure. */
export async function screenForPage(
  ctx: ServiceContext,
  actor: Principal,
  name: string,
  country: string,
): Promise<Screening> {
  if (!name.trim()) return undefined;
  try {
    const query: Record<string, string> = { name: name.trim().slice(0, 300) };
    if (/^[A-Z]{2}$/.test(country.trim().toUpperCase())) query.country = country.trim().toUpperCase();
    return { result: await screenParty(ctx, actor, query) };
  } catch (e) {
    if (isDomainError(e) && (e.code === 'UNAVAILABLE' || e.code === 'INVALID'))
      return { unavailable: e.message };
    throw e;
  }
}

/** The screening result; `idSuffix` keeps ids unique when a page shows several (one per party). */
export function screeningPanel(t: Translate, s: Screening, idSuffix = ''): SafeHtml {
  let inner: SafeHtml;
  if (!s) inner = html`<p>${t('screening.notYet')}</p>`;
  else if ('unavailable' in s) inner = html`<p>${t('screening.unavailable')}</p>`;
  else if (s.result.hits.length === 0)
    inner = html`<p>
      <span class="tag tag-no">${t('screening.clear')}</span>
      ${t('screening.noHits', { lists: s.result.lists.map((l) => l.listName).join(', ') })}
    </p>`;
  else
    inner = html`<p>
        <span class="tag tag-yes">${t('screening.possible')}</span>
        ${t('screening.hits', { n: s.result.hits.length })}
      </p>
      <table class="table">
        <caption class="visually-hidden">
          ${t('screening.title')}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t('screening.entry')}</th>
            <th scope="col">${t('screening.list')}</th>
            <th scope="col">${t('screening.alias')}</th>
            <th scope="col">${t('screening.score')}</th>
          </tr>
        </thead>
        <tbody>
          ${s.result.hits.map(
            (h) =>
              html`<tr>
                <td>${h.entryName}</td>
                <td>${h.listName}</td>
                <td>${h.matchedAlias}</td>
                <td>${h.score01.toFixed(2)}</td>
              </tr>`,
          )}
        </tbody>
      </table>`;
  return html`<section class="screening" aria-labelledby="screening-title${idSuffix}">
    <h2 id="screening-title${idSuffix}">${t('screening.title')}</h2>
    <div
      id="screening-result${idSuffix}"
      aria-live="polite"
      data-empty="${t('screening.notYet')}"
      data-clear="${t('screening.clear')}"
      data-possible="${t('screening.possible')}"
      data-unavailable="${t('screening.unavailable')}"
    >
      ${inner}
    </div>
  </section>`;
}

const partyLabels = (t: Translate): Record<string, string> => ({
  name: t('party.name'),
  aliases: t('party.aliases'),
  country: t('party.country'),
  address: t('party.address'),
  partyType: t('party.partyType'),
  version: t('common.version'),
});

function partyForm(
  p: PageContext,
  form: FormState,
  action: string,
  screening: Screening,
  version?: number,
): SafeHtml {
  const { t } = p;
  const labels = partyLabels(t);
  return html`${errorSummary(t, form, labels)}
    <form method="post" action="${action}" novalidate data-screen-form>
      ${csrfField(p)}
      ${version !== undefined ? html`<input type="hidden" name="version" value="${version}" />` : ''}
      ${textField(t, { name: 'name', label: labels.name!, form, required: true })}
      ${textArea(t, { name: 'aliases', label: labels.aliases!, hint: t('party.aliasesHint'), form, rows: 2 })}
      ${textField(t, { name: 'country', label: labels.country!, hint: t('party.countryHint'), form, width: 'short', autocomplete: 'country' })}
      ${textArea(t, { name: 'address', label: labels.address!, form, rows: 2 })}
      ${selectField(t, { name: 'partyType', label: labels.partyType!, form, placeholder: t('common.choose'), options: PARTY_TYPES.map((v) => ({ value: v, label: labelOf(t, 'partyType', v) })) })}
      <p class="button-group">
        ${submitButton(t('common.save'))}
        ${submitButton(t('screening.check'), { secondary: true, name: 'action', value: 'screen' })}
      </p>
    </form>
    ${screeningPanel(t, screening)}`;
}

const partyInput = (v: Record<string, string>) => ({
  name: v.name ?? '',
  aliases: (v.aliases ?? '')
    .split(/\r?\n/)
    .map((a) => a.trim())
    .filter(Boolean),
  country: (v.country ?? '').trim().toUpperCase(),
  address: v.address ?? '',
  partyType: (v.partyType ?? '') as 'police',
});

export function registerExporterPartyPages(app: TypedApp, ctx: ServiceContext): void {
  const hide = { schema: { hide: true } };

  app.get('/exporter/parties', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireExporterPage(p);
    const { t } = p;
    const page = pageNumber(req.query);
    const { items, total } = await listParties(ctx, p.principal, {
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    });
    return sendPage(reply, p, {
      title: t('parties.title'),
      body: html`<h1>${t('parties.title')}</h1>
        <p><a class="button" href="/exporter/parties/new">${t('party.add')}</a></p>
        ${
          items.length
            ? html`<table class="table">
                  <caption class="visually-hidden">
                    ${t('parties.title')}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">${t('party.name')}</th>
                      <th scope="col">${t('party.country')}</th>
                      <th scope="col">${t('party.partyType')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${items.map(
                      (x) =>
                        html`<tr>
                          <td><a href="/exporter/parties/${x.id}">${x.name}</a></td>
                          <td>${x.country}</td>
                          <td>${labelOf(t, 'partyType', x.partyType)}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
                ${pager(t, '/exporter/parties', page, total, PAGE_SIZE)}`
            : html`<p>${t('parties.empty')}</p>`
        }`,
    });
  });

  const formPage = (
    reply: FastifyReply,
    p: PageContext,
    o: {
      title: string;
      action: string;
      form: FormState;
      screening: Screening;
      version?: number;
      party?: Party;
    },
    status = 200,
  ) =>
    sendPage(
      reply,
      p,
      {
        title: o.title,
        errorCount: Object.keys(o.form.errors).length,
        breadcrumbs: [
          { href: '/exporter/parties', label: p.t('parties.title') },
          ...(o.party ? [{ href: `/exporter/parties/${o.party.id}`, label: o.party.name }] : []),
        ],
        body: html`<h1>${o.title}</h1>
          ${partyForm(p, o.form, o.action, o.screening, o.version)}`,
      },
      status,
    );

  app.get('/exporter/parties/new', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireExporterPage(p);
    return formPage(reply, p, {
      title: p.t('party.add'),
      action: '/exporter/parties/new',
      form: emptyForm(),
      screening: undefined,
    });
  });

  app.post('/exporter/parties/new', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireExporterPage(p);
    const values = formValues(req.body);
    const screening = await screenForPage(ctx, p.principal, values.name ?? '', values.country ?? '');
    if (values.action === 'screen')
      return formPage(reply, p, {
        title: p.t('party.add'),
        action: '/exporter/parties/new',
        form: emptyForm(values),
        screening,
      });
    try {
      const party = await createParty(ctx, p.principal, partyInput(values));
      return redirectWithFlash(reply, `/exporter/parties/${party.id}`, 'flash.partySaved', party.name);
    } catch (e) {
      if (!isInputError(e)) throw e;
      const form = { values, errors: errorsFromDomain(p.t, e, PARTY_FIELDS, 'name') };
      return formPage(
        reply,
        p,
        { title: p.t('party.add'), action: '/exporter/parties/new', form, screening },
        400,
      );
    }
  });

  app.get('/exporter/parties/:id', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireExporterPage(p);
    const { t } = p;
    const party = await getParty(ctx, p.principal, IdParams.parse(req.params).id);
    const screening = await screenForPage(ctx, p.principal, party.name, party.country);
    return sendPage(reply, p, {
      title: party.name,
      breadcrumbs: [{ href: '/exporter/parties', label: t('parties.title') }],
      body: html`<h1>${party.name}</h1>
        <dl class="summary-list">
          <div>
            <dt>${t('party.partyType')}</dt>
            <dd>${labelOf(t, 'partyType', party.partyType)}</dd>
          </div>
          <div>
            <dt>${t('party.country')}</dt>
            <dd>${party.country}</dd>
          </div>
          <div>
            <dt>${t('party.aliases')}</dt>
            <dd>${party.aliases.length ? party.aliases.join('; ') : '—'}</dd>
          </div>
          <div>
            <dt>${t('party.address')}</dt>
            <dd>${party.address || '—'}</dd>
          </div>
        </dl>
        <p>
          <a class="button button-secondary" href="/exporter/parties/${party.id}/edit">${t('common.edit')}</a>
        </p>
        ${screeningPanel(t, screening)}`,
    });
  });

  const valuesOf = (party: Party): Record<string, string> => ({
    name: party.name,
    aliases: party.aliases.join('\n'),
    country: party.country,
    address: party.address,
    partyType: party.partyType,
  });

  app.get('/exporter/parties/:id/edit', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireExporterPage(p);
    const party = await getParty(ctx, p.principal, IdParams.parse(req.params).id);
    const screening = await screenForPage(ctx, p.principal, party.name, party.country);
    return formPage(reply, p, {
      title: p.t('party.edit', { name: party.name }),
      action: `/exporter/parties/${party.id}/edit`,
      form: emptyForm(valuesOf(party)),
      screening,
      version: party.version,
      party,
    });
  });

  app.post('/exporter/parties/:id/edit', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireExporterPage(p);
    const party = await getParty(ctx, p.principal, IdParams.parse(req.params).id);
    const values = formValues(req.body);
    const version = Number(values.version);
    const screening = await screenForPage(ctx, p.principal, values.name ?? '', values.country ?? '');
    const o = {
      title: p.t('party.edit', { name: party.name }),
      action: `/exporter/parties/${party.id}/edit`,
      screening,
      version,
      party,
    };
    if (values.action === 'screen') return formPage(reply, p, { ...o, form: emptyForm(values) });
    try {
      const saved = await updateParty(ctx, p.principal, party.id, { version, ...partyInput(values) });
      return redirectWithFlash(reply, `/exporter/parties/${saved.id}`, 'flash.partySaved', saved.name);
    } catch (e) {
      if (!isInputError(e)) throw e;
      return formPage(
        reply,
        p,
        { ...o, form: { values, errors: errorsFromDomain(p.t, e, PARTY_FIELDS, 'name') } },
        e.code === 'CONFLICT' ? 409 : 400,
      );
    }
  });
}
