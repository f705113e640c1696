/**
 * Project-level data test config (`data_tests:` in project.yaml, legacy `tests:`) on DuckDB through the
 * CLI, as in dbt: scoped by path (a generic test by the folders of the YAML file defining it, a singular
 * test by its folders below the test path), reaching generic, custom generic and singular tests, with
 * precedence the test's own config > the generic definition's {{config}} > project-level. Also: a bad
 * value in project.yaml is reported once at its key path, and `data_tests:` with `tests:` is refused.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { WeirProject } from '../../src/api/project.js';
import type { WeirError } from '../../src/errors/weir-error.js';
import { cleanupProjects, DEFAULT_PROJECT_YAML, loadErrors as projectLoadErrors, makeProject, runCli, writeFiles } from '../helpers/project.js';

const show = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;

/** project.yaml with a data test config tree under `key`. */
const projectYaml = (key: 'data_tests' | 'tests') => `${DEFAULT_PROJECT_YAML}${key}:
  +store_failures: true
  t:
    staging:
      +warn_if: ">5"
      +error_if: ">10"
    marts:
      +severity: warn
      +limit: 1
    legacy:
      +enabled: false
`;

const FILES = {
  // 3 null amounts, 2 negative.
  'seeds/raw_orders.csv': 'id,amount\n1,10\n2,\n3,\n4,\n5,-1\n6,-2\n',
  'models/staging/stg_orders.sql': 'select * from {{ref "raw_orders"}}',
  'models/staging/_staging.yml': `models:
  - name: stg_orders
    columns:
      - name: amount
        data_tests:
          - not_null                     # 3 failures: under staging's warn_if >5 → pass
          - positive                     # definition says store_failures_as view; project says table
          - positive:
              min_value: 0
              config: {store_failures_as: table}   # the test's own config beats the definition
`,
  'models/marts/orders.sql': '{{config materialized="table"}}select * from {{ref "stg_orders"}}',
  'models/marts/_marts.yml': `models:
  - name: orders
    columns:
      - name: amount
        data_tests:
          - not_null                     # marts: severity warn, limit 1
          - unique:
              severity: error            # the test's own severity beats marts' warn
              store_failures: false      # and its store_failures beats the project's true
`,
  'models/legacy/old_orders.sql': 'select * from {{ref "stg_orders"}}',
  'models/legacy/_legacy.yml': 'models:\n  - name: old_orders\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
  'tests/generic/positive.sql': '{{config store_failures_as="view"}}\nselect * from {{model}} where {{column_name}} < {{#if min_value}}{{literal min_value}}{{else}}0{{/if}}',
  'tests/assert_no_big_orders.sql': 'select * from {{ref "orders"}} where amount > 5',
  'tests/marts/assert_orders_negative.sql': 'select * from {{ref "orders"}} where amount < 0',
  'tests/marts/assert_orders_null_strict.sql': '{{config severity="error" store_failures=false}}\nselect * from {{ref "orders"}} where amount is null',
  'tests/legacy/assert_old.sql': 'select * from {{ref "old_orders"}} where false',
};

interface Result { unique_id: string; status: string; failures?: number; message?: string }

async function build(dir: string): Promise<{ code: number; out: string; results: Result[] }> {
  // --no-audit: orders' failing error tests would otherwise keep it unpublished (write-audit-publish) and
  // skip its warn tests, which this file checks the configs of.
  const r = await runCli(['build', '--no-audit'], dir);
  const results = (JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as { results: Result[] }).results;
  return { code: r.code, out: show(r), results };
}

async function query(dir: string, sql: string): Promise<unknown[][]> {
  const inst = await DuckDBInstance.create(path.join(dir, 'target', 't.duckdb'));
  const c = await inst.connect();
  try {
    return (await c.runAndReadAll(sql)).getRowsJS();
  } finally {
    c.closeSync();
    inst.closeSync();
  }
}

const stored = (dir: string, name: string) =>
  query(dir, `select table_type from information_schema.tables where table_schema = 'main_test_failures' and table_name = '${name}'`);

let dir: string;
let run: Awaited<ReturnType<typeof build>>;
const result = (re: RegExp, results = run.results) => {
  const hits = results.filter((x) => re.test(x.unique_id));
  expect(hits, `${re} in ${results.map((x) => x.unique_id).join(', ')}`).toHaveLength(1);
  return hits[0];
};

beforeAll(async () => {
  dir = await makeProject({ 'project.yaml': projectYaml('data_tests'), ...FILES });
  run = await build(dir);
}, 120_000);
afterAll(() => cleanupProjects());

