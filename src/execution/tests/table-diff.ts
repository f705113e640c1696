/**
 * Row-level comparison of two versions of a relation (`weir diff`), by key: which keys were added or
 * removed, which rows changed, how many values changed per column, and a sample of each. Pure: it takes
 * the rows both sides returned. Values compare after normalisation so that the same value read from two
 * engines (a BIGINT as bigint, a DECIMAL as string, a DATE as Date) is equal: numbers compare numerically,
 * dates by their ISO text, everything else by its text. The comparison follows SQLMesh's `table_diff`
 * (https://sqlmesh.readthedocs.io/en/stable/guides/tablediff/) and dbt's audit_helper `compare_relations`.
 */
import type { QueryResult } from '../../adapters/adapter.js';

/** One side of a diff: its display name, relation text and rows. */
export interface DiffSide {
  readonly name: string;
  readonly relation: string;
  readonly result: QueryResult;
}

/** A changed row of the sample: its key and, per changed column, the values on both sides. */
export interface ChangedRow {
  readonly key: Readonly<Record<string, unknown>>;
  readonly changes: Readonly<Record<string, { readonly current: unknown; readonly against: unknown }>>;
}

/** The outcome of {@link diffRows} (the JSON printed by `weir diff --format json`). */
export interface TableDiff {
  readonly current: { readonly name: string; readonly relation: string; readonly rows: number };
  readonly against: { readonly name: string; readonly relation: string; readonly rows: number };
  /** Key columns the rows were matched on. */
  readonly key: readonly string[];
  /** Keys only in the current relation. */
  readonly added: number;
  /** Keys only in the other relation. */
  readonly removed: number;
  /** Keys in both whose compared columns differ. */
  readonly changed: number;
  /** Keys in both with equal compared columns. */
  readonly unchanged: number;
  /** Per compared (non-key) column: rows whose value differs. */
  readonly columns: Readonly<Record<string, number>>;
  /** Columns only one side has (not compared). */
  readonly columns_only_in_current: readonly string[];
  readonly columns_only_in_against: readonly string[];
  /** Rows whose key repeats within a side (only the first of each key is compared). */
  readonly duplicate_keys: { readonly current: number; readonly against: number };
  /** Up to `sampleSize` rows of each kind. */
  readonly sample: {
    readonly added: readonly Readonly<Record<string, unknown>>[];
    readonly removed: readonly Readonly<Record<string, unknown>>[];
    readonly changed: readonly ChangedRow[];
  };
}

/**
 * A value's comparison form: finite numbers (number, bigint, numeric strings of a numeric column) as
 * numbers, Dates as ISO text, NULL as null, other values as text.
 */
export function normalizeValue(v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string') {
    const t = v.trim();
    if (/^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(t)) {
      const n = Number(t);
      if (Number.isFinite(n)) return n;
    }
    return v;
  }
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
}

/** Plain JSON-safe value for the report (bigint → number when safe, else string; Date → ISO). */
function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  return v;
}

const same = (a: string | number | null, b: string | number | null) =>
  a === b || (typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)));

/**
 * Compares two relations' rows by `key` (column names, matched case-insensitively on both sides).
 * @param sampleSize at most this many rows per kind in `sample`
 * @throws Error naming the side and the missing key column when a side lacks it
 */
