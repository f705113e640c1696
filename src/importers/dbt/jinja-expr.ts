/**
 * The Jinja expressions dbt projects commonly use, parsed and rewritten as Handlebars expressions for
 * `weir import-dbt`: literals (strings, numbers, booleans, none, lists), names (`this`, `target.name`,
 * loop variables, `{% set %}` names), calls (`ref`, `source`, `var`, `env_var`, `is_incremental`, project
 * macros, `dbt.`/`dbt_utils.` macros Weir has as helpers), `not`, `and`, `or`, comparisons, `~` is not
 * supported. Anything else throws {@link Unconvertible} with the reason, and the caller leaves the text in place.
 */

/** A construct the converter cannot rewrite; `why` says what. */
export class Unconvertible extends Error {
  constructor(readonly why: string) {
    super(why);
  }
}

/** A parsed expression. */
export type Expr =
  | { k: 'str'; v: string }
  | { k: 'num'; v: number }
  | { k: 'bool'; v: boolean }
  | { k: 'none' }
  | { k: 'list'; items: Expr[] }
  | { k: 'name'; path: string[] }
  | { k: 'call'; fn: string[]; args: Expr[]; kwargs: [string, Expr][] }
  | { k: 'not'; e: Expr }
  | { k: 'bin'; op: string; l: Expr; r: Expr };

type Tok = { t: 'str' | 'num' | 'id' | 'op'; v: string };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let v = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) {
          v += src[j + 1];
          j += 2;
          continue;
        }
        v += src[j++];
      }
      if (j >= src.length) throw new Unconvertible('an unterminated string');
      out.push({ t: 'str', v });
      i = j + 1;
      continue;
    }
    const num = /^\d+(\.\d+)?/.exec(src.slice(i));
    if (num) {
      out.push({ t: 'num', v: num[0] });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = /^(==|!=|<=|>=|[<>()[\],.=|~+\-*/%:{}])/.exec(src.slice(i));
    if (!op) throw new Unconvertible(`the character '${c}'`);
    out.push({ t: 'op', v: op[0] });
    i += op[0].length;
  }
  return out;
}

/** Parses one expression. @throws Unconvertible */
export function parseExpr(src: string): Expr {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const isOp = (v: string) => peek()?.t === 'op' && peek().v === v;
  const isId = (v: string) => peek()?.t === 'id' && peek().v === v;
  const expect = (v: string) => {
    if (!isOp(v)) throw new Unconvertible(`expected '${v}'`);
    p++;
  };
  const or = (): Expr => {
    let l = and();
    while (isId('or')) {
      p++;
      l = { k: 'bin', op: 'or', l, r: and() };
    }
    return l;
  };
  const and = (): Expr => {
    let l = not();
    while (isId('and')) {
      p++;
      l = { k: 'bin', op: 'and', l, r: not() };
    }
    return l;
  };
  const not = (): Expr => {
    if (isId('not')) {
      p++;
      return { k: 'not', e: not() };
    }
    return cmp();
  };
  const cmp = (): Expr => {
    const l = primary();
    const t = peek();
    if (t?.t === 'op' && ['==', '!=', '<', '>', '<=', '>='].includes(t.v)) {
      p++;
      return { k: 'bin', op: t.v, l, r: primary() };
    }
    if (isId('in') || isId('is')) throw new Unconvertible(`the '${peek().v}' operator`);
    return l;
  };
  const primary = (): Expr => {
    const t = toks[p++];
    if (!t) throw new Unconvertible('an incomplete expression');
    if (t.t === 'str') {
      if (isOp('|') || isOp('~')) throw new Unconvertible(`the '${peek().v}' operator/filter`);
      return { k: 'str', v: t.v };
    }
    if (t.t === 'num') return { k: 'num', v: Number(t.v) };
    if (t.t === 'op' && t.v === '(') {
      const e = or();
      expect(')');
      return e;
    }
    if (t.t === 'op' && t.v === '[') {
      const items: Expr[] = [];
      while (!isOp(']')) {
        items.push(or());
        if (isOp(',')) p++;
        else break;
      }
      expect(']');
      return { k: 'list', items };
    }
    if (t.t !== 'id') throw new Unconvertible(`'${t.v}'`);
    if (t.v === 'true' || t.v === 'True') return { k: 'bool', v: true };
    if (t.v === 'false' || t.v === 'False') return { k: 'bool', v: false };
    if (t.v === 'none' || t.v === 'None') return { k: 'none' };
    const path = [t.v];
    while (isOp('.')) {
      p++;
      const n = toks[p++];
      if (n?.t !== 'id') throw new Unconvertible('a dotted name');
      path.push(n.v);
    }
    let e: Expr = { k: 'name', path };
    if (isOp('(')) {
      p++;
      const args: Expr[] = [];
      const kwargs: [string, Expr][] = [];
      while (!isOp(')')) {
        if (peek()?.t === 'id' && toks[p + 1]?.t === 'op' && toks[p + 1].v === '=') {
          const k = peek().v;
          p += 2;
          kwargs.push([k, or()]);
        } else args.push(or());
        if (isOp(',')) p++;
        else break;
      }
      expect(')');
      e = { k: 'call', fn: path, args, kwargs };
    }
    if (isOp('|')) throw new Unconvertible(`the Jinja filter '|${toks[p + 1]?.v ?? ''}'`);
    if (isOp('[')) throw new Unconvertible('subscripts ([...])');
    if (isOp('~') || isOp('+') || isOp('-') || isOp('*') || isOp('/') || isOp('%')) throw new Unconvertible(`the '${peek().v}' operator`);
    return e;
  };
  const e = or();
  if (p < toks.length) throw new Unconvertible(`'${toks[p].v}' after the expression`);
  return e;
}

