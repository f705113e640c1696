/**
 * Every user-facing error path through the CLI (in-process): the message names the file/model (and line
 * where there is one), the exit code is 2 for an invalid project or command and 1 for node failures, and
 * nothing prints a bare stack trace.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject, runCli, writeFiles, type CliResult } from '../helpers/project.js';

afterAll(cleanupProjects);

const out = (r: CliResult) => r.stdout + r.stderr;
const noStack = (r: CliResult) => expect(out(r)).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/);

describe('invalid projects exit 2 with a clear message', () => {
  it('missing ref: names the file and line and suggests the closest model', async () => {
    const dir = await makeProject({
      'models/stg_orders.sql': 'select 1 as id',
      'models/orders.sql': 'select *\nfrom {{ref "stg_order"}}',
    });
    const r = await runCli(['run'], dir);
    expect(r.code).toBe(2);
    expect(out(r)).toContain('models/orders.sql:2:6');
    expect(out(r)).toContain(`unknown model 'stg_order'`);
    expect(out(r)).toContain(`Did you mean 'stg_orders'?`);
    noStack(r);
  });

  it('several problems are listed at once', async () => {
    const dir = await makeProject({
      'models/a.sql': 'select * from {{ref "nope1"}}',
      'models/b.sql': 'select * from {{ref "nope2"}}',
    });
    const r = await runCli(['compile'], dir);
    expect(r.code).toBe(2);
    expect(out(r)).toContain('2 problems found');
    expect(out(r)).toContain('models/a.sql:1');
    expect(out(r)).toContain('models/b.sql:1');
  });

  it('cycle: names every model on it', async () => {
    const dir = await makeProject({
      'models/a.sql': 'select * from {{ref "b"}}',
      'models/b.sql': 'select * from {{ref "a"}}',
    });
    const r = await runCli(['build'], dir);
    expect(r.code).toBe(2);
    expect(out(r)).toMatch(/dependency cycle: (a → b → a|b → a → b)/);
    expect(out(r)).toMatch(/models\/(a|b)\.sql/);
    noStack(r);
  });

  it('template syntax error: file:line', async () => {
    const dir = await makeProject({ 'models/broken.sql': 'select 1\nfrom x\nwhere {{#if a}} y {{/iff}}\n' });
    const r = await runCli(['compile'], dir);
    expect(r.code).toBe(2);
    expect(out(r)).toContain('models/broken.sql:3');
    expect(out(r)).toContain('template syntax error');
    noStack(r);
  });

  it('unknown helper: file:line with a suggestion', async () => {
    const dir = await makeProject({ 'models/m.sql': 'select 1\nfrom {{refs "x"}}' });
    const r = await runCli(['run'], dir);
    expect(r.code).toBe(2);
    expect(out(r)).toContain(`models/m.sql:2:6: unknown helper 'refs'`);
    expect(out(r)).toContain(`Did you mean 'ref'?`);
  });

  it('invalid project.yaml: every problem with its key path and line', async () => {
    const dir = await makeProject({
      'project.yaml': `name: t
modles: [models]
targets:
  dev:
    type: duckdb
    threads: many
`,
    });
    const r = await runCli(['ls'], dir);
    expect(r.code).toBe(2);
    expect(out(r)).toContain('2 problems found');
    expect(out(r)).toMatch(/project\.yaml:6:\d+ \(targets\.dev\.threads\)/);
    expect(out(r)).toMatch(/project\.yaml:1:\d+.*unknown key 'modles'|project\.yaml:2:\d+.*unknown key 'modles'/);
    noStack(r);
  });

  it('invalid YAML syntax in project.yaml: file:line', async () => {
    const dir = await makeProject({ 'project.yaml': 'name: t\ntargets:\n  dev: {type: duckdb\n' });
    const r = await runCli(['ls'], dir);
    expect(r.code).toBe(2);
    expect(out(r)).toMatch(/project\.yaml:\d+/);
    expect(out(r)).toContain('invalid YAML');
  });

  it('unknown target: exit 2 and the defined targets listed', async () => {
    const dir = await makeProject({ 'models/m.sql': 'select 1 as x' });
    const r = await runCli(['run', '--target', 'prod'], dir);
    expect(r.code).toBe(2);
    expect(out(r)).toContain(`target 'prod' is not defined`);
    expect(out(r)).toContain('Defined targets: dev');
  });

  it('unset env var in project.yaml: names the variable and key path', async () => {
    const dir = await makeProject({
      'project.yaml': `name: t\ntargets:\n  dev:\n    type: duckdb\n    path: '{{env "WEIR_TEST_UNSET_PATH"}}'\n`,
    });
    const env = { ...process.env };
    delete env.WEIR_TEST_UNSET_PATH;
    const r = await runCli(['run'], dir, env);
    expect(r.code).toBe(2);
    expect(out(r)).toContain('environment variable WEIR_TEST_UNSET_PATH is not set');
    expect(out(r)).toContain('project.yaml:5');
    expect(out(r)).toContain('targets.dev.path');
  });

  it('a bad selector and a bad --vars are usage errors (exit 2)', async () => {
    const dir = await makeProject({ 'models/m.sql': 'select 1 as x' });
    const r = await runCli(['run', '--select', 'bogus:x'], dir);
    expect(r.code).toBe(2);
    expect(out(r)).toContain(`invalid selector 'bogus:x'`);
    const v = await runCli(['run', '--vars', '[1, 2]'], dir);
    expect(v.code).toBe(2);
    expect(out(v)).toContain('--vars must be a mapping');
    const u = await runCli(['frobnicate'], dir);
    expect(u.code).toBe(2);
  });

  it('duplicate model names: both files named', async () => {
    const dir = await makeProject({ 'models/x/a.sql': 'select 1', 'models/y/a.sql': 'select 2' });
    const r = await runCli(['ls'], dir);
    expect(r.code).toBe(2);
    expect(out(r)).toContain(`two nodes are named 'a': models/x/a.sql and models/y/a.sql`);
  });

  it('schema YAML: unknown generic test and unknown relationships target name the file and line', async () => {
    const dir = await makeProject({
      'models/stg_a.sql': 'select 1 as id',
      'models/s.yml': `version: 2
models:
  - name: stg_a
    columns:
      - name: id
        tests:
          - not_nul
          - relationships: {to: ref('stg_b'), field: id}
`,
    });
    const r = await runCli(['build'], dir);
    expect(r.code).toBe(2);
    expect(out(r)).toContain(`models/s.yml:7: unknown generic test 'not_nul' on stg_a.id`);
    expect(out(r)).toContain(`Did you mean 'not_null'?`);
    expect(out(r)).toMatch(/models\/s\.yml:8: test relationships_stg_a_id_\w+ refers to unknown model 'stg_b'/);
    expect(out(r)).toContain(`Did you mean 'stg_a'?`);
  });

  it('unknown source and unknown macro name the model file and line', async () => {
    const dir = await makeProject({
      'models/a.sql': 'select * from {{source "crm" "customers"}}',
      'models/b.sql': 'select 1\n{{> nope}}',
    });
    const r = await runCli(['run'], dir);
    expect(r.code).toBe(2);
    expect(out(r)).toContain(`models/a.sql:1:15: model 'a' uses unknown source 'crm.customers'`);
    expect(out(r)).toContain(`models/b.sql:2: unknown macro 'nope'`);
  });

  it('a folder config path that matches no folder is a warning, not an error', async () => {
    const dir = await makeProject({
      'project.yaml': 'name: t\nmodels:\n  stagng:\n    +schema: x\ntargets:\n  dev: {type: duckdb, path: target/t.duckdb}\n',
      'models/staging/a.sql': 'select 1 as id',
    });
    const r = await runCli(['ls'], dir);
    expect(r.code).toBe(0);
    expect(out(r)).toContain(`WARN project.yaml (models.stagng): models config path 'stagng' matches no folder`);
  });

  it('a missing project.yaml is exit 2', async () => {
    const dir = await makeProject({});
    const r = await runCli(['ls', '--project-dir', path.join(dir, 'models')], dir);
    expect(r.code).toBe(2);
    expect(out(r)).toContain('no project.yaml');
  });
});

describe('run-time failures', () => {
  it('an SQL error names the model and file, other branches still build, exit 1, and the old table survives', async () => {
    const dir = await makeProject({
      'models/good.sql': 'select 1 as id',
      'models/fragile.sql': `{{config materialized="table"}}select id, 'old' as v from (values (1), (2), (3)) t(id)`,
      'models/after_fragile.sql': 'select * from {{ref "fragile"}}',
    });
    const first = await runCli(['run'], dir);
    expect(first.code).toBe(0);
    writeFiles(dir, { 'models/fragile.sql': '{{config materialized="table"}}select id, v from no_such_table' });
    const second = await runCli(['run'], dir);
    expect(second.code).toBe(1);
    expect(out(second)).toContain(`model 'fragile' (models/fragile.sql)`);
    expect(out(second)).toMatch(/no_such_table/);
    expect(out(second)).toContain('target/compiled/t/models/fragile.sql');
    expect(out(second)).toMatch(/OK\s+view "main"\."good"/);
    expect(out(second)).toMatch(/SKIP\s+view .*after_fragile/);
    noStack(second);
    const q = await runCli(['query', 'select count(*) as n, min(v) as v from main.fragile', '--format', 'json'], dir);
    expect(q.code).toBe(0);
    expect(JSON.parse(q.stdout)).toEqual([{ n: 3, v: 'old' }]);
    const tmp = await runCli(['query', `select count(*) as n from duckdb_tables() where table_name like '%weir_tmp%'`, '--format', 'json'], dir);
    expect(JSON.parse(tmp.stdout)).toEqual([{ n: 0 }]);
  });

  it('a render error in one model (missing var) fails that model only', async () => {
    const dir = await makeProject({
      'models/ok.sql': 'select 1 as x',
      'models/needs_var.sql': 'select 1 as x\nwhere {{literal (var "missing_var")}} = 1',
    });
    const r = await runCli(['run'], dir);
    expect(r.code).toBe(1);
    expect(out(r)).toContain(`model 'needs_var'`);
    expect(out(r)).toContain('models/needs_var.sql:2');
    expect(out(r)).toContain(`var 'missing_var' is not defined`);
    expect(out(r)).toMatch(/OK\s+view "main"\."ok"/);
  });

  it('compile: a render error fails that node only (exit 1) with file:line', async () => {
    const dir = await makeProject({ 'models/a.sql': 'select 1\nwhere x = {{var "s"}}', 'models/b.sql': 'select 1' });
    const r = await runCli(['compile'], dir);
    expect(r.code).toBe(1);
    expect(out(r)).toContain(`models/a.sql:2: var 's' is not defined`);
    expect(out(r)).toContain('compiled 1 node to target/compiled, 1 failed');
  });

  it('a misspelt name in {{#if}} or as a helper argument is an error with file:line, not silently false', async () => {
    const dir = await makeProject({
      'models/a.sql': 'select 1 as x\n{{#if incremntal_mode}}where x > 0{{/if}}',
      'models/b.sql': 'select {{literal (coalesce sheme "x")}} as y',
      'models/ok.sql': "select {{literal target.name}} as t{{#if (eq name \"ok\")}}, 1 as me{{/if}}{{#unless (var \"off\" false)}}, 2 as on_{{/unless}}",
      // macros keep Handlebars' rules: an optional argument may be absent
      'macros/opt.sql': "{{#if where}}where {{{where}}}{{else}}where true{{/if}}",
      'models/uses_macro.sql': 'select 1 as x {{> opt}}',
    });
    // found when the project is parsed (like an unknown helper): exit 2 before anything runs
    const r = await runCli(['compile'], dir);
    expect(r.code).toBe(2);
    expect(out(r)).toMatch(/models\/a\.sql:2:7: 'incremntal_mode' is not defined in this template/);
    expect(out(r)).toMatch(/models\/b\.sql:1:28: 'sheme' is not defined in this template/);
    expect(out(r)).toContain('a project var is (var "sheme")');
    expect(out(r)).not.toMatch(/ok\.sql|opt\.sql|uses_macro/);
    writeFiles(dir, { 'models/a.sql': 'select 1 as x', 'models/b.sql': 'select 2 as y' });
    const run = await runCli(['run'], dir);
    expect(run.code, out(run)).toBe(0);
  });

  it('seed column_types errors name the seed file; conversion errors the line', async () => {
    const dir = await makeProject({
      'seeds/s.csv': 'a,b\n1,2\n3,x\n',
      'seeds/t.csv': 'a\n1\n',
      'seeds/seeds.yml': 'version: 2\nseeds:\n  - name: s\n    config: {column_types: {b: INTEGER}}\n  - name: t\n    config: {column_types: {c: VARCHAR}}\n',
    });
    const r = await runCli(['seed'], dir);
    expect(r.code).toBe(1);
    expect(out(r)).toContain(`seed 's': seeds/s.csv:3: malformed seed CSV`);
    expect(out(r)).toMatch(/seed 't': seeds\/t\.csv: malformed seed CSV: .*"c"/);
    expect(out(r)).toContain('A column in config.column_types is not in the CSV header');
  });

  it('malformed seed CSV: names the seed file and the line', async () => {
    const dir = await makeProject({
      'seeds/bad_seed.csv': 'id,name\n1,a\n2,b\n3,c,extra\n4,d\n',
      'seeds/good_seed.csv': 'id\n1\n',
    });
    const r = await runCli(['seed'], dir);
    expect(r.code).toBe(1);
    expect(out(r)).toContain('seeds/bad_seed.csv:4');
    expect(out(r)).toContain('3 fields where the header has 2');
    expect(out(r)).toContain('malformed seed CSV');
    expect(out(r)).toMatch(/OK\s+seed "main"\."good_seed"/);
    noStack(r);
  });

  it('a locked database file: exit 2 and the message says the file is locked', async () => {
    const dir = await makeProject({ 'models/m.sql': 'select 1 as x' });
    const dbFile = path.join(dir, 'target', 't.duckdb');
    expect((await runCli(['run'], dir)).code).toBe(0);
    const holder = `
      import { DuckDBInstance } from '@duckdb/node-api';
      const db = await DuckDBInstance.create(${JSON.stringify(dbFile)});
      const c = await db.connect();
      await c.run('create table if not exists held(x int)');
      process.stdout.write('ready\\n');
      // The interval refers to the instance and connection: otherwise they are unreachable once the module
      // has run, and a garbage collection (V8's memory reducer runs one when the process turns idle) closes
      // the database and releases its lock before the test's run opens it.
      setInterval(() => { void db; void c; }, 1000);
    `;
    const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', holder], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await new Promise<void>((resolve, reject) => {
        let err = '';
        child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
        child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
        child.on('exit', (c) => reject(new Error(`lock holder exited (${c}): ${err}`)));
      });
      const r = await runCli(['run'], dir);
      expect(r.code).toBe(2);
      expect(out(r)).toMatch(/database file .*t\.duckdb is locked/);
      expect(out(r)).toContain(`target 'dev'`);
      noStack(r);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
