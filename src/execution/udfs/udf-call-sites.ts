/**
 * Finding and rewriting calls of project UDFs in compiled SQL, for engines that can't call TypeScript
 * inside a query (see client-udfs.ts). Pure text work, no engine:
 * - {@link tokenizeSql}: a tokenizer that knows string literals (`'it''s'`, backslash escapes where the
 *   dialect has them, `E'..'`, `$$..$$`), quoted identifiers, line and block comments;
 * - {@link findUdfCalls}: the call sites of given function names (a bare name followed by `(`, not a CTE
 *   name, an alias column list or a qualified name), with their argument spans (parentheses matched);
 * - {@link planCall}: for one call whose arguments contain no other UDF call, the query that collects the
 *   distinct argument tuples it can be called with (the SELECT block around the call: its FROM clause, the
 *   WHERE conjuncts without pending calls, the WHEN conditions of the CASE branches holding the call, the
 *   CTEs it reads), or why it has to wait for another round;
 * - {@link replaceSpans}: splices the lookups in.
 *
 * The collected tuples are a superset of what the query evaluates (dropped conjuncts and HAVING only widen
 * the set; GROUP BY is kept only when an argument aggregates), so every lookup the rewritten query makes
 * finds its row. Calls whose arguments reference an enclosing query's columns (correlated subqueries)
 * can't be collected this way: the engine rejects the collection query and the error says so.
 */

/** Token kinds. `word`: bare identifier or keyword; `quoted`: "identifier"; `string`: any string literal. */
export type SqlTokenKind = 'word' | 'quoted' | 'string' | 'number' | 'punct' | 'comment' | 'space';

