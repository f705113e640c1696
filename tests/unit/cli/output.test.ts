/**
 * Result printing for engines without `Connection.display` (Snowflake, Trino): values formatted by column
 * type — exact digits for 64-bit integers and decimals, DATE as YYYY-MM-DD, TIMESTAMP without a zone.
 */
import { describe, expect, it } from 'vitest';
import { formatResult } from '../../../src/cli/output.js';
import type { QueryResult } from '../../../src/adapters/adapter.js';

const result: QueryResult = {
  columns: [
    { name: 'id', type: 'BIGINT' }, { name: 'amount', type: 'DECIMAL(20,2)' }, { name: 'day', type: 'DATE' },
    { name: 'at', type: 'TIMESTAMP' }, { name: 'at_tz', type: 'TIMESTAMP WITH TIME ZONE' }, { name: 'n', type: 'INTEGER' },
  ],
  rows: [
    [9223372036854775807n, '12345678901234567.89', new Date(Date.UTC(2024, 11, 22)), new Date(Date.UTC(2024, 11, 22, 10, 11, 12, 500)), new Date(Date.UTC(2024, 11, 22, 10, 11, 12)), 1],
    [1n, '1.10', null, new Date(Date.UTC(2024, 0, 1)), null, 2],
  ],
};

describe('formatResult without engine rendering', () => {
  it('JSON: one type per column and exact digits; dates without an invented zone', () => {
    const text = formatResult(result, 'json');
    expect(text).toContain('"id": 9223372036854775807,');
    expect(text).toContain('"id": 1,');
    expect(text).toContain('"amount": 12345678901234567.89,');
    expect(text).toContain('"amount": 1.10,');
    expect(text).toContain('"day": "2024-12-22",');
    expect(text).toContain('"at": "2024-12-22 10:11:12.5",');
    expect(text).toContain('"at": "2024-01-01 00:00:00",');
    expect(text).toContain('"at_tz": "2024-12-22T10:11:12.000Z",');
    expect(JSON.parse(text)).toHaveLength(2);
  });

  it('CSV and table print the same text', () => {
    expect(formatResult(result, 'csv')).toBe('id,amount,day,at,at_tz,n\n9223372036854775807,12345678901234567.89,2024-12-22,2024-12-22 10:11:12.5,2024-12-22T10:11:12.000Z,1\n1,1.10,,2024-01-01 00:00:00,,2\n');
    const t = formatResult(result, 'table');
    expect(t).toContain('9223372036854775807');
    expect(t).toContain('NULL');
    expect(t).toContain('2 rows');
  });
});
