/**
 * The isolated Handlebars environment Weir renders SQL with: `noEscape` (never HTML-escape SQL) and
 * `strict` (a missing variable is an error, not an empty string), Weir's helpers, project macros as
 * partials (`macros/*.sql`) and TS helpers (`macros/*.ts`). Per-node state reaches helpers through
 * Handlebars' `@data` channel (`options.data.weir`), so one compiled template serves every render.
 */
import Handlebars from 'handlebars';
import { distance } from 'fastest-levenshtein';
import { WeirError } from '../errors/weir-error.js';
import type { Dialect } from '../adapters/adapter.js';
import { checkDatePart, checkTypeName } from '../adapters/ansi-sql.js';
import { guardValueOutput, parseTemplate } from './template.js';
import { normalCdfSql, normalTwoSidedPSql } from './sqlmath.js';
import { interpretTemplate } from './interpret.js';
import { decodeTemplatePlan, type TemplatePlan } from './template-plan.js';
import { isTainted, markUntrusted, originOf, plain, untrustedMessage, UntrustedOutputError, UntrustedString } from './untrusted.js';

/** Per-render state, set by the renderer for each node. */
export interface RenderState {
  /** unique_id of the node being rendered. */
  readonly nodeId: string;
  readonly file: string;
  readonly dialect: Dialect;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly env: NodeJS.ProcessEnv;
  /** Returns the SQL for `{{ref name}}` (a relation, or an ephemeral CTE name); `version` for `{{ref name v=2}}`. */
  resolveRef(name: string, version?: number): string;
  /** Returns the SQL for `{{source src table}}`. */
  resolveSource(source: string, table: string): string;
  /** Values that must be redacted from logs (env values of secret-looking variables). */
  readonly secrets: Set<string>;
  /**
   * Helper name → fixed result (a unit test's `overrides.macros`, e.g. `is_incremental: true`): the helper
   * returns the value instead of running.
   */
  readonly macroOverrides?: Readonly<Record<string, unknown>>;
  /** What `(is_incremental)` returns: true only in an incremental model's incremental run (default false). */
  readonly isIncremental?: boolean;
}

type HelperOptions = Handlebars.HelperOptions & { data: { weir: RenderState } };

/** Names of Weir's built-in helpers (Handlebars' own `if`, `each`, ... come on top). */
export const BUILTIN_HELPERS = [
  'ref', 'source', 'config', 'var', 'env', 'literal', 'ident', 'raw', 'eq', 'ne', 'not', 'and', 'or', 'gt', 'gte',
  'lt', 'lte', 'array', 'range', 'add', 'sub', 'coalesce', 'normal_cdf', 'normal_two_sided_p', 'check_choice', 'check_list', 'check_required',
  // Cross-dialect SQL helpers (see registerCrossDialect).
  'dateadd', 'datediff', 'date_trunc', 'safe_cast', 'type_string', 'type_int', 'type_float', 'type_timestamp',
  'concat', 'split_part', 'listagg', 'current_timestamp', 'hash', 'regexp_like', 'regexp_replace',
  'regexp_extract', 'any_value', 'bool_or', 'concat_ws', 'greatest', 'least', 'left', 'right', 'starts_with',
  'log2', 'split', 'unnest_join', 'json_array_join', 'json_value',
  // Incremental models: {{#if (is_incremental)}} ... {{/if}}
  'is_incremental',
] as const;

/** Handlebars' own helpers. */
export const HANDLEBARS_HELPERS = ['if', 'unless', 'each', 'with', 'lookup', 'log', 'blockHelperMissing', 'helperMissing'] as const;

const state = (args: unknown[]): RenderState => {
  const options = args[args.length - 1] as HelperOptions;
  const s = options?.data?.weir;
  if (!s) throw new Error('Weir helper called outside a Weir render');
  return s;
};
const positional = (args: unknown[]): unknown[] => args.slice(0, -1).map(unwrap);
const unwrap = (v: unknown): unknown => (v instanceof Handlebars.SafeString ? v.toString() : v);

/**
 * An error thrown inside a helper, annotated later with file and line. `needle` matches the helper
 * call in the template source, so the line can be found (Handlebars reports no position for helper errors).
 */
