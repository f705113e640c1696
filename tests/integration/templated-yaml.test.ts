/**
 * Templated schema YAML (loader/yaml-template.ts) and parse-time config expressions
 * (`{{config materialized=(var "m")}}`): {{var}}, {{env}} and {{target.*}} render in schema YAML string
 * values of sources, configs and tests' arguments, as dbt renders Jinja there.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupProjects, DEFAULT_PROJECT_YAML, loadErrors, makeProject, runCli } from '../helpers/project.js';
import { WeirProject } from '../../src/api/project.js';

afterAll(cleanupProjects);

const PROJECT = `${DEFAULT_PROJECT_YAML}vars:\n  raw_schema: landing\n  statuses: [paid, open]\n  m: table\n  min_rows: 5\n`;

describe('templated schema YAML', () => {
  it('sources, configs and test arguments render var, env and target; the source reads the rendered relation', async () => {
    const dir = await makeProject({
      'project.yaml': PROJECT,
      'models/orders.sql': 'select * from {{source "raw" "orders"}}\n',
      'models/schema.yml': [
        'version: 2',
        'sources:',
        '  - name: raw',
        '    schema: \'{{var "raw_schema"}}\'',
        '    tables:',
        '      - name: orders',
        '        identifier: \'orders_{{env "ORDERS_SUFFIX" "v1"}}\'',
        'models:',
        '  - name: orders',
        '    description: \'Left as written: {{var "nope"}}\'',
        '    config:',
        '      materialized: \'{{var "m"}}\'',
        '      alias: \'orders_{{target.name}}\'',
        '    columns:',
        '      - name: status',
        '        tests:',
        '          - accepted_values:',
        '              values: \'{{var "statuses"}}\'',
        '              where: \'n >= {{var "min_rows"}}\'',
        '',
      ].join('\n'),
    });
    const env = { ...process.env, ORDERS_SUFFIX: 'v2' };
    const p = await WeirProject.load({ projectDir: dir, partialParse: false, env });
    const src = p.manifest.nodes.get('source.t.raw.orders') as { schema: string; identifier: string };
    expect(src).toMatchObject({ schema: 'landing', identifier: 'orders_v2' });
    const model = p.manifest.nodes.get('model.t.orders')!;
    expect(model.config).toMatchObject({ materialized: 'table', alias: 'orders_dev' });
    expect(model.description).toBe('Left as written: {{var "nope"}}');
    const test = [...p.manifest.nodes.values()].find((n) => n.resource_type === 'test')!;
    expect((test as { generic?: { kwargs: Record<string, unknown> } }).generic?.kwargs.values).toEqual(['paid', 'open']);
    expect(test.config.where).toBe('n >= 5');
    // The source relation really is read under its rendered name.
    const setup = await runCli(['query', 'create schema landing; create table landing.orders_v2 as select \'paid\' as status, 7 as n'], dir, env);
    expect(setup.code, setup.stderr).toBe(0);
    const build = await runCli(['build'], dir, env);
    expect(build.code, build.stdout + build.stderr).toBe(0);
    const rows = await runCli(['query', 'select status from main.orders_dev', '--format', 'csv'], dir, env);
    expect(rows.stdout).toBe('status\npaid\n');
    // --vars change the rendering (no stale cache: templated files are re-rendered on every load).
    const other = await WeirProject.load({ projectDir: dir, env, vars: { raw_schema: 'elsewhere' } });
    expect((other.manifest.nodes.get('source.t.raw.orders') as { schema: string }).schema).toBe('elsewhere');
  });

  it('a missing var, an unset env var and Jinja syntax are errors at file:line', async () => {
    const errs = await loadErrors({
      'project.yaml': PROJECT,
      'models/schema.yml': [
        'version: 2',
        'sources:',
        '  - name: raw',
        '    schema: \'{{var "missing"}}\'',
        '    database: \'{{env "WEIR_TEST_UNSET_VAR_16"}}\'',
        '    tables:',
        '      - name: t',
        '        identifier: "{{ var(\'x\') }}"',
        '',
      ].join('\n'),
    });
    const by = (s: string) => errs.find((e) => e.message.includes(s)) as unknown as { hint?: string; location?: { file?: string; line?: number } };
    expect(by("var 'missing' is not defined").location).toMatchObject({ file: 'models/schema.yml', line: 4 });
    expect(by('WEIR_TEST_UNSET_VAR_16 is not set').location).toMatchObject({ line: 5 });
    expect(by("can't be rendered in schema YAML").hint).toContain('not Jinja');
    expect(by("can't be rendered in schema YAML").location).toMatchObject({ line: 8 });
  });
});

describe('parse-time config expressions', () => {
  it('{{config materialized=(var "m")}} and target.name work; --vars changes them', async () => {
    const dir = await makeProject({
      'project.yaml': PROJECT,
      'models/a.sql': '{{config materialized=(var "m") alias=(var "alias" "a_default") tags=(array "x" target.name)}}\nselect 1 as id\n',
    });
    const p = await WeirProject.load({ projectDir: dir });
    expect(p.manifest.nodes.get('model.t.a')!.config).toMatchObject({ materialized: 'table', alias: 'a_default', tags: ['x', 'dev'] });
    // Cached facts keep the expression, so a different --vars resolves differently.
    const q = await WeirProject.load({ projectDir: dir, vars: { m: 'view' } });
    expect(q.manifest.nodes.get('model.t.a')!.config.materialized).toBe('view');
    const r = await runCli(['run', '--vars', '{"m": "table"}'], dir);
    expect(r.code).toBe(0);
    const t = await runCli(['query', "select table_type from information_schema.tables where table_name = 'a_default'", '--format', 'csv'], dir);
    expect(t.stdout).toBe('table_type\nBASE TABLE\n');
  });

  it('an undefined var, or a value only known at run time, is an error at the line', async () => {
    const errs = await loadErrors({
      'models/a.sql': '\n{{config materialized=(var "undefined_m")}}\nselect 1 as id\n',
      'models/b.sql': '{{config alias=(ref "a")}}\nselect 1 as id\n',
    });
    expect(errs.find((e) => e.message.includes("var 'undefined_m' is not defined"))?.location).toMatchObject({ file: 'models/a.sql', line: 2 });
    expect(errs.find((e) => e.message.includes("config value 'alias' must be known when the project is parsed"))?.location).toMatchObject({ file: 'models/b.sql', line: 1 });
  });
});
