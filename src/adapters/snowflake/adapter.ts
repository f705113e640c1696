/**
 * The Snowflake adapter, on the official `snowflake-sdk`: one sdk connection (one Snowflake session) per
 * worker thread. It composes the folder's parts: sessions, login and query tags (connection.ts), DDL
 * (ddl.ts: tables built in one atomic `create or replace [transient] table ... as`, no temporary table and
 * swap), seeds loaded with batched binds (seeds.ts), the catalog (catalog.ts), SQL text (dialect.ts) and
 * portable scalar UDFs deployed as JavaScript UDFs before the first node (udfs.ts). Batch UDFs and
 * non-portable scalar UDFs run client-side.
 */
import type { RelationName } from '../../manifest/types.js';
import type { Adapter, AdapterCapabilities, ColumnMeta, Connection, RelationInfo, SeedLoad, UdfRegistration } from '../adapter.js';
import type { RelationKind } from '../ansi-sql.js';
import * as catalog from './catalog.js';
import { loadSdk, openSession, SnowflakeConnectionWrapper, type SnowflakeSdk, type SnowflakeSessionConfig } from './connection.js';
import { makeSnowflakeDialect } from './dialect.js';
import * as seeds from './seeds.js';
import type { SnowflakeTarget } from './target.js';
import { deployableUdfs, deployedUdfFingerprints, snowflakeUdfDdl, type SnowflakeUdfStatement } from './udfs.js';

const CAPABILITIES: AdapterCapabilities = Object.freeze({
  // Snowflake DDL commits implicitly: it can't be rolled back inside a transaction.
  transactionalDdl: false,
  atomicRename: true,
  nativeCsvLoad: false,
  concurrentConnections: true,
  atomicReplaceTable: true,
  // DML in an explicit transaction rolls back (https://docs.snowflake.com/en/sql-reference/transactions);
  // MERGE: https://docs.snowflake.com/en/sql-reference/sql/merge
  transactionalDml: true,
  merge: true,
  // Portable scalar UDFs become JavaScript UDFs; batch and non-portable UDFs run client-side.
  udfHosting: 'portable-scalar',
});

/** The Snowflake adapter. Construct through the registry. */
export class SnowflakeAdapter implements Adapter {
  readonly type = 'snowflake';
  readonly dialect;
  readonly capabilities = CAPABILITIES;
  private sdk?: SnowflakeSdk;
  private readonly connections = new Set<SnowflakeConnectionWrapper>();
  /** Project UDFs not deployed here (lower-case name → reason), for "unknown function" errors. */
  private readonly undeployedUdfs = new Map<string, string>();
  /** What each session opens: the target, its name and the project root. */
  private readonly session: SnowflakeSessionConfig;

  constructor(
    private readonly target: SnowflakeTarget,
    private readonly targetName: string,
    private readonly projectRoot: string,
  ) {
    this.dialect = makeSnowflakeDialect({ transient: target.transient });
    this.session = { target, targetName, projectRoot };
  }

  get defaultSchema(): string {
    return this.target.schema;
  }

  get defaultDatabase(): string | undefined {
    return this.target.database;
  }

  async open(): Promise<void> {
    // Connecting once checks the credentials and the network before any node runs.
    const c = await this.connect();
    await c.close();
    this.connections.delete(c as SnowflakeConnectionWrapper);
  }

  async connect(): Promise<Connection> {
    this.sdk ??= await loadSdk(this.targetName);
    const c = await openSession(this.sdk, this.session, this.undeployedUdfs);
    this.connections.add(c);
    return c;
  }

  async listRelations(schemas?: readonly string[]): Promise<RelationInfo[]> {
    const conn = await this.connect();
    try {
      return await catalog.listRelations(conn, this.target.database, schemas);
    } finally {
      await conn.close();
      this.connections.delete(conn as SnowflakeConnectionWrapper);
    }
  }

  async relationKind(conn: Connection, r: RelationName): Promise<RelationKind | undefined> {
    return catalog.relationKind(conn, r, this.target.database);
  }

  async listColumns(conn: Connection, r: RelationName): Promise<ColumnMeta[]> {
    return catalog.listColumns(conn, r, this.target.database);
  }

  /** See catalog.ts relationFingerprint (`LAST_ALTERED`). */
  async relationFingerprint(conn: Connection, r: RelationName): Promise<string | undefined> {
    return catalog.relationFingerprint(conn, r, this.target.database);
  }

  async createSchema(conn: Connection, schema: string, database?: string): Promise<void> {
    await conn.execute(`create schema if not exists ${[database ?? this.target.database, schema].map(this.dialect.quoteIdentifier).join('.')}`);
  }

  async loadSeed(conn: Connection, seed: SeedLoad): Promise<number> {
    return seeds.loadSeed(this, conn, seed, this.target);
  }

  /**
   * Deploys portable scalar UDFs as JavaScript UDFs (`CREATE OR REPLACE SECURE FUNCTION`, one per arity)
   * in the target's database and schema, bundled from the project root — only those missing or changed:
   * one `SHOW USER FUNCTIONS IN SCHEMA` lists what is there, and a function whose COMMENT carries the
   * same fingerprint as the statement Weir would run is left alone (so `weir query`/`show` don't
   * redeploy every UDF each time). Batch UDFs and non-portable scalar UDFs are skipped (Snowflake can't
   * call back into this process); calls to them fail with Snowflake's "Unknown function" error plus the
   * reason. The `impl` of a registration is unused here.
   * @throws WeirError `WEIR_UDF_INVALID` when a portable UDF can't be bundled; AdapterError from Snowflake
   */
  async registerUdfs(udfs: readonly UdfRegistration[]): Promise<void> {
    const deploy = deployableUdfs(udfs, this.undeployedUdfs);
    if (deploy.length === 0) return;
    const statements: SnowflakeUdfStatement[] = [];
    for (const udf of deploy) statements.push(...(await snowflakeUdfDdl(udf, this.projectRoot, { database: this.target.database, schema: this.target.schema })));
    const conn = await this.connect();
    try {
      const deployed = await deployedUdfFingerprints(conn, this.target.database, this.target.schema);
      const stale = statements.filter((st) => deployed.get(`${st.name}/${st.arity}`) !== st.fingerprint);
      this.udfDeployments = { checked: statements.length, deployed: stale.length };
      if (stale.length === 0) return;
      if (deployed.size === 0) await this.createSchema(conn, this.target.schema);
      for (const st of stale) await conn.execute(st.sql);
    } finally {
      await conn.close();
      this.connections.delete(conn as SnowflakeConnectionWrapper);
    }
  }

  /** What the last {@link registerUdfs} did: functions checked and (re)deployed (for `weir debug` and tests). */
  udfDeployments?: { readonly checked: number; readonly deployed: number };

  describe(): Record<string, unknown> {
    const t = this.target;
    return {
      type: 'snowflake', account: t.account, user: t.user, role: t.role, warehouse: t.warehouse, database: t.database, schema: t.schema,
      authenticator: t.authenticator, access_url: t.access_url, threads: t.threads, transient: t.transient, query_tag: t.query_tag,
    };
  }

  async close(): Promise<void> {
    for (const c of this.connections) await c.close().catch(() => undefined);
    this.connections.clear();
  }
}
