/**
 * Fuzzy string matching for entity resolution: edit distances, Jaro / Jaro-Winkler, the rapidfuzz
 * `fuzz.*` scorers, name normalization (English and Korean, with optional Revised Romanization) and
 * phonetic keys for blocking (Soundex, Metaphone, Double Metaphone).
 *
 * Pure TypeScript: no Node APIs, no dependencies, so the module can be bundled into a Snowflake
 * JavaScript UDF.
 *
 * **Units.** Every metric compares Unicode *code points* (not UTF-16 code units, not bytes). jellyfish
 * compares extended grapheme clusters; the two agree on precomposed (NFC) text without combining marks
 * or emoji sequences, which covers all of jellyfish's test data. Normalize with `s.normalize('NFC')` (or
 * {@link normalizeName}) first if your data may hold decomposed characters. rapidfuzz compares Python
 * `str` elements, which are code points, so the `fuzz*` scorers match it exactly.
 *
 * @module
 */
import { distance as fastDistance } from 'fastest-levenshtein';

// ---------------------------------------------------------------------------------------------------
// helpers

/** Code points of a string (astral characters count once). */
function codePoints(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out.push((c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000);
        i++;
        continue;
      }
    }
    out.push(c);
  }
  return out;
}

/** Compares strings by code point, as Python's `sorted()` does (JS `<` compares UTF-16 units). */
function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const x = codePoints(a);
  const y = codePoints(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

// ---------------------------------------------------------------------------------------------------
// Jaro / Jaro-Winkler

/** Options of {@link jaroWinklerSimilarity}. */
export interface JaroWinklerOptions {
  /**
   * Winkler's "long tolerance" adjustment (jellyfish's `jaro_winkler_similarity(..., long_tolerance=True)`,
   * from the strcmp95 C code of Winkler and colleagues): for strings longer than 4 whose agreeing
   * characters beyond the common prefix are more than half of the remaining characters, add
   * `(1 − sim) · (m − ℓ − 1) / (|a| + |b| − 2ℓ + 2)` where m = matching characters, ℓ = prefix length.
   * Default false (rapidfuzz, DuckDB and jellyfish's default do not apply it).
   */
  readonly longTolerance?: boolean;
  /** The Winkler boost is applied only when the Jaro similarity exceeds this. Default 0.7 (Winkler 1990). */
  readonly boostThreshold?: number;
}

/**
 * Scratch buffers of the Jaro computation, reused across calls (grown when a longer string comes): the
 * UDFs call it millions of times, and a fresh array per call made garbage collection a large part of the
 * time. JavaScript runs one call at a time, so one set suffices; results are read before the next call.
 */
let jaroA: Int32Array<ArrayBuffer> = new Int32Array(64);
let jaroB: Int32Array<ArrayBuffer> = new Int32Array(64);
let jaroF1 = new Uint8Array(64);
let jaroF2 = new Uint8Array(64);
/** Outputs of the last {@link jaroParts} call besides the similarity: matches and the code-point lengths. */
let jaroMatches = 0;
let jaroLen1 = 0;
let jaroLen2 = 0;

/** Writes the code points of `s` into `buf` (grown if needed; the count goes to `codePointsLength`). @returns the buffer written */
function codePointsInto(s: string, buf: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  if (buf.length < s.length) buf = new Int32Array(Math.max(s.length, buf.length * 2));
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        buf[n++] = (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
        i++;
        continue;
      }
    }
    buf[n++] = c;
  }
  codePointsLength = n;
  return buf;
}
let codePointsLength = 0;

/**
 * The Jaro similarity of two strings by code point; also leaves the match count in `jaroMatches`, the
 * lengths in `jaroLen1`/`jaroLen2` and the code points in `jaroA`/`jaroB` (valid until the next call).
 */
function jaroParts(s1: string, s2: string): number {
  const a = (jaroA = codePointsInto(s1, jaroA));
  const len1 = (jaroLen1 = codePointsLength);
  const b = (jaroB = codePointsInto(s2, jaroB));
  const len2 = (jaroLen2 = codePointsLength);
  jaroMatches = 0;
  if (len1 === 0 || len2 === 0) return 0;
  const range = Math.max(0, Math.floor(Math.max(len1, len2) / 2) - 1);
  if (jaroF1.length < len1) jaroF1 = new Uint8Array(Math.max(len1, jaroF1.length * 2));
  if (jaroF2.length < len2) jaroF2 = new Uint8Array(Math.max(len2, jaroF2.length * 2));
  const flags1 = jaroF1;
  const flags2 = jaroF2;
  flags1.fill(0, 0, len1);
  flags2.fill(0, 0, len2);
  let matches = 0;
  for (let i = 0; i < len1; i++) {
    const lo = Math.max(0, i - range);
    const hi = Math.min(i + range, len2 - 1);
    const ch = a[i];
    for (let j = lo; j <= hi; j++) {
      if (flags2[j] === 0 && b[j] === ch) {
        flags1[i] = 1;
        flags2[j] = 1;
        matches++;
        break;
      }
    }
  }
  jaroMatches = matches;
  if (matches === 0) return 0;
  // half-transpositions: matched characters of a and b, in order, that differ
  let k = 0;
  let half = 0;
  for (let i = 0; i < len1; i++) {
    if (flags1[i] === 0) continue;
    while (flags2[k] === 0) k++;
    if (a[i] !== b[k]) half++;
    k++;
  }
  const t = Math.floor(half / 2);
  return (matches / len1 + matches / len2 + (matches - t) / matches) / 3;
}

