/**
 * Partial parsing (target/partial_parse.json): after every kind of edit, a load that uses the cache must
 * produce exactly the manifest.json and compiled SQL a load without it produces, and a broken cache must
 * be ignored (and rebuilt) without an error.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WeirProject } from '../../../../src/api/project.js';
import { PARSE_CACHE_FILE } from '../../../../src/parser/partial-parse/index.js';
import { cleanupProjects, makeProject, runCli, writeFiles } from '../../../helpers/project.js';

afterAll(cleanupProjects);

const PROJECT_YAML = `name: shop
target: dev
vars:
  flag: false
  min_amount: 5
models:
  shop:
    staging:
      +schema: staging
targets:
  dev: {type: duckdb, path: target/x.duckdb}
`;

const FILES: Record<string, string> = {
  'project.yaml': PROJECT_YAML,
  'seeds/raw_orders.csv': 'id,amount,status\n1,10,open\n',
  'seeds/raw_customers.csv': 'id,name\n1,a\n',
  'models/staging/stg_orders.sql': '{{!-- Orders. --}}\nselect id, {{> cents amount="amount"}} as amount from {{ref "raw_orders"}} where amount > {{var "min_amount"}}',
  'models/staging/stg_customers.sql': 'select * from {{ref "raw_customers"}}',
  'models/staging/stg_copy.sql': 'select * from {{ref "raw_customers"}}',
  'models/orders.sql': `{{config materialized="table" tags=(array "a")}}
select o.*{{#if (var "flag")}}, c.name{{/if}}
from {{ref "stg_orders"}} o
{{#if (var "flag")}}join {{ref "stg_customers"}} c using (id){{/if}}
   {{> filter}}`,
  'models/uses_src.sql': 'select * from {{source "crm" "accounts"}} where x = {{literal (var "min_amount")}}',
  'models/fallback.sql': 'select {{#each (array 1 2)}}{{this}}{{#unless @last}}, {{/unless}}{{/each}} as n, \'{{target.schema}}\' as s',
  'models/schema.yml': `version: 2
models:
  - name: orders
    description: All orders.
    columns:
      - name: id
        tests: [not_null, unique]
      - name: status
        tests:
          - accepted_values: {values: [open, closed]}
sources:
  - name: crm
    schema: raw
    tables:
      - name: accounts
        columns:
          - name: id
            tests: [not_null]
`,
  'macros/cents.sql': '({{amount}} / 100.0)',
  'macros/filter.sql': '{{> inner}}',
  'macros/inner.sql': 'where 1 = 1',
  'tests/assert_orders.sql': 'select * from {{ref "orders"}} where id is null',
};

interface Outcome {
  manifest: string;
  compiled: Record<string, string>;
  stats?: { hits: number; misses: number; discarded?: string };
}

const normalize = (json: string) => json.replace(/"generated_at": "[^"]*"/, '"generated_at": "X"').replace(/"invocation_id": "[^"]*"/, '"invocation_id": "X"');

async function compileOnce(dir: string, partialParse: boolean, vars?: Record<string, unknown>): Promise<Outcome> {
  const project = await WeirProject.load({ projectDir: dir, partialParse, vars });
  const { compiled, errors } = project.compile({ format: false });
  expect(errors).toEqual([]);
  return {
    manifest: normalize(readFileSync(path.join(project.targetDir, 'manifest.json'), 'utf8')),
    compiled: Object.fromEntries([...compiled].map(([k, c]) => [k, c.compiled_code ?? ''])),
    stats: project.files.parseCache ? { ...project.files.parseCache.stats } : undefined,
  };
}

/** Compiles with the cache, then without; asserts both give the same artifacts; returns the cached run. */
async function expectSameAsNoCache(dir: string, vars?: Record<string, unknown>): Promise<Outcome> {
  const cached = await compileOnce(dir, true, vars);
  const cold = await compileOnce(dir, false, vars);
  expect(cached.manifest).toEqual(cold.manifest);
  expect(cached.compiled).toEqual(cold.compiled);
  return cached;
}

