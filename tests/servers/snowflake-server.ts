/**
 * TEST INFRASTRUCTURE — NOT SNOWFLAKE. A local HTTP server on 127.0.0.1 speaking the subset of the
 * Snowflake REST protocol that `snowflake-sdk` (3.x) uses, so the Snowflake adapter can be exercised with
 * the official client without an account. SQL runs on an embedded DuckDB behind it; only what DuckDB
 * can't read is translated (TRANSIENT tables, qualified `RENAME TO` targets, `cast(x as timestamp_ntz)`, Snowflake's backslash escapes in string literals,
 * `ALTER SESSION SET QUERY_TAG`, which is recorded, and `CREATE FUNCTION ... LANGUAGE JAVASCRIPT`, see
 * {@link parseJavaScriptUdf}). Written from the sdk's source
 * (`node_modules/snowflake-sdk/dist/lib`: services/sf.js, connection/statement.js, connection/result/*).
 *
 * Endpoints: `POST /session/v1/login-request` (gzipped JSON; tokens + sessionInfo, or the 390100 error
 * envelope for a wrong password), `POST /queries/v1/query-request` (gzipped `sqlText` + `bindings`;
 * `rowtype`/`rowset` JSON, or `{success:false, code, message, data:{sqlState,...}}`),
 * `POST /telemetry/send`, `POST /session?delete=true`, `POST /session/heartbeat`,
 * `POST /session/token-request`, `POST /queries/v1/abort-request` and `POST /queries/{queryId}/abort-request`
 * (interrupt the statement on DuckDB; its query-request then answers 000604 "SQL execution canceled", SQL state
 * 57014). Anything else is answered 404 and
 * recorded in `unknownRequests` (tests assert it stays empty) and printed to stderr.
 * Every statement is first checked against a Snowflake grammar and Snowflake's documented function names
 * (tests/grammar/engine-check.ts; option `checkSql`, default true): 001003 syntax error / 002140 unknown
 * function, as Snowflake answers, so SQL only DuckDB understands fails here.
 */
import { grantTarget } from './grants.js';
import { SnowflakeStages } from './snowflake-stages.js';
import { rmSync } from 'node:fs';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { createHash, createPublicKey, randomUUID, verify as cryptoVerify } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
  BOOLEAN, DATE, DOUBLE, LIST, listValue, DuckDBDateValue, DuckDBInstance, DuckDBScalarFunction, DuckDBTimestampValue, TIMESTAMP, VARCHAR,
  dateValue, timestampValue, type DuckDBConnection, type DuckDBType, type DuckDBValue,
} from '@duckdb/node-api';
import { checkEngineSql, loadGrammars } from '../grammar/engine-check.js';
import { snowflakeToDuckDb, translateStringLiterals, UnsupportedSnowflakeSql } from './snowflake-sql.js';

export { translateStringLiterals } from './snowflake-sql.js';

/** One recorded statement. */
export interface RecordedQuery {
  readonly sessionId: number;
  readonly sqlText: string;
  /** QUERY_TAG of the session when the statement ran. */
  readonly queryTag: string | undefined;
}

/** A running fake server. */
export interface SnowflakeTestServer {
  /** `http://127.0.0.1:<port>` — the adapter's `access_url`. */
  readonly url: string;
  readonly port: number;
  /** Every statement received, in order. */
  readonly queries: RecordedQuery[];
  /** Login attempts (user name, success). */
  readonly logins: { user: string; ok: boolean; authenticator: string }[];
  /** Requests to endpoints this server doesn't implement. */
  readonly unknownRequests: string[];
  /** Every raw request body received (decompressed), for secret greps. */
  readonly bodies: string[];
  /** Runs SQL directly on the DuckDB behind the server (for assertions). */
  duck(sql: string): Promise<unknown[][]>;
  close(): Promise<void>;
}

interface Session {
  readonly id: number;
  readonly conn: DuckDBConnection;
  database: string;
  schema: string;
  queryTag?: string;
  readonly role: string;
  readonly warehouse: string;
}

const PARAMETERS = [
  { name: 'TIMEZONE', value: 'UTC' },
  { name: 'TIMESTAMP_OUTPUT_FORMAT', value: 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM' },
  { name: 'TIMESTAMP_NTZ_OUTPUT_FORMAT', value: 'YYYY-MM-DD HH24:MI:SS.FF3' },
  { name: 'DATE_OUTPUT_FORMAT', value: 'YYYY-MM-DD' },
  { name: 'CLIENT_RESULT_CHUNK_SIZE', value: 160 },
  { name: 'QUERY_CONTEXT_CACHE_SIZE', value: 5 },
];

/** Snowflake's answer for a DuckDB type: rowtype entry fields and how to encode values. */
function snowflakeType(duckType: string): { type: string; scale: number; precision: number } {
  const t = duckType.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/.test(t)) return { type: 'fixed', scale: 0, precision: 38 };
  const dec = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(t);
  if (dec) return { type: 'fixed', precision: Number(dec[1]), scale: Number(dec[2]) };
  if (/^(DOUBLE|FLOAT|REAL)$/.test(t)) return { type: 'real', scale: 0, precision: 0 };
  if (t === 'BOOLEAN') return { type: 'boolean', scale: 0, precision: 0 };
  if (t === 'DATE') return { type: 'date', scale: 0, precision: 0 };
  if (t === 'TIMESTAMP WITH TIME ZONE') return { type: 'timestamp_ltz', scale: 9, precision: 0 };
  if (/^TIMESTAMP/.test(t)) return { type: 'timestamp_ntz', scale: 9, precision: 0 };
  return { type: 'text', scale: 0, precision: 0 };
}

