/**
 * One invocation of a run command (`seed`, `run`, `test`, `build`, `snapshot`): its whole lifecycle —
 * run lock → adapter → deferral → project hooks around the scheduled nodes (run-nodes.ts) → test
 * history → artifacts (manifest.json, run_results.json) → read copy → `WEIR_RUN_END`. Whatever happens,
 * the artifacts are written, the adapter closed and the lock released. Selection and option checking
 * happen before (api/), so an invocation starts from a list of unique_ids and typed options.
 */
import type { Adapter } from '../../adapters/adapter.js';
import { TEST_HISTORY_TABLE } from '../../artifacts/test-history.js';
import type { RunResultEntry } from '../../artifacts/artifacts.js';
import type { PreviousState } from '../../artifacts/previous-state.js';
import type { Renderer, TargetInfo } from '../../compiler/render.js';
import { now, type NodeStatus, type Reporter, type WeirEvent } from '../../events/events.js';
import type { Dag } from '../../graph/dag.js';
import type { Manifest } from '../../manifest/manifest.js';
import type { BatchContext } from '../../udfs/define.js';
import type { LoadedUdf } from '../../udfs/registry.js';
import { runWithProjectHooks, type ProjectHooks } from './project-hooks.js';
import { executeRun } from './run-nodes.js';
import { openAdapterWaiting, recoveryWarning } from './adapter.js';
import { startJournal, writeRunArtifacts, type ArtifactWriter } from './artifacts.js';
import { deferredRelations } from './defer.js';
import { publishReadCopy } from './read-copy.js';
import { takeRunLock } from './run-lock.js';
import { isEphemeral } from '../../manifest/materialization.js';

/** Commands that execute nodes. */
export type RunCommand = 'seed' | 'run' | 'test' | 'build' | 'snapshot';

/** What an invocation needs of the loaded project (api/project.ts's WeirProject provides it). */
export interface InvocationProject extends ArtifactWriter {
  readonly manifest: Manifest;
  readonly dag: Dag;
  readonly targetInfo: TargetInfo;
  /** Invocation id written into artifacts and the test history. */
  readonly invocationId: string;
  /** The project's UDFs (registered before the first node runs). */
  readonly udfs: readonly LoadedUdf[];
  /** A renderer for this target (`relationOverrides` from `--defer`; `emptyInputs` for `--empty`). */
  renderer(relationOverrides?: ReadonlyMap<string, string>, emptyInputs?: boolean): Renderer;
  /** Opens the target's adapter once (no waiting). */
  openAdapter(): Promise<Adapter>;
}

/** Receives every event of the run besides the reporter, and is finished before `WEIR_RUN_END` (OpenLineage). */
export interface RunObserver {
  emit(e: WeirEvent): void;
  /** Awaited after the artifacts are written and the read copy published, before `WEIR_RUN_END`. */
  finish(): Promise<void>;
}

/** Typed options of one invocation (every default already resolved by the caller). */
export interface InvocationOptions {
  readonly command: RunCommand;
  /** unique_ids to run, in manifest order (ephemeral models among them are rendered, not run). */
  readonly selected: readonly string[];
  /** Worker connections wanted (fewer when the engine allows one connection). */
  readonly threads: number;
  readonly failFast: boolean;
  readonly fullRefresh: boolean;
  /** Microbatch window (UTC). */
  readonly eventTimeStart?: Date;
  readonly eventTimeEnd?: Date;
  /** Write-audit-publish (`build`). */
  readonly audit: boolean;
  /** Zero-row build (`--empty`). */
  readonly empty: boolean;
  /** Skip nodes unchanged since their last build (already off with `empty`/`fullRefresh`). */
  readonly reuse: boolean;
  /** Append data tests' results to `weir_test_history` (`test`/`build`; not with `empty`). */
  readonly testHistory: boolean;
  /** Seconds to wait for the run lock and the database file's lock. */
  readonly lockTimeout: number;
  /** How the run is named in the lock file, e.g. `weir build --select tag:nightly`. */
  readonly lockCommand: string;
  /** Read unselected nodes from an earlier run's relations (read only once the target is open). */
  readonly defer?: { readonly previous: () => PreviousState; readonly favorState: boolean };
  /** project.yaml's on-run-start / on-run-end. */
  readonly hooks: ProjectHooks;
  /** What batch UDFs receive (project dir, target dir, vars, environment). */
  readonly udfContext: Omit<BatchContext, 'nodeId'>;
  /** The invocation's arguments as run_results.json records them (`args`). */
  readonly recordedArgs: Readonly<Record<string, unknown>>;
  /** Cancels the run (in-flight queries cancelled, unfinished nodes `cancelled`, artifacts still written). */
  readonly signal?: AbortSignal;
  /** Receives the run's events (already redacting). */
  readonly reporter: Reporter;
  readonly observer?: RunObserver;
}

