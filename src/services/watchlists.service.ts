/**
 * Restricted-party lists as versioned reference data: import a publisher's file (all or nothing, with provenance and
 * a diff against the previous version of the same list), list what is loaded and how fresh, download updates.
 */
import path from 'node:path';
import { DomainError } from '../domain/errors.ts';
import type { Principal } from '../domain/model.ts';
import type { WatchlistEntry, WatchlistSourceKind } from '../domain/watchlist.ts';
import type { WatchlistDownloadSource } from '../domain/watchlist-import.ts';
import {
  DEFAULT_WATCHLIST_SOURCES,
  diffWatchlists,
  downloadWatchlists,
  importWatchlistFile,
  isWatchlistSourceKind,
} from '../importers/lists/index.ts';
import { enqueueJob } from '../jobs/queue.ts';
import { appendAudit } from './audit.service.ts';
import { actorOf, requireRole } from './authorization.ts';
import type { Db, ServiceContext } from './context.ts';

/** Queue of the job that re-screens parties when a list changes. */
export const RESCREEN_QUEUE = 'screening.rescreen';

export interface WatchlistVersion {
  id: string;
  listName: string;
  sourceKind: string;
  publisher: string;
  publishedOn: string | null;
  importedAt: string;
  importedBy: string;
  checksum: string;
  files: string[];
  counts: Record<string, unknown>;
  diff: { added: number; removed: number; changed: number; unchanged: number } | null;
  warnings: string[];
  isCurrent: boolean;
}

export interface WatchlistImportReport {
  version: WatchlistVersion;
  unchanged: boolean;
}

const toVersion = (r: {
  id: string;
  list_name: string;
  source_kind: string;
  publisher: string;
  published_on: string | null;
  imported_at: Date | string;
  imported_by: string;
  checksum: string;
  files: string[];
  counts: Record<string, unknown>;
  diff: Record<string, unknown> | null;
  warnings: string[];
  is_current: boolean;
}): WatchlistVersion => ({
  id: r.id,
  listName: r.list_name,
  sourceKind: r.source_kind,
  publisher: r.publisher,
  publishedOn: r.published_on,
  importedAt: new Date(r.imported_at).toISOString(),
  importedBy: r.imported_by,
  checksum: r.checksum.trim(),
  files: r.files,
  counts: r.counts,
  diff: r.diff as WatchlistVersion['diff'],
  warnings: r.warnings,
  isCurrent: r.is_current,
});

/** Entries of the current version of every list (or of the named lists). */
export async function loadCurrentEntries(
  db: Db,
  listNames?: string[],
): Promise<{ listName: string; entry: WatchlistEntry }[]> {
  let q = db
    .selectFrom('watchlist_entries')
    .innerJoin('watchlists', 'watchlists.id', 'watchlist_entries.watchlist_id')
    .select(['watchlists.list_name', 'watchlist_entries.entry'])
    .where('watchlists.is_current', '=', true);
  if (listNames?.length) q = q.where('watchlists.list_name', 'in', listNames);
  const rows = await q.orderBy('watchlists.list_name').orderBy('watchlist_entries.source_id').execute();
  return rows.map((r) => ({ listName: r.list_name, entry: r.entry as unknown as WatchlistEntry }));
}

/**
 * Import one list file (or the OFAC trio) as the new current version of its list. Refused whole on any bad record.
 * Importing a file identical to the current version changes nothing. A changed list queues re-screening.
 */
