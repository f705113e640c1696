/** A unit test of an incremental model: `overrides.macros.is_incremental` and rows for `this`. */
import { afterAll, expect, it } from 'vitest';
import { cleanupProjects, makeProject, runCli } from '../helpers/project.js';

afterAll(() => cleanupProjects());

it('is_incremental: true renders the incremental branch over the given `this` rows; false the full one', async () => {
  const dir = await makeProject({
    'seeds/raw.csv': 'id,v\n1,a\n',
    'models/inc.sql': '{{config materialized="incremental" unique_key="id"}}\nselect id, v from {{ref "raw"}}\n{{#if (is_incremental)}}where id > (select max(id) from {{this}}){{/if}}',
    'models/inc.yml': `unit_tests:
  - name: only_new_rows
    model: inc
    overrides: {macros: {is_incremental: true}}
    given:
      - input: ref('raw')
        rows: [{id: 1, v: a}, {id: 2, v: b}, {id: 3, v: c}]
      - input: this
        rows: [{id: 2, v: b}]
    expect:
      rows: [{id: 3, v: c}]
  - name: full_refresh
    model: inc
    given:
      - input: ref('raw')
        rows: [{id: 1, v: a}, {id: 2, v: b}]
      - input: this
        rows: []
    expect:
      rows: [{id: 1, v: a}, {id: 2, v: b}]
`,
  });
  const r = await runCli(['build'], dir);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(r.stdout).toMatch(/PASS.*only_new_rows/);
  expect(r.stdout).toMatch(/PASS.*full_refresh/);
});

it('{{this}} in the rendered model without a `this` input is an error naming the model file, never the real table', async () => {
  const dir = await makeProject({
    'seeds/raw.csv': 'id\n1\n',
    'models/inc.sql': '{{config materialized="incremental"}}\nselect id from {{ref "raw"}}\n{{#if (is_incremental)}}where id > (select max(id) from {{this}}){{/if}}',
    'models/inc.yml': `unit_tests:
  - name: no_this
    model: inc
    overrides: {macros: {is_incremental: true}}
    given: [{input: ref('raw'), rows: [{id: 1}]}]
    expect: {rows: [{id: 1}]}
`,
  });
  const r = await runCli(['test'], dir);
  expect(r.code).toBe(1);
  expect(r.stdout + r.stderr).toMatch(/models\/inc\.sql.*unit test 'no_this' gives no input for this \(the model's own relation\): add it under given:/);
});
