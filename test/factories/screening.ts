/** A stored screening hit on a party of exporter A, for tests that need one without loading a list. */
import { createParty } from '../../src/services/catalogue.service.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import type { World } from './world.ts';

/** `party`: an existing party of exporter A to put the hit on (default: a new one). */
export async function seedScreeningHit(
  ctx: ServiceContext,
  world: World,
  party?: { id: string; name: string },
): Promise<string> {
  party ??= await createParty(ctx, world.exporterA.principal, {
    name: 'Harbour Signal Analytics Limited',
    aliases: [],
    country: 'AE',
    address: '',
    partyType: 'private_company',
  });
  const runId = ctx.newId();
  const hitId = ctx.newId();
  const now = ctx.now();
  await ctx.db
    .insertInto('screening_runs')
    .values({
      id: runId,
      organisation_id: world.exporterA.organisationId,
      application_id: null,
      trigger: 'list-change',
      outcome: 'screened',
      lists: JSON.stringify([]),
      threshold: 0.75,
      parties_screened: 1,
      hits_found: 1,
      new_hits: 1,
      ran_at: now,
    })
    .execute();
  await ctx.db
    .insertInto('screening_hits')
    .values({
      id: hitId,
      run_id: runId,
      organisation_id: world.exporterA.organisationId,
      party_id: party.id,
      party_name: party.name,
      party_fingerprint: '0'.repeat(64),
      list_name: 'Synthetic denials',
      watchlist_id: ctx.newId(),
      source_id: 'syn-3',
      entry_fingerprint: '1'.repeat(64),
      entry_name: 'Harbour Signal Analytics Ltd',
      matched_alias: 'Harbour Signal Analytics Ltd',
      score01: 0.93,
      explanation: JSON.stringify({ scorer: 'custos-v1', name01: 0.93 }),
      is_new: true,
      status: 'open',
      adjudication_id: null,
      created_at: now,
    })
    .execute();
  return hitId;
}
