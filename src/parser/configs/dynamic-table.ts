/**
 * `materialized: dynamic_table` configuration (Snowflake dynamic tables, with dbt-snowflake's config names,
 * https://docs.getdbt.com/reference/resource-configs/snowflake-configs#dynamic-tables and
 * https://docs.snowflake.com/en/sql-reference/sql/create-dynamic-table): `target_lag` (required:
 * `'<n> seconds|minutes|hours|days'`, at least 1 minute, or `downstream`), `snowflake_warehouse` (or
 * `warehouse`; default the target's `warehouse`), `refresh_mode` (AUTO | FULL | INCREMENTAL) and
 * `initialize` (ON_CREATE | ON_SCHEDULE). Checked in the parse phase and stored on the node
 * (`ModelNode.dynamic_table`), which execution reads.
 */
import { WeirError } from '../../errors/weir-error.js';
import { closestKey } from '../../loader/config-keys.js';
import type { DynamicTableConfig, DynamicTableInitialize, DynamicTableRefreshMode } from '../../manifest/node-configs.js';
import type { NodeConfig } from '../../manifest/types.js';
import type { KeySite } from './table-options.js';

/** `refresh_mode` values. */
export const REFRESH_MODES = ['AUTO', 'FULL', 'INCREMENTAL'] as const satisfies readonly DynamicTableRefreshMode[];
/** `initialize` values. */
export const INITIALIZE_MODES = ['ON_CREATE', 'ON_SCHEDULE'] as const satisfies readonly DynamicTableInitialize[];

const SECONDS: Readonly<Record<string, number>> = { second: 1, minute: 60, hour: 3600, day: 86400 };

/**
 * Reads a target lag: `downstream` → `DOWNSTREAM`; `'<n> <unit>'` (unit second(s), minute(s), hour(s) or
 * day(s), any case) → that text in lower case with one space; undefined when malformed or under 1 minute
 * (Snowflake's minimum).
 */
export function parseTargetLag(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  if (/^downstream$/i.test(t)) return 'DOWNSTREAM';
  const m = /^(\d{1,9})\s*(second|minute|hour|day)(s?)$/i.exec(t);
  if (!m || Number(m[1]) * SECONDS[m[2].toLowerCase()] < 60) return undefined;
  return `${Number(m[1])} ${m[2].toLowerCase()}${m[3].toLowerCase()}`;
}

/**
 * Reads and checks a model's dynamic table config.
 * @param name the model's name (in messages)
 * @param site where each key was written (file and line of the key)
 * @param targetWarehouse the target's `warehouse`, used when the model sets none
 * @throws WeirError `WEIR_CONFIG_INVALID` naming the file, line and key: target_lag missing or not a
 *   duration of at least 1 minute, no warehouse, an unknown refresh_mode or initialize (with the closest value)
 */
export function dynamicTableConfigOf(config: NodeConfig, name: string, site: KeySite, targetWarehouse: unknown): DynamicTableConfig {
  const bad = (key: string, message: string, hint: string) =>
    new WeirError('WEIR_CONFIG_INVALID', `model '${name}': ${message}`, { location: { ...site(key), keyPath: key }, hint });
  if (config.target_lag === undefined || config.target_lag === null) {
    throw bad('materialized', 'a dynamic_table needs target_lag (how far it may lag behind its inputs)', "e.g. target_lag: '30 minutes' (seconds, minutes, hours or days; at least 1 minute), or target_lag: downstream");
  }
  const targetLag = parseTargetLag(config.target_lag);
  if (!targetLag) {
    throw bad('target_lag', `target_lag must be '<number> seconds|minutes|hours|days' (at least 1 minute) or downstream, got ${JSON.stringify(config.target_lag)}`, "e.g. target_lag: '30 minutes'");
  }
  const whKey = config.snowflake_warehouse !== undefined ? 'snowflake_warehouse' : 'warehouse';
  const wh = config.snowflake_warehouse ?? config.warehouse ?? targetWarehouse;
  if (wh === undefined || wh === null) {
    throw bad('materialized', 'a dynamic_table needs a warehouse to refresh it: set snowflake_warehouse, or warehouse on the target', 'e.g. snowflake_warehouse: transform_wh');
  }
  if (typeof wh !== 'string' || !wh.trim()) throw bad(whKey, `${whKey} must be a warehouse name, got ${JSON.stringify(wh)}`, 'e.g. snowflake_warehouse: transform_wh');
  const choice = <T extends string>(key: string, values: readonly T[]): T | undefined => {
    const v = config[key];
    if (v === undefined || v === null) return undefined;
    const up = typeof v === 'string' ? v.trim().toUpperCase() : undefined;
    if (up !== undefined && (values as readonly string[]).includes(up)) return up as T;
    const s = typeof v === 'string' ? closestKey(v, values) : undefined;
    throw bad(key, `${key} must be one of ${values.join(', ')}, got ${JSON.stringify(v)}`, s ? `Did you mean '${s}'?` : `Use one of: ${values.join(', ')}.`);
  };
  return { targetLag, warehouse: wh.trim(), refreshMode: choice('refresh_mode', REFRESH_MODES), initialize: choice('initialize', INITIALIZE_MODES) };
}
