/**
 * Reads a whole VARCHAR argument vector of a DuckDB scalar-function chunk into JavaScript strings at once,
 * for the UDF loop of udfs.ts.
 *
 * A VARCHAR vector is an array of 16-byte `string_t` headers (https://duckdb.org/docs/stable/internals/vector#strings):
 * a 4-byte length, then either the string itself (≤ 12 bytes, inlined) or a 4-byte prefix and an 8-byte
 * pointer to the bytes elsewhere. @duckdb/node-api reads a non-inlined string with one native call
 * (`get_data_from_pointer`, which returns a new Uint8Array) and one TextDecoder call per value, and tests
 * validity with BigInt arithmetic per row; at a few million rows per second those dominate a UDF call.
 *
 * Here, per chunk:
 * - validity is read as bytes (bit i of DuckDB's little-endian 64-bit validity words is bit i & 7 of byte i >> 3);
 * - inlined strings are decoded from the header in JavaScript;
 * - consecutive non-inlined strings whose bytes lie close together in memory (DuckDB's string heaps fill
 *   forwards or backwards, so a chunk's strings are usually neighbours) form a run that is read with ONE
 *   native call, then each string is decoded from its own bytes of the run. A run never spans a gap of
 *   2,048 bytes or more between its strings, so every byte it reads is on a memory page that also holds
 *   one of its strings (pages are at least 4,096 bytes): nothing is read that could fault. The bytes
 *   between strings are read but never decoded.
 *
 * The reader uses fields that @duckdb/node-api 1.5.5-r.5 (pinned) keeps on its vectors (`dataView`,
 * `validity.data`, `validity.offset`); when they are not there it returns false and the caller reads
 * values one by one with `getItem`.
 */
import bindings from '@duckdb/node-bindings';
import type { DuckDBVector } from '@duckdb/node-api';

/** Largest gap between the strings of one run, in bytes (less than the smallest page size, 4,096). */
const MAX_HOLE = 2048;
/** A run may span more than this many bytes only while at least half of them are its strings. */
const MAX_SPAN = 65536;

/** Scratch of one reader (reused from chunk to chunk; grown on demand). */
export interface VarcharScratch {
  /** Row of each non-inlined string of the chunk, in row order. */
  rows: Int32Array;
  /** Their lengths in bytes. */
  lens: Int32Array;
  /** Their addresses (exact as doubles: addresses fit in 53 bits). */
  ptrs: Float64Array;
}

/** New scratch buffers for {@link readVarcharVector}. */
export function varcharScratch(): VarcharScratch {
  return { rows: new Int32Array(2048), lens: new Int32Array(2048), ptrs: new Float64Array(2048) };
}

/** UTF-16 units of the inlined string being decoded (at most 12: one per byte at most). */
const units = new Uint16Array(12);

/**
 * Decodes `len` ≤ 12 bytes of valid UTF-8 at `at` (DuckDB guarantees VARCHAR is valid UTF-8) into one
 * string: the UTF-16 units go to a reused buffer and become a string in one `String.fromCharCode` call
 * (appending character by character made a new string per character).
 */
function decodeSmall(bytes: Uint8Array, at: number, len: number): string {
  let n = 0;
  for (let i = at, end = at + len; i < end;) {
    const b = bytes[i];
    if (b < 0x80) {
      units[n++] = b;
      i++;
    } else if (b < 0xe0) {
      units[n++] = ((b & 0x1f) << 6) | (bytes[i + 1] & 0x3f);
      i += 2;
    } else if (b < 0xf0) {
      units[n++] = ((b & 0x0f) << 12) | ((bytes[i + 1] & 0x3f) << 6) | (bytes[i + 2] & 0x3f);
      i += 3;
    } else {
      const cp = (((b & 0x07) << 18) | ((bytes[i + 1] & 0x3f) << 12) | ((bytes[i + 2] & 0x3f) << 6) | (bytes[i + 3] & 0x3f)) - 0x10000;
      units[n++] = 0xd800 + (cp >> 10);
      units[n++] = 0xdc00 + (cp & 0x3ff);
      i += 4;
    }
  }
  const u = units;
  switch (n) {
    case 0: return '';
    case 1: return String.fromCharCode(u[0]);
    case 2: return String.fromCharCode(u[0], u[1]);
    case 3: return String.fromCharCode(u[0], u[1], u[2]);
    case 4: return String.fromCharCode(u[0], u[1], u[2], u[3]);
    case 5: return String.fromCharCode(u[0], u[1], u[2], u[3], u[4]);
    case 6: return String.fromCharCode(u[0], u[1], u[2], u[3], u[4], u[5]);
    case 7: return String.fromCharCode(u[0], u[1], u[2], u[3], u[4], u[5], u[6]);
    case 8: return String.fromCharCode(u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7]);
    case 9: return String.fromCharCode(u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8]);
    case 10: return String.fromCharCode(u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9]);
    case 11: return String.fromCharCode(u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10]);
    default: return String.fromCharCode(u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11]);
  }
}

