/** The audit log: one hash-chained event per state change, written in the caller's transaction. */
import { sql } from 'kysely';
import {
  GENESIS_HASH,
  hashAuditContent,
  initialChainState,
  verifyAuditBatch,
  type AuditProblem,
} from '../engines/audit/chain.ts';
import type { Principal } from '../domain/model.ts';
import { actorOf, requireRole } from './authorization.ts';
import type { Db, ServiceContext, Tx } from './context.ts';

export interface AuditInput {
  action: string;
  entityType: string;
  entityId?: string | null;
  payload?: Record<string, unknown>;
}

/** Application-wide advisory lock id that serialises appends to the chain. */
const AUDIT_LOCK = 727002;

/**
 * Append one event in the current transaction. Appends are serialised with a transaction-scoped advisory lock,
 * so concurrent writers cannot fork the chain, and seq has no gaps (a rolled-back append leaves no trace).
 */
export async function appendAudit(
  ctx: ServiceContext,
  trx: Tx,
  actor: Principal,
  input: AuditInput,
): Promise<void> {
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
  const last = await trx
    .selectFrom('audit_events')
    .select(['seq', 'content_hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const occurredAt = ctx.now();
  const content = {
    seq: (last?.seq ?? 0) + 1,
    id: ctx.newId(),
    occurredAt: occurredAt.toISOString(),
    actor: actorOf(actor),
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId ?? null,
    payload: JSON.parse(JSON.stringify(input.payload ?? {})) as Record<string, unknown>,
    prevHash: last?.content_hash ?? GENESIS_HASH,
  };
  await trx
    .insertInto('audit_events')
    .values({
      seq: content.seq,
      id: content.id,
      occurred_at: content.occurredAt,
      actor: content.actor,
      action: content.action,
      entity_type: content.entityType,
      entity_id: content.entityId,
      payload: JSON.stringify(content.payload),
      prev_hash: content.prevHash,
      content_hash: hashAuditContent(content),
    })
    .execute();
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  lastSeq: number;
  problems: AuditProblem[];
}

/** Verify the whole chain in batches, reporting every changed, deleted or reordered event by number. */
export async function verifyAuditLog(
  db: Db,
  options: { batchSize?: number; onProgress?: (checked: number, total: number) => void } = {},
): Promise<AuditVerification> {
  const batchSize = options.batchSize ?? 5000;
  const total = Number(
    (
      await db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  let state = initialChainState();
  const problems: AuditProblem[] = [];
  let after = -Infinity;
  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>', after === -Infinity ? -1 : after)
      .orderBy('seq')
      .limit(batchSize)
      .execute();
    if (rows.length === 0) break;
    const result = verifyAuditBatch(
      state,
      rows.map((r) => ({
        seq: Number(r.seq),
        id: r.id,
        occurredAt: new Date(r.occurred_at).toISOString(),
        actor: r.actor,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        payload: r.payload,
        prevHash: r.prev_hash.trim(),
        contentHash: r.content_hash.trim(),
      })),
    );
    state = result.state;
    problems.push(...result.problems);
    after = Number(rows[rows.length - 1]!.seq);
    options.onProgress?.(state.checked, total);
  }
  return { ok: problems.length === 0, checked: state.checked, lastSeq: state.lastSeq, problems };
}

export interface AuditEventView {
  seq: number;
  occurredAt: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string | null;
  payload: Record<string, unknown>;
}

/** Staff read the log; filters by entity. */
export async function listAuditEvents(
  ctx: ServiceContext,
  actor: Principal,
  filter: { entityType?: string; entityId?: string; limit?: number; beforeSeq?: number },
): Promise<AuditEventView[]> {
  requireRole(actor, 'officer', 'administrator');
  let q = ctx.db
    .selectFrom('audit_events')
    .selectAll()
    .orderBy('seq', 'desc')
    .limit(Math.min(filter.limit ?? 100, 500));
  if (filter.entityType) q = q.where('entity_type', '=', filter.entityType);
  if (filter.entityId) q = q.where('entity_id', '=', filter.entityId);
  if (filter.beforeSeq) q = q.where('seq', '<', filter.beforeSeq);
  const rows = await q.execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    occurredAt: new Date(r.occurred_at).toISOString(),
    actor: r.actor,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    payload: r.payload,
  }));
}
