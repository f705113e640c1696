/**
 * The manifest's node types: a discriminated union on `resource_type`. Nodes are plain, immutable data
 * produced by the parse phase (src/parser/) from the loader's files; every later phase only reads them.
 */
import type { ContractConfig, DynamicTableConfig, ExternalConfig, IncrementalConfig, SnapshotConfig } from './node-configs.js';

import type { Materialization } from './materialization.js';
export type { Materialization } from './materialization.js';

/** Generic test names built into Weir. */
export type GenericTestName = 'not_null' | 'unique' | 'accepted_values' | 'relationships';

/** Resolved configuration of a model, seed or test (folder config from project.yaml, YAML, then `{{config}}`). */
export interface NodeConfig {
  readonly enabled: boolean;
  readonly materialized: Materialization;
  /** Custom schema; the relation's schema is `<target schema>_<schema>` as in dbt's default naming. */
  readonly schema?: string;
  readonly database?: string;
  /** Relation name override. */
  readonly alias?: string;
  readonly tags: readonly string[];
  /** For tests: `error` fails the run, `warn` only reports. */
  readonly severity?: 'error' | 'warn';
  /** For tests: SQL predicate applied to the tested relation first. */
  readonly where?: string;
  /** For seeds: column name → SQL type, overriding the CSV reader's inference. */
  readonly column_types?: Readonly<Record<string, string>>;
  /** For seeds: CSV delimiter. */
  readonly delimiter?: string;
  /** Anything else the user set (kept and written to the manifest). */
  readonly [key: string]: unknown;
}

/** A relation address as the adapter quotes it. */
export interface RelationName {
  readonly database?: string;
  readonly schema: string;
  readonly identifier: string;
}

/** A documented column from schema YAML (and, for built relations, the catalog). */
export interface ColumnInfo {
  readonly name: string;
  readonly description: string;
  readonly data_type?: string;
  readonly tags: readonly string[];
}

/** Fields common to all nodes. */
interface BaseNode {
  /** e.g. `model.shop.stg_orders` */
  readonly unique_id: string;
  readonly name: string;
  readonly package_name: string;
  /** Fully qualified name: project, folders, name. */
  readonly fqn: readonly string[];
  /** File path relative to the project root, with forward slashes. */
  readonly path: string;
  readonly description: string;
  readonly config: NodeConfig;
  readonly tags: readonly string[];
  readonly columns: Readonly<Record<string, ColumnInfo>>;
  /** Arbitrary `meta:` from YAML. */
  readonly meta: Readonly<Record<string, unknown>>;
}

/** A dependency recorded at parse time: `{{ref "name"}}` or `{{source "src" "table"}}`. */
export interface RefCall {
  readonly name: string;
  /** `{{ref "x" v=2}}`: a version of a versioned model (absent: its latest version). */
  readonly version?: number;
  readonly line?: number;
  readonly column?: number;
}
/** `{{source "src" "table"}}` as recorded at parse time. */
export interface SourceCall {
  readonly source: string;
  readonly table: string;
  readonly line?: number;
  readonly column?: number;
}

/** Parse-time facts about a templated SQL file. */
export interface TemplateDeps {
  readonly refs: readonly RefCall[];
  readonly sources: readonly SourceCall[];
  /** Partials (macros) the template uses, transitively. */
  readonly macros: readonly string[];
  /** Literal `{{config ...}}` hash values. */
  readonly config: Readonly<Record<string, unknown>>;
  /** 1-based line of each `{{config}}` key in the file (for strict config errors). */
  readonly configLines?: Readonly<Record<string, number>>;
}

