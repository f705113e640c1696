/**
 * End to end: the real `weir` binary (bin/weir.js → dist/, built by `npm run build`) on a tiny project,
 * checking exit codes 0 (success), 1 (a node failed) and 2 (invalid project).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject, writeFiles } from '../helpers/project.js';

const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'bin/weir.js');

function weir(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

let dir: string;
beforeAll(async () => {
  if (!existsSync(path.join(root, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
  dir = await makeProject({
    'seeds/s.csv': 'id\n1\n2\n',
    'models/m.sql': '{{config materialized="table"}}select * from {{ref "s"}}',
  });
});
afterAll(cleanupProjects);

describe('bin/weir.js', () => {
  it('exit 0 on success', async () => {
    const r = await weir(['build'], dir);
    expect(r.stdout).toContain('Completed successfully');
    expect(r.code).toBe(0);
    const q = await weir(['query', 'select count(*) as n from main.m', '--format', 'csv'], dir);
    expect(q).toMatchObject({ code: 0, stdout: 'n\n2\n' });
  });

  it('exit 1 when a node fails', async () => {
    writeFiles(dir, { 'models/m.sql': 'select * from missing_table' });
    const r = await weir(['run'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`model 'm' (models/m.sql)`);
  });

  it('exit 2 for an invalid project, with no stack trace', async () => {
    writeFiles(dir, { 'models/m.sql': 'select * from {{ref "t"}}' });
    const r = await weir(['run'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain(`models/m.sql:1:15: model 'm' refers to unknown model 't'`);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
    const usage = await weir(['nonsense'], dir);
    expect(usage.code).toBe(2);
  });
});
