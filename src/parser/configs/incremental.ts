/**
 * Validation of the `incremental` materialization's config keys, with dbt's names and defaults
 * (https://docs.getdbt.com/docs/build/incremental-models, .../incremental-strategy, .../incremental-microbatch):
 * `incremental_strategy`, `unique_key`, `on_schema_change`, and for `microbatch` `event_time`,
 * `batch_size`, `begin` and `lookback`. The parse phase calls {@link incrementalConfigOf} so a bad value is
 * reported with the model's file before anything runs, and stores the result on the node (`ModelNode.incremental`).
 */
import { WeirError } from '../../errors/weir-error.js';
import type { BatchSize, IncrementalConfig, IncrementalStrategy, MicrobatchConfig, OnSchemaChange } from '../../manifest/node-configs.js';
import type { NodeConfig } from '../../manifest/types.js';
import { parseUtcDate } from '../../utils/utc-date.js';

/** Incremental strategies. */
export const INCREMENTAL_STRATEGIES = ['append', 'merge', 'delete+insert', 'microbatch'] as const satisfies readonly IncrementalStrategy[];
/** What an incremental run does when the model's columns differ from the table's. */
export const ON_SCHEMA_CHANGE = ['ignore', 'fail', 'append_new_columns', 'sync_all_columns'] as const satisfies readonly OnSchemaChange[];
/** Microbatch batch sizes. */
export const BATCH_SIZES = ['hour', 'day', 'month', 'year'] as const satisfies readonly BatchSize[];

const keyList = (v: unknown): string[] | undefined => {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' && x.trim())) return v.map((x) => (x as string).trim());
  return undefined;
};

/**
 * Reads and checks a model's incremental config.
 * @param file the model's path (named in errors)
 * @throws WeirError `WEIR_CONFIG_INVALID` naming the key, the bad value and the allowed values
 */
export function incrementalConfigOf(config: NodeConfig, name: string, file: string): IncrementalConfig {
  const bad = (msg: string, hint: string) => new WeirError('WEIR_CONFIG_INVALID', `model '${name}': ${msg}`, { location: { file }, hint });
  const uniqueKey = keyList(config.unique_key);
  if (!uniqueKey) throw bad(`unique_key must be a column name or a list of column names, got ${JSON.stringify(config.unique_key)}`, 'e.g. unique_key="id" or, in YAML, unique_key: [order_id, line_no]');
  const strategy = String(config.incremental_strategy ?? (uniqueKey.length ? 'merge' : 'append'));
  if (!(INCREMENTAL_STRATEGIES as readonly string[]).includes(strategy)) {
    throw bad(`unknown incremental_strategy '${strategy}'`, `Use one of: ${INCREMENTAL_STRATEGIES.join(', ')}.`);
  }
  if (strategy === 'delete+insert' && uniqueKey.length === 0) {
    throw bad('incremental_strategy delete+insert needs a unique_key (the rows to replace are found by it)', 'Add unique_key="id", or use incremental_strategy="append".');
  }
  const onSchemaChange = String(config.on_schema_change ?? 'ignore');
  if (!(ON_SCHEMA_CHANGE as readonly string[]).includes(onSchemaChange)) {
    throw bad(`unknown on_schema_change '${onSchemaChange}'`, `Use one of: ${ON_SCHEMA_CHANGE.join(', ')}.`);
  }
  let microbatch: MicrobatchConfig | undefined;
  if (strategy === 'microbatch') {
    const eventTime = config.event_time;
    if (typeof eventTime !== 'string' || !eventTime.trim()) throw bad('incremental_strategy microbatch needs event_time (the column that dates each row)', 'e.g. {{config materialized="incremental" incremental_strategy="microbatch" event_time="ordered_at" batch_size="day" begin="2024-01-01"}}');
    const batchSize = String(config.batch_size ?? '');
    if (!(BATCH_SIZES as readonly string[]).includes(batchSize)) throw bad(`microbatch batch_size must be one of ${BATCH_SIZES.join(', ')}, got '${batchSize}'`, 'e.g. batch_size="day"');
    const begin = parseUtcDate(config.begin);
    if (!begin) throw bad(`microbatch begin must be a date such as "2024-01-01", got ${JSON.stringify(config.begin)}`, 'begin is where the first batch of a full build starts (UTC).');
    const lookback = config.lookback === undefined ? 1 : Number(config.lookback);
    if (!Number.isInteger(lookback) || lookback < 0 || lookback > 10_000) throw bad(`microbatch lookback must be a whole number ≥ 0, got ${JSON.stringify(config.lookback)}`, 'lookback is how many batches before the current one are re-processed (default 1).');
    microbatch = { eventTime: eventTime.trim(), batchSize: batchSize as BatchSize, begin, lookback };
  }
  return { strategy: strategy as IncrementalStrategy, uniqueKey, onSchemaChange: onSchemaChange as OnSchemaChange, microbatch };
}
