/**
 * `weir show` / `weir query` print values exactly as DuckDB prints them. The Python `duckdb` module is not
 * installed on this machine (and PyPI is unreachable), so the reference is DuckDB itself: each value cast
 * to VARCHAR in a separate in-memory DuckDB — the text DuckDB's CLI and the Python module's `.show()` print.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { cleanupProjects, makeProject, runCli } from '../helpers/project.js';

afterAll(cleanupProjects);

/** One expression per DuckDB type (scalar, temporal, nested, NULL). */
const TYPES: Readonly<Record<string, string>> = {
  bool_: 'true', tinyint_: '(-128)::tinyint', smallint_: '32767::smallint', integer_: '(-2147483648)::integer',
  bigint_: '9223372036854775807::bigint', hugeint_: '(-170141183460469231731687303715884105727)::hugeint',
  utinyint_: '255::utinyint', usmallint_: '65535::usmallint', uinteger_: '4294967295::uinteger',
  ubigint_: '18446744073709551615::ubigint', uhugeint_: '340282366920938463463374607431768211455::uhugeint',
  bignum_: "'123456789012345678901234567890'::bignum",
  float_: '0.1::float', double_: '3923.0000000000005::double', double_big: '1e16::double', double_e15: '1e15::double',
  double_neg_zero: '(-0.0)::double', double_inf: "'inf'::double", double_nan: "'nan'::double",
  decimal_4_1: '123.4::decimal(4,1)', decimal_5_2: '1.10::decimal(5,2)', decimal_18_4: '12345678901234.5678::decimal(18,4)',
  decimal_20_2: '12345678901234567.89::decimal(20,2)', decimal_38_10: '1234567890123456789012345678.0123456789::decimal(38,10)',
  decimal_sum: 'sum(x) from (values (1.10::decimal(10,2)), (3921.90::decimal(10,2))) v(x)',
  date_: "date '2024-12-22'", time_: "time '10:11:12.345678'", timetz_: "'10:11:12+01'::timetz",
  timestamp_: "timestamp '2024-12-22 10:11:12.5'", timestamp_s: "'2024-01-01 00:00:01'::timestamp_s",
  timestamp_ms: "'2024-01-01 00:00:00.123'::timestamp_ms", timestamp_ns: "'2024-01-01 00:00:00.123456789'::timestamp_ns",
  timestamptz_: "'2024-12-22 10:11:12+00'::timestamptz", interval_: "interval '1 year 2 months 3 days 04:05:06'",
  uuid_: "'123e4567-e89b-12d3-a456-426614174000'::uuid", varchar_: "'it''s ünïcode'", blob_: "'\\xAA\\x00'::blob",
  bit_: "'10101'::bit", enum_: "'b'::enum('a', 'b')", list_: '[1.10::decimal(5,2), null]', array_: '[1, 2]::integer[2]',
  struct_: "{'a': 1, 'b': 'x y'}", map_: "map {'k': 1.5::double}", union_: "union_value(num := 2)::union(num integer, s varchar)",
  null_: 'null::integer',
};

/** The reference: DuckDB's own VARCHAR rendering of each expression. */
async function duckdbText(): Promise<Record<string, string | null>> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const out: Record<string, string | null> = {};
  for (const [name, expr] of Object.entries(TYPES)) {
    const sql = expr.includes(' from ') ? `select (${expr.replace(/ from .*/, '')})::varchar ${expr.slice(expr.indexOf(' from '))}` : `select (${expr})::varchar`;
    out[name] = (await conn.runAndReadAll(sql)).getRows()[0][0] as string | null;
  }
  conn.closeSync();
  return out;
}

const selectOf = (name: string) => {
  const expr = TYPES[name];
  return expr.includes(' from ') ? `select ${expr.replace(/ from /, ` as ${name} from `)}` : `select ${expr} as ${name}`;
};

