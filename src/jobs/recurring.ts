/**
 * Recurring jobs on the job queue: each recurring queue has exactly one pending run, held by the queue's unique
 * (queue, dedupe_key) index with the key RECURRING_KEY. A run first hands the key to its successor (clears its own,
 * queues the next run `every` later) and then does its work, so a failing or dead run never breaks the chain, and
 * several workers starting at once still leave one pending run. See docs/adr/0004-job-queue.md.
 */
import type { Db } from '../services/context.ts';
import { enqueueJob, type ClaimedJob, type JobHandler } from './queue.ts';

/** The dedupe key every pending run of a recurring queue carries (one pending, running or failed per queue). */
export const RECURRING_KEY = 'recurring';

export interface RecurringJob {
  queue: string;
  /** Time between the start of one run and the next. */
  everyMs: number;
  /** What the job does (for logs and listRecurringRuns). */
  description: string;
}

/**
 * Make sure every recurring queue has its pending run; queues without one get a run due `now` (a catch-up run at
 * start). Safe to call from several processes at once. Returns what was queued.
 */
export async function ensureRecurringJobs(
  db: Db,
  jobs: readonly RecurringJob[],
  now: Date,
): Promise<{ queue: string; queued: boolean }[]> {
  const out: { queue: string; queued: boolean }[] = [];
  for (const job of jobs) {
    const id = await enqueueJob(db, job.queue, {}, { runAt: now, dedupeKey: RECURRING_KEY });
    out.push({ queue: job.queue, queued: id !== null });
  }
  return out;
}

/**
 * Queue the run after `now` for a recurring job (nothing if one is pending already). `current` is the run being
 * executed, whose key is released first so that its successor can take it.
 */
export async function scheduleNextRun(
  db: Db,
  job: RecurringJob,
  now: Date,
  current?: Pick<ClaimedJob, 'id'>,
): Promise<Date> {
  const runAt = new Date(now.getTime() + job.everyMs);
  await db.transaction().execute(async (trx) => {
    if (current)
      await trx
        .updateTable('jobs')
        .set({ dedupe_key: null })
        .where('id', '=', current.id)
        .where('queue', '=', job.queue)
        .execute();
    await enqueueJob(trx, job.queue, {}, { runAt, dedupeKey: RECURRING_KEY });
  });
  return runAt;
}

/** Wrap a recurring queue's handler: queue the next run, then do the work. */
export function withRecurrence(db: Db, job: RecurringJob, now: () => Date, handler: JobHandler): JobHandler {
  return async (payload, claimed) => {
    await scheduleNextRun(db, job, now(), claimed);
    await handler(payload, claimed);
  };
}

/** The pending run of each recurring queue. */
export async function listRecurringRuns(
  db: Db,
  jobs: readonly RecurringJob[],
): Promise<{ queue: string; description: string; everyMs: number; nextRunAt: string | null }[]> {
  const rows = jobs.length
    ? await db
        .selectFrom('jobs')
        .select(['queue', 'run_at'])
        .where(
          'queue',
          'in',
          jobs.map((j) => j.queue),
        )
        .where('dedupe_key', '=', RECURRING_KEY)
        .where('status', 'in', ['pending', 'failed'])
        .execute()
    : [];
  return jobs.map((j) => {
    const row = rows.find((r) => r.queue === j.queue);
    return {
      queue: j.queue,
      description: j.description,
      everyMs: j.everyMs,
      nextRunAt: row ? new Date(row.run_at).toISOString() : null,
    };
  });
}
