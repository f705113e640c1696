import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WeirProject } from '../../../src/api/project.js';
import { WeirError } from '../../../src/errors/weir-error.js';
import { loadPreviousState } from '../../../src/artifacts/previous-state.js';
import { cleanupProjects, makeProject, writeFiles } from '../../helpers/project.js';

afterAll(cleanupProjects);

const BASE = {
  'seeds/raw.csv': 'id\n1\n',
  'macros/cents.sql': '({{col}} / 100.0)',
  'macros/wrap.sql': '{{> cents col=col}}',
  'models/a.sql': 'select id, {{> wrap col="id"}} as dollars from {{ref "raw"}}',
  'models/b.sql': 'select * from {{ref "a"}}',
  'models/c.sql': '{{config materialized="table"}}select 1 as x',
  'models/schema.yml': 'version: 2\nmodels:\n  - name: c\n    columns:\n      - name: x\n        tests: [not_null]\n',
};

/** A project whose compiled manifest is copied to `<dir>/prod`, then changed by `edits`. */
async function changed(edits: Record<string, string>): Promise<{ dir: string; project: WeirProject }> {
  const dir = await makeProject(BASE);
  (await WeirProject.load({ projectDir: dir, partialParse: false })).compile();
  cpSync(path.join(dir, 'target'), path.join(dir, 'prod'), { recursive: true });
  writeFiles(dir, edits);
  return { dir, project: await WeirProject.load({ projectDir: dir, partialParse: false }) };
}
const names = (p: WeirProject, uids: string[]) => uids.map((u) => p.manifest.nodes.get(u)!.name).sort();
const ls = (p: WeirProject, select: string[]) => names(p, p.select('ls', { select, state: 'prod' }));

describe('state selection', () => {
  it('selects nothing when nothing changed, and everything as old/unmodified', async () => {
    const { project } = await changed({});
    expect(ls(project, ['state:modified'])).toEqual([]);
    expect(ls(project, ['state:new'])).toEqual([]);
    expect(ls(project, ['state:unmodified'])).toEqual(names(project, [...project.manifest.nodes.keys()]));
  });

  it('state:modified.body for a changed model file, seed file, and generic test definition', async () => {
    const { project } = await changed({
      'models/b.sql': 'select id from {{ref "a"}}',
      'seeds/raw.csv': 'id\n1\n2\n',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: c\n    columns:\n      - name: x\n        tests: [not_null, unique]\n',
    });
    expect(ls(project, ['state:modified.body'])).toEqual(['b', 'raw']);
    expect(ls(project, ['state:new'])).toEqual(['unique_c_x']);
    expect(ls(project, ['state:modified'])).toEqual(['b', 'raw', 'unique_c_x']);
    expect(ls(project, ['state:modified.configs'])).toEqual([]);
  });

  it('state:modified.configs for config changed in the file, in YAML or in project.yaml folder config', async () => {
    const { project } = await changed({
      'models/c.sql': '{{config materialized="view"}}select 1 as x',
      'project.yaml': `name: t\ntarget: dev\nmodels:\n  +tags: [nightly]\ntargets:\n  dev: {type: duckdb, path: target/t.duckdb}\n`,
    });
    // Folder tags change every model's config (and the tests inherit the tags of the node they test).
    expect(ls(project, ['state:modified.configs'])).toEqual(['a', 'b', 'c', 'not_null_c_x']);
    // c's file changed too; its test is selected with it (indirect selection, as in dbt).
    expect(ls(project, ['state:modified.body'])).toEqual(['c', 'not_null_c_x']);
  });

  it('state:modified.macros for a transitively used macro that changed; graph operators apply', async () => {
    const { project } = await changed({ 'macros/cents.sql': '({{col}} / 100.00)' });
    expect(ls(project, ['state:modified.macros'])).toEqual(['a']);
    expect(ls(project, ['state:modified'])).toEqual(['a']);
    expect(ls(project, ['state:modified+'])).toEqual(['a', 'b']);
    expect(ls(project, ['+state:modified'])).toEqual(['a', 'raw']);
    expect(ls(project, ['state:modified+,resource_type:model', 'state:new'])).toEqual(['a', 'b']);
  });

  it('reads manifests without checksums (raw_code fallback)', async () => {
    const { dir, project } = await changed({ 'models/b.sql': 'select 2 as id' });
    const file = path.join(dir, 'prod', 'manifest.json');
    const m = JSON.parse(readFileSync(file, 'utf8'));
    for (const n of Object.values(m.nodes) as Record<string, unknown>[]) delete n.checksum;
    for (const n of Object.values(m.macros) as Record<string, unknown>[]) delete n.checksum;
    writeFileSync(file, JSON.stringify(m));
    expect(ls(project, ['state:modified.body'])).toEqual(['b']);
    expect(ls(project, ['state:modified.macros'])).toEqual([]);
  });

  it('result:<status> from the state run_results.json', async () => {
    const { dir, project } = await changed({});
    const results = [
      { unique_id: 'model.t.a', status: 'success' }, { unique_id: 'model.t.b', status: 'error' },
      { unique_id: 'model.t.c', status: 'skipped' }, { unique_id: 'test.t.not_null_c_x', status: 'fail' },
    ].map((r) => ({ ...r, timing: [], execution_time: 0 }));
    writeFileSync(path.join(dir, 'prod', 'run_results.json'), JSON.stringify({
      metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/run-results/v6.json' }, elapsed_time: 1, args: { which: 'build' }, results,
    }));
    expect(ls(project, ['result:error'])).toEqual(['b']);
    expect(ls(project, ['result:error+'])).toEqual(['b']);
    expect(ls(project, ['result:error', 'result:skipped', 'result:fail'])).toEqual(['b', 'c', 'not_null_c_x']);
    expect(ls(project, ['result:success+'])).toEqual(['a', 'b']);
  });
});

