/**
 * removeStaleTempFiles: a killed run's `<file>.<pid>.tmp` is removed; files of running processes (this one,
 * a live child) and unrelated files stay. writeFileIfChanged: new, unchanged, longer and shorter text, the
 * private mode, and a path that is a folder.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeStaleTempFiles, stillUnchanged, unchangedStamp, writeFileIfChanged } from '../../../src/utils/write-file.js';

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

describe('writeFileIfChanged', () => {
  const mode = (f: string) => statSync(f).mode & 0o777;

  it('creates the file and its folders with mode 0600', () => {
    const f = path.join(dir, 'new', 'deep', 'a.sql');
    expect(writeFileIfChanged(f, 'select 1\n')).toBe(true);
    expect(readFileSync(f, 'utf8')).toBe('select 1\n');
    expect(mode(f)).toBe(0o600);
  });

  it('leaves an unchanged file alone (same modification time), and gives it the private mode', () => {
    const f = path.join(dir, 'same.sql');
    writeFileSync(f, 'select é\n');
    chmodSync(f, 0o644);
    const past = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000);
    utimesSync(f, past, past);
    expect(writeFileIfChanged(f, 'select é\n')).toBe(false);
    expect(Math.round(statSync(f).mtimeMs)).toBe(past.getTime());
    expect(mode(f)).toBe(0o600);
  });

  it('takes the bytes as a Buffer the same way as text (UTF-8)', () => {
    const f = path.join(dir, 'bytes.sql');
    expect(writeFileIfChanged(f, Buffer.from('select é\n', 'utf8'))).toBe(true);
    expect(readFileSync(f, 'utf8')).toBe('select é\n');
    expect(writeFileIfChanged(f, 'select é\n')).toBe(false);
    expect(writeFileIfChanged(f, Buffer.from('select é\n', 'utf8'))).toBe(false);
    expect(writeFileIfChanged(f, Buffer.from('select 2\n', 'utf8'))).toBe(true);
    expect(readFileSync(f, 'utf8')).toBe('select 2\n');
  });

  it('rewrites changed text in place: longer, same length, shorter (truncated)', () => {
    const f = path.join(dir, 'changed.sql');
    writeFileSync(f, 'select 1');
    chmodSync(f, 0o644);
    expect(writeFileIfChanged(f, 'select 12345')).toBe(true);
    expect(readFileSync(f, 'utf8')).toBe('select 12345');
    expect(mode(f)).toBe(0o600);
    expect(writeFileIfChanged(f, 'select 54321')).toBe(true);
    expect(readFileSync(f, 'utf8')).toBe('select 54321');
    expect(writeFileIfChanged(f, 'x')).toBe(true);
    expect(readFileSync(f, 'utf8')).toBe('x');
    expect(writeFileIfChanged(f, '')).toBe(true);
    expect(readFileSync(f, 'utf8')).toBe('');
    expect(writeFileIfChanged(f, '')).toBe(false);
  });

  it('reports the stats of the file once it holds the text (written, unchanged, new)', () => {
    const seen: number[] = [];
    const f = path.join(dir, 'stats', 'a.sql');
    writeFileIfChanged(f, 'abc', undefined, (st) => seen.push(st.size));
    writeFileIfChanged(f, 'abc', undefined, (st) => seen.push(st.size));
    writeFileIfChanged(f, 'abcdef', undefined, (st) => seen.push(st.size));
    writeFileIfChanged(f, 'ab', undefined, (st) => seen.push(st.size));
    expect(seen).toEqual([3, 3, 6, 2]);
  });

  it('a folder in the file\'s place is the file system\'s error', () => {
    const f = path.join(dir, 'a-folder.sql');
    mkdirSync(f);
    expect(() => writeFileIfChanged(f, 'select 1')).toThrow(/EISDIR/);
  });
});

describe('unchangedStamp and stillUnchanged (the compiled file checked ahead, then with one stat)', () => {
  it('stamps a file holding exactly the bytes with the private mode, and nothing else', () => {
    const f = path.join(dir, 'stamp.sql');
    const data = Buffer.from('select é\n', 'utf8');
    expect(unchangedStamp(f, data)).toBeUndefined(); // missing
    writeFileIfChanged(f, data);
    expect(unchangedStamp(f, data)).toBeDefined();
    expect(unchangedStamp(f, Buffer.from('select e\n'))).toBeUndefined(); // other bytes
    expect(unchangedStamp(f, Buffer.from('select é;\n'))).toBeUndefined(); // other length
    chmodSync(f, 0o644);
    expect(unchangedStamp(f, data)).toBeUndefined(); // other permissions: writeFileIfChanged fixes them
    expect(unchangedStamp(dir, data)).toBeUndefined(); // a folder
  });

  it('tells the file is untouched until it is rewritten, replaced, removed or chmod-ed', () => {
    const f = path.join(dir, 'still.sql');
    const data = Buffer.from('select 1\n');
    writeFileIfChanged(f, data);
    const stamp = unchangedStamp(f, data)!;
    expect(stillUnchanged(f, stamp)).toBe(true);
    expect(writeFileIfChanged(f, data)).toBe(false); // what a skipped write would have done
    expect(stillUnchanged(f, stamp)).toBe(true);
    chmodSync(f, 0o644);
    expect(stillUnchanged(f, stamp)).toBe(false);
    chmodSync(f, 0o600);
    writeFileSync(f, 'select 12\n');
    expect(stillUnchanged(f, stamp)).toBe(false);
    writeFileIfChanged(f, data);
    const again = unchangedStamp(f, data)!;
    writeFileSync(`${f}.new`, data, { mode: 0o600 });
    renameSync(`${f}.new`, f); // same bytes, another file
    expect(stillUnchanged(f, again)).toBe(false);
    rmSync(f);
    expect(stillUnchanged(f, again)).toBe(false);
  });
});
