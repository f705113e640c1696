/**
 * Engine-specific materializations (`dynamic_table` on Snowflake, `materialized_view` on Snowflake and
 * Trino) and load-time checks of their configs and of every table option: the DDL each dialect writes
 * (golden files under tests/golden/ddl/, `UPDATE_GOLDEN=1` rewrites them) parsed by the engine's grammar,
 * parse errors naming file, line and key (exit 2), and `weir run` on the Snowflake and Trino protocol servers
 * (NOT the engines: they check the grammar, then keep the query's result as a DuckDB table).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSnowflakeDialect } from '../../src/adapters/snowflake/dialect.js';
import { trinoDialect } from '../../src/adapters/trino/dialect.js';
import { duckdbDialect } from '../../src/adapters/duckdb/dialect.js';
import { engineBuilds, enginesBuilding } from '../../src/adapters/registry.js';
import { ENGINE_MATERIALIZATIONS } from '../../src/manifest/materialization.js';
import { parseTargetLag } from '../../src/parser/configs/dynamic-table.js';
import { checkEngineSql, loadGrammars } from '../grammar/engine-check.js';
import { cleanupProjects, makeProject, runCli } from '../helpers/project.js';
import { startSnowflakeServer, type SnowflakeTestServer } from '../servers/snowflake-server.js';
import { TrinoTestServer } from '../servers/trino-server.js';

const UPDATE = process.env.UPDATE_GOLDEN === '1';
const SF_SELECT = 'select order_date, count(*) as n from "ANALYTICS"."RAW"."ORDERS" group by order_date';
const TRINO_SELECT = 'select order_date, count(*) as n from "lake"."raw"."orders" group by order_date';

function golden(name: string, rendered: string): void {
  const file = path.join(import.meta.dirname, '../golden/ddl', `${name}.sql`);
  if (UPDATE || !existsSync(file)) writeFileSync(file, rendered);
  expect(rendered).toBe(readFileSync(file, 'utf8'));
}

describe('engine-specific materializations in DDL', () => {
  beforeAll(loadGrammars);
  const sf = makeSnowflakeDialect({});

  it('dynamic_table: golden DDL, parsed by the Snowflake grammar', () => {
    const full = sf.ddl.createDynamicTable!('"ANALYTICS"."DEV"."DAILY_ORDERS"', SF_SELECT, { targetLag: '30 minutes', warehouse: 'transform_wh', refreshMode: 'INCREMENTAL', initialize: 'ON_SCHEDULE' });
    const downstream = sf.ddl.createDynamicTable!('"ANALYTICS"."DEV"."DAILY_ORDERS"', SF_SELECT, { targetLag: 'DOWNSTREAM', warehouse: 'Transform WH' });
    golden('dynamic_table', `-- snowflake (all options)\n${full};\n\n-- snowflake (target_lag downstream; a warehouse name that needs quotes)\n${downstream};\n`);
    expect(full).toMatch(/^create or replace dynamic table "ANALYTICS"\."DEV"\."DAILY_ORDERS"\n  target_lag = '30 minutes'\n  warehouse = transform_wh\n  refresh_mode = INCREMENTAL\n  initialize = ON_SCHEDULE\nas \(/);
    expect(downstream).toContain('target_lag = downstream\n  warehouse = "TRANSFORM WH"\nas (');
    expect(checkEngineSql('snowflake', full)).toBeUndefined();
    expect(checkEngineSql('snowflake', downstream)).toBeUndefined();
    // The grammar check is live: a misspelt clause fails it.
    expect(checkEngineSql('snowflake', full.replace('target_lag', 'target lag'))?.kind).toBe('syntax');
  });

  it('materialized_view: golden DDL per dialect, parsed by the engine grammar; Trino refreshes after creating', () => {
    const snowflake = sf.ddl.createMaterializedView!('"ANALYTICS"."DEV"."DAILY_ORDERS"', SF_SELECT, { cluster_by: ['order_date'], copy_grants: true });
    const trino = trinoDialect.ddl.createMaterializedView!('"lake"."analytics"."daily_orders"', TRINO_SELECT, { properties: { format: 'PARQUET', partitioning: ['order_date'] } });
    const refresh = trinoDialect.ddl.refreshMaterializedView!('"lake"."analytics"."daily_orders"');
    golden('materialized_view', `-- snowflake (cluster_by, copy_grants)\n${snowflake};\n\n-- trino (properties), then\n${trino};\n\n-- trino refresh\n${refresh};\n`);
    expect(checkEngineSql('snowflake', snowflake)).toBeUndefined();
    expect(checkEngineSql('trino', trino)).toBeUndefined();
    expect(checkEngineSql('trino', refresh)).toBeUndefined();
    expect(sf.ddl.refreshMaterializedView).toBeUndefined(); // Snowflake fills it when created
    expect(duckdbDialect.ddl.createMaterializedView).toBeUndefined();
    expect(duckdbDialect.ddl.createDynamicTable).toBeUndefined();
  });

  it('on_table_exists: golden Trino DDL of each mode, parsed by the Trino grammar', () => {
    const d = trinoDialect.ddl;
    const rel = '"lake"."analytics"."orders"';
    const rendered = [
      `-- rename (default)\n${d.createTableAs('"lake"."analytics"."orders__weir_tmp"', TRINO_SELECT)};\n${d.renameRelation(rel, '"orders__weir_backup"', 'table')};\n${d.renameRelation('"lake"."analytics"."orders__weir_tmp"', '"orders"', 'table')};\n${d.dropRelation('"lake"."analytics"."orders__weir_backup"', 'table')};`,
      `-- drop\n${d.dropRelation(rel, 'table')};\n${d.createTableAs(rel, TRINO_SELECT)};`,
      `-- replace (Iceberg: atomic)\n${d.createOrReplaceTableAs!(rel, TRINO_SELECT, { properties: { format: 'PARQUET' } })};`,
    ].join('\n\n') + '\n';
    golden('on_table_exists', rendered);
    for (const stmt of rendered.replace(/^--.*\n/gm, '').split(';\n').map((x) => x.trim()).filter(Boolean)) expect(checkEngineSql('trino', stmt), stmt).toBeUndefined();
  });

  it("the registry's list of engine materializations matches the dialects' DDL", () => {
    const dialects = { duckdb: duckdbDialect, snowflake: sf, trino: trinoDialect };
    for (const [type, d] of Object.entries(dialects)) {
      expect(engineBuilds(type, 'dynamic_table')).toBe(d.ddl.createDynamicTable !== undefined);
      expect(engineBuilds(type, 'materialized_view')).toBe(d.ddl.createMaterializedView !== undefined);
    }
    expect(ENGINE_MATERIALIZATIONS.map((k) => enginesBuilding(k))).toEqual([['snowflake'], ['snowflake', 'trino']]);
  });

  it('target_lag: durations of at least 1 minute, or downstream', () => {
    expect(parseTargetLag('30 Minutes')).toBe('30 minutes');
    expect(parseTargetLag(' 1 hour ')).toBe('1 hour');
    expect(parseTargetLag('60 seconds')).toBe('60 seconds');
    expect(parseTargetLag('DownStream')).toBe('DOWNSTREAM');
    for (const bad of ['59 seconds', '5', 'soon', '1 week', "1 minute'; drop table x; --", 30]) expect(parseTargetLag(bad)).toBeUndefined();
  });
});

describe('load-time errors (exit 2, file, line and key)', () => {
  afterAll(cleanupProjects);
  const project = (type: 'duckdb' | 'trino' | 'snowflake') => `name: t
target: dev
targets:
  dev: ${type === 'duckdb' ? '{ type: duckdb, path: target/t.duckdb }' : type === 'trino' ? "{ type: trino, server: 'http://127.0.0.1:9', user: weir, catalog: lake, schema: main }" : "{ type: snowflake, account: acme, user: u, password: p, database: analytics, schema: dev }"}
`;
  const parse = async (type: 'duckdb' | 'trino' | 'snowflake', files: Record<string, string>) => {
    const dir = await makeProject({ 'project.yaml': project(type), ...files });
    const r = await runCli(['parse'], dir);
    return { code: r.code, out: r.stdout + r.stderr };
  };

  it('a materialization the engine lacks names the file, line, key and the engines that have it', async () => {
    let r = await parse('duckdb', { 'models/a.sql': '-- daily\n{{config materialized="dynamic_table" target_lag="1 hour"}}\nselect 1 as x' });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/models\/a\.sql:2.*materialized: dynamic_table is not available on target 'dev' \(duckdb\); only snowflake has it/);
    r = await parse('trino', { 'models/a.sql': 'select 1 as x', 'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    config:\n      materialized: dynamic_table\n' });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/models\/schema\.yml:5.*materialized: dynamic_table is not available on target 'dev' \(trino\); only snowflake has it/);
    r = await parse('duckdb', { 'models/a.sql': '{{config materialized="materialized_view"}}\nselect 1 as x' });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/models\/a\.sql:1.*materialized: materialized_view is not available on target 'dev' \(duckdb\); only snowflake and trino have it/);
    expect(r.out).toMatch(/Build this model on a snowflake or trino target, or use materialized: table for duckdb/);
  });

  it('dynamic_table configs: target_lag required and a duration, a warehouse, refresh_mode and initialize values', async () => {
    let r = await parse('snowflake', { 'models/a.sql': '{{config materialized="dynamic_table" snowflake_warehouse="wh"}}\nselect 1 as x' });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/models\/a\.sql:1.*a dynamic_table needs target_lag/);
    r = await parse('snowflake', { 'models/a.sql': '\n{{config materialized="dynamic_table"\n  target_lag="30 secs"\n  snowflake_warehouse="wh"}}\nselect 1 as x' });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/models\/a\.sql:3.*target_lag must be '<number> seconds\|minutes\|hours\|days' \(at least 1 minute\) or downstream, got "30 secs"/);
    r = await parse('snowflake', { 'models/a.sql': '{{config materialized="dynamic_table" target_lag="1 hour"}}\nselect 1 as x' });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/a dynamic_table needs a warehouse to refresh it/);
    r = await parse('snowflake', { 'models/a.sql': 'select 1 as x', 'models/schema.yml': "version: 2\nmodels:\n  - name: a\n    config:\n      materialized: dynamic_table\n      target_lag: '1 hour'\n      warehouse: wh\n      refresh_mode: incremantal\n      initialize: on_create\n" });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/models\/schema\.yml:8.*refresh_mode must be one of AUTO, FULL, INCREMENTAL, got "incremantal"/);
    expect(r.out).toMatch(/Did you mean 'INCREMENTAL'\?/);
    expect(r.out).not.toMatch(/initialize/); // on_create is ON_CREATE
    r = await parse('snowflake', { 'models/a.sql': '{{config materialized="table" target_lag="1 hour"}}\nselect 1 as x' });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/config 'target_lag' applies to dynamic_table models, not to a table/);
  });

  it('table options are checked when the project loads, not when the model runs', async () => {
    let r = await parse('trino', { 'models/a.sql': '{{config materialized="table"}}\nselect 1 as x', 'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    config:\n      on_table_exists: rename_it\n' });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/models\/schema\.yml:5.*on_table_exists must be one of rename, drop, replace, got "rename_it"/);
    r = await parse('duckdb', { 'models/a.sql': '{{config materialized="table" on_table_exists="drp"}}\nselect 1 as x' });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/Did you mean 'drop'\?/);
    r = await parse('snowflake', { 'models/a.sql': '\n\n{{config materialized="incremental" cluster_by=(array "to_date(ts)")}}\nselect 1 as x' });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/models\/a\.sql:3.*cluster_by must be a column name or a list of column names/);
    r = await parse('snowflake', { 'models/a.sql': '{{config materialized="table" transient="yes"}}\nselect 1 as x' });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/transient must be true or false, got "yes"/);
    r = await parse('trino', { 'models/a.sql': '{{config materialized="materialized_view"}}\nselect 1 as x', 'project.yaml': `${project('trino')}models:\n  t:\n    +properties: { format: { a: 1 } }\n` });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/project\.yaml.*properties\.format: a value is a string, number, boolean or a list of them/);
    // The folder config's line: the `+properties` key of project.yaml (its last line).
    const folderYaml = `${project('trino')}models:\n  t:\n    +properties: { format: { a: 1 } }\n`;
    r = await parse('trino', { 'models/a.sql': '{{config materialized="materialized_view"}}\nselect 1 as x', 'project.yaml': folderYaml });
    expect(r.out).toContain(`project.yaml:${folderYaml.split('\n').length - 1}`);
    r = await parse('trino', { 'models/a.sql': '{{config materialized="view" on_table_exists="drop"}}\nselect 1 as x' });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/config 'on_table_exists' applies to table models, not to a view/);
  });
});

describe('engine-specific materializations on the protocol servers', () => {
  let trino: TrinoTestServer;
  let snowflake: SnowflakeTestServer;
  let trinoDir: string;
  let sfDir: string;
  const env = { ...process.env, SF_PW: 'pw-native-1' };
  const seed = 'order_id,region,order_date\n1,kr,2024-01-02\n2,jp,2024-02-03\n3,kr,2024-02-03\n';
  beforeAll(async () => {
    trino = await TrinoTestServer.start({ catalogs: ['lake'] });
    snowflake = await startSnowflakeServer({ users: { weir_ci: 'pw-native-1' } });
    trinoDir = await makeProject({
      'project.yaml': `name: t\ntarget: trino\ntargets:\n  trino: { type: trino, server: '${trino.url}', user: weir, catalog: lake, schema: main }\n`,
      'seeds/orders.csv': seed,
      'models/orders_mv.sql': `{{config materialized="materialized_view"}}
select region, count(*) as n from {{ref "orders"}} group by region`,
      'models/schema.yml': 'version: 2\nmodels:\n  - name: orders_mv\n    config:\n      properties: { format: PARQUET }\n',
      'models/reads_mv.sql': 'select sum(n) as total from {{ref "orders_mv"}}',
    });
    sfDir = await makeProject({
      'project.yaml': `name: t
target: snowflake
targets:
  snowflake: { type: snowflake, account: acme, user: weir_ci, password: '{{env "SF_PW"}}', database: analytics, schema: dev, warehouse: transform_wh, access_url: '${snowflake.url}' }
`,
      'seeds/orders.csv': seed,
      'models/orders_dt.sql': `{{config materialized="dynamic_table" target_lag="5 minutes" refresh_mode="incremental"}}
select region, count(*) as n from {{ref "orders"}} group by region`,
      'models/orders_mv.sql': `{{config materialized="materialized_view" cluster_by="region"}}
select region, order_date from {{ref "orders"}} where region = 'kr'`,
      'models/reads_both.sql': 'select (select sum(n) from {{ref "orders_dt"}}) as total, (select count(*) from {{ref "orders_mv"}}) as kr',
    });
  });
  afterAll(async () => {
    await trino?.close();
    await snowflake?.close();
    await cleanupProjects();
  });

  it('Trino: CREATE OR REPLACE MATERIALIZED VIEW with properties, then REFRESH; downstream models read it', async () => {
    const s = await runCli(['seed'], trinoDir, env);
    expect(s.code, s.stdout + s.stderr).toBe(0);
    for (let i = 0; i < 2; i++) {
      const r = await runCli(['run'], trinoDir, env);
      expect(r.code, r.stdout + r.stderr).toBe(0);
    }
    const sent = trino.statements.map((s) => s.sql);
    const mv = sent.filter((s) => /materialized view "lake"."main"."orders_mv"/.test(s));
    expect(mv).toHaveLength(4); // create + refresh, twice
    expect(mv[0]).toMatch(/^create or replace materialized view "lake"\."main"\."orders_mv" with \(format = 'PARQUET'\) as\nselect/);
    expect(mv[1]).toBe('refresh materialized view "lake"."main"."orders_mv"');
    expect(Number((await trino.query('select total from lake.main.reads_mv'))[0].total)).toBe(3);
  }, 120_000);

  it('Snowflake: CREATE OR REPLACE DYNAMIC TABLE (target warehouse) and MATERIALIZED VIEW; downstream models read them', async () => {
    expect((await runCli(['seed'], sfDir, env)).code).toBe(0);
    const r = await runCli(['run'], sfDir, env);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const sent = snowflake.queries.map((q) => q.sqlText);
    expect(sent.find((s) => /ORDERS_DT/.test(s) && /^create/i.test(s))).toMatch(/^create or replace dynamic table "ANALYTICS"\."DEV"\."ORDERS_DT"\n  target_lag = '5 minutes'\n  warehouse = transform_wh\n  refresh_mode = INCREMENTAL\nas \(/);
    expect(sent.find((s) => /ORDERS_MV/.test(s) && /^create/i.test(s))).toMatch(/^create or replace materialized view "ANALYTICS"\."DEV"\."ORDERS_MV" cluster by \(region\) as\nselect/);
    expect(await snowflake.duck('select total, kr from analytics.dev.reads_both')).toEqual([[3n, 2n]]);
  }, 120_000);
});

describe('Trino on_table_exists on the protocol server', () => {
  let trino: TrinoTestServer;
  let dir: string;
  beforeAll(async () => {
    trino = await TrinoTestServer.start({ catalogs: ['lake'] });
    dir = await makeProject({
      'project.yaml': `name: t\ntarget: trino\ntargets:\n  trino: { type: trino, server: '${trino.url}', user: weir, catalog: lake, schema: main }\n`,
      'models/by_rename.sql': '{{config materialized="table"}}\nselect 1 as x',
      'models/by_drop.sql': '{{config materialized="table" on_table_exists="drop"}}\nselect 2 as x',
      'models/by_replace.sql': '{{config materialized="table" on_table_exists="replace"}}\nselect 3 as x',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: by_replace\n    config:\n      properties: { format: PARQUET }\n',
    });
  });
  afterAll(async () => {
    await trino?.close();
    await cleanupProjects();
  });

  it('rename (default): tmp, old → backup, tmp → name, drop backup; drop: drop then create; replace: CREATE OR REPLACE TABLE', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await runCli(['run'], dir);
      expect(r.code, r.stdout + r.stderr).toBe(0);
    }
    const second = trino.statements.map((s) => s.sql).slice(trino.statements.length / 2);
    const of = (name: string) => second.filter((s) => s.includes(`"${name}`) && !/information_schema|^select|^show|^use/i.test(s.trim()));
    expect(of('by_rename')).toEqual([
      'drop table if exists "lake"."main"."by_rename__weir_tmp"',
      'create table "lake"."main"."by_rename__weir_tmp" as (\nselect 1 as x\n)',
      'drop table if exists "lake"."main"."by_rename__weir_backup"',
      'alter table "lake"."main"."by_rename" rename to "lake"."main"."by_rename__weir_backup"',
      'alter table "lake"."main"."by_rename__weir_tmp" rename to "lake"."main"."by_rename"',
      'drop table if exists "lake"."main"."by_rename__weir_backup"',
    ]);
    expect(of('by_drop')).toEqual(['drop table if exists "lake"."main"."by_drop"', 'create table "lake"."main"."by_drop" as (\nselect 2 as x\n)']);
    expect(of('by_replace')).toEqual([`create or replace table "lake"."main"."by_replace" with (format = 'PARQUET') as (\nselect 3 as x\n)`]);
    for (const [name, x] of [['by_rename', 1], ['by_drop', 2], ['by_replace', 3]] as const) {
      expect((await trino.query(`select x from lake.main.${name}`)).map((row) => Number(row.x))).toEqual([x]);
    }
    expect(await trino.query("select table_name from information_schema.tables where table_name like '%weir_%'")).toEqual([]);
  }, 120_000);
});
