/**
 * The three targets a security test runs on: DuckDB (embedded, real), and the Trino and Snowflake
 * protocol servers of tests/servers (NOT those engines: DuckDB behind their client protocols). One
 * project.yaml declares all three targets; {@link startEngines} starts both servers and returns the
 * environment that the targets' `{{env}}` read.
 */
import { TrinoTestServer } from '../servers/trino-server.js';
import { startSnowflakeServer, type SnowflakeTestServer } from '../servers/snowflake-server.js';

/** Passwords of the protocol servers' users (secret: tests grep for them in outputs). */
export const TRINO_PASSWORD = 'Tr1no-Secr3t-Pw-8841';
export const SNOWFLAKE_PASSWORD = 'Sn0w-Secr3t-Pw-5512';

/** Running protocol servers and what the project needs to reach them. */
export interface Engines {
  readonly trino: TrinoTestServer;
  readonly snowflake: SnowflakeTestServer;
  /** Environment for runs (passwords and URLs). */
  readonly env: NodeJS.ProcessEnv;
  /** `targets:` entries for project.yaml: `dev` (DuckDB), `trino`, `snowflake`. */
  targetsYaml(extra?: string): string;
  /** Every SQL text the two servers received so far. */
  sent(): string[];
  close(): Promise<void>;
}

/** Target names of {@link Engines.targetsYaml}. */
export const TARGETS = ['dev', 'trino', 'snowflake'] as const;

/**
 * `targets:` for project.yaml: `dev` (DuckDB, target/t.duckdb), `trino` and `snowflake` (the protocol
 * servers, reached through the `{{env}}` values of {@link Engines.env}). Pure text: usable before the
 * servers start.
 * @param extra lines appended to each target (e.g. `\n    query_timeout_seconds: 5`)
 */
export function engineTargetsYaml(extra = ''): string {
  return `targets:
  dev:
    type: duckdb
    path: target/t.duckdb
    threads: 2${extra}
  trino:
    type: trino
    server: '{{env "TRINO_URL"}}'
    user: weir
    catalog: lake
    schema: analytics
    auth: { type: basic, password: '{{env "TRINO_PASSWORD"}}' }
    threads: 2${extra}
  snowflake:
    type: snowflake
    account: acme-test
    user: weir_ci
    password: '{{env "SNOWFLAKE_PASSWORD"}}'
    database: analytics
    schema: dev
    access_url: '{{env "SNOWFLAKE_URL"}}'
    connect_retries: 0
    threads: 2${extra}
`;
}

/** Starts both protocol servers on 127.0.0.1. */
export async function startEngines(): Promise<Engines> {
  const trino = await TrinoTestServer.start({ catalogs: ['lake'], users: { weir: TRINO_PASSWORD } });
  const snowflake = await startSnowflakeServer({ users: { weir_ci: SNOWFLAKE_PASSWORD } });
  const env = { ...process.env, TRINO_PASSWORD, SNOWFLAKE_PASSWORD, TRINO_URL: trino.url, SNOWFLAKE_URL: snowflake.url };
  return {
    trino, snowflake, env,
    targetsYaml: engineTargetsYaml,
    sent: () => [...trino.statements.map((s) => s.sql), ...snowflake.queries.map((q) => q.sqlText)],
    close: async () => {
      await trino.close();
      await snowflake.close();
    },
  };
}
