/**
 * The DDL DuckDB runs for materializations: ANSI (`create table ... as (...)`, `create or replace view`,
 * drop, `alter ... rename to`, in one transaction with the swap: DuckDB's DDL is transactional), and the
 * `copy ... to` statements of external models. DuckDB writes no native table options.
 */
import type { Dialect } from '../adapter.js';
import { ansiDdl, type DdlRules } from '../ansi-sql.js';

/** DuckDB's DDL rules: the ANSI forms (see `ansiDdl`). */
export const duckdbDdl: DdlRules = ansiDdl;

/** How an external model's file is written: its format, and the Hive partition columns (none: one file). */
export interface ExportOptions {
  readonly format: 'parquet' | 'csv' | 'json';
  readonly partitionBy: readonly string[];
}

/**
 * `copy (<sql>) to 'file' (format parquet, ...)`: writes a query's rows to a file (CSV with a header; with
 * `partitionBy`, a Hive-partitioned directory). https://duckdb.org/docs/stable/sql/statements/copy
 */
export function copyToFileSql(d: Dialect, sql: string, file: string, options: ExportOptions): string {
  const opts = [`format ${options.format}`];
  if (options.format === 'csv') opts.push('header true');
  if (options.partitionBy.length) opts.push(`partition_by (${options.partitionBy.map((c) => d.quoteIdentifier(c)).join(', ')})`);
  return `copy (\n${sql}\n) to ${d.literal(file)} (${opts.join(', ')})`;
}

/** The query reading what {@link copyToFileSql} wrote (`read_parquet`, `read_csv`, `read_json`). */
export function readExportSql(d: Dialect, file: string, options: ExportOptions): string {
  const ext = options.format === 'json' ? 'json' : options.format;
  const src = options.partitionBy.length ? d.literal(`${file}/**/*.${ext}`) : d.literal(file);
  const hive = options.partitionBy.length ? ', hive_partitioning = true' : '';
  if (options.format === 'parquet') return `select * from read_parquet(${src}${hive})`;
  if (options.format === 'csv') return `select * from read_csv(${src}, header = true, auto_detect = true${hive})`;
  return `select * from read_json(${src}, format = 'newline_delimited'${hive})`;
}
