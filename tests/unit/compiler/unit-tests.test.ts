/**
 * Unit tests' pieces: the YAML reader (shape errors with file and line), the parse-phase checks (unknown
 * model, input not read by the model, missing input, unknown helper override), the inline relations per
 * dialect, type inference, and the compiled query (CTEs, vars/helper overrides, `this`).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { WeirProject } from '../../../src/api/project.js';
import { duckdbDialect } from '../../../src/adapters/duckdb/dialect.js';
import { snowflakeDialect } from '../../../src/adapters/snowflake/dialect.js';
import { trinoDialect } from '../../../src/adapters/trino/dialect.js';
import { fixtureColumns, fixtureSql, inferColumnType } from '../../../src/compiler/unit-tests.js';
import { WeirError, WeirErrors } from '../../../src/errors/weir-error.js';
import { readUnitTests } from '../../../src/loader/unit-test-yaml.js';
import { parseYamlFile } from '../../../src/loader/yaml-file.js';
import type { TestNode } from '../../../src/manifest/types.js';
import { cleanupProjects, makeProject } from '../../helpers/project.js';

afterAll(() => cleanupProjects());

const read = (text: string) => {
  const errors: WeirError[] = [];
  const out = readUnitTests(parseYamlFile(text, 'models/u.yml'), parseYamlFile(text, 'models/u.yml').value && (parseYamlFile(text, 'models/u.yml').value as { unit_tests: unknown }).unit_tests, errors);
  return { out, errors };
};

describe('unit_tests YAML', () => {
  it('reads dict, csv and sql fixtures with overrides', () => {
    const { out, errors } = read(`unit_tests:
  - name: t1
    model: m
    overrides: {vars: {x: 1}, macros: {is_incremental: true}}
    given:
      - input: ref("a")
        rows: [{id: 1, v: x}, {id: 2, w: true}]
      - input: source('s', 't')
        format: csv
        rows: |
          id,name
          1,
          2,"B, b"
      - input: this
        format: sql
        rows: select 1 as id;
    expect:
      rows: []
`);
    expect(errors).toEqual([]);
    expect(out).toHaveLength(1);
    const [a, s, self] = out[0].given;
    expect(a.ref).toEqual({ kind: 'ref', name: 'a' });
    expect(a.columns).toEqual(['id', 'v', 'w']);
    expect(s.ref).toEqual({ kind: 'source', source: 's', table: 't' });
    expect(s.rows).toEqual([{ id: '1', name: null }, { id: '2', name: 'B, b' }]);
    expect(self).toMatchObject({ ref: { kind: 'this' }, format: 'sql', sql: 'select 1 as id' });
    expect(out[0].overrides).toEqual({ vars: { x: 1 }, macros: { is_incremental: true } });
    expect(out[0].line).toBe(2);
  });

  it('names file, key path and line for every malformed entry', () => {
    const { out, errors } = read(`unit_tests:
  - name: bad input
    model: m
    given:
      - input: model_a
        rows: []
      - input: ref('b')
        rows: {id: 1}
      - input: ref('c')
        rows: [[1, 2]]
    expect:
      rows: []
  - name: t2
    model: m
    colour: red
    given:
      - input: ref('a')
        format: csv
        rows: |
          id,v
          1,2
          3
    expect: {rows: [{id: 1}], format: xml}
  - name: t3
    model: m
`);
    expect(out).toEqual([]);
    const msgs = errors.map((e) => `${e.location?.line}: ${e.message}`);
    expect(msgs).toContain('2: unit_tests[0].name: a unit test needs a `name` made of letters, digits and underscores');
    expect(msgs).toContain(`5: unit_tests[0].given[0].input: input must be ref('model'), source('source', 'table') or this, got "model_a"`);
    expect(msgs.some((m) => m.startsWith('8: unit_tests[0].given[1].rows: rows must be a list of mappings'))).toBe(true);
    expect(msgs.some((m) => m.startsWith('10: unit_tests[0].given[2].rows[0]: each row is a mapping'))).toBe(true);
    expect(msgs.some((m) => m.startsWith("15: unit_tests[1].colour: unknown key 'colour'"))).toBe(true);
    // The CSV error points at the offending line inside the block.
    expect(msgs.some((m) => /^22: unit_tests\[1\]\.given\[0\]\.rows: malformed CSV/.test(m))).toBe(true);
    expect(msgs.some((m) => m.startsWith("23: unit_tests[1].expect.format: format must be dict, csv or sql, got 'xml'"))).toBe(true);
    expect(msgs.some((m) => m.startsWith('24: unit_tests[2].expect: a unit test needs `expect: {rows: [...]}`'))).toBe(true);
    for (const e of errors) expect(e.location?.file).toBe('models/u.yml');
  });
});

describe('unit tests in the parse phase', () => {
  const base = {
    'seeds/raw.csv': 'id,v\n1,2\n',
    'models/a.sql': 'select * from {{ref "raw"}}',
    'models/m.sql': 'select a.id, s.name from {{ref "a"}} as a join {{source "crm" "people"}} as s on s.id = a.id',
    'models/src.yml': 'sources:\n  - name: crm\n    tables:\n      - name: people\n',
  };
  const load = async (yaml: string) => WeirProject.load({ projectDir: await makeProject({ ...base, 'models/u.yml': yaml }), partialParse: false });
  const errorsOf = async (yaml: string): Promise<WeirError[]> => {
    try {
      await load(yaml);
    } catch (e) {
      return e instanceof WeirErrors ? [...e.errors] : [e as WeirError];
    }
    throw new Error('expected the project to be invalid');
  };

  it('rejects an unknown model with a suggestion, at the model: line', async () => {
    const [e] = await errorsOf(`unit_tests:\n  - name: t\n    model: mm\n    given: []\n    expect: {rows: []}\n`);
    expect(e.message).toBe("unit test 't' tests unknown model 'mm'");
    expect(e.hint).toBe("Did you mean 'm'?");
    expect(e.location).toMatchObject({ file: 'models/u.yml', line: 3 });
  });

  it('rejects an input the model does not read, and a ref the model reads without an input', async () => {
    const errs = await errorsOf(`unit_tests:
  - name: t
    model: m
    given:
      - input: ref('raw')
        rows: []
      - input: source('crm', 'peeple')
        rows: []
    expect: {rows: []}
`);
    const byMsg = Object.fromEntries(errs.map((e) => [e.message, e]));
    expect(byMsg["unit test 't': input ref('raw') is not a ref of model 'm'"].location).toMatchObject({ file: 'models/u.yml', line: 5 });
    expect(byMsg["unit test 't': input ref('raw') is not a ref of model 'm'"].hint).toContain("reads: ref('a'), source('crm', 'people')");
    expect(byMsg["unit test 't': input source('crm', 'peeple') is not a source of model 'm'"].hint).toMatch(/^Did you mean source\('crm', 'people'\)\? Model 'm' reads/);
    expect(byMsg["unit test 't' gives no rows for ref('a'), source('crm', 'people') (model 'm' reads them)"].location?.line).toBe(2);
  });

  it('rejects an override of an unknown helper', async () => {
    const errs = await errorsOf(`unit_tests:
  - name: t
    model: a
    overrides: {macros: {not_a_helper: true}}
    given: [{input: ref('raw'), rows: []}]
    expect: {rows: []}
`);
    expect(errs.map((e) => e.message)).toEqual(["unit test 't': overrides.macros names unknown helper 'not_a_helper'"]);
  });

  it('builds a test node depending on its model; compiled SQL inlines every input', async () => {
    const p = await load(`unit_tests:
  - name: t
    model: m
    given:
      - input: ref('a')
        rows: [{id: 1}]
      - input: source('crm', 'people')
        rows: [{id: 1, name: "O'Neil"}]
    expect: {rows: [{id: 1, name: "O'Neil"}]}
`);
    const node = p.manifest.nodes.get('unit_test.t.m.t') as TestNode;
    expect(node.test_type).toBe('unit');
    expect(p.manifest.parents.get(node.unique_id)).toEqual(['model.t.m']);
    const sql = p.renderer().render(node.unique_id).compiled_code!;
    expect(sql).toBe(`with "__weir_unit__ref_a" as (
select cast(1 as bigint) as id
),
"__weir_unit__source_crm_people" as (
select cast(1 as bigint) as id, cast('O''Neil' as varchar) as name
)
select a.id, s.name from "__weir_unit__ref_a" as a join "__weir_unit__source_crm_people" as s on s.id = a.id`);
    expect(p.select('test', { select: ['test_type:unit'] })).toEqual(['unit_test.t.m.t']);
    expect(p.select('test', { select: ['resource_type:unit_test'] })).toEqual(['unit_test.t.m.t']);
    expect(p.select('test', { select: ['test_type:data'] })).toEqual([]);
    expect(p.select('build', { select: ['m'] })).toContain('unit_test.t.m.t');
  });

  it('applies vars and helper overrides and replaces this', async () => {
    const p = await WeirProject.load({
      projectDir: await makeProject({
        ...base,
        'macros/flags.ts': 'export function incremental_run() { return false; }\n',
        'models/inc.sql': `select * from {{ref "a"}}{{#if (incremental_run)}} where id > (select max(id) from {{this}}) and id < {{var "cap"}}{{/if}}`,
        'models/u.yml': `unit_tests:
  - name: t
    model: inc
    overrides: {vars: {cap: 9}, macros: {incremental_run: true}}
    given:
      - {input: ref('a'), rows: [{id: 1}]}
      - {input: this, rows: [{id: 0}]}
    expect: {rows: [{id: 1}]}
`,
      }),
      partialParse: false,
    });
    const sql = p.renderer().render('unit_test.t.inc.t').compiled_code!;
    expect(sql).toContain('select * from "__weir_unit__ref_a" where id > (select max(id) from "__weir_unit__this") and id < 9');
    // The model itself renders without the overrides.
    expect(p.renderer().render('model.t.inc').compiled_code).toBe('select * from "main"."a"');
  });
});

describe('inline relations', () => {
  const rows = [{ id: 1, name: "it's", at: '2024-01-31', ok: true, x: 1.5 }, { id: 2, name: null }];
  const cols = [{ name: 'id' }, { name: 'name' }, { name: 'at' }, { name: 'ok' }, { name: 'x' }, { name: 'Mixed Case', type: 'DATE' }];
  it.each([
    ['duckdb', duckdbDialect, `select cast(1 as bigint) as id, cast('it''s' as varchar) as name, cast('2024-01-31' as date) as at, cast(TRUE as boolean) as ok, cast(1.5 as double) as x, cast(NULL as DATE) as "Mixed Case"
union all
select cast(2 as bigint) as id, cast(NULL as varchar) as name, cast(NULL as date) as at, cast(NULL as boolean) as ok, cast(NULL as double) as x, cast(NULL as DATE) as "Mixed Case"`],
    ['trino', trinoDialect, undefined],
    ['snowflake', snowflakeDialect, undefined],
  ])('%s: select ... union all with casts and typed NULLs', (_name, dialect, exact) => {
    const sql = fixtureSql(rows, cols, dialect);
    if (exact) expect(sql).toBe(exact);
    expect(sql.split('\nunion all\n')).toHaveLength(2);
    expect(sql).toContain(`cast(${dialect.literal("it's")} as ${dialect.fn.types.string})`);
    expect(sql).toContain(`as ${dialect.quoteIdentifier('Mixed Case')}`);
  });

  it('no rows: one typed row filtered out', () => {
    expect(fixtureSql([], [{ name: 'id', type: 'INTEGER' }], duckdbDialect)).toBe('select cast(NULL as INTEGER) as id where 1 = 0');
  });

  it('no columns at all is an error saying how to fix it', () => {
    expect(() => fixtureSql([], [], duckdbDialect)).toThrow(/no columns known/);
  });

  it('infers types from YAML values and from CSV text', () => {
    const d = duckdbDialect;
    expect(inferColumnType([1, 2, null], d)).toBe('bigint');
    expect(inferColumnType([1, 2.5], d)).toBe('double');
    expect(inferColumnType(['1', '2'], d)).toBe('varchar');
    expect(inferColumnType(['1', '2'], d, true)).toBe('bigint');
    expect(inferColumnType(['1.5', '2'], d, true)).toBe('double');
    expect(inferColumnType(['true', 'FALSE'], d, true)).toBe('boolean');
    expect(inferColumnType(['2024-01-01', '2024-02-29'], d)).toBe('date');
    expect(inferColumnType(['2024-01-01 10:00:00', '2024-01-01T11:30'], d)).toBe('timestamp');
    expect(inferColumnType([null], d)).toBe('varchar');
  });

  it('columns: the warehouse first (types kept, names as given), then YAML, then given ones', () => {
    const input = { input: "ref('a')", node: 'model.t.a', kind: 'ref' as const, format: 'dict' as const, rows: [], columns: ['ID', 'extra'] };
    expect(fixtureColumns(input, undefined, [{ name: 'id', type: 'INTEGER' }, { name: 'v', type: undefined }])).toEqual([
      { name: 'ID', type: 'INTEGER' }, { name: 'v', type: undefined }, { name: 'extra', type: undefined },
    ]);
  });
});
