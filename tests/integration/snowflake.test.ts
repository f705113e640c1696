/**
 * The Snowflake adapter with the official snowflake-sdk against the local protocol server in
 * tests/servers/snowflake-server.ts (NOT Snowflake: DuckDB behind Snowflake's REST protocol). The same
 * project builds on DuckDB and on the fake Snowflake with the same row counts; query tags carry node ids;
 * wrong password, unreachable host, timeout and SQL errors give clear messages; the password never
 * appears in output or artifacts.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject, runCli, writeFiles } from '../helpers/project.js';
import { startSnowflakeServer, type SnowflakeTestServer } from '../servers/snowflake-server.js';
import { makeSnowflakeDialect } from '../../src/adapters/snowflake/dialect.js';

const PASSWORD = 'pw-Zq8!x7secret';
let server: SnowflakeTestServer;
let dir: string;

const projectYaml = `name: t
target: dev
targets:
  dev:
    type: duckdb
    path: target/t.duckdb
    threads: 2
  snowflake:
    type: snowflake
    account: acme-test
    user: weir_ci
    password: '{{env "SNOWFLAKE_PASSWORD"}}'
    role: transformer
    warehouse: wh_xs
    database: analytics
    schema: dev
    access_url: '{{env "SNOWFLAKE_ACCESS_URL"}}'
    threads: 3
    transient: true
    query_tag: ci
    connect_retries: 0
    connect_timeout_seconds: 2
  snowflake_impatient:
    type: snowflake
    account: acme-test
    user: weir_ci
    password: '{{env "SNOWFLAKE_PASSWORD"}}'
    database: analytics
    schema: dev
    access_url: '{{env "SNOWFLAKE_ACCESS_URL"}}'
    connect_retries: 0
    query_timeout_seconds: 1
`;

const env = (overrides: Record<string, string> = {}) => ({ ...process.env, SNOWFLAKE_PASSWORD: PASSWORD, SNOWFLAKE_ACCESS_URL: server.url, ...overrides });

beforeAll(async () => {
  server = await startSnowflakeServer({ users: { weir_ci: PASSWORD } });
  dir = await makeProject({
    'project.yaml': projectYaml,
    'seeds/customers.csv': 'id,name,country,signup\n1,Ann,KR,2024-01-02\n2,Bo,JP,2024-02-03\n3,"Cy, Jr.",KR,2024-03-04\n4,D\\an,US,\n',
    'seeds/orders.csv': `id,customer_id,amount,paid\n${Array.from({ length: 2500 }, (_, i) => `${i + 1},${(i % 4) + 1},${(i * 1.5).toFixed(2)},${i % 3 === 0}`).join('\n')}\n`,
    'models/stg_customers.sql': `select id, name, upper(country) as country, signup from {{ref "customers"}}`,
    'models/paid_orders.sql': `{{config materialized="ephemeral"}}select * from {{ref "orders"}} where paid`,
    'models/customer_totals.sql': `{{config materialized="table"}}select c.id, c.name, count(o.id) as n_orders, sum(o.amount) as total
from {{ref "stg_customers"}} as c left join {{ref "paid_orders"}} as o on o.customer_id = c.id
group by c.id, c.name`,
    'models/schema.yml': `version: 2
models:
  - name: stg_customers
    columns:
      - name: id
        tests: [not_null, unique]
  - name: customer_totals
    columns:
      - name: id
        tests: [not_null]
`,
  });
});
afterAll(async () => {
  cleanupProjects();
  await server?.close();
});

describe('snowflake target (local protocol server, not Snowflake)', () => {
  it('builds seeds, a view, a table over an ephemeral model and tests; row counts equal DuckDB', async () => {
    const duck = await runCli(['build'], dir, env());
    expect(duck.code, duck.stdout + duck.stderr).toBe(0);
    const duckResults = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')).results as { unique_id: string; status: string; adapter_response: { rows_affected?: number } }[];

    const sf = await runCli(['build', '--target', 'snowflake'], dir, env());
    expect(sf.code, sf.stdout + sf.stderr).toBe(0);
    expect(server.unknownRequests).toEqual([]);
    const sfResults = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')).results as typeof duckResults;
    const byId = (rs: typeof duckResults) => Object.fromEntries(rs.map((r) => [r.unique_id, [r.status, r.adapter_response.rows_affected]]));
    expect(byId(sfResults)).toEqual(byId(duckResults));
    expect(byId(sfResults)['seed.t.orders']).toEqual(['success', 2500]);

    // Objects live upper-cased under the target database and schema; the seed kept its backslash.
    const counts = await server.duck(`select table_name, table_type from information_schema.tables where table_catalog = 'ANALYTICS' and table_schema = 'DEV' order by 1`);
    expect(counts).toEqual([['CUSTOMERS', 'BASE TABLE'], ['CUSTOMER_TOTALS', 'BASE TABLE'], ['ORDERS', 'BASE TABLE'], ['STG_CUSTOMERS', 'VIEW'], ['WEIR_TEST_HISTORY', 'BASE TABLE']]);
    expect(await server.duck(`select count(*) from "ANALYTICS"."DEV"."WEIR_TEST_HISTORY"`)).toEqual([[3n]]);
    expect(await server.duck(`select name from "ANALYTICS"."DEV"."CUSTOMERS" where id = 4`)).toEqual([['D\\an']]);
    expect(await server.duck(`select sum(n_orders) from "ANALYTICS"."DEV"."CUSTOMER_TOTALS"`)).toEqual([[834n]]);
    // Seeds go in batches of binds; a table with tests is staged as a transient table, audited, and
    // published with SWAP WITH (write-audit-publish; the first build has no table to swap with: a rename).
    expect(server.queries.filter((q) => /^insert into "ANALYTICS"."DEV"."ORDERS__WEIR_TMP"/.test(q.sqlText)).length).toBe(3);
    expect(server.queries.some((q) => /^create transient table "ANALYTICS"."DEV"."CUSTOMER_TOTALS__WEIR_TMP" as/.test(q.sqlText))).toBe(true);
    expect(server.queries.some((q) => /^alter table "ANALYTICS"."DEV"."CUSTOMER_TOTALS__WEIR_TMP" rename to /.test(q.sqlText))).toBe(true);
  });

  it('tags every node statement with the node id', async () => {
    const tagged = server.queries.filter((q) => /CUSTOMER_TOTALS/.test(q.sqlText) && /^create/.test(q.sqlText));
    expect(tagged.length).toBeGreaterThan(0);
    for (const q of tagged) expect(JSON.parse(q.queryTag!)).toEqual({ app: 'weir', node_id: 'model.t.customer_totals', tag: 'ci' });
    const testQuery = server.queries.find((q) => /weir_test/.test(q.sqlText) && /STG_CUSTOMERS/.test(q.sqlText));
    expect(JSON.parse(testQuery!.queryTag!).node_id).toMatch(/^test\.t\./);
    expect(server.logins.every((l) => l.user === 'weir_ci')).toBe(true);
  });

  it('a SQL error names the node and carries the Snowflake code and SQL state', async () => {
    writeFiles(dir, { 'models/broken.sql': 'select * from {{ref "customers"}} join missing_table on true' });
    const r = await runCli(['run', '--target', 'snowflake', '--select', 'broken'], dir, env());
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/model 'broken'.*on target 'snowflake'/);
    expect(out).toMatch(/SQL state 42S02/);
    expect(out).not.toMatch(/\n\s+at /); // no stack trace
    writeFiles(dir, { 'models/broken.sql': 'select 1 as ok' });
  });

  it('a statement running past query_timeout_seconds is cancelled with a message naming the target and node', async () => {
    writeFiles(dir, { 'models/slow.sql': '{{config materialized="table"}}select count(*) as n from table(generator(rowcount => 100000000000)) as g, table(generator(rowcount => 1000)) as h' });
    try {
      const r = await runCli(['run', '--target', 'snowflake_impatient', '--select', 'slow'], dir, env());
      expect(r.code).toBe(1);
      const out = r.stdout + r.stderr;
      expect(out).toMatch(/model 'slow'.*on target 'snowflake_impatient'/);
      expect(out).toMatch(/statement timed out after 1 s \(query_timeout_seconds\) and was cancelled/);
      expect(out).not.toMatch(/\n\s+at /);
      expect(server.queries.some((q) => /generator/.test(q.sqlText))).toBe(true);
    } finally {
      writeFiles(dir, { 'models/slow.sql': 'select 1 as ok' });
    }
  }, 60_000);

  it('a wrong password is a clear login error naming the target', async () => {
    const r = await runCli(['run', '--target', 'snowflake'], dir, env({ SNOWFLAKE_PASSWORD: 'wrong-password-123' }));
    expect(r.code).not.toBe(0);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/target 'snowflake'.*incorrect username or password/);
    expect(out).not.toContain('wrong-password-123');
    expect(out).not.toMatch(/\n\s+at /);
  });

  it('an unreachable host and a host that never answers give connect errors', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const r = await runCli(['run', '--target', 'snowflake'], dir, env({ SNOWFLAKE_ACCESS_URL: `http://127.0.0.1:${closed}` }));
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/target 'snowflake'.*cannot connect \(ECONNREFUSED\)/);

    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const t = await runCli(['run', '--target', 'snowflake'], dir, env({ SNOWFLAKE_ACCESS_URL: `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}` }));
      expect(t.code).not.toBe(0);
      expect(t.stdout + t.stderr).toMatch(/target 'snowflake'.*no answer within 2 s/);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  }, 30_000);

  it('never writes the password to output, artifacts or a snowflake.log', async () => {
    const r = await runCli(['build', '--target', 'snowflake', '--log-format', 'json'], dir, env());
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    for (const f of readdirSync(path.join(dir, 'target')).filter((n) => n.endsWith('.json'))) {
      expect(readFileSync(path.join(dir, 'target', f), 'utf8'), f).not.toContain(PASSWORD);
    }
    expect(existsSync(path.join(dir, 'snowflake.log'))).toBe(false);
    // The password reached the server only in login requests.
    expect(server.bodies.filter((b) => b.includes(PASSWORD)).every((b) => b.includes('LOGIN_NAME'))).toBe(true);
  });
});

describe('snowflake dialect', () => {
  const d = makeSnowflakeDialect({ transient: true });
  it('upper-cases and quotes identifiers, escapes backslashes in strings', () => {
    expect(d.relation({ database: 'analytics', schema: 'dev', identifier: 'order' })).toBe('"ANALYTICS"."DEV"."ORDER"');
    expect(d.columnRef('amount')).toBe('amount');
    expect(d.columnRef('Order Date')).toBe('"ORDER DATE"');
    expect(d.literal("it's a\\b")).toBe("'it''s a\\\\b'");
    expect(d.ddl.createOrReplaceTableAs!('"A"."B"."C"', 'select 1')).toBe('create or replace transient table "A"."B"."C" as (\nselect 1\n)');
    expect(d.ddl.renameRelation('"A"."B"."C__WEIR_TMP"', '"C"', 'table')).toBe('alter table "A"."B"."C__WEIR_TMP" rename to "A"."B"."C"');
  });
});
