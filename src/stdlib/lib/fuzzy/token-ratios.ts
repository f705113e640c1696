/**
 * Tokens for rapidfuzz's token scorers (words split at Python's whitespace, sorted by code point) and the
 * token_sort / token_set ratios computed on token bounds, without a string per token.
 * @module
 */
import { appendCodePoints, compareCodePoints } from './code-points.js';
import { lcsOf, normDist } from './indel.js';

/** Whitespace-split tokens sorted by code point (rapidfuzz `sorted_split`). */
export function sortedTokens(s: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < s.length; i++) {
    if (isPyWhitespace(s.charCodeAt(i))) {
      if (start >= 0) out.push(s.slice(start, i));
      start = -1;
    } else if (start < 0) start = i;
  }
  if (start >= 0) out.push(start === 0 ? s : s.slice(start));
  return out.length > 1 ? out.sort(compareCodePoints) : out;
}

/** Whether a UTF-16 unit is whitespace to Python's str.isspace() (the PY_WS set of ./fuzz-ratio.ts; all in the BMP). */
function isPyWhitespace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** Token bounds of one string, in sorted order (reused scratch; grown on demand). */
interface TokenBounds {
  start: Int32Array;
  end: Int32Array;
  order: Int32Array;
  n: number;
}

const newBounds = (): TokenBounds => ({ start: new Int32Array(16), end: new Int32Array(16), order: new Int32Array(16), n: 0 });

const TOK_A = newBounds();

const TOK_B = newBounds();

/**
 * Finds the whitespace-separated tokens of `s` (as {@link sortedTokens}) as bounds in `t`, ordered by
 * code point (insertion sort: names have few words), without making a string per token.
 */
function sortTokens(s: string, t: TokenBounds): void {
  let nt = 0;
  let start = -1;
  for (let i = 0; i <= s.length; i++) {
    if (i === s.length || isPyWhitespace(s.charCodeAt(i))) {
      if (start >= 0) {
        if (nt === t.start.length) {
          const grow = (x: Int32Array) => {
            const g = new Int32Array(x.length * 2);
            g.set(x);
            return g;
          };
          t.start = grow(t.start);
          t.end = grow(t.end);
          t.order = new Int32Array(t.start.length);
        }
        t.start[nt] = start;
        t.end[nt] = i;
        nt++;
      }
      start = -1;
    } else if (start < 0) start = i;
  }
  const { start: st, end: en, order } = t;
  for (let k = 0; k < nt; k++) {
    let m = k;
    while (m > 0 && compareRanges(s, st[order[m - 1]], en[order[m - 1]], s, st[k], en[k]) > 0) {
      order[m] = order[m - 1];
      m--;
    }
    order[m] = k;
  }
  t.n = nt;
}

let sortA: Int32Array<ArrayBuffer> = new Int32Array(64);

let sortB: Int32Array<ArrayBuffer> = new Int32Array(64);

let sortedJoinLength = 0;

/**
 * The code points of `sortedTokens(s).join(' ')` written into `buf` (grown if needed; the count goes to
 * `sortedJoinLength`), through the token bounds `t`.
 */
function sortedJoinInto(s: string, buf: Int32Array<ArrayBuffer>, t: TokenBounds, tokenized: boolean): Int32Array<ArrayBuffer> {
  if (!tokenized) sortTokens(s, t);
  if (buf.length < s.length) buf = new Int32Array(Math.max(s.length, buf.length * 2));
  let n = 0;
  for (let k = 0; k < t.n; k++) {
    if (k > 0) buf[n++] = 0x20;
    n = appendCodePoints(s, t.start[t.order[k]], t.end[t.order[k]], buf, n);
  }
  sortedJoinLength = n;
  return buf;
}

/**
 * token_sort_ratio of two (processed) strings; `tokenized`: TOK_A and TOK_B already hold their tokens
 * (WRatio tokenizes once for token_set and token_sort).
 */
export function tokenSortStr(a: string, b: string, tokenized = false): number {
  const x = (sortA = sortedJoinInto(a, sortA, TOK_A, tokenized));
  const nx = sortedJoinLength;
  const y = (sortB = sortedJoinInto(b, sortB, TOK_B, tokenized));
  const ny = sortedJoinLength;
  // the arithmetic of ratioCp, so scores are identical
  const lensum = nx + ny;
  if (lensum === 0) return 100;
  return 100 * (1 - (lensum - 2 * lcsOf(x, nx, y, ny)) / lensum);
}

/**
 * token_set_ratio of two (processed) strings: the sorted distinct tokens of both (as bounds, no string per
 * token) merged into shared and own ones; then rapidfuzz's three comparisons. Leaves the tokens of `a` in
 * TOK_A and of `b` in TOK_B.
 */
