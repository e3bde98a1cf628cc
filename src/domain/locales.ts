/**
 * The languages Custos speaks: the portal's catalogues and the e-mails' texts exist in each (English is the reference,
 * every other has every key). A user's stored preference (`users.language`) is one of them or null (never chosen).
 */
export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

export const isLocale = (v: unknown): v is Locale =>
  typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
