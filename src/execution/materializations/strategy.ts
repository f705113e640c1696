/**
 * Materialization strategies: how a compiled node becomes a relation (or, for tests, a verdict). One
 * strategy per {@link Materialization}, each in its own file of this folder, all with one call shape
 * ({@link Strategy.build} over a {@link NodeBuild}), gathered in the table of execution/nodes/strategies.ts. Each is a small
 * function over the adapter contract; engines differ only through the dialect's DDL rules and capability
 * flags. (SQLMesh's "kinds as strategy objects", dbt's materialization macros.)
 */
import type { Connection } from '../../adapters/adapter.js';
import type { DdlRules } from '../../adapters/ansi-sql.js';
import type { TableOptions } from '../../adapters/table-options.js';
import type { NodeStatus } from '../../events/events.js';
import type { Materialization } from '../../manifest/materialization.js';
import type { GraphNode, ModelNode, RelationName, SeedNode, SnapshotNode, TestNode } from '../../manifest/types.js';
import type { HookContext } from '../hooks.js';
import type { RelationCache } from './relation-cache.js';

/** What a materialization reports back. */
export interface MaterializationResult {
  /** Rows written (tables, seeds) when known. */
  readonly rowsAffected?: number;
}

/**
 * Write-audit-publish: checks a staged relation (the complete new contents of a model, not yet
 * published) and throws to stop its publication. See execution/tests/audit.ts.
 */
export type Audit = (staged: RelationName) => Promise<void>;

/** What running one node needs from the run (a run's `RunContext` is one). */
export interface NodeRunContext extends HookContext {
  /** Absolute target directory (compiled SQL goes to `<targetDir>/compiled`). */
  readonly targetDir: string;
  /** `--full-refresh`: incremental models are rebuilt from scratch. */
  readonly fullRefresh?: boolean;
  /** `--event-time-start` / `--event-time-end`: the window microbatch models process (UTC). */
  readonly eventTimeStart?: Date;
  readonly eventTimeEnd?: Date;
  /** `--empty`: seeds are emptied after loading and existing snapshots are kept as they are. */
  readonly empty?: boolean;
  /** Aborted on SIGINT/SIGTERM: a node that fails then is reported as cancelled (`WEIR_CANCELLED`). */
  readonly signal?: AbortSignal;
}

/** One node to build, as every strategy receives it (execution/nodes/run-node.ts prepares it). */
export interface NodeBuild<N extends GraphNode = GraphNode> {
  readonly ctx: NodeRunContext;
  readonly conn: Connection;
  readonly node: N;
  /** The relation the node builds (undefined for tests). */
  readonly relation: RelationName | undefined;
  /** The SQL to run: the node's checked query with client-side UDF calls rewritten (undefined for seeds). */
  readonly sql: string | undefined;
  /** The node's checked query before client-side UDF rewriting (what contracts and snapshots read). */
  readonly query: string | undefined;
  /** Statements to run before the query (`allow_multiple_statements`; empty unless the strategy takes them). */
  readonly before: readonly string[];
  /** Project-relative path of the compiled SQL under the target dir, when written. */
  readonly compiledPath: string | undefined;
  /** The run's relation cache. */
  readonly relations: RelationCache;
  /** Write-audit-publish check of the staged relation (only for {@link Strategy.auditable} kinds with tests). */
  readonly audit: Audit | undefined;
}

/** What a strategy reports: the node's status (default `success`), rows, test failures and message. */
export interface BuildOutcome {
  readonly status?: NodeStatus;
  readonly rowsAffected?: number;
  readonly failures?: number;
  readonly message?: string;
}

/** One materialization: what it leaves in the warehouse and how it is built. */
export interface Strategy<N extends GraphNode = GraphNode> {
  /**
   * What the node leaves in the warehouse, as grants see it: a `table`, a `view` (views, and the view over
   * an external model's file), or nothing (ephemeral models are inlined as CTEs; tests).
   */
  readonly relation: 'table' | 'view' | undefined;
  /** Built as a staged relation that write-audit-publish can check before it is published (execution/tests/audit.ts). */
  readonly auditable: boolean;
  /** Writes the model's native table options (adapters/table-options.ts); others are reported. */
  readonly tableOptions: boolean;
  /**
   * The table options the target's DDL writes for this kind (default: `ddl.tableOptionKeys`, those of
   * `create table`); the model's other options are reported as not applied.
   */
  appliedTableOptions?(ddl: DdlRules): readonly (keyof TableOptions)[] | undefined;
  /** `--reuse` may skip rebuilding it when its SQL, config and inputs are unchanged (execution/nodes/reuse.ts). */
  readonly reusable: boolean;
  /**
   * Builds the node (or runs the test).
   * @throws the engine's error, a WeirError for bad configuration, or the audit's error
   */
  build(b: NodeBuild<N>): Promise<BuildOutcome>;
}

/** The node type each materialization builds. */
export type NodeOf<M extends Materialization> =
  M extends 'seed' ? SeedNode : M extends 'test' ? TestNode : M extends 'snapshot' ? SnapshotNode | ModelNode : ModelNode;

/** One strategy per materialization: a kind without one is a type error. */
export type StrategyTable = { readonly [M in Materialization]: Strategy<NodeOf<M>> };
