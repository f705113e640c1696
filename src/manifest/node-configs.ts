/**
 * Typed configs of manifest nodes: what the parse phase (src/parser/configs/) reads out of a node's merged
 * `config` and validates once, stored on the node next to it (`ModelNode.incremental`, `.snapshot`,
 * `.external`, `.contract`; `SnapshotNode.snapshot`) and read by execution, which never parses `config`
 * again. They are derived data: manifest.json writes `config` as merged, never these.
 */
import { WeirError } from '../errors/weir-error.js';
import type { ModelNode } from './types.js';

/** An incremental strategy (dbt's names, https://docs.getdbt.com/docs/build/incremental-strategy). */
export type IncrementalStrategy = 'append' | 'merge' | 'delete+insert' | 'microbatch';
/** What an incremental run does when the model's columns differ from the table's (`on_schema_change`). */
export type OnSchemaChange = 'ignore' | 'fail' | 'append_new_columns' | 'sync_all_columns';
/** A microbatch batch size (`batch_size`). */
export type BatchSize = 'hour' | 'day' | 'month' | 'year';

/** The validated incremental config of a model (`materialized: incremental`). */
export interface IncrementalConfig {
  /** Default: `merge` when `unique_key` is set, else `append`. */
  readonly strategy: IncrementalStrategy;
  /** Key columns (empty when none). */
  readonly uniqueKey: readonly string[];
  /** Default `ignore`. */
  readonly onSchemaChange: OnSchemaChange;
  /** Microbatch only. */
  readonly microbatch?: MicrobatchConfig;
}

/** Microbatch settings (https://docs.getdbt.com/docs/build/incremental-microbatch). */
export interface MicrobatchConfig {
  /** The model's event-time column. */
  readonly eventTime: string;
  readonly batchSize: BatchSize;
  /** Start of the first batch of a full build (UTC). */
  readonly begin: Date;
  /** Batches before the current one that an incremental run re-processes (default 1). */
  readonly lookback: number;
}

/** What a snapshot does with rows whose key vanished from its query (`hard_deletes`). */
export type HardDeletes = 'ignore' | 'invalidate' | 'new_record';

/** The validated config of a snapshot, or of a model with `materialized: snapshot` (https://docs.getdbt.com/reference/snapshot-configs). */
export interface SnapshotConfig {
  /** Key columns (at least one). */
  readonly uniqueKey: readonly string[];
  readonly strategy: 'timestamp' | 'check';
  /** `timestamp`: the column whose increase marks a new version. */
  readonly updatedAt?: string;
  /** `check`: the columns compared, or `all` (every column of the query). */
  readonly checkCols?: readonly string[] | 'all';
  readonly hardDeletes: HardDeletes;
}

/** A file format an external model writes. */
export type ExternalFormat = 'parquet' | 'csv' | 'json';

/** The validated config of a model with `materialized: external`. */
export interface ExternalConfig {
  readonly format: ExternalFormat;
  /** As written (resolved against the project directory by the caller), or undefined for the default. */
  readonly location?: string;
  readonly partitionBy: readonly string[];
}

/** How a dynamic table is refreshed (`refresh_mode`, https://docs.snowflake.com/en/sql-reference/sql/create-dynamic-table). */
export type DynamicTableRefreshMode = 'AUTO' | 'FULL' | 'INCREMENTAL';
/** When a dynamic table is first filled (`initialize`). */
export type DynamicTableInitialize = 'ON_CREATE' | 'ON_SCHEDULE';

/**
 * The validated config of a model with `materialized: dynamic_table` (Snowflake; dbt-snowflake's names,
 * https://docs.getdbt.com/reference/resource-configs/snowflake-configs#dynamic-tables).
 */
export interface DynamicTableConfig {
  /** `'<n> seconds|minutes|hours|days'` (normalised to that form, at least 1 minute) or `DOWNSTREAM`. */
  readonly targetLag: string;
  /** The warehouse that refreshes it: `snowflake_warehouse`, else `warehouse`, else the target's `warehouse`. */
  readonly warehouse: string;
  /** Undefined: the engine's default (AUTO). */
  readonly refreshMode?: DynamicTableRefreshMode;
  /** Undefined: the engine's default (ON_CREATE). */
  readonly initialize?: DynamicTableInitialize;
}

/** A model's contract (`contract: {enforced: true}`, https://docs.getdbt.com/reference/resource-configs/contract). */
export interface ContractConfig {
  /** The built columns are checked against the YAML `columns:` before the relation is replaced. */
  readonly enforced: boolean;
}

/**
 * The typed config `key` of a model, as the parse phase stored it for the model's materialization (an
 * incremental model has `incremental`, and so on).
 * @throws WeirError `WEIR_INTERNAL` when the node has none: it did not come from the parse phase, or its
 *   materialization is another (a bug in the caller, never a user's mistake)
 */
export function typedConfig<K extends 'incremental' | 'snapshot' | 'external' | 'dynamic_table'>(node: ModelNode, key: K): NonNullable<ModelNode[K]> {
  const cfg = node[key];
  if (cfg === undefined) {
    throw new WeirError('WEIR_INTERNAL', `model '${node.name}' (materialized: ${String(node.config.materialized)}) has no parsed ${key} config`, {
      location: { file: node.path, nodeId: node.unique_id },
    });
  }
  return cfg as NonNullable<ModelNode[K]>;
}
