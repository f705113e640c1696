/**
 * rapidfuzz's `fuzz.*` scorers (ratio, partial_ratio, token_sort_ratio, token_set_ratio, WRatio) and
 * `utils.default_process`, on the Indel distance (longest common subsequence) over Unicode code points.
 * @module
 */
import { codePoints, compareCodePoints, popcount32 } from './code-points.js';

// Indel / LCS (the basis of rapidfuzz's fuzz.ratio)

/** Length of the longest common subsequence of two code-point arrays. */
function lcsLength(x: number[], y: number[]): number {
  if (x.length > y.length) [x, y] = [y, x];
  const n = x.length;
  if (n === 0) return 0;
  if (n <= 32) {
    // bit-parallel LCS (Allison & Dix 1986; Hyyrö 2004): one 32-bit word holds the DP column
    const pm = new Map<number, number>();
    for (let i = 0; i < n; i++) pm.set(x[i], ((pm.get(x[i]) ?? 0) | (1 << i)) >>> 0);
    let s = 0xffffffff;
    for (let j = 0; j < y.length; j++) {
      const m = pm.get(y[j]);
      if (m === undefined) continue;
      const u = (s & m) >>> 0;
      s = (((s + u) >>> 0) | ((s - u) >>> 0)) >>> 0;
    }
    const mask = n === 32 ? 0xffffffff : ((1 << n) - 1) >>> 0;
    return popcount32(~s & mask);
  }
  const row = new Int32Array(n + 1);
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
const PY_WS_SPLIT = new RegExp(`[${PY_WS}]+`);

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
  return s.split(PY_WS_SPLIT).filter((t) => t.length > 0).sort(compareCodePoints);
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
  return tokenSortCp(applyProcessor(a, options), applyProcessor(b, options));
}

function tokenSortCp(a: string, b: string): number {
  return ratioCp(codePoints(sortedTokens(a).join(' ')), codePoints(sortedTokens(b).join(' ')));
}

interface Decomposition {
  intersect: string[];
  diffAB: string[];
  diffBA: string[];
}

function decompose(ta: string[], tb: string[]): Decomposition {
  const setA = new Set(ta);
  const setB = new Set(tb);
  const intersect: string[] = [];
  const diffAB: string[] = [];
  for (const t of setA) (setB.has(t) ? intersect : diffAB).push(t);
  const diffBA = [...setB].filter((t) => !setA.has(t));
  intersect.sort(compareCodePoints);
  diffAB.sort(compareCodePoints);
  diffBA.sort(compareCodePoints);
  return { intersect, diffAB, diffBA };
}

function tokenSetCp(a: string, b: string): number {
  const ta = sortedTokens(a);
  const tb = sortedTokens(b);
  if (ta.length === 0 || tb.length === 0) return 0;
  const { intersect, diffAB, diffBA } = decompose(ta, tb);
  if (intersect.length > 0 && (diffAB.length === 0 || diffBA.length === 0)) return 100;
  const ab = codePoints(diffAB.join(' '));
  const ba = codePoints(diffBA.join(' '));
  const sectLen = codePoints(intersect.join(' ')).length;
  const sep = sectLen > 0 ? 1 : 0;
  const sectAbLen = sectLen + sep + ab.length;
  const sectBaLen = sectLen + sep + ba.length;
  const normDist = (dist: number, lensum: number) => (lensum > 0 ? 100 - (100 * dist) / lensum : 100);
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
  return tokenSetCp(applyProcessor(a, options), applyProcessor(b, options));
}

function partialTokenCp(a: string, b: string): number {
  const ta = sortedTokens(a);
  const tb = sortedTokens(b);
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
  if (lenRatio < 1.5) {
    return Math.max(end, Math.max(tokenSetCp(s1, s2), tokenSortCp(s1, s2)) * UNBASE);
  }
  const PARTIAL = lenRatio <= 8 ? 0.9 : 0.6;
  const withPartial = Math.max(end, partialRatioCp(x, y) * PARTIAL);
  return Math.max(withPartial, partialTokenCp(s1, s2) * UNBASE * PARTIAL);
}
