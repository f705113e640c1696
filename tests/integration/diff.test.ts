/**
 * `weir diff`: a model's rows in the current target against another target or a state directory's
 * relation, by key — counts of added, removed, changed and unchanged rows, per-column changed counts and
 * samples — on DuckDB and across the Snowflake and Trino protocol servers; bad input exits 2.
 */
import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffRows, normalizeValue } from '../../src/execution/tests/table-diff.js';
import { cleanupProjects, makeProject, runCli, writeFiles } from '../helpers/project.js';
import { startSnowflakeServer, type SnowflakeTestServer } from '../servers/snowflake-server.js';
import { TrinoTestServer } from '../servers/trino-server.js';

const PASSWORD = 'diff-pw-19';
let snowflake: SnowflakeTestServer;
let trino: TrinoTestServer;
const env = () => ({ ...process.env, SF_PASSWORD: PASSWORD, SF_URL: snowflake.url, TRINO_URL: trino.url, TRINO_PASSWORD: PASSWORD });

const projectYaml = `name: d
target: dev
targets:
  dev:
    type: duckdb
    path: target/dev.duckdb
  prod:
    type: duckdb
    path: target/prod.duckdb
  ci:
    type: duckdb
    path: target/dev.duckdb
    schema: ci
  snowflake:
    type: snowflake
    account: acme-test
    user: weir_ci
    password: '{{env "SF_PASSWORD"}}'
    database: analytics
    schema: dev
    access_url: '{{env "SF_URL"}}'
    connect_retries: 0
  trino:
    type: trino
    server: '{{env "TRINO_URL"}}'
    user: weir
    catalog: lake
    schema: analytics
    auth: { type: basic, password: '{{env "TRINO_PASSWORD"}}' }
`;
const V1 = 'id,status,amount\n1,paid,10.5\n2,open,20\n3,paid,30\n4,open,40\n';
// id 1 unchanged, 2 status changed, 3 amount changed, 4 removed, 5 added.
const V2 = 'id,status,amount\n1,paid,10.5\n2,paid,20\n3,paid,31\n5,open,50\n';
const FILES = {
  'project.yaml': projectYaml,
  'seeds/raw_orders.csv': V1,
  'models/orders.sql': '{{config materialized="table"}}select id, status, amount from {{ref "raw_orders"}}',
  'models/keyless.sql': '{{config materialized="table"}}select status, count(*) as n from {{ref "raw_orders"}} group by status',
  'models/schema.yml': 'version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: id\n        tests: [unique]\n',
};
const json = (stdout: string) => JSON.parse(stdout) as Record<string, unknown>;

beforeAll(async () => {
  snowflake = await startSnowflakeServer({ users: { weir_ci: PASSWORD } });
  trino = await TrinoTestServer.start({ catalogs: ['lake'], users: { weir: PASSWORD } });
});
afterAll(async () => {
  await snowflake?.close();
  await trino?.close();
  cleanupProjects();
});

describe('diffRows', () => {
  it('matches rows by key and compares values across engine representations', () => {
    const d = diffRows(
      { name: 'a', relation: 'x', result: { columns: [{ name: 'id', type: 'BIGINT' }, { name: 'amt', type: 'DECIMAL' }, { name: 'only_a', type: 'INT' }], rows: [[1n, '10.50', 1], [2n, '3', 1], [2n, '4', 1]] } },
      { name: 'b', relation: 'y', result: { columns: [{ name: 'ID', type: 'NUMBER' }, { name: 'AMT', type: 'FLOAT' }], rows: [['1', 10.5], [3, 1]] } },
      ['id'],
    );
    expect(d).toMatchObject({ added: 1, removed: 1, changed: 0, unchanged: 1, columns: { amt: 0 }, columns_only_in_current: ['only_a'], duplicate_keys: { current: 1, against: 0 } });
    expect(normalizeValue(new Date('2024-01-02T00:00:00Z'))).toBe('2024-01-02T00:00:00.000Z');
    expect(() => diffRows({ name: 'a', relation: 'x', result: { columns: [{ name: 'id', type: 'INT' }], rows: [] } }, { name: 'b', relation: 'y', result: { columns: [{ name: 'k', type: 'INT' }], rows: [] } }, ['id']))
      .toThrow(/key column 'id' is not a column of b y/);
  });
});

