/**
 * The embedded DuckDB adapter (@duckdb/node-api): one DuckDBInstance per run, one connection per worker
 * thread. Extension auto-install is off (machines may be offline); statically linked extensions (json,
 * parquet, icu, core_functions) work, and an error that needs another extension says so.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { removeStaleTempFiles } from '../../utils/write-file.js';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { z } from 'zod';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { WeirError } from '../../errors/weir-error.js';
import type { RelationName } from '../../manifest/types.js';
import { registerDuckDBUdf } from './duckdb-udfs.js';
import { AdapterError, type DatabaseRecovery, type UdfRegistration, type Adapter, type AdapterCapabilities, type ColumnMeta, type Connection, type QueryResult, type RelationInfo, type SeedLoad } from '../adapter.js';
import { duckdbDialect } from './duckdb-dialect.js';
import { displayQuery, type DisplayMode } from './display.js';
import { swapIn, tmpRelation } from '../relation-swap.js';
import { copyToReadCopy, findReadCopy, readCopyIsCurrent, restoreMissingFromReadCopy, isCorruptionError, restoreFromReadCopy, type ReadCopyInfo } from './read-copy.js';

/** Target configuration for `type: duckdb`. */
export const duckdbTargetSchema = z
  .object({
    type: z.literal('duckdb'),
    /** Database file relative to the project root, or `:memory:`. */
    path: z.string().min(1).default('target/weir.duckdb'),
    schema: z.string().min(1).default('main'),
    threads: z.number().int().min(1).max(64).default(4),
    /** DuckDB settings passed at open, e.g. `{memory_limit: '4GB'}`. */
    settings: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    /** Open read-only (for readers while a run writes elsewhere). */
    read_only: z.boolean().default(false),
    /** After each run, publish a read copy (`<name>.read.duckdb`) for readers while the next run writes. */
    publish_read_copy: z.boolean().default(true),
    /**
     * When DuckDB finds the database file corrupt at open (a checksum error, e.g. after the process was
     * killed), restore the last published read copy, keeping the corrupt file aside, and warn.
     */
    recover_from_read_copy: z.boolean().default(true),
    /**
     * Seconds one statement may run before it is interrupted and fails (as on Snowflake); unset: no limit.
     * A UDF that blocks the JavaScript thread cannot be interrupted this way (see README).
     */
    query_timeout_seconds: z.number().positive().optional(),
  })
  .strict();

/** Validated DuckDB target. */
export type DuckDBTarget = z.output<typeof duckdbTargetSchema>;

const CAPABILITIES: AdapterCapabilities = Object.freeze({
  transactionalDdl: true,
  atomicRename: true,
  nativeCsvLoad: true,
  concurrentConnections: true,
  // BEGIN/COMMIT cover DML and DDL; MERGE INTO since DuckDB 1.4 (https://duckdb.org/docs/stable/sql/statements/merge_into).
  transactionalDml: true,
  merge: true,
  // Scalar UDFs are DuckDBScalarFunctions; batch UDFs are lookups the probe pass fills (batch-udfs.ts).
  udfHosting: 'all',
});

/** Converts a DuckDB error into an AdapterError, explaining missing extensions. */
export function mapDuckDBError(e: unknown): AdapterError {
  const msg = e instanceof Error ? e.message : String(e);
  if (/Extension Autoloading Error|Install it first using "INSTALL|extension .* not found/i.test(msg)) {
    const ext = /INSTALL (\w+)/.exec(msg)?.[1] ?? /extension '?(\w+)'?/i.exec(msg)?.[1] ?? 'an extension';
    return new AdapterError(
      `${msg.split('\n')[0]} — this query needs the DuckDB extension '${ext}', which is not built into @duckdb/node-api ` +
      `and cannot be downloaded (extension auto-install is off for offline machines). Statically built in: json, parquet, icu, core_functions.`,
      { cause: e },
    );
  }
  return new AdapterError(msg, { cause: e });
}

class DuckDBConnectionWrapper implements Connection {
  constructor(private readonly conn: DuckDBConnection, private readonly timeoutSeconds?: number) {}

