import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, verifyAuditLog } from '../../src/services/audit.service.ts';
import { createServiceContext, type ServiceContext } from '../../src/services/context.ts';
import { systemPrincipal } from '../../src/domain/model.ts';
import { testConfig } from '../support/config.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
let ctx: ServiceContext;

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = createServiceContext(database.db, testConfig());
});
afterAll(async () => database.close());

async function writeEvents(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await ctx.db.transaction().execute((trx) =>
      appendAudit(ctx, trx, systemPrincipal('test'), {
        action: 'test.event',
        entityType: 'thing',
        entityId: `t${i}`,
        payload: { i, note: 'ünïcødé' },
      }),
    );
  }
}

describe('audit log on a real database', () => {
  it('chains events written by concurrent transactions without forks or gaps', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        ctx.db.transaction().execute((trx) =>
          appendAudit(ctx, trx, systemPrincipal('test'), {
            action: 'test.concurrent',
            entityType: 'thing',
            entityId: `c${i}`,
          }),
        ),
      ),
    );
    const result = await verifyAuditLog(ctx.db);
    expect(result.problems).toEqual([]);
    expect(result.checked).toBe(20);
  });

  it('leaves no trace of a rolled-back append', async () => {
    await expect(
      ctx.db.transaction().execute(async (trx) => {
        await appendAudit(ctx, trx, systemPrincipal('test'), {
          action: 'test.rolledback',
          entityType: 'thing',
        });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await writeEvents(3);
    expect((await verifyAuditLog(ctx.db)).ok).toBe(true);
  });

  it('names a changed row, a deleted row and reordered rows', async () => {
    await writeEvents(5);
    const { lastSeq } = await verifyAuditLog(ctx.db);
    await sql`update audit_events set payload = '{"i": 999}'::jsonb where seq = ${lastSeq - 3}`.execute(
      ctx.db,
    );
    let result = await verifyAuditLog(ctx.db, { batchSize: 7 });
    expect(result.problems).toEqual([expect.objectContaining({ kind: 'changed', seq: lastSeq - 3 })]);

    await sql`delete from audit_events where seq = ${lastSeq - 1}`.execute(ctx.db);
    result = await verifyAuditLog(ctx.db, { batchSize: 7 });
    expect(result.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'changed', seq: lastSeq - 3 }),
        expect.objectContaining({ kind: 'missing', seq: lastSeq }),
      ]),
    );
  });

  it('names swapped events', async () => {
    const fresh = await createTestDatabase();
    const c2 = createServiceContext(fresh.db, testConfig());
    for (let i = 0; i < 4; i++) {
      await c2.db
        .transaction()
        .execute((trx) =>
          appendAudit(c2, trx, systemPrincipal('t'), { action: 'a', entityType: 'x', entityId: String(i) }),
        );
    }
    // Swap the seq numbers of events 2 and 3 (through a free number, as an attacker would).
    await sql`update audit_events set seq = 1000 where seq = 2`.execute(c2.db);
    await sql`update audit_events set seq = 2 where seq = 3`.execute(c2.db);
    await sql`update audit_events set seq = 3 where seq = 1000`.execute(c2.db);
    const result = await verifyAuditLog(c2.db);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.seq)).toEqual(expect.arrayContaining([2, 3]));
    await fresh.close();
  });
});
