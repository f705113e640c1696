/**
 * Loading seed files on Snowflake: the CSV (`.csv`, `.tsv`, `.gz`) is parsed client-side with csv-parse,
 * column types are inferred like DuckDB's sniffer (BIGINT, DOUBLE, BOOLEAN, DATE, TIMESTAMP, else VARCHAR;
 * `column_types` override), rows are inserted in batches with positional binds into a temporary table, and
 * the target is replaced in one `create or replace table ... as select` (the old seed stays if loading
 * fails). A big seed (at least the target's `seed_stage_rows` rows or `seed_stage_bytes` bytes) is instead
 * PUT to a temporary stage and loaded with `COPY INTO` (one upload instead of a round trip per batch of
 * binds; https://docs.snowflake.com/en/user-guide/data-load-local-file-system): snowflake-sdk uploads the
 * file itself (compressed with gzip) when it sees the PUT command.
 */
import { createReadStream, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { WeirError } from '../../errors/weir-error.js';
import type { Adapter, Connection, SeedLoad } from '../adapter.js';
import { tmpRelation } from '../relation-swap.js';
import { mapSnowflakeError } from './connection.js';
import type { SnowflakeTarget } from './target.js';

/**
 * Loads a seed into `seed.relation`, replacing it (`adapter`: the Snowflake adapter, for its dialect and
 * catalog; `config`: the target's, for whether tables are transient, and the rows per INSERT).
 * @returns rows loaded
 * @throws WeirError `WEIR_SEED_INVALID` naming the file (and the first row of a batch that failed)
 */
export async function loadSeed(adapter: Adapter, conn: Connection, seed: SeedLoad, config: Pick<SnowflakeTarget, 'transient' | 'seed_batch_rows' | 'seed_stage_rows' | 'seed_stage_bytes'>): Promise<number> {
  if ((seed.format ?? 'csv') !== 'csv') {
    throw new WeirError('WEIR_SEED_INVALID', `${seed.format} seeds load on DuckDB only; Snowflake seeds are CSV (or .xlsx, converted to CSV)`, {
      location: { file: seed.displayPath }, hint: 'Convert the file to CSV, or load it into a table on the engine and declare it as a source.',
    });
  }
  const d = adapter.dialect;
  const { header, rows } = await readSeedCsv(seed);
  for (const k of Object.keys(seed.columnTypes)) {
    if (!header.includes(k)) {
      throw new WeirError('WEIR_SEED_INVALID', `column_types names '${k}', which is not a column of the CSV header (${header.join(', ')})`, {
        location: { file: seed.displayPath }, hint: 'A column in config.column_types is not in the CSV header: fix the name in the seed YAML.',
      });
    }
  }
  const types = header.map((h, i) => seed.columnTypes[h] ?? inferType(rows, i));
  const tmp = d.relation(tmpRelation(seed.relation));
  const target = d.relation(seed.relation);
  const cols = header.map((h) => d.quoteIdentifier(h));
  await conn.execute(`create or replace ${config.transient ? 'transient ' : ''}table ${tmp} (${cols.map((c, i) => `${c} ${types[i]}`).join(', ')})`);
  try {
    if (throughStage(seed, rows.length, config)) await copyThroughStage(adapter, conn, seed, tmp, cols);
    else await insertBatches(conn, seed, rows, header, tmp, target, cols, config.seed_batch_rows);
    const existing = await adapter.relationKind(conn, seed.relation);
    if (existing === 'view') await conn.execute(d.ddl.dropRelation(target, 'view'));
    await conn.execute(`create or replace ${config.transient ? 'transient ' : ''}table ${target} as select * from ${tmp}`);
  } finally {
    await conn.execute(`drop table if exists ${tmp}`).catch(() => undefined);
  }
  return rows.length;
}

/**
 * Whether a seed goes through a stage: a UTF-8 CSV (plain or gzipped) of at least `seed_stage_rows` rows or
 * `seed_stage_bytes` bytes, whose path can stand in a PUT command (no quote, whitespace or backslash). Other
 * encodings are decoded client-side and inserted.
 */
function throughStage(seed: SeedLoad, rows: number, config: Pick<SnowflakeTarget, 'seed_stage_rows' | 'seed_stage_bytes'>): boolean {
  if (seed.encoding && !/^utf-?8$/i.test(seed.encoding)) return false;
  if (/['\s\\]/.test(seed.file)) return false;
  return rows >= config.seed_stage_rows || statSync(seed.file).size >= config.seed_stage_bytes;
}

/**
 * `create temporary stage`, `put 'file://<seed>' @stage auto_compress = true`, then `copy into <tmp> (cols)
 * from @stage file_format = (type = csv …) on_error = abort_statement purge = true`
 * (https://docs.snowflake.com/en/sql-reference/sql/put, .../copy-into-table); the stage is dropped after.
 * Empty fields load as NULL, as the INSERT path does.
 * @throws WeirError `WEIR_SEED_INVALID` naming the file when the upload or the COPY fails
 */
async function copyThroughStage(adapter: Adapter, conn: Connection, seed: SeedLoad, tmp: string, cols: readonly string[]): Promise<void> {
  const d = adapter.dialect;
  const stage = d.relation({ ...seed.relation, identifier: `${seed.relation.identifier}__weir_stage` });
  const delimiter = seed.delimiter ?? (/\.tsv(\.gz)?$/.test(seed.file) ? '\t' : ',');
  await conn.execute(`create or replace temporary stage ${stage}`);
  try {
    await conn.execute(`put 'file://${seed.file}' @${stage} auto_compress = true overwrite = true`);
    await conn.execute(`copy into ${tmp} (${cols.join(', ')}) from @${stage} file_format = (type = csv field_delimiter = ${d.literal(delimiter)} skip_header = 1 `
      + `field_optionally_enclosed_by = '"' empty_field_as_null = true null_if = ('') compression = auto) on_error = abort_statement purge = true`);
  } catch (e) {
    const m = mapSnowflakeError(e);
    throw new WeirError('WEIR_SEED_INVALID', `seed could not be loaded into ${tmp} through stage ${stage}: ${m.message}`, {
      location: { file: seed.displayPath },
      hint: 'A value does not match its column type (fix it or set config.column_types, e.g. VARCHAR), or the file could not be uploaded.',
      cause: e,
    });
  } finally {
    await conn.execute(`drop stage if exists ${stage}`).catch(() => undefined);
  }
}

/** Inserts `rows` into `tmp` in batches (bounded by `batchRows` and by ~16k binds per statement). */
async function insertBatches(conn: Connection, seed: SeedLoad, rows: readonly string[][], header: readonly string[], tmp: string, target: string, cols: readonly string[], batchRows: number): Promise<void> {
  // Batches of rows, bounded by the row limit and by ~16k binds per statement.
  const perBatch = Math.max(1, Math.min(batchRows, Math.floor(16_000 / Math.max(1, header.length))));
  const rowSql = `(${header.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += perBatch) {
    const batch = rows.slice(i, i + perBatch);
    const binds = batch.flatMap((r) => r.map((v) => (v === '' ? null : v)));
    try {
      await conn.execute(`insert into ${tmp} (${cols.join(', ')}) values ${batch.map(() => rowSql).join(', ')}`, binds);
    } catch (e) {
      const m = mapSnowflakeError(e);
      throw new WeirError('WEIR_SEED_INVALID', `seed rows ${i + 1}-${i + batch.length} could not be loaded into ${target}: ${m.message}`, {
        location: { file: seed.displayPath, line: i + 2 },
        hint: 'A value does not match its column type: fix the value or set config.column_types for that column (e.g. VARCHAR).',
        cause: e,
      });
    }
  }
}

/** Reads a seed CSV (optionally gzipped) with csv-parse: header + rows of strings. */
async function readSeedCsv(seed: SeedLoad): Promise<{ header: string[]; rows: string[][] }> {
  const { parse } = await import('csv-parse');
  const delimiter = seed.delimiter ?? (/\.tsv(\.gz)?$/.test(seed.file) ? '\t' : ',');
  let input: Readable = createReadStream(seed.file);
  if (/\.gz$/.test(seed.file)) input = input.pipe(createGunzip());
  // A non-UTF-8 seed (config encoding) is decoded to text first (WHATWG encodings: latin-1, utf-16).
  if (seed.encoding && seed.encoding !== 'utf-8') {
    const chunks: Buffer[] = [];
    for await (const c of input) chunks.push(c as Buffer);
    input = Readable.from([new TextDecoder(seed.encoding).decode(Buffer.concat(chunks))]);
  }
  const records: string[][] = [];
  try {
    const parser = input.pipe(parse({ delimiter, bom: true, relax_column_count: false, skip_empty_lines: true, trim: false }));
    input.on('error', (e) => parser.destroy(e));
    for await (const rec of parser) records.push(rec as string[]);
  } catch (e) {
    const err = e as Error & { lines?: number; code?: string };
    if (err.code === 'ENOENT' || err.code === 'EACCES' || err.code === 'Z_DATA_ERROR') {
      throw new WeirError('WEIR_SEED_INVALID', `the seed file could not be read: ${err.message}`, { location: { file: seed.displayPath }, hint: 'The seed file could not be read.', cause: e });
    }
    throw new WeirError('WEIR_SEED_INVALID', `malformed seed CSV: ${err.message}`, {
      location: { file: seed.displayPath, line: err.lines },
      hint: 'Check that every row has the same number of fields as the header and that quotes are balanced.',
      cause: e,
    });
  }
  if (records.length === 0) throw new WeirError('WEIR_SEED_INVALID', 'the seed CSV is empty (no header)', { location: { file: seed.displayPath } });
  return { header: records[0], rows: records.slice(1) };
}

const INT = /^[+-]?\d{1,18}$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const BOOL = /^(true|false)$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/;

/**
 * The column type of seed column `i`, inferred over every non-empty value like DuckDB's CSV sniffer:
 * BIGINT, DOUBLE, BOOLEAN, DATE, TIMESTAMP (NTZ on Snowflake), else VARCHAR. Names valid on Snowflake
 * and DuckDB alike.
 */
export function inferType(rows: readonly (readonly string[])[], i: number): string {
  const candidates: [string, RegExp][] = [['BIGINT', INT], ['DOUBLE', FLOAT], ['BOOLEAN', BOOL], ['DATE', DATE], ['TIMESTAMP', TIMESTAMP]];
  let alive = candidates;
  let any = false;
  for (const r of rows) {
    const v = r[i];
    if (v === undefined || v === '') continue;
    any = true;
    alive = alive.filter(([, re]) => re.test(v));
    if (!alive.length) return 'VARCHAR';
  }
  return any ? alive[0][0] : 'VARCHAR';
}
