/**
 * Seeds beyond CSV: which reader a seed file needs, its `encoding` and `column_types`, and Excel workbooks
 * (`.xlsx`, read with ExcelJS, https://github.com/exceljs/exceljs) converted to a UTF-8 CSV under the target
 * directory before the adapter loads it — so a workbook loads the same way on every engine, with the CSV
 * reader's type inference and `column_types`. Parquet and JSON go to the adapter as they are (DuckDB reads
 * them natively; engines that cannot refuse them).
 */
import { importOptional } from '../../utils/optional-dependency.js';
import { closeSync, openSync, readSync } from 'node:fs';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Adapter, Connection, SeedLoad } from '../../adapters/adapter.js';
import { WeirError } from '../../errors/weir-error.js';
import { writeFileAtomic } from '../../utils/write-file.js';
import type { RelationName, SeedNode } from '../../manifest/types.js';

/** CSV encodings DuckDB's reader knows (and Node's TextDecoder too), with their common aliases. */
const ENCODINGS: Readonly<Record<string, string>> = {
  'utf-8': 'utf-8', utf8: 'utf-8', 'latin-1': 'latin-1', latin1: 'latin-1', 'iso-8859-1': 'latin-1', 'utf-16': 'utf-16', utf16: 'utf-16',
};

/** The reader a seed file needs, from its extension. */
export function seedFormat(file: string): 'csv' | 'parquet' | 'json' | 'ndjson' | 'xlsx' {
  if (/\.parquet$/i.test(file)) return 'parquet';
  if (/\.json$/i.test(file)) return 'json';
  if (/\.(ndjson|jsonl)$/i.test(file)) return 'ndjson';
  if (/\.xlsx$/i.test(file)) return 'xlsx';
  return 'csv';
}

/**
 * Reads a seed's `encoding` config.
 * @returns the canonical name, or undefined when not set
 * @throws WeirError `WEIR_CONFIG_INVALID` for an encoding the readers don't know, or one set on a non-CSV seed
 */
export function seedEncoding(node: SeedNode): string | undefined {
  const raw = node.config.encoding;
  if (raw === undefined || raw === null) return undefined;
  const enc = ENCODINGS[String(raw).toLowerCase()];
  if (!enc) {
    throw new WeirError('WEIR_CONFIG_INVALID', `seed '${node.name}': encoding '${String(raw)}' is not supported`, {
      location: { file: node.patch_path ?? node.path, nodeId: node.unique_id },
      hint: 'Use utf-8 (default), latin-1 or utf-16; convert other encodings first (e.g. iconv -f cp1252 -t utf-8).',
    });
  }
  if (seedFormat(node.absolute_path) !== 'csv') {
    throw new WeirError('WEIR_CONFIG_INVALID', `seed '${node.name}': encoding applies to CSV seeds, not to ${path.extname(node.absolute_path)} files`, {
      location: { file: node.patch_path ?? node.path, nodeId: node.unique_id }, hint: 'Remove encoding from its config.',
    });
  }
  return enc;
}

/** A cell of a worksheet as CSV text: dates as `YYYY-MM-DD` (or with the time when it has one), formulas as their result. */
function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('T', ' ').replace(/\.000Z$|Z$/, '');
  }
  if (typeof v === 'object') {
    const o = v as { result?: unknown; text?: unknown; richText?: { text: string }[]; error?: unknown; hyperlink?: string };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if ('result' in o) return cellText(o.result);
    if (o.text !== undefined) return cellText(o.text);
    if (o.error !== undefined) return '';
    return JSON.stringify(v);
  }
  return String(v);
}

/**
 * Converts the first worksheet of an `.xlsx` workbook (or the one named by config `sheet`) to a CSV file
 * (header = the first row) written atomically under `<targetDir>/seeds/`.
 * @returns the CSV path
 * @throws WeirError `WEIR_SEED_INVALID` naming the file (unreadable workbook, missing sheet, empty sheet);
 *   `WEIR_DEPENDENCY_MISSING` when exceljs is not installed
 */
