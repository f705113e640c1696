/**
 * Sessions on the embedded DuckDB engine (@duckdb/node-api): opening the database file (lock, corruption
 * and recovery from the read copy), one connection per worker thread, statement timeouts and error
 * messages. Extension auto-install is off (machines may be offline); statically linked extensions (json,
 * parquet, icu, core_functions) work, and an error that needs another extension says so.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import { duckdb } from './node-api.js';
import { removeStaleTempFiles } from '../../utils/write-file.js';
import { WeirError } from '../../errors/weir-error.js';
import { AdapterError, type ColumnMeta, type Connection, type DatabaseRecovery, type QueryResult } from '../adapter.js';
import { displayQuery, type DisplayMode } from './display.js';
import { findReadCopy, isCorruptionError, restoreFromReadCopy, restoreMissingFromReadCopy } from './read-copy.js';
import type { DuckDBTarget } from './target.js';

/** Converts a DuckDB error into an AdapterError, explaining missing extensions. */
export function mapDuckDBError(e: unknown): AdapterError {
  const msg = e instanceof Error ? e.message : String(e);
  if (/Extension Autoloading Error|Install it first using "INSTALL|extension .* not found/i.test(msg)) {
    const ext = /INSTALL (\w+)/.exec(msg)?.[1] ?? /extension '?(\w+)'?/i.exec(msg)?.[1] ?? 'an extension';
    return new AdapterError(
      `${msg.split('\n')[0]} — this query needs the DuckDB extension '${ext}', which is not built into @duckdb/node-api ` +
      `and cannot be downloaded (extension auto-install is off for offline machines). Statically built in: json, parquet, icu, core_functions.`,
      { cause: e },
    );
  }
  return new AdapterError(msg, { cause: e });
}

/** One DuckDB connection (a worker thread's session), with the target's `query_timeout_seconds`. */
export class DuckDBConnectionWrapper implements Connection {
  constructor(private readonly conn: DuckDBConnection, private readonly timeoutSeconds?: number) {}

