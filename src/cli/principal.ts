/** Who a CLI command acts as: a named user (`--as <email>`) so roles apply, or the system principal without it. */
import { DomainError } from '../domain/errors.ts';
import { systemPrincipal, type Principal, type UserRole } from '../domain/model.ts';
import type { ServiceContext } from '../services/context.ts';

/** The option every acting command offers. */
export const AS_OPTION = [
  '--as <email>',
  'act as this user (officer, administrator or exporter); the service checks its role',
] as const;

/** The user named by --as (by e-mail), as a CLI principal; the system principal without --as. */
export async function principalFor(ctx: ServiceContext, email: string | undefined): Promise<Principal> {
  if (!email) return systemPrincipal('cli');
  const u = await ctx.db
    .selectFrom('users')
    .select(['id', 'organisation_id', 'role', 'disabled'])
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();
  if (!u || u.disabled) throw new DomainError('NOT_FOUND', `No active user ${email}.`);
  return {
    kind: 'user',
    userId: u.id,
    organisationId: u.organisation_id,
    role: u.role as UserRole,
    via: 'cli',
  };
}
