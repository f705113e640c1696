/**
 * `materialized: external` configuration (after dbt-duckdb's external materialization,
 * https://github.com/duckdb/dbt-duckdb#writing-to-external-files): `format` (`parquet` default, `csv`,
 * `json`), `location` (a file path relative to the project directory unless absolute; default
 * `<target-path>/external/<name>.<format>`) and `partition_by` (a column or a list: the file becomes a
 * Hive-partitioned directory). Checked in the parse phase and stored on the node (`ModelNode.external`), which execution reads.
 */
import { WeirError } from '../../errors/weir-error.js';
import type { ExternalConfig, ExternalFormat } from '../../manifest/node-configs.js';
import type { NodeConfig } from '../../manifest/types.js';

/** File formats an external model writes. */
export const EXTERNAL_FORMATS = ['parquet', 'csv', 'json'] as const satisfies readonly ExternalFormat[];

/**
 * Reads and checks a model's external config.
 * @throws WeirError `WEIR_CONFIG_INVALID` naming the model's file for a bad format, location or partition_by
 */
export function externalConfigOf(config: NodeConfig, name: string, file: string): ExternalConfig {
  const bad = (message: string, hint: string) => new WeirError('WEIR_CONFIG_INVALID', `model '${name}': ${message}`, { location: { file }, hint });
  const format = String(config.format ?? 'parquet').toLowerCase();
  if (!(EXTERNAL_FORMATS as readonly string[]).includes(format)) throw bad(`external format must be one of ${EXTERNAL_FORMATS.join(', ')}, got ${JSON.stringify(config.format)}`, 'e.g. format: parquet');
  const location = config.location;
  if (location !== undefined && (typeof location !== 'string' || !location.trim())) throw bad(`external location must be a file path, got ${JSON.stringify(location)}`, 'e.g. location: exports/orders.parquet (relative to the project directory)');
  const pb = config.partition_by;
  const partitionBy = pb === undefined || pb === null ? [] : typeof pb === 'string' ? pb.split(',').map((s) => s.trim()).filter(Boolean) : pb;
  if (!Array.isArray(partitionBy) || !partitionBy.every((c) => typeof c === 'string' && c.trim())) throw bad(`partition_by must be a column name or a list of column names, got ${JSON.stringify(pb)}`, 'e.g. partition_by: [order_month]');
  return { format: format as ExternalConfig['format'], location: location as string | undefined, partitionBy: partitionBy as string[] };
}
