/**
 * Writing many small output files (compiled SQL) quickly. Each `compile`/`run` rewrites one file per node,
 * usually with the same text as last time. `writeFileSync` truncates to zero and rewrites, and on ext4 that
 * pattern triggers the replace-via-truncate heuristic (`auto_da_alloc`: blocks are allocated and flushed on
 * close), which made rewriting 30,000 compiled files take seconds. Here an unchanged file is left alone
 * (one read), and a changed one is overwritten in place and then truncated to its new length.
 */
import { type Stats, closeSync, fchmodSync, fstatSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * File mode of files that may hold warehouse data or SQL with values in it (compiled SQL, manifest,
 * run results, docs data): readable by the owner only, since target/ often sits on shared machines.
 */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Writes `data` to `file` atomically: to `<file>.<pid>.tmp` (created with `mode` when given), then renamed
 * over `file`, so a reader sees the old file or the new one, never half of one. Creates missing parent
 * folders. A temp file a killed process left is removed by {@link removeStaleTempFiles}.
 * @throws the file system's error (permissions, disk full); the temp file may then remain
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode?: number): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data, mode === undefined ? undefined : { mode });
  renameSync(tmp, file);
}

/**
 * Writes `text` (a string, written as UTF-8, or the bytes) to `file` unless it already holds exactly that;
 * creates missing parent folders.
 * @param mode permissions of the file (default {@link PRIVATE_FILE_MODE}); an existing file with other
 *   permissions gets these even when its text is unchanged
 * @param onStat receives the file's stats once it holds `text` (from the open file: no extra lookup); not
 *   called when an unchanged file's mode could not be checked
 * @returns whether the file was written
 * @throws the file system's error (permissions, disk full)
 */
