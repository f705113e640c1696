/**
 * Levenshtein distance and normalized similarity over Unicode code points (fastest-levenshtein's
 * bit-parallel algorithm when the strings hold no surrogate pairs).
 * @module
 */
import { distance as fastDistance } from 'fastest-levenshtein';
import { codePoints } from './code-points.js';

/**
 * Levenshtein distance (Levenshtein 1966): the least number of single-character insertions, deletions
 * and substitutions turning `a` into `b` (Wagner-Fischer dynamic programme, O(|a|·|b|) time, O(|b|)
 * memory).
 * @returns a non-negative integer ≤ max(|a|, |b|) (in code points).
 */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  // Without surrogate pairs UTF-16 units are code points: fastest-levenshtein's bit-parallel algorithm
  // (Myers 1999 / Hyyrö 2003) gives the same distance, several times faster.
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return fastDistance(a, b);
  return levenshteinCp(codePoints(a), codePoints(b));
}

/** A UTF-16 surrogate (half of a code point outside the Basic Multilingual Plane). */
const SURROGATE = /[\uD800-\uDFFF]/;

function levenshteinCp(x: number[], y: number[]): number {
  if (x.length < y.length) [x, y] = [y, x];
  const n = y.length;
  if (n === 0) return x.length;
  const row = new Int32Array(n + 1);
  for (let j = 0; j <= n; j++) row[j] = j;
  for (let i = 1; i <= x.length; i++) {
    let diag = row[0];
    row[0] = i;
    const c = x[i - 1];
    for (let j = 1; j <= n; j++) {
      const up = row[j];
      const sub = diag + (c === y[j - 1] ? 0 : 1);
      const del = up + 1;
      const ins = row[j - 1] + 1;
      row[j] = sub < del ? (sub < ins ? sub : ins) : del < ins ? del : ins;
      diag = up;
    }
  }
  return row[n];
}

/**
 * Normalized Levenshtein similarity, `1 − levenshtein(a, b) / max(|a|, |b|)` (rapidfuzz
 * `Levenshtein.normalized_similarity` with unit weights).
 * @returns a number in [0, 1]; 1 when both strings are empty.
 */
export function levenshteinSimilarity(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) {
    const max = Math.max(a.length, b.length);
    return max === 0 ? 1 : 1 - (a === b ? 0 : fastDistance(a, b)) / max;
  }
  const x = codePoints(a);
  const y = codePoints(b);
  const max = Math.max(x.length, y.length);
  if (max === 0) return 1;
  return 1 - levenshteinCp(x, y) / max;
}
