/**
 * The protocol test servers (tests/servers, NOT Trino or Snowflake: they run the SQL on DuckDB) reject
 * what the real engines would reject: a statement their grammar does not parse and a call of a function
 * they do not document (tests/grammar/engine-check.ts). So a model written in DuckDB-only SQL fails a
 * `weir build` against them, while the same model written with the cross-dialect helpers builds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject, runCli, writeFiles } from '../helpers/project.js';
import { startSnowflakeServer, type SnowflakeTestServer } from '../servers/snowflake-server.js';
import { TrinoTestServer } from '../servers/trino-server.js';
import { checkEngineSql, loadGrammars } from '../grammar/engine-check.js';

let trino: TrinoTestServer;
let snowflake: SnowflakeTestServer;
let dir: string;
const PASSWORD = 'pw-check-1';

beforeAll(async () => {
  await loadGrammars();
  trino = await TrinoTestServer.start({ catalogs: ['lake'] });
  snowflake = await startSnowflakeServer({ users: { weir_ci: PASSWORD } });
  dir = await makeProject({
    'project.yaml': `name: t
target: trino
targets:
  trino:
    type: trino
    server: ${trino.url}
    user: weir
    catalog: lake
    schema: main
  snowflake:
    type: snowflake
    account: acme-test
    user: weir_ci
    password: '{{env "SNOWFLAKE_PASSWORD"}}'
    database: analytics
    schema: dev
    access_url: ${snowflake.url}
`,
    'seeds/people.csv': 'id,name,phone\n1,Ann Lee,010-1234-5678\n2,Bo Kim,555-123-4567\n',
  });
});
afterAll(async () => {
  await trino?.close();
  await snowflake?.close();
  await cleanupProjects();
});

const env = { ...process.env, SNOWFLAKE_PASSWORD: PASSWORD };

/** DuckDB-only SQL → what each engine's check says about it. */
const DUCKDB_ONLY: [string, RegExp, RegExp][] = [
  ['select * exclude (phone) from {{ref "people"}}', /SYNTAX_ERROR|trino grammar/, /^$/],
  ['select right(phone, 8) as tail from {{ref "people"}}', /trino grammar/, /^$/],
  [`select string_split(name, ' ') as parts from {{ref "people"}}`, /Function 'string_split' not registered/, /Unknown function STRING_SPLIT/],
  [`select list_transform([1, 2], x -> x + 1) as l`, /trino grammar|list_transform/, /./],
  [`select regexp_matches(name, 'A') as m from {{ref "people"}}`, /Function 'regexp_matches' not registered/, /Unknown function REGEXP_MATCHES/],
  [`select strftime(current_date, '%Y') as y`, /Function 'strftime' not registered/, /Unknown function STRFTIME/],
];

