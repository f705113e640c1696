/**
 * Native table options (adapters/table-options.ts) and a model's Snowflake query_tag, per dialect: the DDL each writes (golden files under
 * tests/golden/ddl/, `UPDATE_GOLDEN=1` rewrites them), that DDL parsed by the engine's grammar
 * (tests/grammar), config validation, and a `weir run` on the Trino and Snowflake protocol servers (NOT the
 * engines: they check the grammar, then run the statement on DuckDB without the options) sending them.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdbDialect } from '../../src/adapters/duckdb/dialect.js';
import { makeSnowflakeDialect } from '../../src/adapters/snowflake/dialect.js';
import { trinoDialect } from '../../src/adapters/trino/dialect.js';
import { tableOptionsOf, type TableOptions } from '../../src/adapters/table-options.js';
import { checkEngineSql, loadGrammars } from '../grammar/engine-check.js';
import { cleanupProjects, makeProject, runCli } from '../helpers/project.js';
import { startSnowflakeServer, type SnowflakeTestServer } from '../servers/snowflake-server.js';
import { TrinoTestServer } from '../servers/trino-server.js';

const UPDATE = process.env.UPDATE_GOLDEN === '1';
const SELECT = 'select order_id, region, order_date from "lake"."raw"."orders"';

/** name → options, rendered for every dialect. */
const CASES: Record<string, TableOptions> = {
  iceberg_properties: { properties: { format: 'PARQUET', partitioning: ['region', 'month(order_date)'], sorted_by: ['order_id'] } },
  hive_location: { properties: { format: 'ORC', external_location: 's3://lake/orders/', partitioned_by: ['region'] } },
  cluster_by: { cluster_by: ['order_date', 'region'] },
  transient_copy_grants: { transient: true, copy_grants: true, cluster_by: ['order_date'] },
  permanent_on_transient_target: { transient: false },
};

describe('native table options in DDL', () => {
  beforeAll(loadGrammars);
  const sf = makeSnowflakeDialect({ transient: true });
  for (const [name, options] of Object.entries(CASES)) {
    it(`${name}: golden DDL per dialect, parsed by the engine grammar`, () => {
      const rendered = [
        `-- trino (create table, then renamed into place)\n${trinoDialect.ddl.createTableAs('"lake"."analytics"."orders__weir_tmp"', SELECT, options)};`,
        `-- snowflake (target transient: true; create or replace)\n${sf.ddl.createOrReplaceTableAs!('"ANALYTICS"."DEV"."ORDERS"', SELECT.replace('"lake"."raw"."orders"', '"ANALYTICS"."RAW"."ORDERS"'), options)};`,
        `-- duckdb (no native table options)\n${duckdbDialect.ddl.createTableAs('"main"."orders__weir_tmp"', SELECT.replace('"lake".', ''), options)};`,
      ].join('\n\n') + '\n';
      const file = path.join(import.meta.dirname, '../golden/ddl', `${name}.sql`);
      if (UPDATE || !existsSync(file)) writeFileSync(file, rendered);
      expect(rendered).toBe(readFileSync(file, 'utf8'));
      const [trino, snowflake] = rendered.split('\n\n');
      expect(checkEngineSql('trino', trino.replace(/^--.*\n/, ''))).toBeUndefined();
      expect(checkEngineSql('snowflake', snowflake.replace(/^--.*\n/, ''))).toBeUndefined();
    });
  }

  it('values are literals, names are checked', () => {
    expect(trinoDialect.ddl.createTableAs('t', 'select 1', { properties: { location: "s3://x/it's" } })).toContain(`with (location = 's3://x/it''s') as`);
    expect(() => tableOptionsOf({ properties: { 'format) as select 1; --': 'x' } })).toThrow(/not a table property name/);
    expect(() => tableOptionsOf({ properties: { format: { a: 1 } } })).toThrow(/properties.format: a value is a string, number, boolean or a list/);
    expect(() => tableOptionsOf({ properties: ['format'] })).toThrow(/properties must be a map/);
    expect(() => tableOptionsOf({ cluster_by: ['to_date(ts)'] })).toThrow(/cluster_by must be a column name or a list of column names/);
    expect(() => tableOptionsOf({ transient: 'yes' })).toThrow(/transient must be true or false/);
    expect(tableOptionsOf({ cluster_by: 'region', copy_grants: true })).toEqual({ cluster_by: ['region'], copy_grants: true });
  });
});

