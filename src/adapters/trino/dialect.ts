/**
 * Trino's SQL text rules (its DDL is in ddl.ts). Identifiers: double quotes (Trino folds every
 * identifier, quoted or not, to lower case); strings: standard SQL literals (no backslash escapes).
 * Relations are three-part `"catalog"."schema"."table"`. https://trino.io/docs/current/language/reserved.html
 */
import type { Dialect } from '../adapter.js';
import type { RelationName } from '../../manifest/types.js';
import { ansiFunctions, ansiLiteral, isPlainIdentifier, quoteIdentifierAnsi, quoteStringAnsi, type SqlFunctions } from '../ansi-sql.js';
import { trinoDdl } from './ddl.js';

/**
 * Trino's spellings of the cross-dialect helpers (the rest are the ANSI defaults; Trino has no QUALIFY,
 * `::`, `string_agg` or `regexp_matches`):
 * - dateadd: interval arithmetic `(x + (n) * interval '1' day)` (Trino's `date_add('day', n, x)` is equivalent)
 *   — https://trino.io/docs/current/functions/datetime.html
 * - datediff: `date_diff('day', a, b)` (whole elapsed units) — https://trino.io/docs/current/functions/datetime.html#date_diff
 * - safe_cast: `try_cast(x as t)` — https://trino.io/docs/current/functions/conversion.html#try_cast
 * - types: varchar, bigint, double, `timestamp(6)` (Trino's bare `timestamp` has millisecond precision)
 *   — https://trino.io/docs/current/language/types.html
 * - listagg: `listagg(x, sep) within group (order by o)` — https://trino.io/docs/current/functions/aggregate.html#listagg
 * - hash: `lower(to_hex(md5(to_utf8(x))))`, 32 lower-case hex characters (md5 works on varbinary)
 *   — https://trino.io/docs/current/functions/binary.html#md5
 * - regexp_like: `regexp_like(s, p)` (search) — https://trino.io/docs/current/functions/regexp.html#regexp_like
 * - any_value: `arbitrary(x)` — https://trino.io/docs/current/functions/aggregate.html#arbitrary
 * - bool_or: `bool_or(x)` — https://trino.io/docs/current/functions/aggregate.html#bool_or
 * - split_part: `split_part(s, d, n)` — https://trino.io/docs/current/functions/string.html#split_part
 */
export const trinoFunctions: SqlFunctions = Object.freeze({
  ...ansiFunctions,
  types: Object.freeze({ ...ansiFunctions.types, timestamp: 'timestamp(6)' }),
  hash: (expr: string) => `lower(to_hex(md5(to_utf8(${expr}))))`,
  anyValue: (expr: string) => `arbitrary(${expr})`,
});

/** The Trino dialect (stateless singleton). */
export const trinoDialect: Dialect = Object.freeze({
  name: 'trino',
  formatterLanguage: 'trino' as const,
  quoteIdentifier: quoteIdentifierAnsi,
  columnRef: (name: string) => (isPlainIdentifier(name) ? name : quoteIdentifierAnsi(name)),
  literal: (value: unknown) => ansiLiteral(value, quoteStringAnsi),
  relation: (r: RelationName) =>
    [r.database, r.schema, r.identifier].filter((p): p is string => !!p).map(quoteIdentifierAnsi).join('.'),
  ddl: trinoDdl,
  fn: trinoFunctions,
  // FLOAT is DOUBLE in Trino; REAL stays 4-byte (ANSI aliases cover the rest).
  typeAliases: Object.freeze({ float: 'double' }),
});