describe('project-level data_tests: config', () => {
  it('+store_failures: true reaches generic tests (failing rows stored) and singular tests', async () => {
    expect(run.code, run.out).toBe(1);
    expect(result(/^test\.t\.not_null_stg_orders_amount$/).message).toContain('failing rows stored in "main_test_failures"."not_null_stg_orders_amount"');
    expect(await query(dir, 'select id from main_test_failures.not_null_stg_orders_amount order by id')).toEqual([[2n], [3n], [4n]]);
    expect(result(/^test\.t\.assert_no_big_orders$/)).toMatchObject({ status: 'fail', failures: 1 });
    expect(await query(dir, 'select id from main_test_failures.assert_no_big_orders')).toEqual([[1n]]);
  });

  it('is scoped by the folder of the YAML file: staging thresholds let 3 failures pass', () => {
    expect(result(/^test\.t\.not_null_stg_orders_amount$/)).toMatchObject({ status: 'pass', failures: 3 });
  });

  it('marts: severity warn and limit 1 apply to generic and singular tests under marts/', async () => {
    // limit caps the failing rows the test counts (as dbt: the limit is on the test query).
    expect(result(/^test\.t\.not_null_orders_amount$/)).toMatchObject({ status: 'warn', failures: 1 });
    expect(await query(dir, 'select count(*) from main_test_failures.not_null_orders_amount')).toEqual([[1n]]);
    expect(result(/^test\.t\.assert_orders_negative$/)).toMatchObject({ status: 'warn', failures: 1 });
    expect(await query(dir, 'select count(*) from main_test_failures.assert_orders_negative')).toEqual([[1n]]);
  });

  it("the test's own config beats project-level: YAML severity / store_failures, a singular test's {{config}}", async () => {
    // unique on orders.amount: the three nulls are not duplicates, so it passes; not stored.
    expect(result(/^test\.t\.unique_orders_amount$/)).toMatchObject({ status: 'pass' });
    expect(await stored(dir, 'unique_orders_amount')).toEqual([]);
    expect(result(/^test\.t\.assert_orders_null_strict$/)).toMatchObject({ status: 'fail', failures: 1 });
    expect(await stored(dir, 'assert_orders_null_strict')).toEqual([]);
    const p = await WeirProject.load({ projectDir: dir, partialParse: false });
    expect(p.manifest.nodes.get('test.t.unique_orders_amount')!.config).toMatchObject({ severity: 'error', store_failures: false, limit: 1 });
    expect(p.manifest.nodes.get('test.t.assert_orders_null_strict')!.config).toMatchObject({ severity: 'error', store_failures: false, limit: 1 });
  });

  it("custom generic tests: the test's config > the definition's {{config}} > project-level", async () => {
    const positives = run.results.filter((x) => /^test\.t\.positive_stg_orders_amount_/.test(x.unique_id));
    expect(positives).toHaveLength(2);
    const types = await Promise.all(positives.map(async (t) => (await stored(dir, t.unique_id.split('.').pop()!))[0]?.[0]));
    expect(types.sort()).toEqual(['BASE TABLE', 'VIEW']);
  });

  it('+enabled: false drops the generic and singular tests of that folder', async () => {
    const ls = await runCli(['ls', '--resource-type', 'test', '--output', 'name'], dir);
    expect(ls.code, show(ls)).toBe(0);
    expect(ls.stdout).toContain('not_null_stg_orders_amount');
    expect(ls.stdout).not.toContain('not_null_old_orders_id');
    expect(ls.stdout).not.toContain('assert_old');
  });

  it('the legacy tests: key works the same', async () => {
    const legacy = await makeProject({ 'project.yaml': projectYaml('tests'), ...FILES });
    const r = await build(legacy);
    const statuses = (rs: Result[]) => Object.fromEntries(rs.filter((x) => x.unique_id.startsWith('test.')).map((x) => [x.unique_id, `${x.status} ${x.failures}`]));
    expect(statuses(r.results)).toEqual(statuses(run.results));
  });
});

describe('project-level data test config errors', () => {
  const loadErrors = (projectYamlText: string): Promise<WeirError[]> =>
    projectLoadErrors({ 'project.yaml': projectYamlText, 'models/marts/m.sql': 'select 1 as id', 'models/marts/m.yml': 'models:\n  - name: m\n    columns:\n      - name: id\n        data_tests: [not_null, unique]\n' });

  it('a bad value is reported once, at its key path in project.yaml, not once per test', async () => {
    const errs = await loadErrors(`${DEFAULT_PROJECT_YAML}data_tests:\n  t:\n    marts:\n      +warn_if: more than 3\n      +limit: -1\n`);
    expect(errs.map((e) => `${e.location?.file} ${e.message}`)).toEqual([
      'project.yaml data_tests.t.marts: warn_if must be a comparison with a number or a percentage, got "more than 3"',
      'project.yaml data_tests.t.marts: limit must be a whole number of rows, got -1',
    ]);
  });

  it('data_tests: and tests: together are refused (exit 2 through the CLI)', async () => {
    const both = `${DEFAULT_PROJECT_YAML}data_tests:\n  +severity: warn\ntests:\n  +store_failures: true\n`;
    const [e] = await loadErrors(both);
    expect(e.code).toBe('WEIR_PROJECT_INVALID');
    expect(e.message).toBe('project.yaml sets both data_tests: and tests: (the legacy name of data_tests:)');
    expect(e.location).toMatchObject({ file: 'project.yaml', keyPath: 'tests', line: 11 });
    const d = await makeProject({ 'project.yaml': both });
    writeFiles(d, { 'models/m.sql': 'select 1 as id' });
    const r = await runCli(['ls'], d);
    expect(r.code).toBe(2);
    expect(show(r)).toContain('hint: Move the settings under tests: into data_tests: and remove tests:.');
  });
});
