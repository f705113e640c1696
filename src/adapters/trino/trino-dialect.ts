/**
 * Trino's SQL text rules. Identifiers: double quotes (Trino folds every identifier, quoted or not, to
 * lower case); strings: standard SQL literals (no backslash escapes). Relations are three-part
 * `"catalog"."schema"."table"`. https://trino.io/docs/current/language/reserved.html
 */
import type { Dialect } from '../adapter.js';
import type { RelationName } from '../../manifest/types.js';
import type { TableOptions } from '../table-options.js';
import { ansiDdl, ansiFunctions, ansiLiteral, isPlainIdentifier, quoteIdentifierAnsi, quoteStringAnsi, type DdlRules, type RelationKind, type SqlFunctions } from '../ansi-sql.js';

/**
 * Trino's spellings of the cross-dialect helpers (the rest are the ANSI defaults; Trino has no QUALIFY,
 * `::`, `string_agg` or `regexp_matches`):
 * - dateadd: interval arithmetic `(x + (n) * interval '1' day)` (Trino's `date_add('day', n, x)` is equivalent)
 *   — https://trino.io/docs/current/functions/datetime.html
 * - datediff: `date_diff('day', a, b)` (whole elapsed units) — https://trino.io/docs/current/functions/datetime.html#date_diff
 * - safe_cast: `try_cast(x as t)` — https://trino.io/docs/current/functions/conversion.html#try_cast
 * - types: varchar, bigint, double, `timestamp(6)` (Trino's bare `timestamp` has millisecond precision)
 *   — https://trino.io/docs/current/language/types.html
 * - listagg: `listagg(x, sep) within group (order by o)` — https://trino.io/docs/current/functions/aggregate.html#listagg
 * - hash: `lower(to_hex(md5(to_utf8(x))))`, 32 lower-case hex characters (md5 works on varbinary)
 *   — https://trino.io/docs/current/functions/binary.html#md5
 * - regexp_like: `regexp_like(s, p)` (search) — https://trino.io/docs/current/functions/regexp.html#regexp_like
 * - any_value: `arbitrary(x)` — https://trino.io/docs/current/functions/aggregate.html#arbitrary
 * - bool_or: `bool_or(x)` — https://trino.io/docs/current/functions/aggregate.html#bool_or
 * - split_part: `split_part(s, d, n)` — https://trino.io/docs/current/functions/string.html#split_part
 */
export const trinoFunctions: SqlFunctions = Object.freeze({
  ...ansiFunctions,
  types: Object.freeze({ ...ansiFunctions.types, timestamp: 'timestamp(6)' }),
  hash: (expr: string) => `lower(to_hex(md5(to_utf8(${expr}))))`,
  anyValue: (expr: string) => `arbitrary(${expr})`,
});

/**
 * The qualifier (`"c"."s".`) of a relation rendered by {@link trinoDialect}, or '' for a bare name.
 * Trino resolves the target of `ALTER TABLE ... RENAME TO x` against the *session* catalog and schema,
 * not the source table's, so the new name must be qualified like the old one.
 */
export function relationQualifier(rendered: string): string {
  const m = /^((?:"(?:[^"]|"")*"\.)*)"(?:[^"]|"")*"$/.exec(rendered);
  return m ? m[1] : '';
}

/**
 * `WITH (format = 'PARQUET', partitioning = ARRAY['region'])` for table `properties`
 * (https://trino.io/docs/current/sql/create-table-as.html), or '' without any. Values are literals.
 */
export function trinoWithClause(options: TableOptions | undefined): string {
  const p = options?.properties;
  if (!p || Object.keys(p).length === 0) return '';
  const value = (v: string | number | boolean | readonly (string | number | boolean)[]): string =>
    Array.isArray(v) ? `ARRAY[${v.map((x) => ansiLiteral(x, quoteStringAnsi)).join(', ')}]` : ansiLiteral(v, quoteStringAnsi);
  return ` with (${Object.entries(p).map(([k, v]) => `${k.toLowerCase()} = ${value(v)}`).join(', ')})`;
}

/** Trino DDL: ANSI, except that a rename target is qualified (see {@link relationQualifier}). */
export const trinoDdl: DdlRules = Object.freeze({
  ...ansiDdl,
  createTableAs: (relation: string, select: string, options?: TableOptions) => `create table ${relation}${trinoWithClause(options)} as (\n${select}\n)`,
  tableOptionKeys: Object.freeze(['properties'] as const),
  // CREATE VIEW takes no parenthesized WITH query (https://trino.io/docs/current/sql/create-view.html):
  // the body is a derived table instead, which cannot end the statement either.
  createView: (relation: string, select: string) => `create or replace view ${relation} as select * from (\n${select}\n) as weir_view`,
  renameRelation: (from: string, toIdentifier: string, kind: RelationKind) =>
    `alter ${kind} ${from} rename to ${relationQualifier(from)}${toIdentifier}`,
  // https://trino.io/docs/current/sql/grant.html: GRANT privilege ON TABLE t TO (user | USER u | ROLE r); views are tables here.
  grant: (relation: string, _kind: RelationKind, privilege: string, grantee: { type?: 'role' | 'user'; name: string }) =>
    `grant ${privilege} on table ${relation} to ${grantee.type ? `${grantee.type} ` : ''}${grantee.name}`,
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
  fn: trinoFunctions,
  // FLOAT is DOUBLE in Trino; REAL stays 4-byte (ANSI aliases cover the rest).
  typeAliases: Object.freeze({ float: 'double' }),
});
