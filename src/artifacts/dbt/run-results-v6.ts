/**
 * `run_results.json` in dbt's run-results v6 shape (https://schemas.getdbt.com/dbt/run-results/v6.json,
 * dbt-core v1.12.3). Weir's per-node facts map onto dbt's fields: rows affected, the engine's message and
 * Weir's error code go to `adapter_response` (`rows_affected`, `_message`, `code`), as dbt's adapters
 * report them. The invocation is `args` (`which` is the command), as dbt records it.
 */
import type { NodeStatus } from '../../events/events.js';
import { dbtMetadata, DBT_SCHEMAS, type ArtifactMetadata, type DbtBaseMetadata } from './metadata.js';

/** One node's result as a run produces it (Weir's in-memory form). Times in seconds; timestamps ISO-8601. */
export interface RunResultEntry {
  readonly unique_id: string;
  readonly status: NodeStatus;
  readonly timing: readonly { name: 'compile' | 'execute'; started_at: string; completed_at: string }[];
  readonly execution_time: number;
  readonly rows_affected?: number;
  /** Tests: failing rows. */
  readonly failures?: number;
  readonly message?: string;
  readonly compiled_path?: string;
  readonly relation_name?: string;
  /** Error code for errored nodes. */
  readonly error_code?: string;
}

/** One result of run_results.json (dbt's RunResultOutput). */
export interface DbtRunResult {
  readonly status: string;
  readonly timing: readonly { name: string; started_at: string | null; completed_at: string | null }[];
  readonly thread_id: string;
  readonly execution_time: number;
  readonly adapter_response: Readonly<Record<string, unknown>>;
  readonly message: string | null;
  readonly failures: number | null;
  readonly unique_id: string;
  readonly compiled: boolean | null;
  readonly compiled_code: string | null;
  readonly relation_name: string | null;
  readonly batch_results?: null;
}

/** `run_results.json` as written and as read back by `weir retry` and `result:` selectors. */
export interface RunResultsArtifact {
  readonly metadata: DbtBaseMetadata | Readonly<Record<string, unknown>>;
  readonly results: readonly DbtRunResult[];
  readonly elapsed_time: number;
  /** The invocation: `which` (command), `select`, `exclude`, `threads`, `fail_fast`, `full_refresh`, `target`, `vars`, ... */
  readonly args: Readonly<Record<string, unknown>>;
}

/**
 * The thread a node ran on. Weir runs every node on Node.js's main thread (its `--threads` are concurrent
 * database connections), so every result says `main`.
 */
export const RUN_THREAD_ID = 'main';

/** Converts one in-memory result to dbt's form. */
export function dbtRunResult(r: RunResultEntry): DbtRunResult {
  const adapter_response: Record<string, unknown> = {};
  if (r.message !== undefined) adapter_response._message = r.message;
  if (r.rows_affected !== undefined) adapter_response.rows_affected = r.rows_affected;
  if (r.error_code !== undefined) adapter_response.code = r.error_code;
  return {
    status: r.status, timing: r.timing.map((t) => ({ name: t.name, started_at: t.started_at, completed_at: t.completed_at })), thread_id: RUN_THREAD_ID,
    execution_time: r.execution_time, adapter_response, message: r.message ?? null,
    failures: r.failures === undefined ? null : Math.round(r.failures), unique_id: r.unique_id,
    compiled: r.compiled_path !== undefined ? true : null, compiled_code: null, relation_name: r.relation_name ?? null, batch_results: null,
  };
}

/** The run_results.json value of a run. @param elapsed seconds */
export function dbtRunResults(metadata: ArtifactMetadata, results: readonly RunResultEntry[], elapsed: number, args: Readonly<Record<string, unknown>>): RunResultsArtifact {
  return { metadata: dbtMetadata(metadata, DBT_SCHEMAS.runResults), results: results.map(dbtRunResult), elapsed_time: elapsed, args };
}

/** Whether a run (as read back) succeeded: no node errored and no test failed. */
export function runSucceeded(rr: { readonly results: readonly { readonly status: string }[] }): boolean {
  return !rr.results.some((r) => r.status === 'error' || r.status === 'fail');
}

/** The rows a result affected (dbt keeps them in `adapter_response`). */
export function rowsAffected(r: { adapter_response?: Readonly<Record<string, unknown>> }): number | undefined {
  const v = r.adapter_response?.rows_affected;
  return typeof v === 'number' ? v : undefined;
}
