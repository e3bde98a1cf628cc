import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashCanonical, toCanonicalJson } from './canonical-hash.ts';

describe('canonical hash', () => {
  it('ignores key order and undefined members', () => {
    expect(hashCanonical({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(
      hashCanonical({ b: { d: 'x', c: [1, 2] }, a: 1, e: undefined }),
    );
  });
  it('distinguishes array order and values', () => {
    expect(hashCanonical([1, 2])).not.toBe(hashCanonical([2, 1]));
    expect(hashCanonical({ a: 1 })).not.toBe(hashCanonical({ a: 2 }));
  });
  it('round-trips: canonical JSON parses to an equal value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(JSON.parse(toCanonicalJson(v))).toEqual(JSON.parse(JSON.stringify(v)));
        expect(hashCanonical(v)).toMatch(/^sha256:[0-9a-f]{64}$/);
      }),
    );
  });
});
