/**
 * A project with every resource type Weir has, for the artifact-schema tests (dbt's manifest v12,
 * run-results v6, catalog v1, sources v3) and the cosmos-style manifest reading: models of each
 * materialization (view, table, ephemeral, incremental), a seed with column types, a source with
 * freshness, a snapshot, generic (built-in and custom), singular and unit tests, a TypeScript UDF,
 * a macro, model hooks and on-run-start/on-run-end hooks.
 */
import path from 'node:path';
import { makeProject } from './project.js';

const DEFINE = path.resolve(__dirname, '../../src/udfs/define.ts').split(path.sep).join('/');

/** Files of the project (name `full`, DuckDB target inside the project dir). */
export function fullCoverageFiles(): Record<string, string> {
  return {
    'project.yaml': `name: full
on-run-start:
  - "create schema if not exists ext"
  - "create table if not exists ext.events as select * from (values (1, 10, now()::timestamp), (2, 20, now()::timestamp)) t(event_id, customer_id, loaded_at)"
on-run-end: "select 1"
models:
  staging:
    +schema: staging
    +tags: [staging]
  marts:
    +materialized: table
    +post-hook: "select count(*) from {{this}}"
seeds:
  +schema: raw
target: dev
targets:
  dev:
    type: duckdb
    path: target/full.duckdb
    threads: 2
`,
    'seeds/customers.csv': 'customer_id,name,segment\n10,Ana Kim,gold\n20,Bo Lee,silver\n30,Cy Park,gold\n',
    'seeds/seeds.yml': `version: 2
seeds:
  - name: customers
    description: Customers.
    config:
      column_types: {customer_id: integer}
`,
    'macros/cents.sql': '({{column}} * 100)',
    'macros/test_is_positive.sql': 'select * from {{model}} where {{column_name}} <= 0',
    'udfs/initials.ts': `import { defineScalarUdf } from '${DEFINE}';
export const initials = defineScalarUdf({
  name: 'initials', args: [{ name: 'full_name', type: 'VARCHAR' }], returns: 'VARCHAR', deterministic: true, portable: true,
  description: 'Initials of a name.', fn: (n: string) => n.split(/\\s+/).map((w) => w[0] ?? '').join(''),
});
`,
    'models/sources.yml': `version: 2
sources:
  - name: ext
    schema: ext
    loaded_at_field: loaded_at
    freshness:
      warn_after: {count: 12, period: hour}
      error_after: {count: 2, period: day}
    tables:
      - name: events
        description: Events loaded by the on-run-start hook.
        columns:
          - name: event_id
            tests: [not_null]
`,
    'models/staging/stg_customers.sql': '{{config pre_hook="select 1"}}\nselect customer_id, name, initials(name) as initials, segment from {{ref "customers"}}',
    'models/staging/int_gold.sql': '{{config materialized="ephemeral"}}\nselect * from {{ref "stg_customers"}} where segment = \'gold\'',
    'models/staging/stg_events.sql': 'select event_id, customer_id, loaded_at from {{source "ext" "events"}}',
    'models/marts/gold_customers.sql': 'select customer_id, name, {{> cents column="customer_id"}} as cents from {{ref "int_gold"}}',
    'models/marts/events_incremental.sql': `{{config materialized="incremental" unique_key="event_id"}}
select event_id, customer_id, loaded_at from {{ref "stg_events"}}
{{#if (is_incremental)}}where loaded_at > (select max(loaded_at) from {{this}}){{/if}}`,
    'models/marts/schema.yml': `version: 2
models:
  - name: gold_customers
    description: Gold customers.
    meta: {owner: data@full.example}
    columns:
      - name: customer_id
        description: The customer.
        data_tests: [not_null, unique, is_positive]
      - name: name
        data_tests:
          - accepted_values: {values: ['Ana Kim', 'Cy Park']}
  - name: events_incremental
    columns:
      - name: customer_id
        data_tests:
          - relationships: {to: ref('customers'), field: customer_id}
unit_tests:
  - name: keeps_gold_only
    model: gold_customers
    given:
      - input: ref('int_gold')
        rows:
          - {customer_id: 1, name: A}
    expect:
      rows:
        - {customer_id: 1, name: A, cents: 100}
`,
    'snapshots/customers_history.sql': '{{config unique_key="customer_id" strategy="check" check_cols="all"}}\nselect customer_id, segment from {{ref "customers"}}',
    'tests/assert_no_empty_names.sql': 'select * from {{ref "stg_customers"}} where name = \'\'',
  };
}

/** Creates the project in a temp dir. */
export function makeFullCoverageProject(): Promise<string> {
  return makeProject(fullCoverageFiles());
}