/**
 * Jaro similarity (Jaro 1989; as specified by Winkler 1990 and implemented by jellyfish and rapidfuzz).
 *
 * Characters match when equal and at most `⌊max(|a|,|b|)/2⌋ − 1` positions apart; with m matches and t
 * half the number of matched characters out of order, `sim = (m/|a| + m/|b| + (m − t)/m) / 3`.
 *
 * @returns a number in [0, 1]; 1 for identical non-empty strings. Following jellyfish, 0 when either
 *   string is empty (including two empty strings — rapidfuzz returns 1 there).
 */
export function jaroSimilarity(a: string, b: string): number {
  return jaroParts(a, b);
}

/**
 * Jaro-Winkler similarity (Winkler 1990, "String Comparator Metrics and Enhanced Decision Rules in the
 * Fellegi-Sunter Model of Record Linkage"), with jellyfish / rapidfuzz semantics: when the Jaro
 * similarity exceeds 0.7, add `ℓ · p · (1 − jaro)` where ℓ is the length of the common prefix, capped at
 * `maxPrefix` (4).
 *
 * Winkler's published tables were partly computed with other prefix weights (0.125, 0.15, 0.2): pass
 * `prefixScale` to reproduce them. The optional {@link JaroWinklerOptions.longTolerance} adjustment
 * reproduces jellyfish's `long_tolerance=True`. Winkler's strcmp95 also credits "similar" characters
 * (e.g. I/L, O/0) in its adjustment table; that is not implemented here, nor by jellyfish or rapidfuzz.
 *
 * @param prefixScale p, in [0, 1 / maxPrefix] so the result stays ≤ 1. Default 0.1.
 * @param maxPrefix the longest prefix credited. Default 4.
 * @returns a number in [0, 1]; 0 when either string is empty.
 * @throws RangeError when `prefixScale · maxPrefix > 1` or either is negative.
 */
export function jaroWinklerSimilarity(
  a: string,
  b: string,
  prefixScale = 0.1,
  maxPrefix = 4,
  options: JaroWinklerOptions = {},
): number {
  if (!(prefixScale >= 0) || !(maxPrefix >= 0) || prefixScale * maxPrefix > 1) {
    throw new RangeError(`jaroWinklerSimilarity: prefixScale (${prefixScale}) × maxPrefix (${maxPrefix}) must be in [0, 1]`);
  }
  const jaro = jaroParts(a, b);
  const matches = jaroMatches;
  const x = jaroA;
  const y = jaroB;
  const lenX = jaroLen1;
  const lenY = jaroLen2;
  let sim = jaro;
  if (jaro > (options.boostThreshold ?? 0.7)) {
    const minLen = Math.min(lenX, lenY);
    const limit = Math.min(minLen, maxPrefix);
    let l = 0;
    while (l < limit && x[l] === y[l]) l++;
    if (l > 0) sim += l * prefixScale * (1 - sim);
    if (options.longTolerance && minLen > 4 && matches > l + 1 && 2 * matches >= minLen + l) {
      sim += ((1 - sim) * (matches - l - 1)) / (lenX + lenY - 2 * l + 2);
    }
  }
  return sim;
}

// ---------------------------------------------------------------------------------------------------
// edit distances

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

// ---------------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------------
// name normalization and Hangul romanization

// Unicode Standard §3.12 "Conjoining Jamo Behavior", Hangul syllable decomposition constants.
const S_BASE = 0xac00;
const V_COUNT = 21;
const T_COUNT = 28;
const N_COUNT = V_COUNT * T_COUNT; // 588
const S_COUNT = 19 * N_COUNT; // 11172

// Revised Romanization of Korean (Ministry of Culture and Tourism notice 2000-8), Chapter 2, tables 1-2.
const RR_INITIAL = ['g', 'kk', 'n', 'd', 'tt', 'r', 'm', 'b', 'pp', 's', 'ss', '', 'j', 'jj', 'ch', 'k', 't', 'p', 'h'];
const RR_MEDIAL = [
  'a', 'ae', 'ya', 'yae', 'eo', 'e', 'yeo', 'ye', 'o', 'wa', 'wae', 'oe', 'yo', 'u', 'wo', 'we', 'wi', 'yu', 'eu', 'ui', 'i',
];
// finals in their syllable-final (unreleased) value: ㄱㄲㅋ→k, ㄷㅅㅆㅈㅊㅌㅎ→t, ㅂㅍ→p; clusters by their pronounced member
const RR_FINAL = [
  '', 'k', 'k', 'k', 'n', 'n', 'n', 't', 'l', 'k', 'm', 'l', 'l', 'l', 'p', 'l', 'm', 'p', 'p', 't', 't', 'ng', 't', 't', 'k', 't', 'p', 't',
];
const T_RIEUL = 8; // final ㄹ
const L_RIEUL = 5; // initial ㄹ

