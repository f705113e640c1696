/**
 * One build that produces every node status (success, error, skipped, pass, fail, warn), checked in
 * run_results.json and in the JSON log lines; secrets from the environment never reach logs or artifacts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WeirProject } from '../../src/api/project.js';
import type { WeirEvent } from '../../src/events/events.js';
import { cleanupProjects, jsonLines, makeProject, runCli, type CliResult } from '../helpers/project.js';

const PASSWORD = 'Pw-7f3a9c1e-secret';
const TOKEN = 'tok-55d0e2aa-9a';
const env = { ...process.env, WEIR_TEST_PASSWORD: PASSWORD, WEIR_TEST_API_TOKEN: TOKEN };
let dir: string;
let res: CliResult;

beforeAll(async () => {
  dir = await makeProject({
    'project.yaml': `name: st
target: dev
targets:
  dev:
    type: duckdb
    path: target/st.duckdb
    threads: 2
  prod:
    type: snowflake
    account: acme
    user: weir
    password: '{{env "WEIR_TEST_PASSWORD"}}'
`,
    'seeds/s.csv': 'id,v\n1,a\n2,b\n2,c\n',
    'models/ok.sql': 'select * from {{ref "s"}}',
    'models/ok_child.sql': 'select * from {{ref "ok"}}',
    'models/w.sql': 'select 1 as id, \'x\' as v',
    'models/w_child.sql': 'select * from {{ref "w"}}',
    'models/broken.sql': 'select * from does_not_exist',
    'models/after_broken.sql': 'select * from {{ref "broken"}}',
    'models/leaky.sql': `{{config materialized="table"}}select {{literal (env "WEIR_TEST_PASSWORD")}}::integer as a`,
    'models/leaky_token.sql': `{{config materialized="table"}}select {{literal (env "WEIR_TEST_API_TOKEN")}}::integer as b`,
    'models/schema.yml': `version: 2
models:
  - name: ok
    columns:
      - name: v
        tests: [not_null]
      - name: id
        tests: [unique]
  - name: w
    columns:
      - name: v
        tests:
          - accepted_values: {values: ['y'], severity: warn}
`,
  });
  res = await runCli(['build', '--log-format', 'json'], dir, env);
});
afterAll(cleanupProjects);

const status = (rr: { results: { unique_id: string; status: string }[] }) => Object.fromEntries(rr.results.map((r) => [r.unique_id, r.status]));

describe('a build with every status', () => {
  it('exits 1', () => {
    expect(res.code).toBe(1);
  });

  it('run_results.json records success/error/skipped/pass/fail/warn', () => {
    const rr = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8'));
    expect(rr.results.some((r: { status: string }) => r.status === 'error')).toBe(true);
    expect(status(rr)).toEqual({
      'seed.st.s': 'success',
      'model.st.ok': 'success',
      'test.st.not_null_ok_v': 'pass',
      'test.st.unique_ok_id': 'fail',
      'model.st.ok_child': 'skipped',
      'model.st.w': 'success',
      [rr.results.find((r: { unique_id: string }) => r.unique_id.startsWith('test.st.accepted_values_w_v')).unique_id]: 'warn',
      'model.st.w_child': 'success',
      'model.st.broken': 'error',
      'model.st.after_broken': 'skipped',
      'model.st.leaky': 'error',
      'model.st.leaky_token': 'error',
    });
    const byId = Object.fromEntries(rr.results.map((r: { unique_id: string }) => [r.unique_id, r]));
    expect(byId['test.st.unique_ok_id']).toMatchObject({ failures: 1 });
    expect(byId['test.st.unique_ok_id'].message).toContain('1 failing row');
    expect(byId['model.st.ok_child'].message).toBe(`skipped because upstream test 'unique_ok_id' failed`);
    expect(byId['model.st.after_broken'].message).toBe(`skipped because upstream model 'broken' failed`);
    expect(byId['model.st.broken']).toMatchObject({ adapter_response: { code: 'WEIR_SQL_ERROR' } });
    expect(byId['model.st.broken'].message).toContain(`model 'broken' (models/broken.sql)`);
  });

  it('--log-format json prints one JSON object per line with code and node_id', () => {
    const events = jsonLines(res.stdout) as unknown as WeirEvent[];
    expect(events.length).toBeGreaterThan(10);
    expect(events[0].code).toBe('WEIR_RUN_START');
    expect(events[events.length - 1]).toMatchObject({ code: 'WEIR_RUN_END', success: false, counts: { success: 4, error: 3, skipped: 2, pass: 1, fail: 1, warn: 1 } });
    const finishes = events.filter((e) => e.code === 'WEIR_NODE_FINISH');
    expect(finishes).toHaveLength(12);
    for (const e of finishes) {
      expect(e).toMatchObject({ node_id: expect.stringMatching(/^(model|seed|test)\.st\./), status: expect.any(String), execution_time: expect.any(Number), ts: expect.any(String) });
    }
    expect(finishes.find((e) => e.node_id === 'model.st.broken')).toMatchObject({ level: 'error', status: 'error' });
    const starts = events.filter((e) => e.code === 'WEIR_NODE_START');
    expect(starts.length).toBe(finishes.filter((e) => e.status !== 'skipped').length);
    expect(res.stderr).toBe('');
  });

  it('a project error with --log-format json is a WEIR_ERROR line with error_code and file', async () => {
    const d2 = await makeProject({ 'models/m.sql': 'select * from {{ref "nope"}}' });
    const r = await runCli(['run', '--log-format', 'json'], d2);
    expect(r.code).toBe(2);
    const [e] = jsonLines(r.stdout);
    expect(e).toMatchObject({ code: 'WEIR_ERROR', level: 'error', error_code: 'WEIR_REF_NOT_FOUND', file: 'models/m.sql', line: 1 });
  });
});

describe('secrets', () => {
  const walk = (d: string): string[] => readdirSync(d).flatMap((f) => {
    const p = path.join(d, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });

  it('compiled SQL files in target/compiled are redacted too (the engine got the real value)', () => {
    const files = walk(path.join(dir, 'target', 'compiled')).filter((p) => p.endsWith('.sql'));
    const leaky = files.find((f) => f.endsWith('leaky_token.sql'))!;
    expect(readFileSync(leaky, 'utf8')).toContain("'***'");
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect(text, f).not.toContain(PASSWORD);
      expect(text, f).not.toContain(TOKEN);
    }
  });

  it('the engine error mentions the value, but logs and target/*.json never do', () => {
    const leaky = jsonLines(res.stdout).find((e) => e.node_id === 'model.st.leaky' && e.code === 'WEIR_NODE_FINISH');
    expect(String(leaky?.message)).toMatch(/Could not convert string '\*\*\*'/);
    expect(res.stdout).not.toContain(PASSWORD);
    expect(res.stdout).not.toContain(TOKEN);
    for (const f of walk(path.join(dir, 'target')).filter((p) => p.endsWith('.json'))) {
      const text = readFileSync(f, 'utf8');
      expect(text, f).not.toContain(PASSWORD);
      expect(text, f).not.toContain(TOKEN);
    }
  });

  it('text logs are redacted too', async () => {
    const r = await runCli(['run', '--select', 'leaky leaky_token'], dir, env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ERROR model.st.leaky');
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });

  it('through the API: events, results and the project redactor', async () => {
    const project = await WeirProject.load({ projectDir: dir, env });
    expect(project.redact(`x ${PASSWORD} y`)).toBe('x *** y');
    const events: WeirEvent[] = [];
    const summary = await project.run({ select: ['leaky', 'leaky_token'], reporter: { emit: (e) => events.push(e) } });
    expect(summary.counts.error).toBe(2);
    expect(JSON.stringify(events)).not.toContain(PASSWORD);
    expect(JSON.stringify(events)).not.toContain(TOKEN);
    expect(JSON.stringify(summary.results)).not.toContain(PASSWORD);
    expect(JSON.stringify(summary.results)).not.toContain(TOKEN);
    const facts = await project.debug();
    expect(JSON.stringify(facts)).not.toContain(PASSWORD);
  });
});
