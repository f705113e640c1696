/**
 * An SQL parser backed by an in-memory DuckDB instance: `json_serialize_sql(sql)` returns DuckDB's parse
 * tree as JSON (https://duckdb.org/docs/stable/data/json/sql_to_and_from_json) without touching any data,
 * and `duckdb_functions()` names the aggregate functions. This is a parser, not a target: it opens no
 * file and never runs a model, so it lives beside the lineage code rather than behind the adapter registry.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/** A parsed statement list, or DuckDB's parser error. */
export type ParseResult =
  | { readonly ok: true; readonly statements: readonly Record<string, unknown>[] }
  | { readonly ok: false; readonly error: string };

/** A DuckDB-dialect SQL parser. Create with {@link DuckDbSqlParser.open}; `close()` when done. */
export class DuckDbSqlParser {
  private constructor(private readonly instance: DuckDBInstance, private readonly conn: DuckDBConnection, readonly aggregateFunctions: ReadonlySet<string>) {}

  /** Opens an in-memory DuckDB and reads its aggregate function names. */
  static async open(): Promise<DuckDbSqlParser> {
    const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
    const conn = await instance.connect();
    const r = await conn.runAndReadAll(`select distinct lower(function_name) from duckdb_functions() where function_type = 'aggregate'`);
    return new DuckDbSqlParser(instance, conn, new Set(r.getRows().map((x) => String(x[0]))));
  }

  /**
   * Parses SQL (DuckDB dialect). Never throws for bad SQL: the parser's message comes back as `error`.
   * @param sql one or more statements
   */
  async parse(sql: string): Promise<ParseResult> {
    const r = await this.conn.runAndReadAll('select json_serialize_sql($1::varchar)', [sql]);
    const json = JSON.parse(String(r.getRows()[0][0])) as { error?: boolean; error_message?: string; statements?: Record<string, unknown>[] };
    if (json.error) return { ok: false, error: String(json.error_message ?? 'parse error') };
    return { ok: true, statements: json.statements ?? [] };
  }

  /** Releases the DuckDB instance. */
  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
