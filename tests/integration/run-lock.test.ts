/**
 * The run lock with real second processes: a spawned `weir run` holds the lock (blocked inside a model by a
 * gate UDF) while other spawned runs exit 2 naming it, wait for it with --lock-timeout, time out, and
 * clear the stale lock a SIGKILLed holder leaves behind.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, jsonLines, makeProject } from '../helpers/project.js';
import { GATE_UDF, requireDist, spawnWeir, waitFor, weirExec, type WeirChild } from '../helpers/spawn-weir.js';

let dir: string;
const lockFile = () => path.join(dir, 'target/weir.lock');
const started = (g: string) => existsSync(path.join(dir, 'gates', `${g}.started`));
const open = (g: string) => writeFileSync(path.join(dir, 'gates', `${g}.open`), '');

/** Spawns a run held inside model `slow` until gate `g` opens; resolves once the model is running. */
async function holder(g: string): Promise<WeirChild> {
  const h = spawnWeir(['run', '--select', 'slow', '--vars', `{gate: ${g}}`], dir);
  await waitFor(() => started(g) || h.child.exitCode !== null, `holder ${g} to start`);
  expect(h.child.exitCode, h.stdout + h.stderr).toBeNull();
  return h;
}

beforeAll(async () => {
  requireDist();
  dir = await makeProject({
    'udfs/gate.ts': GATE_UDF,
    'models/slow.sql': '{{config materialized="table"}}select gate({{literal (var "gate" "g")}}) as x',
    'models/other.sql': '{{config materialized="table"}}select 42 as answer',
    'macros/noop.sql': 'select 1 as one',
  });
});
afterAll(cleanupProjects);

describe('run lock (spawned processes)', () => {
  it('an overlapping run exits 2 naming the holder; with --lock-timeout it waits and then runs', async () => {
    const h = await holder('g1');
    const info = JSON.parse(readFileSync(lockFile(), 'utf8')) as Record<string, unknown>;
    expect(info).toMatchObject({ pid: h.child.pid, command: 'weir run --select slow' });
    expect(typeof info.hostname).toBe('string');
    expect(Date.parse(String(info.started_at))).toBeGreaterThan(Date.now() - 120_000);

    const second = await weirExec(['run', '--select', 'other'], dir);
    expect(second.code).toBe(2);
    expect(second.stdout + second.stderr).toContain(`another Weir run holds the run lock ${lockFile()}: pid ${h.child.pid} on host`);
    expect(second.stdout + second.stderr).toContain('`weir run --select slow`');
    expect(second.stdout + second.stderr).toContain('--lock-timeout');

    const waiter = spawnWeir(['run', '--select', 'other', '--lock-timeout', '60', '--log-format', 'json'], dir);
    await waitFor(() => waiter.stdout.includes('WEIR_LOCK_WAIT'), 'the waiter to report WEIR_LOCK_WAIT');
    const wait = jsonLines(waiter.stdout).find((e) => e.code === 'WEIR_LOCK_WAIT')!;
    expect(wait).toMatchObject({ level: 'info', holder_pid: h.child.pid, holder_command: 'weir run --select slow', timeout: 60, lock_file: lockFile() });
    expect(waiter.child.exitCode).toBeNull(); // still waiting
    open('g1');
    expect(await h.exited).toBe(0);
    expect(await waiter.exited, waiter.stdout + waiter.stderr).toBe(0);
    expect(jsonLines(waiter.stdout).find((e) => e.code === 'WEIR_RUN_END')).toMatchObject({ success: true });
    expect(existsSync(lockFile())).toBe(false);
  });

  it('gives up after --lock-timeout seconds with exit 2', async () => {
    const h = await holder('g2');
    const t0 = Date.now();
    const r = await weirExec(['run', '--select', 'other', '--lock-timeout', '1'], dir);
    expect(r.code).toBe(2);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(r.stdout + r.stderr).toMatch(/another Weir run holds the run lock .*; waited 1s/);
    open('g2');
    expect(await h.exited).toBe(0);
  });

  it('a SIGKILLed holder leaves a stale lock that the next run clears with a warning', async () => {
    const h = await holder('g3');
    const pid = h.child.pid!;
    h.child.kill('SIGKILL');
    await h.exited;
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ pid }); // left behind
    const r = await weirExec(['run', '--select', 'other', '--log-format', 'json'], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const stale = jsonLines(r.stdout).find((e) => e.code === 'WEIR_LOCK_STALE');
    expect(stale).toMatchObject({ level: 'warn', holder_pid: pid, holder_command: 'weir run --select slow', reason: `process ${pid} is no longer running` });
    expect(existsSync(lockFile())).toBe(false);
    // The text reporter says the same in words.
    const again = await holder('g4');
    again.child.kill('SIGKILL');
    await again.exited;
    const text = await weirExec(['run', '--select', 'other'], dir);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`WARN removed a stale run lock ${lockFile()} of pid ${again.child.pid}`);
  });

  it('run-operation takes the lock; a command that only reads (ls) does not', async () => {
    const h = await holder('g5');
    const r = await weirExec(['ls', '--select', 'other'], dir);
    expect(r).toMatchObject({ code: 0 });
    expect(r.stdout).toContain('t.other');
    const op = await weirExec(['run-operation', 'noop'], dir);
    expect(op.code).toBe(2);
    expect(op.stdout + op.stderr).toContain(`another Weir run holds the run lock ${lockFile()}: pid ${h.child.pid}`);
    open('g5');
    expect(await h.exited).toBe(0);
  });
});
