/**
 * Finding function calls in SQL text: the call sites of given function names (a bare name followed by
 * `(`, not a CTE name, an alias column list or a qualified name) with their argument spans (parentheses
 * matched), aggregate calls, and splicing replacements into the text.
 */
import { isPunct, isWord, type SqlStructure } from './tokenize.js';

/** One function call site. Token indexes are into {@link SqlStructure.tokens} (significant tokens only). */
export interface SqlCall {
  /** Lower-case function name. */
  readonly name: string;
  /** Index of the name token. */
  readonly nameIdx: number;
  /** Index of the `(` and of its matching `)`. */
  readonly open: number;
  readonly close: number;
  /** Character span of the whole call, name to `)`. */
  readonly start: number;
  readonly end: number;
  /** Argument texts (trimmed), in order; empty for `f()`. */
  readonly args: readonly string[];
}

/** Words after which `name(` is not a function call (`as u(x)`, `create table t(`, `insert into t(`). */
const NOT_CALL_AFTER = new Set(['as', 'table', 'into', 'view', 'function', 'exists', 'recursive', 'with']);

/**
 * Finds the call sites of the given functions (names matched case-insensitively; bare identifiers only —
 * a quoted `"f"(x)` or qualified `s.f(x)` is not a call of a project function such as a UDF).
 * @param names lower-case function names
 */
export function findCalls(s: SqlStructure, names: ReadonlySet<string>): SqlCall[] {
  const { tokens: tk, match, sql } = s;
  const out: SqlCall[] = [];
  for (let i = 0; i < tk.length - 1; i++) {
    const t = tk[i];
    if (t.kind !== 'word' || !names.has(t.text.toLowerCase()) || !isPunct(tk[i + 1], '(')) continue;
    const close = match[i + 1];
    if (close < 0) continue;
    if (isPunct(tk[i - 1], '.')) continue;
    if (tk[i - 1]?.kind === 'word' && NOT_CALL_AFTER.has(tk[i - 1].text.toLowerCase())) continue;
    // A CTE with a column list: `name(a, b) as (select ...)` / `as materialized (`.
    if (isWord(tk[close + 1], 'as') && (isPunct(tk[close + 2], '(') || isWord(tk[close + 2], 'materialized', 'not'))) continue;
    const args: string[] = [];
    let from = i + 2;
    for (let j = i + 2; j <= close; j++) {
      if (j === close || (isPunct(tk[j], ',') && s.parent[j] === i + 1)) {
        if (j > from) args.push(sql.slice(tk[from].start, tk[j - 1].end).trim());
        else if (j !== close || args.length) args.push('');
        from = j + 1;
      }
    }
    out.push({ name: t.text.toLowerCase(), nameIdx: i, open: i + 1, close, start: t.start, end: tk[close].end, args });
  }
  return out;
}

/** Replaces character spans (non-overlapping) with texts. */
export function replaceSpans(sql: string, edits: readonly { start: number; end: number; text: string }[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  let out = sql;
  let last = Infinity;
  for (const e of sorted) {
    if (e.end > last) throw new Error(`overlapping SQL edits at ${e.start}..${e.end}`);
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    last = e.start;
  }
  return out;
}

/** Aggregate functions whose argument makes a call depend on rows, not groups (Trino, DuckDB, Snowflake names). */
export const AGGREGATES = new Set([
  'sum', 'avg', 'min', 'max', 'count', 'count_if', 'any_value', 'arbitrary', 'first', 'last', 'bool_or', 'bool_and', 'every',
  'string_agg', 'listagg', 'array_agg', 'list', 'group_concat', 'median', 'mode', 'stddev', 'stddev_pop', 'stddev_samp',
  'variance', 'var_pop', 'var_samp', 'approx_distinct', 'approx_count_distinct', 'approx_percentile', 'approx_quantile',
  'quantile', 'quantile_cont', 'quantile_disc', 'percentile_cont', 'percentile_disc', 'corr', 'covar_pop', 'covar_samp',
  'max_by', 'min_by', 'arg_max', 'arg_min', 'histogram', 'map_agg', 'checksum', 'geometric_mean', 'product', 'entropy',
]);

/** Whether tokens [a, b) hold an aggregate or window function call (not valid in WHERE). */
export function hasAggregateOrWindow(s: SqlStructure, a: number, b: number): boolean {
  for (let j = a; j < b; j++) {
    const t = s.tokens[j];
    if (t.kind !== 'word') continue;
    if (t.text.toLowerCase() === 'over') return true;
    if (AGGREGATES.has(t.text.toLowerCase()) && isPunct(s.tokens[j + 1], '(')) return true;
  }
  return false;
}

/** Whether a call's arguments contain an aggregate function call (not a window function). */
export function argsAggregate(s: SqlStructure, call: SqlCall): boolean {
  const tk = s.tokens;
  for (let j = call.open + 1; j < call.close; j++) {
    if (tk[j].kind !== 'word' || !AGGREGATES.has(tk[j].text.toLowerCase()) || !isPunct(tk[j + 1], '(')) continue;
    const close = s.match[j + 1];
    if (!isWord(tk[close + 1], 'over')) return true;
  }
  return false;
}
