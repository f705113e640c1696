/**
 * The DuckDB UDF glue reads whole VARCHAR vectors (src/adapters/duckdb/udf-vectors.ts): every string a
 * UDF receives must be exactly the one DuckDB holds — inlined (≤ 12 bytes) or not, ASCII, Hangul, emoji
 * (4-byte UTF-8, surrogate pairs in JS), empty, NULL — whether the strings come from an in-memory table
 * (heap filled backwards), a checkpointed database file (decompressed forwards), an expression, or a
 * dictionary of repeated values.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { registerDuckDBUdf } from '../../../src/adapters/duckdb/udfs.js';
import { readVarcharVector, varcharScratch } from '../../../src/adapters/duckdb/udf-vectors.js';
import { defineScalarUdf, scalarCaller, type ScalarUdf } from '../../../src/udfs/define.js';
import type { LoadedUdf } from '../../../src/udfs/registry.js';

const loaded = (definition: ScalarUdf): LoadedUdf => ({ definition, module: 'udfs/test.ts', absolutePath: '/udfs/test.ts', exportName: definition.name });

/** Echoes its argument (both directions of the glue), and counts its code points (the JS string itself). */
const echo = defineScalarUdf({ name: 'echo', args: [{ name: 's', type: 'VARCHAR' }], returns: 'VARCHAR', deterministic: true, description: 'identity', fn: (s: string) => s });
const cplen = defineScalarUdf({
  name: 'cplen', args: [{ name: 's', type: 'VARCHAR' }], returns: 'INTEGER', deterministic: true, description: 'code points',
  fn: (s: string) => [...s].length,
});
const pair = defineScalarUdf({
  name: 'pair', args: [{ name: 'a', type: 'VARCHAR' }, { name: 'b', type: 'VARCHAR' }], returns: 'VARCHAR', deterministic: true, description: 'join',
  fn: (a: string, b: string) => `${a}|${b}`,
});

const SAMPLES = [
  '', 'a', 'Michael', 'exactly12byt', 'thirteen byte', 'Olivia Thompson-Garcia', '김민수', '김민수 고객님', '이소영님', // 9 bytes, 19, 12
  '(주)한국전자 주식회사 대표이사 홍길동', 'emoji 😀 in a longer string', '😀😀😀', '😀😀😀a', 'ÇaÑ é ü', 'x'.repeat(300), '한'.repeat(500),
];

async function withDb<T>(file: string, f: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const db = await DuckDBInstance.create(file, { threads: '2' });
  const conn = await db.connect();
  try {
    for (const u of [echo, cplen, pair]) registerDuckDBUdf(conn, loaded(u), scalarCaller(u.fn as (...a: unknown[]) => unknown));
    return await f(conn);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** 20,000 rows (10 chunks) cycling through the samples with NULLs and per-row suffixes. */
async function fill(conn: DuckDBConnection): Promise<void> {
  await conn.run('create table t (id integer, s varchar, u varchar)');
  const app = await conn.createAppender('t');
  for (let i = 0; i < 20_000; i++) {
    app.appendInteger(i);
    const s = SAMPLES[i % SAMPLES.length];
    if (i % 7 === 3) app.appendNull();
    else app.appendVarchar(i % 3 === 0 ? `${s}${i}` : s);
    if (i % 5 === 1) app.appendNull();
    else app.appendVarchar(SAMPLES[(i * 7) % SAMPLES.length]);
    app.endRow();
  }
  app.closeSync();
}

/** Rows where a UDF's view of a value differs from DuckDB's own (must be none). */
async function mismatches(conn: DuckDBConnection, from: string): Promise<number> {
  const r = await conn.runAndReadAll(`
    select count(*) filter (where echo(s) is distinct from s)
         + count(*) filter (where echo(u) is distinct from u)
         + count(*) filter (where pair(s, u) is distinct from (s || '|' || u))
         + count(*) filter (where cplen(s) is distinct from length(s))
         + count(*) filter (where cplen(u) is distinct from length(u))
    from ${from}`);
  return Number(r.getRows()[0][0]);
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'weir-udf-vectors-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('DuckDB UDFs read VARCHAR vectors whole', () => {
  it('sees every value exactly as DuckDB holds it: in-memory table, expressions, repeated values', async () => {
    await withDb(':memory:', async (conn) => {
      await fill(conn);
      expect(await mismatches(conn, 't')).toBe(0);
      expect(await mismatches(conn, "(select id, s || '' as s, upper(u) as u from t)")).toBe(0);
      expect(await mismatches(conn, '(select id, s, u from t order by u, id)')).toBe(0);
      // NULL in, NULL out; the empty string is not NULL
      const r = await conn.runAndReadAll("select echo(null::varchar), echo(''), pair('a', null)");
      expect(r.getRows()[0]).toEqual([null, '', null]);
    });
  });

  it('sees every value exactly as DuckDB holds it in a checkpointed database file', async () => {
    const file = path.join(tmp, 'v.duckdb');
    await withDb(file, async (conn) => {
      await fill(conn);
      await conn.run('checkpoint');
    });
    await withDb(file, async (conn) => {
      expect(await mismatches(conn, 't')).toBe(0);
    });
  });

  it('leaves vectors without the expected internals to the per-value reader', () => {
    expect(readVarcharVector({ getItem: () => 'x' } as never, 1, [], varcharScratch())).toBe(false);
  });
});
