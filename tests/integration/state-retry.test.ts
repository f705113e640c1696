/**
 * The production workflow on DuckDB through the CLI: `--state` selection against a copied production
 * target, `--defer` to production relations from a CI schema, and `weir retry`.
 */
import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupProjects, jsonLines, makeProject, runCli, writeFiles } from '../helpers/project.js';

afterAll(cleanupProjects);

const PROJECT = `name: t
target: dev
targets:
  dev: {type: duckdb, path: target/t.duckdb, threads: 2}
  ci: {type: duckdb, path: target/t.duckdb, schema: ci, threads: 2}
`;
const FILES = {
  'project.yaml': PROJECT,
  'seeds/raw.csv': 'id\n1\n2\n',
  'macros/double.sql': '({{col}} * 2)',
  'models/a.sql': 'select id, {{> double col="id"}} as id2 from {{ref "raw"}}',
  'models/b.sql': 'select * from {{ref "a"}}',
  'models/c.sql': '{{config materialized="table"}}select count(*) as n from {{ref "b"}}',
  'models/other.sql': 'select 1 as one',
};

const finished = (stdout: string) => jsonLines(stdout).filter((e) => e.code === 'WEIR_NODE_FINISH').map((e) => `${String(e.node_id).split('.').pop()}:${String(e.status)}`).sort();

describe('--state and --defer', () => {
  it('runs only what changed (and its children) and reads the rest from production', async () => {
    const dir = await makeProject(FILES);
    expect((await runCli(['build', '-q'], dir)).code).toBe(0);
    cpSync(path.join(dir, 'target'), path.join(dir, 'prod'), { recursive: true });
    const manifest = JSON.parse(readFileSync(path.join(dir, 'prod/manifest.json'), 'utf8'));
    // Everything state selection needs is in the manifest, for every node (not only the ones run).
    expect(manifest.nodes['model.t.b'].relation_name).toBe('"main"."b"');
    expect(manifest.nodes['seed.t.raw'].checksum.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.macros['macro.t.double'].macro_sql).toBe('({{col}} * 2)');
    expect(manifest.nodes['model.t.a'].depends_on.macros).toEqual(['macro.t.double']);

    writeFiles(dir, { 'macros/double.sql': '({{col}} + {{col}})' });
    const ls = await runCli(['ls', '--state', 'prod', '-s', 'state:modified+', '--output', 'name'], dir);
    expect(ls.stdout.trim().split('\n').sort()).toEqual(['a', 'b', 'c']);

    // In a CI schema, build only the modified model; its parent comes from production (deferred).
    const r = await runCli(['run', '--target', 'ci', '-s', 'state:modified', '--state', 'prod', '--defer', '--log-format', 'json'], dir);
    expect(r.code).toBe(0);
    expect(finished(r.stdout)).toEqual(['a:success']);
    expect(readFileSync(path.join(dir, 'target/compiled/t/models/a.sql'), 'utf8')).toContain('from "main"."raw"');
    const q = await runCli(['query', '--target', 'ci', 'select sum(id2) as s from ci.a', '--format', 'csv'], dir);
    expect(q.stdout).toContain('6');

    // Without --defer the CI schema has no seed: the same run fails there.
    const noDefer = await runCli(['run', '--target', 'ci', '-s', 'state:modified', '--state', 'prod', '-q'], dir);
    expect(noDefer.code).toBe(1);
    expect(noDefer.stdout).toMatch(/raw does not exist/);

    // Once the CI schema has its own relation, --defer uses it; --favor-state still reads production.
    expect((await runCli(['seed', '--target', 'ci', '-q'], dir)).code).toBe(0);
    await runCli(['run', '--target', 'ci', '-s', 'b', '--state', 'prod', '--defer', '-q'], dir);
    expect(readFileSync(path.join(dir, 'target/compiled/t/models/b.sql'), 'utf8')).toContain('from "ci"."a"');
    await runCli(['run', '--target', 'ci', '-s', 'b', '--state', 'prod', '--defer', '--favor-state', '-q'], dir);
    expect(readFileSync(path.join(dir, 'target/compiled/t/models/b.sql'), 'utf8')).toContain('from "main"."a"');
  });

  it('compile --defer renders unbuilt parents as the state\'s relations', async () => {
    const dir = await makeProject(FILES);
    expect((await runCli(['build', '-q'], dir)).code).toBe(0);
    cpSync(path.join(dir, 'target'), path.join(dir, 'prod'), { recursive: true });
    const r = await runCli(['compile', '--target', 'ci', '-s', 'b', '--state', 'prod', '--defer', '-q'], dir);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(dir, 'target/compiled/t/models/b.sql'), 'utf8')).toMatch(/from\s+"main"\."a"/);
    await runCli(['compile', '--target', 'ci', '-s', 'b', '-q'], dir);
    expect(readFileSync(path.join(dir, 'target/compiled/t/models/b.sql'), 'utf8')).toMatch(/from\s+"ci"\."a"/);
    const noState = await runCli(['compile', '--defer'], dir);
    expect(noState.code).toBe(2);
    expect(noState.stdout).toContain('--defer needs --state DIR');
  });

  it('errors clearly for --defer without --state and a missing state directory', async () => {
    const dir = await makeProject(FILES);
    const r = await runCli(['run', '--defer'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('--defer needs --state DIR');
    const m = await runCli(['run', '--state', 'nowhere', '-s', 'state:modified'], dir);
    expect(m.code).toBe(2);
    expect(m.stdout).toMatch(/--state directory .*nowhere does not exist/);
    const nr = await runCli(['ls', '--state', 'target', '-s', 'result:error'], dir);
    expect(nr.code).toBe(2);
    expect(nr.stdout).toMatch(/no manifest.json in --state directory/);
  });
});

