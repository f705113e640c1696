/**
 * TEST INFRASTRUCTURE. Each engine's own SQL grammar, for checking the SQL Weir sends to Trino and
 * Snowflake without a cluster:
 * - Trino: dt-sql-parser's `TrinoSQL`, an ANTLR4 parser generated from Trino's own `SqlBase.g4`
 *   (https://github.com/trinodb/trino/blob/master/core/trino-grammar/src/main/antlr4/io/trino/grammar/sql/SqlBase.g4,
 *   https://github.com/DTStack/dt-sql-parser).
 * - Snowflake: Snowflake publishes no grammar file. `@guanmingchiu/sqlparser-ts` is datafusion-sqlparser-rs
 *   (https://github.com/apache/datafusion-sqlparser-rs) compiled to WebAssembly, parsing with its
 *   `SnowflakeDialect`, which follows https://docs.snowflake.com/en/sql-reference-commands (QUALIFY,
 *   `:`/`::`, FLATTEN, CREATE [TRANSIENT|DYNAMIC] TABLE ... CLUSTER BY, COPY INTO, ALTER TABLE ... SWAP WITH).
 *   It is a hand-written parser shared across dialects, so it accepts some syntax Snowflake does not (it is
 *   a necessary check, not a sufficient one); function names are checked separately against
 *   {@link ./functions} lists taken from the engines' documentation. `PUT` (a client-side file transfer
 *   command, not SQL: https://docs.snowflake.com/en/sql-reference/sql/put) is checked by a pattern; the
 *   dynamic table's `TARGET_LAG = DOWNSTREAM`, which the parser only knows as a string, is parsed as one.
 */
import { TrinoSQL } from 'dt-sql-parser';
import { init as initSqlparser, parse as sqlparserParse } from '@guanmingchiu/sqlparser-ts';

/** An engine Weir checks SQL for. */
export type GrammarEngine = 'trino' | 'snowflake';

/** One grammar error: the message of the engine grammar's parser. */
export interface GrammarError {
  readonly message: string;
  /** 1-based line and column of the error, when the parser tells. */
  readonly line?: number;
  readonly column?: number;
}

let trino: TrinoSQL | undefined;
let sqlparserReady: Promise<void> | undefined;

/** Loads the WebAssembly Snowflake parser once (call before {@link grammarErrors} for Snowflake). */
export function loadGrammars(): Promise<void> {
  sqlparserReady ??= initSqlparser();
  return sqlparserReady;
}

// PUT file://<path> @<stage>[/path] [PARALLEL = n] [AUTO_COMPRESS = TRUE|FALSE] [SOURCE_COMPRESSION = x] [OVERWRITE = TRUE|FALSE]
const PUT = /^\s*put\s+'?file:\/\/[^\s']+'?\s+'?@[^\s']+'?(\s+(parallel\s*=\s*\d+|auto_compress\s*=\s*(true|false)|source_compression\s*=\s*\w+|overwrite\s*=\s*(true|false)))*\s*;?\s*$/i;

/**
 * Parses `sql` (one or more statements) with the engine's grammar.
 * @returns the grammar's errors; empty when the SQL parses
 * @throws Error when called for Snowflake before {@link loadGrammars} resolved
 */
export function grammarErrors(engine: GrammarEngine, sql: string): GrammarError[] {
  if (engine === 'trino') {
    trino ??= new TrinoSQL();
    const t = trino;
    // dt-sql-parser's statement splitter reports through ANTLR's console listener too: keep the test output clean.
    const log = console.error;
    console.error = () => undefined;
    try {
      return t.validate(sql).map((e) => ({ message: `line ${e.startLine}:${e.startColumn}: ${e.message}`, line: e.startLine, column: e.startColumn }));
    } finally {
      console.error = log;
    }
  }
  if (!sqlparserReady) throw new Error('loadGrammars() must resolve before Snowflake SQL is checked');
  if (/^\s*put\s/i.test(sql)) return PUT.test(sql) ? [] : [{ message: `not a PUT command: ${sql.slice(0, 80)}` }];
  try {
    // `TARGET_LAG = DOWNSTREAM` (https://docs.snowflake.com/en/sql-reference/sql/create-dynamic-table) is a
    // keyword the parser does not know (it expects a string there): the rest of the statement is parsed.
    sqlparserParse(sql.replace(/^(\s*create\s+(?:or\s+replace\s+)?dynamic\s+table\s+[^\n]*?\s+target_lag\s*=\s*)downstream\b/i, "$1'downstream'"), 'snowflake');
    return [];
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = /Line: (\d+), Column: (\d+)/.exec(message);
    return [{ message, ...(at ? { line: Number(at[1]), column: Number(at[2]) } : {}) }];
  }
}
