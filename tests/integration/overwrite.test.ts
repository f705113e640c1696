/**
 * No silent overwrite or growth (DuckDB): two nodes building the same relation are refused at parse time;
 * a snapshot whose unique_key is not unique is an error that leaves its history as it was; an empty seed
 * file and a header naming a column twice are errors naming the file.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import path from 'node:path';
import { cleanupProjects, makeProject, runCli, writeFiles } from '../helpers/project.js';

afterAll(cleanupProjects);

async function count(dir: string, sql: string): Promise<number> {
  const db = await DuckDBInstance.create(path.join(dir, 'target/t.duckdb'), { access_mode: 'READ_ONLY' });
  const c = await db.connect();
  try {
    return Number((await c.runAndReadAll(sql)).getRows()[0][0]);
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

describe('two nodes, one relation', () => {
  it('the same alias is refused at parse time naming both files (exit 2)', async () => {
    const dir = await makeProject({
      'models/a.sql': '{{config alias="orders" materialized="table"}}select 1 as x',
      'models/b.sql': '{{config alias="ORDERS" materialized="table"}}select 2 as x',
    });
    const r = await runCli(['run'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/model 'b' \(models\/b\.sql\) and model 'a' \(models\/a\.sql\) would both build "main"\."(orders|ORDERS)"/);
    expect((await runCli(['compile'], dir)).code).toBe(2);
  });

  it('file names differing only in case are refused (Orders.sql beside orders.sql)', async () => {
    const dir = await makeProject({ 'models/orders.sql': 'select 1 as x', 'models/sub/Orders.sql': 'select 2 as x' });
    const r = await runCli(['run'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain('would both build');
    expect(r.stdout + r.stderr).toContain('models/sub/Orders.sql');
  });
});

describe('snapshot with a unique_key that is not unique', () => {
  it('is an error naming sample keys, and the history stays as it was', async () => {
    const dir = await makeProject({
      'snapshots/s.sql': '{{config unique_key="id" strategy="check" check_cols="all"}}select * from (values (1, 10), (2, 20), (3, 30)) v(id, n)',
    });
    expect((await runCli(['snapshot'], dir)).code).toBe(0);
    expect(await count(dir, 'select count(*) from main.s')).toBe(3);
    writeFiles(dir, { 'snapshots/s.sql': '{{config unique_key="id" strategy="check" check_cols="all"}}select * from (values (1, 10), (1, 11), (2, 20), (3, 30)) v(id, n)' });
    for (let i = 0; i < 4; i++) {
      const r = await runCli(['snapshot'], dir);
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).toContain("unique_key id is not unique in its query's rows (e.g. (1) ×2)");
    }
    expect(await count(dir, 'select count(*) from main.s')).toBe(3);
    expect(await count(dir, 'select count(*) from main.s where weir_valid_to is null')).toBe(3);
  });
});

describe('seed files', () => {
  it('an empty file and a header naming a column twice are errors naming the file', async () => {
    const dir = await makeProject({ 'seeds/empty.csv': '', 'seeds/blank.csv': '\n  \n', 'seeds/dups.csv': 'id,name,ID\n1,a,2\n', 'seeds/ok.csv': 'id\n' });
    const r = await runCli(['seed'], dir);
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toContain('seed file seeds/empty.csv is empty');
    expect(out).toContain('seed file seeds/blank.csv is empty');
    expect(out).toContain("seed file seeds/dups.csv: the header names column 'ID' twice (columns 1 and 3, as 'id')");
    expect(await count(dir, "select count(*) from information_schema.tables where table_name in ('empty', 'blank', 'dups')")).toBe(0);
    expect(await count(dir, 'select count(*) from main.ok')).toBe(0); // a header-only file is an empty table
  });
});
