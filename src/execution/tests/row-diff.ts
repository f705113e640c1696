/**
 * Compares a unit test's actual rows with its expected rows as multisets on the expected columns (row
 * order and other columns ignored, duplicates counted), as dbt's unit tests do
 * (https://docs.getdbt.com/docs/build/unit-tests). Values are compared by the actual column's type, so
 * `12.5` matches a DECIMAL `12.50`, `'2024-01-31'` a DATE, and CSV text `'3'` an integer.
 */
import type { ColumnMeta } from '../../adapters/adapter.js';

/** Result of {@link diffRows}. */
export interface RowDiff {
  /** Expected rows the query did not return (as given in YAML). */
  readonly missing: readonly Readonly<Record<string, unknown>>[];
  /** Returned rows that were not expected (expected columns only). */
  readonly extra: readonly Readonly<Record<string, unknown>>[];
  /** Expected columns the query does not return. */
  readonly missingColumns: readonly string[];
  /** The compared columns, as named in the expectation. */
  readonly columns: readonly string[];
}

type Family = 'int' | 'number' | 'bool' | 'date' | 'timestamp' | 'text';

/** The comparison family of an engine type name (`BIGINT` → int, `DECIMAL(10,2)` → number, ...). */
export function typeFamilyOf(type: string | undefined): Family {
  const t = (type ?? '').toLowerCase().trim();
  if (/^(tinyint|smallint|int|integer|bigint|hugeint|int\d|long|short|byte|ubigint|uinteger|usmallint|utinyint|uhugeint)\b/.test(t)) return 'int';
  if (/^number\(\s*\d+\s*(,\s*0\s*)?\)$/.test(t) || t === 'fixed') return 'int';
  if (/^(double|float|real|decimal|numeric|number)/.test(t)) return 'number';
  if (/^bool/.test(t)) return 'bool';
  if (t === 'date') return 'date';
  if (/^timestamp|^datetime/.test(t)) return 'timestamp';
  return 'text';
}

const NULL = '\u0000null';

/**
 * A canonical text of a value for comparison within a type family: numbers to 12 significant digits,
 * booleans as true/false, dates as `YYYY-MM-DD`, timestamps as `YYYY-MM-DD HH:MM:SS[.fff]` without trailing
 * zeros or a `Z`, NULL as a marker no text equals.
 */
export function canonical(v: unknown, family: Family): string {
  if (v === null || v === undefined) return NULL;
  if (v instanceof Date) {
    const iso = v.toISOString();
    return family === 'date' ? iso.slice(0, 10) : canonical(iso, 'timestamp');
  }
  switch (family) {
    case 'int':
      if (typeof v === 'bigint') return v.toString();
      if (typeof v === 'string' && /^[-+]?\d+$/.test(v.trim())) return BigInt(v.trim()).toString();
      return canonical(v, 'number');
    case 'number': {
      const n = typeof v === 'bigint' ? Number(v) : typeof v === 'string' && v.trim() !== '' ? Number(v) : typeof v === 'number' ? v : NaN;
      if (Number.isNaN(n)) return String(v);
      return String(Number(n.toPrecision(12)));
    }
    case 'bool': {
      const s = String(v).toLowerCase();
      return s === '1' ? 'true' : s === '0' ? 'false' : s;
    }
    case 'date':
      return String(v).slice(0, 10);
    case 'timestamp': {
      let s = String(v).trim().replace('T', ' ').replace(/(Z|[+-]00(:?00)?| UTC)$/, '');
      if (/^\d{4}-\d{2}-\d{2}$/.test(s)) s += ' 00:00:00';
      return s.replace(/(\d{2}:\d{2}:\d{2})\.(\d*?)0*$/, (_m, hms: string, frac: string) => (frac ? `${hms}.${frac}` : hms));
    }
    default:
      if (typeof v === 'object') return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
      return String(v);
  }
}

/**
 * Diffs actual rows against expected rows on the expected columns (matched to result columns exactly, else
 * case-insensitively: Snowflake returns unquoted names in upper case).
 * @param actualColumns result columns with engine types
 * @param actualRows result rows (positional)
 * @param expected expected rows as mappings (a column a row lacks is expected NULL)
 * @param expectedColumns the compared columns, in display order
 */
export function diffRows(
  actualColumns: readonly ColumnMeta[], actualRows: readonly (readonly unknown[])[],
  expected: readonly Readonly<Record<string, unknown>>[], expectedColumns: readonly string[],
): RowDiff {
  const index = new Map<string, number>();
  const missingColumns: string[] = [];
  for (const c of expectedColumns) {
    let i = actualColumns.findIndex((a) => a.name === c);
    if (i < 0) i = actualColumns.findIndex((a) => a.name.toLowerCase() === c.toLowerCase());
    if (i < 0) missingColumns.push(c);
    else index.set(c, i);
  }
  if (missingColumns.length) return { missing: [], extra: [], missingColumns, columns: expectedColumns };
  const families = expectedColumns.map((c) => typeFamilyOf(actualColumns[index.get(c)!].type));
  const keyOf = (vals: readonly unknown[]) => JSON.stringify(vals.map((v, k) => canonical(v, families[k])));
  const valueOf = (row: Readonly<Record<string, unknown>>, c: string): unknown => {
    if (Object.prototype.hasOwnProperty.call(row, c)) return row[c];
    const k = Object.keys(row).find((x) => x.toLowerCase() === c.toLowerCase());
    return k === undefined ? null : row[k];
  };
  const want = new Map<string, Readonly<Record<string, unknown>>[]>();
  for (const row of expected) {
    const k = keyOf(expectedColumns.map((c) => valueOf(row, c)));
    (want.get(k) ?? want.set(k, []).get(k)!).push(row);
  }
  const extra: Record<string, unknown>[] = [];
  for (const r of actualRows) {
    const vals = expectedColumns.map((c) => r[index.get(c)!]);
    const k = keyOf(vals);
    const bucket = want.get(k);
    if (bucket?.length) bucket.pop();
    else extra.push(Object.fromEntries(expectedColumns.map((c, j) => [c, vals[j]])));
  }
  const missing = [...want.values()].flat();
  return { missing, extra, missingColumns: [], columns: expectedColumns };
}

const show = (v: unknown): string => {
  if (v === null || v === undefined) return 'null';
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace(/(\.000)?Z$/, '');
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
};

/**
 * A readable diff: a table of the compared columns where `-` rows were expected but missing and `+` rows
 * came back unexpectedly (at most `limit` of each).
 */
export function formatRowDiff(d: RowDiff, limit = 20): string {
  if (d.missingColumns.length) return `the model returns no column ${d.missingColumns.map((c) => `'${c}'`).join(', ')}`;
  const lines: string[][] = [['', ...d.columns]];
  const add = (mark: string, rows: readonly Readonly<Record<string, unknown>>[]) => {
    for (const r of rows.slice(0, limit)) lines.push([mark, ...d.columns.map((c) => show(r[c] ?? Object.entries(r).find(([k]) => k.toLowerCase() === c.toLowerCase())?.[1]))]);
    if (rows.length > limit) lines.push([mark, `... ${rows.length - limit} more`]);
  };
  add('-', d.missing);
  add('+', d.extra);
  const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  const table = lines.map((l) => l.map((cell, i) => cell.padEnd(widths[i])).join(' | ').trimEnd()).join('\n');
  return `${d.missing.length} expected row${d.missing.length === 1 ? '' : 's'} missing (-), ${d.extra.length} unexpected row${d.extra.length === 1 ? '' : 's'} (+):\n${table}`;
}
