/**
 * The embedded DuckDB adapter (@duckdb/node-api): one DuckDBInstance per run, one connection per worker
 * thread. It composes the folder's parts: sessions (connection.ts), DDL (ddl.ts), seeds (seeds.ts), the
 * catalog (catalog.ts), SQL text (dialect.ts), UDFs (udfs.ts) and the published read copy (read-copy.ts).
 */
import path from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import type { RelationName } from '../../manifest/types.js';
import type { DatabaseRecovery, UdfRegistration, Adapter, AdapterCapabilities, ColumnMeta, Connection, RelationInfo, SeedLoad } from '../adapter.js';
import * as catalog from './catalog.js';
import { DuckDBConnectionWrapper, openDatabase, openReadCopyDatabase } from './connection.js';
import { copyToFileSql, readExportSql, type ExportOptions } from './ddl.js';
import { duckdbDialect } from './dialect.js';
import { copyToReadCopy, findReadCopy, readCopyIsCurrent, type ReadCopyInfo } from './read-copy.js';
import * as seeds from './seeds.js';
import type { DuckDBTarget } from './target.js';
import { registerDuckDBUdf } from './udfs.js';

const CAPABILITIES: AdapterCapabilities = Object.freeze({
  transactionalDdl: true,
  atomicRename: true,
  nativeCsvLoad: true,
  concurrentConnections: true,
  // BEGIN/COMMIT cover DML and DDL; MERGE INTO since DuckDB 1.4 (https://duckdb.org/docs/stable/sql/statements/merge_into).
  transactionalDml: true,
  merge: true,
  // Scalar UDFs are DuckDBScalarFunctions; batch UDFs are lookups the probe pass fills (batch-udfs.ts).
  udfHosting: 'all',
});

/** The DuckDB adapter. Construct through the registry. */
export class DuckDBAdapter implements Adapter {
  readonly type = 'duckdb';
  readonly dialect = duckdbDialect;
  readonly capabilities = CAPABILITIES;
  private instance?: DuckDBInstance;
  private readonly dbPath: string;
  recovery?: DatabaseRecovery;
  private readonly connections = new Set<DuckDBConnectionWrapper>();

  constructor(
    private readonly target: DuckDBTarget,
    private readonly targetName: string,
    projectRoot: string,
  ) {
    this.dbPath = target.path === ':memory:' ? ':memory:' : path.resolve(projectRoot, target.path);
  }

  get defaultSchema(): string {
    return this.target.schema;
  }

  get defaultDatabase(): string | undefined {
    return undefined;
  }

  /** Absolute database file path (or `:memory:`). */
  get databasePath(): string {
    return this.dbPath;
  }

  async open(): Promise<void> {
    if (this.instance) return;
    this.instance = await openDatabase(this.dbPath, this.target, this.targetName, (recovery) => {
      this.recovery = recovery;
    });
  }

  /** See read-copy.ts readCopyIsCurrent. */
  readCopyIsCurrent(): boolean {
    return this.dbPath !== ':memory:' && readCopyIsCurrent(this.dbPath);
  }

  /**
   * Opens the published read copy (read-only) instead of the database, for readers while a run holds the
   * database file. @returns the copy's facts, or undefined when none was published (nothing is opened)
   */
  async openReadCopy(): Promise<ReadCopyInfo | undefined> {
    if (this.dbPath === ':memory:') return undefined;
    const copy = findReadCopy(this.dbPath);
    if (!copy) return undefined;
    this.instance = await openReadCopyDatabase(copy.path, this.targetName);
    return copy;
  }

  /**
   * Checkpoints the database and publishes its read copy atomically (see `read-copy.ts`). Call when no
   * statement is running. @returns the copy's facts, or undefined when disabled (`publish_read_copy: false`,
   * `read_only`, `:memory:`)
   */
  async publishReadCopy(): Promise<ReadCopyInfo | undefined> {
    if (!this.instance || this.dbPath === ':memory:' || this.target.read_only || !this.target.publish_read_copy) return undefined;
    const conn = await this.connect();
    try {
      await conn.execute('checkpoint');
    } finally {
      await conn.close();
      this.connections.delete(conn as DuckDBConnectionWrapper);
    }
    return copyToReadCopy(this.dbPath);
  }

  async connect(): Promise<Connection> {
    if (!this.instance) await this.open();
    const c = new DuckDBConnectionWrapper(await this.instance!.connect(), this.target.query_timeout_seconds);
    this.connections.add(c);
    return c;
  }

  async listRelations(schemas?: readonly string[]): Promise<RelationInfo[]> {
    const conn = await this.connect();
    try {
      return await catalog.listRelations(conn, schemas);
    } finally {
      await conn.close();
      this.connections.delete(conn as DuckDBConnectionWrapper);
    }
  }

  async listColumns(conn: Connection, relation: RelationName): Promise<ColumnMeta[]> {
    return catalog.listColumns(conn, relation);
  }

  /** See catalog.ts relationFingerprint (row count and the sum of the rows' hashes). */
  async relationFingerprint(conn: Connection, relation: RelationName): Promise<string | undefined> {
    return catalog.relationFingerprint(conn, relation);
  }

  async createSchema(conn: Connection, schema: string): Promise<void> {
    await conn.execute(`create schema if not exists ${duckdbDialect.quoteIdentifier(schema)}`);
  }

  async loadSeed(conn: Connection, seed: SeedLoad): Promise<number> {
    return seeds.loadSeed(this, conn, seed);
  }

  async exportQuery(conn: Connection, sql: string, file: string, options: ExportOptions): Promise<number> {
    const r = await conn.execute(copyToFileSql(duckdbDialect, sql, file, options));
    return Number(r.rows[0]?.[0] ?? r.rowsAffected ?? 0);
  }

  readExportSql(file: string, options: ExportOptions): string {
    return readExportSql(duckdbDialect, file, options);
  }

  /** Kind of an existing relation, or undefined. */
  async relationKind(conn: Connection, r: RelationName): Promise<'table' | 'view' | undefined> {
    return catalog.relationKind(conn, r);
  }

  async registerUdfs(udfs: readonly UdfRegistration[]): Promise<void> {
    if (udfs.length === 0) return;
    const conn = (await this.connect()) as DuckDBConnectionWrapper;
    try {
      for (const u of udfs) registerDuckDBUdf(conn.raw, u.udf, u.impl);
    } finally {
      // Registration is catalog-wide; the registering connection is not needed afterwards.
      await conn.close();
      this.connections.delete(conn);
    }
  }

  describe(): Record<string, unknown> {
    return { type: 'duckdb', path: this.dbPath, schema: this.target.schema, threads: this.target.threads, read_only: this.target.read_only, publish_read_copy: this.target.publish_read_copy, recover_from_read_copy: this.target.recover_from_read_copy };
  }

  async close(): Promise<void> {
    for (const c of this.connections) {
      try {
        await c.close();
      } catch {
        /* already closed */
      }
    }
    this.connections.clear();
    this.instance?.closeSync();
    this.instance = undefined;
  }
}