/**
 * Reads rows `0..rowCount` of a VARCHAR vector into `out` (strings, or null for NULL).
 * @returns false (and `out` untouched) when the vector does not have the fields this reader relies on
 */
export function readVarcharVector(vector: DuckDBVector, rowCount: number, out: unknown[], scratch: VarcharScratch): boolean {
  const v = vector as unknown as { dataView?: unknown; validity?: { data?: unknown; offset?: unknown } };
  const dv = v.dataView;
  const validityData = v.validity?.data;
  if (!(dv instanceof DataView) || v.validity?.offset !== 0 || !(validityData === null || validityData instanceof BigUint64Array)) return false;
  if (dv.byteLength < rowCount * 16) return false;
  const valid = validityData ? new Uint8Array(validityData.buffer, validityData.byteOffset, validityData.byteLength) : null;
  const bytes = new Uint8Array(dv.buffer, dv.byteOffset, dv.byteLength);
  if (scratch.rows.length < rowCount) {
    scratch.rows = new Int32Array(rowCount);
    scratch.lens = new Int32Array(rowCount);
    scratch.ptrs = new Float64Array(rowCount);
  }
  const { rows, lens, ptrs } = scratch;
  let nLong = 0;
  for (let row = 0; row < rowCount; row++) {
    if (valid !== null && (valid[row >> 3] & (1 << (row & 7))) === 0) {
      out[row] = null;
      continue;
    }
    const at = row * 16;
    const len = dv.getUint32(at, true);
    if (len <= 12) {
      out[row] = decodeSmall(bytes, at + 4, len);
      continue;
    }
    rows[nLong] = row;
    lens[nLong] = len;
    ptrs[nLong] = dv.getUint32(at + 12, true) * 4294967296 + dv.getUint32(at + 8, true);
    nLong++;
  }
  // Runs: consecutive non-inlined strings whose byte ranges lie in one span of memory with no hole of
  // MAX_HOLE bytes or more, read with one native call. Every byte of such a span is readable: each hole lies
  // between two bytes of strings DuckDB handed over (readable, since they are its arguments) less than a
  // page apart (pages are ≥ 4,096 bytes on every platform Node runs on), so it lies within their pages.
  // The bytes of holes are never decoded.
  for (let i = 0; i < nLong;) {
    let lo = ptrs[i];
    let hi = lo + lens[i];
    let first = i; // the string at the span's lowest address (its header holds the pointer read from)
    let used = lens[i];
    let j = i + 1;
    for (; j < nLong; j++) {
      const p = ptrs[j];
      const end = p + lens[j];
      if (p > hi + MAX_HOLE || end < lo - MAX_HOLE) break;
      const nlo = p < lo ? p : lo;
      const nhi = end > hi ? end : hi;
      if (nhi - nlo > MAX_SPAN && nhi - nlo > 2 * (used + lens[j])) break;
      if (p < lo) first = j;
      lo = nlo;
      hi = nhi;
      used += lens[j];
    }
    const buf = bindings.get_data_from_pointer(dv.buffer as ArrayBuffer, dv.byteOffset + rows[first] * 16 + 8, hi - lo);
    // Node's Buffer decodes a slice of UTF-8 straight into a V8 string (no Uint8Array per value)
    const nb = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    for (let k = i; k < j; k++) {
      const at = ptrs[k] - lo;
      out[rows[k]] = nb.toString('utf8', at, at + lens[k]);
    }
    i = j;
  }
  return true;
}