/** Encodes one DuckDB value the way Snowflake's JSON result format does (strings, or null). */
function encodeValue(v: DuckDBValue, sfType: string): string | null {
  if (v === null || v === undefined) return null;
  if (sfType === 'boolean') return v ? '1' : '0';
  if (sfType === 'date') return String((v as unknown as { days: number }).days);
  if (sfType === 'timestamp_ntz' || sfType === 'timestamp_ltz') {
    const micros = (v as unknown as { micros: bigint }).micros;
    const sec = micros / 1_000_000n;
    let frac = micros % 1_000_000n;
    let s = sec;
    if (frac < 0n) {
      frac += 1_000_000n;
      s -= 1n;
    }
    return `${s}.${(frac * 1000n).toString().padStart(9, '0')}`;
  }
  return String(v);
}

/** Bindings of a query-request (`{"1": {type, value}}`) as DuckDB parameters. */
function decodeBindings(bindings: Record<string, { type: string; value: unknown }> | undefined): DuckDBValue[] | undefined {
  if (!bindings) return undefined;
  const keys = Object.keys(bindings).map(Number).sort((a, b) => a - b);
  return keys.map((k) => {
    const { type, value } = bindings[String(k)];
    if (value === null || value === undefined) return null;
    if (type === 'FIXED') return BigInt(String(value));
    if (type === 'REAL') return Number(value);
    if (type === 'BOOLEAN') return String(value).toLowerCase() === 'true';
    return String(value) as DuckDBValue;
  });
}

/**
 * A multi-row `INSERT INTO t (cols) VALUES (?, ?), (?, ?), ...` with binds (how Weir loads seeds) as one
 * DuckDB statement with one VARCHAR list per column, `INSERT INTO t (cols) SELECT unnest($1), unnest($2)`:
 * the same rows and the same casts to the column types as binding every value, without DuckDB parsing
 * and binding tens of thousands of parameters per statement. Undefined for any other statement shape.
 */
function bulkInsert(sql: string, bindings: Record<string, { type: string; value: unknown }>): { sql: string; values: DuckDBValue[]; types: DuckDBType[] } | undefined {
  const head = /^\s*insert\s+into\s+((?:"(?:[^"]|"")*"|[\w$]+)(?:\s*\.\s*(?:"(?:[^"]|"")*"|[\w$]+))*)\s*\(([^()]*)\)\s*values\s*/i.exec(sql);
  if (!head) return undefined;
  const rest = sql.slice(head[0].length);
  if (!/^[\s(),?]*$/.test(rest)) return undefined;
  const firstTuple = /^\(([\s,?]*)\)/.exec(rest);
  if (!firstTuple) return undefined;
  const ncols = (firstTuple[1].match(/\?/g) ?? []).length;
  const nparams = (rest.match(/\?/g) ?? []).length;
  const keys = Object.keys(bindings);
  if (ncols === 0 || nparams !== keys.length || nparams % ncols !== 0 || (rest.match(/\(/g) ?? []).length !== nparams / ncols) return undefined;
  const cols: (string | null)[][] = Array.from({ length: ncols }, () => []);
  for (let k = 0; k < nparams; k++) {
    const v = bindings[String(k + 1)]?.value;
    cols[k % ncols].push(v === null || v === undefined ? null : String(v));
  }
  return {
    sql: `insert into ${head[1]} (${head[2]}) select ${cols.map((_, i) => `unnest($${i + 1})`).join(', ')}`,
    values: cols.map((c) => listValue(c)),
    types: cols.map(() => LIST(VARCHAR)),
  };
}

const json = (res: http.ServerResponse, body: unknown, status = 200) => {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
};

/** A parsed `CREATE [OR REPLACE] FUNCTION ... LANGUAGE JAVASCRIPT ... AS $$body$$`. */
export interface JavaScriptUdfDdl {
  /** Unqualified function name, lower-case. */
  readonly name: string;
  /** Database and schema when qualified (upper-cased, quotes removed). */
  readonly database?: string;
  readonly schema?: string;
  readonly comment?: string;
  readonly secure: boolean;
  /** Argument names (upper-cased, as Snowflake exposes them to the body) and Snowflake types. */
  readonly args: readonly { name: string; type: string }[];
  readonly returns: string;
  readonly strict: boolean;
  readonly body: string;
}

/** Snowflake type of a JavaScript UDF argument/result → DuckDB type. */
const JS_UDF_TYPES: Record<string, DuckDBType> = {
  STRING: VARCHAR, VARCHAR, TEXT: VARCHAR, FLOAT: DOUBLE, DOUBLE, BOOLEAN, DATE, TIMESTAMP_NTZ: TIMESTAMP, TIMESTAMP,
};

