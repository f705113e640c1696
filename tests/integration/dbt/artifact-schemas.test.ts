/**
 * Weir's four artifacts validate against dbt's published schemas (manifest v12, run-results v6, catalog v1,
 * sources v3, from `../shared/data/dbt_artifact_schemas/`) with zero errors, for a project with every
 * resource type; and they carry what Weir knows in dbt's fields.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, runCli } from '../../helpers/project.js';
import { makeFullCoverageProject } from '../../helpers/full-coverage-project.js';
import { dbtSchemaErrors } from '../../helpers/dbt-schemas.js';

let dir: string;
const read = (f: string) => JSON.parse(readFileSync(path.join(dir, 'target', f), 'utf8'));

beforeAll(async () => {
  dir = await makeFullCoverageProject();
  const build = await runCli(['build'], dir);
  expect(build.code, build.stdout + build.stderr).toBe(0);
  expect((await runCli(['source', 'freshness'], dir)).code).toBe(0);
  const docs = await runCli(['docs', 'generate'], dir);
  expect(docs.code, docs.stderr + docs.stdout).toBe(0);
}, 120_000);
afterAll(cleanupProjects);

describe("dbt's artifact schemas", () => {
  it('manifest.json is valid manifest v12 and holds every resource type', () => {
    const m = read('manifest.json');
    expect(dbtSchemaErrors('manifest', m)).toEqual([]);
    expect(m.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/manifest/v12.json');
    expect(m.metadata).toMatchObject({ project_name: 'full', adapter_type: 'duckdb', env: { WEIR_TARGET: 'dev' } });
    const types = new Set(Object.values(m.nodes).map((n) => (n as { resource_type: string }).resource_type));
    expect([...types].sort()).toEqual(['model', 'operation', 'seed', 'snapshot', 'test']);
    const mats = new Set(Object.values(m.nodes).filter((n: any) => n.resource_type === 'model').map((n: any) => n.config.materialized)); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect([...mats].sort()).toEqual(['ephemeral', 'incremental', 'table', 'view']);
    expect(Object.keys(m.unit_tests)).toEqual(['unit_test.full.gold_customers.keeps_gold_only']);
    expect(Object.keys(m.sources)).toEqual(['source.full.ext.events']);
    expect(Object.keys(m.functions)).toEqual(['function.full.initials']);
    expect(Object.keys(m.macros).sort()).toEqual(['macro.full.cents', 'macro.full.test_is_positive']);
    const gold = m.nodes['model.full.gold_customers'];
    expect(gold).toMatchObject({
      database: null, schema: 'main', alias: 'gold_customers', original_file_path: 'models/marts/gold_customers.sql',
      relation_name: '"main"."gold_customers"', depends_on: { nodes: ['model.full.int_gold'], macros: ['macro.full.cents'] },
      config: { materialized: 'table', 'post-hook': [{ sql: 'select count(*) from {{this}}', transaction: true, index: 0 }] },
    });
    expect(m.nodes['model.full.stg_customers']).toMatchObject({ schema: 'main_staging', config: { 'pre-hook': [{ sql: 'select 1' }] } });
    const unique = Object.values(m.nodes).find((n: any) => n.test_metadata?.name === 'unique') as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(unique).toMatchObject({ column_name: 'customer_id', attached_node: 'model.full.gold_customers', file_key_name: 'models.gold_customers' });
    expect(m.sources['source.full.ext.events']).toMatchObject({ loaded_at_field: 'loaded_at', freshness: { warn_after: { count: 12, period: 'hour' } } });
    expect(m.nodes['operation.full.full-on-run-start-1'].raw_code).toContain('create table if not exists ext.events');
  });

  it('run_results.json is valid run-results v6', () => {
    const rr = read('run_results.json');
    expect(dbtSchemaErrors('run_results', rr)).toEqual([]);
    expect(rr.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/run-results/v6.json');
    expect(rr.args.which).toBe('build');
    const seed = rr.results.find((r: { unique_id: string }) => r.unique_id === 'seed.full.customers');
    expect(seed).toMatchObject({ status: 'success', adapter_response: { rows_affected: 3 } });
    expect(rr.results.some((r: { unique_id: string }) => r.unique_id.startsWith('unit_test.'))).toBe(true);
  });

  it('catalog.json is valid catalog v1', () => {
    const c = read('catalog.json');
    expect(dbtSchemaErrors('catalog', c)).toEqual([]);
    expect(c.nodes['model.full.gold_customers'].columns.cents).toMatchObject({ index: 3, name: 'cents' });
    expect(c.sources['source.full.ext.events'].metadata).toMatchObject({ schema: 'ext', name: 'events' });
  });

  it('sources.json is valid sources v3', () => {
    const s = read('sources.json');
    expect(dbtSchemaErrors('sources', s)).toEqual([]);
    expect(s.results).toEqual([expect.objectContaining({ unique_id: 'source.full.ext.events', status: 'pass' })]);
  });

  it('the validator finds errors (a manifest without original_file_path is refused)', () => {
    const m = read('manifest.json');
    delete m.nodes['model.full.gold_customers'].original_file_path;
    expect(dbtSchemaErrors('manifest', m).join('\n')).toContain("must have required property 'original_file_path'");
  });
});
