/**
 * A built screening index in a form one thread hands to others: the postings and row tables as typed arrays over one
 * SharedArrayBuffer (shared, never copied), names, prepared names and entries as plain data (structured clone).
 * Workers unpack it instead of rebuilding the index, so bulk screening builds once.
 */
import type { WatchlistEntry } from '../../domain/watchlist.ts';
import type { PreparedName, ScreeningIndex } from '../../engines/screening/index.ts';

export interface PackedScreeningIndex {
  entries: WatchlistEntry[];
  /** Distinct list names; `entryList[e]` points into it. */
  lists: string[];
  entryList: Int32Array;
  aliasEntry: Int32Array;
  aliasWeak: Uint8Array;
  aliasName: string[];
  aliasPrepared: PreparedName[];
  aliasSame: Int32Array;
  /** Posting keys in order; the rows of key k are postingRows[postingStarts[k] .. postingStarts[k + 1]). */
  keys: string[];
  postingStarts: Int32Array;
  postingRows: Int32Array;
}

/** Int32 arrays of the given lengths laid out one after another over a single SharedArrayBuffer. */
function sharedInt32(...lengths: number[]): Int32Array[] {
  const total = lengths.reduce((s, n) => s + n, 0);
  const buffer = new SharedArrayBuffer(total * Int32Array.BYTES_PER_ELEMENT);
  let offset = 0;
  return lengths.map((n) => {
    const view = new Int32Array(buffer, offset * Int32Array.BYTES_PER_ELEMENT, n);
    offset += n;
    return view;
  });
}

/**
 * Pack a built index for other threads.
 * @example worker.postMessage(packScreeningIndex(buildScreeningIndex(entries, listNames)))
 */
export function packScreeningIndex(index: ScreeningIndex): PackedScreeningIndex {
  const lists: string[] = [];
  const listIds = new Map<string, number>();
  let postingCount = 0;
  for (const rows of index.postings.values()) postingCount += rows.length;
  const rowCount = index.aliasEntry.length;
  const [entryList, aliasEntry, aliasSame, postingStarts, postingRows] = sharedInt32(
    index.entries.length,
    rowCount,
    rowCount,
    index.postings.size + 1,
    postingCount,
  ) as [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array];
  index.listNames.forEach((name, e) => {
    let id = listIds.get(name);
    if (id === undefined) {
      id = lists.length;
      lists.push(name);
      listIds.set(name, id);
    }
    entryList[e] = id;
  });
  aliasEntry.set(index.aliasEntry);
  aliasSame.set(index.aliasSame);
  const aliasWeak = new Uint8Array(new SharedArrayBuffer(rowCount));
  aliasWeak.set(index.aliasWeak);
  const keys: string[] = [];
  let at = 0;
  for (const [key, rows] of index.postings) {
    postingStarts[keys.length] = at;
    keys.push(key);
    postingRows.set(rows, at);
    at += rows.length;
  }
  postingStarts[keys.length] = at;
  return {
    entries: [...index.entries],
    lists,
    entryList,
    aliasEntry,
    aliasWeak,
    aliasName: [...index.aliasName],
    aliasPrepared: [...index.aliasPrepared],
    aliasSame,
    keys,
    postingStarts,
    postingRows,
  };
}

/**
 * The index again, its postings as views over the shared buffer (no copy).
 * @example const index = unpackScreeningIndex(workerData.index); screenName(index, { name: 'Ivan Petrov' })
 */
export function unpackScreeningIndex(packed: PackedScreeningIndex): ScreeningIndex {
  const postings = new Map<string, Int32Array>();
  packed.keys.forEach((key, k) => {
    postings.set(key, packed.postingRows.subarray(packed.postingStarts[k]!, packed.postingStarts[k + 1]!));
  });
  return {
    entries: packed.entries,
    listNames: Array.from(packed.entryList, (id) => packed.lists[id]!),
    aliasEntry: packed.aliasEntry,
    aliasName: packed.aliasName,
    aliasWeak: packed.aliasWeak,
    aliasPrepared: packed.aliasPrepared,
    aliasSame: packed.aliasSame,
    postings,
  };
}
