/**
 * Reading the SELECT blocks of SQL text: the block (core) around a token with its clause ranges and FROM
 * items (the relations it reads, with join operators and ON conditions), the CTEs visible at a token,
 * the WHEN conditions guarding a CASE branch, and splitting at commas and top-level ANDs. Token-level and
 * approximate by design (no grammar): callers use it to build supersets (execution/udfs/udf-call-sites.ts).
 */
import { identifierName, isPunct, isWord, type SqlStructure } from './tokenize.js';

/** Clause keywords that end a SELECT list / FROM / WHERE at the block's level. */
const CLAUSES = ['from', 'where', 'group', 'having', 'qualify', 'window', 'order', 'limit', 'offset', 'fetch'] as const;
export type Clause = 'select' | (typeof CLAUSES)[number];
const SET_OPS = new Set(['union', 'except', 'intersect', 'minus']);
const JOIN_WORDS = new Set(['join', 'inner', 'left', 'right', 'full', 'outer', 'cross', 'natural', 'semi', 'anti', 'asof', 'positional', 'lateral']);

/** A CTE of a WITH list: its name and the character span of `name [(cols)] as (body)`. */
export interface Cte {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  /** Token range of the body, inside the parentheses. */
  readonly bodyOpen: number;
  readonly bodyClose: number;
  readonly recursive: boolean;
}

/** One FROM item: its join operator (or comma) tokens, relation tokens and ON condition, as token ranges. */
export interface FromItem {
  /** First token of the separator (`,` or the join words), -1 for the first item. */
  readonly sepStart: number;
  readonly relStart: number;
  readonly relEnd: number;
  /** Token range of the ON condition (exclusive end), when there is one. */
  readonly on?: readonly [number, number];
}

/** The SELECT block (core) around a token: its scope, clause ranges, FROM items, and the clause holding the token. */
export interface Block {
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
export function analyzeBlock(s: SqlStructure, at: number, what: string): Block {
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
export function fromWords(s: SqlStructure, b: Block): Set<string> {
  const out = new Set<string>();
  for (const it of b.items) {
    for (let j = it.relStart; j < it.relEnd; j++) {
      const t = s.tokens[j];
      if (t.kind === 'word' || t.kind === 'quoted') out.add(identifierName(t));
    }
  }
  return out;
}

/** Qualifiers (`q` of `q.col`) used in tokens [a, b). */
export function qualifiers(s: SqlStructure, a: number, b: number): Set<string> {
  const out = new Set<string>();
  const tk = s.tokens;
  for (let j = a; j < b - 1; j++) {
    const t = tk[j];
    if ((t.kind === 'word' || t.kind === 'quoted') && isPunct(tk[j + 1], '.') && !isPunct(tk[j - 1], '.')) {
      out.add(identifierName(t));
    }
  }
  return out;
}

/**
 * The WHEN conditions (token ranges) of the searched CASE expressions whose THEN branch holds token `at`,
 * at every parenthesis level from the call up to its block. A call in a WHEN condition, an ELSE branch or
 * a simple `CASE x WHEN v` gets no guard from that CASE.
 */
export function caseGuards(s: SqlStructure, at: number, scope: number, floor: number): [number, number][] {
  const tk = s.tokens;
  const out: [number, number][] = [];
  for (let p = at; ; p = s.parent[p]) {
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

/** Token ranges of the comma-separated items of [a, b) at the scope's level. */
export function splitAtLevel(s: SqlStructure, a: number, b: number, scope: number): [number, number][] {
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
export function stripAlias(s: SqlStructure, a: number, b: number, scope: number): string {
  const tk = s.tokens;
  let end = b;
  if (b - a >= 3 && isWord(tk[b - 2], 'as') && s.parent[b - 2] === scope) end = b - 2;
  else if (b - a >= 2 && (tk[b - 1].kind === 'word' || tk[b - 1].kind === 'quoted') && (tk[b - 2].kind === 'word' || tk[b - 2].kind === 'quoted' || isPunct(tk[b - 2], ')'))) end = b - 1;
  return s.sql.slice(tk[a].start, tk[end - 1].end);
}

/** Token ranges of the top-level AND conjuncts of [a, b) (the AND of BETWEEN x AND y is not a split). */
export function splitConjuncts(s: SqlStructure, a: number, b: number, scope: number): [number, number][] {
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
export function visibleCtes(s: SqlStructure, at: number): Cte[] {
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
      const name = identifierName(nameTok);
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
