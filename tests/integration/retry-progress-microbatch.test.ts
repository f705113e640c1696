/**
 * Smaller fixes: `weir retry` after a failing test whose unique_id changed (its arguments were edited)
 * retries the renamed test instead of exiting 0 without running it; an incremental microbatch run whose
 * --event-time-end lies before its window warns instead of silently processing 0 batches.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject, runCli, writeFiles } from '../helpers/project.js';

afterAll(cleanupProjects);
const out = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;

describe('weir retry after a test was renamed', () => {
  it('retries the test that replaced a failing one (edited arguments change its id)', async () => {
    const schema = (values: string) => `version: 2\nmodels:\n  - name: m\n    columns:\n      - name: status\n        tests:\n          - accepted_values: {values: [${values}]}\n`;
    const dir = await makeProject({
      'models/m.sql': "select 'paid' as status union all select 'open'\n",
      'models/schema.yml': schema('paid'),
    });
    const first = await runCli(['build'], dir);
    expect(first.code).toBe(1);
    writeFiles(dir, { 'models/schema.yml': schema('paid, open') });
    const again = await runCli(['retry'], dir);
    expect(again.code, out(again)).toBe(0);
    expect(out(again)).toMatch(/test\.t\.accepted_values_m_status_\w+ is now test\.t\.accepted_values_m_status_\w+ \(its arguments changed\)/);
    const rr = JSON.parse(readFileSync(`${dir}/target/run_results.json`, 'utf8')) as { results: { unique_id: string; status: string }[] };
    expect(rr.results.map((r) => r.status)).toEqual(['pass']);
  });

  it('a failing test that left the project without a replacement: warned, and the retry exits 1', async () => {
    const dir = await makeProject({
      'models/m.sql': 'select null as id\n',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        tests: [not_null]\n',
    });
    expect((await runCli(['build'], dir)).code).toBe(1);
    writeFiles(dir, { 'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n' });
    const again = await runCli(['retry'], dir);
    expect(again.code).toBe(1);
    expect(out(again)).toContain("test.t.not_null_m_id failed in the previous run and is no longer in the project: it can't be retried");
  });
});

describe('microbatch with --event-time-end in the past', () => {
  it('warns that the window is empty instead of processing 0 batches silently', async () => {
    const dir = await makeProject({
      'seeds/ev.csv': 'id,ts\n1,2024-01-01 10:00:00\n2,2024-01-02 11:00:00\n',
      'models/mb.sql': '{{config materialized="incremental" incremental_strategy="microbatch" event_time="ts" batch_size="day" begin="2024-01-01"}}\nselect id, ts from {{ref "ev"}}\n',
    });
    expect((await runCli(['seed'], dir)).code).toBe(0);
    expect((await runCli(['run', '--event-time-end', '2024-01-03'], dir)).code).toBe(0);
    const r = await runCli(['run', '--event-time-end', '2024-01-02'], dir);
    expect(r.code, out(r)).toBe(0);
    expect(out(r)).toContain("model 'mb': no microbatch to process — the window [");
    expect(out(r)).toContain(', 2024-01-02) is empty');
    expect(out(r)).toContain('pass --event-time-start too');
    const json = await runCli(['run', '--event-time-end', '2024-01-02', '--log-format', 'json'], dir);
    expect(json.stdout).toMatch(/"code":"WEIR_WARNING".*no microbatch to process/);
  });
});
