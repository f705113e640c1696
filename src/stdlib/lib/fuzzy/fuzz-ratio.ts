/**
 * rapidfuzz's `fuzz.*` scorers (ratio, partial_ratio, token_sort_ratio, token_set_ratio, WRatio) and
 * `utils.default_process`, on the Indel distance (longest common subsequence) over Unicode code points.
 * @module
 */
import { codePoints, compareCodePoints, popcount32 } from './code-points.js';

// Indel / LCS (the basis of rapidfuzz's fuzz.ratio)

/**
 * Bit masks of the bit-parallel LCS, by code point: bit i is set where the shorter sequence has that code
 * point at position i. One table for the BMP (reset after each use: only the entries set are cleared), a
 * map for code points above U+FFFF. Reused across calls, so no call allocates.
 */
const PM = new Int32Array(0x10000);
const PM_ASTRAL = new Map<number, number>();

/** Sets the masks of `x[0..n)` (n ≤ 32). */
function pmSet(x: readonly number[], n: number): void {
  for (let i = 0; i < n; i++) {
    const c = x[i];
    if (c < 0x10000) PM[c] |= 1 << i;
    else PM_ASTRAL.set(c, (PM_ASTRAL.get(c) ?? 0) | (1 << i));
  }
}

/** Clears the masks set by {@link pmSet} for `x[0..n)`. */
function pmClear(x: readonly number[], n: number): void {
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
function lcsMasked(n: number, y: readonly number[], from: number, to: number): number {
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
  if (x.length > y.length) [x, y] = [y, x];
  const n = x.length;
  if (n === 0) return 0;
  if (n <= 32) {
    pmSet(x, n);
    const r = lcsMasked(n, y, 0, y.length);
    pmClear(x, n);
    return r;
  }
  if (lcsRow.length < n + 1) lcsRow = new Int32Array(Math.max(n + 1, lcsRow.length * 2));
  const row = lcsRow;
  row.fill(0, 0, n + 1);
  for (let j = 0; j < y.length; j++) {
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
function ratioCp(x: number[], y: number[]): number {
  const lensum = x.length + y.length;
  if (lensum === 0) return 100;
  return 100 * (1 - indelDistanceCp(x, y) / lensum);
}

// ---------------------------------------------------------------------------------------------------
// rapidfuzz fuzz.* scorers

/**
 * rapidfuzz's `utils.default_process`: every character that is not alphanumeric (Unicode letters and
 * numbers; underscore included, as in rapidfuzz's C++ implementation) becomes a space, letters are
 * lower-cased one code point at a time, and leading/trailing whitespace is trimmed.
 * @example defaultProcess('  Ça va?') // 'ça va'
 */
export function defaultProcess(s: string): string {
  let out = '';
  for (const ch of s) {
    if (!ALNUM.test(ch)) out += ' ';
    else if (ch === '\u0130') out += 'i'; // rapidfuzz keeps only the first code point of İ's lower case
    else out += ch.toLowerCase();
  }
  return out.replace(PY_WS_TRIM, '');
}
const ALNUM = /^[\p{L}\p{N}]$/u;
/** Python's str.isspace() characters (bidirectional type WS, B or S, or category Zs). */
const PY_WS = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_WS_TRIM = new RegExp(`^[${PY_WS}]+|[${PY_WS}]+$`, 'g');

/** Options of the `fuzz*` scorers. */
export interface FuzzOptions {
  /**
   * Preprocessing applied to both strings. rapidfuzz's scorers apply none by default (and neither do
   * these); thefuzz / fuzzywuzzy apply `default_process`. `true` applies {@link defaultProcess}; a
   * function applies itself.
   */
  readonly processor?: boolean | ((s: string) => string);
}

function applyProcessor(s: string, options?: FuzzOptions): string {
  const p = options?.processor;
  if (!p) return s;
  return p === true ? defaultProcess(s) : p(s);
}

/** Whitespace-split tokens sorted by code point (rapidfuzz `sorted_split`). */
function sortedTokens(s: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < s.length; i++) {
    if (isPyWhitespace(s.charCodeAt(i))) {
      if (start >= 0) out.push(s.slice(start, i));
      start = -1;
    } else if (start < 0) start = i;
  }
  if (start >= 0) out.push(start === 0 ? s : s.slice(start));
  return out.length > 1 ? out.sort(compareCodePoints) : out;
}

/** Whether a UTF-16 unit is one of {@link PY_WS}'s characters (all in the BMP). */
function isPyWhitespace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/**
 * rapidfuzz `fuzz.ratio`: normalized Indel similarity, `100 · (1 − (|a| + |b| − 2·LCS(a, b)) / (|a| + |b|))`
 * — equal to difflib's `SequenceMatcher.ratio()` whenever that finds the true LCS.
 * @returns a score in [0, 100]; 100 for two empty strings.
 * @example fuzzRatio('this is a test', 'this is a test!') // 96.55172413793103 (rapidfuzz docs)
 */
export function fuzzRatio(a: string, b: string, options?: FuzzOptions): number {
  return ratioCp(codePoints(applyProcessor(a, options)), codePoints(applyProcessor(b, options)));
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

function partialRatioCp(x: number[], y: number[]): number {
  if (x.length === 0 || y.length === 0) return x.length === y.length ? 100 : 0;
  const [shorter, longer] = x.length <= y.length ? [x, y] : [y, x];
  let score = partialRatioImpl(shorter, longer);
  if (score !== 100 && x.length === y.length) score = Math.max(score, partialRatioImpl(longer, shorter));
  return score;
}

/**
 * rapidfuzz `fuzz.partial_ratio`: the best {@link fuzzRatio} of the shorter string against every
 * substring of the longer one of the same length, plus the shorter substrings at either end of the longer
 * string (so partial overlaps at the edges count); for equal lengths both directions are tried. This is
 * rapidfuzz ≥ 2's exhaustive alignment search, not fuzzywuzzy's `SequenceMatcher` block heuristic.
 * @returns a score in [0, 100]; 100 for two empty strings, 0 when only one is empty.
 * @example fuzzPartialRatio('this is a test', 'this is a test!') // 100 (rapidfuzz docs)
 */
export function fuzzPartialRatio(a: string, b: string, options?: FuzzOptions): number {
  return partialRatioCp(codePoints(applyProcessor(a, options)), codePoints(applyProcessor(b, options)));
}

/**
 * rapidfuzz `fuzz.token_sort_ratio`: {@link fuzzRatio} of the whitespace-separated words of each string,
 * sorted (by code point) and joined by single spaces.
 * @returns a score in [0, 100].
 * @example fuzzTokenSortRatio('fuzzy wuzzy was a bear', 'wuzzy fuzzy was a bear') // 100 (rapidfuzz docs)
 */
export function fuzzTokenSortRatio(a: string, b: string, options?: FuzzOptions): number {
  return tokenSortCp(sortedTokens(applyProcessor(a, options)), sortedTokens(applyProcessor(b, options)));
}

/** token_sort_ratio of two sorted token lists. */
function tokenSortCp(ta: string[], tb: string[]): number {
  return ratioCp(joinedCodePoints(ta, joinedA), joinedCodePoints(tb, joinedB));
}

interface Decomposition {
  intersect: string[];
  diffAB: string[];
  diffBA: string[];
}

/**
 * The distinct tokens of two sorted token lists split into shared and own ones, each sorted: one merge of
 * the two lists (equal tokens are adjacent in a sorted list).
 */
function decompose(ta: string[], tb: string[]): Decomposition {
  const intersect: string[] = [];
  const diffAB: string[] = [];
  const diffBA: string[] = [];
  let i = 0;
  let j = 0;
  while (i < ta.length || j < tb.length) {
    const c = i >= ta.length ? 1 : j >= tb.length ? -1 : compareCodePoints(ta[i], tb[j]);
    const t = c <= 0 ? ta[i] : tb[j];
    if (c === 0) intersect.push(t);
    else if (c < 0) diffAB.push(t);
    else diffBA.push(t);
    if (c <= 0) while (i < ta.length && ta[i] === t) i++;
    if (c >= 0) while (j < tb.length && tb[j] === t) j++;
  }
  return { intersect, diffAB, diffBA };
}

/** Reused arrays of {@link joinedCodePoints}. */
const joinedA: number[] = [];
const joinedB: number[] = [];

/** The code points of `tokens.join(' ')`, written into `out` (reused; valid until its next use). */
function joinedCodePoints(tokens: readonly string[], out: number[]): number[] {
  let n = 0;
  for (let k = 0; k < tokens.length; k++) {
    if (k > 0) out[n++] = 0x20;
    const t = tokens[k];
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < t.length) {
        const d = t.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          out[n++] = (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
          i++;
          continue;
        }
      }
      out[n++] = c;
    }
  }
  out.length = n;
  return out;
}

/** Number of code points of a string. */
function codePointCount(t: string): number {
  let n = t.length;
  for (let i = 0; i + 1 < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = t.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** 100 · (1 − dist / lensum), or 100 for lensum 0 (rapidfuzz norm_distance). */
function normDist(dist: number, lensum: number): number {
  return lensum > 0 ? 100 - (100 * dist) / lensum : 100;
}

/** token_set_ratio of two sorted token lists. */
function tokenSetCp(ta: string[], tb: string[]): number {
  if (ta.length === 0 || tb.length === 0) return 0;
  const { intersect, diffAB, diffBA } = decompose(ta, tb);
  if (intersect.length > 0 && (diffAB.length === 0 || diffBA.length === 0)) return 100;
  const ab = joinedCodePoints(diffAB, joinedA);
  const ba = joinedCodePoints(diffBA, joinedB);
  let sectLen = intersect.length > 0 ? intersect.length - 1 : 0;
  for (const t of intersect) sectLen += codePointCount(t);
  const sep = sectLen > 0 ? 1 : 0;
  const sectAbLen = sectLen + sep + ab.length;
  const sectBaLen = sectLen + sep + ba.length;
  const result = normDist(indelDistanceCp(ab, ba), sectAbLen + sectBaLen);
  if (sectLen === 0) return result;
  // "sect" vs "sect + ab" differ only by the appended words: their Indel distance is the length difference
  const sectAb = normDist(sep + ab.length, sectLen + sectAbLen);
  const sectBa = normDist(sep + ba.length, sectLen + sectBaLen);
  return Math.max(result, sectAb, sectBa);
}

/**
 * rapidfuzz `fuzz.token_set_ratio`: splits both strings into word *sets* (duplicates dropped), and
 * returns the best ratio among "intersection" vs "intersection + rest of a", "intersection" vs
 * "intersection + rest of b" and "rest of a" vs "rest of b" (each sorted and space-joined). 100 when one
 * word set contains the other and they share a word.
 * @returns a score in [0, 100]; 0 when either string has no words (rapidfuzz issue #110).
 * @example fuzzTokenSetRatio('fuzzy was a bear but not a dog', 'fuzzy was a bear but not a cat') // 92.3076923076923
 */
export function fuzzTokenSetRatio(a: string, b: string, options?: FuzzOptions): number {
  return tokenSetCp(sortedTokens(applyProcessor(a, options)), sortedTokens(applyProcessor(b, options)));
}

/** partial_token_ratio of two sorted token lists. */
function partialTokenCp(ta: string[], tb: string[]): number {
  const { intersect, diffAB, diffBA } = decompose(ta, tb);
  if (intersect.length > 0) return 100;
  const result = partialRatioCp(codePoints(ta.join(' ')), codePoints(tb.join(' ')));
  if (ta.length === diffAB.length && tb.length === diffBA.length) return result;
  return Math.max(result, partialRatioCp(codePoints(diffAB.join(' ')), codePoints(diffBA.join(' '))));
}

/**
 * rapidfuzz `fuzz.WRatio` (fuzzywuzzy's weighted ratio): with r = |longer| / |shorter|,
 * - r < 1.5: max(ratio, 0.95 · max(token_set_ratio, token_sort_ratio));
 * - otherwise, with s = 0.9 (r ≤ 8) or 0.6: max(ratio, s · partial_ratio,
 *   0.95 · s · partial_token_ratio), where partial_token_ratio is 100 when the strings share a word, else
 *   the best partial_ratio of the sorted words and of the sorted non-shared words.
 * @returns a score in [0, 100]; 0 when either string is empty.
 * @example fuzzWRatio('new york mets', 'the wonderful new york mets') // 90 (rapidfuzz tests)
 */
export function fuzzWRatio(a: string, b: string, options?: FuzzOptions): number {
  const s1 = applyProcessor(a, options);
  const s2 = applyProcessor(b, options);
  const x = codePoints(s1);
  const y = codePoints(s2);
  if (x.length === 0 || y.length === 0) return 0;
  const UNBASE = 0.95;
  const lenRatio = x.length > y.length ? x.length / y.length : y.length / x.length;
  const end = ratioCp(x, y);
  const ta = sortedTokens(s1);
  const tb = sortedTokens(s2);
  if (lenRatio < 1.5) {
    return Math.max(end, Math.max(tokenSetCp(ta, tb), tokenSortCp(ta, tb)) * UNBASE);
  }
  const PARTIAL = lenRatio <= 8 ? 0.9 : 0.6;
  const withPartial = Math.max(end, partialRatioCp(x, y) * PARTIAL);
  return Math.max(withPartial, partialTokenCp(ta, tb) * UNBASE * PARTIAL);
}
