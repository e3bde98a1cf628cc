/** Tests of the seeded PRNG: determinism, ranges, distributions, derived UUIDs. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveUuid, hash128, Rng } from './prng.ts';

describe('hash128 and deriveUuid', () => {
  it('are stable for a key and differ between keys', () => {
    expect(hash128('42:application:7')).toEqual(hash128('42:application:7'));
    expect(hash128('42:application:7')).not.toEqual(hash128('42:application:8'));
    expect(deriveUuid('a')).toBe(deriveUuid('a'));
  });

  it('gives well-formed version 8 UUIDs without collisions over 100,000 keys', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) {
      const id = deriveUuid(`1:application:${i}`);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      seen.add(id);
    }
    expect(seen.size).toBe(100_000);
  });
});

describe('Rng', () => {
  it('repeats its sequence for the same key and differs for another', () => {
    const a = new Rng('seed');
    const b = new Rng('seed');
    const c = new Rng('seee');
    const sa = Array.from({ length: 20 }, () => a.nextUint32());
    expect(Array.from({ length: 20 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 20 }, () => c.nextUint32())).not.toEqual(sa);
  });

  it('keeps next01 in [0, 1) and int within its bounds', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        (key, min, width) => {
          const rng = new Rng(key);
          for (let i = 0; i < 50; i++) {
            const x = rng.next01();
            expect(x).toBeGreaterThanOrEqual(0);
            expect(x).toBeLessThan(1);
            const n = rng.int(min, min + width);
            expect(Number.isInteger(n)).toBe(true);
            expect(n).toBeGreaterThanOrEqual(min);
            expect(n).toBeLessThanOrEqual(min + width);
          }
        },
      ),
    );
  });

  it('is roughly uniform, and weighted choices follow their weights', () => {
    const rng = new Rng('uniform');
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) buckets[Math.floor(rng.next01() * 10)]!++;
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(500);
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 60_000; i++)
      counts[
        rng.weighted([
          ['a', 1],
          ['b', 2],
          ['c', 3],
        ] as const)
      ]++;
    expect(counts.a / 60_000).toBeCloseTo(1 / 6, 1);
    expect(counts.c / 60_000).toBeCloseTo(3 / 6, 1);
  });

  it('draws log-normal values around their median and distinct samples', () => {
    const rng = new Rng('lognormal');
    const xs = Array.from({ length: 20_001 }, () => rng.logNormal(1000, 0.8)).sort((a, b) => a - b);
    expect(xs[10_000]! / 1000).toBeGreaterThan(0.95);
    expect(xs[10_000]! / 1000).toBeLessThan(1.05);
    const s = rng.sample([1, 2, 3, 4, 5], 3);
    expect(new Set(s).size).toBe(3);
    expect(rng.sample([1, 2], 5).sort()).toEqual([1, 2]);
    expect(() => rng.pick([])).toThrow(RangeError);
  });
});
