/**
 * Errors of ad-hoc reads (`weir query`, `weir show`, `WeirProject.query`): every failure names the target
 * the SQL ran against and the profile entry that defines it (`project.yaml` → `targets.<name>`), and says
 * what to check — the SQL, the relation names, or the connection settings.
 */
import { WeirError } from '../errors/weir-error.js';

/** The target a read ran against, as the error message describes it. */
export interface QueryTarget {
  /** Target name, e.g. `dev`. */
  readonly name: string;
  /** Adapter type, e.g. `duckdb`. */
  readonly type: string;
  /** The project file holding the target's profile (`project.yaml`). */
  readonly configFile: string;
  /** Default schema of the target (where unqualified names resolve). */
  readonly schema: string;
  /** Default database / catalog, when the target sets one. */
  readonly database?: string;
}

/** `target 'dev' (duckdb; profile project.yaml → targets.dev)` */
export function describeQueryTarget(t: QueryTarget): string {
  return `target '${t.name}' (${t.type}; profile ${t.configFile} → targets.${t.name})`;
}

const MISSING_COLUMN = /Referenced column|does not have a column|column .{0,80} (not found|does not exist)|invalid identifier|cannot be resolved|COLUMN_NOT_FOUND/i;
const MISSING_RELATION = /does not exist|not found|unknown table|no such table|Catalog Error|doesn't exist|TABLE_NOT_FOUND|SCHEMA_NOT_FOUND/i;
const SYNTAX = /syntax error|Parser Error|mismatched input|unexpected|SQL compilation error:\s*syntax/i;

/**
 * Wraps the engine's error for SQL that failed on the target into a `WEIR_SQL_ERROR` naming the target
 * and profile, with a hint chosen by the kind of failure (missing relation, syntax, other).
 * @param e what the adapter threw
 * @param redact removes secrets from the text (engine messages may echo SQL holding them)
 * @param readCopy set when the read used DuckDB's published read copy (it may lag the database)
 */
export function querySqlError(e: unknown, t: QueryTarget, redact: (s: string) => string, readCopy?: { path: string }): WeirError {
  const engine = e instanceof Error ? e.message : String(e);
  const where = t.database ? `${t.database}.${t.schema}` : t.schema;
  let hint: string;
  if (MISSING_COLUMN.test(engine)) {
    hint = `Check the column names: \`weir query "select * from <relation> limit 0"\` on target '${t.name}' shows a relation's columns.`;
  } else if (MISSING_RELATION.test(engine)) {
    hint = `Check the relation name: unqualified names resolve in schema '${where}' of target '${t.name}', models build into the schema their config gives. ` +
      '`weir ls` lists the nodes, `weir show -s NAME` previews one; build it first (`weir run -s NAME`) or pass --target for the target that holds it.';
    if (readCopy) hint += ` This read used the published read copy ${readCopy.path}, which holds what the last finished run built.`;
  } else if (SYNTAX.test(engine)) {
    hint = `Check the SQL syntax: it runs as written on ${t.type} (target '${t.name}'), in that engine's dialect.`;
  } else {
    hint = `Check the SQL against ${t.type} (target '${t.name}'); \`weir debug --target ${t.name}\` checks the connection.`;
  }
  return new WeirError('WEIR_SQL_ERROR', redact(`query failed on ${describeQueryTarget(t)}: ${engine}`), { hint, cause: e });
}

/**
 * Makes a failure to open or connect to the target name the target and profile, keeping the adapter's
 * error code (e.g. `WEIR_DB_OPEN_FAILED`, `WEIR_DB_LOCKED`) and hint when it has one.
 * Non-Weir errors become `WEIR_DB_OPEN_FAILED`.
 */
export function queryConnectionError(e: unknown, t: QueryTarget, redact: (s: string) => string): WeirError {
  const fallbackHint = `Check the connection settings under targets.${t.name} in ${t.configFile}; \`weir debug --target ${t.name}\` tests the connection.`;
  if (e instanceof WeirError) {
    const prefix = `target '${t.name}'`;
    const message = e.message.startsWith(prefix)
      ? `${describeQueryTarget(t)}${e.message.slice(prefix.length)}`
      : e.message.includes(prefix)
        ? `${e.message} (profile ${t.configFile} → targets.${t.name})`
        : `cannot connect to ${describeQueryTarget(t)}: ${e.message}`;
    return new WeirError(e.code, redact(message), { hint: e.hint ?? fallbackHint, location: e.location, cause: e });
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new WeirError('WEIR_DB_OPEN_FAILED', redact(`cannot connect to ${describeQueryTarget(t)}: ${msg}`), { hint: fallbackHint, cause: e });
}
