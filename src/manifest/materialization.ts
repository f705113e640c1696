/**
 * The kinds of materialization: the one list of them. A model's `materialized` config is one of
 * {@link MODEL_MATERIALIZATIONS}; seeds, snapshots and tests are materialized as their own kind (as dbt's
 * `seed`, `snapshot` and `test` materializations). How each kind is built lives in
 * execution/materializations/ (one strategy per kind, in a table keyed by {@link Materialization}).
 */

/**
 * Materializations a model may use. `ephemeral` models are inlined as CTEs into their dependents;
 * `incremental` tables are updated from the model's new rows; `snapshot` tables keep SCD type-2 history;
 * `external` models are written to a file (Parquet/CSV/JSON) with a view over it; `dynamic_table`
 * (Snowflake) and `materialized_view` (Snowflake, Trino) are engine objects that keep the query's result
 * and refresh it ({@link ENGINE_MATERIALIZATIONS}).
 */
export const MODEL_MATERIALIZATIONS = ['view', 'table', 'ephemeral', 'incremental', 'snapshot', 'external', 'dynamic_table', 'materialized_view'] as const;

/**
 * Materializations only some engines have: the parse phase refuses a model using one its target's engine
 * lacks (which engines have which is declared by adapters/registry.ts).
 */
export const ENGINE_MATERIALIZATIONS = ['dynamic_table', 'materialized_view'] as const satisfies readonly ModelMaterialization[];

/** One of {@link ENGINE_MATERIALIZATIONS}. */
export type EngineMaterialization = (typeof ENGINE_MATERIALIZATIONS)[number];

/** A model's materialization. */
export type ModelMaterialization = (typeof MODEL_MATERIALIZATIONS)[number];

/** How a node is persisted: a model's materialization, or `seed` / `test` for seeds and tests. */
export type Materialization = ModelMaterialization | 'seed' | 'test';

/** The part of a manifest node these helpers read. */
interface NodeKind {
  readonly resource_type: string;
  readonly config?: { readonly materialized?: unknown };
}

/**
 * The materialization a node is built with: a model's `materialized` config; `seed`, `snapshot` or `test`
 * for those nodes (whatever their config says); undefined for sources, which are never built.
 */
export function materializationOf(node: NodeKind): Materialization | undefined {
  switch (node.resource_type) {
    case 'model': return node.config?.materialized as ModelMaterialization;
    case 'seed': return 'seed';
    case 'snapshot': return 'snapshot';
    case 'test': return 'test';
    default: return undefined;
  }
}

/** Whether a node is an ephemeral model: inlined as a CTE into its dependents, never built or queried. */
export function isEphemeral(node: NodeKind | undefined): boolean {
  return node?.resource_type === 'model' && node.config?.materialized === 'ephemeral';
}
