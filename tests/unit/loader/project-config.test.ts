import { describe, expect, it } from 'vitest';
import { WeirError, WeirErrors } from '../../../src/errors/weir-error.js';
import { folderConfigSites, mergeConfig, resolveFolderConfig, unusedFolderPaths } from '../../../src/loader/folder-config.js';
import { validateProjectConfig } from '../../../src/loader/project-config.js';
import { parseYamlFile } from '../../../src/loader/yaml-file.js';

const validate = (text: string) => {
  const y = parseYamlFile(text, 'project.yaml');
  return validateProjectConfig(y.value, y);
};
const errorsOf = (text: string): WeirError[] => {
  try {
    validate(text);
  } catch (e) {
    return e instanceof WeirErrors ? [...e.errors] : [e as WeirError];
  }
  throw new Error('expected validation to fail');
};

describe('project.yaml validation', () => {
  it('applies defaults', () => {
    const c = validate('name: shop\ntargets:\n  dev: {type: duckdb}\n');
    expect(c['model-paths']).toEqual(['models']);
    expect(c['target-path']).toBe('target');
    expect(c.version).toBe('0.1.0');
    expect(c.vars).toEqual({});
  });

  it('reports every problem with key path and line', () => {
    const errs = errorsOf(`name: 1bad
modles: [models]
targets:
  dev:
    type: duckdb
    threads: many
`);
    const formatted = errs.map((e) => e.format());
    expect(errs.every((e) => e.code === 'WEIR_PROJECT_INVALID')).toBe(true);
    expect(formatted).toEqual(expect.arrayContaining([
      expect.stringMatching(/^project\.yaml:1:\d+ \(name\): name: name must be a valid identifier/),
      expect.stringMatching(/^project\.yaml:\d+(:\d+)?: unknown key 'modles'/),
      expect.stringMatching(/^project\.yaml:6:\d+ \(targets\.dev\.threads\): targets\.dev\.threads: /),
    ]));
    expect(errs).toHaveLength(3);
  });

  it('a default target that is not defined lists the defined ones', () => {
    const [e] = errorsOf('name: x\ntarget: prod\ntargets:\n  dev: {type: duckdb}\n  ci: {type: duckdb}\n');
    expect(e.message).toContain(`default target 'prod' is not defined under targets (defined: dev, ci)`);
    expect(e.location?.line).toBe(2);
  });

  it('rejects a non-mapping file and an empty targets map', () => {
    expect(errorsOf('- a\n- b\n')[0].message).toContain('must be a mapping');
    expect(errorsOf('name: x\ntargets: {}\n')[0].message).toContain('define at least one target');
  });
});

describe('folder config', () => {
  const tree = {
    '+materialized': 'view',
    '+tags': ['all'],
    staging: { '+schema': 'staging', '+tags': 'stg', crm: { '+tags': ['crm'], '+materialized': 'table' } },
    shop: { marts: { '+materialized': 'table' } },
    column_types: { a: 'int' },
  };
  it('deeper folders override; tags accumulate; project-name level is descended', () => {
    expect(resolveFolderConfig(tree, 'shop', ['staging', 'crm'])).toEqual({ materialized: 'table', schema: 'staging', tags: ['all', 'stg', 'crm'], column_types: { a: 'int' } });
    expect(resolveFolderConfig(tree, 'shop', ['marts']).materialized).toBe('table');
    expect(resolveFolderConfig(tree, 'shop', ['other']).materialized).toBe('view');
    expect(resolveFolderConfig(tree, 'shop', []).tags).toEqual(['all']);
  });
  it('mergeConfig: later wins, nested mappings merge, tags deduplicate', () => {
    expect(mergeConfig({ a: 1, tags: ['x'], meta: { p: 1 } }, { a: 2, tags: ['x', 'y'], meta: { q: 2 } }, { b: undefined }))
      .toEqual({ a: 2, tags: ['x', 'y'], meta: { p: 1, q: 2 } });
  });
  it('says where each resolved key was set: the deepest level that sets it, with the key as written', () => {
    const sites = folderConfigSites(tree, 'shop', ['staging', 'crm']);
    for (const [k, at] of Object.entries(sites)) {
      let v: unknown = tree;
      for (const p of at) v = (v as Record<string, unknown>)[p];
      expect(v, `${k} at ${at.join('.')}`).toBeDefined();
    }
    expect(sites.materialized).toEqual(['staging', 'crm', '+materialized']);
    expect(sites.schema).toEqual(['staging', '+schema']);
    expect(sites.column_types).toEqual(['column_types']);
    expect(folderConfigSites(tree, 'shop', ['marts']).materialized).toEqual(['shop', 'marts', '+materialized']);
    expect(Object.keys(sites).sort()).toEqual(Object.keys(resolveFolderConfig(tree, 'shop', ['staging', 'crm'])).sort());
  });
  it('lists config paths that match no folder', () => {
    expect(unusedFolderPaths(tree, 'shop', new Set(['staging', 'staging/crm']))).toEqual(['marts']);
  });
});
