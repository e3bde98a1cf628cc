/** Public pages: the landing page, the methodology page (data sources and their dates), sign-in and sign-out, language. */
import { DomainError, isDomainError } from '../../domain/errors.ts';
import { logout, login } from '../../services/identity.service.ts';
import { describeDataSources, summariseHoldings } from '../../services/methodology.service.ts';
import { clearSessionCookie, setSessionCookie } from '../auth.ts';
import type { TypedApp } from '../routes/types.ts';
import type { ServiceContext } from '../../services/context.ts';
import { emptyForm, errorSummary, formValues, submitButton, textField, type FormState } from './forms.ts';
import { html } from './html.ts';
import { isLocale } from './i18n.ts';
import { pageContext, redirectWithFlash, sendPage, setLanguageCookie, type PageContext } from './page.ts';

/** A return address after sign-in or a language switch: a local path only, never another site. */
export function localPath(value: unknown, fallback = '/'): string {
  return typeof value === 'string' &&
    value.startsWith('/') &&
    !value.startsWith('//') &&
    !value.includes('\\')
    ? value
    : fallback;
}

export const homeFor = (p: PageContext): string =>
  p.principal.kind !== 'user' ? '/' : p.principal.role === 'exporter' ? '/exporter' : '/officer/applications';

const fmtDate = (iso: string | null | undefined): string => (iso ? iso.slice(0, 10) : '—');

