/**
 * Offline DuckDB: extension auto-install is off, statically built-in extensions (json, parquet, icu)
 * work, and a model needing another extension fails with a message that says so (other models build).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject, runCli } from '../helpers/project.js';

afterAll(() => cleanupProjects());

describe('DuckDB extensions on an offline machine', () => {
  it('explains a missing extension and keeps building the rest; built-in json/parquet work', async () => {
    const dir = await makeProject({
      'models/needs_excel.sql': `{{config materialized="table"}}\nselect * from read_xlsx('data.xlsx')`,
      'models/uses_json.sql': `{{config materialized="table"}}\nselect json_extract('{"a": 42}', '$.a') as a, json_serialize_sql('select 1') is not null as has_parser`,
    });
    const r = await runCli(['run'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/database error in model 'needs_excel' \(models\/needs_excel\.sql\) on target 'dev': /);
    expect(r.stdout).toMatch(/needs the DuckDB extension 'excel', which is not built into @duckdb\/node-api and cannot be downloaded \(extension auto-install is off/);
    expect(r.stdout).toMatch(/OK +table "main"\."uses_json"/);
    const q = await runCli(['query', 'select a, has_parser from main.uses_json', '--format', 'csv'], dir);
    expect(q.stdout).toContain('42,true');
  });
});
