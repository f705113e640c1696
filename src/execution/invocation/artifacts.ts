/**
 * The artifacts an invocation writes into the target directory: the run journal while it runs (what
 * `weir retry` reads after a killed run), then manifest.json (with the compiled facts of the selected
 * nodes) and run_results.json (dbt's v6 shape, https://schemas.getdbt.com/dbt/run-results/v6.json) when it
 * ends — also when it failed or was cancelled.
 */
import path from 'node:path';
import { writeJsonAtomic, type ArtifactMetadata, type CompiledFacts, type RunResultEntry } from '../../artifacts/artifacts.js';
import { dbtRunResults } from '../../artifacts/dbt/run-results-v6.js';
import { endRunJournal, journalNode, startRunJournal } from '../../artifacts/run-journal.js';
import type { Renderer } from '../../compiler/render.js';
import type { Reporter } from '../../events/events.js';
import { redactDeep, type Redactor } from '../../utils/redact.js';

/** What the artifact writers need of the project. */
export interface ArtifactWriter {
  /** Absolute target directory. */
  readonly targetDir: string;
  readonly redact: Redactor;
  /** Metadata of this invocation's artifacts (invocation id, project, target, time). */
  metadata(): ArtifactMetadata;
  /** Writes manifest.json with these compiled facts (every node's relation is named anyway). */
  writeManifest(compiled: ReadonlyMap<string, CompiledFacts>): string;
}

/**
 * Starts the run journal (`run_journal.jsonl`) for the nodes about to run and wraps `reporter` so every
 * finished node is journaled before the event goes on.
 * @param recordedArgs the invocation's `args` as run_results.json records them (redacted here)
 */
export function startJournal(w: ArtifactWriter, recordedArgs: Readonly<Record<string, unknown>>, nodes: readonly string[], reporter: Reporter): Reporter {
  // A run killed before it writes run_results.json leaves this journal for `weir retry` (run-journal.ts).
  const targetDir = w.targetDir;
  startRunJournal(targetDir, { invocation_id: w.metadata().invocation_id, args: redactDeep(recordedArgs, w.redact), nodes });
  return {
    emit: (e) => {
      if (e.code === 'WEIR_NODE_FINISH') journalNode(targetDir, e.node_id, e.status);
      reporter.emit(e);
    },
    close: () => reporter.close?.(),
  };
}

/** What {@link writeRunArtifacts} records. `elapsed` in seconds. */
export interface RunArtifacts {
  readonly results: readonly RunResultEntry[];
  /** The selected unique_ids (their compiled SQL goes into manifest.json). */
  readonly selected: readonly string[];
  /** The run's renderer (with its defer overrides and `--empty` setting). */
  readonly renderer: Renderer;
  readonly elapsed: number;
  readonly recordedArgs: Readonly<Record<string, unknown>>;
  /** The abort reason (`SIGINT`, `SIGTERM`) when the run was cancelled: recorded as `args.cancelled_by`. */
  readonly cancelledBy?: string;
}

/**
 * Writes manifest.json and run_results.json (redacted) and removes the run journal.
 * @throws what the file writes throw (disk full, permissions)
 */
export function writeRunArtifacts(w: ArtifactWriter, a: RunArtifacts): void {
  const facts = new Map<string, CompiledFacts>();
  for (const r of a.results) facts.set(r.unique_id, { relation_name: r.relation_name, compiled_path: r.compiled_path });
  for (const uid of a.selected) {
    try {
      const c = a.renderer.render(uid);
      facts.set(uid, { ...facts.get(uid), compiled_code: c.compiled_code, relation_name: c.relation_name });
    } catch {
      /* reported as a node error */
    }
  }
  w.writeManifest(facts);
  const artifact = dbtRunResults(w.metadata(), a.results, a.elapsed, { ...a.recordedArgs, ...(a.cancelledBy !== undefined ? { cancelled_by: a.cancelledBy } : {}) });
  writeJsonAtomic(path.join(w.targetDir, 'run_results.json'), redactDeep(artifact, w.redact));
  endRunJournal(w.targetDir);
}
