/**
 * `grants:` on the Snowflake and Trino protocol test servers (NOT Snowflake or Trino: DuckDB behind their
 * client protocols; the servers answer a GRANT by checking that its relation exists). Checks the GRANT
 * statements Weir sends after each relation is built, and that a refused GRANT fails the node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject, runCli } from '../helpers/project.js';
import { startSnowflakeServer, type SnowflakeTestServer } from '../servers/snowflake-server.js';
import { TrinoTestServer } from '../servers/trino-server.js';

const PASSWORD = 'grant-test-Pw1';
let snowflake: SnowflakeTestServer;
let trino: TrinoTestServer;

beforeAll(async () => {
  snowflake = await startSnowflakeServer({ users: { weir: PASSWORD } });
  trino = await TrinoTestServer.start({ catalogs: ['lake'] });
}, 60_000);
afterAll(async () => {
  cleanupProjects();
  await snowflake?.close();
  await trino?.close();
});

const projectYaml = () => `name: t
target: snowflake
targets:
  snowflake:
    type: snowflake
    account: acme-test
    user: weir
    password: '{{env "SF_PW"}}'
    database: analytics
    schema: dev
    access_url: ${snowflake.url}
    connect_retries: 0
  trino:
    type: trino
    server: ${trino.url}
    user: weir
    catalog: lake
    schema: analytics
models:
  +grants: {select: [reporter]}
`;
const FILES = {
  'models/orders.sql': '{{config materialized="table"}}select 1 as id',
  'models/orders_v.sql': 'select * from {{ref "orders"}}',
  'models/schema.yml': 'version: 2\nmodels:\n  - name: orders_v\n    config:\n      grants: {select: ["role:analyst"], insert: []}\n',
};
const env = { ...process.env, SF_PW: PASSWORD };
const grants = (sqls: string[]) => sqls.filter((s) => /^\s*grant\b/i.test(s));

describe('grants', () => {
  it('Snowflake: grant ... on table/view ... to role, after the relation is built', async () => {
    const dir = await makeProject({ ...FILES, 'project.yaml': projectYaml() });
    const r = await runCli(['run', '--threads', '1'], dir, env);
    expect(r.code, r.stdout).toBe(0);
    const sqls = snowflake.queries.map((q) => q.sqlText);
    expect(grants(sqls)).toEqual([
      'grant select on table "ANALYTICS"."DEV"."ORDERS" to role "REPORTER"',
      'grant select on view "ANALYTICS"."DEV"."ORDERS_V" to role "ANALYST"',
    ]);
    const built = sqls.findIndex((s) => /create or replace table "ANALYTICS"."DEV"."ORDERS"/i.test(s));
    expect(built).toBeGreaterThanOrEqual(0);
    expect(built).toBeLessThan(sqls.indexOf(grants(sqls)[0]));
  });

  it('Trino: grant ... on table ... to user / role; a user grantee on Snowflake is rejected with the file', async () => {
    const dir = await makeProject({ ...FILES, 'project.yaml': projectYaml() });
    const r = await runCli(['run', '--target', 'trino', '--threads', '1'], dir, env);
    expect(r.code, r.stdout).toBe(0);
    expect(grants(trino.statements.map((s) => s.sql))).toEqual([
      'grant select on table "lake"."analytics"."orders" to "reporter"',
      'grant select on table "lake"."analytics"."orders_v" to role "analyst"',
    ]);
    const bad = await makeProject({ 'project.yaml': projectYaml(), 'models/m.sql': '{{config materialized="table"}}select 1 as id', 'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n    config: {grants: {select: ["user:bob"]}}\n' });
    const b = await runCli(['run'], bad, env);
    expect(b.code).toBe(1);
    expect(b.stdout).toContain("model 'm': models/m.sql: grants: Snowflake grants privileges on a table to roles, not users");
  });
});
