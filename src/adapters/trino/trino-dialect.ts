/**
 * Trino's SQL text rules. Identifiers: double quotes (Trino folds every identifier, quoted or not, to
 * lower case); strings: standard SQL literals (no backslash escapes). Relations are three-part
 * `"catalog"."schema"."table"`. https://trino.io/docs/current/language/reserved.html
 */
import type { Dialect } from '../adapter.js';
import type { RelationName } from '../../manifest/types.js';
import { ansiDdl, ansiLiteral, isPlainIdentifier, quoteIdentifierAnsi, quoteStringAnsi, type DdlRules, type RelationKind } from '../ansi-sql.js';

/**
 * The qualifier (`"c"."s".`) of a relation rendered by {@link trinoDialect}, or '' for a bare name.
 * Trino resolves the target of `ALTER TABLE ... RENAME TO x` against the *session* catalog and schema,
 * not the source table's, so the new name must be qualified like the old one.
 */
export function relationQualifier(rendered: string): string {
  const m = /^((?:"(?:[^"]|"")*"\.)*)"(?:[^"]|"")*"$/.exec(rendered);
  return m ? m[1] : '';
}

/** Trino DDL: ANSI, except that a rename target is qualified (see {@link relationQualifier}). */
export const trinoDdl: DdlRules = Object.freeze({
  ...ansiDdl,
  renameRelation: (from: string, toIdentifier: string, kind: RelationKind) =>
    `alter ${kind} ${from} rename to ${relationQualifier(from)}${toIdentifier}`,
});

/** The Trino dialect (stateless singleton). */
export const trinoDialect: Dialect = Object.freeze({
  name: 'trino',
  formatterLanguage: 'trino' as const,
  quoteIdentifier: quoteIdentifierAnsi,
  columnRef: (name: string) => (isPlainIdentifier(name) ? name : quoteIdentifierAnsi(name)),
  literal: (value: unknown) => ansiLiteral(value, quoteStringAnsi),
  relation: (r: RelationName) =>
    [r.database, r.schema, r.identifier].filter((p): p is string => !!p).map(quoteIdentifierAnsi).join('.'),
  ddl: trinoDdl,
});
