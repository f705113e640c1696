/**
 * Tokens for rapidfuzz's token scorers (words split at Python's whitespace, sorted by code point) and the
 * token_sort / token_set ratios, computed on token bounds in a string's code points (read once into a
 * reused buffer) without a string or array per token.
 * @module
 */
import { codePointsInto, codePointsLength } from './code-points.js';
import { lcsOf, normDist, ratioOf } from './indel.js';

/** Whether a UTF-16 unit is whitespace to Python's str.isspace() (the PY_WS set of ./fuzz-ratio.ts; all in the BMP). */
function isPyWhitespace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** Token bounds (code-point indexes) of one string, `order` listing them sorted (reused scratch; grown on demand). */
export interface TokenBounds {
  start: Int32Array;
  end: Int32Array;
  order: Int32Array;
  n: number;
}

const newBounds = (): TokenBounds => ({ start: new Int32Array(16), end: new Int32Array(16), order: new Int32Array(16), n: 0 });

/** Token bounds of the first and second string of the scorer running (JavaScript runs one call at a time). */
export const TOK_A = newBounds();

export const TOK_B = newBounds();

/**
 * Finds the tokens of the code points `x[0..n)` (words split at Python's whitespace, as rapidfuzz's
 * `sorted_split`) as bounds in `t`, ordered by code point (insertion sort: names have few words).
 */
export function sortTokens(x: Int32Array, n: number, t: TokenBounds): void {
  let nt = 0;
  let start = -1;
  for (let i = 0; i <= n; i++) {
    if (i === n || isPyWhitespace(x[i])) {
      if (start >= 0) nt = addToken(t, nt, start, i);
      start = -1;
    } else if (start < 0) start = i;
  }
  orderTokens(x, t, nt);
}

/**
 * Writes the code points of `s` into `buf` (room for `s.length` entries) and finds its tokens into `t` as
 * {@link sortTokens} does, in the same pass over the string. @returns the number of code points
 */
export function readTokens(s: string, buf: Int32Array, t: TokenBounds): number {
  const len = s.length;
  let n = 0;
  let nt = 0;
  let start = -1;
  for (let i = 0; i < len; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
        i++;
      }
    }
    if (isPyWhitespace(c)) {
      if (start >= 0) nt = addToken(t, nt, start, n);
      start = -1;
    } else if (start < 0) start = n;
    buf[n++] = c;
  }
  if (start >= 0) nt = addToken(t, nt, start, n);
  orderTokens(buf, t, nt);
  return n;
}

/** Records token `nt` as `[start, end)` in `t` (grown if needed). @returns the new token count */
function addToken(t: TokenBounds, nt: number, start: number, end: number): number {
  if (nt === t.start.length) growBounds(t);
  t.start[nt] = start;
  t.end[nt] = end;
  return nt + 1;
}

/** Orders the `nt` tokens of `x` recorded in `t` by code point (insertion sort: names have few words) and sets `t.n`. */
function orderTokens(x: Int32Array, t: TokenBounds, nt: number): void {
  const { start: st, end: en, order } = t;
  order[0] = 0;
  for (let k = 1; k < nt; k++) {
    let m = k;
    while (m > 0 && compareRanges(x, st[order[m - 1]], en[order[m - 1]], x, st[k], en[k]) > 0) {
      order[m] = order[m - 1];
      m--;
    }
    order[m] = k;
  }
  t.n = nt;
}

function growBounds(t: TokenBounds): void {
  const grow = (x: Int32Array) => {
    const g = new Int32Array(x.length * 2);
    g.set(x);
    return g;
  };
  t.start = grow(t.start);
  t.end = grow(t.end);
  t.order = new Int32Array(t.start.length);
}

/**
 * Whether the code points `x[0..n)` equal the sorted join of their tokens `t` (filled by {@link sortTokens}):
 * at least one token, tokens already in order, separated by single spaces, no whitespace at either end.
 * Then token_sort's strings are the strings themselves and its ratio is the plain ratio (WRatio reuses it).
 */
export function isSortedJoin(x: Int32Array, n: number, t: TokenBounds): boolean {
  const nt = t.n;
  if (nt === 0 || t.start[0] !== 0 || t.end[nt - 1] !== n) return false;
  for (let k = 0; k < nt; k++) {
    if (t.order[k] !== k) return false;
    if (k + 1 < nt && (t.start[k + 1] !== t.end[k] + 1 || x[t.end[k]] !== 0x20)) return false;
  }
  return true;
}

