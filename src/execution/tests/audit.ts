/**
 * Write-audit-publish (WAP) for `weir build`: a `table` or `incremental` model's data tests of severity
 * `error` run against its staged relation (`<name>__weir_tmp`: the new table, or for an incremental step a
 * copy of the table with the increment applied) before it replaces the published relation. A failing test
 * stops the swap — the previous relation stays as it was, the model ends in `error` naming the test, and
 * its descendants are skipped. Tests of severity `warn` (and `error` tests that only reach `warn_if`) never
 * block. Opt out per model with `audit: false` or per run with `--no-audit`.
 *
 * The test nodes themselves report the audit's verdict instead of running a second time (their query is
 * the same; only the relation differs). The idea follows Netflix's write-audit-publish pattern and dbt
 * issues #6035 / #5660; dbt itself tests after publishing.
 */
import path from 'node:path';
import type { Adapter, Connection } from '../../adapters/adapter.js';
import type { Renderer } from '../../compiler/render.js';
import { WeirError } from '../../errors/weir-error.js';
import type { Manifest } from '../../manifest/manifest.js';
import type { ModelNode, RelationName, TestNode } from '../../manifest/types.js';
import type { Redactor } from '../../utils/redact.js';
import { writeFileIfChanged } from '../../utils/write-file.js';
import type { BatchUdfState } from '../udfs/batch-udfs.js';
import { runDataTest, testedRelationSql, testMessage, type DataTestOutcome } from './data-test-runner.js';
import type { RelationCache } from '../materializations/relation-cache.js';

/** The verdict of one test run against a staged relation. */
export interface AuditOutcome extends DataTestOutcome {
  /** unique_id of the model whose staged relation was tested. */
  readonly model: string;
  /** Project-relative path (under the target dir) of the test's compiled SQL, when written. */
  readonly compiledPath?: string;
  /** The result message for the test node. */
  readonly message?: string;
}

/** What {@link auditStaged} needs from the run. */
export interface AuditContext {
  readonly manifest: Manifest;
  readonly renderer: Renderer;
  readonly adapter: Adapter;
  readonly targetDir: string;
  readonly redact: Redactor;
  /** Path of a node's compiled SQL under the target dir. */
  readonly compiledPath: (test: TestNode) => string;
}

/**
 * Runs `tests` against the staged relation of `model`, records each verdict in `outcomes` (by test
 * unique_id), and throws when one fails.
 * @throws WeirError `WEIR_AUDIT_FAILED` naming the failing tests (the caller drops the staged relation);
 *   the engine's error when a test query fails
 */
export async function auditStaged(
  ctx: AuditContext, conn: Connection, model: ModelNode, tests: readonly string[], staged: RelationName,
  outcomes: Map<string, AuditOutcome>, batch: BatchUdfState | undefined, relations: RelationCache,
): Promise<number> {
  const { manifest, renderer, adapter } = ctx;
  const stagedSql = adapter.dialect.relation(staged);
  const failed: string[] = [];
  for (const uid of tests) {
    const test = manifest.nodes.get(uid) as TestNode;
    // The test's compiled SQL (over the published relation) is written for people to rerun later.
    const compiledPath = ctx.compiledPath(test);
    const normal = renderer.render(uid).compiled_code!;
    writeFileIfChanged(path.join(ctx.targetDir, compiledPath), `${ctx.redact(normal)}\n`);
    let sql = renderer.renderWith(uid, { relations: new Map([[model.unique_id, stagedSql]]) }).compiled_code!;
    const prepared = batch?.client ? await batch.client.prepare(adapter, conn, test, sql) : undefined;
    try {
      if (prepared) sql = prepared.sql;
      const tested = testedRelationSql(test, (id) => (id === model.unique_id ? stagedSql : (() => { const n = manifest.nodes.get(id); return n ? renderer.relationName(n) : undefined; })()));
      const t = await runDataTest(adapter, conn, test, sql, renderer.target, relations, tested);
      const message = t.failures !== 0 || t.stored ? `${testMessage(test, t, compiledPath)}; audited on the staged relation before the swap` : undefined;
      outcomes.set(uid, { ...t, model: model.unique_id, compiledPath, message });
      if (t.status === 'fail') failed.push(`${test.name} (${message ?? `${t.failures} failing rows`})`);
    } finally {
      await prepared?.cleanup(conn);
    }
  }
  if (failed.length) {
    throw new WeirError('WEIR_AUDIT_FAILED', `model '${model.name}': audit failed on the staged relation, so it was not published and the previous relation was kept: ${failed.length === 1 ? 'test' : 'tests'} ${failed.join('; ')}`, {
      location: { file: model.path, nodeId: model.unique_id },
      hint: 'Fix the data or the model; `--no-audit` or `audit: false` on the model publishes without the check (tests then run after the swap).',
    });
  }
  return tests.length;
}
