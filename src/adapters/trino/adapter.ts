/**
 * The Trino adapter, on the official `trino-client`. It composes the folder's parts: sessions and the
 * REST protocol's quirks (connection.ts), DDL (ddl.ts), seeds (seeds.ts), the catalog (catalog.ts) and
 * SQL text (dialect.ts).
 *
 * Trino has no transactional DDL for most connectors and no JavaScript UDFs: a table is built under a
 * temporary name and swapped in by drop + rename (not atomic: see CAPABILITIES), seeds are read client-side
 * and loaded with batched `INSERT ... VALUES` of typed literals, and TypeScript UDF calls are evaluated
 * client-side (`udfHosting: 'none'`, execution/client-udfs.ts), which reads the distinct arguments page by
 * page through `TrinoConnection.stream`.
 */
import { Trino, type ConnectionOptions } from 'trino-client';
import type { RelationName } from '../../manifest/types.js';
import type { Adapter, AdapterCapabilities, ColumnMeta, Connection, RelationInfo, SeedLoad } from '../adapter.js';
import type { RelationKind } from '../ansi-sql.js';
import * as catalog from './catalog.js';
import { checkConnection, clientOptions, displayServer, TrinoConnection } from './connection.js';
import { trinoDialect } from './dialect.js';
import * as seeds from './seeds.js';
import type { TrinoTarget } from './target.js';

/**
 * What Trino supports. DDL is not transactional for the connectors Weir targets (Hive, Iceberg, Delta
 * Lake, memory), so the table swap is `drop old` then `rename tmp`: a reader may briefly see no table, and a
 * failure between the two steps leaves only `<name>__weir_tmp` (a failing *build* still leaves the old table,
 * because the build happens before the swap). `atomicRename` is false because renames depend on the
 * connector and its metastore: with AWS Glue there is no rename API (the Hive and Delta Lake connectors
 * reject RENAME TABLE there, and Iceberg emulates it by registering a new table and dropping the old one),
 * and the Hive connector on a file metastore moves the table's directory. JDBC connectors (PostgreSQL,
 * MySQL) pass the rename to the database, where it is atomic — but the drop before it still is not.
 */
const CAPABILITIES: AdapterCapabilities = Object.freeze({
  transactionalDdl: false,
  atomicRename: false,
  nativeCsvLoad: false,
  concurrentConnections: true,
  // Multi-statement transactions need the client to carry X-Trino-Transaction-Id (trino-client does not), and
  // MERGE exists only on some connectors (Iceberg, Delta Lake, Hive ACID; not memory or most JDBC ones), so
  // the `merge` incremental strategy runs as delete+insert: https://trino.io/docs/current/sql/merge.html
  transactionalDml: false,
  merge: false,
  // No JavaScript UDFs: every UDF call runs client-side (execution/client-udfs.ts).
  udfHosting: 'none',
});

/** The Trino adapter. Construct through the registry. */
export class TrinoAdapter implements Adapter {
  readonly type = 'trino';
  readonly dialect = trinoDialect;
  readonly capabilities = CAPABILITIES;
  private readonly options: ConnectionOptions;

  constructor(
    /** The validated target (holds secrets: never log it; use {@link describe}). */
    readonly target: TrinoTarget,
    /** The target's name in project.yaml, for messages. */
    readonly targetName: string,
    projectRoot: string,
  ) {
    this.options = clientOptions(target, projectRoot);
  }

  get defaultSchema(): string {
    return this.target.schema;
  }

  get defaultDatabase(): string {
    return this.target.catalog;
  }

  /** Checks that the server answers and accepts the credentials (`select 1`). */
  async open(): Promise<void> {
    await checkConnection(this.options, this);
  }

  async connect(): Promise<Connection> {
    return new TrinoConnection(Trino.create(this.options), this);
  }

  async listRelations(schemas?: readonly string[]): Promise<RelationInfo[]> {
    const conn = await this.connect();
    try {
      return await catalog.listRelations(conn, this.target.catalog, schemas);
    } finally {
      await conn.close();
    }
  }

  async relationKind(conn: Connection, r: RelationName): Promise<RelationKind | undefined> {
    return catalog.relationKind(conn, r, this.target.catalog);
  }

  async listColumns(conn: Connection, relation: RelationName): Promise<ColumnMeta[]> {
    return catalog.listColumns(conn, relation, this.target.catalog);
  }

  /** See catalog.ts relationFingerprint (the current Iceberg snapshot id). */
  async relationFingerprint(conn: Connection, relation: RelationName): Promise<string | undefined> {
    return catalog.relationFingerprint(conn, relation, this.target.catalog);
  }

  async createSchema(conn: Connection, schema: string, database?: string): Promise<void> {
    const d = trinoDialect;
    await conn.execute(`create schema if not exists ${d.quoteIdentifier(database ?? this.target.catalog)}.${d.quoteIdentifier(schema)}`);
  }

  /** See seeds.ts loadSeed (client-side CSV, batched typed INSERTs, then the swap). */
  async loadSeed(conn: Connection, seed: SeedLoad): Promise<number> {
    return seeds.loadSeed(this, conn, seed, this.target);
  }

  describe(): Record<string, unknown> {
    const t = this.target;
    return {
      type: 'trino', server: displayServer(t.server), user: t.user, catalog: t.catalog, schema: t.schema,
      auth: t.auth?.type ?? 'none', tls: t.tls ? { ca_file: t.tls.ca_file, verify: t.tls.verify } : undefined,
      session_properties: Object.keys(t.session_properties), threads: t.threads,
    };
  }

  async close(): Promise<void> {
    /* HTTP: nothing held open */
  }
}
