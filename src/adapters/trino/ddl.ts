/**
 * The DDL Trino runs for materializations: ANSI, except `create table ... with (...)` for the native table
 * option `properties` (connector table properties: format, partitioning, ...), `create or replace view`
 * over a derived table, renames qualified like their source, and grants. Trino's DDL is not transactional
 * for most connectors, so a table is built under a temporary name and swapped in by drop + rename.
 */
import type { TableOptions } from '../table-options.js';
import { ansiDdl, ansiLiteral, quoteStringAnsi, type DdlRules, type RelationKind } from '../ansi-sql.js';

/**
 * The qualifier (`"c"."s".`) of a relation rendered by the Trino dialect (dialect.ts), or '' for a bare name.
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
  // CREATE OR REPLACE TABLE … AS (https://trino.io/docs/current/sql/create-table-as.html; an atomic swap
  // on Iceberg): used for `on_table_exists: replace` only (capabilities.atomicReplaceTable stays false).
  createOrReplaceTableAs: (relation: string, select: string, options?: TableOptions) => `create or replace table ${relation}${trinoWithClause(options)} as (\n${select}\n)`,
  tableOptionKeys: Object.freeze(['properties', 'on_table_exists'] as const),
  // CREATE VIEW takes no parenthesized WITH query (https://trino.io/docs/current/sql/create-view.html):
  // the body is a derived table instead, which cannot end the statement either.
  createView: (relation: string, select: string) => `create or replace view ${relation} as select * from (\n${select}\n) as weir_view`,
  renameRelation: (from: string, toIdentifier: string, kind: RelationKind) =>
    `alter ${kind} ${from} rename to ${relationQualifier(from)}${toIdentifier}`,
  // CREATE [OR REPLACE] MATERIALIZED VIEW name [WITH (properties)] AS query
  // (https://trino.io/docs/current/sql/create-materialized-view.html), then REFRESH MATERIALIZED VIEW
  // (https://trino.io/docs/current/sql/refresh-materialized-view.html) fills it, as dbt-trino does.
  createMaterializedView: (relation: string, select: string, options?: TableOptions) =>
    `create or replace materialized view ${relation}${trinoWithClause(options)} as\n${select}`,
  materializedViewOptionKeys: Object.freeze(['properties'] as const),
  refreshMaterializedView: (relation: string) => `refresh materialized view ${relation}`,
  // https://trino.io/docs/current/sql/grant.html: GRANT privilege ON TABLE t TO (user | USER u | ROLE r); views are tables here.
  grant: (relation: string, _kind: RelationKind, privilege: string, grantee: { type?: 'role' | 'user'; name: string }) =>
    `grant ${privilege} on table ${relation} to ${grantee.type ? `${grantee.type} ` : ''}${grantee.name}`,
});
