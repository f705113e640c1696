/**
 * DuckDB's SQL text rules (its DDL is in ddl.ts). Identifiers: double quotes (case-preserving, matched
 * case-insensitively); strings: standard SQL literals (no backslash escapes).
 * https://duckdb.org/docs/stable/sql/dialect/keywords_and_identifiers
 */
import type { Dialect } from '../adapter.js';
import type { RelationName } from '../../manifest/types.js';
import { ansiFunctions, ansiLiteral, isPlainIdentifier, quoteIdentifierAnsi, quoteStringAnsi, type SqlFunctions } from '../ansi-sql.js';
import { duckdbDdl } from './ddl.js';

/**
 * DuckDB's spellings of the cross-dialect helpers: the ANSI defaults (see `ansiFunctions`), except
 * - listagg: `string_agg(expr, sep order by o)` — https://duckdb.org/docs/stable/sql/functions/aggregates#string_aggarg-sep
 *   (DuckDB's `listagg` is an alias without `within group`);
 * - regexp_like: `regexp_matches(s, p)` (search semantics) — https://duckdb.org/docs/stable/sql/functions/regular_expressions;
 * - hash: `md5(s)`, 32 lower-case hex characters — https://duckdb.org/docs/stable/sql/functions/text#md5string;
 * - any_value / bool_or as in the defaults — https://duckdb.org/docs/stable/sql/functions/aggregates;
 * - left / right: native — https://duckdb.org/docs/stable/sql/functions/text#leftstring-count;
 * - greatest / least: native, they skip NULLs — https://duckdb.org/docs/stable/sql/functions/numeric#greatestx1-x2-.
 */
export const duckdbFunctions: SqlFunctions = Object.freeze({
  ...ansiFunctions,
  listagg: (expr: string, separator: string, orderBy?: string) =>
    `string_agg(${expr}, ${separator}${orderBy ? ` order by ${orderBy}` : ''})`,
  regexpLike: (s: string, pattern: string) => `regexp_matches(${s}, ${pattern})`,
  // Without 'g' DuckDB replaces the first match only: https://duckdb.org/docs/stable/sql/functions/regular_expressions#regexp_replacestring-regex-replacement-options
  regexpReplace: (s: string, pattern: string, replacement: string) => `regexp_replace(${s}, ${pattern}, ${replacement}, 'g')`,
  greatest: (args: readonly string[]) => `greatest(${args.join(', ')})`,
  least: (args: readonly string[]) => `least(${args.join(', ')})`,
  left: (s: string, n: string) => `left(${s}, ${n})`,
  right: (s: string, n: string) => `right(${s}, ${n})`,
  split: (s: string, delimiter: string) => `string_split(${s}, ${delimiter})`,
  // https://duckdb.org/docs/stable/data/json/json_functions (json → json[] cast, json_extract_string)
  jsonArrayJoin: (json: string, alias: string, column: string) => `cross join unnest(cast(json(${json}) as json[])) as ${alias}(${column})`,
  jsonValue: (json: string, key: string) => `json_extract_string(${json}, '$.${key}')`,
});

/** The DuckDB dialect (stateless singleton). */
export const duckdbDialect: Dialect = Object.freeze({
  name: 'duckdb',
  formatterLanguage: 'duckdb' as const,
  quoteIdentifier: quoteIdentifierAnsi,
  columnRef: (name: string) => (isPlainIdentifier(name) ? name : quoteIdentifierAnsi(name)),
  literal: (value: unknown) => ansiLiteral(value, quoteStringAnsi),
  relation: (r: RelationName) =>
    [r.database, r.schema, r.identifier].filter((p): p is string => !!p).map(quoteIdentifierAnsi).join('.'),
  ddl: duckdbDdl,
  fileRelation: (file: string) => quoteStringAnsi(file),
  fn: duckdbFunctions,
  // FLOAT/FLOAT4 are 4-byte REAL in DuckDB: https://duckdb.org/docs/stable/sql/data_types/numeric
  typeAliases: Object.freeze({ float: 'real', float4: 'real', int32: 'integer', int64: 'bigint', int16: 'smallint', bpchar: 'varchar', char: 'varchar' }),
});
