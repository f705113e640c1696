/**
 * The import-boundary rules (.dependency-cruiser.cjs, run by `npm run lint:boundaries`) catch what they
 * promise: a fixture tree with one violation of each rule fails with that rule named; the same tree without
 * them passes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function cruise(files: Record<string, string>): Promise<{ code: number; out: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'weir-bounds-'));
  dirs.push(dir);
  copyFileSync(path.join(root, '.dependency-cruiser.cjs'), path.join(dir, '.dependency-cruiser.cjs'));
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  const bin = path.join(root, 'node_modules/.bin/depcruise');
  return run(bin, ['src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { cwd: dir })
    .then((r) => ({ code: 0, out: r.stdout + r.stderr }))
    .catch((e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }));
}

const clean = {
  'src/cli/main.ts': "import { x } from '../api/project.js';\nexport const y = x;\n",
  'src/api/project.ts': "import { e } from '../errors/weir-error.js';\nexport const x = e;\n",
  'src/errors/weir-error.ts': 'export const e = 1;\n',
  'src/udfs/define.ts': 'export const d = 1;\n',
  'src/stdlib/udfs/fuzzy.ts': "import { d } from '../../udfs/define.js';\nexport const f = d;\n",
  'src/adapters/registry.ts': "import { k } from './duckdb/adapter.js';\nexport const r = k;\n",
  'src/adapters/duckdb/adapter.ts': 'export const k = 1;\n',
};

describe('lint:boundaries rules', () => {
  it('pass a tree that keeps them', async () => {
    const r = await cruise(clean);
    expect(r.code, r.out).toBe(0);
  });

  it('name each broken rule: upward import, stdlib reaching past the UDF contract, engine folder outside the registry, cycle', async () => {
    const r = await cruise({
      ...clean,
      'src/errors/weir-error.ts': "import { x } from '../api/project.js';\nexport const e = x;\n",
      'src/stdlib/udfs/fuzzy.ts': "import { e } from '../../errors/weir-error.js';\nexport const f = e;\n",
      'src/udfs/define.ts': "import { k } from '../adapters/duckdb/adapter.js';\nexport const d = k;\n",
    });
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('layer-events-errors-utils: src/errors/weir-error.ts → src/api/project.ts');
    expect(r.out).toContain('stdlib-contract-only: src/stdlib/udfs/fuzzy.ts → src/errors/weir-error.ts');
    expect(r.out).toContain('engines-only-in-registry: src/udfs/define.ts → src/adapters/duckdb/adapter.ts');
    expect(r.out).toContain('no-circular');
  });

  it('forbid a cycle between two folders even when no file cycle exists', async () => {
    const folders = {
      'src/execution/tests/runner.ts': "import { t } from '../materializations/table.js';\nexport const r = t;\n",
      'src/execution/materializations/table.ts': 'export const t = 1;\n',
      'src/execution/materializations/test.ts': "import { r } from '../tests/runner.js';\nexport const s = r;\n",
    };
    const kept: Record<string, string> = { ...folders };
    delete kept['src/execution/materializations/test.ts'];
    kept['src/execution/tests/strategy.ts'] = "import { r } from './runner.js';\nexport const s = r;\n";
    expect((await cruise({ ...clean, ...kept })).code).toBe(0);
    const r = await cruise({ ...clean, ...folders });
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('no-folder-cycles');
    expect(r.out).not.toMatch(/no-circular:/);
  });

  it('keep the loader below the parse phase and the partial-parse machinery behind its index', async () => {
    const parser = {
      'src/parser/partial-parse/index.ts': "import { c } from './parse-cache.js';\nexport const p = c;\n",
      'src/parser/partial-parse/parse-cache.ts': 'export const c = 1;\n',
      'src/parser/load-files.ts': "import { p } from './partial-parse/index.js';\nexport const l = p;\n",
    };
    expect((await cruise({ ...clean, ...parser })).code).toBe(0);
    const r = await cruise({
      ...clean, ...parser,
      'src/loader/load-project.ts': "import { c } from '../parser/partial-parse/parse-cache.js';\nexport const l = c;\n",
      'src/api/project.ts': "import { c } from '../parser/partial-parse/parse-cache.js';\nexport const x = c;\n",
    });
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('layer-loader: src/loader/load-project.ts → src/parser/partial-parse/parse-cache.ts');
    expect(r.out).toContain('partial-parse-one-interface: src/api/project.ts → src/parser/partial-parse/parse-cache.ts');
  });
});
