/** Candidate index over list entries (tokens, phonetic keys, consonant skeletons, character trigrams) and screening. */
import { invalid, requiredIssue } from '../../domain/errors.ts';
import type { WatchlistEntry } from '../../domain/watchlist.ts';
import { DEFAULT_MATCH_THRESHOLD, custosScorer } from './custos-scorer.ts';
import { weighEvidence } from './entity-evidence.ts';
import type { NameToken, PreparedName } from './name-normaliser.ts';
import { consonantSkeleton } from './phonetic-key.ts';
import type { NameScore, Scorer, ScreeningHit, ScreeningOptions, ScreeningQuery } from './types.ts';

/** Longest query name accepted, in UTF-16 code units. */
export const MAX_QUERY_NAME_LENGTH = 1024;
/** Index rows handed to the scorer per query unless the caller says otherwise. */
export const DEFAULT_CANDIDATES = 40;

export interface ScreeningIndex {
  readonly entries: readonly WatchlistEntry[];
  readonly listNames: readonly string[];
  /** One row per indexed name (primary name or alias). */
  readonly aliasEntry: Int32Array;
  readonly aliasName: readonly string[];
  readonly aliasWeak: Uint8Array;
  readonly aliasPrepared: readonly PreparedName[];
  /**
   * The first row with the same name and schema (prepared alike, so scored alike): a name listed on several lists or
   * entries is scored once per query.
   */
  readonly aliasSame: Int32Array;
  readonly postings: ReadonlyMap<string, Int32Array>;
}

interface Feature {
  key: string;
  weight: number;
}

function featuresOf(tokens: readonly NameToken[], forQuery: boolean): Feature[] {
  const out: Feature[] = [];
  for (const t of tokens) {
    if (t.kind === 'stop' || t.kind === 'initial') continue;
    const tw = forQuery ? t.weight : 1;
    out.push({ key: 't:' + t.text, weight: 3 * tw });
    if (t.kind === 'number') continue;
    if (t.key.length >= 2) out.push({ key: 'k:' + t.key, weight: 2 * tw });
    const skeleton = t.skeleton ?? consonantSkeleton(t.text);
    if (skeleton.length >= 2 && (t.skeleton !== undefined || !forQuery))
      out.push({ key: 's:' + skeleton, weight: 2 * tw });
    if (t.text.length >= 3) {
      const padded = ' ' + t.text + ' ';
      const n = padded.length - 2;
      for (let i = 0; i < n; i++) out.push({ key: 'g:' + padded.slice(i, i + 3), weight: (1.5 * tw) / n });
    }
  }
  return out;
}

/**
 * A query's features, and those of its other readings (alternatives written with a slash, the customary readings of
 * Hangul) whose keys its own lack, each once at its highest weight: the name's own features count as they always did.
 */
function queryFeatures(query: PreparedName): Feature[] {
  const own = featuresOf(query.tokens, true);
  if (query.alternatives === undefined) return own;
  const ownKeys = new Set(own.map((f) => f.key));
  const extra = new Map<string, number>();
  for (const f of query.alternatives.flatMap((a) => featuresOf(a.tokens, true)))
    if (!ownKeys.has(f.key)) extra.set(f.key, Math.max(f.weight, extra.get(f.key) ?? 0));
  return [...own, ...[...extra].map(([key, weight]) => ({ key, weight }))];
}

/**
 * Build the candidate index over list entries; every primary name and alias becomes a row.
 * @param lists one list name for all entries, or one per entry (same order).
 * @example const index = buildScreeningIndex(unEntries, 'UN SC Consolidated');
 */
export function buildScreeningIndex(
  entries: readonly WatchlistEntry[],
  lists: string | readonly string[],
): ScreeningIndex {
  if (typeof lists !== 'string' && lists.length !== entries.length) {
    throw invalid('lists must name one list for all entries or one per entry', [
      { path: 'lists', message: `${lists.length} names for ${entries.length} entries` },
    ]);
  }
  const listNames = typeof lists === 'string' ? entries.map(() => lists) : [...lists];
  const aliasEntry: number[] = [];
  const aliasName: string[] = [];
  const aliasWeak: number[] = [];
  const aliasPrepared: PreparedName[] = [];
  const aliasSame: number[] = [];
  const firstRowOf = new Map<string, number>();
  const building = new Map<string, number[]>();
  entries.forEach((entry, e) => {
    const seen = new Set<string>();
    const names = [
      { name: entry.name, weak: false },
      ...entry.aliases.map((a) => ({ name: a.name, weak: a.weak === true })),
    ];
    for (const { name, weak } of names) {
      const prepared = custosScorer.prepare(name, entry.schema);
      if (prepared.tokens.length === 0 || seen.has(prepared.normalised)) continue;
      seen.add(prepared.normalised);
      const row = aliasName.length;
      aliasEntry.push(e);
      aliasName.push(name);
      aliasWeak.push(weak ? 1 : 0);
      aliasPrepared.push(prepared);
      const sameKey = entry.schema + '\u0000' + name;
      aliasSame.push(firstRowOf.get(sameKey) ?? row);
      if (!firstRowOf.has(sameKey)) firstRowOf.set(sameKey, row);
      // An alias is found by its other readings too (a Hangul name by its customary spelling).
      const keys = new Set(
        [prepared, ...(prepared.alternatives ?? [])].flatMap((p) =>
          featuresOf(p.tokens, false).map((f) => f.key),
        ),
      );
      for (const key of keys) {
        const list = building.get(key);
        if (list) list.push(row);
        else building.set(key, [row]);
      }
    }
  });
  const postings = new Map<string, Int32Array>();
  for (const [key, rows] of building) postings.set(key, Int32Array.from(rows));
  return {
    entries,
    listNames,
    aliasEntry: Int32Array.from(aliasEntry),
    aliasName,
    aliasWeak: Uint8Array.from(aliasWeak),
    aliasPrepared,
    aliasSame: Int32Array.from(aliasSame),
    postings,
  };
}

