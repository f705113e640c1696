/**
 * Strict configs: the config keys Weir knows per resource type and materialization, the dbt keys it does
 * not implement, and the check that refuses anything else (file, line, key and the closest known key).
 * Everything below `meta:` is free-form and never checked.
 *
 * Key names follow dbt's resource configs (https://docs.getdbt.com/reference/model-configs,
 * https://docs.getdbt.com/reference/seed-configs, https://docs.getdbt.com/reference/snapshot-configs,
 * https://docs.getdbt.com/reference/data-test-configs, https://docs.getdbt.com/reference/source-configs).
 */
import { closest } from '../utils/closest.js';
import { WeirError } from '../errors/weir-error.js';
import { splitLevel } from './folder-config.js';

/** The resource types whose configs are checked. */
export type ConfigResource = 'model' | 'seed' | 'snapshot' | 'test' | 'source';

const COMMON = ['enabled', 'tags', 'meta', 'docs', 'schema', 'database', 'alias', 'pre_hook', 'post_hook', 'pre-hook', 'post-hook', 'grants', 'event_time'];
/** Keys of an incremental model (see parser/configs/incremental.ts). */
export const INCREMENTAL_KEYS = ['unique_key', 'incremental_strategy', 'on_schema_change', 'batch_size', 'begin', 'lookback'] as const;
/** Keys of a snapshot (see parser/configs/snapshot.ts). */
export const SNAPSHOT_KEYS = ['unique_key', 'strategy', 'updated_at', 'check_cols', 'hard_deletes', 'invalidate_hard_deletes'] as const;
/** Keys of an external model (see parser/configs/external.ts). */
export const EXTERNAL_KEYS = ['format', 'location', 'partition_by'] as const;
/** Keys of a dynamic table (see parser/configs/dynamic-table.ts). */
export const DYNAMIC_TABLE_KEYS = ['target_lag', 'snowflake_warehouse', 'warehouse', 'refresh_mode', 'initialize'] as const;
/** Data test keys (see compiler/test-config.ts). */
export const TEST_KEYS = ['enabled', 'tags', 'meta', 'severity', 'where', 'limit', 'fail_calc', 'warn_if', 'error_if', 'store_failures', 'store_failures_as', 'schema', 'database', 'alias'] as const;

/** Keys valid for a model whatever its materialization. */
const MODEL_BASE = [...COMMON, 'materialized', 'contract', 'on_udf_unavailable', 'on_error', 'group', 'access', 'query_tag'];
/** Materialization-specific model keys: key → the materializations it belongs to. */
const MODEL_BY_MATERIALIZATION: Readonly<Record<string, readonly string[]>> = {
  ...Object.fromEntries(
    [...new Set<string>([...INCREMENTAL_KEYS, ...SNAPSHOT_KEYS, ...EXTERNAL_KEYS])].map((k) => [k, [
      ...((INCREMENTAL_KEYS as readonly string[]).includes(k) ? ['incremental'] : []),
      ...((SNAPSHOT_KEYS as readonly string[]).includes(k) ? ['snapshot'] : []),
    ...((EXTERNAL_KEYS as readonly string[]).includes(k) ? ['external'] : []),
    ]]),
  ),
  // Write-audit-publish opt-out (execution/tests/audit.ts): only staged materializations are audited.
  audit: ['table', 'incremental'],
  // Native table options (adapters/table-options.ts).
  properties: ['table', 'incremental', 'materialized_view'],
  cluster_by: ['table', 'incremental', 'materialized_view'],
  transient: ['table', 'incremental'],
  copy_grants: ['table', 'incremental', 'materialized_view'],
  on_table_exists: ['table'],
  // Dynamic tables (parser/configs/dynamic-table.ts).
  ...Object.fromEntries(DYNAMIC_TABLE_KEYS.map((k) => [k, ['dynamic_table']])),
  // Several statements in the body, with the reason (execution/materializations/statements.ts).
  allow_multiple_statements: ['table', 'view'],
};

const KNOWN: Readonly<Record<ConfigResource, ReadonlySet<string>>> = {
  model: new Set([...MODEL_BASE, ...Object.keys(MODEL_BY_MATERIALIZATION)]),
  seed: new Set([...COMMON, 'materialized', 'column_types', 'delimiter', 'encoding', 'sheet']),
  snapshot: new Set([...COMMON, 'materialized', ...SNAPSHOT_KEYS]),
  test: new Set(TEST_KEYS),
  source: new Set(['enabled', 'tags', 'meta', 'event_time', 'freshness', 'loaded_at_field', 'external_location']),
};

/**
 * dbt (core or adapter) config keys Weir does not implement: refused with that sentence instead of being
 * accepted with no effect.
 */
