/**
 * A PostgreSQL-backed job queue that runs on PGlite and PostgreSQL alike. Jobs are enqueued in the caller's
 * transaction (so a state change and its follow-up work commit together) and claimed with FOR UPDATE SKIP LOCKED,
 * so several processes share the work and no job runs twice at the same time. See docs/adr/0004-job-queue.md.
 */
import { sql } from 'kysely';
import type { Db, Tx } from '../services/context.ts';

export interface EnqueueOptions {
  runAt?: Date;
  maxAttempts?: number;
  /** At most one pending or running job per (queue, dedupeKey). */
  dedupeKey?: string;
}

export interface ClaimedJob {
  id: number;
  queue: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
}

export async function enqueueJob(
  db: Db | Tx,
  queue: string,
  payload: Record<string, unknown>,
  options: EnqueueOptions = {},
): Promise<number | null> {
  const row = await db
    .insertInto('jobs')
    .values({
      queue,
      payload: JSON.stringify(payload),
      ...(options.runAt && { run_at: options.runAt }),
      ...(options.maxAttempts && { max_attempts: options.maxAttempts }),
      dedupe_key: options.dedupeKey ?? null,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row ? Number(row.id) : null;
}

/**
 * Claim up to `limit` due jobs of the given queues for `workerId`, with a lease of `leaseMs`. A job whose lease
 * expired (its worker died) can be claimed again.
 */
export async function claimJobs(
  db: Db,
  workerId: string,
  queues: readonly string[],
  options: { limit?: number; leaseMs?: number; now?: Date } = {},
): Promise<ClaimedJob[]> {
  if (queues.length === 0) return [];
  // The database's clock by default: run_at defaults to now() with microseconds, which a JS Date (milliseconds)
  // taken in the same millisecond would compare as "not yet due".
  const now = options.now ? sql`${options.now}::timestamptz` : sql`now()`;
  const leaseUntil = sql`${now} + make_interval(secs => ${(options.leaseMs ?? 60_000) / 1000})`;
  const result = await sql<{
    id: number;
    queue: string;
    payload: Record<string, unknown>;
    attempts: number;
    max_attempts: number;
  }>`
    update jobs set status = 'running', locked_by = ${workerId}, locked_until = ${leaseUntil}, attempts = attempts + 1
    where id in (
      select id from jobs
      where queue in (${sql.join(queues)})
        and ((status in ('pending', 'failed') and run_at <= ${now}) or (status = 'running' and locked_until < ${now}))
      order by run_at, id
      limit ${options.limit ?? 1}
      for update skip locked
    )
    returning id, queue, payload, attempts, max_attempts`.execute(db);
  return result.rows.map((r) => ({
    id: Number(r.id),
    queue: r.queue,
    payload: r.payload,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
  }));
}

export async function completeJob(db: Db, id: number, workerId: string, now = new Date()): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ status: 'done', finished_at: now, locked_by: null, locked_until: null })
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .execute();
}

/** The wait before the next attempt of a job that has failed `attempts` times: 2 s, 4 s, 8 s, ... at most one hour. */
export const retryDelayMs = (attempts: number): number => Math.min(3_600_000, 1000 * 2 ** attempts);

/** Record a failure: retry later with exponential backoff, or move to the dead-letter state after the last attempt. */
export async function failJob(
  db: Db,
  job: ClaimedJob,
  workerId: string,
  error: unknown,
  now = new Date(),
): Promise<'retry' | 'dead'> {
  const dead = job.attempts >= job.maxAttempts;
  const backoffMs = retryDelayMs(job.attempts);
  await db
    .updateTable('jobs')
    .set({
      status: dead ? 'dead' : 'failed',
      last_error: String(error instanceof Error ? (error.stack ?? error.message) : error).slice(0, 4000),
      run_at: new Date(now.getTime() + backoffMs),
      locked_by: null,
      locked_until: null,
      ...(dead && { finished_at: now }),
    })
    .where('id', '=', job.id)
    .where('locked_by', '=', workerId)
    .execute();
  return dead ? 'dead' : 'retry';
}

export type JobHandler = (payload: Record<string, unknown>, job: ClaimedJob) => Promise<void>;

export interface WorkerOptions {
  db: Db;
  workerId: string;
  handlers: Record<string, JobHandler>;
  pollMs?: number;
  batch?: number;
  log?: {
    info: (o: object, m: string) => void;
    warn: (o: object, m: string) => void;
    error: (o: object, m: string) => void;
  };
  /**
   * After a retry's warning, further retries of the same queue failing for the same reason are counted for this long
   * and then logged as one line (default 10 minutes): an unreachable SMTP server is one line per queue and window, not
   * one per message and attempt. Jobs given up on are always logged, one by one.
   */
  retryWarningWindowMs?: number;
  /** The clock of that window (tests). */
  nowMs?: () => number;
}

/** The retries of one queue failing for one reason, counted since the warning that opened the window. */
interface RetryWindow {
  queue: string;
  reason: string;
  since: number;
  failures: number;
  jobs: Set<ClaimedJob['id']>;
  soonestRetryInS: number;
}

