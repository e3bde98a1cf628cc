/** Demo accounts for a fresh instance: an administrator, an officer and exporter users. Clearly labelled as demo. */
import { systemPrincipal } from '../domain/model.ts';
import type { ServiceContext } from './context.ts';
import { createUser } from './identity.service.ts';
import { ensureAuthority } from './organisations.service.ts';

export interface DemoAccount {
  email: string;
  password: string;
  role: 'administrator' | 'officer' | 'exporter';
  organisation: string;
}

/** Passwords of the demo accounts. They are public by design: never use demo data in production. */
export const DEMO_PASSWORD = 'custos-demo-password';

/**
 * Create the authority (from configuration) and the demo accounts, unless users already exist.
 * Exporter accounts are attached to the given exporter organisations (the first two).
 */
export async function ensureDemoAccounts(
  ctx: ServiceContext,
  exporterOrganisationIds: string[],
): Promise<DemoAccount[]> {
  const system = systemPrincipal('demo-seed');
  const existing = await ctx.db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (existing) return [];
  const authority = await ensureAuthority(ctx, system);
  const accounts: DemoAccount[] = [];
  const add = async (
    email: string,
    role: DemoAccount['role'],
    organisationId: string,
    organisation: string,
    displayName: string,
  ) => {
    await createUser(ctx, system, { organisationId, email, displayName, role, password: DEMO_PASSWORD });
    accounts.push({ email, password: DEMO_PASSWORD, role, organisation });
  };
  await add('admin@demo.custos.invalid', 'administrator', authority.id, authority.name, 'Demo Administrator');
  await add('officer@demo.custos.invalid', 'officer', authority.id, authority.name, 'Demo Licensing Officer');
  const orgs = exporterOrganisationIds.length
    ? await ctx.db
        .selectFrom('organisations')
        .select(['id', 'name'])
        .where('id', 'in', exporterOrganisationIds.slice(0, 2))
        .execute()
    : [];
  for (const [i, org] of orgs.entries()) {
    await add(`exporter${i + 1}@demo.custos.invalid`, 'exporter', org.id, org.name, `Demo Exporter ${i + 1}`);
  }
  return accounts;
}