/**
 * Whether a code point is a precomposed Hangul syllable (U+AC00–U+D7A3).
 */
function isHangulSyllable(cp: number): boolean {
  return cp >= S_BASE && cp < S_BASE + S_COUNT;
}

/**
 * Romanizes Hangul syllables with the Revised Romanization of Korean (2000), syllable by syllable.
 *
 * Each precomposed syllable S is decomposed per the Unicode Standard §3.12 (Hangul Syllable
 * Decomposition): `SIndex = S − 0xAC00`, `LIndex = ⌊SIndex / 588⌋`, `VIndex = ⌊(SIndex mod 588) / 28⌋`,
 * `TIndex = SIndex mod 28`; initial, medial and final are then mapped with RR's tables (initial ㄹ is `r`,
 * a final is written by its syllable-final sound: ㄱ/ㄲ/ㅋ `k`, ㄷ/ㅅ/ㅆ/ㅈ/ㅊ/ㅌ/ㅎ `t`, ㅂ/ㅍ `p`, clusters
 * by their pronounced consonant), and ㄹㄹ is written `ll` (RR Chapter 3 Article 1 note).
 *
 * Simplifications: RR transcribes pronunciation, but the phonological rules across syllables —
 * liaison (한국어 → hangugeo), nasalization (종로 → jongno), palatalization, aspiration, tensification —
 * are NOT applied (we give hangukeo, jongro). For personal names this is what RR itself prescribes
 * (Chapter 3 Article 4: sound changes between syllables of given names are not transcribed, e.g.
 * 한복남 Han Boknam, 홍빛나 Hong Bitna). Hyphens, capitalization and the conventional spellings of
 * surnames (Kim, Lee, Park) are not produced: 김 → gim, 이 → i, 박 → bak. Other characters pass through
 * unchanged.
 * @example romanizeHangul('홍빛나') // 'hongbitna'
 */
export function romanizeHangul(s: string): string {
  let out = '';
  let prevFinal = -1;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (!isHangulSyllable(cp)) {
      out += ch;
      prevFinal = -1;
      continue;
    }
    const sIndex = cp - S_BASE;
    const l = Math.floor(sIndex / N_COUNT);
    const v = Math.floor((sIndex % N_COUNT) / T_COUNT);
    const t = sIndex % T_COUNT;
    out += (l === L_RIEUL && prevFinal === T_RIEUL ? 'l' : RR_INITIAL[l]) + RR_MEDIAL[v] + RR_FINAL[t];
    prevFinal = t;
  }
  return out;
}

/** Options of {@link normalizeName}. */
export interface NormalizeNameOptions {
  /** Romanize Hangul with {@link romanizeHangul} (Revised Romanization, syllable by syllable). Default false. */
  readonly romanize?: boolean;
}

/** Titles and generational suffixes dropped wherever they stand as a word (after folding). */
const HONORIFICS = new Set([
  'mr', 'mrs', 'ms', 'miss', 'mx', 'mstr', 'master', 'dr', 'prof', 'professor', 'sir', 'dame', 'lady', 'lord',
  'madam', 'madame', 'mme', 'mlle', 'mister', 'herr', 'frau', 'rev', 'revd', 'fr', 'hon',
  'jr', 'sr', 'jnr', 'snr', 'ii', 'iii', 'esq', 'esquire', 'phd',
]);
/** Company forms dropped when they end the name (repeatedly: "Co., Ltd."). */
const COMPANY_SUFFIXES = new Set([
  'inc', 'incorporated', 'ltd', 'limited', 'llc', 'llp', 'lp', 'corp', 'corporation', 'co', 'company', 'plc',
  'gmbh', 'ag', 'kg', 'sa', 'sas', 'sarl', 'srl', 'spa', 'bv', 'nv', 'ab', 'oy', 'as', 'pte', 'pty', 'kk',
]);
/** Korean company forms, removed wherever they occur (they are never part of a name). */
const KO_COMPANY = ['유한책임회사', '주식회사', '유한회사', '합자회사', '합명회사', '(주)', '(유)', '(합)', '(株)'];
/** Korean honorific suffixes (longest first), removed from the end of a Hangul word or as a word. */
const KO_HONORIFICS = [
  '고객님', '선생님', '사장님', '회장님', '대표님', '교수님', '원장님', '부장님', '과장님', '차장님', '팀장님', '실장님', '이사님',
  '박사님', '여사님', '귀하', '님', '씨', '군', '양',
];
/** Single-syllable honorifics that could end a real name: stripped only from words of 3+ syllables. */
const KO_SHORT = new Set(['님', '씨', '군', '양']);

const HANGUL_RUN = /^[\uac00-\ud7a3]+$/;

