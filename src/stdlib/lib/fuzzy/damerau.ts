/**
 * Damerau-Levenshtein distances over Unicode code points: the unrestricted distance (as jellyfish) and the
 * restricted optimal string alignment distance.
 * @module
 */
import { codePoints } from './code-points.js';

/**
 * Unrestricted Damerau-Levenshtein distance (Lowrance & Wagner 1975), as jellyfish computes it:
 * insertions, deletions, substitutions and transpositions of two adjacent characters, where a transposed
 * pair may afterwards be edited further — so `damerauLevenshtein('ca', 'abc') = 2` ("ca" → "ac" → "abc").
 * The restricted *optimal string alignment* distance ({@link osaDistance}) gives 3 there.
 * @returns a non-negative integer ≤ max(|a|, |b|).
 */
export function damerauLevenshtein(a: string, b: string): number {
  if (a === b) return 0;
  const x = codePoints(a);
  const y = codePoints(b);
  const len1 = x.length;
  const len2 = y.length;
  const inf = len1 + len2;
  const w = len2 + 2;
  const d = new Int32Array((len1 + 2) * w);
  d[0] = inf;
  for (let i = 0; i <= len1; i++) {
    d[(i + 1) * w] = inf;
    d[(i + 1) * w + 1] = i;
  }
  for (let j = 0; j <= len2; j++) {
    d[j + 1] = inf;
    d[w + j + 1] = j;
  }
  const lastRow = new Map<number, number>(); // last row (1-based) where each character of a occurred
  for (let i = 1; i <= len1; i++) {
    let lastCol = 0; // last column in this row where a[i-1] matched
    const ci = x[i - 1];
    for (let j = 1; j <= len2; j++) {
      const i1 = lastRow.get(y[j - 1]) ?? 0;
      const j1 = lastCol;
      let cost = 1;
      if (ci === y[j - 1]) {
        cost = 0;
        lastCol = j;
      }
      const sub = d[i * w + j] + cost;
      const ins = d[(i + 1) * w + j] + 1;
      const del = d[i * w + j + 1] + 1;
      const trans = d[i1 * w + j1] + (i - i1 - 1) + 1 + (j - j1 - 1);
      d[(i + 1) * w + j + 1] = Math.min(sub, ins, del, trans);
    }
    lastRow.set(ci, i);
  }
  return d[(len1 + 1) * w + len2 + 1];
}

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