/** Code points of the sorted join of the tokens `t` (their code points plus one space between two). */
export function sortedJoinLength(t: TokenBounds): number {
  let n = t.n > 0 ? t.n - 1 : 0;
  for (let k = 0; k < t.n; k++) n += t.end[k] - t.start[k];
  return n;
}

/** Output of {@link sortedJoins}: the sorted joins' code points (buffers reused, grown on demand). */
export const SORTED = { a: new Int32Array(64) as Int32Array<ArrayBuffer>, na: 0, b: new Int32Array(64) as Int32Array<ArrayBuffer>, nb: 0 };

/** Writes the tokens `t` of `x` in sorted order joined by single spaces into `buf` (room for n entries). @returns the length */
function sortedJoinInto(x: Int32Array, t: TokenBounds, buf: Int32Array): number {
  let n = 0;
  for (let k = 0; k < t.n; k++) {
    if (k > 0) buf[n++] = 0x20;
    const o = t.order[k];
    for (let i = t.start[o], e = t.end[o]; i < e; i++) buf[n++] = x[i];
  }
  return n;
}

/**
 * The sorted joins of `x[0..nx)` (tokens in TOK_A) and `y[0..ny)` (TOK_B), as code points in {@link SORTED}
 * (valid until the next call of any scorer here).
 */
export function sortedJoins(x: Int32Array, nx: number, y: Int32Array, ny: number): void {
  if (SORTED.a.length < nx) SORTED.a = new Int32Array(Math.max(nx, SORTED.a.length * 2));
  if (SORTED.b.length < ny) SORTED.b = new Int32Array(Math.max(ny, SORTED.b.length * 2));
  SORTED.na = sortedJoinInto(x, TOK_A, SORTED.a);
  SORTED.nb = sortedJoinInto(y, TOK_B, SORTED.b);
}

/**
 * The parts of token_set_ratio (and of partial_token_ratio) left by {@link setDecompose}: the code points
 * of the sorted distinct tokens only `a` has (`ab`, `nab` long, `abWords` tokens) and only `b` has (`ba`),
 * and the shared tokens' count and code points.
 */
export const SET = {
  ab: new Int32Array(64) as Int32Array<ArrayBuffer>,
  nab: 0,
  abWords: 0,
  ba: new Int32Array(64) as Int32Array<ArrayBuffer>,
  nba: 0,
  baWords: 0,
  sectWords: 0,
  sectCps: 0,
};

/**
 * Splits the sorted tokens of `x[0..nx)` (in TOK_A) and `y[0..ny)` (in TOK_B), distinct ones only, into
 * shared and own ones (one merge of the two sorted lists, no string per token), into {@link SET}.
 */
export function setDecompose(x: Int32Array, nx: number, y: Int32Array, ny: number): void {
  const A = TOK_A;
  const B = TOK_B;
  if (SET.ab.length < nx) SET.ab = new Int32Array(Math.max(nx, SET.ab.length * 2));
  if (SET.ba.length < ny) SET.ba = new Int32Array(Math.max(ny, SET.ba.length * 2));
  const ab = SET.ab;
  const ba = SET.ba;
  const an = A.n;
  const bn = B.n;
  let nab = 0;
  let nba = 0;
  let abWords = 0;
  let baWords = 0;
  let sectWords = 0;
  let sectCps = 0;
  let i = 0;
  let j = 0;
  while (i < an || j < bn) {
    const ia = i < an ? A.order[i] : -1;
    const jb = j < bn ? B.order[j] : -1;
    const a0 = ia < 0 ? 0 : A.start[ia];
    const a1 = ia < 0 ? 0 : A.end[ia];
    const b0 = jb < 0 ? 0 : B.start[jb];
    const b1 = jb < 0 ? 0 : B.end[jb];
    // tokens are never empty: their first code points usually decide the order
    let c = ia < 0 ? 1 : jb < 0 ? -1 : x[a0] - y[b0];
    if (c === 0 && ia >= 0 && jb >= 0) c = compareRanges(x, a0, a1, y, b0, b1);
    if (c === 0) {
      sectWords++;
      sectCps += a1 - a0;
    } else if (c < 0) {
      if (abWords++ > 0) ab[nab++] = 0x20;
      for (let k = a0; k < a1; k++) ab[nab++] = x[k];
    } else {
      if (baWords++ > 0) ba[nba++] = 0x20;
      for (let k = b0; k < b1; k++) ba[nba++] = y[k];
    }
    // skip the token just taken and its repeats
    if (c <= 0) {
      i++;
      while (i < an && sameRange(x, A.start[A.order[i]], A.end[A.order[i]], a0, a1)) i++;
    }
    if (c >= 0) {
      j++;
      while (j < bn && sameRange(y, B.start[B.order[j]], B.end[B.order[j]], b0, b1)) j++;
    }
  }
  SET.nab = nab;
  SET.nba = nba;
  SET.abWords = abWords;
  SET.baWords = baWords;
  SET.sectWords = sectWords;
  SET.sectCps = sectCps;
}

