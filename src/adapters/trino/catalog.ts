/**
 * What a Trino catalog holds, from its `information_schema` (relations, columns) and, on Iceberg, the
 * current snapshot id as the data fingerprint for `--reuse`. Each function runs its queries on the
 * connection it is given; `catalog` is the target's, used when a relation names none.
 */
import type { RelationName } from '../../manifest/types.js';
import type { ColumnMeta, Connection, RelationInfo } from '../adapter.js';
import type { RelationKind } from '../ansi-sql.js';
import { trinoDialect } from './dialect.js';

/** `"catalog".information_schema.<table>`. */
function infoSchema(table: 'tables' | 'columns', catalog: string): string {
  return `${trinoDialect.quoteIdentifier(catalog)}.information_schema.${table}`;
}

/** Tables and views of `catalog` in the given schemas (all but information_schema when omitted). */
export async function listRelations(conn: Connection, catalog: string, schemas?: readonly string[]): Promise<RelationInfo[]> {
  const filter = schemas && schemas.length ? ` and table_schema in (${schemas.map((s) => trinoDialect.literal(s)).join(', ')})` : " and table_schema <> 'information_schema'";
  const r = await conn.execute(`select table_schema, table_name, table_type from ${infoSchema('tables', catalog)} where table_catalog = ${trinoDialect.literal(catalog)}${filter}`);
  return r.rows.map(([schema, identifier, kind]) => ({ schema: String(schema), identifier: String(identifier), kind: String(kind).toUpperCase() === 'VIEW' ? 'view' : 'table' }));
}

/** Whether a relation exists, and as what. */
export async function relationKind(conn: Connection, r: RelationName, defaultCatalog: string): Promise<RelationKind | undefined> {
  const catalog = r.database ?? defaultCatalog;
  const res = await conn.execute(
    `select table_type from ${infoSchema('tables', catalog)} where table_catalog = ? and table_schema = ? and table_name = ?`,
    [catalog, r.schema, r.identifier],
  );
  if (!res.rows.length) return undefined;
  return String(res.rows[0][0]).toUpperCase() === 'VIEW' ? 'view' : 'table';
}

/** Columns of a relation, in order. */
export async function listColumns(conn: Connection, relation: RelationName, defaultCatalog: string): Promise<ColumnMeta[]> {
  const catalog = relation.database ?? defaultCatalog;
  const r = await conn.execute(
    `select column_name, data_type from ${infoSchema('columns', catalog)} where table_catalog = ? and table_schema = ? and table_name = ? order by ordinal_position`,
    [catalog, relation.schema, relation.identifier],
  );
  return r.rows.map(([name, type]) => ({ name: String(name), type: String(type) }));
}

/**
 * The current Iceberg snapshot id (`"<table>$snapshots"`, https://trino.io/docs/current/connector/iceberg.html#snapshots-table):
 * every write commits a new snapshot. Other connectors have no such table: undefined (rebuild).
 */
export async function relationFingerprint(conn: Connection, relation: RelationName, defaultCatalog: string): Promise<string | undefined> {
  const d = trinoDialect;
  try {
    const t = `${d.quoteIdentifier(relation.database ?? defaultCatalog)}.${d.quoteIdentifier(relation.schema)}.${d.quoteIdentifier(`${relation.identifier}$snapshots`)}`;
    const r = await conn.execute(`select snapshot_id from ${t} order by committed_at desc limit 1`);
    const v = r.rows[0]?.[0];
    return v === undefined || v === null ? undefined : `iceberg:${String(v)}`;
  } catch {
    return undefined;
  }
}
