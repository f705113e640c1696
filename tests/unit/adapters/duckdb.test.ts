import { describe, expect, it } from 'vitest';
import { findMalformedCsvLine } from '../../../src/adapters/duckdb/seeds.js';
import { duckdbDialect } from '../../../src/adapters/duckdb/dialect.js';

describe('findMalformedCsvLine', () => {
  it('accepts well-formed CSV with quoted delimiters, escaped quotes, newlines in quotes and CRLF', () => {
    expect(findMalformedCsvLine('id,name\r\n1,"a, b"\r\n2,"say ""hi"""\r\n3,"two\nlines"\r\n\r\n', ',')).toBeUndefined();
  });
  it('reports the physical line of a record with too many or too few fields', () => {
    expect(findMalformedCsvLine('id,name\n1,a\n2,"x\ny"\n3,c,extra\n', ',')).toEqual({ line: 5, reason: '3 fields where the header has 2' });
    expect(findMalformedCsvLine('id,name\n1,a\n2\n', ',')).toEqual({ line: 3, reason: '1 field where the header has 2' });
  });
  it('reports an unterminated quote where its record starts', () => {
    expect(findMalformedCsvLine('id,name\n1,a\n2,"b\n3,c\n', ',')).toEqual({ line: 3, reason: 'a quoted field is never closed' });
  });
  it('honours other delimiters', () => {
    expect(findMalformedCsvLine('a\tb\n1\t2\n3\n', '\t')?.line).toBe(3);
  });
});

describe('duckdb dialect', () => {
  it('quotes relations and column refs', () => {
    expect(duckdbDialect.relation({ schema: 'main_marts', identifier: 'x"y' })).toBe('"main_marts"."x""y"');
    expect(duckdbDialect.columnRef('id')).toBe('id');
    expect(duckdbDialect.columnRef('order')).toBe('"order"');
    expect(duckdbDialect.columnRef('Name')).toBe('"Name"');
  });
});

describe('DuckDB statement count', () => {
  it('counts statements with DuckDB when the text has a `;`, and answers 1 without asking DuckDB when it has none', async () => {
    const { duckdb } = await import('../../../src/adapters/duckdb/node-api.js');
    const { DuckDBConnectionWrapper } = await import('../../../src/adapters/duckdb/connection.js');
    const db = await duckdb.DuckDBInstance.create(':memory:');
    const raw = await db.connect();
    let asked = 0;
    const extract = raw.extractStatements.bind(raw);
    raw.extractStatements = (sql: string) => { asked++; return extract(sql); };
    const conn = new DuckDBConnectionWrapper(raw);
    try {
      expect(await conn.countStatements('select 1 as a; select 2 as b')).toBe(2);
      expect(await conn.countStatements("select ';' as a")).toBe(1);
      expect(asked).toBe(2);
      await expect(conn.countStatements('select from from; select 1')).rejects.toThrow();
      expect(asked).toBe(3);
      // no `;`: DuckDB cannot find a second statement (its grammar splits only there), so it is not asked
      expect(await conn.countStatements('select 1 as a\nunion all\nselect 2 -- a comment')).toBe(1);
      expect(asked).toBe(3);
    } finally {
      raw.closeSync();
      db.closeSync();
    }
  });
});
