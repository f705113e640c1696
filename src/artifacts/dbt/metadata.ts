/**
 * The `metadata` block of Weir's artifacts in dbt's shape. Weir writes its artifacts against dbt-core's
 * published JSON schemas (https://schemas.getdbt.com/, copied from dbt-core v1.12.3 `schemas/dbt/`) so
 * tools that read dbt's artifacts (astronomer-cosmos, DataHub, OpenMetadata, Elementary,
 * dbt-artifacts-parser, Lightdash) read Weir's. Those schemas allow no extra metadata keys, so Weir's own
 * facts (its version, the target, the project) travel in `metadata.env`, the one open mapping of strings.
 */

/** dbt schema URLs of the artifacts Weir writes (the value of `metadata.dbt_schema_version`). */
export const DBT_SCHEMAS = {
  manifest: 'https://schemas.getdbt.com/dbt/manifest/v12.json',
  runResults: 'https://schemas.getdbt.com/dbt/run-results/v6.json',
  catalog: 'https://schemas.getdbt.com/dbt/catalog/v1.json',
  sources: 'https://schemas.getdbt.com/dbt/sources/v3.json',
} as const;

/**
 * The dbt-core release whose artifact schemas Weir follows, written as `metadata.dbt_version` (tools gate
 * their parsing on it). Weir's own version is `metadata.env.WEIR_VERSION`.
 */
export const DBT_COMPAT_VERSION = '1.12.3';

/** Metadata common to all artifacts, as Weir knows it (converted to dbt's block by {@link dbtMetadata}). */
export interface ArtifactMetadata {
  /** Weir's own schema id; only artifacts without a dbt schema (lineage.json) write it. */
  readonly weir_schema_version: string;
  readonly weir_version: string;
  readonly generated_at: string;
  readonly invocation_id: string;
  readonly project_name: string;
  readonly target_name: string;
  readonly adapter_type: string;
}

/** `metadata.env` keys holding Weir's facts. */
export interface WeirEnvFacts {
  readonly WEIR_VERSION: string;
  readonly WEIR_PROJECT: string;
  readonly WEIR_TARGET: string;
  readonly WEIR_ADAPTER_TYPE: string;
}

/** dbt's BaseArtifactMetadata (run_results, catalog, sources). */
export interface DbtBaseMetadata {
  readonly dbt_schema_version: string;
  readonly dbt_version: string;
  readonly generated_at: string;
  readonly invocation_id: string | null;
  readonly env: WeirEnvFacts;
}

/**
 * dbt's metadata block for an artifact.
 * @param schema one of {@link DBT_SCHEMAS}
 */
export function dbtMetadata(m: ArtifactMetadata, schema: string): DbtBaseMetadata {
  return {
    dbt_schema_version: schema, dbt_version: DBT_COMPAT_VERSION, generated_at: m.generated_at, invocation_id: m.invocation_id,
    env: { WEIR_VERSION: m.weir_version, WEIR_PROJECT: m.project_name, WEIR_TARGET: m.target_name, WEIR_ADAPTER_TYPE: m.adapter_type },
  };
}

/**
 * Reads Weir's facts back from an artifact's metadata (what {@link dbtMetadata} wrote; the manifest also
 * has `project_name` and `adapter_type` at the top).
 */
export function readWeirFacts(metadata: unknown): { weir_version: string; project_name: string; target_name: string; adapter_type: string } {
  const md = (metadata && typeof metadata === 'object' ? metadata : {}) as Record<string, unknown>;
  const env = (md.env && typeof md.env === 'object' ? md.env : {}) as Record<string, unknown>;
  const s = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    weir_version: s(env.WEIR_VERSION), project_name: s(md.project_name) || s(env.WEIR_PROJECT),
    target_name: s(env.WEIR_TARGET), adapter_type: s(md.adapter_type) || s(env.WEIR_ADAPTER_TYPE),
  };
}
