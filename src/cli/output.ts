/**
 * Printing query results for `weir show` / `weir query`: an aligned table (cli-table3), CSV
 * (csv-stringify, RFC 4180) or JSON (an array of row objects).
 */
import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';
import type { QueryResult } from '../adapters/adapter.js';

/** Output formats of `show` and `query`. */
export type ResultFormat = 'table' | 'csv' | 'json';

/** Converts an engine value to a display/JSON-safe value (bigint → number when safe, Date → ISO). */
export function plainValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (Array.isArray(v)) return v.map(plainValue);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainValue(x)]));
  return v;
}

const cell = (v: unknown): string => {
  const p = plainValue(v);
  if (p === null || p === undefined) return 'NULL';
  if (typeof p === 'object') return JSON.stringify(p);
  return String(p);
};

/** Renders a result in the given format (with a trailing newline). */
export function formatResult(result: QueryResult, format: ResultFormat): string {
  const names = result.columns.map((c) => c.name);
  if (format === 'json') {
    return `${JSON.stringify(result.rows.map((r) => Object.fromEntries(names.map((n, i) => [n, plainValue(r[i])]))), null, 2)}\n`;
  }
  if (format === 'csv') {
    return stringify([names, ...result.rows.map((r) => r.map((v) => (v === null || v === undefined ? '' : cell(v))))]);
  }
  const table = new Table({ head: names, style: { head: [], border: [] } });
  for (const r of result.rows) table.push(r.map(cell));
  return `${table.toString()}\n${result.rows.length} row${result.rows.length === 1 ? '' : 's'}\n`;
}
