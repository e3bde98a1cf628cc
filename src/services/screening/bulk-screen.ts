/**
 * Bulk screening on worker threads: the screening index is built once (by the first worker, or given by the caller),
 * packed (postings over a SharedArrayBuffer) and unpacked by the other workers, which then screen batches of queries
 * pulled from a shared queue; a progress callback reports after every batch.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { invalid } from '../../domain/errors.ts';
import type { WatchlistEntry } from '../../domain/watchlist.ts';
import { buildScreeningIndex, screenName } from '../../engines/screening/index.ts';
import type {
  ScreeningHit,
  ScreeningIndex,
  ScreeningOptions,
  ScreeningQuery,
} from '../../engines/screening/index.ts';
import { type PackedScreeningIndex, packScreeningIndex } from './packed-index.ts';

export interface ScreeningList {
  listName: string;
  entries: WatchlistEntry[];
}

export interface BulkScreenRequest {
  lists: ScreeningList[];
  /** An index already built over these lists (e.g. the service's cached one): packed for the workers, none is built. */
  index?: ScreeningIndex;
  queries: ScreeningQuery[];
  options?: ScreeningOptions;
  /** Worker threads (default: available cores - 1, at least 1); 0 screens on the calling thread. */
  workers?: number;
  /** Queries per batch handed to a worker (default 250). */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface BulkScreenRow {
  /** Position of the query in the request. */
  index: number;
  hits: ScreeningHit[];
  /** Set when this query was refused (empty or too long name); the others are screened all the same. */
  error?: string;
}

export interface BulkScreenResult {
  rows: BulkScreenRow[];
  workers: number;
  /** Index builds done for this run: one, or none when the caller gave the index. */
  indexBuildMs: number[];
  /** Per worker: time to build or unpack its index, from its start until it was ready to screen. */
  indexReadyMs: number[];
  elapsedMs: number;
}

/** Messages between the service and its workers. */
export type WorkerRequest = { kind: 'batch'; start: number; queries: ScreeningQuery[] } | { kind: 'stop' };
export type WorkerReply =
  | { kind: 'ready'; indexBuildMs?: number; indexReadyMs: number }
  | { kind: 'batch'; rows: BulkScreenRow[] }
  | { kind: 'failed'; message: string };
/** Where a worker gets its index: built from entries (then packed for `shareWith`), packed in workerData, or on a port. */
export type WorkerIndexSource =
  | { kind: 'build'; entries: WatchlistEntry[]; listNames: string[]; shareWith: MessagePort[] }
  | { kind: 'packed'; index: PackedScreeningIndex }
  | { kind: 'port'; port: MessagePort };
export interface WorkerInit {
  source: WorkerIndexSource;
  options: ScreeningOptions;
}

/** Screen one batch on the current thread (used by workers and by the 0-worker mode). */
export function screenBatch(
  index: ReturnType<typeof buildScreeningIndex>,
  start: number,
  queries: ScreeningQuery[],
  options: ScreeningOptions,
): BulkScreenRow[] {
  return queries.map((query, i) => {
    try {
      return { index: start + i, hits: screenName(index, query, options) };
    } catch (error) {
      return { index: start + i, hits: [], error: error instanceof Error ? error.message : String(error) };
    }
  });
}

/** What screening reads of an entry: workers get only this (no addresses, remarks or programmes) to save memory. */
function slim(e: WatchlistEntry): WatchlistEntry {
  return {
    sourceId: e.sourceId,
    schema: e.schema,
    name: e.name,
    aliases: e.aliases,
    countries: e.countries,
    birthDates: e.birthDates,
    identifiers: e.identifiers,
    addresses: [],
    programs: [],
  };
}

function flatten(lists: ScreeningList[]): { entries: WatchlistEntry[]; listNames: string[] } {
  const entries: WatchlistEntry[] = [];
  const listNames: string[] = [];
  for (const l of lists) {
    for (const e of l.entries) {
      entries.push(slim(e));
      listNames.push(l.listName);
    }
  }
  return { entries, listNames };
}

/**
 * A worker's young generation, in MB. A query's garbage dies young, and V8's default (up to 48 MB per thread) only
 * raised the peak RSS of a bulk run: 20,000 names on 2 workers peaked at 500-510 MB with it, 472-486 MB with 16 MB, at
 * the same speed (bench/perf/screening-bulk-memory.bench.ts, 2026-12-01).
 */
const WORKER_YOUNG_GENERATION_MB = 16;

