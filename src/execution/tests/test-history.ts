/**
 * Appends a run's data test results to `weir_test_history` (artifacts/test-history.ts) in the target's
 * schema: per test its status, failing rows, the tested relation's row count (counted once per relation
 * after the run) and the failure percentage.
 */
import type { Adapter } from '../../adapters/adapter.js';
import type { RunResultEntry } from '../../artifacts/artifacts.js';
import { createHistorySql, insertHistorySql, TEST_HISTORY_TABLE, type TestHistoryRow } from '../../artifacts/test-history.js';
import type { Renderer } from '../../compiler/render.js';
import type { Manifest } from '../../manifest/manifest.js';
import type { RelationName, TestNode } from '../../manifest/types.js';
import { isEphemeral } from '../../manifest/materialization.js';

/** Facts of the run the rows belong to. */
export interface HistoryRun {
  readonly invocationId: string;
  /** ISO time the run started. */
  readonly startedAt: string;
  readonly command: string;
}

/** The node a data test checks: a generic test's attached node, else its first model, seed, snapshot or source. */
export function testedNode(manifest: Manifest, test: TestNode): string | undefined {
  if (test.generic) return test.generic.attached_node;
  return (manifest.parents.get(test.unique_id) ?? []).find((p) => ['model', 'seed', 'snapshot', 'source'].includes(manifest.nodes.get(p)?.resource_type ?? ''));
}

/** The history table's relation in the target's schema. */
export function historyRelation(renderer: Renderer): RelationName {
  return { database: renderer.target.database, schema: renderer.target.schema, identifier: TEST_HISTORY_TABLE };
}

/**
 * Appends one row per data test result (unit tests have no tested relation and are left out).
 * @returns rows written
 * @throws AdapterError when the table can't be created or written (the caller reports it as a warning)
 */
export async function recordTestHistory(
  adapter: Adapter, renderer: Renderer, manifest: Manifest, results: readonly RunResultEntry[], run: HistoryRun,
): Promise<number> {
  const tests = results.filter((r) => {
    const n = manifest.nodes.get(r.unique_id);
    return n?.resource_type === 'test' && n.test_type !== 'unit';
  });
  if (!tests.length) return 0;
  const conn = await adapter.connect();
  try {
    const d = adapter.dialect;
    const counts = new Map<string, number | null>();
    const rows: TestHistoryRow[] = [];
    for (const r of tests) {
      const test = manifest.nodes.get(r.unique_id) as TestNode;
      const model = testedNode(manifest, test);
      const ran = r.status === 'pass' || r.status === 'fail' || r.status === 'warn';
      let testedRows: number | null = null;
      if (model && ran) {
        if (!counts.has(model)) {
          const rel = renderer.relationName(manifest.nodes.get(model)!);
                    let n: number | null = null;
          if (rel && !isEphemeral(manifest.nodes.get(model))) {
            try {
              n = Number((await conn.execute(`select count(*) from ${rel}`)).rows[0][0]);
            } catch {
              n = null;
            }
          }
          counts.set(model, n);
        }
        testedRows = counts.get(model) ?? null;
      }
      const failures = ran && typeof r.failures === 'number' ? r.failures : null;
      rows.push({
        invocation_id: run.invocationId, run_started_at: run.startedAt, command: run.command, target: manifest.targetName,
        test_id: test.unique_id, test_name: test.name, model_id: model ?? null, status: r.status, failures,
        tested_rows: testedRows, failure_pct: failures !== null && testedRows ? (100 * failures) / testedRows : failures === 0 ? 0 : null,
        execution_time: r.execution_time,
      });
    }
    const rel = d.relation(historyRelation(renderer));
    await adapter.createSchema(conn, renderer.target.schema, renderer.target.database);
    await conn.execute(createHistorySql(d, rel));
    for (let i = 0; i < rows.length; i += 500) await conn.execute(insertHistorySql(d, rel, rows.slice(i, i + 500)));
    return rows.length;
  } finally {
    await conn.close().catch(() => undefined);
  }
}