/** Reads a single-quoted Snowflake string literal at `i` (backslash escapes, `''`). */
function readSnowflakeString(sql: string, i: number): { value: string; end: number } {
  let value = '';
  let j = i + 1;
  for (; j < sql.length; j++) {
    const c = sql[j];
    if (c === '\\' && j + 1 < sql.length) {
      const n = sql[++j];
      value += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n === '0' ? '\0' : n;
    } else if (c === "'") {
      if (sql[j + 1] === "'") {
        value += "'";
        j++;
      } else break;
    } else value += c;
  }
  return { value, end: j + 1 };
}

/**
 * Parses `CREATE [OR REPLACE] FUNCTION <name>(<ARGS>) RETURNS <type> LANGUAGE JAVASCRIPT [RETURNS NULL ON NULL
 * INPUT | STRICT | CALLED ON NULL INPUT] [IMMUTABLE | VOLATILE] [COMMENT = '...'] AS $$body$$` (or `AS '<body>'`).
 * @returns undefined when the statement is not a JavaScript function definition
 */
export function parseJavaScriptUdf(sql: string): JavaScriptUdfDdl | undefined {
  const head = /^\s*create\s+(?:or\s+replace\s+)?(?:secure\s+)?function\s+((?:"[^"]+"|[\w$]+)(?:\.(?:"[^"]+"|[\w$]+))*)\s*\(([^)]*)\)\s*returns\s+(\w+)/i.exec(sql);
  if (!head) return undefined;
  const words: string[] = [];
  let body: string | undefined;
  let comment: string | undefined;
  let i = head[0].length;
  while (i < sql.length && body === undefined) {
    const ch = sql[i];
    if (/\s/.test(ch)) i++;
    else if (ch === '$' && sql[i + 1] === '$') {
      const j = sql.indexOf('$$', i + 2);
      if (words[words.length - 1] === 'AS') body = sql.slice(i + 2, j < 0 ? sql.length : j);
      i = j < 0 ? sql.length : j + 2;
    } else if (ch === "'") {
      const lit = readSnowflakeString(sql, i);
      if (words[words.length - 1] === 'AS') body = lit.value;
      else if (words[words.length - 1] === '=' && words[words.length - 2] === 'COMMENT') comment = lit.value;
      i = lit.end;
    } else {
      const w = /^[\w$]+/.exec(sql.slice(i))?.[0] ?? ch;
      words.push(w.toUpperCase());
      i += w.length;
    }
  }
  const clauses = words.join(' ');
  if (!/\bLANGUAGE JAVASCRIPT\b/.test(clauses) || body === undefined) return undefined;
  const parts = head[1].split('.').map((p) => p.replace(/"/g, '').toUpperCase());
  const args = head[2].split(',').map((a) => a.trim()).filter(Boolean).map((a) => {
    const [name, type] = a.split(/\s+/);
    return { name: name.replace(/"/g, '').toUpperCase(), type: type.toUpperCase() };
  });
  return {
    name: parts[parts.length - 1].toLowerCase(), args, returns: head[3].toUpperCase(),
    database: parts.length === 3 ? parts[0] : undefined, schema: parts.length >= 2 ? parts[parts.length - 2] : undefined,
    comment, secure: /^\s*create\s+(?:or\s+replace\s+)?secure\b/i.test(sql),
    strict: /\bRETURNS NULL ON NULL INPUT\b|\bSTRICT\b/.test(clauses), body,
  };
}

const UDF_DAY_MS = 86_400_000;

/** DuckDB value → the JS value a Snowflake JavaScript UDF receives. */
function udfArg(v: DuckDBValue): unknown {
  if (v instanceof DuckDBDateValue) return new Date(v.days * UDF_DAY_MS);
  if (v instanceof DuckDBTimestampValue) return new Date(Number(v.micros / 1000n));
  if (typeof v === 'bigint') return Number(v);
  return v;
}

/** A JavaScript UDF's result → DuckDB value of its declared Snowflake return type. */
function udfResult(v: unknown, type: string): DuckDBValue {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'FLOAT': case 'DOUBLE': return Number(v);
    case 'BOOLEAN': return Boolean(v);
    case 'DATE': return dateValue(Math.floor((v as Date).getTime() / UDF_DAY_MS));
    case 'TIMESTAMP_NTZ': case 'TIMESTAMP': return timestampValue(BigInt((v as Date).getTime()) * 1000n);
    default: return typeof v === 'string' ? v : String(v);
  }
}

/** Snowflake's statementTypeId for a statement (what `getNumUpdatedRows` keys off). */
function statementKind(sql: string): 'select' | 'insert' | 'ddl' | 'alter_session' | 'other' {
  const s = sql.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)+/, '').toLowerCase();
  if (/^(select|with|show|describe|\()/.test(s)) return 'select';
  if (/^insert\b/.test(s)) return 'insert';
  if (/^alter\s+session\b/.test(s)) return 'alter_session';
  if (/^(create|drop|alter|truncate)\b/.test(s)) return 'ddl';
  return 'other';
}

/** What {@link verifyKeyPairJwt} needs to know about the user. */
export interface KeyPairUser {
  /** The user's RSA public key (PEM, SPKI), as `ALTER USER ... SET RSA_PUBLIC_KEY` would register it. */
  readonly publicKey: string;
}

const b64url = (s: string) => Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');

/**
 * Verifies a key-pair login JWT the way Snowflake documents it
 * (https://docs.snowflake.com/en/developer-guide/sql-api/authenticating#using-key-pair-authentication):
 * RS256 signature by the private key of the user's registered public key; `iss` =
 * `<ACCOUNT>.<USER>.SHA256:<base64 SHA-256 of the public key's DER (SPKI)>`, `sub` = `<ACCOUNT>.<USER>`
 * (account and user upper-cased); not expired (`exp` in seconds, or in milliseconds as snowflake-sdk
 * sends it).
 * @returns undefined when valid, else why not
 */
export function verifyKeyPairJwt(token: string, account: string, user: string, registered: KeyPairUser | undefined, now = Date.now()): string | undefined {
  if (!registered) return `user ${user} has no RSA public key`;
  const parts = token.split('.');
  if (parts.length !== 3) return 'not a JWT';
  let header: { alg?: string };
  let claims: { iss?: string; sub?: string; exp?: number; iat?: number };
  try {
    header = JSON.parse(b64url(parts[0]).toString('utf8')) as typeof header;
    claims = JSON.parse(b64url(parts[1]).toString('utf8')) as typeof claims;
  } catch {
    return 'malformed JWT';
  }
  if (header.alg !== 'RS256') return `unsupported JWT algorithm ${String(header.alg)}`;
  const publicKey = createPublicKey(registered.publicKey);
  if (!cryptoVerify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), publicKey, b64url(parts[2]))) return 'JWT signature does not match the registered public key';
  const fingerprint = `SHA256:${createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64')}`;
  const subject = `${account.toUpperCase()}.${user.toUpperCase()}`;
  if (claims.sub !== subject) return `JWT sub ${String(claims.sub)} is not ${subject}`;
  if (claims.iss !== `${subject}.${fingerprint}`) return `JWT iss ${String(claims.iss)} does not name the registered key`;
  const ms = (t: number) => (t > 1e11 ? t : t * 1000);
  if (typeof claims.exp !== 'number' || ms(claims.exp) < now) return 'JWT expired';
  if (typeof claims.iat === 'number' && ms(claims.iat) > now + 60_000) return 'JWT issued in the future';
  return undefined;
}

