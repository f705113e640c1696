/**
 * ANSI SQL text shared by dialects (DuckDB, Trino; Snowflake overrides string escaping): quoting,
 * literals and the DDL statements materializations use.
 * Follows SQL:2016 §5.3 <character string literal> (quote doubled) and §5.4 <delimited identifier>.
 */

import type { DynamicTableConfig } from '../manifest/node-configs.js';
import type { TableOptions } from './table-options.js';

/** Reserved words that must be quoted when used as column names in generated SQL (common subset). */
const RESERVED = new Set([
  'all', 'and', 'any', 'array', 'as', 'asc', 'between', 'both', 'by', 'case', 'cast', 'check', 'collate', 'column',
  'constraint', 'create', 'cross', 'current_date', 'current_time', 'current_timestamp', 'default', 'desc', 'distinct',
  'do', 'else', 'end', 'except', 'false', 'fetch', 'for', 'foreign', 'from', 'full', 'grant', 'group', 'having', 'in',
  'inner', 'intersect', 'into', 'is', 'join', 'lateral', 'leading', 'left', 'like', 'limit', 'natural', 'not', 'null',
  'offset', 'on', 'only', 'or', 'order', 'outer', 'primary', 'references', 'right', 'select', 'some', 'table', 'then',
  'to', 'trailing', 'true', 'union', 'unique', 'using', 'when', 'where', 'window', 'with', 'date', 'time', 'timestamp',
  'interval', 'user', 'values', 'year', 'month', 'day', 'hour', 'minute', 'second', 'rows', 'range', 'qualify',
]);

/** Doubles embedded double quotes: `a"b` → `"a""b"`. @throws Error for empty names or NUL bytes */
export function quoteIdentifierAnsi(name: string): string {
  if (name.length === 0) throw new Error('an identifier cannot be empty');
  if (name.includes('\0')) throw new Error('an identifier cannot contain a NUL byte');
  return `"${name.replace(/"/g, '""')}"`;
}

/** Whether a name can be written bare (lower-case letters, digits, underscores; not reserved). */
export function isPlainIdentifier(name: string): boolean {
  return /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name);
}

/**
 * Renders a JS value as an ANSI SQL literal.
 * @param quoteString how to quote a string (dialects differ on backslashes)
 * @throws Error for NaN/Infinity, functions, symbols and plain objects
 */
export function ansiLiteral(value: unknown, quoteString: (s: string) => string): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return quoteString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as an SQL literal`);
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new Error('cannot write an invalid Date as an SQL literal');
    return `TIMESTAMP '${value.toISOString().replace('T', ' ').replace('Z', '')}'`;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) throw new Error('cannot write an empty list as an SQL literal (IN () is invalid SQL)');
    return value.map((v) => ansiLiteral(v, quoteString)).join(', ');
  }
  throw new Error(`cannot write a ${typeof value} as an SQL literal: pass a string, number, boolean, date or list`);
}

/** Standard SQL string literal: single quotes, embedded quotes doubled, no backslash escapes. */
export function quoteStringAnsi(s: string): string {
  if (s.includes('\0')) throw new Error('a string literal cannot contain a NUL byte');
  return `'${s.replace(/'/g, "''")}'`;
}

/** Relation kinds materializations create and drop. */
export type RelationKind = 'table' | 'view';

