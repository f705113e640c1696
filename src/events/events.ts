/**
 * Coded events: everything a run reports goes through one typed union with a stable `code`, a `level`,
 * a timestamp and, for node events, the node id and timings. The terminal and JSON reporters are two
 * implementations of {@link Reporter}; schedulers parse the JSON lines (`--log-format json`).
 */

/** Final status of a node: models and seeds succeed or error; tests pass, fail or warn; any may be skipped. */
export type NodeStatus = 'success' | 'error' | 'skipped' | 'pass' | 'fail' | 'warn' | 'reused';

/** Event severity. */
export type Level = 'debug' | 'info' | 'warn' | 'error';

interface Base {
  /** ISO-8601 UTC timestamp. */
  readonly ts: string;
  readonly level: Level;
}

/** A run (seed/run/test/build) starts. */
export interface RunStartEvent extends Base {
  readonly code: 'WEIR_RUN_START';
  readonly command: string;
  readonly target: string;
  readonly adapter_type: string;
  readonly node_count: number;
  readonly threads: number;
}
/** A node starts executing. */
export interface NodeStartEvent extends Base {
  readonly code: 'WEIR_NODE_START';
  readonly node_id: string;
  readonly resource_type: string;
  readonly index: number;
  readonly total: number;
  readonly relation?: string;
}
/** A node finished (any status). `execution_time` in seconds. */
export interface NodeFinishEvent extends Base {
  readonly code: 'WEIR_NODE_FINISH';
  readonly node_id: string;
  readonly resource_type: string;
  readonly materialized?: string;
  readonly index: number;
  readonly total: number;
  readonly status: NodeStatus;
  readonly relation?: string;
  readonly rows_affected?: number;
  readonly failures?: number;
  readonly execution_time: number;
  /** ISO-8601 UTC: when the node started and finished (absent for nodes skipped without running). */
  readonly started_at?: string;
  readonly completed_at?: string;
  readonly message?: string;
}
/** The run ended. `elapsed` in seconds. */
export interface RunEndEvent extends Base {
  readonly code: 'WEIR_RUN_END';
  readonly elapsed: number;
  readonly counts: Readonly<Record<NodeStatus, number>>;
  readonly success: boolean;
}
/** A free-form message (warnings from the parse phase, notices). */
export interface MessageEvent extends Base {
  readonly code: 'WEIR_MESSAGE' | 'WEIR_WARNING' | 'WEIR_ERROR';
  readonly message: string;
  readonly node_id?: string;
  readonly error_code?: string;
  readonly file?: string;
  readonly line?: number;
}

/** Who holds the run lock (see `execution/invocation/run-lock.ts`). */
interface LockHolderFields {
  /** The lock file's absolute path. */
  readonly lock_file: string;
  readonly holder_pid?: number;
  readonly holder_host?: string;
  readonly holder_command?: string;
  readonly holder_started_at?: string;
}
/** Another Weir run holds the run lock: this one waits up to `timeout` seconds (`--lock-timeout`). */
export interface LockWaitEvent extends Base, LockHolderFields {
  readonly code: 'WEIR_LOCK_WAIT';
  readonly timeout: number;
}
/** A stale run lock (its holder died on this host) was removed. */
export interface LockStaleEvent extends Base, LockHolderFields {
  readonly code: 'WEIR_LOCK_STALE';
  readonly reason: string;
}

/** A read copy of the database was published for readers (DuckDB). `size` in bytes, `elapsed` in seconds. */
export interface ReadCopyPublishedEvent extends Base {
  readonly code: 'WEIR_READ_COPY_PUBLISHED';
  readonly path: string;
  readonly size: number;
  readonly elapsed: number;
}

/** Every event Weir emits. */
export type WeirEvent = RunStartEvent | NodeStartEvent | NodeFinishEvent | RunEndEvent | MessageEvent | LockWaitEvent | LockStaleEvent | ReadCopyPublishedEvent;

/** Receives events. Implementations must not throw. */
export interface Reporter {
  emit(event: WeirEvent): void;
  /** Called once when the command ends (flush, stop progress bars). */
  close?(): void;
}

/** Current time as ISO-8601. */
export const now = (): string => new Date().toISOString();

/** A reporter that drops everything (library default). */
export const silentReporter: Reporter = { emit() {} };
