/**
 * `weir codegen kysely` and `createClient`: types generated from a real built DuckDB project compile with
 * tsc against typed queries (and wrong queries fail to compile), and the rows createClient returns have the
 * promised JS types — on DuckDB, and on the Trino and Snowflake protocol test servers (local stand-ins
 * that execute on DuckDB, see tests/servers/).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { cleanupProjects, makeProject, runCli } from '../helpers/project.js';
import { createClient } from '../../src/public/index.js';
import { TrinoTestServer } from '../servers/trino-server.js';
import { startSnowflakeServer, type SnowflakeTestServer } from '../servers/snowflake-server.js';

const root = path.resolve(__dirname, '../..');
const posix = (p: string) => p.split(path.sep).join('/');

const SEEDS = {
  'seeds/orders.csv': 'id,customer,amount,day,paid\n1,Ann,10.50,2024-01-02,true\n2,Bo,,2024-02-03,false\n9007199254740993,Cy,3.25,,true\n',
};
// Trino's and Snowflake's protocols carry BIGINT as JSON/JS numbers, so ids beyond 2^53 are rounded by the
// client libraries before Weir sees them (documented): those servers get ids that fit a double.
const SMALL_SEEDS = { 'seeds/orders.csv': SEEDS['seeds/orders.csv'].replace('9007199254740993', '3') };

describe('DuckDB: codegen + createClient', () => {
  let dir: string;
  let types: string;
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'weir-kysely-'));
  afterAll(() => {
    cleanupProjects();
    rmSync(scratch, { recursive: true, force: true });
  });

  beforeAll(async () => {
    dir = await makeProject({
      ...SEEDS,
      'seeds/seeds.yml': `version: 2
seeds:
  - name: orders
    config:
      column_types: {id: BIGINT, amount: 'DECIMAL(12,2)', day: DATE}
`,
      'models/order_facts.sql': `{{config materialized="table"}}
select id, customer, amount, day, paid, cast(day as timestamp) as day_ts, [customer, 'x'] as tags,
  {'n': 1, 's': customer} as info, 1.5::double as ratio, 7::integer as small, 'x"y' as "odd name"
from {{ref "orders"}}`,
      'models/ephemeral_bit.sql': '{{config materialized="ephemeral"}}select 1 as x',
      'models/not_built.sql': 'select 1 as x',
      'models/schema.yml': `version: 2
models:
  - name: order_facts
    description: One row per order. Has a */ in its text.
    columns:
      - name: id
        description: Order id.
        tests: [not_null, unique]
      - name: amount
        tests:
          - not_null:
              config: {where: "paid"}
`,
    });
    const build = await runCli(['build', '--exclude', 'not_built'], dir);
    expect(build.code, build.stdout).toBe(0);
    const gen = await runCli(['codegen', 'kysely', '--out', 'src/db-types.ts'], dir);
    expect(gen.code, gen.stdout + gen.stderr).toBe(0);
    expect(gen.stdout).toMatch(/wrote .*src\/db-types\.ts: types for 2 relations/);
    expect(gen.stdout).toContain('1 relation is not built yet and left out: not_built');
    types = readFileSync(path.join(dir, 'src/db-types.ts'), 'utf8');
  });

  it('maps SQL types and nullability as documented', () => {
    expect(types).toContain('export interface MainOrderFacts {');
    expect(types).toMatch(/^ {2}id: string;$/m); // BIGINT → exact string; not_null test → not nullable
    expect(types).toMatch(/^ {2}customer: string \| null;$/m); // no not_null test
    expect(types).toMatch(/^ {2}amount: string \| null;$/m); // DECIMAL; a filtered not_null test guarantees nothing
    expect(types).toMatch(/^ {2}day: string \| null;$/m); // DATE → YYYY-MM-DD
    expect(types).toMatch(/^ {2}day_ts: Date \| null;$/m);
    expect(types).toMatch(/^ {2}paid: boolean \| null;$/m);
    expect(types).toMatch(/^ {2}tags: \(string \| null\)\[\] \| null;$/m);
    expect(types).toMatch(/^ {2}info: \{ n: number \| null; s: string \| null \} \| null;$/m);
    expect(types).toMatch(/^ {2}ratio: number \| null;$/m);
    expect(types).toMatch(/^ {2}small: number \| null;$/m);
    expect(types).toMatch(/^ {2}"odd name": string \| null;$/m);
    expect(types).toContain('/** Order id. (BIGINT, not null) */');
    expect(types).toContain('Has a * / in its text.');
    expect(types).toMatch(/export interface DB \{\n {2}"main\.order_facts": MainOrderFacts;\n {2}"main\.orders": MainOrders;\n\}/);
  });

  it('the generated types compile with tsc against typed queries; wrong queries do not', () => {
    writeFileSync(path.join(scratch, 'db-types.ts'), types);
    writeFileSync(path.join(scratch, 'package.json'), '{"type": "module"}');
    writeFileSync(path.join(scratch, 'usage.ts'), `import { createClient } from '${posix(path.join(root, 'src/public/index.js'))}';
