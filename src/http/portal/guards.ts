/** Who may open which workspace page: pages check the role, services still check every record. */
import { isUuid } from '../../domain/codes.ts';
import { forbidden } from '../../domain/errors.ts';
import { requireUser, type UserPrincipal } from '../../services/authorization.ts';
import type { PageContext } from './page.ts';

/** The exporter workspace: the public is sent to sign in (UNAUTHENTICATED), staff are refused. */
export function requireExporterPage(p: PageContext): UserPrincipal {
  const user = requireUser(p.principal);
  if (user.role !== 'exporter') throw forbidden('The exporter workspace is for exporters.');
  return user;
}

/** The officer workspace: officers and administrators. */
export function requireOfficerPage(p: PageContext): UserPrincipal {
  const user = requireUser(p.principal);
  if (user.role === 'exporter') throw forbidden('The officer workspace is for licensing officers.');
  return user;
}

export const pageNumber = (query: unknown): number => {
  const n = Number((query as { page?: unknown } | undefined)?.page ?? 1);
  return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1;
};

export { isUuid };

/** A record id from the route parameters when it is a UUID, else undefined (the page answers 404). */
export const uuidParam = (params: unknown, name = 'id'): string | undefined => {
  const v = (params as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' && isUuid(v) ? v : undefined;
};