export function registerPublicPages(app: TypedApp, ctx: ServiceContext): void {
  const hide = { schema: { hide: true } };

  app.get('/', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    const { t } = p;
    const holdings = await summariseHoldings(ctx);
    const total = holdings.applications;
    const synthetic = holdings.synthetic;
    return sendPage(reply, p, {
      title: t('home.title'),
      body: html`<h1>${t('home.title')}</h1>
        <p class="lead">${t('home.lead', { authority: p.authorityName })}</p>
        ${
          synthetic > 0
            ? html`<div class="notice">
                <p><strong>${t('home.demoTitle')}</strong> ${t('home.demoText', { synthetic, total })}</p>
              </div>`
            : ''
        }
        <div class="cards">
          <section class="card" aria-labelledby="h-exporters">
            <h2 id="h-exporters">${t('home.exportersTitle')}</h2>
            <p>${t('home.exportersText')}</p>
            <p>
              <a href="${p.principal.kind === 'user' ? homeFor(p) : '/sign-in'}"
                >${p.principal.kind === 'user' ? t('home.goToWorkspace') : t('nav.signIn')}</a
              >
            </p>
          </section>
          <section class="card" aria-labelledby="h-public">
            <h2 id="h-public">${t('home.publicTitle')}</h2>
            <p>${t('home.publicText')}</p>
            <p><a href="/methodology">${t('nav.methodology')}</a></p>
          </section>
          <section class="card" aria-labelledby="h-developers">
            <h2 id="h-developers">${t('home.developersTitle')}</h2>
            <p>${t('home.developersText')}</p>
            <p><a href="/docs">${t('footer.api')}</a></p>
          </section>
        </div>
        <h2>${t('home.holdsTitle')}</h2>
        <dl class="summary-list">
          <div>
            <dt>${t('home.applications')}</dt>
            <dd>${total}</dd>
          </div>
          <div>
            <dt>${t('methodology.controlList')}</dt>
            <dd>${holdings.controlListVersion ?? t('methodology.controlListNone')}</dd>
          </div>
          <div>
            <dt>${t('methodology.watchlists')}</dt>
            <dd>
              ${holdings.watchlists.length ? holdings.watchlists.join(', ') : t('methodology.watchlistsNone')}
            </dd>
          </div>
        </dl>`,
    });
  });

  app.get('/methodology', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    const { t } = p;
    const s = await describeDataSources(ctx);
    return sendPage(reply, p, {
      title: t('methodology.title'),
      body: html`<h1>${t('methodology.title')}</h1>
        <p class="lead">${t('methodology.lead')}</p>
        <h2 id="control-list">${t('methodology.controlList')}</h2>
        <p>${t('methodology.controlListText')}</p>
        ${
          s.controlLists.length
            ? html`<table class="table">
                <caption class="visually-hidden">
                  ${t('methodology.controlList')}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${t('methodology.version')}</th>
                    <th scope="col">${t('methodology.imported')}</th>
                    <th scope="col">${t('methodology.entries')}</th>
                    <th scope="col">${t('methodology.current')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${s.controlLists.map(
                    (c) =>
                      html`<tr>
                        <td>${c.version}</td>
                        <td class="date">${fmtDate(c.importedAt)}</td>
                        <td>${c.entries}</td>
                        <td>${c.isCurrent ? t('common.yes') : t('common.no')}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
            : html`<p>${t('methodology.controlListNone')}</p>`
        }
        <p>
          ${t('methodology.policy', { version: s.classificationPolicy.policyVersion, list: s.classificationPolicy.controlList })}
        </p>
        <ul>
          ${s.classificationPolicy.profiles.map((pr) => html`<li>${pr.title} (<code>${pr.id}</code>, ${t('methodology.version')} ${pr.version})</li>`)}
        </ul>
        <h2 id="watchlists">${t('methodology.watchlists')}</h2>
        <p>${t('methodology.watchlistsText')}</p>
        ${
          s.watchlists.length
            ? html`<table class="table">
                <caption class="visually-hidden">
                  ${t('methodology.watchlists')}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${t('methodology.list')}</th>
                    <th scope="col">${t('methodology.publisher')}</th>
                    <th scope="col">${t('methodology.published')}</th>
                    <th scope="col">${t('methodology.imported')}</th>
                    <th scope="col">${t('methodology.entries')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${s.watchlists.map(
                    (l) =>
                      html`<tr>
                        <td>${l.listName}</td>
                        <td>${l.publisher}</td>
                        <td class="date">${fmtDate(l.publishedOn)}</td>
                        <td class="date">${fmtDate(l.importedAt)}</td>
                        <td>${String(l.counts.entries ?? '—')}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
            : html`<p>${t('methodology.watchlistsNone')}</p>`
        }
        <h2 id="assessment">${t('methodology.assessment')}</h2>
        <p>${t('methodology.assessmentText')}</p>
        <dl class="summary-list">
          <div>
            <dt>${t('methodology.version')}</dt>
            <dd>${s.assessment.version}</dd>
          </div>
          <div>
            <dt>${t('methodology.loaded')}</dt>
            <dd>
              ${s.assessment.loaded.length ? s.assessment.loaded.join(', ') : t('methodology.noneLoaded')}
            </dd>
          </div>
          <div>
            <dt>${t('methodology.missing')}</dt>
            <dd>
              ${s.assessment.missing.length ? s.assessment.missing.join(', ') : t('methodology.noneMissing')}
            </dd>
          </div>
        </dl>
        <h2>${t('methodology.lawPolicyTitle')}</h2>
        <p>${t('methodology.lawPolicyText')}</p>`,
    });
  });

  app.get('/language/:locale', hide, async (req, reply) => {
    const { locale } = req.params as { locale: string };
    const back = localPath((req.query as { back?: unknown }).back);
    if (!isLocale(locale)) throw new DomainError('NOT_FOUND', 'Unknown language.');
    setLanguageCookie(reply, locale);
    return reply.redirect(back, 303);
  });

  const signInPage = (p: PageContext, form: FormState, next: string, status = 200) => {
    const { t } = p;
    const labels = { email: t('signIn.email'), password: t('signIn.password') };
    return {
      status,
      options: {
        title: t('signIn.title'),
        errorCount: Object.keys(form.errors).length,
        body: html`${errorSummary(t, form, labels)}
          <h1>${t('signIn.title')}</h1>
          <p>${t('signIn.lead')}</p>
          <form method="post" action="/sign-in" novalidate class="form-narrow">
            <input type="hidden" name="next" value="${next}" />
            ${textField(t, { name: 'email', label: labels.email, type: 'email', autocomplete: 'username', form, required: true })}
            ${textField(t, { name: 'password', label: labels.password, type: 'password', autocomplete: 'current-password', form, required: true })}
            ${submitButton(t('signIn.submit'))}
          </form>`,
      },
    };
  };

  app.get('/sign-in', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    const next = localPath((req.query as { next?: unknown }).next, '');
    const page = signInPage(p, emptyForm(), next);
    return sendPage(reply, p, page.options, page.status);
  });

  app.post(
    '/sign-in',
    { ...hide, config: { rateLimit: { max: 10, timeWindow: 60_000 } } },
    async (req, reply) => {
      const p = pageContext(ctx, req, reply);
      const { t } = p;
      const values = formValues(req.body);
      const next = localPath(values.next, '');
      const form: FormState = { values: { email: values.email ?? '' }, errors: {} };
      const email = (values.email ?? '').trim();
      if (!email) form.errors.email = t('signIn.emailMissing');
      else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) form.errors.email = t('signIn.emailInvalid');
      if (!values.password) form.errors.password = t('signIn.passwordMissing');
      if (Object.keys(form.errors).length === 0) {
        try {
          const s = await login(ctx, email, values.password!);
          setSessionCookie(reply, s.sessionToken, s.expiresAt, ctx.config.secureCookies);
          // The user's chosen language wins at sign-in; the switcher still changes it for this browser afterwards.
          if (s.user.language) setLanguageCookie(reply, s.user.language);
          const home = s.user.role === 'exporter' ? '/exporter' : '/officer/applications';
          return redirectWithFlash(reply, next || home, 'flash.signedIn', s.user.displayName);
        } catch (e) {
          if (!isDomainError(e) || e.code !== 'UNAUTHENTICATED') throw e;
          form.errors.email = t('signIn.wrong');
        }
      }
      const page = signInPage(p, form, next, 400);
      return sendPage(reply, p, page.options, page.status);
    },
  );

  app.post('/sign-out', hide, async (req, reply) => {
    if (req.sessionToken) await logout(ctx, req.sessionToken);
    clearSessionCookie(reply, ctx.config.secureCookies);
    return redirectWithFlash(reply, '/', 'flash.signedOut');
  });
}
