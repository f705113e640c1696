/**
 * The adapter conformance cases, defined once and run for every adapter (modelled on dbt's adapter "basic"
 * suite): seeds, the view/table/ephemeral chain, the failed-rebuild swap, view ↔ table switches, generic
 * tests and their severities, introspection, cancel, error mapping with credential hygiene, and TypeScript
 * UDFs (hosted by the engine or evaluated client-side, as its capabilities say). Cases share
 * one project per adapter and run in order. Where engines legitimately differ the cases branch on
 * `adapter.capabilities` or on what the harness declares (a password, a network address), never on the
 * engine's name.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect } from 'vitest';
import type { Adapter, Connection } from '../../src/adapters/adapter.js';
import type { RelationName } from '../../src/manifest/types.js';
import { WeirProject } from '../../src/api/project.js';
import { makeProject, runCli, writeFiles, type CliResult } from '../helpers/project.js';
import type { AdapterHarness } from './harnesses.js';

/** State shared by the cases of one adapter. */
export interface CaseContext {
  readonly h: AdapterHarness;
  readonly dir: string;
  /** Every CLI output of this adapter's run (grepped for secrets at the end). */
  readonly outputs: CliResult[];
}

/** One conformance case. */
export interface ConformanceCase {
  readonly name: string;
  run(ctx: CaseContext): Promise<void>;
}

const COUNTRIES = ['kr', 'JP', 'us', 'KR', 'jp', 'US'];
const CUSTOMERS = `id,name,country,signup,score,code
${COUNTRIES.map((c, i) => `${i + 1},${i === 2 ? '"Cy, Jr."' : `N${i + 1}`},${c},2024-0${i + 1}-15,${i + 0.5},${String((i + 1) * 7).padStart(3, '0')}`).join('\n')}
`;
/** 1500 orders for customers 1-5 (customer 6 has none). */
const ORDERS = `id,customer_id,amount,status\n${Array.from({ length: 1500 }, (_, i) => `${i + 1},${(i % 5) + 1},${((i * 37) % 1000) / 10},${i % 3 ? 'paid' : 'open'}`).join('\n')}\n`;

const CUSTOMER_ORDERS = `{{config materialized="table"}}
select c.id, c.name, c.country, count(o.id) as n_orders, coalesce(sum(o.amount), 0) as total
from {{ref "stg_customers"}} as c left join {{ref "orders"}} as o on o.customer_id = c.id
group by c.id, c.name, c.country`;

/** Writes the shared project for an adapter. */
export async function makeConformanceProject(h: AdapterHarness): Promise<string> {
  return makeProject({
    'project.yaml': projectYaml(h.targetYaml()),
    'seeds/customers.csv': CUSTOMERS,
    'seeds/orders.csv.gz': gzipSync(ORDERS),
    'seeds/seeds.yml': 'seeds:\n  - name: customers\n    config:\n      column_types: { code: varchar }\n',
    'models/stg_customers.sql': 'select id, name, upper(country) as country, signup, score, code from {{ref "customers"}}',
    'models/customer_orders.sql': CUSTOMER_ORDERS,
    'models/active_customers.sql': '{{config materialized="ephemeral"}}select * from {{ref "customer_orders"}} where n_orders > 0',
    'models/top_customers.sql': '{{config materialized="table"}}select id, name, total from {{ref "active_customers"}} where total > 0',
    'models/flip.sql': 'select 1 as id',
    'models/schema.yml': `version: 2
models:
  - name: stg_customers
    columns:
      - name: id
        tests: [not_null, unique]
      - name: country
        tests:
          - accepted_values: {values: ['KR', 'JP', 'US']}
  - name: top_customers
    columns:
      - name: id
        tests:
          - relationships: {to: ref('stg_customers'), field: id}
`,
  });
}

function projectYaml(target: string): string {
  return `name: conf\ntarget: conf\ntargets:\n  conf:\n${target}`;
}