export class HelperError extends Error {
  /** 1-based line and column in the template, when the helper knows them (takes precedence over `needle`). */
  line?: number;
  column?: number;
  /**
   * @param needle regex finding the call in the template source (for the line)
   * @param atCaller the error is about a macro's arguments: reported at the file that calls the macro
   *   (a model's `{{> rfm_scores scoring=...}}`), not inside the macro's own file
   */
  constructor(message: string, readonly needle?: RegExp, readonly atCaller = false) {
    super(message);
  }
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A regex matching a helper call with a literal first argument, e.g. `var "start_date"`. */
const callNeedle = (helper: string, arg: unknown) => new RegExp(`${helper}\\s+["']${escapeRe(String(arg))}["']`);

const SECRET_ENV = /pass(word)?|secret|token|private_?key|credential|api_?key/i;

function lookupVar(s: RenderState, name: unknown, rest: unknown[]): unknown {
  if (typeof name !== 'string') throw new HelperError('var needs a variable name, e.g. {{literal (var "start_date")}}');
  if (Object.prototype.hasOwnProperty.call(s.vars, name)) return markUntrusted(s.vars[name], `var "${name}"`);
  if (rest.length > 0) return rest[0];
  throw new HelperError(`var '${name}' is not defined: set vars.${name} in project.yaml, pass --vars '{"${name}": ...}', or give a default: (var "${name}" "default")`, callNeedle('var', name));
}

function lookupEnv(s: RenderState, name: unknown, rest: unknown[]): unknown {
  if (typeof name !== 'string') throw new HelperError('env needs a variable name, e.g. (env "WEIR_SCHEMA" "dev")');
  const v = s.env[name];
  if (v !== undefined) {
    if (SECRET_ENV.test(name) && v) s.secrets.add(v);
    return markUntrusted(v, `env "${name}"`);
  }
  if (rest.length > 0) {
    const d = rest[0];
    // A default used for a secret-looking name is as secret as the value it stands in for.
    if (SECRET_ENV.test(name) && typeof d === 'string' && d) s.secrets.add(d);
    return d instanceof UntrustedString ? d : markUntrusted(String(d), `env "${name}"`);
  }
  throw new HelperError(`environment variable ${name} is not set: export it or give a default, e.g. (env "${name}" "default")`, callNeedle('env', name));
}

function emitChecked(kind: 'var' | 'env', name: unknown, tainted: unknown): string {
  const value = plain(tainted);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value === null || value === undefined) return 'NULL';
  throw new HelperError(
    `{{${kind} "${String(name)}"}} would splice a ${Array.isArray(value) ? 'list' : typeof value} into SQL unquoted: ` +
    `write {{literal (${kind} "${String(name)}")}} for a value, {{ident (${kind} "${String(name)}")}} for a name, ` +
    `or {{raw (${kind} "${String(name)}")}} if it really is SQL text`,
    callNeedle(kind, name),
  );
}

/**
 * `dialect.literal`, except that a string holding a line break or `*\/` is written as a concatenation
 * (`('a' || chr(10) || 'b')`), so a literal placed inside a `--` or `/* *\/` comment cannot end the
 * comment and turn the rest of the value into SQL. `chr` exists on DuckDB, Snowflake and Trino.
 * Lists are written element by element.
 */
export function commentSafeLiteral(dialect: Dialect, value: unknown): string {
  if (Array.isArray(value) && value.length > 0) return value.map((v) => commentSafeLiteral(dialect, v)).join(', ');
  if (typeof value !== 'string' || !/[\r\n]|\*\//.test(value)) return dialect.literal(value);
  const parts: string[] = [];
  let buf = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\n' || c === '\r') {
      if (buf) parts.push(dialect.literal(buf));
      buf = '';
      parts.push(`chr(${c === '\n' ? 10 : 13})`);
    } else if (c === '*' && value[i + 1] === '/') {
      parts.push(dialect.literal(`${buf}*`));
      buf = '';
    } else buf += c;
  }
  if (buf) parts.push(dialect.literal(buf));
  return `(${parts.join(' || ')})`;
}

