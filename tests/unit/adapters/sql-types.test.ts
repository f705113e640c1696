/**
 * The SQL → TypeScript mapping behind `weir codegen kysely` and the clients' value conversion, over the
 * type spellings of DuckDB, Trino and Snowflake.
 */
import { describe, expect, it } from 'vitest';
import { normalizeValue, sqlToTs, tsPropertyName, tsTypeText } from '../../../src/adapters/sql-types.js';

const ts = (t: string) => tsTypeText(sqlToTs(t));

describe('sqlToTs', () => {
  it.each([
    ['BOOLEAN', 'boolean'], ['boolean', 'boolean'],
    ['INTEGER', 'number'], ['SMALLINT', 'number'], ['tinyint', 'number'], ['UINTEGER', 'number'],
    ['BIGINT', 'string'], ['HUGEINT', 'string'], ['UBIGINT', 'string'], ['bigint', 'string'],
    ['DECIMAL(18,2)', 'string'], ['decimal(38, 10)', 'string'], ['NUMBER(38,0)', 'string'], ['NUMBER', 'string'], ['FIXED', 'string'],
    ['DOUBLE', 'number'], ['REAL', 'number'], ['FLOAT', 'number'], ['double', 'number'],
    ['VARCHAR', 'string'], ['varchar(10)', 'string'], ['TEXT', 'string'], ['UUID', 'string'], ['JSON', 'string'], ['INTERVAL', 'string'], ['TIME', 'string'],
    ['DATE', 'string'], ['date', 'string'],
    ['TIMESTAMP', 'Date'], ['TIMESTAMP WITH TIME ZONE', 'Date'], ['timestamp(3)', 'Date'], ['timestamp(6) with time zone', 'Date'],
    ['TIMESTAMP_NTZ', 'Date'], ['TIMESTAMP_TZ', 'Date'], ['TIMESTAMP_NS', 'Date'],
    ['BLOB', 'Uint8Array'], ['varbinary', 'Uint8Array'],
    ['INTEGER[]', '(number | null)[]'], ['VARCHAR[3]', '(string | null)[]'], ['array(varchar)', '(string | null)[]'], ['ARRAY', 'unknown[]'],
    ['STRUCT(a INTEGER, "b c" VARCHAR[])', '{ a: number | null; "b c": (string | null)[] | null }'],
    ['row(x bigint, y row(z double))', '{ x: string | null; y: { z: number | null } | null }'],
    ['MAP(VARCHAR, INTEGER)', 'unknown'], ['VARIANT', 'unknown'], ['OBJECT', 'unknown'], ['GEOMETRY', 'unknown'],
  ])('%s → %s', (sql, expected) => {
    expect(ts(sql)).toBe(expected);
  });

  it('quotes property names that are not identifiers', () => {
    expect(tsPropertyName('customer_id')).toBe('customer_id');
    expect(tsPropertyName('odd name')).toBe('"odd name"');
    expect(tsPropertyName('1st')).toBe('"1st"');
  });
});

describe('normalizeValue', () => {
  it('gives every engine\'s values the promised JS types', () => {
    expect(normalizeValue(9007199254740993n, sqlToTs('BIGINT'))).toBe('9007199254740993');
    expect(normalizeValue(42, sqlToTs('NUMBER(38,0)'))).toBe('42');
    expect(normalizeValue('12.50', sqlToTs('decimal(10,2)'))).toBe('12.50');
    expect(normalizeValue(3n, sqlToTs('INTEGER'))).toBe(3);
    expect(normalizeValue('2024-01-02 03:04:05.123456', sqlToTs('timestamp(6)'))).toEqual(new Date('2024-01-02T03:04:05.123Z'));
    expect(normalizeValue('2024-01-02 03:04:05.000 UTC', sqlToTs('timestamp(3) with time zone'))).toEqual(new Date('2024-01-02T03:04:05.000Z'));
    expect(normalizeValue('2024-01-02 03:04:05 +09:00', sqlToTs('TIMESTAMP_TZ'))).toEqual(new Date('2024-01-01T18:04:05.000Z'));
    expect(normalizeValue(new Date('2024-05-06T00:00:00Z'), sqlToTs('DATE'))).toBe('2024-05-06');
    expect(normalizeValue('2024-05-06', sqlToTs('date'))).toBe('2024-05-06');
    expect(normalizeValue([1n, null], sqlToTs('array(bigint)'))).toEqual(['1', null]);
    expect(normalizeValue(null, sqlToTs('BIGINT'))).toBeNull();
    expect(normalizeValue(undefined, sqlToTs('VARCHAR'))).toBeNull();
    expect(normalizeValue({ a: 1 }, sqlToTs('VARIANT'))).toEqual({ a: 1 });
  });
});
