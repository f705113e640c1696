/**
 * The typed options and results of {@link WeirProject}'s methods: selection, runs, reads, loading. Plain
 * data: the CLI turns its flags into these, and maps the results to exit codes (errors/exit-codes.ts).
 */
import type { RunResultEntry } from '../artifacts/artifacts.js';
import type { NodeStatus, Reporter } from '../events/events.js';
import type { IndirectSelection } from '../graph/selector.js';
import type { ParseLoadOptions } from '../parser/load-files.js';
import type { GraphNode } from '../manifest/types.js';
import type { RunCommand } from '../execution/invocation/invocation.js';
import type { ReadOptions } from '../execution/invocation/adapter.js';
import type { OpenLineageOptions } from './openlineage.js';
import type { WeirProject } from './project.js';
import type { runExitCode } from '../errors/exit-codes.js';

export type { RunCommand, ReadOptions };

/** Selection shared by commands. */
export interface SelectionArgs {
  /** Selector expressions (dbt's node selection syntax: `+name`, `tag:x`, `path:p`, ...), unioned. */
  readonly select?: readonly string[];
  readonly exclude?: readonly string[];
  /**
   * Directory with an earlier run's manifest.json (and run_results.json), for `state:` / `result:`
   * selectors and `defer` (absolute, or relative to the project directory).
   */
  readonly state?: string;
  /** A selector of selectors.yml; not combined with `select`. */
  readonly selector?: string;
  /** dbt's indirect selection of tests (default `eager`). */
  readonly indirectSelection?: IndirectSelection;
}

/** Options of {@link WeirProject.execute} and the seed/run/test/build shortcuts. */
export interface RunArgs extends SelectionArgs {
  readonly threads?: number;
  /** Send OpenLineage RunEvents per node (HTTP and/or file transport; see api/openlineage.ts). */
  readonly openLineage?: OpenLineageOptions;
  readonly failFast?: boolean;
  readonly fullRefresh?: boolean;
  /**
   * Microbatch backfill window: a Date, or a date or timestamp text, UTC (`2024-01-01`,
   * `2024-01-01T06:00:00`).
   */
  readonly eventTimeStart?: string | Date;
  readonly eventTimeEnd?: string | Date;
  readonly reporter?: Reporter;
  /** With `state`: refs to unselected nodes missing from this target read the state manifest's relations. */
  readonly defer?: boolean;
  /** With `defer`: read unselected nodes from the state's relations even when this target has them. */
  readonly favorState?: boolean;
  /** Run exactly these unique_ids (no selector evaluation; `weir retry`). */
  readonly only?: readonly string[];
  /** Seconds to wait for another run holding the target directory's run lock (default 0: fail at once). */
  readonly lockTimeout?: number;
  /**
   * `build` only, default true: write-audit-publish — a `table`/`incremental` model is published only after
   * its error-severity data tests pass on the staged relation (false: publish first, test after).
   */
  readonly audit?: boolean;
  /**
   * A zero-row build (run/build/test/seed) — refs and sources read as empty relations, seeds create empty
   * tables, existing snapshots are kept — so column, type, contract and SQL errors surface on the engine
   * at almost no cost (dbt's `--empty`).
   */
  readonly empty?: boolean;
  /**
   * Default: `reuse:` in project.yaml, else false. Seeds and models whose SQL, config and input data
   * fingerprints are unchanged since their last successful build on this target are not rebuilt (status
   * `reused`). Off with `empty` and `fullRefresh`.
   */
  readonly reuse?: boolean;
  /**
   * Cancels the run when aborted (the CLI aborts it on SIGINT/SIGTERM with the signal's name as reason):
   * in-flight queries are cancelled, no node starts, unfinished nodes are `cancelled` (status `error`, code
   * `WEIR_CANCELLED`), run_results.json is written and the lock released; the summary's `cancelledBy`
   * is then the abort reason.
   */
  readonly signal?: AbortSignal;
  /**
   * `test`/`build`: append each data test's result to `weir_test_history` in the target (default:
   * `test_history:` in project.yaml, else true).
   */
  readonly testHistory?: boolean;
}

/** Outcome of a run. `elapsed` in seconds. */
export interface RunSummary {
  readonly command: RunCommand;
  /** Every node succeeded (warnings allowed), the run was not cancelled and the read copy was published. */
  readonly success: boolean;
  readonly results: readonly RunResultEntry[];
  readonly counts: Readonly<Record<NodeStatus, number>>;
  readonly elapsed: number;
  /** The abort reason of `signal` (the CLI's: `SIGINT` or `SIGTERM`) when the run was cancelled. */
  readonly cancelledBy?: string;
  /**
   * @deprecated kept for callers of weir-sql 0.1: the exit code the CLI gives this summary
   * ({@link runExitCode}: 0 success, 1 otherwise, 130/143 when cancelled). Read `success` and `cancelledBy`.
   */
  readonly exitCode: 0 | 1 | 130 | 143;
}

/** Options of {@link WeirProject.query} and {@link WeirProject.show}. */
export interface QueryOptions extends ReadOptions {
  /**
   * Read the result for printing: `text` — every value as the engine prints it (DuckDB: its cast to
   * VARCHAR); `json` — one JSON type per column, exact digits (see adapters/duckdb/display.ts). Absent:
   * JS values (bigint for 64-bit integers, Date for timestamps).
   */
  readonly display?: 'text' | 'json';
}

/** Options of {@link WeirProject.load}. */
export interface ProjectLoadOptions extends ParseLoadOptions {
  /** Receives parse-phase warnings. */
  readonly reporter?: Reporter;
}

/** The resource types each command selects. */
export const RESOURCE_TYPES: Readonly<Record<RunCommand | 'compile', readonly GraphNode['resource_type'][]>> = {
  seed: ['seed'],
  run: ['model'],
  test: ['test'],
  build: ['seed', 'model', 'snapshot', 'test'],
  snapshot: ['snapshot'],
  compile: ['model', 'snapshot', 'test'],
};
