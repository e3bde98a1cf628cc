/** The per-request page context (language, principal, CSRF token, flash) and the shared layout of every portal page. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../domain/model.ts';
import type { ServiceContext } from '../../services/context.ts';
import { html, safeUrl, type HtmlValue, type SafeHtml } from './html.ts';
import {
  LANG_COOKIE,
  LOCALES,
  LOCALE_NAMES,
  pickLocale,
  translator,
  type Locale,
  type MessageKey,
  type Translate,
} from './i18n.ts';
import { en } from './messages/en.ts';

export const FLASH_COOKIE = 'custos_flash';

export interface PageContext {
  locale: Locale;
  t: Translate;
  principal: Principal;
  csrfToken: string | undefined;
  /** Path and query of this request, for the language switcher and sign-in return. */
  path: string;
  flash: string | undefined;
  authorityName: string;
}

export function pageContext(ctx: ServiceContext, req: FastifyRequest, reply: FastifyReply): PageContext {
  const locale = pickLocale(req.cookies[LANG_COOKIE], req.headers['accept-language']);
  const t = translator(locale);
  let flash: string | undefined;
  const raw = req.cookies[FLASH_COOKIE];
  if (raw) {
    const [key, param] = raw.split('|', 2);
    // only catalogue keys are honoured, so a forged cookie cannot inject a message; the parameter is escaped on output
    if (key && key.startsWith('flash.') && key in en)
      flash = t(key as MessageKey, { name: (param ?? '').slice(0, 200) });
    reply.clearCookie(FLASH_COOKIE, { path: '/' });
  }
  return {
    locale,
    t,
    principal: req.principal,
    csrfToken: req.csrfToken,
    path: req.url,
    flash,
    authorityName: ctx.config.authority.name,
  };
}

/** The portal's language for this browser (the switcher's choice, or the user's at sign-in), kept a year. */
export function setLanguageCookie(reply: FastifyReply, locale: Locale): void {
  reply.setCookie(LANG_COOKIE, locale, { path: '/', sameSite: 'lax', maxAge: 365 * 24 * 3600 });
}

/** Post/Redirect/Get with a one-time message shown on the next page. */
export function redirectWithFlash(
  reply: FastifyReply,
  to: string,
  key: MessageKey & `flash.${string}`,
  name = '',
): FastifyReply {
  reply.setCookie(FLASH_COOKIE, `${key}|${name.slice(0, 200)}`, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
  });
  return reply.redirect(to, 303);
}

export const csrfField = (p: PageContext): SafeHtml =>
  html`<input type="hidden" name="_csrf" value="${p.csrfToken ?? ''}" />`;

interface NavLink {
  href: string;
  key: MessageKey;
}

function navLinks(p: PageContext): NavLink[] {
  const links: NavLink[] = [{ href: '/', key: 'nav.home' }];
  if (p.principal.kind === 'user' && p.principal.role === 'exporter') {
    links.push(
      { href: '/exporter', key: 'nav.dashboard' },
      { href: '/exporter/items', key: 'nav.items' },
      { href: '/exporter/parties', key: 'nav.parties' },
      { href: '/exporter/applications', key: 'nav.applications' },
    );
  }
  if (p.principal.kind === 'user' && p.principal.role !== 'exporter')
    links.push(
      { href: '/officer/applications', key: 'nav.queue' },
      { href: '/officer/evidence', key: 'nav.moderation' },
      { href: '/officer/countries', key: 'nav.countries' },
      { href: '/officer/reports', key: 'nav.publication' },
    );
  links.push(
    { href: '/register', key: 'nav.register' },
    { href: '/reports', key: 'nav.reports' },
    { href: '/evidence', key: 'nav.evidence' },
  );
  links.push({ href: '/methodology', key: 'nav.methodology' });
  return links;
}

const isCurrent = (path: string, href: string): boolean => {
  const p = path.split('?')[0]!;
  return href === '/' || href === '/exporter' ? p === href : p === href || p.startsWith(`${href}/`);
};