/** Whether {@link SET} says one token set contains the other and they share a token (token_set_ratio 100). */
export function setIsSubset(): boolean {
  return SET.sectWords > 0 && (SET.abWords === 0 || SET.baWords === 0);
}

/**
 * token_set_ratio from {@link SET} and the LCS length of `ab` and `ba` (when not {@link setIsSubset}):
 * rapidfuzz's three comparisons. Non-decreasing in `lcs`, so `setScore(min(nab, nba))` bounds it.
 */
export function setScore(lcs: number): number {
  const nab = SET.nab;
  const nba = SET.nba;
  const sectWords = SET.sectWords;
  const sectLen = sectWords > 0 ? sectWords - 1 + SET.sectCps : 0;
  const sep = sectLen > 0 ? 1 : 0;
  const sectAbLen = sectLen + sep + nab;
  const sectBaLen = sectLen + sep + nba;
  const result = normDist(nab + nba - 2 * lcs, sectAbLen + sectBaLen);
  if (sectLen === 0) return result;
  // "sect" vs "sect + ab" differ only by the appended words: their Indel distance is the length difference
  const sectAb = normDist(sep + nab, sectLen + sectAbLen);
  const sectBa = normDist(sep + nba, sectLen + sectBaLen);
  return Math.max(result, sectAb, sectBa);
}

/** Code points of the two strings of token_sort_ratio / token_set_ratio (reused). */
let cpA: Int32Array<ArrayBuffer> = new Int32Array(64);

let cpB: Int32Array<ArrayBuffer> = new Int32Array(64);

/** Code point counts of {@link cpA} and {@link cpB} after {@link readSortedTokens}. */
let lenA = 0;
let lenB = 0;

/** Reads both strings' code points into {@link cpA}/{@link cpB} and their sorted tokens into TOK_A/TOK_B. */
function readSortedTokens(a: string, b: string): void {
  cpA = codePointsInto(a, cpA);
  lenA = codePointsLength;
  cpB = codePointsInto(b, cpB);
  lenB = codePointsLength;
  sortTokens(cpA, lenA, TOK_A);
  sortTokens(cpB, lenB, TOK_B);
}

/** token_sort_ratio of two (processed) strings. */
export function tokenSortStr(a: string, b: string): number {
  readSortedTokens(a, b);
  const na = lenA;
  const nb = lenB;
  sortedJoins(cpA, na, cpB, nb);
  return ratioOf(SORTED.na + SORTED.nb, lcsOf(SORTED.a, SORTED.na, SORTED.b, SORTED.nb));
}

/**
 * token_set_ratio of two (processed) strings: the sorted distinct tokens of both merged into shared and
 * own ones; then rapidfuzz's three comparisons.
 */
export function tokenSetStr(a: string, b: string): number {
  readSortedTokens(a, b);
  const na = lenA;
  const nb = lenB;
  if (TOK_A.n === 0 || TOK_B.n === 0) return 0;
  setDecompose(cpA, na, cpB, nb);
  if (setIsSubset()) return 100;
  return setScore(lcsOf(SET.ab, SET.nab, SET.ba, SET.nba));
}

/** Whether the code-point ranges `x[a0..a1)` and `x[b0..b1)` are equal (lengths first: repeats are rare). */
function sameRange(x: Int32Array, a0: number, a1: number, b0: number, b1: number): boolean {
  if (a1 - a0 !== b1 - b0) return false;
  for (let i = 0; i < a1 - a0; i++) if (x[a0 + i] !== x[b0 + i]) return false;
  return true;
}

/** Order of the code-point ranges `x[a0..a1)` and `y[b0..b1)`: element by element, then the shorter first (Python's order of `str`). */
function compareRanges(x: Int32Array, a0: number, a1: number, y: Int32Array, b0: number, b1: number): number {
  const la = a1 - a0;
  const lb = b1 - b0;
  const n = la < lb ? la : lb;
  for (let i = 0; i < n; i++) {
    const d = x[a0 + i] - y[b0 + i];
    if (d !== 0) return d;
  }
  return la - lb;
}
