/**
 * `--reuse` / `reuse: true`: unchanged seeds and models are not rebuilt (status `reused` in the console
 * and run_results.json); a changed seed row rebuilds only that seed's descendants; changed SQL, a relation
 * changed outside Weir and a missing fingerprint (the Trino protocol server has no Iceberg snapshots)
 * rebuild.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { DEFAULT_PROJECT_YAML, cleanupProjects, makeProject, runCli, writeFiles } from '../helpers/project.js';
import { TrinoTestServer } from '../servers/trino-server.js';
import { startSnowflakeServer } from '../servers/snowflake-server.js';

afterAll(cleanupProjects);

const statuses = (dir: string): Record<string, string> => Object.fromEntries(
  (JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')).results as { unique_id: string; status: string }[])
    .filter((r) => !r.unique_id.startsWith('test.'))
    .map((r) => [r.unique_id.split('.').slice(2).join('.'), r.status]),
);
const FILES = {
  'seeds/a.csv': 'id,v\n1,10\n2,20\n',
  'seeds/b.csv': 'id,w\n1,1\n2,2\n',
  'models/stg_a.sql': 'select id, v * 2 as v2 from {{ref "a"}}',
  'models/a_tot.sql': '{{config materialized="table"}}select sum(v2) as total from {{ref "stg_a"}}',
  'models/b_tot.sql': '{{config materialized="table"}}select sum(w) as total from {{ref "b"}}',
  'models/both.sql': '{{config materialized="table"}}select a.total as a_total, b.total as b_total from {{ref "a_tot"}} as a cross join {{ref "b_tot"}} as b',
  'models/b_inc.sql': '{{config materialized="incremental" unique_key="id"}}select id, w from {{ref "b"}}',
  'models/schema.yml': 'version: 2\nmodels:\n  - name: b_tot\n    columns:\n      - name: total\n        tests: [not_null]\n',
};

describe('--reuse on DuckDB', () => {
  it('reuses what did not change and rebuilds what did', async () => {
    const dir = await makeProject(FILES);
    expect((await runCli(['build', '--reuse'], dir)).code).toBe(0);
    expect(Object.values(statuses(dir)).every((s) => s === 'success')).toBe(true);

    const second = await runCli(['build', '--reuse'], dir);
    expect(second.code).toBe(0);
    expect(statuses(dir)).toEqual({ a: 'reused', b: 'reused', stg_a: 'reused', a_tot: 'reused', b_tot: 'reused', both: 'reused', b_inc: 'reused' });
    expect(second.stdout).toMatch(/REUSE\s+table "main"."both" \(reused: SQL, config and input data unchanged since its build at /);
    expect(second.stdout).toMatch(/REUSED=7/);
    // Tests still run.
    expect(second.stdout).toMatch(/PASS\s+test not_null_b_tot_total/);

    // One changed seed row: that seed and its descendants rebuild, nothing else.
    writeFiles(dir, { 'seeds/a.csv': 'id,v\n1,10\n2,21\n' });
    expect((await runCli(['build', '--reuse'], dir)).code).toBe(0);
    expect(statuses(dir)).toEqual({ a: 'success', b: 'reused', stg_a: 'reused', a_tot: 'success', b_tot: 'reused', both: 'success', b_inc: 'reused' });

    // Changed SQL rebuilds the model (and what reads it, since its data changed).
    writeFiles(dir, { 'models/b_tot.sql': '{{config materialized="table"}}select sum(w) + 1 as total from {{ref "b"}}' });
    expect((await runCli(['build', '--reuse'], dir)).code).toBe(0);
    expect(statuses(dir)).toMatchObject({ b_tot: 'success', both: 'success', a_tot: 'reused', b_inc: 'reused' });

    // A table changed outside Weir (another DuckDB client; `weir query` only reads) is rebuilt.
    const db = await DuckDBInstance.create(path.join(dir, 'target/t.duckdb'));
    const conn = await db.connect();
    await conn.run('insert into main.b_inc values (99, 99)');
    conn.closeSync();
    db.closeSync();
    expect((await runCli(['build', '--reuse', '--select', 'b_inc'], dir)).code).toBe(0);
    expect(statuses(dir)).toEqual({ b_inc: 'success' });

    // A view whose SQL changed is rebuilt, and so is the table reading it.
    writeFiles(dir, { 'models/stg_a.sql': 'select id, v * 3 as v2 from {{ref "a"}}' });
    expect((await runCli(['run', '--reuse'], dir)).code).toBe(0);
    expect(statuses(dir)).toMatchObject({ stg_a: 'success', a_tot: 'success', both: 'success', b_tot: 'reused' });

    // Without --reuse everything builds; run_results.json records the flag.
    expect((await runCli(['run'], dir)).code).toBe(0);
    expect(Object.values(statuses(dir)).every((s) => s === 'success')).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')).args.reuse).toBeUndefined();
  });

  it('reuse: true in project.yaml turns it on; --no-reuse, --full-refresh and --empty turn it off', async () => {
    const dir = await makeProject({ ...FILES, 'project.yaml': `${DEFAULT_PROJECT_YAML}reuse: true\n` });
    expect((await runCli(['build'], dir)).code).toBe(0);
    expect((await runCli(['build'], dir)).code).toBe(0);
    expect(statuses(dir).both).toBe('reused');
    expect((await runCli(['build', '--no-reuse'], dir)).code).toBe(0);
    expect(statuses(dir).both).toBe('success');
    expect((await runCli(['run', '--full-refresh'], dir)).code).toBe(0);
    expect(statuses(dir).b_inc).toBe('success');
    expect((await runCli(['run', '--empty', '--select', 'b_tot'], dir)).code).toBe(0);
    expect(statuses(dir).b_tot).toBe('success');
    // The emptied table no longer matches its recorded fingerprint: rebuilt.
    expect((await runCli(['run', '--select', 'b_tot'], dir)).code).toBe(0);
    expect(statuses(dir).b_tot).toBe('success');
    expect((await runCli(['run', '--select', 'b_tot'], dir)).code).toBe(0);
    expect(statuses(dir).b_tot).toBe('reused');
  });

  it('a non-boolean reuse in project.yaml is an error naming the key', async () => {
    const dir = await makeProject({ ...FILES, 'project.yaml': `${DEFAULT_PROJECT_YAML}reuse: sometimes\n` });
    const r = await runCli(['build'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/project\.yaml.*reuse/s);
  });
});

describe('--reuse without fingerprints', () => {
  it('rebuilds every table and seed on the Trino protocol server (no Iceberg $snapshots table)', async () => {
    const trino = await TrinoTestServer.start({ catalogs: ['lake'], users: { weir: 'pw-reuse' } });
    try {
      const dir = await makeProject({
        ...FILES,
        'project.yaml': `name: t\ntarget: trino\ntargets:\n  trino:\n    type: trino\n    server: ${trino.url}\n    user: weir\n    catalog: lake\n    schema: analytics\n    auth: { type: basic, password: pw-reuse }\n`,
      });
      expect((await runCli(['build', '--reuse'], dir)).code).toBe(0);
      const again = await runCli(['build', '--reuse'], dir);
      expect(again.code).toBe(0);
      // Tables and seeds need a data fingerprint: rebuilt. A view needs none (it reads live): reused.
      const { stg_a: view, ...rest } = statuses(dir);
      expect(view).toBe('reused');
      expect(Object.values(rest).every((s) => s === 'success')).toBe(true);
      expect(trino.statements.some((s) => /\$snapshots/.test(s.sql))).toBe(true);
    } finally {
      await trino.close();
    }
  });
});

describe('--reuse with LAST_ALTERED', () => {
  it('reuses on the Snowflake protocol server, which reports LAST_ALTERED of the tables it writes', async () => {
    const sf = await startSnowflakeServer({ users: { weir_ci: 'pw-reuse' } });
    try {
      const dir = await makeProject({
        ...FILES,
        'project.yaml': `name: t\ntarget: sf\ntargets:\n  sf:\n    type: snowflake\n    account: acme-test\n    user: weir_ci\n    password: pw-reuse\n    database: analytics\n    schema: dev\n    access_url: ${sf.url}\n    connect_retries: 0\n`,
      });
      expect((await runCli(['build', '--reuse'], dir)).code).toBe(0);
      expect((await runCli(['build', '--reuse'], dir)).code).toBe(0);
      expect(statuses(dir)).toEqual({ a: 'reused', b: 'reused', stg_a: 'reused', a_tot: 'reused', b_tot: 'reused', both: 'reused', b_inc: 'reused' });
      writeFiles(dir, { 'seeds/a.csv': 'id,v\n1,10\n2,22\n' });
      expect((await runCli(['build', '--reuse'], dir)).code).toBe(0);
      expect(statuses(dir)).toEqual({ a: 'success', b: 'reused', stg_a: 'reused', a_tot: 'success', b_tot: 'reused', both: 'success', b_inc: 'reused' });
      expect(sf.queries.some((q) => /^select last_altered from "ANALYTICS"\.information_schema\.tables/i.test(q.sqlText))).toBe(true);
    } finally {
      await sf.close();
    }
  });
});
