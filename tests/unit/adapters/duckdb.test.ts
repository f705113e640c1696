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
