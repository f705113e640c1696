/**
 * `weir source freshness` on DuckDB: statuses against the engine's clock, target/sources.json, exit codes,
 * selection and the messages for sources that can't be checked.
 */
import { cpSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, jsonLines, makeProject, runCli, writeFiles } from '../helpers/project.js';
import { dbtSchemaErrors } from '../helpers/dbt-schemas.js';

afterAll(cleanupProjects);

const PROJECT = `name: t
target: dev
targets:
  dev: {type: duckdb, path: target/t.duckdb, threads: 2}
`;
const SOURCES = `version: 2
sources:
  - name: shop
    schema: raw
    loaded_at_field: loaded_at
    freshness:
      warn_after: {count: 1, period: hour}
      error_after: {count: 1, period: day}
    tables:
      - name: orders                         # 2 hours old: warn
      - name: events                         # newest row 10 minutes old (timestamptz): pass
      - name: empty                          # no rows: error
      - name: recent
        identifier: orders
        freshness: {warn_after: {count: 3, period: hour}}    # merged: pass
      - name: filtered
        identifier: events
        freshness: {filter: "id = 1"}        # only the 3-day-old row counts: error
      - name: unchecked
        identifier: orders
        freshness: null
  - name: crm
    schema: raw
    freshness: {warn_after: {count: 1, period: day}}
    tables:
      - name: customers                      # no loaded_at_field: warned, not checked
`;
const SETUP = `create schema if not exists raw;
create or replace table raw.orders as select (now() - interval 2 hour)::timestamp as loaded_at, 1 as id;
create or replace table raw.events as select (now() - interval 3 day)::timestamptz as loaded_at, 1 as id union all select now() - interval 10 minute, 2;
create or replace table raw.empty as select now()::timestamp as loaded_at where false;`;

let dir: string;
beforeAll(async () => {
  dir = await makeProject({ 'project.yaml': PROJECT, 'models/sources.yml': SOURCES, 'macros/setup.sql': SETUP });
  expect((await runCli(['run-operation', 'setup'], dir)).code).toBe(0);
});

const sourcesJson = () => JSON.parse(readFileSync(path.join(dir, 'target/sources.json'), 'utf8'));

