/**
 * Data test configuration on DuckDB through the CLI: store_failures (table and view, in
 * `<schema>_test_failures`, named in the message), warn_if / error_if thresholds with severity, limit,
 * fail_calc, custom generic tests (tests/generic/*.sql and macros/test_*.sql, with column, arguments and a
 * ref argument), tests on source columns; and every config mistake reported with its YAML file and line.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { WeirProject } from '../../src/api/project.js';
import type { WeirError } from '../../src/errors/weir-error.js';
import { cleanupProjects, loadErrors, makeProject, runCli, writeFiles } from '../helpers/project.js';

const show = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;

const SCHEMA = `version: 2
sources:
  - name: raw
    schema: main
    tables:
      - name: events
        columns:
          - name: user_id
            tests:
              - not_null: {store_failures: true}
models:
  - name: orders
    tests:
      - expression_is_true: {expression: "amount < 1000"}
    columns:
      - name: id
        tests: [unique, not_null]
      - name: amount
        tests:
          - not_null: {store_failures: true}
          - positive:
              config: {warn_if: ">1", error_if: ">3"}
          - positive:
              min_value: 5
              limit: 2
              store_failures_as: view
              severity: warn
      - name: status
        tests:
          - accepted_values:
              values: [paid, open]
              fail_calc: sum(n_records)
              warn_if: ">=3"
              error_if: ">100"
      - name: customer_id
        tests:
          - in_table: {other: ref('customers'), field: id}
`;

let dir: string;
let out: string;
let results: { unique_id: string; status: string; failures?: number; message?: string }[];

beforeAll(async () => {
  dir = await makeProject({
    'seeds/raw_orders.csv': 'id,customer_id,amount,status\n1,1,10,paid\n2,2,,paid\n3,9,-5,void\n4,1,-1,void\n5,2,,refunded\n6,1,3,open\n',
    'seeds/customers.csv': 'id\n1\n2\n',
    'models/orders.sql': 'select * from {{ref "raw_orders"}}',
    'models/schema.yml': SCHEMA,
    'tests/generic/positive.sql': '{{!-- Rows whose column is below min_value (default 0). --}}\nselect * from {{model}} where {{column_name}} < {{#if min_value}}{{literal min_value}}{{else}}0{{/if}}',
    'macros/test_expression_is_true.sql': 'select * from {{model}} where not ({{raw expression}})',
    'macros/test_in_table.sql': 'select c.* from {{model}} as c where c.{{column_name}} not in (select {{ident field}} from {{other}})',
  });
  mkdirSync(path.join(dir, 'target'), { recursive: true });
  const inst = await DuckDBInstance.create(path.join(dir, 'target', 't.duckdb'));
  const c = await inst.connect();
  await c.run('create table main.events as select * from (values (1), (null), (null), (3)) as t(user_id)');
  c.closeSync();
  inst.closeSync();
  const seed = await runCli(['seed'], dir);
  expect(seed.code, show(seed)).toBe(0);
  const run = await runCli(['run'], dir);
  expect(run.code, show(run)).toBe(0);
  const r = await runCli(['test'], dir);
  out = show(r);
  expect(r.code, out).toBe(1);
  results = (JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as { results: typeof results }).results;
}, 120_000);
afterAll(() => cleanupProjects());

const result = (re: RegExp) => {
  const hits = results.filter((x) => re.test(x.unique_id));
  expect(hits, `${re} in ${results.map((x) => x.unique_id).join(', ')}`).toHaveLength(1);
  return hits[0];
};

async function query(sql: string): Promise<unknown[][]> {
  const inst = await DuckDBInstance.create(path.join(dir, 'target', 't.duckdb'));
  const c = await inst.connect();
  try {
    return (await c.runAndReadAll(sql)).getRowsJS();
  } finally {
    c.closeSync();
    inst.closeSync();
  }
}

describe('data test configs', () => {
  it('store_failures keeps the failing rows in <schema>_test_failures and names the relation', async () => {
    const nn = result(/^test\.t\.not_null_orders_amount$/);
    expect(nn).toMatchObject({ status: 'fail', failures: 2 });
    expect(nn.message).toContain('failing rows stored in "main_test_failures"."not_null_orders_amount"');
    expect(await query('select id from main_test_failures.not_null_orders_amount order by id')).toEqual([[2n], [5n]]);
    expect(out).toContain('"main_test_failures"."not_null_orders_amount"');
  });

  it('tests on source columns run and store their failures', async () => {
    expect(result(/^test\.t\.not_null_source_raw_events_user_id$/)).toMatchObject({ status: 'fail', failures: 2 });
    expect(await query('select count(*) from main_test_failures.not_null_source_raw_events_user_id')).toEqual([[2n]]);
  });

  it('warn_if / error_if thresholds decide between warn and fail', () => {
    // Two negative amounts: > 1 warns, not > 3 so no failure.
    const t = results.find((x) => /^test\.t\.positive_orders_amount_/.test(x.unique_id) && x.message?.includes('warn_if'))!;
    expect(t).toMatchObject({ status: 'warn', failures: 2 });
    expect(t.message).toContain('2 failing rows (warn_if >1, error_if >3)');
  });

  it('limit caps the failing rows; store_failures_as: view stores a view', async () => {
    const t = results.find((x) => /^test\.t\.positive_orders_amount_/.test(x.unique_id) && !x.message?.includes('warn_if'))!;
    expect(t.message).toMatch(/^2 failing rows; failing rows stored in "main_test_failures"\."positive_orders_amount_[0-9a-f]{6}"/);
    // min_value 5: amounts -5, -1 and 3 fail; limit 2 keeps two.
    expect(t).toMatchObject({ status: 'warn', failures: 2 });
    expect(await query(`select table_type from information_schema.tables where table_schema = 'main_test_failures' and table_name = '${t.unique_id.split('.').pop()}'`)).toEqual([['VIEW']]);
  });

  it('fail_calc computes the failure number over the failing rows', () => {
    // Failing values: void (2 rows) and refunded (1 row): sum(n_records) = 3 → warn_if >=3, below error_if.
    const t = result(/^test\.t\.accepted_values_orders_status_/);
    expect(t).toMatchObject({ status: 'warn', failures: 3 });
    expect(t.message).toContain('fail_calc sum(n_records) = 3');
  });

  it('custom generic tests: model-level with an expression, and a ref argument that becomes a dependency', async () => {
    expect(result(/^test\.t\.expression_is_true_orders_/)).toMatchObject({ status: 'pass', failures: 0 });
    const inTable = result(/^test\.t\.in_table_orders_customer_id_/);
    expect(inTable).toMatchObject({ status: 'fail', failures: 1 });
    const p = await WeirProject.load({ projectDir: dir, partialParse: false });
    expect(p.manifest.parents.get(inTable.unique_id)).toEqual(['model.t.orders', 'seed.t.customers']);
    const sql = p.renderer().render(inTable.unique_id).compiled_code;
    expect(sql).toBe('select c.* from "main"."orders" as c where c.customer_id not in (select "id" from "main"."customers")');
  });
});

describe('test config errors name the YAML file and line', () => {
  const errorsOf = (yaml: string, extra: Record<string, string> = {}): Promise<WeirError[]> =>
    loadErrors({ 'models/m.sql': 'select 1 as id', 'models/s.yml': yaml, ...extra });

  it('bad thresholds, limit, store_failures_as and fail_calc', async () => {
    const errs = await errorsOf(`models:
  - name: m
    columns:
      - name: id
        tests:
          - not_null: {warn_if: "more than 3"}
          - unique:
              config: {error_if: ">x", limit: -1}
          - not_null:
              store_failures_as: ephemeral
              store_failures: "yes"
              fail_calc: ""
`);
    const msgs = errs.map((e) => `${e.location?.file}:${e.location?.line} ${e.message}`);
    expect(msgs).toEqual([
      'models/s.yml:6 test not_null_m_id: warn_if must be a comparison with a number or a percentage, got "more than 3"',
      'models/s.yml:7 test unique_m_id: error_if must be a comparison with a number or a percentage, got ">x"',
      'models/s.yml:7 test unique_m_id: limit must be a whole number of rows, got -1',
      'models/s.yml:9 test not_null_m_id: store_failures must be true or false, got "yes"',
      'models/s.yml:9 test not_null_m_id: store_failures_as must be table or view, got "ephemeral"',
      'models/s.yml:9 test not_null_m_id: fail_calc must be an SQL expression over the failing rows, got ""',
    ]);
    expect(errs[0].hint).toContain('warn_if: ">10"');
  });

  it('an unknown generic test lists the built-in and custom ones', async () => {
    const [e] = await errorsOf('models:\n  - name: m\n    columns:\n      - name: id\n        tests: [postive]\n', { 'tests/generic/positive.sql': 'select 1 from {{model}} where false' });
    expect(e.message).toBe("unknown generic test 'postive' on m.id");
    expect(e.location).toMatchObject({ file: 'models/s.yml', line: 5 });
    expect(e.hint).toBe("Did you mean 'positive'? Generic tests: not_null, unique, accepted_values, relationships, positive; a custom one is tests/generic/postive.sql or macros/test_postive.sql.");
  });

  it('a custom test using an argument the YAML does not give fails to render with the macro file', async () => {
    const d = await makeProject({
      'models/m.sql': 'select 1 as id',
      'models/s.yml': 'models:\n  - name: m\n    columns:\n      - name: id\n        tests: [at_least]\n',
      'tests/generic/at_least.sql': 'select * from {{model}}\nwhere {{column_name}} < {{min_value}}',
    });
    const r = await runCli(['test'], d);
    expect(r.code).toBe(1);
    expect(show(r)).toMatch(/tests\/generic\/at_least\.sql:2:\d+.*'min_value' is not defined/);
    writeFiles(d, { 'models/s.yml': 'models:\n  - name: m\n    columns:\n      - name: id\n        tests: [{at_least: {min_value: 0}}]\n' });
    const ok = await runCli(['build'], d);
    expect(ok.code, show(ok)).toBe(0);
  });
});
