-- A user's language for what Custos writes to them (e-mails; the portal follows it at sign-in when the browser has
-- not chosen one). Null until the user chooses: e-mails are then in English, the reference language. The values are
-- src/domain/locales.ts LOCALES; a new language is a new catalogue and a migration widening this check.
alter table users add column language text check (language in ('en', 'fr'));