const retryKey = (job: ClaimedJob, reason: string): string => `${job.queue}\u0000${reason}`;

/**
 * Retry warnings, one per queue and reason and window: the first is logged as it happens, the others are counted and
 * logged together when a retry after the window (or `flush`) comes.
 */
class RetryWarnings {
  private readonly open = new Map<string, RetryWindow>();

  constructor(
    private readonly log: NonNullable<WorkerOptions['log']> | undefined,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  retry(job: ClaimedJob, reason: string): void {
    const key = retryKey(job, reason);
    const retryInS = retryDelayMs(job.attempts) / 1000;
    const window = this.open.get(key);
    if (window && this.now() - window.since < this.windowMs) {
      window.failures += 1;
      window.jobs.add(job.id);
      window.soonestRetryInS = Math.min(window.soonestRetryInS, retryInS);
      return;
    }
    if (window) this.summarize(window);
    this.open.set(key, {
      queue: job.queue,
      reason,
      since: this.now(),
      failures: 0,
      jobs: new Set(),
      soonestRetryInS: Infinity,
    });
    this.log?.warn(
      {
        jobId: job.id,
        queue: job.queue,
        outcome: 'retry',
        attempt: job.attempts,
        of: job.maxAttempts,
        retryInS,
        reason,
        quietForS: this.windowMs / 1000,
      },
      'job failed; it will be retried',
    );
  }

  /** A job given up on: the failures counted for its queue and reason are logged first (its error line follows). */
  givenUp(job: ClaimedJob, reason: string): void {
    const key = retryKey(job, reason);
    const window = this.open.get(key);
    if (!window) return;
    this.summarize(window);
    this.open.delete(key);
  }

  /** Logs the failures counted so far (the worker stops, or a window ends). */
  flush(): void {
    for (const window of this.open.values()) this.summarize(window);
    this.open.clear();
  }

  private summarize(window: RetryWindow): void {
    if (window.failures === 0) return;
    this.log?.warn(
      {
        queue: window.queue,
        outcome: 'retry',
        reason: window.reason,
        failures: window.failures,
        jobs: window.jobs.size,
        overS: Math.round((this.now() - window.since) / 1000),
        soonestRetryInS: window.soonestRetryInS,
      },
      'jobs failed again for the same reason; they will be retried',
    );
  }
}

export interface Worker {
  /** Claim and run one batch; returns how many jobs ran. */
  runOnce(): Promise<number>;
  /** Run batches until no job is due (tests and CLI); returns how many ran. */
  drain(): Promise<number>;
  /** Poll in the background until stop(). */
  start(): void;
  stop(): Promise<void>;
}

export function createWorker(options: WorkerOptions): Worker {
  const queues = Object.keys(options.handlers);
  let stopped = true;
  let loop: Promise<void> = Promise.resolve();
  let wake: (() => void) | undefined;
  const retries = new RetryWarnings(
    options.log,
    options.retryWarningWindowMs ?? 10 * 60_000,
    options.nowMs ?? Date.now,
  );
  const runOnce = async (): Promise<number> => {
    const jobs = await claimJobs(options.db, options.workerId, queues, { limit: options.batch ?? 5 });
    for (const job of jobs) {
      try {
        await options.handlers[job.queue]!(job.payload, job);
        await completeJob(options.db, job.id, options.workerId);
      } catch (e) {
        const outcome = await failJob(options.db, job, options.workerId, e);
        // A retry is the queue working as designed (an SMTP server or a webhook receiver not reachable yet): one
        // line, its reason and when it runs again, then one line per window for the same queue and reason; the stack
        // is kept on the job. A job given up on is an error.
        const reason = e instanceof Error ? e.message : String(e);
        if (outcome === 'retry') retries.retry(job, reason);
        else {
          retries.givenUp(job, reason);
          options.log?.error({ jobId: job.id, queue: job.queue, outcome, err: e }, 'job failed');
        }
      }
    }
    return jobs.length;
  };
  return {
    runOnce,
    async drain() {
      let total = 0;
      for (let n = await runOnce(); n > 0; n = await runOnce()) total += n;
      return total;
    },
    start() {
      if (!stopped) return;
      stopped = false;
      loop = (async () => {
        while (!stopped) {
          let n = 0;
          try {
            n = await runOnce();
          } catch (e) {
            options.log?.error({ err: e }, 'job polling failed');
          }
          if (n === 0 && !stopped) {
            await new Promise<void>((resolve) => {
              const t = setTimeout(resolve, options.pollMs ?? 1000);
              wake = () => {
                clearTimeout(t);
                resolve();
              };
            });
          }
        }
      })();
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      retries.flush();
    },
  };
}

/** Jobs that failed for good, newest first (the dead-letter view). */
export async function listDeadJobs(db: Db, limit = 100) {
  return db
    .selectFrom('jobs')
    .selectAll()
    .where('status', '=', 'dead')
    .orderBy('finished_at', 'desc')
    .limit(limit)
    .execute();
}