let accumulator = new Float64Array(0);
const COMMON_TRIGRAM_ROWS = 2000;

/** Rows of the index most likely to match the prepared query, best first (at most `limit`). */
export function findCandidates(index: ScreeningIndex, query: PreparedName, limit: number): number[] {
  const n = index.aliasName.length;
  if (accumulator.length < n) accumulator = new Float64Array(n);
  const acc = accumulator;
  const touched: number[] = [];
  for (const f of queryFeatures(query)) {
    const rows = index.postings.get(f.key);
    // trigrams shared by thousands of names (" al", "moh") cost time and say little
    if (!rows || (f.key.startsWith('g:') && rows.length > COMMON_TRIGRAM_ROWS)) continue;
    const w = f.weight * Math.log(1 + n / rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      if (acc[r] === 0) touched.push(r);
      acc[r]! += w;
    }
  }
  let max = 0;
  for (const r of touched) if (acc[r]! > max) max = acc[r]!;
  let floor = max * 0.2;
  let kept: number[] = [];
  for (const r of touched) if (acc[r]! >= floor) kept.push(r);
  if (kept.length > 2 * limit && limit > 0) {
    // only rows scoring at least the limit-th best can make the cut: drop the others before the (stable) sort
    const values = Float64Array.from(kept, (r) => acc[r]!).sort();
    floor = values[values.length - limit]!;
    kept = kept.filter((r) => acc[r]! >= floor);
  }
  // stable: rows of equal weight stay in the order the postings first reached them
  kept.sort((a, b) => acc[b]! - acc[a]!);
  for (const r of touched) acc[r] = 0;
  return kept.length > limit ? kept.slice(0, limit) : kept;
}

function assertQuery(query: ScreeningQuery): void {
  const name = query.name?.trim() ?? '';
  if (name.length === 0) throw invalid('The name to screen is empty.', [requiredIssue('name')]);
  if (query.name.length > MAX_QUERY_NAME_LENGTH) {
    throw invalid(`The name to screen is longer than ${MAX_QUERY_NAME_LENGTH} characters.`, [
      { path: 'name', message: 'too long' },
    ]);
  }
}

/**
 * Screen one party against the index: candidates from the index, each scored per alias, the best alias of each entry
 * adjusted by evidence, hits at or above the threshold, best first.
 * @example screenName(index, { name: 'Ig0r Sech1n', schema: 'Person' }, { threshold: 0.75, limit: 5 })[0].matchedAlias
 */
export function screenName(
  index: ScreeningIndex,
  query: ScreeningQuery,
  options: ScreeningOptions = {},
  scorer: Scorer = custosScorer as Scorer,
): ScreeningHit[] {
  assertQuery(query);
  const threshold = options.threshold ?? DEFAULT_MATCH_THRESHOLD;
  const limit = options.limit ?? 10;
  const preparedQuery = custosScorer.prepare(query.name, query.schema);
  const rows = findCandidates(index, preparedQuery, options.candidates ?? DEFAULT_CANDIDATES);
  const scorerQuery =
    scorer === (custosScorer as Scorer) ? preparedQuery : scorer.prepare(query.name, query.schema);
  const best = new Map<number, ScreeningHit>();
  const scoredRows = new Map<number, NameScore>();
  for (const row of rows) {
    const e = index.aliasEntry[row]!;
    const entry = index.entries[e]!;
    const same = index.aliasSame[row]!;
    let nameScore = scoredRows.get(same);
    if (nameScore === undefined) {
      const candidate =
        scorer === (custosScorer as Scorer)
          ? index.aliasPrepared[row]!
          : scorer.prepare(index.aliasName[row]!, entry.schema);
      nameScore = scorer.score(scorerQuery, candidate);
      scoredRows.set(same, nameScore);
    }
    if (nameScore.score01 <= 0) continue;
    const evidence = weighEvidence(query, entry, index.aliasWeak[row] === 1);
    const total = Math.min(1, Math.max(0, nameScore.score01 + evidence.reduce((s, x) => s + x.delta, 0)));
    const score01 = Math.round(total * 10000) / 10000;
    const previous = best.get(e);
    if (previous && previous.score01 >= score01) continue;
    best.set(e, {
      listName: index.listNames[e]!,
      sourceId: entry.sourceId,
      schema: entry.schema,
      entryName: entry.name,
      matchedAlias: index.aliasName[row]!,
      score01,
      explanation: { scorer: scorer.id, name01: nameScore.score01, name: nameScore.explanation, evidence },
    });
  }
  return [...best.values()]
    .filter((h) => h.score01 >= threshold)
    .sort((a, b) => b.score01 - a.score01 || a.sourceId.localeCompare(b.sourceId))
    .slice(0, limit);
}
