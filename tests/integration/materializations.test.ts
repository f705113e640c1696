/**
 * Materializations on DuckDB: the table swap (no temporary relation left behind, rebuilt rows replace the
 * old ones), switching a model between view and table, ephemeral models never persisted, and the `--fail-fast`
 * and `--select` paths of a real run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject, runCli, writeFiles } from '../helpers/project.js';

let dir: string;
const relations = async () => {
  const r = await runCli(['query', `select table_name as name, 'table' as kind from duckdb_tables() where schema_name = 'main'
    union all select view_name, 'view' from duckdb_views() where schema_name = 'main' and not internal order by 1`, '--format', 'json'], dir);
  expect(r.code).toBe(0);
  return Object.fromEntries((JSON.parse(r.stdout) as { name: string; kind: string }[]).map((x) => [x.name, x.kind]));
};
const rows = async (sql: string) => JSON.parse((await runCli(['query', sql, '--format', 'json'], dir)).stdout);

beforeAll(async () => {
  dir = await makeProject({
    'models/t.sql': `{{config materialized="table"}}select * from (values (1, 'a'), (2, 'b')) v(id, s)`,
    'models/flip.sql': 'select 1 as id',
    'models/eph.sql': '{{config materialized="ephemeral"}}select id * 10 as id from {{ref "t"}}',
    'models/uses_eph.sql': 'select * from {{ref "eph"}}',
  });
  expect((await runCli(['run'], dir)).code).toBe(0);
});
afterAll(cleanupProjects);

describe('materializations', () => {
  it('builds tables and views; ephemeral models are inlined, never persisted', async () => {
    expect(await relations()).toEqual({ flip: 'view', t: 'table', uses_eph: 'view' });
    expect(await rows('select id from main.uses_eph order by id')).toEqual([{ id: 10 }, { id: 20 }]);
  });

  it('a table rebuild swaps the new rows in and leaves no temporary relation', async () => {
    writeFiles(dir, { 'models/t.sql': `{{config materialized="table"}}select * from (values (7, 'x')) v(id, s)` });
    const r = await runCli(['run', '--select', 't'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/OK\s+table "main"\."t" \[1 rows/);
    expect(await rows('select id, s from main.t')).toEqual([{ id: 7, s: 'x' }]);
    expect(Object.keys(await relations()).filter((n) => n.includes('weir_tmp'))).toEqual([]);
    // the downstream view sees the new table
    expect(await rows('select id from main.uses_eph')).toEqual([{ id: 70 }]);
  });

  it('switches a view to a table and back', async () => {
    writeFiles(dir, { 'models/flip.sql': '{{config materialized="table"}}select 2 as id' });
    expect((await runCli(['run', '--select', 'flip'], dir)).code).toBe(0);
    expect((await relations()).flip).toBe('table');
    expect(await rows('select id from main.flip')).toEqual([{ id: 2 }]);
    writeFiles(dir, { 'models/flip.sql': 'select 3 as id' });
    expect((await runCli(['run', '--select', 'flip'], dir)).code).toBe(0);
    expect((await relations()).flip).toBe('view');
    expect(await rows('select id from main.flip')).toEqual([{ id: 3 }]);
  });

  it('a broken view definition leaves the previous relation in place', async () => {
    writeFiles(dir, { 'models/flip.sql': 'select nope from nowhere' });
    const r = await runCli(['run', '--select', 'flip'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`model 'flip' (models/flip.sql)`);
    expect(await rows('select id from main.flip')).toEqual([{ id: 3 }]);
    writeFiles(dir, { 'models/flip.sql': 'select 3 as id' });
  });

  it('show previews a model that is not built yet from its compiled SQL', async () => {
    writeFiles(dir, { 'models/unbuilt.sql': 'select id + 100 as id from {{ref "t"}}' });
    const r = await runCli(['show', '--select', 'unbuilt', '--format', 'csv'], dir);
    expect(r).toMatchObject({ code: 0, stdout: 'id\n107\n' });
    expect((await relations()).unbuilt).toBeUndefined();
  });

  it('--fail-fast skips the rest after the first failure', async () => {
    const d = await makeProject({
      'models/a_broken.sql': 'select * from nowhere',
      'models/b.sql': 'select 1 as x',
      'models/c.sql': 'select 2 as x',
    });
    const r = await runCli(['run', '--fail-fast', '--threads', '1'], d);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('skipped: the run stopped early (--fail-fast)');
    expect(r.stdout).toMatch(/ERROR=1 SKIP=2/);
    const normal = await runCli(['run', '--threads', '1'], d);
    expect(normal.stdout).toMatch(/PASS=2 WARN=0 ERROR=1 SKIP=0/);
  });
});

describe('query_timeout_seconds on DuckDB', () => {
  it('interrupts a statement that runs too long: the node fails naming the timeout, the run goes on', async () => {
    const { DEFAULT_PROJECT_YAML: base } = await import('../helpers/project.js');
    const d = await makeProject({
      'project.yaml': `${base}    query_timeout_seconds: 1\n`,
      'models/endless.sql': '{{config materialized="table"}}select count(*) as n from range(0, 200000) a, range(0, 200000) b',
      'models/quick.sql': '{{config materialized="table"}}select 1 as x',
    });
    const t0 = Date.now();
    const r = await runCli(['run'], d);
    expect(r.code).toBe(1);
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(r.stdout + r.stderr).toContain('ran longer than query_timeout_seconds (1 s) and was interrupted');
    expect(r.stdout + r.stderr).toMatch(/OK +table "main"\."quick"/);
  });
});
