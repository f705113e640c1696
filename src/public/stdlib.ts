/**
 * `weir-sql/stdlib`: the pure TypeScript functions behind the standard library's UDFs, for projects that
 * build their own UDFs on them (no Node APIs, no engine client: bundles into a Snowflake JavaScript UDF).
 *
 * @example
 * import { defineScalarUdf } from 'weir-sql/udf';
 * import { jaroWinklerSimilarity, normalizeName } from 'weir-sql/stdlib';
 * export const name_similarity = defineScalarUdf({
 *   name: 'name_similarity', args: [{ name: 'a', type: 'VARCHAR' }, { name: 'b', type: 'VARCHAR' }],
 *   returns: 'DOUBLE', deterministic: true, portable: true,
 *   description: 'Jaro-Winkler similarity of two normalised person names, in [0, 1].',
 *   fn: (a, b) => jaroWinklerSimilarity(normalizeName(a), normalizeName(b)),
 * });
 * @packageDocumentation
 */
export {
  jaroSimilarity, jaroWinklerSimilarity, levenshtein, levenshteinSimilarity, damerauLevenshtein, osaDistance,
  defaultProcess, fuzzRatio, fuzzPartialRatio, fuzzTokenSortRatio, fuzzTokenSetRatio, fuzzWRatio,
  romanizeHangul, normalizeName, soundex, metaphone, doubleMetaphone,
} from '../stdlib/lib/fuzzy.js';
export type { FuzzOptions, NormalizeNameOptions, DoubleMetaphoneOptions } from '../stdlib/lib/fuzzy.js';
export { personNameKeys, localPartIsName } from '../stdlib/lib/names.js';
export {
  detectPii, redactPii, piiPseudonym, partialMask, normalizePiiValue, createNameDictionary, PII_ENTITY_TYPES, DEFAULT_PII_THRESHOLD,
} from '../stdlib/lib/pii.js';
export type { PiiEntity, PiiEntityType, DetectPiiOptions, RedactPiiOptions, RedactionMode, NameDictionary } from '../stdlib/lib/pii.js';
