/**
 * The Trino adapter (official trino-client) against tests/servers/trino-server.ts — a local server that
 * speaks the Trino client REST protocol and executes on DuckDB. It is NOT Trino: these tests prove the
 * protocol handling (paging, in-band errors, auth, cancel, session headers) and the materializations'
 * statements, not Trino's SQL semantics.
 */
import { createServer } from 'node:net';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject, runCli, writeFiles, type CliResult } from '../helpers/project.js';
import { TrinoTestServer } from '../servers/trino-server.js';
import { TRINO_SLOW_QUERY } from '../conformance/harnesses.js';
import { createAdapter } from '../../src/adapters/registry.js';
import type { TrinoAdapter } from '../../src/adapters/trino/adapter.js';
import { TrinoAdapterError } from '../../src/adapters/trino/connection.js';

const PASSWORD = 'Tr1no-pa55word-xyz';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.weir-test-token.sig';
let server: TrinoTestServer;
let dir: string;
const outputs: CliResult[] = [];
const env = { ...process.env, TRINO_PASSWORD: PASSWORD, TRINO_TOKEN: TOKEN };

const projectYaml = (url: string, extra = '') => `name: t
target: dev
targets:
  dev:
    type: duckdb
    path: target/t.duckdb
    threads: 2
  trino:
    type: trino
    server: ${url}
    user: weir
    catalog: lake
    schema: analytics
    auth: { type: basic, password: '{{env "TRINO_PASSWORD"}}' }
    session_properties: { query_max_run_time: 1h }
    threads: 3${extra}
seeds:
  +schema: raw
`;

const cli = async (args: string[], cwd = dir, e: NodeJS.ProcessEnv = env) => {
  const r = await runCli(args, cwd, e);
  outputs.push(r);
  return r;
};

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function adapterFor(target: Record<string, unknown>): Promise<TrinoAdapter> {
  const a = await createAdapter({ type: 'trino', server: server.url, user: 'weir', catalog: 'lake', schema: 'analytics', auth: { type: 'basic', password: PASSWORD }, ...target } as { type: string }, { file: 'project.yaml', targetName: 'trino' }, dir);
  return a as TrinoAdapter;
}

const PEOPLE = 'id,name,born,score,code\n1,Ann,2001-02-03,1.5,007\n2,Bob,,2,010\n3,"C, d",1999-12-31,,x\n4,Dee,2000-01-01,4.25,\n';
const ORDERS = ['order_id,person_id,amount,ordered_at', ...Array.from({ length: 1234 }, (_, i) => `${i + 1},${(i % 5) + 1},${(i * 7) % 100}.5,2024-01-${String((i % 28) + 1).padStart(2, '0')} 10:00:00`)].join('\n');

beforeAll(async () => {
  server = await TrinoTestServer.start({ catalogs: ['lake'], users: { weir: PASSWORD }, bearerTokens: [TOKEN], pageSize: 100 });
  dir = await makeProject({
    'project.yaml': projectYaml(server.url),
    'seeds/people.csv': PEOPLE,
    'seeds/orders.csv.gz': gzipSync(ORDERS),
    'seeds/seeds.yml': 'seeds:\n  - name: people\n    config:\n      column_types: { code: varchar }\n',
    'models/stg_people.sql': 'select id, upper(trim(name)) as name, born, score, code from {{ref "people"}}',
    'models/person_orders.sql': '{{config materialized="ephemeral"}}select person_id, count(*) as n, sum(amount) as total from {{ref "orders"}} group by person_id',
    'models/people_summary.sql': `{{config materialized="table"}}
select p.id, p.name, coalesce(o.n, 0) as orders, coalesce(o.total, 0) as total
from {{ref "stg_people"}} p left join {{ref "person_orders"}} o on o.person_id = p.id`,
    'models/big_orders.sql': '{{config materialized="table"}}select * from {{ref "orders"}} where amount > 50',
    'models/schema.yml': `models:
  - name: people_summary
    columns:
      - name: id
        tests: [unique, not_null]
      - name: name
        tests: [not_null]
  - name: big_orders
    columns:
      - name: order_id
        tests: [unique]
`,
  });
}, 60_000);