/** Start one worker: built JavaScript runs as is; TypeScript sources are loaded through tsx (a runtime dependency). */
function startWorker(init: WorkerInit, transferList: MessagePort[]): Worker {
  const resourceLimits = { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB };
  const ext = path.extname(fileURLToPath(import.meta.url));
  const url = new URL(`./bulk-screen.worker${ext}`, import.meta.url);
  if (ext !== '.ts') return new Worker(url, { workerData: init, transferList, resourceLimits });
  // resolved here, from this package: an eval'd worker resolves bare names from the working directory, which may
  // be any folder the CLI was started in
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: init, transferList, resourceLimits });
}

/**
 * Screen many parties against the lists with worker threads.
 * @example const { rows } = await screenInBulk({ lists: [{ listName: 'UN', entries }], queries: [{ name: 'Ivan Petrov' }], workers: 2 });
 */
export async function screenInBulk(request: BulkScreenRequest): Promise<BulkScreenResult> {
  const started = performance.now();
  const options = request.options ?? {};
  const total = request.queries.length;
  const batchSize = request.batchSize ?? 250;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw invalid('batchSize must be a positive integer', [
      { path: 'batchSize', message: String(batchSize) },
    ]);
  const wanted = request.workers ?? Math.max(1, (os.availableParallelism?.() ?? os.cpus().length) - 1);
  if (wanted === 0 || total === 0) {
    const t0 = performance.now();
    const flat = request.index ? undefined : flatten(request.lists);
    const index = request.index ?? buildScreeningIndex(flat!.entries, flat!.listNames);
    const buildMs = performance.now() - t0;
    const rows: BulkScreenRow[] = [];
    for (let start = 0; start < total; start += batchSize) {
      rows.push(...screenBatch(index, start, request.queries.slice(start, start + batchSize), options));
      request.onProgress?.(rows.length, total);
    }
    return {
      rows,
      workers: 0,
      indexBuildMs: request.index ? [] : [buildMs],
      indexReadyMs: [],
      elapsedMs: performance.now() - started,
    };
  }
  const workerCount = Math.min(wanted, Math.ceil(total / batchSize));
  const rows: BulkScreenRow[] = new Array(total);
  const indexBuildMs: number[] = [];
  const indexReadyMs: number[] = [];
  let next = 0;
  let done = 0;
  const inits = workerInits(request, workerCount, options);
  await new Promise<void>((resolve, reject) => {
    const workers: Worker[] = [];
    let finished = false;
    const fail = (error: Error) => {
      if (finished) return;
      finished = true;
      for (const w of workers) void w.terminate();
      reject(error);
    };
    const feed = (w: Worker) => {
      if (next >= total) {
        w.postMessage({ kind: 'stop' } satisfies WorkerRequest);
        return;
      }
      const start = next;
      next = Math.min(total, next + batchSize);
      w.postMessage({
        kind: 'batch',
        start,
        queries: request.queries.slice(start, next),
      } satisfies WorkerRequest);
    };
    let stopped = 0;
    for (let i = 0; i < workerCount; i++) {
      const w = startWorker(inits[i]!.init, inits[i]!.transfer);
      workers.push(w);
      w.on('message', (m: WorkerReply) => {
        if (m.kind === 'ready') {
          if (m.indexBuildMs !== undefined) indexBuildMs.push(m.indexBuildMs);
          indexReadyMs.push(m.indexReadyMs);
          feed(w);
        } else if (m.kind === 'batch') {
          for (const r of m.rows) rows[r.index] = r;
          done += m.rows.length;
          request.onProgress?.(done, total);
          feed(w);
        } else fail(new Error(`screening worker failed: ${m.message}`));
      });
      w.on('error', fail);
      w.on('exit', (code) => {
        if (code !== 0) fail(new Error(`screening worker exited with code ${code}`));
        else if (++stopped === workerCount && !finished) {
          finished = true;
          resolve();
        }
      });
    }
  });
  return { rows, workers: workerCount, indexBuildMs, indexReadyMs, elapsedMs: performance.now() - started };
}

/**
 * What each worker starts with: the caller's index packed for all; or the first worker builds it and hands the packed
 * index to each other worker over its own channel (the calling thread never holds it).
 */
function workerInits(
  request: BulkScreenRequest,
  workerCount: number,
  options: ScreeningOptions,
): { init: WorkerInit; transfer: MessagePort[] }[] {
  if (request.index) {
    const index = packScreeningIndex(request.index);
    return Array.from({ length: workerCount }, () => ({
      init: { source: { kind: 'packed', index }, options },
      transfer: [],
    }));
  }
  const channels = Array.from({ length: workerCount - 1 }, () => new MessageChannel());
  const shareWith = channels.map((c) => c.port1);
  return [
    {
      init: { source: { kind: 'build', ...flatten(request.lists), shareWith }, options },
      transfer: shareWith,
    },
    ...channels.map((c) => ({
      init: { source: { kind: 'port', port: c.port2 } as const, options },
      transfer: [c.port2],
    })),
  ];
}
