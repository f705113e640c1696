/**
 * The CLI on a small project, in-process: build, ls, show, query, compile and the artifacts it writes,
 * --vars, seeds (.csv.gz, column_types) and generic tests with severity warn and where.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, jsonLines, makeProject, runCli, type CliResult } from '../helpers/project.js';

let dir: string;
let build: CliResult;

beforeAll(async () => {
  dir = await makeProject({
    'project.yaml': `name: shop
vars:
  countries: [KR, US]
  min_id: 1
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
    'seeds/customers.csv': 'id,name,country,zip\n1,Kim,KR,01234\n2,Lee,kr,04524\n3,Smith,US,10001\n4,Doe,,94105\n',
    'seeds/events.csv.gz': gzipSync('customer_id,kind\n1,view\n1,buy\n3,view\n9,view\n'),
    'seeds/seeds.yml': `version: 2
seeds:
  - name: customers
    config:
      column_types: {zip: VARCHAR}
`,
    'models/staging/stg_customers.sql': `-- Cleaned customers.
select id, name, upper(country) as country, zip
from {{ref "customers"}}`,
    'models/staging/stg_events.sql': 'select * from {{ref "events"}}',
    'models/marts/customer_events.sql': `select c.id, c.name, c.country, count(e.kind) as n_events
from {{ref "stg_customers"}} as c
left join {{ref "stg_events"}} as e on e.customer_id = c.id
where c.id >= {{var "min_id"}} and c.country in ({{literal (var "countries")}})
group by all
order by c.id`,
    'models/schema.yml': `version: 2
models:
  - name: stg_customers
    description: One row per customer.
    columns:
      - name: id
        description: Customer id.
        tests: [not_null, unique]
      - name: country
        tests:
          - accepted_values:
              values: [KR, JP]
              config: {severity: warn}
          - accepted_values:
              values: [KR]
              where: "id <= 2"
  - name: stg_events
    columns:
      - name: customer_id
        tests:
          - relationships: {to: ref('stg_customers'), field: id, severity: warn}
`,
  });
  build = await runCli(['build'], dir);
});
afterAll(cleanupProjects);

const readJson = (rel: string) => JSON.parse(readFileSync(path.join(dir, rel), 'utf8'));

describe('weir build on a small project', () => {
  it('succeeds (warnings allowed) with one line per node', () => {
    expect(build.stdout).toContain('Completed successfully');
    expect(build.code).toBe(0);
    expect(build.stdout).toMatch(/OK\s+seed "main_raw"\."customers" \[4 rows/);
    expect(build.stdout).toMatch(/OK\s+table "main"\."customer_events" \[3 rows/);
    expect(build.stdout).toMatch(/WARN\s+test accepted_values_stg_customers_country_\w+ \[1 failing row/);
    expect(build.stdout).toMatch(/WARN\s+test relationships_stg_events_customer_id_\w+ \[1 failing row/);
    expect(build.stdout).toContain('PASS=8 WARN=2 ERROR=0 SKIP=0');
  });

  it('loads .csv.gz seeds, and column_types overrides inference', async () => {
    const r = await runCli(['query', `select (select count(*) from main_raw.events) as n_events,
      (select typeof(zip) from main_raw.customers limit 1) as zip_type,
      (select zip from main_raw.customers where id = 1) as zip`, '--format', 'json'], dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ n_events: 4, zip_type: 'VARCHAR', zip: '01234' }]);
  });

  it('a test `where` filters the tested rows', () => {
    const rr = readJson('target/run_results.json');
    const filtered = rr.results.filter((x: { unique_id: string }) => x.unique_id.startsWith('test.shop.accepted_values_stg_customers_country'));
    expect(filtered.map((x: { status: string }) => x.status).sort()).toEqual(['pass', 'warn']);
  });

  it('writes run_results.json', () => {
    const rr = readJson('target/run_results.json');
    expect(rr.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/run-results/v6.json');
    expect(rr.args.which).toBe('build');
    expect(rr.results.every((x: { status: string }) => x.status !== 'error' && x.status !== 'fail')).toBe(true);
    const byId = Object.fromEntries(rr.results.map((x: { unique_id: string }) => [x.unique_id, x]));
    expect(byId['model.shop.customer_events']).toMatchObject({ status: 'success', adapter_response: { rows_affected: 3 }, relation_name: '"main"."customer_events"', compiled: true });
    expect(byId['test.shop.not_null_stg_customers_id']).toMatchObject({ status: 'pass', failures: 0 });
    expect(rr.results).toHaveLength(10);
    for (const x of rr.results) expect(x.execution_time).toBeGreaterThanOrEqual(0);
  });

  it('ls --output json: one object per line', async () => {
    const r = await runCli(['ls', '--output', 'json', '--select', 'tag:marts', '+customer_events,resource_type:seed'], dir);
    expect(r.code).toBe(0);
    const rows = jsonLines(r.stdout);
    expect(rows.map((x) => x.unique_id).sort()).toEqual(['model.shop.customer_events', 'seed.shop.customers', 'seed.shop.events']);
    expect(rows.find((x) => x.name === 'customer_events')).toMatchObject({
      resource_type: 'model', path: 'models/marts/customer_events.sql', fqn: ['shop', 'marts', 'customer_events'], tags: ['marts'],
      materialized: 'table', depends_on: { nodes: ['model.shop.stg_customers', 'model.shop.stg_events'], macros: [] },
      // dbt's ls keys
      original_file_path: 'models/marts/customer_events.sql', package_name: 'shop', alias: 'customer_events', config: expect.objectContaining({ materialized: 'table' }),
    });
    const picked = jsonLines((await runCli(['ls', '--output', 'json', '--output-keys', 'name', 'resource_type', '--select', 'customer_events'], dir)).stdout);
    expect(picked).toEqual([{ name: 'customer_events', resource_type: 'model' }]);
    const badKey = await runCli(['ls', '--output', 'json', '--output-keys', 'nmae'], dir);
    expect(badKey.code).toBe(2);
    expect(badKey.stdout + badKey.stderr).toMatch(/--output-keys: unknown key 'nmae'/);
    const names = await runCli(['ls', '--resource-type', 'test', '--output', 'name', '--select', 'stg_events'], dir);
    expect(names.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^relationships_stg_events_customer_id_/)]);
  });

  it('show --select m --limit 2 --format json|csv', async () => {
    const j = await runCli(['show', '--select', 'stg_customers', '--limit', '2', '--format', 'json'], dir);
    expect(j.code).toBe(0);
    expect(JSON.parse(j.stdout)).toEqual([
      { id: 1, name: 'Kim', country: 'KR', zip: '01234' },
      { id: 2, name: 'Lee', country: 'KR', zip: '04524' },
    ]);
    const c = await runCli(['show', '--select', 'stg_customers', '--limit', '2', '--format', 'csv'], dir);
    expect(c.stdout).toBe('id,name,country,zip\n1,Kim,KR,01234\n2,Lee,KR,04524\n');
    const t = await runCli(['show', '--select', 'customer_events'], dir);
    expect(t.stdout).toContain('3 rows');
    expect(t.stdout).toMatch(/│ 3 +│ Smith +│ US +│ 1 +│/);
    const missing = await runCli(['show', '--select', 'customer_event'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stdout + missing.stderr).toContain(`Did you mean 'customer_events'?`);
  });

  it('query "select 42 as x" --format csv', async () => {
    const r = await runCli(['query', 'select 42 as x', '--format', 'csv'], dir);
    expect(r).toMatchObject({ code: 0, stdout: 'x\n42\n' });
    const bad = await runCli(['query', 'select * from nope_table'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stdout + bad.stderr).toContain('nope_table');
  });

  it('--vars overrides project vars', async () => {
    const r = await runCli(['run', '--select', 'customer_events', '--vars', '{"countries": ["US"], "min_id": 2}'], dir);
    expect(r.code).toBe(0);
    const q = await runCli(['query', 'select id, n_events from main.customer_events', '--format', 'json'], dir);
    expect(JSON.parse(q.stdout)).toEqual([{ id: 3, n_events: 1 }]);
    const back = await runCli(['run', '--select', 'customer_events', '--vars', 'min_id: 1'], dir);
    expect(back.code).toBe(0);
    const q2 = await runCli(['query', 'select id from main.customer_events order by id', '--format', 'json'], dir);
    expect(JSON.parse(q2.stdout)).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });

  it('compile writes the SQL as rendered (no formatting unless --format), like weir run', async () => {
    const r = await runCli(['compile', '--select', 'customer_events'], dir);
    expect(r.code).toBe(0);
    const sql = readFileSync(path.join(dir, 'target/compiled/shop/models/marts/customer_events.sql'), 'utf8');
    expect(sql).toContain('"main_staging"."stg_customers" as c');
    expect(sql).not.toMatch(/^select\n {2}c\.id,/); // the model's own layout, not sql-formatter's
    expect(readJson('target/manifest.json').nodes['model.shop.customer_events'].compiled_code).toBe(sql.trimEnd());
  });

  it('compile --format writes formatted SQL under target/compiled and a complete manifest.json', async () => {
    const r = await runCli(['compile', '--format'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/compiled \d+ nodes to target\/compiled/);
    const file = path.join(dir, 'target/compiled/shop/models/marts/customer_events.sql');
    const sql = readFileSync(file, 'utf8');
    expect(sql).toContain('"main_staging"."stg_customers" as c');
    expect(sql).toContain(`in ('KR', 'US')`);
    expect(sql.split('\n').length).toBeGreaterThan(8); // formatted: one clause per line
    expect(sql).toMatch(/^select\n {2}c\.id,/);
    expect(existsSync(path.join(dir, 'target/compiled/shop/models/schema/not_null_stg_customers_id.sql'))).toBe(true);

    const m = readJson('target/manifest.json');
    expect(m.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/manifest/v12.json');
    const n = m.nodes['model.shop.customer_events'];
    expect(n).toMatchObject({
      unique_id: 'model.shop.customer_events', resource_type: 'model', fqn: ['shop', 'marts', 'customer_events'],
      path: 'models/marts/customer_events.sql', original_file_path: 'models/marts/customer_events.sql',
      compiled_path: 'compiled/shop/models/marts/customer_events.sql',
      depends_on: { nodes: ['model.shop.stg_customers', 'model.shop.stg_events'], macros: [] },
      config: expect.objectContaining({ materialized: 'table', tags: ['marts'], enabled: true }),
      compiled_code: sql.trimEnd(),
    });
    expect(n.raw_code).toContain('{{ref "stg_customers"}}');
    expect(m.nodes['model.shop.stg_customers'].columns.id).toMatchObject({ name: 'id', description: 'Customer id.' });
    expect(m.nodes['model.shop.stg_customers'].description).toBe('One row per customer.');
    expect(m.nodes['seed.shop.customers'].config.column_types).toEqual({ zip: 'VARCHAR' });
    expect(m.parent_map['model.shop.customer_events']).toEqual(['model.shop.stg_customers', 'model.shop.stg_events']);
    expect(m.child_map['model.shop.stg_customers']).toContain('model.shop.customer_events');
    expect(m.nodes['test.shop.not_null_stg_customers_id']).toMatchObject({ resource_type: 'test', test_metadata: { name: 'not_null' }, column_name: 'id', depends_on: { nodes: ['model.shop.stg_customers'] } });
  });

  it('compile --print prints the SQL; --select limits it', async () => {
    const r = await runCli(['compile', '--print', '--select', 'stg_events'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('-- model.shop.stg_events');
    expect(r.stdout).toContain('"main_raw"."events"');
    expect(r.stdout).not.toContain('-- model.shop.stg_customers');
  });

  it('debug checks the connection', async () => {
    const r = await runCli(['debug'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('connection: OK');
  });
});
