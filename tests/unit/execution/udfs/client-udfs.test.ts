/**
 * The client-side UDF path (src/execution/udfs/client-udfs.ts) end to end on a real engine — an in-memory
 * DuckDB opened through its adapter, with the UDFs evaluated client-side as on Trino (the same DuckDB
 * also registers them in-process, which gives the reference results): nested calls in rounds, several
 * UDFs and arities, NULL handling (`propagate` and `pass`), every declared type, batch UDFs computed once
 * and cached across runs, lookup tables kept for views only, and the error paths (UDF throws, wrong
 * return type, wrong arity, unavailable UDF with and without skip, calls that wait on each other,
 * arguments from an enclosing query).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Adapter, Connection } from '../../../../src/adapters/adapter.js';
import { createAdapter } from '../../../../src/adapters/registry.js';
import { ClientUdfs } from '../../../../src/execution/udfs/client-udfs.js';
import { UdfUnavailableSkip, type UdfCaller } from '../../../../src/execution/udfs/availability.js';
import { toSqlResult, toUdfArgument } from '../../../../src/execution/udfs/udf-values.js';
import { WeirError } from '../../../../src/errors/weir-error.js';
import { defineBatchUdf, defineScalarUdf, type UdfDefinition } from '../../../../src/udfs/define.js';
import type { LoadedUdf } from '../../../../src/udfs/registry.js';

const loaded = (definition: UdfDefinition): LoadedUdf => ({ definition, module: 'udfs/test.ts', absolutePath: '/project/udfs/test.ts', exportName: definition.name });

let batchCalls: string[] = [];
let available = true;
const UDFS: LoadedUdf[] = [
  defineScalarUdf({
    name: 'norm', args: [{ name: 's', type: 'VARCHAR' }, { name: 'keep_case', type: 'BOOLEAN', optional: true }], returns: 'VARCHAR',
    deterministic: true, description: 'Trims and lower-cases (unless keep_case).',
    fn: (s: string, keep?: boolean) => (keep ? s.trim() : s.trim().toLowerCase()),
  }),
  defineScalarUdf({
    name: 'sim', args: [{ name: 'a', type: 'VARCHAR' }, { name: 'b', type: 'VARCHAR' }], returns: 'DOUBLE', deterministic: true,
    description: 'Share of equal leading characters.',
    fn: (a: string, b: string) => {
      if (a === 'boom') throw new Error('cannot compare boom');
      let i = 0;
      while (i < a.length && i < b.length && a[i] === b[i]) i++;
      return Math.max(a.length, b.length) ? i / Math.max(a.length, b.length) : 1;
    },
  }),
  defineScalarUdf({
    name: 'describe_null', args: [{ name: 'x', type: 'BIGINT' }], returns: 'VARCHAR', deterministic: true, nulls: 'pass',
    description: 'NULL-aware description of a bigint.', fn: (x: bigint | null) => (x === null ? 'null!' : `big ${typeof x} ${x}`),
  }),
  defineScalarUdf({
    name: 'shift', args: [{ name: 'd', type: 'DATE' }, { name: 'n', type: 'INTEGER' }], returns: 'TIMESTAMP', deterministic: true,
    description: 'd plus n hours.', fn: (d: Date, n: number) => new Date(d.getTime() + n * 3_600_000),
  }),
  defineScalarUdf({
    name: 'info', args: [{ name: 'x', type: 'DOUBLE' }], returns: 'JSON', deterministic: true,
    description: 'x and its sign as JSON.', fn: (x: number) => ({ x, positive: x > 0 }),
  }),
  defineScalarUdf({
    name: 'is_even', args: [{ name: 'x', type: 'INTEGER' }], returns: 'BOOLEAN', deterministic: true,
    description: 'Evenness; returns a string for 7 (a bug on purpose).', fn: (x: number) => (x === 7 ? 'yes' : x % 2 === 0),
  }),
  defineBatchUdf({
    name: 'slow_upper', args: [{ name: 's', type: 'VARCHAR' }], returns: 'VARCHAR', deterministic: true, batchSize: 2,
    description: 'Upper-cases asynchronously; records its inputs.',
    unavailable: () => (available ? undefined : 'no model configured'),
    run: async (rows) => {
      batchCalls.push(...rows.map(([s]) => String(s)));
      await new Promise((r) => setTimeout(r, 1));
      return rows.map(([s]) => (s === 'FAIL' ? (() => { throw new Error('model crashed'); })() : String(s).toUpperCase()));
    },
  }),
].map(loaded);

const caller = (over: Partial<UdfCaller> = {}): UdfCaller => ({ unique_id: 'model.t.m', name: 'm', resource_type: 'model', path: 'models/m.sql', config: { materialized: 'table' }, ...over });
const context = { projectDir: '/nonexistent', targetDir: '/nonexistent/target', vars: {}, env: {} };

let dir: string;
let adapter: Adapter;
let conn: Connection;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'weir-client-udfs-'));
  adapter = await createAdapter({ type: 'duckdb', path: ':memory:' }, { file: 'project.yaml', targetName: 'dev' }, dir);
  await adapter.open();
  // The same UDFs in-process, for reference results (the batch UDF as a direct lookup of its function).
  await adapter.registerUdfs!(UDFS.filter((u) => u.definition.kind === 'scalar').map((udf) => ({
    udf, impl: (a: unknown[]) => (udf.definition as unknown as { fn: (...x: unknown[]) => unknown }).fn(...a),
  })));
  conn = await adapter.connect();
  await conn.execute(`create table people as select * from (values
    (1, '  Ann ', 'ann', 10::bigint, date '2024-01-31', 2.5),
    (2, 'BOB', 'bobby', null, date '2024-02-29', -1.0),
    (3, null, 'x', 3::bigint, null, 0.1 + 0.2),
    (4, 'ann', 'Ann', 10::bigint, date '2024-01-31', 1e300)) as t(id, name, nick, big, d, x)`);
});
afterAll(async () => {
  await conn?.close();
  await adapter?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rows(sql: string) {
  return (await conn.execute(sql)).rows;
}

/** Runs `sql` in-process and client-side; returns both results and the rewritten SQL. */
async function both(sql: string, c = new ClientUdfs(UDFS, context), who = caller()) {
  const p = await c.prepare(adapter, conn, who, sql);
  try {
    return { inProcess: await rows(sql), client: await rows(p.sql), sql: p.sql, tables: p.lookupTables };
  } finally {
    await p.cleanup(conn);
  }
}