/** What names mean while converting one file. */
export interface Scope {
  /** `{% set x = literal %}` values. */
  readonly sets: Map<string, Expr>;
  /** Loop variables in scope (innermost last). */
  readonly loops: string[];
  /** Project macros: name → parameter names (for named partial arguments). */
  readonly macros: ReadonlyMap<string, readonly string[]>;
  /** Partial parameters in scope (inside a macro body). */
  readonly params: readonly string[];
  /** Project macros' parameter defaults (`scale=2`), passed at calls that leave them out. */
  readonly macroDefaults?: ReadonlyMap<string, ReadonlyMap<string, Expr>>;
  /** Project vars from dbt_project.yml (a string var spliced into SQL becomes `raw`). */
  readonly vars?: Readonly<Record<string, unknown>>;
}

/** dbt.X / dbt_utils.X macros that are Weir helpers of the same name and argument order. */
export const CROSS_DB_HELPERS = new Set(['dateadd', 'datediff', 'date_trunc', 'safe_cast', 'type_string', 'type_int', 'type_float', 'type_timestamp', 'concat', 'split_part', 'listagg', 'current_timestamp', 'hash', 'any_value', 'bool_or']);

const q = (s: string) => JSON.stringify(s);

/** An expression as a Handlebars argument (literal, path or subexpression). */
export function toArg(e: Expr, s: Scope): string {
  switch (e.k) {
    case 'str':
      return q(e.v);
    case 'num':
      return String(e.v);
    case 'bool':
      return String(e.v);
    case 'none':
      return 'null';
    case 'list':
      return `(array${e.items.map((i) => ` ${toArg(i, s)}`).join('')})`;
    case 'not':
      return `(not ${toArg(e.e, s)})`;
    case 'bin': {
      const op = { '==': 'eq', '!=': 'ne', '<': 'lt', '>': 'gt', '<=': 'lte', '>=': 'gte', and: 'and', or: 'or' }[e.op]!;
      return `(${op} ${toArg(e.l, s)} ${toArg(e.r, s)})`;
    }
    case 'name':
      return name(e.path, s);
    case 'call':
      return `(${call(e, s, 'arg')})`;
  }
}

function name(path: string[], s: Scope): string {
  const [head, ...rest] = path;
  const set = s.sets.get(head);
  if (set && !rest.length) return toArg(set, s);
  if (s.loops.includes(head) && !rest.length) return head;
  if (head === 'loop' && rest.length === 1 && s.loops.length) {
    const m: Record<string, string> = { last: '@last', first: '@first', index0: '@index', index: '(add @index 1)' };
    if (m[rest[0]]) return m[rest[0]];
  }
  if (s.params.includes(head) && !rest.length) return head;
  if (head === 'this' && !rest.length) return 'this';
  if (head === 'target' && rest.length === 1) return `target.${rest[0]}`;
  throw new Unconvertible(`the name '${path.join('.')}' (not a literal {% set %}, loop variable, macro argument, this or target.*)`);
}

/**
 * A call as Handlebars: `ref "x"`, `source "s" "t"`, `var "x"`, `env "X"`, `is_incremental`, a Weir helper,
 * or (in output position only) a partial `> macro a=...`.
 * @param pos `out` for `{{ ... }}`, `arg` inside another expression (partials are not allowed there)
 */
export function call(e: Extract<Expr, { k: 'call' }>, s: Scope, pos: 'out' | 'arg'): string {
  const fn = e.fn.join('.');
  const args = e.args.map((a) => toArg(a, s));
  const noKw = () => {
    if (e.kwargs.length) throw new Unconvertible(`keyword arguments to ${fn}()`);
  };
  switch (fn) {
    case 'ref':
      noKw();
      if (e.args.length !== 1 || e.args[0].k !== 'str') throw new Unconvertible('ref() with other than one string (packages or versions)');
      return `ref ${args[0]}`;
    case 'source':
      noKw();
      if (e.args.length !== 2 || e.args.some((a) => a.k !== 'str')) throw new Unconvertible('source() with other than two strings');
      return `source ${args.join(' ')}`;
    case 'var':
      noKw();
      return `var ${args.join(' ')}`;
    case 'env_var':
      noKw();
      return `env ${args.join(' ')}`;
    case 'is_incremental':
      return 'is_incremental';
    default:
      break;
  }
  const [ns, helper] = e.fn.length === 2 ? e.fn : [undefined, e.fn[0]];
  if ((ns === 'dbt' || ns === 'dbt_utils') && CROSS_DB_HELPERS.has(helper)) {
    noKw();
    return `${helper}${args.map((a) => ` ${a}`).join('')}`;
  }
  if (!ns && s.macros.has(helper)) {
    if (pos === 'arg') throw new Unconvertible(`a call of macro ${helper}() inside an expression (a partial only renders text)`);
    const params = s.macros.get(helper)!;
    if (e.args.length > params.length) throw new Unconvertible(`${helper}() called with more arguments than it declares`);
    const named = [...e.args.map((a, i) => [params[i], a] as [string, Expr]), ...e.kwargs];
    for (const [k, d] of s.macroDefaults?.get(helper) ?? []) if (!named.some(([n]) => n === k)) named.push([k, d]);
    return `> ${helper}${named.map(([k, v]) => ` ${k}=${toArg(v, s)}`).join('')}`;
  }
  throw new Unconvertible(`${fn}() (not ref, source, var, env_var, is_incremental, a project macro, or a dbt/dbt_utils macro Weir has)`);
}
