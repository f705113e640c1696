/**
 * TEST INFRASTRUCTURE. Internal stages for the Snowflake protocol server, as a local folder each:
 * - `CREATE [OR REPLACE] TEMPORARY STAGE s` makes a folder (https://docs.snowflake.com/en/sql-reference/sql/create-stage);
 * - `PUT 'file://<path>' @s[/dir] …` is answered the way Snowflake answers a PUT before the client uploads
 *   (https://docs.snowflake.com/en/sql-reference/sql/put): an `UPLOAD` command with the stage's location.
 *   The location type is `LOCAL_FS`, which snowflake-sdk supports for testing: the driver itself then
 *   compresses and copies the file into the folder — the same client-side code path as an upload to S3,
 *   minus the cloud client and encryption;
 * - `COPY INTO t (cols) FROM @s FILE_FORMAT = (TYPE = CSV …) [PURGE = TRUE]`
 *   (https://docs.snowflake.com/en/sql-reference/sql/copy-into-table) becomes a DuckDB `INSERT … SELECT`
 *   from `read_csv` over the folder's files, with the format's delimiter, header lines, quote and NULL
 *   strings; PURGE deletes the loaded files;
 * - `DROP STAGE [IF EXISTS] s` removes the folder.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PART = String.raw`(?:"(?:[^"]|"")*"|[A-Za-z_][\w$]*)`;
const REL = String.raw`${PART}(?:\s*\.\s*${PART})*`;

/** What the server sends back for a stage statement. */
export type StageAnswer =
  | { readonly kind: 'status'; readonly text: string }
  | { readonly kind: 'upload'; readonly data: Record<string, unknown> }
  | { readonly kind: 'copy'; readonly duckdb: string; readonly files: readonly string[]; readonly purge: boolean }
  | { readonly kind: 'error'; readonly code: string; readonly message: string };

/** The stages of one server (folders under a temporary directory, removed by {@link close}). */
export class SnowflakeStages {
  private readonly root = mkdtempSync(path.join(os.tmpdir(), 'weir-sf-stages-'));
  private readonly folders = new Map<string, string>();
  private seq = 0;

  /** The answer to a stage statement, or undefined when `sql` is not one. */
  handle(sql: string): StageAnswer | undefined {
    const create = new RegExp(String.raw`^\s*create\s+(or\s+replace\s+)?temporary\s+stage\s+(${REL})\s*;?\s*$`, 'i').exec(sql);
    if (create) {
      const key = norm(create[2]);
      if (this.folders.has(key) && !create[1]) return { kind: 'error', code: '002002', message: `SQL compilation error:\nObject '${create[2]}' already exists.` };
      const dir = path.join(this.root, String(++this.seq));
      mkdirSync(dir, { recursive: true });
      this.folders.set(key, dir);
      return { kind: 'status', text: `Stage area ${create[2]} successfully created.` };
    }
    const drop = new RegExp(String.raw`^\s*drop\s+stage\s+(if\s+exists\s+)?(${REL})\s*;?\s*$`, 'i').exec(sql);
    if (drop) {
      const dir = this.folders.get(norm(drop[2]));
      if (!dir && !drop[1]) return { kind: 'error', code: '002003', message: `SQL compilation error:\nStage '${drop[2]}' does not exist or not authorized.` };
      if (dir) rmSync(dir, { recursive: true, force: true });
      this.folders.delete(norm(drop[2]));
      return { kind: 'status', text: `${drop[2]} successfully dropped.` };
    }
    const put = new RegExp(String.raw`^\s*put\s+'?file://([^\s']+)'?\s+'?@(${REL})(/[^\s']*)?'?((?:\s+\w+\s*=\s*\w+)*)\s*;?\s*$`, 'i').exec(sql);
    if (put) {
      const dir = this.folders.get(norm(put[2]));
      if (!dir) return { kind: 'error', code: '002003', message: `SQL compilation error:\nStage '${put[2]}' does not exist or not authorized.` };
      const opts = options(put[4] ?? '');
      return {
        kind: 'upload',
        data: {
          command: 'UPLOAD', src_locations: [put[1]], autoCompress: opts.auto_compress !== 'false', sourceCompression: (opts.source_compression ?? 'auto_detect').toLowerCase(),
          parallel: Number(opts.parallel ?? 4), overwrite: opts.overwrite === 'true', encryptionMaterial: null,
          stageInfo: { locationType: 'LOCAL_FS', location: path.join(dir, put[3] ?? ''), path: put[3] ?? '', region: null, creds: {} },
        },
      };
    }
    const copy = new RegExp(String.raw`^\s*copy\s+into\s+(${REL})\s*(\([^()]*\))?\s*from\s+@(${REL})\s+file_format\s*=\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)((?:\s+\w+\s*=\s*\w+)*)\s*;?\s*$`, 'is').exec(sql);
    if (copy) {
      const dir = this.folders.get(norm(copy[3]));
      if (!dir) return { kind: 'error', code: '002003', message: `SQL compilation error:\nStage '${copy[3]}' does not exist or not authorized.` };
      const format = formatOptions(copy[4]);
      if ((format.type ?? 'csv').toLowerCase() !== 'csv') return { kind: 'error', code: '002140', message: `the test server loads CSV stages only, got TYPE = ${format.type}` };
      const files = readdirSync(dir).map((f) => path.join(dir, f));
      if (files.length === 0) return { kind: 'copy', duckdb: 'select 1 where false', files, purge: false };
      const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
      const nulls = format.null_if ?? ['\\N'];
      const readCsv = `read_csv([${files.map(lit).join(', ')}], header = ${Number(format.skip_header ?? 0) > 0}, delim = ${lit(format.field_delimiter ?? ',')}, `
        + `quote = ${lit(format.field_optionally_enclosed_by ?? '')}, all_varchar = true, nullstr = [${nulls.map(lit).join(', ')}])`;
      return { kind: 'copy', duckdb: `insert into ${copy[1]} ${copy[2] ?? ''} select * from ${readCsv}`, files, purge: options(copy[5] ?? '').purge === 'true' };
    }
    return undefined;
  }

  /** Removes every stage folder. */
  close(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** A stage name as Snowflake resolves it: unquoted parts upper-cased, quotes removed. */
function norm(rel: string): string {
  return (rel.match(new RegExp(PART, 'g')) ?? []).map((p) => (p.startsWith('"') ? p.slice(1, -1).replace(/""/g, '"') : p.toUpperCase())).join('.');
}

/** `key = value` options (lower-case keys and values). */
function options(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/(\w+)\s*=\s*(\w+)/g)].map((m) => [m[1].toLowerCase(), m[2].toLowerCase()]));
}

/** FILE_FORMAT = ( … ) options: string values unquoted (Snowflake's '' and \ escapes), NULL_IF as a list. */
function formatOptions(text: string): Record<string, string> & { null_if?: string[] } {
  const out: Record<string, string> & { null_if?: string[] } = {};
  const str = (s: string) => s.slice(1, -1).replace(/''/g, "'").replace(/\\t/g, '\t').replace(/\\n/g, '\n').replace(/\\(.)/g, '$1');
  for (const m of text.matchAll(/(\w+)\s*=\s*(\((?:\s*'(?:[^'\\]|\\.|'')*'\s*,?)*\)|'(?:[^'\\]|\\.|'')*'|\w+)/g)) {
    const key = m[1].toLowerCase();
    if (key === 'null_if') out.null_if = [...m[2].matchAll(/'(?:[^'\\]|\\.|'')*'/g)].map((x) => str(x[0]));
    else out[key] = m[2].startsWith("'") ? str(m[2]) : m[2];
  }
  return out;
}
