/**
 * Screening in the workflow: every party of a submitted application is screened against the current lists, parties
 * are re-screened when a list changes (new hits only), and officers adjudicate hits. An adjudication is remembered
 * per party and list entry, and re-opens when either the entry or the party changes.
 */
import { createHash } from 'node:crypto';
import type { Insertable, Selectable } from 'kysely';
import { z } from 'zod';
import type { ScreeningHitsTable } from '../db/schema.ts';
import { DomainError, forbidden, notFound, staleVersion } from '../domain/errors.ts';
import { systemPrincipal, type Principal } from '../domain/model.ts';
import type { WatchlistEntry } from '../domain/watchlist.ts';
import {
  DEFAULT_MATCH_THRESHOLD,
  screenName,
  type ScreeningHit,
  type ScreeningIndex,
  type ScreeningQuery,
} from '../engines/screening/index.ts';
import { appendAudit } from './audit.service.ts';
import {
  actorOf,
  assertCanReadOrganisation,
  assertExporterOf,
  isStaff,
  requireRole,
} from './authorization.ts';
import type { Db, ServiceContext, Tx } from './context.ts';
import { currentIndex } from './screening.service.ts';
import { parseInput } from './validation.ts';
import type { WatchlistVersion } from './watchlists.service.ts';

/** Queue of the job that screens the parties of an application once it is submitted. */
export const SCREEN_APPLICATION_QUEUE = 'screening.application';

export const HIT_STATUSES = ['open', 'true_match', 'false_positive', 'needs_information'] as const;
export type HitStatus = (typeof HIT_STATUSES)[number];
export const OFFICER_DECISIONS = ['true_match', 'false_positive', 'needs_information'] as const;

/** Hits per name and alias of a party kept before merging per list entry. */
const HITS_PER_QUERY = 25;