export function tokenSetStr(a: string, b: string): number {
  sortTokens(a, TOK_A);
  sortTokens(b, TOK_B);
  const A = TOK_A;
  const B = TOK_B;
  if (A.n === 0 || B.n === 0) return 0;
  if (sortA.length < a.length) sortA = new Int32Array(Math.max(a.length, sortA.length * 2));
  if (sortB.length < b.length) sortB = new Int32Array(Math.max(b.length, sortB.length * 2));
  const ab = sortA;
  const ba = sortB;
  let nab = 0;
  let nba = 0;
  let abWords = 0;
  let baWords = 0;
  let sectWords = 0;
  let sectCps = 0;
  let i = 0;
  let j = 0;
  while (i < A.n || j < B.n) {
    const ia = i < A.n ? A.order[i] : -1;
    const jb = j < B.n ? B.order[j] : -1;
    const c = ia < 0 ? 1 : jb < 0 ? -1 : compareRanges(a, A.start[ia], A.end[ia], b, B.start[jb], B.end[jb]);
    if (c === 0) {
      sectWords++;
      sectCps += rangeCodePoints(a, A.start[ia], A.end[ia]);
    } else if (c < 0) {
      if (abWords++ > 0) ab[nab++] = 0x20;
      nab = appendCodePoints(a, A.start[ia], A.end[ia], ab, nab);
    } else {
      if (baWords++ > 0) ba[nba++] = 0x20;
      nba = appendCodePoints(b, B.start[jb], B.end[jb], ba, nba);
    }
    // skip repeats of the token just taken
    if (c <= 0) {
      const s0 = A.start[ia];
      const e0 = A.end[ia];
      while (i < A.n && compareRanges(a, A.start[A.order[i]], A.end[A.order[i]], a, s0, e0) === 0) i++;
    }
    if (c >= 0) {
      const s0 = B.start[jb];
      const e0 = B.end[jb];
      while (j < B.n && compareRanges(b, B.start[B.order[j]], B.end[B.order[j]], b, s0, e0) === 0) j++;
    }
  }
  if (sectWords > 0 && (abWords === 0 || baWords === 0)) return 100;
  const sectLen = sectWords > 0 ? sectWords - 1 + sectCps : 0;
  const sep = sectLen > 0 ? 1 : 0;
  const sectAbLen = sectLen + sep + nab;
  const sectBaLen = sectLen + sep + nba;
  const result = normDist(nab + nba - 2 * lcsOf(ab, nab, ba, nba), sectAbLen + sectBaLen);
  if (sectLen === 0) return result;
  // "sect" vs "sect + ab" differ only by the appended words: their Indel distance is the length difference
  const sectAb = normDist(sep + nab, sectLen + sectAbLen);
  const sectBa = normDist(sep + nba, sectLen + sectBaLen);
  return Math.max(result, sectAb, sectBa);
}

/** {@link compareCodePoints} of `s.slice(a0, a1)` and `t.slice(b0, b1)`, without slicing. */
function compareRanges(s: string, a0: number, a1: number, t: string, b0: number, b1: number): number {
  const la = a1 - a0;
  const lb = b1 - b0;
  const n = la < lb ? la : lb;
  let i = 0;
  while (i < n && s.charCodeAt(a0 + i) === t.charCodeAt(b0 + i)) i++;
  if (i === n) return la - lb;
  if (i > 0 && isHighSurrogate(s.charCodeAt(a0 + i - 1)) && (isLowSurrogate(s.charCodeAt(a0 + i)) || isLowSurrogate(t.charCodeAt(b0 + i)))) i--;
  return codePointIn(s, a0 + i, a1) - codePointIn(t, b0 + i, b1);
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** The code point starting at index i of `s`, not reading past `end`. */
function codePointIn(s: string, i: number, end: number): number {
  const c = s.charCodeAt(i);
  if (isHighSurrogate(c) && i + 1 < end) {
    const d = s.charCodeAt(i + 1);
    if (isLowSurrogate(d)) return (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
  }
  return c;
}

interface Decomposition {
  intersect: string[];
  diffAB: string[];
  diffBA: string[];
}

/**
 * The distinct tokens of two sorted token lists split into shared and own ones, each sorted: one merge of
 * the two lists (equal tokens are adjacent in a sorted list).
 */
export function decompose(ta: string[], tb: string[]): Decomposition {
  const intersect: string[] = [];
  const diffAB: string[] = [];
  const diffBA: string[] = [];
  let i = 0;
  let j = 0;
  while (i < ta.length || j < tb.length) {
    const c = i >= ta.length ? 1 : j >= tb.length ? -1 : compareCodePoints(ta[i], tb[j]);
    const t = c <= 0 ? ta[i] : tb[j];
    if (c === 0) intersect.push(t);
    else if (c < 0) diffAB.push(t);
    else diffBA.push(t);
    if (c <= 0) while (i < ta.length && ta[i] === t) i++;
    if (c >= 0) while (j < tb.length && tb[j] === t) j++;
  }
  return { intersect, diffAB, diffBA };
}

/** Number of code points of `s[from..to)`. */
function rangeCodePoints(s: string, from: number, to: number): number {
  let n = to - from;
  for (let i = from; i + 1 < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}
