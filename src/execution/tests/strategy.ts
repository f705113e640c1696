/**
 * The `test` materialization (as dbt's): a data test counts the failing rows of its query (storing them
 * when configured), a unit test compares a model's output on fixed inputs with the expected rows
 * (execution/tests/).
 */
import path from 'node:path';
import type { TestNode } from '../../manifest/types.js';
import { writeFileIfChanged } from '../../utils/write-file.js';
import { runDataTest, testedRelationSql, testMessage } from './data-test-runner.js';
import type { BuildOutcome, Strategy } from '../materializations/strategy.js';

/** Runs the test; its status is `pass`, `warn` (severity warn) or `fail`. */
export const testStrategy: Strategy<TestNode> = {
  relation: undefined, auditable: false, tableOptions: false, reusable: false,
  async build({ ctx, conn, node, sql, compiledPath, relations }): Promise<BuildOutcome> {
    const { adapter, manifest, renderer, redact } = ctx;
    if (node.test_type === 'unit') {
      // Loaded with the first unit test (it brings the row differ and csv-parse for CSV fixtures).
      const { runUnitTest } = await import('./unit-test-runner.js');
      const u = await runUnitTest(adapter, conn, renderer, manifest, node);
      if (compiledPath) writeFileIfChanged(path.join(ctx.targetDir, compiledPath), `${redact(u.sql)}\n`);
      return {
        failures: u.failures,
        status: u.status === 'pass' ? 'pass' : node.config.severity === 'warn' ? 'warn' : 'fail',
        message: u.message ? `unit test ${node.name} of model '${manifest.nodes.get(node.unit!.model)?.name}': ${u.message}` : undefined,
      };
    }
    const tested = testedRelationSql(node, (uid) => { const n = manifest.nodes.get(uid); return n ? renderer.relationName(n) : undefined; });
    const t = await runDataTest(adapter, conn, node, sql!, renderer.target, relations, tested);
    return {
      failures: t.failures, status: t.status,
      message: t.failures !== 0 || t.stored || t.percent !== undefined ? testMessage(node, t, compiledPath) : undefined,
    };
  },
};