describe('native table options on the protocol servers', () => {
  let trino: TrinoTestServer;
  let snowflake: SnowflakeTestServer;
  let dir: string;
  const env = { ...process.env, SF_PW: 'pw-options-1' };
  beforeAll(async () => {
    trino = await TrinoTestServer.start({ catalogs: ['lake'] });
    snowflake = await startSnowflakeServer({ users: { weir_ci: 'pw-options-1' } });
    dir = await makeProject({
      'project.yaml': `name: t
target: trino
targets:
  trino: { type: trino, server: '${trino.url}', user: weir, catalog: lake, schema: main }
  snowflake: { type: snowflake, account: acme, user: weir_ci, password: '{{env "SF_PW"}}', database: analytics, schema: dev, access_url: '${snowflake.url}', transient: true }
  dev: { type: duckdb, path: target/t.duckdb }
`,
      'seeds/orders.csv': 'order_id,region,order_date\n1,kr,2024-01-02\n2,jp,2024-02-03\n',
      'models/orders_by_region.sql': `{{config materialized="table" cluster_by=(array "region") transient=false copy_grants=true query_tag="orders_nightly"}}
select region, count(*) as n from {{ref "orders"}} group by region`,
      'models/schema.yml': `version: 2
models:
  - name: orders_by_region
    config:
      properties: { format: PARQUET, partitioning: [region] }
`,
    });
  });
  afterAll(async () => {
    await trino?.close();
    await snowflake?.close();
    await cleanupProjects();
  });

  it('Trino gets WITH (...) properties; the Snowflake options are reported as not applied there', async () => {
    expect((await runCli(['seed', '--target', 'trino'], dir, env)).code).toBe(0);
    const r = await runCli(['run', '--target', 'trino'], dir, env);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const ctas = trino.statements.map((s) => s.sql).find((s) => /create table .*orders_by_region__weir_tmp/i.test(s));
    expect(ctas).toMatch(/with \(format = 'PARQUET', partitioning = ARRAY\['region'\]\) as \(/);
    expect(r.stdout + r.stderr).toMatch(/cluster_by, transient, copy_grants: not a table option of trino targets \(only properties, on_table_exists\); not applied on target 'trino'/);
    expect(r.stdout + r.stderr).toMatch(/query_tag: trino targets have no query tags; not applied on target 'trino'/);
    expect(Number((await trino.query("select count(*) as n from lake.main.orders_by_region"))[0].n)).toBe(2);
  }, 120_000);

  it('Snowflake gets a permanent table (model transient: false over the target) with CLUSTER BY and COPY GRANTS', async () => {
    expect((await runCli(['seed', '--target', 'snowflake'], dir, env)).code).toBe(0);
    const r = await runCli(['run', '--target', 'snowflake'], dir, env);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const ctas = snowflake.queries.map((q) => q.sqlText).find((s) => /ORDERS_BY_REGION/.test(s) && /^create/i.test(s));
    expect(ctas).toMatch(/^create or replace table "ANALYTICS"."DEV"."ORDERS_BY_REGION" cluster by \(region\) copy grants as \(/);
    expect(r.stdout + r.stderr).toMatch(/properties: not a table option of snowflake targets/);
    // The model's query_tag replaces the target's (none here) in the node's QUERY_TAG.
    const q = snowflake.queries.find((x) => /ORDERS_BY_REGION/.test(x.sqlText) && /^create/i.test(x.sqlText));
    expect(JSON.parse(q!.queryTag!)).toEqual({ app: 'weir', node_id: 'model.t.orders_by_region', tag: 'orders_nightly' });
  }, 120_000);
});