const cacheFile = (dir: string) => path.join(dir, 'target', PARSE_CACHE_FILE);
type CacheEntries = Record<string, { t?: { plan?: unknown; facts?: unknown }; y?: unknown }>;
/** The cache file's two lines: key and schema YAML entries, then template entries (parse-cache.ts). */
function readCache(dir: string): { head: { key: unknown; files: CacheEntries }; templates: CacheEntries } {
  const [head, templates] = readFileSync(cacheFile(dir), 'utf8').split('\n');
  return { head: JSON.parse(head) as { key: unknown; files: CacheEntries }, templates: JSON.parse(templates) as CacheEntries };
}
const writeCache = (dir: string, c: ReturnType<typeof readCache>) => writeFileSync(cacheFile(dir), `${JSON.stringify(c.head)}\n${JSON.stringify(c.templates)}`);
const cachedPaths = (dir: string) => {
  const c = readCache(dir);
  return [...Object.keys(c.head.files), ...Object.keys(c.templates)].sort();
};

describe('partial parsing', () => {
  it('a warm load hits every file and gives the same manifest as a parse without the cache', async () => {
    const dir = await makeProject(FILES);
    const first = await compileOnce(dir, true);
    expect(first.stats).toMatchObject({ hits: 0, discarded: 'missing' });
    expect(existsSync(cacheFile(dir))).toBe(true);
    // 6 models + 1 singular test + 3 macros + 1 schema YAML
    expect(cachedPaths(dir)).toHaveLength(11);
    const warm = await expectSameAsNoCache(dir);
    expect(warm.stats).toEqual({ hits: 11, misses: 0 });
    expect(warm.manifest).toEqual(first.manifest);
    expect(warm.compiled).toEqual(first.compiled);
  });

  it('editing a model re-parses only that model', async () => {
    const dir = await makeProject(FILES);
    await compileOnce(dir, true);
    writeFiles(dir, { 'models/staging/stg_copy.sql': 'select * from {{ref "raw_orders"}} -- changed' });
    const r = await expectSameAsNoCache(dir);
    expect(r.stats).toEqual({ hits: 10, misses: 1 });
    expect(r.manifest).toContain('"seed.shop.raw_orders"');
    expect(r.compiled['model.shop.stg_copy']).toContain('-- changed');
  });

  it('editing a macro used transitively changes the dependents exactly as a full parse does', async () => {
    const dir = await makeProject(FILES);
    await compileOnce(dir, true);
    writeFiles(dir, { 'macros/inner.sql': 'where id in (select id from {{ref "stg_customers"}})' });
    const r = await expectSameAsNoCache(dir);
    expect(r.stats).toEqual({ hits: 10, misses: 1 });
    const m = JSON.parse(r.manifest) as { parent_map: Record<string, string[]> };
    expect(m.parent_map['model.shop.orders']).toContain('model.shop.stg_customers');
    expect(r.compiled['model.shop.orders']).toContain('"stg_customers"');
  });

  it('editing schema YAML (description, tests, sources) is picked up', async () => {
    const dir = await makeProject(FILES);
    await compileOnce(dir, true);
    writeFiles(dir, { 'models/schema.yml': FILES['models/schema.yml'].replace('All orders.', 'Every order.').replace('[open, closed]', '[open, closed, void]') });
    const r = await expectSameAsNoCache(dir);
    expect(r.stats).toEqual({ hits: 10, misses: 1 });
    expect(r.manifest).toContain('Every order.');
    expect(r.manifest).toContain('"void"');
  });

  it('project.yaml vars, --vars and folder config changes need no invalidation and match a full parse', async () => {
    const dir = await makeProject(FILES);
    await compileOnce(dir, true);
    writeFiles(dir, { 'project.yaml': PROJECT_YAML.replace('flag: false', 'flag: true').replace('+schema: staging', '+schema: stg2') });
    const r = await expectSameAsNoCache(dir);
    expect(r.stats).toEqual({ hits: 11, misses: 0 });
    expect(r.compiled['model.shop.orders']).toContain('c.name');
    expect(r.manifest).toContain('"schema": "stg2"');
    const v = await expectSameAsNoCache(dir, { min_amount: 42 });
    expect(v.compiled['model.shop.stg_orders']).toContain('amount > 42');
  });

  it('a deleted file disappears from the manifest and from the cache', async () => {
    const dir = await makeProject(FILES);
    await compileOnce(dir, true);
    rmSync(path.join(dir, 'models/staging/stg_copy.sql'));
    const r = await expectSameAsNoCache(dir);
    expect(r.manifest).not.toContain('stg_copy');
    expect(cachedPaths(dir)).not.toContain('models/staging/stg_copy.sql');
  });

  it('a template with an error is never cached: the error comes back on the next load, and the fix is picked up', async () => {
    const dir = await makeProject(FILES);
    await compileOnce(dir, true);
    writeFiles(dir, { 'models/staging/stg_copy.sql': 'select * from {{ref "raw_customers"' });
    await expect(WeirProject.load({ projectDir: dir })).rejects.toThrow(/stg_copy\.sql.*template syntax error|template syntax error/s);
    await expect(WeirProject.load({ projectDir: dir })).rejects.toThrow(/template syntax error/);
    writeFiles(dir, { 'models/staging/stg_copy.sql': 'select * from {{ref (literal "x")}}' });
    await expect(WeirProject.load({ projectDir: dir })).rejects.toThrow(/ref takes one string literal/);
    await expect(WeirProject.load({ projectDir: dir })).rejects.toThrow(/ref takes one string literal/);
    writeFiles(dir, { 'models/staging/stg_copy.sql': FILES['models/staging/stg_copy.sql'] });
    const r = await expectSameAsNoCache(dir);
    expect(r.stats?.hits).toBeGreaterThanOrEqual(10);
  });

  it.each([
    ['corrupt', 'not json {'],
    ['corrupt', '[1, 2, 3]'],
    ['incompatible', JSON.stringify({ key: { format: -1 }, files: {} })],
  ])('a %s cache file (%s) is ignored and rebuilt without an error', async (why, text) => {
    const dir = await makeProject(FILES);
    const reference = await compileOnce(dir, false);
    writeFileSync(cacheFile(dir), text);
    const r = await compileOnce(dir, true);
    expect(r.stats).toMatchObject({ hits: 0, discarded: why });
    expect(r.manifest).toEqual(reference.manifest);
    expect(r.compiled).toEqual(reference.compiled);
    expect(cachedPaths(dir)).toHaveLength(11);
    expect((await compileOnce(dir, true)).stats).toEqual({ hits: 11, misses: 0 });
  });

  it('a corrupt line of template entries is ignored (those templates parsed again) and rewritten; schema YAML still hits', async () => {
    const dir = await makeProject(FILES);
    const reference = await compileOnce(dir, true);
    const [head] = readFileSync(cacheFile(dir), 'utf8').split('\n');
    const yamlCount = Object.keys((JSON.parse(head) as { files: object }).files).length;
    expect(yamlCount).toBeGreaterThan(0);
    writeFileSync(cacheFile(dir), `${head}\n{"models/orders.sql": [`);
    const r = await compileOnce(dir, true);
    expect(r.stats).toEqual({ hits: yamlCount, misses: 11 - yamlCount });
    expect(r.manifest).toEqual(reference.manifest);
    expect(r.compiled).toEqual(reference.compiled);
    expect(cachedPaths(dir)).toHaveLength(11);
    expect((await compileOnce(dir, true)).stats).toEqual({ hits: 11, misses: 0 });
  });

  it('malformed entries (valid JSON, wrong shapes) are misses or fall back to parsing, never errors', async () => {
    const dir = await makeProject(FILES);
    const reference = await compileOnce(dir, true);
    const data = readCache(dir);
    data.templates['models/orders.sql'].t!.plan = [[9, 'x'], 'garbage'];
    data.templates['models/staging/stg_orders.sql'].t!.plan = [[0, 5, 999999]];
    data.templates['models/uses_src.sql'].t!.facts = { refs: 'nope' };
    data.head.files['models/schema.yml'].y = 42;
    writeCache(dir, data);
    const r = await compileOnce(dir, true);
    expect(r.stats).toEqual({ hits: 9, misses: 2 });
    expect(r.manifest).toEqual(reference.manifest);
    expect(r.compiled).toEqual(reference.compiled);
  });

  it('partialParse: false neither reads nor writes the cache; the CLI has --no-partial-parse', async () => {
    const dir = await makeProject(FILES);
    const p = await WeirProject.load({ projectDir: dir, partialParse: false });
    expect(p.files.parseCache).toBeUndefined();
    p.compile({ format: false });
    expect(existsSync(cacheFile(dir))).toBe(false);
    const off = await runCli(['compile', '--no-partial-parse'], dir);
    expect(off.code).toBe(0);
    expect(existsSync(cacheFile(dir))).toBe(false);
    const on = await runCli(['compile'], dir);
    expect(on.code).toBe(0);
    expect(existsSync(cacheFile(dir))).toBe(true);
  });
});