describe('the protocol servers reject SQL the engine would reject', () => {
  it('a DuckDB-only model fails weir build on each server, naming the grammar or the function', async () => {
    expect((await runCli(['seed', '--target', 'trino'], dir, env)).code).toBe(0);
    expect((await runCli(['seed', '--target', 'snowflake'], dir, env)).code).toBe(0);
    for (const [sql, onTrino, onSnowflake] of DUCKDB_ONLY) {
      writeFiles(dir, { 'models/m.sql': sql });
      const t = await runCli(['run', '--target', 'trino', '-s', 'm'], dir, env);
      expect(t.code, sql).toBe(1);
      expect(t.stdout + t.stderr, sql).toMatch(onTrino);
      if (onSnowflake.source === '^$') continue; // valid Snowflake SQL (Snowflake has EXCLUDE and RIGHT)
      const s = await runCli(['run', '--target', 'snowflake', '-s', 'm'], dir, env);
      expect(s.code, sql).toBe(1);
      expect(s.stdout + s.stderr, sql).toMatch(onSnowflake);
    }
  }, 240_000);

  it('the same model written with the cross-dialect helpers builds on both', async () => {
    writeFiles(dir, { 'models/m.sql': `select id, {{right "phone" 4}} as tail, {{split_part "name" "' '" 1}} as first_name,
  (select {{listagg "name" "','"}} from {{ref "people"}}) as everyone from {{ref "people"}}` });
    for (const target of ['trino', 'snowflake']) {
      const r = await runCli(['run', '--target', target, '-s', 'm'], dir, env);
      expect(r.code, r.stdout + r.stderr).toBe(0);
    }
    expect((await trino.query(`select tail from lake.main.m order by id`)).map((r) => r.tail)).toEqual(['5678', '4567']);
    // Arrays and JSON through the helpers: one row per element on both engines.
    writeFiles(dir, { 'models/m2.sql': `select p.id, u.part, {{log2 "8"}} as three from {{ref "people"}} as p {{unnest_join (split "p.name" "' '") "u" "part"}}`,
      'models/m3.sql': `select {{json_value "u.x" "a"}} as a, cast({{json_value "u.x" "n"}} as integer) as n
from (select '[{"a": "x", "n": 1}, {"a": "y", "n": 2}]' as j) as t {{json_array_join "t.j" "u" "x"}}` });
    for (const target of ['trino', 'snowflake']) {
      const r = await runCli(['run', '--target', target, '-s', 'm2', 'm3'], dir, env);
      expect(r.code, r.stdout + r.stderr).toBe(0);
    }
    expect((await trino.query(`select id, part, three from lake.main.m2 order by id, part`)).map((r) => [Number(r.id), r.part, Number(r.three)]))
      .toEqual([[1, 'Ann', 3], [1, 'Lee', 3], [2, 'Bo', 3], [2, 'Kim', 3]]);
    expect((await trino.query(`select a, n from lake.main.m3 order by a`)).map((r) => [r.a, Number(r.n)])).toEqual([['x', 1], ['y', 2]]);
    expect(snowflake.queries.some((q) => /flatten\(input => parse_json/i.test(q.sqlText))).toBe(true);
  }, 120_000);

  it('the checks themselves: grammar first, then the documented function names', () => {
    expect(checkEngineSql('trino', "select listagg(a, ',') from t")).toMatchObject({ kind: 'syntax' });
    expect(checkEngineSql('trino', "select listagg(a, ',') within group (order by a) from t")).toBeUndefined();
    expect(checkEngineSql('trino', 'select my_udf(a) from t')).toMatchObject({ kind: 'function', name: 'my_udf' });
    expect(checkEngineSql('trino', 'select my_udf(a) from t', new Set(['my_udf']))).toBeUndefined();
    expect(checkEngineSql('snowflake', 'select bool_or(a) from t')).toMatchObject({ kind: 'function', name: 'bool_or' });
    expect(checkEngineSql('snowflake', 'select boolor_agg(a) from t')).toBeUndefined();
    expect(checkEngineSql('snowflake', 'select a b c from t')).toMatchObject({ kind: 'syntax' });
    // Not calls: CTE column lists, aliases with columns, types with parameters, IN lists.
    expect(checkEngineSql('trino', 'with r(n) as (select 1) select cast(n as decimal(18, 2)) from r as x(n) where n in (1, 2)')).toBeUndefined();
    expect(checkEngineSql('snowflake', 'create table t (a decimal(18, 2), b varchar(10), c timestamp_ntz)')).toBeUndefined();
    expect(checkEngineSql('trino', 'create table t (a decimal(18, 2), b timestamp(6))')).toBeUndefined();
    // A long multi-row VALUES list (seed batches, UDF lookup tables) is parsed on its first 50 rows only.
    const rows = Array.from({ length: 2000 }, (_, i) => `(${i}, 'a''b\\${i}', date '2024-01-01', 1.5)`).join(', ');
    expect(checkEngineSql('trino', `insert into "lake"."main"."x" (a, b, c, d) values ${rows}`)).toBeUndefined();
    expect(checkEngineSql('trino', `insert into "lake"."main"."x" (a, b, c, d) values ${rows.replace('(3,', '(3 3,')}`)).toMatchObject({ kind: 'syntax' });
    expect(checkEngineSql('trino', `insert into "lake"."main"."x" (a, b, c, d) values ${rows.replace('(1999,', '(1999 1999,')}`)).toBeUndefined();
  });
});
