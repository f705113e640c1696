/**
 * Seeds beyond CSV (execution/materializations/seed-files.ts, DuckDB's readers): Parquet, JSON, NDJSON and Excel workbooks,
 * each with column_types; CSV `encoding`; DuckDB's real reason kept in a seed error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { DuckDBInstance } from '@duckdb/node-api';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, readFileSync } from 'node:fs';
import { cleanupProjects, makeProject, runCli } from '../helpers/project.js';

afterAll(cleanupProjects);

const csvOf = async (dir: string, sql: string) => (await runCli(['query', sql, '--format', 'csv'], dir)).stdout;

describe('seed formats', () => {
  let files: Record<string, Buffer>;
  beforeAll(async () => {
    // A Parquet file written by DuckDB itself.
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'weir-seedfmt-'));
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.run(`copy (select * from (values (1, 'Kim', date '2024-01-02', 10.50::decimal(6,2)), (2, 'Lee', date '2024-02-03', 3.25)) v(id, name, signed_up, balance)) to '${tmp}/customers.parquet' (format parquet)`);
    c.closeSync();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Orders');
    ws.addRow(['order_id', 'customer', 'ordered_on', 'amount', 'zip']);
    ws.addRow([1, 'Kim', new Date(Date.UTC(2024, 0, 5)), 12.5, '01234']);
    ws.addRow([2, 'Müller', new Date(Date.UTC(2024, 1, 6)), { formula: 'D2*2', result: 25 }, '00042']);
    wb.addWorksheet('Other').addRow(['x']);
    files = {
      'seeds/customers.parquet': readFileSync(`${tmp}/customers.parquet`),
      'seeds/orders.xlsx': Buffer.from(await wb.xlsx.writeBuffer()),
      'seeds/events.json': Buffer.from('[{"id": 1, "kind": "click", "seen_at": "2024-01-01 10:00:00"}, {"id": 2, "kind": "view", "seen_at": "2024-01-02 11:00:00"}]'),
      'seeds/lines.ndjson': Buffer.from('{"line": 1, "sku": "A-1"}\n{"line": 2, "sku": "B-2"}\n'),
      'seeds/latin.csv': Buffer.from([...Buffer.from('id,name\n1,caf'), 0xe9, ...Buffer.from('\n2,na'), 0xef, ...Buffer.from('ve\n')]),
    };
  });

  it('loads .parquet, .json, .ndjson and .xlsx seeds with column_types, and a Latin-1 CSV with encoding', async () => {
    const dir = await makeProject({
      ...files,
      'seeds/seeds.yml': [
        'version: 2',
        'seeds:',
        '  - name: customers',
        '    config: {column_types: {id: VARCHAR}}',
        '  - name: events',
        '    config: {column_types: {seen_at: TIMESTAMP}}',
        '  - name: orders',
        '    config: {column_types: {zip: VARCHAR}}',
        '  - name: latin',
        '    config: {encoding: latin-1}',
        '',
      ].join('\n'),
    });
    const r = await runCli(['seed'], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await csvOf(dir, 'select id, typeof(id) as t, name, signed_up, balance from main.customers order by id')).toBe('id,t,name,signed_up,balance\n1,VARCHAR,Kim,2024-01-02,10.50\n2,VARCHAR,Lee,2024-02-03,3.25\n');
    expect(await csvOf(dir, 'select kind, typeof(seen_at) as t, seen_at from main.events order by id')).toBe('kind,t,seen_at\nclick,TIMESTAMP,2024-01-01 10:00:00\nview,TIMESTAMP,2024-01-02 11:00:00\n');
    expect(await csvOf(dir, 'select sku from main.lines order by line')).toBe('sku\nA-1\nB-2\n');
    expect(await csvOf(dir, 'select order_id, customer, ordered_on, typeof(ordered_on) as t, amount, zip from main.orders order by order_id'))
      .toBe('order_id,customer,ordered_on,t,amount,zip\n1,Kim,2024-01-05,DATE,12.5,01234\n2,Müller,2024-02-06,DATE,25.0,00042\n');
    expect(await csvOf(dir, 'select name from main.latin order by id')).toBe('name\ncafé\nnaïve\n');
  });

  it('a Latin-1 CSV without encoding fails with DuckDB\'s reason (not UTF-8) and a hint naming encoding', async () => {
    const dir = await makeProject({ 'seeds/latin.csv': files['seeds/latin.csv'] });
    const r = await runCli(['seed'], dir);
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toContain('seeds/latin.csv:2');
    expect(out).toContain('not utf-8 encoded');
    expect(out).not.toContain('field counts');
    expect(out).toContain('encoding: latin-1');
  });

  it('an unknown encoding, and column_types naming a missing column, are errors naming the seed', async () => {
    const dir = await makeProject({
      'seeds/a.csv': 'x\n1\n',
      'seeds/b.parquet': files['seeds/customers.parquet'],
      'seeds/seeds.yml': 'version: 2\nseeds:\n  - name: a\n    config: {encoding: cp1252}\n  - name: b\n    config: {column_types: {nope: INTEGER}}\n',
    });
    const r = await runCli(['seed'], dir);
    expect(r.code).not.toBe(0);
    const out = r.stdout + r.stderr;
    expect(out).toContain("encoding 'cp1252' is not supported");
    expect(out).toContain('seeds/b.parquet');
    expect(out).toContain('column_types is not in the seed file');
  });
});
