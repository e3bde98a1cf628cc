import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  GENESIS_HASH,
  hashAuditContent,
  initialChainState,
  verifyAuditBatch,
  type StoredAuditEvent,
} from './chain.ts';

function makeChain(n: number): StoredAuditEvent[] {
  const events: StoredAuditEvent[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const content = {
      seq: i,
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      actor: 'user:u1',
      action: 'application.updated',
      entityType: 'application',
      entityId: `a${i}`,
      payload: { field: 'x', n: i },
      prevHash: prev,
    };
    const contentHash = hashAuditContent(content);
    events.push({ ...content, contentHash });
    prev = contentHash;
  }
  return events;
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });
  it('is stable under key order (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
        expect(canonicalJson(JSON.parse(canonicalJson(obj)))).toBe(canonicalJson(obj));
      }),
    );
  });
});

describe('verifyAuditBatch', () => {
  it('accepts an intact chain, also in several batches', () => {
    const events = makeChain(10);
    expect(verifyAuditBatch(initialChainState(), events).problems).toEqual([]);
    const first = verifyAuditBatch(initialChainState(), events.slice(0, 4));
    const second = verifyAuditBatch(first.state, events.slice(4));
    expect([...first.problems, ...second.problems]).toEqual([]);
    expect(second.state.checked).toBe(10);
  });

  it('names a changed event', () => {
    const events = makeChain(5);
    events[2] = { ...events[2]!, payload: { field: 'tampered', n: 3 } };
    const { problems } = verifyAuditBatch(initialChainState(), events);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ kind: 'changed', seq: 3 });
  });

  it('names a deleted event', () => {
    const events = makeChain(5);
    events.splice(1, 1);
    const { problems } = verifyAuditBatch(initialChainState(), events);
    expect(problems.map((p) => [p.kind, p.seq])).toEqual([['missing', 3]]);
    expect(problems[0]!.message).toContain('#2');
  });

  it('names reordered events even when their seq numbers were swapped back into order', () => {
    const events = makeChain(5);
    const swapped = [...events];
    // Swap the contents of events 2 and 3 but keep the stored seq order.
    swapped[1] = { ...events[2]!, seq: 2 };
    swapped[2] = { ...events[1]!, seq: 3 };
    const { problems } = verifyAuditBatch(initialChainState(), swapped);
    expect(problems.some((p) => p.seq === 2 && p.kind === 'changed')).toBe(true);
    expect(problems.some((p) => p.seq === 3)).toBe(true);
  });

  it('names an event recomputed by a forger who did not relink the chain', () => {
    const events = makeChain(4);
    const forged = { ...events[1]!, payload: { field: 'forged', n: 2 } };
    forged.contentHash = hashAuditContent(forged);
    events[1] = forged;
    const { problems } = verifyAuditBatch(initialChainState(), events);
    expect(problems).toEqual([expect.objectContaining({ kind: 'broken_link', seq: 3 })]);
  });
});