export async function cli(ctx: CaseContext, args: string[], env = ctx.h.env()): Promise<CliResult> {
  const r = await runCli(args, ctx.dir, env);
  ctx.outputs.push(r);
  return r;
}

export const show = (r: CliResult) => r.stdout + r.stderr;

/** Opens the project's adapter (through the registry, as a run does), runs `fn` on one connection, closes. */
export async function withAdapter<T>(ctx: CaseContext, fn: (a: Adapter, conn: Connection, rel: (identifier: string) => RelationName) => Promise<T>): Promise<T> {
  const project = await WeirProject.load({ projectDir: ctx.dir, env: ctx.h.env(), partialParse: false });
  const adapter = await project.openAdapter();
  const conn = await adapter.connect();
  try {
    return await fn(adapter, conn, (identifier) => ({ database: adapter.defaultDatabase, schema: adapter.defaultSchema, identifier }));
  } finally {
    await conn.close().catch(() => undefined);
    await adapter.close();
  }
}

export async function count(a: Adapter, conn: Connection, rel: RelationName): Promise<number> {
  const r = await conn.execute(`select count(*) as n from ${a.dialect.relation(rel)}`);
  return Number(r.rows[0][0]);
}

/** Relations of the target schema as `name → kind`, names lower-cased (Snowflake stores upper case). */
export async function relations(a: Adapter): Promise<Record<string, string>> {
  const rels = await a.listRelations([a.defaultSchema]);
  return Object.fromEntries(rels.map((r) => [r.identifier.toLowerCase(), r.kind]));
}

/** A rough type family of an engine type name. */
export function typeFamily(type: string): string {
  const t = type.toLowerCase().trim();
  if (/^(tiny|small|big|huge)?int(eger)?\b|^number\(\d+,\s*0\)$|^fixed$/.test(t)) return 'int';
  if (/^(double|float|real|decimal|numeric|number)/.test(t)) return 'float';
  if (/char|text|string/.test(t)) return 'string';
  if (/^date$/.test(t)) return 'date';
  if (/^timestamp/.test(t)) return 'timestamp';
  if (/^bool/.test(t)) return 'boolean';
  return t;
}

async function closedPort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const STACK_TRACE = /\n\s+at .*\.(ts|js):\d+/;

