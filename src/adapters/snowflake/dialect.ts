/**
 * Snowflake's SQL text rules (its DDL is in ddl.ts).
 *
 * Identifiers: Snowflake folds unquoted identifiers to upper case and matches quoted ones exactly
 * (https://docs.snowflake.com/en/sql-reference/identifiers-syntax). Weir therefore renders every
 * identifier it generates (relations, seed columns, quoted column references) **upper-cased and
 * double-quoted**: `analytics.orders` → `"ANALYTICS"."ORDERS"`. That names the same object as the
 * unquoted `analytics.orders` a user writes in hand-written SQL, while reserved words and special
 * characters stay safe. Plain lower-case column names are written bare (Snowflake folds them to the same
 * upper-case name). Consequence: two names differing only by case are the same object on Snowflake.
 *
 * Strings: Snowflake treats `\` as an escape character inside single-quoted literals
 * (https://docs.snowflake.com/en/sql-reference/data-types-text#escape-sequences-in-single-quoted-string-constants),
 * so backslashes are doubled as well as quotes.
 */
import type { Dialect } from '../adapter.js';
import type { RelationName } from '../../manifest/types.js';
import { ansiFunctions, ansiLiteral, isPlainIdentifier, type DatePart, type SqlFunctions } from '../ansi-sql.js';
import { snowflakeDdl, type SnowflakeDdlOptions } from './ddl.js';

/**
 * Snowflake's spellings of the cross-dialect helpers (the rest are the ANSI defaults):
 * - dateadd: `dateadd(day, n, expr)` — https://docs.snowflake.com/en/sql-reference/functions/dateadd
 * - datediff: `datediff(day, start, end)` (counts part boundaries, like DuckDB) — https://docs.snowflake.com/en/sql-reference/functions/datediff
 * - date_trunc: `date_trunc('day', expr)` — https://docs.snowflake.com/en/sql-reference/functions/date_trunc
 * - safe_cast: `try_cast(cast(expr as varchar) as type)`: Snowflake's TRY_CAST only accepts string input
 *   — https://docs.snowflake.com/en/sql-reference/functions/try_cast
 * - types: varchar, bigint, double, timestamp_ntz — https://docs.snowflake.com/en/sql-reference/intro-summary-data-types
 * - listagg: `nullif(listagg(expr, sep) within group (order by o), '')` — Snowflake returns '' where
 *   DuckDB and Trino return NULL (a group whose values are all NULL); the nullif also turns a group whose
 *   only value is '' into NULL, the one case where the engines still differ — https://docs.snowflake.com/en/sql-reference/functions/listagg
 * - current_timestamp: `current_timestamp()` — https://docs.snowflake.com/en/sql-reference/functions/current_timestamp
 * - hash: `md5(expr)`, 32 lower-case hex characters — https://docs.snowflake.com/en/sql-reference/functions/md5
 * - regexp_like: `(regexp_instr(s, p) > 0)`, because Snowflake's REGEXP_LIKE implicitly anchors the
 *   pattern at both ends (https://docs.snowflake.com/en/sql-reference/functions/regexp_like) while
 *   DuckDB's regexp_matches and Trino's regexp_like search — https://docs.snowflake.com/en/sql-reference/functions/regexp_instr
 * - any_value: `any_value(x)` — https://docs.snowflake.com/en/sql-reference/functions/any_value
 * - bool_or: `boolor_agg(x)` — https://docs.snowflake.com/en/sql-reference/functions/boolor_agg
 * - split_part: `split_part(s, d, n)` — https://docs.snowflake.com/en/sql-reference/functions/split_part
 * - concat_ws skipping NULLs: `array_to_string(array_construct_compact(a, b), sep)`, because Snowflake's
 *   CONCAT_WS returns NULL when any part is NULL (https://docs.snowflake.com/en/sql-reference/functions/concat_ws);
 *   ARRAY_CONSTRUCT_COMPACT drops NULLs — https://docs.snowflake.com/en/sql-reference/functions/array_construct_compact,
 *   https://docs.snowflake.com/en/sql-reference/functions/array_to_string
 * - greatest / least skipping NULLs: `greatest_ignore_nulls(...)` / `least_ignore_nulls(...)`, because
 *   Snowflake's GREATEST/LEAST return NULL when any argument is NULL —
 *   https://docs.snowflake.com/en/sql-reference/functions/greatest_ignore_nulls
 * - left / right: native — https://docs.snowflake.com/en/sql-reference/functions/left, https://docs.snowflake.com/en/sql-reference/functions/right
 * - starts_with: `startswith(s, prefix)` — https://docs.snowflake.com/en/sql-reference/functions/startswith
 * - log2: `log(2, x)` (Snowflake has no LOG2) — https://docs.snowflake.com/en/sql-reference/functions/log
 * - split / unnest_join: `split(s, d)` and a LATERAL inline view over `TABLE(FLATTEN(INPUT => arr))` whose
 *   `value` is cast to varchar — https://docs.snowflake.com/en/sql-reference/functions/split,
 *   https://docs.snowflake.com/en/sql-reference/functions/flatten, https://docs.snowflake.com/en/sql-reference/constructs/join-lateral
 * - json_array_join / json_value: FLATTEN over `parse_json(t)`, `cast(get(v, 'key') as varchar)` —
 *   https://docs.snowflake.com/en/sql-reference/functions/parse_json, https://docs.snowflake.com/en/sql-reference/functions/get
 * Patterns are string literals, and Snowflake treats `\` as an escape in literals: write regex
 * patterns with `{{literal "..."}}` so the backslashes are doubled.
 */
