/**
 * The Snowflake adapter, on the official `snowflake-sdk` (imported lazily: a DuckDB-only run never loads
 * it). One sdk connection (one Snowflake session) per worker thread.
 *
 * - Tables: `create or replace [transient] table ... as` — atomic in Snowflake, so no temporary table and
 *   swap (capability `atomicReplaceTable`). Views: `create or replace view`.
 * - Seeds: the CSV (`.csv`, `.tsv`, `.gz`) is parsed client-side with csv-parse, column types are inferred
 *   like DuckDB's sniffer (BIGINT, DOUBLE, BOOLEAN, DATE, TIMESTAMP, else VARCHAR; `column_types`
 *   override), rows are inserted in batches with positional binds into a temporary table, and the target is
 *   replaced in one `create or replace table ... as select` (the old seed stays if loading fails).
 *   For big seeds (beyond ~100k rows) PUT the file to a stage and `COPY INTO` instead: one round trip per
 *   batch of binds is slow over the internet, while COPY loads in parallel inside Snowflake. Not done here.
 * - Query tags: `QUERY_TAG` is set per node (`ALTER SESSION SET QUERY_TAG`) to a JSON object carrying the
 *   node id and the target's `query_tag`, so Snowflake's query history attributes every statement.
 * - Errors: login failures (wrong password, unreachable host, timeout) become `WEIR_DB_OPEN_FAILED` naming
 *   the target; SQL errors become AdapterError with Snowflake's code and SQL state (the runner names the
 *   node). Credentials are never put in messages; the sdk's own logger is switched off.
 * - UDFs: portable scalar UDFs are deployed before the first node as JavaScript UDFs in the target's
 *   database/schema (`registerUdfs`, see snowflake-udfs.ts). Batch UDFs and non-portable scalar UDFs are
 *   not deployed; a statement calling one fails with Snowflake's "Unknown function" error, to which the
 *   adapter appends why that UDF is missing.
 */
import { importOptional } from '../../utils/optional-dependency.js';
import { createReadStream, readFileSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import path from 'node:path';
import { z } from 'zod';
import { WeirError } from '../../errors/weir-error.js';
import type { RelationName } from '../../manifest/types.js';
import { AdapterError, type Adapter, type AdapterCapabilities, type ColumnMeta, type Connection, type QueryResult, type RelationInfo, type SeedLoad, type UdfRegistration } from '../adapter.js';
import type { RelationKind } from '../ansi-sql.js';
import { makeSnowflakeDialect } from './snowflake-dialect.js';
import { tmpRelation } from '../relation-swap.js';
import { snowflakeUdfDdl, udfFingerprintOf, type SnowflakeUdfStatement } from './snowflake-udfs.js';
import { preparePrivateKey } from './private-key.js';

type SnowflakeSdk = typeof import('snowflake-sdk');
type SdkConnection = import('snowflake-sdk').Connection;
type SdkStatement = import('snowflake-sdk').RowStatement;

/** Target configuration for `type: snowflake`. */
export const snowflakeTargetSchema = z
  .object({
    type: z.literal('snowflake'),
    /** Account identifier, e.g. `myorg-myaccount` (or the legacy `xy12345.eu-central-1`). */
    account: z.string().min(1),
    user: z.string().min(1),
    role: z.string().min(1).optional(),
    warehouse: z.string().min(1).optional(),
    database: z.string().min(1),
    schema: z.string().min(1).default('public'),
    /** `snowflake` (password, default), `snowflake_jwt` (key pair) or `oauth` (token). */
    authenticator: z.preprocess((v) => (typeof v === 'string' ? v.toLowerCase() : v), z.enum(['snowflake', 'snowflake_jwt', 'oauth'])).default('snowflake'),
    password: z.string().optional(),
    /**
     * PEM private key text (key-pair auth), usually `{{env "SNOWFLAKE_PRIVATE_KEY"}}`. Newlines written as
     * `\n` (as CI secret stores keep them) are accepted: see private-key.ts.
     */
    private_key: z.string().min(1).optional(),
    /** PEM private key file, relative to the project root (key-pair auth). */
    private_key_path: z.string().min(1).optional(),
    private_key_passphrase: z.string().optional(),
    /** OAuth access token (`authenticator: oauth`). */
    token: z.string().min(1).optional(),
    /** Overrides the URL built from the account: private links, or a local test server (`http://127.0.0.1:port`). */
    access_url: z.string().url().optional(),
    threads: z.number().int().min(1).max(64).default(4),
    /** Create tables as TRANSIENT (no Fail-safe). */
    transient: z.boolean().default(false),
    /** Added to every statement's QUERY_TAG next to the node id. */
    query_tag: z.string().max(1000).optional(),
    /** HTTP request timeout for login and each request, in seconds. */
    connect_timeout_seconds: z.number().positive().default(60),
    /** Login retries on network errors (the sdk's default is 7, with growing sleeps). */
    connect_retries: z.number().int().min(0).max(10).default(1),
    /** A statement running longer is cancelled and fails with a timeout error. */
    query_timeout_seconds: z.number().positive().default(3600),
    /** Rows per `INSERT ... VALUES` batch when loading seeds (Snowflake accepts at most 16,384). */
    seed_batch_rows: z.number().int().min(1).max(16_384).default(1000),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.authenticator === 'snowflake' && t.password === undefined) {
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'password is required with authenticator snowflake (use {{env "SNOWFLAKE_PASSWORD"}})' });
    }
    if (t.authenticator === 'snowflake_jwt' && !t.private_key && !t.private_key_path) {
      ctx.addIssue({ code: 'custom', path: ['private_key_path'], message: 'private_key or private_key_path is required with authenticator snowflake_jwt' });
    }
    if (t.authenticator === 'oauth' && !t.token) {
      ctx.addIssue({ code: 'custom', path: ['token'], message: 'token is required with authenticator oauth (use {{env "SNOWFLAKE_TOKEN"}})' });
    }
  });

