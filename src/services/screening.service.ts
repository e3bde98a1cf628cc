/**
 * Screening parties against the current versions of every loaded list, with explainable per-alias scores. The index
 * is built once per set of list versions and rebuilt when a list changes.
 */
import { z } from 'zod';
import { DomainError } from '../domain/errors.ts';
import { ENTITY_SCHEMAS, type WatchlistEntry } from '../domain/watchlist.ts';
import type { Principal } from '../domain/model.ts';
import {
  buildScreeningIndex,
  DEFAULT_MATCH_THRESHOLD,
  MAX_QUERY_NAME_LENGTH,
  screenName,
  type ScreeningHit,
  type ScreeningIndex,
  type ScreeningQuery,
} from '../engines/screening/index.ts';
import { CountryCode } from '../contracts/common.ts';
import { requireSignedIn } from './authorization.ts';
import type { ServiceContext } from './context.ts';
import { screenInBulk } from './screening/bulk-screen.ts';
import { parseInput } from './validation.ts';
import { listWatchlists, loadCurrentEntries, type WatchlistVersion } from './watchlists.service.ts';

export const ScreeningQueryInput = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(MAX_QUERY_NAME_LENGTH, `must be at most ${MAX_QUERY_NAME_LENGTH} characters`),
  schema: z.enum(ENTITY_SCHEMAS).optional(),
  country: CountryCode.optional(),
  birthDate: z
    .string()
    .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'YYYY, YYYY-MM or YYYY-MM-DD')
    .optional(),
  identifiers: z
    .array(
      z.strictObject({
        type: z.string().max(50),
        value: z.string().max(100),
        country: CountryCode.optional(),
      }),
    )
    .max(20)
    .optional(),
});
export const ScreeningOptionsInput = z.strictObject({
  threshold: z.number().min(0).max(1).default(DEFAULT_MATCH_THRESHOLD),
  limit: z.number().int().min(1).max(50).default(10),
});

export interface ListUsed {
  listName: string;
  publisher: string;
  publishedOn: string | null;
  importedAt: string;
  checksum: string;
  entries: unknown;
}

export interface CachedIndex {
  key: string;
  index: ScreeningIndex;
  lists: { listName: string; entries: WatchlistEntry[] }[];
  versions: WatchlistVersion[];
}
let cache: CachedIndex | undefined;

/** The index over the current version of every list, rebuilt only when the set of current versions changes. */
export async function currentIndex(ctx: ServiceContext): Promise<CachedIndex> {
  const versions = await listWatchlists(ctx, { currentOnly: true });
  if (versions.length === 0) {
    throw new DomainError(
      'UNAVAILABLE',
      'No restricted-party list is loaded: run `custos lists import` or `custos lists update` first.',
    );
  }
  const key = versions
    .map((v) => v.id)
    .sort()
    .join(',');
  if (cache?.key === key) return cache;
  const { lists, rows } = await loadLists(ctx);
  const index = buildScreeningIndex(
    rows.map((r) => r.entry),
    rows.map((r) => r.listName),
  );
  cache = { key, index, lists, versions };
  return cache;
}

async function loadLists(ctx: ServiceContext) {
  const rows = await loadCurrentEntries(ctx.db);
  const byList = new Map<string, WatchlistEntry[]>();
  for (const r of rows) {
    const list = byList.get(r.listName);
    if (list) list.push(r.entry);
    else byList.set(r.listName, [r.entry]);
  }
  return { rows, lists: [...byList].map(([listName, entries]) => ({ listName, entries })) };
}

/**
 * The current lists' entries without building an index on this thread, for bulk screening on worker threads (the
 * first worker builds it once and shares it packed): one index fewer in memory than `currentIndex`. A cached index
 * is reused when current (then packed for the workers, and none is built).
 */
async function currentLists(
  ctx: ServiceContext,
): Promise<Pick<CachedIndex, 'lists' | 'versions'> & { index?: ScreeningIndex }> {
  const versions = await listWatchlists(ctx, { currentOnly: true });
  if (versions.length === 0) return currentIndex(ctx); // refuses with the same message
  const key = versions
    .map((v) => v.id)
    .sort()
    .join(',');
  if (cache?.key === key) return cache;
  return { lists: (await loadLists(ctx)).lists, versions };
}

const listsUsed = (versions: WatchlistVersion[]): ListUsed[] =>
  versions.map((v) => ({
    listName: v.listName,
    publisher: v.publisher,
    publishedOn: v.publishedOn,
    importedAt: v.importedAt,
    checksum: v.checksum,
    entries: v.counts.entries,
  }));

export interface ScreeningResult {
  query: ScreeningQuery;
  threshold: number;
  hits: ScreeningHit[];
  lists: ListUsed[];
}

/** Screen one name (with optional schema, country, birth date and identifiers as evidence). */
export async function screenParty(
  ctx: ServiceContext,
  actor: Principal,
  query: unknown,
  options: unknown = {},
): Promise<ScreeningResult> {
  requireSignedIn(actor);
  const q = parseInput(ScreeningQueryInput, query, 'The screening query') as ScreeningQuery;
  const o = parseInput(ScreeningOptionsInput, options, 'The screening options');
  const { index, versions } = await currentIndex(ctx);
  return { query: q, threshold: o.threshold, hits: screenName(index, q, o), lists: listsUsed(versions) };
}

/** Screen many names; `workers` 0 screens in this thread (API), more uses worker threads (CLI bulk). */
export async function screenParties(
  ctx: ServiceContext,
  actor: Principal,
  queries: unknown[],
  options: unknown = {},
  run: { workers?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<{
  results: { index: number; hits: ScreeningHit[]; error?: string }[];
  threshold: number;
  lists: ListUsed[];
  elapsedMs: number;
}> {
  requireSignedIn(actor);
  const o = parseInput(ScreeningOptionsInput, options, 'The screening options');
  const parsed = queries.map(
    (q, i) => parseInput(ScreeningQueryInput, q, `Query ${i + 1}`) as ScreeningQuery,
  );
  if ((run.workers ?? 0) === 0) {
    const { versions, index } = await currentIndex(ctx);
    const started = performance.now();
    const results = parsed.map((q, i) => {
      run.onProgress?.(i + 1, parsed.length);
      return { index: i, hits: screenName(index, q, o) };
    });
    return {
      results,
      threshold: o.threshold,
      lists: listsUsed(versions),
      elapsedMs: performance.now() - started,
    };
  }
  const { lists, versions, index } = await currentLists(ctx);
  const bulk = await screenInBulk({
    lists,
    ...(index && { index }),
    queries: parsed,
    options: o,
    workers: run.workers ?? 1,
    ...(run.onProgress && { onProgress: run.onProgress }),
  });
  return {
    results: bulk.rows,
    threshold: o.threshold,
    lists: listsUsed(versions),
    elapsedMs: bulk.elapsedMs,
  };
}