/** A SQL model (`models/**.sql`). */
export interface ModelNode extends BaseNode {
  readonly resource_type: 'model';
  /**
   * A version of a versioned model (schema YAML `versions:`): its version, the model's latest version and
   * the model's name (`ref "<versioned_name>"` is the latest version; the node itself is named after its file).
   */
  readonly version?: number;
  readonly latest_version?: number;
  readonly versioned_name?: string;
  readonly raw_code: string;
  readonly deps: TemplateDeps;
  readonly patch_path?: string;
  /**
   * Typed configs, validated once by the parse phase from {@link BaseNode.config} and read by execution
   * (node-configs.ts); not written to manifest.json, which has `config`. `incremental`, `snapshot`,
   * `external` and `dynamic_table` are set when the model has that materialization.
   */
  readonly contract: ContractConfig;
  readonly incremental?: IncrementalConfig;
  readonly snapshot?: SnapshotConfig;
  readonly external?: ExternalConfig;
  readonly dynamic_table?: DynamicTableConfig;
}

/**
 * A snapshot (`snapshots/**.sql`): a query whose rows are recorded as SCD type-2 history in a table
 * (config `unique_key`, `strategy`, `updated_at` / `check_cols`, `hard_deletes`).
 */
export interface SnapshotNode extends BaseNode {
  readonly resource_type: 'snapshot';
  readonly raw_code: string;
  readonly deps: TemplateDeps;
  readonly patch_path?: string;
  /** The snapshot config, validated once by the parse phase and read by execution (not written to manifest.json). */
  readonly snapshot: SnapshotConfig;
}

/** A CSV seed (`seeds/**.csv[.gz]`). */
export interface SeedNode extends BaseNode {
  readonly resource_type: 'seed';
  /** Absolute path of the CSV file. */
  readonly absolute_path: string;
  readonly patch_path?: string;
}

/** A source table declared in schema YAML. */
export interface SourceNode extends BaseNode {
  readonly resource_type: 'source';
  readonly source_name: string;
  readonly source_description: string;
  /** Table name in the warehouse (`identifier:` or the name). */
  readonly identifier: string;
  readonly schema: string;
  readonly database?: string;
  readonly loader?: string;
  /** Freshness setting (source-level merged with table-level; absent: not checked). */
  readonly freshness?: FreshnessSpec;
  /** SQL expression whose maximum is the time the table was last loaded. */
  readonly loaded_at_field?: string;
  /**
   * `config: {external_location: ...}` (dbt-duckdb): the table is a file read directly — an absolute path
   * (relative locations resolved against the project directory; `{name}` / `{identifier}` substituted) or a URL.
   */
  readonly external_location?: string;
}

/** A source freshness threshold (see loader/freshness-spec.ts). */
export interface FreshnessThreshold {
  readonly count: number;
  readonly period: 'minute' | 'hour' | 'day';
}

/** A source freshness setting: `warn_after` / `error_after` thresholds and an optional SQL `filter`. */
export interface FreshnessSpec {
  readonly warn_after?: FreshnessThreshold;
  readonly error_after?: FreshnessThreshold;
  /** SQL predicate applied before taking the maximum. */
  readonly filter?: string;
}

/** Generic test invocation (from schema YAML). */
export interface GenericTestSpec {
  /** A built-in test, or a custom one (then {@link macro} names its partial). */
  readonly name: GenericTestName | (string & {});
  readonly kwargs: Readonly<Record<string, unknown>>;
  /** unique_id of the model/seed/source the test is attached to. */
  readonly attached_node: string;
  readonly column_name?: string;
  /** Custom generic tests: the partial (`test_<name>`) rendering the failing-rows query. */
  readonly macro?: string;
}

/**
 * One input of a unit test: rows standing in for a `ref`/`source` of the tested model (or `this`, the model's
 * own relation, read by incremental models).
 */
