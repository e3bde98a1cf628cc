/**
 * Officer case view (phase 2): the application with its classification snapshot, screening hits with adjudication,
 * the stored assessment right by right, denials, due diligence, deadlines and history; and the officer's actions
 * (assign, start assessment, request information, decide). Services decide; refusals are shown with their reasons.
 */
import type { FastifyReply } from 'fastify';
import { isDomainError, type DomainError } from '../../domain/errors.ts';
import { DECISION_OUTCOMES } from '../../domain/model.ts';
import { getApplication } from '../../services/applications.service.ts';
import { runApplicationAssessment, listApplicationAssessments } from '../../services/assessments.service.ts';
import {
  assignCase,
  getCaseDeadlines,
  getCaseParticulars,
  requestInformation,
  transitionApplication,
  type CaseParticulars,
} from '../../services/casework.service.ts';
import type { ServiceContext } from '../../services/context.ts';
import { decideApplication, getDecision } from '../../services/decisions.service.ts';
import { getApplicationDenialView } from '../../services/denials.service.ts';
import { summariseDueDiligence } from '../../services/due-diligence.service.ts';
import {
  adjudicateHit,
  getApplicationScreening,
  OFFICER_DECISIONS,
  type HitView,
} from '../../services/screening-runs.service.ts';
import type { TypedApp } from '../routes/types.ts';
import {
  emptyForm,
  errorsFromDomain,
  refusalText,
  formValues,
  radioGroup,
  submitButton,
  textArea,
  textField,
  type FormState,
} from './forms.ts';
import { deadlinesTable, englishText, statusHistoryTable } from './components.ts';
import { isUuid, requireOfficerPage } from './guards.ts';
import { html, type SafeHtml } from './html.ts';
import { labelOf, type MessageKey } from './i18n.ts';
import { csrfField, pageContext, redirectWithFlash, sendPage, type PageContext } from './page.ts';

/** A refused action: which form, the field errors and the service's message. */
interface Refusal {
  form: 'assign' | 'start' | 'assessment' | 'info' | 'decision' | `hit-${string}`;
  state: FormState;
  /** In the page's language for a refusal of a known kind; else the service's English (`english`). */
  message: string;
  english: boolean;
}

