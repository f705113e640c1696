/**
 * The run journal, `target/run_journal.jsonl`: written while a `seed`/`run`/`test`/`build`/`snapshot` runs
 * and removed once its run_results.json is written. A run that is killed (SIGKILL, OOM, power loss) never
 * writes run_results.json, so the journal it leaves behind tells `weir retry` what that run was (its
 * command and args, its nodes) and which nodes finished; without it retry would read the run before and
 * find nothing to do while the warehouse is half-updated.
 *
 * Line 1: `{"invocation_id", "pid", "args", "nodes": [unique_id...]}`; then one `{"unique_id", "status"}` per
 * finished node. Appends are single `write`s of one line; a torn last line is ignored on reading.
 */
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

/** File name of the journal inside the target directory. */
export const RUN_JOURNAL_FILE = 'run_journal.jsonl';

/** What a journal records. */
export interface RunJournal {
  readonly invocation_id: string;
  readonly pid: number;
  /** The run's args, as run_results.json records them (`which` is the command). */
  readonly args: Readonly<Record<string, unknown>>;
  /** The nodes the run was to execute, in plan order. */
  readonly nodes: readonly string[];
  /** Finished nodes and their status. */
  readonly finished: ReadonlyMap<string, string>;
}

/**
 * Journals this process has open: journal file → a descriptor opened for appending by {@link startRunJournal}
 * and closed by {@link endRunJournal}, so each finished node costs one `write` (not an open, a write and a
 * close: a run of 500 views spent ~15 ms of its main thread on those).
 */
const openJournals = new Map<string, number>();

function closeJournal(file: string): void {
  const fd = openJournals.get(file);
  if (fd === undefined) return;
  openJournals.delete(file);
  try {
    closeSync(fd);
  } catch {
    /* already closed: nothing to release */
  }
}

/** Starts a journal (replacing one left by an earlier run). Mode 0600. */
export function startRunJournal(targetDir: string, head: { invocation_id: string; args: Readonly<Record<string, unknown>>; nodes: readonly string[] }): void {
  const file = path.join(targetDir, RUN_JOURNAL_FILE);
  closeJournal(file);
  writeFileSync(file, `${JSON.stringify({ ...head, pid: process.pid })}\n`, { mode: 0o600 });
  try {
    openJournals.set(file, openSync(file, 'a'));
  } catch {
    /* journalNode appends by name instead */
  }
}

/** Records a finished node. Best effort: a journal that can't be written only weakens a later retry. */
export function journalNode(targetDir: string, uniqueId: string, status: string): void {
  const file = path.join(targetDir, RUN_JOURNAL_FILE);
  const line = `${JSON.stringify({ unique_id: uniqueId, status })}\n`;
  try {
    const fd = openJournals.get(file);
    if (fd === undefined) appendFileSync(file, line);
    else writeSync(fd, line);
  } catch {
    /* see above */
  }
}

/** Removes the journal (the run completed and wrote run_results.json). */
export function endRunJournal(targetDir: string): void {
  const file = path.join(targetDir, RUN_JOURNAL_FILE);
  closeJournal(file);
  rmSync(file, { force: true });
}

/** Reads a journal left behind, or undefined when there is none (or it is unreadable). */
export function readRunJournal(targetDir: string): RunJournal | undefined {
  const file = path.join(targetDir, RUN_JOURNAL_FILE);
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
  let head: { invocation_id?: unknown; pid?: unknown; args?: unknown; nodes?: unknown };
  try {
    head = JSON.parse(lines[0] ?? '') as typeof head;
  } catch {
    return undefined;
  }
  if (!Array.isArray(head.nodes) || !head.args || typeof head.args !== 'object') return undefined;
  const finished = new Map<string, string>();
  for (const l of lines.slice(1)) {
    try {
      const r = JSON.parse(l) as { unique_id?: unknown; status?: unknown };
      if (typeof r.unique_id === 'string' && typeof r.status === 'string') finished.set(r.unique_id, r.status);
    } catch {
      /* a torn last line of a killed run */
    }
  }
  return { invocation_id: String(head.invocation_id ?? ''), pid: Number(head.pid ?? 0), args: head.args as Record<string, unknown>, nodes: head.nodes.map(String), finished };
}
