/**
 * SQL injection through model bodies, vars and run-operation args, on DuckDB and on both protocol servers
 * (tests/servers: DuckDB behind the Trino and Snowflake client protocols, not those engines). Each attack
 * tries to drop the seed `people`; after each one the seed must still hold its rows, and the servers must
 * never have received the drop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject, runCli } from '../helpers/project.js';
import { startEngines, TARGETS, type Engines } from '../helpers/engines.js';

let engines: Engines;
let dir: string;

const ATTACK = "x'; drop table people; --";

beforeAll(async () => {
  engines = await startEngines();
  dir = await makeProject({
    'project.yaml': `name: t\ntarget: dev\n${engines.targetsYaml()}`,
    'seeds/people.csv': 'id,name\n1,Ann\n2,Bo\n',
    'macros/name_filter.sql': "where name = '{{val}}'",
    'macros/name_filter_quoted.sql': 'where name = {{val}}',
    'macros/pick.sql': 'select {{who}} as w',
    'models/evil_body.sql': 'select 1 as x; drop table people',
    'models/via_macro.sql': 'select * from {{ref "people"}}\n{{> name_filter val=(var "v" "Ann")}}',
    'models/via_with.sql': 'select 1 as x\n{{#with (var "v" "y")}}, {{this}} as y{{/with}}',
    'models/via_each.sql': 'select 1 as x\n{{#each (var "vs" (array))}}, {{this}} as c{{@index}}{{/each}}',
    'models/via_comment.sql': '{{config materialized="table"}}select 1 as x -- note: {{literal (var "note" "none")}}\n',
    'models/via_helper.sql': 'select {{hash (var "v" "name")}} as h from {{ref "people"}}',
    'models/safe_macro.sql': 'select * from {{ref "people"}}\n{{> name_filter_quoted val=(literal (var "v" "Ann"))}}',
    'models/opted_in.sql': '{{config materialized="table" allow_multiple_statements="the first statement checks the connection"}}select 1 as a; select 2 as a',
    'models/opted_in_badly.sql': '{{config materialized="table" allow_multiple_statements=true}}select 1 as a; select 2 as a',
  });
});
afterAll(async () => {
  cleanupProjects();
  await engines?.close();
});

describe.each(TARGETS)('SQL injection on target %s', (target) => {
  const cli = (args: string[]) => runCli([...args, '--target', target], dir, engines.env);
  const peopleRows = async () => {
    const r = await cli(['show', '--select', 'people', '--format', 'csv']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    return r.stdout.trim().split('\n').length - 1;
  };
  // String literals removed first: a quoted attack string is data, not a statement.
  const neverSentDrop = () => expect(engines.sent().map((s) => s.replace(/'(?:[^']|'')*'/g, "''")).filter((s) => /drop\s+table\s+people/i.test(s))).toEqual([]);

  it('seeds the victim', async () => {
    const r = await cli(['seed']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await peopleRows()).toBe(2);
  });

  it('a model body with a second statement is refused with file:line before anything runs', async () => {
    const r = await cli(['run', '--select', 'evil_body']);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('the compiled SQL holds 2 statements');
    expect(r.stdout + r.stderr).toMatch(/models\/evil_body\.sql:1/);
    expect(await peopleRows()).toBe(2);
    neverSentDrop();
  });

  it('a var printed raw inside a macro is an error naming the macro line and literal', async () => {
    const r = await cli(['run', '--select', 'via_macro', '--vars', JSON.stringify({ v: ATTACK })]);
    expect(r.code).toBe(1);
    const c = await cli(['compile', '--select', 'via_macro', '--vars', JSON.stringify({ v: ATTACK })]);
    expect(c.code).toBe(1);
    expect(c.stdout + c.stderr).toMatch(/macros\/name_filter\.sql:1/);
    expect(r.stdout + r.stderr).toMatch(/macros\/name_filter\.sql:1/);
    expect(r.stdout + r.stderr).toContain('{{literal');
    expect(await peopleRows()).toBe(2);
    neverSentDrop();
  });

  it('{{#with}} and {{#each}} over vars cannot print them raw', async () => {
    const w = await cli(['run', '--select', 'via_with', '--vars', JSON.stringify({ v: ATTACK })]);
    expect(w.code).toBe(1);
    expect(w.stdout + w.stderr).toMatch(/models\/via_with\.sql:2/);
    expect(w.stdout + w.stderr).toContain('var "v"');
    const e = await cli(['run', '--select', 'via_each', '--vars', JSON.stringify({ vs: ['1', ATTACK] })]);
    expect(e.code).toBe(1);
    expect(e.stdout + e.stderr).toMatch(/models\/via_each\.sql:2/);
    expect(await peopleRows()).toBe(2);
    neverSentDrop();
  });

  it('a var handed to a cross-dialect helper as SQL is refused', async () => {
    const r = await cli(['run', '--select', 'via_helper', '--vars', JSON.stringify({ v: `name) from people; drop table people; --` })]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('hash');
    neverSentDrop();
  });

  it('a literal with line breaks inside a -- comment cannot end the comment', async () => {
    const r = await cli(['run', '--select', 'via_comment', '--vars', JSON.stringify({ note: 'a\n, 2 as y\r, 3 as z */' })]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const s = await cli(['show', '--select', 'via_comment', '--format', 'json']);
    expect(s.code, s.stdout + s.stderr).toBe(0);
    const rows = JSON.parse(s.stdout) as Record<string, unknown>[];
    expect(rows.map((x) => Object.keys(x).map((k) => k.toLowerCase()))).toEqual([['x']]);
  });

  it('run-operation args reach SQL only through literal', async () => {
    const r = await cli(['run-operation', 'pick', '--args', JSON.stringify({ who: '1; drop table people' })]);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/macros\/pick\.sql:1/);
    expect(r.stdout + r.stderr).toContain('run-operation argument "who"');
    expect(await peopleRows()).toBe(2);
    neverSentDrop();
  });

  it('values passed through literal work, and a documented opt-in runs several statements', async () => {
    const r = await cli(['run', '--select', 'safe_macro', 'opted_in', '--vars', JSON.stringify({ v: ATTACK })]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const s = await cli(['show', '--select', 'opted_in', '--format', 'csv']);
    expect(s.stdout.trim().split('\n').slice(1)).toEqual(['2']);
    const bad = await cli(['run', '--select', 'opted_in_badly']);
    expect(bad.code).toBe(1);
    expect(bad.stdout + bad.stderr).toContain('allow_multiple_statements must be the reason');
    expect(await peopleRows()).toBe(2);
    neverSentDrop();
  });
});
