/**
 * TEST INFRASTRUCTURE — NOT TRINO. A local HTTP server on 127.0.0.1 that speaks the Trino client REST
 * protocol (https://trino.io/docs/current/develop/client-protocol.html) closely enough for the official
 * `trino-client` package, executing the SQL on an embedded DuckDB (@duckdb/node-api) behind it. It exists
 * so that the Trino adapter's protocol handling (paging, in-band errors, auth, cancel, headers) is tested
 * without a Trino cluster; it says nothing about whether SQL is valid Trino SQL.
 *
 * Protocol implemented:
 * - `POST /v1/statement` with the SQL as body; `X-Trino-User` (required), `X-Trino-Catalog`,
 *   `X-Trino-Schema`, `X-Trino-Session` (`k=v,k2=v2`), `X-Trino-Source`; `Authorization: Basic` checked
 *   against the configured users (401 with `WWW-Authenticate` otherwise), or `Authorization: Bearer` against
 *   the configured tokens. Answers `QUEUED` with a `nextUri`.
 * - `GET /v1/statement/{queued|executing}/{queryId}/{slug}/{token}`: long-polls (up to 500 ms) while the
 *   statement runs (`RUNNING` with the next token), then `columns` (with `typeSignature`) and `data` pages of
 *   `pageSize` rows, each with a `nextUri`, then a final `FINISHED` response without one. DML/CTAS report
 *   `updateType`/`updateCount` and a `rows` column, as Trino does.
 * - A failed statement: `stats.state = FAILED` and an `error` object (message, errorCode, errorName,
 *   errorType, errorLocation, failureInfo), HTTP 200.
 * - `DELETE /v1/query/{queryId}` (and `DELETE` on a `nextUri`) cancels: DuckDB is interrupted and the next
 *   GET reports `USER_CANCELED`.
 * - `GRANT <privilege> ON TABLE <relation> TO ...` checks that the relation exists (DuckDB has no GRANT)
 *   and answers `updateType: GRANT`; the statement is recorded like any other.
 * - `SET SESSION k = v` / `RESET SESSION k` answer with `X-Trino-Set-Session` / `X-Trino-Clear-Session`.
 * - Option `immediateResults`: the POST itself answers with the complete result and no `nextUri` (real
 *   Trino never does this; it exercises the client quirk that drops such data).
 *
 * - Every statement is first checked against Trino's grammar and documented function names
 *   (tests/grammar/engine-check.ts; option `checkSql`), so SQL only DuckDB understands fails here as on Trino.
 *
 * SQL translation (only what DuckDB cannot take as written): `<catalog>.information_schema.x` →
 * `information_schema.x` (DuckDB's spans all catalogs and has `table_catalog`), and `ALTER ... RENAME TO`
 * a qualified name → the bare name; Trino functions DuckDB lacks, as Weir's cross-dialect helpers render
 * them: `regexp_like(` → `regexp_matches(` (both search), `listagg(x, sep) within group (order by o)` →
 * `string_agg(x, sep order by o)`, `to_hex(md5(to_utf8(x)))` → `md5(x)` (already hex; callers lower()),
 * `regexp_replace(s, p[, r])` → `regexp_replace(s, p, r, 'g')` (Trino replaces every match),
 * `sequence(a, b)` → `generate_series(a, b)`, `json_parse(x)` → `json(x)`, `cast(x as array(json))` → `cast(x as json[])`,
 * `json_extract_scalar` → `json_extract_string`.
 * Catalogs are in-memory DuckDB databases attached under their Trino
 * name (DuckDB's default in-memory database is already called `memory`).
 */
import { grantTarget } from './grants.js';
import { checkEngineSql } from '../grammar/engine-check.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { findCalls as findUdfCalls, replaceSpans } from '../../src/sql/calls.js';
import { structureOf } from '../../src/sql/tokenize.js';

/** Options for {@link TrinoTestServer.start}. */
export interface TrinoTestServerOptions {
  /** Catalog names to create (default `['memory']`). */
  readonly catalogs?: readonly string[];
  /** user → password for basic auth; when set (or tokens are), unauthenticated requests get 401. */
  readonly users?: Readonly<Record<string, string>>;
  /** Accepted JWT bearer tokens. */
  readonly bearerTokens?: readonly string[];
  /** Rows per data page (default 500). */
  readonly pageSize?: number;
  /** Answer the POST with the whole result and no nextUri (exercises a client quirk). */
  readonly immediateResults?: boolean;
  /**
   * Reject, as Trino would, a statement Trino's grammar rejects (SYNTAX_ERROR) or one calling a function
   * Trino does not document (FUNCTION_NOT_FOUND), before DuckDB sees it (tests/grammar/engine-check.ts).
   * Default true.
   */
  readonly checkSql?: boolean;
}