export const AdjudicationInput = z.strictObject({
  decision: z.enum(OFFICER_DECISIONS),
  reason: z.string().trim().min(10, 'give a reason of at least 10 characters').max(4000),
  version: z.number().int().min(1),
});
export const HitNoteInput = z.strictObject({
  note: z.string().trim().min(3, 'write at least 3 characters').max(4000),
});
export const HitListQuery = z.strictObject({
  applicationId: z.uuid().optional(),
  partyId: z.uuid().optional(),
  status: z.enum(HIT_STATUSES).optional(),
  newOnly: z
    .union([z.boolean(), z.enum(['true', 'false'])])
    .transform((v) => v === true || v === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** JSON with sorted keys, so that the same data always gives the same fingerprint. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** Fingerprint of a list entry's data: a changed entry (names, dates, identifiers...) re-opens its adjudications. */
export const fingerprintEntry = (entry: WatchlistEntry): string => sha256(canonicalJson(entry));

interface PartyRow {
  id: string;
  organisation_id: string;
  name: string;
  aliases: string[];
  country: string;
  party_type: string;
}

/** Fingerprint of what is screened of a party: a renamed party (or new alias, country, type) is screened afresh. */
export const fingerprintParty = (p: PartyRow): string =>
  sha256(
    canonicalJson({ name: p.name, aliases: [...p.aliases].sort(), country: p.country, type: p.party_type }),
  );

/** The queries of one party: its name and each alias, with schema and country as evidence. */
function queriesOf(p: PartyRow): ScreeningQuery[] {
  const schema = p.party_type === 'individual' ? 'Person' : 'Organization';
  return [p.name, ...p.aliases]
    .map((n) => n.trim())
    .filter((n, i, all) => n.length > 0 && all.indexOf(n) === i)
    .map((name) => ({ name, schema, country: p.country }));
}

/** Screen one party by name and aliases; the best hit per list entry, optionally only for some lists. */
export function screenPartyRow(
  index: ScreeningIndex,
  party: PartyRow,
  threshold: number,
  listNames?: ReadonlySet<string>,
): ScreeningHit[] {
  const best = new Map<string, ScreeningHit>();
  for (const q of queriesOf(party)) {
    for (const h of screenName(index, q, { threshold, limit: HITS_PER_QUERY })) {
      if (listNames && !listNames.has(h.listName)) continue;
      const key = `${h.listName}\u0000${h.sourceId}`;
      const prev = best.get(key);
      if (!prev || h.score01 > prev.score01) best.set(key, h);
    }
  }
  return [...best.values()].sort((a, b) => b.score01 - a.score01);
}

const hitKey = (k: {
  party_id: string;
  list_name: string;
  source_id: string;
  entry_fingerprint: string;
  party_fingerprint: string;
}): string => [k.party_id, k.list_name, k.source_id, k.entry_fingerprint, k.party_fingerprint].join('|');

async function loadParties(db: Db | Tx, ids: string[]): Promise<PartyRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('parties')
    .select(['id', 'organisation_id', 'name', 'aliases', 'country', 'party_type'])
    .where('id', 'in', ids)
    .orderBy('id')
    .execute();
}

export interface RunSummary {
  runId: string;
  organisationId: string;
  applicationId: string | null;
  trigger: 'submission' | 'list-change';
  outcome: 'screened' | 'no-list-loaded';
  partiesScreened: number;
  hitsFound: number;
  newHits: number;
}

/** The current index with its entries and list versions keyed for a run; resolved once for all runs of a re-screen. */
interface ScreeningState {
  cached: Awaited<ReturnType<typeof currentIndex>> | undefined;
  entriesByKey: Map<string, WatchlistEntry>;
  versionByList: Map<string, WatchlistVersion>;
  /** Fingerprint of an entry, computed once per entry. */
  entryFingerprint: (key: string, entry: WatchlistEntry) => string;
}

async function loadScreeningState(ctx: ServiceContext): Promise<ScreeningState> {
  let cached: ScreeningState['cached'];
  try {
    cached = await currentIndex(ctx);
  } catch (e) {
    if (!(e instanceof DomainError && e.code === 'UNAVAILABLE')) throw e;
  }
  const entriesByKey = new Map<string, WatchlistEntry>();
  for (const l of cached?.lists ?? [])
    for (const e of l.entries) entriesByKey.set(`${l.listName}\u0000${e.sourceId}`, e);
  const fingerprints = new Map<string, string>();
  return {
    cached,
    entriesByKey,
    versionByList: new Map((cached?.versions ?? []).map((v) => [v.listName, v])),
    entryFingerprint: (key, entry) => {
      let fp = fingerprints.get(key);
      if (fp === undefined) fingerprints.set(key, (fp = fingerprintEntry(entry)));
      return fp;
    },
  };
}

/**
 * Screen the parties and store one run with its hits. `storeOnlyNew` keeps only hits not seen in earlier runs
 * (re-screening); a hit whose party and entry are unchanged since an officer adjudicated it carries that decision.
 */
async function recordRun(
  ctx: ServiceContext,
  input: {
    organisationId: string;
    applicationId: string | null;
    trigger: RunSummary['trigger'];
    parties: PartyRow[];
    listNames?: ReadonlySet<string>;
    storeOnlyNew: boolean;
  },
  state?: ScreeningState,
): Promise<RunSummary> {
  const threshold = DEFAULT_MATCH_THRESHOLD;
  const runId = ctx.newId();
  const now = ctx.now();
  const { cached, entriesByKey, versionByList, entryFingerprint } = state ?? (await loadScreeningState(ctx));
  const summary: RunSummary = {
    runId,
    organisationId: input.organisationId,
    applicationId: input.applicationId,
    trigger: input.trigger,
    outcome: cached ? 'screened' : 'no-list-loaded',
    partiesScreened: cached ? input.parties.length : 0,
    hitsFound: 0,
    newHits: 0,
  };
  const partyIds = input.parties.map((p) => p.id);

  await ctx.db.transaction().execute(async (trx) => {
    const [seen, adjudications] = partyIds.length
      ? await Promise.all([
          trx
            .selectFrom('screening_hits')
            .select(['party_id', 'list_name', 'source_id', 'entry_fingerprint', 'party_fingerprint'])
            .where('party_id', 'in', partyIds)
            .execute(),
          trx
            .selectFrom('screening_adjudications')
            .selectAll()
            .where('party_id', 'in', partyIds)
            .where('kind', '=', 'officer')
            .orderBy('decided_at', 'desc')
            .execute(),
        ])
      : [[], []];
    const seenKeys = new Set(seen.map(hitKey));
    const latestDecision = new Map<string, (typeof adjudications)[number]>();
    for (const a of adjudications) if (!latestDecision.has(hitKey(a))) latestDecision.set(hitKey(a), a);

    const rows: Insertable<ScreeningHitsTable>[] = [];
    if (cached) {
      for (const party of input.parties) {
        const partyFp = fingerprintParty(party);
        for (const h of screenPartyRow(cached.index, party, threshold, input.listNames)) {
          const entryKey = `${h.listName}\u0000${h.sourceId}`;
          const entry = entriesByKey.get(entryKey);
          const version = versionByList.get(h.listName);
          if (!entry || !version) continue;
          const key = {
            party_id: party.id,
            list_name: h.listName,
            source_id: h.sourceId,
            entry_fingerprint: entryFingerprint(entryKey, entry),
            party_fingerprint: partyFp,
          };
          const isNew = !seenKeys.has(hitKey(key));
          summary.hitsFound++;
          if (isNew) summary.newHits++;
          if (input.storeOnlyNew && !isNew) continue;
          const decided = latestDecision.get(hitKey(key));
          rows.push({
            id: ctx.newId(),
            run_id: runId,
            organisation_id: party.organisation_id,
            party_name: party.name,
            watchlist_id: version.id,
            entry_name: h.entryName,
            matched_alias: h.matchedAlias,
            score01: h.score01,
            explanation: JSON.stringify(h.explanation),
            is_new: isNew,
            status: decided?.decision ?? 'open',
            adjudication_id: decided?.id ?? null,
            created_at: now,
            ...key,
          });
        }
      }
    }
    await trx
      .insertInto('screening_runs')
      .values({
        id: runId,
        organisation_id: input.organisationId,
        application_id: input.applicationId,
        trigger: input.trigger,
        outcome: summary.outcome,
        lists: JSON.stringify(
          (cached?.versions ?? [])
            .filter((v) => !input.listNames || input.listNames.has(v.listName))
            .map((v) => ({
              watchlistId: v.id,
              listName: v.listName,
              publishedOn: v.publishedOn,
              checksum: v.checksum,
            })),
        ),
        threshold,
        parties_screened: summary.partiesScreened,
        hits_found: summary.hitsFound,
        new_hits: summary.newHits,
        ran_at: now,
      })
      .execute();
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('screening_hits')
        .values(rows.slice(i, i + 500))
        .execute();
    await appendAudit(ctx, trx, systemPrincipal('screening'), {
      action: 'screening.run',
      entityType: input.applicationId ? 'application' : 'organisation',
      entityId: input.applicationId ?? input.organisationId,
      payload: { ...summary },
    });
  });
  return summary;
}

/** Job: screen every party of a submitted application against the current version of every list. */
export async function screenSubmittedApplication(
  ctx: ServiceContext,
  applicationId: string,
): Promise<RunSummary | null> {
  const app = await ctx.db
    .selectFrom('applications')
    .select(['id', 'organisation_id'])
    .where('id', '=', applicationId)
    .executeTakeFirst();
  if (!app) return null;
  const partyIds = (
    await ctx.db
      .selectFrom('application_parties')
      .select('party_id')
      .where('application_id', '=', applicationId)
      .execute()
  ).map((r) => r.party_id);
  return recordRun(ctx, {
    organisationId: app.organisation_id,
    applicationId,
    trigger: 'submission',
    parties: await loadParties(ctx.db, [...new Set(partyIds)]),
    storeOnlyNew: false,
  });
}

/**
 * Job: after a list changed, re-screen the parties of every catalogue (which include those of open applications)
 * against that list, and store the hits not seen before, one run per organisation.
 */
export async function rescreenAfterListChange(ctx: ServiceContext, listName: string): Promise<RunSummary[]> {
  // Every party of an open application is a catalogue party of its exporter, so the catalogues cover both.
  const parties = await ctx.db
    .selectFrom('parties')
    .select(['id', 'organisation_id', 'name', 'aliases', 'country', 'party_type'])
    .orderBy('id')
    .execute();
  const byOrganisation = new Map<string, PartyRow[]>();
  for (const p of parties) {
    const own = byOrganisation.get(p.organisation_id);
    if (own) own.push(p);
    else byOrganisation.set(p.organisation_id, [p]);
  }
  // The index, its entries and their fingerprints are resolved once, not once per organisation.
  const state = await loadScreeningState(ctx);
  const listNames = new Set([listName]);
  const runs: RunSummary[] = [];
  for (const [organisationId, own] of byOrganisation)
    runs.push(
      await recordRun(
        ctx,
        {
          organisationId,
          applicationId: null,
          trigger: 'list-change',
          parties: own,
          listNames,
          storeOnlyNew: true,
        },
        state,
      ),
    );
  return runs;
}

export interface HitView {
  id: string;
  runId: string;
  organisationId: string;
  partyId: string;
  partyName: string;
  listName: string;
  watchlistId: string;
  sourceId: string;
  entryName: string;
  matchedAlias: string;
  score01: number;
  explanation: Record<string, unknown>;
  isNew: boolean;
  status: HitStatus;
  createdAt: string;
  version: number;
  /** Officer adjudications (the reason and officer are shown to staff only) and exporter notes, newest first. */
  adjudications: {
    id: string;
    kind: 'officer' | 'exporter';
    decision: string;
    reason: string | null;
    decidedBy: string | null;
    decidedAt: string;
    /** True when the party or the entry changed since: the decision no longer covers this hit. */
    outdated: boolean;
  }[];
}

type HitRow = Selectable<ScreeningHitsTable>;

async function toHitViews(ctx: ServiceContext, actor: Principal, rows: HitRow[]): Promise<HitView[]> {
  const partyIds = [...new Set(rows.map((r) => r.party_id))];
  const adjudications = partyIds.length
    ? await ctx.db
        .selectFrom('screening_adjudications')
        .selectAll()
        .where('party_id', 'in', partyIds)
        .orderBy('decided_at', 'desc')
        .execute()
    : [];
  const staff = isStaff(actor);
  return rows.map((r) => ({
    id: r.id,
    runId: r.run_id,
    organisationId: r.organisation_id,
    partyId: r.party_id,
    partyName: r.party_name,
    listName: r.list_name,
    watchlistId: r.watchlist_id,
    sourceId: r.source_id,
    entryName: r.entry_name,
    matchedAlias: r.matched_alias,
    score01: Number(r.score01),
    explanation: r.explanation,
    isNew: r.is_new,
    status: r.status as HitStatus,
    createdAt: new Date(r.created_at).toISOString(),
    version: r.version,
    adjudications: adjudications
      .filter((a) => a.party_id === r.party_id && a.list_name === r.list_name && a.source_id === r.source_id)
      .map((a) => {
        const hidden = a.kind === 'officer' && !staff;
        return {
          id: a.id,
          kind: a.kind as 'officer' | 'exporter',
          decision: a.decision,
          reason: hidden ? null : a.reason,
          decidedBy: hidden ? null : a.decided_by,
          decidedAt: new Date(a.decided_at).toISOString(),
          outdated:
            a.entry_fingerprint !== r.entry_fingerprint || a.party_fingerprint !== r.party_fingerprint,
        };
      }),
  }));
}

/**
 * Guard fact `screening_hits_adjudicated` (Custos policy, not law: policy/workflow/lifecycle.yaml): no screening hit
 * on the application's parties is open or waiting for information, so a grant is never made over an unread hit.
 */
export async function screeningGuardFacts(
  trx: Db | Tx,
  applicationId: string,
): Promise<Record<string, boolean | undefined>> {
  const row = await trx
    .selectFrom('screening_hits')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('party_id', 'in', (eb) =>
      eb.selectFrom('application_parties').select('party_id').where('application_id', '=', applicationId),
    )
    .where('status', 'in', ['open', 'needs_information'])
    .executeTakeFirstOrThrow();
  return { screening_hits_adjudicated: Number(row.n) === 0 };
}

/** Hits visible to the caller: officers and administrators see all, an exporter those on its own parties. */
export async function listScreeningHits(
  ctx: ServiceContext,
  actor: Principal,
  query: unknown = {},
): Promise<{ items: HitView[]; total: number; limit: number; offset: number }> {
  const q = parseInput(HitListQuery, query, 'The query');
  let organisationId: string | undefined;
  if (!isStaff(actor)) {
    const user = requireRole(actor, 'exporter');
    organisationId = user.kind === 'user' ? user.organisationId : undefined;
  }
  let base = ctx.db.selectFrom('screening_hits');
  if (organisationId) base = base.where('organisation_id', '=', organisationId);
  if (q.partyId) base = base.where('party_id', '=', q.partyId);
  if (q.status) base = base.where('status', '=', q.status);
  if (q.newOnly) base = base.where('is_new', '=', true);
  if (q.applicationId) {
    const appId = q.applicationId;
    base = base.where('party_id', 'in', (eb) =>
      eb.selectFrom('application_parties').select('party_id').where('application_id', '=', appId),
    );
  }
  const [rows, count] = await Promise.all([
    base
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('score01', 'desc')
      .orderBy('id')
      .limit(q.limit)
      .offset(q.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    items: await toHitViews(ctx, actor, rows),
    total: Number(count.n),
    limit: q.limit,
    offset: q.offset,
  };
}

async function loadHit(db: Db | Tx, id: string) {
  if (!z.uuid().safeParse(id).success) throw notFound('Screening hit');
  const row = await db.selectFrom('screening_hits').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Screening hit');
  return row;
}

export async function getScreeningHit(ctx: ServiceContext, actor: Principal, id: string): Promise<HitView> {
  const row = await loadHit(ctx.db, id);
  assertCanReadOrganisation(actor, row.organisation_id, 'Screening hit');
  return (await toHitViews(ctx, actor, [row]))[0]!;
}

/** The screening of one application: its runs and the hits on its parties (from every run), newest first. */
export async function getApplicationScreening(
  ctx: ServiceContext,
  actor: Principal,
  applicationId: string,
): Promise<{
  applicationId: string;
  openHits: number;
  runs: (Omit<RunSummary, 'runId'> & { id: string; ranAt: string; lists: unknown })[];
  hits: HitView[];
}> {
  const app = await ctx.db
    .selectFrom('applications')
    .select(['id', 'organisation_id'])
    .where('id', '=', applicationId)
    .executeTakeFirst();
  if (!app) throw notFound('Application');
  assertCanReadOrganisation(actor, app.organisation_id, 'Application');
  const runs = await ctx.db
    .selectFrom('screening_runs')
    .selectAll()
    .where('application_id', '=', applicationId)
    .orderBy('ran_at', 'desc')
    .execute();
  const { items } = await listScreeningHits(ctx, actor, { applicationId, limit: 500 });
  return {
    applicationId,
    openHits: items.filter((h) => h.status === 'open').length,
    runs: runs.map((r) => ({
      id: r.id,
      organisationId: r.organisation_id,
      applicationId: r.application_id,
      trigger: r.trigger as RunSummary['trigger'],
      outcome: r.outcome as RunSummary['outcome'],
      partiesScreened: r.parties_screened,
      hitsFound: r.hits_found,
      newHits: r.new_hits,
      ranAt: new Date(r.ran_at).toISOString(),
      lists: r.lists,
    })),
    hits: items,
  };
}

/**
 * An officer decides a hit: true match, false positive or needs more information, with a reason (audited). The
 * decision applies to every hit of the same party and list entry while both stay unchanged.
 */
export async function adjudicateHit(
  ctx: ServiceContext,
  actor: Principal,
  hitId: string,
  input: unknown,
): Promise<HitView> {
  await ctx.db.transaction().execute(async (trx) => {
    const hit = await loadHit(trx, hitId);
    assertCanReadOrganisation(actor, hit.organisation_id, 'Screening hit');
    requireRole(actor, 'officer');
    const data = parseInput(AdjudicationInput, input, 'The adjudication');
    if (hit.version !== data.version) throw staleVersion('screening hit', hit.version, data.version);
    const adjudicationId = ctx.newId();
    const now = ctx.now();
    await trx
      .insertInto('screening_adjudications')
      .values({
        id: adjudicationId,
        hit_id: hit.id,
        organisation_id: hit.organisation_id,
        party_id: hit.party_id,
        party_fingerprint: hit.party_fingerprint,
        list_name: hit.list_name,
        source_id: hit.source_id,
        entry_fingerprint: hit.entry_fingerprint,
        kind: 'officer',
        decision: data.decision,
        reason: data.reason,
        decided_by: actorOf(actor),
        decided_at: now,
      })
      .execute();
    const set = { status: data.decision, adjudication_id: adjudicationId };
    const own = await trx
      .updateTable('screening_hits')
      .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
      .where('id', '=', hit.id)
      .where('version', '=', data.version)
      .executeTakeFirst();
    if (Number(own.numUpdatedRows) !== 1) throw staleVersion('screening hit');
    // The same party against the same unchanged entry, found by other runs, carries the same decision.
    const others = await trx
      .updateTable('screening_hits')
      .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
      .where('id', '<>', hit.id)
      .where('party_id', '=', hit.party_id)
      .where('list_name', '=', hit.list_name)
      .where('source_id', '=', hit.source_id)
      .where('entry_fingerprint', '=', hit.entry_fingerprint)
      .where('party_fingerprint', '=', hit.party_fingerprint)
      .executeTakeFirst();
    const total = 1 + Number(others.numUpdatedRows);
    await appendAudit(ctx, trx, actor, {
      action: 'screening.hit.adjudicated',
      entityType: 'screening_hit',
      entityId: hit.id,
      payload: {
        partyId: hit.party_id,
        listName: hit.list_name,
        sourceId: hit.source_id,
        from: hit.status,
        decision: data.decision,
        reason: data.reason,
        hitsCovered: total,
      },
    });
  });
  return getScreeningHit(ctx, actor, hitId);
}

/** The owning exporter records a pre-screen note on a hit; it never changes the hit's status. */
export async function addHitNote(
  ctx: ServiceContext,
  actor: Principal,
  hitId: string,
  input: unknown,
): Promise<HitView> {
  await ctx.db.transaction().execute(async (trx) => {
    const hit = await loadHit(trx, hitId);
    assertExporterOf(actor, hit.organisation_id, 'screening hit');
    if (actor.kind !== 'user') throw forbidden('Only the exporter writes pre-screen notes.');
    const data = parseInput(HitNoteInput, input, 'The note');
    const id = ctx.newId();
    await trx
      .insertInto('screening_adjudications')
      .values({
        id,
        hit_id: hit.id,
        organisation_id: hit.organisation_id,
        party_id: hit.party_id,
        party_fingerprint: hit.party_fingerprint,
        list_name: hit.list_name,
        source_id: hit.source_id,
        entry_fingerprint: hit.entry_fingerprint,
        kind: 'exporter',
        decision: 'note',
        reason: data.note,
        decided_by: actorOf(actor),
        decided_at: ctx.now(),
      })
      .execute();
    await appendAudit(ctx, trx, actor, {
      action: 'screening.hit.noted',
      entityType: 'screening_hit',
      entityId: hit.id,
      payload: { partyId: hit.party_id, listName: hit.list_name, sourceId: hit.source_id },
    });
  });
  return getScreeningHit(ctx, actor, hitId);
}