function registerBuiltins(hb: typeof Handlebars): void {
  hb.registerHelper('ref', (...args: unknown[]) => {
    const [name, extra] = positional(args);
    if (extra !== undefined) throw new HelperError('ref takes one model name, e.g. {{ref "stg_orders"}}');
    const hash = (args[args.length - 1] as HelperOptions).hash as Record<string, unknown> | undefined;
    const v = hash?.v ?? hash?.version;
    return state(args).resolveRef(String(name), v === undefined ? undefined : Number(v));
  });
  hb.registerHelper('source', (...args: unknown[]) => {
    const [src, table] = positional(args);
    return state(args).resolveSource(String(src), String(table));
  });
  hb.registerHelper('config', () => '');
  hb.registerHelper('var', (...args: unknown[]) => {
    const [name, ...rest] = positional(args);
    return lookupVar(state(args), name, rest);
  });
  hb.registerHelper('env', (...args: unknown[]) => {
    const [name, ...rest] = positional(args);
    return lookupEnv(state(args), name, rest);
  });
  hb.registerHelper('__weir_emit_var', (...args: unknown[]) => {
    const [name, ...rest] = positional(args);
    return emitChecked('var', name, lookupVar(state(args), name, rest));
  });
  hb.registerHelper('__weir_emit_env', (...args: unknown[]) => {
    const [name, ...rest] = positional(args);
    return emitChecked('env', name, lookupEnv(state(args), name, rest));
  });
  hb.registerHelper('literal', (...args: unknown[]) => {
    const vals = positional(args);
    if (vals.length !== 1) throw new HelperError('literal takes one value, e.g. {{literal (var "country")}}');
    try {
      return commentSafeLiteral(state(args).dialect, plain(vals[0]));
    } catch (e) {
      throw new HelperError((e as Error).message);
    }
  });
  hb.registerHelper('ident', (...args: unknown[]) => {
    const parts = positional(args).map(plain);
    if (parts.length === 0 || parts.some((p) => typeof p !== 'string' || p === '')) {
      throw new HelperError('ident takes one or more non-empty names, e.g. {{ident "order"}} or {{ident "schema" "table"}}');
    }
    // A quoted name inside a `--` or `/* */` comment must not be able to end it.
    if (parts.some((p) => /[\r\n]|\*\//.test(p as string))) throw new HelperError('ident: a name cannot contain a line break or */');
    return parts.map((p) => state(args).dialect.quoteIdentifier(p as string)).join('.');
  });
  hb.registerHelper('raw', (...args: unknown[]) => {
    const [v] = positional(args).map(plain);
    return v === null || v === undefined ? '' : String(v);
  });
  const cmp = (f: (a: unknown, b: unknown) => boolean) => (...args: unknown[]) => {
    const [a, b] = positional(args).map(plain);
    return f(a, b);
  };
  hb.registerHelper('eq', cmp((a, b) => a === b));
  hb.registerHelper('ne', cmp((a, b) => a !== b));
  hb.registerHelper('gt', cmp((a, b) => (a as number) > (b as number)));
  hb.registerHelper('gte', cmp((a, b) => (a as number) >= (b as number)));
  hb.registerHelper('lt', cmp((a, b) => (a as number) < (b as number)));
  hb.registerHelper('lte', cmp((a, b) => (a as number) <= (b as number)));
  hb.registerHelper('not', (...args: unknown[]) => !plain(positional(args)[0]));
  hb.registerHelper('and', (...args: unknown[]) => positional(args).map(plain).every(Boolean));
  hb.registerHelper('or', (...args: unknown[]) => positional(args).map(plain).some(Boolean));
  hb.registerHelper('array', (...args: unknown[]) => positional(args));
  hb.registerHelper('range', (...args: unknown[]) => {
    const [n] = positional(args).map(plain);
    const count = Number(n);
    if (!Number.isInteger(count) || count < 0 || count > 10_000) throw new HelperError('range takes a whole number from 0 to 10000, e.g. {{#each (range 5)}}');
    return Array.from({ length: count }, (_, i) => i);
  });
  hb.registerHelper('add', (...args: unknown[]) => positional(args).map(plain).reduce((a: number, b) => a + Number(b), 0));
  hb.registerHelper('sub', (...args: unknown[]) => {
    const [a, b] = positional(args).map(plain);
    return Number(a) - Number(b);
  });
  hb.registerHelper('coalesce', (...args: unknown[]) => positional(args).find((v) => v !== null && v !== undefined) ?? null);
  hb.registerHelper('check_choice', (...args: unknown[]) => {
    const [macro, arg, value, ...choices] = positional(args).map(plain);
    checkChoice(String(macro), String(arg), value, choices.map(String));
    return '';
  });
  hb.registerHelper('check_required', (...args: unknown[]) => {
    const [macro, arg, value, why] = positional(args);
    if (value === undefined || value === null || value === '') {
      throw new HelperError(`${String(macro)}: ${String(arg)} is required${why ? ` (${String(why)})` : ''}`, new RegExp(`\\{\\{>\\s*${escapeRe(String(macro))}\\b`), true);
    }
    return '';
  });
  hb.registerHelper('check_list', (...args: unknown[]) => {
    const [macro, arg, value, pattern, example] = positional(args).map(plain);
    checkList(String(macro), String(arg), value, new RegExp(String(pattern)), example === undefined ? undefined : String(example));
    return '';
  });
  hb.registerHelper('normal_cdf', (...args: unknown[]) => normalCdfSql(sqlArg('normal_cdf', 'the z expression', positional(args)[0])));
  hb.registerHelper('normal_two_sided_p', (...args: unknown[]) => normalTwoSidedPSql(sqlArg('normal_two_sided_p', 'the z expression', positional(args)[0])));
  // Output of a bare path (`{{col}}`, `{{this}}`): see guardValueOutput. Untrusted strings stop here with
  // the template line; everything else prints as Handlebars would.
  hb.registerHelper('__weir_out', (...args: unknown[]) => {
    const [v, line, column, what] = args.slice(0, -1) as [unknown, number, number, string];
    if (isTainted(v)) {
      const e = new HelperError(untrustedMessage(originOf(v)!, `{{${what}}}`));
      e.line = line;
      e.column = column;
      throw e;
    }
    return v;
  });
  registerCrossDialect(hb);
  // True only when the model is incremental, its table exists and --full-refresh is off (set per render).
  hb.registerHelper('is_incremental', (...args: unknown[]) => state(args).isIncremental === true);
}

/**
 * Checks a macro's enumerated argument (`{{check_choice "rfm_scores" "scoring" scoring "ntile" "rank_bins"}}`):
 * undefined/null/'' (argument not given) passes, so the macro's default applies.
 * @throws HelperError naming the macro, the argument, the allowed values and the closest one
 */
export function checkChoice(macro: string, arg: string, value: unknown, choices: readonly string[]): void {
  if (value === undefined || value === null || value === '') return;
  if (typeof value === 'string' && choices.includes(value)) return;
  const near = closest(String(value), choices);
  throw new HelperError(
    `${macro}: ${arg}=${JSON.stringify(value)} is not one of ${choices.map((c) => `"${c}"`).join(', ')}${near ? ` (did you mean "${near}"?)` : ''}`,
    new RegExp(`\\b${escapeRe(arg)}\\s*=`),
    true,
  );
}

/**
 * Checks a macro argument that must be a list of texts each matching `pattern` (e.g. the cells of one
 * segment in `rfm_scores`' segments map: `{{check_list "rfm_scores" "segments.Champions" this "^[1-5*]{3}$"}}`).
 * @throws HelperError naming the macro and argument, the offending value and an example of a valid list
 */
export function checkList(macro: string, arg: string, value: unknown, pattern: RegExp, example?: string): void {
  const eg = example ? `, e.g. ${example}` : '';
  if (!Array.isArray(value)) {
    throw new HelperError(`${macro}: ${arg} must be a list of texts matching ${pattern.source}${eg}; got ${JSON.stringify(value)}`, new RegExp(`\\b${escapeRe(arg.split('.')[0])}\\s*=`), true);
  }
  for (const v of value) {
    if (typeof v !== 'string' || !pattern.test(v)) {
      throw new HelperError(`${macro}: ${arg} has ${JSON.stringify(v)}, which does not match ${pattern.source}${eg}`, new RegExp(`\\b${escapeRe(arg.split('.')[0])}\\s*=`), true);
    }
  }
}

/** An SQL-expression argument of a cross-dialect helper: a non-empty string, or a number. */
function sqlArg(helper: string, what: string, v: unknown): string {
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
function registerCrossDialect(hb: typeof Handlebars): void {
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

/**
 * Wraps every registered helper except Handlebars' own so that a render's `macroOverrides` (unit tests'
 * `overrides.macros`) can replace its result. Helpers are looked up at call time, so wrapping once here
 * covers compiled and interpreted templates alike.
 */
function overridableHelpers(hb: typeof Handlebars): void {
  const own = new Set<string>(HANDLEBARS_HELPERS);
  const helpers = hb.helpers as Record<string, Handlebars.HelperDelegate>;
  for (const [name, fn] of Object.entries(helpers)) {
    if (own.has(name) || name.startsWith('__')) continue;
    hb.registerHelper(name, function (this: unknown, ...args: unknown[]) {
      const o = (args[args.length - 1] as HelperOptions | undefined)?.data?.weir?.macroOverrides;
      if (o && Object.prototype.hasOwnProperty.call(o, name)) return o[name];
      return (fn as (...a: unknown[]) => unknown).apply(this, args);
    });
  }
}

/** A macro (partial) source to register. */
export interface PartialSource {
  readonly name: string;
  readonly path: string;
  readonly raw: string;
}

/** Compiled template function of this environment. */
export type CompiledTemplate = (context: object, options: { data: { weir: RenderState } }) => string;

/**
 * An isolated Handlebars instance with Weir's helpers and the project's macros.
 * @throws WeirError `WEIR_TEMPLATE_SYNTAX` for a macro with a syntax error; `WEIR_MACRO_INVALID` for a
 *   helper module export that clashes with a built-in helper
 */
export class TemplateEnvironment {
  readonly hb: typeof Handlebars;
  private readonly helperNames = new Set<string>([...BUILTIN_HELPERS, ...HANDLEBARS_HELPERS]);
  /** Macro name → project-relative file, for messages. */
  readonly macroFiles = new Map<string, string>();

  constructor(partials: readonly PartialSource[] = [], helperModules: readonly { path: string; exports: Record<string, unknown> }[] = []) {
    this.hb = Handlebars.create();
    registerBuiltins(this.hb);
    for (const mod of helperModules) {
      for (const [name, fn] of Object.entries(mod.exports)) {
        if (typeof fn !== 'function') continue;
        if (this.helperNames.has(name)) {
          throw new WeirError('WEIR_MACRO_INVALID', `macro helper '${name}' clashes with a built-in helper of the same name`, {
            location: { file: mod.path }, hint: `Rename the export '${name}' in ${mod.path}.`,
          });
        }
        this.helperNames.add(name);
        this.macroFiles.set(name, mod.path);
        this.hb.registerHelper(name, (...args: unknown[]) => {
          try {
            // TS helpers are project code: they get plain values (and quote them with their own care).
            return (fn as (...a: unknown[]) => unknown)(...args.slice(0, -1).map((a) => plain(unwrap(a))), args[args.length - 1]);
          } catch (e) {
            throw new HelperError(`macro helper '${name}' (${mod.path}) failed: ${(e as Error).message}`);
          }
        });
      }
    }
    overridableHelpers(this.hb);
    for (const p of partials) {
      this.macroFiles.set(p.name, p.path);
      const fn = this.compile(p.raw, p.path);
      this.hb.registerPartial(p.name, ((ctx: object, opts: { data: { weir: RenderState } }) => {
        try {
          return fn(ctx, opts);
        } catch (e) {
          if (e instanceof HelperError && e.atCaller) throw e;
          throw annotateRenderError(e, p.path, opts.data.weir.nodeId, p.raw);
        }
      }) as unknown as Handlebars.Template);
    }
  }

  /** Whether `name` is a helper (built-in or from macros/*.ts). */
  isHelper(name: string): boolean {
    return this.helperNames.has(name);
  }

  private readonly isHelperName = (name: string): boolean => this.helperNames.has(name);

  /** All helper names, for suggestions. */
  get helpers(): readonly string[] {
    return [...this.helperNames].filter((n) => !n.startsWith('__') && n !== 'blockHelperMissing' && n !== 'helperMissing');
  }

  /** The closest helper name to `name`, if reasonably close. */
  suggestHelper(name: string): string | undefined {
    return closest(name, this.helpers);
  }

  /**
   * Compiles template text (value-output guard applied).
   * @throws WeirError `WEIR_TEMPLATE_SYNTAX`
   */
  compile(source: string, file: string, ast?: hbs.AST.Program): CompiledTemplate {
    const guard = (t: hbs.AST.Program) => guardValueOutput(t, this.isHelperName);
    if (ast) return this.compileTree(guard(ast));
    // Templates hold no per-node state (it travels in @data), so models with the same text share one.
    const done = this.compiledBySource.get(source);
    if (done) return done;
    let fn: CompiledTemplate | undefined;
    const kept = this.parsed.get(source);
    this.parsed.delete(source);
    if (kept && 'plan' in kept) {
      // A cached render plan: interpretable by construction unless the helpers changed since (then parse).
      try {
        fn = interpretTemplate(this.hb, guard(decodeTemplatePlan(kept.plan, source)));
      } catch {
        /* malformed plan (corrupt cache): parse the source below */
      }
    }
    fn ??= this.compileTree(guard(kept && !('plan' in kept) ? kept : parseTemplate(source, file)));
    this.compiledBySource.set(source, fn);
    return fn;
  }

  private compileTree(tree: hbs.AST.Program): CompiledTemplate {
    return interpretTemplate(this.hb, tree)
      ?? this.hb.compile(tree as unknown as string, { noEscape: true, strict: true, knownHelpersOnly: false }) as unknown as CompiledTemplate;
  }

  /** Compiled templates by source text (see {@link compile}). */
  private readonly compiledBySource = new Map<string, CompiledTemplate>();

  /**
   * ASTs from {@link parse} (or cached render plans from {@link providePlan}), awaiting their one
   * {@link compile} of the same text (the render phase reuses the parse phase's work).
   */
  private readonly parsed = new Map<string, hbs.AST.Program | { plan: TemplatePlan }>();

  /**
   * Parses template text for the parse phase and keeps the AST for a later {@link compile} of the same text.
   * The AST must not be mutated by the caller.
   * @throws WeirError `WEIR_TEMPLATE_SYNTAX`
   */
  parse(source: string, file: string): hbs.AST.Program {
    const ast = parseTemplate(source, file);
    this.parsed.set(source, ast);
    return ast;
  }

  /**
   * Keeps a render plan from the partial-parse cache (see template-plan.ts) for a later {@link compile}
   * of `source`, which then needs no parse. Never throws; a plan that does not decode is ignored then.
   */
  providePlan(source: string, plan: TemplatePlan): void {
    this.parsed.set(source, { plan });
  }
}

/** The closest candidate by edit distance (≤ max(2, 40% of the length)), or undefined. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(name.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length * 0.4)) ? best : undefined;
}

/**
 * Turns an error thrown while rendering into a WeirError with file and (when Handlebars reports it) line.
 * Errors that already are WeirErrors with a file keep their location.
 */
export function annotateRenderError(e: unknown, file: string, nodeId: string, source?: string): WeirError {
  if (e instanceof WeirError) {
    if (e.location?.file) return e;
    return new WeirError(e.code, e.message, { hint: e.hint, location: { ...e.location, file, nodeId }, cause: e });
  }
  const msg = e instanceof Error ? e.message : String(e);
  if (e instanceof UntrustedOutputError) {
    return new WeirError('WEIR_TEMPLATE_RENDER', msg, { location: { file, nodeId }, cause: e, hint: 'Values from vars, env and run-operation args reach SQL only through {{literal ...}} or {{ident ...}} (numbers and booleans print as they are).' });
  }
  if (e instanceof HelperError) {
    let line: number | undefined = e.line;
    if (line === undefined && e.needle && source) {
      const m = e.needle.exec(source);
      if (m) line = source.slice(0, m.index).split('\n').length;
    }
    return new WeirError('WEIR_TEMPLATE_RENDER', msg, { location: { file, line, column: e.column, nodeId }, cause: e });
  }
  const strictMiss = /^"?([^"]+)"? not defined in .*? - (\d+):(\d+)$/s.exec(msg);
  if (strictMiss) {
    return new WeirError('WEIR_TEMPLATE_RENDER', `'${strictMiss[1]}' is not defined in this template`, {
      location: { file, line: Number(strictMiss[2]), column: Number(strictMiss[3]) + 1, nodeId },
      hint: 'Variables come from vars ({{var "name"}}), macro arguments, target.* and this; check the spelling.',
    });
  }
  const missingHelper = /^Missing helper: "?([^"]+)"?/.exec(msg);
  if (missingHelper) {
    return new WeirError('WEIR_HELPER_UNKNOWN', `unknown helper '${missingHelper[1]}'`, { location: { file, nodeId } });
  }
  const missingPartial = /The partial (.+) could not be found/.exec(msg);
  if (missingPartial) {
    return new WeirError('WEIR_MACRO_INVALID', `unknown macro '${missingPartial[1]}'`, {
      location: { file, nodeId }, hint: 'Macros are the .sql files in macro-paths; {{> name}} uses macros/name.sql.',
    });
  }
  return new WeirError('WEIR_TEMPLATE_RENDER', msg, { location: { file, nodeId }, cause: e });
}