/** What the server saw of one statement (for assertions). */
export interface RecordedStatement {
  readonly id: string;
  readonly sql: string;
  readonly user?: string;
  readonly catalog?: string;
  readonly schema?: string;
  readonly session?: string;
  readonly source?: string;
  state: 'QUEUED' | 'RUNNING' | 'FINISHED' | 'FAILED';
}

interface TrinoColumn { name: string; type: string; typeSignature: { rawType: string; arguments: { kind: string; value: unknown }[] } }
interface TrinoError { message: string; errorCode: number; errorName: string; errorType: string; errorLocation?: { lineNumber: number; columnNumber: number }; failureInfo: { type: string; message: string; suppressed: string[]; stack: string[] } }

interface QueryState {
  readonly rec: RecordedStatement;
  readonly slug: string;
  conn?: DuckDBConnection;
  done: boolean;
  finished: Promise<void>;
  columns?: TrinoColumn[];
  rows?: unknown[][];
  updateType?: string;
  updateCount?: number;
  error?: TrinoError;
  cursor: number;
  token: number;
  cancelled: boolean;
  setSession?: string;
  clearSession?: string;
}

/** A running protocol server. Stop it with {@link close}. */
export class TrinoTestServer {
  /** Every statement received, in order. */
  readonly statements: RecordedStatement[] = [];
  /** Every request's method and path (for protocol assertions). */
  readonly requests: { method: string; path: string; status: number }[] = [];
  private readonly queries = new Map<string, QueryState>();
  /** Materialized views' queries by name as written (lower case), see {@link materializedViews}. */
  private readonly mvDefinitions = new Map<string, string>();
  private seq = 0;

  private constructor(
    private readonly server: http.Server,
    /** The DuckDB behind the server (for assertions that bypass the protocol). */
    readonly duckdb: DuckDBInstance,
    private readonly options: TrinoTestServerOptions,
  ) {}

