/**
 * The exporter's dashboard in three queries: counts of its catalogue and applications, the information requests
 * waiting for its answer, and its latest applications.
 */
import { sql } from 'kysely';
import type { Principal } from '../domain/model.ts';
import { requireRole, requireUser } from './authorization.ts';
import type { ServiceContext } from './context.ts';

export interface ExporterDashboard {
  items: number;
  parties: number;
  applications: number;
  /** Open information requests of its applications, the earliest answer-by date first: what waits for the exporter. */
  awaiting: { applicationId: string; reference: string; askedAt: string; dueOn: string }[];
  /** The latest applications, newest first (as the applications list sorts them by default). */
  recent: { id: string; reference: string; destinationCountry: string; status: string; updatedAt: string }[];
}

/**
 * The signed-in exporter's own figures (never another organisation's): one statement for the three counts, one for
 * the latest applications with only the columns shown, instead of three list calls that also load rows, lines and
 * parties the dashboard does not show.
 * @example await summariseExporterDashboard(ctx, exporter, { recent: 5 })
 */
export async function summariseExporterDashboard(
  ctx: ServiceContext,
  actor: Principal,
  options: { recent: number },
): Promise<ExporterDashboard> {
  const user = requireUser(actor);
  requireRole(actor, 'exporter');
  const org = user.organisationId;
  const [counts, awaiting, recent] = await Promise.all([
    sql<{ items: number; parties: number; applications: number }>`select
        (select count(*) from items where organisation_id = ${org})::int as items,
        (select count(*) from parties where organisation_id = ${org})::int as parties,
        (select count(*) from applications where organisation_id = ${org})::int as applications`.execute(
      ctx.db,
    ),
    ctx.db
      .selectFrom('information_requests as r')
      .innerJoin('applications as a', 'a.id', 'r.application_id')
      .select(['a.id', 'a.reference', 'r.asked_at', 'r.due_on'])
      .where('a.organisation_id', '=', org)
      .where('r.status', '=', 'open')
      .orderBy('r.due_on')
      .orderBy('a.reference')
      .execute(),
    ctx.db
      .selectFrom('applications')
      .select(['id', 'reference', 'destination_country', 'status', 'updated_at'])
      .where('organisation_id', '=', org)
      .orderBy('updated_at', 'desc') // the latest activity first, as the page's "Last changed" column shows
      .orderBy('id')
      .limit(options.recent)
      .execute(),
  ]);
  const c = counts.rows[0]!;
  return {
    items: Number(c.items),
    parties: Number(c.parties),
    applications: Number(c.applications),
    awaiting: awaiting.map((r) => ({
      applicationId: r.id,
      reference: r.reference,
      askedAt: new Date(r.asked_at).toISOString(),
      dueOn: r.due_on,
    })),
    recent: recent.map((r) => ({
      id: r.id,
      reference: r.reference,
      destinationCountry: r.destination_country.trim(),
      status: r.status,
      updatedAt: new Date(r.updated_at).toISOString(),
    })),
  };
}