export interface PageOptions {
  title: string;
  body: HtmlValue;
  /** Shown above the heading when a form has errors. */
  errorCount?: number;
  breadcrumbs?: { href: string; label: string }[];
  /** An Atom feed announced in the head (<link rel="alternate">). */
  alternate?: { href: string; title: string };
}

export function layout(p: PageContext, o: PageOptions): SafeHtml {
  const { t } = p;
  const signedIn = p.principal.kind === 'user';
  const title = `${o.errorCount ? `${t('form.errorPrefix')} ` : ''}${o.title} – Custos`;
  const back = encodeURIComponent(p.path);
  return html`<!doctype html>
    <html lang="${p.locale}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}</title>
        ${p.csrfToken ? html`<meta name="csrf-token" content="${p.csrfToken}" />` : ''}
        <link rel="stylesheet" href="/assets/portal.css" />
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
        ${o.alternate ? html`<link rel="alternate" type="application/atom+xml" href="${safeUrl(o.alternate.href)}" title="${o.alternate.title}" />` : ''}
        <script src="/assets/portal.js" defer></script>
      </head>
      <body>
        <a class="skip-link" href="#main">${t('layout.skip')}</a>
        <header class="site-header">
          <div class="width header-row">
            <a class="brand" href="/">Custos<span class="brand-sub">${p.authorityName}</span></a>
            <nav class="lang" aria-label="${t('layout.language')}">
              <ul>
                ${LOCALES.map((l) =>
                  l === p.locale
                    ? html`<li><span aria-current="true" lang="${l}">${LOCALE_NAMES[l]}</span></li>`
                    : html`<li>
                        <a href="/language/${l}?back=${back}" lang="${l}" hreflang="${l}"
                          >${LOCALE_NAMES[l]}</a
                        >
                      </li>`,
                )}
              </ul>
            </nav>
            <div class="account">
              ${
                signedIn
                  ? html`<a href="/account" ${isCurrent(p.path, '/account') ? html`aria-current="page"` : ''}
                        >${t('nav.account')}</a
                      >
                      <form method="post" action="/sign-out">
                        ${csrfField(p)}<button type="submit" class="link-button">${t('nav.signOut')}</button>
                      </form>`
                  : html`<a href="/sign-in">${t('nav.signIn')}</a>`
              }
            </div>
          </div>
          <nav class="main-nav" aria-label="${t('layout.mainNav')}">
            <ul class="width">
              ${navLinks(p).map((l) =>
                isCurrent(p.path, l.href)
                  ? html`<li><a href="${l.href}" aria-current="page">${t(l.key)}</a></li>`
                  : html`<li><a href="${l.href}">${t(l.key)}</a></li>`,
              )}
            </ul>
          </nav>
        </header>
        <div class="width">
          ${
            o.breadcrumbs?.length
              ? html`<nav class="breadcrumbs" aria-label="${t('layout.breadcrumbs')}">
                  <ol>
                    ${o.breadcrumbs.map((b) => html`<li><a href="${safeUrl(b.href)}">${b.label}</a></li>`)}
                  </ol>
                </nav>`
              : ''
          }
          <main id="main" tabindex="-1">
            ${p.flash ? html`<div class="flash" role="status"><p>${p.flash}</p></div>` : ''} ${o.body}
          </main>
        </div>
        <footer class="site-footer">
          <div class="width">
            <ul>
              <li><a href="/methodology">${t('nav.methodology')}</a></li>
              <li><a href="/docs">${t('footer.api')}</a></li>
              <li><a href="/api/lists">${t('footer.lists')}</a></li>
            </ul>
            <p>${t('footer.about')}</p>
          </div>
        </footer>
      </body>
    </html>`;
}

export function sendPage(reply: FastifyReply, p: PageContext, o: PageOptions, status = 200): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(layout(p, o).value);
}
