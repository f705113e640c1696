/**
 * Model versions (dbt's `versions:` / `latest_version:`, https://docs.getdbt.com/docs/mesh/govern/model-versions):
 * each version its own file and relation (`<name>_v<v>`), `ref "x"` the latest, `ref "x" v=1` a given one,
 * and a `<name>` view over the latest version.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupProjects, loadErrors, makeProject, runCli } from '../helpers/project.js';

afterAll(cleanupProjects);
const out = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;
const csv = async (dir: string, sql: string) => (await runCli(['query', sql, '--format', 'csv'], dir)).stdout;

describe('model versions', () => {
  it('builds every version, refs the latest by name and a given one with v=, and a view under the model name', async () => {
    const dir = await makeProject({
      'models/dim_customers_v1.sql': "{{config materialized=\"table\"}}\nselect 1 as id, 'Kim' as full_name\n",
      'models/dim_customers_v2.sql': "{{config materialized=\"table\"}}\nselect 1 as id, 'Kim' as first_name\n",
      'models/customers_next.sql': 'select * from {{ref "dim_customers"}}\n',
      'models/customers_old.sql': 'select * from {{ref "dim_customers" v=1}}\n',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: dim_customers\n    latest_version: 2\n    config: {tags: [core]}\n    versions:\n      - v: 1\n      - v: 2\n    columns:\n      - name: id\n        tests: [not_null]\n',
    });
    const r = await runCli(['build'], dir);
    expect(r.code, out(r)).toBe(0);
    expect(await csv(dir, 'select * from {{ref "customers_next"}}')).toBe('id,first_name\n1,Kim\n');
    expect(await csv(dir, 'select * from {{ref "customers_old"}}')).toBe('id,full_name\n1,Kim\n');
    expect(await csv(dir, 'select * from main.dim_customers')).toBe('id,first_name\n1,Kim\n');
    expect(await csv(dir, 'select * from {{ref "dim_customers" v=1}}')).toBe('id,full_name\n1,Kim\n');
    const m = JSON.parse(readFileSync(`${dir}/target/manifest.json`, 'utf8'));
    expect(m.nodes['model.t.dim_customers_v1']).toMatchObject({ version: 1, latest_version: 2, tags: ['core'] });
    expect(m.parent_map['model.t.customers_old']).toEqual(['model.t.dim_customers_v1']);
    expect(m.parent_map['model.t.customers_next']).toEqual(['model.t.dim_customers_v2']);
  });

  it('a missing version file, an unknown version and a latest_version not listed are errors', async () => {
    const errs = await loadErrors({
      'models/orders_v1.sql': 'select 1 as id\n',
      'models/uses.sql': 'select * from {{ref "orders" v=3}}\n',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: orders\n    versions:\n      - v: 1\n      - v: 2\n',
    });
    const msgs = errs.map((e) => e.message);
    expect(msgs).toContain('version 2 of model \'orders\' has no file: expected orders_v2.sql in models');
    expect(msgs).toContain("model 'uses' refers to version 3 of 'orders', which has versions 1");
    const bad = await loadErrors({
      'models/p_v1.sql': 'select 1 as id\n',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: p\n    latest_version: 5\n    versions:\n      - v: 1\n',
    });
    expect(bad.map((e) => e.message)).toContain('models[0].latest_version: latest_version 5 is not among the versions (1)');
  });
});
