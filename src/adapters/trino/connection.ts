/**
 * Trino sessions on the official `trino-client` (REST protocol over HTTP(S), one `Trino` client per
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
 * Results can be read page by page ({@link TrinoConnection.stream}): client-side UDFs read their distinct
 * arguments that way (execution/client-udfs.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BasicAuth, Trino, type ConnectionOptions, type QueryResult as TrinoQueryResult } from 'trino-client';
import { safeErrorBody } from '../../utils/error-body.js';
import { WeirError } from '../../errors/weir-error.js';
import { AdapterError, type ColumnMeta, type Connection, type QueryResult } from '../adapter.js';
import { trinoDialect } from './dialect.js';
import type { TrinoTarget } from './target.js';

/** What a connection needs of its adapter: the validated target (holds secrets) and its name, for messages. */
export interface TrinoSession {
  readonly target: TrinoTarget;
  readonly targetName: string;
}

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
/** One Trino connection (a worker thread's session: its own `Trino` client). */
export class TrinoConnection implements Connection {
  private queryId?: string;
  private cancelled = false;

  constructor(private readonly client: Trino, private readonly adapter: TrinoSession) {}

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

/**
 * trino-client options for the target: server, catalog and schema, basic auth or a JWT bearer header,
 * TLS (a project-relative CA file), session properties. Holds secrets: never log it.
 * @throws Error when `tls.ca_file` can't be read
 */
export function clientOptions(target: TrinoTarget, projectRoot: string): ConnectionOptions {
  const extraHeaders: Record<string, string> = {};
  let auth: BasicAuth | undefined;
  if (target.auth?.type === 'basic') auth = new BasicAuth(target.user, target.auth.password);
  else if (target.auth?.type === 'jwt') extraHeaders.Authorization = `Bearer ${target.auth.token}`;
  const ssl = target.tls
    ? { rejectUnauthorized: target.tls.verify, ...(target.tls.ca_file ? { ca: readFileSync(path.resolve(projectRoot, target.tls.ca_file)) } : {}) }
    : undefined;
  return {
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

/**
 * Checks that the server answers and accepts the credentials (`select 1`, within `connect_timeout_seconds`).
 * @throws WeirError `WEIR_DB_OPEN_FAILED` naming the target, without credentials
 */
export async function checkConnection(options: ConnectionOptions, session: TrinoSession): Promise<void> {
  const conn = new TrinoConnection(Trino.create(options), session);
  try {
    await conn.execute('select 1', undefined, session.target.connect_timeout_seconds);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new WeirError('WEIR_DB_OPEN_FAILED', msg.replace(/statement timed out/, 'no answer to the connection check'), {
      hint: `Check targets.${session.targetName}.server, user and auth in project.yaml (and that the coordinator is up).`,
    });
  }
}