/** One token: kind, text, and its [start, end) character offsets in the SQL. */
export interface SqlToken {
  readonly kind: SqlTokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Tokenizer options. */
export interface TokenizeOptions {
  /** `\` escapes the next character inside '...' (Snowflake, MySQL); false for standard SQL (Trino, DuckDB). */
  readonly backslashEscapes?: boolean;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

/**
 * Splits SQL into tokens (whitespace and comments included, so the tokens cover the text exactly).
 * Unterminated strings, identifiers and comments run to the end of the text (the engine reports them).
 */
export function tokenizeSql(sql: string, options: TokenizeOptions = {}): SqlToken[] {
  const out: SqlToken[] = [];
  const n = sql.length;
  let i = 0;
  const push = (kind: SqlTokenKind, end: number) => {
    out.push({ kind, text: sql.slice(i, end), start: i, end });
    i = end;
  };
  const quoted = (from: number, q: string, backslash: boolean): number => {
    for (let j = from + 1; j < n; j++) {
      const c = sql[j];
      if (backslash && c === '\\') j++;
      else if (c === q) {
        if (sql[j + 1] === q) j++;
        else return j + 1;
      }
    }
    return n;
  };
  while (i < n) {
    const c = sql[i];
    if (/\s/.test(c)) {
      let j = i + 1;
      while (j < n && /\s/.test(sql[j])) j++;
      push('space', j);
    } else if (c === '-' && sql[i + 1] === '-') {
      // A line comment ends at a line feed or a carriage return (as in DuckDB's, Trino's and Snowflake's lexers).
      let j = i + 2;
      while (j < n && sql[j] !== '\n' && sql[j] !== '\r') j++;
      push('comment', j);
    } else if (c === '/' && sql[i + 1] === '*') {
      const j = sql.indexOf('*/', i + 2);
      push('comment', j < 0 ? n : j + 2);
    } else if (c === "'") {
      push('string', quoted(i, "'", !!options.backslashEscapes));
    } else if ((c === 'E' || c === 'e') && sql[i + 1] === "'") {
      push('string', quoted(i + 1, "'", true));
    } else if (c === '"') {
      push('quoted', quoted(i, '"', false));
    } else if (c === '$' && /^\$([A-Za-z_]\w*)?\$/.test(sql.slice(i, i + 64))) {
      const tag = /^\$([A-Za-z_]\w*)?\$/.exec(sql.slice(i, i + 64))![0];
      const j = sql.indexOf(tag, i + tag.length);
      push('string', j < 0 ? n : j + tag.length);
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < n && WORD_PART.test(sql[j])) j++;
      push('word', j);
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const m = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(sql.slice(i))!;
      push('number', i + m[0].length);
    } else push('punct', i + 1);
  }
  return out;
}

/** One UDF call site. Token indexes are into {@link SqlStructure.tokens} (significant tokens only). */
export interface UdfCall {
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

/** The significant tokens of a query with their parenthesis structure. */
export interface SqlStructure {
  readonly sql: string;
  /** Significant tokens (no whitespace or comments). */
  readonly tokens: readonly SqlToken[];
  /** For `(`: index of the matching `)`, and vice versa; -1 elsewhere or when unbalanced. */
  readonly match: readonly number[];
  /** Index of the innermost `(` enclosing each token (-1 at top level). */
  readonly parent: readonly number[];
}

/** Builds the significant-token structure of SQL. */
export function structureOf(sql: string, options: TokenizeOptions = {}): SqlStructure {
  const tokens = tokenizeSql(sql, options).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  const match = new Array<number>(tokens.length).fill(-1);
  const parent = new Array<number>(tokens.length).fill(-1);
  const stack: number[] = [];
  tokens.forEach((t, i) => {
    parent[i] = stack.length ? stack[stack.length - 1] : -1;
    if (t.kind !== 'punct') return;
    if (t.text === '(') stack.push(i);
    else if (t.text === ')' && stack.length) {
      const o = stack.pop()!;
      match[o] = i;
      match[i] = o;
      parent[i] = stack.length ? stack[stack.length - 1] : -1;
    }
  });
  return { sql, tokens, match, parent };
}

const isWord = (t: SqlToken | undefined, ...words: string[]) => !!t && t.kind === 'word' && words.includes(t.text.toLowerCase());
const isPunct = (t: SqlToken | undefined, p: string) => !!t && t.kind === 'punct' && t.text === p;

/** Words after which `name(` is not a function call (`as u(x)`, `create table t(`, `insert into t(`). */
const NOT_CALL_AFTER = new Set(['as', 'table', 'into', 'view', 'function', 'exists', 'recursive', 'with']);

/**
 * Finds the call sites of the given functions (names matched case-insensitively; bare identifiers only —
 * a quoted `"f"(x)` or qualified `s.f(x)` is not a project UDF call).
 * @param names lower-case UDF names
 */
export function findUdfCalls(s: SqlStructure, names: ReadonlySet<string>): UdfCall[] {
  const { tokens: tk, match, sql } = s;
  const out: UdfCall[] = [];
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
const AGGREGATES = new Set([
  'sum', 'avg', 'min', 'max', 'count', 'count_if', 'any_value', 'arbitrary', 'first', 'last', 'bool_or', 'bool_and', 'every',
  'string_agg', 'listagg', 'array_agg', 'list', 'group_concat', 'median', 'mode', 'stddev', 'stddev_pop', 'stddev_samp',
  'variance', 'var_pop', 'var_samp', 'approx_distinct', 'approx_count_distinct', 'approx_percentile', 'approx_quantile',
  'quantile', 'quantile_cont', 'quantile_disc', 'percentile_cont', 'percentile_disc', 'corr', 'covar_pop', 'covar_samp',
  'max_by', 'min_by', 'arg_max', 'arg_min', 'histogram', 'map_agg', 'checksum', 'geometric_mean', 'product', 'entropy',
]);

/** Clause keywords that end a SELECT list / FROM / WHERE at the block's level. */
const CLAUSES = ['from', 'where', 'group', 'having', 'qualify', 'window', 'order', 'limit', 'offset', 'fetch'] as const;
type Clause = 'select' | (typeof CLAUSES)[number];
const SET_OPS = new Set(['union', 'except', 'intersect', 'minus']);
const JOIN_WORDS = new Set(['join', 'inner', 'left', 'right', 'full', 'outer', 'cross', 'natural', 'semi', 'anti', 'asof', 'positional', 'lateral']);

/** A CTE of a WITH list: its name and the character span of `name [(cols)] as (body)`. */
interface Cte {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  /** Token range of the body, inside the parentheses. */
  readonly bodyOpen: number;
  readonly bodyClose: number;
  readonly recursive: boolean;
}

/** How to collect a call's argument tuples, or why it must wait. */
export type CallPlan =
  | { readonly ready: true; readonly sql: string }
  | { readonly ready: false; readonly waitingFor: string };

/** One FROM item: its join operator (or comma) tokens, relation tokens and ON condition, as token ranges. */
interface FromItem {
  /** First token of the separator (`,` or the join words), -1 for the first item. */
  readonly sepStart: number;
  readonly relStart: number;
  readonly relEnd: number;
  /** Token range of the ON condition (exclusive end), when there is one. */
  readonly on?: readonly [number, number];
}

/** The SELECT block (core) around a token: its scope, clause ranges, FROM items, and the clause holding the token. */
interface Block {
  readonly scope: number;
  readonly coreStart: number;
  readonly coreEnd: number;
  readonly region: Clause;
  readonly items: readonly FromItem[];
  range(c: Clause): [number, number] | undefined;
}

/**
 * Analyzes the block around token `at`.
 * @throws Error when there is no SELECT around it
 */
function analyzeBlock(s: SqlStructure, at: number, what: string): Block {
  const tk = s.tokens;
  // The query scope: the innermost parenthesis group (or the top level) holding a SELECT at its own level.
  const groupEnd = (g: number) => (g < 0 ? tk.length : s.match[g]);
  const levelOf = (i: number, g: number): number => {
    let q = i;
    while (s.parent[q] !== g) q = s.parent[q];
    return q;
  };
  let scope = s.parent[at];
  for (;;) {
    const end = groupEnd(scope);
    let has = false;
    for (let j = scope + 1; j < end; j++) if (s.parent[j] === scope && isWord(tk[j], 'select', 'values')) { has = true; break; }
    if (has || scope < 0) break;
    scope = s.parent[scope];
  }
  const scopeEnd = groupEnd(scope);
  const q = levelOf(at, scope);
  const atLevel = (j: number) => s.parent[j] === scope;
  let coreStart = -1;
  for (let j = q; j > scope; j--) if (atLevel(j) && isWord(tk[j], 'select', 'values')) { coreStart = j; break; }
  if (coreStart < 0) throw new Error(`no SELECT found around ${what}`);
  let coreEnd = scopeEnd;
  for (let j = q + 1; j < scopeEnd; j++) {
    if (atLevel(j) && ((tk[j].kind === 'word' && SET_OPS.has(tk[j].text.toLowerCase())) || isPunct(tk[j], ';'))) { coreEnd = j; break; }
  }
  // Clause boundaries of the core.
  const marks: { clause: Clause; at: number }[] = [{ clause: 'select', at: coreStart }];
  for (let j = coreStart + 1; j < coreEnd; j++) {
    if (!atLevel(j) || tk[j].kind !== 'word') continue;
    const w = tk[j].text.toLowerCase() as Clause;
    if (!(CLAUSES as readonly string[]).includes(w)) continue;
    if (w === 'from' && isWord(tk[j - 1], 'distinct')) continue; // IS [NOT] DISTINCT FROM
    if ((w === 'group' || w === 'order') && !isWord(tk[j + 1], 'by')) continue;
    if (marks.some((m) => m.clause === w)) continue;
    marks.push({ clause: w, at: j });
  }
  const range = (c: Clause): [number, number] | undefined => {
    const i = marks.findIndex((m) => m.clause === c);
    if (i < 0) return undefined;
    const first = marks[i].at + (c === 'group' || c === 'order' ? 2 : 1);
    return [first, i + 1 < marks.length ? marks[i + 1].at : coreEnd];
  };
  const region = [...marks].reverse().find((m) => m.at <= q)!.clause;

  // FROM items.
  const fromR = range('from');
  const items: FromItem[] = [];
  if (fromR) {
    let sepStart = -1;
    let relStart = fromR[0];
    let onAt = -1;
    const flush = (end: number) => {
      const relEnd = onAt >= 0 ? onAt : end;
      items.push({ sepStart, relStart, relEnd, ...(onAt >= 0 ? { on: [onAt + 1, end] as const } : {}) });
    };
    for (let j = fromR[0]; j < fromR[1]; j++) {
      if (!atLevel(j)) continue;
      const isSep = isPunct(tk[j], ',') || (tk[j].kind === 'word' && JOIN_WORDS.has(tk[j].text.toLowerCase()) && !(tk[j].text.toLowerCase() === 'lateral' && j === relStart));
      if (isSep && j > relStart) {
        flush(j);
        sepStart = j;
        let k = j;
        if (!isPunct(tk[j], ',')) while (k + 1 < fromR[1] && tk[k].kind === 'word' && JOIN_WORDS.has(tk[k].text.toLowerCase()) && tk[k].text.toLowerCase() !== 'join') k++;
        relStart = k + 1;
        onAt = -1;
      } else if (isWord(tk[j], 'on') && onAt < 0 && j > relStart) onAt = j;
    }
    flush(fromR[1]);
  }

  return { scope, coreStart, coreEnd, region, items, range };
}

/** Words of FROM items at the block's level: table names and aliases (a superset of the aliases). */
function fromWords(s: SqlStructure, b: Block): Set<string> {
  const out = new Set<string>();
  for (const it of b.items) {
    for (let j = it.relStart; j < it.relEnd; j++) {
      const t = s.tokens[j];
      if (t.kind === 'word' || t.kind === 'quoted') out.add((t.kind === 'quoted' ? t.text.slice(1, -1).replace(/""/g, '"') : t.text).toLowerCase());
    }
  }
  return out;
}

/** Qualifiers (`q` of `q.col`) used in tokens [a, b). */
function qualifiers(s: SqlStructure, a: number, b: number): Set<string> {
  const out = new Set<string>();
  const tk = s.tokens;
  for (let j = a; j < b - 1; j++) {
    const t = tk[j];
    if ((t.kind === 'word' || t.kind === 'quoted') && isPunct(tk[j + 1], '.') && !isPunct(tk[j - 1], '.')) {
      out.add((t.kind === 'quoted' ? t.text.slice(1, -1).replace(/""/g, '"') : t.text).toLowerCase());
    }
  }
  return out;
}

/**
 * Plans the collection of one call's argument tuples.
 * @param s the query's structure
 * @param call the call (its arguments must contain no pending call)
 * @param pending every UDF call still in the text (including `call`)
 * @param castArg wraps an argument expression in the cast to its declared type, e.g. `cast((x) as varchar)`
 * @returns the collection query (columns `weir_arg_1..n`, possibly with duplicates and NULLs), or what the
 *   call waits for
 * @throws Error when the SQL around the call can't be understood (no SELECT block)
 */
export function planCall(s: SqlStructure, call: UdfCall, pending: readonly UdfCall[], castArg: (expr: string, index: number) => string): CallPlan {
  const { tokens: tk, sql } = s;
  const others = pending.filter((c) => c !== call);
  const inRange = (c: UdfCall, a: number, b: number) => c.nameIdx >= a && c.nameIdx < b;
  const inner = others.find((c) => inRange(c, call.open, call.close));
  if (inner) return { ready: false, waitingFor: `${inner.name}(...) in its arguments` };

  const b = analyzeBlock(s, call.nameIdx, `the call of ${call.name} at character ${call.start}`);
  const { scope, coreStart, region, items, range } = b;
  const text = (a: number, e: number) => (e > a ? sql.slice(tk[a].start, tk[e - 1].end) : '');
  const pendingIn = (a: number, e: number, except?: UdfCall) => others.filter((c) => c !== except && inRange(c, a, e));
  const fromR = range('from');

  let fromText = '';
  let whereText = '';
  if (region === 'from') {
    // The call is in the FROM clause (a lateral function, a join condition): drop the items and ON
    // conjuncts that hold pending calls (this one included); no WHERE (it may test columns of dropped items).
    const kept: string[] = [];
    for (const it of items) {
      if (pendingIn(it.relStart, it.relEnd).length || inRange(call, it.relStart, it.relEnd)) continue;
      const sep = kept.length === 0 ? '' : it.sepStart >= 0 ? ` ${text(it.sepStart, it.relStart)} ` : ', ';
      let on = '';
      if (it.on && kept.length) {
        const conj = splitConjuncts(s, it.on[0], it.on[1], scope).filter(([a, b]) => !pendingIn(a, b).length && !inRange(call, a, b));
        on = ` on ${conj.length ? conj.map(([a, b]) => `(${text(a, b)})`).join(' and ') : 'true'}`;
      }
      kept.push(`${sep}${text(it.relStart, it.relEnd)}${on}`);
    }
    fromText = kept.join('');
  } else {
    if (fromR) {
      const blocking = pendingIn(fromR[0], fromR[1]);
      if (blocking.length) return { ready: false, waitingFor: `${blocking[0].name}(...) in the FROM clause of its block` };
      fromText = text(fromR[0], fromR[1]);
    }
    const whereR = range('where');
    if (whereR && region !== 'where') {
      const conj = splitConjuncts(s, whereR[0], whereR[1], scope).filter(([a, b]) => !pendingIn(a, b).length);
      whereText = conj.map(([a, b]) => `(${text(a, b)})`).join(' and ');
    } else if (whereR) {
      const conj = splitConjuncts(s, whereR[0], whereR[1], scope).filter(([a, b]) => !pendingIn(a, b).length && !inRange(call, a, b));
      whereText = conj.map(([a, b]) => `(${text(a, b)})`).join(' and ');
    }
  }

  // GROUP BY only when an argument aggregates (then the arguments are per group); otherwise the rows
  // before grouping give a superset.
  let groupText = '';
  const groupR = range('group');
  if (groupR && region !== 'from' && region !== 'where' && argsAggregate(s, call)) {
    const selR = range('select')!;
    while (isWord(tk[selR[0]], 'distinct', 'all')) selR[0]++;
    const selectItems = splitAtLevel(s, selR[0], selR[1], scope).map(([a, b]) => stripAlias(s, a, b, scope));
    groupText = splitAtLevel(s, groupR[0], groupR[1], scope).map(([a, b]) => {
      const t = text(a, b);
      return /^\d+$/.test(t) && selectItems[Number(t) - 1] ? selectItems[Number(t) - 1] : t;
    }).join(', ');
  }

  // A correlated subquery in an expression of an enclosing block (`(select max(f(s.x, p.y)) from p where
  // p.k = c.k)` with s, c from outside): collect over the enclosing block's FROM joined with the
  // subquery's, under both WHERE clauses — the rows on which the subquery evaluates the call.
  if (scope >= 0 && region !== 'from' && !isWord(tk[scope - 1], 'as') && !isWord(tk[scope - 1], 'materialized')) {
    let outer: Block | undefined;
    try {
      outer = analyzeBlock(s, scope, 'a subquery');
    } catch {
      outer = undefined;
    }
    const oFrom = outer?.range('from');
    if (outer && oFrom && !(scope >= oFrom[0] && scope < oFrom[1]) && outer.region !== 'from') {
      const own = fromWords(s, b);
      const theirs = fromWords(s, outer);
      const used = new Set([...qualifiers(s, call.open, call.close), ...qualifiers(s, coreStart, b.coreEnd)]);
      if ([...used].some((q) => !own.has(q) && theirs.has(q))) {
        const sub = [scope, s.match[scope] + 1] as const;
        const blocking = pendingIn(oFrom[0], oFrom[1]).filter((c) => !inRange(c, sub[0], sub[1]));
        if (blocking.length) return { ready: false, waitingFor: `${blocking[0].name}(...) in the FROM clause of the enclosing block` };
        fromText = `${text(oFrom[0], oFrom[1])},\n${fromText}`;
        const oWhere = outer.range('where');
        if (oWhere) {
          const conj = splitConjuncts(s, oWhere[0], oWhere[1], outer.scope).filter(([a, e]) => !pendingIn(a, e).length && !(sub[0] >= a && sub[0] < e));
          whereText = [...conj.map(([a, e]) => `(${text(a, e)})`), whereText].filter(Boolean).join(' and ');
        }
      }
    }
  }

  // A call in the THEN branch of a searched CASE is only evaluated where its WHEN condition holds: add the
  // condition (fewer tuples to compute, and arguments guarded by it — a cast — are not evaluated elsewhere).
  if (region === 'select' || region === 'where') {
    const guards = caseGuards(s, call, scope, coreStart).filter(([a, b]) => !pendingIn(a, b).length && !hasAggregateOrWindow(s, a, b));
    if (guards.length) whereText = [whereText, ...guards.map(([a, b]) => `(${text(a, b)})`)].filter(Boolean).join(' and ');
  }

  const argList = call.args.map((a, i) => `${castArg(a, i)} as weir_arg_${i + 1}`).join(', ');
  let body = `select ${argList || '1 as weir_none'}${fromText ? `\nfrom ${fromText}` : ''}${whereText ? `\nwhere ${whereText}` : ''}${groupText ? `\ngroup by ${groupText}` : ''}`;

  // CTEs visible from the block and read by it (transitively); each must be free of pending calls.
  const ctes = visibleCtes(s, call.nameIdx);
  const byName = new Map(ctes.map((c) => [c.name, c]));
  const needed = new Set<string>();
  const visit = (t: string): string | undefined => {
    for (const st of tokenizeSqlNames(t)) {
      const c = byName.get(st);
      if (!c || needed.has(c.name)) continue;
      needed.add(c.name);
      const block = pendingIn(c.bodyOpen, c.bodyClose);
      if (block.length) return `${block[0].name}(...) in the CTE ${c.name}`;
      if (inRange(call, c.bodyOpen, c.bodyClose)) return `itself: the CTE ${c.name} that holds it reads its own rows (a recursive CTE)`;
      const w = visit(sql.slice(c.start, c.end));
      if (w) return w;
    }
    return undefined;
  };
  const waiting = visit(body);
  if (waiting) return { ready: false, waitingFor: waiting };
  const used = ctes.filter((c) => needed.has(c.name));
  if (used.length) {
    body = `with ${used.some((c) => c.recursive) ? 'recursive ' : ''}${used.map((c) => sql.slice(c.start, c.end)).join(',\n')}\n${body}`;
  }
  return { ready: true, sql: body };
}

/**
 * The WHEN conditions (token ranges) of the searched CASE expressions whose THEN branch holds the call,
 * at every parenthesis level from the call up to its block. A call in a WHEN condition, an ELSE branch or
 * a simple `CASE x WHEN v` gets no guard from that CASE.
 */
function caseGuards(s: SqlStructure, call: UdfCall, scope: number, floor: number): [number, number][] {
  const tk = s.tokens;
  const out: [number, number][] = [];
  for (let p = call.nameIdx; ; p = s.parent[p]) {
    const level = s.parent[p];
    // Backwards at this level: each CASE whose THEN branch holds position p guards it; past a CASE's
    // keyword the scan goes on for an enclosing CASE at the same level.
    let depth = 0;
    let then = -1;
    let when = -1;
    let blocked = false;
    for (let j = p - 1; j > level && j >= floor; j--) {
      if (s.parent[j] !== level || tk[j].kind !== 'word') continue;
      const w = tk[j].text.toLowerCase();
      if (w === 'end') depth++;
      else if (w === 'case') {
        if (depth > 0) depth--;
        else {
          if (!blocked && then >= 0 && when >= 0 && isWord(tk[j + 1], 'when') && when + 1 < then) out.push([when + 1, then]);
          then = -1;
          when = -1;
          blocked = false;
        }
      } else if (depth > 0) continue;
      else if (w === 'then' && then < 0 && when < 0 && !blocked) then = j;
      else if (w === 'when' && when < 0) {
        if (then >= 0) when = j;
        else blocked = true; // the call is in a condition
      } else if (w === 'else' && then < 0) blocked = true;
    }
    if (level === scope || level < 0) break;
  }
  return out;
}

/** Whether tokens [a, b) hold an aggregate or window function call (not valid in WHERE). */
function hasAggregateOrWindow(s: SqlStructure, a: number, b: number): boolean {
  for (let j = a; j < b; j++) {
    const t = s.tokens[j];
    if (t.kind !== 'word') continue;
    if (t.text.toLowerCase() === 'over') return true;
    if (AGGREGATES.has(t.text.toLowerCase()) && isPunct(s.tokens[j + 1], '(')) return true;
  }
  return false;
}

/** Lower-case names of the identifiers (bare and quoted) in SQL text. */
function tokenizeSqlNames(text: string): string[] {
  return tokenizeSql(text).filter((t) => t.kind === 'word' || t.kind === 'quoted').map((t) => (t.kind === 'quoted' ? t.text.slice(1, -1).replace(/""/g, '"') : t.text).toLowerCase());
}

/** Whether a call's arguments contain an aggregate function call (not a window function). */
function argsAggregate(s: SqlStructure, call: UdfCall): boolean {
  const tk = s.tokens;
  for (let j = call.open + 1; j < call.close; j++) {
    if (tk[j].kind !== 'word' || !AGGREGATES.has(tk[j].text.toLowerCase()) || !isPunct(tk[j + 1], '(')) continue;
    const close = s.match[j + 1];
    if (!isWord(tk[close + 1], 'over')) return true;
  }
  return false;
}

/** Token ranges of the comma-separated items of [a, b) at the scope's level. */
function splitAtLevel(s: SqlStructure, a: number, b: number, scope: number): [number, number][] {
  const out: [number, number][] = [];
  let from = a;
  for (let j = a; j < b; j++) {
    if (s.parent[j] === scope && isPunct(s.tokens[j], ',')) {
      out.push([from, j]);
      from = j + 1;
    }
  }
  if (b > from) out.push([from, b]);
  return out;
}

/** A select item's expression text without its alias (`x as y` / `x y`). */
function stripAlias(s: SqlStructure, a: number, b: number, scope: number): string {
  const tk = s.tokens;
  let end = b;
  if (b - a >= 3 && isWord(tk[b - 2], 'as') && s.parent[b - 2] === scope) end = b - 2;
  else if (b - a >= 2 && (tk[b - 1].kind === 'word' || tk[b - 1].kind === 'quoted') && (tk[b - 2].kind === 'word' || tk[b - 2].kind === 'quoted' || isPunct(tk[b - 2], ')'))) end = b - 1;
  return s.sql.slice(tk[a].start, tk[end - 1].end);
}

/** Token ranges of the top-level AND conjuncts of [a, b) (the AND of BETWEEN x AND y is not a split). */
function splitConjuncts(s: SqlStructure, a: number, b: number, scope: number): [number, number][] {
  const out: [number, number][] = [];
  let from = a;
  let between = 0;
  for (let j = a; j < b; j++) {
    if (s.parent[j] !== scope) continue;
    if (isWord(s.tokens[j], 'between')) between++;
    else if (isWord(s.tokens[j], 'and')) {
      if (between > 0) between--;
      else {
        if (j > from) out.push([from, j]);
        from = j + 1;
      }
    }
  }
  if (b > from) out.push([from, b]);
  return out;
}

/**
 * The CTEs visible at a token: for every enclosing scope with a WITH list, the CTEs defined before the
 * one holding the token (all of them when the token is in the main query), outer scopes first; an inner
 * CTE hides an outer one of the same name.
 */
function visibleCtes(s: SqlStructure, at: number): Cte[] {
  const { tokens: tk } = s;
  const chain: number[] = [];
  for (let g = s.parent[at]; ; g = s.parent[g]) {
    chain.push(g);
    if (g < 0) break;
  }
  const levels: Cte[][] = [];
  for (const g of chain) {
    const first = g + 1;
    if (!isWord(tk[first], 'with')) continue;
    const recursive = isWord(tk[first + 1], 'recursive');
    const list: Cte[] = [];
    let j = first + (recursive ? 2 : 1);
    const end = g < 0 ? tk.length : s.match[g];
    while (j < end && (tk[j].kind === 'word' || tk[j].kind === 'quoted')) {
      const nameTok = tk[j];
      const name = (nameTok.kind === 'quoted' ? nameTok.text.slice(1, -1).replace(/""/g, '"') : nameTok.text).toLowerCase();
      let k = j + 1;
      if (isPunct(tk[k], '(')) k = s.match[k] + 1;
      if (!isWord(tk[k], 'as')) break;
      k++;
      while (isWord(tk[k], 'not', 'materialized')) k++;
      if (!isPunct(tk[k], '(') || s.match[k] < 0) break;
      const close = s.match[k];
      list.push({ name, start: nameTok.start, end: tk[close].end, bodyOpen: k, bodyClose: close, recursive });
      j = close + 1;
      if (!isPunct(tk[j], ',')) break;
      j++;
    }
    // Keep the CTEs before the one holding the token (a recursive CTE also sees itself).
    const holder = list.findIndex((c) => at > c.bodyOpen && at < c.bodyClose);
    levels.push(holder < 0 ? list : list.slice(0, recursive ? holder + 1 : holder));
  }
  const out: Cte[] = [];
  for (const level of levels.reverse()) {
    for (const c of level) {
      const i = out.findIndex((o) => o.name === c.name);
      if (i >= 0) out.splice(i, 1);
      out.push(c);
    }
  }
  return out;
}