/** Validated Snowflake target. */
export type SnowflakeTarget = z.output<typeof snowflakeTargetSchema>;

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

let sdkPromise: Promise<SnowflakeSdk> | undefined;

/** Loads snowflake-sdk once, with its logger off (it would write `snowflake.log` into the working dir). */
async function loadSdk(targetName: string): Promise<SnowflakeSdk> {
  // The sdk's bundled AWS S3 client (PUT/GET only, unused by Weir) warns about Node 20 on stderr at load.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // snowflake-sdk is an optional peer dependency: a missing install names the package and the command.
  sdkPromise ??= importOptional({ name: 'snowflake-sdk', range: '^3.3.0', neededFor: `target '${targetName}' (type snowflake)` }, () => import('snowflake-sdk')).then((m) => {
    const sdk = ((m as unknown as { default?: SnowflakeSdk }).default ?? m) as SnowflakeSdk;
    sdk.configure({ logLevel: 'OFF' });
    return sdk;
  }, (e: unknown) => {
    sdkPromise = undefined;
    throw e;
  });
  return sdkPromise;
}

/** An sdk error's Snowflake code, SQL state and message. */
interface SdkError {
  message?: string;
  code?: string | number;
  sqlState?: string;
  cause?: { code?: string; message?: string };
}

/**
 * Converts an sdk statement error into an AdapterError: `SQL compilation error ... [code 002003, SQL state 42S02]`.
 */
export function mapSnowflakeError(e: unknown): AdapterError {
  const err = (e ?? {}) as SdkError;
  const msg = (err.message ?? String(e)).trim();
  const parts = [err.code !== undefined ? `code ${String(err.code).padStart(6, '0')}` : undefined, err.sqlState ? `SQL state ${err.sqlState}` : undefined].filter(Boolean);
  return new AdapterError(parts.length ? `${msg} [${parts.join(', ')}]` : msg, { sqlState: err.sqlState, cause: e });
}

class SnowflakeConnectionWrapper implements Connection {
  private running?: SdkStatement;

  constructor(
    private readonly conn: SdkConnection,
    private readonly queryTimeoutMs: number,
    private readonly queryTagPrefix: string | undefined,
    /** UDF name (lower-case) → why it is not deployed on Snowflake, appended to "unknown function" errors. */
    private readonly undeployedUdfs: ReadonlyMap<string, string> = new Map(),
  ) {}

