/**
 * The run journal (target/run_journal.jsonl): the head and one line per finished node are read back by
 * `weir retry`; a new run replaces a journal left behind; the end of a run removes it.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { endRunJournal, journalNode, readRunJournal, RUN_JOURNAL_FILE, startRunJournal } from '../../../src/artifacts/run-journal.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'weir-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('run journal', () => {
  it('records the head and each finished node, replaces an old journal, and is removed at the end', () => {
    const file = path.join(dir, RUN_JOURNAL_FILE);
    startRunJournal(dir, { invocation_id: 'old', args: { which: 'run' }, nodes: ['model.p.x'] });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, '{"invocation_id":"old","pid":1,"args":{},"nodes":["model.p.x"]}\n{"unique_id":"model.p.x","status":"success"}\n');
    startRunJournal(dir, { invocation_id: 'inv-1', args: { which: 'run' }, nodes: ['model.p.a', 'model.p.b'] });
    journalNode(dir, 'model.p.a', 'success');
    journalNode(dir, 'model.p.b', 'error');
    const j = readRunJournal(dir)!;
    expect(j.invocation_id).toBe('inv-1');
    expect(j.pid).toBe(process.pid);
    expect(j.nodes).toEqual(['model.p.a', 'model.p.b']);
    expect([...j.finished]).toEqual([['model.p.a', 'success'], ['model.p.b', 'error']]);
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(3);
    endRunJournal(dir);
    expect(readRunJournal(dir)).toBeUndefined();
    // after the end, a late line is appended by name (best effort) and a second end removes it again
    journalNode(dir, 'model.p.c', 'success');
    endRunJournal(dir);
    expect(readRunJournal(dir)).toBeUndefined();
  });

  it('a journal in a folder that cannot be written to is skipped without an error', () => {
    expect(() => journalNode(path.join(dir, 'missing', 'folder'), 'model.p.a', 'success')).not.toThrow();
  });
});
