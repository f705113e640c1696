/**
 * `weir import-dbt`: a small dbt-style project written here (the constructs of dbt's example projects:
 * ref, source, config, var, env_var, this, target, is_incremental(), if/elif/else, for over a literal list and
 * a var, set of literals, comments, whitespace control, a project macro, a dbt cross-database macro, a
 * generic test block, a singular test, a snapshot block, a docs block, profiles.yml) converts with nothing
 * left over (exit 0), and the converted project builds with the results the dbt project documents. What
 * can't be converted is left in place and listed with file:line and why (exit 1).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject, runCli } from '../../helpers/project.js';

afterAll(cleanupProjects);

const DBT = {
  'dbt_project.yml': `name: 'shop'
version: '1.0.0'
config-version: 2
profile: 'shop'
model-paths: ["models"]
seed-paths: ["seeds"]
test-paths: ["tests"]
macro-paths: ["macros"]
snapshot-paths: ["snapshots"]
target-path: "target"
clean-targets: ["target", "dbt_packages"]
vars:
  payment_methods: ['credit_card', 'coupon', 'bank_transfer']
  min_amount: 0
models:
  shop:
    +materialized: view
    marts:
      +materialized: table
      +tags: ['marts']
`,
  'profiles.yml': `shop:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: "{{ env_var('SHOP_DB', 'target/shop.duckdb') }}"
      threads: 2
`,
  'seeds/raw_customers.csv': 'id,first_name,last_name\n1,Michael,P.\n2,Shawn,M.\n3,Kathleen,P.\n',
  'seeds/raw_orders.csv': 'id,user_id,order_date,status\n1,1,2018-01-01,returned\n2,3,2018-01-02,completed\n3,1,2018-01-04,completed\n4,2,2018-01-05,placed\n',
  'seeds/raw_payments.csv': 'id,order_id,payment_method,amount\n1,1,credit_card,1000\n2,2,credit_card,2000\n3,3,coupon,100\n4,3,bank_transfer,500\n5,4,coupon,2500\n',
  'models/sources.yml': `version: 2
sources:
  - name: raw
    schema: main
    tables:
      - name: raw_payments
`,
  'models/docs.md': '{% docs customers_doc %}\nOne row per customer, with their orders and lifetime value.\n{% enddocs %}\n',
  'macros/cents_to_dollars.sql': `{# Converts cents to dollars #}
{% macro cents_to_dollars(column_name, scale=2) -%}
    round(({{ column_name }} / 100)::numeric(16, {{ scale }}), {{ scale }})
{%- endmacro %}
`,
  'tests/generic/is_positive.sql': `{% test is_positive(model, column_name) %}
select * from {{ model }} where {{ column_name }} < 0
{% endtest %}
`,
  'models/staging/stg_customers.sql': `{{ config(materialized='view') }}
select id as customer_id, first_name, last_name from {{ ref('raw_customers') }}
`,
  'models/staging/stg_orders.sql': `{% set statuses = ['placed', 'shipped', 'completed', 'return_pending', 'returned'] %}
select id as order_id, user_id as customer_id, order_date, status
from {{ ref('raw_orders') }}
where status in ({% for s in statuses %}'{{ s }}'{% if not loop.last %}, {% endif %}{% endfor %})
`,
  'models/staging/stg_payments.sql': `-- depends_on: {{ ref('raw_payments') }}
select id as payment_id, order_id, payment_method,
  {{ cents_to_dollars('amount') }} as amount
from {{ source('raw', 'raw_payments') }}
where amount >= {{ var('min_amount') }}
`,
  'models/marts/orders.sql': `{%- set note = 'built by ' -%}
select
    o.order_id, o.customer_id, o.order_date, o.status,
    {%- for m in var('payment_methods') %}
    sum(case when p.payment_method = '{{ m }}' then p.amount else 0 end) as {{ m }}_amount,
    {%- endfor %}
    sum(p.amount) as amount,
    '{{ note }}{{ target.name }}' as built_by
from {{ ref('stg_orders') }} o
left join {{ ref('stg_payments') }} p on o.order_id = p.order_id
group by 1, 2, 3, 4
`,
  'models/marts/customers.sql': `with orders as (select * from {{ ref('orders') }})
select c.customer_id, c.first_name, c.last_name,
    min(o.order_date) as first_order, max(o.order_date) as most_recent_order,
    count(o.order_id) as number_of_orders,
    coalesce(sum(o.amount), 0) as customer_lifetime_value,
    {{ dbt.current_timestamp() }} as loaded_at
from {{ ref('stg_customers') }} c left join orders o on c.customer_id = o.customer_id
group by 1, 2, 3
`,
  'models/marts/order_events.sql': `{{ config(materialized='incremental', unique_key='order_id') }}
select order_id, order_date, '{{ env_var("SHOP_SOURCE", "app") }}' as source_system from {{ ref('stg_orders') }}
{% if is_incremental() %}
where order_date > (select max(order_date) from {{ this }})
{% elif target.name == 'ci' %}
where false
{% else %}
-- first build
{% endif %}
`,
  'models/marts/schema.yml': `version: 2
models:
  - name: customers
    description: '{{ doc("customers_doc") }}'
    columns:
      - name: customer_id
        tests: [unique, not_null]
      - name: customer_lifetime_value
        tests: [is_positive]
  - name: orders
    columns:
      - name: customer_id
        tests:
          - relationships: {to: ref('customers'), field: customer_id}
`,
  'tests/assert_total_payment_amount_is_positive.sql': `select order_id, sum(amount) as total from {{ ref('orders') }} group by 1 having sum(amount) < 0
`,
  'snapshots/orders_snapshot.sql': `{% snapshot orders_snapshot %}
{{ config(unique_key='id', strategy='check', check_cols='all') }}
select * from {{ ref('raw_orders') }}
{% endsnapshot %}
`,
};

describe('weir import-dbt', () => {
  it('converts every construct (exit 0) and the converted project builds with the documented results', async () => {
    const src = await makeProject({ ...DBT, 'project.yaml': '' });
    const out = path.join(src, '..', `${path.basename(src)}-weir`);
    const r = await runCli(['import-dbt', src, '--out', out], src);
    expect(r.stdout + r.stderr).not.toMatch(/not converted/);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/note: dbt_project.yml clean-targets: not needed by Weir/);
    const read = (f: string) => readFileSync(path.join(out, f), 'utf8');
    expect(read('macros/cents_to_dollars.sql')).toContain('round(({{column_name}} / 100)::numeric(16, {{scale}}), {{scale}})');
    expect(read('models/staging/stg_payments.sql')).toContain('{{> cents_to_dollars column_name="amount" scale=2}}');
    expect(read('models/marts/order_events.sql')).toMatch(/\{\{#if \(is_incremental\)\}\}[\s\S]*\{\{else if \(eq target.name "ci"\)\}\}[\s\S]*\{\{else\}\}[\s\S]*\{\{\/if\}\}/);
    expect(read('models/marts/customers.sql')).toContain('{{current_timestamp}}');
    expect(read('snapshots/orders_snapshot.sql')).toMatch(/^\{\{config unique_key="id" strategy="check" check_cols="all"\}\}/);
    expect(read('models/marts/schema.yml')).toContain('One row per customer, with their orders and lifetime value.');
    expect(read('project.yaml')).toMatch(/targets:\n {2}dev:\n {4}type: duckdb\n {4}path: '\{\{env "SHOP_DB" "target\/shop.duckdb"\}\}'/);

    const b = await runCli(['build'], out);
    expect(b.code, b.stdout + b.stderr).toBe(0);
    const q = async (sql: string) => JSON.parse((await runCli(['query', sql, '--format', 'json'], out)).stdout);
    // The results the dbt project documents: lifetime value per customer (dollars) and order counts.
    expect(await q('select customer_id, number_of_orders, customer_lifetime_value::double as clv from main.customers order by 1')).toEqual([
      { customer_id: 1, number_of_orders: 2, clv: 16 }, { customer_id: 2, number_of_orders: 1, clv: 25 }, { customer_id: 3, number_of_orders: 1, clv: 20 },
    ]);
    expect(await q('select order_id, credit_card_amount::double as cc, coupon_amount::double as cp, bank_transfer_amount::double as bt, built_by from main.orders where order_id = 3')).toEqual([
      { order_id: 3, cc: 0, cp: 1, bt: 5, built_by: 'built by dev' },
    ]);
    expect(await q('select count(*)::int as n, min(source_system) as s from main.order_events')).toEqual([{ n: 4, s: 'app' }]);
    expect(await q('select count(*)::int as n from main.orders_snapshot')).toEqual([{ n: 4 }]);
  });

  it('leaves what it cannot convert in place and lists it with file:line and why (exit 1)', async () => {
    const src = await makeProject({
      ...DBT, 'project.yaml': '',
      'models/marts/odd.sql': `select 1 as x
{% set rows = run_query('select 1') %}
select {{ 'a' ~ 'b' }} as y
{% for a, b in [[1, 2]] %}{{ a }}{% endfor %}
`,
      'models/py_model.py': 'def model(dbt, session):\n    return None\n',
    });
    const out = path.join(src, '..', `${path.basename(src)}-weir`);
    const r = await runCli(['import-dbt', src, '--out', out], src);
    expect(r.code).toBe(1);
    const text = r.stdout + r.stderr;
    expect(text).toMatch(/models\/marts\/odd.sql:2: not converted: \{% set %\}: .*not a literal|models\/marts\/odd.sql:2: not converted: \{% set %\}: run_query\(\)/);
    expect(text).toMatch(/models\/marts\/odd.sql:3: not converted: \{\{ 'a' ~ 'b' \}\}: the '~' operator/);
    expect(text).toMatch(/models\/marts\/odd.sql:4: not converted: \{% for %\}: \{% for a, b in/);
    expect(text).toMatch(/models\/py_model.py:1: not converted: a Python model/);
    expect(readFileSync(path.join(out, 'models/marts/odd.sql'), 'utf8')).toContain("{{ 'a' ~ 'b' }}"); // left in place
    expect(existsSync(path.join(out, 'models/marts/customers.sql'))).toBe(true); // the rest is converted
    const again = await runCli(['import-dbt', src, '--out', out], src);
    expect(again.code).toBe(2);
    expect(again.stdout + again.stderr).toMatch(/is not empty/);
  });
});
