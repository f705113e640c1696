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
export { jaroSimilarity, jaroWinklerSimilarity, type JaroWinklerOptions } from './fuzzy/jaro.js';
export { levenshtein, levenshteinSimilarity } from './fuzzy/levenshtein.js';
export { damerauLevenshtein, osaDistance } from './fuzzy/damerau.js';
export {
  defaultProcess, fuzzPartialRatio, fuzzRatio, fuzzTokenSetRatio, fuzzTokenSortRatio, fuzzWRatio, type FuzzOptions,
} from './fuzzy/fuzz-ratio.js';
export { normalizeName, romanizeHangul, type NormalizeNameOptions } from './fuzzy/normalize-name.js';
export { metaphone, soundex } from './fuzzy/phonetic.js';
export { doubleMetaphone, type DoubleMetaphoneOptions } from './fuzzy/double-metaphone.js';
