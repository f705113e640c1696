/**
 * Cross-dialect SQL helpers (`{{dateadd ...}}`, `{{listagg ...}}`, ...): the exact SQL each renders for
 * DuckDB, Snowflake and Trino (through `dialect.fn`, see src/adapters/<engine>/dialect.ts for the doc links),
 * argument validation, and — for DuckDB only, the one engine available here — the results of running
 * the rendered SQL on in-memory DuckDB. Snowflake/Trino output is checked as text, not executed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Dialect } from '../../../src/adapters/adapter.js';
import { duckdbDialect } from '../../../src/adapters/duckdb/dialect.js';
import { snowflakeDialect } from '../../../src/adapters/snowflake/dialect.js';
import { trinoDialect } from '../../../src/adapters/trino/dialect.js';
import { TemplateEnvironment } from '../../../src/compiler/environment.js';
import type { RenderState } from '../../../src/compiler/helpers/render-state.js';
import { annotateRenderError } from '../../../src/compiler/render-errors.js';
import { WeirError } from '../../../src/errors/weir-error.js';

const te = new TemplateEnvironment();
function render(src: string, dialect: Dialect): string {
  const state: RenderState = {
    nodeId: 'model.t.m', file: 'models/m.sql', dialect, vars: {}, env: {}, secrets: new Set(),
    resolveRef: (n) => dialect.quoteIdentifier(n), resolveSource: (s, t) => dialect.relation({ schema: s, identifier: t }),
  };
  try {
    return te.compile(src, 'models/m.sql')({}, { data: { weir: state } });
  } catch (e) {
    throw annotateRenderError(e, 'models/m.sql', 'model.t.m', src);
  }
}

/** template → [duckdb, snowflake, trino] */
const CASES: [string, string, string, string][] = [
  ['{{dateadd "day" 7 "o.order_date"}}', `(o.order_date + 7 * interval '1' day)`, `dateadd(day, 7, o.order_date)`, `(o.order_date + 7 * interval '1' day)`],
  ['{{dateadd "quarter" "n - 1" "d"}}', `(d + (n - 1) * interval '3' month)`, `dateadd(quarter, n - 1, d)`, `(d + (n - 1) * interval '3' month)`],
  ['{{dateadd "week" 2 "cast(x as date)"}}', `((cast(x as date)) + 2 * interval '7' day)`, `dateadd(week, 2, cast(x as date))`, `((cast(x as date)) + 2 * interval '7' day)`],
  ['{{datediff "second" "a" "b"}}', `date_diff('second', a, b)`, `datediff(second, a, b)`, `date_diff('second', a, b)`],
  ['{{date_trunc "MONTH" "ts"}}', `date_trunc('month', ts)`, `date_trunc('month', ts)`, `date_trunc('month', ts)`],
  ['{{safe_cast "trim(s)" "date"}}', `try_cast(trim(s) as date)`, `try_cast(cast(trim(s) as varchar) as date)`, `try_cast(trim(s) as date)`],
  ['{{safe_cast "s" (type_int)}}', `try_cast(s as bigint)`, `try_cast(cast(s as varchar) as bigint)`, `try_cast(s as bigint)`],
  ['{{type_string}} {{type_int}} {{type_float}} {{type_timestamp}}', 'varchar bigint double timestamp', 'varchar bigint double timestamp_ntz', 'varchar bigint double timestamp(6)'],
  [`{{concat "a" "'-'" "cast(n as varchar)"}}`, `(a || '-' || (cast(n as varchar)))`, `(a || '-' || (cast(n as varchar)))`, `(a || '-' || (cast(n as varchar)))`],
  [`{{split_part "s" "' '" 2}}`, `split_part(s, ' ', 2)`, `split_part(s, ' ', 2)`, `split_part(s, ' ', 2)`],
  [`{{listagg "p" "' > '" order_by="seq"}}`, `string_agg(p, ' > ' order by seq)`, `nullif(listagg(p, ' > ') within group (order by seq), '')`, `listagg(p, ' > ') within group (order by seq)`],
  [`{{listagg "p" "','"}}`, `string_agg(p, ',')`, `nullif(listagg(p, ','), '')`, `listagg(p, ',') within group (order by p)`],
  [`{{left "email" 3}}`, `left(email, 3)`, `left(email, 3)`, `substr(email, 1, 3)`],
  [`{{right "phone" "n + 1"}}`, `right(phone, n + 1)`, `right(phone, n + 1)`, `substr(phone, greatest(length(phone) - (n + 1) + 1, 1))`],
  [`{{starts_with "path" "'/docs'"}}`, `starts_with(path, '/docs')`, `startswith(path, '/docs')`, `starts_with(path, '/docs')`],
  ['{{log2 "x"}}', 'log2(x)', 'log(2, x)', 'log2(x)'],
  [`{{split "k" "'|'"}}`, `string_split(k, '|')`, `split(k, '|')`, `split(k, '|')`],
  [`{{unnest_join (split "s.k" "'|'") "u" "part"}}`, `cross join unnest(string_split(s.k, '|')) as u(part)`,
    `cross join lateral (select cast(f.value as varchar) as part from table(flatten(input => split(s.k, '|'))) as f) as u`, `cross join unnest(split(s.k, '|')) as u(part)`],
  ['{{json_array_join "e.pii" "u" "x"}}', 'cross join unnest(cast(json(e.pii) as json[])) as u(x)',
    'cross join lateral (select f.value as x from table(flatten(input => parse_json(e.pii))) as f) as u', 'cross join unnest(cast(json_parse(e.pii) as array(json))) as u(x)'],
  ['{{json_value "u.x" "start"}}', `json_extract_string(u.x, '$.start')`, `cast(get(u.x, 'start') as varchar)`, `json_extract_scalar(u.x, '$.start')`],
  ['{{current_timestamp}}', 'current_timestamp', 'current_timestamp()', 'current_timestamp'],
  ['{{hash "email"}}', 'md5(email)', 'md5(email)', 'lower(to_hex(md5(to_utf8(email))))'],
  [`{{regexp_like "s" "'^[a-z]+$'"}}`, `regexp_matches(s, '^[a-z]+$')`, `(regexp_instr(s, '^[a-z]+$') > 0)`, `regexp_like(s, '^[a-z]+$')`],
  [`{{regexp_replace "s" "'[^0-9]'" "''"}}`, `regexp_replace(s, '[^0-9]', '', 'g')`, `regexp_replace(s, '[^0-9]', '')`, `regexp_replace(s, '[^0-9]', '')`],
  [`{{regexp_extract "s" "'<([^>]+)>'" 1}}`, `regexp_extract(s, '<([^>]+)>', 1)`, `regexp_substr(s, '<([^>]+)>', 1, 1, 'e', 1)`, `regexp_extract(s, '<([^>]+)>', 1)`],
  ['{{any_value "v"}}', 'any_value(v)', 'any_value(v)', 'arbitrary(v)'],
  [`{{bool_or "t = 'x'"}}`, `bool_or(t = 'x')`, `boolor_agg(t = 'x')`, `bool_or(t = 'x')`],
  [`{{concat_ws "' '" "a" "b" "c"}}`, `concat_ws(' ', a, b, c)`, `array_to_string(array_construct_compact(a, b, c), ' ')`, `concat_ws(' ', a, b, c)`],
  ['{{greatest "a" "b"}}', 'greatest(a, b)', 'greatest_ignore_nulls(a, b)', 'greatest(coalesce(a, b), coalesce(b, a))'],
  ['{{least "a" "b" "c"}}', 'least(a, b, c)', 'least_ignore_nulls(a, b, c)', 'least(coalesce(a, b, c), coalesce(b, a, c), coalesce(c, a, b))'],
];