import type { DB } from './db-types.js';

const db = await createClient<DB>({ projectDir: ${JSON.stringify(dir)} });
const rows = await db.selectFrom('main.order_facts').select(['id', 'amount', 'day', 'day_ts', 'tags', 'info']).where('paid', '=', true).orderBy('id').execute();
const id: string = rows[0].id;
const amount: string | null = rows[0].amount;
const ts: Date | null = rows[0].day_ts;
const joined = await db.selectFrom('main.order_facts as f').innerJoin('main.orders as o', 'o.id', 'f.id').select(['f.customer', 'o.paid']).execute();
// @ts-expect-error: there is no such column
void db.selectFrom('main.order_facts').select(['nope']);
// @ts-expect-error: there is no such relation
void db.selectFrom('main.no_such_table').selectAll();
// @ts-expect-error: ids are exact strings, not numbers
const wrong: number = rows[0].id;
console.log(JSON.stringify({
  ids: rows.map((r) => r.id), amount, day: rows[0].day, ts: ts?.toISOString() ?? null, isDate: ts instanceof Date, tags: rows[0].tags, info: rows[0].info,
  id, joined: joined.length, wrong: typeof wrong,
}));
await db.destroy();
`);
    const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext',
      '--skipLibCheck', '--types', 'node', '--typeRoots', path.join(root, 'node_modules/@types'), path.join(scratch, 'usage.ts')], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    // Runs it: the values have the types the file promises.
    const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(scratch, 'usage.ts')], { encoding: 'utf8', cwd: root });
    expect(JSON.parse(out)).toEqual({
      ids: ['1', '9007199254740993'], amount: '10.50', day: '2024-01-02', ts: '2024-01-02T00:00:00.000Z', isDate: true, tags: ['Ann', 'x'], info: { n: 1, s: 'Ann' },
      id: '1', joined: 3, wrong: 'string',
    });
  }, 300_000); // tsc over Kysely's types takes a while on a busy machine

  it('createClient keeps one connection per instance: concurrent queries and a transaction are serialized', async () => {
    const db = (await createClient({ projectDir: dir, source: 'main' })) as Kysely<any>;
    try {
      const counts = await Promise.all(Array.from({ length: 8 }, () => db.selectFrom('main.orders').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()));
      expect(counts.map((c) => c.n)).toEqual(Array(8).fill('3'));
      const inTx = await db.transaction().execute(async (tx) => (await tx.selectFrom('main.orders').select('customer').where('id', '=', '2').execute()).map((r) => r.customer));
      expect(inTx).toEqual(['Bo']);
      const streamed: unknown[] = [];
      for await (const r of db.selectFrom('main.orders').select('id').orderBy('id').stream(2)) streamed.push(r.id);
      expect(streamed).toEqual(['1', '2', '9007199254740993']);
      const tables = await db.introspection.getTables();
      expect(tables.find((t) => t.schema === 'main' && t.name === 'order_facts')?.columns.map((c) => c.name)).toContain('day_ts');
    } finally {
      await db.destroy();
    }
  });

  it('errors: unknown target, no built relations', async () => {
    await expect(createClient({ projectDir: dir, target: 'nope' })).rejects.toMatchObject({ code: 'WEIR_TARGET_UNKNOWN' });
    const empty = await makeProject({ 'models/m.sql': 'select 1 as x' });
    const r = await runCli(['codegen', 'kysely'], empty);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain("no built relations to generate types for on target 'dev'");
  });
});


describe('Trino protocol test server: codegen + createClient', () => {
  let server: TrinoTestServer;
  let dir: string;
  const PASSWORD = 'Tr1no-kysely-pw';
  const env = { ...process.env, TRINO_PASSWORD: PASSWORD };
  beforeAll(async () => {
    server = await TrinoTestServer.start({ catalogs: ['lake'], users: { weir: PASSWORD }, pageSize: 2 });
    dir = await makeProject({
      'project.yaml': `name: t
