/**
 * Unit-test error paths not covered elsewhere: duplicate names (one file and across files), unsupported
 * fixture files and env_vars overrides, an input with no known columns, a query error hinting at inputs
 * typed from their rows only; and expected rows given as SQL.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { WeirProject } from '../../src/api/project.js';
import { WeirErrors, type WeirError } from '../../src/errors/weir-error.js';
import { cleanupProjects, makeProject, runCli } from '../helpers/project.js';

afterAll(() => cleanupProjects());
const show = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;

const BASE = {
  'seeds/raw.csv': 'id,v\n1,2\n',
  'models/a.sql': 'select id, v * 2 as v2 from {{ref "raw"}}',
};

async function errorsOf(files: Record<string, string>): Promise<WeirError[]> {
  try {
    await WeirProject.load({ projectDir: await makeProject({ ...BASE, ...files }), partialParse: false });
  } catch (e) {
    return e instanceof WeirErrors ? [...e.errors] : [e as WeirError];
  }
  throw new Error('expected errors');
}

const UT = (name: string, extra = '') => `  - name: ${name}
    model: a
    given: [{input: ref('raw'), rows: [{id: 1, v: 2}]}]
    expect: {rows: [{id: 1, v2: 4}]}
${extra}`;

describe('unit test errors', () => {
  it('a name defined twice for one model, in one file or in two', async () => {
    let errs = await errorsOf({ 'models/u.yml': `unit_tests:\n${UT('t')}${UT('t')}` });
    expect(errs.map((e) => `${e.location?.file}:${e.location?.line} ${e.message}`)).toEqual([
      "models/u.yml:6 unit_tests[1].name: unit test 't' of model 'a' is defined twice (also unit_tests[0])",
    ]);
    errs = await errorsOf({ 'models/u.yml': `unit_tests:\n${UT('t')}`, 'models/v.yml': `unit_tests:\n${UT('t')}` });
    expect(errs.map((e) => e.message)).toEqual(["unit test 't' of model 'a' is defined twice (also in models/u.yml)"]);
    expect(errs[0].location).toMatchObject({ file: 'models/v.yml', line: 2 });
  });

  it('fixture files and env_vars overrides are refused with what to do instead', async () => {
    const errs = await errorsOf({
      'models/u.yml': `unit_tests:
  - name: t
    model: a
    overrides: {env_vars: {X: '1'}}
    given: [{input: ref('raw'), fixture: raw_fixture}]
    expect: {rows: []}
`,
    });
    expect(errs.map((e) => `${e.location?.line} ${e.message}`).sort()).toEqual([
      '4 unit_tests[0].overrides.env_vars: overrides.env_vars is not supported: set the variable in the environment, or read it through a var and override that',
      '5 unit_tests[0].given[0].fixture: fixture files are not supported: give the rows inline (rows: as a list, or format: csv with the rows as text)',
    ]);
  });

  it('an input with no known columns (not built, not documented, no rows) is a run-time error naming the YAML', async () => {
    const dir = await makeProject({ ...BASE, 'models/u.yml': "unit_tests:\n  - name: t\n    model: a\n    given: [{input: ref('raw'), rows: []}]\n    expect: {rows: []}\n" });
    const r = await runCli(['test'], dir);
    expect(r.code).toBe(1);
    expect(show(r)).toMatch(/models\/u\.yml:4.*unit test 't', input ref\('raw'\): no columns known/);
    // weir compile still renders it (no warehouse is read there).
    const c = await runCli(['compile', '--select', 'test_type:unit'], dir);
    expect(c.code, show(c)).toBe(0);
  });

  it('a query error says which inputs were typed from their rows only', async () => {
    const dir = await makeProject({ ...BASE, 'models/u.yml': "unit_tests:\n  - name: t\n    model: a\n    given: [{input: ref('raw'), rows: [{id: 1}]}]\n    expect: {rows: []}\n" });
    const r = await runCli(['test'], dir);
    expect(r.code).toBe(1);
    expect(show(r)).toMatch(/hint: ref\('raw'\) is typed from the given rows only \(not built, no YAML columns\): give every column the model reads, or build the upstream first/);
    // Once the seed is built, the missing column comes from the warehouse (NULL), and the test runs.
    expect((await runCli(['seed'], dir)).code).toBe(0);
    const ok = await runCli(['test'], dir);
    expect(ok.code, show(ok)).toBe(1);
    expect(show(ok)).toContain('1 unexpected row (+)');
  });

  it('expected rows may be a query (format: sql)', async () => {
    const dir = await makeProject({
      ...BASE,
      'models/u.yml': `unit_tests:
  - name: t
    model: a
    given: [{input: ref('raw'), rows: [{id: 1, v: 2}, {id: 2, v: 5}]}]
    expect:
      format: sql
      rows: select 1 as id, 4 as v2 union all select 2, 10
`,
    });
    const r = await runCli(['test'], dir);
    expect(r.code, show(r)).toBe(0);
  });
});
