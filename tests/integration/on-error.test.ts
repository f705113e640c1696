/**
 * dbt 1.12's `on_error: continue | skip_children` per model (https://docs.getdbt.com/reference/resource-configs/on_error):
 * a failed model with `continue` lets its children run; `skip_children` (default) wins when a child has
 * both kinds of failed parents; --fail-fast wins over `continue`; the run still fails.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupProjects, loadErrors, makeProject, runCli, writeFiles } from '../helpers/project.js';

afterAll(cleanupProjects);

const statuses = (dir: string) => Object.fromEntries((JSON.parse(readFileSync(`${dir}/target/run_results.json`, 'utf8')) as { results: { unique_id: string; status: string }[] }).results.map((r) => [r.unique_id.replace('model.t.', ''), r.status]));

describe('on_error', () => {
  it('continue runs the children of a failed model; skip_children still skips; the run fails', async () => {
    const dir = await makeProject({
      'models/a.sql': '{{config materialized="table" on_error="continue"}}\nselect 1 as id\n',
      'models/c.sql': 'select 1 as id\n',
      'models/b.sql': 'select id from {{ref "a"}}\n',
      'models/d.sql': 'select id from {{ref "c"}}\n',
      'models/e.sql': 'select a.id from {{ref "a"}} a join {{ref "c"}} c using (id)\n',
    });
    expect((await runCli(['run'], dir)).code).toBe(0);
    writeFiles(dir, {
      'models/a.sql': '{{config materialized="table" on_error="continue"}}\nselect nope as id\n',
      'models/c.sql': '{{config on_error="skip_children"}}\nselect nope as id\n',
    });
    const r = await runCli(['run'], dir);
    expect(r.code).toBe(1);
    expect(statuses(dir)).toEqual({ a: 'error', c: 'error', b: 'success', d: 'skipped', e: 'skipped' });
    // b read the table a kept from the first run.
    expect((await runCli(['query', 'select id from {{ref "b"}}', '--format', 'csv'], dir)).stdout).toBe('id\n1\n');
    const ff = await runCli(['run', '--fail-fast', '--threads', '1', '--select', 'a+'], dir);
    expect(ff.code).toBe(1);
    expect(statuses(dir).b).toBe('skipped');
  });

  it('a bad value, or on_error on a seed, is refused at parse time', async () => {
    const errs = await loadErrors({
      'models/a.sql': '{{config on_error="ignore"}}\nselect 1 as id\n',
      'seeds/s.csv': 'x\n1\n',
      'seeds/s.yml': 'version: 2\nseeds:\n  - name: s\n    config: {on_error: continue}\n',
    });
    expect(errs.some((e) => e.message.includes("seed 's': unknown config 'on_error'"))).toBe(true);
  });

  it('on_error values are checked', async () => {
    const errs = await loadErrors({ 'models/a.sql': '{{config on_error="ignore"}}\nselect 1 as id\n' });
    expect(errs.map((e) => e.message)).toContain(`model 'a': on_error must be skip_children or continue, got "ignore"`);
  });
});
