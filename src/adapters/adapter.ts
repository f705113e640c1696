/**
 * The adapter contract: everything Weir needs from an engine. Engines live in one folder each
 * (`adapters/duckdb/`, ...) with the same file names; only `adapters/registry.ts` knows which exist.
 * Modelled on Kysely's dialect split (driver / adapter / introspector) and dbt's adapter + relation API.
 *
 * Every engine folder holds (tests/unit/adapters/engine-folders.test.ts checks it):
 * - `adapter.ts`: the class implementing {@link Adapter}, with its {@link AdapterCapabilities}; composes the rest
 * - `target.ts`: the target's configuration schema (project.yaml `targets:`) and validated type
 * - `connection.ts`: opening the engine (login, locks), one {@link Connection} per worker thread, statement
 *   execution, timeouts, cancelling and error messages
 * - `ddl.ts`: the engine's {@link DdlRules} (create table/view, rename/swap, grants, native table options)
 * - `seeds.ts`: {@link Adapter.loadSeed}: reading seed files, column types, malformed-file errors
 * - `catalog.ts`: relations, columns, relation kinds and reuse fingerprints
 * - `dialect.ts`: the {@link Dialect} (quoting, literals, cross-dialect functions, type synonyms); it and
 *   `ddl.ts` load no client library, so compiling never does
 * - `kysely-dialect.ts`: the Kysely dialect `createClient` builds on
 * and, where the engine needs them, `udfs.ts` (UDFs inside the engine) and engine-only parts (DuckDB's
 * `read-copy.ts`, `display.ts`; Snowflake's `private-key.ts`).
 */
import type { RelationName } from '../manifest/types.js';
import type { DdlRules, RelationKind, SqlFunctions } from './ansi-sql.js';
import type { LoadedUdf } from '../udfs/registry.js';
import type { UdfDefinition } from '../udfs/define.js';

/** A UDF to make callable from SQL, with the per-row implementation the engine calls. */
export interface UdfRegistration {
  readonly udf: LoadedUdf;
  /** Called with one row's JS arguments; returns the result (scalar fn, or a batch UDF's cache lookup). */
  readonly impl: (args: unknown[]) => unknown;
}

/** SQL text rules of an engine: quoting, literals, relation names, formatter language. */
export interface Dialect {
  /** Engine name, e.g. `duckdb`. */
  readonly name: string;
  /** Language name for sql-formatter (`duckdb`, `snowflake`, `trino`). */
  readonly formatterLanguage: 'duckdb' | 'snowflake' | 'trino' | 'sql';
  /** Quotes an identifier: `order` → `"order"` (embedded quotes doubled). */
  quoteIdentifier(name: string): string;
  /** A column reference for generated SQL: bare when a plain lower-case identifier, quoted otherwise. */
  columnRef(name: string): string;
  /**
   * Renders a value as an SQL literal: strings quoted with embedded quotes doubled, finite numbers bare,
   * booleans TRUE/FALSE, null/undefined NULL, Date as a TIMESTAMP literal, arrays as a comma-separated list.
   * @throws Error for non-finite numbers, objects and functions
   */
  literal(value: unknown): string;
  /** Renders a relation address, e.g. `"main_marts"."customer_rfm"`. */
  relation(name: RelationName): string;
  /** DDL statement text used by materializations. */
  readonly ddl: DdlRules;
  /**
   * A relation that reads a file directly (dbt-duckdb's `external_location` sources): DuckDB reads
   * `from 'data/orders.parquet'` with the reader its extension names. Absent on engines that can't.
   */
  fileRelation?(file: string): string;
  /**
   * SQL builders behind the cross-dialect template helpers (`{{dateadd "day" 1 "order_date"}}`, ...):
   * the compiler calls these and never branches on the engine. See {@link SqlFunctions}.
   */
  readonly fn: SqlFunctions;
  /**
   * Type-name synonyms of the engine beyond ANSI's (adapters/type-names.ts), used to compare a contract's
   * `data_type` with the type the engine reports, e.g. Snowflake `{integer: 'number', ...}`.
   */
  readonly typeAliases?: Readonly<Record<string, string>>;
}

