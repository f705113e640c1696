/**
 * Signals and exit codes with the real CLI (bin/weir.js spawned), on DuckDB and both protocol servers
 * (tests/servers: DuckDB behind the Trino and Snowflake client protocols, not those engines):
 * - SIGTERM / SIGINT during a run cancel the running query (DuckDB interrupt, Trino DELETE, Snowflake
 *   abort-request), record unfinished nodes as cancelled in run_results.json, release the lock, exit 143/130;
 * - `weir retry` after such a stop, and after a SIGKILL (no run_results.json written), re-runs exactly
 *   the nodes that did not finish;
 * - a closed stdout stops the logging but not the build, and never changes the exit code.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, jsonLines, makeProject } from '../helpers/project.js';
import { requireDist, spawnWeir, waitFor, weirExec, type WeirChild } from '../helpers/spawn-weir.js';
import { startEngines, TARGETS, type Engines } from '../helpers/engines.js';

let engines: Engines;
let dir: string;

interface Result { unique_id: string; status: string; message: string | null; adapter_response: { code?: string } }
const runResults = () => JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as { results: Result[]; args: Record<string, unknown> };
const byId = (rs: Result[]) => Object.fromEntries(rs.map((r) => [r.unique_id.split('.').pop()!, r]));

beforeAll(async () => {
  requireDist();
  engines = await startEngines();
  dir = await makeProject({
    'project.yaml': `name: t\ntarget: dev\n${engines.targetsYaml()}`,
    // `slow` counts a 4-way cross join of 1,000 rows (10^12 rows: it never finishes) unless --vars makes
    // it short; plain SQL, so that every engine's grammar takes it.
    'seeds/nums.csv': `i\n${Array.from({ length: 1000 }, (_, i) => i + 1).join('\n')}\n`,
    'models/fast.sql': '{{config materialized="table"}}select 1 as x',
    'models/slow.sql': `{{config materialized="table"}}select count(*) as n from {{ref "nums"}} a cross join {{ref "nums"}} b cross join {{ref "nums"}} c cross join {{ref "nums"}} d
where a.i <= {{var "n" 1000}} and b.i <= {{var "n" 1000}} and c.i <= {{var "n" 1000}} and d.i <= {{var "n" 1000}}`,
    'models/after_slow.sql': '{{config materialized="table"}}select n + 1 as m from {{ref "slow"}}',
    'models/broken.sql': '{{config materialized="table"}}select * from no_such_table',
  });
});
afterAll(async () => {
  cleanupProjects();
  await engines?.close();
});

/** Starts `weir run` on a target and resolves once `slow` is running (its start event was printed). */
async function runUntilSlow(target: string): Promise<WeirChild> {
  const w = spawnWeir(['run', '--target', target, '--log-format', 'json', '--threads', '2', '--exclude', 'broken'], dir, engines.env);
  const fastDone = () => jsonLines(w.stdout.slice(0, w.stdout.lastIndexOf('\n') + 1)).some((e) => e.code === 'WEIR_NODE_FINISH' && e.node_id === 'model.t.fast');
  await waitFor(() => (w.stdout.includes('"node_id":"model.t.slow"') && fastDone()) || w.child.exitCode !== null, 'slow to start (and fast to finish)', 60_000);
  expect(w.child.exitCode, w.stdout + w.stderr).toBeNull();
  // Give the engine a moment to be inside the query (the start event precedes the statement).
  await new Promise((r) => setTimeout(r, 400));
  return w;
}

describe.each(TARGETS)('signals on target %s', (target) => {
  it('seeds', async () => {
    const r = await weirExec(['seed', '--target', target], dir, engines.env);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('SIGTERM cancels the running query, records what did not finish, releases the lock and exits 143', async () => {
    const trinoDeletes = engines.trino.requests.filter((r) => r.method === 'DELETE').length;
    const w = await runUntilSlow(target);
    const t0 = Date.now();
    w.child.kill('SIGTERM');
    expect(await w.exited, w.stdout + w.stderr).toBe(143);
    expect(Date.now() - t0).toBeLessThan(20_000);
    const r = byId(runResults().results);
    expect(r.slow).toMatchObject({ status: 'error', adapter_response: { code: 'WEIR_CANCELLED' } });
    expect(r.slow.message).toMatch(/^cancelled: SIGTERM received while it ran/);
    expect(r.after_slow).toMatchObject({ status: 'error', adapter_response: { code: 'WEIR_CANCELLED' } });
    expect(r.after_slow.message).toMatch(/before it started/);
    expect(r.fast.status).toBe('success');
    expect(runResults().args.cancelled_by).toBe('SIGTERM');
    expect(existsSync(path.join(dir, 'target/weir.lock'))).toBe(false);
    expect(jsonLines(w.stdout).some((e) => e.code === 'WEIR_WARNING' && String(e.message).startsWith('SIGTERM received'))).toBe(true);
    if (target === 'trino') expect(engines.trino.requests.filter((q) => q.method === 'DELETE').length).toBeGreaterThan(trinoDeletes);

    // retry re-runs exactly what did not finish
    const retry = await weirExec(['retry', '--vars', '{n: 10}'], dir, engines.env);
    expect(retry.code, retry.stdout + retry.stderr).toBe(0);
    expect(retry.stdout).toContain('retrying 2 nodes');
    expect(Object.keys(byId(runResults().results)).sort()).toEqual(['after_slow', 'slow']);
  });

  it('SIGINT exits 130; after a SIGKILL (no run_results.json) retry re-runs what did not finish', async () => {
    const w = await runUntilSlow(target);
    w.child.kill('SIGINT');
    expect(await w.exited).toBe(130);
    expect(byId(runResults().results).slow.message).toMatch(/^cancelled: SIGINT/);

    // A SIGKILLed client cannot cancel its query: on Trino and Snowflake it runs on until the engine
    // abandons it (Trino's query.client.timeout, Snowflake's ABORT_DETACHED_QUERY), so this part runs on
    // DuckDB, where the query dies with the process.
    if (target !== 'dev') return;
    const k = await runUntilSlow(target);
    const before = readFileSync(path.join(dir, 'target/run_results.json'), 'utf8');
    k.child.kill('SIGKILL');
    await k.exited;
    expect(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')).toBe(before); // the killed run wrote none
    const retry = await weirExec(['retry', '--vars', '{n: 10}'], dir, engines.env);
    expect(retry.code, retry.stdout + retry.stderr).toBe(0);
    expect(retry.stdout + retry.stderr).toContain('was interrupted before it finished');
    const rerun = Object.keys(byId(runResults().results)).sort();
    expect(rerun).toContain('slow');
    expect(rerun).toContain('after_slow');
    expect(rerun).not.toContain('broken'); // excluded by the killed run's selection
  });
});

describe('a closed stdout', () => {
  it('stops the logging, not the build, and keeps the exit code (1 for a failing model)', async () => {
    const w = spawnWeir(['build', '--vars', '{n: 10}'], dir, engines.env);
    await waitFor(() => w.stdout.length > 0 || w.child.exitCode !== null, 'first output');
    w.child.stdout!.destroy(); // the reader goes away (EPIPE on the next write)
    const code = await w.exited;
    expect(code, w.stderr + readFileSync(path.join(dir, 'target/run_results.json'), 'utf8').slice(0, 3000)).toBe(1);
    const r = byId(runResults().results);
    expect(r.broken.status).toBe('error');
    expect(r.after_slow.status).toBe('success'); // the build went on to the end
  });
});
