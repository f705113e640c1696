/**
 * Finding function calls in SQL text (src/sql/calls.ts): nesting, arguments split at their own commas,
 * names in strings, comments, quoted or qualified names, CTE definitions and alias column lists ignored;
 * splicing replacements.
 */
import { describe, expect, it } from 'vitest';
import { findCalls as findUdfCalls, replaceSpans, type SqlCall as UdfCall } from '../../../src/sql/calls.js';
import { structureOf } from '../../../src/sql/tokenize.js';

const NAMES = new Set(['normalize_name', 'jw', 'detect_pii', 'pii_hash', 'f']);
const calls = (sql: string, opts = {}) => findUdfCalls(structureOf(sql, opts), NAMES);

describe('findUdfCalls', () => {
  it('finds nested calls with their arguments, innermost ones inside the outer span', () => {
    const sql = `select jw(normalize_name(a.n), normalize_name(b.n, true)) as s from a, b`;
    const c = calls(sql);
    expect(c.map((x) => [x.name, x.args])).toEqual([
      ['jw', ['normalize_name(a.n)', 'normalize_name(b.n, true)']],
      ['normalize_name', ['a.n']],
      ['normalize_name', ['b.n', 'true']],
    ]);
    expect(sql.slice(c[0].start, c[0].end)).toBe('jw(normalize_name(a.n), normalize_name(b.n, true))');
    expect(c[1].start).toBeGreaterThan(c[0].start);
    expect(c[1].end).toBeLessThan(c[0].end);
  });
  it('splits arguments only at their own commas (nested calls, strings, casts)', () => {
    expect(calls(`select f('a, b', coalesce(x, 'y'), cast(z as decimal(10, 2)))`)[0].args).toEqual([`'a, b'`, `coalesce(x, 'y')`, 'cast(z as decimal(10, 2))']);
    expect(calls(`select f()`)[0].args).toEqual([]);
    expect(calls(`select F /* c */ (x)`)[0].name).toBe('f');
  });
  it('ignores names in strings, comments, quoted identifiers, qualified names, CTE definitions and alias column lists', () => {
    const sql = `with f(a) as (select 1), jw as materialized (select 2)
      select 'f(x)', "f"(y), s.f(z), -- f(w)
        u.x from t, unnest(l) as f(x) /* jw(1) */`;
    expect(calls(sql)).toEqual([]);
    expect(calls(`with jw(a) as (select 1) select jw(a, b) as z from jw`).map((c) => c.args)).toEqual([['a', 'b']]);
  });
});

describe('replaceSpans', () => {
  it('replaces disjoint spans and rejects overlapping ones', () => {
    const sql = `select f(a), f(b) from t`;
    const c: UdfCall[] = calls(sql);
    expect(replaceSpans(sql, c.map((x, i) => ({ start: x.start, end: x.end, text: `L${i}` })))).toBe('select L0, L1 from t');
    expect(() => replaceSpans(sql, [{ start: 0, end: 10, text: '' }, { start: 5, end: 12, text: '' }])).toThrow(/overlapping/);
  });
});
