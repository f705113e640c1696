/**
 * The run lock in-process: atomic creation under a race, holders on other hosts, corrupt lock files,
 * stale locks of dead pids (cleared exactly once under a race), and release removing only its own lock.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireRunLock, readLock, RUN_LOCK_FILE, runLockCommand } from '../../../../src/execution/invocation/run-lock.js';
import { WeirError } from '../../../../src/errors/weir-error.js';

let dir: string;
beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'weir-lock-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const file = () => path.join(dir, RUN_LOCK_FILE);

/** A pid that certainly belonged to a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('acquireRunLock', () => {
  it('writes holder facts, refuses a second holder with WEIR_RUN_LOCKED (exit 2), and releases', async () => {
    const lock = await acquireRunLock(dir, { command: 'weir build' });
    expect(readLock(file())).toMatchObject({ pid: process.pid, hostname: os.hostname(), command: 'weir build' });
    const err = await acquireRunLock(dir, { command: 'weir run' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeirError);
    expect(err).toMatchObject({ code: 'WEIR_RUN_LOCKED', exitCode: 2 });
    expect((err as WeirError).message).toContain(`pid ${process.pid} on host ${os.hostname()}, \`weir build\``);
    lock.release();
    lock.release(); // idempotent
    expect(existsSync(file())).toBe(false);
  });

  it('exactly one of many concurrent attempts wins', async () => {
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => acquireRunLock(dir, { command: `weir run ${i}` })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'WEIR_RUN_LOCKED' });
  });

  it('waits for a holder that releases within the timeout, telling onWait who holds it', async () => {
    const first = await acquireRunLock(dir, { command: 'weir seed' });
    setTimeout(() => first.release(), 300);
    const seen: unknown[] = [];
    const second = await acquireRunLock(dir, { command: 'weir run', timeoutSeconds: 10, pollMs: 50, onWait: (h) => seen.push(h?.command) });
    expect(seen).toEqual(['weir seed']);
    expect(readLock(file())).toMatchObject({ command: 'weir run' });
    second.release();
  });

  it('clears a stale lock of a dead pid once, even when several attempts race for it', async () => {
    const pid = deadPid();
    writeFileSync(file(), JSON.stringify({ pid, hostname: os.hostname(), started_at: '2026-01-01T00:00:00Z', command: 'weir build', lock_id: 'dead' }));
    const stale: string[] = [];
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => acquireRunLock(dir, { command: 'weir run', onStale: (h, _f, reason) => stale.push(`${h?.pid}: ${reason}`) })));
    expect(stale).toEqual([`${pid}: process ${pid} is no longer running`]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(existsSync(`${file()}.break`)).toBe(false);
  });

  it('never treats a lock from another host as stale, and names that host', async () => {
    writeFileSync(file(), JSON.stringify({ pid: deadPid(), hostname: 'other-host.example', started_at: new Date().toISOString(), command: 'weir build', lock_id: 'x' }));
    const err = (await acquireRunLock(dir, { command: 'weir run' }).catch((e: unknown) => e)) as WeirError;
    expect(err.code).toBe('WEIR_RUN_LOCKED');
    expect(err.message).toContain('on host other-host.example');
    expect(err.hint).toContain(`If no such process exists on other-host.example, delete ${file()}`);
  });

  it('treats a corrupt lock file as held while fresh and as stale after 10 s', async () => {
    writeFileSync(file(), '{not json');
    await expect(acquireRunLock(dir, { command: 'weir run' })).rejects.toMatchObject({ code: 'WEIR_RUN_LOCKED', message: expect.stringContaining('unknown holder') });
    const old = new Date(Date.now() - 60_000);
    utimesSync(file(), old, old);
    const reasons: string[] = [];
    const lock = await acquireRunLock(dir, { command: 'weir run', onStale: (_h, _f, r) => reasons.push(r) });
    expect(reasons).toEqual(['the lock file is unreadable']);
    lock.release();
  });

  it('release leaves a lock that is no longer its own', async () => {
    const lock = await acquireRunLock(dir, { command: 'weir run' });
    writeFileSync(file(), JSON.stringify({ ...JSON.parse(readFileSync(file(), 'utf8')), lock_id: 'someone-else' }));
    lock.release();
    expect(existsSync(file())).toBe(true);
  });

  it('names runs as typed', () => {
    expect(runLockCommand('build', { select: ['tag:nightly', '+x'], exclude: ['y'] })).toBe('weir build --select tag:nightly +x --exclude y');
  });
});
