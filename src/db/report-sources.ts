/**
 * Check and repair of the transparency report's source table (migration 0900, ADR 0008). The database keeps
 * `report_sources` equal to its definition `report_source_view` by triggers; this compares the two row by row (for
 * an operator who restored a dump with triggers disabled, or who suspects drift) and, when asked, recomputes the
 * rows that differ with the same function the triggers use.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.ts';

type Db = Kysely<DB>;

export interface ReportSourceCheck {
  /** Applications compared (reportable per the view, plus rows only in the table). */
  checked: number;
  /** Rows whose content differs from the view. */
  stale: string[];
  /** Reportable applications without a row. */
  missing: string[];
  /** Rows of applications that are not reportable (or no longer exist in the view). */
  extra: string[];
  /** Applications recomputed (0 unless repair was asked). */
  repaired: number;
}

const REPAIR_CHUNK = 10_000;

/** Every application a check found differing: stale, then missing, then extra. */
export const differingApplications = (found: ReportSourceCheck): string[] => [
  ...found.stale,
  ...found.missing,
  ...found.extra,
];

/**
 * Compares `report_sources` with `report_source_view`; with `repair`, refreshes every application that differs (in
 * chunks, one transaction each) and returns what was found before the repair. The comparison is grouped in the
 * database: only the differing ids travel.
 * @example const found = await checkReportSources(db, { repair: true });
 */
export async function checkReportSources(
  db: Db,
  options: { repair?: boolean } = {},
): Promise<ReportSourceCheck> {
  const { rows } = await sql<{
    kind: 'stale' | 'missing' | 'extra' | 'same';
    n: number;
    ids: string[] | null;
  }>`
    select kind, count(*)::int as n, array_agg(id order by id) filter (where kind <> 'same') as ids
    from (select coalesce(t.application_id, v.application_id)::text as id,
        case when t.application_id is null then 'missing' when v.application_id is null then 'extra'
          when (t.reporting_on, t.status, t.organisation_id, t.received_on, t.settled_on, t.value_cents, t.memos,
            t.record::text) is distinct from (v.reporting_on, v.status, v.organisation_id, v.received_on,
            v.settled_on, v.value_cents, v.memos, v.record::text) then 'stale'
          else 'same' end as kind
      from report_sources t full join report_source_view v on v.application_id = t.application_id) compared
    group by kind`.execute(db);
  const found: ReportSourceCheck = { checked: 0, stale: [], missing: [], extra: [], repaired: 0 };
  for (const r of rows) {
    found.checked += r.n;
    if (r.kind !== 'same') found[r.kind] = r.ids ?? [];
  }
  if (options.repair) {
    const ids = differingApplications(found).sort();
    for (let i = 0; i < ids.length; i += REPAIR_CHUNK) {
      const chunk = ids.slice(i, i + REPAIR_CHUNK);
      await db
        .transaction()
        .execute((trx) => sql`select report_sources_refresh(${chunk}::uuid[])`.execute(trx));
      found.repaired += chunk.length;
    }
  }
  return found;
}

/** One line saying what a check found (and repaired). */
export function summarizeReportSourceCheck(found: ReportSourceCheck): string {
  if (differingApplications(found).length === 0)
    return `Report source up to date (${found.checked} applications compared).`;
  const what = `${found.stale.length} stale, ${found.missing.length} missing, ${found.extra.length} extra of ${found.checked} applications`;
  return found.repaired > 0
    ? `Repaired ${found.repaired} rows (${what}).`
    : `Report source differs: ${what}.`;
}
