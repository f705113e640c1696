/**
 * `weir compile` and `weir ls` need no database: the built CLI must not load any engine's client library
 * (@duckdb/node-api's native bindings, snowflake-sdk, trino-client) nor onnxruntime-node. Checked in a real
 * `bin/weir.js` process, whose CommonJS module cache is written out when it exits (all four are CommonJS).
 * ES modules are recorded by a module-loading hook (`--import`), to check that `weir --help` loads none of
 * the library and `weir ls` none of execution, docs, lineage, esbuild or sql-formatter.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject } from '../helpers/project.js';

const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'bin/weir.js');
const HEAVY = ['@duckdb/node-bindings', 'snowflake-sdk', 'trino-client', 'onnxruntime-node'];

let dir: string;
beforeAll(async () => {
  if (!existsSync(path.join(root, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
  dir = await makeProject({
    'seeds/s.csv': 'id\n1\n',
    'models/m.sql': '{{config materialized="table"}}select * from {{ref "s"}}',
    'models/schema.yml': 'models:\n  - name: m\n    columns:\n      - name: id\n        tests: [not_null]\n',
  });
  // Preloaded into the CLI process: records the CommonJS modules loaded by the time it exits.
  writeFileSync(path.join(dir, 'record-modules.cjs'), `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(path.join(dir, 'modules.json'))}, JSON.stringify(Object.keys(require.cache))));\n`);
  // ES module URLs, appended one per line by a load hook (hooks run on their own thread in Node 20)
  writeFileSync(path.join(dir, 'esm-hook.mjs'), `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) { appendFileSync(${JSON.stringify(path.join(dir, 'esm.txt'))}, url + '\\n'); return next(url, context); }\n`);
  writeFileSync(path.join(dir, 'esm-register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(path.join(dir, 'esm-hook.mjs')).href)});\n`);
});
afterAll(cleanupProjects);

function weir(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--require', path.join(dir, 'record-modules.cjs'), bin, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } }, (err, _stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? -1) : 0, stderr });
    });
  });
}

describe('modules loaded by commands that need no database', () => {
  for (const args of [['compile'], ['ls']]) {
    it(`weir ${args.join(' ')} loads no database client`, async () => {
      const r = await weir(args);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const loaded = JSON.parse(readFileSync(path.join(dir, 'modules.json'), 'utf8')) as string[];
      expect(loaded.some((m) => m.includes(`${path.sep}handlebars${path.sep}`))).toBe(true); // the recording works
      for (const pkg of HEAVY) expect(loaded.filter((m) => m.includes(`node_modules${path.sep}${pkg.split('/').join(path.sep)}${path.sep}`)), pkg).toEqual([]);
    });
  }
});

/** Runs the CLI with the ES-module recorder; returns the exit code and the loaded URLs. */
async function esmLoaded(args: string[]): Promise<{ code: number; stderr: string; urls: string[] }> {
  rmSync(path.join(dir, 'esm.txt'), { force: true });
  const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
    execFile(process.execPath, ['--import', pathToFileURL(path.join(dir, 'esm-register.mjs')).href, bin, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } }, (err, _stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? -1) : 0, stderr });
    });
  });
  return { ...r, urls: readFileSync(path.join(dir, 'esm.txt'), 'utf8').split('\n').filter(Boolean) };
}

const distUrl = pathToFileURL(path.join(root, 'dist')).href;

