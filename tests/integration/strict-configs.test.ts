/**
 * Strict configs (loader/config-keys.ts): every config key — {{config}}, schema YAML config:, project.yaml
 * folder config, seeds, snapshots, tests, sources — is checked against its resource type and
 * materialization; unknown keys are errors at file:line with the closest known key, dbt keys Weir does not
 * implement are refused saying so, and meta: stays free-form.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupProjects, DEFAULT_PROJECT_YAML, loadErrors, makeProject, runCli } from '../helpers/project.js';
import { WeirProject } from '../../src/api/project.js';

afterAll(cleanupProjects);

const one = (errs: { message: string }[], part: string) => {
  const hit = errs.filter((e) => e.message.includes(part));
  expect(hit, errs.map((e) => e.message).join('\n')).toHaveLength(1);
  return hit[0] as unknown as { message: string; hint?: string; location?: { file?: string; line?: number } };
};

describe('strict configs', () => {
  it('a misspelt {{config}} key is an error at its line with the closest key', async () => {
    const errs = await loadErrors({ 'models/m.sql': '-- m\n{{config materialzed="table"}}\nselect 1 as x\n' });
    const e = one(errs, "unknown config 'materialzed'");
    expect(e.location).toMatchObject({ file: 'models/m.sql', line: 2 });
    expect(e.hint).toContain('Did you mean `materialized`?');
  });

  it('the CLI exits 2 and prints file:line, key and suggestion', async () => {
    const dir = await makeProject({ 'models/m.sql': '{{config materialzed="table"}}\nselect 1 as x\n' });
    const r = await runCli(['compile'], dir);
    expect(r.code).toBe(2);
    const out = r.stdout + r.stderr;
    expect(out).toContain('models/m.sql:1');
    expect(out).toContain("unknown config 'materialzed'");
    expect(out).toContain('Did you mean `materialized`?');
  });

  it('schema YAML config: and unknown model properties are errors at their lines', async () => {
    const errs = await loadErrors({
      'models/m.sql': 'select 1 as x\n',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n    foo: bar\n    config:\n      materialized: table\n      materialzed: table\n      meta: {anything: [1, 2], goes: here}\n',
    });
    expect(errs).toHaveLength(2);
    const cfg = one(errs, "unknown config 'materialzed'");
    expect(cfg.location).toMatchObject({ file: 'models/schema.yml', line: 7 });
    expect(cfg.hint).toContain('`materialized`');
    const prop = one(errs, "unknown property 'foo'");
    expect(prop.location).toMatchObject({ file: 'models/schema.yml', line: 4 });
  });

  it('dbt configs and properties Weir does not implement are refused with that sentence', async () => {
    const sqlErrs = await loadErrors({ 'models/m.sql': '{{config persist_docs=true}}\nselect 1 as x\n' });
    expect(one(sqlErrs, "config 'persist_docs' is a dbt config Weir does not implement").location).toMatchObject({ file: 'models/m.sql', line: 1 });
    const errs = await loadErrors({
      'models/m.sql': 'select 1 as x\n',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n    constraints: []\n    columns:\n      - name: x\n        quote: true\n',
    });
    expect(one(errs, "'constraints' is a dbt property Weir does not implement").location).toMatchObject({ line: 4 });
    expect(one(errs, "'quote' is a dbt property Weir does not implement").location).toMatchObject({ line: 7 });
  });

  it('a key of another materialization is refused (unique_key on a view), from {{config}} or YAML', async () => {
    const errs = await loadErrors({
      'models/a.sql': '{{config unique_key="id"}}\nselect 1 as id\n',
      'models/b.sql': 'select 1 as id\n',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: b\n    config:\n      materialized: table\n      strategy: check\n',
    });
    expect(one(errs, "config 'unique_key' applies to incremental and snapshot models, not to a view").location).toMatchObject({ file: 'models/a.sql', line: 1 });
    expect(one(errs, "config 'strategy' applies to snapshot models, not to a table").location).toMatchObject({ file: 'models/schema.yml', line: 6 });
  });

  it('project.yaml folder config keys are checked per resource type, + or not', async () => {
    const errs = await loadErrors({
      'project.yaml': `${DEFAULT_PROJECT_YAML}models:\n  t:\n    +materialised: table\n    staging:\n      schemaa: stg\nseeds:\n  +column_typs: {a: int}\nsnapshots:\n  +stratgy: check\ndata_tests:\n  +severty: warn\n`,
      'models/staging/m.sql': 'select 1 as x\n',
    });
    expect(one(errs, "unknown config 'materialised'").location).toMatchObject({ file: 'project.yaml', line: 10 });
    expect(one(errs, "unknown config 'materialised'").hint).toContain('`materialized`');
    expect(one(errs, "unknown config 'schemaa'").location).toMatchObject({ line: 12 });
    expect(one(errs, "unknown config 'column_typs'").hint).toContain('`column_types`');
    expect(one(errs, "unknown config 'stratgy'").hint).toContain('`strategy`');
    expect(one(errs, "unknown config 'severty'").hint).toContain('`severity`');
  });

  it('seeds, snapshots, sources and tests: their own keys only', async () => {
    const errs = await loadErrors({
      'seeds/s.csv': 'a\n1\n',
      'seeds/s.yml': 'version: 2\nseeds:\n  - name: s\n    config:\n      unique_key: a\n',
      'models/m.sql': 'select 1 as x\n',
      'models/schema.yml': [
        'version: 2',
        'models:',
        '  - name: m',
        '    columns:',
        '      - name: x',
        '        tests:',
        '          - not_null:',
        '              serverity: warn',
        '          - accepted_values:',
        '              values: [1]',
        '              config: {limt: 3}',
        'sources:',
        '  - name: raw',
        '    tables:',
        '      - name: t',
        '        config: {materialized: table}',
        '        identifer: t2',
        '',
      ].join('\n'),
    });
    expect(one(errs, "seed 's': unknown config 'unique_key'").location).toMatchObject({ file: 'seeds/s.yml', line: 5 });
    expect(one(errs, "'serverity' of test 'not_null'").hint).toContain('`severity`');
    expect(one(errs, "'serverity' of test 'not_null'").location).toMatchObject({ line: 8 });
    expect(one(errs, "unknown config 'limt'").hint).toContain('`limit`');
    expect(one(errs, "source table 'raw.t': unknown config 'materialized'").location).toMatchObject({ line: 16 });
    expect(one(errs, "unknown property 'identifer'").hint).toContain('`identifier`');
    // Template configs are checked in the parse phase (after the YAML files load cleanly).
    const tplErrs = await loadErrors({
      'snapshots/h.sql': '{{config unique_key="a" strategy="check" check_cols="all" materialized="table" incremental_strategy="merge"}}\nselect 1 as a\n',
      'tests/one.sql': '{{config severity="warn"\n  materialized="table"}}\nselect 1 as x where false\n',
      'tests/generic/positive.sql': '{{config severity="warn" sevrity="warn"}}\nselect * from {{model}} where {{column_name}} < 0\n',
    });
    expect(one(tplErrs, "snapshot 'h': unknown config 'incremental_strategy'").location).toMatchObject({ file: 'snapshots/h.sql', line: 1 });
    expect(one(tplErrs, "test 'one': unknown config 'materialized'").location).toMatchObject({ file: 'tests/one.sql', line: 2 });
    expect(one(tplErrs, "generic test 'positive': unknown config 'sevrity'").hint).toContain('`severity`');
  });

  it('known keys and free-form meta: load cleanly (hooks in both spellings, incremental keys, source event_time)', async () => {
    const dir = await makeProject({
      'project.yaml': `${DEFAULT_PROJECT_YAML}models:\n  +meta: {owner: data}\n  +pre-hook: "select 1"\n  +post_hook: "select 2"\n`,
      'models/m.sql': '{{config materialized="incremental" unique_key="id" on_schema_change="fail" meta=(array "x")}}\nselect 1 as id\n',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n    meta: {free: {form: true}}\n    config: {tags: [a], contract: {enforced: false}, meta: {whatever_key: 1}}\nsources:\n  - name: raw\n    config: {event_time: ts}\n    tables:\n      - name: t\n        config: {enabled: true}\n',
    });
    const p = await WeirProject.load({ projectDir: dir, partialParse: false });
    expect(p.manifest.nodes.get('model.t.m')?.config.unique_key).toBe('id');
    expect(p.manifest.nodes.get('source.t.raw.t')?.config.event_time).toBe('ts');
  });

  it('schema YAML top-level keys Weir does not read are refused, typos get the closest key', async () => {
    const errs = await loadErrors({
      'models/m.sql': 'select 1 as x\n',
      'models/schema.yml': 'version: 2\nmodel:\n  - name: m\nsnapshots:\n  - name: h\nmacros:\n  - name: x\n',
    });
    expect(one(errs, "unknown top-level key 'model'").hint).toContain('Did you mean `models`?');
    // The line of the key's value (the list below the key), as for every schema YAML key path.
    expect(one(errs, "'snapshots:' is a dbt key Weir does not implement").location).toMatchObject({ file: 'models/schema.yml', line: 5 });
    expect(one(errs, "'macros:' is a dbt key Weir does not implement").location).toMatchObject({ line: 7 });
  });
});