/** DDL statements a materialization needs, as text. Dialects override what differs. */
export interface DdlRules {
  /**
   * `create table R as (<select>)` (the query in parentheses, so it cannot end the statement), with the
   * native table options the dialect applies ({@link tableOptionKeys}; see adapters/table-options.ts).
   */
  createTableAs(relation: string, select: string, options?: TableOptions): string;
  /** `create or replace table R as <select>`, for engines with `atomicReplaceTable` (optional). */
  createOrReplaceTableAs?(relation: string, select: string, options?: TableOptions): string;
  /** The table options this dialect writes into its DDL (none when absent); others are not applied. */
  readonly tableOptionKeys?: readonly (keyof TableOptions)[];
  /** `create or replace view R as (<select>)` (or an engine's equivalent wrapping) */
  createView(relation: string, select: string): string;
  /** `drop <kind> if exists R` */
  dropRelation(relation: string, kind: RelationKind): string;
  /** Renames `from` (qualified) to the bare identifier `toIdentifier` in the same schema. */
  renameRelation(from: string, toIdentifier: string, kind: RelationKind): string;
  /**
   * Exchanges two tables' contents and metadata in one atomic statement (Snowflake's
   * `alter table A swap with B`, https://docs.snowflake.com/en/sql-reference/sql/alter-table), used to
   * publish a staged table; absent where the engine has none (the swap is then drop + rename).
   */
  swapTables?(relation: string, other: string): string;
  /**
   * `create or replace dynamic table R target_lag = '…' warehouse = W [refresh_mode = …] [initialize = …]
   * as <select>` (Snowflake, https://docs.snowflake.com/en/sql-reference/sql/create-dynamic-table): the
   * `dynamic_table` materialization; absent where the engine has none (the parse phase refuses the model).
   */
  createDynamicTable?(relation: string, select: string, config: DynamicTableConfig): string;
  /**
   * `create or replace materialized view R … as <select>` with the table options the dialect applies to
   * materialized views ({@link materializedViewOptionKeys}): the `materialized_view` materialization;
   * absent where the engine has none.
   */
  createMaterializedView?(relation: string, select: string, options?: TableOptions): string;
  /** The table options {@link createMaterializedView} writes (none when absent). */
  readonly materializedViewOptionKeys?: readonly (keyof TableOptions)[];
  /**
   * The statement that fills a materialized view after it is (re)created, where creating it leaves it
   * stale (Trino's `refresh materialized view R`); absent where creating it fills it (Snowflake).
   */
  refreshMaterializedView?(relation: string): string;
  /**
   * `grant <privilege> on <relation> to <grantee>` for the `grants:` config; absent on engines without
   * GRANT (DuckDB). `privilege` is validated by the caller ({@link checkPrivilege}); `grantee.name` is
   * already quoted; `grantee.type` undefined means the engine's usual principal (Snowflake: a role,
   * Trino: a user).
   * @throws Error for a principal kind the engine can't grant to
   */
  grant?(relation: string, kind: RelationKind, privilege: string, grantee: { readonly type?: 'role' | 'user'; readonly name: string }): string;
}

/**
 * Validates a privilege name of a `grants:` config (`select`, `insert`, `all privileges`, ...): letters,
 * underscores and single spaces only, so it can be written into a GRANT statement as is.
 * @returns the privilege in lower case
 * @throws Error for anything else
 */
export function checkPrivilege(privilege: string): string {
  const p = String(privilege).trim();
  if (!/^[A-Za-z][A-Za-z_]*( [A-Za-z_]+)*$/.test(p)) throw new Error(`'${privilege}' is not a privilege name (e.g. select, insert, all privileges)`);
  return p.toLowerCase();
}

/** ANSI DDL (DuckDB, Trino and Postgres accept these forms). */
export const ansiDdl: DdlRules = Object.freeze({
  // The query is wrapped in parentheses: a body smuggling a second statement (`select 1; drop ...`) is a
  // syntax error instead of a second statement.
  createTableAs: (relation: string, select: string) => `create table ${relation} as (\n${select}\n)`,
  createView: (relation: string, select: string) => `create or replace view ${relation} as (\n${select}\n)`,
  dropRelation: (relation: string, kind: RelationKind) => `drop ${kind} if exists ${relation}`,
  renameRelation: (from: string, toIdentifier: string, kind: RelationKind) => `alter ${kind} ${from} rename to ${toIdentifier}`,
});

/**
 * Date parts accepted by the cross-dialect date helpers (`dateadd`, `datediff`, `date_trunc`). Every
 * engine Weir supports knows all of them; anything else is rejected before SQL is written.
 */
export const DATE_PARTS = ['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second'] as const;
/** One of {@link DATE_PARTS}. */
export type DatePart = (typeof DATE_PARTS)[number];

/**
 * Validates a date part name (case-insensitive) against {@link DATE_PARTS}.
 * @throws Error naming the allowed parts
 */
export function checkDatePart(part: string): DatePart {
  const p = String(part).toLowerCase();
  if (!(DATE_PARTS as readonly string[]).includes(p)) {
    throw new Error(`unknown date part '${part}': use one of ${DATE_PARTS.join(', ')}`);
  }
  return p as DatePart;
}

