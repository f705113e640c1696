/**
 * The Indel distance (insertions and deletions only: |a| + |b| − 2·LCS) behind rapidfuzz's `fuzz.ratio`, by
 * a bit-parallel longest common subsequence over Unicode code points, and `partial_ratio`'s alignment
 * search; shared by the scorers of ./fuzz-ratio.ts, ./token-ratios.ts and ./wratio.ts.
 *
 * Sequences are code-point arrays given with their bounds (`x[x0..x1)`), so callers pass reused scratch
 * buffers and windows of them without slicing: nothing here allocates per call, except a mask pair per
 * code point above U+FFFF and a character set for a partial_ratio needle longer than 64 code points.
 * @module
 */
import { popcount32 } from './code-points.js';

/**
 * Bit masks of the bit-parallel LCS, by code point: bit i of `PM_LO` (i < 32) or bit i − 32 of `PM_HI`
 * (32 ≤ i < 64) is set where the pattern (the shorter sequence, ≤ 64 code points) has that code point at
 * position i. Tables for the BMP (after each use only the entries set are cleared), a map for code points
 * above U+FFFF. Reused across calls, so no call allocates.
 */
const PM_LO = new Int32Array(0x10000);

const PM_HI = new Int32Array(0x10000);

/** Masks of astral code points: [low word, high word]. */
const PM_ASTRAL = new Map<number, [number, number]>();

/** Longest pattern the bit-parallel LCS takes (two 32-bit words); longer ones use the DP row. */
export const MAX_BITS = 64;

/** Sets the masks of the pattern `x[x0..x0+n)` (n ≤ 64); clear them with {@link pmClear} before the next LCS. */
export function pmSet(x: ArrayLike<number>, x0: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const c = x[x0 + i];
    if (c < 0x10000) {
      if (i < 32) PM_LO[c] |= 1 << i;
      else PM_HI[c] |= 1 << (i - 32);
    } else {
      const m = PM_ASTRAL.get(c) ?? [0, 0];
      if (i < 32) m[0] |= 1 << i;
      else m[1] |= 1 << (i - 32);
      PM_ASTRAL.set(c, m);
    }
  }
}

/** Clears the masks set by {@link pmSet} for `x[x0..x0+n)`. */
export function pmClear(x: ArrayLike<number>, x0: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const c = x[x0 + i];
    if (c < 0x10000) PM_LO[c] = 0;
  }
  // the high word's table is touched only by patterns longer than 32 (it stays out of the cache otherwise)
  if (n > 32) for (let i = 32; i < n; i++) {
    const c = x[x0 + i];
    if (c < 0x10000) PM_HI[c] = 0;
  }
  if (PM_ASTRAL.size > 0) PM_ASTRAL.clear();
}

/** Whether the pattern (of length n) whose masks are set holds code point c. */
function pmHas(c: number, n: number): boolean {
  return c < 0x10000 ? PM_LO[c] !== 0 || (n > 32 && PM_HI[c] !== 0) : PM_ASTRAL.has(c);
}

/**
 * LCS length of the pattern whose masks are set (length n ≤ 64) and `y[from..to)`: the bit-parallel LCS of
 * Allison & Dix (1986) in Hyyrö's formulation ("Bit-parallel LCS-length computation revisited", AWOCA
 * 2004): the DP column is a bit vector S (initially all ones); for each character c of y with match mask
 * M = PM[c], U = S & M and S ← (S + U) | (S − U); the LCS length is the number of zero bits of S among the
 * pattern's n positions. For n > 32 the vector spans two 32-bit words and the addition's carry passes
 * from the low word to the high one (S − U never borrows, U being a subset of S). This is how rapidfuzz
 * computes the Indel distance (https://rapidfuzz.github.io/RapidFuzz/Usage/distance/Indel.html).
 */
