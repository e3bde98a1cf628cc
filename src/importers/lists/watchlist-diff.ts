/** Pure comparison of two versions of one list: entries added, removed and changed (with the fields changed). */
import { invalid } from '../../domain/errors.ts';
import type { WatchlistEntry } from '../../domain/watchlist.ts';
import type {
  WatchlistDiff,
  WatchlistEntryChange,
  WatchlistEntryField,
} from '../../domain/watchlist-import.ts';

const FIELDS: WatchlistEntryField[] = [
  'schema',
  'name',
  'aliases',
  'countries',
  'birthDates',
  'identifiers',
  'addresses',
  'programs',
  'listedOn',
  'remarks',
  'sourceUrl',
];

/** Order-insensitive canonical form: arrays are sets for the purpose of "changed". */
function canonical(value: unknown): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return `[${value.map(canonical).sort().join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .filter((k) => obj[k] !== undefined && obj[k] !== false)
      .sort()
      .map((k) => `${k}:${canonical(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function indexById(entries: readonly WatchlistEntry[], side: string): Map<string, WatchlistEntry> {
  const map = new Map<string, WatchlistEntry>();
  for (const e of entries) {
    if (map.has(e.sourceId)) {
      throw invalid(`${side} list holds id ${e.sourceId} twice; a diff needs unique ids.`, [
        { path: `${side}.${e.sourceId}`, message: 'duplicate id' },
      ]);
    }
    map.set(e.sourceId, e);
  }
  return map;
}

/**
 * Compares two versions of the same list by sourceId. Array fields compare as sets (order changes are not
 * changes); `changed` names the fields that differ. Pure.
 *
 * @example
 * diffWatchlists([a], [{ ...a, countries: ['IR'] }]).changed[0].fields // ['countries']
 */
export function diffWatchlists(
  previous: readonly WatchlistEntry[],
  next: readonly WatchlistEntry[],
): WatchlistDiff {
  const before = indexById(previous, 'previous');
  const after = indexById(next, 'next');
  const added: WatchlistEntry[] = [];
  const removed: WatchlistEntry[] = [];
  const changed: WatchlistEntryChange[] = [];
  let unchanged = 0;
  for (const [id, n] of after) {
    const p = before.get(id);
    if (!p) {
      added.push(n);
      continue;
    }
    const fields = FIELDS.filter((f) => canonical(p[f]) !== canonical(n[f]));
    if (fields.length > 0) changed.push({ sourceId: id, fields, previous: p, next: n });
    else unchanged++;
  }
  for (const [id, p] of before) if (!after.has(id)) removed.push(p);
  return { added, removed, changed, unchanged };
}
