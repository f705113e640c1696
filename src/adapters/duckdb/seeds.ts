/**
 * Loading seed files on DuckDB: CSV (`.csv`, `.tsv`, `.gz`) through `read_csv` with a fixed dialect,
 * Parquet and JSON through their readers, into `<name>__weir_tmp`, then swapped in. A malformed file
 * fails with `WEIR_SEED_INVALID` naming the file, the line and the likely fix.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { WeirError } from '../../errors/weir-error.js';
import type { Adapter, Connection, SeedLoad } from '../adapter.js';
import { swapIn, tmpRelation } from '../relation-swap.js';
import { duckdbDialect } from './dialect.js';

/**
 * Loads a seed into `seed.relation`, replacing it atomically (`adapter`: the DuckDB adapter, for the swap).
 * @returns rows loaded
 * @throws WeirError `WEIR_SEED_INVALID` naming the file and line
 */
export async function loadSeed(adapter: Adapter, conn: Connection, seed: SeedLoad): Promise<number> {
  const d = duckdbDialect;
  const tmp = tmpRelation(seed.relation);
  // The delimiter and quote are fixed (not sniffed): with a sniffed dialect a row with an extra field makes
  // DuckDB fall back to reading each whole line as one column, silently loading a malformed file.
  const types = Object.entries(seed.columnTypes);
  let select: string;
  const format = seed.format ?? 'csv';
  if (format === 'csv') {
    const delim = seedDelimiter(seed);
    const opts = [`header = true`, `auto_detect = true`, `sample_size = -1`, `strict_mode = true`, `null_padding = false`,
      `delim = ${d.literal(delim)}`, `quote = '"'`, `escape = '"'`];
    if (seed.encoding) opts.push(`encoding = ${d.literal(seed.encoding)}`);
    if (types.length) opts.push(`types = {${types.map(([k, v]) => `${d.literal(k)}: ${d.literal(v)}`).join(', ')}}`);
    select = `select * from read_csv(${d.literal(seed.file)}, ${opts.join(', ')})`;
  } else {
    const reader = format === 'parquet' ? `read_parquet(${d.literal(seed.file)})`
      : `read_json(${d.literal(seed.file)}, format = ${d.literal(format === 'ndjson' ? 'newline_delimited' : 'auto')})`;
    // column_types: each named column cast to its type (a missing column is DuckDB's REPLACE error).
    const replace = types.length ? ` replace (${types.map(([k, v]) => `cast(${d.quoteIdentifier(k)} as ${v}) as ${d.quoteIdentifier(k)}`).join(', ')})` : '';
    select = `select *${replace} from ${reader}`;
  }
  try {
    await conn.execute(`create or replace table ${d.relation(tmp)} as ${select}`);
  } catch (e) {
    await conn.execute(`drop table if exists ${d.relation(tmp)}`).catch(() => undefined);
    throw seedError(e, seed);
  }
  const count = await conn.execute(`select count(*) from ${d.relation(tmp)}`);
  await swapIn(adapter, conn, tmp, seed.relation, await adapter.relationKind(conn, seed.relation));
  return Number(count.rows[0][0]);
}

/** The seed's field delimiter: `config.delimiter`, else tab for `.tsv[.gz]`, else comma. */
function seedDelimiter(seed: SeedLoad): string {
  return seed.delimiter ?? (/\.tsv(\.gz)?$/.test(seed.file) ? '\t' : ',');
}

/**
 * Finds the first malformed record of a CSV text (RFC 4180: `"` quotes, `""` escapes): a record whose field
 * count differs from the header's, or an unterminated quote. Used when DuckDB's sniffer rejects a file
 * without saying where.
 * @returns the 1-based physical line where the record starts, and why; undefined when every record is fine
 */
