/**
 * Files written on a worker thread (utils/background-writer.ts), against the built `dist/` (the worker runs
 * the compiled module): contents as queued, unchanged files left alone, and on a failure the same error as
 * writing on the main thread, for the same file, with no later file written.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackgroundWriter as BackgroundWriterType } from '../../src/utils/background-writer.js';
import { writeFileIfChanged } from '../../src/utils/write-file.js';

const root = path.resolve(__dirname, '../..');
let BackgroundWriter: typeof BackgroundWriterType;
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'weir-bgw-'));
  dirs.push(d);
  return d;
};

beforeAll(async () => {
  if (!existsSync(path.join(root, 'dist/utils/background-writer-worker.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
  ({ BackgroundWriter } = (await import(pathToFileURL(path.join(root, 'dist/utils/background-writer.js')).href)) as { BackgroundWriter: typeof BackgroundWriterType });
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('BackgroundWriter', () => {
  it('writes every queued file (creating folders) before finish returns, leaving unchanged files alone', () => {
    const dir = tmp();
    mkdirSync(path.join(dir, 'a'));
    writeFileSync(path.join(dir, 'a/same.sql'), 'select 1\n');
    writeFileSync(path.join(dir, 'a/longer.sql'), 'select 1234567890\n');
    const before = statSync(path.join(dir, 'a/same.sql')).mtimeMs;
    const w = BackgroundWriter.start()!;
    expect(w).toBeDefined();
    for (let i = 0; i < 1234; i++) w.write(path.join(dir, `m/${i % 7}/f${i}.sql`), `select ${i}\n`);
    w.write(path.join(dir, 'a/same.sql'), 'select 1\n');
    w.write(path.join(dir, 'a/longer.sql'), 'select 2\n');
    const stamps = w.finish();
    // Each file's size and times as written (the compile record's stamps), in queue order.
    expect(stamps).toHaveLength(1236);
    const files = [...Array.from({ length: 1234 }, (_, i) => `m/${i % 7}/f${i}.sql`), 'a/same.sql', 'a/longer.sql'];
    files.forEach((f, i) => {
      const st = statSync(path.join(dir, f));
      expect(stamps[i]).toEqual([st.size, st.mtimeMs, st.ctimeMs]);
    });
    for (let i = 0; i < 1234; i++) expect(readFileSync(path.join(dir, `m/${i % 7}/f${i}.sql`), 'utf8')).toBe(`select ${i}\n`);
    expect(readFileSync(path.join(dir, 'a/longer.sql'), 'utf8')).toBe('select 2\n');
    expect(statSync(path.join(dir, 'a/same.sql')).mtimeMs).toBe(before);
  });

  it('throws the file system\'s error for the first file it cannot write, and writes no file after it', () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'blocker'), 'a file where a folder should be');
    const bad = path.join(dir, 'blocker/x.sql');
    let expected: NodeJS.ErrnoException | undefined;
    try {
      writeFileIfChanged(bad, 'x');
    } catch (e) {
      expected = e as NodeJS.ErrnoException;
    }
    expect(expected?.code).toBe('ENOTDIR');

    const w = BackgroundWriter.start()!;
    for (let i = 0; i < 700; i++) w.write(path.join(dir, `ok/f${i}.sql`), `${i}`);
    w.write(bad, 'x');
    for (let i = 0; i < 300; i++) w.write(path.join(dir, `later/f${i}.sql`), `${i}`);
    let thrown: NodeJS.ErrnoException | undefined;
    try {
      w.finish();
    } catch (e) {
      thrown = e as NodeJS.ErrnoException;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect([thrown?.code, thrown?.message, thrown?.path]).toEqual([expected!.code, expected!.message, expected!.path]);
    expect(readFileSync(path.join(dir, 'ok/f699.sql'), 'utf8')).toBe('699');
    expect(existsSync(path.join(dir, 'later'))).toBe(false);
  });
});