  execute(sql: string, binds?: readonly unknown[]): Promise<QueryResult> {
    return new Promise<QueryResult>((resolve, reject) => {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        this.running?.cancel(() => undefined);
      }, this.queryTimeoutMs);
      timer.unref();
      this.running = this.conn.execute({
        sqlText: sql,
        binds: binds ? (binds.map(toBind) as import('snowflake-sdk').Binds) : undefined,
        rowMode: 'array',
        complete: (err, stmt, rows) => {
          clearTimeout(timer);
          this.running = undefined;
          if (timedOut) {
            reject(new AdapterError(`statement timed out after ${this.queryTimeoutMs / 1000} s (query_timeout_seconds) and was cancelled`, { cause: err }));
            return;
          }
          if (err) {
            reject(explainUndeployedUdf(mapSnowflakeError(err), this.undeployedUdfs));
            return;
          }
          const columns = (stmt.getColumns() ?? []).map((c) => ({ name: c.getName(), type: c.getType().toUpperCase() }));
          const updated = stmt.getNumUpdatedRows();
          resolve({
            columns,
            rows: ((rows ?? []) as unknown[][]).map((r) => r.map(fromSdkValue)),
            rowsAffected: updated !== undefined && updated >= 0 ? updated : undefined,
          });
        },
      }) as SdkStatement;
    });
  }

  async tagNode(nodeId: string, modelTag?: string): Promise<void> {
    const t = modelTag ?? this.queryTagPrefix;
    const tag = JSON.stringify({ app: 'weir', node_id: nodeId, ...(t ? { tag: t } : {}) });
    await this.execute(`alter session set query_tag = ${makeSnowflakeDialect().literal(tag)}`);
  }

  async cancel(): Promise<void> {
    const s = this.running;
    if (!s) return;
    await new Promise<void>((resolve) => s.cancel(() => resolve()));
  }

  async close(): Promise<void> {
    if (!this.conn.isUp()) return;
    await new Promise<void>((resolve) => this.conn.destroy(() => resolve()));
  }
}

/**
 * Adds why a UDF is missing to an "unknown function" error naming a project UDF that was not deployed
 * (Snowflake: `Unknown function SHOUT`; the test server: DuckDB's `Scalar Function with name shout does not exist`).
 */
