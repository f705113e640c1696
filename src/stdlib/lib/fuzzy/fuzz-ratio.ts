/**
 * rapidfuzz's `fuzz.*` scorers (ratio, partial_ratio, token_sort_ratio, token_set_ratio, WRatio) and
 * `utils.default_process`, on the Indel distance (longest common subsequence) over Unicode code points.
 * @module
 */
import { codePointsInto, codePointsLength } from './code-points.js';
import { partialRatioCp, ratioCp } from './indel.js';
import { tokenSetStr, tokenSortStr } from './token-ratios.js';
import { wRatio } from './wratio.js';

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

/** Code points of the two strings of the scorer running (reused; JavaScript runs one call at a time). */
let cpA: Int32Array<ArrayBuffer> = new Int32Array(64);

let cpB: Int32Array<ArrayBuffer> = new Int32Array(64);

function applyProcessor(s: string, options?: FuzzOptions): string {
  const p = options?.processor;
  if (!p) return s;
  return p === true ? defaultProcess(s) : p(s);
}

/**
 * rapidfuzz `fuzz.ratio`: normalized Indel similarity, `100 · (1 − (|a| + |b| − 2·LCS(a, b)) / (|a| + |b|))`
 * — equal to difflib's `SequenceMatcher.ratio()` whenever that finds the true LCS.
 * @returns a score in [0, 100]; 100 for two empty strings.
 * @example fuzzRatio('this is a test', 'this is a test!') // 96.55172413793103 (rapidfuzz docs)
 */
export function fuzzRatio(a: string, b: string, options?: FuzzOptions): number {
  cpA = codePointsInto(applyProcessor(a, options), cpA);
  const na = codePointsLength;
  cpB = codePointsInto(applyProcessor(b, options), cpB);
  return ratioCp(cpA, na, cpB, codePointsLength);
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
  cpA = codePointsInto(applyProcessor(a, options), cpA);
  const na = codePointsLength;
  cpB = codePointsInto(applyProcessor(b, options), cpB);
  return partialRatioCp(cpA, na, cpB, codePointsLength);
}

/**
 * rapidfuzz `fuzz.token_sort_ratio`: {@link fuzzRatio} of the whitespace-separated words of each string,
 * sorted (by code point) and joined by single spaces.
 * @returns a score in [0, 100].
 * @example fuzzTokenSortRatio('fuzzy wuzzy was a bear', 'wuzzy fuzzy was a bear') // 100 (rapidfuzz docs)
 */
export function fuzzTokenSortRatio(a: string, b: string, options?: FuzzOptions): number {
  return tokenSortStr(applyProcessor(a, options), applyProcessor(b, options));
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
  return tokenSetStr(applyProcessor(a, options), applyProcessor(b, options));
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
  return wRatio(applyProcessor(a, options), applyProcessor(b, options));
}
