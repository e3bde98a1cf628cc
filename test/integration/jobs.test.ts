import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { createWorker, enqueueJob, listDeadJobs } from '../../src/jobs/queue.ts';
import { backendUnderTest, createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
let second: Database | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  // On PostgreSQL the second worker uses its own connection pool, as a second server process would.
  if (database.url) second = await openDatabase({ kind: 'postgres', url: database.url });
});
afterAll(async () => {
  await second?.close();
  await database.close();
});

/** A worker's log, kept: each line's level, message and fields. */
function collectLog() {
  const logged: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const at = (level: string) => (fields: object, message: string) =>
    logged.push({ level, message, fields: fields as Record<string, unknown> });
  return { logged, log: { info: at('info'), warn: at('warn'), error: at('error') } };
}

describe(`job queue (${backendUnderTest()})`, () => {
  it('shares work between workers without running any job twice', async () => {
    const N = 120;
    for (let i = 0; i < N; i++) await enqueueJob(database.db, 'test.count', { n: i });
    const runs = new Map<number, string[]>();
    const handler = (worker: string) => async (payload: Record<string, unknown>) => {
      const n = payload.n as number;
      runs.set(n, [...(runs.get(n) ?? []), worker]);
      await new Promise((r) => setTimeout(r, 2));
    };
    const w1 = createWorker({
      db: database.db,
      workerId: 'w1',
      handlers: { 'test.count': handler('w1') },
      batch: 3,
    });
    const w2 = createWorker({
      db: (second ?? database).db,
      workerId: 'w2',
      handlers: { 'test.count': handler('w2') },
      batch: 3,
    });
    const [a, b] = await Promise.all([w1.drain(), w2.drain()]);
    expect(a + b).toBe(N);
    expect(runs.size).toBe(N);
    expect([...runs.values()].every((workers) => workers.length === 1)).toBe(true);
    if (second) expect(a > 0 && b > 0).toBe(true);
    const left = await database.db
      .selectFrom('jobs')
      .select('status')
      .where('queue', '=', 'test.count')
      .where('status', '!=', 'done')
      .execute();
    expect(left).toEqual([]);
  });

  it('deduplicates pending jobs by key', async () => {
    const first = await enqueueJob(database.db, 'test.dedupe', {}, { dedupeKey: 'list:ofac' });
    const again = await enqueueJob(database.db, 'test.dedupe', {}, { dedupeKey: 'list:ofac' });
    expect(first).not.toBeNull();
    expect(again).toBeNull();
  });

  it('retries a failing job and moves it to the dead letters after the last attempt', async () => {
    await enqueueJob(database.db, 'test.fail', { x: 1 }, { maxAttempts: 2 });
    let calls = 0;
    const { logged, log } = collectLog();
    const w = createWorker({
      db: database.db,
      workerId: 'wf',
      log,
      handlers: {
        'test.fail': async () => {
          calls++;
          throw new Error('boom');
        },
      },
    });
    await w.runOnce();
    await database.db
      .updateTable('jobs')
      .set({ run_at: new Date(0) })
      .where('queue', '=', 'test.fail')
      .execute();
    await w.runOnce();
    expect(calls).toBe(2);
    const dead = await listDeadJobs(database.db);
    expect(dead.some((j) => j.queue === 'test.fail' && j.last_error?.includes('boom'))).toBe(true);
    // The retry is one warning line with its reason and delay (no stack); giving up is an error with the error.
    expect(logged.map((l) => [l.level, l.message])).toEqual([
      ['warn', 'job failed; it will be retried'],
      ['error', 'job failed'],
    ]);
    expect(logged[0]!.fields).toMatchObject({
      outcome: 'retry',
      attempt: 1,
      of: 2,
      retryInS: 2,
      reason: 'boom',
    });
    expect(logged[0]!.fields).not.toHaveProperty('err');
    expect(logged[1]!.fields).toMatchObject({ outcome: 'dead' });
    expect((logged[1]!.fields.err as Error).message).toBe('boom');
  });
  it('warns of retries once per queue and reason, then sums up the same failures once the window ends', async () => {
    let now = 1_000_000;
    const { logged, log } = collectLog();
    const w = createWorker({
      db: database.db,
      workerId: 'ww',
      batch: 10,
      retryWarningWindowMs: 60_000,
      nowMs: () => now,
      log,
      handlers: {
        'test.unreachable': async (payload) => {
          throw new Error(payload.kind === 'other' ? 'refused' : 'connect ECONNREFUSED 127.0.0.1:25');
        },
      },
    });
    const due = () =>
      database.db
        .updateTable('jobs')
        .set({ run_at: new Date(0) })
        .where('queue', '=', 'test.unreachable')
        .execute();
    for (let i = 0; i < 4; i++) await enqueueJob(database.db, 'test.unreachable', { i }, { maxAttempts: 5 });
    await enqueueJob(database.db, 'test.unreachable', { kind: 'other' }, { maxAttempts: 5 });
    await w.runOnce();
    // Five jobs failed: one line for the first of each reason.
    expect(logged.map((l) => [l.message, l.fields.reason])).toEqual([
      ['job failed; it will be retried', 'connect ECONNREFUSED 127.0.0.1:25'],
      ['job failed; it will be retried', 'refused'],
    ]);
    expect(logged[0]!.fields).toMatchObject({ attempt: 1, of: 5, retryInS: 2, quietForS: 60 });
    // Within the window: counted, not logged.
    now += 30_000;
    await due();
    await w.runOnce();
    expect(logged).toHaveLength(2);
    // After it: the count so far, then the new failure's own line.
    now += 40_000;
    await due();
    await w.runOnce();
    const ECONN = 'connect ECONNREFUSED 127.0.0.1:25';
    const AGAIN = 'jobs failed again for the same reason; they will be retried';
    const FIRST = 'job failed; it will be retried';
    const lines = (from: number) =>
      logged
        .slice(from)
        .map((l) => `${l.level}|${l.message}|${String(l.fields.reason)}|${String(l.fields.failures ?? '')}`)
        .sort();
    // Each reason: its count over the window (ECONNREFUSED: 3 jobs on the first run, 4 on the second), then its new line.
    expect(lines(2)).toEqual(
      [
        `warn|${AGAIN}|${ECONN}|7`,
        `warn|${FIRST}|${ECONN}|`,
        `warn|${AGAIN}|refused|1`,
        `warn|${FIRST}|refused|`,
      ].sort(),
    );
    expect(logged.find((l) => l.message === AGAIN && l.fields.reason === ECONN)!.fields).toMatchObject({
      queue: 'test.unreachable',
      jobs: 4,
      overS: 70,
      soonestRetryInS: 2,
    });
    // Stopping sums up what was counted and not yet logged: the 3 other ECONNREFUSED failures of the last run.
    const before = logged.length;
    await w.stop();
    expect(lines(before)).toEqual([`warn|${AGAIN}|${ECONN}|3`]);
    await database.db.deleteFrom('jobs').where('queue', '=', 'test.unreachable').execute();
  });
  it('sums up the counted retries before the first job it gives up on', async () => {
    const { logged, log } = collectLog();
    const w = createWorker({
      db: database.db,
      workerId: 'wd',
      batch: 10,
      log,
      handlers: {
        'test.gone': async () => {
          throw new Error('no route to host');
        },
      },
    });
    for (let i = 0; i < 3; i++) await enqueueJob(database.db, 'test.gone', { i }, { maxAttempts: 2 });
    await w.runOnce();
    await database.db
      .updateTable('jobs')
      .set({ run_at: new Date(0) })
      .where('queue', '=', 'test.gone')
      .execute();
    await w.runOnce();
    expect(logged.map((l) => [l.level, l.message, l.fields.failures ?? null])).toEqual([
      ['warn', 'job failed; it will be retried', null],
      ['warn', 'jobs failed again for the same reason; they will be retried', 2],
      ['error', 'job failed', null],
      ['error', 'job failed', null],
      ['error', 'job failed', null],
    ]);
    await w.stop();
    expect(logged).toHaveLength(5);
  });
});
