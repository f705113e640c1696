/**
 * ANSI SQL text shared by dialects (DuckDB, Trino; Snowflake overrides string escaping): quoting,
 * literals and the DDL statements materializations use.
 * Follows SQL:2016 §5.3 <character string literal> (quote doubled) and §5.4 <delimited identifier>.
 */

/** Reserved words that must be quoted when used as column names in generated SQL (common subset). */
const RESERVED = new Set([
  'all', 'and', 'any', 'array', 'as', 'asc', 'between', 'both', 'by', 'case', 'cast', 'check', 'collate', 'column',
  'constraint', 'create', 'cross', 'current_date', 'current_time', 'current_timestamp', 'default', 'desc', 'distinct',
  'do', 'else', 'end', 'except', 'false', 'fetch', 'for', 'foreign', 'from', 'full', 'grant', 'group', 'having', 'in',
  'inner', 'intersect', 'into', 'is', 'join', 'lateral', 'leading', 'left', 'like', 'limit', 'natural', 'not', 'null',
  'offset', 'on', 'only', 'or', 'order', 'outer', 'primary', 'references', 'right', 'select', 'some', 'table', 'then',
  'to', 'trailing', 'true', 'union', 'unique', 'using', 'when', 'where', 'window', 'with', 'date', 'time', 'timestamp',
  'interval', 'user', 'values', 'year', 'month', 'day', 'hour', 'minute', 'second', 'rows', 'range', 'qualify',
]);

/** Doubles embedded double quotes: `a"b` → `"a""b"`. @throws Error for empty names or NUL bytes */
export function quoteIdentifierAnsi(name: string): string {
  if (name.length === 0) throw new Error('an identifier cannot be empty');
  if (name.includes('\0')) throw new Error('an identifier cannot contain a NUL byte');
  return `"${name.replace(/"/g, '""')}"`;
}

/** Whether a name can be written bare (lower-case letters, digits, underscores; not reserved). */
export function isPlainIdentifier(name: string): boolean {
  return /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name);
}

/**
 * Renders a JS value as an ANSI SQL literal.
 * @param quoteString how to quote a string (dialects differ on backslashes)
 * @throws Error for NaN/Infinity, functions, symbols and plain objects
 */
export function ansiLiteral(value: unknown, quoteString: (s: string) => string): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return quoteString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as an SQL literal`);
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new Error('cannot write an invalid Date as an SQL literal');
    return `TIMESTAMP '${value.toISOString().replace('T', ' ').replace('Z', '')}'`;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) throw new Error('cannot write an empty list as an SQL literal (IN () is invalid SQL)');
    return value.map((v) => ansiLiteral(v, quoteString)).join(', ');
  }
  throw new Error(`cannot write a ${typeof value} as an SQL literal: pass a string, number, boolean, date or list`);
}

/** Standard SQL string literal: single quotes, embedded quotes doubled, no backslash escapes. */
export function quoteStringAnsi(s: string): string {
  if (s.includes('\0')) throw new Error('a string literal cannot contain a NUL byte');
  return `'${s.replace(/'/g, "''")}'`;
}

/** Relation kinds materializations create and drop. */
export type RelationKind = 'table' | 'view';

/** DDL statements a materialization needs, as text. Dialects override what differs. */
export interface DdlRules {
  /** `create table R as <select>` */
  createTableAs(relation: string, select: string): string;
  /** `create or replace table R as <select>`, for engines with `atomicReplaceTable` (optional). */
  createOrReplaceTableAs?(relation: string, select: string): string;
  /** `create or replace view R as <select>` */
  createView(relation: string, select: string): string;
  /** `drop <kind> if exists R` */
  dropRelation(relation: string, kind: RelationKind): string;
  /** Renames `from` (qualified) to the bare identifier `toIdentifier` in the same schema. */
  renameRelation(from: string, toIdentifier: string, kind: RelationKind): string;
}

/** ANSI DDL (DuckDB, Trino and Postgres accept these forms). */
export const ansiDdl: DdlRules = Object.freeze({
  createTableAs: (relation: string, select: string) => `create table ${relation} as\n${select}`,
  createView: (relation: string, select: string) => `create or replace view ${relation} as\n${select}`,
  dropRelation: (relation: string, kind: RelationKind) => `drop ${kind} if exists ${relation}`,
  renameRelation: (from: string, toIdentifier: string, kind: RelationKind) => `alter ${kind} ${from} rename to ${toIdentifier}`,
});