export function diffRows(current: DiffSide, against: DiffSide, key: readonly string[], sampleSize = 5): TableDiff {
  const lower = (s: string) => s.toLowerCase();
  const colsA = current.result.columns.map((c) => c.name);
  const colsB = against.result.columns.map((c) => c.name);
  const idxA = new Map(colsA.map((c, i) => [lower(c), i]));
  const idxB = new Map(colsB.map((c, i) => [lower(c), i]));
  for (const k of key) {
    if (!idxA.has(lower(k))) throw new Error(`key column '${k}' is not a column of ${current.name} ${current.relation} (columns: ${colsA.join(', ')})`);
    if (!idxB.has(lower(k))) throw new Error(`key column '${k}' is not a column of ${against.name} ${against.relation} (columns: ${colsB.join(', ')})`);
  }
  const keySet = new Set(key.map(lower));
  const compared = colsA.filter((c) => idxB.has(lower(c)) && !keySet.has(lower(c)));
  const keyOf = (row: readonly unknown[], idx: Map<string, number>) => JSON.stringify(key.map((k) => normalizeValue(row[idx.get(lower(k))!])));
  const index = (rows: readonly (readonly unknown[])[], idx: Map<string, number>) => {
    const m = new Map<string, readonly unknown[]>();
    let dup = 0;
    for (const r of rows) {
      const k = keyOf(r, idx);
      if (m.has(k)) dup++;
      else m.set(k, r);
    }
    return { m, dup };
  };
  const a = index(current.result.rows, idxA);
  const b = index(against.result.rows, idxB);
  const record = (row: readonly unknown[], cols: readonly string[]) => Object.fromEntries(cols.map((c, i) => [c, plain(row[i])]));
  const columns: Record<string, number> = Object.fromEntries(compared.map((c) => [c, 0]));
  const sample = { added: [] as Record<string, unknown>[], removed: [] as Record<string, unknown>[], changed: [] as ChangedRow[] };
  let added = 0;
  let changed = 0;
  let unchanged = 0;
  for (const [k, ra] of a.m) {
    const rb = b.m.get(k);
    if (!rb) {
      added++;
      if (sample.added.length < sampleSize) sample.added.push(record(ra, colsA));
      continue;
    }
    const changes: Record<string, { current: unknown; against: unknown }> = {};
    for (const c of compared) {
      const va = ra[idxA.get(lower(c))!];
      const vb = rb[idxB.get(lower(c))!];
      if (!same(normalizeValue(va), normalizeValue(vb))) {
        columns[c]++;
        changes[c] = { current: plain(va), against: plain(vb) };
      }
    }
    if (Object.keys(changes).length) {
      changed++;
      if (sample.changed.length < sampleSize) sample.changed.push({ key: Object.fromEntries(key.map((kc) => [kc, plain(ra[idxA.get(lower(kc))!])])), changes });
    } else unchanged++;
  }
  let removed = 0;
  for (const [k, rb] of b.m) {
    if (a.m.has(k)) continue;
    removed++;
    if (sample.removed.length < sampleSize) sample.removed.push(record(rb, colsB));
  }
  return {
    current: { name: current.name, relation: current.relation, rows: current.result.rows.length },
    against: { name: against.name, relation: against.relation, rows: against.result.rows.length },
    key, added, removed, changed, unchanged, columns,
    columns_only_in_current: colsA.filter((c) => !idxB.has(lower(c))),
    columns_only_in_against: colsB.filter((c) => !idxA.has(lower(c))),
    duplicate_keys: { current: a.dup, against: b.dup },
    sample,
  };
}

/** The text report of a diff, for people. */
export function formatDiff(model: string, d: TableDiff): string {
  const lines = [
    `diff of model '${model}' on key (${d.key.join(', ')}):`,
    `  current  ${d.current.name.padEnd(10)} ${d.current.relation}  ${d.current.rows} rows`,
    `  against  ${d.against.name.padEnd(10)} ${d.against.relation}  ${d.against.rows} rows`,
    `  added ${d.added}, removed ${d.removed}, changed ${d.changed}, unchanged ${d.unchanged}`,
  ];
  if (d.duplicate_keys.current || d.duplicate_keys.against) lines.push(`  duplicate keys (only the first row of each compared): current ${d.duplicate_keys.current}, against ${d.duplicate_keys.against}`);
  if (d.columns_only_in_current.length) lines.push(`  columns only in current: ${d.columns_only_in_current.join(', ')}`);
  if (d.columns_only_in_against.length) lines.push(`  columns only in against: ${d.columns_only_in_against.join(', ')}`);
  const cols = Object.entries(d.columns);
  if (cols.length) {
    const w = Math.max(6, ...cols.map(([c]) => c.length));
    lines.push(`  ${'column'.padEnd(w)}  changed rows`);
    for (const [c, n] of cols) lines.push(`  ${c.padEnd(w)}  ${n}`);
  }
  const show = (v: unknown) => (v === null || v === undefined ? 'NULL' : typeof v === 'string' ? JSON.stringify(v) : String(v));
  const row = (r: Readonly<Record<string, unknown>>) => Object.entries(r).map(([k, v]) => `${k}=${show(v)}`).join(', ');
  if (d.sample.added.length) lines.push('  sample added:', ...d.sample.added.map((r) => `    + ${row(r)}`));
  if (d.sample.removed.length) lines.push('  sample removed:', ...d.sample.removed.map((r) => `    - ${row(r)}`));
  if (d.sample.changed.length) {
    lines.push('  sample changed:');
    for (const c of d.sample.changed) lines.push(`    ~ ${row(c.key)}: ${Object.entries(c.changes).map(([k, v]) => `${k} ${show(v.against)} → ${show(v.current)}`).join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