  async execute(sql: string, binds?: readonly unknown[]): Promise<QueryResult> {
    // query_timeout_seconds: interrupt the statement when it runs too long (DuckDB then fails it).
    let timedOut = false;
    const timer = this.timeoutSeconds ? setTimeout(() => {
      timedOut = true;
      this.conn.interrupt();
    }, this.timeoutSeconds * 1000) : undefined;
    try {
      return await this.run(sql, binds);
    } catch (e) {
      if (timedOut) throw new AdapterError(`the statement ran longer than query_timeout_seconds (${this.timeoutSeconds} s) and was interrupted`, { cause: e });
      throw e;
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  private async run(sql: string, binds?: readonly unknown[]): Promise<QueryResult> {
    try {
      const reader = await this.conn.runAndReadAll(sql, binds ? (binds as DuckDBValue[]) : undefined);
      const names = reader.columnNames();
      const types = reader.columnTypes();
      return {
        columns: names.map((name, i) => ({ name, type: String(types[i]) })),
        rows: reader.getRowsJS() as unknown[][],
        rowsAffected: reader.rowsChanged,
      };
    } catch (e) {
      throw mapDuckDBError(e);
    }
  }

  async display(sql: string, mode: DisplayMode): Promise<QueryResult> {
    try {
      return await displayQuery(this.conn, sql, mode);
    } catch (e) {
      throw mapDuckDBError(e);
    }
  }

  async cancel(): Promise<void> {
    this.conn.interrupt();
  }

  async countStatements(sql: string): Promise<number> {
    return (await this.conn.extractStatements(sql)).count;
  }

  async close(): Promise<void> {
    this.conn.closeSync();
  }

  /** The underlying connection (for UDF registration and appenders). */
  get raw(): DuckDBConnection {
    return this.conn;
  }
}

/** The DuckDB adapter. Construct through the registry. */
export class DuckDBAdapter implements Adapter {
  readonly type = 'duckdb';
  readonly dialect = duckdbDialect;
  readonly capabilities = CAPABILITIES;
  private instance?: DuckDBInstance;
  private readonly dbPath: string;
  recovery?: DatabaseRecovery;
  private readonly connections = new Set<DuckDBConnectionWrapper>();

  constructor(
    private readonly target: DuckDBTarget,
    private readonly targetName: string,
    projectRoot: string,
  ) {
    this.dbPath = target.path === ':memory:' ? ':memory:' : path.resolve(projectRoot, target.path);
  }

  get defaultSchema(): string {
    return this.target.schema;
  }

  get defaultDatabase(): string | undefined {
    return undefined;
  }

  /** Absolute database file path (or `:memory:`). */
  get databasePath(): string {
    return this.dbPath;
  }

  async open(): Promise<void> {
    if (this.instance) return;
    const options: Record<string, string> = {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'true',
    };
    for (const [k, v] of Object.entries(this.target.settings)) options[k] = String(v);
    if (this.target.read_only) options.access_mode = 'READ_ONLY';
    if (this.dbPath !== ':memory:' && !this.target.read_only) {
      // A restore killed midway leaves `<db>.<pid>.tmp` (the size of the database): removed, and when it
      // also left no database, the restore is done again below instead of DuckDB creating an empty file.
      removeStaleTempFiles(this.dbPath);
      if (!existsSync(this.dbPath) && this.target.recover_from_read_copy) {
        const restored = restoreMissingFromReadCopy(this.dbPath);
        if (restored) this.recovery = restored;
      }
    }
    try {
      // Inside the try: a directory that can't be created is a clear open error naming the target, too.
      if (this.dbPath !== ':memory:') mkdirSync(path.dirname(this.dbPath), { recursive: true });
      this.instance = await DuckDBInstance.create(this.dbPath, options);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (/Could not set lock on file|Conflicting lock/i.test(msg)) {
        const pid = /PID (\d+)/.exec(msg)?.[1];
        throw new WeirError('WEIR_DB_LOCKED', `target '${this.targetName}': the database file ${this.dbPath} is locked by another process${pid ? ` (PID ${pid})` : ''}`, {
          hint: 'DuckDB allows one writing process per file: wait for the other weir run (or close the DuckDB client holding it), then retry. Readers: `weir query`, `weir show` and createClient read the copy each run publishes (<name>.read.duckdb).',
          cause: e,
        });
      }
      if (isCorruptionError(msg)) {
        const restored = this.dbPath !== ':memory:' && !this.target.read_only && this.target.recover_from_read_copy
          ? restoreFromReadCopy(this.dbPath, msg)
          : undefined;
        if (restored) {
          try {
            this.instance = await DuckDBInstance.create(this.dbPath, options);
          } catch (again) {
            throw new WeirError('WEIR_DB_CORRUPT', `target '${this.targetName}': the database file ${this.dbPath} was corrupt and its restored read copy cannot be opened either: ${again instanceof Error ? again.message : String(again)}`, {
              hint: `The corrupt file is kept as ${restored.corruptFile}. Move ${this.dbPath} away and rebuild with \`weir build --full-refresh\` (snapshot history lives only in the old files).`,
              cause: again,
            });
          }
          this.recovery = restored;
          return;
        }
        const copy = this.dbPath === ':memory:' ? undefined : findReadCopy(this.dbPath);
        throw new WeirError('WEIR_DB_CORRUPT', `target '${this.targetName}': the database file ${this.dbPath} is corrupt: ${msg}`, {
          hint: copy
            ? `A read copy published at ${copy.publishedAt.toISOString()} exists (${copy.path}); set recover_from_read_copy: true on the target (the default) to restore it automatically, or copy it over the database yourself.`
            : 'No read copy was published to restore. Move the file away and rebuild with `weir build --full-refresh` (snapshot history lives only in the old file).',
          cause: e,
        });
      }
      throw new WeirError('WEIR_DB_OPEN_FAILED', `target '${this.targetName}': cannot open DuckDB database ${this.dbPath}: ${msg}`, { cause: e });
    }
  }

  /** See read-copy.ts readCopyIsCurrent. */
  readCopyIsCurrent(): boolean {
    return this.dbPath !== ':memory:' && readCopyIsCurrent(this.dbPath);
  }

  /**
   * Opens the published read copy (read-only) instead of the database, for readers while a run holds the
   * database file. @returns the copy's facts, or undefined when none was published (nothing is opened)
   */
  async openReadCopy(): Promise<ReadCopyInfo | undefined> {
    if (this.dbPath === ':memory:') return undefined;
    const copy = findReadCopy(this.dbPath);
    if (!copy) return undefined;
    try {
      this.instance = await DuckDBInstance.create(copy.path, { access_mode: 'READ_ONLY', autoinstall_known_extensions: 'false', autoload_known_extensions: 'true' });
    } catch (e) {
      throw new WeirError('WEIR_DB_OPEN_FAILED', `target '${this.targetName}': cannot open the read copy ${copy.path}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    return copy;
  }

  /**
   * Checkpoints the database and publishes its read copy atomically (see `read-copy.ts`). Call when no
   * statement is running. @returns the copy's facts, or undefined when disabled (`publish_read_copy: false`,
   * `read_only`, `:memory:`)
   */
  async publishReadCopy(): Promise<ReadCopyInfo | undefined> {
    if (!this.instance || this.dbPath === ':memory:' || this.target.read_only || !this.target.publish_read_copy) return undefined;
    const conn = await this.connect();
    try {
      await conn.execute('checkpoint');
    } finally {
      await conn.close();
      this.connections.delete(conn as DuckDBConnectionWrapper);
    }
    return copyToReadCopy(this.dbPath);
  }

  async connect(): Promise<Connection> {
    if (!this.instance) await this.open();
    const c = new DuckDBConnectionWrapper(await this.instance!.connect(), this.target.query_timeout_seconds);
    this.connections.add(c);
    return c;
  }

  async listRelations(schemas?: readonly string[]): Promise<RelationInfo[]> {
    const conn = await this.connect();
    try {
      const filter = schemas && schemas.length ? `and schema_name in (${schemas.map((s) => duckdbDialect.literal(s)).join(', ')})` : '';
      const r = await conn.execute(
        `select schema_name, table_name, 'table' as kind from duckdb_tables() where database_name = current_database() ${filter}
         union all
         select schema_name, view_name, 'view' from duckdb_views() where not internal and database_name = current_database() ${filter}`,
      );
      return r.rows.map(([schema, identifier, kind]) => ({ schema: String(schema), identifier: String(identifier), kind: kind as 'table' | 'view' }));
    } finally {
      await conn.close();
      this.connections.delete(conn as DuckDBConnectionWrapper);
    }
  }

  async listColumns(conn: Connection, relation: RelationName): Promise<ColumnMeta[]> {
    const r = await conn.execute(
      `select column_name, data_type from information_schema.columns where table_schema = ? and table_name = ? order by ordinal_position`,
      [relation.schema, relation.identifier],
    );
    return r.rows.map(([name, type]) => ({ name: String(name), type: String(type) }));
  }

  /**
   * Row count and the sum of every row's `hash()` (one vectorised scan; no metadata in DuckDB says when a
   * table last changed). Order-independent; two tables with the same rows give the same fingerprint.
   */
  async relationFingerprint(conn: Connection, relation: RelationName): Promise<string | undefined> {
    try {
      const r = await conn.execute(`select count(*), coalesce(sum(hash(weir_fp)::hugeint), 0) from ${duckdbDialect.relation(relation)} as weir_fp`);
      return `duckdb:${String(r.rows[0][0])}:${String(r.rows[0][1])}`;
    } catch {
      return undefined;
    }
  }

  async createSchema(conn: Connection, schema: string): Promise<void> {
    await conn.execute(`create schema if not exists ${duckdbDialect.quoteIdentifier(schema)}`);
  }

  async loadSeed(conn: Connection, seed: SeedLoad): Promise<number> {
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
    await swapIn(this, conn, tmp, seed.relation, await this.relationKind(conn, seed.relation));
    return Number(count.rows[0][0]);
  }

  async exportQuery(conn: Connection, sql: string, file: string, options: { readonly format: 'parquet' | 'csv' | 'json'; readonly partitionBy: readonly string[] }): Promise<number> {
    const d = duckdbDialect;
    const opts = [`format ${options.format}`];
    if (options.format === 'csv') opts.push('header true');
    if (options.partitionBy.length) opts.push(`partition_by (${options.partitionBy.map((c) => d.quoteIdentifier(c)).join(', ')})`);
    const r = await conn.execute(`copy (\n${sql}\n) to ${d.literal(file)} (${opts.join(', ')})`);
    return Number(r.rows[0]?.[0] ?? r.rowsAffected ?? 0);
  }

  readExportSql(file: string, options: { readonly format: 'parquet' | 'csv' | 'json'; readonly partitionBy: readonly string[] }): string {
    const d = duckdbDialect;
    const ext = options.format === 'json' ? 'json' : options.format;
    const src = options.partitionBy.length ? d.literal(`${file}/**/*.${ext}`) : d.literal(file);
    const hive = options.partitionBy.length ? ', hive_partitioning = true' : '';
    if (options.format === 'parquet') return `select * from read_parquet(${src}${hive})`;
    if (options.format === 'csv') return `select * from read_csv(${src}, header = true, auto_detect = true${hive})`;
    return `select * from read_json(${src}, format = 'newline_delimited'${hive})`;
  }

  /** Kind of an existing relation, or undefined. */
  async relationKind(conn: Connection, r: RelationName): Promise<'table' | 'view' | undefined> {
    const res = await conn.execute(
      `select 'table' from duckdb_tables() where database_name = current_database() and schema_name = ? and table_name = ?
       union all select 'view' from duckdb_views() where database_name = current_database() and schema_name = ? and view_name = ?`,
      [r.schema, r.identifier, r.schema, r.identifier],
    );
    return res.rows.length ? (res.rows[0][0] as 'table' | 'view') : undefined;
  }

  async registerUdfs(udfs: readonly UdfRegistration[]): Promise<void> {
    if (udfs.length === 0) return;
    const conn = (await this.connect()) as DuckDBConnectionWrapper;
    try {
      for (const u of udfs) registerDuckDBUdf(conn.raw, u.udf, u.impl);
    } finally {
      // Registration is catalog-wide; the registering connection is not needed afterwards.
      await conn.close();
      this.connections.delete(conn);
    }
  }

  describe(): Record<string, unknown> {
    return { type: 'duckdb', path: this.dbPath, schema: this.target.schema, threads: this.target.threads, read_only: this.target.read_only, publish_read_copy: this.target.publish_read_copy, recover_from_read_copy: this.target.recover_from_read_copy };
  }

  async close(): Promise<void> {
    for (const c of this.connections) {
      try {
        await c.close();
      } catch {
        /* already closed */
      }
    }
    this.connections.clear();
    this.instance?.closeSync();
    this.instance = undefined;
  }
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