describe('weir diff on DuckDB', () => {
  it('compares with another target and with a state directory', async () => {
    const dir = await makeProject(FILES);
    expect((await runCli(['build', '--target', 'prod'], dir, env())).code).toBe(0);
    expect((await runCli(['build'], dir, env())).code).toBe(0);
    mkdirSync(path.join(dir, 'prod-state'));
    cpSync(path.join(dir, 'target/manifest.json'), path.join(dir, 'prod-state/manifest.json'));
    writeFiles(dir, { 'seeds/raw_orders.csv': V2 });
    expect((await runCli(['build', '--target', 'ci'], dir, env())).code).toBe(0);
    expect((await runCli(['build'], dir, env())).code).toBe(0);

    const r = await runCli(['diff', '--select', 'orders', '--against', 'prod', '--format', 'json'], dir, env());
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const d = json(r.stdout);
    expect(d).toMatchObject({
      model: 'orders', key: ['id'], added: 1, removed: 1, changed: 2, unchanged: 1, columns: { status: 1, amount: 1 },
      current: { name: 'dev', relation: '"main"."orders"', rows: 4 }, against: { name: 'prod', rows: 4 },
    });
    expect(d.sample).toMatchObject({ added: [{ id: 5, status: 'open' }], removed: [{ id: 4 }], changed: [{ key: { id: 2 }, changes: { status: { current: 'paid', against: 'open' } } }, { key: { id: 3 } }] });

    const text = await runCli(['diff', '--select', 'orders', '--against', 'prod'], dir, env());
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/added 1, removed 1, changed 2, unchanged 1/);
    expect(text.stdout).toMatch(/~ id=3: amount 30 → 31/);

    // --against DIR: the relation the state manifest names ("main"."orders", built from V1 before), read through the ci target.
    const s = await runCli(['diff', '--target', 'ci', '--select', 'orders', '--against', 'prod-state', '--format', 'json'], dir, env());
    expect(s.code, s.stderr + s.stdout).toBe(0);
    expect(json(s.stdout)).toMatchObject({ current: { relation: '"ci"."orders"' }, against: { relation: '"main"."orders"' }, added: 0, removed: 0, changed: 0, unchanged: 4 });

    // --key overrides; a model without unique_key or unique test needs it.
    const k = await runCli(['diff', '--select', 'keyless', '--against', 'prod', '--key', 'status', '--format', 'json'], dir, env());
    expect(json(k.stdout)).toMatchObject({ key: ['status'], changed: 2, unchanged: 0, columns: { n: 2 } });
  });

  it('bad input exits 2 with a message', async () => {
    const dir = await makeProject(FILES);
    expect((await runCli(['build'], dir, env())).code).toBe(0);
    // prod was never built: reading it fails with the relation named and how to build it.
    const missing = await runCli(['diff', '--select', 'orders', '--against', 'prod'], dir, env());
    expect(missing.code).not.toBe(0);
    expect(missing.stdout + missing.stderr).toMatch(/reading against "main"."orders".*build it first/s);
    expect((await runCli(['build', '--target', 'prod'], dir, env())).code).toBe(0);
    const cases: [string[], RegExp][] = [
      [['diff', '--select', 'keyless', '--against', 'prod'], /model 'keyless' has no unique_key and no unique test: pass --key/],
      [['diff', '--select', 'ordrs', '--against', 'prod'], /no model, seed or snapshot named 'ordrs'.*Did you mean 'orders'/s],
      [['diff', '--select', 'orders', '--against', 'nowhere'], /--against 'nowhere' is neither a target of project.yaml nor a directory/],
      [['diff', '--select', 'orders', '--against', 'dev'], /is the current target/],
      [['diff', '--select', 'orders', '--against', 'prod', '--key', 'nope'], /key column 'nope' is not a column/],
      [['diff', '--select', 'orders', '--against', 'prod', '--sample', '-1'], /--sample must be an integer/],
    ];
    for (const [args, re] of cases) {
      const r = await runCli(args, dir, env());
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout + r.stderr, args.join(' ')).toMatch(re);
    }
  });
});

describe('weir diff across the protocol servers', () => {
  it('compares Trino and Snowflake relations with DuckDB', async () => {
    const dir = await makeProject(FILES);
    expect((await runCli(['build'], dir, env())).code).toBe(0);
    writeFiles(dir, { 'seeds/raw_orders.csv': V2 });
    for (const target of ['trino', 'snowflake']) {
      const b = await runCli(['build', '--target', target], dir, env());
      expect(b.code, b.stdout + b.stderr).toBe(0);
      const r = await runCli(['diff', '--target', target, '--select', 'orders', '--against', 'dev', '--format', 'json'], dir, env());
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const d = json(r.stdout);
      expect(d, target).toMatchObject({ added: 1, removed: 1, changed: 2, unchanged: 1 });
      // Columns are named as the current side spells them (Snowflake folds unquoted names to upper case).
      expect(Object.fromEntries(Object.entries(d.columns as Record<string, number>).map(([c, n]) => [c.toLowerCase(), n])), target).toEqual({ status: 1, amount: 1 });
    }
    // And the other way round: DuckDB against Snowflake.
    const r = await runCli(['diff', '--select', 'orders', '--against', 'snowflake', '--format', 'json'], dir, env());
    expect(json(r.stdout)).toMatchObject({ added: 1, removed: 1, changed: 2, unchanged: 1 });
  });
});
