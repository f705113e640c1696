/**
 * The work on a node's compiled SQL that needs no database, done ahead of the node's turn: the path and
 * bytes of its compiled file (redacted, as runNode writes it), whether the file already holds them, and the
 * SQL's split into statements (the
 * tokenizer half of execution/materializations/statements.ts checkSingleStatement). The run prepares these
 * while the engine runs an earlier node's statement (execution/invocation/run-nodes.ts renderAhead), so
 * between two statements runNode only writes the file and asks the engine. Each value is a pure function
 * of the node's compiled SQL, computed by the same code runNode would run; runNode takes a node's values
 * once (they are then dropped) and computes them itself when they were not prepared or the SQL differs.
 */
import path from 'node:path';
import { compiledPathOf, type Manifest } from '../../manifest/manifest.js';
import type { GraphNode } from '../../manifest/types.js';
import { splitStatements, type SqlStatement } from '../../sql/statements.js';
import type { TokenizeOptions } from '../../sql/tokenize.js';
import { unchangedStamp, type UnchangedStamp } from '../../utils/write-file.js';

/** A node's compiled-SQL work, done ahead. */
export interface SqlAheadEntry {
  /** The compiled SQL these values were computed from (compared before use). */
  readonly sql: string;
  /** Project-relative path of the compiled file (manifest/manifest.ts compiledPathOf). */
  readonly compiledPath: string;
  /** Absolute path of the compiled file (`<target dir>/<compiledPath>`). */
  readonly file: string;
  /** The compiled file's bytes: the redacted SQL and a newline, UTF-8. */
  readonly data: Buffer;
  /**
   * Set when the compiled file already held exactly `data` (utils/write-file.ts unchangedStamp): runNode then
   * only checks with one `stat` that it still does (stillUnchanged) instead of opening and reading it.
   */
  readonly unchanged?: UnchangedStamp;
  /** The SQL split into statements (sql/statements.ts splitStatements), or undefined for unit tests (never checked). */
  readonly parts?: readonly SqlStatement[];
}

/** Compiled-SQL work of the nodes of one run, prepared ahead (see the module comment). */
export class SqlAhead {
  private readonly entries = new Map<string, SqlAheadEntry>();

  /**
   * @param redact the run's redactor (the compiled file is for people: secrets are masked in it)
   * @param tokenize the engine's tokenizer options (sql/tokenize.ts tokenizeOptionsFor)
   */
  constructor(private readonly manifest: Manifest, private readonly targetDir: string, private readonly redact: (text: string) => string, private readonly tokenize: TokenizeOptions) {}

  /**
   * Prepares `node`'s values from its compiled SQL. Never throws: whatever fails here (a redactor or
   * tokenizer error) is left for runNode to compute, and report, as before.
   */
  prepare(node: GraphNode, sql: string): void {
    try {
      const compiledPath = compiledPathOf(this.manifest, node);
      const parts = node.resource_type === 'test' && node.test_type === 'unit' ? undefined : splitStatements(sql, this.tokenize);
      const file = path.join(this.targetDir, compiledPath);
      const data = Buffer.from(`${this.redact(sql)}\n`, 'utf8');
      this.entries.set(node.unique_id, { sql, compiledPath, file, data, unchanged: unchangedStamp(file, data), parts });
    } catch {
      this.entries.delete(node.unique_id);
    }
  }

  /** `uid`'s prepared values if they were computed from `sql` (once: they are dropped when taken). */
  take(uid: string, sql: string): SqlAheadEntry | undefined {
    const e = this.entries.get(uid);
    if (!e) return undefined;
    this.entries.delete(uid);
    return e.sql === sql ? e : undefined;
  }
}