describe('cross-dialect helpers render per dialect', () => {
  for (const [tpl, duck, snow, trino] of CASES) {
    it(tpl, () => {
      expect(render(tpl, duckdbDialect)).toBe(duck);
      expect(render(tpl, snowflakeDialect)).toBe(snow);
      expect(render(tpl, trinoDialect)).toBe(trino);
    });
  }

  it('normal_cdf is the same portable arithmetic on every dialect', () => {
    const d = render('{{normal_cdf "z"}}', duckdbDialect);
    expect(d).toContain('exp(');
    expect(render('{{normal_cdf "z"}}', snowflakeDialect)).toBe(d);
    expect(render('{{normal_cdf "z"}}', trinoDialect)).toBe(d);
  });
});

describe('argument validation', () => {
  const err = (tpl: string) => {
    try {
      render(tpl, duckdbDialect);
    } catch (e) {
      expect(e).toBeInstanceOf(WeirError);
      return e as WeirError;
    }
    throw new Error(`expected ${tpl} to fail`);
  };
  it('rejects date parts outside the allow-list', () => {
    const e = err('select {{dateadd "fortnight" 1 "d"}}');
    expect(e.message).toMatch(/unknown date part 'fortnight'.*year, quarter, month, week, day, hour, minute, second/);
    expect(e.location?.line).toBe(1);
    expect(err(`{{date_trunc "day'); drop table x; --" "d"}}`).message).toMatch(/unknown date part/);
  });
  it('rejects type names that are not types', () => {
    expect(err(`{{safe_cast "x" "int); drop table t; --"}}`).message).toMatch(/not an SQL type name/);
    expect(render('{{safe_cast "x" "decimal(18, 2)"}}', duckdbDialect)).toBe('try_cast(x as decimal(18, 2))');
  });
  it('rejects wrong arity and empty expressions', () => {
    expect(err('{{datediff "day" "a"}}').message).toMatch(/datediff takes 3 argument/);
    expect(err('{{hash ""}}').message).toMatch(/hash: the value must be an SQL expression/);
    expect(err('{{concat "a"}}').message).toMatch(/concat takes 2 to 100/);
    expect(err('{{unnest_join "arr" "u; drop table x" "k"}}').message).toMatch(/unnest_join: the alias must be a plain name/);
    expect(err(`{{json_value "v" "a') or ('1"}}`).message).toMatch(/json_value: the key must be a plain name/);
  });
  it('cannot be shadowed by a macro helper of the same name', () => {
    expect(() => new TemplateEnvironment([], [{ path: 'macros/x.ts', exports: { hash: () => 'x' } }])).toThrow(/clashes with a built-in/);
  });
});

