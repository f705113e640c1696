/**
 * `--empty` (dbt's zero-row build) on DuckDB and on the Snowflake and Trino protocol servers: refs and
 * sources read as `(select * from x where false)`, so every relation is created with its columns and
 * types but no rows; seeds create empty tables; contract and SQL errors still surface; existing snapshot
 * tables are kept.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WeirProject } from '../../src/api/project.js';
import { emptyRelation } from '../../src/compiler/render.js';
import { cleanupProjects, makeProject, runCli } from '../helpers/project.js';
import { engineTargetsYaml, startEngines, type Engines } from '../helpers/engines.js';

let engines: Engines;
const env = () => engines.env;

const projectYaml = `name: e
target: dev
${engineTargetsYaml()}`;
const FILES = {
  'project.yaml': projectYaml,
  'seeds/raw_customers.csv': 'id,name,amount,signup_date\n1,ann,10,2024-01-02\n2,bo,20,2024-02-03\n',
  'models/stg_customers.sql': 'select id, upper(name) as name, amount, signup_date from {{ref "raw_customers"}}',
  'models/totals.sql': '{{config materialized="table"}}select c.name, sum(c.amount) as total from {{ref "stg_customers"}} as c group by c.name',
  'models/recent.sql': `{{config materialized="incremental" unique_key="id"}}
select id, signup_date from {{ref "stg_customers"}}
{{#if (is_incremental)}}where signup_date > (select max(signup_date) from {{this}}){{/if}}`,
  'models/contracted.sql': '{{config materialized="table"}}select id, amount from {{ref "stg_customers"}}',
  'models/broken.sql': '{{config materialized="table"}}select id, no_such_column from {{ref "stg_customers"}}',
  'models/schema.yml': `version: 2
models:
  - name: stg_customers
    columns:
      - name: id
        tests: [not_null, unique]
  - name: contracted
    config:
      contract: {enforced: true}
    columns:
      - name: id
        data_type: integer
      - name: amount
        data_type: varchar
`,
  'snapshots/customers_history.sql': '{{config unique_key="id" strategy="check" check_cols="all"}}select id, name from {{ref "raw_customers"}}',
};
interface Result { unique_id: string; status: string; message?: string }
const results = (dir: string): Record<string, Result> => Object.fromEntries(
  (JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')).results as Result[]).map((r) => [r.unique_id.split('.').slice(2).join('.'), r]),
);

beforeAll(async () => {
  engines = await startEngines();
});
afterAll(async () => {
  await engines?.close();
  cleanupProjects();
});

it('emptyRelation reads a relation with zero rows', () => {
  expect(emptyRelation('"main"."orders"')).toBe('(select * from "main"."orders" where false)');
});

describe('--empty on DuckDB', () => {
  it('builds every relation with zero rows, surfaces contract and SQL errors, keeps existing snapshots', async () => {
    const dir = await makeProject(FILES);
    const res = await runCli(['build', '--empty'], dir, env());
    expect(res.code, res.stdout + res.stderr).toBe(1);
    const r = results(dir);
    expect(r['raw_customers'].status).toBe('success');
    expect(r['raw_customers'].message).toMatch(/--empty/);
    expect(r['totals'].status).toBe('success');
    expect(r['recent'].status).toBe('success');
    expect(r['customers_history'].status).toBe('success');
    expect(r['unique_stg_customers_id'].status).toBe('pass');
    expect(r['contracted'].status).toBe('error');
    expect(r['contracted'].message).toMatch(/amount: type differs: contract varchar/);
    expect(r['broken'].status).toBe('error');
    expect(r['broken'].message).toMatch(/no_such_column/);
    const run = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8'));
    expect(run.args.empty).toBe(true);
    const p = await WeirProject.load({ projectDir: dir, env: env() });
    const count = async (rel: string) => Number((await p.query(`select count(*) from ${rel}`)).rows[0][0]);
    for (const rel of ['main.raw_customers', 'main.stg_customers', 'main.totals', 'main.recent', 'main.customers_history']) expect(await count(rel), rel).toBe(0);
    // The seed's column types come from its file although it holds no rows.
    const cols = (await p.query("select column_name, data_type from information_schema.columns where table_name = 'raw_customers' order by ordinal_position")).rows;
    expect(cols).toEqual([['id', 'BIGINT'], ['name', 'VARCHAR'], ['amount', 'BIGINT'], ['signup_date', 'DATE']]);
    // The compiled SQL shows the empty reads.
    expect(readFileSync(path.join(dir, 'target/compiled/e/models/totals.sql'), 'utf8')).toMatch(/where\s+false/i);

    // A real build fills them; --empty then leaves the snapshot history alone and empties a table again.
    expect((await runCli(['build', '--exclude', 'contracted', 'broken'], dir, env())).code).toBe(0);
    expect(await count('main.customers_history')).toBe(2);
    const again = await runCli(['build', '--empty', '--select', 'customers_history', 'totals'], dir, env());
    expect(again.code).toBe(0);
    expect(results(dir)['customers_history'].message).toMatch(/existing snapshot table was kept/);
    expect(await count('main.customers_history')).toBe(2);
    expect(await count('main.totals')).toBe(0);
    // `weir test --empty` runs the tests over empty inputs.
    const t = await runCli(['test', '--empty', '--select', 'stg_customers'], dir, env());
    expect(t.code).toBe(0);
    expect(readFileSync(path.join(dir, 'target/compiled/e/models/schema/unique_stg_customers_id.sql'), 'utf8')).toMatch(/where\s+false/i);
  });
});

describe.each([
  { target: 'snowflake', count: async (rel: string) => Number((await engines.snowflake.duck(`select count(*) from "ANALYTICS"."DEV"."${rel.toUpperCase()}"`))[0][0]) },
  {
    target: 'trino', count: async (rel: string) => {
      const c = await engines.trino.duckdb.connect();
      try {
        return Number((await c.runAndReadAll(`select count(*) from lake.analytics.${rel}`)).getRows()[0][0]);
      } finally {
        c.closeSync();
      }
    },
  },
])('--empty on the $target protocol server', ({ target, count }) => {
  it('creates empty relations and reports the SQL error', async () => {
    const dir = await makeProject(FILES);
    const res = await runCli(['build', '--empty', '--target', target, '--exclude', 'contracted'], dir, env());
    expect(res.code).toBe(1);
    const r = results(dir);
    expect(r['broken'].status).toBe('error');
    expect(r['broken'].message).toMatch(/no_such_column/i);
    for (const rel of ['raw_customers', 'stg_customers', 'totals', 'recent', 'customers_history']) {
      expect(r[rel].status, rel).toBe('success');
      expect(await count(rel), rel).toBe(0);
    }
  });
});