describe('state errors', () => {
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(WeirError);
      return `${(e as WeirError).code}: ${(e as WeirError).format()}`;
    }
    throw new Error('expected an error');
  };

  it('names a missing --state directory, a missing manifest, bad JSON and a foreign manifest', async () => {
    const dir = await makeProject(BASE);
    expect(code(() => loadPreviousState(path.join(dir, 'nope')))).toMatch(/^WEIR_STATE_INVALID: --state directory .*nope does not exist/);
    mkdirSync(path.join(dir, 'empty'));
    expect(code(() => loadPreviousState(path.join(dir, 'empty')))).toMatch(/WEIR_STATE_INVALID: no manifest.json in --state directory/);
    writeFiles(dir, { 'bad/manifest.json': '{"nodes": ' });
    expect(code(() => loadPreviousState(path.join(dir, 'bad')))).toMatch(/bad\/manifest.json: state manifest .* is not valid JSON/);
    writeFiles(dir, { 'dbt/manifest.json': '{"metadata": {"dbt_schema_version": "x"}, "nodes": {}}' });
    expect(code(() => loadPreviousState(path.join(dir, 'dbt')))).toMatch(/is not a manifest.json \(no metadata.dbt_schema_version of a manifest\)/);
    writeFiles(dir, { 'v11/manifest.json': '{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v11.json"}, "nodes": {}}' });
    expect(code(() => loadPreviousState(path.join(dir, 'v11')))).toMatch(/has schema .*manifest\/v11.json; this Weir reads https:\/\/schemas.getdbt.com\/dbt\/manifest\/v12.json/);
    writeFiles(dir, { 'old/manifest.json': '{"metadata": {"weir_schema_version": "https://weir.dev/schemas/manifest/v0.json"}, "nodes": {}}' });
    expect(code(() => loadPreviousState(path.join(dir, 'old')))).toMatch(/has schema .*v0.json; this Weir reads/);
    writeFiles(dir, { 'rr/manifest.json': readFileSync(path.join(dir, 'dbt/manifest.json'), 'utf8').replace('dbt_schema_version": "x"', 'dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json"'), 'rr/run_results.json': '[]' });
    expect(code(() => loadPreviousState(path.join(dir, 'rr')))).toMatch(/run_results.json is not a run_results.json of this Weir/);
  });

  it('state:/result: without --state, result: without run_results.json, unknown values', async () => {
    const { project } = await changed({});
    expect(code(() => project.select('ls', { select: ['state:modified'] }))).toMatch(/WEIR_STATE_INVALID: selector 'state:modified' compares with an earlier run: pass --state DIR/);
    expect(code(() => project.select('ls', { select: ['result:fail'], state: 'prod' }))).toMatch(/WEIR_STATE_INVALID: result:fail needs run_results.json in the --state directory/);
    expect(code(() => project.select('ls', { select: ['state:changed'], state: 'prod' }))).toMatch(/WEIR_SELECTOR_INVALID: invalid selector 'state:changed': unknown state/);
    expect(code(() => project.select('ls', { select: ['result:failed'], state: 'prod' }))).toMatch(/WEIR_SELECTOR_INVALID: invalid selector 'result:failed'/);
  });
});