/**
 * Starts the fake Snowflake on 127.0.0.1 (random port).
 * @param users user name (case-insensitive) → password
 * @param keyPairs user name → registered RSA public key, for `SNOWFLAKE_JWT` logins (verified by {@link verifyKeyPairJwt})
 * @param tokens accepted OAuth access tokens (any user), or token → the user it was issued to
 */
export async function startSnowflakeServer(options: { users: Record<string, string>; keyPairs?: Record<string, KeyPairUser>; tokens?: string[] | Record<string, string>; checkSql?: boolean }): Promise<SnowflakeTestServer> {
  await loadGrammars();
  const duck = await DuckDBInstance.create(':memory:');
  const admin = await duck.connect();
  const sessions = new Map<string, Session>();
  let nextSession = 1;
  const queries: RecordedQuery[] = [];
  const logins: { user: string; ok: boolean; authenticator: string }[] = [];
  const unknownRequests: string[] = [];
  const bodies: string[] = [];
  const users = new Map(Object.entries(options.users).map(([u, p]) => [u.toUpperCase(), p]));
  /** JavaScript UDFs by `name/arity`: the current compiled body (CREATE OR REPLACE swaps it). */
  const jsUdfs = new Map<string, { fn: (...a: unknown[]) => unknown; ddl: JavaScriptUdfDdl }>();

  /**
   * MIMICS SNOWFLAKE EXECUTING A JAVASCRIPT UDF: the body is compiled with `new Function(<ARG NAMES>, body)`
   * in this process and registered as a DuckDB scalar function of that name and arity (catalog-wide, so
   * every session sees it). Functions are unqualified here (DuckDB scalar functions have no schema).
   */
  const createJavaScriptUdf = (ddl: JavaScriptUdfDdl) => {
    const types = ddl.args.map((a) => JS_UDF_TYPES[a.type]);
    const returnType = JS_UDF_TYPES[ddl.returns];
    if (!returnType || types.some((t) => !t)) throw new Error(`unsupported JavaScript UDF type in ${ddl.name}(${ddl.args.map((a) => a.type).join(', ')}) RETURNS ${ddl.returns}`);
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const fn = new Function(...ddl.args.map((a) => a.name), ddl.body) as (...a: unknown[]) => unknown;
    const key = `${ddl.name}/${ddl.args.length}`;
    const existing = jsUdfs.get(key);
    jsUdfs.set(key, { fn, ddl });
    if (existing) return; // OR REPLACE: the registered DuckDB function looks the body up by key
    const arity = ddl.args.length;
    admin.registerScalarFunction(DuckDBScalarFunction.create({
      name: ddl.name, returnType, parameterTypes: types, volatile: true, specialHandling: true,
      mainFunction: (info, input, output) => {
        const current = jsUdfs.get(key)!;
        const vectors = Array.from({ length: arity }, (_, i) => input.getColumnVector(i));
        for (let row = 0; row < input.rowCount; row++) {
          const args = vectors.map((v) => v.getItem(row));
          if (current.ddl.strict && args.some((a) => a === null)) {
            output.setItem(row, null);
            continue;
          }
          try {
            output.setItem(row, udfResult(current.fn(...args.map(udfArg)), current.ddl.returns));
          } catch (e) {
            info.setError(`JavaScript execution error: Uncaught ${(e as Error).name ?? 'Error'}: ${(e as Error).message} in ${ddl.name.toUpperCase()}`);
            return;
          }
        }
        output.flush();
      },
    }));
  };

  const readBody = async (req: http.IncomingMessage): Promise<Record<string, unknown>> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let buf = Buffer.concat(chunks);
    if (!buf.length) return {};
    if (req.headers['content-encoding'] === 'gzip') buf = gunzipSync(buf);
    const text = buf.toString('utf8');
    bodies.push(text);
    return JSON.parse(text) as Record<string, unknown>;
  };

  const sessionOf = (req: http.IncomingMessage): Session | undefined => {
    const m = /Snowflake Token="([^"]+)"/.exec(String(req.headers.authorization ?? ''));
    return m ? sessions.get(m[1]) : undefined;
  };

  const noSession = (res: http.ServerResponse) =>
    json(res, { data: null, code: '390111', message: 'Session no longer exists.  New login required to access the service.', success: false, headers: null });

  const login = async (url: URL, body: Record<string, unknown>, res: http.ServerResponse) => {
    const data = (body.data ?? {}) as Record<string, unknown>;
    const user = String(data.LOGIN_NAME ?? '');
    const authenticator = String(data.AUTHENTICATOR ?? 'SNOWFLAKE');
    let ok: boolean;
    let rejection: { code: string; message: string; authnMethod: string } | undefined;
    if (authenticator === 'OAUTH') {
      // https://docs.snowflake.com/en/user-guide/oauth-intro — the token names its user.
      const token = String(data.TOKEN ?? '');
      const tokens = options.tokens ?? [];
      const owner = Array.isArray(tokens) ? (tokens.includes(token) ? user : undefined) : tokens[token];
      ok = owner !== undefined && (!user || owner.toUpperCase() === user.toUpperCase());
      if (!ok) rejection = { code: '390303', message: 'Invalid OAuth access token. ', authnMethod: 'OAUTH' };
    } else if (authenticator === 'SNOWFLAKE_JWT') {
      const keyPairs = new Map(Object.entries(options.keyPairs ?? {}).map(([u, k]) => [u.toUpperCase(), k]));
      const why = verifyKeyPairJwt(String(data.TOKEN ?? ''), String(data.ACCOUNT_NAME ?? ''), user, keyPairs.get(user.toUpperCase()));
      ok = why === undefined;
      if (!ok) {
        process.stderr.write(`[snowflake test server] JWT login of ${user} rejected: ${why}\n`);
        rejection = { code: '390144', message: 'JWT token is invalid.', authnMethod: 'KEY_PAIR' };
      }
    } else {
      ok = users.has(user.toUpperCase()) && users.get(user.toUpperCase()) === data.PASSWORD;
      if (!ok) rejection = { code: '390100', message: 'Incorrect username or password was specified.', authnMethod: 'USERNAME_PASSWORD' };
    }
    logins.push({ user, ok, authenticator });
    if (rejection) {
      json(res, {
        data: { nextAction: 'RETRY_LOGIN', authnMethod: rejection.authnMethod, loginName: user, errorCode: rejection.code },
        code: rejection.code, message: rejection.message, success: false, headers: null,
      });
      return;
    }
    const database = (url.searchParams.get('databaseName') ?? 'WEIR').toUpperCase();
    const schema = (url.searchParams.get('schemaName') ?? 'PUBLIC').toUpperCase();
    const conn = await duck.connect();
    await conn.run(`attach if not exists ':memory:' as "${database.replace(/"/g, '""')}"`);
    await conn.run(`use "${database.replace(/"/g, '""')}"`);
    const sessionParams = ((data.SESSION_PARAMETERS ?? {}) as Record<string, unknown>);
    const session: Session = {
      id: nextSession++, conn, database, schema,
      queryTag: typeof sessionParams.QUERY_TAG === 'string' ? sessionParams.QUERY_TAG : undefined,
      role: (url.searchParams.get('roleName') ?? 'PUBLIC').toUpperCase(), warehouse: (url.searchParams.get('warehouse') ?? '').toUpperCase(),
    };
    const token = `ver:1-hint:1-ETMsDgAAA${randomUUID()}`;
    const masterToken = `ver:1-hint:1-ETMsDgAAAmaster${randomUUID()}`;
    sessions.set(token, session);
    sessions.set(masterToken, session);
    json(res, {
      data: {
        masterToken, token, validityInSeconds: 3600, masterValidityInSeconds: 14400, displayUserName: user.toUpperCase(),
        serverVersion: '9.99.0 (weir test server)', firstLogin: false, remMeToken: null, remMeValidityInSeconds: 0,
        healthCheckInterval: 45, newClientForUpgrade: null, sessionId: session.id, parameters: PARAMETERS, idToken: null,
        idTokenValidityInSeconds: 0, responseData: null, mfaToken: null, mfaTokenValidityInSeconds: 0,
        sessionInfo: { databaseName: database, schemaName: schema, warehouseName: session.warehouse, roleName: session.role },
      },
      code: null, message: 'successfully executed', success: true,
    });
  };

  /** `DB.SCHEMA.TABLE` → when a statement naming it last succeeded (ISO), for LAST_ALTERED. */
  const lastAltered = new Map<string, string>();
  let lastAlteredClock = 0;

  /** Internal stages (PUT / COPY INTO through snowflake-sdk's LOCAL_FS upload; see snowflake-stages.ts). */
  const stages = new SnowflakeStages();

  /** Statements running now, by the sdk's requestId and by queryId (for abort-request). */
  const running = new Map<string, { session: Session; aborted: boolean }>();

  const query = async (session: Session, body: Record<string, unknown>, res: http.ServerResponse, requestId: string | null) => {
    const sqlText = String(body.sqlText ?? '');
    const queryId = randomUUID();
    const run = { session, aborted: false };
    for (const k of [requestId, queryId]) if (k) running.set(k, run);
    const kind = statementKind(sqlText);
    queries.push({ sessionId: session.id, sqlText, queryTag: session.queryTag });
    const envelope = (rowtype: unknown[], rowset: unknown[][], statementTypeId: number) => json(res, {
      data: {
        parameters: PARAMETERS, rowtype, rowset, total: rowset.length, returned: rowset.length, queryId,
        databaseProvider: null, finalDatabaseName: session.database, finalSchemaName: session.schema,
        finalWarehouseName: session.warehouse, finalRoleName: session.role, numberOfBinds: Object.keys((body.bindings as object) ?? {}).length,
        arrayBindSupported: false, statementTypeId, version: 1, sendResultTime: Date.now(), queryResultFormat: 'json',
        queryContext: { entries: [] },
      },
      code: null, message: 'successfully executed', success: true,
    });
    const textCol = (name: string) => ({ name, database: '', schema: '', table: '', byteLength: 16777216, length: 16777216, type: 'text', scale: null, precision: null, nullable: true, collation: null });
    if (kind === 'alter_session') {
      const m = /query_tag\s*=\s*'((?:[^'\\]|\\.|'')*)'/i.exec(sqlText);
      if (m) session.queryTag = translateStringLiterals(`'${m[1]}'`).slice(1, -1).replace(/''/g, "'");
      else if (/unset\s+query_tag/i.test(sqlText)) session.queryTag = undefined;
      envelope([textCol('status')], [['Statement executed successfully.']], 0x4100);
      return;
    }
    const show = /^\s*show\s+user\s+functions(?:\s+in\s+schema\s+((?:"[^"]+"|[\w$]+)(?:\s*\.\s*(?:"[^"]+"|[\w$]+))?))?\s*;?\s*$/i.exec(sqlText);
    if (show) {
      // https://docs.snowflake.com/en/sql-reference/sql/show-user-functions (the columns Weir reads, and a few more)
      const parts = show[1] ? show[1].split('.').map((p) => p.trim().replace(/"/g, '').toUpperCase()) : [];
      const [db, schema] = parts.length === 2 ? parts : [session.database, parts[0] ?? session.schema];
      const exists = await session.conn.runAndReadAll(`select 1 from information_schema.schemata where catalog_name = $1 and schema_name = $2`, [db, schema]);
      if (exists.getRows().length === 0) {
        json(res, {
          data: { internalError: false, errorCode: '002003', age: 0, sqlState: '02000', queryId, line: -1, pos: -1, type: 'COMPILATION' },
          code: '002003', message: `SQL compilation error:\nSchema '${db}.${schema}' does not exist or not authorized.`, success: false, headers: null,
        });
        return;
      }
      const sfName = (t: string) => (t === 'STRING' || t === 'TEXT' ? 'VARCHAR' : t);
      const rows = [...jsUdfs.values()]
        .filter(({ ddl }) => (ddl.database ?? session.database) === db && (ddl.schema ?? session.schema) === schema)
        .map(({ ddl }) => ['2026-01-01 00:00:00.000 +0000', ddl.name.toUpperCase(), schema, 'N', 'N', 'N', String(ddl.args.length), String(ddl.args.length),
          `${ddl.name.toUpperCase()}(${ddl.args.map((a) => sfName(a.type)).join(', ')}) RETURN ${sfName(ddl.returns)}`, ddl.comment ?? 'user-defined function', db, 'N', 'N', ddl.secure ? 'Y' : 'N', 'N', 'JAVASCRIPT']);
      const cols = ['created_on', 'name', 'schema_name', 'is_builtin', 'is_aggregate', 'is_ansi', 'min_num_arguments', 'max_num_arguments', 'arguments', 'description', 'catalog_name', 'is_table_function', 'valid_for_clustering', 'is_secure', 'is_external_function', 'language'];
      envelope(cols.map(textCol), rows, 0x1000);
      return;
    }
    // LAST_ALTERED of a table (https://docs.snowflake.com/en/sql-reference/info-schema/tables): DuckDB has
    // no such column, so the server records when each statement touching a table last succeeded.
    const lastAlteredQuery = /^\s*select\s+last_altered\s+from\s+"((?:[^"]|"")+)"\.information_schema\.tables\s+where\s+table_schema\s*=\s*\?\s+and\s+table_name\s*=\s*\?\s*$/i.exec(sqlText);
    if (lastAlteredQuery) {
      const [schema, table] = (decodeBindings(body.bindings as Record<string, { type: string; value: unknown }> | undefined) ?? []).map(String);
      const db = lastAlteredQuery[1].replace(/""/g, '"');
      const exists = await session.conn.runAndReadAll('select 1 from information_schema.tables where table_catalog = $1 and table_schema = $2 and table_name = $3', [db, schema, table]);
      const at = exists.getRows().length ? lastAltered.get(`${db}.${schema}.${table}`) : undefined;
      envelope([textCol('LAST_ALTERED')], at ? [[at]] : [], 0x1000);
      return;
    }
    const jsUdf = kind === 'ddl' ? parseJavaScriptUdf(sqlText) : undefined;
    // Reject what Snowflake's grammar or function list rejects before DuckDB sees it (001003 syntax error,
    // 002140 unknown function), as Snowflake would; JavaScript UDFs created here count as known functions.
    // CREATE [SECURE] FUNCTION ... LANGUAGE JAVASCRIPT is checked by parseJavaScriptUdf instead (written from
    // https://docs.snowflake.com/en/sql-reference/sql/create-function; sqlparser-rs has no SECURE functions).
    const problem = options.checkSql === false || jsUdf ? undefined : checkEngineSql('snowflake', sqlText, new Set([...jsUdfs.values()].map((u) => u.ddl.name.toLowerCase())));
    if (problem) {
      const code = problem.kind === 'syntax' ? '001003' : '002140';
      json(res, {
        data: { internalError: false, errorCode: code, age: 0, sqlState: '42000', queryId, line: -1, pos: -1, type: 'COMPILATION' },
        code, message: `SQL compilation error:\n${problem.kind === 'function' ? `Unknown function ${problem.name!.toUpperCase()}` : problem.message}`, success: false, headers: null,
      });
      return;
    }
    const stage = stages.handle(sqlText);
    if (stage) {
      if (stage.kind === 'error') {
        json(res, {
          data: { internalError: false, errorCode: stage.code, age: 0, sqlState: '02000', queryId, line: -1, pos: -1, type: 'COMPILATION' },
          code: stage.code, message: stage.message, success: false, headers: null,
        });
      } else if (stage.kind === 'status') envelope([textCol('status')], [[stage.text]], 0x6000);
      else if (stage.kind === 'upload') json(res, { data: { ...stage.data, queryId, parameters: PARAMETERS }, code: null, message: null, success: true });
      else {
        try {
          const r = await session.conn.runAndReadAll(stage.duckdb);
          if (stage.purge) for (const f of stage.files) rmSync(f, { force: true });
          // COPY INTO's result: one row per file (https://docs.snowflake.com/en/sql-reference/sql/copy-into-table#output).
          envelope(['file', 'status', 'rows_parsed', 'rows_loaded'].map(textCol), stage.files.length ? [[stage.files.map((f) => f.split('/').pop()).join(','), 'LOADED', String(r.rowsChanged), String(r.rowsChanged)]] : [], 0x3000);
        } catch (e) {
          json(res, {
            data: { internalError: false, errorCode: '100038', age: 0, sqlState: '22018', queryId, line: -1, pos: -1, type: 'EXECUTION' },
            code: '100038', message: `Numeric value or date could not be loaded: ${(e as Error).message.split('\n')[0]}`, success: false, headers: null,
          });
        }
      }
      return;
    }
    if (jsUdf) {
      try {
        createJavaScriptUdf(jsUdf);
      } catch (e) {
        json(res, {
          data: { internalError: false, errorCode: '100131', age: 0, sqlState: '22000', queryId, line: -1, pos: -1, type: 'COMPILATION' },
          code: '100131', message: `SQL compilation error:\nJavaScript compilation error: ${(e as Error).message}`, success: false, headers: null,
        });
        return;
      }
      envelope([textCol('status')], [[`Function ${jsUdf.name.toUpperCase()} successfully created.`]], 0x6000);
      return;
    }
    // DuckDB has no GRANT: answer it by checking that the relation exists.
    const grantOn = grantTarget(sqlText);
    try {
      const bindings = body.bindings as Record<string, { type: string; value: unknown }> | undefined;
      const bulk = kind === 'insert' && bindings ? bulkInsert(sqlText, bindings) : undefined;
      const reader = bulk
        ? await session.conn.runAndReadAll(bulk.sql, bulk.values, bulk.types)
        : await session.conn.runAndReadAll(grantOn ? `select * from ${grantOn} limit 0` : snowflakeToDuckDb(sqlText), decodeBindings(bindings));
      if (kind !== 'select') {
        // The table a successful statement writes (and a rename's or swap's other table) was altered now.
        const stamp = new Date(Math.max(Date.now(), lastAlteredClock + 1));
        lastAlteredClock = stamp.getTime();
        const rel = String.raw`"((?:[^"]|"")+)"\s*\.\s*"((?:[^"]|"")+)"\s*\.\s*"((?:[^"]|"")+)"`;
        const written = new RegExp(String.raw`^\s*(?:create\s+(?:or\s+replace\s+)?(?:transient\s+|temporary\s+)?table\s+(?:if\s+not\s+exists\s+)?|insert\s+into\s+|delete\s+from\s+|merge\s+into\s+|update\s+|truncate\s+(?:table\s+)?|alter\s+table\s+(?:if\s+exists\s+)?)${rel}(?:.*?\b(?:rename\s+to|swap\s+with)\s+${rel})?`, 'is').exec(sqlText);
        if (written) {
          for (const i of [1, 4]) {
            if (written[i] !== undefined) lastAltered.set([written[i], written[i + 1], written[i + 2]].map((x) => x.replace(/""/g, '"')).join('.'), stamp.toISOString());
          }
        }
      }
      if (kind === 'insert') {
        envelope([{ ...textCol('number of rows inserted'), type: 'fixed', scale: 0, precision: 19, nullable: false }], [[String(reader.rowsChanged)]], 0x3100);
        return;
      }
      if (kind === 'ddl' || grantOn) {
        envelope([textCol('status')], [['Statement executed successfully.']], 0x6000);
        return;
      }
      const names = reader.columnNames();
      const types = reader.columnTypes().map((t) => snowflakeType(String(t)));
      const rowtype = names.map((name, i) => ({
        name, database: '', schema: '', table: '', byteLength: types[i].type === 'text' ? 16777216 : null, length: types[i].type === 'text' ? 16777216 : null,
        type: types[i].type, scale: types[i].scale, precision: types[i].precision, nullable: true, collation: null,
      }));
      const rowset = reader.getRows().map((r) => r.map((v, i) => encodeValue(v, types[i].type)));
      envelope(rowtype, rowset, kind === 'select' ? 0x1000 : 0x3000);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (run.aborted) {
        json(res, {
          data: { internalError: false, errorCode: '000604', age: 0, sqlState: '57014', queryId, line: -1, pos: -1, type: 'EXECUTION' },
          code: '000604', message: 'SQL execution canceled', success: false, headers: null,
        });
        return;
      }
      // Snowflake-like codes: 002003 (object does not exist, 42S02), 000904 (invalid identifier, 42000), 001003 (syntax, 42000).
      let code = '100000';
      if (e instanceof UnsupportedSnowflakeSql) [code] = ['002140'];
      let sqlState = '22000';
      let type = 'EXECUTION';
      if (/Catalog Error: Table with name|does not exist/i.test(msg)) [code, sqlState, type] = ['002003', '42S02', 'COMPILATION'];
      else if (/Binder Error/i.test(msg)) [code, sqlState, type] = ['000904', '42000', 'COMPILATION'];
      else if (/Parser Error/i.test(msg)) [code, sqlState, type] = ['001003', '42000', 'COMPILATION'];
      else if (/Conversion Error|Could not convert/i.test(msg)) [code, sqlState] = ['100038', '22018'];
      json(res, {
        data: { internalError: false, unredactedFromSecureObject: false, errorCode: code, age: 0, sqlState, queryId, line: -1, pos: -1, type },
        code, message: `${type === 'COMPILATION' ? 'SQL compilation error:\n' : ''}${e instanceof UnsupportedSnowflakeSql ? 'not supported by the Weir test server: ' : ''}${msg.split('\n')[0]}`, success: false, headers: null,
      });
    }
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const route = `${req.method} ${url.pathname}`;
      try {
        const body = await readBody(req);
        if (route === 'POST /session/v1/login-request') return await login(url, body, res);
        if (route === 'POST /telemetry/send') return json(res, { data: 'Log Received', code: null, message: null, success: true });
        const session = sessionOf(req);
        if (route === 'POST /queries/v1/query-request') {
          if (!session) return noSession(res);
          const requestId = url.searchParams.get('requestId');
          try {
            return await query(session, body, res, requestId);
          } finally {
            for (const [k, r] of running) if (r.session === session) running.delete(k);
          }
        }
        if (route === 'POST /session' && url.searchParams.get('delete') === 'true') {
          if (session) {
            for (const [k, s] of sessions) if (s === session) sessions.delete(k);
            session.conn.closeSync();
          }
          return json(res, { data: null, code: null, message: null, success: true });
        }
        if (route === 'POST /session/heartbeat') return json(res, { data: null, code: null, message: null, success: true });
        const abort = route === 'POST /queries/v1/abort-request' ? String(body.requestId ?? '') : /^POST \/queries\/([^/]+)\/abort-request$/.exec(route)?.[1];
        if (abort !== undefined) {
          // Cancels the statement: DuckDB is interrupted and its query-request answers 000604.
          const r = running.get(abort);
          if (r) {
            r.aborted = true;
            r.session.conn.interrupt();
          }
          return json(res, { data: null, code: null, message: null, success: true });
        }
        if (route === 'POST /session/token-request' && session) {
          const token = `ver:1-hint:1-ETMsDgAAA${randomUUID()}`;
          sessions.set(token, session);
          return json(res, { data: { sessionToken: token, validityInSecondsST: 3600, masterToken: (/Snowflake Token="([^"]+)"/.exec(String(req.headers.authorization)) ?? [])[1], validityInSecondsMT: 14400, sessionId: session.id }, code: null, message: null, success: true });
        }
        unknownRequests.push(`${route}${url.search}`);
        process.stderr.write(`[snowflake test server] UNKNOWN REQUEST ${route}${url.search}\n`);
        json(res, { data: null, code: '404', message: `not implemented by the Weir test server: ${route}`, success: false }, 404);
      } catch (e) {
        process.stderr.write(`[snowflake test server] error on ${route}: ${(e as Error).stack}\n`);
        json(res, { data: null, code: '500', message: String(e), success: false }, 500);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`, port, queries, logins, unknownRequests, bodies,
    async duck(sql: string) {
      const r = await admin.runAndReadAll(sql);
      return r.getRowsJS() as unknown[][];
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      for (const s of new Set(sessions.values())) s.conn.closeSync();
      admin.closeSync();
      duck.closeSync();
      stages.close();
    },
  };
}
