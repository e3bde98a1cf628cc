/** What the public methodology page states: every data source a determination rests on, with its version and dates. */
import { sql } from 'kysely';
import { assessmentReference } from './assessment.service.ts';
import { classificationPolicy } from './classification.service.ts';
import type { ServiceContext } from './context.ts';
import { listWatchlists, type WatchlistVersion } from './watchlists.service.ts';

export interface DataSources {
  controlLists: {
    version: string;
    importedAt: string;
    entries: number;
    sha256: string;
    isCurrent: boolean;
  }[];
  classificationPolicy: {
    policyVersion: string;
    controlList: string;
    profiles: { id: string; version: string; title: string }[];
  };
  watchlists: WatchlistVersion[];
  assessment: { version: string; loaded: string[]; missing: string[] };
}

/** Public facts only (versions, dates, checksums, counts): no party or application data. */
export async function describeDataSources(ctx: ServiceContext): Promise<DataSources> {
  const [versions, watchlists] = await Promise.all([
    ctx.db
      .selectFrom('control_list_versions')
      .select(['version', 'imported_at', 'entry_count', 'sha256', 'is_current'])
      .orderBy('imported_at', 'desc')
      .limit(10)
      .execute(),
    listWatchlists(ctx, { currentOnly: true }),
  ]);
  const { policy } = classificationPolicy(ctx);
  const reference = assessmentReference(ctx);
  return {
    controlLists: versions.map((v) => ({
      version: v.version,
      importedAt: new Date(v.imported_at).toISOString(),
      entries: Number(v.entry_count),
      sha256: v.sha256,
      isCurrent: v.is_current,
    })),
    classificationPolicy: {
      policyVersion: policy.policyVersion,
      controlList: policy.controlList,
      profiles: [...policy.profiles.values()].map((p) => ({ id: p.id, version: p.version, title: p.title })),
    },
    watchlists,
    assessment: {
      version: reference.reference.version,
      loaded: reference.status.loaded,
      missing: reference.status.missing,
    },
  };
}

/** What the landing page states: how many applications (and how many synthetic), the control list and the lists. */
export interface Holdings {
  applications: number;
  synthetic: number;
  controlListVersion: string | null;
  watchlists: string[];
}

/**
 * The landing page's figures in one statement (the full data sources are for the methodology page).
 * @example await summariseHoldings(ctx) // { applications: 1000, synthetic: 1000, controlListVersion: '…', watchlists: [...] }
 */
export async function summariseHoldings(ctx: ServiceContext): Promise<Holdings> {
  const { rows } = await sql<{
    applications: number;
    synthetic: number;
    control_list: string | null;
    watchlists: string[] | null;
  }>`select
      (select count(*) from applications)::int as applications,
      (select count(*) from applications where synthetic)::int as synthetic,
      (select version from control_list_versions where is_current order by imported_at desc limit 1) as control_list,
      (select json_agg(list_name order by list_name) from watchlists where is_current) as watchlists`.execute(
    ctx.db,
  );
  const r = rows[0]!;
  return {
    applications: Number(r.applications),
    synthetic: Number(r.synthetic),
    controlListVersion: r.control_list,
    watchlists: r.watchlists ?? [],
  };
}
