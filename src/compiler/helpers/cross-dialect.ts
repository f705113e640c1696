/**
 * The cross-dialect SQL helpers (`dateadd`, `safe_cast`, `listagg`, ...): each renders through the node's
 * target dialect (`dialect.fn`), so one model compiles for every engine.
 */
import type Handlebars from 'handlebars';
import { checkDatePart, checkTypeName } from '../../adapters/ansi-sql.js';
import { isTainted, originOf } from '../untrusted.js';
import { HelperError, positional, state, unwrap, type HelperOptions } from './render-state.js';

/** An SQL-expression argument of a cross-dialect helper: a non-empty string, or a number. */
export function sqlArg(helper: string, what: string, v: unknown): string {
  if (isTainted(v)) {
    throw new HelperError(`${helper}: ${what} would be a string from ${originOf(v)} used as SQL unquoted (SQL injection): pass it through literal, e.g. {{${helper} ... (literal (${originOf(v)})) ...}}`, new RegExp(`\\{\\{\\s*${helper}\\b`));
  }
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'string' && v.trim() !== '') return v;
  throw new HelperError(`${helper}: ${what} must be an SQL expression in quotes, e.g. {{${helper} ${HELPER_USAGE[helper] ?? '...'}}}`, new RegExp(`\\{\\{\\s*${helper}\\b`));
}

/** Example arguments per cross-dialect helper, for error messages. */
const HELPER_USAGE: Readonly<Record<string, string>> = {
  dateadd: '"day" 7 "o.order_date"', datediff: '"day" "first_at" "last_at"', date_trunc: '"month" "order_ts"',
  safe_cast: '"trim(birth_date)" "date"', concat: '"first_name" "\' \'" "last_name"', split_part: '"name" "\' \'" 1',
  listagg: '"page_path" "\' > \'" order_by="page_sequence"', hash: '"email"', regexp_like: '"email" "\'@\'"',
  regexp_replace: '"phone" "\'[^0-9]\'" "\'\'"', regexp_extract: '"from_address" "\'<([^>]+)>\'" 1',
  any_value: '"variant"', bool_or: '"is_purchase"', concat_ws: '"\' \'" "first_name" "middle_name" "last_name"',
  greatest: '"e.event_ts" "s.started_at"', least: '"a" "b"', left: '"email" 3', right: '"phone" 8',
  starts_with: '"path" "\'/docs\'"', log2: '"1 / f.expected"', split: '"keys" "\'|\'"',
  unnest_join: '(split "s.keys" "\'|\'") "u" "k"', json_array_join: '"e.pii" "u" "x"', json_value: '"u.x" "entity_type"',
};

/**
 * Registers the cross-dialect SQL helpers. Each renders through `dialect.fn` of the node's target, so
 * the same model compiles for every engine; the compiler itself never names an engine. Arguments are
 * SQL expressions (strings; numbers allowed), date parts are checked against `DATE_PARTS`, and type
 * names of `safe_cast` against `checkTypeName`. Spellings and doc links: `src/adapters/ansi-sql.ts`
 * (shared) and each `src/adapters/<engine>/dialect.ts`.
 */
