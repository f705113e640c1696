/**
 * Readers while a run writes. DuckDB lets one process open a database file for writing, and a reader can't
 * open it at all while that process holds it. So after every run (seed/run/test/build) Weir publishes a
 * read copy beside the database — `target/weir.duckdb` → `target/weir.read.duckdb` — by checkpointing
 * (everything committed is in the main file, the WAL is empty), copying the file to a temporary name and
 * renaming it over the copy. `rename(2)` is atomic: a reader opens either the previous copy or the new
 * one, never a half-written file, and a reader that has the old copy open keeps reading it. Every table in
 * a copy was committed by the run (tables are swapped in inside a transaction), so no reader ever sees a
 * half-built table. `weir query`/`weir show` fall back to the copy when the database is locked, and
 * `createClient` reads it by default.
 */
import { closeSync, constants, copyFileSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { removeStaleTempFiles } from '../../utils/write-file.js';

/** The read copy's path for a database file: `dir/name.read.ext` (`weir.duckdb` → `weir.read.duckdb`). */
export function readCopyPath(dbPath: string): string {
  const ext = path.extname(dbPath);
  return path.join(path.dirname(dbPath), `${path.basename(dbPath, ext)}.read${ext || '.duckdb'}`);
}

/** Facts about a published copy. */
export interface ReadCopyInfo {
  readonly path: string;
  /** Bytes. */
  readonly size: number;
  /** When it was published (file modification time). */
  readonly publishedAt: Date;
}

/** The published copy of a database file, if any. */
export function findReadCopy(dbPath: string): ReadCopyInfo | undefined {
  const p = readCopyPath(dbPath);
  if (!existsSync(p)) return undefined;
  const s = statSync(p);
  return { path: p, size: s.size, publishedAt: s.mtime };
}

/**
 * Whether the published copy holds everything the database file holds: it was written after the file's
 * last change and no write-ahead log holds later commits. Readers then read the copy and never touch the
 * file, so they cannot hold a writer out (DuckDB's file lock admits one process, readers included).
 */
export function readCopyIsCurrent(dbPath: string): boolean {
  const copy = findReadCopy(dbPath);
  if (!copy || !existsSync(dbPath)) return false;
  const db = statSync(dbPath);
  const wal = `${dbPath}.wal`;
  if (existsSync(wal) && statSync(wal).size > 0) return false;
  return copy.publishedAt.getTime() >= db.mtime.getTime();
}

/**
 * Copies a checkpointed database file to its read copy atomically (copy to `<copy>.<pid>.tmp`, then
 * rename). The caller must have checkpointed the database and must not write to it meanwhile.
 * Uses a copy-on-write clone where the file system supports it (`COPYFILE_FICLONE`).
 * @returns the copy's facts
 * @throws the file system's error (the temporary file is removed)
 */
export function copyToReadCopy(dbPath: string): ReadCopyInfo {
  const dest = readCopyPath(dbPath);
  removeStaleTempFiles(dest); // `<copy>.<pid>.tmp` a killed publisher left
  const tmp = `${dest}.${process.pid}.tmp`;
  try {
    copyFileSync(dbPath, tmp, constants.COPYFILE_FICLONE);
    renameSync(tmp, dest);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* not created */
    }
    throw e;
  }
  return findReadCopy(dbPath)!;
}


/**
 * Whether a DuckDB open error says the database file itself is damaged (a block or WAL entry whose
 * checksum does not match, metadata that cannot be read), as opposed to a lock, a permission or a missing
 * directory. DuckDB's messages: "Corrupt database file: computed checksum … does not match stored
 * checksum … in block at location …", "Corrupt WAL file: …", "No more data remaining in MetadataReader",
 * "Failed to load metadata pointer".
 */
export function isCorruptionError(message: string): boolean {
  return /Corrupt (database|WAL) file|No more data remaining in MetadataReader|Failed to load metadata pointer/i.test(message);
}

/**
 * Restores a corrupt database file from its last published read copy: the corrupt file (and its `.wal`)
 * are renamed to `<file>.corrupt-<timestamp>` (kept for inspection, never deleted), then the copy is
 * copied to a temporary name beside the database and renamed over it, so a crash midway leaves either no
 * database file (the next attempt restores again) or the whole copy. Everything committed after the copy
 * was published — the end of the last completed run — is lost; the caller reports that.
 * @param dbPath the database file DuckDB could not open
 * @param reason DuckDB's error message
 * @returns what was done, or undefined when there is no read copy (nothing is changed)
 */
export function restoreFromReadCopy(dbPath: string, reason: string): { corruptFile: string; restoredFrom: string; publishedAt: Date; reason: string } | undefined {
  const copy = findReadCopy(dbPath);
  if (!copy) return undefined;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const corruptFile = `${dbPath}.corrupt-${stamp}`;
  if (existsSync(dbPath)) renameSync(dbPath, corruptFile);
  if (existsSync(`${dbPath}.wal`)) renameSync(`${dbPath}.wal`, `${corruptFile}.wal`);
  installCopy(copy.path, dbPath);
  return { corruptFile, restoredFrom: copy.path, publishedAt: copy.publishedAt, reason };
}

/**
 * A missing database file beside a published read copy — a restore or a kill left no database, or the file
 * was removed — is restored from the copy instead of DuckDB silently creating an empty database (which
 * would lose snapshot history). Same crash-safe install as {@link restoreFromReadCopy}.
 * @returns what was done, or undefined when there is no copy (DuckDB then creates the database)
 */
export function restoreMissingFromReadCopy(dbPath: string): { restoredFrom: string; publishedAt: Date; reason: string } | undefined {
  const copy = findReadCopy(dbPath);
  if (!copy || existsSync(dbPath)) return undefined;
  if (existsSync(`${dbPath}.wal`)) {
    // A WAL without its database belongs to no file any more: kept aside, never replayed onto the copy.
    renameSync(`${dbPath}.wal`, `${dbPath}.wal.orphan-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  }
  installCopy(copy.path, dbPath);
  return { restoredFrom: copy.path, publishedAt: copy.publishedAt, reason: `the database file ${dbPath} was missing while its read copy exists` };
}

/**
 * Installs `src` as `dest` crash-safely: copy to `<dest>.<pid>.tmp`, fsync it, rename it over `dest`, fsync
 * the folder — after a crash there is either no `dest` (and a temp file the next open removes and redoes) or
 * the whole copy, never a partial one under the real name.
 */
function installCopy(src: string, dest: string): void {
  const tmp = `${dest}.${process.pid}.tmp`;
  try {
    copyFileSync(src, tmp);
    const fd = openSync(tmp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, dest);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  try {
    const dir = openSync(path.dirname(dest), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    /* folders can't be fsynced on every platform */
  }
}
