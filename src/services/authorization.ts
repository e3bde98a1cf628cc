/** Authorization rules shared by every service: who may read or change what. */
import { DomainError, forbidden } from '../domain/errors.ts';
import type { Principal, UserRole } from '../domain/model.ts';

export type UserPrincipal = Extract<Principal, { kind: 'user' }>;

/** The audit actor string of a principal: `user:<id>`, `system:<name>` or `public`. */
export function actorOf(p: Principal): string {
  if (p.kind === 'user') return `user:${p.userId}`;
  if (p.kind === 'system') return `system:${p.name}`;
  return 'public';
}

export function requireUser(p: Principal): UserPrincipal {
  if (p.kind !== 'user') throw new DomainError('UNAUTHENTICATED', 'Sign in or send an API token to do this.');
  return p;
}

/** Anyone but the anonymous public: a signed-in user of any role, or the system (CLI, jobs). */
export function requireSignedIn(p: Principal): Principal {
  if (p.kind === 'public') requireUser(p);
  return p;
}

/** A signed-in user with one of the roles; the system principal (CLI, jobs) passes too. */
export function requireRole(p: Principal, ...roles: UserRole[]): Principal {
  if (p.kind === 'system') return p;
  const user = requireUser(p);
  if (!roles.includes(user.role)) throw forbidden(`This needs the role ${roles.join(' or ')}.`);
  return p;
}

export const isStaff = (p: Principal): boolean =>
  p.kind === 'system' || (p.kind === 'user' && (p.role === 'officer' || p.role === 'administrator'));

/**
 * Read access to an organisation's data: its own exporters, officers and administrators, and the system.
 * Exporters of other organisations get NOT_FOUND, so they cannot even learn that the record exists.
 */
export function canReadOrganisation(p: Principal, organisationId: string): boolean {
  if (isStaff(p)) return true;
  return p.kind === 'user' && p.role === 'exporter' && p.organisationId === organisationId;
}

export function assertCanReadOrganisation(p: Principal, organisationId: string, what: string): void {
  if (p.kind === 'public') requireUser(p);
  if (!canReadOrganisation(p, organisationId)) throw new DomainError('NOT_FOUND', `${what} was not found.`);
}

/** Write access to an exporter's own records (catalogue, parties, applications): that exporter only. */
export function assertExporterOf(p: Principal, organisationId: string, what: string): void {
  if (p.kind === 'system') return;
  const user = requireUser(p);
  if (user.role !== 'exporter' || user.organisationId !== organisationId) {
    if (canReadOrganisation(p, organisationId)) throw forbidden(`Only the exporter can change this ${what}.`);
    throw new DomainError('NOT_FOUND', `${what} was not found.`);
  }
}
