/**
 * The adapters the conformance suite runs against: DuckDB (embedded) and Snowflake / Trino through their
 * official clients against the local protocol servers in tests/servers (NOT Snowflake, NOT Trino: DuckDB
 * behind the engines' client protocols). Each harness knows how to start its server and how to write its
 * `project.yaml` target block; everything else is in cases.ts and engine-neutral.
 */
import { startSnowflakeServer, type SnowflakeTestServer } from '../servers/snowflake-server.js';
import { TrinoTestServer } from '../servers/trino-server.js';

/** One adapter under test. */
export interface AdapterHarness {
  /** Display name (also the describe block's title). */
  readonly name: string;
  /** Starts the engine's server, if any. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Requests the engine's server did not understand (must stay empty). */
  unknownRequests(): readonly string[];
  /**
   * The `targets.conf` block (indented by 4 spaces), secrets read through `{{env}}` from {@link env}.
   * @param override replaces where the engine lives: a network address, or (DuckDB) a database path
   */
  targetYaml(override?: { url?: string; path?: string }): string;
  /** Environment for CLI runs (the secrets). */
  env(overrides?: { password?: string }): NodeJS.ProcessEnv;
  /** Secrets that must appear in no output and no artifact. */
  readonly secrets: readonly string[];
  /** Whether the target authenticates with a password (the wrong-password case needs one). */
  readonly hasPassword: boolean;
  /**
   * A target block whose engine can't be reached: a closed port, or for an embedded engine a database path
   * that can't be created (`dir` is the project root).
   */
  unreachable(closedPort: number, dir: string): string;
  /** Pattern of the message for {@link unreachable}. */
  readonly unreachableMessage: RegExp;
  /** A query in the engine's own SQL that runs for minutes (the cancel case interrupts it). */
  readonly slowQuery: string;
}

/**
 * A Trino query that runs for minutes: three 10,000-element sequences (Trino's SEQUENCE limit,
 * https://trino.io/docs/current/functions/array.html#sequence) cross joined, 10^12 rows.
 */
export const TRINO_SLOW_QUERY = 'select count(*) from unnest(sequence(1, 10000)) as a(x) cross join unnest(sequence(1, 10000)) as b(y) cross join unnest(sequence(1, 10000)) as c(z) where x + y + z = -1';

const SF_PASSWORD = 'Sf-conf0rmance!pw';
const TRINO_PASSWORD = 'Tr-conf0rmance!pw';

const duckdb = (): AdapterHarness => ({
  name: 'duckdb',
  async start() {},
  async stop() {},
  unknownRequests: () => [],
  targetYaml: (o) => `    type: duckdb
    path: ${o?.path ?? 'target/conf.duckdb'}
    threads: 2
`,
  env: () => ({ ...process.env }),
  secrets: [],
  hasPassword: false,
  // A path below a regular file can never be created.
  unreachable: () => duckdb().targetYaml({ path: 'project.yaml/sub/conf.duckdb' }),
  unreachableMessage: /target 'conf': cannot open DuckDB database .*conf\.duckdb/,
  slowQuery: 'select count(*) from range(1000000000) as a, range(1000) as b where a.range + b.range = -1',
});

const snowflake = (): AdapterHarness => {
  let server: SnowflakeTestServer | undefined;
  const h: AdapterHarness = {
    name: 'snowflake (local protocol server)',
    async start() {
      server = await startSnowflakeServer({ users: { weir_conf: SF_PASSWORD } });
    },
    async stop() {
      await server?.close();
    },
    unknownRequests: () => server?.unknownRequests ?? [],
    targetYaml: (o) => `    type: snowflake
    account: acme-conf
    user: weir_conf
    password: '{{env "CONF_SF_PASSWORD"}}'
    database: analytics
    schema: dev
    access_url: ${o?.url ?? server!.url}
    threads: 2
    connect_retries: 0
    connect_timeout_seconds: 3
`,
    env: (o) => ({ ...process.env, CONF_SF_PASSWORD: o?.password ?? SF_PASSWORD }),
    secrets: [SF_PASSWORD],
    hasPassword: true,
    unreachable: (port) => h.targetYaml({ url: `http://127.0.0.1:${port}` }),
    // https://docs.snowflake.com/en/sql-reference/functions/generator
    slowQuery: 'select count(*) from table(generator(rowcount => 1000000000)) as a, table(generator(rowcount => 1000)) as b where random() = 2',
    unreachableMessage: /target 'conf' \(Snowflake account acme-conf at http:\/\/127\.0\.0\.1:\d+, user weir_conf\): cannot connect \(ECONNREFUSED\)/,
  };
  return h;
};

const trino = (): AdapterHarness => {
  let server: TrinoTestServer | undefined;
  const h: AdapterHarness = {
    name: 'trino (local protocol server)',
    async start() {
      server = await TrinoTestServer.start({ catalogs: ['lake'], users: { weir: TRINO_PASSWORD }, pageSize: 200 });
    },
    async stop() {
      await server?.close();
    },
    unknownRequests: () => (server?.requests ?? []).filter((r) => r.status === 404 || r.status === 405).map((r) => `${r.method} ${r.path}`),
    targetYaml: (o) => `    type: trino
    server: ${o?.url ?? server!.url}
    user: weir
    catalog: lake
    schema: conf
    auth: { type: basic, password: '{{env "CONF_TRINO_PASSWORD"}}' }
    threads: 2
`,
    env: (o) => ({ ...process.env, CONF_TRINO_PASSWORD: o?.password ?? TRINO_PASSWORD }),
    secrets: [TRINO_PASSWORD, Buffer.from(`weir:${TRINO_PASSWORD}`).toString('base64')],
    hasPassword: true,
    unreachable: (port) => h.targetYaml({ url: `http://127.0.0.1:${port}` }),
    slowQuery: TRINO_SLOW_QUERY,
    unreachableMessage: /target 'conf' \(Trino at http:\/\/127\.0\.0\.1:\d+\): cannot reach the server \(ECONNREFUSED\)/,
  };
  return h;
};

/** Fresh harnesses, one per adapter. */
export function harnesses(): AdapterHarness[] {
  return [duckdb(), snowflake(), trino()];
}