describe('weir source freshness', () => {
  it('computes statuses, writes sources.json and exits 1 on error', async () => {
    const r = await runCli(['source', 'freshness', '--log-format', 'json'], dir);
    expect(r.code).toBe(1);
    const lines = jsonLines(r.stdout);
    expect(lines.find((e) => e.code === 'WEIR_WARNING')?.message).toContain("source 'crm.customers' (models/sources.yml) has a freshness setting but no loaded_at_field");
    const s = sourcesJson();
    expect(s.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/sources/v3.json');
    expect(dbtSchemaErrors('sources', s)).toEqual([]);
    const by = Object.fromEntries(s.results.map((x: { unique_id: string }) => [x.unique_id.replace('source.t.', ''), x]));
    expect(Object.keys(by).sort()).toEqual(['shop.empty', 'shop.events', 'shop.filtered', 'shop.orders', 'shop.recent']);
    expect(by['shop.orders'].status).toBe('warn');
    expect(by['shop.orders'].max_loaded_at_time_ago_in_s).toBeGreaterThan(7190);
    expect(by['shop.orders'].max_loaded_at_time_ago_in_s).toBeLessThan(7300);
    expect(by['shop.orders'].criteria).toEqual({ warn_after: { count: 1, period: 'hour' }, error_after: { count: 1, period: 'day' }, filter: null });
    expect(Date.parse(by['shop.orders'].snapshotted_at) - Date.parse(by['shop.orders'].max_loaded_at)).toBeGreaterThan(7190_000);
    expect(by['shop.events'].status).toBe('pass');
    expect(by['shop.events'].max_loaded_at_time_ago_in_s).toBeLessThan(700);
    // dbt's schema needs a timestamp: an empty table is written as loaded at the earliest time there is.
    expect(by['shop.empty']).toMatchObject({ status: 'error', max_loaded_at: '0001-01-01T00:00:00.000Z' });
    expect(by['shop.empty'].max_loaded_at_time_ago_in_s).toBeGreaterThan(2000 * 365 * 86400);
    expect(by['shop.recent'].status).toBe('pass');
    expect(by['shop.filtered']).toMatchObject({ status: 'error', criteria: { filter: 'id = 1' } });
    expect(by['shop.filtered'].max_loaded_at_time_ago_in_s).toBeGreaterThan(3 * 86400 - 10);
  });

  it('selects sources; warn only exits 0; a missing table is a runtime error', async () => {
    const w = await runCli(['source', 'freshness', '--select', 'source:shop.orders', 'source:shop.recent'], dir);
    expect(w.code).toBe(0);
    expect(sourcesJson().results.map((x: { status: string }) => x.status).sort()).toEqual(['pass', 'warn']);
    writeFiles(dir, { 'models/more.yml': 'version: 2\nsources:\n  - name: gone\n    loaded_at_field: loaded_at\n    freshness: {error_after: {count: 1, period: day}}\n    tables: [{name: nope}]\n' });
    const e = await runCli(['source', 'freshness', '-s', 'source:gone', '-o', 'out/fresh.json'], dir);
    expect(e.code).toBe(1);
    expect(e.stdout).toMatch(/source 'gone.nope' \(models\/more.yml\): Catalog Error: Table with name "gone.nope" does not exist/);
    const out = JSON.parse(readFileSync(path.join(dir, 'out/fresh.json'), 'utf8'));
    expect(out.results[0]).toMatchObject({ unique_id: 'source.t.gone.nope', status: 'runtime error' });
    expect(out.results[0].error).toMatch(/does not exist/);
  });

  it('nothing to check is a message and an empty sources.json', async () => {
    const r = await runCli(['source', 'freshness', '-s', 'source:crm'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('nothing to check');
    expect(sourcesJson().results).toEqual([]);
  });

  it('a bad freshness setting stops with the file and line', async () => {
    const bad = await makeProject({ 'project.yaml': PROJECT, 'models/s.yml': 'version: 2\nsources:\n  - name: a\n    freshness: {warn_after: {count: 2, period: weeks}}\n    tables: [{name: t}]\n' });
    const r = await runCli(['source', 'freshness'], bad);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/models\/s.yml:4:\d+ \(sources\[0\].freshness.warn_after.period\): .*must be minute, hour or day, got "weeks"/);
  });

  it('source_status:fresher selects sources with newer data than the state, and what reads them', async () => {
    const d = await makeProject({
      'project.yaml': PROJECT,
      'models/sources.yml': 'version: 2\nsources:\n  - name: shop\n    schema: raw\n    loaded_at_field: loaded_at\n    freshness: {warn_after: {count: 1, period: day}}\n    tables: [{name: orders}, {name: events}]\n',
      'models/o.sql': 'select * from {{source "shop" "orders"}}',
      'models/e.sql': 'select * from {{source "shop" "events"}}',
      'macros/setup.sql': SETUP,
      'macros/more_orders.sql': "insert into raw.orders values (now()::timestamp, 2)",
    });
    expect((await runCli(['run-operation', 'setup'], d)).code).toBe(0);
    expect((await runCli(['compile', '-q'], d)).code).toBe(0);
    expect((await runCli(['source', 'freshness', '-q'], d)).code).toBe(0);
    cpSync(path.join(d, 'target'), path.join(d, 'prod'), { recursive: true });
    expect((await runCli(['run-operation', 'more_orders'], d)).code).toBe(0);
    expect((await runCli(['source', 'freshness', '-q'], d)).code).toBe(0);
    const r = await runCli(['ls', '--state', 'prod', '-s', 'source_status:fresher+', '--output', 'name'], d);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').sort()).toEqual(['o', 'orders']);
    // Without a sources.json on either side the selector says which one is missing.
    rmSync(path.join(d, 'target/sources.json'));
    const noCurrent = await runCli(['ls', '--state', 'prod', '-s', 'source_status:fresher'], d);
    expect(noCurrent.code).toBe(2);
    expect(noCurrent.stdout).toContain("source_status:fresher needs this target's target/sources.json");
    rmSync(path.join(d, 'prod/sources.json'));
    const noState = await runCli(['ls', '--state', 'prod', '-s', 'source_status:fresher'], d);
    expect(noState.stdout).toMatch(/source_status:fresher needs sources.json in the --state directory/);
    const bad = await runCli(['ls', '--state', 'prod', '-s', 'source_status:stale'], d);
    expect(bad.stdout).toContain("invalid selector 'source_status:stale'");
  });
});