const NOT_IMPLEMENTED: Readonly<Record<string, string>> = {
  persist_docs: 'descriptions are written to the manifest and docs site, not to the warehouse',
  full_refresh: 'pass --full-refresh on the command line',
  on_configuration_change: 'a materialized view or dynamic table is replaced on every run (create or replace)',
  sql_header: 'write the statement in a pre_hook',
  quote_columns: 'seed column names are always quoted',
  quoting: 'identifiers are always quoted',
  automatic_clustering: 'clustering keys are not set by Weir',
  secure: 'secure views are not created by Weir',
  partitioned_by: 'table properties are not set by Weir',
  target_schema: 'use schema:',
  target_database: 'use database:',
  snapshot_meta_column_names: 'the snapshot columns are weir_valid_from, weir_valid_to, weir_updated_at, weir_scd_id',
  dbt_valid_to_current: 'the current version has weir_valid_to NULL',
  incremental_predicates: 'filter in the model with {{#if (is_incremental)}}',
  merge_update_columns: 'merge updates every column the table and the model share',
  merge_exclude_columns: 'merge updates every column the table and the model share',
  packages: 'Weir has no Python models',
  submission_method: 'Weir has no Python models',
  store_failures_as_view: 'use store_failures_as: view',
  batch_id: 'microbatch batches are computed from event_time, batch_size and begin',
  concurrent_batches: 'batches run one after the other',
};

/** Where a config was written, for messages. */
export interface ConfigKeySite {
  readonly file: string;
  /** Line of the config as a whole (fallback). */
  readonly line?: number;
  /** Line of each key, where known. */
  readonly keyLines?: Readonly<Record<string, number | undefined>>;
  /** e.g. `model 'orders'`. */
  readonly what: string;
}

const normalise = (k: string): string => (k === 'pre-hook' ? 'pre_hook' : k === 'post-hook' ? 'post_hook' : k);

/**
 * The known key closest to `key` by edit distance (at most max(2, 40% of its length) edits), or undefined
 * ({@link closest}).
 */
export function closestKey(key: string, known: Iterable<string>): string | undefined {
  return closest(key, known);
}

/** The config keys Weir knows for a resource type (any materialization). */
export function knownConfigKeys(resource: ConfigResource): ReadonlySet<string> {
  return KNOWN[resource];
}

/**
 * Checks the keys of one config layer. Problems go to `errors` as `WEIR_CONFIG_INVALID` naming the
 * file, line and key: an unknown key (with the closest known key as hint: did you mean `materialized`?), a
 * dbt key Weir does not implement (saying so), or — when `materialized` is given — a key that belongs to
 * another materialization (`unique_key` on a view).
 * @param config the layer as written (keys are not normalised; `+` prefixes already removed)
 * @param resource its resource type
 * @param materialized the node's materialization when known (models); undefined checks against every
 *   materialization of the resource type (folder config in project.yaml)
 * @param onlyMaterialization report only keys of another materialization (the layer's unknown keys were
 *   reported already, e.g. by the loader for schema YAML)
 */
export function checkConfigKeys(
  config: Readonly<Record<string, unknown>>,
  resource: ConfigResource,
  site: ConfigKeySite,
  errors: WeirError[],
  materialized?: string,
  onlyMaterialization = false,
): void {
  const known = KNOWN[resource];
  for (const raw of Object.keys(config)) {
    const key = normalise(raw);
    const location = { file: site.file, line: site.keyLines?.[raw] ?? site.line };
    if (known.has(key)) {
      const owners = resource === 'model' ? MODEL_BY_MATERIALIZATION[key] : undefined;
      if (owners && materialized !== undefined && !owners.includes(materialized)) {
        errors.push(new WeirError('WEIR_CONFIG_INVALID', `${site.what}: config '${raw}' applies to ${owners.join(' and ')} models, not to a ${materialized}`, {
          location, hint: `Set materialized: ${owners[0]}, or remove '${raw}'.`,
        }));
      }
      continue;
    }
    if (onlyMaterialization) continue;
    const why = NOT_IMPLEMENTED[key];
    if (why !== undefined) {
      errors.push(new WeirError('WEIR_CONFIG_INVALID', `${site.what}: config '${raw}' is a dbt config Weir does not implement`, {
        location, hint: `Remove it (${why}); keys under meta: are free-form.`,
      }));
      continue;
    }
    const s = closestKey(key, known);
    errors.push(new WeirError('WEIR_CONFIG_INVALID', `${site.what}: unknown config '${raw}'`, {
      location,
      hint: s ? `Did you mean \`${s}\`? Free-form values go under meta:.` : `Known ${resource} configs: ${[...known].filter((k) => !k.includes('-')).sort().join(', ')}; free-form values go under meta:.`,
    }));
  }
}

/**
 * Checks every level of a project.yaml folder-config tree (`models:`, `seeds:`, `snapshots:`,
 * `data_tests:`): its config keys (`+key`, or a scalar key) against the resource type's keys for any
 * materialization (a folder's files may set their own).
 * @param treeKey the project.yaml key the tree is under
 * @param locate line of a key path in project.yaml
 */
export function checkFolderConfigKeys(
  tree: Readonly<Record<string, unknown>>,
  treeKey: string,
  resource: ConfigResource,
  file: string,
  locate: (path: readonly string[]) => number | undefined,
  errors: WeirError[],
): void {
  const walk = (level: Readonly<Record<string, unknown>>, at: string[]) => {
    const { config, folders } = splitLevel(level as Record<string, unknown>);
    const rawKey = (k: string) => (`+${k}` in level ? `+${k}` : k);
    const keyLines: Record<string, number | undefined> = {};
    for (const k of Object.keys(config)) keyLines[k] = locate([...at, rawKey(k)]);
    checkConfigKeys(config, resource, { file, line: locate(at), keyLines, what: `${at.join('.')} (folder config)` }, errors);
    for (const [name, sub] of Object.entries(folders)) walk(sub, [...at, name]);
  };
  walk(tree, [treeKey]);
}
