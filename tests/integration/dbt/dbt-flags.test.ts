/**
 * The flags orchestrators and dbt habits send: -x, --profiles-dir/--profile (a dbt profiles.yml), --target-path,
 * --log-level, --selector (selectors.yml), --indirect-selection, parse, clean, and flag values from WEIR_* /
 * DBT_* environment variables. Each error path exits 2 with the file, line or variable named.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupProjects, jsonLines, makeProject, runCli, writeFiles } from '../../helpers/project.js';
import { readDbtProfile } from '../../../src/loader/dbt-profiles.js';

afterAll(cleanupProjects);

const FILES = {
  'seeds/people.csv': 'id,name\n1,a\n2,b\n',
  'models/a.sql': 'select * from {{ref "people"}}',
  'models/b.sql': 'select * from {{ref "a"}}',
  'models/broken.sql': 'select * from no_such_table',
  'models/c.sql': 'select * from {{ref "b"}}',
  'models/schema.yml': `version: 2
models:
  - name: b
    columns:
      - name: id
        data_tests:
          - not_null
          - relationships: {to: ref('a'), field: id}
`,
};
const ok = { ...FILES, 'models/broken.sql': 'select 1 as x' };
const env = (extra: Record<string, string>) => ({ ...process.env, ...extra });
const out = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;

describe('-x / --fail-fast and flag values from the environment', () => {
  it('-x stops starting nodes after the first failure; WEIR_FAIL_FAST / DBT_FAIL_FAST do the same; a bad value exits 2', async () => {
    const dir = await makeProject({ ...FILES, 'project.yaml': 'name: t\ntargets:\n  dev: {type: duckdb, path: target/t.duckdb, threads: 1}\n' });
    const skippedFor = (r: { stdout: string }) => jsonLines(r.stdout).filter((e) => e.code === 'WEIR_NODE_FINISH' && e.status === 'skipped').length;
    const plain = await runCli(['build', '--log-format', 'json'], dir);
    const fast = await runCli(['build', '-x', '--log-format', 'json'], dir);
    expect(plain.code).toBe(1);
    expect(fast.code).toBe(1);
    expect(skippedFor(fast)).toBeGreaterThan(skippedFor(plain));
    const fromEnv = await runCli(['build', '--log-format', 'json'], dir, env({ DBT_FAIL_FAST: 'true' }));
    expect(skippedFor(fromEnv)).toBe(skippedFor(fast));
    const weirWins = await runCli(['build', '--log-format', 'json'], dir, env({ WEIR_FAIL_FAST: 'false', DBT_FAIL_FAST: 'true' }));
    expect(skippedFor(weirWins)).toBe(skippedFor(plain));
    const bad = await runCli(['build'], dir, env({ WEIR_FAIL_FAST: 'maybe' }));
    expect(bad.code).toBe(2);
    expect(out(bad)).toMatch(/WEIR_FAIL_FAST=maybe is not a boolean \(it sets --fail-fast\)/);
  });

  it('--target-path and DBT_TARGET_PATH move the artifacts; --log-level warn drops info lines', async () => {
    const dir = await makeProject(ok);
    expect((await runCli(['compile', '--target-path', 'build_out'], dir)).code).toBe(0);
    expect(existsSync(path.join(dir, 'build_out/manifest.json'))).toBe(true);
    expect((await runCli(['parse'], dir, env({ DBT_TARGET_PATH: 'env_out' }))).code).toBe(0);
    expect(existsSync(path.join(dir, 'env_out/manifest.json'))).toBe(true);
    const quiet = await runCli(['build', '--log-level', 'warn', '--log-format', 'json'], dir);
    expect(quiet.code).toBe(0);
    expect(jsonLines(quiet.stdout).filter((e) => e.level === 'info')).toEqual([]);
    const all = await runCli(['build', '--log-format', 'json'], dir);
    expect(jsonLines(all.stdout).filter((e) => e.level === 'info').length).toBeGreaterThan(3);
    const badLevel = await runCli(['ls', '--log-level', 'loud'], dir);
    expect(badLevel.code).toBe(2);
  });
});

describe('--profiles-dir / --profile', () => {
  const PROFILES = `t:
  target: ci
  outputs:
    ci:
      type: duckdb
      path: "{{ env_var('CI_DB', 'target/ci.duckdb') }}"
      schema: main
      threads: 1
`;
  it('reads the profile\'s outputs as targets and its target as the default', async () => {
    const dir = await makeProject({ ...ok, 'profiles/profiles.yml': PROFILES });
    const r = await runCli(['build', '--profiles-dir', 'profiles', '--profile', 't', '--select', '+a', '--indirect-selection', 'cautious'], dir);
    expect(r.code, out(r)).toBe(0);
    expect(out(r)).toMatch(/target 'ci'/);
    expect(existsSync(path.join(dir, 'target/ci.duckdb'))).toBe(true);
    const viaEnv = await runCli(['build', '--select', '+a', '--indirect-selection', 'cautious'], dir, env({ DBT_PROFILES_DIR: path.join(dir, 'profiles'), CI_DB: 'target/env.duckdb' }));
    expect(viaEnv.code, out(viaEnv)).toBe(0);
    expect(existsSync(path.join(dir, 'target/env.duckdb'))).toBe(true);
    // A profile without outputs (what astronomer-cosmos needs a file for) keeps project.yaml's targets.
    writeFiles(dir, { 'cosmos/profiles.yml': 't:\n  target: dev\n' });
    const cosmos = await runCli(['build', '--select', '+a', '--indirect-selection', 'cautious', '--project-dir', dir, '--profiles-dir', 'cosmos', '--profile', 't', '--target', 'dev'], dir);
    expect(cosmos.code, out(cosmos)).toBe(0);
  });

  it('names the file, line and key of what it cannot map', async () => {
    const dir = await makeProject({ ...ok, 'p/profiles.yml': PROFILES });
    const missing = await runCli(['ls', '--profiles-dir', 'nowhere'], dir);
    expect(missing.code).toBe(2);
    expect(out(missing)).toMatch(/--profiles-dir nowhere has no profiles.yml|nowhere has no profiles.yml/);
    const unknown = await runCli(['ls', '--profiles-dir', 'p', '--profile', 'tt'], dir);
    expect(unknown.code).toBe(2);
    expect(out(unknown)).toMatch(/profile 'tt' is not in p\/profiles.yml[\s\S]*Did you mean 't'/);
    writeFiles(dir, { 'p/profiles.yml': `${PROFILES}      thread: 4\n    pg:\n      type: postgres\n      host: x\n` });
    const bad = await runCli(['ls', '--profiles-dir', 'p'], dir);
    expect(bad.code).toBe(2);
    expect(out(bad)).toMatch(/p\/profiles.yml:9:\d+.*key 'thread' of duckdb output 'ci' is not supported by Weir[\s\S]*Did you mean 'threads'/);
    expect(out(bad)).toMatch(/p\/profiles.yml:11:\d+.*output 'pg' has type 'postgres', which Weir can't run/);
    writeFiles(dir, { 'p/profiles.yml': PROFILES.replace("{{ env_var('CI_DB', 'target/ci.duckdb') }}", "{{ var('db') }}") });
    const jinja = await runCli(['ls', '--profiles-dir', 'p'], dir);
    expect(jinja.code).toBe(2);
    expect(out(jinja)).toMatch(/Jinja in t.outputs.ci.path that Weir can't read/);
  });

  it('maps snowflake and trino outputs onto Weir targets', async () => {
    const dir = await makeProject({
      ...ok, 'profiles.yml': `t:
  target: sf
  outputs:
    sf: {type: snowflake, account: org-acc, user: u, password: "{{ env_var('SF_PW') }}", role: r, database: db, warehouse: wh, schema: s, threads: 8, connect_timeout: 30}
    tr: {type: trino, host: trino.example.com, port: 8443, http_scheme: https, method: ldap, user: u, password: p, database: lake, schema: s}
`,
    });
    const p = readDbtProfile(dir, 't', dir, { SF_PW: 'hunter2' });
    expect(p.defaultTarget).toBe('sf');
    expect(p.targets.sf).toEqual({ type: 'snowflake', account: 'org-acc', user: 'u', password: 'hunter2', role: 'r', database: 'db', warehouse: 'wh', schema: 's', threads: 8, connect_timeout_seconds: 30 });
    expect(p.targets.tr).toEqual({ type: 'trino', server: 'https://trino.example.com:8443', user: 'u', catalog: 'lake', schema: 's', auth: { type: 'basic', password: 'p' } });
    expect(p.secrets).toEqual(['hunter2']);
  });
});

describe('--selector (selectors.yml) and --indirect-selection', () => {
  it('selects by union, intersection and exclude; default: true applies without --select; errors name the line', async () => {
    const dir = await makeProject({
      ...ok,
      'selectors.yml': `selectors:
  - name: a_down
    definition: {method: fqn, value: a, children: true}
  - name: a_down_but_c
    definition:
      union:
        - method: selector
          value: a_down
        - exclude: ["c"]
  - name: both
    default: true
    definition:
      intersection: ["a+", "+b"]
`,
    });
    const names = async (args: string[]) => (await runCli(['ls', '--output', 'name', '--resource-type', 'model', ...args], dir)).stdout.trim().split('\n').sort();
    expect(await names(['--selector', 'a_down'])).toEqual(['a', 'b', 'c']);
    expect(await names(['--selector', 'a_down_but_c'])).toEqual(['a', 'b']);
    expect(await names([])).toEqual(['a', 'b']); // the default selector
    expect(await names(['--select', 'broken'])).toEqual(['broken']);
    expect((await runCli(['parse'], dir)).code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')).selectors.both).toMatchObject({ default: true, definition: { intersection: ['a+', '+b'] } });
    const both = await runCli(['ls', '--selector', 'a_down', '--select', 'a'], dir);
    expect(both.code).toBe(2);
    expect(out(both)).toMatch(/--selector and --select can't be combined/);
    const unknown = await runCli(['ls', '--selector', 'nope'], dir);
    expect(unknown.code).toBe(2);
    expect(out(unknown)).toMatch(/selector 'nope' is not defined in selectors.yml[\s\S]*a_down, a_down_but_c, both/);
    writeFiles(dir, { 'selectors.yml': 'selectors:\n  - name: x\n    defintion: "a"\n' });
    const bad = await runCli(['ls'], dir);
    expect(bad.code).toBe(2);
    expect(out(bad)).toMatch(/selectors.yml:3:\d+.*unknown key 'defintion' in selector[\s\S]*Did you mean 'definition'/);
  });

  it('--indirect-selection eager adds a test with any selected parent, cautious only with all, empty none', async () => {
    const dir = await makeProject(ok);
    const tests = async (mode: string) => (await runCli(['ls', '--output', 'name', '--resource-type', 'test', '--select', 'b', '--indirect-selection', mode], dir)).stdout.trim().split('\n').filter(Boolean).sort();
    expect(await tests('eager')).toEqual(['not_null_b_id', expect.stringMatching(/^relationships_b_id/)]);
    expect(await tests('cautious')).toEqual(['not_null_b_id']);
    expect(await tests('buildable')).toEqual(['not_null_b_id', expect.stringMatching(/^relationships_b_id/)]); // a is upstream of b
    expect(await tests('empty')).toEqual([]);
    const fromEnv = await runCli(['ls', '--output', 'name', '--resource-type', 'test', '--select', 'b'], dir, env({ DBT_INDIRECT_SELECTION: 'cautious' }));
    expect(fromEnv.stdout.trim()).toBe('not_null_b_id');
  });
});

describe('parse and clean', () => {
  it('parse writes manifest.json without a database; clean removes the artifacts and keeps the database', async () => {
    const dir = await makeProject(ok);
    const p = await runCli(['parse'], dir);
    expect(p.code, out(p)).toBe(0);
    expect(out(p)).toMatch(/parsed \d+ nodes and 0 macros; wrote target\/manifest.json/);
    expect(JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')).nodes['model.t.a'].compiled).toBe(false);
    expect(existsSync(path.join(dir, 'target/t.duckdb'))).toBe(false);
    expect((await runCli(['build'], dir)).code).toBe(0);
    const c = await runCli(['clean'], dir);
    expect(c.code, out(c)).toBe(0);
    expect(out(c)).toMatch(/removed \d+ entries from target; kept .*t\.duckdb/);
    expect(existsSync(path.join(dir, 'target/manifest.json'))).toBe(false);
    expect(existsSync(path.join(dir, 'target/compiled'))).toBe(false);
    expect(existsSync(path.join(dir, 'target/t.duckdb'))).toBe(true);
    expect((await runCli(['query', 'select count(*) as n from main.a', '--format', 'json'], dir)).stdout).toMatch(/"n": ?2/);
  });
});
