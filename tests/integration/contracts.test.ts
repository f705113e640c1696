/**
 * Model contracts: type-name canonicalization per dialect, the column-by-column comparison, parse-time
 * checks (file and line), and on DuckDB a violating rebuild failing the node with the old table kept.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { WeirProject } from '../../src/api/project.js';
import { duckdbDialect } from '../../src/adapters/duckdb/dialect.js';
import { snowflakeDialect } from '../../src/adapters/snowflake/dialect.js';
import { trinoDialect } from '../../src/adapters/trino/dialect.js';
import { canonicalType, sameType } from '../../src/adapters/type-names.js';
import { compareContract, formatContractDiff } from '../../src/execution/tests/contracts.js';
import { WeirErrors, type WeirError } from '../../src/errors/weir-error.js';
import { cleanupProjects, makeProject, runCli, writeFiles } from '../helpers/project.js';

afterAll(() => cleanupProjects());
const show = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;

describe('type names', () => {
  it('canonicalizes aliases and parameters', () => {
    expect(canonicalType('INT')).toEqual({ base: 'integer', params: '' });
    expect(canonicalType('int4')).toEqual(canonicalType('INTEGER'));
    expect(canonicalType('Character Varying(20)')).toEqual({ base: 'varchar', params: '20' });
    expect(canonicalType('DECIMAL(10, 2)')).toEqual({ base: 'decimal', params: '10,2' });
    expect(canonicalType('numeric(10,2)')).toEqual({ base: 'decimal', params: '10,2' });
    expect(canonicalType('timestamp(3) with time zone')).toEqual({ base: 'timestamptz', params: '3' });
    expect(canonicalType('TIMESTAMP WITH TIME ZONE').base).toBe('timestamptz');
  });

  it('compares per dialect', () => {
    const d = duckdbDialect.typeAliases;
    expect(sameType('text', 'VARCHAR', d)).toBe(true);
    expect(sameType('string', 'VARCHAR', d)).toBe(true);
    expect(sameType('int', 'INTEGER', d)).toBe(true);
    expect(sameType('integer', 'BIGINT', d)).toBe(false);
    expect(sameType('float', 'FLOAT', d)).toBe(true);
    expect(sameType('float', 'DOUBLE', d)).toBe(false); // DuckDB FLOAT is 4-byte REAL
    expect(sameType('decimal(10,2)', 'DECIMAL(10,2)', d)).toBe(true);
    expect(sameType('decimal(10,2)', 'DECIMAL(18,3)', d)).toBe(false);
    expect(sameType('varchar', 'VARCHAR(20)', d)).toBe(true);
    const s = snowflakeDialect.typeAliases;
    expect(sameType('integer', 'NUMBER(38,0)', s)).toBe(true);
    expect(sameType('bigint', 'FIXED', s)).toBe(true);
    expect(sameType('double', 'FLOAT', s)).toBe(true);
    expect(sameType('float', 'REAL', s)).toBe(true);
    expect(sameType('string', 'TEXT', s)).toBe(true);
    expect(sameType('timestamp', 'TIMESTAMP_NTZ', s)).toBe(true);
    expect(sameType('timestamp_tz', 'TIMESTAMP_NTZ', s)).toBe(false);
    expect(sameType('varchar', 'NUMBER', s)).toBe(false);
    const t = trinoDialect.typeAliases;
    expect(sameType('int', 'integer', t)).toBe(true);
    expect(sameType('timestamp', 'timestamp(3)', t)).toBe(true);
    expect(sameType('float', 'double', t)).toBe(true);
    expect(sameType('real', 'double', t)).toBe(false);
  });
});

describe('contract comparison', () => {
  it('reports missing, extra and differing columns, names case-insensitively', () => {
    const diffs = compareContract(
      [{ name: 'id', data_type: 'integer' }, { name: 'total', data_type: 'decimal(10,2)' }, { name: 'gone', data_type: 'date' }],
      [{ name: 'ID', type: 'INTEGER' }, { name: 'TOTAL', type: 'DOUBLE' }, { name: 'surprise', type: 'VARCHAR' }],
      duckdbDialect.typeAliases,
    );
    expect(formatContractDiff(diffs)).toBe(`  - total: type differs: contract decimal(10,2), query DOUBLE
  - gone: in the contract (date) but not returned by the query
  - surprise: returned by the query (VARCHAR) but not in the contract`);
  });
});

describe('contracts on DuckDB', () => {
  const yaml = (types: { id: string; total: string }, extra = '') => `models:
  - name: totals
    config:
      contract: {enforced: true}
    columns:
      - name: id
        data_type: ${types.id}
      - name: total
        data_type: ${types.total}
${extra}`;

  it('a met contract builds; a violation fails the node column by column and keeps the old table', async () => {
    const dir = await makeProject({
      'models/totals.sql': '{{config materialized="table"}}select 1 as id, cast(9.5 as decimal(10,2)) as total',
      'models/totals.yml': yaml({ id: 'int', total: 'numeric(10,2)' }),
      'models/child.sql': 'select * from {{ref "totals"}}',
    });
    let r = await runCli(['run'], dir);
    expect(r.code, show(r)).toBe(0);
    writeFiles(dir, { 'models/totals.sql': "{{config materialized=\"table\"}}select 'x' as id, 9.5::double as total, 1 as extra" });
    r = await runCli(['run'], dir);
    expect(r.code).toBe(1);
    const out = show(r);
    expect(out).toContain("contract of model 'totals' not met (3 differences); the existing relation was kept:");
    expect(out).toContain('  - id: type differs: contract int, query VARCHAR');
    expect(out).toContain('  - total: type differs: contract numeric(10,2), query DOUBLE');
    expect(out).toContain('  - extra: returned by the query (INTEGER) but not in the contract');
    expect(out).toMatch(/models\/totals\.yml/);
    expect(out).toMatch(/SKIP.*child|child.*skipped/i);
    const results = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; adapter_response: { code?: string } }[] };
    expect(results.results.find((x) => x.unique_id === 'model.t.totals')).toMatchObject({ status: 'error', adapter_response: { code: 'WEIR_CONTRACT_VIOLATION' } });
    const inst = await DuckDBInstance.create(path.join(dir, 'target', 't.duckdb'));
    const c = await inst.connect();
    const rows = (await c.runAndReadAll('select id, total from main.totals')).getRowsJS();
    c.closeSync();
    inst.closeSync();
    expect(rows).toEqual([[1, 9.5]]);
  });

  it('views are checked too', async () => {
    const dir = await makeProject({
      'models/totals.sql': 'select 1 as id',
      'models/totals.yml': yaml({ id: 'bigint', total: 'double' }),
    });
    const r = await runCli(['run'], dir);
    expect(r.code).toBe(1);
    expect(show(r)).toContain('  - id: type differs: contract bigint, query INTEGER');
    expect(show(r)).toContain('  - total: in the contract (double) but not returned by the query');
  });

  it('parse-time errors: untyped columns, no columns, ephemeral', async () => {
    const errorsOf = async (files: Record<string, string>): Promise<WeirError[]> => {
      try {
        await WeirProject.load({ projectDir: await makeProject(files), partialParse: false });
      } catch (e) {
        return e instanceof WeirErrors ? [...e.errors] : [e as WeirError];
      }
      throw new Error('expected errors');
    };
    let errs = await errorsOf({
      'models/a.sql': 'select 1 as id',
      'models/a.yml': 'models:\n  - name: a\n    config: {contract: {enforced: true}}\n    columns:\n      - name: id\n      - name: v\n        data_type: int\n',
    });
    expect(errs.map((e) => `${e.location?.file}:${e.location?.line} ${e.message}`)).toEqual(["models/a.yml:2 model 'a' enforces a contract but column 'id' has no data_type"]);
    errs = await errorsOf({
      'models/a.sql': '{{config materialized="ephemeral"}}select 1 as id',
      'models/a.yml': 'models:\n  - name: a\n    config: {contract: {enforced: true}}\n',
    });
    expect(errs.map((e) => e.message)).toEqual([
      "model 'a': a contract can't be enforced on an ephemeral model (it builds no relation)",
      "model 'a' enforces a contract but declares no columns",
    ]);
  });
});
