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
    const logged: { level: string; message: string; fields: Record<string, unknown> }[] = [];
    const log = (level: string) => (fields: object, message: string) =>
      logged.push({ level, message, fields: fields as Record<string, unknown> });
    const w = createWorker({
      db: database.db,
      workerId: 'wf',
      log: { info: log('info'), warn: log('warn'), error: log('error') },
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
});
