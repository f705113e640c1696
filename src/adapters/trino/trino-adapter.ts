/**
 * The Trino adapter, on the official `trino-client` (REST protocol over HTTP(S), one `Trino` client per
 * connection so that session headers the server sets stay with that connection).
 *
 * Quirks of trino-client 0.2.9 handled here (see {@link drainQuery}):
 * - a failed query is not a rejected promise: the error arrives in-band on `QueryResult.error` and is
 *   raised here as a {@link TrinoAdapterError} carrying errorName/errorType/errorCode;
 * - its iterator drops the data of the first response (the one to `POST /v1/statement`) when that response
 *   has no `nextUri` (it reports it as `done`), and replaces it unread when it has one: the first response is
 *   read here before paging;
 * - HTTP failures (401, connection refused) are axios errors, which carry the request configuration and
 *   with it the credentials: they are turned into messages here and never attached as a `cause`;
 * - the client has no timeout: statements race a timer here and are cancelled (`DELETE /v1/query/{id}`).
 *
 * Trino has no transactional DDL for most connectors and no JavaScript UDFs: a table is built under a
 * temporary name and swapped in by drop + rename (not atomic: see CAPABILITIES), seeds are read client-side
 * and loaded with batched `INSERT ... VALUES` of typed literals, and TypeScript UDF calls are evaluated
 * client-side (`udfHosting: 'none'`, execution/client-udfs.ts), which reads the distinct arguments page by
 * page through {@link TrinoConnection.stream}.
 */
import { safeErrorBody } from '../../utils/error-body.js';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { z } from 'zod';
import { parse as parseCsv } from 'csv-parse/sync';
import { BasicAuth, Trino, type ConnectionOptions, type QueryResult as TrinoQueryResult } from 'trino-client';
import { WeirError } from '../../errors/weir-error.js';
import type { RelationName } from '../../manifest/types.js';
import { AdapterError, type Adapter, type AdapterCapabilities, type ColumnMeta, type Connection, type QueryResult, type RelationInfo, type SeedLoad } from '../adapter.js';
import type { RelationKind } from '../ansi-sql.js';
import { swapIn, tmpRelation } from '../relation-swap.js';
import { trinoDialect } from './trino-dialect.js';

const authSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('basic'),
    /** Read it from the environment: `password: '{{env "TRINO_PASSWORD"}}'` (redacted from logs and artifacts). */
    password: z.string(),
  }).strict(),
  z.object({
    type: z.literal('jwt'),
    /** A bearer token, sent as `Authorization: Bearer <token>`; read it from the environment. */
    token: z.string().min(1),
  }).strict(),
]);

/** Target configuration for `type: trino`. */
export const trinoTargetSchema = z
  .object({
    type: z.literal('trino'),
    /** Coordinator URL, e.g. `https://trino.example.com:8443`. */
    server: z.string().url(),
    user: z.string().min(1),
    catalog: z.string().min(1),
    schema: z.string().min(1),
    auth: authSchema.optional(),
    /** TLS for `https://` servers: a CA bundle file (project-relative) and whether to verify the certificate. */
    tls: z.object({
      ca_file: z.string().min(1).optional(),
      verify: z.boolean().default(true),
    }).strict().optional(),
    /** Trino session properties sent with every statement, e.g. `{query_max_run_time: '1h'}`. */
    session_properties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    threads: z.number().int().min(1).max(64).default(4),
    /** Seconds a statement may take (queueing, running and paging) before it is cancelled. */
    query_timeout_seconds: z.number().positive().default(3600),
    /** Seconds the connection check at open may take (an unreachable host fails after this). */
    connect_timeout_seconds: z.number().positive().default(15),
    /** Rows per `INSERT ... VALUES` statement when loading seeds. */
    seed_batch_rows: z.number().int().min(1).max(100_000).default(1000),
  })
  .strict();

/** Validated Trino target. */
export type TrinoTarget = z.output<typeof trinoTargetSchema>;

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