export const snowflakeFunctions: SqlFunctions = Object.freeze({
  ...ansiFunctions,
  dateadd: (part: DatePart, n: string, expr: string) => `dateadd(${part}, ${n}, ${expr})`,
  datediff: (part: DatePart, start: string, end: string) => `datediff(${part}, ${start}, ${end})`,
  safeCast: (expr: string, type: string) => `try_cast(cast(${expr} as varchar) as ${type})`,
  types: Object.freeze({ ...ansiFunctions.types, timestamp: 'timestamp_ntz' }),
  currentTimestamp: () => 'current_timestamp()',
  regexpLike: (s: string, pattern: string) => `(regexp_instr(${s}, ${pattern}) > 0)`,
  boolOr: (expr: string) => `boolor_agg(${expr})`,
  // https://docs.snowflake.com/en/sql-reference/functions/regexp_substr ('e' extracts a capture group)
  regexpExtract: (s: string, pattern: string, group: string) => `regexp_substr(${s}, ${pattern}, 1, 1, 'e', ${group})`,
  listagg: (expr: string, separator: string, orderBy?: string) =>
    `nullif(listagg(${expr}, ${separator})${orderBy ? ` within group (order by ${orderBy})` : ''}, '')`,
  concatWs: (separator: string, parts: readonly string[]) => `array_to_string(array_construct_compact(${parts.join(', ')}), ${separator})`,
  greatest: (args: readonly string[]) => `greatest_ignore_nulls(${args.join(', ')})`,
  least: (args: readonly string[]) => `least_ignore_nulls(${args.join(', ')})`,
  left: (s: string, n: string) => `left(${s}, ${n})`,
  right: (s: string, n: string) => `right(${s}, ${n})`,
  startsWith: (s: string, prefix: string) => `startswith(${s}, ${prefix})`,
  log2: (x: string) => `log(2, ${x})`,
  unnestJoin: (array: string, alias: string, column: string) =>
    `cross join lateral (select cast(f.value as varchar) as ${column} from table(flatten(input => ${array})) as f) as ${alias}`,
  jsonArrayJoin: (json: string, alias: string, column: string) =>
    `cross join lateral (select f.value as ${column} from table(flatten(input => parse_json(${json}))) as f) as ${alias}`,
  jsonValue: (json: string, key: string) => `cast(get(${json}, '${key}') as varchar)`,
});

/**
 * Quotes an identifier the Snowflake way Weir uses: upper-cased, double-quoted, embedded quotes doubled.
 * @throws Error for empty names or NUL bytes
 */
export function quoteSnowflakeIdentifier(name: string): string {
  if (name.length === 0) throw new Error('an identifier cannot be empty');
  if (name.includes('\0')) throw new Error('an identifier cannot contain a NUL byte');
  return `"${name.toUpperCase().replace(/"/g, '""')}"`;
}

/**
 * A Snowflake string literal: single quotes, backslashes and quotes escaped (`it's a\b` → `'it''s a\\b'`).
 * @throws Error for NUL bytes
 */
export function quoteSnowflakeString(s: string): string {
  if (s.includes('\0')) throw new Error('a string literal cannot contain a NUL byte');
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** A column reference: bare when a plain lower-case identifier (Snowflake folds it to upper case), quoted otherwise. */
function snowflakeColumnRef(name: string): string {
  return isPlainIdentifier(name) ? name : quoteSnowflakeIdentifier(name);
}

/**
 * Snowflake's type synonyms: every exact numeric is NUMBER (result metadata says FIXED), every float is
 * FLOAT (REAL in metadata), every string VARCHAR (TEXT), TIMESTAMP is TIMESTAMP_NTZ by default.
 * https://docs.snowflake.com/en/sql-reference/intro-summary-data-types
 */
export const SNOWFLAKE_TYPE_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  ...Object.fromEntries(['number', 'decimal', 'numeric', 'dec', 'int', 'integer', 'bigint', 'smallint', 'tinyint', 'byteint', 'fixed', 'int4', 'int8', 'int2'].map((t) => [t, 'number'])),
  ...Object.fromEntries(['float', 'float4', 'float8', 'double', 'double precision', 'real'].map((t) => [t, 'float'])),
  ...Object.fromEntries(['varchar', 'string', 'text', 'char', 'character', 'nvarchar', 'nchar', 'char varying', 'character varying'].map((t) => [t, 'varchar'])),
  timestamp: 'timestamp_ntz', datetime: 'timestamp_ntz', timestamp_ntz: 'timestamp_ntz', 'timestamp without time zone': 'timestamp_ntz',
  timestamp_tz: 'timestamp_tz', 'timestamp with time zone': 'timestamp_tz', timestamptz: 'timestamp_tz', timestamp_ltz: 'timestamp_ltz',
});

/**
 * The Snowflake dialect for given DDL options (the adapter builds one per target).
 * @param options `transient` makes table DDL create transient tables
 */
export function makeSnowflakeDialect(options: SnowflakeDdlOptions = {}): Dialect {
  return Object.freeze({
    name: 'snowflake',
    formatterLanguage: 'snowflake' as const,
    quoteIdentifier: quoteSnowflakeIdentifier,
    columnRef: snowflakeColumnRef,
    literal: (value: unknown) => ansiLiteral(value, quoteSnowflakeString),
    relation: (r: RelationName) =>
      [r.database, r.schema, r.identifier].filter((p): p is string => !!p).map(quoteSnowflakeIdentifier).join('.'),
    ddl: snowflakeDdl(options, snowflakeColumnRef),
    fn: snowflakeFunctions,
    typeAliases: SNOWFLAKE_TYPE_ALIASES,
  });
}

/** The Snowflake dialect with permanent tables (used for compiling without a target's options). */
export const snowflakeDialect: Dialect = makeSnowflakeDialect();
