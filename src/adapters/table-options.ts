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
 * Each dialect says which of them it applies ({@link DdlRules.tableOptionKeys}); the others are reported
 * as not applied on that target.
 */

/** The options, validated. */
export interface TableOptions {
  readonly properties?: Readonly<Record<string, string | number | boolean | readonly (string | number | boolean)[]>>;
  readonly cluster_by?: readonly string[];
  readonly transient?: boolean;
  readonly copy_grants?: boolean;
}

/** Config keys that are table options. */
export const TABLE_OPTION_KEYS = ['properties', 'cluster_by', 'transient', 'copy_grants'] as const;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Reads and checks the table options of a model config.
 * @throws Error naming the key and what is wrong (a property name that is not an identifier, a value that is
 *   an object, a cluster_by entry that is not a column name, a non-boolean flag)
 */
export function tableOptionsOf(config: Readonly<Record<string, unknown>>): TableOptions {
  const out: { -readonly [K in keyof TableOptions]: TableOptions[K] } = {};
  const p = config.properties;
  if (p !== undefined && p !== null) {
    if (typeof p !== 'object' || Array.isArray(p)) throw new Error(`properties must be a map of table property to value, e.g. {format: PARQUET, partitioning: [region]}`);
    const props: Record<string, string | number | boolean | (string | number | boolean)[]> = {};
    for (const [k, v] of Object.entries(p as Record<string, unknown>)) {
      if (!NAME.test(k)) throw new Error(`properties: '${k}' is not a table property name (letters, digits and _)`);
      const scalar = (x: unknown) => typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x)) || typeof x === 'boolean';
      if (Array.isArray(v) ? !v.every(scalar) : !scalar(v)) throw new Error(`properties.${k}: a value is a string, number, boolean or a list of them`);
      props[k] = v as string;
    }
    out.properties = props;
  }
  const c = config.cluster_by;
  if (c !== undefined && c !== null) {
    const list = typeof c === 'string' ? [c] : c;
    if (!Array.isArray(list) || list.length === 0 || !list.every((x) => typeof x === 'string' && NAME.test(x))) {
      throw new Error(`cluster_by must be a column name or a list of column names, e.g. [order_date, region]`);
    }
    out.cluster_by = list as string[];
  }
  for (const k of ['transient', 'copy_grants'] as const) {
    const v = config[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'boolean') throw new Error(`${k} must be true or false`);
    out[k] = v;
  }
  return out;
}

/** The option keys set in `options` (in {@link TABLE_OPTION_KEYS} order). */
export function setTableOptions(options: TableOptions): (keyof TableOptions)[] {
  return TABLE_OPTION_KEYS.filter((k) => options[k] !== undefined);
}