describe('ES modules loaded at start-up', () => {
  it('weir --help loads the argument parser and nothing of the library', async () => {
    const r = await esmLoaded(['--help']);
    expect(r.code).toBe(0);
    const dist = r.urls.filter((u) => u.startsWith(distUrl)).map((u) => u.slice(distUrl.length + 1)).sort();
    expect(dist).toContain('vendor/yargs.js'); // the recording works
    // utils/redact.js (no dependencies): every error the CLI prints is redacted, also before a project loads.
    // flag-env (WEIR_*/DBT_* flag defaults) and level-filter (--log-level) are part of reading the command line;
    // dbt-envelope (no dependencies) is part of the JSON reporter.
    expect(dist).toEqual(['cli/airflow-command.js', 'cli/codegen-command.js', 'cli/docs-command.js', 'cli/flag-env.js', 'cli/main.js', 'errors/weir-error.js', 'events/dbt-envelope.js', 'events/events.js', 'events/json-reporter.js', 'events/level-filter.js', 'utils/package-info.js', 'utils/redact.js', 'vendor/yargs.js']);
    // yargs comes bundled in one file (scripts/bundle-vendor.mjs), not as the package's ~45 modules
    expect(r.urls.filter((u) => u.includes('/node_modules/yargs/') || u.includes('/node_modules/cliui/')), 'yargs package files').toEqual([]);
    for (const pkg of ['yaml', 'zod', 'handlebars', 'graphology', 'sql-formatter', 'esbuild', 'kysely']) {
      expect(r.urls.filter((u) => u.includes(`/node_modules/${pkg}/`)), pkg).toEqual([]);
    }
  });

  it('weir --version answers before the argument parser is loaded', async () => {
    const r = await esmLoaded(['--version']);
    expect(r.code).toBe(0);
    expect(r.urls.some((u) => u.startsWith(`${distUrl}/cli/main.js`))).toBe(true); // the recording works
    expect(r.urls.filter((u) => u.includes('/node_modules/'))).toEqual([]);
  });

  it('weir ls loads no execution, docs, lineage, engine, esbuild or sql-formatter module', async () => {
    const r = await esmLoaded(['ls']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.urls.some((u) => u.startsWith(`${distUrl}/loader/`))).toBe(true); // the recording works
    const dist = r.urls.filter((u) => u.startsWith(distUrl)).map((u) => u.slice(distUrl.length + 1));
    expect(dist.filter((f) => /^(execution|docs|lineage|orchestration|codegen)\/|^adapters\/(duckdb|snowflake|trino)\/.*-(adapter|udfs)\.js$/.test(f))).toEqual([]);
    // zod and yargs come bundled (dist/vendor/), csv-parse and cli-progress load only when used
    expect(dist).toEqual(expect.arrayContaining(['vendor/yargs.js', 'vendor/zod.js']));
    for (const pkg of ['sql-formatter', 'esbuild', '@duckdb/node-api', 'csv-stringify', 'cli-table3', '@dagrejs/dagre', 'zod', 'yargs', 'csv-parse', 'cli-progress']) {
      expect(r.urls.filter((u) => u.includes(`/node_modules/${pkg}/`)), pkg).toEqual([]);
    }
  });
});

describe('the library entry', () => {
  it('importing weir-sql (dist/public/index.js) loads no CLI module and not the argument parser', async () => {
    rmSync(path.join(dir, 'esm.txt'), { force: true });
    const entry = pathToFileURL(path.join(root, 'dist/public/index.js')).href;
    const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', pathToFileURL(path.join(dir, 'esm-register.mjs')).href, '--input-type=module', '-e', `const m = await import(${JSON.stringify(entry)}); if (typeof m.runCli !== 'function' || typeof m.WeirProject !== 'function') process.exit(3);`], { cwd: dir }, (err, _stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: unknown }).code ?? -1) : 0, stderr });
      });
    });
    expect(r.code, r.stderr).toBe(0);
    const urls = readFileSync(path.join(dir, 'esm.txt'), 'utf8').split('\n').filter(Boolean);
    expect(urls.some((u) => u.startsWith(`${distUrl}/api/project.js`))).toBe(true); // the recording works
    expect(urls.filter((u) => u.startsWith(`${distUrl}/cli/`))).toEqual([]);
    expect(urls.filter((u) => u.includes('/node_modules/yargs/') || u.startsWith(`${distUrl}/vendor/yargs.js`))).toEqual([]);
  });
});
