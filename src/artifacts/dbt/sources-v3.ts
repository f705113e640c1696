/**
 * `sources.json` in dbt's sources v3 shape (https://schemas.getdbt.com/dbt/sources/v3.json, dbt-core
 * v1.12.3). A `runtime error` result carries only `unique_id`, `error` and `status`, as dbt's
 * SourceFreshnessRuntimeError. dbt's schema requires a timestamp in `max_loaded_at`, so a source table
 * with no rows (which Weir counts as stale as its strictest threshold) is written with
 * `max_loaded_at: "0001-01-01T00:00:00.000Z"`, the earliest time there is, and its age from then.
 */
import { dbtMetadata, DBT_SCHEMAS, type ArtifactMetadata } from './metadata.js';

/** The time written for a source table with no rows. */
export const EMPTY_TABLE_LOADED_AT = '0001-01-01T00:00:00.000Z';

/** A freshness result as Weir computes it (see execution/freshness.ts). */
export interface FreshnessResultInput {
  readonly unique_id: string;
  readonly status: string;
  readonly max_loaded_at?: string | null;
  readonly snapshotted_at?: string;
  readonly max_loaded_at_time_ago_in_s?: number | null;
  readonly criteria: { readonly warn_after?: unknown; readonly error_after?: unknown; readonly filter?: string };
  readonly error?: string;
  readonly adapter_response: Readonly<Record<string, unknown>>;
  readonly timing: readonly { name: string; started_at: string; completed_at: string }[];
  readonly execution_time: number;
  readonly thread_id: string;
}

/** The sources.json value. @param elapsed seconds */
export function dbtSources(metadata: ArtifactMetadata, results: readonly FreshnessResultInput[], elapsed: number) {
  return {
    metadata: dbtMetadata(metadata, DBT_SCHEMAS.sources),
    elapsed_time: elapsed,
    results: results.map((r) => {
      if (r.status === 'runtime error') return { unique_id: r.unique_id, error: r.error ?? null, status: r.status };
      const snapshotted = r.snapshotted_at ?? r.timing[0]?.completed_at ?? metadata.generated_at;
      const empty = r.max_loaded_at === null || r.max_loaded_at === undefined;
      const maxLoaded = empty ? EMPTY_TABLE_LOADED_AT : r.max_loaded_at!;
      const age = empty || r.max_loaded_at_time_ago_in_s === null || r.max_loaded_at_time_ago_in_s === undefined
        ? (Date.parse(snapshotted) - Date.parse(maxLoaded)) / 1000
        : r.max_loaded_at_time_ago_in_s;
      return {
        unique_id: r.unique_id, max_loaded_at: maxLoaded, snapshotted_at: snapshotted, max_loaded_at_time_ago_in_s: age, status: r.status,
        criteria: { warn_after: r.criteria.warn_after ?? null, error_after: r.criteria.error_after ?? null, filter: r.criteria.filter ?? null },
        adapter_response: r.adapter_response, timing: r.timing, thread_id: r.thread_id, execution_time: r.execution_time,
      };
    }),
  };
}