export const cases: readonly ConformanceCase[] = [
  {
    name: 'seeds load: row counts, inferred column types, .csv.gz and a column_types override',
    async run(ctx) {
      const r = await cli(ctx, ['seed']);
      expect(r.code, show(r)).toBe(0);
      await withAdapter(ctx, async (a, conn, rel) => {
        expect(await count(a, conn, rel('customers'))).toBe(6);
        expect(await count(a, conn, rel('orders'))).toBe(1500);
        const cols = await a.listColumns(conn, rel('customers'));
        expect(cols.map((c) => `${c.name.toLowerCase()}:${typeFamily(c.type)}`)).toEqual(['id:int', 'name:string', 'country:string', 'signup:date', 'score:float', 'code:string']);
        expect((await a.listColumns(conn, rel('orders'))).map((c) => typeFamily(c.type))).toEqual(['int', 'int', 'float', 'string']);
        // column_types kept the leading zeros; the quoted comma survived
        const codes = await conn.execute(`select code, name from ${a.dialect.relation(rel('customers'))} order by id`);
        expect(codes.rows.map((x) => x[0])).toEqual(['007', '014', '021', '028', '035', '042']);
        expect(codes.rows[2][1]).toBe('Cy, Jr.');
      });
    },
  },
  {
    name: 'view, table and ephemeral models build (seed → view → table → ephemeral → table)',
    async run(ctx) {
      const r = await cli(ctx, ['run']);
      expect(r.code, show(r)).toBe(0);
      await withAdapter(ctx, async (a, conn, rel) => {
        expect(await relations(a)).toEqual({ customers: 'table', orders: 'table', stg_customers: 'view', customer_orders: 'table', top_customers: 'table', flip: 'view' });
        expect(await count(a, conn, rel('stg_customers'))).toBe(6);
        expect(await count(a, conn, rel('customer_orders'))).toBe(6);
        expect(await count(a, conn, rel('top_customers'))).toBe(5);
        const n = await conn.execute(`select sum(n_orders) from ${a.dialect.relation(rel('customer_orders'))}`);
        expect(Number(n.rows[0][0])).toBe(1500);
      });
      const rr = JSON.parse(readFileSync(path.join(ctx.dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string }[] };
      expect(rr.results.map((x) => x.unique_id).sort()).toEqual(['model.conf.customer_orders', 'model.conf.flip', 'model.conf.stg_customers', 'model.conf.top_customers']);
      expect(rr.results.every((x) => x.status === 'success')).toBe(true);
    },
  },
  {
    name: 'a table rebuild whose SQL fails keeps the old table; a good rebuild swaps the new rows in',
    async run(ctx) {
      writeFiles(ctx.dir, { 'models/customer_orders.sql': '{{config materialized="table"}}select nope from {{ref "stg_customers"}}' });
      const bad = await cli(ctx, ['run', '--select', 'customer_orders']);
      expect(bad.code, show(bad)).toBe(1);
      const check = (expected: number) => withAdapter(ctx, async (a, conn, rel) => {
        expect(await count(a, conn, rel('customer_orders'))).toBe(expected);
        expect(await a.relationKind(conn, rel('customer_orders'))).toBe('table');
        expect(Object.keys(await relations(a)).filter((n) => n.includes('weir_tmp'))).toEqual([]);
      });
      await check(6);
      writeFiles(ctx.dir, { 'models/customer_orders.sql': `${CUSTOMER_ORDERS}\nhaving c.id <= 3` });
      const good = await cli(ctx, ['run', '--select', 'customer_orders']);
      expect(good.code, show(good)).toBe(0);
      await check(3);
      writeFiles(ctx.dir, { 'models/customer_orders.sql': CUSTOMER_ORDERS });
      expect((await cli(ctx, ['run', '--select', 'customer_orders'])).code).toBe(0);
      await check(6);
    },
  },
  {
    name: 'switching a model view → table → view',
    async run(ctx) {
      const kindAndValue = () => withAdapter(ctx, async (a, conn, rel) => {
        const v = await conn.execute(`select id from ${a.dialect.relation(rel('flip'))}`);
        return [await a.relationKind(conn, rel('flip')), Number(v.rows[0][0])];
      });
      expect(await kindAndValue()).toEqual(['view', 1]);
      writeFiles(ctx.dir, { 'models/flip.sql': '{{config materialized="table"}}select 2 as id' });
      let r = await cli(ctx, ['run', '--select', 'flip']);
      expect(r.code, show(r)).toBe(0);
      expect(await kindAndValue()).toEqual(['table', 2]);
      writeFiles(ctx.dir, { 'models/flip.sql': 'select 3 as id' });
      r = await cli(ctx, ['run', '--select', 'flip']);
      expect(r.code, show(r)).toBe(0);
      expect(await kindAndValue()).toEqual(['view', 3]);
    },
  },
  {
    name: 'generic tests pass and fail as they should; severity warn exits 0, error exits 1',
    async run(ctx) {
      const ok = await cli(ctx, ['test']);
      expect(ok.code, show(ok)).toBe(0);
      const statuses = () => Object.fromEntries((JSON.parse(readFileSync(path.join(ctx.dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string }[] }).results
        .map((x) => [x.unique_id.replace(/^test\.conf\./, '').replace(/_[0-9a-f]{6,}$/, ''), x.status]));
      expect(Object.values(statuses())).toEqual(['pass', 'pass', 'pass', 'pass']);

      const dupes = (severity: string) => `models:
  - name: dupes
    columns:
      - name: id
        tests:
          - not_null: {severity: ${severity}}
          - unique: {severity: ${severity}}
      - name: s
        tests:
          - accepted_values: {values: ['a', 'b'], severity: ${severity}}
      - name: cid
        tests:
          - relationships: {to: ref('customers'), field: id, severity: ${severity}}
`;
      writeFiles(ctx.dir, {
        'models/dupes.sql': `select * from (values (1, 'a', 1), (1, 'b', 2), (null, 'z', 99)) as v(id, s, cid)`,
        'models/dupes.yml': dupes('warn'),
      });
      try {
        const warn = await cli(ctx, ['build', '--select', 'dupes']);
        expect(warn.code, show(warn)).toBe(0);
        let st = statuses();
        expect(st['model.conf.dupes']).toBe('success');
        expect(Object.entries(st).filter(([k]) => !k.startsWith('model.')).map(([, v]) => v)).toEqual(['warn', 'warn', 'warn', 'warn']);

        writeFiles(ctx.dir, { 'models/dupes.yml': dupes('error') });
        const err = await cli(ctx, ['test', '--select', 'dupes']);
        expect(err.code, show(err)).toBe(1);
        st = statuses();
        expect(Object.values(st)).toEqual(['fail', 'fail', 'fail', 'fail']);
        expect(Object.keys(st).sort()).toEqual([
          expect.stringMatching(/^accepted_values_dupes_s/), expect.stringMatching(/^not_null_dupes_id/),
          expect.stringMatching(/^relationships_dupes_cid/), expect.stringMatching(/^unique_dupes_id/),
        ]);
      } finally {
        rmSync(path.join(ctx.dir, 'models/dupes.sql'));
        rmSync(path.join(ctx.dir, 'models/dupes.yml'));
      }
      await withAdapter(ctx, async (a, conn, rel) => {
        await conn.execute(a.dialect.ddl.dropRelation(a.dialect.relation(rel('dupes')), 'view'));
      });
    },
  },
  {
    name: 'introspection: listRelations, relationKind and listColumns see what was built',
    async run(ctx) {
      await withAdapter(ctx, async (a, conn, rel) => {
        const all = await a.listRelations();
        const mine = all.filter((r) => r.schema.toLowerCase() === a.defaultSchema.toLowerCase());
        expect(mine.map((r) => `${r.identifier.toLowerCase()}:${r.kind}`).sort()).toEqual([
          'customer_orders:table', 'customers:table', 'flip:view', 'orders:table', 'stg_customers:view', 'top_customers:table',
          'weir_test_history:table', // the build's data test results (test history)
        ]);
        expect(await a.relationKind(conn, rel('stg_customers'))).toBe('view');
        expect(await a.relationKind(conn, rel('top_customers'))).toBe('table');
        expect(await a.relationKind(conn, rel('active_customers'))).toBeUndefined(); // ephemeral: never persisted
        expect(await a.relationKind(conn, rel('nope'))).toBeUndefined();
        expect((await a.listColumns(conn, rel('stg_customers'))).map((c) => c.name.toLowerCase())).toEqual(['id', 'name', 'country', 'signup', 'score', 'code']);
        expect((await a.listColumns(conn, rel('customer_orders'))).map((c) => `${c.name.toLowerCase()}:${typeFamily(c.type)}`))
          .toEqual(['id:int', 'name:string', 'country:string', 'n_orders:int', 'total:float']);
        expect(await a.listColumns(conn, rel('nope'))).toEqual([]);
        // binds reach the engine as values
        const b = await conn.execute('select ? as s, ? as n', ["it's", 42]);
        expect([b.rows[0][0], Number(b.rows[0][1])]).toEqual(["it's", 42]);
      });
    },
  },
  {
    name: 'unit tests: inline inputs typed from the built relations, CSV fixtures, a failing one prints a row diff',
    async run(ctx) {
      const unit = (total: string) => `unit_tests:
  - name: counts_and_totals
    model: customer_orders
    given:
      - input: ref('stg_customers')
        rows:
          - {id: 1, name: Ann, country: KR}
          - {id: 2, name: "O'Bo", country: JP}
      - input: ref('orders')
        format: csv
        rows: |
          id,customer_id,amount
          10,1,5.5
          11,1,4.25
    expect:
      rows:
        - {id: 1, name: Ann, n_orders: 2, total: ${total}}
        - {id: 2, name: "O'Bo", n_orders: 0, total: 0}
`;
      writeFiles(ctx.dir, { 'models/unit.yml': unit('9.75') });
      try {
        let r = await cli(ctx, ['test', '--select', 'test_type:unit']);
        expect(r.code, show(r)).toBe(0);
        expect(show(r)).toMatch(/PASS.*counts_and_totals/);
        // The compiled query typed the inputs from the built relations (e.g. a date column never given).
        const compiled = readFileSync(path.join(ctx.dir, 'target/compiled/conf/models/unit/counts_and_totals.sql'), 'utf8');
        expect(compiled).toMatch(/cast\(NULL as [^)]+\) as "?signup"?,/i);
        writeFiles(ctx.dir, { 'models/unit.yml': unit('10') });
        r = await cli(ctx, ['test', '--select', 'test_type:unit']);
        expect(r.code, show(r)).toBe(1);
        expect(show(r)).toContain('1 expected row missing (-), 1 unexpected row (+)');
        expect(show(r)).toMatch(/- \| 1\s+\| Ann\s+\| 2\s+\| 10\n\s*\+ \| 1\s+\| Ann\s+\| 2\s+\| 9\.75/);
      } finally {
        rmSync(path.join(ctx.dir, 'models/unit.yml'));
      }
    },
  },
  {
    name: 'store_failures keeps failing rows as a table or view in <schema>_test_failures, named in the message; thresholds',
    async run(ctx) {
      writeFiles(ctx.dir, {
        'models/failures.yml': `models:
  - name: customer_orders
    columns:
      - name: id
        tests:
          - accepted_values: {values: [1, 2], quote: false, store_failures: true}
      - name: name
        tests:
          - not_null: {store_failures_as: view, error_if: ">5"}
          - accepted_values: {values: [N1], store_failures: true, limit: 2, warn_if: ">10"}
`,
      });
      try {
        const r = await cli(ctx, ['test', '--select', 'customer_orders']);
        expect(r.code, show(r)).toBe(1);
        const results = (JSON.parse(readFileSync(path.join(ctx.dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; failures?: number; message?: string }[] }).results;
        const byId = (re: RegExp) => results.find((x) => re.test(x.unique_id))!;
        const ids = byId(/accepted_values_customer_orders_id_/);
        expect(ids).toMatchObject({ status: 'fail', failures: 4 });
        expect(ids.message).toMatch(/failing rows stored in \S*test_failures\S*accepted_values_customer_orders_id_[0-9a-f]{6}/i);
        expect(byId(/not_null_customer_orders_name$/)).toMatchObject({ status: 'pass', failures: 0 });
        // 5 names other than N1, limited to 2; below warn_if >10 (the default error_if != 0 still fails it).
        expect(byId(/accepted_values_customer_orders_name_/)).toMatchObject({ status: 'fail', failures: 2 });
        await withAdapter(ctx, async (a, conn) => {
          const schema = `${a.defaultSchema}_test_failures`;
          const rels = Object.fromEntries((await a.listRelations([schema])).map((x) => [x.identifier.toLowerCase(), x.kind]));
          expect(rels['not_null_customer_orders_name']).toBe('view');
          const idRel = Object.keys(rels).find((k) => k.startsWith('accepted_values_customer_orders_id_'))!;
          expect(rels[idRel]).toBe('table');
          const rel = { database: a.defaultDatabase, schema, identifier: idRel };
          const stored = await conn.execute(`select value_field from ${a.dialect.relation(rel)} order by value_field`);
          expect(stored.rows.map((x) => Number(x[0]))).toEqual([3, 4, 5, 6]);
        });
      } finally {
        rmSync(path.join(ctx.dir, 'models/failures.yml'));
      }
    },
  },
  {
    name: 'contracts: a met contract builds; a violation fails the node column by column and keeps the old table',
    async run(ctx) {
      const yaml = (totalType: string) => `models:
  - name: contracted
    config:
      contract: {enforced: true}
    columns:
      - name: id
        data_type: bigint
      - name: name
        data_type: varchar
      - name: total
        data_type: ${totalType}
`;
      writeFiles(ctx.dir, {
        'models/contracted.sql': '{{config materialized="table"}}select id, name, total from {{ref "customer_orders"}}',
        'models/contracted.yml': yaml('double'),
      });
      try {
        let r = await cli(ctx, ['run', '--select', 'contracted']);
        expect(r.code, show(r)).toBe(0);
        writeFiles(ctx.dir, { 'models/contracted.yml': yaml('date') });
        writeFiles(ctx.dir, { 'models/contracted.sql': '{{config materialized="table"}}select id, total from {{ref "customer_orders"}} where 1 = 0' });
        r = await cli(ctx, ['run', '--select', 'contracted']);
        expect(r.code).toBe(1);
        expect(show(r)).toContain("contract of model 'contracted' not met (2 differences)");
        expect(show(r)).toMatch(/- total: type differs: contract date, query \w+/);
        expect(show(r)).toMatch(/- name: in the contract \(varchar\) but not returned by the query/);
        await withAdapter(ctx, async (a, conn, rel) => {
          expect(await count(a, conn, rel('contracted'))).toBe(6);
        });
      } finally {
        rmSync(path.join(ctx.dir, 'models/contracted.yml'));
        rmSync(path.join(ctx.dir, 'models/contracted.sql'));
      }
    },
  },
  {
    name: 'cancel interrupts a long query; the connection stays usable',
    async run(ctx) {
      await withAdapter(ctx, async (_a, conn) => {
        const started = Date.now();
        const running = conn.execute(ctx.h.slowQuery).then(() => undefined, (e: unknown) => e);
        await new Promise((r) => setTimeout(r, 700));
        const t0 = Date.now();
        await conn.cancel();
        const e = await running;
        expect(Date.now() - t0).toBeLessThan(5000);
        expect(Date.now() - started).toBeGreaterThan(600); // it was really running
        expect(e).toBeInstanceOf(Error);
        expect((e as Error).message).toMatch(/cancel|interrupt/i);
        const after = await conn.execute('select 1 as x');
        expect(Number(after.rows[0][0])).toBe(1);
      });
    },
  },
  {
    name: 'an SQL error names the node and its file, without a stack trace',
    async run(ctx) {
      writeFiles(ctx.dir, { 'models/broken.sql': 'select * from {{ref "customers"}} join missing_table_xyz on true' });
      try {
        const r = await cli(ctx, ['run', '--select', 'broken']);
        expect(r.code).toBe(1);
        expect(show(r)).toMatch(/model 'broken' \(models\/broken\.sql\)/);
        expect(show(r)).toMatch(/missing_table_xyz/i);
        expect(show(r)).not.toMatch(STACK_TRACE);
      } finally {
        rmSync(path.join(ctx.dir, 'models/broken.sql'));
      }
    },
  },
  {
    name: 'a wrong password is a clear login error naming the target, exit code 2',
    async run(ctx) {
      if (!ctx.h.hasPassword) {
        // An embedded engine has no credentials: nothing to reject, and nothing to leak.
        expect(ctx.h.secrets).toEqual([]);
        return;
      }
      const wrong = 'wrong-Passw0rd-conf';
      const r = await cli(ctx, ['run'], ctx.h.env({ password: wrong }));
      expect(r.code, show(r)).toBe(2);
      expect(show(r)).toMatch(/target 'conf'.*(incorrect username or password|authentication failed)/i);
      expect(show(r)).not.toContain(wrong);
      expect(show(r)).not.toMatch(STACK_TRACE);
    },
  },
  {
    name: 'an unreachable engine is a clear message naming the target, exit code 2',
    async run(ctx) {
      const original = readFileSync(path.join(ctx.dir, 'project.yaml'), 'utf8');
      writeFiles(ctx.dir, { 'project.yaml': projectYaml(ctx.h.unreachable(await closedPort(), ctx.dir)) });
      try {
        const r = await cli(ctx, ['run']);
        expect(r.code, show(r)).toBe(2);
        expect(show(r)).toMatch(ctx.h.unreachableMessage);
        expect(show(r)).not.toMatch(STACK_TRACE);
      } finally {
        writeFiles(ctx.dir, { 'project.yaml': original });
      }
    },
  },
  {
    name: 'TypeScript UDFs (portable and not, nested, batch) give the same results whether the engine hosts them or they run client-side',
    async run(ctx) {
      const define = path.resolve(import.meta.dirname, '../../src/udfs/define.ts').split(path.sep).join('/');
      writeFiles(ctx.dir, {
        'udfs/conf.ts': `import { defineScalarUdf, defineBatchUdf } from '${define}';
export const shout_p = defineScalarUdf({
  name: 'shout_p', args: [{ name: 's', type: 'VARCHAR' }], returns: 'VARCHAR', deterministic: true, portable: true,
  description: 'Upper case plus !, portable.', fn: (s: string) => s.toUpperCase() + '!',
});
export const tag_np = defineScalarUdf({
  name: 'tag_np', args: [{ name: 's', type: 'VARCHAR' }, { name: 'n', type: 'BIGINT', optional: true }], returns: 'VARCHAR',
  deterministic: true, nulls: 'pass', description: 'Not portable; NULL-aware.',
  fn: (s: string | null, n?: bigint) => (s === null ? 'none' : \`<\${s}:\${String(n ?? 0n)}>\`),
});
export const slen = defineBatchUdf({
  name: 'slen', args: [{ name: 's', type: 'VARCHAR' }], returns: 'BIGINT', deterministic: true,
  description: 'Length, computed in batches.', run: async (rows) => rows.map(([s]) => String(s).length),
});
`,
        'models/udf_calls.sql': `{{config materialized="table"}}
select id, shout_p(name) as p, tag_np(shout_p(name), id) as t, tag_np(case when id = 2 then null else name end) as t1,
  slen(tag_np(shout_p(name))) as n
from {{ref "stg_customers"}}`,
      });
      const r = await cli(ctx, ['run', '--select', 'udf_calls']);
      expect(r.code, show(r)).toBe(0);
      await withAdapter(ctx, async (a, conn, rel) => {
        const got = await conn.execute(`select id, p, t, t1, n from ${a.dialect.relation(rel('udf_calls'))} order by id`);
        const names = ['N1', 'N2', 'Cy, Jr.', 'N4', 'N5', 'N6'];
        expect(got.rows.map((x) => [Number(x[0]), x[1], x[2], x[3], Number(x[4])])).toEqual(names.map((nm, i) => [
          i + 1, `${nm.toUpperCase()}!`, `<${nm.toUpperCase()}!:${i + 1}>`, i === 1 ? 'none' : `<${nm}:0>`, `<${nm.toUpperCase()}!:0>`.length,
        ]));
      });
    },
  },
  {
    name: 'credentials appear in no output and no target/*.json artifact',
    async run(ctx) {
      const j = await cli(ctx, ['build', '--log-format', 'json']);
      expect(j.code, show(j)).toBe(0);
      await cli(ctx, ['debug']);
      await cli(ctx, ['compile']);
      expect(ctx.outputs.length).toBeGreaterThan(10);
      const artifacts = readdirSync(path.join(ctx.dir, 'target')).filter((f) => f.endsWith('.json'));
      expect(artifacts).toEqual(expect.arrayContaining(['manifest.json', 'run_results.json']));
      for (const secret of ctx.h.secrets) {
        for (const o of ctx.outputs) expect(o.stdout + o.stderr).not.toContain(secret);
        for (const f of artifacts) expect(readFileSync(path.join(ctx.dir, 'target', f), 'utf8'), f).not.toContain(secret);
      }
    },
  },
];