/**
 * Validates an SQL type name given to `safe_cast` (letters, digits, `_`, spaces, and a parenthesized
 * precision such as `decimal(18, 2)`), so that a type argument cannot smuggle in other SQL.
 * @throws Error for anything else
 */
export function checkTypeName(type: string): string {
  const t = String(type).trim();
  if (!/^[A-Za-z][A-Za-z0-9_ ]*(\(\s*\d+\s*(,\s*\d+\s*)?\))?$/.test(t)) {
    throw new Error(`'${type}' is not an SQL type name (e.g. bigint, date, decimal(18, 2), or {{type_int}})`);
  }
  return t;
}

/**
 * SQL builders for the cross-dialect helpers (`{{dateadd "day" 1 "x"}}`, ...). Every argument is SQL
 * text (an expression) and is spliced in parenthesized where precedence could matter, except date
 * parts, which callers validate with {@link checkDatePart} first. Dialects start from
 * {@link ansiFunctions} and override what their engine spells differently.
 */
export interface SqlFunctions {
  /** `expr` plus `n` (an integer expression) units of `part`. */
  dateadd(part: DatePart, n: string, expr: string): string;
  /** Number of `part` units from `start` to `end`. */
  datediff(part: DatePart, start: string, end: string): string;
  /** `expr` truncated to `part`. */
  dateTrunc(part: DatePart, expr: string): string;
  /** `expr` cast to `type`, NULL when the cast fails. */
  safeCast(expr: string, type: string): string;
  /** Portable type names: text, 64-bit integer, double precision, timestamp without time zone. */
  readonly types: { readonly string: string; readonly int: string; readonly float: string; readonly timestamp: string };
  /** String concatenation, NULL when any part is NULL (`||` semantics on every engine). */
  concat(parts: readonly string[]): string;
  /** The `n`-th (1-based) field of `s` split on `delimiter`. */
  splitPart(s: string, delimiter: string, n: string): string;
  /** Aggregates `expr` into one string separated by `separator`, ordered by `orderBy` when given. NULLs skipped. */
  listagg(expr: string, separator: string, orderBy?: string): string;
  /** The current timestamp of the statement. */
  currentTimestamp(): string;
  /** MD5 of a string as 32 lower-case hex characters. */
  hash(expr: string): string;
  /** Whether the regular expression `pattern` matches anywhere in `s` (search, not whole-string match). */
  regexpLike(s: string, pattern: string): string;
  /** Any one value of `expr` in the group. */
  anyValue(expr: string): string;
  /** `s` with every match of `pattern` replaced by `replacement` (no back-references: their syntax differs). */
  regexpReplace(s: string, pattern: string, replacement: string): string;
  /** Capture group `group` of the first match of `pattern` in `s` (no match: '' on DuckDB, NULL elsewhere). */
  regexpExtract(s: string, pattern: string, group: string): string;
  /** TRUE when `expr` is TRUE for at least one row of the group. */
  boolOr(expr: string): string;
  /** The parts joined by `separator`, NULL parts skipped (DuckDB/Trino `concat_ws` semantics); all NULL → ''. */
  concatWs(separator: string, parts: readonly string[]): string;
  /** The largest non-NULL argument; NULL only when all are NULL (DuckDB's `greatest`). */
  greatest(args: readonly string[]): string;
  /** The smallest non-NULL argument; NULL only when all are NULL (DuckDB's `least`). */
  least(args: readonly string[]): string;
  /** The first `n` characters of `s` (all of it when shorter; `n` ≥ 0). */
  left(s: string, n: string): string;
  /** The last `n` characters of `s` (all of it when shorter; `n` ≥ 0). */
  right(s: string, n: string): string;
  /** Whether `s` starts with `prefix` (NULL when either is NULL). */
  startsWith(s: string, prefix: string): string;
  /** Base-2 logarithm of `x`. */
  log2(x: string): string;
  /** `s` split on `delimiter` into an array of strings (for {@link unnestJoin}). */
  split(s: string, delimiter: string): string;
  /**
   * A join clause giving one row per element of the string array `array` (NULL or empty: no row), the
   * element readable as `alias.column` (varchar). Written after a FROM item: `from t as s {{unnest_join ...}}`.
   * `alias` and `column` are plain identifiers (checked by the caller).
   */
  unnestJoin(array: string, alias: string, column: string): string;
  /**
   * A join clause giving one row per element of the JSON array in the text `json` (NULL: no row), the
   * element (a JSON value) readable as `alias.column` by {@link jsonValue}.
   */
  jsonArrayJoin(json: string, alias: string, column: string): string;
  /** The scalar member `key` (a plain identifier) of the JSON object `json` as varchar. */
  jsonValue(json: string, key: string): string;
}

