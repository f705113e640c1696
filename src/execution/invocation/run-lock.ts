/**
 * The run lock: one writing Weir command (seed, run, test, build, snapshot) per target directory at a
 * time, so an overlapping cron or Airflow run waits or stops cleanly instead of failing halfway.
 *
 * The lock is `<target dir>/weir.lock`, a JSON file holding the holder's pid, hostname, start time,
 * command and the process's start time (Linux: field 22 of `/proc/<pid>/stat`, to tell a reused pid from
 * the holder). It is created atomically: the content is written to a private temporary file which is then
 * hard-linked to `weir.lock` (`link(2)` fails with EEXIST when the lock exists, like `O_EXCL`, and a reader
 * never sees a half-written lock). A lock whose holder is dead on this host is stale: it is removed under a
 * second, short-lived guard lock (`weir.lock.break`) after re-reading it, so two processes clearing the
 * same stale lock can't remove a fresh one.
 */
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { WeirError } from '../../errors/weir-error.js';
import { now, type Reporter } from '../../events/events.js';
import { processAlive, removeStaleTempFiles } from '../../utils/write-file.js';

/** What the lock file holds. */
export interface RunLockInfo {
  readonly pid: number;
  readonly hostname: string;
  /** ISO-8601 UTC. */
  readonly started_at: string;
  /** e.g. `weir build --select tag:nightly`. */
  readonly command: string;
  /** Random id of this acquisition (so a process only ever removes its own lock). */
  readonly lock_id: string;
  /** Process start time in clock ticks since boot (Linux), when known. */
  readonly process_start?: string;
}

/** Options of {@link acquireRunLock}. */
export interface RunLockOptions {
  /** Shown to whoever finds the lock taken. */
  readonly command: string;
  /** Seconds to wait for a held lock; 0 (default) fails at once. */
  readonly timeoutSeconds?: number;
  /** Polling interval while waiting, ms (default 500). */
  readonly pollMs?: number;
  /** Called once when the lock is held by someone else and we start waiting. */
  readonly onWait?: (holder: RunLockInfo | undefined, lockFile: string) => void;
  /** Called when a stale lock (dead holder on this host) was removed. */
  readonly onStale?: (holder: RunLockInfo | undefined, lockFile: string, reason: string) => void;
}

/** A held lock. */
export interface RunLock {
  readonly file: string;
  readonly info: RunLockInfo;
  /** Removes the lock if it is still ours. Idempotent. */
  release(): void;
}

/** File name of the run lock inside the target directory. */
export const RUN_LOCK_FILE = 'weir.lock';

/**
 * Takes the run lock of a target directory, waiting up to `timeoutSeconds` for another holder.
 * @throws WeirError `WEIR_RUN_LOCKED` (exit code 2) naming the holder when the lock stays taken
 */
export async function acquireRunLock(targetDir: string, o: RunLockOptions): Promise<RunLock> {
  mkdirSync(targetDir, { recursive: true });
  const file = path.join(targetDir, RUN_LOCK_FILE);
  const info: RunLockInfo = {
    pid: process.pid, hostname: os.hostname(), started_at: new Date().toISOString(), command: o.command,
    lock_id: randomUUID(), process_start: processStartTime(process.pid),
  };
  const deadline = Date.now() + Math.max(0, o.timeoutSeconds ?? 0) * 1000;
  let waited = false;
  for (;;) {
    if (tryCreate(file, info)) {
      // Temporary lock files (`weir.lock.[break.]<pid>.<id>.tmp`) of processes killed between writing and linking.
      removeStaleTempFiles(file, /^(?:break\.)?(\d+)\.[0-9a-f]{8}\.tmp$/);
      return held(file, info);
    }
    const holder = readLock(file);
    if (holder === 'missing') continue; // released between our attempt and the read: try again
    const stale = staleReason(holder, file);
    if (stale) {
      if (breakStaleLock(file, holder)) o.onStale?.(holder ?? undefined, file, stale);
      else await new Promise((r) => setTimeout(r, 50)); // another process is clearing it
      continue;
    }
    if (Date.now() >= deadline) throw lockedError(file, holder ?? undefined, o.timeoutSeconds ?? 0);
    if (!waited) {
      waited = true;
      o.onWait?.(holder ?? undefined, file);
    }
    await new Promise((r) => setTimeout(r, Math.min(o.pollMs ?? 500, Math.max(10, deadline - Date.now()))));
  }
}

/** Reads a lock file: its info, `null` when it is unreadable/corrupt, `'missing'` when there is none. */
export function readLock(file: string): RunLockInfo | null | 'missing' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    return null;
  }
  try {
    const v = JSON.parse(text) as RunLockInfo;
    return typeof v.pid === 'number' && typeof v.hostname === 'string' ? v : null;
  } catch {
    return null;
  }
}

/**
 * Why a lock is stale, or undefined when its holder may be alive. A lock is stale when its holder ran on
 * this host and that pid is gone (or now belongs to a process started at another time); a corrupt lock
 * file is stale once it is older than 10 s (creation is atomic, so only a damaged file is corrupt).
 */
