/**
 * The test history table `weir_test_history` in the target's schema: one row per data test per run
 * (`weir test` / `weir build`), appended at the end of the run — its status, failing rows, the tested
 * relation's row count and the failure percentage — so results can be followed over time (what the
 * `elementary` package adds to dbt). The execution layer writes it; the docs site reads it to draw a trend
 * per test and per model. SQL here is built from a dialect's quoting and literal rules only.
 */

/** The SQL text rules the builders need (a subset of the adapter's Dialect). */
export interface HistoryDialect {
  quoteIdentifier(name: string): string;
  literal(value: unknown): string;
}

/** Name of the table, in the target's default schema. */
export const TEST_HISTORY_TABLE = 'weir_test_history';

/** Rows kept per test when the docs site reads the history (the most recent). */
export const HISTORY_POINTS = 30;

/** One row of the history. Times are ISO strings; percentages 0–100. */
export interface TestHistoryRow {
  readonly invocation_id: string;
  /** When the run started (ISO). */
  readonly run_started_at: string;
  readonly command: string;
  readonly target: string;
  readonly test_id: string;
  readonly test_name: string;
  /** unique_id of the tested node (a generic test's model; a singular test's first model/seed/source). */
  readonly model_id: string | null;
  /** `pass`, `warn`, `fail`, `error` or `skipped`. */
  readonly status: string;
  /** Failing rows (or the `fail_calc` value); null when the test did not run. */
  readonly failures: number | null;
  /** Rows of the tested relation when the test ran; null when it could not be counted. */
  readonly tested_rows: number | null;
  /** 100 × failures / tested_rows; null without both. */
  readonly failure_pct: number | null;
  /** Seconds. */
  readonly execution_time: number;
}

const COLUMNS: readonly [keyof TestHistoryRow, string][] = [
  ['invocation_id', 'varchar'], ['run_started_at', 'timestamp'], ['command', 'varchar'], ['target', 'varchar'],
  ['test_id', 'varchar'], ['test_name', 'varchar'], ['model_id', 'varchar'], ['status', 'varchar'],
  ['failures', 'bigint'], ['tested_rows', 'bigint'], ['failure_pct', 'double'], ['execution_time', 'double'],
];

/** `create table if not exists <relation> (...)` */
export function createHistorySql(d: HistoryDialect, relation: string): string {
  return `create table if not exists ${relation} (${COLUMNS.map(([c, t]) => `${d.quoteIdentifier(c)} ${t}`).join(', ')})`;
}

/** One `insert ... values` statement for `rows` (non-empty). */
export function insertHistorySql(d: HistoryDialect, relation: string, rows: readonly TestHistoryRow[]): string {
  const values = rows.map((r) => `(${COLUMNS.map(([c, t]) => {
    const v = r[c];
    if (v === null || v === undefined) return `cast(null as ${t})`;
    if (t === 'timestamp') return `cast(${d.literal(String(v).replace('T', ' ').replace(/Z$/, ''))} as timestamp)`;
    if (t === 'double') return `cast(${d.literal(v)} as double)`;
    return d.literal(v);
  }).join(', ')})`);
  return `insert into ${relation} (${COLUMNS.map(([c]) => d.quoteIdentifier(c)).join(', ')}) values\n${values.join(',\n')}`;
}

/** The most recent {@link HISTORY_POINTS} rows of each test, oldest first. */
export function readHistorySql(d: HistoryDialect, relation: string): string {
  const q = (c: string) => d.quoteIdentifier(c);
  return `select ${COLUMNS.map(([c]) => q(c)).join(', ')} from (select *, row_number() over (partition by ${q('test_id')} order by ${q('run_started_at')} desc) as weir_rn from ${relation}) as h `
    + `where weir_rn <= ${HISTORY_POINTS} order by ${q('test_id')}, ${q('run_started_at')}`;
}

/** Converts a result row of {@link readHistorySql} (engine values) to a {@link TestHistoryRow}. */
export function historyRowFrom(values: readonly unknown[]): TestHistoryRow {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const str = (v: unknown) => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v));
  const [invocation_id, run_started_at, command, target, test_id, test_name, model_id, status, failures, tested_rows, failure_pct, execution_time] = values;
  return {
    invocation_id: String(invocation_id), run_started_at: str(run_started_at) ?? '', command: String(command), target: String(target),
    test_id: String(test_id), test_name: String(test_name), model_id: str(model_id), status: String(status),
    failures: num(failures), tested_rows: num(tested_rows), failure_pct: num(failure_pct), execution_time: Number(execution_time ?? 0),
  };
}
