/**
 * Unit tests (`unit_tests:` in schema YAML) on DuckDB, end to end through the CLI: passing and failing
 * tests with a row diff, inputs typed from the built upstream, CSV and SQL fixtures, overrides of vars and
 * helpers, `test_type:unit` selection, and `build` running a model's unit tests first (a failing one skips
 * the model and leaves its old table in place). Unit tests never read real tables.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { cleanupProjects, makeProject, runCli, writeFiles } from '../helpers/project.js';

const show = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;

const ORDERS_MODEL = `{{config materialized="table"}}
select o.customer_id, c.name, count(*) as n_orders, sum(o.amount) as total,
       case when sum(o.amount) >= {{var "vip_threshold" 100}} then 'vip' else 'regular' end as tier
from {{ref "orders"}} as o
join {{source "crm" "customers"}} as c on c.id = o.customer_id
{{#if (only_paid)}}where o.status = 'paid'{{/if}}
group by o.customer_id, c.name`;

const SCHEMA = `version: 2
sources:
  - name: crm
    schema: main
    tables:
      - name: customers
        columns:
          - name: id
            data_type: integer
          - name: name
            data_type: varchar
models:
  - name: customer_totals
unit_tests:
  - name: tiers_by_total
    model: customer_totals
    given:
      - input: ref('orders')
        rows:
          - {customer_id: 1, amount: 60}
          - {customer_id: 1, amount: 50}
          - {customer_id: 2, amount: 10.5}
      - input: source('crm', 'customers')
        rows:
          - {id: 1, name: Ann}
          - {id: 2, name: Bo}
    expect:
      rows:
        - {customer_id: 2, tier: regular, total: 10.5}
        - {customer_id: 1, tier: vip, total: 110}
  - name: csv_and_overrides
    model: customer_totals
    overrides:
      vars: {vip_threshold: 5}
      macros: {only_paid: true}
    given:
      - input: ref('orders')
        format: csv
        rows: |
          customer_id,amount,status
          1,3,paid
          1,100,open
          2,7,paid
      - input: source('crm', 'customers')
        format: sql
        rows: select 1 as id, 'Ann' as name union all select 2, 'Bo'
    expect:
      format: csv
      rows: |
        customer_id,n_orders,tier
        1,1,regular
        2,1,vip
`;

let dir: string;

beforeAll(async () => {
  dir = await makeProject({
    'seeds/orders.csv': 'order_id,customer_id,amount,status,ordered_at\n1,1,60,paid,2024-01-01\n2,1,50,paid,2024-01-02\n3,2,10.5,open,2024-01-03\n',
    'models/customer_totals.sql': ORDERS_MODEL,
    'models/schema.yml': SCHEMA,
    'macros/flags.ts': 'export function only_paid() { return false; }\n',
  });
  // The source table lives in the warehouse (loaded outside Weir).
  mkdirSync(path.join(dir, 'target'), { recursive: true });
  const inst = await DuckDBInstance.create(path.join(dir, 'target', 't.duckdb'));
  const c = await inst.connect();
  await c.run("create table main.customers as select 1 as id, 'Ann' as name union all select 2, 'Bo'");
  c.closeSync();
  inst.closeSync();
}, 60_000);
afterAll(() => cleanupProjects());

describe('unit tests on DuckDB', () => {
  it('pass before anything is built (inputs typed from values and YAML columns), selected by test_type:unit', async () => {
    const r = await runCli(['test', '--select', 'test_type:unit'], dir);
    expect(r.code, show(r)).toBe(0);
    expect(show(r)).toMatch(/PASS.*tiers_by_total/);
    expect(show(r)).toMatch(/PASS.*csv_and_overrides/);
    // Only unit tests ran; the compiled query inlines the rows and reads no real table.
    const compiled = readFileSync(path.join(dir, 'target/compiled/t/models/schema/tiers_by_total.sql'), 'utf8');
    expect(compiled).toContain('"__weir_unit__ref_orders"');
    expect(compiled).not.toMatch(/"main"\."orders"|"main"\."customers"/);
    const results = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string }[] };
    expect(results.results.map((x) => x.unique_id).sort()).toEqual(['unit_test.t.customer_totals.csv_and_overrides', 'unit_test.t.customer_totals.tiers_by_total']);
  });

  it('a failing unit test prints a row diff and skips its model in build; the old table stays', async () => {
    let r = await runCli(['build'], dir);
    expect(r.code, show(r)).toBe(0);
    // Build ran the unit tests before the model.
    const order = (JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string }[] }).results.map((x) => x.unique_id);
    expect(order.indexOf('unit_test.t.customer_totals.tiers_by_total')).toBeLessThan(order.indexOf('model.t.customer_totals'));

    writeFiles(dir, { 'models/customer_totals.sql': ORDERS_MODEL.replace("'vip'", "'gold'") });
    r = await runCli(['build'], dir);
    expect(r.code).toBe(1);
    const out = show(r);
    expect(out).toMatch(/FAIL.*tiers_by_total/);
    expect(out).toContain('1 expected row missing (-), 1 unexpected row (+)');
    expect(out).toMatch(/- \| 1\s+\| vip\s+\| 110/);
    expect(out).toMatch(/\+ \| 1\s+\| gold\s+\| 110/);
    expect(out).toMatch(/SKIP.*customer_totals|customer_totals.*skipped/i);
    // The previous build's table is untouched.
    const inst = await DuckDBInstance.create(path.join(dir, 'target', 't.duckdb'));
    const c = await inst.connect();
    const rows = (await c.runAndReadAll('select tier from main.customer_totals order by customer_id')).getRowsJS();
    c.closeSync();
    inst.closeSync();
    expect(rows).toEqual([['vip'], ['regular']]);
    writeFiles(dir, { 'models/customer_totals.sql': ORDERS_MODEL });
  });

  it('types inputs from the built relation: columns not given are NULLs of the real type', async () => {
    writeFiles(dir, {
      'models/late.sql': 'select order_id, ordered_at + interval 1 day as due from {{ref "orders"}}',
      'models/late.yml': `unit_tests:
  - name: due_next_day
    model: late
    given:
      - input: ref('orders')
        rows: [{order_id: 7, ordered_at: '2024-02-28'}]
    expect:
      rows: [{order_id: 7, due: '2024-02-29 00:00:00'}]
`,
    });
    const r = await runCli(['test', '--select', 'late'], dir);
    expect(r.code, show(r)).toBe(0);
    const compiled = readFileSync(path.join(dir, 'target/compiled/t/models/late/due_next_day.sql'), 'utf8');
    // From the seed table in the warehouse: amount DOUBLE and status VARCHAR as typed NULLs, ordered_at a DATE.
    expect(compiled).toMatch(/cast\('2024-02-28' as DATE\) as ordered_at/);
    expect(compiled).toMatch(/cast\(NULL as VARCHAR\) as status/);
  });
});