/** What an engine supports; materializations branch on these flags, never on the engine name. */
export interface AdapterCapabilities {
  /** DDL inside BEGIN/COMMIT with rollback. */
  readonly transactionalDdl: boolean;
  /** `ALTER TABLE ... RENAME TO` is atomic. */
  readonly atomicRename: boolean;
  /** Native CSV reader for seeds (otherwise batched INSERTs). */
  readonly nativeCsvLoad: boolean;
  /** Several connections may run statements concurrently. */
  readonly concurrentConnections: boolean;
  /**
   * `create or replace table ... as` replaces a table atomically (Snowflake): tables are built in one
   * statement with {@link DdlRules.createOrReplaceTableAs} instead of temporary table + swap.
   */
  readonly atomicReplaceTable?: boolean;
  /**
   * DML (`insert`/`delete`/`update`/`merge`) inside BEGIN/COMMIT rolls back as a unit, even where DDL
   * commits implicitly (Snowflake). Incremental strategies run their DML in one transaction when set.
   */
  readonly transactionalDml?: boolean;
  /**
   * `MERGE INTO ... USING ... WHEN MATCHED ... WHEN NOT MATCHED` is available for every table Weir
   * builds. Without it the `merge` incremental strategy runs as `delete+insert`.
   */
  readonly merge?: boolean;
  /**
   * Which project UDFs the engine can call inside a query once {@link Adapter.registerUdfs} has run:
   * - `'all'`: every UDF, in-process (DuckDB: scalar UDFs call their function; batch UDFs look up results
   *   that a probe pass prepared);
   * - `'portable-scalar'`: scalar UDFs marked `portable`, deployed as engine-side JavaScript (Snowflake);
   * - `'none'` (or absent): none (Trino).
   * Every other UDF a query calls runs client-side (execution/client-udfs.ts): its distinct argument
   * tuples are read from the engine, computed in TypeScript and written to a lookup table the rewritten
   * query reads. See {@link hostsUdf}.
   */
  readonly udfHosting?: 'all' | 'portable-scalar' | 'none';
}

/** Whether an engine with these capabilities calls the UDF inside queries (else it runs client-side). */
export function hostsUdf(capabilities: AdapterCapabilities, definition: UdfDefinition): boolean {
  switch (capabilities.udfHosting) {
    case 'all':
      return true;
    case 'portable-scalar':
      return definition.kind === 'scalar' && definition.portable === true;
    default:
      return false;
  }
}

/** Column metadata of a result or relation. */
export interface ColumnMeta {
  readonly name: string;
  /** Engine type name, e.g. `VARCHAR`, `BIGINT`. */
  readonly type: string;
}

/** A fully read query result. Values are JS values (bigint for 64-bit integers, string for decimals). */
export interface QueryResult {
  readonly columns: readonly ColumnMeta[];
  readonly rows: readonly (readonly unknown[])[];
  /** Rows changed for DML / CTAS when the engine reports it. */
  readonly rowsAffected?: number;
  /**
   * Set by {@link Connection.display}: `text` — each value is the engine's own text for it (string or
   * null); `json` — each value is its JSON text (`null`, `1.10`, `"2024-12-22"`), one JSON type per column.
   */
  readonly rendered?: 'text' | 'json';
}

/** One connection (a "thread" of a run). Not shared between concurrent node runs. */
export interface Connection {
  /**
   * Executes one or more statements and reads the last result fully.
   * @param binds positional values for `?`/`$1` placeholders
   * @throws AdapterError with the engine's message
   */
  execute(sql: string, binds?: readonly unknown[]): Promise<QueryResult>;
  /**
   * Runs a query and yields its result in pages (engines with a paged protocol, e.g. Trino's `nextUri`),
   * so a large result is never held whole. Optional: callers fall back to {@link execute}.
   * @throws AdapterError with the engine's message
   */
  stream?(sql: string): AsyncIterable<QueryResult>;
  /**
   * Runs a query (once) for printing: `text` gives each value as the engine itself prints it, `json` gives
   * JSON values with one type per column and exact digits (see adapters/duckdb/display.ts). Optional:
   * callers fall back to {@link execute} and format the JS values by column type.
   * @throws AdapterError with the engine's message
   */
  display?(sql: string, mode: 'text' | 'json'): Promise<QueryResult>;
  /** Interrupts the running statement (best effort). */
  cancel(): Promise<void>;
  /**
   * How many statements the engine's own parser finds in `sql` (DuckDB's statement extraction). Optional:
   * without it the SQL tokenizer's split is used. Rejects on a syntax error. An engine may answer 1 without
   * parsing when its grammar cannot find a second statement in the text (DuckDB: no `;` in it).
   */
  countStatements?(sql: string): Promise<number>;
  /**
   * Called before a node runs on this connection, so engines can tag its statements (Snowflake's
   * `QUERY_TAG`). Optional; engines without query tags omit it.
   * @param tag the node's own `query_tag` config, in place of the target's
   */
  tagNode?(nodeId: string, tag?: string): Promise<void>;
  close(): Promise<void>;
}

/** A relation found in the warehouse. */
export interface RelationInfo {
  readonly schema: string;
  readonly identifier: string;
  readonly kind: 'table' | 'view';
}

/** Options for loading a seed file. */
export interface SeedLoad {
  /** Absolute path of the file to load (`.csv`, `.csv.gz`, `.tsv`; `.parquet`, `.json`, `.ndjson` with {@link format}). */
  readonly file: string;
  /**
   * How the file is read (default `csv`). `parquet`, `json` (an array of objects, or one object per line)
   * and `ndjson` (one object per line) are read natively by engines that can (DuckDB); others refuse them.
   * Spreadsheets are converted to CSV before they reach the adapter (execution/seed-files.ts).
   */
  readonly format?: 'csv' | 'parquet' | 'json' | 'ndjson';
  /** CSV text encoding: `utf-8` (default), `latin-1` or `utf-16`. */
  readonly encoding?: string;
  /** Project-relative path, for messages. */
  readonly displayPath: string;
  readonly relation: RelationName;
  /** Column name → SQL type overrides. */
  readonly columnTypes: Readonly<Record<string, string>>;
  readonly delimiter?: string;
}