describe('ClientUdfs.prepare', () => {
  it('evaluates nested calls, several UDFs and arities, and equals the in-process results', async () => {
    const sql = `with p as (select id, name, nick from people)
      select id, norm(name) as n1, norm(name, true) as n2, sim(norm(name), norm(nick)) as s,
        'sim(x) in a string' as lit -- sim(comment)
      from p where sim(norm(nick), 'ann') >= 0 or id = 3 order by id`;
    const r = await both(sql);
    expect(r.client).toEqual(r.inProcess);
    expect(r.client.map((x) => x[1])).toEqual(['ann', 'bob', null, 'ann']);
    expect(new ClientUdfs(UDFS, context).callsIn(r.sql, adapter.dialect)).toEqual([]);
    expect(r.sql).toContain('-- sim(comment)');
    expect(r.sql).toMatch(/from "main"."weir_udf_sim_2_[0-9a-f]+" as weir_udf_l1, "main"."weir_udf_norm_1_[0-9a-f]+" as weir_udf_l2, "main"."weir_udf_norm_1_[0-9a-f]+" as weir_udf_l3 where/); // nested calls joined, not nested
    expect(r.sql).toContain("'sim(x) in a string'");
    expect(r.tables.map((t) => t.identifier.replace(/_[0-9a-f]{10}$/, ''))).toEqual(['weir_udf_norm_1', 'weir_udf_norm_2', 'weir_udf_sim_2']);
  });
  it('evaluates calls in correlated subqueries (arguments from the enclosing query) like in-process', async () => {
    const r = await both(`select p.id, (select max(sim(norm(p.nick), norm(q.nick))) from people as q where q.id <> p.id) as best,
      exists (select 1 from people as q where q.big = p.big and sim(q.nick, p.nick) > 0.5 and q.id <> p.id) as twin
      from people as p order by p.id`);
    expect(r.client).toEqual(r.inProcess);
    expect(r.client.map((x) => x[2])).toEqual([false, false, false, false]);
  });
  it('passes every declared type like DuckDB does, with NULL propagated or passed as declared', async () => {
    const r = await both(`select id, describe_null(big), shift(d, id::integer), info(x), is_even(id::integer) from people order by id`);
    expect(r.client).toEqual(r.inProcess);
    expect(r.client[1][1]).toBe('null!');
    expect(r.client[0][1]).toBe('big bigint 10');
    expect(r.client[2][2]).toBeNull();
  });
  it('computes a batch UDF once: from memory, then from the cache table across runs', async () => {
    batchCalls = [];
    const sql = `select id, slow_upper(nick) as u from people order by id`;
    const first = new ClientUdfs(UDFS, context);
    const p1 = await first.prepare(adapter, conn, caller(), sql);
    expect((await rows(p1.sql)).map((x) => x[1])).toEqual(['ANN', 'BOBBY', 'X', 'ANN']);
    await p1.cleanup(conn);
    expect(batchCalls.sort()).toEqual(['Ann', 'ann', 'bobby', 'x']);
    const again = await first.prepare(adapter, conn, caller(), sql); // same run: memory
    await again.cleanup(conn);
    const nextRun = await new ClientUdfs(UDFS, context).prepare(adapter, conn, caller(), sql); // next run: cache table
    expect((await rows(nextRun.sql)).map((x) => x[1])).toEqual(['ANN', 'BOBBY', 'X', 'ANN']);
    await nextRun.cleanup(conn);
    expect(batchCalls).toHaveLength(4);
    expect(Number((await rows(`select count(*) from main.weir_udf_cache where udf = 'slow_upper'`))[0][0])).toBe(4);
  });
  it('drops the lookup tables after a table or test, and keeps them for a view', async () => {
    const p = await new ClientUdfs(UDFS, context).prepare(adapter, conn, caller(), `select norm(name) from people`);
    await p.cleanup(conn);
    const v = await new ClientUdfs(UDFS, context).prepare(adapter, conn, caller({ unique_id: 'model.t.v', config: { materialized: 'view' } }), `select norm(name) from people`);
    await v.cleanup(conn);
    const left = await rows(`select table_name from duckdb_tables() where table_name like 'weir_udf_norm%'`);
    expect(left.map((x) => x[0])).toEqual([v.lookupTables[0].identifier]);
    await conn.execute(`drop table ${v.lookupTables[0].identifier}`);
  });
  it('returns the SQL unchanged when it calls no client-side UDF', async () => {
    const c = new ClientUdfs(UDFS, context);
    const sql = `select 'norm(x)' as "sim(y)" -- norm(z)`;
    expect((await c.prepare(adapter, conn, caller(), sql)).sql).toBe(sql);
    expect(c.callsIn(sql, adapter.dialect)).toEqual([]);
  });
});

