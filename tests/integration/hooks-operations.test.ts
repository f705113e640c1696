/**
 * Hooks, grants and run-operation through the CLI on DuckDB.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupProjects, DEFAULT_PROJECT_YAML, jsonLines, makeProject, runCli, writeFiles } from '../helpers/project.js';

afterAll(cleanupProjects);

const AUDIT = 'create table if not exists main.audit (what varchar)';
const projectYaml = (extra: string) => `name: t
target: dev
${extra}
targets:
  dev: {type: duckdb, path: target/t.duckdb, threads: 2}
`;
const audit = async (dir: string) => {
  const r = await runCli(['query', 'select what from main.audit order by rowid', '--format', 'json'], dir);
  return (JSON.parse(r.stdout) as { what: string }[]).map((x) => x.what);
};
const runResults = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as { success: boolean; results: { unique_id: string; status: string; message?: string }[] };

describe('pre_hook / post_hook', () => {
  it('runs hooks from project.yaml folders, schema YAML and {{config}} in order, with {{this}}', async () => {
    const dir = await makeProject({
      'project.yaml': projectYaml(`on-run-start: "${AUDIT}"
models:
  +pre-hook: "insert into main.audit values ('folder pre {{this}}')"`),
      'models/a.sql': `{{config materialized="table" post_hook=(array "insert into main.audit select 'file post ' || count(*) from {{this}}")}}
select 1 as x union all select 2`,
      'models/schema.yml': `version: 2
models:
  - name: a
    config:
      pre_hook: ["insert into main.audit values ('yaml pre {{name}}')"]
`,
    });
    const r = await runCli(['run'], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await audit(dir)).toEqual(['folder pre "main"."a"', 'yaml pre a', 'file post 2']);
  });

  it('a failing hook fails its node, names the hook and the node, and skips the children', async () => {
    const dir = await makeProject({
      'models/a.sql': '{{config post_hook=(array "select 1" "insert into no_such_table values (1)")}}select 1 as x',
      'models/b.sql': 'select * from {{ref "a"}}',
      'models/c.sql': '{{config pre_hook="select {{nope}}"}}select 1 as x',
    });
    const r = await runCli(['run', '--log-format', 'json'], dir);
    expect(r.code).toBe(1);
    const fin = Object.fromEntries(jsonLines(r.stdout).filter((e) => e.code === 'WEIR_NODE_FINISH').map((e) => [e.node_id, e]));
    expect(fin['model.t.a'].status).toBe('error');
    expect(String(fin['model.t.a'].message)).toMatch(/^model 'a': models\/a.sql: post_hook #2 failed: Catalog Error: Table with name no_such_table does not exist/);
    expect(String(fin['model.t.a'].message)).toContain('hook SQL: insert into no_such_table values (1)');
    expect(fin['model.t.b'].status).toBe('skipped');
    expect(String(fin['model.t.c'].message)).toMatch(/models\/c.sql: pre_hook: 'nope' is not defined/);
    expect(runResults(dir).results.find((x) => x.unique_id === 'model.t.a')).toMatchObject({ status: 'error' });
  });

  it('rejects a hook that is not SQL text before building the model', async () => {
    const dir = await makeProject({
      'models/a.sql': 'select 1 as x',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    config:\n      post_hook: [{grant: select}]\n',
    });
    const r = await runCli(['run'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/models\/a.sql: post_hook must be an SQL string/);
    expect((await runCli(['query', "select count(*) as n from information_schema.tables where table_name = 'a'", '--format', 'csv'], dir)).stdout).toContain('0');
  });
});

describe('on-run-start / on-run-end', () => {
  it('are reported as results; on-run-end sees schemas and results', async () => {
    const dir = await makeProject({
      'project.yaml': projectYaml(`on-run-start: ["${AUDIT}", "insert into main.audit values ('start {{target.name}}')"]
on-run-end:
  - "{{#each schemas}}insert into main.audit values ('schema {{this}}');{{/each}}"
  - "{{#each results}}insert into main.audit values ('{{name}} {{status}}');{{/each}}"
models:
  +schema: marts`),
      'models/a.sql': 'select 1 as x',
    });
    const r = await runCli(['run', '--log-format', 'json'], dir);
    expect(r.code).toBe(0);
    expect(await audit(dir)).toEqual(['start dev', 'schema main_marts', 'a success']);
    const ids = runResults(dir).results.map((x) => `${x.unique_id}:${x.status}`);
    expect(ids).toEqual(['operation.t.t-on-run-start-0:success', 'operation.t.t-on-run-start-1:success', 'model.t.a:success', 'operation.t.t-on-run-end-0:success', 'operation.t.t-on-run-end-1:success']);
  });

  it('a failing on-run-start skips every node; a failing on-run-end fails the run', async () => {
    const dir = await makeProject({
      'project.yaml': projectYaml(`on-run-start: "select * from no_such_table"`),
      'models/a.sql': 'select 1 as x',
    });
    const r = await runCli(['run'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("project.yaml: on-run-start hook #1 failed: Catalog Error: Table with name no_such_table does not exist");
    expect(runResults(dir).results.map((x) => `${x.unique_id}:${x.status}`)).toEqual(['operation.t.t-on-run-start-0:error', 'model.t.a:skipped']);
    expect(runResults(dir).results[1].message).toBe('skipped because on-run-start hook #1 failed');

    writeFiles(dir, { 'project.yaml': projectYaml(`on-run-end: ["select 1", "drop table no_such_table", "select 2"]`) });
    const e = await runCli(['run'], dir);
    expect(e.code).toBe(1);
    expect(runResults(dir).results.map((x) => `${x.unique_id}:${x.status}`)).toEqual(['model.t.a:success', 'operation.t.t-on-run-end-0:success', 'operation.t.t-on-run-end-1:error', 'operation.t.t-on-run-end-2:skipped']);
    // The model was built: an on-run-end failure loses nothing.
    expect((await runCli(['query', 'select x from main.a', '--format', 'csv'], dir)).stdout).toContain('1');
    // weir retry does not count hooks as nodes to retry.
    expect((await runCli(['retry'], dir)).stdout).toContain('nothing to retry');
  });

  it('rejects a hook list of the wrong type in project.yaml with its line', async () => {
    const dir = await makeProject({ 'project.yaml': projectYaml('on-run-end: {sql: x}'), 'models/a.sql': 'select 1 as x' });
    const r = await runCli(['run'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/project.yaml:3:\d+ \(on-run-end\)/);
  });
});

describe('grants', () => {
  it('DuckDB has no GRANT: one info message per run, not an error', async () => {
    const dir = await makeProject({
      'models/a.sql': '{{config materialized="table" grants=(array)}}select 1 as x',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    config: {grants: {select: [reporter]}}\n  - name: b\n    config: {grants: {select: [reporter]}}\n',
      'models/b.sql': 'select 1 as x',
    });
    // grants=(array) in the file overrides the YAML mapping with a list: invalid, named with the file.
    const bad = await runCli(['run', '-s', 'a'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/models\/a.sql: grants: must be a mapping of privilege to grantees/);
    writeFiles(dir, { 'models/a.sql': '{{config materialized="table"}}select 1 as x' });
    const r = await runCli(['run'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/grants are not applied on duckdb/g)).toHaveLength(1);
  });
});

describe('run-operation', () => {
  it('renders a macro with --args and runs it', async () => {
    const dir = await makeProject({
      'macros/make_audit.sql': `create table {{ident schema_name "audit"}} as select {{literal label}} as what, {{days}} as days`,
      'macros/nothing.sql': '{{#if false}}select 1{{/if}}',
    });
    await runCli(['query', 'create schema ops'], dir);
    const r = await runCli(['run-operation', 'make_audit', '--args', '{schema_name: ops, label: "it\'s", days: 7}'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('run-operation make_audit: OK');
    expect((await runCli(['query', 'select what, days from ops.audit', '--format', 'csv'], dir)).stdout).toBe("what,days\nit's,7\n");
    const empty = await runCli(['run-operation', 'nothing'], dir);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain('the macro rendered no SQL; nothing was run');
  });

  it('errors: unknown macro, bad --args, missing argument, failing SQL', async () => {
    const dir = await makeProject({ 'project.yaml': DEFAULT_PROJECT_YAML, 'macros/drop_it.sql': 'drop table {{ident name}}' });
    const u = await runCli(['run-operation', 'drop_ti'], dir);
    expect(u.code).toBe(2);
    expect(u.stdout).toContain("run-operation: no macro named 'drop_ti'");
    expect(u.stdout).toContain("Did you mean 'drop_it'?");
    const a = await runCli(['run-operation', 'drop_it', '--args', '{name: [unclosed'], dir);
    expect(a.code).toBe(2);
    expect(a.stderr + a.stdout).toMatch(/--args is not valid YAML\/JSON/);
    const l = await runCli(['run-operation', 'drop_it', '--args', '[1, 2]'], dir);
    expect(l.stderr + l.stdout).toMatch(/--args must be a mapping of argument names to values, got a list/);
    const m = await runCli(['run-operation', 'drop_it'], dir);
    expect(m.code).toBe(2);
    expect(m.stdout).toMatch(/macros\/drop_it.sql: ident takes one or more non-empty names/); // the argument is missing
    const f = await runCli(['run-operation', 'drop_it', '--args', '{name: ghost}'], dir);
    expect(f.code).toBe(1);
    expect(f.stdout).toMatch(/macros\/drop_it.sql: run-operation drop_it failed on target 'dev': Catalog Error: Table with name ghost does not exist/);
  });
});
