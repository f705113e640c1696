/**
 * Printing query results for `weir show` / `weir query`: an aligned table (cli-table3) that fits the
 * terminal width, CSV (csv-stringify, RFC 4180) or JSON (an array of row objects).
 *
 * Values are printed exactly: results read with `display` (DuckDB) carry the engine's own text of each
 * value, or JSON with one type per column (adapters/duckdb/display.ts). Results from engines without it are
 * formatted here by column type (exact digits for 64-bit integers and decimals, DATE as `YYYY-MM-DD`,
 * TIMESTAMP without a zone as `YYYY-MM-DD HH:MM:SS[.fff]`).
 */
import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';
import type { ColumnMeta, QueryResult } from '../adapters/adapter.js';

/** Output formats of `show` and `query`. */
export type ResultFormat = 'table' | 'csv' | 'json';

/** Options of {@link formatResult}. */
export interface FormatOptions {
  /** Terminal width in characters: the table is fitted to it (cells cut with `…`). Absent: no limit. */
  readonly width?: number;
}

const EXACT = /^(BIGINT|UBIGINT|HUGEINT|UHUGEINT|INT64|INT128|DECIMAL|NUMERIC|NUMBER|BIGNUM|VARINT)/i;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * Converts an engine value to a JSON-safe value for a column of `type` (engines without
 * `Connection.display`): 64-bit integers and decimals as strings of exact digits in every row; DATE as
 * `YYYY-MM-DD`; TIMESTAMP without a zone as `YYYY-MM-DD HH:MM:SS[.fff]` (UTC wall clock, no zone invented);
 * zoned timestamps as ISO 8601 instants; blobs as hex.
 */
export function plainValue(v: unknown, type = ''): unknown {
  if (v === null || v === undefined) return null;
  if (EXACT.test(type) && (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'string')) return String(v);
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) {
    const t = type.toUpperCase();
    const date = `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
    if (t === 'DATE') return date;
    if (t.startsWith('TIMESTAMP') && !/TZ|TIME ZONE/.test(t)) {
      const ms = v.getUTCMilliseconds();
      return `${date} ${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}:${pad(v.getUTCSeconds())}${ms ? `.${pad(ms, 3).replace(/0+$/, '')}` : ''}`;
    }
    return v.toISOString();
  }
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (Array.isArray(v)) return v.map((x) => plainValue(x));
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainValue(x)]));
  return v;
}

/** Rows as text cells (null stays null). */
function textRows(result: QueryResult): (string | null)[][] {
  if (result.rendered === 'text') return result.rows.map((r) => r.map((v) => (v === null || v === undefined ? null : String(v))));
  return result.rows.map((r) => r.map((v, i) => {
    const p = result.rendered === 'json' ? JSON.parse(String(v)) as unknown : plainValue(v, result.columns[i]?.type);
    if (p === null || p === undefined) return null;
    return typeof p === 'object' ? JSON.stringify(p) : result.rendered === 'json' && typeof p !== 'string' ? String(v) : String(p);
  }));
}

/** The JSON text of a value of an engine without `display`: exact digits stay digits. */
function jsonTextOf(v: unknown, c: ColumnMeta | undefined): string {
  const p = plainValue(v, c?.type);
  if (typeof p === 'string' && EXACT.test(c?.type ?? '') && /^-?\d+(\.\d+)?$/.test(p)) return p;
  return JSON.stringify(p ?? null);
}

/**
 * JSON text of the rows: an array of objects, laid out as `JSON.stringify(rows, null, 2)` would, with each
 * value's text spliced in as is (so 64-bit integers and decimals keep every digit as JSON numbers).
 */
function jsonRows(result: QueryResult): string {
  if (result.rows.length === 0) return '[]';
  const keys = result.columns.map((c) => JSON.stringify(c.name));
  const objects = result.rows.map((r) => {
    const fields = keys.map((k, i) => `    ${k}: ${result.rendered === 'json' ? String(r[i]) : jsonTextOf(r[i], result.columns[i])}`);
    return fields.length ? `  {\n${fields.join(',\n')}\n  }` : '  {}';
  });
  return `[\n${objects.join(',\n')}\n]`;
}

/** Renders a result in the given format (with a trailing newline). */
export function formatResult(result: QueryResult, format: ResultFormat, options: FormatOptions = {}): string {
  const names = result.columns.map((c) => c.name);
  if (format === 'json') return `${jsonRows(result)}\n`;
  const rows = textRows(result);
  if (format === 'csv') return stringify([names, ...rows.map((r) => r.map((v) => v ?? ''))]);
  const footer = `${rows.length} row${rows.length === 1 ? '' : 's'}\n`;
  return `${fittedTable(names, rows.map((r) => r.map((v) => v ?? 'NULL')), options.width)}\n${footer}`;
}

/** Display width of a string (code points; the widest line of a multi-line cell). */
const widthOf = (s: string): number => Math.max(0, ...s.split('\n').map((l) => [...l].length));
const MIN_COLUMN = 5;

/**
 * A table no wider than `width`: columns keep their natural width when everything fits; otherwise the
 * widest are narrowed (cells cut with `…`) to the largest common cap that fits; when even
 * {@link MIN_COLUMN} characters per column do not fit, rows are printed vertically (one `column | value`
 * line per column, as psql's expanded mode).
 */
function fittedTable(names: readonly string[], rows: readonly string[][], width?: number): string {
  const natural = names.map((n, i) => Math.max(widthOf(n), ...rows.map((r) => widthOf(r[i]))) + 2);
  const borders = names.length + 1;
  const total = natural.reduce((a, b) => a + b, 0) + borders;
  const style = { head: [] as string[], border: [] as string[] };
  if (width === undefined || total <= width) {
    const table = new Table({ head: [...names], style });
    for (const r of rows) table.push(r);
    return table.toString();
  }
  const budget = width - borders;
  if (budget < names.length * MIN_COLUMN) return verticalRows(names, rows, width);
  // The largest cap c with sum(min(natural, c)) <= budget; the leftover goes to the capped columns.
  let lo = MIN_COLUMN;
  let hi = Math.max(...natural);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (natural.reduce((a, n) => a + Math.min(n, mid), 0) <= budget) lo = mid;
    else hi = mid - 1;
  }
  const colWidths = natural.map((n) => Math.min(n, lo));
  let left = budget - colWidths.reduce((a, b) => a + b, 0);
  for (let i = 0; i < colWidths.length && left > 0; i++) {
    if (colWidths[i] < natural[i]) {
      const add = Math.min(left, natural[i] - colWidths[i]);
      colWidths[i] += add;
      left -= add;
    }
  }
  const table = new Table({ head: [...names], colWidths, wordWrap: false, truncate: '…', style });
  for (const r of rows) table.push(r.map((c) => c.split('\n')[0]));
  return table.toString();
}

/** Expanded display: `-[ row N ]` then `column | value` per column, each line cut to `width`. */
function verticalRows(names: readonly string[], rows: readonly string[][], width: number): string {
  const nameWidth = Math.min(Math.max(...names.map(widthOf)), Math.max(1, Math.floor(width / 3)));
  const cut = (s: string, w: number) => ([...s].length > w ? `${[...s].slice(0, Math.max(0, w - 1)).join('')}…` : s);
  const out: string[] = [];
  rows.forEach((r, i) => {
    out.push(cut(`-[ row ${i + 1} ]${'-'.repeat(Math.max(0, width))}`, width).replace(/…$/, '-'));
    names.forEach((n, j) => out.push(cut(`${cut(n, nameWidth).padEnd(nameWidth)} | ${r[j].split('\n')[0]}`, width)));
  });
  return out.join('\n');
}