export interface UnitTestInput {
  /** As written in YAML, e.g. `ref('stg_orders')`. */
  readonly input: string;
  /** unique_id of the replaced node (`this`: the tested model). */
  readonly node: string;
  readonly kind: 'ref' | 'source' | 'this';
  /** `dict` (a list of mappings), `csv` (text) or `sql` (a query giving the rows). */
  readonly format: 'dict' | 'csv' | 'sql';
  /** The rows (`dict` and `csv`; CSV values are strings, empty fields null). */
  readonly rows: readonly Readonly<Record<string, unknown>>[];
  /** Column names in first-seen order (`dict`/`csv`). */
  readonly columns: readonly string[];
  /** `sql` format: the query. */
  readonly sql?: string;
  readonly line?: number;
}

/** The expected output of a unit test. */
export interface UnitTestExpect {
  readonly format: 'dict' | 'csv' | 'sql';
  readonly rows: readonly Readonly<Record<string, unknown>>[];
  readonly columns: readonly string[];
  readonly sql?: string;
  readonly line?: number;
}

/** A unit test (`unit_tests:` in schema YAML, as in dbt 1.8): given input rows, expected output rows. */
export interface UnitTestSpec {
  /** unique_id of the tested model. */
  readonly model: string;
  readonly given: readonly UnitTestInput[];
  readonly expect: UnitTestExpect;
  /** `overrides.vars` (merged over the project's vars) and `overrides.macros` (helper name → value). */
  readonly overrides: { readonly vars: Readonly<Record<string, unknown>>; readonly macros: Readonly<Record<string, unknown>> };
}

/**
 * A test: generic data test (from YAML), singular data test (`tests/**.sql` returning failing rows), or unit
 * test (`unit_tests:` in YAML; unique_id `unit_test.<project>.<model>.<name>`).
 */
export interface TestNode extends BaseNode {
  readonly resource_type: 'test';
  readonly test_type: 'generic' | 'singular' | 'unit';
  readonly generic?: GenericTestSpec;
  /** Unit tests: inputs, expected rows, overrides. */
  readonly unit?: UnitTestSpec;
  /** Singular tests: the template; generic tests: the generated SQL template. */
  readonly raw_code: string;
  readonly deps: TemplateDeps;
}

/** A macro file (`macros/*.sql` partial, or `macros/*.ts` helpers). */
export interface MacroNode {
  readonly resource_type: 'macro';
  readonly unique_id: string;
  readonly name: string;
  readonly path: string;
  readonly kind: 'partial' | 'helper';
  readonly description: string;
  readonly raw_code?: string;
}

/** A group (dbt's groups): an owner for a set of models; `access: private` models are refable only inside it. */
export interface GroupDef {
  readonly unique_id: string;
  readonly name: string;
  readonly owner: Readonly<Record<string, unknown>>;
  readonly description: string;
  /** Schema YAML file defining it. */
  readonly path: string;
}

/**
 * What an exposure declares (https://docs.getdbt.com/docs/build/exposures), as schema YAML's `exposures:`
 * entries write it and the manifest keeps it.
 */
export interface ExposureFields {
  readonly name: string;
  readonly label?: string;
  /** `dashboard`, `notebook`, `analysis`, `ml` or `application`. */
  readonly type: string;
  readonly owner: Readonly<Record<string, unknown>>;
  readonly description: string;
  readonly url?: string;
  readonly maturity?: string;
  readonly tags: readonly string[];
  readonly meta: Readonly<Record<string, unknown>>;
}

/** An exposure (dbt's exposures): a dashboard, notebook, application... that uses the project's nodes. */
export interface ExposureDef extends ExposureFields {
  readonly unique_id: string;
  readonly path: string;
  /** unique_ids of the models, seeds, snapshots and sources it uses. */
  readonly depends_on: readonly string[];
}

/** Any node that can be executed or depended upon. */
export type GraphNode = ModelNode | SeedNode | SourceNode | TestNode | SnapshotNode;
/** Nodes that are executed by a run (sources are only read). */
export type ExecutableNode = ModelNode | SeedNode | TestNode | SnapshotNode;
/** The resource types that appear in the manifest and in `resource_type:` selectors. */
export type ResourceType = GraphNode['resource_type'] | 'macro';
