/**
 * The packed package as a user gets it: `npm pack`, then `npm install --omit=dev <tarball>` into an empty
 * folder with no .npmrc and no npm_* settings inherited from this test run, from the npm registry alone.
 * Checks the sizes the README promises, `weir --version`, `weir init shop && weir build`, a model on the
 * standard library and a user UDF importing the package by name, the Jinja hint, and the error for an
 * engine client that is not installed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, appendFileSync, lstatSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { writeTinyMarianModel } from '../../src/stdlib/lib/translate/tiny-model.js';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
let tmp: string;
let tarball: string;
let app: string;
let env: NodeJS.ProcessEnv;

/** Bytes under `dir`, counting each file once (symlinks not followed). */
function du(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isSymbolicLink()) continue;
    if (e.isDirectory()) total += du(p);
    else total += lstatSync(p).size;
  }
  return total;
}

const weir = (args: string[], cwd: string) =>
  run(process.execPath, [path.join(app, 'node_modules/weir-sql/bin/weir.js'), ...args], { cwd, env, maxBuffer: 20 * 1024 * 1024 })
    .then((r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }))
    .catch((e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }));

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'weir-pack-'));
  // A clean environment: no npm_* settings of the `npm test` that runs us, HOME in the temp folder (no user .npmrc).
  env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  env.HOME = tmp;
  env.NO_COLOR = '1';
  env.npm_config_cache = path.join(os.homedir(), '.npm'); // reuse the machine's download cache (same registry)
  // dist/ is built by `npm test` before the tests; --ignore-scripts packs it as it is (no rebuild under running tests).
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: root, env, maxBuffer: 50 * 1024 * 1024 });
  tarball = path.join(tmp, (JSON.parse(packed.stdout) as { filename: string }[])[0].filename);
  app = path.join(tmp, 'app');
  await run('mkdir', ['-p', app]);
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'my-analytics', private: true, type: 'module' }));
  await run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', tarball], { cwd: app, env, maxBuffer: 50 * 1024 * 1024 });
}, 600_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm install --omit=dev of the packed tarball in an empty folder', () => {
  it('is small: tarball ≤ 4 MB without tests or demo seeds; node_modules ≤ 150 MB, no engine client, onnxruntime or exceljs', () => {
    expect(statSync(tarball).size).toBeLessThanOrEqual(4 * 1024 * 1024);
    const pkgDir = path.join(app, 'node_modules/weir-sql');
    expect(readdirSync(pkgDir).sort()).toEqual(['README.md', 'bin', 'dist', 'package.json']);
    const size = du(path.join(app, 'node_modules'));
    expect(size).toBeLessThanOrEqual(150 * 1024 * 1024); // the goal (its hard limit is 180 MB)
    for (const p of ['snowflake-sdk', 'trino-client', 'onnxruntime-node', 'exceljs', 'tsx', 'vitest']) {
      expect(() => statSync(path.join(app, 'node_modules', p)), p).toThrow();
    }
    console.log(`tarball ${(statSync(tarball).size / 1024).toFixed(0)} kB, node_modules ${(size / 1024 / 1024).toFixed(1)} MB`);
  });

  it('weir --version prints the version', async () => {
    const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
    const r = await weir(['--version'], app);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^weir-sql ${version.replace(/\./g, '\\.')} \\(node v`));
  });

  it('weir init shop && weir build is green; the standard library and a user UDF give the right values', async () => {
    expect((await weir(['init', 'shop'], app)).code).toBe(0);
    const shop = path.join(app, 'shop');
    writeFileSync(path.join(shop, 'udfs/shout.ts'), `import { defineScalarUdf } from 'weir-sql/udf';
export const shout = defineScalarUdf({ name: 'shout', args: [{ name: 's', type: 'VARCHAR' }], returns: 'VARCHAR',
  deterministic: true, description: 'Upper case with a bang.', fn: (s: string) => s.toUpperCase() + '!' });
`);
    writeFileSync(path.join(shop, 'models/marts/checks.sql'), `{{config materialized="table"}}
select jw_similarity('MARTHA', 'MARHTA') as jw, fuzz_ratio('New York', 'new york', true) as ratio,
  redact_pii('mail ana@example.com') as redacted, shout('hi') as shouted`);
    const build = await weir(['build'], shop);
    expect(build.code, build.stdout + build.stderr).toBe(0);
    expect(build.stdout).toContain('ERROR=0');
    const q = await weir(['query', 'select * from main.checks', '--format', 'json'], shop);
    expect(q.code, q.stderr).toBe(0);
    const [row] = JSON.parse(q.stdout) as Record<string, unknown>[];
    expect(Number(row.jw)).toBeCloseTo(0.961111, 6);
    expect(Number(row.ratio)).toBe(100);
    expect(row.redacted).toBe('mail <EMAIL_ADDRESS>');
    expect(row.shouted).toBe('HI!');
  });

  it('a Jinja-style model gets the Weir spelling (exit 2); a Snowflake target without snowflake-sdk names the package (exit 2)', async () => {
    const shop = path.join(app, 'shop');
    writeFileSync(path.join(shop, 'models/jinja.sql'), "select * from {{ ref('stg_customers') }}\n");
    const j = await weir(['compile'], shop);
    expect(j.code, j.stdout + j.stderr).toBe(2);
    expect(j.stdout + j.stderr).toContain('models/jinja.sql:1:15');
    expect(j.stdout + j.stderr).toContain('Write {{ref "stg_customers"}}');
    rmSync(path.join(shop, 'models/jinja.sql'));
    appendFileSync(path.join(shop, 'project.yaml'), `  sf:
    type: snowflake
    account: acme
    user: weir
    password: secret-pass
    database: analytics
    schema: dev
`);
    const s = await weir(['debug', '--target', 'sf'], shop);
    expect(s.code, s.stdout + s.stderr).toBe(2);
    expect(s.stdout + s.stderr).toContain("target 'sf' (type snowflake) needs the package snowflake-sdk, which is not installed");
    expect(s.stdout + s.stderr).toContain("npm install snowflake-sdk@'^3.3.0'");
    appendFileSync(path.join(shop, 'project.yaml'), `  lake:
    type: trino
    server: http://127.0.0.1:1
    user: weir
    catalog: lake
    schema: dev
`);
    const t = await weir(['run', '--target', 'lake'], shop);
    expect(t.code, t.stdout + t.stderr).toBe(2);
    expect(t.stdout + t.stderr).toContain("target 'lake' (type trino) needs the package trino-client, which is not installed");
  });

  it('an .xlsx seed without exceljs installed names the package and the command', async () => {
    const shop = path.join(app, 'shop');
    writeFileSync(path.join(shop, 'seeds/book.xlsx'), 'not read: the package is missing first');
    const r = await weir(['seed', '--select', 'book'], shop);
    rmSync(path.join(shop, 'seeds/book.xlsx'));
    expect(r.code, r.stdout + r.stderr).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('the Excel seed seeds/book.xlsx needs the package exceljs, which is not installed');
    expect(r.stdout + r.stderr).toContain("npm install exceljs@'^4.4.0'");
  });

  it('translate with a model configured but onnxruntime-node not installed fails the model naming the package (exit 1)', async () => {
    const shop = path.join(app, 'shop');
    const modelDir = writeTinyMarianModel(path.join(tmp, 'tiny-marian'));
    writeFileSync(path.join(shop, 'models/translated.sql'), `select translate('안녕하세요', 'ko', 'en') as en`);
    const r = await weir(['run', '--select', 'translated', '--vars', JSON.stringify({ translation_model_dir: modelDir })], shop);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout + r.stderr).toContain('the translate UDF needs the package onnxruntime-node, which is not installed');
    expect(r.stdout + r.stderr).toContain("npm install onnxruntime-node@'^1.24.3'");
  });
});
