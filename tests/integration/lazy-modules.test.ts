/**
 * `weir compile` and `weir ls` need no database: the built CLI must not load any engine's client library
 * (@duckdb/node-api's native bindings, snowflake-sdk, trino-client) nor onnxruntime-node. Checked in a real
 * `bin/weir.js` process, whose CommonJS module cache is written out when it exits (all four are CommonJS).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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