export function lcsMasked(n: number, y: ArrayLike<number>, from: number, to: number): number {
  if (n <= 32) {
    // int32 arithmetic: `|` keeps the low 32 bits of the exact sum and difference
    let s = -1;
    for (let j = from; j < to; j++) {
      const c = y[j];
      const m = c < 0x10000 ? PM_LO[c] : PM_ASTRAL.get(c)?.[0] ?? 0;
      if (m === 0) continue;
      const u = s & m;
      s = (s + u) | (s - u);
    }
    return popcount32(n === 32 ? ~s : ~s & ((1 << n) - 1));
  }
  let s0 = 0xffffffff;
  let s1 = 0xffffffff;
  for (let j = from; j < to; j++) {
    const c = y[j];
    let m0: number;
    let m1: number;
    if (c < 0x10000) {
      m0 = PM_LO[c];
      m1 = PM_HI[c];
    } else {
      const m = PM_ASTRAL.get(c);
      m0 = m ? m[0] : 0;
      m1 = m ? m[1] : 0;
    }
    if ((m0 | m1) === 0) continue;
    const u0 = (s0 & m0) >>> 0;
    const x0 = s0 + u0; // < 2^33, exact
    const carry = x0 > 0xffffffff ? 1 : 0;
    const u1 = (s1 & m1) >>> 0;
    s0 = ((x0 >>> 0) | ((s0 - u0) >>> 0)) >>> 0;
    s1 = (((s1 + u1 + carry) >>> 0) | ((s1 - u1) >>> 0)) >>> 0;
  }
  const mask1 = n === 64 ? 0xffffffff : ((1 << (n - 32)) - 1) >>> 0;
  return popcount32(~s0) + popcount32(~s1 & mask1);
}

/** DP row of the LCS of longer sequences (grown on demand, reused). */
let lcsRow = new Int32Array(128);

/** Length of the longest common subsequence of `x[0..nx)` and `y[0..ny)`. */
export function lcsOf(x: ArrayLike<number>, nx: number, y: ArrayLike<number>, ny: number): number {
  return lcsRange(x, 0, nx, y, 0, ny);
}

/** Length of the longest common subsequence of `x[x0..x1)` and `y[y0..y1)`. */
export function lcsRange(x: ArrayLike<number>, x0: number, x1: number, y: ArrayLike<number>, y0: number, y1: number): number {
  if (x1 - x0 > y1 - y0) return lcsRange(y, y0, y1, x, x0, x1);
  const n = x1 - x0;
  if (n === 0) return 0;
  if (n <= MAX_BITS) {
    pmSet(x, x0, n);
    const r = lcsMasked(n, y, y0, y1);
    pmClear(x, x0, n);
    return r;
  }
  if (lcsRow.length < n + 1) lcsRow = new Int32Array(Math.max(n + 1, lcsRow.length * 2));
  const row = lcsRow;
  row.fill(0, 0, n + 1);
  for (let j = y0; j < y1; j++) {
    let diag = 0;
    const c = y[j];
    for (let i = 1; i <= n; i++) {
      const up = row[i];
      row[i] = x[x0 + i - 1] === c ? diag + 1 : up > row[i - 1] ? up : row[i - 1];
      diag = up;
    }
  }
  return row[n];
}

/**
 * rapidfuzz's `fuzz.ratio` from a sum of lengths and an LCS length: `100 · (1 − (lensum − 2·lcs) / lensum)`,
 * 100 when lensum is 0. Every ratio here goes through this one expression, so scores computed along
 * different paths are identical to the last bit; it is non-decreasing in `lcs` (each step rounds
 * monotonically), so the score at the largest possible LCS (min of the lengths) bounds the true score.
 */
export function ratioOf(lensum: number, lcs: number): number {
  return lensum === 0 ? 100 : 100 * (1 - (lensum - 2 * lcs) / lensum);
}

/** Normalized Indel similarity ×100 of `x[0..nx)` and `y[0..ny)`; 100 for two empty sequences (rapidfuzz `fuzz.ratio`). */
export function ratioCp(x: ArrayLike<number>, nx: number, y: ArrayLike<number>, ny: number): number {
  return ratioOf(nx + ny, lcsOf(x, nx, y, ny));
}

/** 100 · (1 − dist / lensum), or 100 for lensum 0 (rapidfuzz norm_distance); non-increasing in `dist`. */
export function normDist(dist: number, lensum: number): number {
  return lensum > 0 ? 100 - (100 * dist) / lensum : 100;
}

/**
 * Best ratio of the needle `x[x0..x1)` against the alignments in `hay[0..len2)` (needle no longer than
 * hay), as rapidfuzz's `partial_ratio_impl`: full-length windows, then the shorter prefixes and suffixes
 * of `hay`. Windows whose boundary character does not occur in the needle are skipped; that loses nothing
 * (a neighbouring window scores at least as well). A window shorter than the needle whose score bound
 * ({@link ratioOf} at LCS = its length) cannot beat the best so far is skipped too (rapidfuzz's
 * score_cutoff idea).
 */
