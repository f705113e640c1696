/**
 * A Kysely dialect for DuckDB over @duckdb/node-api: one DuckDB instance and ONE connection per Kysely
 * instance (queries and transactions are serialized on it by a mutex), Postgres' query compiler (`$1`
 * parameters and double-quoted identifiers are DuckDB syntax too) and adapter (DuckDB has transactional
 * DDL and `RETURNING`), and an `information_schema` introspector. Values are converted to the types
 * `weir codegen kysely` generates (see `../sql-types.ts`): 64-bit integers and decimals as exact strings,
 * dates as `YYYY-MM-DD`, timestamps as `Date`.
 *
 * Which file it opens: `source: 'main'` the database itself (read-only unless `readOnly: false`);
 * `'read-copy'` the copy published after the last run (see `read-copy.ts`); `'auto'` (default) the read
 * copy when there is one — so an application never blocks a run — else the database read-only.
 */
import {
  CompiledQuery, PostgresAdapter, PostgresQueryCompiler,
  type DatabaseConnection, type DatabaseIntrospector, type Dialect, type DialectAdapter, type Driver, type Kysely, type QueryCompiler, type QueryResult,
} from 'kysely';
import type { DuckDBConnection, DuckDBInstance, DuckDBType, DuckDBValue, DuckDBValueConverter, JS } from '@duckdb/node-api';
import { WeirError } from '../../errors/weir-error.js';
import { ConnectionMutex, InformationSchemaIntrospector } from '../kysely-shared.js';
import { findReadCopy } from './read-copy.js';

/** Options of {@link DuckDBKyselyDialect}. */
export interface DuckDBKyselyOptions {
  /** Absolute database file path, or `:memory:`. */
  readonly path: string;
  /** Which file to read (default `auto`). */
  readonly source?: 'auto' | 'main' | 'read-copy';
  /** Open the main file read-only (default true; ignored for the read copy, which is always read-only). */
  readonly readOnly?: boolean;
  /** DuckDB settings, e.g. `{ memory_limit: '1GB' }`. */
  readonly settings?: Readonly<Record<string, string | number | boolean>>;
  /** Target name, for error messages. */
  readonly targetName?: string;
}

/** The DuckDB Kysely dialect: `new Kysely<DB>({ dialect: new DuckDBKyselyDialect({ path }) })`. */
export class DuckDBKyselyDialect implements Dialect {
  constructor(private readonly options: DuckDBKyselyOptions) {}
  createDriver(): Driver {
    return new DuckDBKyselyDriver(this.options);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new InformationSchemaIntrospector(db);
  }
}

/** Which file a dialect with these options opens, and whether read-only. */
export function resolveDuckDBSource(o: DuckDBKyselyOptions): { file: string; readOnly: boolean; isReadCopy: boolean } {
  if (o.path === ':memory:') return { file: o.path, readOnly: false, isReadCopy: false };
  const copy = findReadCopy(o.path);
  const source = o.source ?? 'auto';
  if (source === 'read-copy' || (source === 'auto' && copy)) {
    if (!copy) {
      throw new WeirError('WEIR_DB_OPEN_FAILED', `target '${o.targetName ?? 'duckdb'}': no read copy of ${o.path} has been published yet`, {
        hint: 'Run `weir build` (or run/seed) once: every run publishes a read copy when it ends.',
      });
    }
    return { file: copy.path, readOnly: true, isReadCopy: true };
  }
  return { file: o.path, readOnly: o.readOnly !== false, isReadCopy: false };
}

class DuckDBKyselyDriver implements Driver {
  private instance?: DuckDBInstance;
  private connection?: DuckDBKyselyConnection;
  private readonly mutex = new ConnectionMutex();

  constructor(private readonly o: DuckDBKyselyOptions) {}

