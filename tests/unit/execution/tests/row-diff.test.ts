/** Multiset comparison of unit-test rows: type-aware canonical values, diff counts, and the printed table. */
import { describe, expect, it } from 'vitest';
import { canonical, diffRows, formatRowDiff, typeFamilyOf } from '../../../../src/execution/tests/row-diff.js';

describe('row diff', () => {
  it('maps engine types to comparison families', () => {
    expect(['BIGINT', 'integer', 'NUMBER(38,0)', 'DECIMAL(10,2)', 'double', 'BOOLEAN', 'DATE', 'timestamp(3) with time zone', 'TIMESTAMP_NTZ', 'VARCHAR'].map(typeFamilyOf))
      .toEqual(['int', 'int', 'int', 'number', 'number', 'bool', 'date', 'timestamp', 'timestamp', 'text']);
  });

  it('canonical values equal across representations', () => {
    expect(canonical(12n, 'int')).toBe(canonical('12', 'int'));
    expect(canonical(12, 'int')).toBe('12');
    expect(canonical('12.50', 'number')).toBe(canonical(12.5, 'number'));
    expect(canonical(0.1 + 0.2, 'number')).toBe(canonical(0.3, 'number'));
    expect(canonical(new Date('2024-01-31T00:00:00Z'), 'date')).toBe('2024-01-31');
    expect(canonical(new Date('2024-01-31T10:00:00.500Z'), 'timestamp')).toBe(canonical('2024-01-31 10:00:00.5', 'timestamp'));
    expect(canonical('2024-01-31', 'timestamp')).toBe(canonical('2024-01-31T00:00:00.000', 'timestamp'));
    expect(canonical(true, 'bool')).toBe(canonical('TRUE', 'bool'));
    expect(canonical(null, 'text')).not.toBe(canonical('null', 'text'));
    expect(canonical('9007199254740993', 'int')).toBe(canonical(9007199254740993n, 'int'));
  });

  it('compares as multisets on the expected columns, ignoring order and other columns', () => {
    const cols = [{ name: 'ID', type: 'BIGINT' }, { name: 'SEGMENT', type: 'VARCHAR' }, { name: 'other', type: 'DOUBLE' }];
    const rows = [[2n, 'b', 1.5], [1n, 'a', 0], [1n, 'a', 9]];
    expect(diffRows(cols, rows, [{ id: 1, segment: 'a' }, { id: 1, segment: 'a' }, { id: 2, segment: 'b' }], ['id', 'segment']))
      .toMatchObject({ missing: [], extra: [], missingColumns: [] });
    const d = diffRows(cols, rows, [{ id: 1, segment: 'a' }, { id: 2, segment: 'c' }], ['id', 'segment']);
    expect(d.missing).toEqual([{ id: 2, segment: 'c' }]);
    expect(d.extra).toEqual([{ id: 2n, segment: 'b' }, { id: 1n, segment: 'a' }]);
    expect(formatRowDiff(d)).toBe(`1 expected row missing (-), 2 unexpected rows (+):
  | id | segment
- | 2  | c
+ | 2  | b
+ | 1  | a`);
  });

  it('a missing expected column is reported by name', () => {
    const d = diffRows([{ name: 'id', type: 'INTEGER' }], [[1]], [{ id: 1, tier: 'x' }], ['id', 'tier']);
    expect(d.missingColumns).toEqual(['tier']);
    expect(formatRowDiff(d)).toBe("the model returns no column 'tier'");
  });

  it('a column a row leaves out is expected NULL', () => {
    const cols = [{ name: 'id', type: 'INTEGER' }, { name: 'v', type: 'VARCHAR' }];
    expect(diffRows(cols, [[1, null]], [{ id: 1 }], ['id', 'v']).missing).toEqual([]);
    expect(diffRows(cols, [[1, 'x']], [{ id: 1 }], ['id', 'v']).missing).toEqual([{ id: 1 }]);
  });
});