function explainUndeployedUdf(e: AdapterError, undeployed: ReadonlyMap<string, string>): AdapterError {
  if (undeployed.size === 0) return e;
  const m = /unknown function\s+(?:[\w$"]+\.)*"?([\w$]+)"?|function with name "?([\w$]+)"? does not exist/i.exec(e.message);
  const why = m ? undeployed.get((m[1] ?? m[2]).toLowerCase()) : undefined;
  if (!why) return e;
  return new AdapterError(`${e.message}\n${why}`, { sqlState: e.sqlState, cause: e.cause });
}

/** A bind value the sdk accepts (strings, numbers, booleans, null, Date). */
function toBind(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  return v;
}

/** sdk values back to Weir's JS values (dates stay Date; the sdk's SfDate is a Date subclass). */
function fromSdkValue(v: unknown): unknown {
  return v;
}

/** The Snowflake adapter. Construct through the registry. */
export class SnowflakeAdapter implements Adapter {
  readonly type = 'snowflake';
  readonly dialect;
  readonly capabilities = CAPABILITIES;
  private sdk?: SnowflakeSdk;
  private readonly connections = new Set<SnowflakeConnectionWrapper>();
  /** Project UDFs not deployed here (lower-case name → reason), for "unknown function" errors. */
  private readonly undeployedUdfs = new Map<string, string>();

  constructor(
    private readonly target: SnowflakeTarget,
    private readonly targetName: string,
    private readonly projectRoot: string,
  ) {
    this.dialect = makeSnowflakeDialect({ transient: target.transient });
  }

  get defaultSchema(): string {
    return this.target.schema;
  }

  get defaultDatabase(): string | undefined {
    return this.target.database;
  }

  /** Where the sdk connects: `access_url`, else `https://<account>.snowflakecomputing.com`. */
  private get url(): string {
    return this.target.access_url ?? `https://${this.target.account}.snowflakecomputing.com`;
  }

  async open(): Promise<void> {
    // Connecting once checks the credentials and the network before any node runs.
    const c = await this.connect();
    await c.close();
    this.connections.delete(c as SnowflakeConnectionWrapper);
  }

  /** sdk connection options for the target (secrets included: never log this object). */
  private connectionOptions(): import('snowflake-sdk').ConnectionOptions {
    const t = this.target;
    const opts: Record<string, unknown> = {
      account: t.account,
      username: t.user,
      database: t.database,
      schema: t.schema,
      authenticator: t.authenticator.toUpperCase(),
      application: 'weir',
      timeout: Math.round(t.connect_timeout_seconds * 1000),
      sfRetryMaxLoginRetries: t.connect_retries,
      clientSessionKeepAlive: false,
    };
    if (t.role) opts.role = t.role;
    if (t.warehouse) opts.warehouse = t.warehouse;
    if (t.access_url) opts.accessUrl = t.access_url;
    if (t.query_tag) opts.queryTag = JSON.stringify({ app: 'weir', tag: t.query_tag });
    if (t.authenticator === 'snowflake') opts.password = t.password;
    if (t.authenticator === 'snowflake_jwt') {
      // `\n`-escaped or reflowed PEM (CI secret stores) is normalized and checked first (private-key.ts).
      opts.privateKey = t.private_key
        ? preparePrivateKey(t.private_key, t.private_key_passphrase, { targetName: this.targetName, field: 'private_key' })
        : preparePrivateKey(this.readPrivateKey(t.private_key_path!), t.private_key_passphrase, { targetName: this.targetName, field: 'private_key_path', file: t.private_key_path });
      if (t.private_key_passphrase) opts.privateKeyPass = t.private_key_passphrase;
    }
    if (t.authenticator === 'oauth') opts.token = t.token;
    return opts as unknown as import('snowflake-sdk').ConnectionOptions;
  }

  private readPrivateKey(file: string): string {
    const abs = path.resolve(this.projectRoot, file);
    try {
      return readFileSync(abs, 'utf8');
    } catch (e) {
      throw new WeirError('WEIR_DB_OPEN_FAILED', `target '${this.targetName}': cannot read the private key file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
        hint: 'private_key_path is relative to the project root; or pass the PEM text with private_key: {{env "SNOWFLAKE_PRIVATE_KEY"}}.', cause: e,
      });
    }
  }

  async connect(): Promise<Connection> {
    this.sdk ??= await loadSdk(this.targetName);
    let conn: SdkConnection;
    try {
      conn = this.sdk.createConnection(this.connectionOptions());
    } catch (e) {
      if (e instanceof WeirError) throw e;
      throw new WeirError('WEIR_DB_OPEN_FAILED', `target '${this.targetName}': invalid Snowflake connection settings: ${(e as Error).message}`, { cause: e });
    }
    try {
      // connect(callback), not connectAsync(): the latter reports login failures only to its callback.
      await new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve())));
    } catch (e) {
      throw this.loginError(e);
    }
    const c = new SnowflakeConnectionWrapper(conn, this.target.query_timeout_seconds * 1000, this.target.query_tag, this.undeployedUdfs);
    this.connections.add(c);
    return c;
  }

  /** A clear, credential-free message for a failed login. */
  private loginError(e: unknown): WeirError {
    const err = (e ?? {}) as SdkError;
    const code = String(err.code ?? '');
    const causeCode = err.cause?.code ?? /\b(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|ECONNABORTED|EAI_AGAIN)\b/.exec(err.message ?? '')?.[1];
    const where = `target '${this.targetName}' (Snowflake account ${this.target.account} at ${this.url}, user ${this.target.user})`;
    let message: string;
    let hint: string;
    if (/^ERR_OSSL|^ERR_CRYPTO/.test(code) || /bad decrypt|DECODER routines|unsupported key|PEM routines/i.test(err.message ?? '')) {
      // Raised by the sdk while reading the key, before anything is sent.
      const decrypt = /BAD_DECRYPT|bad decrypt/i.test(`${code} ${err.message ?? ''}`);
      message = `${where}: cannot use the private key for key-pair (JWT) login: ${decrypt ? 'it could not be decrypted (wrong private_key_passphrase?)' : 'it is not a readable PEM private key'}`;
      hint = decrypt
        ? 'Check private_key_passphrase (usually {{env "SNOWFLAKE_KEY_PASSPHRASE"}}); leave it out for an unencrypted key.'
        : 'Use a PKCS#8 PEM key ("-----BEGIN [ENCRYPTED] PRIVATE KEY-----"), e.g. made with `openssl genrsa 2048 | openssl pkcs8 -topk8 -v2 aes-256-cbc`.';
    } else if (code === '390100' || /incorrect username or password/i.test(err.message ?? '')) {
      message = `${where}: login failed: incorrect username or password`;
      hint = 'Check the user and the password (usually {{env "SNOWFLAKE_PASSWORD"}} in project.yaml).';
    } else if (code === '390144' || code === '390318' || /JWT/i.test(err.message ?? '')) {
      message = `${where}: key-pair (JWT) login failed: ${err.message}`;
      hint = "Check that the user's RSA_PUBLIC_KEY matches the private key and that the passphrase is right.";
    } else if (code === '390303' || code === '390318' || /oauth/i.test(err.message ?? '')) {
      message = `${where}: OAuth login failed: ${err.message}`;
      hint = 'The OAuth token may have expired: fetch a new one.';
    } else if (causeCode === 'ECONNABORTED' || /timeout/i.test(err.message ?? '') || /timeout/i.test(err.cause?.message ?? '')) {
      message = `${where}: no answer within ${this.target.connect_timeout_seconds} s (connect_timeout_seconds)`;
      hint = 'Check the account identifier / access_url, the network path (proxy, private link) and that Snowflake is reachable.';
    } else if (causeCode) {
      message = `${where}: cannot connect (${causeCode})`;
      hint = 'Check the account identifier / access_url and the network (DNS, proxy, firewall).';
    } else {
      message = `${where}: login failed: ${(err.message ?? String(e)).split('\n')[0]}${code ? ` [code ${code}]` : ''}`;
      hint = 'Check the target settings in project.yaml.';
    }
    return new WeirError('WEIR_DB_OPEN_FAILED', message, { hint, cause: e });
  }

  /** Upper-case form of a name, as Snowflake stores names Weir creates. */
  private up(name: string): string {
    return name.toUpperCase();
  }

  async listRelations(schemas?: readonly string[]): Promise<RelationInfo[]> {
    const conn = await this.connect();
    try {
      const binds: unknown[] = [this.up(this.target.database)];
      let filter = '';
      if (schemas && schemas.length) {
        filter = ` and table_schema in (${schemas.map(() => '?').join(', ')})`;
        binds.push(...schemas.map((s) => this.up(s)));
      }
      const r = await conn.execute(
        `select table_schema, table_name, table_type from information_schema.tables where table_catalog = ?${filter} and table_schema <> 'INFORMATION_SCHEMA'`,
        binds,
      );
      return r.rows.map(([schema, identifier, kind]) => ({ schema: String(schema), identifier: String(identifier), kind: String(kind).toUpperCase() === 'VIEW' ? 'view' : 'table' }));
    } finally {
      await conn.close();
      this.connections.delete(conn as SnowflakeConnectionWrapper);
    }
  }

  async relationKind(conn: Connection, r: RelationName): Promise<RelationKind | undefined> {
    const res = await conn.execute(
      `select table_type from information_schema.tables where table_catalog = ? and table_schema = ? and table_name = ?`,
      [this.up(r.database ?? this.target.database), this.up(r.schema), this.up(r.identifier)],
    );
    if (!res.rows.length) return undefined;
    return String(res.rows[0][0]).toUpperCase() === 'VIEW' ? 'view' : 'table';
  }

  async listColumns(conn: Connection, r: RelationName): Promise<ColumnMeta[]> {
    const res = await conn.execute(
      `select column_name, data_type from information_schema.columns where table_catalog = ? and table_schema = ? and table_name = ? order by ordinal_position`,
      [this.up(r.database ?? this.target.database), this.up(r.schema), this.up(r.identifier)],
    );
    return res.rows.map(([name, type]) => ({ name: String(name), type: String(type) }));
  }

  /**
   * `LAST_ALTERED` of the table (https://docs.snowflake.com/en/sql-reference/info-schema/tables): changes
   * with every DDL and DML on it.
   */
  async relationFingerprint(conn: Connection, r: RelationName): Promise<string | undefined> {
    try {
      const db = r.database ?? this.target.database;
      const res = await conn.execute(
        `select last_altered from ${this.dialect.quoteIdentifier(this.up(db))}.information_schema.tables where table_schema = ? and table_name = ?`,
        [this.up(r.schema), this.up(r.identifier)],
      );
      const v = res.rows[0]?.[0];
      return v === undefined || v === null ? undefined : `snowflake:${v instanceof Date ? v.toISOString() : String(v)}`;
    } catch {
      return undefined;
    }
  }

  async createSchema(conn: Connection, schema: string, database?: string): Promise<void> {
    await conn.execute(`create schema if not exists ${[database ?? this.target.database, schema].map(this.dialect.quoteIdentifier).join('.')}`);
  }

  async loadSeed(conn: Connection, seed: SeedLoad): Promise<number> {
    if ((seed.format ?? 'csv') !== 'csv') {
      throw new WeirError('WEIR_SEED_INVALID', `${seed.format} seeds load on DuckDB only; Snowflake seeds are CSV (or .xlsx, converted to CSV)`, {
        location: { file: seed.displayPath }, hint: 'Convert the file to CSV, or load it into a table on the engine and declare it as a source.',
      });
    }
    const d = this.dialect;
    const { header, rows } = await readSeedCsv(seed);
    for (const k of Object.keys(seed.columnTypes)) {
      if (!header.includes(k)) {
        throw new WeirError('WEIR_SEED_INVALID', `column_types names '${k}', which is not a column of the CSV header (${header.join(', ')})`, {
          location: { file: seed.displayPath }, hint: 'A column in config.column_types is not in the CSV header: fix the name in the seed YAML.',
        });
      }
    }
    const types = header.map((h, i) => seed.columnTypes[h] ?? inferType(rows, i));
    const tmp = d.relation(tmpRelation(seed.relation));
    const target = d.relation(seed.relation);
    const cols = header.map((h) => d.quoteIdentifier(h));
    await conn.execute(`create or replace ${this.target.transient ? 'transient ' : ''}table ${tmp} (${cols.map((c, i) => `${c} ${types[i]}`).join(', ')})`);
    try {
      // Batches of rows, bounded by the row limit and by ~16k binds per statement.
      const perBatch = Math.max(1, Math.min(this.target.seed_batch_rows, Math.floor(16_000 / Math.max(1, header.length))));
      const rowSql = `(${header.map(() => '?').join(', ')})`;
      for (let i = 0; i < rows.length; i += perBatch) {
        const batch = rows.slice(i, i + perBatch);
        const binds = batch.flatMap((r) => r.map((v) => (v === '' ? null : v)));
        try {
          await conn.execute(`insert into ${tmp} (${cols.join(', ')}) values ${batch.map(() => rowSql).join(', ')}`, binds);
        } catch (e) {
          const m = mapSnowflakeError(e);
          throw new WeirError('WEIR_SEED_INVALID', `seed rows ${i + 1}-${i + batch.length} could not be loaded into ${target}: ${m.message}`, {
            location: { file: seed.displayPath, line: i + 2 },
            hint: 'A value does not match its column type: fix the value or set config.column_types for that column (e.g. VARCHAR).',
            cause: e,
          });
        }
      }
      const existing = await this.relationKind(conn, seed.relation);
      if (existing === 'view') await conn.execute(d.ddl.dropRelation(target, 'view'));
      await conn.execute(`create or replace ${this.target.transient ? 'transient ' : ''}table ${target} as select * from ${tmp}`);
    } finally {
      await conn.execute(`drop table if exists ${tmp}`).catch(() => undefined);
    }
    return rows.length;
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
    const deploy = [];
    for (const { udf } of udfs) {
      const def = udf.definition;
      if (def.kind === 'scalar' && def.portable) {
        deploy.push(udf);
        this.undeployedUdfs.delete(def.name.toLowerCase());
      } else {
        this.undeployedUdfs.set(def.name.toLowerCase(), def.kind === 'batch'
          ? `UDF ${def.name} (${udf.module}) is a batch UDF: batch UDFs can't run on Snowflake (only portable scalar UDFs are deployed as JavaScript UDFs).`
          : `UDF ${def.name} (${udf.module}) is not portable, so it was not deployed to Snowflake: mark it \`portable: true\` if its code uses no Node APIs.`);
      }
    }
    if (deploy.length === 0) return;
    const statements: SnowflakeUdfStatement[] = [];
    for (const udf of deploy) statements.push(...(await snowflakeUdfDdl(udf, this.projectRoot, { database: this.target.database, schema: this.target.schema })));
    const conn = await this.connect();
    try {
      const deployed = await this.deployedUdfFingerprints(conn);
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

  /**
   * Fingerprints of the functions Weir deployed in the target schema, by `NAME/arity`, from one
   * `SHOW USER FUNCTIONS IN SCHEMA` (https://docs.snowflake.com/en/sql-reference/sql/show-user-functions):
   * `arguments` looks like `SHOUT(VARCHAR, FLOAT) RETURN VARCHAR`, `description` is the COMMENT.
   * An empty map when the schema doesn't exist yet.
   */
  private async deployedUdfFingerprints(conn: Connection): Promise<Map<string, string>> {
    const schema = [this.target.database, this.target.schema].map(this.dialect.quoteIdentifier).join('.');
    let res: QueryResult;
    try {
      res = await conn.execute(`show user functions in schema ${schema}`);
    } catch (e) {
      if ((e as AdapterError).sqlState === '02000' || /does not exist|not authorized/i.test((e as Error).message)) return new Map();
      throw e;
    }
    const col = (name: string) => res.columns.findIndex((c) => c.name.toLowerCase() === name);
    const [iName, iArgs, iDesc] = [col('name'), col('arguments'), col('description')];
    const out = new Map<string, string>();
    if (iName < 0 || iArgs < 0 || iDesc < 0) return out;
    for (const r of res.rows) {
      const fp = udfFingerprintOf(r[iDesc] as string | null);
      const args = /\(([^)]*)\)/.exec(String(r[iArgs]))?.[1].trim() ?? '';
      const arity = args === '' ? 0 : args.split(',').length;
      if (fp) out.set(`${String(r[iName]).toUpperCase()}/${arity}`, fp);
    }
    return out;
  }

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

/** Reads a seed CSV (optionally gzipped) with csv-parse: header + rows of strings. */
async function readSeedCsv(seed: SeedLoad): Promise<{ header: string[]; rows: string[][] }> {
  const { parse } = await import('csv-parse');
  const delimiter = seed.delimiter ?? (/\.tsv(\.gz)?$/.test(seed.file) ? '\t' : ',');
  let input: Readable = createReadStream(seed.file);
  if (/\.gz$/.test(seed.file)) input = input.pipe(createGunzip());
  // A non-UTF-8 seed (config encoding) is decoded to text first (WHATWG encodings: latin-1, utf-16).
  if (seed.encoding && seed.encoding !== 'utf-8') {
    const chunks: Buffer[] = [];
    for await (const c of input) chunks.push(c as Buffer);
    input = Readable.from([new TextDecoder(seed.encoding).decode(Buffer.concat(chunks))]);
  }
  const records: string[][] = [];
  try {
    const parser = input.pipe(parse({ delimiter, bom: true, relax_column_count: false, skip_empty_lines: true, trim: false }));
    input.on('error', (e) => parser.destroy(e));
    for await (const rec of parser) records.push(rec as string[]);
  } catch (e) {
    const err = e as Error & { lines?: number; code?: string };
    if (err.code === 'ENOENT' || err.code === 'EACCES' || err.code === 'Z_DATA_ERROR') {
      throw new WeirError('WEIR_SEED_INVALID', `the seed file could not be read: ${err.message}`, { location: { file: seed.displayPath }, hint: 'The seed file could not be read.', cause: e });
    }
    throw new WeirError('WEIR_SEED_INVALID', `malformed seed CSV: ${err.message}`, {
      location: { file: seed.displayPath, line: err.lines },
      hint: 'Check that every row has the same number of fields as the header and that quotes are balanced.',
      cause: e,
    });
  }
  if (records.length === 0) throw new WeirError('WEIR_SEED_INVALID', 'the seed CSV is empty (no header)', { location: { file: seed.displayPath } });
  return { header: records[0], rows: records.slice(1) };
}

const INT = /^[+-]?\d{1,18}$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const BOOL = /^(true|false)$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/;

/**
 * The column type of seed column `i`, inferred over every non-empty value like DuckDB's CSV sniffer:
 * BIGINT, DOUBLE, BOOLEAN, DATE, TIMESTAMP (NTZ on Snowflake), else VARCHAR. Names valid on Snowflake
 * and DuckDB alike.
 */
export function inferType(rows: readonly (readonly string[])[], i: number): string {
  const candidates: [string, RegExp][] = [['BIGINT', INT], ['DOUBLE', FLOAT], ['BOOLEAN', BOOL], ['DATE', DATE], ['TIMESTAMP', TIMESTAMP]];
  let alive = candidates;
  let any = false;
  for (const r of rows) {
    const v = r[i];
    if (v === undefined || v === '') continue;
    any = true;
    alive = alive.filter(([, re]) => re.test(v));
    if (!alive.length) return 'VARCHAR';
  }
  return any ? alive[0][0] : 'VARCHAR';
}
