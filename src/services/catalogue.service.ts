/** An exporter's product catalogue (items) and its parties (consignees, end users, intermediaries). */
import type { Selectable } from 'kysely';
import {
  ItemCreate,
  ItemUpdate,
  PartyCreate,
  PartyUpdate,
  type ItemCreateInput,
  type ItemUpdateInput,
  type PartyCreateInput,
  type PartyUpdateInput,
} from '../contracts/foundation.ts';
import { notFound, staleVersion } from '../domain/errors.ts';
import type { Item, ItemForm, Party, PartyType, Principal } from '../domain/model.ts';
import type { DB, ItemsTable, PartiesTable } from '../db/schema.ts';
import { appendAudit } from './audit.service.ts';
import {
  assertCanReadOrganisation,
  assertExporterOf,
  isStaff,
  requireRole,
  requireUser,
} from './authorization.ts';
import type { ServiceContext } from './context.ts';
import { parseInput } from './validation.ts';

export function toItem(r: Selectable<ItemsTable>): Item {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    name: r.name,
    publicDescription: r.public_description,
    confidentialDescription: r.confidential_description,
    itemForm: r.item_form as ItemForm,
    technicalProfile: r.technical_profile,
    classification: r.classification,
    synthetic: r.synthetic,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    version: r.version,
  };
}

export function toParty(r: Selectable<PartiesTable>): Party {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    name: r.name,
    aliases: r.aliases,
    country: r.country,
    address: r.address,
    partyType: r.party_type as PartyType,
    synthetic: r.synthetic,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    version: r.version,
  };
}

/** The organisation an exporter acts for; staff must name one when listing. */
function ownOrganisation(actor: Principal): string {
  const user = requireUser(actor);
  requireRole(actor, 'exporter');
  return user.organisationId;
}

export async function createItem(
  ctx: ServiceContext,
  actor: Principal,
  input: ItemCreateInput,
): Promise<Item> {
  const organisationId = ownOrganisation(actor);
  const data = parseInput(ItemCreate, input);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('items')
      .values({
        id: ctx.newId(),
        organisation_id: organisationId,
        name: data.name,
        public_description: data.publicDescription,
        confidential_description: data.confidentialDescription,
        item_form: data.itemForm,
        technical_profile: JSON.stringify(data.technicalProfile),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(ctx, trx, actor, {
      action: 'item.created',
      entityType: 'item',
      entityId: row.id,
      payload: { name: row.name, itemForm: row.item_form },
    });
    return toItem(row);
  });
}

export async function getItem(ctx: ServiceContext, actor: Principal, id: string): Promise<Item> {
  const row = await ctx.db.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Item');
  assertCanReadOrganisation(actor, row.organisation_id, 'Item');
  return toItem(row);
}

export async function listItems(
  ctx: ServiceContext,
  actor: Principal,
  filter: { organisationId?: string | undefined; limit: number; offset: number },
): Promise<{ items: Item[]; total: number }> {
  const organisationId = isStaff(actor) ? filter.organisationId : ownOrganisation(actor);
  let q = ctx.db.selectFrom('items');
  if (organisationId) q = q.where('organisation_id', '=', organisationId);
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('name').orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toItem), total: Number(count.n) };
}

export function updateItem(
  ctx: ServiceContext,
  actor: Principal,
  id: string,
  input: ItemUpdateInput,
): Promise<Item> {
  const data = parseInput(ItemUpdate, input);
  return updateOwnedRecord(ctx, actor, 'items', id, data, toItem, {
    ...(data.name !== undefined && { name: data.name }),
    ...(data.publicDescription !== undefined && { public_description: data.publicDescription }),
    ...(data.confidentialDescription !== undefined && {
      confidential_description: data.confidentialDescription,
    }),
    ...(data.itemForm !== undefined && { item_form: data.itemForm }),
    ...(data.technicalProfile !== undefined && {
      technical_profile: JSON.stringify(data.technicalProfile),
      classification: null, // a changed profile invalidates the stored classification
    }),
  });
}

export async function createParty(
  ctx: ServiceContext,
  actor: Principal,
  input: PartyCreateInput,
): Promise<Party> {
  const organisationId = ownOrganisation(actor);
  const data = parseInput(PartyCreate, input);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('parties')
      .values({
        id: ctx.newId(),
        organisation_id: organisationId,
        name: data.name,
        aliases: JSON.stringify(data.aliases),
        country: data.country,
        address: data.address,
        party_type: data.partyType,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(ctx, trx, actor, {
      action: 'party.created',
      entityType: 'party',
      entityId: row.id,
      payload: { partyType: row.party_type, country: row.country },
    });
    return toParty(row);
  });
}

export async function getParty(ctx: ServiceContext, actor: Principal, id: string): Promise<Party> {
  const row = await ctx.db.selectFrom('parties').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Party');
  assertCanReadOrganisation(actor, row.organisation_id, 'Party');
  return toParty(row);
}

export async function listParties(
  ctx: ServiceContext,
  actor: Principal,
  filter: { organisationId?: string | undefined; limit: number; offset: number },
): Promise<{ items: Party[]; total: number }> {
  const organisationId = isStaff(actor) ? filter.organisationId : ownOrganisation(actor);
  let q = ctx.db.selectFrom('parties');
  if (organisationId) q = q.where('organisation_id', '=', organisationId);
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('name').orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toParty), total: Number(count.n) };
}

export function updateParty(
  ctx: ServiceContext,
  actor: Principal,
  id: string,
  input: PartyUpdateInput,
): Promise<Party> {
  const data = parseInput(PartyUpdate, input);
  return updateOwnedRecord(ctx, actor, 'parties', id, data, toParty, {
    ...(data.name !== undefined && { name: data.name }),
    ...(data.aliases !== undefined && { aliases: JSON.stringify(data.aliases) }),
    ...(data.country !== undefined && { country: data.country }),
    ...(data.address !== undefined && { address: data.address }),
    ...(data.partyType !== undefined && { party_type: data.partyType }),
  });
}

const RECORD_NAMES = { items: 'item', parties: 'party' } as const;

/**
 * Change an exporter's own catalogue record under optimistic concurrency: only its exporter may, the version sent
 * must be current, and the change is audited with the fields it touched.
 */
async function updateOwnedRecord<T extends 'items' | 'parties', R>(
  ctx: ServiceContext,
  actor: Principal,
  table: T,
  id: string,
  data: { version: number },
  toView: (row: Selectable<DB[T]>) => R,
  changes: Record<string, unknown>,
): Promise<R> {
  const what = RECORD_NAMES[table];
  return ctx.db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom(table as 'items')
      .select(['organisation_id', 'version'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!current) throw notFound(what === 'item' ? 'Item' : 'Party');
    assertExporterOf(actor, current.organisation_id, what);
    const row = await trx
      .updateTable(table as 'items')
      .set({ ...changes, updated_at: ctx.now(), version: current.version + 1 })
      .where('id', '=', id)
      .where('version', '=', data.version)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw staleVersion(what, current.version, data.version);
    await appendAudit(ctx, trx, actor, {
      action: `${what}.updated`,
      entityType: what,
      entityId: id,
      payload: { fields: Object.keys(data).filter((k) => k !== 'version'), version: row.version },
    });
    return toView(row as unknown as Selectable<DB[T]>);
  });
}
