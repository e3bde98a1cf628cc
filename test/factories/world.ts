/** A small named world for tests: the authority, two exporters, one user of each role, and their principals. */
import type { Principal } from '../../src/domain/model.ts';
import { systemPrincipal } from '../../src/domain/model.ts';
import { createApplication } from '../../src/services/applications.service.ts';
import { createItem, createParty } from '../../src/services/catalogue.service.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { createUser } from '../../src/services/identity.service.ts';
import { createOrganisation, ensureAuthority } from '../../src/services/organisations.service.ts';
import type { ApplicationCreateInput } from '../../src/contracts/foundation.ts';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface World {
  authorityId: string;
  exporterA: { organisationId: string; userId: string; email: string; principal: Principal };
  exporterB: { organisationId: string; userId: string; email: string; principal: Principal };
  officer: { userId: string; email: string; principal: Principal };
  admin: { userId: string; email: string; principal: Principal };
}

export async function makeWorld(ctx: ServiceContext, tag = 'w'): Promise<World> {
  const system = systemPrincipal('test');
  const authority = await ensureAuthority(ctx, system);
  const orgA = await createOrganisation(ctx, system, {
    kind: 'exporter',
    name: `Alpha Interception ${tag}`,
    country: 'DE',
  });
  const orgB = await createOrganisation(ctx, system, {
    kind: 'exporter',
    name: `Beta Analytics ${tag}`,
    country: 'IT',
  });
  const user = async (
    organisationId: string,
    email: string,
    role: 'exporter' | 'officer' | 'administrator',
  ) => {
    const u = await createUser(ctx, system, {
      organisationId,
      email,
      displayName: email,
      role,
      password: TEST_PASSWORD,
    });
    return {
      userId: u.id,
      email,
      principal: { kind: 'user', userId: u.id, organisationId, role, via: 'session' } as Principal,
    };
  };
  const a = await user(orgA.id, `a-${tag}@example.test`, 'exporter');
  const b = await user(orgB.id, `b-${tag}@example.test`, 'exporter');
  return {
    authorityId: authority.id,
    exporterA: { organisationId: orgA.id, ...a },
    exporterB: { organisationId: orgB.id, ...b },
    officer: await user(authority.id, `officer-${tag}@example.test`, 'officer'),
    admin: await user(authority.id, `admin-${tag}@example.test`, 'administrator'),
  };
}

/** A complete draft application of the given exporter, ready to submit. */
export async function makeApplication(
  ctx: ServiceContext,
  exporter: Principal,
  overrides: Partial<ApplicationCreateInput> = {},
) {
  const item = await createItem(ctx, exporter, {
    name: 'Tactical cellular interception system',
    publicDescription: 'Mobile network interception equipment',
    confidentialDescription: 'Model X-900, extracts IMSI and voice over the air interface',
    itemForm: 'hardware',
    technicalProfile: {},
  });
  const consignee = await createParty(ctx, exporter, {
    name: 'Gulf Telecom Distribution LLC',
    aliases: [],
    country: 'AE',
    address: 'Dubai',
    partyType: 'private_company',
  });
  const endUser = await createParty(ctx, exporter, {
    name: 'Ministry of Interior',
    aliases: [],
    country: 'AE',
    address: 'Abu Dhabi',
    partyType: 'police',
  });
  const app = await createApplication(ctx, exporter, {
    licenceType: 'individual',
    destinationCountry: 'AE',
    intendedEndUse: 'Lawful interception by the national police under judicial warrant',
    exportChannel: 'physical',
    lines: [
      {
        itemId: item.id,
        quantity: 2,
        unit: 'systems',
        value: 1_200_000,
        currency: 'USD',
        valueEur: 1_100_000,
      },
    ],
    parties: [
      { partyId: consignee.id, role: 'consignee' },
      { partyId: endUser.id, role: 'end_user' },
    ],
    ...overrides,
  });
  return { app, item, consignee, endUser };
}