/** `(expr)` unless `expr` is a plain identifier, qualified name, number or string literal. */
export function paren(expr: string): string {
  const e = expr.trim();
  if (/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(e) || /^-?\d+(\.\d+)?$/.test(e) || /^'(?:[^']|'')*'$/.test(e)) return e;
  return `(${e})`;
}

/** Interval of one `part` as an ANSI literal (ANSI has no QUARTER or WEEK intervals: 3 months, 7 days). */
function unitInterval(part: DatePart): string {
  if (part === 'quarter') return `interval '3' month`;
  if (part === 'week') return `interval '7' day`;
  return `interval '1' ${part}`;
}

/**
 * The shared spellings (DuckDB and Trino agree on these; Snowflake overrides several):
 * - dateadd: `(expr + (n) * interval '1' day)` — interval arithmetic, which DuckDB
 *   (https://duckdb.org/docs/stable/sql/functions/interval) and Trino
 *   (https://trino.io/docs/current/functions/datetime.html, "Interval functions"/operators) both accept.
 * - datediff: `date_diff('day', start, end)` (https://duckdb.org/docs/stable/sql/functions/date#date_diffpart-startdate-enddate,
 *   https://trino.io/docs/current/functions/datetime.html#date_diff). Semantics differ below the part:
 *   DuckDB counts part boundaries crossed, Trino counts whole elapsed units; equal for `day` on DATEs and
 *   for `second` on timestamps without fractional seconds.
 * - date_trunc: `date_trunc('day', expr)` (all three engines).
 * - safe_cast: `try_cast(expr as type)` (https://duckdb.org/docs/stable/sql/expressions/cast#try_cast,
 *   https://trino.io/docs/current/functions/conversion.html#try_cast).
 * - concat: `(a || b)` — the `||` operator is NULL-propagating on all engines (DuckDB's `concat()` skips NULLs, so it is not used).
 * - split_part: `split_part(s, delimiter, n)` (all three engines; out of range: '' on DuckDB/Snowflake, NULL on Trino).
 * - current_timestamp: `current_timestamp`.
 * - any_value / bool_or: `any_value(x)`, `bool_or(x)` (DuckDB aggregate names).
 * - regexp_replace: `regexp_replace(s, p, r)` replaces every match on Trino and Snowflake
 *   (https://trino.io/docs/current/functions/regexp.html#regexp_replace); DuckDB needs the `'g'` flag.
 * - regexp_extract: `regexp_extract(s, p, group)` (DuckDB, Trino).
 * - concat_ws: `concat_ws(sep, a, b)`, which skips NULL parts on DuckDB
 *   (https://duckdb.org/docs/stable/sql/functions/text#concat_wsseparator-string-) and Trino
 *   (https://trino.io/docs/current/functions/string.html#concat_ws).
 * - listagg: `listagg(x, sep) within group (order by o)`; Trino's grammar requires WITHIN GROUP
 *   (https://trino.io/docs/current/functions/aggregate.html#listagg), so without `order_by` the values are
 *   ordered by themselves (an order the other engines leave unspecified).
 * - left / right: `substr(s, 1, n)` and `substr(s, greatest(length(s) - (n) + 1, 1))` — Trino has no
 *   LEFT/RIGHT functions (https://trino.io/docs/current/functions/string.html#substr); DuckDB and
 *   Snowflake override with their native `left`/`right`.
 * - starts_with: `starts_with(s, prefix)` (DuckDB, https://trino.io/docs/current/functions/string.html#starts_with).
 * - log2: `log2(x)` (DuckDB, https://trino.io/docs/current/functions/math.html#log2).
 * - split / unnest_join: `split(s, d)` and `cross join unnest(arr) as u(k)` — Trino
 *   (https://trino.io/docs/current/functions/string.html#split, https://trino.io/docs/current/sql/select.html#unnest);
 *   DuckDB reads the same (`split` is its alias of `string_split`), but spells it `string_split`.
 * - json_array_join / json_value: `cross join unnest(cast(json_parse(t) as array(json))) as u(v)` and
 *   `json_extract_scalar(v, '$.key')` — https://trino.io/docs/current/functions/json.html#cast-to-json.
 * - greatest / least ignoring NULLs: `greatest(coalesce(a, b), coalesce(b, a))` — each argument falls back
 *   to the others, so a NULL never wins and the result is NULL only when all are; this is needed on Trino,
 *   whose greatest/least return NULL when any argument is NULL
 *   (https://trino.io/docs/current/functions/comparison.html#greatest-and-least). DuckDB overrides it.
 */
