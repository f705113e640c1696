/**
 * Query results for people and programs (`weir show` / `weir query`), printed exactly as DuckDB prints them.
 *
 * - `text`: every value as DuckDB's own cast to VARCHAR renders it (the text the DuckDB CLI and the Python
 *   module's `.show()` print): DECIMAL with its scale (`1.10`), DATE `2024-12-22`, TIMESTAMP without a zone,
 *   BIGINT/HUGEINT with every digit, DOUBLE/FLOAT as the engine's shortest representation. A single
 *   SELECT-like statement is wrapped once as `select columns(*)::varchar from (<sql>)`, so it still runs once.
 * - `json`: each value's JSON text, with one JSON type per column and exact digits (see {@link jsonText}).
 * Any other statement (DML, several statements, `pragma`, ...) runs as is and is rendered from the values.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { duckdb } from './node-api.js';
import type { QueryResult } from '../adapter.js';

/** How a result is meant to be printed. */
export type DisplayMode = 'text' | 'json';

/** Column types written as JSON numbers with DuckDB's exact digits (and a DECIMAL's scale). */
const NUMBER_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|BIGNUM|VARINT|DECIMAL|FLOAT|DOUBLE)(\(\d+,\d+\))?$/;
/** Nested types, written as DuckDB's `to_json` writes them. */
const NESTED_TYPE = /(\[\d*\]$|^STRUCT|^MAP|^UNION)/;

/**
 * The JSON text of one value of a column of `type`: numbers (every integer width, DECIMAL, FLOAT, DOUBLE)
 * as JSON numbers with the digits DuckDB prints (`9223372036854775807`, `1.10`, `0.1`) — so a column has one
 * JSON type and no digit is lost; `inf`, `-inf` and `nan`, which JSON cannot hold as numbers, as those
 * strings; BOOLEAN `true`/`false`; lists, structs, maps and unions as DuckDB's `to_json` writes them;
 * everything else (dates, times, timestamps, intervals, UUIDs, blobs, ...) as a string of DuckDB's text.
 * @param text the value cast to VARCHAR by DuckDB (null for NULL)
 * @param json the value's `to_json` text
 */
export function jsonText(type: string, text: string | null, json: string | null): string {
  if (text === null) return 'null';
  if (type === 'BOOLEAN') return text;
  if (NESTED_TYPE.test(type)) return json ?? 'null';
  if (NUMBER_TYPE.test(type)) return /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(text) ? text : JSON.stringify(text);
  return JSON.stringify(text);
}

const SELECT_LIKE = /^\s*(\(?\s*)*(select|with|from|values|table)\b/i;

/**
 * Runs `sql` for display.
 * @returns columns with their engine types and rows of DuckDB's text (`text`) or JSON texts (`json`),
 *   with `rendered` set accordingly
 * @throws the engine's error (callers map it to AdapterError)
 */
export async function displayQuery(conn: DuckDBConnection, sql: string, mode: DisplayMode): Promise<QueryResult> {
  const body = sql.trim().replace(/;\s*$/, '');
  const extracted = await conn.extractStatements(body);
  if (extracted.count === 1) {
    const prepared = await extracted.prepare(0);
    try {
      if (prepared.statementType === duckdb.StatementType.SELECT && SELECT_LIKE.test(body)) {
        const n = prepared.columnCount;
        const columns = Array.from({ length: n }, (_, i) => ({ name: prepared.columnName(i), type: String(prepared.columnType(i)) }));
        if (mode === 'text') {
          const reader = await conn.runAndReadAll(`select columns(*)::varchar from (\n${body}\n) as weir_display`);
          return { columns, rows: reader.getRows() as (string | null)[][], rendered: 'text' };
        }
        // JSON: DuckDB's text and its to_json of each value, from one run (two projections of the same rows).
        const reader = await conn.runAndReadAll(`select columns(*)::varchar, to_json(columns(*))::varchar from (\n${body}\n) as weir_display`);
        const rows = reader.getRows() as (string | null)[][];
        return { columns, rows: rows.map((r) => columns.map((c, i) => jsonText(c.type, r[i], r[n + i]))), rendered: 'json' };
      }
    } finally {
      prepared.destroySync();
    }
  }
  const reader = await conn.runAndReadAll(body);
  const names = reader.columnNames();
  const types = reader.columnTypes().map(String);
  const columns = names.map((name, i) => ({ name, type: types[i] }));
  if (mode === 'text') {
    const rows = (reader.getRows() as DuckDBValue[][]).map((r) => r.map((v) => (v === null ? null : String(v))));
    return { columns, rows, rendered: 'text', rowsAffected: reader.rowsChanged };
  }
  const json = reader.getRowsJson() as unknown[][];
  const values = reader.getRows() as DuckDBValue[][];
  return {
    columns,
    rows: values.map((r, j) => r.map((v, i) => jsonText(types[i], v === null ? null : String(v), JSON.stringify(json[j][i])))),
    rendered: 'json',
    rowsAffected: reader.rowsChanged,
  };
}
