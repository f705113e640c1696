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
import { constants, copyFileSync, existsSync, renameSync, statSync, unlinkSync } from 'node:fs';
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

