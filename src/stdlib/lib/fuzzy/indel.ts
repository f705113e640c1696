/**
 * The Indel distance (insertions and deletions only: |a| + |b| − 2·LCS) behind rapidfuzz's `fuzz.ratio`, by
 * a bit-parallel longest common subsequence over Unicode code points, and `partial_ratio`'s alignment
 * search; shared by the scorers of ./fuzz-ratio.ts and ./token-ratios.ts.
 * @module
 */
import { popcount32 } from './code-points.js';

/**
 * Bit masks of the bit-parallel LCS, by code point: bit i is set where the shorter sequence has that code
 * point at position i. One table for the BMP (reset after each use: only the entries set are cleared), a
 * map for code points above U+FFFF. Reused across calls, so no call allocates.
 */
const PM = new Int32Array(0x10000);

const PM_ASTRAL = new Map<number, number>();

/** Sets the masks of `x[0..n)` (n ≤ 32). */
function pmSet(x: ArrayLike<number>, n: number): void {
  for (let i = 0; i < n; i++) {
    const c = x[i];
    if (c < 0x10000) PM[c] |= 1 << i;
    else PM_ASTRAL.set(c, (PM_ASTRAL.get(c) ?? 0) | (1 << i));
  }
}

/** Clears the masks set by {@link pmSet} for `x[0..n)`. */
function pmClear(x: ArrayLike<number>, n: number): void {
  for (let i = 0; i < n; i++) {
    const c = x[i];
    if (c < 0x10000) PM[c] = 0;
  }
  if (PM_ASTRAL.size > 0) PM_ASTRAL.clear();
}

/**
 * LCS length of the sequence whose masks are set (length n ≤ 32) and `y[from..to)`: bit-parallel LCS
 * (Allison & Dix 1986; Hyyrö 2004), one 32-bit word holds the DP column.
 */
function lcsMasked(n: number, y: ArrayLike<number>, from: number, to: number): number {
  let s = 0xffffffff;
  for (let j = from; j < to; j++) {
    const c = y[j];
    const m = c < 0x10000 ? PM[c] : PM_ASTRAL.get(c) ?? 0;
    if (m === 0) continue;
    const u = (s & m) >>> 0;
    s = (((s + u) >>> 0) | ((s - u) >>> 0)) >>> 0;
  }
  const mask = n === 32 ? 0xffffffff : ((1 << n) - 1) >>> 0;
  return popcount32(~s & mask);
}

/** DP row of the LCS of longer sequences (grown on demand, reused). */
let lcsRow = new Int32Array(64);

/** Length of the longest common subsequence of two code-point arrays. */
function lcsLength(x: number[], y: number[]): number {
  return lcsOf(x, x.length, y, y.length);
}

/** Length of the longest common subsequence of `x[0..nx)` and `y[0..ny)`. */
export function lcsOf(x: ArrayLike<number>, nx: number, y: ArrayLike<number>, ny: number): number {
  if (nx > ny) {
    const t = x;
    x = y;
    y = t;
    const tn = nx;
    nx = ny;
    ny = tn;
  }
  const n = nx;
  if (n === 0) return 0;
  if (n <= 32) {
    pmSet(x, n);
    const r = lcsMasked(n, y, 0, ny);
    pmClear(x, n);
    return r;
  }
  if (lcsRow.length < n + 1) lcsRow = new Int32Array(Math.max(n + 1, lcsRow.length * 2));
  const row = lcsRow;
  row.fill(0, 0, n + 1);
  for (let j = 0; j < ny; j++) {
    let diag = 0;
    const c = y[j];
    for (let i = 1; i <= n; i++) {
      const up = row[i];
      row[i] = x[i - 1] === c ? diag + 1 : up > row[i - 1] ? up : row[i - 1];
      diag = up;
    }
  }
  return row[n];
}

/** Indel distance: insertions + deletions only = |a| + |b| − 2·LCS. */
function indelDistanceCp(x: number[], y: number[]): number {
  return x.length + y.length - 2 * lcsLength(x, y);
}

