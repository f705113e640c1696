/**
 * Loading seed files on Trino: the CSV (`.csv`, `.tsv`, `.gz`) is read client-side (csv-parse), column
 * types come from `column_types` or are inferred ({@link inferSeedType}), and rows are inserted into
 * `<name>__weir_tmp` with batched `INSERT ... VALUES` of typed literals (Trino's REST protocol has no
 * binds), then swapped in.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import { WeirError } from '../../errors/weir-error.js';
import type { Adapter, Connection, SeedLoad } from '../adapter.js';
import { swapIn, tmpRelation } from '../relation-swap.js';
import { trinoDialect } from './dialect.js';
import type { TrinoTarget } from './target.js';

/**
 * Reads the CSV client-side (csv-parse; `.gz` gunzipped), creates `<name>__weir_tmp` with the column
 * types (config `column_types`, else inferred: see {@link inferSeedType}), inserts it in batches of
 * `seed_batch_rows` rows, then swaps it in. Empty fields are NULL.
 * @param adapter the Trino adapter (for the swap and its catalog)
 * @param config the target's settings (`seed_batch_rows`)
 * @returns rows loaded
 * @throws WeirError `WEIR_SEED_INVALID` naming the file
 */
export async function loadSeed(adapter: Adapter, conn: Connection, seed: SeedLoad, config: Pick<TrinoTarget, 'seed_batch_rows'>): Promise<number> {
  if ((seed.format ?? 'csv') !== 'csv') {
    throw new WeirError('WEIR_SEED_INVALID', `${seed.format} seeds load on DuckDB only; Trino seeds are CSV (or .xlsx, converted to CSV)`, {
      location: { file: seed.displayPath }, hint: 'Convert the file to CSV, or load it into a table on the engine and declare it as a source.',
    });
  }
  const d = trinoDialect;
  const { header, records } = readSeedCsv(seed);
  const lowerTypes = new Map(Object.entries(seed.columnTypes).map(([k, v]) => [k.toLowerCase(), v]));
  for (const k of lowerTypes.keys()) {
    if (!header.some((h) => h.toLowerCase() === k)) {
      throw new WeirError('WEIR_SEED_INVALID', `column_types names '${k}', which is not a column of the CSV header (${header.join(', ')})`, {
        location: { file: seed.displayPath, line: 1 },
        hint: 'A column in config.column_types is not in the CSV header: fix the name in the seed YAML.',
      });
    }
  }
  const types = header.map((h, i) => lowerTypes.get(h.toLowerCase()) ?? inferSeedType(records.map((r) => r[i])));
  const tmp = tmpRelation(seed.relation);
  const tmpSql = d.relation(tmp);
  await conn.execute(d.ddl.dropRelation(tmpSql, 'table'));
  await conn.execute(`create table ${tmpSql} (${header.map((h, i) => `${d.quoteIdentifier(h)} ${types[i]}`).join(', ')})`);
  try {
    const batch = config.seed_batch_rows;
    for (let i = 0; i < records.length; i += batch) {
      const values = records.slice(i, i + batch).map((r) => `(${r.map((v, j) => typedLiteral(v, types[j])).join(', ')})`);
      await conn.execute(`insert into ${tmpSql} values\n${values.join(',\n')}`);
    }
  } catch (e) {
    await conn.execute(d.ddl.dropRelation(tmpSql, 'table')).catch(() => undefined);
    const msg = e instanceof Error ? e.message : String(e);
    throw new WeirError('WEIR_SEED_INVALID', `seed could not be loaded into ${d.relation(seed.relation)}: ${msg}`, {
      location: { file: seed.displayPath },
      hint: 'A value does not match its column type: fix the value or set config.column_types for that column (e.g. varchar).',
    });
  }
  await swapIn(adapter, conn, tmp, seed.relation, await adapter.relationKind(conn, seed.relation));
  return records.length;
}

/** Parsed seed file: header and records (empty fields as null). */
function readSeedCsv(seed: SeedLoad): { header: string[]; records: (string | null)[][] } {
  let text: string;
  try {
    const buf = readFileSync(seed.file);
    text = new TextDecoder(seed.encoding ?? 'utf-8').decode(/\.gz$/.test(seed.file) ? gunzipSync(buf) : buf);
  } catch (e) {
    throw new WeirError('WEIR_SEED_INVALID', `the seed file could not be read: ${(e as Error).message}`, { location: { file: seed.displayPath }, hint: 'The seed file could not be read.' });
  }
  const delimiter = seed.delimiter ?? (/\.tsv(\.gz)?$/.test(seed.file) ? '\t' : ',');
  let rows: string[][];
  try {
    rows = parseCsv(text, { delimiter, quote: '"', escape: '"', bom: true, skip_empty_lines: true, relax_column_count: false }) as string[][];
  } catch (e) {
    const err = e as { message: string; lines?: number };
    throw new WeirError('WEIR_SEED_INVALID', `malformed seed CSV: ${err.message}`, {
      location: { file: seed.displayPath, line: err.lines },
      hint: 'Check that every row has the same number of fields as the header and that quotes are balanced.',
    });
  }
  if (rows.length === 0) throw new WeirError('WEIR_SEED_INVALID', 'the seed CSV is empty (no header)', { location: { file: seed.displayPath } });
  const [header, ...body] = rows;
  return { header, records: body.map((r) => r.map((v) => (v === '' ? null : v))) };
}

const INT_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const TS_RE = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/;
const INT64_MAX = 9223372036854775807n;

/**
 * The Trino type of a seed column without `column_types`, chosen from all its values as DuckDB's CSV
 * sniffer would for the common cases: boolean, bigint, double, date, timestamp, else varchar (NULLs
 * ignored; an all-NULL column is varchar). Leading zeros (`007`) keep a column varchar, as identifiers.
 */
export function inferSeedType(values: readonly (string | null)[]): string {
  const present = values.filter((v): v is string => v !== null);
  if (present.length === 0) return 'varchar';
  const all = (f: (v: string) => boolean) => present.every(f);
  if (all((v) => /^(true|false)$/i.test(v))) return 'boolean';
  if (all((v) => INT_RE.test(v) && !/^[+-]?0\d/.test(v) && BigInt(v) <= INT64_MAX && BigInt(v) >= -INT64_MAX - 1n)) return 'bigint';
  if (all((v) => FLOAT_RE.test(v) && !/^[+-]?0\d/.test(v))) return 'double';
  if (all((v) => DATE_RE.test(v) && !Number.isNaN(Date.parse(v)))) return 'date';
  if (all((v) => TS_RE.test(v))) return 'timestamp';
  return 'varchar';
}

/** A seed value as a literal of its column type: `NULL`, bare bigint, `TRUE`, `DATE '...'`, `CAST('...' AS t)`. */
export function typedLiteral(v: string | null, type: string): string {
  if (v === null) return 'NULL';
  const t = type.toLowerCase().trim();
  const str = trinoDialect.literal(v);
  if (t === 'varchar' || t.startsWith('varchar(')) return str;
  if (t === 'bigint' && INT_RE.test(v)) return String(BigInt(v));
  if (t === 'boolean' && /^(true|false)$/i.test(v)) return v.toUpperCase();
  if (t === 'date') return `DATE ${str}`;
  if (t === 'timestamp') return `TIMESTAMP ${trinoDialect.literal(v.replace('T', ' '))}`;
  return `CAST(${str} AS ${type})`;
}