/** What an invocation did. `elapsed` in seconds. */
export interface InvocationResult {
  readonly results: readonly RunResultEntry[];
  readonly counts: Readonly<Record<NodeStatus, number>>;
  readonly elapsed: number;
  /** No node errored or failed (warnings allowed). */
  readonly nodesSucceeded: boolean;
  /** False when the read copy could not be published (reported as an error). */
  readonly readCopyPublished: boolean;
  /** The abort reason (`SIGINT`, `SIGTERM`, or the caller's) when the run was cancelled. */
  readonly cancelledBy?: string;
}

/**
 * Runs one invocation.
 * @throws WeirError only for problems before any node runs (`WEIR_RUN_LOCKED`, `WEIR_DB_LOCKED`, unusable
 *   defer state, connection errors); node failures are results, not exceptions
 */
export async function runInvocation(project: InvocationProject, o: InvocationOptions): Promise<InvocationResult> {
  const { command, selected, observer } = o;
  const outer = o.reporter;
  const reporter: Reporter = observer ? { emit: (e) => { outer.emit(e); observer.emit(e); }, close: () => outer.close?.() } : outer;
  let renderer = project.renderer(undefined, o.empty);
  const start = performance.now();
  const runStartedAt = new Date().toISOString();
  const lock = await takeRunLock(project.targetDir, o.lockCommand, o.lockTimeout, reporter);
  const adapter = await openAdapterWaiting(() => project.openAdapter(), o.lockTimeout, reporter).catch((e: unknown) => {
    lock.release();
    throw e;
  });
  if (adapter.recovery) reporter.emit(recoveryWarning(adapter.recovery));
  try {
    if (o.defer) {
      const overrides = await deferredRelations({
        manifest: project.manifest, renderer, adapter, previous: o.defer.previous(), selected: new Set(selected), favorState: o.defer.favorState,
      });
      renderer = project.renderer(overrides, o.empty);
    }
  } catch (e) {
    await adapter.close();
    lock.release();
    throw e;
  }
  let results: RunResultEntry[] = [];
  const counts: Record<NodeStatus, number> = { success: 0, error: 0, skipped: 0, pass: 0, fail: 0, warn: 0, reused: 0 };
  let published = true;
  try {
    const executable = selected.filter((u) => {
      const n = project.manifest.nodes.get(u)!;
      return !isEphemeral(n);
    });
    const journaled = startJournal(project, o.recordedArgs, executable, reporter);
    reporter.emit({ code: 'WEIR_RUN_START', ts: now(), level: 'info', command, target: project.targetInfo.name, adapter_type: project.targetInfo.type, node_count: executable.length + o.hooks.start.length + o.hooks.end.length, threads: o.threads });
    try {
      const ctx = {
        command, manifest: project.manifest, dag: project.dag, renderer, adapter, reporter: journaled, targetDir: project.targetDir, signal: o.signal,
        threads: o.threads, failFast: o.failFast, redact: project.redact,
        udfs: project.udfs, batchContext: o.udfContext,
        fullRefresh: o.fullRefresh, eventTimeStart: o.eventTimeStart, eventTimeEnd: o.eventTimeEnd, audit: o.audit, empty: o.empty, reuse: o.reuse,
      };
      // on-run-start / on-run-end from project.yaml around the nodes (see project-hooks.ts).
      results = await runWithProjectHooks({ ...ctx, hooks: o.hooks, selected, testsBlockChildren: command === 'build' }, () => executeRun(ctx, selected, command === 'build'));
      // Test history (opt out: test_history: false / --no-test-history; --empty runs aren't history).
      if ((command === 'test' || command === 'build') && !o.empty && o.testHistory) {
        try {
          const { recordTestHistory } = await import('../tests/test-history.js');
          await recordTestHistory(adapter, renderer, project.manifest, results, { invocationId: project.invocationId, startedAt: runStartedAt, command });
        } catch (e) {
          reporter.emit({ code: 'WEIR_WARNING', ts: now(), level: 'warn', message: `test history not recorded in ${TEST_HISTORY_TABLE}: ${e instanceof Error ? e.message : String(e)}` });
        }
      }
    } finally {
      for (const r of results) counts[r.status]++;
      const elapsed = (performance.now() - start) / 1000;
      const success = counts.error === 0 && counts.fail === 0;
      writeRunArtifacts(project, { results, selected, renderer, elapsed, recordedArgs: o.recordedArgs, cancelledBy: o.signal?.aborted ? String(o.signal.reason) : undefined });
      published = await publishReadCopy(adapter, reporter);
      await observer?.finish();
      reporter.emit({ code: 'WEIR_RUN_END', ts: now(), level: success && published ? 'info' : 'error', elapsed, counts, success: success && published });
    }
  } finally {
    await adapter.close();
    lock.release();
    reporter.close?.();
  }
  return {
    results, counts, elapsed: (performance.now() - start) / 1000, nodesSucceeded: counts.error === 0 && counts.fail === 0, readCopyPublished: published,
    cancelledBy: o.signal?.aborted ? String(o.signal.reason) : undefined,
  };
}