export async function importWatchlist(
  ctx: ServiceContext,
  actor: Principal,
  kind: string,
  paths: string[],
  options: { listName?: string } = {},
): Promise<WatchlistImportReport> {
  requireRole(actor, 'administrator');
  if (!isWatchlistSourceKind(kind)) {
    throw new DomainError('INVALID', `Unknown list kind "${kind}".`, {
      issues: [{ path: 'source', message: 'see `custos lists import --help`' }],
    });
  }
  const imported = await importWatchlistFile(kind as WatchlistSourceKind, paths, {
    importedAt: ctx.now().toISOString(),
    ...(options.listName && { listName: options.listName }),
  });
  const p = imported.provenance;
  const current = await ctx.db
    .selectFrom('watchlists')
    .selectAll()
    .where('list_name', '=', p.listName)
    .where('is_current', '=', true)
    .executeTakeFirst();
  if (current && current.checksum.trim() === p.checksum)
    return { version: toVersion(current), unchanged: true };
  const previous = current ? (await loadCurrentEntries(ctx.db, [p.listName])).map((e) => e.entry) : [];
  const diff = current ? diffWatchlists(previous, imported.entries) : null;
  const diffCounts = diff
    ? {
        added: diff.added.length,
        removed: diff.removed.length,
        changed: diff.changed.length,
        unchanged: diff.unchanged,
      }
    : null;
  const id = ctx.newId();
  await ctx.db.transaction().execute(async (trx) => {
    if (current)
      await trx.updateTable('watchlists').set({ is_current: false }).where('id', '=', current.id).execute();
    await trx
      .insertInto('watchlists')
      .values({
        id,
        list_name: p.listName,
        source_kind: p.sourceKind,
        publisher: p.publisher,
        published_on: p.publishedOn,
        imported_at: p.importedAt,
        imported_by: actorOf(actor),
        checksum: p.checksum,
        files: JSON.stringify(p.files.map((f) => path.basename(f))),
        counts: JSON.stringify(p.counts),
        diff: diffCounts ? JSON.stringify(diffCounts) : null,
        warnings: JSON.stringify(imported.warnings.slice(0, 1000)),
        is_current: true,
      })
      .execute();
    for (let i = 0; i < imported.entries.length; i += 1000) {
      await trx
        .insertInto('watchlist_entries')
        .values(
          imported.entries.slice(i, i + 1000).map((e) => ({
            watchlist_id: id,
            source_id: e.sourceId,
            schema: e.schema,
            name: e.name,
            entry: JSON.stringify(e),
          })),
        )
        .execute();
    }
    await appendAudit(ctx, trx, actor, {
      action: 'watchlist.imported',
      entityType: 'watchlist',
      entityId: id,
      payload: {
        listName: p.listName,
        sourceKind: p.sourceKind,
        publishedOn: p.publishedOn,
        checksum: p.checksum,
        counts: p.counts,
        diff: diffCounts,
      },
    });
    await enqueueJob(
      trx,
      RESCREEN_QUEUE,
      { listName: p.listName, watchlistId: id },
      { dedupeKey: `list:${p.listName}` },
    );
  });
  const row = await ctx.db
    .selectFrom('watchlists')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { version: toVersion(row), unchanged: false };
}

/** Every loaded list version, newest first: what is screened against and how fresh it is (public). */
export async function listWatchlists(
  ctx: ServiceContext,
  options: { currentOnly?: boolean } = {},
): Promise<WatchlistVersion[]> {
  let q = ctx.db.selectFrom('watchlists').selectAll();
  if (options.currentOnly) q = q.where('is_current', '=', true);
  return (await q.orderBy('list_name').orderBy('imported_at', 'desc').execute()).map(toVersion);
}

/**
 * Download the official lists (configurable sources) into the reference-data folder, then import each. A failed
 * download or a refused import leaves the list's current version in force; the report says which.
 */
export async function updateWatchlists(
  ctx: ServiceContext,
  actor: Principal,
  sources: WatchlistDownloadSource[] = DEFAULT_WATCHLIST_SOURCES,
  fetchImpl: Parameters<typeof downloadWatchlists>[2] = fetch,
): Promise<{ kind: string; outcome: 'imported' | 'unchanged' | 'failed'; message: string }[]> {
  requireRole(actor, 'administrator');
  const results: { kind: string; outcome: 'imported' | 'unchanged' | 'failed'; message: string }[] = [];
  for (const source of sources) {
    const dest = path.join(ctx.config.referenceDataDir, 'lists', source.kind);
    try {
      const files = await downloadWatchlists([source], dest, fetchImpl);
      const report = await importWatchlist(
        ctx,
        actor,
        source.kind,
        files.map((f) => f.path),
      );
      results.push({
        kind: source.kind,
        outcome: report.unchanged ? 'unchanged' : 'imported',
        message: report.unchanged
          ? `${report.version.listName}: unchanged since ${report.version.importedAt}`
          : `${report.version.listName}: ${String(report.version.counts.entries)} entries${report.version.diff ? ` (+${report.version.diff.added} −${report.version.diff.removed} ~${report.version.diff.changed})` : ''}`,
      });
    } catch (e) {
      results.push({ kind: source.kind, outcome: 'failed', message: (e as Error).message });
    }
  }
  return results;
}