export function registerCrossDialect(hb: typeof Handlebars): void {
  const fnOf = (args: unknown[]) => state(args).dialect.fn;
  const part = (helper: string, v: unknown) => {
    try {
      return checkDatePart(String(v));
    } catch (e) {
      throw new HelperError(`${helper}: ${(e as Error).message}`, new RegExp(`\\{\\{\\s*${helper}\\b`));
    }
  };
  const arity = (helper: string, vals: unknown[], min: number, max = min) => {
    if (vals.length < min || vals.length > max) {
      throw new HelperError(`${helper} takes ${min === max ? min : `${min} to ${max}`} argument(s), got ${vals.length}: e.g. {{${helper} ${HELPER_USAGE[helper] ?? ''}}}`, new RegExp(`\\{\\{\\s*${helper}\\b`));
    }
  };
  const def = (name: string, min: number, max: number, render: (vals: unknown[], args: unknown[]) => string) => {
    hb.registerHelper(name, (...args: unknown[]) => {
      const vals = positional(args);
      arity(name, vals, min, max);
      return render(vals, args);
    });
  };
  def('dateadd', 3, 3, ([p, n, e], a) => fnOf(a).dateadd(part('dateadd', p), sqlArg('dateadd', 'the amount', n), sqlArg('dateadd', 'the date', e)));
  def('datediff', 3, 3, ([p, s, e], a) => fnOf(a).datediff(part('datediff', p), sqlArg('datediff', 'the start', s), sqlArg('datediff', 'the end', e)));
  def('date_trunc', 2, 2, ([p, e], a) => fnOf(a).dateTrunc(part('date_trunc', p), sqlArg('date_trunc', 'the date', e)));
  def('safe_cast', 2, 2, ([e, t], a) => {
    let type: string;
    try {
      type = checkTypeName(String(t));
    } catch (err) {
      throw new HelperError(`safe_cast: ${(err as Error).message}`, /\{\{\s*safe_cast\b/);
    }
    return fnOf(a).safeCast(sqlArg('safe_cast', 'the value', e), type);
  });
  for (const k of ['string', 'int', 'float', 'timestamp'] as const) def(`type_${k}`, 0, 0, (_v, a) => fnOf(a).types[k]);
  def('concat', 2, 100, (vals, a) => fnOf(a).concat(vals.map((v, i) => sqlArg('concat', `part ${i + 1}`, v))));
  def('split_part', 3, 3, ([s, d, n], a) => fnOf(a).splitPart(sqlArg('split_part', 'the string', s), sqlArg('split_part', 'the delimiter', d), sqlArg('split_part', 'the index', n)));
  def('listagg', 2, 3, ([e, sep, ord], a) => {
    const hash = (a[a.length - 1] as HelperOptions).hash as Record<string, unknown> | undefined;
    const orderBy = ord ?? hash?.order_by;
    return fnOf(a).listagg(sqlArg('listagg', 'the value', e), sqlArg('listagg', 'the separator', sep), orderBy === undefined ? undefined : sqlArg('listagg', 'order_by', unwrap(orderBy)));
  });
  def('current_timestamp', 0, 0, (_v, a) => fnOf(a).currentTimestamp());
  def('hash', 1, 1, ([e], a) => fnOf(a).hash(sqlArg('hash', 'the value', e)));
  def('regexp_like', 2, 2, ([s, p], a) => fnOf(a).regexpLike(sqlArg('regexp_like', 'the string', s), sqlArg('regexp_like', 'the pattern', p)));
  def('regexp_replace', 3, 3, ([s, p, r], a) => fnOf(a).regexpReplace(sqlArg('regexp_replace', 'the string', s), sqlArg('regexp_replace', 'the pattern', p), sqlArg('regexp_replace', 'the replacement', r)));
  def('regexp_extract', 3, 3, ([s, p, g], a) => fnOf(a).regexpExtract(sqlArg('regexp_extract', 'the string', s), sqlArg('regexp_extract', 'the pattern', p), sqlArg('regexp_extract', 'the group', g)));
  def('any_value', 1, 1, ([e], a) => fnOf(a).anyValue(sqlArg('any_value', 'the value', e)));
  def('bool_or', 1, 1, ([e], a) => fnOf(a).boolOr(sqlArg('bool_or', 'the condition', e)));
  def('concat_ws', 2, 100, ([sep, ...parts], a) => fnOf(a).concatWs(sqlArg('concat_ws', 'the separator', sep), parts.map((v, i) => sqlArg('concat_ws', `part ${i + 1}`, v))));
  for (const k of ['left', 'right'] as const) def(k, 2, 2, ([s, n], a) => fnOf(a)[k](sqlArg(k, 'the string', s), sqlArg(k, 'the length', n)));
  const name = (helper: string, what: string, v: unknown) => {
    if (typeof v === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) return v;
    throw new HelperError(`${helper}: ${what} must be a plain name (letters, digits, _), e.g. {{${helper} ${HELPER_USAGE[helper]}}}`, new RegExp(`\\{\\{\\s*${helper}\\b`));
  };
  def('log2', 1, 1, ([x], a) => fnOf(a).log2(sqlArg('log2', 'the value', x)));
  def('split', 2, 2, ([s, d], a) => fnOf(a).split(sqlArg('split', 'the string', s), sqlArg('split', 'the delimiter', d)));
  def('unnest_join', 3, 3, ([arr, al, col], a) => fnOf(a).unnestJoin(sqlArg('unnest_join', 'the array', arr), name('unnest_join', 'the alias', al), name('unnest_join', 'the column', col)));
  def('json_array_join', 3, 3, ([j, al, col], a) => fnOf(a).jsonArrayJoin(sqlArg('json_array_join', 'the JSON text', j), name('json_array_join', 'the alias', al), name('json_array_join', 'the column', col)));
  def('json_value', 2, 2, ([j, k], a) => fnOf(a).jsonValue(sqlArg('json_value', 'the JSON value', j), name('json_value', 'the key', k)));
  def('starts_with', 2, 2, ([s, p], a) => fnOf(a).startsWith(sqlArg('starts_with', 'the string', s), sqlArg('starts_with', 'the prefix', p)));
  for (const k of ['greatest', 'least'] as const) def(k, 2, 100, (vals, a) => fnOf(a)[k](vals.map((v, i) => sqlArg(k, `argument ${i + 1}`, v))));
}
