/**
 * What a DuckDB database holds: relations (`duckdb_tables()`, `duckdb_views()`), columns
 * (`information_schema.columns`) and a data fingerprint for `--reuse`. Each function runs its queries on
 * the connection it is given.
 */
import type { RelationName } from '../../manifest/types.js';
import type { ColumnMeta, Connection, RelationInfo } from '../adapter.js';
import { duckdbDialect } from './dialect.js';

/** Tables and views of the current database in the given schemas (all schemas when omitted). */
export async function listRelations(conn: Connection, schemas?: readonly string[]): Promise<RelationInfo[]> {
  const filter = schemas && schemas.length ? `and schema_name in (${schemas.map((s) => duckdbDialect.literal(s)).join(', ')})` : '';
  const r = await conn.execute(
    `select schema_name, table_name, 'table' as kind from duckdb_tables() where database_name = current_database() ${filter}
         union all
         select schema_name, view_name, 'view' from duckdb_views() where not internal and database_name = current_database() ${filter}`,
  );
  return r.rows.map(([schema, identifier, kind]) => ({ schema: String(schema), identifier: String(identifier), kind: kind as 'table' | 'view' }));
}

/** Columns of a relation, in order. */
export async function listColumns(conn: Connection, relation: RelationName): Promise<ColumnMeta[]> {
  const r = await conn.execute(
    `select column_name, data_type from information_schema.columns where table_schema = ? and table_name = ? order by ordinal_position`,
    [relation.schema, relation.identifier],
  );
  return r.rows.map(([name, type]) => ({ name: String(name), type: String(type) }));
}

/**
 * Row count and the sum of every row's `hash()` (one vectorised scan; no metadata in DuckDB says when a
 * table last changed). Order-independent; two tables with the same rows give the same fingerprint.
 */
export async function relationFingerprint(conn: Connection, relation: RelationName): Promise<string | undefined> {
  try {
    const r = await conn.execute(`select count(*), coalesce(sum(hash(weir_fp)::hugeint), 0) from ${duckdbDialect.relation(relation)} as weir_fp`);
    return `duckdb:${String(r.rows[0][0])}:${String(r.rows[0][1])}`;
  } catch {
    return undefined;
  }
}

/** Kind of an existing relation, or undefined. */
export async function relationKind(conn: Connection, r: RelationName): Promise<'table' | 'view' | undefined> {
  const res = await conn.execute(
    `select 'table' from duckdb_tables() where database_name = current_database() and schema_name = ? and table_name = ?
       union all select 'view' from duckdb_views() where database_name = current_database() and schema_name = ? and view_name = ?`,
    [r.schema, r.identifier, r.schema, r.identifier],
  );
  return res.rows.length ? (res.rows[0][0] as 'table' | 'view') : undefined;
}
