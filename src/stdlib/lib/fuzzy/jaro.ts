/**
 * Jaro and Jaro-Winkler similarity over Unicode code points (Jaro 1989; Winkler 1990; jellyfish /
 * rapidfuzz semantics).
 * @module
 */
import { codePointsInto, codePointsLength } from './code-points.js';

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
