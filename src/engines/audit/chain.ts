/** The audit hash chain: canonical content, SHA-256 links, and verification that names the broken event. */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../shared/canonical-json.ts';

export { canonicalJson };

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEventContent {
  seq: number;
  id: string;
  occurredAt: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string | null;
  payload: Record<string, unknown>;
  prevHash: string;
}

export interface StoredAuditEvent extends AuditEventContent {
  contentHash: string;
}

/** SHA-256 (hex) of an event's canonical content, which includes the previous event's hash. */
export function hashAuditContent(content: AuditEventContent): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        seq: content.seq,
        id: content.id,
        occurredAt: content.occurredAt,
        actor: content.actor,
        action: content.action,
        entityType: content.entityType,
        entityId: content.entityId,
        payload: content.payload,
        prevHash: content.prevHash,
      }),
    )
    .digest('hex');
}

export type AuditProblemKind = 'changed' | 'missing' | 'out_of_order' | 'broken_link';

export interface AuditProblem {
  kind: AuditProblemKind;
  seq: number;
  eventId: string;
  message: string;
}

export interface ChainState {
  lastSeq: number;
  lastHash: string;
  checked: number;
}

export const initialChainState = (): ChainState => ({ lastSeq: 0, lastHash: GENESIS_HASH, checked: 0 });

/**
 * Verify the next batch of events (in ascending seq order as stored) against the running chain state.
 * Returns the problems found and the new state; call repeatedly to verify a long log in batches.
 * @example verifyAuditBatch(initialChainState(), events).problems.length === 0
 */
export function verifyAuditBatch(
  state: ChainState,
  events: readonly StoredAuditEvent[],
): { state: ChainState; problems: AuditProblem[] } {
  const problems: AuditProblem[] = [];
  let { lastSeq, lastHash, checked } = state;
  for (const e of events) {
    const recomputed = hashAuditContent(e);
    if (recomputed !== e.contentHash) {
      problems.push({
        kind: 'changed',
        seq: e.seq,
        eventId: e.id,
        message: `Event #${e.seq} (${e.action} on ${e.entityType} ${e.entityId ?? ''}) was changed: its content no longer matches its hash.`,
      });
    }
    if (e.seq !== lastSeq + 1) {
      problems.push(
        e.seq > lastSeq + 1
          ? {
              kind: 'missing',
              seq: e.seq,
              eventId: e.id,
              message: `Event(s) #${lastSeq + 1}${e.seq - 1 > lastSeq + 1 ? `-#${e.seq - 1}` : ''} are missing before event #${e.seq}: deleted.`,
            }
          : {
              kind: 'out_of_order',
              seq: e.seq,
              eventId: e.id,
              message: `Event #${e.seq} appears after event #${lastSeq}: the log was reordered.`,
            },
      );
    } else if (e.prevHash !== lastHash) {
      problems.push({
        kind: 'broken_link',
        seq: e.seq,
        eventId: e.id,
        message: `Event #${e.seq} does not follow event #${lastSeq}: its previous-hash link is broken (an event was replaced, reordered or deleted).`,
      });
    }
    lastSeq = e.seq;
    lastHash = e.contentHash;
    checked++;
  }
  return { state: { lastSeq, lastHash, checked }, problems };
}