/** A Trino query failure (in-band `error` object), or a protocol/HTTP failure (no errorName). */
export class TrinoAdapterError extends AdapterError {
  /** Trino's error name, e.g. `TABLE_NOT_FOUND`, `SYNTAX_ERROR`, `USER_CANCELED`. */
  readonly errorName?: string;
  /** `USER_ERROR`, `INTERNAL_ERROR`, `INSUFFICIENT_RESOURCES` or `EXTERNAL`. */
  readonly errorType?: string;
  readonly errorCode?: number;
  readonly queryId?: string;
  /** HTTP status when the server answered with one (401 for bad credentials). */
  readonly httpStatus?: number;
  constructor(message: string, o: { errorName?: string; errorType?: string; errorCode?: number; queryId?: string; httpStatus?: number } = {}) {
    super(message, { sqlState: o.errorName });
    this.name = 'TrinoAdapterError';
    this.errorName = o.errorName;
    this.errorType = o.errorType;
    this.errorCode = o.errorCode;
    this.queryId = o.queryId;
    this.httpStatus = o.httpStatus;
  }
}

/** The server URL without any `user:password@` part, for messages. */
export function displayServer(server: string): string {
  try {
    const u = new URL(server);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '<invalid server URL>';
  }
}

/**
 * Turns a transport failure (an axios error from trino-client) into an AdapterError naming the target.
 * Only the status, the error code and the response's own message are used: the axios error itself holds
 * the request headers (Authorization) and must not travel further.
 */
export function mapTransportError(e: unknown, targetName: string, target: Pick<TrinoTarget, 'server' | 'user' | 'auth'>): TrinoAdapterError {
  if (e instanceof TrinoAdapterError) return e;
  const err = e as { response?: { status?: number; data?: unknown }; code?: string; message?: string };
  const where = `target '${targetName}' (Trino at ${displayServer(target.server)})`;
  const status = err?.response?.status;
  if (status === 401 || status === 403) {
    const how = target.auth?.type === 'jwt' ? 'the JWT bearer token was rejected' : target.auth?.type === 'basic' ? `the password for user '${target.user}' was rejected` : `user '${target.user}' needs credentials (set auth)`;
    return new TrinoAdapterError(`${where}: authentication failed (HTTP ${status}): ${how}`, { httpStatus: status });
  }
  if (status !== undefined) {
    // The body may echo the request (an intermediary's error page): credentials stripped (utils/error-body.ts).
    const known = [target.auth?.type === 'basic' ? target.auth.password : undefined, target.auth?.type === 'jwt' ? target.auth.token : undefined].filter((x): x is string => typeof x === 'string');
    const body = typeof err.response?.data === 'string' ? safeErrorBody(err.response.data, known, target.user) : '';
    return new TrinoAdapterError(`${where}: HTTP ${status}${body ? `: ${body}` : ''}`, { httpStatus: status });
  }
  const code = err?.code;
  if (code && /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ECONNABORTED|CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
    const tlsHint = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code) ? ' (TLS: set tls.ca_file, or tls.verify: false for a test server)' : '';
    return new TrinoAdapterError(`${where}: cannot reach the server (${code})${tlsHint}`);
  }
  return new TrinoAdapterError(`${where}: ${err?.message ?? String(e)}`);
}

/** A Trino in-band query error as an AdapterError (message, name, type, code, position). */
export function mapQueryError(error: NonNullable<TrinoQueryResult['error']>, queryId: string | undefined, targetName: string): TrinoAdapterError {
  const loc = (error as { errorLocation?: { lineNumber?: number; columnNumber?: number } }).errorLocation;
  const at = loc?.lineNumber ? ` at line ${loc.lineNumber}${loc.columnNumber ? `:${loc.columnNumber}` : ''}` : '';
  return new TrinoAdapterError(
    `target '${targetName}': Trino ${error.errorName ?? 'error'} (${error.errorType ?? 'UNKNOWN'})${at}: ${error.message}${queryId ? ` [query ${queryId}]` : ''}`,
    { errorName: error.errorName, errorType: error.errorType, errorCode: error.errorCode, queryId },
  );
}