export function writeFileIfChanged(file: string, text: string | Buffer, mode: number = PRIVATE_FILE_MODE, onStat?: (st: Stats) => void): boolean {
  const data = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  // One open for the comparison, the mode and the rewrite (a run writes one compiled file per node).
  let fd: number;
  try {
    fd = openSync(file, 'r+');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return writeNew(file, data, mode, onStat);
    // Not openable for reading and writing (read-only file or file system, a folder): compared by reading,
    // so an unchanged file is still left alone and a changed one gets the file system's own error.
    return writeByName(file, data, mode, onStat);
  }
  try {
    const st = fstatSync(fd);
    if (st.size === data.length && readAll(fd, st.size).equals(data)) {
      if ((st.mode & 0o777) === mode) onStat?.(st);
      else if (fixModeFd(fd, mode) && onStat) onStat(fstatSync(fd));
      return false;
    }
    if ((st.mode & 0o777) !== mode) fchmodSync(fd, mode);
    writeAll(fd, data);
    if (st.size > data.length) ftruncateSync(fd, data.length);
    if (onStat) onStat(fstatSync(fd));
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * A file found holding exactly some bytes with the wanted mode, by {@link unchangedStamp}: its identity, size,
 * times (ns) and mode, which any write, truncation, chmod or replacement since changes (ctime at least).
 */
export interface UnchangedStamp {
  readonly dev: bigint;
  readonly ino: bigint;
  readonly size: bigint;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
  readonly mode: bigint;
}

/**
 * Ahead of a {@link writeFileIfChanged}: whether `file` already holds exactly `data` with permissions `mode`.
 * @returns the file's stamp when it does (then {@link stillUnchanged} tells with one `stat` whether it still
 *   does), undefined when it is missing, differs, has other permissions or can't be read
 */
export function unchangedStamp(file: string, data: Buffer, mode: number = PRIVATE_FILE_MODE): UnchangedStamp | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd, { bigint: true });
    if (!st.isFile() || Number(st.mode & 0o777n) !== mode || st.size !== BigInt(data.length) || !readAll(fd, data.length).equals(data)) return undefined;
    return { dev: st.dev, ino: st.ino, size: st.size, mtimeNs: st.mtimeNs, ctimeNs: st.ctimeNs, mode: st.mode };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether `file` is still the file {@link unchangedStamp} saw (same device, inode, size, modification and
 * change times in ns, mode): then it still holds the same bytes and {@link writeFileIfChanged} would leave it
 * alone. One `stat`; false when it can't be stat'ed.
 */
export function stillUnchanged(file: string, stamp: UnchangedStamp): boolean {
  const st = statSync(file, { bigint: true, throwIfNoEntry: false });
  return !!st && st.dev === stamp.dev && st.ino === stamp.ino && st.size === stamp.size && st.mtimeNs === stamp.mtimeNs && st.ctimeNs === stamp.ctimeNs && st.mode === stamp.mode;
}

/** The first `size` bytes of an open file (fewer if it is shorter). */
function readAll(fd: number, size: number): Buffer {
  const buf = Buffer.allocUnsafe(size);
  let off = 0;
  while (off < size) {
    const n = readSync(fd, buf, off, size - off, off);
    if (n === 0) return buf.subarray(0, off);
    off += n;
  }
  return buf;
}

function writeAll(fd: number, data: Buffer): void {
  let off = 0;
  while (off < data.length) off += writeSync(fd, data, off, data.length - off, off);
}

/** Creates `file` (and its folder when missing) with `data`. */
function writeNew(file: string, data: Buffer, mode: number, onStat?: (st: Stats) => void): boolean {
  const fd = openCreating(file, mode);
  try {
    writeAll(fd, data);
    if (onStat) onStat(fstatSync(fd));
  } finally {
    closeSync(fd);
  }
  return true;
}

/** {@link writeFileIfChanged} by name, for a file that could not be opened for reading and writing. */
function writeByName(file: string, data: Buffer, mode: number, onStat?: (st: Stats) => void): boolean {
  let old: Buffer | undefined;
  try {
    old = readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (old && old.equals(data)) {
    fixMode(file, mode, onStat);
    return false;
  }
  const fd = old ? openSync(file, 'r+') : openCreating(file, mode);
  try {
    if (old && (fstatSync(fd).mode & 0o777) !== mode) fchmodSync(fd, mode);
    writeAll(fd, data);
    if (old && old.length > data.length) ftruncateSync(fd, data.length);
    if (onStat) onStat(fstatSync(fd));
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Gives an open file `mode`. Best effort (files written by older versions were 0644): whether it did. */
function fixModeFd(fd: number, mode: number): boolean {
  try {
    fchmodSync(fd, mode);
    return true;
  } catch {
    return false; /* not ours to change: leave it */
  }
}

/** Opens `file` for writing, creating its folder when the first attempt finds it missing. */
function openCreating(file: string, mode: number): number {
  try {
    return openSync(file, 'w', mode);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    mkdirSync(path.dirname(file), { recursive: true });
    return openSync(file, 'w', mode);
  }
}

/** Gives an existing file `mode` (files written by older versions were 0644). Best effort. */
function fixMode(file: string, mode: number, onStat?: (st: Stats) => void): void {
  try {
    const fd = openSync(file, 'r');
    try {
      const st = fstatSync(fd);
      if ((st.mode & 0o777) !== mode) {
        fchmodSync(fd, mode);
        if (onStat) onStat(fstatSync(fd));
      } else if (onStat) onStat(st);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* not ours to change: leave it */
  }
}

/** Whether a process with this id runs (EPERM: it does, under another user). */
/** Whether a process with this pid runs on this host (signal 0; EPERM means it exists but isn't ours). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the `<file>.<pid>.tmp` siblings of `file` whose process no longer runs: what a killed run left
 * half-written while replacing the file atomically (temporary file + rename). Files of running processes,
 * this one included, are kept. Best effort: errors are ignored.
 * @param pattern matched against the name after `<file>.`; its first group is the writer's pid
 *   (default `<pid>.tmp`; the run lock uses `[break.]<pid>.<id>.tmp`)
 */
export function removeStaleTempFiles(file: string, pattern: RegExp = /^(\d+)\.tmp$/): void {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = pattern.exec(name.slice(prefix.length));
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || processAlive(pid)) continue;
    try {
      unlinkSync(path.join(dir, name));
    } catch {
      /* gone already, or not ours to remove */
    }
  }
}
