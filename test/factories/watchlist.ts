/** A list entry with nothing but its name (and what `extra` sets), for tests of screening written with synthetic names. */
import type { WatchlistEntry } from '../../src/domain/watchlist.ts';

export const watchlistEntry = (
  sourceId: string,
  schema: WatchlistEntry['schema'],
  name: string,
  extra: Partial<WatchlistEntry> = {},
): WatchlistEntry => ({
  sourceId,
  schema,
  name,
  aliases: [],
  countries: [],
  birthDates: [],
  identifiers: [],
  addresses: [],
  programs: [],
  ...extra,
});
