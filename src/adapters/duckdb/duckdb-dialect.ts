/**
 * DuckDB's SQL text rules. Identifiers: double quotes (case-preserving, matched case-insensitively);
 * strings: standard SQL literals (no backslash escapes). https://duckdb.org/docs/stable/sql/dialect/keywords_and_identifiers
 */
import type { Dialect } from '../adapter.js';
import type { RelationName } from '../../manifest/types.js';
import { ansiDdl, ansiLiteral, isPlainIdentifier, quoteIdentifierAnsi, quoteStringAnsi } from '../ansi-sql.js';

/** The DuckDB dialect (stateless singleton). */
export const duckdbDialect: Dialect = Object.freeze({
  name: 'duckdb',
  formatterLanguage: 'duckdb' as const,
  quoteIdentifier: quoteIdentifierAnsi,
  columnRef: (name: string) => (isPlainIdentifier(name) ? name : quoteIdentifierAnsi(name)),
  literal: (value: unknown) => ansiLiteral(value, quoteStringAnsi),
  relation: (r: RelationName) =>
    [r.database, r.schema, r.identifier].filter((p): p is string => !!p).map(quoteIdentifierAnsi).join('.'),
  ddl: ansiDdl,
});
