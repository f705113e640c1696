/**
 * Write-audit-publish in `weir build` on DuckDB: a table or incremental model's error-severity tests run on
 * the staged relation before the swap; a failure keeps the previous relation, marks the model `error`
 * naming the test and skips its descendants; warn tests never block; `audit: false` and `--no-audit` opt
 * out; a malformed `audit` config is a parse error.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WeirProject } from '../../src/api/project.js';
import { cleanupProjects, makeProject, runCli, writeFiles } from '../helpers/project.js';

afterAll(cleanupProjects);

interface Result { unique_id: string; status: string; message?: string; failures?: number }
const results = (dir: string): Record<string, Result> => Object.fromEntries(
  (JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')).results as Result[]).map((r) => [r.unique_id.split('.').slice(2).join('.'), r]),
);
const query = async (dir: string, sql: string) => {
  const p = await WeirProject.load({ projectDir: dir });
  return (await p.query(sql)).rows.map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
};

const SCHEMA = `version: 2
models:
  - name: orders
    columns:
      - name: id
        tests: [not_null, unique]
      - name: status
        tests:
          - accepted_values: {values: [paid, open], severity: warn}
  - name: orders_inc
    columns:
      - name: id
        tests: [unique]
      - name: amount
        tests: [not_null]
`;
const files = (rows: string) => ({
  'seeds/raw_orders.csv': `id,status,amount\n${rows}`,
  'models/orders.sql': '{{config materialized="table"}}select id, status, amount from {{ref "raw_orders"}}',
  'models/orders_inc.sql': `{{config materialized="incremental" unique_key="id" incremental_strategy="delete+insert"}}
select id, status, amount from {{ref "raw_orders"}}
{{#if (is_incremental)}}where id >= (select max(id) from {{this}}){{/if}}`,
  'models/order_totals.sql': 'select status, sum(amount) as total from {{ref "orders"}} group by status',
  'models/inc_totals.sql': 'select count(*) as n from {{ref "orders_inc"}}',
  'models/schema.yml': SCHEMA,
});

describe('write-audit-publish (DuckDB)', () => {
  it('publishes audited tables, keeps the old relation on a failing audit and skips descendants', async () => {
    const dir = await makeProject(files('1,paid,10\n2,open,20\n3,weird,5\n'));
    const first = await runCli(['build'], dir);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    let r = results(dir);
    expect(r['orders'].status).toBe('success');
    expect(r['orders'].message).toMatch(/audited by 2 tests before the swap/);
    // The warn test (status 'weird') is not an audit and does not block.
    expect(r['accepted_values_orders_status_003080'].status).toBe('warn');
    expect(r['unique_orders_id'].status).toBe('pass');
    expect(r['orders_inc'].message).toMatch(/audited by 2 tests/);

    // A duplicate id: the unique test fails on the staged table, so nothing is published.
    writeFiles(dir, { 'seeds/raw_orders.csv': 'id,status,amount\n1,paid,10\n2,open,20\n3,weird,5\n3,paid,7\n' });
    const second = await runCli(['build'], dir);
    expect(second.code).toBe(1);
    r = results(dir);
    expect(r['orders'].status).toBe('error');
    expect(r['orders'].message).toMatch(/audit failed on the staged relation.*test unique_orders_id \(1 failing row/s);
    expect(r['orders'].message).toMatch(/previous relation was kept/);
    expect(r['unique_orders_id'].status).toBe('fail');
    expect(r['unique_orders_id'].message).toMatch(/audited on the staged relation before the swap/);
    expect(r['not_null_orders_id'].status).toBe('pass');
    expect(r['order_totals'].status).toBe('skipped');
    expect(r['order_totals'].message).toMatch(/upstream model 'orders' failed/);
    expect(second.stdout + second.stderr).toMatch(/unique_orders_id/);
    // The previous table is untouched and the staged one is gone.
    expect(await query(dir, 'select count(*) from main.orders')).toEqual([[3]]);
    expect(await query(dir, "select count(*) from information_schema.tables where table_name like '%__weir_tmp'")).toEqual([[0]]);
    // The incremental model: the increment (id 3 twice) is applied to a staged copy, audited, not merged.
    expect(r['orders_inc'].status).toBe('error');
    expect(r['orders_inc'].message).toMatch(/unique_orders_inc_id/);
    expect(r['inc_totals'].status).toBe('skipped');
    expect(await query(dir, 'select id, amount from main.orders_inc order by id')).toEqual([[1, 10], [2, 20], [3, 5]]);

    // --no-audit publishes first; the test then fails after the swap (and still skips the descendants).
    const third = await runCli(['build', '--no-audit', '--select', 'raw_orders', 'orders+'], dir);
    expect(third.code).toBe(1);
    r = results(dir);
    expect(r['orders'].status).toBe('success');
    expect(r['orders'].message).not.toMatch(/audited/);
    expect(r['unique_orders_id'].status).toBe('fail');
    expect(r['unique_orders_id'].message).not.toMatch(/audited/);
    expect(r['order_totals'].status).toBe('skipped');
    expect(await query(dir, 'select count(*) from main.orders')).toEqual([[4]]);
    const rr = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8'));
    expect(rr.args.audit).toBe(false);
  });

  it('audits an incremental step on a staged copy and publishes it when the tests pass', async () => {
    const dir = await makeProject(files('1,paid,10\n2,open,20\n'));
    expect((await runCli(['build'], dir)).code).toBe(0);
    writeFiles(dir, { 'seeds/raw_orders.csv': 'id,status,amount\n1,paid,10\n2,open,20\n3,paid,30\n' });
    const ok = await runCli(['build'], dir);
    expect(ok.code, ok.stdout).toBe(0);
    expect(results(dir)['orders_inc'].message).toMatch(/^DELETE\+INSERT 2; audited by 2 tests/);
    expect(await query(dir, 'select id from main.orders_inc order by id')).toEqual([[1], [2], [3]]);
    // A NULL amount in the increment fails not_null on the copy: the table keeps its three rows.
    writeFiles(dir, { 'seeds/raw_orders.csv': 'id,status,amount\n1,paid,10\n2,open,20\n3,paid,30\n4,paid,\n' });
    const bad = await runCli(['build', '--select', 'raw_orders', 'orders_inc+'], dir);
    expect(bad.code).toBe(1);
    const r = results(dir);
    expect(r['orders_inc'].message).toMatch(/not_null_orders_inc_amount/);
    expect(r['not_null_orders_inc_amount'].status).toBe('fail');
    expect(await query(dir, 'select count(*) from main.orders_inc')).toEqual([[3]]);
  });

  it('audit: false on a model publishes without the check', async () => {
    const dir = await makeProject({ ...files('1,paid,10\n1,open,20\n'), 'models/orders.sql': '{{config materialized="table" audit=false}}select id, status, amount from {{ref "raw_orders"}}' });
    const res = await runCli(['build', '--select', 'raw_orders', 'orders+'], dir);
    expect(res.code).toBe(1);
    const r = results(dir);
    expect(r['orders'].status).toBe('success');
    expect(r['orders'].message).not.toMatch(/audited/);
    expect(r['unique_orders_id'].status).toBe('fail');
    expect(await query(dir, 'select count(*) from main.orders')).toEqual([[2]]);
  });

  it('a non-boolean audit config, or audit on a view, is a parse error naming the file', async () => {
    let dir = await makeProject({
      ...files('1,paid,10\n'),
      'models/orders.sql': '{{config materialized="table" audit="sometimes"}}select id, status, amount from {{ref "raw_orders"}}',
    });
    let res = await runCli(['build'], dir);
    expect(res.code).toBe(2);
    expect(res.stdout + res.stderr).toMatch(/models\/orders\.sql.*audit must be true or false, got "sometimes"/s);
    dir = await makeProject({
      ...files('1,paid,10\n'),
      'models/schema.yml': `${SCHEMA}  - name: order_totals\n    config:\n      audit: false\n`,
    });
    res = await runCli(['build'], dir);
    expect(res.code).toBe(2);
    expect(res.stdout + res.stderr).toMatch(/models\/schema\.yml:\d+.*config 'audit' applies to table and incremental models, not to a view/s);
  });
});