/**
 * An engine. Created by the registry from a validated target; `open()` connects, `close()` releases
 * everything. One adapter instance serves one run.
 */
export interface Adapter {
  readonly type: string;
  readonly dialect: Dialect;
  readonly capabilities: AdapterCapabilities;
  /** Default schema of the target (`main` on DuckDB). */
  readonly defaultSchema: string;
  /** Default database/catalog (omitted from relation names when undefined). */
  readonly defaultDatabase?: string;
  /** Opens the engine. @throws WeirError (e.g. `WEIR_DB_LOCKED`) with the target named */
  open(): Promise<void>;
  /** A new connection for one worker thread. */
  connect(): Promise<Connection>;
  /** Lists relations in the given schemas (all schemas when omitted). */
  listRelations(schemas?: readonly string[]): Promise<RelationInfo[]>;
  /** Whether a relation exists, and as what. */
  relationKind(conn: Connection, relation: RelationName): Promise<RelationKind | undefined>;
  /** Columns of a relation, in order. */
  listColumns(conn: Connection, relation: RelationName): Promise<ColumnMeta[]>;
  /**
   * A fingerprint of a table's data (`--reuse`): equal fingerprints mean unchanged data. DuckDB: row count
   * and the sum of every row's hash; Snowflake: `LAST_ALTERED`; Trino: the Iceberg snapshot id.
   * @returns undefined when the engine or connector gives none (the node is then rebuilt); never throws
   */
  relationFingerprint?(conn: Connection, relation: RelationName): Promise<string | undefined>;
  /** Creates a schema if missing. */
  createSchema(conn: Connection, schema: string, database?: string): Promise<void>;
  /**
   * Loads a seed into `relation`, replacing it atomically.
   * @returns rows loaded
   * @throws WeirError `WEIR_SEED_INVALID` naming the file and line for malformed CSV
   */
  loadSeed(conn: Connection, seed: SeedLoad): Promise<number>;
  /**
   * Writes a query's rows to a file on this machine (`materialized: external`): Parquet, CSV (with a
   * header) or newline-delimited JSON; with `partitionBy`, a Hive-partitioned directory (`col=value/`).
   * Absent on engines that can't write local files (they refuse external models).
   * @returns rows written
   * @throws AdapterError with the engine's message
   */
  exportQuery?(conn: Connection, sql: string, file: string, options: { readonly format: 'parquet' | 'csv' | 'json'; readonly partitionBy: readonly string[] }): Promise<number>;
  /** SQL reading what {@link exportQuery} wrote (a view over it makes the file a relation `ref` can use). */
  readExportSql?(file: string, options: { readonly format: 'parquet' | 'csv' | 'json'; readonly partitionBy: readonly string[] }): string;
  /**
   * Registers UDFs inside the engine: receives only the UDFs {@link hostsUdf} says it hosts (its
   * `capabilities.udfHosting`). Absent on engines that host none; their UDF calls run client-side.
   */
  registerUdfs?(udfs: readonly UdfRegistration[]): Promise<void>;
  /**
   * Engines with a single-writer database file (DuckDB): publishes a consistent read-only copy for readers
   * while later runs write. Called after each run. @returns where, or undefined when disabled
   */
  publishReadCopy?(): Promise<{ readonly path: string; readonly size: number } | undefined>;
  /**
   * Opens the last published read copy instead of the database (called after `open()` failed with
   * `WEIR_DB_LOCKED`). @returns the copy and when it was published, or undefined when there is none
   */
  openReadCopy?(): Promise<{ readonly path: string; readonly publishedAt: Date } | undefined>;
  /**
   * Whether the published read copy holds everything the database holds (then readers open the copy
   * instead of the database, so they never hold a writer out). Optional: engines without copies omit it.
   */
  readCopyIsCurrent?(): boolean;
  /**
   * Set by `open()` when the database file was found corrupt and restored from the last published read
   * copy (DuckDB): the caller reports it as a warning. Undefined otherwise.
   */
  readonly recovery?: DatabaseRecovery;
  /** Describes the connection for `weir debug` (no secrets). */
  describe(): Record<string, unknown>;
  close(): Promise<void>;
}

/**
 * A database file restored from its read copy because the engine found it corrupt, or found it missing
 * while a copy exists (see `Adapter.recovery`).
 */
export interface DatabaseRecovery {
  /** The corrupt file, kept under this name for inspection (with its `.wal`, if any, beside it); undefined when the file was missing. */
  readonly corruptFile?: string;
  /** The read copy the database was restored from. */
  readonly restoredFrom: string;
  /** When that copy was published: the end of the last run that completed; later changes are gone. */
  readonly publishedAt: Date;
  /** The engine's message about the corruption. */
  readonly reason: string;
}

/** An engine error, carrying the engine's message and (where known) SQL state. */
export class AdapterError extends Error {
  readonly sqlState?: string;
  constructor(message: string, options: { sqlState?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AdapterError';
    this.sqlState = options.sqlState;
  }
}
