/**
 * removeStaleTempFiles: a killed run's `<file>.<pid>.tmp` is removed; files of running processes (this one,
 * a live child) and unrelated files stay.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeStaleTempFiles } from '../../../src/utils/write-file.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'weir-tmpfiles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('removeStaleTempFiles', () => {
  it('removes temp files of dead processes only', async () => {
    const file = path.join(dir, 'run_results.json');
    // A process id that no longer runs: a child that has exited.
    const dead = await new Promise<number>((resolve) => {
      const c = spawn(process.execPath, ['-e', '0']);
      c.on('exit', () => resolve(c.pid!));
    });
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    try {
      for (const n of [`run_results.json.${dead}.tmp`, `run_results.json.${process.pid}.tmp`, `run_results.json.${live.pid}.tmp`, 'manifest.json.1.tmp.bak', 'run_results.json.x.tmp']) {
        writeFileSync(path.join(dir, n), '{');
      }
      removeStaleTempFiles(file);
      expect(readdirSync(dir).sort()).toEqual([`run_results.json.${live.pid}.tmp`, `run_results.json.${process.pid}.tmp`, 'manifest.json.1.tmp.bak', 'run_results.json.x.tmp'].sort());
    } finally {
      live.kill('SIGKILL');
    }
    removeStaleTempFiles(path.join(dir, 'missing-dir', 'x.json')); // no folder: nothing to do, no error
    expect(existsSync(path.join(dir, 'missing-dir'))).toBe(false);
  });
});
