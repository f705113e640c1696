/**
 * A small shop project for the docs tests: seeds, a source, staging views, an ephemeral model, a table with
 * an owner, a model left unbuilt, column tests, a singular test and a UDF.
 */
import path from 'node:path';
import { makeProject } from './project.js';

const DEFINE = path.resolve(__dirname, '../../src/udfs/define.ts').split(path.sep).join('/');

/** Files of the docs test project (project name `shop`, DuckDB target inside the project dir). */
export function docsProjectFiles(): Record<string, string> {
  return {
    'project.yaml': `name: shop
models:
  staging:
    +schema: staging
  marts:
    +materialized: table
    +tags: [marts]
seeds:
  +schema: raw
target: dev
targets:
  dev:
    type: duckdb
    path: target/shop.duckdb
    threads: 2
`,
    'seeds/customers.csv': 'id,name,country\n1,Kim,KR\n2,Lee,KR\n3,Smith,US\n',
    'seeds/orders.csv': 'order_id,customer_id,amount,status\n10,1,5.5,paid\n11,1,7,paid\n12,3,2,cancelled\n',
    'models/sources.yml': `version: 2
sources:
  - name: shop_raw
    schema: main_raw
    description: Raw tables loaded by seeds.
    tables:
      - name: orders
        description: Raw orders.
`,
    'models/staging/stg_customers.sql': 'select id as customer_id, upper(name) as customer_name, country from {{ref "customers"}}',
    // The source is the seed's table: the comment's ref orders the build (dbt's `-- depends_on:` idiom).
    'models/staging/stg_orders.sql': `-- depends on {{ref "orders"}}\nselect order_id, customer_id, amount, status = 'paid' as is_paid from {{source "shop_raw" "orders"}}`,
    'models/staging/int_paid_orders.sql': '{{config materialized="ephemeral"}}\nselect * from {{ref "stg_orders"}} where is_paid',
    'models/marts/customer_revenue.sql': `select c.customer_id, c.customer_name, sum(o.amount) as revenue, count(*) as orders
from {{ref "stg_customers"}} c
join {{ref "int_paid_orders"}} o on o.customer_id = c.customer_id
group by all`,
    'models/marts/unbuilt_model.sql': 'select customer_id, revenue * 2 as double_revenue from {{ref "customer_revenue"}}',
    'models/marts/schema.yml': `version: 2
models:
  - name: customer_revenue
    description: Revenue per customer from paid orders.
    meta:
      owner: analytics@shop.example
    columns:
      - name: customer_id
        description: The customer.
        tests: [not_null, unique]
      - name: revenue
        description: Sum of paid order amounts.
      - name: documented_only
        description: In YAML but not in the SQL.
`,
    'tests/data/assert_revenue_positive.sql': 'select * from {{ref "customer_revenue"}} where revenue <= 0',
    'udfs/initials.ts': `import { defineScalarUdf } from '${DEFINE}';
export const initials = defineScalarUdf({
  name: 'initials', args: [{ name: 'full_name', type: 'VARCHAR' }], returns: 'VARCHAR', deterministic: true, portable: true,
  description: 'Initials of a name.', fn: (n: string) => n.split(/\\s+/).map((w) => w[0] ?? '').join(''),
});
`,
  };
}

/** Creates the docs test project in a temp dir. */
export function makeDocsProject(): Promise<string> {
  return makeProject(docsProjectFiles());
}