target: trino
targets:
  trino:
    type: trino
    server: ${server.url}
    user: weir
    catalog: lake
    schema: analytics
    auth: { type: basic, password: '{{env "TRINO_PASSWORD"}}' }
seeds:
  +schema: raw
`,
      ...SMALL_SEEDS,
      'models/paid.sql': '{{config materialized="table"}}select id, customer, amount from {{ref "orders"}} where paid',
    });
    const b = await runCli(['build'], dir, env);
    expect(b.code, b.stdout).toBe(0);
  });
  afterAll(async () => {
    await server?.close();
    cleanupProjects();
  });

  it('generates types from the server\'s columns and queries typed rows through createClient', async () => {
    const gen = await runCli(['codegen', 'kysely'], dir, env);
    expect(gen.code, gen.stderr).toBe(0);
    expect(gen.stdout).toContain('"analytics.paid": AnalyticsPaid;');
    expect(gen.stdout).toContain('"analytics_raw.orders": AnalyticsRawOrders;');
    expect(gen.stdout).toMatch(/^ {2}id: string \| null;$/m);
    const db = (await createClient({ projectDir: dir, env })) as Kysely<any>;
    try {
      const rows = await db.selectFrom('analytics.paid').select(['id', 'customer']).where('customer', '<>', "O'Brien").orderBy('id').execute();
      expect(rows).toEqual([{ id: '1', customer: 'Ann' }, { id: '3', customer: 'Cy' }]);
      const one = await db.selectFrom('analytics_raw.orders').select(['day', 'paid']).where('id', '=', 2).executeTakeFirstOrThrow();
      expect(one).toEqual({ day: '2024-02-03', paid: false });
      await expect(db.transaction().execute(async () => 1)).rejects.toThrow(/transactions are not supported on Trino/);
    } finally {
      await db.destroy();
    }
  });
});

describe('Snowflake protocol test server: codegen + createClient', () => {
  let server: SnowflakeTestServer;
  let dir: string;
  const PASSWORD = 'pw-kysely-Sf1';
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    server = await startSnowflakeServer({ users: { weir_ci: PASSWORD } });
    env = { ...process.env, SNOWFLAKE_PASSWORD: PASSWORD, SNOWFLAKE_ACCESS_URL: server.url };
    dir = await makeProject({
      'project.yaml': `name: t
target: snowflake
targets:
  snowflake:
    type: snowflake
    account: acme-test
    user: weir_ci
    password: '{{env "SNOWFLAKE_PASSWORD"}}'
    database: analytics
    schema: dev
    access_url: '{{env "SNOWFLAKE_ACCESS_URL"}}'
    connect_retries: 0
seeds:
  +schema: raw
`,
      ...SMALL_SEEDS,
      'models/paid.sql': '{{config materialized="table"}}select id, customer, amount from {{ref "orders"}} where paid',
    });
    const b = await runCli(['build'], dir, env);
    expect(b.code, b.stdout).toBe(0);
  });
  afterAll(async () => {
    await server?.close();
    cleanupProjects();
  });

  it('generates lower-case types and queries upper-cased relations through createClient', async () => {
    const gen = await runCli(['codegen', 'kysely'], dir, env);
    expect(gen.code, gen.stdout + gen.stderr).toBe(0);
    expect(gen.stdout).toContain('"dev.paid": DevPaid;');
    expect(gen.stdout).toMatch(/^ {2}customer: string \| null;$/m);
    const db = (await createClient({ projectDir: dir, env })) as Kysely<any>;
    try {
      const rows = await db.selectFrom('dev.paid').select(['id', 'customer']).where('customer', '=', 'Ann').execute();
      expect(rows).toEqual([{ id: '1', customer: 'Ann' }]);
      expect(server.queries.map((x) => x.sqlText)).toContain('select "ID", "CUSTOMER" from "DEV"."PAID" where "CUSTOMER" = ?');
      expect(await db.transaction().execute(async (tx) => (await tx.selectFrom('dev_raw.orders').select('customer').where('id', '=', 2).execute()).length)).toBe(1);
    } finally {
      await db.destroy();
    }
  });
});
