/**
 * RFC 4180 CSV encoding and streaming gzip output for the seed generator.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createGzip, type Gzip } from 'node:zlib';
import { finished } from 'node:stream/promises';

/** A CSV cell value: `null`/`undefined` are written as an empty field (read back as NULL). */
export type Cell = string | number | null | undefined;

/**
 * Encode one field per RFC 4180: fields containing `,`, `"`, CR or LF are wrapped in double
 * quotes and embedded quotes are doubled. Numbers are written with `String(n)` (callers format
 * decimals themselves with `toFixed`, which is locale-independent).
 *
 * @param v - the cell value; `null`/`undefined` become the empty string.
 * @returns the encoded field (without delimiter).
 */
export function csvField(v: Cell): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? String(v) : v;
  if (/[",\r\n]/.test(s)) return '"' + s.replace(/"/g, '""') + '"';
  // A field that is exactly empty string would read back as NULL; quote it to keep it distinct.
  if (s === '') return '""';
  return s;
}

/** Encode a full CSV record terminated by `\n`. */
export function csvLine(cells: readonly Cell[]): string {
  let out = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) out += ',';
    out += csvField(cells[i]);
  }
  return out + '\n';
}

const FLUSH_AT = 1 << 20; // characters buffered before handing a chunk to zlib

/**
 * Streaming writer for one `<name>.csv.gz` file.
 *
 * Rows are buffered as strings and handed in ~1 MiB UTF-8 chunks to a level-9 gzip stream
 * (zlib runs on the libuv thread pool, overlapping with generation). The gzip header carries
 * mtime 0 and deflate output does not depend on how input is chunked, so for a given zlib
 * build the bytes equal `zlib.gzipSync(wholeCsv, {level})`.
 *
 * Call {@link GzCsvWriter.row} synchronously, `await` {@link GzCsvWriter.tick} from time to time
 * (it applies backpressure), and `await` {@link GzCsvWriter.close} at the end.
 */
export class GzCsvWriter {
  /** Table name (file stem). */
  readonly name: string;
  /** Absolute or relative path of the `.csv.gz` file. */
  readonly path: string;
  /** Number of data rows written so far (header excluded). */
  rows = 0;
  private buf: string[] = [];
  private bufLen = 0;
  private readonly gz: Gzip;
  private readonly done: Promise<void>;

  /**
   * @param outDir - directory (created if missing).
   * @param name - table name; the file is `<outDir>/<name>.csv.gz`.
   * @param header - column names, written as the first record.
   * @param level - deflate level 1–9 (default 9).
   */
  constructor(outDir: string, name: string, header: readonly string[], level = 9) {
    mkdirSync(outDir, { recursive: true });
    this.name = name;
    this.path = join(outDir, `${name}.csv.gz`);
    this.gz = createGzip({ level, writableHighWaterMark: 8 * FLUSH_AT } as never);
    const file = createWriteStream(this.path);
    this.gz.pipe(file);
    this.done = finished(file);
    this.push(csvLine(header));
  }

  private push(s: string): void {
    this.buf.push(s);
    this.bufLen += s.length;
  }

  /** Append one data row (cells in header order). */
  row(cells: readonly Cell[]): void {
    this.push(csvLine(cells));
    this.rows++;
  }

  /** Hand buffered rows to zlib if more than ~1 MiB is pending; waits for drain if zlib is behind. */
  async tick(): Promise<void> {
    if (this.bufLen >= FLUSH_AT) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.bufLen === 0) return;
    const chunk = Buffer.from(this.buf.join(''), 'utf8');
    this.buf = [];
    this.bufLen = 0;
    if (!this.gz.write(chunk)) await once(this.gz, 'drain');
  }

  /** Flush remaining rows, finish the gzip member and wait until the file is fully written. */
  async close(): Promise<void> {
    await this.flush();
    this.gz.end();
    await this.done;
  }
}