export const ansiFunctions: SqlFunctions = Object.freeze({
  dateadd: (part: DatePart, n: string, expr: string) => `(${paren(expr)} + ${paren(n)} * ${unitInterval(part)})`,
  datediff: (part: DatePart, start: string, end: string) => `date_diff('${part}', ${start}, ${end})`,
  dateTrunc: (part: DatePart, expr: string) => `date_trunc('${part}', ${expr})`,
  safeCast: (expr: string, type: string) => `try_cast(${expr} as ${type})`,
  types: Object.freeze({ string: 'varchar', int: 'bigint', float: 'double', timestamp: 'timestamp' }),
  concat: (parts: readonly string[]) => `(${parts.map(paren).join(' || ')})`,
  splitPart: (s: string, delimiter: string, n: string) => `split_part(${s}, ${delimiter}, ${n})`,
  listagg: (expr: string, separator: string, orderBy?: string) =>
    `listagg(${expr}, ${separator}) within group (order by ${orderBy ?? expr})`,
  currentTimestamp: () => 'current_timestamp',
  hash: (expr: string) => `md5(${expr})`,
  regexpLike: (s: string, pattern: string) => `regexp_like(${s}, ${pattern})`,
  anyValue: (expr: string) => `any_value(${expr})`,
  regexpReplace: (s: string, pattern: string, replacement: string) => `regexp_replace(${s}, ${pattern}, ${replacement})`,
  regexpExtract: (s: string, pattern: string, group: string) => `regexp_extract(${s}, ${pattern}, ${group})`,
  boolOr: (expr: string) => `bool_or(${expr})`,
  concatWs: (separator: string, parts: readonly string[]) => `concat_ws(${separator}, ${parts.join(', ')})`,
  greatest: (args: readonly string[]) => `greatest(${nullSafeArgs(args).join(', ')})`,
  least: (args: readonly string[]) => `least(${nullSafeArgs(args).join(', ')})`,
  left: (s: string, n: string) => `substr(${s}, 1, ${n})`,
  right: (s: string, n: string) => `substr(${s}, greatest(length(${s}) - ${paren(n)} + 1, 1))`,
  startsWith: (s: string, prefix: string) => `starts_with(${s}, ${prefix})`,
  log2: (x: string) => `log2(${x})`,
  split: (s: string, delimiter: string) => `split(${s}, ${delimiter})`,
  unnestJoin: (array: string, alias: string, column: string) => `cross join unnest(${array}) as ${alias}(${column})`,
  jsonArrayJoin: (json: string, alias: string, column: string) => `cross join unnest(cast(json_parse(${json}) as array(json))) as ${alias}(${column})`,
  jsonValue: (json: string, key: string) => `json_extract_scalar(${json}, '$.${key}')`,
});

/** Each argument coalesced with the others (`a, b` → `coalesce(a, b), coalesce(b, a)`), so NULLs never decide greatest/least. */
function nullSafeArgs(args: readonly string[]): string[] {
  if (args.length < 2) return [...args];
  return args.map((a, i) => `coalesce(${[a, ...args.filter((_, j) => j !== i)].join(', ')})`);
}