/** Normalized Indel similarity ×100; 100 for two empty sequences (rapidfuzz `fuzz.ratio`). */
export function ratioCp(x: number[], y: number[]): number {
  const lensum = x.length + y.length;
  if (lensum === 0) return 100;
  return 100 * (1 - indelDistanceCp(x, y) / lensum);
}

/** 100 · (1 − dist / lensum), or 100 for lensum 0 (rapidfuzz norm_distance). */
export function normDist(dist: number, lensum: number): number {
  return lensum > 0 ? 100 - (100 * dist) / lensum : 100;
}

/**
 * Best ratio of `needle` against the alignments in `hay` (|needle| ≤ |hay|), as rapidfuzz's
 * `partial_ratio_impl`: full-length windows, then the shorter prefixes and suffixes of `hay`. Windows whose
 * boundary character does not occur in `needle` are skipped; that loses nothing (a neighbouring window
 * scores at least as well).
 */
function partialRatioImpl(needle: number[], hay: number[]): number {
  const len1 = needle.length;
  if (len1 > 32) return partialRatioSlow(needle, hay);
  // the needle's masks serve every window (LCS is symmetric), and say which characters it holds
  pmSet(needle, len1);
  const best = partialRatioMasked(len1, hay);
  pmClear(needle, len1);
  return best;
}

/** {@link partialRatioImpl} for a needle of ≤ 32 code points whose masks are set. */
function partialRatioMasked(len1: number, hay: number[]): number {
  const len2 = hay.length;
  let best = 0;
  for (let i = 1; i < len1; i++) {
    if (!pmHas(hay[i - 1])) continue;
    const r = windowRatio(len1, hay, 0, i);
    if (r > best) best = r;
    if (best === 100) return 100;
  }
  for (let i = 0; i < len2 - len1; i++) {
    if (!pmHas(hay[i + len1 - 1])) continue;
    const r = windowRatio(len1, hay, i, i + len1);
    if (r > best) best = r;
    if (best === 100) return 100;
  }
  for (let i = len2 - len1; i < len2; i++) {
    if (!pmHas(hay[i])) continue;
    const r = windowRatio(len1, hay, i, len2);
    if (r > best) best = r;
    if (best === 100) return 100;
  }
  return best;
}

/** Whether the masked sequence holds code point c. */
function pmHas(c: number): boolean {
  return c < 0x10000 ? PM[c] !== 0 : PM_ASTRAL.has(c);
}

/** ratioCp(needle, hay.slice(from, to)) for the masked needle of length n, with the same arithmetic (identical scores). */
function windowRatio(n: number, hay: readonly number[], from: number, to: number): number {
  const lensum = n + (to - from);
  return 100 * (1 - (lensum - 2 * lcsMasked(n, hay, from, to)) / lensum);
}

/** {@link partialRatioImpl} for needles longer than 32 code points (one LCS per window). */
function partialRatioSlow(needle: number[], hay: number[]): number {
  const len1 = needle.length;
  const len2 = hay.length;
  const chars = new Set(needle);
  let best = 0;
  for (let i = 1; i < len1; i++) {
    if (!chars.has(hay[i - 1])) continue;
    const r = ratioCp(needle, hay.slice(0, i));
    if (r > best) best = r;
    if (best === 100) return 100;
  }
  for (let i = 0; i < len2 - len1; i++) {
    if (!chars.has(hay[i + len1 - 1])) continue;
    const r = ratioCp(needle, hay.slice(i, i + len1));
    if (r > best) best = r;
    if (best === 100) return 100;
  }
  for (let i = len2 - len1; i < len2; i++) {
    if (!chars.has(hay[i])) continue;
    const r = ratioCp(needle, hay.slice(i));
    if (r > best) best = r;
    if (best === 100) return 100;
  }
  return best;
}

export function partialRatioCp(x: number[], y: number[]): number {
  if (x.length === 0 || y.length === 0) return x.length === y.length ? 100 : 0;
  const [shorter, longer] = x.length <= y.length ? [x, y] : [y, x];
  let score = partialRatioImpl(shorter, longer);
  if (score !== 100 && x.length === y.length) score = Math.max(score, partialRatioImpl(longer, shorter));
  return score;
}