describe('exact output of weir query / show', () => {
  let dir: string;
  let expected: Record<string, string | null>;
  beforeAll(async () => {
    dir = await makeProject({
      'models/m.sql': "{{config materialized=\"table\"}}\nselect 12345678901234567.89::decimal(20,2) as amount, date '2024-12-22' as day, timestamp '2024-12-22 10:11:12' as at, 42::bigint as n\n",
    });
    expected = await duckdbText();
    expect((await runCli(['run'], dir)).code).toBe(0);
  });

  it('every DuckDB type prints as DuckDB prints it (CSV and table)', async () => {
    for (const name of Object.keys(TYPES)) {
      const csv = await runCli(['query', selectOf(name), '--format', 'csv'], dir);
      expect(csv.code, `${name}: ${csv.stderr}`).toBe(0);
      const want = expected[name];
      const lines = csv.stdout.replace(/\n$/, '').split('\n');
      // csv-stringify quotes fields with commas/quotes: compare the parsed field.
      const field = lines.slice(1).join('\n').replace(/^"(.*)"$/s, (_m, x: string) => x.replace(/""/g, '"'));
      expect(field, name).toBe(want ?? '');
      const table = await runCli(['query', selectOf(name)], dir);
      expect(table.stdout, name).toContain(`│ ${want ?? 'NULL'}`);
    }
    // The values the issue names, written out.
    expect(expected).toMatchObject({
      decimal_20_2: '12345678901234567.89', decimal_5_2: '1.10', date_: '2024-12-22', timestamp_: '2024-12-22 10:11:12.5',
      bigint_: '9223372036854775807', float_: '0.1', decimal_sum: '3923.00',
    });
  });

  it('JSON: one JSON type per column with exact digits; dates and timestamps as DuckDB writes them', async () => {
    const r = await runCli(['query', 'select * from (values (1, 1.10::decimal(5,2), 0.5::double), (9223372036854775807, 12.00, 0.1)) v(b, d, f) order by b', '--format', 'json'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"b": 1,');
    expect(r.stdout).toContain('"b": 9223372036854775807,');
    expect(r.stdout).toContain('"d": 1.10,');
    expect(r.stdout).toContain('"d": 12.00,');
    expect(r.stdout).toContain('"f": 0.1\n');
    expect(JSON.parse(r.stdout)).toHaveLength(2);
    const types = await runCli(['query', `select date '2024-12-22' as d, timestamp '2024-12-22 10:11:12' as t, [1, 2] as l, {'a': 'x'} as s, 'inf'::double as i, null::bigint as n`, '--format', 'json'], dir);
    expect(JSON.parse(types.stdout)).toEqual([{ d: '2024-12-22', t: '2024-12-22 10:11:12', l: [1, 2], s: { a: 'x' }, i: 'inf', n: null }]);
  });

  it('weir show prints a built model exactly', async () => {
    const r = await runCli(['show', '--select', 'm', '--format', 'csv'], dir);
    expect(r.stdout).toBe('amount,day,at,n\n12345678901234567.89,2024-12-22,2024-12-22 10:11:12,42\n');
    const j = await runCli(['show', '--select', 'm', '--format', 'json'], dir);
    expect(j.stdout).toContain('"amount": 12345678901234567.89');
  });

  it('weir query renders {{ref}}, {{source}} and {{var}}; an unknown ref is an error', async () => {
    const r = await runCli(['query', 'select n + {{var "k" 1}} as n from {{ref "m"}}', '--format', 'csv'], dir);
    expect(r).toMatchObject({ code: 0, stdout: 'n\n43\n' });
    const bad = await runCli(['query', 'select * from {{ref "nope"}}'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stdout + bad.stderr).toContain("unknown model or seed 'nope'");
  });

  it('the table fits the terminal width (COLUMNS), vertically when columns cannot fit', async () => {
    const sql = "select repeat('x', 80) as long_text, 12345678901234567.89::decimal(20,2) as amount, 'short' as s";
    const wide = await runCli(['query', sql], dir, { ...process.env, COLUMNS: '200' });
    expect(wide.stdout).toContain('x'.repeat(80));
    const narrow = await runCli(['query', sql], dir, { ...process.env, COLUMNS: '60' });
    const lines = narrow.stdout.split('\n').filter((l) => l.length);
    for (const l of lines) expect([...l].length, l).toBeLessThanOrEqual(60);
    expect(narrow.stdout).toContain('12345678901234567.89');
    expect(narrow.stdout).toContain('…');
    const many = await runCli(['query', `select ${Array.from({ length: 20 }, (_, i) => `${i} as column_${i}`).join(', ')}`], dir, { ...process.env, COLUMNS: '50' });
    expect(many.stdout).toContain('-[ row 1 ]');
    expect(many.stdout).toContain('column_19 | 19');
    for (const l of many.stdout.split('\n')) expect([...l].length).toBeLessThanOrEqual(50);
  });
});
