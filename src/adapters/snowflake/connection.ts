/**
 * Snowflake sessions on the official `snowflake-sdk` (imported lazily: a DuckDB-only run never loads it):
 * one sdk connection (one Snowflake session) per worker thread.
 *
 * - Login: password, key pair (JWT; PEM normalized by private-key.ts) or OAuth token. Failures (wrong
 *   password, unreachable host, timeout) become `WEIR_DB_OPEN_FAILED` naming the target; credentials are
 *   never put in messages, and the sdk's own logger is switched off.
 * - Statements: positional binds, `query_timeout_seconds` (the statement is cancelled), SQL errors as
 *   AdapterError with Snowflake's code and SQL state (the runner names the node).
 * - Query tags: `QUERY_TAG` is set per node (`ALTER SESSION SET QUERY_TAG`) to a JSON object carrying the
 *   node id and the target's `query_tag`, so Snowflake's query history attributes every statement.
 * - A call to a project UDF that was not deployed (see udfs.ts) fails with Snowflake's "Unknown function"
 *   error, to which the reason is appended.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { importOptional } from '../../utils/optional-dependency.js';
import { WeirError } from '../../errors/weir-error.js';
import { AdapterError, type Connection, type QueryResult } from '../adapter.js';
import { makeSnowflakeDialect } from './dialect.js';
import { preparePrivateKey } from './private-key.js';
import type { SnowflakeTarget } from './target.js';

/** The snowflake-sdk module. */
export type SnowflakeSdk = typeof import('snowflake-sdk');
type SdkConnection = import('snowflake-sdk').Connection;
type SdkStatement = import('snowflake-sdk').RowStatement;

/** The target a session opens, with what its messages and key file need. */
export interface SnowflakeSessionConfig {
  /** The validated target (holds secrets: never log it). */
  readonly target: SnowflakeTarget;
  /** The target's name in project.yaml, for messages. */
  readonly targetName: string;
  /** Project root: `private_key_path` is relative to it. */
  readonly projectRoot: string;
}

let sdkPromise: Promise<SnowflakeSdk> | undefined;

/** Loads snowflake-sdk once, with its logger off (it would write `snowflake.log` into the working dir). */
export async function loadSdk(targetName: string): Promise<SnowflakeSdk> {
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

/** One sdk connection (a worker thread's Snowflake session). */
export class SnowflakeConnectionWrapper implements Connection {
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

/** Where the sdk connects: `access_url`, else `https://<account>.snowflakecomputing.com`. */
export function snowflakeUrl(target: SnowflakeTarget): string {
  return target.access_url ?? `https://${target.account}.snowflakecomputing.com`;
}

/** sdk connection options for the target (secrets included: never log this object). */
function connectionOptions(s: SnowflakeSessionConfig): import('snowflake-sdk').ConnectionOptions {
  const t = s.target;
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
      ? preparePrivateKey(t.private_key, t.private_key_passphrase, { targetName: s.targetName, field: 'private_key' })
      : preparePrivateKey(readPrivateKey(s, t.private_key_path!), t.private_key_passphrase, { targetName: s.targetName, field: 'private_key_path', file: t.private_key_path });
    if (t.private_key_passphrase) opts.privateKeyPass = t.private_key_passphrase;
  }
  if (t.authenticator === 'oauth') opts.token = t.token;
  return opts as unknown as import('snowflake-sdk').ConnectionOptions;
}

/** The PEM text of `private_key_path` (project-relative). @throws WeirError `WEIR_DB_OPEN_FAILED` naming the file */
function readPrivateKey(s: SnowflakeSessionConfig, file: string): string {
  const abs = path.resolve(s.projectRoot, file);
  try {
    return readFileSync(abs, 'utf8');
  } catch (e) {
    throw new WeirError('WEIR_DB_OPEN_FAILED', `target '${s.targetName}': cannot read the private key file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      hint: 'private_key_path is relative to the project root; or pass the PEM text with private_key: {{env "SNOWFLAKE_PRIVATE_KEY"}}.', cause: e,
    });
  }
}

/**
 * Opens one Snowflake session (logs in).
 * @param undeployedUdfs UDF name (lower-case) → why it is not deployed, appended to "unknown function" errors (read live)
 * @throws WeirError `WEIR_DB_OPEN_FAILED` naming the target, without credentials
 */
export async function openSession(sdk: SnowflakeSdk, s: SnowflakeSessionConfig, undeployedUdfs: ReadonlyMap<string, string>): Promise<SnowflakeConnectionWrapper> {
  let conn: SdkConnection;
  try {
    conn = sdk.createConnection(connectionOptions(s));
  } catch (e) {
    if (e instanceof WeirError) throw e;
    throw new WeirError('WEIR_DB_OPEN_FAILED', `target '${s.targetName}': invalid Snowflake connection settings: ${(e as Error).message}`, { cause: e });
  }
  try {
    // connect(callback), not connectAsync(): the latter reports login failures only to its callback.
    await new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve())));
  } catch (e) {
    throw loginError(s, e);
  }
  return new SnowflakeConnectionWrapper(conn, s.target.query_timeout_seconds * 1000, s.target.query_tag, undeployedUdfs);
}

/** A clear, credential-free message for a failed login. */
function loginError(s: SnowflakeSessionConfig, e: unknown): WeirError {
  const err = (e ?? {}) as SdkError;
  const code = String(err.code ?? '');
  const causeCode = err.cause?.code ?? /\b(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|ECONNABORTED|EAI_AGAIN)\b/.exec(err.message ?? '')?.[1];
  const where = `target '${s.targetName}' (Snowflake account ${s.target.account} at ${snowflakeUrl(s.target)}, user ${s.target.user})`;
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
    message = `${where}: no answer within ${s.target.connect_timeout_seconds} s (connect_timeout_seconds)`;
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
