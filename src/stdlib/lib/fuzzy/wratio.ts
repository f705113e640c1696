/**
 * rapidfuzz's `fuzz.WRatio` as one combined scorer: the strings are read into code points once and
 * tokenized once, the token scorers share their token lists, sorted joins and LCS lengths, and a scorer
 * whose best possible score cannot raise the result is not run at all.
 *
 * This follows rapidfuzz's design (https://rapidfuzz.github.io/RapidFuzz/Usage/fuzz.html#wratio, and
 * `WRatio` / `token_ratio` / `partial_token_ratio` in rapidfuzz's fuzz_py.py): WRatio passes the best score
 * so far down as `score_cutoff`, and `token_ratio` computes token_set and token_sort together. Here the
 * cut-off is exact rather than a threshold: a scorer is skipped only when an upper bound of its score,
 * computed with the same floating-point expression as the score itself at the largest possible LCS
 * (see ratioOf in ./indel.ts), times its weight is at most the best so far, so the maximum, and therefore
 * every result, is the same to the last bit as computing every scorer.
 * @module
 */
import { lcsMasked, lcsOf, MAX_BITS, partialRatioCp, partialRatioMasked, pmClear, pmSet, ratioOf } from './indel.js';
import {
  isSortedJoin, readTokens, SET, setDecompose, setIsSubset, setScore, SORTED, sortedJoinLength, sortedJoins, TOK_A, TOK_B,
} from './token-ratios.js';

/** Weight of the token scorers (fuzzywuzzy's UNBASE_SCALE). */
const UNBASE = 0.95;

/** Code points of the two strings (reused; JavaScript runs one call at a time). */
let cpX: Int32Array<ArrayBuffer> = new Int32Array(64);

let cpY: Int32Array<ArrayBuffer> = new Int32Array(64);

/**
 * rapidfuzz `fuzz.WRatio` of two already processed strings (see fuzzWRatio in ./fuzz-ratio.ts for the
 * definition). With r = |longer| / |shorter| in code points and `end` = ratio:
 * - r < 1.5: max(end, 0.95 · token_set, 0.95 · token_sort). When both strings are their own sorted join
 *   (tokens in order, single spaces) token_sort is `end` itself and adds nothing; when the strings share no
 *   token and repeat none, token_set compares the same sorted joins, so one LCS serves both.
 * - otherwise, s = 0.9 (r ≤ 8) or 0.6: max(end, s · partial_ratio, 0.95 · s · partial_token_ratio). The
 *   shorter string's bit masks serve partial_ratio's windows and `end`; `end` is skipped when even an LCS
 *   of the whole shorter string could not beat s · partial_ratio, the token part when 0.95 · s · 100
 *   cannot beat the rest, and partial_token_ratio reuses partial_ratio when the strings are their own
 *   sorted joins.
 * @returns a score in [0, 100]; 0 when either string is empty.
 */
export function wRatio(s1: string, s2: string): number {
  // code points and tokens in one pass per string (the token scorers need them on nearly every path)
  if (cpX.length < s1.length) cpX = new Int32Array(Math.max(s1.length, cpX.length * 2));
  if (cpY.length < s2.length) cpY = new Int32Array(Math.max(s2.length, cpY.length * 2));
  const nx = readTokens(s1, cpX, TOK_A);
  const ny = readTokens(s2, cpY, TOK_B);
  if (nx === 0 || ny === 0) return 0;
  const lenRatio = nx > ny ? nx / ny : ny / nx;
  if (lenRatio < 1.5) {
    const lcsEnd = lcsOf(cpX, nx, cpY, ny);
    return tokenPart(nx, ny, ratioOf(nx + ny, lcsEnd), lcsEnd);
  }
  // lengths differ: partial_ratio aligns the shorter string in the longer one, and the shorter one's LCS
  // masks serve both its windows and the plain ratio
  const PARTIAL = lenRatio <= 8 ? 0.9 : 0.6;
  const xShorter = nx < ny;
  const sh = xShorter ? cpX : cpY;
  const ns = xShorter ? nx : ny;
  const lo = xShorter ? cpY : cpX;
  const nl = xShorter ? ny : nx;
  let best: number;
  let partial: number;
  if (ns <= MAX_BITS) {
    pmSet(sh, 0, ns);
    partial = partialRatioMasked(ns, lo, 0, nl);
    best = partial * PARTIAL;
    // ratio, unless its bound (all of the shorter string in common) cannot beat partial_ratio's share
    if (ratioOf(nx + ny, ns) > best) best = Math.max(ratioOf(nx + ny, lcsMasked(ns, lo, 0, nl)), best);
    pmClear(sh, 0, ns);
  } else {
    partial = partialRatioCp(cpX, nx, cpY, ny);
    best = Math.max(ratioOf(nx + ny, lcsOf(cpX, nx, cpY, ny)), partial * PARTIAL);
  }
  if (100 * UNBASE * PARTIAL <= best) return best;
  return Math.max(best, partialTokenRatio(partial, nx, ny) * UNBASE * PARTIAL);
}

