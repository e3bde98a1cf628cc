/** Seeded pseudo-random numbers for synthetic data: a 128-bit string hash, the sfc32 generator and helpers. */

/**
 * A 128-bit non-cryptographic hash of a string (cyrb128), as four unsigned 32-bit words. Used to derive
 * independent generator seeds and stable identifiers from `(seed, kind, index)` keys.
 *
 * @example hash128('42:application:7') // -> [h1, h2, h3, h4], always the same four numbers
 */
export function hash128(key: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < key.length; i++) {
    const k = key.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');

/**
 * A stable UUID (RFC 9562 version 8, "custom") derived from a key: the same key always gives the same id,
 * different keys give different ids with overwhelming probability.
 *
 * @example deriveUuid('42:organisation:0') // -> 'xxxxxxxx-xxxx-8xxx-[89ab]xxx-xxxxxxxxxxxx'
 */
export function deriveUuid(key: string): string {
  const [a, b, c, d] = hash128(key);
  const s = hex8(a) + hex8((b & 0xffff0fff) | 0x00008000) + hex8((c & 0x3fffffff) | 0x80000000) + hex8(d);
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

/** One weighted choice: a value and its relative weight (any non-negative number). */
export type Weighted<T> = readonly [value: T, weight: number];

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit state), seeded from a string key
 * through `hash128`. Deterministic: no clock, no `Math.random`.
 *
 * @example const rng = new Rng('42:world'); rng.int(1, 6) // same sequence on every run
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(key: string) {
    [this.a, this.b, this.c, this.d] = hash128(key);
    // Discard the first outputs so that similar keys decorrelate.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** The next unsigned 32-bit integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next01(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next01() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next01() < p;
  }

  /** One element of a non-empty list, uniformly. */
  pick<T>(list: readonly T[]): T {
    if (list.length === 0) throw new RangeError('pick from an empty list');
    return list[Math.floor(this.next01() * list.length)]!;
  }

  /** One value by relative weight. */
  weighted<T>(choices: readonly Weighted<T>[]): T {
    let total = 0;
    for (const [, w] of choices) total += w;
    if (!(total > 0)) throw new RangeError('weighted choice needs a positive total weight');
    let r = this.next01() * total;
    for (const [v, w] of choices) {
      r -= w;
      if (r < 0) return v;
    }
    return choices[choices.length - 1]![0];
  }

  /** `k` distinct elements of a list (all of them when k >= length), in random order. */
  sample<T>(list: readonly T[], k: number): T[] {
    const copy = [...list];
    const n = Math.min(k, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.next01() * (copy.length - i));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, n);
  }

  /** A standard normal variate (Box-Muller). */
  normal(): number {
    const u = 1 - this.next01();
    const v = this.next01();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A log-normal variate with the given median and log-space standard deviation. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
}
