/**
 * Test history: `weir test` / `weir build` append each data test's result to `weir_test_history` (status,
 * failing rows, tested relation's row count, failure percentage); `test_history: false`,
 * `--no-test-history` and `--empty` write nothing; `weir docs generate` turns the rows into per-test and
 * per-model trends in the site data. The browser side is tests/browser/test-history.test.ts.
 */
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { WeirProject } from '../../src/api/project.js';
import { historyData } from '../../src/docs/site-data.js';
import { insertHistorySql } from '../../src/artifacts/test-history.js';
import { duckdbDialect } from '../../src/adapters/duckdb/dialect.js';
import { DEFAULT_PROJECT_YAML, cleanupProjects, makeProject, runCli, writeFiles } from '../helpers/project.js';

afterAll(cleanupProjects);

const FILES = {
  'seeds/orders.csv': 'id,amount\n1,10\n2,20\n3,30\n4,40\n',
  'models/stg_orders.sql': 'select id, amount from {{ref "orders"}}',
  'models/schema.yml': `version: 2
models:
  - name: stg_orders
    columns:
      - name: id
        tests: [unique]
      - name: amount
        tests:
          - not_null
          - accepted_values: {values: [10, 20, 30, 40], quote: false, severity: warn}
`,
};
type Row = Record<string, unknown>;
async function history(dir: string): Promise<Row[]> {
  const p = await WeirProject.load({ projectDir: dir });
  const r = await p.query('select test_name, status, failures, tested_rows, failure_pct, model_id, command, invocation_id from main.weir_test_history order by run_started_at, test_name');
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, typeof row[i] === 'bigint' ? Number(row[i]) : row[i]])));
}

describe('weir_test_history', () => {
  it('appends one row per data test and run, with failing rows, tested rows and failure percentage', async () => {
    const dir = await makeProject(FILES);
    expect((await runCli(['build'], dir)).code).toBe(0);
    writeFiles(dir, { 'seeds/orders.csv': 'id,amount\n1,10\n2,\n3,30\n3,31\n5,50\n' });
    expect((await runCli(['seed'], dir)).code).toBe(0);
    expect((await runCli(['run'], dir)).code).toBe(0);
    expect((await runCli(['test'], dir)).code).toBe(1);
    const rows = await history(dir);
    expect(rows).toHaveLength(6);
    const [first, second] = [rows.slice(0, 3), rows.slice(3)];
    expect(new Set(first.map((r) => r.invocation_id)).size).toBe(1);
    expect(first.map((r) => [r.test_name, r.status, r.failures, r.tested_rows, r.failure_pct, r.command])).toEqual([
      ['accepted_values_stg_orders_amount__10__20__30__40', 'pass', 0, 4, 0, 'build'],
      ['not_null_stg_orders_amount', 'pass', 0, 4, 0, 'build'],
      ['unique_stg_orders_id', 'pass', 0, 4, 0, 'build'],
    ].map(([n, ...rest]) => [expect.stringMatching(String(n).split('__')[0]), ...rest]));
    expect(second.map((r) => [r.status, r.failures, r.tested_rows, r.failure_pct])).toEqual([
      ['warn', 2, 5, 40], // 31 and 50 are not accepted values (NULL is not counted)
      ['fail', 1, 5, 20],
      ['fail', 1, 5, 20],
    ]);
    expect(second.every((r) => r.model_id === 'model.t.stg_orders' && r.command === 'test')).toBe(true);

    // The docs site data: a trend per test and per model.
    const docs = await (await WeirProject.load({ projectDir: dir })).generateDocs();
    const uniq = Object.entries(docs.site.test_history).find(([k]) => k.includes('unique_stg_orders_id'))![1];
    expect(uniq.map((p) => [p.status, p.failures, p.failure_pct])).toEqual([['pass', 0, 0], ['fail', 1, 20]]);
    expect(docs.site.model_history['model.t.stg_orders'].map((p) => [p.tests, p.failing, p.warning, p.failures])).toEqual([[3, 0, 0, 0], [3, 2, 1, 4]]);
  });

  it('test_history: false, --no-test-history and --empty record nothing', async () => {
    const off = await makeProject({ ...FILES, 'project.yaml': `${DEFAULT_PROJECT_YAML}test_history: false\n` });
    expect((await runCli(['build'], off)).code).toBe(0);
    const p = await WeirProject.load({ projectDir: off });
    expect((await p.query("select count(*) from information_schema.tables where table_name = 'weir_test_history'")).rows[0][0]).toBe(0n);

    const dir = await makeProject(FILES);
    expect((await runCli(['build', '--no-test-history'], dir)).code).toBe(0);
    expect((await runCli(['build', '--empty'], dir)).code).toBe(0);
    const q = await WeirProject.load({ projectDir: dir });
    expect((await q.query("select count(*) from information_schema.tables where table_name = 'weir_test_history'")).rows[0][0]).toBe(0n);
    expect((await runCli(['test'], dir)).code).toBe(0);
    expect(await history(dir)).toHaveLength(3);
    // An unwritable history is a warning, not a failed run.
    // (through another DuckDB client: `weir query` only reads)
    const db = await DuckDBInstance.create(path.join(dir, 'target/t.duckdb'));
    const conn = await db.connect();
    await conn.run('drop table main.weir_test_history; create view main.weir_test_history as select 1 as x');
    conn.closeSync();
    db.closeSync();
    const warn = await runCli(['test'], dir);
    expect(warn.code).toBe(0);
    expect(warn.stdout + warn.stderr).toMatch(/WARN.*test history not recorded in weir_test_history/);
  });

  it('builds its SQL with literals only, and sums model trends per run', () => {
    const sql = insertHistorySql(duckdbDialect, '"main"."weir_test_history"', [{
      invocation_id: "i'1", run_started_at: '2026-01-02T03:04:05.000Z', command: 'test', target: 'dev', test_id: 't', test_name: "it's", model_id: null,
      status: 'pass', failures: 0, tested_rows: null, failure_pct: null, execution_time: 0.5,
    }]);
    expect(sql).toContain("'i''1'");
    expect(sql).toContain("cast('2026-01-02 03:04:05.000' as timestamp)");
    expect(sql).toContain('cast(null as varchar)');
    const h = historyData([
      { invocation_id: 'b', run_started_at: '2026-01-02', command: 'test', target: 'd', test_id: 't1', test_name: 't1', model_id: 'm', status: 'fail', failures: 3, tested_rows: 10, failure_pct: 30, execution_time: 0 },
      { invocation_id: 'a', run_started_at: '2026-01-01', command: 'test', target: 'd', test_id: 't1', test_name: 't1', model_id: 'm', status: 'pass', failures: 0, tested_rows: 10, failure_pct: 0, execution_time: 0 },
      { invocation_id: 'b', run_started_at: '2026-01-02', command: 'test', target: 'd', test_id: 't2', test_name: 't2', model_id: 'm', status: 'warn', failures: 1, tested_rows: 10, failure_pct: 10, execution_time: 0 },
    ]);
    expect(h.test_history.t1.map((p) => p.status)).toEqual(['pass', 'fail']);
    expect(h.model_history.m).toEqual([
      { at: '2026-01-01', tests: 1, failing: 0, warning: 0, failures: 0 },
      { at: '2026-01-02', tests: 2, failing: 1, warning: 1, failures: 4 },
    ]);
  });
});
