/** Assembles an all-or-nothing import result: duplicate-id check, provenance, checksums, counts. */
import { createHash } from 'node:crypto';
import { invalid } from '../../domain/errors.ts';
import type { EntitySchema, WatchlistEntry, WatchlistSourceKind } from '../../domain/watchlist.ts';
import type { ImportedWatchlist, WatchlistFileDigest } from '../../domain/watchlist-import.ts';

/** Collects entries, refusing a second entry with the same sourceId (naming both places). */
export class EntryCollector {
  readonly entries: WatchlistEntry[] = [];
  readonly warnings: string[] = [];
  private readonly seen = new Map<string, string>();

  /** `file`: the name used in messages (several files may share one collector). */
  constructor(readonly file: string) {}

  add(entry: WatchlistEntry, where: string): void {
    const first = this.seen.get(entry.sourceId);
    if (first !== undefined) {
      throw invalid(
        `${this.file}: ${where}: duplicate id ${entry.sourceId} (first at ${first}); the import is refused.`,
        [{ path: `${this.file}:${where}`, message: `duplicate id ${entry.sourceId}` }],
      );
    }
    this.seen.set(entry.sourceId, where);
    this.entries.push(entry);
  }

  has(sourceId: string): boolean {
    return this.seen.has(sourceId);
  }

  /** Warnings beyond the first 1,000 are counted, not kept. */
  suppressedWarnings = 0;

  warn(message: string): void {
    if (this.warnings.length < 1000) this.warnings.push(message);
    else this.suppressedWarnings++;
  }
}

/** SHA-256 of one file, or for several files the SHA-256 of their `sha256sum` lines ("<hex>  <name>\n", in order). */
export function combineChecksums(digests: readonly WatchlistFileDigest[]): string {
  if (digests.length === 1) return digests[0]!.sha256;
  const h = createHash('sha256');
  for (const d of digests) h.update(`${d.sha256}  ${d.file}\n`);
  return h.digest('hex');
}

/** Refuses an importedAt that is not an ISO 8601 date-time. */
export function checkImportedAt(importedAt: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(importedAt)) {
    throw invalid(`importedAt must be an ISO 8601 date-time, got "${importedAt}".`, [
      { path: 'importedAt', message: 'not an ISO 8601 date-time' },
    ]);
  }
  return importedAt;
}

export interface ImportMeta {
  sourceKind: WatchlistSourceKind;
  listName: string;
  publisher: string;
  publishedOn: string | null;
  importedAt: string;
}

/** Builds the result once every file has been read completely. An empty list is refused. */
export function buildImportedWatchlist(
  meta: ImportMeta,
  collector: EntryCollector,
  digests: WatchlistFileDigest[],
): ImportedWatchlist {
  if (collector.entries.length === 0) {
    throw invalid(`${digests.map((d) => d.file).join(', ')}: no entries found; an empty list is refused.`, [
      { path: digests[0]?.file ?? 'file', message: 'no entries' },
    ]);
  }
  const bySchema: Partial<Record<EntitySchema, number>> = {};
  let aliases = 0;
  for (const e of collector.entries) {
    bySchema[e.schema] = (bySchema[e.schema] ?? 0) + 1;
    aliases += e.aliases.length;
  }
  return {
    entries: collector.entries,
    provenance: {
      sourceKind: meta.sourceKind,
      listName: meta.listName,
      publisher: meta.publisher,
      publishedOn: meta.publishedOn,
      importedAt: meta.importedAt,
      checksum: combineChecksums(digests),
      files: digests.map((d) => d.file),
      counts: { entries: collector.entries.length, aliases, bySchema },
    },
    fileDigests: digests,
    warnings:
      collector.suppressedWarnings > 0
        ? [...collector.warnings, `... and ${collector.suppressedWarnings} more warnings`]
        : collector.warnings,
  };
}

/** Closes a record stream that was not read to its end (a refused import), so its file is closed at once. */
export async function closeStream(stream: AsyncGenerator<unknown, unknown>): Promise<void> {
  try {
    await stream.return(undefined);
  } catch {
    // the stream failed already; its file is closed
  }
}