/**
 * Normalizes a person or company name for matching.
 *
 * Steps: Unicode NFKC (full-width forms, ㈜ → (주)); case folding (`toLowerCase` plus ß/ẞ → ss and
 * final ς → σ); Korean company forms removed (주식회사, (주), 유한회사, …); "Last, First" reordered to
 * "first last" when there are exactly two comma-separated Latin-script parts (after dropping parts that
 * are only titles or company forms: "Smith, John, Jr." → "john smith"); apostrophes deleted
 * (O'Brien → obrien); all other punctuation and symbols become spaces; titles and generational suffixes
 * (Mr, Mrs, Ms, Dr, Prof, Sir, Jr, Sr, III, Esq, …) dropped as words; trailing company suffixes (Inc, Ltd,
 * LLC, Corp, Co, GmbH, PLC, …) dropped; Korean honorifics (님, 씨, 고객님, 선생님, 사장님, …) dropped as
 * words or from the end of a Hangul word (1-syllable ones only from words of 3+ syllables, so 김씨 stays);
 * adjacent all-Hangul words joined (김 민수, 김민수 and 김 민 수 all give 김민수); whitespace collapsed.
 * With `romanize`, Hangul is then romanized ({@link romanizeHangul}): 김민수 → gimminsu (no surname
 * split, since source spacing is unreliable). If removals would leave nothing, the folded,
 * punctuation-free text is returned instead.
 *
 * @returns lower-case words separated by single spaces; '' for blank input.
 */
