/**
 * Portable TypeScript UDFs deployed to Snowflake through the adapter, against the local protocol server in
 * tests/servers/snowflake-server.ts (NOT Snowflake: it mimics JavaScript UDFs by compiling the body in
 * process and registering a DuckDB scalar function). Portable scalar UDFs become `CREATE OR REPLACE
 * FUNCTION ... LANGUAGE JAVASCRIPT` statements (one per arity) and are callable from models; batch and
 * non-portable UDFs are not deployed but evaluated client-side (execution/udfs/client-udfs.ts), also nested
 * around a deployed one.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject, runCli, writeFiles } from '../helpers/project.js';
import { startSnowflakeServer, type SnowflakeTestServer } from '../servers/snowflake-server.js';

const DEFINE = path.resolve(__dirname, '../../src/udfs/define.ts').split(path.sep).join('/');
const PASSWORD = 'pw-udf-secret-42';
let server: SnowflakeTestServer;
let dir: string;

const UDFS = `
import { defineScalarUdf, defineBatchUdf } from '${DEFINE}';

export const shout = defineScalarUdf({
  name: 'shout',
  args: [{ name: 's', type: 'VARCHAR' }, { name: 'n', type: 'INTEGER', optional: true }],
  returns: 'VARCHAR', deterministic: true, portable: true,
  description: "Upper-cases s and appends n exclamation marks (default 1); it's portable.",
  fn: (s: string, n?: number) => s.toUpperCase() + '!'.repeat(n ?? 1),
});

export const local_len = defineScalarUdf({
  name: 'local_len', args: [{ name: 's', type: 'VARCHAR' }], returns: 'INTEGER', deterministic: true,
  description: 'Not portable: runs only in process.',
  fn: (s: string) => s.length,
});

export const slow_len = defineBatchUdf({
  name: 'slow_len', args: [{ name: 's', type: 'VARCHAR' }], returns: 'INTEGER', deterministic: true,
  description: 'Batch UDF.',
  run: async (rows) => rows.map(([s]) => String(s).length),
});
`;

const env = () => ({ ...process.env, SNOWFLAKE_PASSWORD: PASSWORD, SNOWFLAKE_ACCESS_URL: server.url });

beforeAll(async () => {
  server = await startSnowflakeServer({ users: { weir_ci: PASSWORD } });
  dir = await makeProject({
    'project.yaml': `name: t
target: dev
targets:
  dev:
    type: duckdb
    path: target/t.duckdb
  snowflake:
    type: snowflake
    account: acme-test
    user: weir_ci
    password: '{{env "SNOWFLAKE_PASSWORD"}}'
    database: analytics
    schema: dev
    access_url: '{{env "SNOWFLAKE_ACCESS_URL"}}'
    threads: 2
    connect_retries: 0
`,
    'udfs/text.ts': UDFS,
    'seeds/words.csv': 'id,word\n1,alpha\n2,beta\n3,\n',
    'models/loud.sql': `{{config materialized="table"}}
select id, shout(word) as one, shout(word, 3) as three from {{ref "words"}}`,
  });
});
afterAll(async () => {
  cleanupProjects();
  await server?.close();
});

describe('portable UDFs on the snowflake target (local protocol server, not Snowflake)', () => {
  it('deploys portable scalar UDFs as JavaScript UDFs (one per arity) and models call them', async () => {
    const r = await runCli(['build', '--target', 'snowflake'], dir, env());
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await server.duck(`select id, one, three from "ANALYTICS"."DEV"."LOUD" order by id`)).toEqual([
      [1n, 'ALPHA!', 'ALPHA!!!'],
      [2n, 'BETA!', 'BETA!!!'],
      [3n, null, null], // RETURNS NULL ON NULL INPUT
    ]);
    const creates = server.queries.map((q) => q.sqlText).filter((s) => /^create or replace secure function/i.test(s));
    expect(creates.map((s) => /^CREATE OR REPLACE SECURE FUNCTION ([\w.]+\([^)]*\))/.exec(s)?.[1])).toEqual([
      'ANALYTICS.DEV.SHOUT(S STRING)',
      'ANALYTICS.DEV.SHOUT(S STRING, N FLOAT)',
    ]);
    expect(creates.every((s) => /LANGUAGE JAVASCRIPT/.test(s) && /RETURNS NULL ON NULL INPUT/.test(s))).toBe(true);
    // Only portable scalar UDFs are deployed.
    expect(server.queries.some((q) => /function\s+\S*(local_len|slow_len)/i.test(q.sqlText))).toBe(false);
    expect(creates.every((s) => /COMMENT = '.*\[weir udf udfs\/text.ts v1 sha256:[0-9a-f]{16}\]'/.test(s))).toBe(true);
  });

  it('deploys a UDF again only when it is missing or its bundled body changed', async () => {
    const creates = () => server.queries.filter((q) => /^create or replace secure function/i.test(q.sqlText)).map((q) => /FUNCTION ([\w.]+\([^)]*\))/.exec(q.sqlText)![1]);
    const shows = () => server.queries.filter((q) => /^show user functions in schema "ANALYTICS"\."DEV"$/i.test(q.sqlText)).length;
    const before = creates().length;
    const showsBefore = shows();
    // A second run and ad-hoc queries find the functions unchanged: one SHOW each, no CREATE.
    const again = await runCli(['run', '--target', 'snowflake'], dir, env());
    expect(again.code, again.stdout + again.stderr).toBe(0);
    const q = await runCli(['query', '--target', 'snowflake', "select shout('hi', 2) as s", '--format', 'json'], dir, env());
    expect(q.code, q.stdout + q.stderr).toBe(0);
    expect(JSON.parse(q.stdout)).toEqual([{ s: 'HI!!' }]);
    expect(creates().length).toBe(before);
    expect(shows()).toBe(showsBefore + 2);
    // Changing the UDF's code redeploys its overloads, and only them.
    writeFiles(dir, { 'udfs/text.ts': UDFS.replace("'!'.repeat(n ?? 1)", "'?'.repeat(n ?? 1)") });
    const changed = await runCli(['query', '--target', 'snowflake', "select shout('hi') as s", '--format', 'json'], dir, env());
    expect(changed.code, changed.stdout + changed.stderr).toBe(0);
    expect(JSON.parse(changed.stdout)).toEqual([{ s: 'HI?' }]);
    expect(creates().slice(before)).toEqual(['ANALYTICS.DEV.SHOUT(S STRING)', 'ANALYTICS.DEV.SHOUT(S STRING, N FLOAT)']);
    // Going back to the old code deploys it again (its fingerprint differs from the deployed one).
    writeFiles(dir, { 'udfs/text.ts': UDFS });
    const restored = await runCli(['query', '--target', 'snowflake', "select shout('a') as s", '--format', 'json'], dir, env());
    expect(JSON.parse(restored.stdout)).toEqual([{ s: 'A!' }]);
    expect(creates().length).toBe(before + 4);
  });

  it('non-portable and batch UDFs run client-side: results read back through lookup tables', async () => {
    writeFiles(dir, {
      'models/uses_local.sql': `{{config materialized="table"}}select id, local_len(word) as n from {{ref "words"}}`,
      'models/uses_batch.sql': `{{config materialized="table"}}select id, slow_len(shout(word)) as n from {{ref "words"}}`,
    });
    const r = await runCli(['run', '--target', 'snowflake', '--select', 'uses_local', 'uses_batch'], dir, env());
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await server.duck(`select id, n from "ANALYTICS"."DEV"."USES_LOCAL" order by id`)).toEqual([[1n, 5], [2n, 4], [3n, null]]);
    // shout (portable, a JavaScript UDF on the server) inside slow_len (batch, client-side).
    expect(await server.duck(`select id, n from "ANALYTICS"."DEV"."USES_BATCH" order by id`)).toEqual([[1n, 6], [2n, 5], [3n, null]]);
    expect(server.queries.some((q) => /insert into .*WEIR_UDF_CACHE/i.test(q.sqlText))).toBe(true);
  });
});
