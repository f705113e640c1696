import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WeirProject } from '../../../src/api/project.js';
import { parseAtom } from '../../../src/graph/selector.js';
import { WeirError } from '../../../src/errors/weir-error.js';
import { cleanupProjects, makeProject } from '../../helpers/project.js';

let project: WeirProject;

// raw (seed) → a → b → c ; a → d ; x (independent, table, tag nightly). Tests on b.id and d.id.
beforeAll(async () => {
  const dir = await makeProject({
    'project.yaml': `name: t
models:
  marts:
    +materialized: table
    +tags: [marts]
targets:
  dev: {type: duckdb, path: target/x.duckdb}
`,
    'seeds/raw.csv': 'id\n1\n',
    'models/staging/a.sql': '{{config tags=(array "daily")}}select * from {{ref "raw"}}',
    'models/staging/b.sql': 'select * from {{ref "a"}}',
    'models/marts/c.sql': 'select * from {{ref "b"}}',
    'models/marts/d.sql': '{{config tags=(array "daily")}}select * from {{ref "a"}}',
    'models/x.sql': '{{config materialized="table" tags=(array "nightly")}}select 1 as id',
    'models/schema.yml': `version: 2
models:
  - name: b
    columns:
      - name: id
        tests: [not_null]
  - name: d
    columns:
      - name: id
        tests: [unique]
`,
    'tests/singular_c.sql': 'select * from {{ref "c"}} where id is null',
  });
  project = await WeirProject.load({ projectDir: dir });
});
afterAll(cleanupProjects);

const names = (uids: string[]) => uids.map((u) => project.manifest.nodes.get(u)!.name).sort();
const ls = (select: string[], exclude: string[] = []) => names(project.select('ls', { select, exclude, resourceTypes: ['seed', 'model'] }));

describe('selectors', () => {
  it('by name, with wildcards', () => {
    expect(ls(['b'])).toEqual(['b']);
    expect(ls(['*'])).toEqual(['a', 'b', 'c', 'd', 'raw', 'x']);
    expect(ls(['fqn:t.staging.*'])).toEqual(['a', 'b']);
    expect(ls(['t'])).toEqual(['a', 'b', 'c', 'd', 'raw', 'x']); // the project name is an fqn prefix
  });

  it('+name (ancestors), name+ (descendants), with depth limits', () => {
    expect(ls(['+c'])).toEqual(['a', 'b', 'c', 'raw']);
    expect(ls(['a+'])).toEqual(['a', 'b', 'c', 'd']);
    expect(ls(['2+c'])).toEqual(['a', 'b', 'c']);
    expect(ls(['1+c'])).toEqual(['b', 'c']);
    expect(ls(['a+1'])).toEqual(['a', 'b', 'd']);
    expect(ls(['raw+2'])).toEqual(['a', 'b', 'd', 'raw']);
  });

  it('@name: descendants and all their ancestors', () => {
    expect(ls(['@b'])).toEqual(['a', 'b', 'c', 'raw']);
  });

  it('tag:, path:, resource_type:, config.materialized:, fqn folder', () => {
    expect(ls(['tag:daily'])).toEqual(['a', 'd']);
    expect(ls(['tag:marts'])).toEqual(['c', 'd']);
    expect(ls(['path:models/staging'])).toEqual(['a', 'b']);
    expect(ls(['models/marts/c.sql'])).toEqual(['c']);
    expect(ls(['resource_type:seed'])).toEqual(['raw']);
    expect(ls(['config.materialized:table'])).toEqual(['c', 'd', 'x']);
    expect(ls(['staging'])).toEqual(['a', 'b']);
  });

  it('space-separated terms are a union; commas intersect', () => {
    expect(ls(['b x'])).toEqual(['b', 'x']);
    expect(ls(['b', 'x'])).toEqual(['b', 'x']);
    expect(ls(['tag:daily,tag:marts'])).toEqual(['d']);
    expect(ls(['a+,config.materialized:table'])).toEqual(['c', 'd']);
    expect(ls(['tag:daily,tag:marts x'])).toEqual(['d', 'x']);
  });

  it('--exclude removes nodes', () => {
    expect(ls(['a+'], ['c'])).toEqual(['a', 'b', 'd']);
    expect(ls([], ['tag:marts resource_type:seed'])).toEqual(['a', 'b', 'x']);
  });

  it('test/build select tests of selected nodes indirectly', () => {
    expect(names(project.select('test', { select: ['b'] }))).toEqual(['not_null_b_id']);
    expect(names(project.select('build', { select: ['c'] }))).toEqual(['c', 'singular_c']);
    expect(names(project.select('build', { select: ['d'] }))).toEqual(['d', 'unique_d_id']);
    // excluded tests stay out
    expect(names(project.select('build', { select: ['b'], exclude: ['resource_type:test'] }))).toEqual(['b']);
    // run never includes tests
    expect(names(project.select('run', { select: ['b'] }))).toEqual(['b']);
    expect(names(project.select('ls', { select: ['test_type:singular'] }))).toEqual(['singular_c']);
  });

  it('invalid selectors are WEIR_SELECTOR_INVALID', () => {
    for (const bad of ['bogus:x', 'tag:', '@2+a', '++a']) {
      let err: unknown;
      try {
        project.select('ls', { select: [bad] });
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(WeirError);
      expect((err as WeirError).code, bad).toBe('WEIR_SELECTOR_INVALID');
      expect((err as WeirError).message, bad).toContain(bad);
    }
  });

  it('parses atoms', () => {
    expect(parseAtom('2+tag:x+3')).toMatchObject({ method: 'tag', value: 'x', parents: 2, children: 3, childrenParents: false });
    expect(parseAtom('@m')).toMatchObject({ method: 'fqn', value: 'm', childrenParents: true });
    expect(parseAtom('+m+')).toMatchObject({ parents: Infinity, children: Infinity });
  });
});
