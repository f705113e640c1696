/**
 * Runs a data test (generic or singular) with its config: `limit` on the failing rows, `store_failures`
 * (the failing rows kept as a table or view in `<target schema>_test_failures`, named after the test and
 * rebuilt on every run, as dbt's audit schema), `fail_calc` over the failing rows, and the `warn_if` /
 * `error_if` thresholds with `severity` (compiler/test-config.ts).
 */
import type { Adapter, Connection } from '../adapters/adapter.js';
import { storeFailuresAs, testStatus } from '../compiler/test-config.js';
import type { TestNode, RelationName } from '../manifest/types.js';
import { materializeTable, materializeView } from './materializations.js';
import type { RelationCache } from './relation-cache.js';

/** Outcome of {@link runDataTest}. */
export interface DataTestOutcome {
  readonly status: 'pass' | 'warn' | 'fail';
  /** The `fail_calc` result (failing rows by default). */
  readonly failures: number;
  /** Rendered name of the relation holding the failing rows, when stored. */
  readonly stored?: string;
}

/** Suffix of the schema failing rows are stored in: `<target schema>_test_failures`. */
export const TEST_FAILURES_SCHEMA_SUFFIX = '_test_failures';

/**
 * Where a test stores its failing rows (whether or not it does).
 * @param target the run's target schema and database
 */
export function failuresRelation(node: TestNode, target: { schema: string; database?: string }): RelationName {
  const custom = typeof node.config.schema === 'string' && node.config.schema ? node.config.schema : undefined;
  return { database: target.database, schema: custom ? `${target.schema}_${custom}` : `${target.schema}${TEST_FAILURES_SCHEMA_SUFFIX}`, identifier: String(node.config.alias ?? node.name) };
}

/**
 * Runs the failing-rows query `sql` of a data test and decides its status.
 * @throws AdapterError when the query (or storing its rows) fails
 */
export async function runDataTest(
  adapter: Adapter, conn: Connection, node: TestNode, sql: string, target: { schema: string; database?: string }, relations?: RelationCache,
): Promise<DataTestOutcome> {
  const d = adapter.dialect;
  const limit = typeof node.config.limit === 'number' ? node.config.limit : undefined;
  const rows = limit === undefined ? sql : `select * from (\n${sql}\n) as weir_limited\nlimit ${limit}`;
  const failCalc = typeof node.config.fail_calc === 'string' && node.config.fail_calc.trim() ? node.config.fail_calc : 'count(*)';
  const as = storeFailuresAs(node.config);
  let from: string;
  let stored: string | undefined;
  if (as) {
    const rel = failuresRelation(node, target);
    if (as === 'view') await materializeView(adapter, conn, rel, rows, relations);
    else await materializeTable(adapter, conn, rel, rows, relations);
    stored = d.relation(rel);
    from = stored;
  } else from = `(\n${rows}\n) as weir_test`;
  const r = await conn.execute(`select ${failCalc} as failures from ${from}`);
  const v = r.rows[0]?.[0];
  const failures = v === null || v === undefined ? 0 : Number(v);
  return { status: testStatus(Number.isFinite(failures) ? failures : 0, node.config), failures, stored };
}

/**
 * The result message of a data test: the count (or the `fail_calc` value), non-default thresholds, where
 * the failing rows are stored, and the compiled query's path.
 */
export function testMessage(node: TestNode, t: DataTestOutcome, compiledPath?: string): string {
  const fc = typeof node.config.fail_calc === 'string' && node.config.fail_calc.trim() && node.config.fail_calc.trim().toLowerCase() !== 'count(*)' ? node.config.fail_calc.trim() : undefined;
  const parts = [fc ? `fail_calc ${fc} = ${t.failures}` : `${t.failures} failing row${t.failures === 1 ? '' : 's'}`];
  const th = (['warn_if', 'error_if'] as const).filter((k) => node.config[k] !== undefined).map((k) => `${k} ${String(node.config[k])}`);
  if (th.length) parts[0] += ` (${th.join(', ')})`;
  if (t.stored) parts.push(`failing rows stored in ${t.stored}`);
  if (compiledPath) parts.push(`query: target/${compiledPath}`);
  return parts.join('; ');
}
