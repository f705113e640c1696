/**
 * Native table options of a `table` (or an incremental model's first build) model, from its config:
 * - `properties` (Trino, https://trino.io/docs/current/sql/create-table-as.html `WITH (...)`): a map of
 *   table property → value, e.g. `{format: PARQUET, partitioning: [region, 'bucket(id, 8)'], sorted_by: [id],
 *   location: 's3://lake/x'}` (Iceberg https://trino.io/docs/current/connector/iceberg.html#table-properties,
 *   Hive https://trino.io/docs/current/connector/hive.html#table-properties, Delta Lake
 *   https://trino.io/docs/current/connector/delta-lake.html#table-properties). A string becomes a string
 *   literal, a list an `ARRAY[...]` of literals, a number or boolean itself; names must be plain identifiers.
 * - `cluster_by` (Snowflake, https://docs.snowflake.com/en/user-guide/tables-clustering-keys): column names
 *   of the clustering key, `CLUSTER BY (a, b)`.
 * - `transient` (Snowflake, https://docs.snowflake.com/en/user-guide/tables-temp-transient): a transient
 *   table (no Fail-safe); per model, overriding the target's `transient`.
 * - `copy_grants` (Snowflake, https://docs.snowflake.com/en/sql-reference/sql/create-table `COPY GRANTS`):
 *   keep the grants of the table being replaced.
 * - `on_table_exists` (Trino, dbt-trino's config,
 *   https://docs.getdbt.com/reference/resource-configs/trino-configs#on_table_exists): how a table that
 *   exists already is replaced: `rename` (default: build `<name>__weir_tmp`, rename the old table to
 *   `<name>__weir_backup`, rename the new one into place, drop the backup), `drop` (drop the old table,
 *   then create the new one in place) or `replace` (`create or replace table … as`, atomic on Iceberg).
 * Each dialect says which of them it applies ({@link DdlRules.tableOptionKeys}); the others are reported
 * as not applied on that target.
 */

import { distance } from 'fastest-levenshtein';

/** The options, validated. */
export interface TableOptions {
  readonly properties?: Readonly<Record<string, string | number | boolean | readonly (string | number | boolean)[]>>;
  readonly cluster_by?: readonly string[];
  readonly transient?: boolean;
  readonly copy_grants?: boolean;
  readonly on_table_exists?: OnTableExists;
}

/** How an existing table is replaced ({@link TableOptions.on_table_exists}). */
export type OnTableExists = 'rename' | 'drop' | 'replace';
/** The values of `on_table_exists`. */
export const ON_TABLE_EXISTS: readonly OnTableExists[] = ['rename', 'drop', 'replace'];

/** Config keys that are table options. */
export const TABLE_OPTION_KEYS = ['properties', 'cluster_by', 'transient', 'copy_grants', 'on_table_exists'] as const;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A malformed table option: `key` is the config key at fault (`properties` for any of its entries). */
export class TableOptionError extends Error {
  constructor(readonly key: (typeof TABLE_OPTION_KEYS)[number], message: string, readonly suggestion?: string) {
    super(message);
    this.name = 'TableOptionError';
  }
}

/**
 * Reads and checks the table options of a model config. The parse phase calls it (parser/configs/
 * table-options.ts), so a bad value stops the load naming the model's file, line and key.
 * @throws TableOptionError naming the key and what is wrong (a property name that is not an identifier, a
 *   value that is an object, a cluster_by entry that is not a column name, a non-boolean flag, an unknown
 *   on_table_exists), with the closest valid value where there is one
 */
export function tableOptionsOf(config: Readonly<Record<string, unknown>>): TableOptions {
  const out: { -readonly [K in keyof TableOptions]: TableOptions[K] } = {};
  const p = config.properties;
  if (p !== undefined && p !== null) {
    if (typeof p !== 'object' || Array.isArray(p)) throw new TableOptionError('properties', `properties must be a map of table property to value, e.g. {format: PARQUET, partitioning: [region]}`);
    const props: Record<string, string | number | boolean | (string | number | boolean)[]> = {};
    for (const [k, v] of Object.entries(p as Record<string, unknown>)) {
      if (!NAME.test(k)) throw new TableOptionError('properties', `properties: '${k}' is not a table property name (letters, digits and _)`);
      const scalar = (x: unknown) => typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x)) || typeof x === 'boolean';
      if (Array.isArray(v) ? !v.every(scalar) : !scalar(v)) throw new TableOptionError('properties', `properties.${k}: a value is a string, number, boolean or a list of them`);
      props[k] = v as string;
    }
    out.properties = props;
  }
  const c = config.cluster_by;
  if (c !== undefined && c !== null) {
    const list = typeof c === 'string' ? [c] : c;
    if (!Array.isArray(list) || list.length === 0 || !list.every((x) => typeof x === 'string' && NAME.test(x))) {
      throw new TableOptionError('cluster_by', `cluster_by must be a column name or a list of column names, e.g. [order_date, region]`);
    }
    out.cluster_by = list as string[];
  }
  for (const k of ['transient', 'copy_grants'] as const) {
    const v = config[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'boolean') throw new TableOptionError(k, `${k} must be true or false, got ${JSON.stringify(v)}`, typeof v === 'string' && /^(true|false)$/i.test(v) ? v.toLowerCase() : undefined);
    out[k] = v;
  }
  const ote = config.on_table_exists;
  if (ote !== undefined && ote !== null) {
    if (typeof ote !== 'string' || !(ON_TABLE_EXISTS as readonly string[]).includes(ote)) {
      const s = typeof ote === 'string' ? closestValue(ote, ON_TABLE_EXISTS) : undefined;
      throw new TableOptionError('on_table_exists', `on_table_exists must be one of ${ON_TABLE_EXISTS.join(', ')}, got ${JSON.stringify(ote)}`, s);
    }
    out.on_table_exists = ote as OnTableExists;
  }
  return out;
}

/** The option keys set in `options` (in {@link TABLE_OPTION_KEYS} order). */
export function setTableOptions(options: TableOptions): (keyof TableOptions)[] {
  return TABLE_OPTION_KEYS.filter((k) => options[k] !== undefined);
}

/** The value of `values` nearest to `v` (case-insensitive, at most 3 edits), or undefined. */
function closestValue(v: string, values: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 4;
  for (const c of values) {
    const d = distance(v.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best;
}