describe('ClientUdfs.prepare errors', () => {
  const fail = async (sql: string, who = caller()) => {
    try {
      await new ClientUdfs(UDFS, context).prepare(adapter, conn, who, sql);
    } catch (e) {
      return e as WeirError;
    }
    throw new Error('expected an error');
  };
  it('names the UDF, its module, the arguments (truncated) and the model when the UDF throws', async () => {
    const e = await fail(`select sim(x, 'y') from (values ('boom'), ('b')) as t(x)`);
    expect(e.code).toBe('WEIR_UDF_FAILED');
    expect(e.message).toBe(`UDF sim (udfs/test.ts) failed while preparing model 'm' on ("boom", "y"): cannot compare boom`);
    expect(e.location).toMatchObject({ file: 'models/m.sql', nodeId: 'model.t.m' });
    const long = await fail(`select sim('boom', repeat('z', 100))`);
    expect(long.message).toContain(`"${'z'.repeat(40)}…"`);
  });
  it('rejects a result of the wrong type, as the DuckDB registration does', async () => {
    const e = await fail(`select is_even(7)`);
    expect(e.code).toBe('WEIR_UDF_FAILED');
    expect(e.message).toMatch(/UDF is_even \(udfs\/test.ts\) failed while preparing model 'm' on \(7\): returned string, expected a boolean/);
  });
  it('names a batch UDF failure with the first input of the failing batch', async () => {
    const e = await fail(`select slow_upper('FAIL')`);
    expect(e.code).toBe('WEIR_UDF_FAILED');
    expect(e.message).toMatch(/UDF slow_upper \(udfs\/test.ts\) failed while preparing model 'm' on \("FAIL"\): model crashed/);
  });
  it('rejects a call with the wrong number of arguments, with the signature', async () => {
    const e = await fail(`select norm(name, true, 1) from people`);
    expect(e.code).toBe('WEIR_UDF_INVALID');
    expect(e.message).toMatch(/model 'm' calls UDF norm with 3 argument\(s\) \("name", "true", "1"\), but it takes 1 to 2: norm\(s VARCHAR \[, keep_case BOOLEAN\]\) → VARCHAR/);
  });
  it('fails for an unavailable batch UDF, or asks to skip with on_udf_unavailable: skip', async () => {
    available = false;
    try {
      const e = await fail(`select slow_upper(name) from people`);
      expect(e.code).toBe('WEIR_UDF_UNAVAILABLE');
      expect(e.message).toBe('UDF slow_upper (udfs/test.ts) is unavailable: no model configured');
      expect(e.hint).toMatch(/on_udf_unavailable="skip"/);
      await expect(new ClientUdfs(UDFS, context).prepare(adapter, conn, caller({ config: { on_udf_unavailable: 'skip' } }), `select slow_upper(name) from people`))
        .rejects.toBeInstanceOf(UdfUnavailableSkip);
    } finally {
      available = true;
    }
  });
  it('explains calls that wait on each other (a call inside a recursive CTE)', async () => {
    const e = await fail(`with recursive w(n) as (select 'a' union all select norm(n) || 'a' from w where length(n) < 3) select * from w`);
    expect(e.code).toBe('WEIR_UDF_UNAVAILABLE');
    expect(e.message).toMatch(/^the UDF call norm\("n"\) can't be evaluated on this target, which runs UDFs client-side: norm\("n"\) waits for itself/);
  });
  it('explains an argument the collection query cannot compute (a select-list alias)', async () => {
    const e = await fail(`select name || '!' as shouted, norm(shouted) from people`);
    expect(e.code).toBe('WEIR_SQL_ERROR');
    expect(e.message).toMatch(/^collecting the distinct arguments for UDF norm failed: /);
    expect(e.hint).toMatch(/Move the call into a CTE/);
    // Nothing is left behind.
    expect(await rows(`select table_name from duckdb_tables() where table_name like 'weir_udf_norm%'`)).toEqual([]);
  });
});

describe('value conversions', () => {
  it('engine values to UDF arguments, as DuckDB passes them', () => {
    expect(toUdfArgument('2024-02-29', 'DATE')).toEqual(new Date('2024-02-29T00:00:00Z'));
    expect(toUdfArgument('2024-02-29 10:11:12.345000', 'TIMESTAMP')).toEqual(new Date('2024-02-29T10:11:12.345Z'));
    expect(toUdfArgument(12, 'BIGINT')).toBe(12n);
    expect(toUdfArgument('12', 'DOUBLE')).toBe(12);
    expect(toUdfArgument(null, 'VARCHAR')).toBeNull();
  });
  it('results to stored values, checked against the declared type', () => {
    expect(toSqlResult(Number.NaN, 'DOUBLE')).toBe('NaN');
    expect(toSqlResult(0.1 + 0.2, 'DOUBLE')).toBe('0.30000000000000004');
    expect(toSqlResult(-Infinity, 'DOUBLE')).toBe('-Infinity');
    expect(toSqlResult(3, 'BIGINT')).toBe(3n);
    expect(toSqlResult({ a: 1n }, 'JSON')).toBe('{"a":"1"}');
    expect(toSqlResult(new Date('2024-01-02T03:04:05.006Z'), 'TIMESTAMP')).toBe('2024-01-02 03:04:05.006');
    expect(() => toSqlResult(1.5, 'INTEGER')).toThrow('returned 1.5, expected an integer (INTEGER)');
    expect(() => toSqlResult('x', 'DOUBLE')).toThrow('returned string, expected a number (DOUBLE)');
  });
});
