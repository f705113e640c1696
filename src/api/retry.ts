/**
 * `weir retry`, after dbt's (https://docs.getdbt.com/reference/commands/retry): re-runs only the nodes
 * that errored, failed or were skipped in the last `seed`/`run`/`test`/`build`/`snapshot` of this target directory
 * (its `run_results.json`), with the same command and flags (threads, fail-fast, full-refresh, target,
 * vars, state/defer as recorded in `args`). When the last run succeeded there is nothing to do. The
 * retry writes a new run_results.json with the same `args`, so a second retry picks up what still fails.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { WeirError } from '../errors/weir-error.js';
import { runExitCode } from '../errors/exit-codes.js';
import { now, type Reporter } from '../events/events.js';
import { parseRunResults, readJsonArtifact } from '../artifacts/previous-state.js';
import type { RunResultsArtifact } from '../artifacts/artifacts.js';
import { dbtRunResult, runSucceeded } from '../artifacts/dbt/run-results-v6.js';
import type { IndirectSelection } from '../graph/selector.js';
import { readRunJournal } from '../artifacts/run-journal.js';
import { processAlive } from '../utils/write-file.js';
import type { NodeStatus } from '../events/events.js';
import { SECRET_KEY_PATTERN } from '../loader/project-config.js';
import { REDACTED } from '../utils/redact.js';
import type { RunCommand, RunSummary, WeirProject } from './project.js';

/**
 * The `--vars` to record in run_results.json `args`: values under secret-looking keys (password, token,
 * api_key, ...; at any depth) are replaced by `***`, so they never reach the artifact. `weir retry` then
 * asks for `--vars` again instead of running with the placeholder.
 */
