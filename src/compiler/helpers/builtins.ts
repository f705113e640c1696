/**
 * Weir's built-in helpers (`ref`, `source`, `config`, `var`, `env`, `literal`, `ident`, `raw`, comparisons,
 * `range`, arithmetic, macro-argument checks, `normal_cdf`, `is_incremental`, and the cross-dialect SQL
 * helpers of cross-dialect.ts), registered on an environment's Handlebars instance. Values from vars and
 * env are untrusted (untrusted.ts): they reach SQL only through `literal` or `ident`.
 */
import type HandlebarsTypes from 'handlebars';
import { Handlebars } from '../handlebars.js';
import type { Dialect } from '../../adapters/adapter.js';
import { normalCdfSql, normalTwoSidedPSql } from '../sqlmath.js';
import { isTainted, markUntrusted, originOf, plain, untrustedMessage, UntrustedString } from '../untrusted.js';
import { registerCrossDialect, sqlArg } from './cross-dialect.js';
import { checkChoice, checkList } from './macro-args.js';
import { callNeedle, escapeRe, HelperError, positional, state, type HelperOptions, type RenderState } from './render-state.js';

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

/** Registers the built-in helpers (and the cross-dialect ones) on `hb`. */
export function registerBuiltins(hb: typeof Handlebars): void {
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
 * Wraps every registered helper except Handlebars' own so that a render's `macroOverrides` (unit tests'
 * `overrides.macros`) can replace its result. Helpers are looked up at call time, so wrapping once here
 * covers compiled and interpreted templates alike.
 */
export function overridableHelpers(hb: typeof Handlebars): void {
  const own = new Set<string>(HANDLEBARS_HELPERS);
  const helpers = hb.helpers as Record<string, HandlebarsTypes.HelperDelegate>;
  for (const [name, fn] of Object.entries(helpers)) {
    if (own.has(name) || name.startsWith('__')) continue;
    hb.registerHelper(name, function (this: unknown, ...args: unknown[]) {
      const o = (args[args.length - 1] as HelperOptions | undefined)?.data?.weir?.macroOverrides;
      if (o && Object.prototype.hasOwnProperty.call(o, name)) return o[name];
      return (fn as (...a: unknown[]) => unknown).apply(this, args);
    });
  }
}
