/** Organisations: exporters and the licensing authority. */
import { OrganisationCreate, type OrganisationCreateInput } from '../contracts/foundation.ts';
import { conflict, notFound } from '../domain/errors.ts';
import type { Organisation, OrganisationKind, Principal } from '../domain/model.ts';
import type { OrganisationsTable } from '../db/schema.ts';
import type { Selectable } from 'kysely';
import { appendAudit } from './audit.service.ts';
import { assertCanReadOrganisation, isStaff, requireRole } from './authorization.ts';
import type { ServiceContext } from './context.ts';
import { parseInput } from './validation.ts';

export function toOrganisation(r: Selectable<OrganisationsTable>): Organisation {
  return {
    id: r.id,
    kind: r.kind as OrganisationKind,
    name: r.name,
    country: r.country,
    synthetic: r.synthetic,
    createdAt: new Date(r.created_at).toISOString(),
    version: r.version,
  };
}

export async function createOrganisation(
  ctx: ServiceContext,
  actor: Principal,
  input: OrganisationCreateInput,
): Promise<Organisation> {
  requireRole(actor, 'administrator');
  const data = parseInput(OrganisationCreate, input);
  return ctx.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('organisations')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['name']), '=', data.name.toLowerCase()))
      .executeTakeFirst();
    if (existing) throw conflict(`An organisation named "${data.name}" already exists.`);
    const row = await trx
      .insertInto('organisations')
      .values({ id: ctx.newId(), kind: data.kind, name: data.name, country: data.country })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(ctx, trx, actor, {
      action: 'organisation.created',
      entityType: 'organisation',
      entityId: row.id,
      payload: { kind: row.kind, name: row.name, country: row.country },
    });
    return toOrganisation(row);
  });
}

export async function getOrganisation(
  ctx: ServiceContext,
  actor: Principal,
  id: string,
): Promise<Organisation> {
  assertCanReadOrganisation(actor, id, 'Organisation');
  const row = await ctx.db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Organisation');
  return toOrganisation(row);
}

export async function listOrganisations(ctx: ServiceContext, actor: Principal): Promise<Organisation[]> {
  if (!isStaff(actor)) {
    requireRole(actor, 'exporter');
    const own = actor.kind === 'user' ? actor.organisationId : '';
    const rows = await ctx.db.selectFrom('organisations').selectAll().where('id', '=', own).execute();
    return rows.map(toOrganisation);
  }
  const rows = await ctx.db.selectFrom('organisations').selectAll().orderBy('name').execute();
  return rows.map(toOrganisation);
}

/** The licensing authority of this instance, created on first use from the configuration. */
export async function ensureAuthority(ctx: ServiceContext, actor: Principal): Promise<Organisation> {
  const row = await ctx.db
    .selectFrom('organisations')
    .selectAll()
    .where('kind', '=', 'authority')
    .executeTakeFirst();
  if (row) return toOrganisation(row);
  return createOrganisation(ctx, actor, {
    kind: 'authority',
    name: ctx.config.authority.name,
    country: ctx.config.authority.country,
  });
}