const lines = (text: string | undefined): string[] =>
  (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** Whatever a snapshot holds, shown readably: primitive fields as a list, nested parts as indented JSON. */
function snapshotView(snapshot: Record<string, unknown>): SafeHtml {
  const entries = Object.entries(snapshot);
  return html`<dl class="summary-list">
    ${entries.map(
      ([k, v]) =>
        html`<div>
          <dt>${k}</dt>
          <dd>
            ${
              v !== null && typeof v === 'object'
                ? html`<pre class="snapshot">${JSON.stringify(v, null, 1).slice(0, 4000)}</pre>`
                : String(v)
            }
          </dd>
        </div>`,
    )}
  </dl>`;
}

function refusalBox(p: PageContext, r: Refusal | undefined, form: Refusal['form']): SafeHtml {
  if (!r || r.form !== form) return html``;
  return html`<div class="error-summary" role="alert" tabindex="-1" data-focus-on-load>
    <h3>${p.t('case.refused')}</h3>
    <p>${r.english && p.locale !== 'en' ? englishText(r.message) : r.message}</p>
    ${
      Object.keys(r.state.errors).length
        ? html`<ul>
            ${Object.entries(r.state.errors).map(([k, m]) => html`<li>${k}: ${m}</li>`)}
          </ul>`
        : ''
    }
  </div>`;
}

function hitSection(p: PageContext, caseId: string, hit: HitView, refusal: Refusal | undefined): SafeHtml {
  const { t } = p;
  const key = `hit-${hit.id}` as const;
  const form = refusal?.form === key ? refusal.state : emptyForm();
  return html`<section class="card" aria-labelledby="h-${hit.id}">
    <h3 id="h-${hit.id}">${t('case.hitFor', { name: hit.partyName })}</h3>
    <dl class="summary-list">
      <div>
        <dt>${t('case.list')}</dt>
        <dd>${hit.listName}</dd>
      </div>
      <div>
        <dt>${t('case.entry')}</dt>
        <dd>${hit.entryName} (${hit.sourceId})</dd>
      </div>
      <div>
        <dt>${t('case.alias')}</dt>
        <dd>${hit.matchedAlias}</dd>
      </div>
      <div>
        <dt>${t('case.score')}</dt>
        <dd>${hit.score01.toFixed(2)}</dd>
      </div>
      <div>
        <dt>${t('case.hitStatus')}</dt>
        <dd><span class="tag">${hit.status.replace(/_/g, ' ')}</span></dd>
      </div>
    </dl>
    ${
      hit.adjudications.length
        ? html`<h4>${t('case.adjudications')}</h4>
            <ul>
              ${hit.adjudications.map(
                (a) =>
                  html`<li>
                    ${a.decidedAt.slice(0, 10)} – ${a.decision.replace(/_/g, ' ')}: ${a.reason ?? ''}
                  </li>`,
              )}
            </ul>`
        : ''
    }
    ${refusalBox(p, refusal, key)}
    <form method="post" action="/officer/cases/${caseId}/hits/${hit.id}" novalidate>
      ${csrfField(p)}
      <input type="hidden" name="version" value="${hit.version}" />
      ${radioGroup(t, {
        name: `decision-${hit.id}`,
        label: t('case.hitDecision'),
        form,
        inline: true,
        options: OFFICER_DECISIONS.map((d) => ({ value: d, label: t(`case.decision.${d}` as MessageKey) })),
      })}
      ${textArea(t, { name: `reason-${hit.id}`, label: t('case.hitReason'), hint: t('case.hitReasonHint'), form, rows: 2 })}
      ${submitButton(t('case.adjudicate'), { secondary: true })}
    </form>
  </section>`;
}

/** An item by its name and form (the exporter's name; the id only if the item is gone). */
function itemText(p: PageContext, c: CaseParticulars, itemId: string): string {
  const item = c.items.get(itemId);
  return item ? `${item.name} (${labelOf(p.t, 'itemForm', item.itemForm)})` : itemId;
}

/** A party by its name, country and type. */
function partyText(p: PageContext, c: CaseParticulars, partyId: string): string {
  const party = c.parties.get(partyId);
  return party ? `${party.name}, ${party.country}, ${labelOf(p.t, 'partyType', party.partyType)}` : partyId;
}

async function renderCase(
  ctx: ServiceContext,
  p: PageContext,
  reply: FastifyReply,
  id: string,
  refusal?: Refusal,
  status = 200,
): Promise<FastifyReply> {
  const { t, principal } = p;
  const app = await getApplication(ctx, principal, id);
  const [screening, assessments, denials, dd, deadlines, decision] = await Promise.all([
    getApplicationScreening(ctx, principal, id),
    listApplicationAssessments(ctx, principal, id),
    getApplicationDenialView(ctx, principal, id),
    summariseDueDiligence(ctx, ctx.db, id),
    getCaseDeadlines(ctx, principal, id),
    getDecision(ctx, principal, id).catch((e: unknown) => {
      if (isDomainError(e) && e.code === 'NOT_FOUND') return null;
      throw e;
    }),
  ]);
  const particulars = await getCaseParticulars(ctx, principal, id);
  const latest = assessments[0];
  const infoForm = refusal?.form === 'info' ? refusal.state : emptyForm({ workingDays: '10' });
  const decisionForm =
    refusal?.form === 'decision'
      ? refusal.state
      : emptyForm({ legalCitation: 'Regulation (EU) 2021/821, Art. 12' });
  const body = html`<h1>${t('case.title', { name: app.reference })}</h1>
    <p><span class="tag">${labelOf(t, 'status', app.status)}</span></p>

    <h2>${t('case.summary')}</h2>
    <dl class="summary-list">
      <div><dt>${t('application.reference')}</dt><dd>${app.reference}</dd></div>
      <div>
        <dt>${t('case.exporter')}</dt>
        <dd>${particulars.exporter.name} (${particulars.exporter.country})</dd>
      </div>
      <div>
        <dt>${t('application.destination')}</dt>
        <dd>
          <a href="/officer/countries/${app.destinationCountry}"
            >${app.destinationCountry} – ${t('case.countryProfile')}</a
          >
        </dd>
      </div>
      <div><dt>${t('application.licenceType')}</dt><dd>${labelOf(t, 'licenceType', app.licenceType)}</dd></div>
      <div><dt>${t('case.channel')}</dt><dd>${labelOf(t, 'channel', app.exportChannel)}</dd></div>
      <div><dt>${t('case.endUse')}</dt><dd>${app.intendedEndUse}</dd></div>
      <div><dt>${t('application.totalValue')}</dt><dd>${app.totalValueEur.toLocaleString(p.locale)} EUR</dd></div>
      <div><dt>${t('application.submitted')}</dt><dd>${app.submittedAt?.slice(0, 10) ?? '—'}</dd></div>
      <div>
        <dt>${t('case.assigned')}</dt>
        <dd>${particulars.assignedOfficer?.displayName ?? t('case.unassigned')}</dd>
      </div>
      <div><dt>${t('case.version')}</dt><dd>${app.version}</dd></div>
    </dl>

    <h2>${t('case.actions')}</h2>
    ${refusalBox(p, refusal, 'assign')} ${refusalBox(p, refusal, 'start')}
    <div class="button-row">
      <form method="post" action="/officer/cases/${app.id}/assign">
        ${csrfField(p)}<input type="hidden" name="version" value="${app.version}" />
        ${submitButton(t('case.assignMe'), { secondary: true })}
      </form>
      <form method="post" action="/officer/cases/${app.id}/start">
        ${csrfField(p)}<input type="hidden" name="version" value="${app.version}" />
        ${submitButton(t('case.startAssessment'), { secondary: true })}
      </form>
    </div>
    <details${refusal?.form === 'info' ? ' open' : ''}>
      <summary>${t('case.requestInfo')}</summary>
      ${refusalBox(p, refusal, 'info')}
      <form method="post" action="/officer/cases/${app.id}/information-request" novalidate>
        ${csrfField(p)}<input type="hidden" name="version" value="${app.version}" />
        ${textArea(t, { name: 'questions', label: t('case.questions'), hint: t('case.questionsHint'), form: infoForm })}
        ${textField(t, { name: 'workingDays', label: t('case.workingDays'), form: infoForm, width: 'short', inputmode: 'numeric' })}
        ${submitButton(t('case.requestInfo'), { secondary: true })}
      </form>
    </details>

    <h2>${t('case.lines')}</h2>
    ${app.lines.map(
      (l) =>
        html`<section class="card" aria-labelledby="line-${l.lineNo}">
          <h3 id="line-${l.lineNo}">${t('case.line', { name: String(l.lineNo) })}</h3>
          <p>
            ${t('case.item')}: ${itemText(p, particulars, l.itemId)} · ${t('case.quantity')}:
            ${l.quantity.toLocaleString(p.locale)} ${labelOf(t, 'unit', l.unit)} ·
            ${l.valueEur.toLocaleString(p.locale)} EUR
          </p>
          ${
            l.classification
              ? html`<details>
                  <summary>${t('case.snapshot')}</summary>
                  ${snapshotView(l.classification)}
                </details>`
              : html`<p>${t('case.noSnapshot')}</p>`
          }
        </section>`,
    )}
    <h3>${t('case.parties')}</h3>
    <ul>
      ${app.parties.map((x) => html`<li>${labelOf(t, 'role', x.role)}: ${partyText(p, particulars, x.partyId)}</li>`)}
    </ul>

    <h2>${t('case.screening')}</h2>
    ${
      screening.hits.length
        ? screening.hits.map((h) => hitSection(p, app.id, h, refusal))
        : html`<p>${t('case.noHits')}</p>`
    }

    <h2>${t('case.assessment')}</h2>
    ${refusalBox(p, refusal, 'assessment')}
    ${
      latest
        ? html`<dl class="summary-list">
              <div>
                <dt>${t('case.revision')}</dt>
                <dd>${latest.revision} (${latest.createdAt.slice(0, 10)})</dd>
              </div>
              <div>
                <dt>${t('case.recommendation')}</dt>
                <dd>${englishText(latest.recommendation.replace(/_/g, ' '))}</dd>
              </div>
              <div>
                <dt>${t('case.confidence')}</dt>
                <dd>${englishText(latest.assessment.confidence)} (${latest.confidence01.toFixed(2)})</dd>
              </div>
            </dl>
            ${
              latest.assessment.prohibitions.length
                ? html`<h3>${t('case.prohibitions')}</h3>
                    <ul>
                      ${latest.assessment.prohibitions.map((x) => html`<li>${x.measureId}</li>`)}
                    </ul>`
                : ''
            }
            <table class="table">
              <caption class="visually-hidden">
                ${t('case.assessment')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${t('case.right')}</th>
                  <th scope="col">${t('case.level')}</th>
                  <th scope="col">${t('case.reasons')}</th>
                  <th scope="col">${t('case.evidence')}</th>
                </tr>
              </thead>
              <tbody>
                ${latest.assessment.rights.map(
                  (r) =>
                    html`<tr>
                      <th scope="row">${r.article} ${englishText(r.title)}</th>
                      <td>
                        ${englishText(r.level)}${r.score01 === null ? '' : ` (${r.score01.toFixed(2)})`}
                      </td>
                      <td>
                        <ul>
                          ${r.reasons.map((x) => html`<li lang="en">${x.text}</li>`)}
                        </ul>
                      </td>
                      <td>
                        ${
                          [...r.evidence, ...r.indicators].length
                            ? html`<ul>
                                ${[...r.evidence, ...r.indicators].map(
                                  (s) =>
                                    html`<li>
                                      ${s.label} <span class="meta">(${s.citation})</span>${
                                        s.verified === false
                                          ? html` <span class="tag">${t('case.unverified')}</span>`
                                          : ''
                                      }
                                    </li>`,
                                )}
                              </ul>`
                            : t('case.noEvidence')
                        }
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>
            ${
              latest.assessment.informationNeeded.length
                ? html`<h3>${t('case.informationNeeded')}</h3>
                    <ul>
                      ${latest.assessment.informationNeeded.map((x) => html`<li lang="en">${x.text}</li>`)}
                    </ul>`
                : ''
            }`
        : html`<p>${t('case.noAssessment')}</p>`
    }
    <form method="post" action="/officer/cases/${app.id}/assessment">
      ${csrfField(p)} ${submitButton(latest ? t('case.rerunAssessment') : t('case.runAssessment'), { secondary: true })}
    </form>

    <h2>${t('case.denials')}</h2>
    ${
      denials.lastCheck
        ? html`<p>${t('case.denialMatches', { n: denials.lastCheck.matches.length })}</p>
            <ul>
              ${denials.lastCheck.matches.map((m) => html`<li>${JSON.stringify(m).slice(0, 300)}</li>`)}
            </ul>`
        : html`<p>${t('case.noDenialCheck')}</p>`
    }
    <p>${t('case.consultations', { n: denials.consultations.length })}</p>
    <ul>
      ${denials.reasons.map((r) => html`<li lang="en">${typeof r === 'string' ? r : JSON.stringify(r)}</li>`)}
    </ul>

    <h2>${t('case.dueDiligence')}</h2>
    <ul>
      ${dd.reasons.map((r) => html`<li lang="en">${r}</li>`)}
    </ul>

    <h2>${t('case.deadlines')}</h2>
    ${
      deadlines.length
        ? deadlinesTable(t, t('case.deadlines'), deadlines)
        : html`<p>${t('case.noDeadlines')}</p>`
    }

    <h2>${t('case.history')}</h2>
    ${statusHistoryTable(
      t,
      t('case.history'),
      [t('case.when'), t('case.from'), t('case.to'), t('case.reasons')],
      app.history,
    )}

    <h2 id="decision">${t('case.decisionForm')}</h2>
    ${
      decision
        ? html`<p>
              ${t('case.decided')}: <strong>${t(`case.outcome.${decision.outcome}` as MessageKey)}</strong>
              ${decision.reference ?? ''}
            </p>
            <ul>
              <li>
                <a href="/api/applications/${app.id}/decision/document?format=html"
                  >${t('case.documentHtml')}</a
                >
              </li>
              <li>
                <a href="/api/applications/${app.id}/decision/document?format=pdf"
                  >${t('case.documentPdf')}</a
                >
              </li>
            </ul>`
        : html`${refusalBox(p, refusal, 'decision')}
            <form method="post" action="/officer/cases/${app.id}/decision" novalidate>
              ${csrfField(p)}<input type="hidden" name="version" value="${app.version}" />
              ${radioGroup(t, {
                name: 'outcome',
                label: t('case.outcome'),
                form: decisionForm,
                options: DECISION_OUTCOMES.map((o) => ({
                  value: o,
                  label: t(`case.outcome.${o}` as MessageKey),
                })),
              })}
              ${textField(t, { name: 'legalCitation', label: t('case.legalCitation'), hint: t('case.legalCitationHint'), form: decisionForm })}
              ${textArea(t, { name: 'legalText', label: t('case.legalText'), form: decisionForm, rows: 2 })}
              ${textArea(t, { name: 'reasons', label: t('case.decisionReasons'), hint: t('case.decisionReasonsHint'), form: decisionForm })}
              ${textArea(t, { name: 'conditions', label: t('case.conditions'), hint: t('case.conditionsHint'), form: decisionForm, rows: 2 })}
              ${submitButton(t('case.decide'))}
            </form>`
    }`;
  return sendPage(
    reply,
    p,
    {
      title: t('case.title', { name: app.reference }),
      errorCount: refusal ? Math.max(1, Object.keys(refusal.state.errors).length) : 0,
      breadcrumbs: [{ href: '/officer/applications', label: t('queue.title') }],
      body,
    },
    status,
  );
}

const REFUSED_STATUS: Record<string, number> = { INVALID: 400, CONFLICT: 409, TOO_LARGE: 413 };

/** Run an action; on a refusal by the service (invalid input, guard, stale version) show the case with the reasons. */
async function act(
  ctx: ServiceContext,
  p: PageContext,
  reply: FastifyReply,
  id: string,
  form: Refusal['form'],
  values: Record<string, string>,
  fields: readonly string[],
  run: () => Promise<unknown>,
  flash: MessageKey & `flash.${string}`,
  map: Record<string, string> = {},
): Promise<FastifyReply> {
  try {
    await run();
  } catch (e) {
    if (!isDomainError(e) || !(e.code in REFUSED_STATUS)) throw e;
    const err = e as DomainError;
    const state = { values, errors: errorsFromDomain(p.t, err, fields, fields[0] ?? 'form', map) };
    const refusal = { form, state, message: refusalText(p.t, err), english: !err.reason };
    return renderCase(ctx, p, reply, id, refusal, REFUSED_STATUS[err.code]);
  }
  const app = await getApplication(ctx, p.principal, id);
  return redirectWithFlash(reply, `/officer/cases/${id}`, flash, app.reference);
}

export function registerOfficerCasePages(app: TypedApp, ctx: ServiceContext): void {
  const caseId = (params: unknown): string => {
    const id = (params as { id: string }).id;
    if (!isUuid(id)) throw Object.assign(new Error('bad id'), { name: 'ZodError' });
    return id;
  };

  app.get('/officer/cases/:id', { schema: { hide: true } }, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireOfficerPage(p);
    return renderCase(ctx, p, reply, caseId(req.params));
  });

  app.post('/officer/cases/:id/assign', { schema: { hide: true } }, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    const user = requireOfficerPage(p);
    const id = caseId(req.params);
    const v = formValues(req.body);
    return act(
      ctx,
      p,
      reply,
      id,
      'assign',
      v,
      ['version'],
      () => assignCase(ctx, p.principal, id, { officerId: user.userId, expectedVersion: Number(v.version) }),
      'flash.caseAssigned',
    );
  });

  app.post('/officer/cases/:id/start', { schema: { hide: true } }, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireOfficerPage(p);
    const id = caseId(req.params);
    const v = formValues(req.body);
    return act(
      ctx,
      p,
      reply,
      id,
      'start',
      v,
      ['version'],
      () =>
        transitionApplication(ctx, p.principal, id, {
          to: 'in_assessment',
          expectedVersion: Number(v.version),
        }),
      'flash.caseMoved',
    );
  });

  app.post('/officer/cases/:id/assessment', { schema: { hide: true } }, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireOfficerPage(p);
    const id = caseId(req.params);
    return act(
      ctx,
      p,
      reply,
      id,
      'assessment',
      {},
      [],
      () => runApplicationAssessment(ctx, p.principal, id, {}),
      'flash.assessmentRun',
    );
  });

  app.post('/officer/cases/:id/information-request', { schema: { hide: true } }, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireOfficerPage(p);
    const id = caseId(req.params);
    const v = formValues(req.body);
    const days = v.workingDays?.trim() ? Number(v.workingDays) : undefined;
    return act(
      ctx,
      p,
      reply,
      id,
      'info',
      v,
      ['questions', 'workingDays'],
      () =>
        requestInformation(ctx, p.principal, id, {
          questions: lines(v.questions),
          ...(days !== undefined && { workingDays: days }),
          expectedVersion: Number(v.version),
        }),
      'flash.infoRequested',
    );
  });

  app.post('/officer/cases/:id/hits/:hitId', { schema: { hide: true } }, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireOfficerPage(p);
    const id = caseId(req.params);
    const hitId = (req.params as { hitId: string }).hitId;
    if (!isUuid(hitId)) throw Object.assign(new Error('bad id'), { name: 'ZodError' });
    const v = formValues(req.body);
    const fields = [`decision-${hitId}`, `reason-${hitId}`];
    return act(
      ctx,
      p,
      reply,
      id,
      `hit-${hitId}`,
      v,
      fields,
      () =>
        adjudicateHit(ctx, p.principal, hitId, {
          decision: v[`decision-${hitId}`] ?? '',
          reason: v[`reason-${hitId}`] ?? '',
          version: Number(v.version),
        }),
      'flash.hitAdjudicated',
      { decision: fields[0]!, reason: fields[1]! },
    );
  });

  app.post('/officer/cases/:id/decision', { schema: { hide: true } }, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireOfficerPage(p);
    const id = caseId(req.params);
    const v = formValues(req.body);
    return act(
      ctx,
      p,
      reply,
      id,
      'decision',
      v,
      ['outcome', 'legalCitation', 'legalText', 'reasons', 'conditions'],
      () =>
        decideApplication(ctx, p.principal, id, {
          outcome: (v.outcome ?? '') as never,
          legalBasis: [{ citation: v.legalCitation ?? '', text: v.legalText ?? '' }],
          reasons: lines(v.reasons),
          conditions: lines(v.conditions),
          expectedVersion: Number(v.version),
        }),
      'flash.decided',
      {
        'legalBasis.0.citation': 'legalCitation',
        'legalBasis.0.text': 'legalText',
        legalBasis: 'legalCitation',
      },
    );
  });
}