describe('DuckDB executes what the helpers render', () => {
  let db: DuckDBInstance;
  let conn: DuckDBConnection;
  beforeAll(async () => {
    db = await DuckDBInstance.create(':memory:');
    conn = await db.connect();
  });
  afterAll(() => {
    conn.closeSync();
    db.closeSync();
  });
  const one = async (tpl: string, from = '') => {
    const r = await conn.runAndReadAll(`select ${render(tpl, duckdbDialect)} as v ${from}`);
    return r.getRowsJS()[0][0];
  };
  const str = async (tpl: string, from = '') => String(await one(tpl, from));

  it('date arithmetic', async () => {
    expect(await str(`{{dateadd "day" 7 "date '2024-02-25'"}}`)).toMatch(/^Sun Mar 03 2024|2024-03-03/);
    expect(await str(`cast({{dateadd "month" 1 "date '2024-01-31'"}} as date)`)).toMatch(/2024-02-29|Feb 29 2024/);
    expect(await str(`cast({{dateadd "quarter" 1 "date '2024-01-15'"}} as varchar)`)).toBe('2024-04-15 00:00:00');
    expect(await str(`cast({{dateadd "week" -1 "date '2024-01-15'"}} as varchar)`)).toBe('2024-01-08 00:00:00');
    expect(await str(`cast({{dateadd "hour" "2 + 1" "timestamp '2024-01-15 10:00:00'"}} as varchar)`)).toBe('2024-01-15 13:00:00');
    expect(Number(await one(`{{datediff "day" "date '2024-01-01'" "date '2024-03-01'"}}`))).toBe(60);
    expect(Number(await one(`{{datediff "second" "timestamp '2024-01-01 00:00:00'" "timestamp '2024-01-01 01:00:05'"}}`))).toBe(3605);
    expect(await str(`cast({{date_trunc "month" "timestamp '2024-05-17 12:34:56'"}} as varchar)`)).toBe('2024-05-01 00:00:00');
  });
  it('casts, types and strings', async () => {
    expect(await one(`{{safe_cast "'1990-02-30'" "date"}}`)).toBeNull();
    expect(Number(await one(`{{safe_cast "' 42 '" (type_int)}}`))).toBe(42);
    expect(await one(`{{safe_cast "'x'" (type_float)}}`)).toBeNull();
    expect(await str(`cast(3 as {{type_float}}) / 2`)).toBe('1.5');
    expect(await str(`cast(cast('2024-01-02 03:04:05' as {{type_timestamp}}) as {{type_string}})`)).toBe('2024-01-02 03:04:05');
    expect(await one(`{{concat "'a'" "'-'" "cast(1 as varchar)"}}`)).toBe('a-1');
    expect(await one(`{{concat "'a'" "null"}}`)).toBeNull();
    expect(await one(`{{split_part "'김 민준'" "' '" 2}}`)).toBe('민준');
    expect(await one(`{{hash "'abc'"}}`)).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(await one(`{{regexp_like "'a1b'" "'[0-9]'"}}`)).toBe(true);
    expect(await one(`{{regexp_like "'ab'" "'^[0-9]+$'"}}`)).toBe(false);
    expect(await one(`{{regexp_replace "'0 10-1234'" "'[^0-9]'" "''"}}`)).toBe('0101234');
    expect(await one(`{{regexp_extract "'Kim <k@x.kr>'" "'<([^>]+)>'" 1}}`)).toBe('k@x.kr');
    expect(await one(`{{current_timestamp}} is not null`)).toBe(true);
    // NULLs are skipped, as the helper promises on every engine (Snowflake's own CONCAT_WS/GREATEST would give NULL).
    expect(await one(`{{concat_ws "' '" "'Ann'" "null" "'Lee'"}}`)).toBe('Ann Lee');
    expect(Number(await one(`{{greatest "1" "null" "3"}}`))).toBe(3);
    expect(Number(await one(`{{least "null" "2"}}`))).toBe(2);
    expect(await one(`{{left "'abcdef'" 3}}`)).toBe('abc');
    expect(await one(`{{right "'+821012345678'" 8}}`)).toBe('12345678');
    expect(await one(`{{starts_with "'/docs/a'" "'/docs'"}}`)).toBe(true);
    expect(Number(await one('{{log2 "8"}}'))).toBe(3);
    expect((await conn.runAndReadAll(`select u.k from (select 'a|b' as s) as t ${render(`{{unnest_join (split "t.s" "'|'") "u" "k"}}`, duckdbDialect)} order by 1`)).getRowsJS()).toEqual([['a'], ['b']]);
    expect((await conn.runAndReadAll(`select ${render('{{json_value "u.x" "a"}}', duckdbDialect)} from (select '[{"a":"p"},{"a":"q"}]' as j) as t ${render('{{json_array_join "t.j" "u" "x"}}', duckdbDialect)} order by 1`)).getRowsJS()).toEqual([['p'], ['q']]);
    // Trino's spelling of right/left (substr, greatest, length behave alike on DuckDB for positive
    // positions) gives DuckDB's right/left results, including n longer than the string and n = 0.
    for (const [s, n] of [["'abcdef'", 3], ["'ab'", 5], ["'abc'", 0]] as const) {
      for (const h of ['left', 'right']) {
        const mine = (await conn.runAndReadAll(`select ${render(`{{${h} "${s}" ${n}}}`, trinoDialect)}`)).getRowsJS()[0][0];
        expect(mine, `${h} ${s} ${n}`).toBe(await one(`{{${h} "${s}" ${n}}}`));
      }
    }
    expect(await one(`{{greatest "null" "null"}}`)).toBeNull();
  });
  it('aggregates', async () => {
    const t = `from (values (1, 'c', false), (2, 'a', true), (3, null, false), (4, 'b', false)) t(seq, p, flag)`;
    expect(await one(`{{listagg "p" "' > '" order_by="seq"}}`, t)).toBe('c > a > b');
    expect(await one(`{{listagg "p" "','" order_by="p desc"}}`, t)).toBe('c,b,a');
    expect(await one(`{{bool_or "flag"}}`, t)).toBe(true);
    expect(await one(`{{bool_or "seq > 10"}}`, t)).toBe(false);
    expect(await one(`{{any_value "p"}} is not null`, `from (values ('x'), ('x')) t(p)`)).toBe(true);
  });
});
