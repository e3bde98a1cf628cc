/** The signed-in user's own account: who they are, and the language Custos writes to them in. */
import { isDomainError } from '../../domain/errors.ts';
import { LOCALES } from '../../domain/locales.ts';
import { getOwnUser, setOwnPreferences } from '../../services/identity.service.ts';
import { requireUser } from '../../services/authorization.ts';
import type { ServiceContext } from '../../services/context.ts';
import type { TypedApp } from '../routes/types.ts';
import {
  emptyForm,
  errorsFromDomain,
  errorSummary,
  formValues,
  radioGroup,
  submitButton,
  type FormState,
} from './forms.ts';
import { html } from './html.ts';
import { LOCALE_NAMES } from './i18n.ts';
import {
  csrfField,
  pageContext,
  redirectWithFlash,
  sendPage,
  setLanguageCookie,
  type PageContext,
} from './page.ts';
import type { User } from '../../domain/model.ts';
import type { UserPreferencesInput } from '../../contracts/foundation.ts';

function accountPage(p: PageContext, user: User, form: FormState) {
  const { t } = p;
  const labels = { language: t('account.language') };
  return {
    title: t('account.title'),
    errorCount: Object.keys(form.errors).length,
    body: html`${errorSummary(t, form, labels)}
      <h1>${t('account.title')}</h1>
      <dl class="summary-list">
        <div>
          <dt>${t('account.name')}</dt>
          <dd>${user.displayName}</dd>
        </div>
        <div>
          <dt>${t('account.email')}</dt>
          <dd>${user.email}</dd>
        </div>
      </dl>
      <form method="post" action="/account" novalidate class="form-narrow">
        ${csrfField(p)}
        ${radioGroup(t, {
          name: 'language',
          label: labels.language,
          hint: t('account.languageHint'),
          form,
          options: [
            { value: '', label: t('account.languageUnset') },
            ...LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] })),
          ],
        })}
        ${submitButton(t('common.save'))}
      </form>`,
  };
}

export function registerAccountPages(app: TypedApp, ctx: ServiceContext): void {
  const hide = { schema: { hide: true } };

  app.get('/account', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireUser(p.principal);
    const user = await getOwnUser(ctx, p.principal);
    const form = { ...emptyForm(), values: { language: user.language ?? '' } };
    return sendPage(reply, p, accountPage(p, user, form));
  });

  app.post('/account', hide, async (req, reply) => {
    const p = pageContext(ctx, req, reply);
    requireUser(p.principal);
    const values = formValues(req.body);
    const chosen = values.language ?? '';
    try {
      // The service checks the value; an unknown language is refused beside the field.
      const language = (chosen || null) as UserPreferencesInput['language'];
      const user = await setOwnPreferences(ctx, p.principal, { language });
      if (user.language) setLanguageCookie(reply, user.language);
      return redirectWithFlash(reply, '/account', 'flash.accountSaved');
    } catch (e) {
      if (!isDomainError(e) || e.code !== 'INVALID') throw e;
      const user = await getOwnUser(ctx, p.principal);
      const form = {
        values: { language: chosen },
        errors: errorsFromDomain(p.t, e, ['language'], 'language'),
      };
      return sendPage(reply, p, accountPage(p, user, form), 400);
    }
  });
}