  async execute(sql: string, binds?: readonly unknown[]): Promise<QueryResult> {
    // query_timeout_seconds: interrupt the statement when it runs too long (DuckDB then fails it).
    let timedOut = false;
    const timer = this.timeoutSeconds ? setTimeout(() => {
      timedOut = true;
      this.conn.interrupt();
    }, this.timeoutSeconds * 1000) : undefined;
    try {
      return await this.run(sql, binds);
    } catch (e) {
      if (timedOut) throw new AdapterError(`the statement ran longer than query_timeout_seconds (${this.timeoutSeconds} s) and was interrupted`, { cause: e });
      throw e;
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  private async run(sql: string, binds?: readonly unknown[]): Promise<QueryResult> {
    try {
      const reader = await this.conn.runAndReadAll(sql, binds ? (binds as DuckDBValue[]) : undefined);
      // Column names and types are read when asked for: most statements of a run (DDL, swaps) never are.
      let columns: ColumnMeta[] | undefined;
      return {
        get columns(): ColumnMeta[] {
          if (!columns) {
            const types = reader.columnTypes();
            columns = reader.columnNames().map((name, i) => ({ name, type: String(types[i]) }));
          }
          return columns;
        },
        rows: reader.getRowsJS() as unknown[][],
        rowsAffected: reader.rowsChanged,
      };
    } catch (e) {
      throw mapDuckDBError(e);
    }
  }

  async display(sql: string, mode: DisplayMode): Promise<QueryResult> {
    try {
      return await displayQuery(this.conn, sql, mode);
    } catch (e) {
      throw mapDuckDBError(e);
    }
  }

  async cancel(): Promise<void> {
    this.conn.interrupt();
  }

  /**
   * DuckDB's statement count (its statement extraction), or 1 without asking DuckDB when `sql` holds no `;`:
   * DuckDB's grammar separates statements only at `;` (the statement list it takes from PostgreSQL's,
   * `stmtmulti: stmtmulti ';' toplevel_stmt`), so such text holds one statement at most, and a round trip
   * to DuckDB's thread per node is saved. Rejects on a syntax error in text with a `;`.
   */
  async countStatements(sql: string): Promise<number> {
    if (!sql.includes(';')) return 1;
    return (await this.conn.extractStatements(sql)).count;
  }

  async close(): Promise<void> {
    this.conn.closeSync();
  }

  /** The underlying connection (for UDF registration and appenders). */
  get raw(): DuckDBConnection {
    return this.conn;
  }
}

/**
 * Opens the target's database file (creating its directory), or `:memory:`. A stale restore leftover is
 * removed first; a missing file is restored from the read copy, and a corrupt one too when
 * `recover_from_read_copy` is set (`onRecovery` is told which).
 * @returns the open instance
 * @throws WeirError `WEIR_DB_LOCKED` (another process holds the file), `WEIR_DB_CORRUPT`, `WEIR_DB_OPEN_FAILED`, naming the target
 */
export async function openDatabase(dbPath: string, target: DuckDBTarget, targetName: string, onRecovery: (recovery: DatabaseRecovery) => void): Promise<DuckDBInstance> {
  const options: Record<string, string> = {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'true',
  };
  for (const [k, v] of Object.entries(target.settings)) options[k] = String(v);
  if (target.read_only) options.access_mode = 'READ_ONLY';
  if (dbPath !== ':memory:' && !target.read_only) {
    // A restore killed midway leaves `<db>.<pid>.tmp` (the size of the database): removed, and when it
    // also left no database, the restore is done again below instead of DuckDB creating an empty file.
    removeStaleTempFiles(dbPath);
    if (!existsSync(dbPath) && target.recover_from_read_copy) {
      const restored = restoreMissingFromReadCopy(dbPath);
      if (restored) onRecovery(restored);
    }
  }
  try {
    // Inside the try: a directory that can't be created is a clear open error naming the target, too.
    if (dbPath !== ':memory:') mkdirSync(path.dirname(dbPath), { recursive: true });
    return await duckdb.DuckDBInstance.create(dbPath, options);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/Could not set lock on file|Conflicting lock/i.test(msg)) {
      const pid = /PID (\d+)/.exec(msg)?.[1];
      throw new WeirError('WEIR_DB_LOCKED', `target '${targetName}': the database file ${dbPath} is locked by another process${pid ? ` (PID ${pid})` : ''}`, {
        hint: 'DuckDB allows one writing process per file: wait for the other weir run (or close the DuckDB client holding it), then retry. Readers: `weir query`, `weir show` and createClient read the copy each run publishes (<name>.read.duckdb).',
        cause: e,
      });
    }
    if (isCorruptionError(msg)) {
      const restored = dbPath !== ':memory:' && !target.read_only && target.recover_from_read_copy
        ? restoreFromReadCopy(dbPath, msg)
        : undefined;
      if (restored) {
        let instance: DuckDBInstance;
        try {
          instance = await duckdb.DuckDBInstance.create(dbPath, options);
        } catch (again) {
          throw new WeirError('WEIR_DB_CORRUPT', `target '${targetName}': the database file ${dbPath} was corrupt and its restored read copy cannot be opened either: ${again instanceof Error ? again.message : String(again)}`, {
            hint: `The corrupt file is kept as ${restored.corruptFile}. Move ${dbPath} away and rebuild with \`weir build --full-refresh\` (snapshot history lives only in the old files).`,
            cause: again,
          });
        }
        onRecovery(restored);
        return instance;
      }
      const copy = dbPath === ':memory:' ? undefined : findReadCopy(dbPath);
      throw new WeirError('WEIR_DB_CORRUPT', `target '${targetName}': the database file ${dbPath} is corrupt: ${msg}`, {
        hint: copy
          ? `A read copy published at ${copy.publishedAt.toISOString()} exists (${copy.path}); set recover_from_read_copy: true on the target (the default) to restore it automatically, or copy it over the database yourself.`
          : 'No read copy was published to restore. Move the file away and rebuild with `weir build --full-refresh` (snapshot history lives only in the old file).',
        cause: e,
      });
    }
    throw new WeirError('WEIR_DB_OPEN_FAILED', `target '${targetName}': cannot open DuckDB database ${dbPath}: ${msg}`, { cause: e });
  }
}

/**
 * Opens a published read copy read-only (for readers while a run holds the database file).
 * @throws WeirError `WEIR_DB_OPEN_FAILED` naming the target and the copy
 */
export async function openReadCopyDatabase(copyPath: string, targetName: string): Promise<DuckDBInstance> {
  try {
    return await duckdb.DuckDBInstance.create(copyPath, { access_mode: 'READ_ONLY', autoinstall_known_extensions: 'false', autoload_known_extensions: 'true' });
  } catch (e) {
    throw new WeirError('WEIR_DB_OPEN_FAILED', `target '${targetName}': cannot open the read copy ${copyPath}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}
