/** Types around importing a restricted-party list: the result of one import, per-file checksums, and the diff. */
import type { WatchlistEntry, WatchlistProvenance, WatchlistSourceKind } from './watchlist.ts';

export interface WatchlistFileDigest {
  /** Base name of the file as read. */
  file: string;
  /** SHA-256 of the raw bytes, hex. */
  sha256: string;
  bytes: number;
}

/** One complete, validated import: all entries or none. */
export interface ImportedWatchlist {
  entries: WatchlistEntry[];
  provenance: WatchlistProvenance;
  /** One digest per input file, in the order of `provenance.files`. */
  fileDigests: WatchlistFileDigest[];
  /** Non-fatal observations (e.g. a country spelling that maps to no ISO code), as data. */
  warnings: string[];
}

export interface WatchlistImportOptions {
  /** ISO 8601 timestamp of the import, passed in (importers read no clock). */
  importedAt: string;
  /** Overrides the default list name (used by custos-csv and ftm-jsonl, where one kind carries many lists). */
  listName?: string;
  /** Overrides the publisher (custos-csv, ftm-jsonl). */
  publisher?: string;
}

/** Field names of WatchlistEntry compared by the diff. */
export type WatchlistEntryField = Exclude<keyof WatchlistEntry, 'sourceId'>;

export interface WatchlistEntryChange {
  sourceId: string;
  fields: WatchlistEntryField[];
  previous: WatchlistEntry;
  next: WatchlistEntry;
}

export interface WatchlistDiff {
  added: WatchlistEntry[];
  removed: WatchlistEntry[];
  changed: WatchlistEntryChange[];
  unchanged: number;
}

export interface WatchlistDownloadSource {
  kind: WatchlistSourceKind;
  /** URLs of the file(s) of this list; the OFAC trio needs several. */
  urls: string[];
}

export interface DownloadedWatchlistFile {
  kind: WatchlistSourceKind;
  url: string;
  /** Absolute path of the file written. */
  path: string;
  bytes: number;
  sha256: string;
  contentType: string | null;
}