export function normalizeName(s: string, options: NormalizeNameOptions = {}): string {
  let t = s.normalize('NFKC').toLowerCase().replace(/[ßẞ]/g, 'ss').replace(/ς/g, 'σ');
  for (const f of KO_COMPANY) t = t.split(f).join(' ');
  t = t.replace(/['’ʼ`´]/g, '');
  const isDropWord = (w: string) => HONORIFICS.has(w) || COMPANY_SUFFIXES.has(w) || KO_HONORIFICS.includes(w);
  const words = (part: string) => part.split(/[^\p{L}\p{N}\p{M}]+/u).filter((w) => w.length > 0);

  // "Last, First" → "First Last"
  const parts = t.split(/[,，、]/).filter((p) => words(p).some((w) => !isDropWord(w)));
  if (parts.length === 2 && parts.every((p) => /\p{Script=Latin}/u.test(p)) && !/[\uac00-\ud7a3]/.test(t)) {
    t = `${parts[1]} ${parts[0]}`;
  }
  const all = words(t);
  let ws = all.filter((w) => !HONORIFICS.has(w));
  while (ws.length > 1 && COMPANY_SUFFIXES.has(ws[ws.length - 1])) ws.pop();
  ws = ws
    .map((w) => {
      if (!HANGUL_RUN.test(w)) return w;
      for (const h of KO_HONORIFICS) {
        if (w === h) return '';
        if (w.endsWith(h) && w.length - h.length >= (KO_SHORT.has(h) ? 2 : 1)) return w.slice(0, w.length - h.length);
      }
      return w;
    })
    .filter((w) => w.length > 0);
  if (ws.length === 0) ws = all;
  // join adjacent Hangul words
  const joined: string[] = [];
  for (const w of ws) {
    const last = joined.length - 1;
    if (last >= 0 && HANGUL_RUN.test(w) && HANGUL_RUN.test(joined[last])) joined[last] += w;
    else joined.push(w);
  }
  let out = joined.join(' ');
  if (options.romanize) out = romanizeHangul(out);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// phonetic keys

/**
 * American Soundex (Russell & Odell 1918; the National Archives rules), as jellyfish computes it: the
 * input is upper-cased and NFKD-decomposed; the first character is kept as is; following letters map to
 * digits (BFPV 1, CGJKQSXZ 2, DT 3, L 4, MN 5, R 6); adjacent equal digits collapse, also across H and W
 * but not across vowels or other characters; the code is cut or zero-padded to 4 characters.
 * @returns a 4-character code such as 'R163', or '' for ''.
 */
export function soundex(s: string): string {
  if (s.length === 0) return '';
  const v = [...s.toUpperCase().normalize('NFKD')];
  const code = (ch: string): string => {
    switch (ch) {
      case 'B': case 'F': case 'P': case 'V': return '1';
      case 'C': case 'G': case 'J': case 'K': case 'Q': case 'S': case 'X': case 'Z': return '2';
      case 'D': case 'T': return '3';
      case 'L': return '4';
      case 'M': case 'N': return '5';
      case 'R': return '6';
      default: return '*';
    }
  };
  let result = v[0];
  let n = 1;
  let last = code(v[0]);
  for (let i = 1; i < v.length && n < 4; i++) {
    const ch = v[i];
    const sub = code(ch);
    if (sub !== '*') {
      if (sub !== last) {
        result += sub;
        n++;
      }
      last = sub;
    } else if (ch !== 'H' && ch !== 'W') {
      last = '*';
    }
  }
  return result + '0'.repeat(4 - n);
}

/**
 * Metaphone (Lawrence Philips 1990), with jellyfish's exact rules: upper-case + NFKD input; initial KN,
 * GN, PN, WR, AE drop their first letter; doubled letters other than C collapse; vowels are kept only at
 * the start of a word; spaces are kept between words; '0' (zero) stands for "th".
 * @returns the code, e.g. 'MTFN' for 'metaphone'; '' for ''.
 */
export function metaphone(s: string): string {
  if (s.length === 0) return '';
  const up = s.toUpperCase();
  const v = [...up.normalize('NFKD')];
  if (/^(KN|GN|PN|WR|AE)/.test(up)) v.shift();
  const isVowel = (c: string) => c === 'A' || c === 'E' || c === 'I' || c === 'O' || c === 'U';
  const isIEY = (c: string) => c === 'I' || c === 'E' || c === 'Y';
  let ret = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    const next = i + 1 < v.length ? v[i + 1] : '*';
    const nextnext = i + 2 < v.length ? v[i + 2] : '*';
    if (c === next && c !== 'C') continue;
    switch (c) {
      case 'A': case 'E': case 'I': case 'O': case 'U':
        if (i === 0 || v[i - 1] === ' ') ret += c;
        break;
      case 'B':
        if (i === 0 || v[i - 1] !== 'M' || next !== '*') ret += 'B';
        break;
      case 'C':
        if ((next === 'I' && nextnext === 'A') || next === 'H') {
          i++;
          ret += 'X';
        } else if (isIEY(next)) {
          i++;
          ret += 'S';
        } else ret += 'K';
        break;
      case 'D':
        if (next === 'G' && isIEY(nextnext)) {
          i += 2;
          ret += 'J';
        } else ret += 'T';
        break;
      case 'F': case 'J': case 'L': case 'M': case 'N': case 'R':
        ret += c;
        break;
      case 'G':
        if (isIEY(next)) ret += 'J';
        else if ((next === 'H' && nextnext !== '*' && !isVowel(nextnext)) || (next === 'N' && nextnext === '*')) i++;
        else ret += 'K';
        break;
      case 'H':
        if (i === 0 || isVowel(next) || !isVowel(v[i - 1])) ret += 'H';
        break;
      case 'K':
        if (i === 0 || v[i - 1] !== 'C') ret += 'K';
        break;
      case 'P':
        if (next === 'H') {
          i++;
          ret += 'F';
        } else ret += 'P';
        break;
      case 'Q':
        ret += 'K';
        break;
      case 'S':
        if (next === 'H') {
          i++;
          ret += 'X';
        } else if (next === 'I' && (nextnext === 'O' || nextnext === 'A')) {
          i += 2;
          ret += 'X';
        } else ret += 'S';
        break;
      case 'T':
        if (next === 'I' && (nextnext === 'O' || nextnext === 'A')) ret += 'X';
        else if (next === 'H') {
          i++;
          ret += '0';
        } else if (next !== 'C' || nextnext !== 'H') ret += 'T';
        break;
      case 'V':
        ret += 'F';
        break;
      case 'W':
        if (i === 0 && next === 'H') {
          i++;
          ret += 'W';
        } else if (isVowel(next)) ret += 'W';
        break;
      case 'X':
        if (i === 0) ret += next === 'H' || (next === 'I' && (nextnext === 'O' || nextnext === 'A')) ? 'X' : 'S';
        else ret += 'KS';
        break;
      case 'Y':
        if (isVowel(next)) ret += 'Y';
        break;
      case 'Z':
        ret += 'S';
        break;
      case ' ':
        if (ret.length > 0 && ret[ret.length - 1] !== ' ') ret += ' ';
        break;
      default:
        break;
    }
  }
  return ret;
}

/** Options of {@link doubleMetaphone}. */
export interface DoubleMetaphoneOptions {
  /** Longest code returned. Default 4, as in Philips' original code; `Infinity` for untruncated codes. */
  readonly maxLength?: number;
}

/**
 * Double Metaphone (Lawrence Philips, "The Double Metaphone Search Algorithm", C/C++ Users Journal,
 * June 2000): a primary and an alternate phonetic code for English and the European and Asian names
 * common in America (Germanic, Slavic, Romance, Greek, Chinese pinyin …), for blocking candidate pairs.
 * Implemented from the rules of Philips' published C++ code (upper-cased input padded with spaces, the
 * "Slavo-Germanic" test, all initial vowels → 'A', '0' for "th", 'X' for "sh"/"ch"). Characters outside
 * A–Z, Ç and Ñ are skipped. Where the original appends a space to the alternate (a final J), nothing is
 * appended.
 * @returns `[primary, alternate]`, each at most `maxLength` (4) characters; `['', '']` for ''.
 * @example doubleMetaphone('Schmidt') // ['XMT', 'SMT']
 */
export function doubleMetaphone(s: string, options: DoubleMetaphoneOptions = {}): [string, string] {
  const maxLength = options.maxLength ?? 4;
  const value = s.toUpperCase();
  const length = value.length;
  const last = length - 1;
  const str = value + '     ';
  let primary = '';
  let secondary = '';
  let current = 0;

  const at = (i: number) => (i >= 0 && i < str.length ? str[i] : '');
  const stringAt = (start: number, len: number, ...subs: string[]): boolean => {
    if (start < 0 || start >= str.length) return false;
    const sub = str.substr(start, len);
    return subs.includes(sub);
  };
  const isVowel = (i: number) => i >= 0 && i < length && 'AEIOUY'.includes(str[i]);
  const add = (main: string, alt?: string) => {
    primary += main;
    secondary += alt === undefined ? main : alt;
  };
  const slavoGermanic = /W|K|CZ|WITZ/.test(value);
  const germanic = stringAt(0, 4, 'VAN ', 'VON ') || stringAt(0, 3, 'SCH');

  if (stringAt(0, 2, 'GN', 'KN', 'PN', 'WR', 'PS')) current += 1;
  if (at(0) === 'X') {
    add('S');
    current += 1;
  }

  while (current < length && (primary.length < maxLength || secondary.length < maxLength)) {
    const ch = str[current];
    switch (ch) {
      case 'A': case 'E': case 'I': case 'O': case 'U': case 'Y':
        if (current === 0) add('A');
        current += 1;
        break;
      case 'B':
        add('P');
        current += at(current + 1) === 'B' ? 2 : 1;
        break;
      case 'Ç':
        add('S');
        current += 1;
        break;
      case 'C':
        current = doubleMetaphoneC(current);
        break;
      case 'D':
        if (stringAt(current, 2, 'DG')) {
          if (stringAt(current + 2, 1, 'I', 'E', 'Y')) {
            add('J');
            current += 3;
          } else {
            add('TK');
            current += 2;
          }
        } else if (stringAt(current, 2, 'DT', 'DD')) {
          add('T');
          current += 2;
        } else {
          add('T');
          current += 1;
        }
        break;
      case 'F':
        add('F');
        current += at(current + 1) === 'F' ? 2 : 1;
        break;
      case 'G':
        current = doubleMetaphoneG(current);
        break;
      case 'H':
        if ((current === 0 || isVowel(current - 1)) && isVowel(current + 1)) {
          add('H');
          current += 2;
        } else current += 1;
        break;
      case 'J':
        if (stringAt(current, 4, 'JOSE') || stringAt(0, 4, 'SAN ')) {
          if ((current === 0 && at(current + 4) === ' ') || stringAt(0, 4, 'SAN ')) add('H');
          else add('J', 'H');
          current += 1;
          break;
        }
        if (current === 0 && !stringAt(current, 4, 'JOSE')) add('J', 'A');
        else if (isVowel(current - 1) && !slavoGermanic && (at(current + 1) === 'A' || at(current + 1) === 'O')) add('J', 'H');
        else if (current === last) add('J', '');
        else if (!stringAt(current + 1, 1, 'L', 'T', 'K', 'S', 'N', 'M', 'B', 'Z') && !stringAt(current - 1, 1, 'S', 'K', 'L')) add('J');
        current += at(current + 1) === 'J' ? 2 : 1;
        break;
      case 'K':
        add('K');
        current += at(current + 1) === 'K' ? 2 : 1;
        break;
      case 'L':
        if (at(current + 1) === 'L') {
          if (
            (current === length - 3 && stringAt(current - 1, 4, 'ILLO', 'ILLA', 'ALLE')) ||
            ((stringAt(last - 1, 2, 'AS', 'OS') || stringAt(last, 1, 'A', 'O')) && stringAt(current - 1, 4, 'ALLE'))
          ) {
            add('L', ''); // Spanish -llo/-lla: no L in the alternate (as Apache commons-codec and words/double-metaphone)
            current += 2;
            break;
          }
          current += 2;
        } else current += 1;
        add('L');
        break;
      case 'M':
        if ((stringAt(current - 1, 3, 'UMB') && (current + 1 === last || stringAt(current + 2, 2, 'ER'))) || at(current + 1) === 'M') current += 2;
        else current += 1;
        add('M');
        break;
      case 'N':
        add('N');
        current += at(current + 1) === 'N' ? 2 : 1;
        break;
      case 'Ñ':
        add('N');
        current += 1;
        break;
      case 'P':
        if (at(current + 1) === 'H') {
          add('F');
          current += 2;
        } else {
          add('P');
          current += stringAt(current + 1, 1, 'P', 'B') ? 2 : 1;
        }
        break;
      case 'Q':
        add('K');
        current += at(current + 1) === 'Q' ? 2 : 1;
        break;
      case 'R':
        if (current === last && !slavoGermanic && stringAt(current - 2, 2, 'IE') && !stringAt(current - 4, 2, 'ME', 'MA')) add('', 'R');
        else add('R');
        current += at(current + 1) === 'R' ? 2 : 1;
        break;
      case 'S':
        current = doubleMetaphoneS(current);
        break;
      case 'T':
        if (stringAt(current, 4, 'TION') || stringAt(current, 3, 'TIA', 'TCH')) {
          add('X');
          current += 3;
        } else if (stringAt(current, 2, 'TH') || stringAt(current, 3, 'TTH')) {
          if (stringAt(current + 2, 2, 'OM', 'AM') || germanic) add('T');
          else add('0', 'T');
          current += 2;
        } else {
          add('T');
          current += stringAt(current + 1, 1, 'T', 'D') ? 2 : 1;
        }
        break;
      case 'V':
        add('F');
        current += at(current + 1) === 'V' ? 2 : 1;
        break;
      case 'W':
        if (stringAt(current, 2, 'WR')) {
          add('R');
          current += 2;
          break;
        }
        if (current === 0 && (isVowel(current + 1) || stringAt(current, 2, 'WH'))) {
          if (isVowel(current + 1)) add('A', 'F');
          else add('A');
        }
        if ((current === last && isVowel(current - 1)) || stringAt(current - 1, 5, 'EWSKI', 'EWSKY', 'OWSKI', 'OWSKY') || stringAt(0, 3, 'SCH')) {
          add('', 'F');
          current += 1;
          break;
        }
        if (stringAt(current, 4, 'WICZ', 'WITZ')) {
          add('TS', 'FX');
          current += 4;
          break;
        }
        current += 1;
        break;
      case 'X':
        if (!(current === last && (stringAt(current - 3, 3, 'IAU', 'EAU') || stringAt(current - 2, 2, 'AU', 'OU')))) add('KS');
        current += stringAt(current + 1, 1, 'C', 'X') ? 2 : 1;
        break;
      case 'Z':
        if (at(current + 1) === 'H') {
          add('J');
          current += 2;
          break;
        }
        if (stringAt(current + 1, 2, 'ZO', 'ZI', 'ZA') || (slavoGermanic && current > 0 && at(current - 1) !== 'T')) add('S', 'TS');
        else add('S');
        current += at(current + 1) === 'Z' ? 2 : 1;
        break;
      default:
        current += 1;
    }
  }
  return [primary.slice(0, maxLength), secondary.slice(0, maxLength)];

  function doubleMetaphoneC(cur: number): number {
    // Germanic: 'bacher', 'macher'
    if (
      cur > 1 && !isVowel(cur - 2) && stringAt(cur - 1, 3, 'ACH') &&
      at(cur + 2) !== 'I' && (at(cur + 2) !== 'E' || stringAt(cur - 2, 6, 'BACHER', 'MACHER'))
    ) {
      add('K');
      return cur + 2;
    }
    if (cur === 0 && stringAt(cur, 6, 'CAESAR')) {
      add('S');
      return cur + 2;
    }
    if (stringAt(cur, 4, 'CHIA')) {
      add('K');
      return cur + 2;
    }
    if (stringAt(cur, 2, 'CH')) {
      if (cur > 0 && stringAt(cur, 4, 'CHAE')) {
        add('K', 'X');
        return cur + 2;
      }
      // Greek roots: 'chemistry', 'chorus'
      if (cur === 0 && (stringAt(cur + 1, 5, 'HARAC', 'HARIS') || stringAt(cur + 1, 3, 'HOR', 'HYM', 'HIA', 'HEM')) && !stringAt(0, 5, 'CHORE')) {
        add('K');
        return cur + 2;
      }
      if (
        germanic ||
        stringAt(cur - 2, 6, 'ORCHES', 'ARCHIT', 'ORCHID') ||
        stringAt(cur + 2, 1, 'T', 'S') ||
        ((stringAt(cur - 1, 1, 'A', 'O', 'U', 'E') || cur === 0) && stringAt(cur + 2, 1, 'L', 'R', 'N', 'M', 'B', 'H', 'F', 'V', 'W', ' '))
      ) {
        add('K');
      } else if (cur > 0) {
        if (stringAt(0, 2, 'MC')) add('K');
        else add('X', 'K');
      } else add('X');
      return cur + 2;
    }
    if (stringAt(cur, 2, 'CZ') && !stringAt(cur - 2, 4, 'WICZ')) {
      add('S', 'X');
      return cur + 2;
    }
    if (stringAt(cur + 1, 3, 'CIA')) {
      add('X');
      return cur + 3;
    }
    if (stringAt(cur, 2, 'CC') && !(cur === 1 && at(0) === 'M')) {
      if (stringAt(cur + 2, 1, 'I', 'E', 'H') && !stringAt(cur + 2, 2, 'HU')) {
        if ((cur === 1 && at(cur - 1) === 'A') || stringAt(cur - 1, 5, 'UCCEE', 'UCCES')) add('KS');
        else add('X');
        return cur + 3;
      }
      add('K');
      return cur + 2;
    }
    if (stringAt(cur, 2, 'CK', 'CG', 'CQ')) {
      add('K');
      return cur + 2;
    }
    if (stringAt(cur, 2, 'CI', 'CE', 'CY')) {
      if (stringAt(cur, 3, 'CIO', 'CIE', 'CIA')) add('S', 'X');
      else add('S');
      return cur + 2;
    }
    add('K');
    if (stringAt(cur + 1, 2, ' C', ' Q', ' G')) return cur + 3;
    if (stringAt(cur + 1, 1, 'C', 'K', 'Q') && !stringAt(cur + 1, 2, 'CE', 'CI')) return cur + 2;
    return cur + 1;
  }

  function doubleMetaphoneG(cur: number): number {
    if (at(cur + 1) === 'H') {
      if (cur > 0 && !isVowel(cur - 1)) {
        add('K');
        return cur + 2;
      }
      if (cur === 0) {
        add(at(cur + 2) === 'I' ? 'J' : 'K');
        return cur + 2;
      }
      // Parker's rule: 'hugh', 'bough', 'broughton'
      if (
        (cur > 1 && stringAt(cur - 2, 1, 'B', 'H', 'D')) ||
        (cur > 2 && stringAt(cur - 3, 1, 'B', 'H', 'D')) ||
        (cur > 3 && stringAt(cur - 4, 1, 'B', 'H'))
      ) {
        return cur + 2;
      }
      // 'laugh', 'McLaughlin', 'cough', 'rough', 'tough'
      if (cur > 2 && at(cur - 1) === 'U' && stringAt(cur - 3, 1, 'C', 'G', 'L', 'R', 'T')) add('F');
      else if (cur > 0 && at(cur - 1) !== 'I') add('K');
      return cur + 2;
    }
    if (at(cur + 1) === 'N') {
      if (cur === 1 && isVowel(0) && !slavoGermanic) add('KN', 'N');
      else if (!stringAt(cur + 2, 2, 'EY') && at(cur + 1) !== 'Y' && !slavoGermanic) add('N', 'KN');
      else add('KN');
      return cur + 2;
    }
    if (stringAt(cur + 1, 2, 'LI') && !slavoGermanic) {
      add('KL', 'L');
      return cur + 2;
    }
    if (cur === 0 && (at(cur + 1) === 'Y' || stringAt(cur + 1, 2, 'ES', 'EP', 'EB', 'EL', 'EY', 'IB', 'IL', 'IN', 'IE', 'EI', 'ER'))) {
      add('K', 'J');
      return cur + 2;
    }
    if (
      (stringAt(cur + 1, 2, 'ER') || at(cur + 1) === 'Y') &&
      !stringAt(0, 6, 'DANGER', 'RANGER', 'MANGER') &&
      !stringAt(cur - 1, 1, 'E', 'I') &&
      !stringAt(cur - 1, 3, 'RGY', 'OGY')
    ) {
      add('K', 'J');
      return cur + 2;
    }
    if (stringAt(cur + 1, 1, 'E', 'I', 'Y') || stringAt(cur - 1, 4, 'AGGI', 'OGGI')) {
      if (germanic || stringAt(cur + 1, 2, 'ET')) add('K');
      else if (stringAt(cur + 1, 4, 'IER ')) add('J');
      else add('J', 'K');
      return cur + 2;
    }
    add('K');
    return cur + (at(cur + 1) === 'G' ? 2 : 1);
  }

  function doubleMetaphoneS(cur: number): number {
    if (stringAt(cur - 1, 3, 'ISL', 'YSL')) return cur + 1;
    if (cur === 0 && stringAt(cur, 5, 'SUGAR')) {
      add('X', 'S');
      return cur + 1;
    }
    if (stringAt(cur, 2, 'SH')) {
      if (stringAt(cur + 1, 4, 'HEIM', 'HOEK', 'HOLM', 'HOLZ')) add('S');
      else add('X');
      return cur + 2;
    }
    if (stringAt(cur, 3, 'SIO', 'SIA') || stringAt(cur, 4, 'SIAN')) {
      if (!slavoGermanic) add('S', 'X');
      else add('S');
      return cur + 3;
    }
    if ((cur === 0 && stringAt(cur + 1, 1, 'M', 'N', 'L', 'W')) || stringAt(cur + 1, 1, 'Z')) {
      add('S', 'X');
      return cur + (stringAt(cur + 1, 1, 'Z') ? 2 : 1);
    }
    if (stringAt(cur, 2, 'SC')) {
      if (at(cur + 2) === 'H') {
        if (stringAt(cur + 3, 2, 'OO', 'ER', 'EN', 'UY', 'ED', 'EM')) {
          if (stringAt(cur + 3, 2, 'ER', 'EN')) add('X', 'SK');
          else add('SK');
          return cur + 3;
        }
        if (cur === 0 && !isVowel(3) && at(3) !== 'W') add('X', 'S');
        else add('X');
        return cur + 3;
      }
      if (stringAt(cur + 2, 1, 'I', 'E', 'Y')) {
        add('S');
        return cur + 3;
      }
      add('SK');
      return cur + 3;
    }
    if (cur === last && stringAt(cur - 2, 2, 'AI', 'OI')) add('', 'S');
    else add('S');
    return cur + (stringAt(cur + 1, 1, 'S', 'Z') ? 2 : 1);
  }
}
