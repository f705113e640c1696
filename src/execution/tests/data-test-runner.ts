/**
 * Runs a data test (generic or singular) with its config: `limit` on the failing rows, `store_failures`
 * (the failing rows kept as a table or view in `<target schema>_test_failures`, named after the test and
 * rebuilt on every run, as dbt's audit schema), `fail_calc` over the failing rows, and the `warn_if` /
 * `error_if` thresholds with `severity` (compiler/test-config.ts).
 */
import type { Adapter, Connection } from '../../adapters/adapter.js';
import { failurePercent, hasPercentThreshold, storeFailuresAs, testStatus } from '../../parser/configs/data-test.js';
import { WeirError } from '../../errors/weir-error.js';
import type { TestNode, RelationName } from '../../manifest/types.js';
import { materializeTable } from '../materializations/table.js';
import { materializeView } from '../materializations/view.js';
import type { RelationCache } from '../materializations/relation-cache.js';

/** Outcome of {@link runDataTest}. */
export interface DataTestOutcome {
  readonly status: 'pass' | 'warn' | 'fail';
  /** The `fail_calc` result (failing rows by default). */
  readonly failures: number;
  /** Rendered name of the relation holding the failing rows, when stored. */
  readonly stored?: string;
  /** With a percentage threshold: the tested relation's rows (after `where`) and failures as a percentage of them. */
  readonly rows?: number;
  readonly percent?: number;
}

/**
 * The relation a generic test checks, as SQL (its `where` applied), for percentage thresholds.
 * @param relationOf rendered relation of a node by unique_id (undefined when it has none, e.g. ephemeral)
 */
export function testedRelationSql(node: TestNode, relationOf: (uid: string) => string | undefined): string | undefined {
  const uid = node.generic?.attached_node;
  const rel = uid ? relationOf(uid) : undefined;
  if (!rel) return undefined;
  return node.config.where ? `(select * from ${rel} where ${String(node.config.where)}) as weir_tested` : rel;
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
  tested?: string,
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
  const n = Number.isFinite(failures) ? failures : 0;
  if (hasPercentThreshold(node.config)) {
    // Percentages are judged against the tested relation's rows (dbt has no percent thresholds; Weir's addition).
    if (!tested) {
      throw new WeirError('WEIR_CONFIG_INVALID', `test ${node.name}: a percentage threshold needs the tested relation's row count, and this test has no model, seed or source relation`, {
        location: { file: node.path, nodeId: node.unique_id }, hint: 'Use a count threshold (warn_if: ">10"), or attach the test to a model, seed or source in schema YAML.',
      });
    }
    const c = await conn.execute(`select count(*) from ${tested}`);
    const rows = Number(c.rows[0]?.[0] ?? 0);
    return { status: testStatus(n, node.config, rows), failures, stored, rows, percent: failurePercent(n, rows) };
  }
  return { status: testStatus(n, node.config), failures, stored };
}

/**
 * The result message of a data test: the count (or the `fail_calc` value), non-default thresholds, where
 * the failing rows are stored, and the compiled query's path.
 */
export function testMessage(node: TestNode, t: DataTestOutcome, compiledPath?: string): string {
  const fc = typeof node.config.fail_calc === 'string' && node.config.fail_calc.trim() && node.config.fail_calc.trim().toLowerCase() !== 'count(*)' ? node.config.fail_calc.trim() : undefined;
  const parts = [fc ? `fail_calc ${fc} = ${t.failures}` : `${t.failures} failing row${t.failures === 1 ? '' : 's'}`];
  if (t.percent !== undefined) parts[0] += ` = ${formatPercent(t.percent)} of ${t.rows} row${t.rows === 1 ? '' : 's'}`;
  const th = (['warn_if', 'error_if'] as const).filter((k) => node.config[k] !== undefined).map((k) => `${k} ${String(node.config[k])}`);
  if (th.length) parts[0] += ` (${th.join(', ')})`;
  if (t.stored) parts.push(`failing rows stored in ${t.stored}`);
  if (compiledPath) parts.push(`query: target/${compiledPath}`);
  return parts.join('; ');
}

/** A percentage with up to two decimals: `1.37%`, `0%`, `100%`. */
export function formatPercent(p: number): string {
  return `${Number(p.toFixed(2))}%`;
}