describe('weir retry', () => {
  it('says so when there is no previous run', async () => {
    const dir = await makeProject(FILES);
    const r = await runCli(['retry'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('nothing to retry: no previous run in target/run_results.json');
  });

  it('re-runs the errored and skipped nodes with the same command and flags, then nothing', async () => {
    const dir = await makeProject({ ...FILES, 'models/b.sql': 'select * from {{ref "a"}} where no_such_column > 0' });
    const first = await runCli(['build', '--target', 'ci', '--threads', '1', '--exclude', 'other', '--log-format', 'json'], dir);
    expect(first.code).toBe(1);
    expect(finished(first.stdout)).toEqual(['a:success', 'b:error', 'c:skipped', 'raw:success']);
    const rr = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8'));
    expect(rr.args).toMatchObject({ which: 'build', exclude: ['other'], threads: 1, target: 'ci', fail_fast: false });

    // Still broken: the same two nodes again (target ci and the flags come from run_results.json).
    const again = await runCli(['retry', '--log-format', 'json'], dir);
    expect(again.code).toBe(1);
    expect(finished(again.stdout)).toEqual(['b:error', 'c:skipped']);
    expect(jsonLines(again.stdout).find((e) => e.code === 'WEIR_RUN_START')).toMatchObject({ command: 'build', target: 'ci', threads: 1 });

    writeFiles(dir, { 'models/b.sql': 'select * from {{ref "a"}}' });
    const fixed = await runCli(['retry', '--log-format', 'json'], dir);
    expect(fixed.code).toBe(0);
    expect(finished(fixed.stdout)).toEqual(['b:success', 'c:success']);

    const nothing = await runCli(['retry'], dir);
    expect(nothing.code).toBe(0);
    expect(nothing.stdout).toContain('nothing to retry: the previous `weir build` succeeded');
  });

  it('retries failed tests of a test run', async () => {
    const dir = await makeProject({
      ...FILES,
      'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id2\n        tests: [{accepted_values: {values: [2, 4], quote: false}}]\n      - name: id\n        tests: [not_null]\n',
    });
    expect((await runCli(['build', '-q'], dir)).code).toBe(0);
    writeFiles(dir, { 'seeds/raw.csv': 'id\n1\n2\n3\n' });
    expect((await runCli(['seed', '-q'], dir)).code).toBe(0);
    const t = await runCli(['test', '-q'], dir);
    expect(t.code).toBe(1);
    const r = await runCli(['retry', '--log-format', 'json'], dir);
    expect(r.code).toBe(1);
    const f = finished(r.stdout);
    expect(f).toHaveLength(1); // the passing not_null test is not re-run
    expect(f[0]).toMatch(/^accepted_values_a_id2_[0-9a-f]{6}:fail$/);
  });

  it('records --vars without secret-looking values; retry reuses the rest and asks for the secrets again', async () => {
    const dir = await makeProject({
      ...FILES,
      'models/b.sql': 'select * from {{ref "a"}} where id > {{var "min_id"}} and {{#if (var "broken")}}no_such_column{{else}}true{{/if}}',
    });
    const vars = '{"min_id": 0, "broken": true, "api_token": "s3cret-token-value"}';
    const first = await runCli(['build', '--target', 'ci', '--vars', vars, '-q'], dir);
    expect(first.code).toBe(1);
    const text = readFileSync(path.join(dir, 'target/run_results.json'), 'utf8');
    expect(text).not.toContain('s3cret-token-value');
    expect(JSON.parse(text).args.vars).toEqual({ min_id: 0, broken: true, api_token: '***' });
    const r = await runCli(['retry'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("the previous run's --vars api_token was not recorded (secret-looking name): pass --vars to weir retry");
    // Explicit --vars replace the recorded ones; the target still comes from run_results.json.
    const ok = await runCli(['retry', '--vars', '{"min_id": 0, "broken": false, "api_token": "x"}', '--log-format', 'json'], dir);
    expect(ok.code).toBe(0);
    expect(finished(ok.stdout)).toEqual(['b:success', 'c:success']);
    expect(jsonLines(ok.stdout).find((e) => e.code === 'WEIR_RUN_START')).toMatchObject({ target: 'ci' });
  });
});