function staleReason(holder: RunLockInfo | null, file: string): string | undefined {
  if (holder === null) {
    try {
      return Date.now() - statSync(file).mtimeMs > 10_000 ? 'the lock file is unreadable' : undefined;
    } catch {
      return undefined;
    }
  }
  if (holder.hostname !== os.hostname()) return undefined; // can't see processes on other hosts
  if (!processAlive(holder.pid)) return `process ${holder.pid} is no longer running`;
  if (holder.process_start !== undefined) {
    const now = processStartTime(holder.pid);
    if (now !== undefined && now !== holder.process_start) return `process ${holder.pid} is no longer running (the pid was reused)`;
  }
  return undefined;
}

/** Whether a process exists (signal 0; EPERM means it exists but belongs to another user). */

/** Start time of a process in clock ticks since boot (`/proc/<pid>/stat` field 22), or undefined off Linux. */
function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is parenthesised and may contain spaces: split after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[19]; // fields 3.. → index 0 is field 3, so field 22 is index 19
  } catch {
    return undefined;
  }
}

/** Atomically creates `file` with `info` (write a private file, then link it). @returns false if it exists */
function tryCreate(file: string, info: RunLockInfo): boolean {
  const tmp = `${file}.${process.pid}.${info.lock_id.slice(0, 8)}.tmp`;
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    writeSync(fd, `${JSON.stringify(info, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new WeirError('WEIR_INTERNAL', `cannot create the run lock ${file}: ${(e as Error).message}`, { cause: e });
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Removes a stale lock under the guard lock `<file>.break`, after checking that the lock still holds what
 * was judged stale. @returns whether it removed the lock
 */
function breakStaleLock(file: string, stale: RunLockInfo | null): boolean {
  const guard = `${file}.break`;
  const mine: RunLockInfo = { pid: process.pid, hostname: os.hostname(), started_at: new Date().toISOString(), command: 'clearing a stale run lock', lock_id: randomUUID(), process_start: processStartTime(process.pid) };
  if (!tryCreate(guard, mine)) {
    // Someone else is clearing it; if that clearer died, remove its guard (it only ever lives for a moment).
    const g = readLock(guard);
    if (g !== 'missing' && staleReason(g, guard)) {
      try {
        unlinkSync(guard);
      } catch {
        /* gone */
      }
    }
    return false;
  }
  try {
    const now = readLock(file);
    const same = now === 'missing' ? false : now === null ? stale === null : stale !== null && now.lock_id === stale.lock_id;
    if (!same) return false;
    unlinkSync(file);
    return true;
  } catch {
    return false;
  } finally {
    try {
      unlinkSync(guard);
    } catch {
      /* gone */
    }
  }
}

function held(file: string, info: RunLockInfo): RunLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    const now = readLock(file);
    if (now !== 'missing' && now !== null && now.lock_id === info.lock_id) {
      try {
        unlinkSync(file);
      } catch {
        /* gone */
      }
    }
  };
  // A process that exits without reaching `release` (process.exit) still removes its lock.
  process.on('exit', release);
  return { file, info, release };
}

function lockedError(file: string, holder: RunLockInfo | undefined, timeout: number): WeirError {
  const who = holder
    ? `pid ${holder.pid} on host ${holder.hostname}, \`${holder.command}\`, started ${holder.started_at} (${ago(holder.started_at)})`
    : 'an unknown holder (the lock file is unreadable)';
  return new WeirError('WEIR_RUN_LOCKED', `another Weir run holds the run lock ${file}: ${who}${timeout > 0 ? `; waited ${timeout}s` : ''}`, {
    hint: `Wait for that run to finish, or pass --lock-timeout SECONDS to wait for it. If no such process exists${holder && holder.hostname !== os.hostname() ? ` on ${holder.hostname}` : ''}, delete ${file}.`,
  });
}

function ago(iso: string): string {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return s < 120 ? `${s}s ago` : s < 7200 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
}

/** Holder fields of a lock event. */
function holderFields(file: string, h: RunLockInfo | undefined) {
  return { lock_file: file, holder_pid: h?.pid, holder_host: h?.hostname, holder_command: h?.command, holder_started_at: h?.started_at };
}

/**
 * Takes the run lock for a command, reporting waits (`WEIR_LOCK_WAIT`) and removed stale locks
 * (`WEIR_LOCK_STALE`, a warning) through the reporter.
 * @param command the command as a user would type it, e.g. `weir build --select tag:nightly`
 * @throws WeirError `WEIR_RUN_LOCKED` when the lock stays held for `timeoutSeconds`
 */
export function takeRunLock(targetDir: string, command: string, timeoutSeconds: number | undefined, reporter: Reporter): Promise<RunLock> {
  const timeout = timeoutSeconds ?? 0;
  return acquireRunLock(targetDir, {
    command, timeoutSeconds: timeout,
    onWait: (h, file) => reporter.emit({ code: 'WEIR_LOCK_WAIT', ts: now(), level: 'info', ...holderFields(file, h), timeout }),
    onStale: (h, file, reason) => reporter.emit({ code: 'WEIR_LOCK_STALE', ts: now(), level: 'warn', ...holderFields(file, h), reason }),
  });
}

/** `weir <command> [--select ...] [--exclude ...]`: how a run is named in the lock file. */
export function runLockCommand(command: string, args: { readonly select?: readonly string[]; readonly exclude?: readonly string[] }): string {
  return ['weir', command, ...(args.select?.length ? ['--select', ...args.select] : []), ...(args.exclude?.length ? ['--exclude', ...args.exclude] : [])].join(' ');
}

