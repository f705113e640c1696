/**
 * Code-point helpers shared by the fuzzy-matching metrics: every metric compares Unicode code points, not
 * UTF-16 code units (see ../fuzzy.ts).
 * @module
 */

/** Code points of a string (astral characters count once). */
export function codePoints(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out.push((c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000);
        i++;
        continue;
      }
    }
    out.push(c);
  }
  return out;
}

/**
 * Compares strings by code point, as Python's `sorted()` does (JS `<` compares UTF-16 units), without
 * allocating: the strings agree up to their first differing UTF-16 unit, so the order is that of the code
 * points starting there (one unit earlier when that unit completes a surrogate pair). Unpaired surrogates
 * count as code points of their own value, as in {@link codePoints}.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length - b.length;
  if (i > 0 && isHigh(a.charCodeAt(i - 1)) && (isLow(a.charCodeAt(i)) || isLow(b.charCodeAt(i)))) i--;
  return codePointAt(a, i) - codePointAt(b, i);
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** The code point starting at UTF-16 index i (a surrogate pair, or the unit itself). */
function codePointAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (isHigh(c) && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (isLow(d)) return (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
  }
  return c;
}

/** Number of set bits of a 32-bit integer. */
export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Writes the code points of `s` into `buf` (grown if needed; the count goes to `codePointsLength`). @returns the buffer written */
export function codePointsInto(s: string, buf: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  if (buf.length < s.length) buf = new Int32Array(Math.max(s.length, buf.length * 2));
  codePointsLength = appendCodePoints(s, 0, s.length, buf, 0);
  return buf;
}

/**
 * Appends the code points of `s[from..to)` (UTF-16 indexes; a surrogate pair is one code point, a lone
 * surrogate stands for itself) to `buf` at `n`; `buf` must have room for `to - from` more entries.
 * @returns the new length
 */
export function appendCodePoints(s: string, from: number, to: number, buf: Int32Array, n: number): number {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        buf[n++] = (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
        i++;
        continue;
      }
    }
    buf[n++] = c;
  }
  return n;
}
/** Number of code points written by the last {@link codePointsInto} call. */
export let codePointsLength = 0;
