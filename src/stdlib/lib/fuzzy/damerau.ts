/**
 * Damerau-Levenshtein distances over Unicode code points: the unrestricted distance (as jellyfish) and the
 * restricted optimal string alignment distance.
 * @module
 */
import { codePoints, codePointsInto, codePointsLength } from './code-points.js';

/**
 * Unrestricted Damerau-Levenshtein distance (Lowrance & Wagner 1975), as jellyfish computes it:
 * insertions, deletions, substitutions and transpositions of two adjacent characters, where a transposed
 * pair may afterwards be edited further — so `damerauLevenshtein('ca', 'abc') = 2` ("ca" → "ac" → "abc").
 * The restricted *optimal string alignment* distance ({@link osaDistance}) gives 3 there.
 * @returns a non-negative integer ≤ max(|a|, |b|).
 */
export function damerauLevenshtein(a: string, b: string): number {
  if (a === b) return 0;
  const xs = (dlA = codePointsInto(a, dlA));
  const n1 = codePointsLength;
  const ys = (dlB = codePointsInto(b, dlB));
  const n2 = codePointsLength;
  // a common prefix and suffix do not change the distance (as rapidfuzz's damerau_levenshtein strips them)
  let pre = 0;
  while (pre < n1 && pre < n2 && xs[pre] === ys[pre]) pre++;
  let suf = 0;
  while (suf < n1 - pre && suf < n2 - pre && xs[n1 - 1 - suf] === ys[n2 - 1 - suf]) suf++;
  const x = xs.subarray(pre, n1 - suf);
  const y = ys.subarray(pre, n2 - suf);
  const len1 = x.length;
  const len2 = y.length;
  if (len1 === 0 || len2 === 0) return len1 + len2;
  const inf = len1 + len2;
  const w = len2 + 2;
  const size = (len1 + 2) * w;
  if (dlD.length < size) dlD = new Int32Array(Math.max(size, dlD.length * 2));
  const d = dlD;
  d[0] = inf;
  for (let i = 0; i <= len1; i++) {
    d[(i + 1) * w] = inf;
    d[(i + 1) * w + 1] = i;
  }
  for (let j = 0; j <= len2; j++) {
    d[j + 1] = inf;
    d[w + j + 1] = j;
  }
  // last row (1-based) where each character of a occurred: LAST_ROW for the BMP, a map above it
  for (let i = 1; i <= len1; i++) {
    let lastCol = 0; // last column in this row where a[i-1] matched
    const ci = x[i - 1];
    const up = i * w; // row i of d (DP row i - 1)
    const cur = up + w; // row i + 1 of d (DP row i)
    for (let j = 1; j <= len2; j++) {
      const cj = y[j - 1];
      const i1 = cj < 0x10000 ? LAST_ROW[cj] : LAST_ROW_ASTRAL.get(cj) ?? 0;
      const j1 = lastCol;
      let cost = 1;
      if (ci === cj) {
        cost = 0;
        lastCol = j;
      }
      let v = d[up + j] + cost;
      const ins = d[cur + j] + 1;
      if (ins < v) v = ins;
      const del = d[up + j + 1] + 1;
      if (del < v) v = del;
      const trans = d[i1 * w + j1] + (i - i1 - 1) + 1 + (j - j1 - 1);
      if (trans < v) v = trans;
      d[cur + j + 1] = v;
    }
    if (ci < 0x10000) LAST_ROW[ci] = i;
    else LAST_ROW_ASTRAL.set(ci, i);
  }
  for (let i = 0; i < len1; i++) if (x[i] < 0x10000) LAST_ROW[x[i]] = 0;
  if (LAST_ROW_ASTRAL.size > 0) LAST_ROW_ASTRAL.clear();
  return d[(len1 + 1) * w + len2 + 1];
}

/**
 * Scratch of {@link damerauLevenshtein}, reused across calls (grown on demand): the code points of both
 * strings, the DP matrix, and the last row of each character of `a` (reset after each call).
 */
let dlA: Int32Array<ArrayBuffer> = new Int32Array(64);
let dlB: Int32Array<ArrayBuffer> = new Int32Array(64);
let dlD = new Int32Array(1024);
const LAST_ROW = new Int32Array(0x10000);
const LAST_ROW_ASTRAL = new Map<number, number>();

/**
 * Optimal string alignment distance (the *restricted* Damerau-Levenshtein distance: no substring is
 * edited more than once). Provided for comparison with {@link damerauLevenshtein}.
 * @returns a non-negative integer ≤ max(|a|, |b|).
 */
export function osaDistance(a: string, b: string): number {
  const x = codePoints(a);
  const y = codePoints(b);
  const n = x.length;
  const m = y.length;
  const d: Int32Array[] = [];
  for (let i = 0; i <= n; i++) {
    d.push(new Int32Array(m + 1));
    d[i][0] = i;
  }
  for (let j = 0; j <= m; j++) d[0][j] = j;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) v = Math.min(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
    }
  }
  return d[n][m];
}
