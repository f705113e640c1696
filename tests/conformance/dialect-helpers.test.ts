/**
 * Every cross-dialect helper (src/compiler/helpers/builtins.ts BUILTIN_HELPERS, spellings per engine in
 * src/adapters/<engine>/dialect.ts) renders SQL that Trino's and Snowflake's grammars parse and that calls only
 * functions those engines document (tests/grammar). The exact per-dialect text is asserted in
 * tests/unit/compiler/cross-dialect.test.ts; here each rendering is parsed in a statement.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dialect } from '../../src/adapters/adapter.js';
import { snowflakeDialect } from '../../src/adapters/snowflake/dialect.js';
import { trinoDialect } from '../../src/adapters/trino/dialect.js';
import { TemplateEnvironment } from '../../src/compiler/environment.js';
import { BUILTIN_HELPERS } from '../../src/compiler/helpers/builtins.js';
import type { RenderState } from '../../src/compiler/helpers/render-state.js';
import { checkEngineSql, loadGrammars } from '../grammar/engine-check.js';

const te = new TemplateEnvironment();
function render(src: string, dialect: Dialect): string {
  const state: RenderState = {
    nodeId: 'model.t.m', file: 'models/m.sql', dialect, vars: {}, env: {}, secrets: new Set(),
    resolveRef: (n) => dialect.quoteIdentifier(n), resolveSource: (s, t) => dialect.relation({ schema: s, identifier: t }),
  };
  return te.compile(src, 'models/m.sql')({}, { data: { weir: state } });
}

/** helper → a statement using it (columns of t: s, n, d, ts, j, k, p, seq). */
const STATEMENTS: Record<string, string> = {
  dateadd: 'select {{dateadd "day" 7 "d"}} from t', datediff: 'select {{datediff "second" "ts" "ts"}} from t',
  date_trunc: 'select {{date_trunc "month" "ts"}} from t', safe_cast: 'select {{safe_cast "s" (type_int)}} from t',
  type_string: 'select cast(n as {{type_string}}) from t', type_int: 'select cast(s as {{type_int}}) from t',
  type_float: 'select cast(s as {{type_float}}) from t', type_timestamp: 'select cast(s as {{type_timestamp}}) from t',
  concat: `select {{concat "s" "'-'" "k"}} from t`, split_part: `select {{split_part "s" "' '" 2}} from t`,
  listagg: `select {{listagg "p" "','"}}, {{listagg "p" "' > '" order_by="seq"}} from t`,
  current_timestamp: 'select {{current_timestamp}} from t', hash: 'select {{hash "s"}} from t',
  regexp_like: `select * from t where {{regexp_like "s" (literal "^[a-z]+\\d$")}}`,
  regexp_replace: `select {{regexp_replace "s" "'[^0-9]'" "''"}} from t`, regexp_extract: `select {{regexp_extract "s" "'<([^>]+)>'" 1}} from t`,
  any_value: 'select {{any_value "s"}} from t', bool_or: `select {{bool_or "s = 'x'"}} from t`,
  concat_ws: `select {{concat_ws "' '" "s" "k"}} from t`, greatest: 'select {{greatest "n" "seq"}} from t', least: 'select {{least "n" "seq"}} from t',
  left: 'select {{left "s" 3}} from t', right: 'select {{right "s" 3}} from t', starts_with: `select * from t where {{starts_with "s" "'ab'"}}`,
  log2: 'select {{log2 "n"}} from t', split: `select {{split "k" "'|'"}} from t`,
  unnest_join: `select x.s, u.part from t as x {{unnest_join (split "x.k" "'|'") "u" "part"}}`,
  json_array_join: `select x.s, {{json_value "u.v" "start"}} from t as x {{json_array_join "x.j" "u" "v"}}`,
  json_value: `select cast({{json_value "j" "n"}} as integer) from t`,
};

/** The cross-dialect helpers: BUILTIN_HELPERS from `dateadd` up to `is_incremental` (see its comments). */
const CROSS_DIALECT = BUILTIN_HELPERS.slice(BUILTIN_HELPERS.indexOf('dateadd'), BUILTIN_HELPERS.indexOf('is_incremental'));

describe('cross-dialect helpers parse under the engine grammars', () => {
  beforeAll(loadGrammars);
  it('covers every cross-dialect helper', () => {
    expect(Object.keys(STATEMENTS).sort()).toEqual([...CROSS_DIALECT].sort());
  });
  for (const [helper, tpl] of Object.entries(STATEMENTS)) {
    it(helper, () => {
      for (const [engine, dialect] of [['trino', trinoDialect], ['snowflake', snowflakeDialect]] as const) {
        const sql = render(tpl, dialect);
        expect(checkEngineSql(engine, sql), `${engine}: ${sql}`).toBeUndefined();
      }
    });
  }
});