export function recordedVars(vars: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const walk = (v: unknown, key: string): unknown => {
    if (SECRET_KEY_PATTERN.test(key) && v !== null && v !== undefined && typeof v !== 'object') return REDACTED;
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(vars, '') as Record<string, unknown>;
}

/** Key paths of `vars` whose recorded value is the redaction placeholder. */
function redactedVarPaths(vars: unknown, prefix = ''): string[] {
  if (vars === REDACTED) return [prefix];
  if (vars && typeof vars === 'object') return Object.entries(vars).flatMap(([k, v]) => redactedVarPaths(v, prefix ? `${prefix}.${k}` : k));
  return [];
}

/** Statuses a retry re-runs. */
export const RETRY_STATUSES: ReadonlySet<string> = new Set(['error', 'fail', 'skipped']);
const RETRYABLE: readonly RunCommand[] = ['seed', 'run', 'test', 'build', 'snapshot'];

/** What a retry would do. */
export interface RetryPlan {
  readonly previous: RunResultsArtifact;
  readonly command: RunCommand;
  /** unique_ids to run (those still in the project), in the previous run's order. */
  readonly nodes: readonly string[];
  /** unique_ids of the previous run that no longer exist in the project (and have no replacement). */
  readonly gone: readonly string[];
  /**
   * Tests of the previous run whose unique_id changed (a generic test's id ends in a hash of its
   * arguments, so editing them renames it): old unique_id → the current tests with the same name before
   * the hash, which are retried instead.
   */
  readonly replaced: ReadonlyMap<string, readonly string[]>;
  /** Of {@link gone}: those that errored or failed (not merely skipped) — a failure no retry can clear. */
  readonly unresolved: readonly string[];
}

/** A generic test's unique_id without its argument hash (`test.p.accepted_values_orders_status_1a2b3c` → `test.p.accepted_values_orders_status`). */
const testBase = (uid: string): string | undefined => (uid.startsWith('test.') ? /^(.*)_[0-9a-f]{6}(_\d+)?$/.exec(uid)?.[1] ?? uid.replace(/_\d+$/, '') : undefined);

/**
 * Reads the last run of a target directory and lists what to retry.
 * @throws WeirError `WEIR_STATE_INVALID` when there is no run_results.json, it is unreadable, or it
 *   records a command that can't be retried
 */
export function planRetry(project: WeirProject): RetryPlan {
  const file = path.join(project.targetDir, 'run_results.json');
  const interrupted = interruptedRun(project.targetDir);
  if (!existsSync(file) && !interrupted) {
    throw new WeirError('WEIR_STATE_INVALID', `nothing to retry: no previous run in ${path.relative(project.files.root, file) || file}`, {
      hint: 'Run `weir run`, `test`, `seed` or `build` first; `weir retry` re-runs what failed or was skipped in that run.',
    });
  }
  const previous = interrupted ?? parseRunResults(readJsonArtifact(file, 'run results'), file);
  const command = String((previous.args as Record<string, unknown>).which) as RunCommand;
  if (!RETRYABLE.includes(command)) {
    throw new WeirError('WEIR_STATE_INVALID', `the previous run was '${command}', which weir retry can't repeat`, {
      hint: `weir retry repeats ${RETRYABLE.join(', ')}.`,
    });
  }
  const nodes: string[] = [];
  const gone: string[] = [];
  const unresolved: string[] = [];
  const replaced = new Map<string, string[]>();
  const previousIds = new Set(previous.results.map((r) => r.unique_id));
  const currentTests = [...project.manifest.nodes.keys()].filter((k) => k.startsWith('test.'));
  for (const r of previous.results) {
    if (!RETRY_STATUSES.has(r.status) || !r.unique_id || nodes.includes(r.unique_id)) continue;
    if (project.manifest.nodes.has(r.unique_id)) {
      nodes.push(r.unique_id);
      continue;
    }
    if (r.unique_id.startsWith('operation.')) continue;
    // A test whose id changed: the current tests with the same base name that the previous run did not have.
    const base = testBase(r.unique_id);
    const now = base ? currentTests.filter((k) => !previousIds.has(k) && testBase(k) === base) : [];
    if (now.length) {
      replaced.set(r.unique_id, now);
      for (const k of now) if (!nodes.includes(k)) nodes.push(k);
      continue;
    }
    gone.push(r.unique_id);
    if (r.status === 'error' || r.status === 'fail') unresolved.push(r.unique_id);
  }
  return { previous, command, nodes, gone, replaced, unresolved };
}

/**
 * The run a killed process left unfinished (its journal, artifacts/run-journal.ts), as run results: the
 * nodes it finished with their status, every other node of its plan as `error` ("did not finish"), so
 * that retry re-runs exactly what did not finish. Undefined when no journal is left, or its process still
 * runs (a run in progress is not interrupted).
 */
export function interruptedRun(targetDir: string): RunResultsArtifact | undefined {
  const j = readRunJournal(targetDir);
  if (!j || (j.pid !== process.pid && processAlive(j.pid))) return undefined;
  const results = j.nodes.map((uid) => {
    const status = j.finished.get(uid);
    return dbtRunResult(status
      ? { unique_id: uid, status: status as NodeStatus, timing: [], execution_time: 0 }
      : { unique_id: uid, status: 'error', timing: [], execution_time: 0, error_code: 'WEIR_CANCELLED', message: `did not finish: the run (process ${j.pid}) was interrupted` });
  });
  return { metadata: { invocation_id: j.invocation_id }, results, elapsed_time: 0, args: { ...j.args, interrupted: true } };
}

/** Options of {@link retryLastRun}. */
export interface RetryOptions {
  readonly reporter?: Reporter;
  /**
   * Loads the project again for the previous run's target and vars when they differ from `project`'s
   * (omit it to keep `project` as loaded, e.g. when the user chose the target explicitly).
   */
  readonly reload?: (o: { target: string; vars: Record<string, unknown> }) => Promise<WeirProject>;
  /** `--vars` were given to this invocation: use them, not the recorded ones. */
  readonly varsGiven?: boolean;
  /** Cancels the retry's run (see RunArgs.signal). */
  readonly signal?: AbortSignal;
}

/**
 * Re-runs the failed and skipped nodes of the last run.
 * @returns the run's summary, or undefined when there was nothing to retry (reported as a message)
 * @throws WeirError `WEIR_STATE_INVALID` (see {@link planRetry}); what {@link WeirProject.execute} throws
 */
export async function retryLastRun(project: WeirProject, options: RetryOptions = {}): Promise<RunSummary | undefined> {
  const plan = planRetry(project);
  const a = plan.previous.args as Record<string, unknown>;
  const say = (message: string, level: 'info' | 'warn' = 'info') => options.reporter?.emit({ code: level === 'warn' ? 'WEIR_WARNING' : 'WEIR_MESSAGE', ts: now(), level, message });
  for (const [old, now] of plan.replaced) say(`${old} is now ${now.join(', ')} (its arguments changed): retrying ${now.length === 1 ? 'it' : 'them'}`);
  for (const g of plan.gone) {
    say(plan.unresolved.includes(g)
      ? `${g} ${plan.previous.results.find((r) => r.unique_id === g)?.status === 'fail' ? 'failed' : 'errored'} in the previous run and is no longer in the project: it can't be retried (run \`weir ${plan.command}\` to check the project as it is now)`
      : `not retrying ${g}: it is no longer in the project`, 'warn');
  }
  if (plan.nodes.length === 0) {
    if (plan.unresolved.length) {
      // The previous failure can't be cleared by a retry: not a success (exit 1), though nothing ran.
      const counts = { success: 0, error: 0, skipped: 0, pass: 0, fail: 0, warn: 0, reused: 0 };
      return { command: plan.command, success: false, results: [], counts, elapsed: 0, exitCode: runExitCode({ success: false }) };
    }
    say(runSucceeded(plan.previous) && plan.gone.length === 0
      ? `nothing to retry: the previous \`weir ${plan.command}\` succeeded`
      : `nothing to retry: no node of the previous \`weir ${plan.command}\` errored, failed or was skipped`);
    return undefined;
  }
  const target = typeof a.target === 'string' ? a.target : project.targetInfo.name;
  const vars = a.vars && typeof a.vars === 'object' && !Array.isArray(a.vars) ? (a.vars as Record<string, unknown>) : {};
  const hidden = redactedVarPaths(vars);
  if (hidden.length && !options.varsGiven) {
    throw new WeirError('WEIR_USAGE', `the previous run's --vars ${hidden.join(', ')} ${hidden.length === 1 ? 'was' : 'were'} not recorded (secret-looking name): pass --vars to weir retry`, {
      hint: `e.g. weir retry --vars '{"${hidden[0].split('.')[0]}": ...}' (the other recorded flags are still reused)`,
    });
  }
  let p = project;
  if (options.reload && (target !== project.targetInfo.name || JSON.stringify(vars) !== JSON.stringify(project.cliVars))) p = await options.reload({ target, vars });
  if ((plan.previous.args as Record<string, unknown>).interrupted) say(`the previous \`weir ${plan.command}\` was interrupted before it finished (no run_results.json was written): retrying the ${plan.nodes.length} node${plan.nodes.length === 1 ? '' : 's'} it did not finish`, 'warn');
  say(`retrying ${plan.nodes.length} node${plan.nodes.length === 1 ? '' : 's'} of the previous \`weir ${plan.command}\` (target '${p.targetInfo.name}')`);
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const summary = await p.execute(plan.command, {
    only: plan.nodes,
    select: list(a.select), exclude: list(a.exclude),
    selector: typeof a.selector === 'string' ? a.selector : undefined,
    indirectSelection: typeof a.indirect_selection === 'string' ? (a.indirect_selection as IndirectSelection) : undefined,
    threads: typeof a.threads === 'number' ? a.threads : undefined,
    failFast: a.fail_fast === true, fullRefresh: a.full_refresh === true, audit: a.audit !== false, empty: a.empty === true, reuse: typeof a.reuse === 'boolean' ? a.reuse : undefined,
    eventTimeStart: typeof a.event_time_start === 'string' ? a.event_time_start : undefined,
    eventTimeEnd: typeof a.event_time_end === 'string' ? a.event_time_end : undefined,
    state: typeof a.state === 'string' ? a.state : undefined, defer: a.defer === true, favorState: a.favor_state === true,
    reporter: options.reporter, signal: options.signal,
  });
  // A failure that left the project can't have been cleared by this retry.
  return plan.unresolved.length && summary.success ? { ...summary, success: false, exitCode: runExitCode({ success: false }) } : summary;
}