  /** Starts a server on 127.0.0.1 on a random port. */
  static async start(options: TrinoTestServerOptions = {}): Promise<TrinoTestServer> {
    const duckdb = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
    const setup = await duckdb.connect();
    for (const c of options.catalogs ?? ['memory']) {
      if (c !== 'memory') await setup.run(`attach ':memory:' as ${quote(c)}`);
    }
    setup.closeSync();
    let self!: TrinoTestServer;
    const server = http.createServer((req, res) => {
      self.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(e));
      });
    });
    self = new TrinoTestServer(server, duckdb, options);
    // Keep idle keep-alive sockets open long (Trino's HTTP server idles out after minutes, Node's after 5 s):
    // with Node's default, a loaded machine makes the client reuse a socket the server is just closing,
    // and the request fails with ECONNRESET. No request timeout: statements run as long as they need.
    server.keepAliveTimeout = 120_000;
    server.headersTimeout = 121_000;
    server.requestTimeout = 0;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Runs SQL directly on the DuckDB behind the server (bypassing the protocol). */
  async query(sql: string): Promise<Record<string, unknown>[]> {
    const c = await this.duckdb.connect();
    try {
      return (await c.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
    } finally {
      c.closeSync();
    }
  }

  /** Stops the server and closes DuckDB. */
  async close(): Promise<void> {
    for (const q of this.queries.values()) q.conn?.interrupt();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const q of this.queries.values()) await q.finished.catch(() => undefined);
    this.duckdb.closeSync();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      this.requests.push({ method: req.method ?? '', path: url.pathname, status });
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers });
      res.end(text);
    };
    const authError = this.checkAuth(req);
    if (authError) return send(401, authError, { 'www-authenticate': 'Basic realm="Trino"' });

    if (req.method === 'POST' && url.pathname === '/v1/statement') {
      const sql = await readBody(req);
      const user = header(req, 'x-trino-user');
      if (!user) return send(400, 'Error 400: User must be set');
      if (!sql.trim()) return send(400, 'Error 400: SQL statement is empty');
      const q = this.submit(sql, req);
      if (this.options.immediateResults) {
        await q.finished;
        return this.page(q, send, true);
      }
      return send(200, { id: q.rec.id, infoUri: `${this.url}/ui/query.html?${q.rec.id}`, nextUri: this.nextUri(q, 'queued'), stats: stats('QUEUED') });
    }
    const m = /^\/v1\/statement\/(queued|executing)\/([^/]+)\/([^/]+)\/(\d+)$/.exec(url.pathname);
    if (m) {
      const q = this.queries.get(m[2]);
      if (!q || q.slug !== m[3]) return send(404, 'Error 404: query not found');
      if (req.method === 'DELETE') {
        this.cancel(q);
        return send(204, '');
      }
      if (req.method !== 'GET') return send(405, 'method not allowed');
      if (Number(m[4]) !== q.token) return send(410, `Error 410: token ${m[4]} is not the current token ${q.token}`);
      if (!q.done) await Promise.race([q.finished, sleep(500)]);
      if (!q.done) {
        q.token++;
        return send(200, { id: q.rec.id, infoUri: `${this.url}/ui/query.html?${q.rec.id}`, nextUri: this.nextUri(q, 'executing'), stats: stats(q.rec.state) });
      }
      return this.page(q, send, false);
    }
    const c = /^\/v1\/query\/([^/]+)$/.exec(url.pathname);
    if (c) {
      const q = this.queries.get(c[1]);
      if (!q) return send(404, 'Error 404: query not found');
      if (req.method === 'DELETE') {
        this.cancel(q);
        return send(204, '');
      }
      return send(200, { queryId: q.rec.id, state: q.rec.state, query: q.rec.sql });
    }
    return send(404, `Error 404: ${url.pathname}`);
  }

  private checkAuth(req: http.IncomingMessage): string | undefined {
    const users = this.options.users;
    const tokens = this.options.bearerTokens;
    if (!users && !tokens) return undefined;
    const auth = header(req, 'authorization') ?? '';
    if (auth.startsWith('Basic ') && users) {
      const [u, ...rest] = Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':');
      if (users[u] !== undefined && users[u] === rest.join(':')) return undefined;
      return 'Unauthorized: Access Denied: Invalid credentials';
    }
    if (auth.startsWith('Bearer ') && tokens?.includes(auth.slice(7))) return undefined;
    return 'Unauthorized';
  }

  private nextUri(q: QueryState, phase: 'queued' | 'executing'): string {
    return `${this.url}/v1/statement/${phase}/${q.rec.id}/${q.slug}/${q.token}`;
  }

  private submit(sql: string, req: http.IncomingMessage): QueryState {
    const d = new Date();
    const id = `${d.toISOString().slice(0, 10).replace(/-/g, '')}_${d.toISOString().slice(11, 19).replace(/:/g, '')}_${String(++this.seq).padStart(5, '0')}_weirt`;
    const rec: RecordedStatement = {
      id, sql, state: 'QUEUED',
      user: header(req, 'x-trino-user'), catalog: header(req, 'x-trino-catalog'), schema: header(req, 'x-trino-schema'),
      session: header(req, 'x-trino-session'), source: header(req, 'x-trino-source'),
    };
    this.statements.push(rec);
    const q: QueryState = { rec, slug: randomBytes(6).toString('hex'), done: false, finished: Promise.resolve(), cursor: 0, token: 1, cancelled: false };
    q.finished = this.execute(q).finally(() => {
      q.done = true;
    });
    this.queries.set(id, q);
    return q;
  }

  private cancel(q: QueryState): void {
    if (q.done) return;
    q.cancelled = true;
    q.conn?.interrupt();
  }

  private async execute(q: QueryState): Promise<void> {
    await sleep(0);
    q.rec.state = 'RUNNING';
    const session = /^\s*set\s+session\s+([\w.]+)\s*=\s*(.+?)\s*;?\s*$/is.exec(q.rec.sql);
    if (session) {
      q.setSession = `${session[1]}=${session[2].replace(/^'(.*)'$/, '$1')}`;
      q.columns = [column('result', 'BOOLEAN')];
      q.rows = [[true]];
      q.updateType = 'SET SESSION';
      q.rec.state = 'FINISHED';
      return;
    }
    const reset = /^\s*reset\s+session\s+([\w.]+)\s*;?\s*$/is.exec(q.rec.sql);
    if (reset) {
      q.clearSession = reset[1];
      q.columns = [column('result', 'BOOLEAN')];
      q.rows = [[true]];
      q.updateType = 'RESET SESSION';
      q.rec.state = 'FINISHED';
      return;
    }
    const problem = this.options.checkSql === false ? undefined : checkEngineSql('trino', q.rec.sql);
    if (problem) {
      q.rec.state = 'FAILED';
      const location = problem.line ? { lineNumber: problem.line, columnNumber: problem.column ?? 1 } : undefined;
      q.error = problem.kind === 'syntax' ? trinoError(problem.message, 'SYNTAX_ERROR', 1, 'USER_ERROR', location) : trinoError(problem.message, 'FUNCTION_NOT_FOUND', 44, 'USER_ERROR', location);
      return;
    }
    try {
      q.conn = await this.duckdb.connect();
      const cat = q.rec.catalog;
      const sch = q.rec.schema;
      if (cat) {
        try {
          await q.conn.run(sch ? `use ${quote(cat)}.${quote(sch)}` : `use ${quote(cat)}`);
        } catch {
          await q.conn.run(`use ${quote(cat)}`).catch(() => undefined); // Trino accepts a schema that does not exist yet
        }
      }
      if (q.cancelled) throw new Error('INTERRUPT Error: Interrupted!');
      const grantOn = grantTarget(q.rec.sql);
      const reader = await q.conn.runAndReadAll(grantOn ? `select * from ${grantOn} limit 0` : translate(this.materializedViews(q.rec.sql)));
      const kind = statementKind(q.rec.sql);
      if (kind === 'CREATE TABLE AS' || kind === 'INSERT' || kind === 'DELETE' || kind === 'UPDATE') {
        const count = reader.columnNames()[0] === 'Count' && reader.currentRowCount > 0 ? Number(reader.getRowsJS()[0][0]) : reader.rowsChanged;
        q.updateType = kind === 'CREATE TABLE AS' ? 'CREATE TABLE' : kind;
        q.updateCount = count;
        q.columns = [column('rows', 'BIGINT')];
        q.rows = [[count]];
      } else if (kind) {
        q.updateType = kind;
        q.columns = [column('result', 'BOOLEAN')];
        q.rows = [[true]];
      } else {
        const types = reader.columnTypes().map(String);
        q.columns = reader.columnNames().map((n, i) => column(n, types[i]));
        q.rows = (reader.getRowsJson() as unknown[][]).map((r) => r.map((v, i) => jsonValue(v, q.columns![i].type)));
      }
      q.rec.state = 'FINISHED';
    } catch (e) {
      q.rec.state = 'FAILED';
      q.error = q.cancelled ? trinoError('Query was canceled', 'USER_CANCELED', 3, 'USER_ERROR') : mapDuckDBError(e instanceof Error ? e.message : String(e));
    } finally {
      q.conn?.closeSync();
      q.conn = undefined;
    }
  }

  /**
   * Materialized views (https://trino.io/docs/current/sql/create-materialized-view.html,
   * .../refresh-materialized-view.html) stand in as tables: `CREATE OR REPLACE MATERIALIZED VIEW v [WITH (…)]
   * AS q` records q and creates table v from it; `REFRESH MATERIALIZED VIEW v` recreates v from the recorded q
   * (an unknown v is Trino's "Materialized view … does not exist"). Other statements are returned unchanged.
   */
  private materializedViews(sql: string): string {
    const rel = String.raw`(?:"(?:[^"]|"")*"|[A-Za-z_][\w$]*)(?:\s*\.\s*(?:"(?:[^"]|"")*"|[A-Za-z_][\w$]*))*`;
    const create = new RegExp(String.raw`^\s*create\s+or\s+replace\s+materialized\s+view\s+(${rel})\s*`, 'i').exec(sql);
    if (create) {
      let rest = sql.slice(create[0].length);
      if (/^with\s*\(/i.test(rest)) rest = rest.slice(matchingParen(rest, rest.indexOf('(')) + 1);
      const body = /^\s*as\s/i.exec(rest);
      if (!body) return sql;
      const query = rest.slice(body[0].length);
      this.mvDefinitions.set(create[1].toLowerCase(), query);
      return `create or replace table ${create[1]} as ${query}`;
    }
    const refresh = new RegExp(String.raw`^\s*refresh\s+materialized\s+view\s+(${rel})\s*;?\s*$`, 'i').exec(sql);
    if (refresh) {
      const query = this.mvDefinitions.get(refresh[1].toLowerCase());
      if (query === undefined) throw new Error(`Catalog Error: Table with name ${refresh[1]} does not exist (materialized view)`);
      return `create or replace table ${refresh[1]} as ${query}`;
    }
    return sql;
  }

  private page(q: QueryState, send: (status: number, body: unknown, headers?: Record<string, string>) => void, all: boolean): void {
    const base = { id: q.rec.id, infoUri: `${this.url}/ui/query.html?${q.rec.id}` };
    const headers: Record<string, string> = {};
    if (q.setSession) headers['x-trino-set-session'] = q.setSession;
    if (q.clearSession) headers['x-trino-clear-session'] = q.clearSession;
    if (q.error) {
      return send(200, { ...base, stats: stats('FAILED'), error: q.error }, headers);
    }
    const rows = q.rows ?? [];
    const size = all ? rows.length : this.options.pageSize ?? 500;
    const update = q.updateType ? { updateType: q.updateType, ...(q.updateCount !== undefined ? { updateCount: q.updateCount } : {}) } : {};
    if (!all && q.cursor < rows.length) {
      const data = rows.slice(q.cursor, q.cursor + size);
      q.cursor += data.length;
      q.token++;
      return send(200, { ...base, nextUri: this.nextUri(q, 'executing'), columns: q.columns, data, stats: stats('RUNNING'), ...update });
    }
    // Final response: no nextUri.
    return send(200, { ...base, columns: q.columns, ...(all && rows.length ? { data: rows } : {}), stats: stats('FINISHED'), ...update }, headers);
  }
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

function stats(state: string) {
  return {
    state, queued: state === 'QUEUED', scheduled: state !== 'QUEUED', nodes: 1, totalSplits: 0, queuedSplits: 0, runningSplits: 0,
    completedSplits: 0, cpuTimeMillis: 0, wallTimeMillis: 0, queuedTimeMillis: 0, elapsedTimeMillis: 0, processedRows: 0,
    processedBytes: 0, physicalInputBytes: 0, peakMemoryBytes: 0, spilledBytes: 0,
  };
}

/** The statement kind Trino reports as `updateType` (undefined for queries that return rows). */
function statementKind(sql: string): string | undefined {
  const s = sql.replace(/--[^\n]*\n|\/\*[\s\S]*?\*\//g, ' ').trim().toLowerCase();
  if (/^create\s+(or\s+replace\s+)?table\b[\s\S]*?\bas\b\s*\(?\s*(select|with|values|from)\b/.test(s)) return 'CREATE TABLE AS';
  if (/^create\s+(or\s+replace\s+)?materialized\s+view\b/.test(s)) return 'CREATE MATERIALIZED VIEW';
  if (/^refresh\s+materialized\s+view\b/.test(s)) return 'REFRESH MATERIALIZED VIEW';
  const m = /^(create\s+(?:or\s+replace\s+)?(?:table|view|schema)|drop\s+(?:table|view|schema)|alter\s+(?:table|view)|insert|delete|update|comment|grant|revoke)/.exec(s);
  if (!m) return undefined;
  return m[1].replace(/\s+or\s+replace/, '').replace(/\s+/g, ' ').toUpperCase();
}

/**
 * `regexp_replace(s, p[, r])` → `regexp_replace(s, p, r, 'g')`: Trino replaces every match (and the
 * two-argument form removes them), DuckDB only the first one without the `g` flag. Calls are found with
 * Weir's SQL tokenizer, so text in strings and comments is left alone. (Trino's `$1` group references in
 * the replacement are not translated to DuckDB's `\1`.)
 */
function translateRegexpReplace(sql: string): string {
  const s = structureOf(sql);
  const edits = findUdfCalls(s, new Set(['regexp_replace']))
    .filter((c) => c.args.length === 2 || c.args.length === 3)
    .map((c) => ({ start: s.tokens[c.close].start, end: s.tokens[c.close].start, text: c.args.length === 2 ? ", '', 'g'" : ", 'g'" }));
  return edits.length ? replaceSpans(sql, edits) : sql;
}

/** The SQL rewrites DuckDB needs (see the file comment). */
export function translate(sql: string): string {
  const ident = `(?:"(?:[^"]|"")*"|[A-Za-z_][\\w$]*)`;
  return translateRegexpReplace(stripTableProperties(sql))
    .replace(new RegExp(`${ident}\\s*\\.\\s*information_schema\\s*\\.`, 'gi'), 'information_schema.')
    .replace(new RegExp(`(\\brename\\s+to\\s+)(?:${ident}\\s*\\.\\s*)+(${ident})`, 'gi'), '$1$2')
    .replace(/\bregexp_like\s*\(/gi, 'regexp_matches(')
    // https://trino.io/docs/current/functions/array.html#sequence: DuckDB's generate_series (both inclusive lists).
    .replace(/\bsequence\s*\(/gi, 'generate_series(')
    // https://trino.io/docs/current/functions/json.html: json_parse → DuckDB json(), CAST(... AS ARRAY(JSON)) →
    // json[], json_extract_scalar → json_extract_string (a JSON string's value without quotes, NULL for objects).
    .replace(/\bjson_parse\s*\(/gi, 'json(')
    .replace(/\bas\s+array\s*\(\s*json\s*\)/gi, 'as json[]')
    .replace(/\bjson_extract_scalar\s*\(/gi, 'json_extract_string(')
    .replace(/\bto_hex\(md5\(to_utf8\(/gi, '(md5((') // three parentheses opened for three
    .replace(/\blistagg\s*\(/gi, '\u0000listagg(')
    .split('\u0000')
    .map(translateListagg)
    .join('');
}

/**
 * `CREATE TABLE t WITH (format = 'PARQUET', ...) AS ...` → `CREATE TABLE t AS ...`: DuckDB has no table
 * properties (the statement, properties included, stays recorded for assertions).
 */
function stripTableProperties(sql: string): string {
  const m = /^\s*create\s+(?:or\s+replace\s+)?table\s+(?:"(?:[^"]|"")*"|[A-Za-z_][\w$]*)(?:\s*\.\s*(?:"(?:[^"]|"")*"|[A-Za-z_][\w$]*))*\s+with\s*\(/i.exec(sql);
  if (!m) return sql;
  const open = m[0].length - 1;
  const close = matchingParen(sql, open);
  const withStart = m[0].toLowerCase().lastIndexOf('with');
  return close < 0 ? sql : sql.slice(0, withStart) + sql.slice(close + 1);
}

/** `listagg(x, sep) within group (order by o)…` at the start of `part` → `string_agg(x, sep order by o)…`. */
function translateListagg(part: string): string {
  if (!part.startsWith('listagg(') && !part.startsWith('LISTAGG(')) return part;
  const close = matchingParen(part, 'listagg'.length);
  const m = /^\s*within\s+group\s*\(\s*order\s+by\s+/i.exec(part.slice(close + 1));
  if (close < 0 || !m) return part;
  const orderStart = close + 1 + m[0].length;
  const orderEnd = matchingParen(part, orderStart - m[0].length + m[0].lastIndexOf('('));
  if (orderEnd < 0) return part;
  return `string_agg(${part.slice('listagg('.length, close)} order by ${part.slice(orderStart, orderEnd)})${part.slice(orderEnd + 1)}`;
}

/** Index of the parenthesis closing the one at `open` (quotes respected), or -1. */
function matchingParen(s: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < s.length; i++) {
    const ch = s[i];
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

/** DuckDB type name → Trino type name. */
export function trinoType(duck: string): string {
  const t = duck.toUpperCase();
  const dec = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(t);
  if (dec) return `decimal(${dec[1]},${dec[2]})`;
  if (t.endsWith('[]')) return `array(${trinoType(duck.slice(0, -2))})`;
  const map: Record<string, string> = {
    BIGINT: 'bigint', INTEGER: 'integer', SMALLINT: 'smallint', TINYINT: 'tinyint', HUGEINT: 'decimal(38,0)', UBIGINT: 'decimal(20,0)',
    UINTEGER: 'bigint', USMALLINT: 'integer', UTINYINT: 'smallint', DOUBLE: 'double', FLOAT: 'real', BOOLEAN: 'boolean',
    VARCHAR: 'varchar', DATE: 'date', TIMESTAMP: 'timestamp(6)', 'TIMESTAMP WITH TIME ZONE': 'timestamp(6) with time zone',
    TIME: 'time(6)', BLOB: 'varbinary', INTERVAL: 'interval day to second', UUID: 'uuid', JSON: 'json',
  };
  return map[t] ?? 'varchar';
}

function column(name: string, duckType: string): TrinoColumn {
  const type = trinoType(duckType);
  const raw = /^(\w+)/.exec(type)![1];
  const args: { kind: string; value: unknown }[] = [];
  const dec = /^decimal\((\d+),(\d+)\)$/.exec(type);
  if (dec) args.push({ kind: 'LONG', value: Number(dec[1]) }, { kind: 'LONG', value: Number(dec[2]) });
  else if (type === 'varchar') args.push({ kind: 'LONG', value: 2147483647 });
  else if (/^(timestamp|time)\(6\)/.test(type)) args.push({ kind: 'LONG', value: 6 });
  const rawType = type.includes('with time zone') ? `${raw} with time zone` : raw;
  return { name, type, typeSignature: { rawType, arguments: args } };
}

/** A DuckDB JSON value in Trino's JSON encoding for the type (numbers for integers and floats, strings for decimals). */
function jsonValue(v: unknown, type: string): unknown {
  if (v === null || v === undefined) return null;
  if (/^(bigint|integer|smallint|tinyint|double|real)$/.test(type)) {
    if (typeof v === 'string') return /^-?\d+$/.test(v) || /^-?[\d.]+(e[+-]?\d+)?$/i.test(v) ? Number(v) : v; // NaN/Infinity stay strings, as Trino sends them
    return v;
  }
  if (type === 'varchar' && typeof v !== 'string') return typeof v === 'object' ? JSON.stringify(v) : String(v);
  return v;
}

function trinoError(message: string, errorName: string, errorCode: number, errorType: string, location?: { lineNumber: number; columnNumber: number }): TrinoError {
  return {
    message, errorCode, errorName, errorType, ...(location ? { errorLocation: location } : {}),
    failureInfo: { type: errorType === 'USER_ERROR' ? 'io.trino.spi.TrinoException' : 'java.lang.RuntimeException', message, suppressed: [], stack: [] },
  };
}

/** A DuckDB error as a Trino error object: names from Trino's StandardErrorCode where one fits (codes are illustrative). */
function mapDuckDBError(msg: string): TrinoError {
  const first = msg.split('\n')[0];
  const loc = /LINE (\d+):/.exec(msg);
  const location = loc ? { lineNumber: Number(loc[1]), columnNumber: 1 } : undefined;
  if (/^Parser Error/.test(first)) return trinoError(first.replace(/^Parser Error:\s*/, ''), 'SYNTAX_ERROR', 1, 'USER_ERROR', location);
  if (/^Catalog Error: (Table|View)/.test(first)) return trinoError(first.replace(/^Catalog Error:\s*/, ''), 'TABLE_NOT_FOUND', 46, 'USER_ERROR', location);
  if (/^Catalog Error: Schema/.test(first)) return trinoError(first.replace(/^Catalog Error:\s*/, ''), 'SCHEMA_NOT_FOUND', 47, 'USER_ERROR', location);
  if (/^Catalog Error/.test(first) && /already exists/.test(first)) return trinoError(first.replace(/^Catalog Error:\s*/, ''), 'TABLE_ALREADY_EXISTS', 49, 'USER_ERROR', location);
  if (/^Catalog Error: Scalar Function/.test(first)) return trinoError(first.replace(/^Catalog Error:\s*/, ''), 'FUNCTION_NOT_FOUND', 44, 'USER_ERROR', location);
  if (/^Binder Error: Referenced column/.test(first)) return trinoError(first.replace(/^Binder Error:\s*/, ''), 'COLUMN_NOT_FOUND', 48, 'USER_ERROR', location);
  if (/^(Conversion|Invalid Input) Error/.test(first)) return trinoError(first.replace(/^\w+( \w+)? Error:\s*/, ''), 'INVALID_CAST_ARGUMENT', 4, 'USER_ERROR', location);
  if (/^INTERRUPT/.test(first)) return trinoError('Query was canceled', 'USER_CANCELED', 3, 'USER_ERROR');
  if (/^(Binder|Catalog) Error/.test(first)) return trinoError(first.replace(/^\w+ Error:\s*/, ''), 'GENERIC_USER_ERROR', 0, 'USER_ERROR', location);
  return trinoError(first, 'GENERIC_INTERNAL_ERROR', 65536, 'INTERNAL_ERROR', location);
}