/** max(end, 0.95 · token_set_ratio, 0.95 · token_sort_ratio), skipping what cannot beat the best so far. */
function tokenPart(nx: number, ny: number, end: number, lcsEnd: number): number {
  if (100 * UNBASE <= end) return end;
  const x = cpX;
  const y = cpY;
  const canonical = isSortedJoin(x, nx, TOK_A) && isSortedJoin(y, ny, TOK_B);
  let best = end;
  // token_set_ratio (0 when either string has no token)
  let sharedLcs = -1; // LCS of the sorted joins, when token_set computed it
  let diffsAreJoins = false;
  if (TOK_A.n > 0 && TOK_B.n > 0) {
    setDecompose(x, nx, y, ny);
    if (setIsSubset()) return Math.max(best, 100 * UNBASE);
    // no shared and no repeated token: token_set's own-token strings are the sorted joins
    diffsAreJoins = SET.sectWords === 0 && SET.abWords === TOK_A.n && SET.baWords === TOK_B.n;
    if (diffsAreJoins && canonical) {
      best = Math.max(best, setScore(lcsEnd) * UNBASE);
      return best; // token_sort is `end`
    }
    if (setScore(Math.min(SET.nab, SET.nba)) * UNBASE > best) {
      const lcs = lcsOf(SET.ab, SET.nab, SET.ba, SET.nba);
      if (diffsAreJoins) sharedLcs = lcs;
      best = Math.max(best, setScore(lcs) * UNBASE);
    }
  }
  // token_sort_ratio: equal to `end` (so never above it) when both strings are their own sorted joins
  if (canonical) return best;
  if (sharedLcs >= 0) return Math.max(best, ratioOf(SET.nab + SET.nba, sharedLcs) * UNBASE);
  const la = sortedJoinLength(TOK_A);
  const lb = sortedJoinLength(TOK_B);
  if (ratioOf(la + lb, Math.min(la, lb)) * UNBASE <= best) return best;
  sortedJoins(x, nx, y, ny);
  return Math.max(best, ratioOf(SORTED.na + SORTED.nb, lcsOf(SORTED.a, SORTED.na, SORTED.b, SORTED.nb)) * UNBASE);
}

/**
 * rapidfuzz `partial_token_ratio`: 100 when the strings share a token, else the best partial_ratio of the
 * sorted joins and (when a string repeats a token) of the sorted distinct own tokens. `partialXY` is
 * partial_ratio of the strings themselves (−1: not computed), reused when both are their own sorted joins.
 */
function partialTokenRatio(partialXY: number, nx: number, ny: number): number {
  const x = cpX;
  const y = cpY;
  setDecompose(x, nx, y, ny);
  if (SET.sectWords > 0) return 100;
  let result: number;
  if (isSortedJoin(x, nx, TOK_A) && isSortedJoin(y, ny, TOK_B)) {
    result = partialXY >= 0 ? partialXY : partialRatioCp(x, nx, y, ny);
  } else {
    sortedJoins(x, nx, y, ny);
    result = partialRatioCp(SORTED.a, SORTED.na, SORTED.b, SORTED.nb);
  }
  if (SET.abWords === TOK_A.n && SET.baWords === TOK_B.n) return result;
  return Math.max(result, partialRatioCp(SET.ab, SET.nab, SET.ba, SET.nba));
}
