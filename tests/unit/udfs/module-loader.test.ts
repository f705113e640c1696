/**
 * The TypeScript module loader's cross-process bundle cache (src/udfs/module-loader.ts): an unchanged
 * module is imported from its cached bundle without esbuild; a change to the module or to a file it
 * imports re-bundles it, and the new code is what runs.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importProjectModule } from '../../../src/udfs/module-loader.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'weir-modcache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function load(file: string, cacheDir: string): Promise<{ how: string; mod: Record<string, unknown> }> {
  let how = '';
  const mod = await importProjectModule(file, { cacheDir, onLoaded: (h) => (how = h) });
  return { how, mod };
}

describe('bundle cache by content of the inputs', () => {
  const cache = path.join(dir, 'cache');
  const main = path.join(dir, 'main.ts');
  const helper = path.join(dir, 'helper.ts');

  it('bundles once, then reuses the bundle while no input changes', async () => {
    writeFileSync(helper, 'export const k: number = 2;\n');
    writeFileSync(main, "import { k } from './helper';\nexport const f = (x: number): number => x * k;\n");
    const first = await load(main, cache);
    expect(first.how).toBe('bundled');
    expect((first.mod.f as (x: number) => number)(3)).toBe(6);
    const index = readdirSync(cache).filter((f) => f.endsWith('.json'));
    expect(index).toHaveLength(1);
    const inputs = Object.keys((JSON.parse(readFileSync(path.join(cache, index[0]), 'utf8')) as { inputs: Record<string, string> }).inputs).sort();
    expect(inputs).toEqual([helper, main].sort());
    const second = await load(main, cache);
    expect(second.how).toBe('cached');
    expect((second.mod.f as (x: number) => number)(3)).toBe(6);
  });

  it('re-bundles when an imported file changes, and runs the new code', async () => {
    writeFileSync(helper, 'export const k: number = 5;\n');
    const r = await load(main, cache);
    expect(r.how).toBe('bundled');
    expect((r.mod.f as (x: number) => number)(3)).toBe(15);
    expect((await load(main, cache)).how).toBe('cached');
  });

  it('re-bundles when the module itself changes', async () => {
    writeFileSync(main, "import { k } from './helper';\nexport const f = (x: number): number => x + k;\n");
    const r = await load(main, cache);
    expect(r.how).toBe('bundled');
    expect((r.mod.f as (x: number) => number)(3)).toBe(8);
  });

  it('re-bundles when the cached bundle or its index is damaged or gone', async () => {
    const index = readdirSync(cache).find((f) => f.endsWith('.json'))!;
    writeFileSync(path.join(cache, index), '{ not json');
    expect((await load(main, cache)).how).toBe('bundled');
    for (const f of readdirSync(cache).filter((x) => x.endsWith('.mjs'))) rmSync(path.join(cache, f));
    const r = await load(main, cache);
    expect(r.how).toBe('bundled');
    expect((r.mod.f as (x: number) => number)(1)).toBe(6);
  });

  it('a compile error is still reported with its location, and nothing is cached for it', async () => {
    const bad = path.join(dir, 'bad.ts');
    writeFileSync(bad, 'export const x = (;\n');
    await expect(importProjectModule(bad, { cacheDir: cache })).rejects.toThrow(/bad\.ts:1:/);
    expect(readdirSync(cache).filter((f) => f.startsWith('bad-'))).toEqual([]);
  });
});