afterAll(async () => {
  cleanupProjects();
  await server?.close();
});

describe('trino target (local protocol server)', () => {
  it('builds seeds, views, tables, ephemeral models and tests with the same row counts as DuckDB', async () => {
    const d = await cli(['build']);
    expect(d.code, d.stdout + d.stderr).toBe(0);
    const t = await cli(['build', '--target', 'trino']);
    expect(t.code, t.stdout + t.stderr).toBe(0);
    expect(t.stdout).toMatch(/PASS=9 WARN=0 ERROR=0 SKIP=0 TOTAL=9/);
    expect(t.stdout).toContain('table "lake"."analytics"."people_summary"');
    expect(t.stdout).toContain('seed "lake"."analytics_raw"."orders" [1234 rows');
    for (const [rel, duck] of [['analytics_raw.people', 'main_raw.people'], ['analytics_raw.orders', 'main_raw.orders'], ['analytics.stg_people', 'main.stg_people'], ['analytics.people_summary', 'main.people_summary'], ['analytics.big_orders', 'main.big_orders']]) {
      const trinoCount = Number((await server.query(`select count(*) as n from lake.${rel}`))[0].n);
      const q = await cli(['query', `select count(*) as n from ${duck}`, '--format', 'json']);
      expect(trinoCount, rel).toBe(Number(JSON.parse(q.stdout)[0].n));
    }
    // the same values, too
    const tv = await server.query('select id, name, orders, total from lake.analytics.people_summary order by id');
    const dv = JSON.parse((await cli(['query', 'select id, name, orders, total from main.people_summary order by id', '--format', 'json'])).stdout) as Record<string, unknown>[];
    expect(tv.map((r) => [Number(r.id), r.name, Number(r.orders), Number(r.total)])).toEqual(dv.map((r) => [Number(r.id), r.name, Number(r.orders), Number(r.total)]));
    // seed types: inferred (bigint, date, double), column_types honoured (code stays varchar with its zeros)
    const cols = await server.query(`select column_name, data_type from information_schema.columns where table_catalog = 'lake' and table_schema = 'analytics_raw' and table_name = 'people' order by ordinal_position`);
    expect(cols.map((c) => `${c.column_name}:${c.data_type}`)).toEqual(['id:BIGINT', 'name:VARCHAR', 'born:DATE', 'score:DOUBLE', 'code:VARCHAR']);
    expect((await server.query(`select code from lake.analytics_raw.people order by id`)).map((r) => r.code)).toEqual(['007', '010', 'x', null]);
    // protocol: every statement carried user, catalog, schema and the session properties; results were paged
    expect(server.statements.every((s) => s.user === 'weir' && s.catalog === 'lake' && s.session === 'query_max_run_time=1h' && s.source === 'weir')).toBe(true);
    expect(server.requests.some((r) => r.method === 'GET' && r.path.startsWith('/v1/statement/executing/'))).toBe(true);
    // no transactions are sent to Trino; tables are swapped in by drop + qualified rename
    expect(server.statements.some((s) => /^\s*(begin|commit|rollback)/i.test(s.sql))).toBe(false);
    expect(server.statements.some((s) => /alter table "lake"\."analytics"\."people_summary__weir_tmp" rename to "lake"\."analytics"\."people_summary"/.test(s.sql))).toBe(true);
  });

  it('a failing table rebuild keeps the old table and names the node and target', async () => {
    const before = await server.query('select count(*) as n from lake.analytics.people_summary');
    writeFiles(dir, { 'models/people_summary.sql': '{{config materialized="table"}}select nope from {{ref "stg_people"}}' });
    const r = await cli(['run', '--target', 'trino', '--select', 'people_summary']);
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/database error in model 'people_summary' \(models\/people_summary\.sql\): target 'trino': Trino COLUMN_NOT_FOUND \(USER_ERROR\)/);
    expect(out).not.toMatch(/\n\s+at .*\.(ts|js):\d+/); // no stack trace
    expect(await server.query('select count(*) as n from lake.analytics.people_summary')).toEqual(before);
    expect(await server.query(`select table_name from information_schema.tables where table_name like '%weir_tmp%'`)).toEqual([]);
    const results = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as { results: { status: string; message: string }[] };
    expect(results.results[0].status).toBe('error');
    expect(results.results[0].message).toContain("target 'trino'");
  });

  it('introspects relations and columns', async () => {
    const a = await adapterFor({});
    await a.open();
    const rels = await a.listRelations(['analytics', 'analytics_raw']);
    expect(rels.map((r) => `${r.schema}.${r.identifier}:${r.kind}`).sort()).toEqual([
      'analytics.big_orders:table', 'analytics.people_summary:table', 'analytics.stg_people:view',
      'analytics.weir_test_history:table', // the build's test results (test history)
      'analytics_raw.orders:table', 'analytics_raw.people:table',
    ]);
    const conn = await a.connect();
    expect((await a.listColumns(conn, { schema: 'analytics', identifier: 'stg_people' })).map((c) => c.name)).toEqual(['id', 'name', 'born', 'score', 'code']);
    expect(await a.relationKind(conn, { database: 'lake', schema: 'analytics', identifier: 'stg_people' })).toBe('view');
    expect(await a.relationKind(conn, { schema: 'analytics', identifier: 'nope' })).toBeUndefined();
    // binds are inlined as literals (quotes inside strings are doubled; ? inside literals untouched)
    const r = await conn.execute(`select ? as a, ? as b, '?' as c`, ["it's", 42]);
    expect(r.rows).toEqual([["it's", 42, '?']]);
    expect(r.columns.map((c) => c.type)).toEqual(['varchar', 'integer', 'varchar']);
    // many pages (pageSize 100) come back complete, BIGINT as bigint
    const big = await conn.execute('select order_id from lake.analytics_raw.orders order by order_id');
    expect(big.rows.length).toBe(1234);
    expect(big.rows[1233][0]).toBe(1234n);
    await conn.close();
    await a.close();
  });

  it('keeps the data of a first response without nextUri (a trino-client iterator quirk)', async () => {
    const quick = await TrinoTestServer.start({ immediateResults: true });
    try {
      const a = await createAdapter({ type: 'trino', server: quick.url, user: 'u', catalog: 'memory', schema: 'main' }, { file: 'project.yaml', targetName: 'quick' }, dir);
      const conn = await a.connect();
      expect((await conn.execute('select 1 as x union all select 2 order by 1')).rows).toEqual([[1], [2]]);
      await expect(conn.execute('select * from missing_table')).rejects.toMatchObject({ errorName: 'TABLE_NOT_FOUND', errorType: 'USER_ERROR' });
    } finally {
      await quick.close();
    }
  });

  it('raises in-band query errors as AdapterErrors with errorName, errorType and the query id', async () => {
    const a = await adapterFor({});
    const conn = await a.connect();
    const e = await conn.execute('selec 1').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TrinoAdapterError);
    const err = e as TrinoAdapterError;
    expect(err.errorName).toBe('SYNTAX_ERROR');
    expect(err.errorType).toBe('USER_ERROR');
    expect(err.sqlState).toBe('SYNTAX_ERROR');
    expect(err.message).toMatch(/^target 'trino': Trino SYNTAX_ERROR \(USER_ERROR\) at line 1:1: .*\[query \w+\]$/);
  });

  it('cancels a running statement with DELETE /v1/query/{id}', async () => {
    const a = await adapterFor({});
    const conn = await a.connect();
    const running = conn.execute(TRINO_SLOW_QUERY).catch((x: unknown) => x);
    await new Promise((r) => setTimeout(r, 700));
    const t0 = Date.now();
    await conn.cancel();
    const e = (await running) as TrinoAdapterError;
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(e).toBeInstanceOf(TrinoAdapterError);
    expect(e.errorName).toBe('USER_CANCELED');
    expect(server.requests.some((r) => r.method === 'DELETE' && r.path === `/v1/query/${e.queryId}`)).toBe(true);
  });

  it('times out a statement, cancelling it, with a message naming the target', async () => {
    const a = await adapterFor({ query_timeout_seconds: 0.5 });
    const conn = await a.connect();
    const e = (await conn.execute(TRINO_SLOW_QUERY).catch((x: unknown) => x)) as TrinoAdapterError;
    expect(e.message).toMatch(/^target 'trino': statement timed out after 0\.5 s and was cancelled \[query \w+\]$/);
    await new Promise((r) => setTimeout(r, 300));
    expect(server.requests.some((r) => r.method === 'DELETE' && r.path === `/v1/query/${e.queryId}`)).toBe(true);
  });

  it('a wrong password is a clear 401 message naming the target, without the password', async () => {
    const r = await cli(['run', '--target', 'trino'], dir, { ...env, TRINO_PASSWORD: 'wrong-password-123' });
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/target 'trino' \(Trino at http:\/\/127\.0\.0\.1:\d+\): authentication failed \(HTTP 401\): the password for user 'weir' was rejected/);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout + r.stderr).not.toContain('wrong-password-123');
  });

  it('JWT bearer auth: a valid token connects, a wrong one is a 401', async () => {
    const ok = await adapterFor({ auth: { type: 'jwt', token: TOKEN } });
    await expect(ok.open()).resolves.toBeUndefined();
    const bad = await adapterFor({ auth: { type: 'jwt', token: 'nope-token' } });
    await expect(bad.open()).rejects.toThrow(/authentication failed \(HTTP 401\): the JWT bearer token was rejected/);
  });

  it('an unreachable server is a clear message naming the target', async () => {
    const port = await freePort();
    writeFileSync(path.join(dir, 'project.yaml'), projectYaml(`http://127.0.0.1:${port}`));
    try {
      const r = await cli(['run', '--target', 'trino']);
      expect(r.code).toBe(2);
      expect(r.stdout + r.stderr).toMatch(new RegExp(`target 'trino' \\(Trino at http://127\\.0\\.0\\.1:${port}\\): cannot reach the server \\(ECONNREFUSED\\)`));
      expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      writeFileSync(path.join(dir, 'project.yaml'), projectYaml(server.url));
    }
  });

  it('the password appears in no log line and no target/*.json artifact', async () => {
    const j = await cli(['build', '--target', 'trino', '--log-format', 'json']);
    expect(j.code).toBe(1); // people_summary is still broken from the swap test
    await cli(['debug', '--target', 'trino']);
    expect(outputs.length).toBeGreaterThan(5);
    for (const o of outputs) {
      expect(o.stdout).not.toContain(PASSWORD);
      expect(o.stderr).not.toContain(PASSWORD);
      expect(o.stdout + o.stderr).not.toContain(Buffer.from(`weir:${PASSWORD}`).toString('base64'));
    }
    const jsonFiles = readdirSync(path.join(dir, 'target')).filter((f) => f.endsWith('.json'));
    expect(jsonFiles).toEqual(expect.arrayContaining(['manifest.json', 'run_results.json']));
    for (const f of jsonFiles) {
      const text = readFileSync(path.join(dir, 'target', f), 'utf8');
      expect(text, f).not.toContain(PASSWORD);
      expect(text, f).not.toContain(Buffer.from(`weir:${PASSWORD}`).toString('base64'));
    }
  });
});
