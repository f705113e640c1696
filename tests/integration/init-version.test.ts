/** `weir --version` and `weir init` through the built binary (bin/weir.js → dist/). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requireDist, weirExec } from '../helpers/spawn-weir.js';

const root = path.resolve(__dirname, '../..');
let tmp: string;
beforeAll(() => {
  requireDist();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'weir-init-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('weir --version', () => {
  it('prints the package version, Node and DuckDB', async () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };
    const duck = JSON.parse(readFileSync(path.join(root, 'node_modules/@duckdb/node-api/package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const r = await weirExec([flag], tmp);
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(`${pkg.name} ${pkg.version} (node ${process.version}, duckdb ${duck.version.replace(/-r\.\d+$/, '')} via @duckdb/node-api ${duck.version})`);
    }
  });
});

describe('weir init', () => {
  it('writes a project that builds green as it is, with the standard library on', async () => {
    const r = await weirExec(['init', 'my-shop'], tmp);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Created project 'my_shop' in my-shop");
    const dir = path.join(tmp, 'my-shop');
    for (const f of ['project.yaml', 'seeds/customers.csv', 'models/staging/stg_customers.sql', 'models/marts/customer_lookalikes.sql', 'models/schema.yml', 'udfs/initials.ts', '.gitignore', 'README.md']) {
      expect(existsSync(path.join(dir, f)), f).toBe(true);
    }
    expect(readFileSync(path.join(dir, 'project.yaml'), 'utf8')).toMatch(/^stdlib: true$/m);
    const build = await weirExec(['build'], dir);
    expect(build.code, build.stdout + build.stderr).toBe(0);
    expect(build.stdout).toMatch(/PASS=10 WARN=0 ERROR=0 SKIP=0 TOTAL=10/);
    const q = await weirExec(['query', 'select customer_id, initials, phone_e164 from main.stg_customers order by 1', '--format', 'json'], dir);
    expect(q.code, q.stderr).toBe(0);
    const rows = JSON.parse(q.stdout) as Record<string, unknown>[];
    expect(rows.map((x) => x.initials)).toEqual(['AS', 'JK', 'RS', 'BS', 'MC']);
    expect(rows[1].phone_e164).toBe('+821012345678');
  });

  it('refuses a non-empty folder (exit 2) unless --force, which keeps existing files', async () => {
    const dir = path.join(tmp, 'busy');
    await weirExec(['init', 'busy'], tmp);
    writeFileSync(path.join(dir, 'project.yaml'), 'name: mine\n');
    const refused = await weirExec(['init', 'busy'], tmp);
    expect(refused.code).toBe(2);
    expect(refused.stderr + refused.stdout).toContain('busy is not empty');
    expect(refused.stderr + refused.stdout).toContain('--force');
    rmSync(path.join(dir, 'README.md'));
    const forced = await weirExec(['init', 'busy', '--force'], tmp);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('kept existing');
    expect(readFileSync(path.join(dir, 'project.yaml'), 'utf8')).toBe('name: mine\n');
    expect(existsSync(path.join(dir, 'README.md'))).toBe(true);
  });

  it('a folder name without letters is refused with exit 2', async () => {
    const r = await weirExec(['init', '123'], tmp);
    expect(r.code).toBe(2);
    expect(r.stderr + r.stdout).toContain("cannot make a project name from '123'");
  });
});