function partialRatioImpl(x: ArrayLike<number>, x0: number, len1: number, hay: ArrayLike<number>, h0: number, len2: number): number {
  if (len1 > MAX_BITS) return partialRatioSlow(x, x0, len1, hay, h0, len2);
  // the needle's masks serve every window (LCS is symmetric), and say which characters it holds
  pmSet(x, x0, len1);
  const best = partialRatioMasked(len1, hay, h0, len2);
  pmClear(x, x0, len1);
  return best;
}

/**
 * {@link partialRatioImpl} for a needle of len1 ≤ 64 code points whose masks are set ({@link pmSet}), against
 * `hay[h0..h0+len2)` (len2 ≥ len1).
 */
export function partialRatioMasked(len1: number, hay: ArrayLike<number>, h0: number, len2: number): number {
  let best = 0;
  for (let i = 1; i < len1; i++) {
    if (!pmHas(hay[h0 + i - 1], len1)) continue;
    if (ratioOf(len1 + i, i) <= best) continue;
    const r = ratioOf(len1 + i, lcsMasked(len1, hay, h0, h0 + i));
    if (r > best) best = r;
    if (best === 100) return 100;
  }
  for (let i = 0; i < len2 - len1; i++) {
    if (!pmHas(hay[h0 + i + len1 - 1], len1)) continue;
    const r = ratioOf(2 * len1, lcsMasked(len1, hay, h0 + i, h0 + i + len1));
    if (r > best) best = r;
    if (best === 100) return 100;
  }
  for (let i = len2 - len1; i < len2; i++) {
    if (!pmHas(hay[h0 + i], len1)) continue;
    if (ratioOf(len1 + len2 - i, len2 - i) <= best) continue;
    const r = ratioOf(len1 + len2 - i, lcsMasked(len1, hay, h0 + i, h0 + len2));
    if (r > best) best = r;
    if (best === 100) return 100;
  }
  return best;
}

/** {@link partialRatioImpl} for needles longer than 64 code points (one DP LCS per window). */
function partialRatioSlow(x: ArrayLike<number>, x0: number, len1: number, hay: ArrayLike<number>, h0: number, len2: number): number {
  const chars = new Set<number>();
  for (let i = 0; i < len1; i++) chars.add(x[x0 + i]);
  const x1 = x0 + len1;
  let best = 0;
  for (let i = 1; i < len1; i++) {
    if (!chars.has(hay[h0 + i - 1])) continue;
    const r = ratioOf(len1 + i, lcsRange(x, x0, x1, hay, h0, h0 + i));
    if (r > best) best = r;
    if (best === 100) return 100;
  }
  for (let i = 0; i < len2 - len1; i++) {
    if (!chars.has(hay[h0 + i + len1 - 1])) continue;
    const r = ratioOf(2 * len1, lcsRange(x, x0, x1, hay, h0 + i, h0 + i + len1));
    if (r > best) best = r;
    if (best === 100) return 100;
  }
  for (let i = len2 - len1; i < len2; i++) {
    if (!chars.has(hay[h0 + i])) continue;
    const r = ratioOf(len1 + len2 - i, lcsRange(x, x0, x1, hay, h0 + i, h0 + len2));
    if (r > best) best = r;
    if (best === 100) return 100;
  }
  return best;
}

/**
 * rapidfuzz `fuzz.partial_ratio` of `x[0..nx)` and `y[0..ny)` (code points): the shorter against the
 * windows of the longer; both directions when the lengths are equal. 100 for two empty sequences, 0 when
 * only one is empty.
 */
export function partialRatioCp(x: ArrayLike<number>, nx: number, y: ArrayLike<number>, ny: number): number {
  if (nx === 0 || ny === 0) return nx === ny ? 100 : 0;
  if (nx > ny) return partialRatioImpl(y, 0, ny, x, 0, nx);
  let score = partialRatioImpl(x, 0, nx, y, 0, ny);
  if (score !== 100 && nx === ny) score = Math.max(score, partialRatioImpl(y, 0, ny, x, 0, nx));
  return score;
}
