/**
 * `materialized: external` (execution/materializations/external.ts): the model's rows written to Parquet / CSV / JSON
 * (optionally Hive-partitioned) atomically, with a view over the file so ref and tests work; refused on
 * engines that can't write local files (the Trino protocol server stands in for Trino).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { cleanupProjects, DEFAULT_PROJECT_YAML, loadErrors, makeProject, runCli, writeFiles } from '../helpers/project.js';
import { TrinoTestServer } from '../servers/trino-server.js';

afterAll(cleanupProjects);
const out = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;

const ORDERS = "select * from (values (1, 'KR', 10.50::decimal(8,2)), (2, 'US', 3.25), (3, 'KR', 7.00)) v(id, country, amount)";

describe('materialized: external', () => {
  it('writes Parquet (location relative to the project), CSV partitioned, JSON by default; ref and tests read them', async () => {
    const dir = await makeProject({
      'models/orders.sql': `${ORDERS}\n`,
      'models/orders_export.sql': '{{config materialized="external" location="exports/orders.parquet"}}\nselect * from {{ref "orders"}}\n',
      'models/orders_by_country.sql': '{{config materialized="external" format="csv" partition_by="country"}}\nselect * from {{ref "orders"}}\n',
      'models/orders_json.sql': '{{config materialized="external" format="json"}}\nselect id, amount from {{ref "orders"}}\n',
      'models/kr_total.sql': "select sum(amount) as total from {{ref \"orders_export\"}} where country = 'KR'\n",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: orders_export\n    columns:\n      - name: id\n        tests: [unique, not_null]\n',
    });
    const r = await runCli(['build'], dir);
    expect(r.code, out(r)).toBe(0);
    const rr = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; message?: string }[] };
    expect(rr.results.find((x) => x.unique_id === 'model.t.orders_export')?.message).toBe('EXPORT 3 → exports/orders.parquet');
    const parquet = path.join(dir, 'exports/orders.parquet');
    // The file is real Parquet, read by a separate DuckDB.
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const rows = (await c.runAndReadAll(`select id, country, amount::varchar from read_parquet('${parquet}') order by id`)).getRows();
    expect(rows).toEqual([[1, 'KR', '10.50'], [2, 'US', '3.25'], [3, 'KR', '7.00']]);
    c.closeSync();
    const byCountry = path.join(dir, 'target/external/orders_by_country.csv');
    expect(statSync(byCountry).isDirectory()).toBe(true);
    expect(readdirSync(byCountry).sort()).toEqual(['country=KR', 'country=US']);
    expect(readFileSync(path.join(dir, 'target/external/orders_json.json'), 'utf8').trim().split('\n')).toHaveLength(3);
    const q = await runCli(['query', 'select total from {{ref "kr_total"}}', '--format', 'csv'], dir);
    expect(q.stdout).toBe('total\n17.50\n');
    const part = await runCli(['query', 'select country, count(*) as n from {{ref "orders_by_country"}} group by 1 order by 1', '--format', 'csv'], dir);
    expect(part.stdout).toBe('country,n\nKR,2\nUS,1\n');
    // A second run replaces the files in place; no temporary file is left behind.
    writeFiles(dir, { 'models/orders.sql': `${ORDERS.replace("(3, 'KR', 7.00)", "(3, 'KR', 7.00), (4, 'US', 1.00)")}\n` });
    const again = await runCli(['run'], dir);
    expect(again.code, out(again)).toBe(0);
    expect((await runCli(['query', 'select count(*) as n from {{ref "orders_export"}}', '--format', 'csv'], dir)).stdout).toBe('n\n4\n');
    expect(readdirSync(path.join(dir, 'exports'))).toEqual(['orders.parquet']);
    expect(readdirSync(path.join(dir, 'target/external')).filter((f) => f.includes('weir_'))).toEqual([]);
  });

  it('a failing export keeps the previous file and view', async () => {
    const dir = await makeProject({ 'models/e.sql': '{{config materialized="external"}}\nselect 1 as id\n' });
    expect((await runCli(['run'], dir)).code).toBe(0);
    writeFiles(dir, { 'models/e.sql': '{{config materialized="external"}}\nselect nope as id\n' });
    expect((await runCli(['run'], dir)).code).toBe(1);
    expect(existsSync(path.join(dir, 'target/external/e.parquet.weir_tmp'))).toBe(false);
    expect((await runCli(['query', 'select id from {{ref "e"}}', '--format', 'csv'], dir)).stdout).toBe('id\n1\n');
  });

  it('a bad format or partition_by is a parse error; external keys on a table are refused', async () => {
    const errs = await loadErrors({
      'models/a.sql': '{{config materialized="external" format="xlsx"}}\nselect 1 as id\n',
      'models/b.sql': '{{config materialized="table" location="x.parquet"}}\nselect 1 as id\n',
    });
    expect(errs.some((e) => e.message.includes("model 'a': external format must be one of parquet, csv, json"))).toBe(true);
    expect(errs.some((e) => e.message.includes("config 'location' applies to external models, not to a table"))).toBe(true);
  });

  it('on Trino an external model errors saying it is DuckDB-only', async () => {
    const server = await TrinoTestServer.start({ catalogs: ['lake'], users: { weir: 'pw' } });
    try {
      const dir = await makeProject({
        'project.yaml': `${DEFAULT_PROJECT_YAML}  trino:\n    type: trino\n    server: ${server.url}\n    user: weir\n    catalog: lake\n    schema: analytics\n    auth: {type: basic, password: pw}\n`,
        'models/e.sql': '{{config materialized="external"}}\nselect 1 as id\n',
      });
      const r = await runCli(['run', '--target', 'trino'], dir);
      expect(r.code).toBe(1);
      expect(out(r)).toContain("materialized: external writes files with DuckDB's COPY; a trino target can't write local files");
    } finally {
      await server.close();
    }
  });
});
