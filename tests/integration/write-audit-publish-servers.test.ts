/**
 * Write-audit-publish on the Snowflake and Trino protocol servers (tests/servers: DuckDB behind each
 * engine's client protocol, NOT the real engines): the staged table is tested before the swap, a failing
 * audit keeps the published table and drops the staged one; on Snowflake a passing audit publishes with
 * `ALTER TABLE ... SWAP WITH` (atomic), on Trino with drop + rename (not atomic).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cleanupProjects, makeProject, runCli, writeFiles } from '../helpers/project.js';
import { engineTargetsYaml, startEngines, type Engines } from '../helpers/engines.js';

let servers: Engines;
const env = () => servers.env;

const projectYaml = `name: wap
target: snowflake
${engineTargetsYaml()}`;
const files = (rows: string) => ({
  'project.yaml': projectYaml,
  'seeds/raw_orders.csv': `id,amount\n${rows}`,
  'models/orders.sql': '{{config materialized="table"}}select id, amount from {{ref "raw_orders"}}',
  'models/orders_inc.sql': `{{config materialized="incremental" unique_key="id" incremental_strategy="delete+insert"}}
select id, amount from {{ref "raw_orders"}}
{{#if (is_incremental)}}where id >= (select max(id) from {{this}}){{/if}}`,
  'models/totals.sql': 'select sum(amount) as total from {{ref "orders"}}',
  'models/schema.yml': `version: 2
models:
  - name: orders
    columns:
      - name: id
        tests: [unique]
  - name: orders_inc
    columns:
      - name: amount
        tests: [not_null]
`,
});
const status = (dir: string) => Object.fromEntries(
  (JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')).results as { unique_id: string; status: string; message?: string }[])
    .map((r) => [r.unique_id.split('.').slice(2).join('.'), r]),
);

beforeAll(async () => {
  servers = await startEngines();
});
afterAll(async () => {
  await servers?.close();
  cleanupProjects();
});

const trinoDuck = async (sql: string) => {
  const c = await servers.trino.duckdb.connect();
  try {
    return (await c.runAndReadAll(sql)).getRows();
  } finally {
    c.closeSync();
  }
};
const engines = [
  { target: 'snowflake', count: async (rel: string) => Number((await servers.snowflake.duck(`select count(*) from analytics.dev.${rel}`))[0][0]), tmpCount: async () => Number((await servers.snowflake.duck("select count(*) from information_schema.tables where table_name ilike '%__weir_tmp'"))[0][0]) },
  { target: 'trino', count: async (rel: string) => Number((await trinoDuck(`select count(*) from lake.analytics.${rel}`))[0][0]), tmpCount: async () => Number((await trinoDuck("select count(*) from information_schema.tables where table_name ilike '%__weir_tmp'"))[0][0]) },
];

describe.each(engines)('write-audit-publish on the $target protocol server', ({ target, count, tmpCount }) => {
  it('audits before the swap and keeps the published tables when an audit fails', async () => {
    const dir = await makeProject(files('1,10\n2,20\n'));
    const first = await runCli(['build', '--target', target], dir, env());
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(status(dir)['orders'].message).toMatch(/audited by 1 test before the swap/);
    writeFiles(dir, { 'seeds/raw_orders.csv': 'id,amount\n1,10\n2,20\n3,30\n' });
    const second = await runCli(['build', '--target', target], dir, env());
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(status(dir)['orders_inc'].message).toMatch(/audited by 1 test before the swap/);
    expect(await count('orders')).toBe(3);
    expect(await count('orders_inc')).toBe(3);

    writeFiles(dir, { 'seeds/raw_orders.csv': 'id,amount\n1,10\n2,20\n3,30\n3,31\n4,\n' });
    const bad = await runCli(['build', '--target', target], dir, env());
    expect(bad.code).toBe(1);
    const r = status(dir);
    expect(r['orders'].status).toBe('error');
    expect(r['orders'].message).toMatch(/test unique_orders_id/);
    expect(r['unique_orders_id'].status).toBe('fail');
    expect(r['totals'].status).toBe('skipped');
    expect(r['orders_inc'].status).toBe('error');
    expect(r['orders_inc'].message).toMatch(/not_null_orders_inc_amount/);
    expect(await count('orders')).toBe(3);
    expect(await count('orders_inc')).toBe(3);
    expect(await tmpCount()).toBe(0);
  });
});

it('Snowflake publishes the audited table with ALTER TABLE ... SWAP WITH', () => {
  const swaps = servers.snowflake.queries.filter((q) => /swap\s+with/i.test(q.sqlText)).map((q) => q.sqlText);
  expect(swaps.some((s) => /alter table "ANALYTICS"\."DEV"\."ORDERS" swap with "ANALYTICS"\."DEV"\."ORDERS__WEIR_TMP"/i.test(s))).toBe(true);
});