  async init(): Promise<void> {
    const { duckdb } = await import('./node-api.js');
    const { file, readOnly } = resolveDuckDBSource(this.o);
    const options: Record<string, string> = { autoinstall_known_extensions: 'false', autoload_known_extensions: 'true' };
    for (const [k, v] of Object.entries(this.o.settings ?? {})) options[k] = String(v);
    if (readOnly) options.access_mode = 'READ_ONLY';
    try {
      this.instance = await duckdb.DuckDBInstance.create(file, options);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const locked = /Could not set lock on file|Conflicting lock/i.test(msg);
      throw new WeirError(locked ? 'WEIR_DB_LOCKED' : 'WEIR_DB_OPEN_FAILED', `target '${this.o.targetName ?? 'duckdb'}': cannot open ${file}: ${msg.split('\n')[0]}`, {
        hint: locked ? 'A Weir run is writing the database: read the copy it publishes (source: \'auto\' or \'read-copy\').' : undefined,
        cause: e,
      });
    }
    this.connection = new DuckDBKyselyConnection(await this.instance.connect(), valueConverter(duckdb), parameterBinder(duckdb));
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    return this.connection!;
  }

  async beginTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('begin transaction'));
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    this.mutex.unlock();
  }

  async destroy(): Promise<void> {
    this.connection?.close();
    this.connection = undefined;
    this.instance?.closeSync();
    this.instance = undefined;
  }
}

class DuckDBKyselyConnection implements DatabaseConnection {
  constructor(
    private readonly conn: DuckDBConnection,
    private readonly convert: DuckDBValueConverter<unknown>,
    private readonly bind: (v: unknown) => DuckDBValue,
  ) {}

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    const reader = await this.conn.runAndReadAll(q.sql, q.parameters.length ? (q.parameters.map(this.bind)) : undefined);
    const rows = reader.convertRowObjects(this.convert) as R[];
    const changed = reader.rowsChanged;
    return { rows, ...(changed > 0 || /^\s*(insert|update|delete|merge)\b/i.test(q.sql) ? { numAffectedRows: BigInt(changed) } : {}) };
  }

  async *streamQuery<R>(q: CompiledQuery, chunkSize = 2048): AsyncIterableIterator<QueryResult<R>> {
    const result = await this.conn.stream(q.sql, q.parameters.length ? (q.parameters.map(this.bind)) : undefined);
    let batch: R[] = [];
    for await (const rows of result.yieldConvertedRowObjects(this.convert)) {
      batch.push(...(rows as R[]));
      while (batch.length >= chunkSize) {
        yield { rows: batch.slice(0, chunkSize) };
        batch = batch.slice(chunkSize);
      }
    }
    if (batch.length) yield { rows: batch };
  }

  close(): void {
    this.conn.closeSync();
  }
}

/** Binds JS parameters: a Date as a TIMESTAMP (UTC microseconds), bytes as a BLOB, anything else as is. */
function parameterBinder(duckdb: typeof import('@duckdb/node-api')): (v: unknown) => DuckDBValue {
  return (v) => {
    if (v instanceof Date) return new duckdb.DuckDBTimestampValue(BigInt(v.getTime()) * 1000n);
    if (v instanceof Uint8Array) return new duckdb.DuckDBBlobValue(v);
    return v as DuckDBValue;
  };
}

/**
 * The result value converter: node-api's JS converter, except exact types as strings (BIGINT, HUGEINT,
 * UBIGINT, UHUGEINT, DECIMAL, BIGNUM), DATE as `YYYY-MM-DD`, and TIME/TIME_TZ/INTERVAL as text —
 * applied recursively inside lists, arrays and structs.
 */
function valueConverter(duckdb: typeof import('@duckdb/node-api')): DuckDBValueConverter<unknown> {
  const T = duckdb.DuckDBTypeId;
  const asString = new Set<number>([T.BIGINT, T.HUGEINT, T.UBIGINT, T.UHUGEINT, T.DECIMAL, T.BIGNUM, T.DATE, T.TIME, T.TIME_TZ, T.TIME_NS, T.INTERVAL, T.UUID]);
  const convert: DuckDBValueConverter<unknown> = (value: DuckDBValue, type: DuckDBType, _c: DuckDBValueConverter<unknown>) => {
    if (value === null) return null;
    if (asString.has(type.typeId)) return String(value);
    return duckdb.JSDuckDBValueConverter(value, type, convert as DuckDBValueConverter<JS>);
  };
  return convert;
}