/**
 * Replaces `?` placeholders with literals (Trino's REST protocol has no binds outside PREPARE/EXECUTE).
 * Placeholders inside string literals, quoted identifiers and comments are left alone.
 * @throws Error when the number of placeholders and values differ
 */
export function inlineBinds(sql: string, binds: readonly unknown[], literal: (v: unknown) => string): string {
  let out = '';
  let n = 0;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i];
    if (ch === "'" || ch === '"') {
      const end = closing(sql, i, ch);
      out += sql.slice(i, end);
      i = end - 1;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (ch === '?') {
      if (n >= binds.length) throw new Error(`the SQL has more ? placeholders than the ${binds.length} value(s) given`);
      out += literal(binds[n++]);
    } else out += ch;
  }
  if (n !== binds.length) throw new Error(`the SQL has ${n} ? placeholder(s) but ${binds.length} value(s) were given`);
  return out;
}

function closing(sql: string, start: number, q: string): number {
  for (let i = start + 1; i < sql.length; i++) {
    if (sql[i] === q) {
      if (sql[i + 1] === q) i++;
      else return i + 1;
    }
  }
  return sql.length;
}

/** Converts one JSON value of a Trino result to Weir's JS conventions (bigint for BIGINT, numbers for floats). */
export function convertValue(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  const t = type.toLowerCase();
  if (t === 'bigint') return typeof value === 'number' || typeof value === 'string' ? BigInt(typeof value === 'number' ? Math.trunc(value) : value) : value;
  if (t === 'double' || t === 'real') {
    if (value === 'NaN') return Number.NaN;
    if (value === 'Infinity') return Number.POSITIVE_INFINITY;
    if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  }
  return value;
}

/** The parts of trino-client's iterator this adapter reads (0.2.9: `Iterator.iter` is the `QueryIterator`). */
interface ClientIterator {
  next(): Promise<IteratorResult<TrinoQueryResult>>;
  iter?: { queryResult?: TrinoQueryResult };
}

/** One page of a Trino result as Weir reads it. */
export interface TrinoPage {
  readonly columns: ColumnMeta[];
  readonly rows: unknown[][];
  readonly updateCount?: number;
  readonly id?: string;
}

/**
 * Reads a query result page by page: the first response (which the client's iterator would drop), then
 * every page, raising an in-band error. Pages without data are skipped by the client; the final `done`
 * value repeats the last page and is ignored. Every yielded page carries the columns (from the first
 * response that had them).
 * @param onId called with the query id as soon as it is known (for cancel)
 */
export async function* queryPages(it: ClientIterator, onId: (id: string) => void, targetName: string): AsyncGenerator<TrinoPage> {
  const first = it.iter?.queryResult;
  if (!first || typeof first !== 'object') throw new TrinoAdapterError(`target '${targetName}': unexpected trino-client internals (no first QueryResult): is trino-client still 0.2.9?`);
  let columns: ColumnMeta[] | undefined;
  let updateCount: number | undefined;
  const take = (r: TrinoQueryResult): TrinoPage => {
    if (r.id) onId(r.id);
    if (r.error) throw mapQueryError(r.error, r.id, targetName);
    if (r.columns && !columns) columns = r.columns.map((c) => ({ name: c.name, type: c.type }));
    const uc = (r as { updateCount?: number }).updateCount;
    if (typeof uc === 'number') updateCount = uc;
    const cols = columns ?? [];
    const rows = (r.data ?? []).map((row) => (row as unknown[]).map((v, i) => convertValue(v, cols[i]?.type ?? '')));
    return { columns: cols, rows, updateCount, id: first.id };
  };
  yield take(first);
  if (first.nextUri) {
    for (;;) {
      const step = await it.next();
      if (step.done) break;
      yield take(step.value);
    }
  }
}

