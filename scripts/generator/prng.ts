/**
 * Small, fast, seedable pseudo-random number generation for the demo-data generator.
 *
 * The generator never uses `Math.random()`: every random draw comes from an {@link Rng}
 * seeded from the user seed plus a stream name, so tables are independent of each other
 * and output is byte-identical across runs and machines.
 *
 * Algorithms:
 * - `sfc32` ("Small Fast Counting" generator, 32-bit variant) by Chris Doty-Humphrey,
 *   from the PractRand test suite (public domain), as popularised in
 *   https://github.com/bryc/code/blob/master/jshash/PRNGs.md#sfc32 .
 * - `cyrb128` string hash by bryc (public domain),
 *   https://github.com/bryc/code/blob/master/jshash/experimental/cyrb53.js , used to turn
 *   `"<seed>:<stream>"` strings into the 128-bit sfc32 state.
 */

/**
 * Hash a string to four 32-bit unsigned integers (cyrb128 by bryc, public domain).
 *
 * @param str - any string; the result depends on its UTF-16 code units only.
 * @returns four uint32 values suitable as an sfc32 seed.
 */
export function cyrb128(str: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
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

/**
 * A seeded PRNG (sfc32, Chris Doty-Humphrey / PractRand) with convenience helpers.
 *
 * All methods are deterministic functions of the construction key and the sequence of
 * calls made so far. Period is at least 2^32 (in practice ~2^127).
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /**
   * @param key - seed material; typically `"<seed>:<stream-name>"`. Hashed with cyrb128.
   */
  constructor(key: string) {
    [this.a, this.b, this.c, this.d] = cyrb128(key);
    for (let i = 0; i < 15; i++) this.nextU32(); // warm-up, as recommended for sfc32
  }

  /** Next raw uint32 (sfc32 step). */
  nextU32(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform float in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** `true` with probability `p` (0..1). */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Uniformly chosen element of a non-empty array. */
  pick<T>(arr: readonly T[]): T {
    return arr[Math.floor(this.next() * arr.length)];
  }

  /**
   * Element chosen with probability proportional to its weight.
   * @param items - pairs `[value, weight]`; weights must be ≥ 0 and not all 0.
   */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let u = this.next() * total;
    for (const [v, w] of items) {
      u -= w;
      if (u < 0) return v;
    }
    return items[items.length - 1][0];
  }

  /** Standard normal deviate (Box–Muller transform). */
  normal(mean = 0, sd = 1): number {
    const u1 = 1 - this.next();
    const u2 = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Log-normal deviate `exp(N(mu, sigma))`. */
  logNormal(mu: number, sigma: number): number {
    return Math.exp(this.normal(mu, sigma));
  }

  /** Poisson deviate (Knuth's method for small lambda, normal approximation above 30). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 30) return Math.max(0, Math.round(this.normal(lambda, Math.sqrt(lambda))));
    const l = Math.exp(-lambda);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= this.next();
    } while (p > l);
    return k - 1;
  }

  /** String of `n` characters drawn uniformly from `alphabet`. */
  chars(n: number, alphabet: string): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }

  /** String of `n` decimal digits (leading zeros allowed). */
  digits(n: number): string {
    return this.chars(n, '0123456789');
  }

  /** Integer seed in [0, 2^31) for seeding a Faker instance from this stream. */
  seedInt(): number {
    return this.nextU32() >>> 1;
  }
}

/**
 * Search a non-decreasing cumulative array for the first index whose value is > u.
 * Used for O(log n) weighted sampling from prefix sums.
 *
 * @param cum - non-decreasing prefix sums (typed or plain array).
 * @param u - target in [0, cum[hi - 1]).
 * @param hi - exclusive upper bound of the searched range (defaults to the whole array).
 * @returns index in [0, hi - 1].
 */
export function searchCumulative(cum: ArrayLike<number>, u: number, hi = cum.length): number {
  let lo = 0;
  let h = hi - 1;
  while (lo < h) {
    const mid = (lo + h) >>> 1;
    if (cum[mid] > u) h = mid;
    else lo = mid + 1;
  }
  return lo;
}
