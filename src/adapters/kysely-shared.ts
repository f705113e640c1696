/**
 * Engine-independent parts of Weir's Kysely dialects (https://kysely.dev/docs/dialects): a connection mutex
 * (each Kysely instance keeps one connection, so queries and transactions are serialized on it), an
 * introspector over `information_schema`, and a dialect adapter for engines without transactional DDL or
 * `RETURNING`. Engine folders hold the rest (`duckdb/kysely-dialect.ts`, ...).
 */
import {
  CompiledQuery, DefaultQueryCompiler, DialectAdapterBase, sql,
  type DatabaseConnection, type Driver, type QueryResult,
  type DatabaseIntrospector, type DatabaseMetadata, type DatabaseMetadataOptions, type Kysely, type SchemaMetadata, type TableMetadata,
} from 'kysely';
import type { Adapter, Connection } from './adapter.js';
import { WeirError } from '../errors/weir-error.js';
import { normalizeValue, sqlToTs } from './sql-types.js';

/**
 * A FIFO mutex: `lock()` resolves when the previous holder called `unlock()`. Kysely acquires the connection
 * for each query (or for a whole transaction) and releases it afterwards; the driver holds this mutex in
 * between, as Kysely's own single-connection SQLite driver does.
 */
export class ConnectionMutex {
  private tail: Promise<void> = Promise.resolve();
  private release?: () => void;

  /** Waits for the connection to be free, then holds it. */
  async lock(): Promise<void> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((r) => { release = r; });
    await previous;
    this.release = release;
  }

  /** Frees the connection for the next waiter. */
  unlock(): void {
    const r = this.release;
    this.release = undefined;
    r?.();
  }
}

/** Kysely's default query compiler with `?` placeholders (Kysely 0.28's default writes `$1`). */
export class QuestionMarkQueryCompiler extends DefaultQueryCompiler {
  protected override getCurrentParameterPlaceholder(): string {
    return '?';
  }
}

/** Kysely dialect adapter for engines without transactional DDL and without `RETURNING` (Trino, Snowflake). */
export class NoReturningAdapter extends DialectAdapterBase {
  override get supportsTransactionalDdl(): boolean {
    return false;
  }
  override get supportsReturning(): boolean {
    return false;
  }
  /** Migrations are not Weir's business: no lock is taken. */
  override async acquireMigrationLock(): Promise<void> {}
  override async releaseMigrationLock(): Promise<void> {}
}

/**
 * Kysely's introspector over the standard `information_schema.tables` / `.columns` views, which DuckDB,
 * Trino and Snowflake all have.
 * @param upper Snowflake: names are stored upper-case; report them lower-case (as the client's results are)
 */
export class InformationSchemaIntrospector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<unknown>, private readonly upper = false) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const r = await sql<{ schema_name: string }>`select schema_name from information_schema.schemata order by 1`.execute(this.db);
    return r.rows.map((x) => ({ name: this.name(x.schema_name) }));
  }

  async getTables(_options?: DatabaseMetadataOptions): Promise<TableMetadata[]> {
    const r = await sql<{ table_schema: string; table_name: string; table_type: string; column_name: string; data_type: string; is_nullable: string; column_default: unknown }>`
      select t.table_schema, t.table_name, t.table_type, c.column_name, c.data_type, c.is_nullable, c.column_default
      from information_schema.tables t
      join information_schema.columns c on c.table_schema = t.table_schema and c.table_name = t.table_name
      where lower(t.table_schema) not in ('information_schema', 'pg_catalog')
      order by t.table_schema, t.table_name, c.ordinal_position`.execute(this.db);
    const tables = new Map<string, TableMetadata & { columns: TableMetadata['columns'][number][] }>();
    for (const row of r.rows) {
      const key = `${row.table_schema}.${row.table_name}`;
      let t = tables.get(key);
      if (!t) {
        t = { schema: this.name(row.table_schema), name: this.name(row.table_name), isView: /view/i.test(String(row.table_type)), columns: [] };
        tables.set(key, t);
      }
      t.columns.push({
        name: this.name(row.column_name), dataType: String(row.data_type), isNullable: String(row.is_nullable).toUpperCase() !== 'NO',
        isAutoIncrementing: false, hasDefaultValue: row.column_default !== null && row.column_default !== undefined,
      });
    }
    return [...tables.values()];
  }

  async getMetadata(options?: DatabaseMetadataOptions): Promise<DatabaseMetadata> {
    return { tables: await this.getTables(options) };
  }

  private name(s: string): string {
    return this.upper ? String(s).toLowerCase() : String(s);
  }
}

/** Options of {@link AdapterKyselyDriver}. */
export interface AdapterDriverOptions {
  /** Creates and opens the Weir adapter for the target (called once, by `init`). */
  readonly open: () => Promise<Adapter>;
  /** Result column names to lower case (Snowflake reports unquoted names upper-cased). */
  readonly lowerCaseColumns?: boolean;
  /** Whether `db.transaction()` is supported (Trino's REST protocol keeps no session transaction here). */
  readonly transactions: boolean;
  /** Engine name for messages. */
  readonly engine: string;
}

/**
 * A Kysely driver over a Weir {@link Adapter}: the engine's client, authentication, TLS, timeouts and error
 * mapping are the adapter's; this keeps one adapter connection per Kysely instance (serialized by a mutex)
 * and converts result values to the types `weir codegen kysely` generates (see `sql-types.ts`).
 */
export class AdapterKyselyDriver implements Driver {
  private adapter?: Adapter;
  private connection?: AdapterKyselyConnection;
  private readonly mutex = new ConnectionMutex();

  constructor(private readonly o: AdapterDriverOptions) {}

  async init(): Promise<void> {
    this.adapter = await this.o.open();
    this.connection = new AdapterKyselyConnection(await this.adapter.connect(), !!this.o.lowerCaseColumns);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    return this.connection!;
  }

  async beginTransaction(conn: DatabaseConnection): Promise<void> {
    if (!this.o.transactions) {
      throw new WeirError('WEIR_USAGE', `transactions are not supported on ${this.o.engine} through createClient`, { hint: 'Run the statements without db.transaction().' });
    }
    await conn.executeQuery(CompiledQuery.raw('begin'));
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
    await this.connection?.close();
    this.connection = undefined;
    await this.adapter?.close();
    this.adapter = undefined;
  }
}

class AdapterKyselyConnection implements DatabaseConnection {
  constructor(private readonly conn: Connection, private readonly lower: boolean) {}

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    const r = await this.conn.execute(q.sql, q.parameters);
    const names = r.columns.map((c) => (this.lower ? c.name.toLowerCase() : c.name));
    const types = r.columns.map((c) => sqlToTs(c.type));
    const rows = r.rows.map((row) => {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < names.length; i++) o[names[i]] = normalizeValue(row[i], types[i]);
      return o as R;
    });
    return { rows, ...(r.rowsAffected !== undefined && /^\s*(insert|update|delete|merge)\b/i.test(q.sql) ? { numAffectedRows: BigInt(r.rowsAffected) } : {}) };
  }

  async *streamQuery<R>(q: CompiledQuery, chunkSize = 2048): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(q);
    for (let i = 0; i < rows.length; i += chunkSize) yield { rows: rows.slice(i, i + chunkSize) };
  }

  async close(): Promise<void> {
    await this.conn.close();
  }
}