/**
 * Reads a whole query result (all of {@link queryPages}).
 * @param onId called with the query id as soon as it is known (for cancel)
 */
export async function drainQuery(it: ClientIterator, onId: (id: string) => void, targetName: string): Promise<{ columns: ColumnMeta[]; rows: unknown[][]; updateCount?: number; id?: string }> {
  let last: TrinoPage | undefined;
  const rows: unknown[][] = [];
  for await (const page of queryPages(it, onId, targetName)) {
    for (const r of page.rows) rows.push(r);
    last = page;
  }
  return { columns: last?.columns ?? [], rows, updateCount: last?.updateCount, id: last?.id };
}

class TrinoConnection implements Connection {
  private queryId?: string;
  private cancelled = false;

  constructor(private readonly client: Trino, private readonly adapter: TrinoAdapter) {}

  async execute(sql: string, binds?: readonly unknown[], timeoutSeconds?: number): Promise<QueryResult> {
    const a = this.adapter;
    const text = binds && binds.length ? inlineBinds(sql, binds, trinoDialect.literal) : sql;
    this.queryId = undefined;
    this.cancelled = false;
    const seconds = timeoutSeconds ?? a.target.query_timeout_seconds;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const id = this.queryId;
        if (id) void this.client.cancel(id).catch(() => undefined);
        reject(new TrinoAdapterError(`target '${a.targetName}': statement timed out after ${seconds} s${id ? ` and was cancelled [query ${id}]` : ' (no answer from the server)'}`, { errorName: 'WEIR_TIMEOUT', queryId: id }));
      }, seconds * 1000);
      timer.unref?.();
    });
    const run = async () => {
      let it: ClientIterator;
      try {
        it = (await this.client.query({ query: text, user: a.target.user, catalog: a.target.catalog, schema: a.target.schema })) as unknown as ClientIterator;
      } catch (e) {
        throw mapTransportError(e, a.targetName, a.target);
      }
      try {
        return await drainQuery(it, (id) => { this.queryId = id; }, a.targetName);
      } catch (e) {
        if (e instanceof TrinoAdapterError) throw e;
        throw mapTransportError(e, a.targetName, a.target);
      }
    };
    try {
      const r = await Promise.race([run(), timeout]);
      return { columns: r.columns, rows: r.rows, rowsAffected: r.updateCount };
    } catch (e) {
      if (this.cancelled && e instanceof TrinoAdapterError && !e.errorName) {
        throw new TrinoAdapterError(`target '${a.targetName}': the statement was cancelled`, { errorName: 'USER_CANCELED', queryId: this.queryId });
      }
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Yields the result page by page as the server sends them (`nextUri` paging), so a large result is
   * never held whole. The statement is cancelled when it runs past `query_timeout_seconds` or when the
   * caller stops iterating early.
   */
  async *stream(sql: string): AsyncGenerator<QueryResult> {
    const a = this.adapter;
    this.queryId = undefined;
    this.cancelled = false;
    const deadline = Date.now() + a.target.query_timeout_seconds * 1000;
    let it: ClientIterator;
    try {
      it = (await this.client.query({ query: sql, user: a.target.user, catalog: a.target.catalog, schema: a.target.schema })) as unknown as ClientIterator;
    } catch (e) {
      throw mapTransportError(e, a.targetName, a.target);
    }
    let finished = false;
    try {
      for await (const page of queryPages(it, (id) => { this.queryId = id; }, a.targetName)) {
        if (Date.now() > deadline) {
          throw new TrinoAdapterError(`target '${a.targetName}': statement timed out after ${a.target.query_timeout_seconds} s and was cancelled${this.queryId ? ` [query ${this.queryId}]` : ''}`, { errorName: 'WEIR_TIMEOUT', queryId: this.queryId });
        }
        if (page.rows.length) yield { columns: page.columns, rows: page.rows };
      }
      finished = true;
    } catch (e) {
      if (e instanceof TrinoAdapterError) throw e;
      throw mapTransportError(e, a.targetName, a.target);
    } finally {
      if (!finished && this.queryId) await this.client.cancel(this.queryId).catch(() => undefined);
    }
  }

  async cancel(): Promise<void> {
    this.cancelled = true;
    const id = this.queryId;
    if (!id) return;
    try {
      await this.client.cancel(id);
    } catch {
      /* best effort: the query may have finished */
    }
  }

  async close(): Promise<void> {
    await this.cancel();
  }

  /** Id of the statement running now (or the last one). */
  get currentQueryId(): string | undefined {
    return this.queryId;
  }
}

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
    const extraHeaders: Record<string, string> = {};
    let auth: BasicAuth | undefined;
    if (target.auth?.type === 'basic') auth = new BasicAuth(target.user, target.auth.password);
    else if (target.auth?.type === 'jwt') extraHeaders.Authorization = `Bearer ${target.auth.token}`;
    const ssl = target.tls
      ? { rejectUnauthorized: target.tls.verify, ...(target.tls.ca_file ? { ca: readFileSync(path.resolve(projectRoot, target.tls.ca_file)) } : {}) }
      : undefined;
    this.options = {
      server: target.server,
      source: 'weir',
      catalog: target.catalog,
      schema: target.schema,
      auth,
      session: Object.fromEntries(Object.entries(target.session_properties).map(([k, v]) => [k, String(v)])),
      ssl,
      extraHeaders,
    };
  }

  get defaultSchema(): string {
    return this.target.schema;
  }

  get defaultDatabase(): string {
    return this.target.catalog;
  }

  /** Checks that the server answers and accepts the credentials (`select 1`). */
  async open(): Promise<void> {
    const conn = new TrinoConnection(Trino.create(this.options), this);
    try {
      await conn.execute('select 1', undefined, this.target.connect_timeout_seconds);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      throw new WeirError('WEIR_DB_OPEN_FAILED', msg.replace(/statement timed out/, 'no answer to the connection check'), {
        hint: `Check targets.${this.targetName}.server, user and auth in project.yaml (and that the coordinator is up).`,
      });
    }
  }

  async connect(): Promise<Connection> {
    return new TrinoConnection(Trino.create(this.options), this);
  }

  private get catalogLiteral(): string {
    return trinoDialect.literal(this.target.catalog);
  }

  private infoSchema(table: 'tables' | 'columns', catalog = this.target.catalog): string {
    return `${trinoDialect.quoteIdentifier(catalog)}.information_schema.${table}`;
  }

  async listRelations(schemas?: readonly string[]): Promise<RelationInfo[]> {
    const conn = await this.connect();
    try {
      const filter = schemas && schemas.length ? ` and table_schema in (${schemas.map((s) => trinoDialect.literal(s)).join(', ')})` : " and table_schema <> 'information_schema'";
      const r = await conn.execute(`select table_schema, table_name, table_type from ${this.infoSchema('tables')} where table_catalog = ${this.catalogLiteral}${filter}`);
      return r.rows.map(([schema, identifier, kind]) => ({ schema: String(schema), identifier: String(identifier), kind: String(kind).toUpperCase() === 'VIEW' ? 'view' : 'table' }));
    } finally {
      await conn.close();
    }
  }

  async relationKind(conn: Connection, r: RelationName): Promise<RelationKind | undefined> {
    const catalog = r.database ?? this.target.catalog;
    const res = await conn.execute(
      `select table_type from ${this.infoSchema('tables', catalog)} where table_catalog = ? and table_schema = ? and table_name = ?`,
      [catalog, r.schema, r.identifier],
    );
    if (!res.rows.length) return undefined;
    return String(res.rows[0][0]).toUpperCase() === 'VIEW' ? 'view' : 'table';
  }

  async listColumns(conn: Connection, relation: RelationName): Promise<ColumnMeta[]> {
    const catalog = relation.database ?? this.target.catalog;
    const r = await conn.execute(
      `select column_name, data_type from ${this.infoSchema('columns', catalog)} where table_catalog = ? and table_schema = ? and table_name = ? order by ordinal_position`,
      [catalog, relation.schema, relation.identifier],
    );
    return r.rows.map(([name, type]) => ({ name: String(name), type: String(type) }));
  }

  /**
   * The current Iceberg snapshot id (`"<table>$snapshots"`, https://trino.io/docs/current/connector/iceberg.html#snapshots-table):
   * every write commits a new snapshot. Other connectors have no such table: undefined (rebuild).
   */
  async relationFingerprint(conn: Connection, relation: RelationName): Promise<string | undefined> {
    const d = trinoDialect;
    try {
      const t = `${d.quoteIdentifier(relation.database ?? this.target.catalog)}.${d.quoteIdentifier(relation.schema)}.${d.quoteIdentifier(`${relation.identifier}$snapshots`)}`;
      const r = await conn.execute(`select snapshot_id from ${t} order by committed_at desc limit 1`);
      const v = r.rows[0]?.[0];
      return v === undefined || v === null ? undefined : `iceberg:${String(v)}`;
    } catch {
      return undefined;
    }
  }

  async createSchema(conn: Connection, schema: string, database?: string): Promise<void> {
    const d = trinoDialect;
    await conn.execute(`create schema if not exists ${d.quoteIdentifier(database ?? this.target.catalog)}.${d.quoteIdentifier(schema)}`);
  }

  /**
   * Reads the CSV client-side (csv-parse; `.gz` gunzipped), creates `<name>__weir_tmp` with the column
   * types (config `column_types`, else inferred: see {@link inferSeedType}), inserts it in batches of
   * `seed_batch_rows` rows, then swaps it in. Empty fields are NULL.
   */
  async loadSeed(conn: Connection, seed: SeedLoad): Promise<number> {
    if ((seed.format ?? 'csv') !== 'csv') {
      throw new WeirError('WEIR_SEED_INVALID', `${seed.format} seeds load on DuckDB only; Trino seeds are CSV (or .xlsx, converted to CSV)`, {
        location: { file: seed.displayPath }, hint: 'Convert the file to CSV, or load it into a table on the engine and declare it as a source.',
      });
    }
    const d = trinoDialect;
    const { header, records } = readSeedCsv(seed);
    const lowerTypes = new Map(Object.entries(seed.columnTypes).map(([k, v]) => [k.toLowerCase(), v]));
    for (const k of lowerTypes.keys()) {
      if (!header.some((h) => h.toLowerCase() === k)) {
        throw new WeirError('WEIR_SEED_INVALID', `column_types names '${k}', which is not a column of the CSV header (${header.join(', ')})`, {
          location: { file: seed.displayPath, line: 1 },
          hint: 'A column in config.column_types is not in the CSV header: fix the name in the seed YAML.',
        });
      }
    }
    const types = header.map((h, i) => lowerTypes.get(h.toLowerCase()) ?? inferSeedType(records.map((r) => r[i])));
    const tmp = tmpRelation(seed.relation);
    const tmpSql = d.relation(tmp);
    await conn.execute(d.ddl.dropRelation(tmpSql, 'table'));
    await conn.execute(`create table ${tmpSql} (${header.map((h, i) => `${d.quoteIdentifier(h)} ${types[i]}`).join(', ')})`);
    try {
      const batch = this.target.seed_batch_rows;
      for (let i = 0; i < records.length; i += batch) {
        const values = records.slice(i, i + batch).map((r) => `(${r.map((v, j) => typedLiteral(v, types[j])).join(', ')})`);
        await conn.execute(`insert into ${tmpSql} values\n${values.join(',\n')}`);
      }
    } catch (e) {
      await conn.execute(d.ddl.dropRelation(tmpSql, 'table')).catch(() => undefined);
      const msg = e instanceof Error ? e.message : String(e);
      throw new WeirError('WEIR_SEED_INVALID', `seed could not be loaded into ${d.relation(seed.relation)}: ${msg}`, {
        location: { file: seed.displayPath },
        hint: 'A value does not match its column type: fix the value or set config.column_types for that column (e.g. varchar).',
      });
    }
    await swapIn(this, conn, tmp, seed.relation, await this.relationKind(conn, seed.relation));
    return records.length;
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

/** Parsed seed file: header and records (empty fields as null). */
function readSeedCsv(seed: SeedLoad): { header: string[]; records: (string | null)[][] } {
  let text: string;
  try {
    const buf = readFileSync(seed.file);
    text = new TextDecoder(seed.encoding ?? 'utf-8').decode(/\.gz$/.test(seed.file) ? gunzipSync(buf) : buf);
  } catch (e) {
    throw new WeirError('WEIR_SEED_INVALID', `the seed file could not be read: ${(e as Error).message}`, { location: { file: seed.displayPath }, hint: 'The seed file could not be read.' });
  }
  const delimiter = seed.delimiter ?? (/\.tsv(\.gz)?$/.test(seed.file) ? '\t' : ',');
  let rows: string[][];
  try {
    rows = parseCsv(text, { delimiter, quote: '"', escape: '"', bom: true, skip_empty_lines: true, relax_column_count: false }) as string[][];
  } catch (e) {
    const err = e as { message: string; lines?: number };
    throw new WeirError('WEIR_SEED_INVALID', `malformed seed CSV: ${err.message}`, {
      location: { file: seed.displayPath, line: err.lines },
      hint: 'Check that every row has the same number of fields as the header and that quotes are balanced.',
    });
  }
  if (rows.length === 0) throw new WeirError('WEIR_SEED_INVALID', 'the seed CSV is empty (no header)', { location: { file: seed.displayPath } });
  const [header, ...body] = rows;
  return { header, records: body.map((r) => r.map((v) => (v === '' ? null : v))) };
}

const INT_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const TS_RE = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/;
const INT64_MAX = 9223372036854775807n;

/**
 * The Trino type of a seed column without `column_types`, chosen from all its values as DuckDB's CSV
 * sniffer would for the common cases: boolean, bigint, double, date, timestamp, else varchar (NULLs
 * ignored; an all-NULL column is varchar). Leading zeros (`007`) keep a column varchar, as identifiers.
 */
export function inferSeedType(values: readonly (string | null)[]): string {
  const present = values.filter((v): v is string => v !== null);
  if (present.length === 0) return 'varchar';
  const all = (f: (v: string) => boolean) => present.every(f);
  if (all((v) => /^(true|false)$/i.test(v))) return 'boolean';
  if (all((v) => INT_RE.test(v) && !/^[+-]?0\d/.test(v) && BigInt(v) <= INT64_MAX && BigInt(v) >= -INT64_MAX - 1n)) return 'bigint';
  if (all((v) => FLOAT_RE.test(v) && !/^[+-]?0\d/.test(v))) return 'double';
  if (all((v) => DATE_RE.test(v) && !Number.isNaN(Date.parse(v)))) return 'date';
  if (all((v) => TS_RE.test(v))) return 'timestamp';
  return 'varchar';
}

/** A seed value as a literal of its column type: `NULL`, bare bigint, `TRUE`, `DATE '...'`, `CAST('...' AS t)`. */
export function typedLiteral(v: string | null, type: string): string {
  if (v === null) return 'NULL';
  const t = type.toLowerCase().trim();
  const str = trinoDialect.literal(v);
  if (t === 'varchar' || t.startsWith('varchar(')) return str;
  if (t === 'bigint' && INT_RE.test(v)) return String(BigInt(v));
  if (t === 'boolean' && /^(true|false)$/i.test(v)) return v.toUpperCase();
  if (t === 'date') return `DATE ${str}`;
  if (t === 'timestamp') return `TIMESTAMP ${trinoDialect.literal(v.replace('T', ' '))}`;
  return `CAST(${str} AS ${type})`;
}