export function findMalformedCsvLine(text: string, delim: string): { line: number; reason: string } | undefined {
  let line = 1;
  let recordLine = 1;
  let fields = 1;
  let expected: number | undefined;
  let inQuotes = false;
  let empty = true;
  const endRecord = (): { line: number; reason: string } | undefined => {
    if (!empty) {
      if (expected === undefined) expected = fields;
      else if (fields !== expected) return { line: recordLine, reason: `${fields} field${fields === 1 ? '' : 's'} where the header has ${expected}` };
    }
    fields = 1;
    empty = true;
    return undefined;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') i++;
        else inQuotes = false;
      } else if (ch === '\n') line++;
      continue;
    }
    if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
      if (ch === '\r') i++;
      const bad = endRecord();
      if (bad) return bad;
      line++;
      recordLine = line;
      continue;
    }
    empty = false;
    if (ch === '"') inQuotes = true;
    else if (text.startsWith(delim, i)) {
      fields++;
      i += delim.length - 1;
    }
  }
  if (inQuotes) return { line: recordLine, reason: 'a quoted field is never closed' };
  return endRecord();
}

/** Reads a (possibly gzipped) seed file and locates its first malformed record; undefined if unreadable. */
function locateMalformedSeedLine(seed: SeedLoad): { line: number; reason: string } | undefined {
  try {
    const buf = readFileSync(seed.file);
    const text = (/\.gz$/.test(seed.file) ? gunzipSync(buf) : buf).toString('utf8');
    return findMalformedCsvLine(text, seedDelimiter(seed));
  } catch {
    return undefined;
  }
}

function seedError(e: unknown, seed: SeedLoad): WeirError {
  const msg = e instanceof Error ? e.message : String(e);
  // `Line: N` is DuckDB's CSV position; `LINE 1:` (upper case, colon) marks the position in the SQL text, not the file.
  let line: string | number | undefined = /Line:\s*(\d+)/.exec(msg)?.[1] ?? /\bline (\d+)\b(?!:)/.exec(msg)?.[1];
  const lines = msg.split('\n').map((l) => l.trim()).filter(Boolean);
  let first = lines[0] ?? msg;
  // DuckDB's CSV errors say "CSV Error on Line: N", then "Original Line: ...", then the reason: keep the reason.
  if (/CSV Error on Line/i.test(first)) {
    const reason = lines.slice(1).find((l) => !/^(Original Line|Possible Solution|file =|LINE \d+:)/i.test(l) && !l.startsWith('^'));
    if (reason) first = `line ${line}: ${reason}`;
  }
  let hint = 'Check that every row has the same number of fields as the header and that quotes are balanced.';
  if (/not utf-8 encoded|Invalid unicode/i.test(msg)) {
    hint = `The file is not UTF-8: set its encoding in the seed config (config: {encoding: latin-1}; DuckDB reads utf-8, latin-1 and utf-16).`;
  } else if (/does not support the encoding/i.test(msg)) {
    hint = 'DuckDB reads utf-8, latin-1 and utf-16 CSV files (other encodings need the encodings extension, which cannot be downloaded here): convert the file, e.g. with iconv.';
    first = first.replace(/^Invalid Input Error:\s*/, '');
  }
  if (line === undefined && (seed.format ?? 'csv') === 'csv') {
    const bad = locateMalformedSeedLine(seed);
    if (bad) {
      line = bad.line;
      first = `line ${bad.line}: ${bad.reason}`;
    }
  }
  if (/not utf-8 encoded|Invalid unicode|does not support the encoding/i.test(msg)) { /* the encoding hint above */ }
  else if (/COLUMN_TYPES|types.*do not exist|Columns with names/i.test(msg)) hint = 'A column in config.column_types is not in the CSV header: fix the name in the seed YAML.';
  else if (/Could not convert|Conversion Error/i.test(msg)) hint = 'A value does not match its column type: fix the value or set config.column_types for that column (e.g. VARCHAR).';
  else if (/No files found|does not exist/i.test(msg)) hint = 'The seed file could not be read.';
  const what = (seed.format ?? 'csv') === 'csv' ? 'seed CSV' : `${seed.format} seed`;
  if (/in REPLACE list not found/i.test(msg)) hint = 'A column in config.column_types is not in the seed file: fix the name in the seed YAML.';
  return new WeirError('WEIR_SEED_INVALID', `malformed ${what}: ${first.replace(/^(Invalid Input Error|Binder Error|IO Error|Conversion Error):\s*/, '')}`, {
    location: { file: seed.displayPath, line: line ? Number(line) : undefined },
    hint,
    cause: e,
  });
}