export async function xlsxToCsv(node: SeedNode, targetDir: string): Promise<string> {
  // ExcelJS is an optional peer dependency (xlsx seeds only): a missing install names the package.
  const { default: ExcelJS } = await importOptional({ name: 'exceljs', range: '^4.4.0', neededFor: `the Excel seed ${node.path}` }, () => import('exceljs'), { file: node.path, nodeId: node.unique_id });
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(node.absolute_path);
  } catch (e) {
    throw new WeirError('WEIR_SEED_INVALID', `the Excel seed could not be read: ${(e as Error).message}`, { location: { file: node.path, nodeId: node.unique_id }, hint: 'Save the workbook as .xlsx (Excel 2007+).', cause: e });
  }
  const want = node.config.sheet;
  const sheet = want === undefined ? workbook.worksheets[0] : workbook.getWorksheet(String(want));
  if (!sheet) {
    throw new WeirError('WEIR_SEED_INVALID', want === undefined ? 'the workbook has no worksheet' : `the workbook has no worksheet '${String(want)}'`, {
      location: { file: node.path, nodeId: node.unique_id }, hint: `Worksheets: ${workbook.worksheets.map((w) => w.name).join(', ') || 'none'}.`,
    });
  }
  const rows: string[][] = [];
  let width = 0;
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const values = (row.values as unknown[]).slice(1).map(cellText);
    if (rows.length === 0) width = values.length;
    rows.push(values);
  });
  if (rows.length === 0) throw new WeirError('WEIR_SEED_INVALID', `worksheet '${sheet.name}' is empty (no header row)`, { location: { file: node.path, nodeId: node.unique_id } });
  const header = rows[0];
  header.forEach((h, i) => {
    if (!h.trim()) throw new WeirError('WEIR_SEED_INVALID', `worksheet '${sheet.name}': column ${i + 1} of the header row is empty`, { location: { file: node.path, line: 1, nodeId: node.unique_id }, hint: 'Every column needs a name in the first row.' });
  });
  const body = rows.slice(1).map((r, i) => {
    if (r.length > width && r.slice(width).some((v) => v !== '')) {
      throw new WeirError('WEIR_SEED_INVALID', `worksheet '${sheet.name}' row ${i + 2} has values beyond the ${width} header columns`, { location: { file: node.path, line: i + 2, nodeId: node.unique_id } });
    }
    return Array.from({ length: width }, (_, j) => r[j] ?? '');
  });
  const out = path.join(targetDir, 'seeds', `${node.name}.csv`);
  writeFileAtomic(out, stringify([header, ...body]));
  return out;
}

/**
 * Loads one seed: picks the reader from the file's extension, checks `encoding`, converts workbooks, and
 * hands the adapter a {@link SeedLoad}.
 * @returns rows loaded
 * @throws WeirError `WEIR_SEED_INVALID` / `WEIR_CONFIG_INVALID` naming the seed file
 */
export async function loadSeedFile(adapter: Adapter, conn: Connection, node: SeedNode, relation: RelationName, targetDir: string): Promise<number> {
  const format = seedFormat(node.absolute_path);
  const encoding = seedEncoding(node);
  const load: SeedLoad = {
    file: format === 'xlsx' ? await xlsxToCsv(node, targetDir) : node.absolute_path,
    displayPath: node.path,
    relation,
    format: format === 'xlsx' ? 'csv' : format,
    columnTypes: (node.config.column_types ?? {}) as Record<string, string>,
    delimiter: node.config.delimiter,
    ...(encoding ? { encoding } : {}),
  };
  if (load.format === 'csv') checkCsvHeader(load.file, node.path, node.config.delimiter, encoding);
  return adapter.loadSeed(conn, load);
}

/**
 * Checks a CSV seed's header before any engine reads it: an empty file (engines would invent a column
 * `column0`), a header naming a column twice (engines would rename one `id_1`, case-insensitively as
 * identifiers compare) or a column without a name are errors naming the file.
 * @throws WeirError `WEIR_SEED_INVALID`
 */
export function checkCsvHeader(file: string, displayPath: string, delimiter?: string, encoding?: string): void {
  let head = readHead(file, 256 * 1024);
  if (encoding === 'utf-16') head = Buffer.from(new TextDecoder('utf-16le').decode(head));
  const text = head.toString(encoding === 'latin-1' ? 'latin1' : 'utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') {
    throw new WeirError('WEIR_SEED_INVALID', `seed file ${displayPath} is empty: a seed needs at least a header line naming its columns`, {
      location: { file: displayPath, line: 1 }, hint: 'Write the column names on the first line (a header-only file makes an empty table), or remove the file.',
    });
  }
  const firstLine = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const sep = delimiter ?? (/\.tsv(\.gz)?$/i.test(file) ? '\t' : ',');
  let names: string[];
  try {
    names = (parseCsv(firstLine, { delimiter: sep, relax_quotes: true }) as string[][])[0] ?? [];
  } catch {
    return; // a malformed header is reported by the CSV reader with its own position
  }
  const seen = new Map<string, number>();
  for (const [i, raw] of names.entries()) {
    const n = raw.trim();
    if (n === '') {
      throw new WeirError('WEIR_SEED_INVALID', `seed file ${displayPath}: column ${i + 1} of the header has no name`, { location: { file: displayPath, line: 1 }, hint: 'Name every column on the header line.' });
    }
    const prev = seen.get(n.toLowerCase());
    if (prev !== undefined) {
      throw new WeirError('WEIR_SEED_INVALID', `seed file ${displayPath}: the header names column '${n}' twice (columns ${prev + 1} and ${i + 1}${names[prev].trim() !== n ? `, as '${names[prev].trim()}'` : ''})`, {
        location: { file: displayPath, line: 1 }, hint: 'Column names must be unique (compared without regard to case): rename one of them.',
      });
    }
    seen.set(n.toLowerCase(), i);
  }
}

/** The first `max` bytes of a file (decompressed for `.gz`). */
function readHead(file: string, max: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(max);
    const n = readSync(fd, buf, 0, max, 0);
    const got = buf.subarray(0, n);
    if (!/\.gz$/i.test(file)) return got;
    try {
      return gunzipSync(got, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    } catch {
      return Buffer.from('x'); // not readable here: leave it to the reader's own error
    }
  } finally {
    closeSync(fd);
  }
}
