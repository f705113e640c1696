/**
 * What a Snowflake database holds, from its `information_schema` (relations, columns, `LAST_ALTERED` as the
 * data fingerprint for `--reuse`). Names are compared upper-cased, as Snowflake stores the names Weir
 * creates (see dialect.ts). Each function runs its queries on the connection it is given.
 */
import type { RelationName } from '../../manifest/types.js';
import type { ColumnMeta, Connection, RelationInfo } from '../adapter.js';
import type { RelationKind } from '../ansi-sql.js';
import { quoteSnowflakeIdentifier } from './dialect.js';

/** Upper-case form of a name, as Snowflake stores names Weir creates. */
function upper(name: string): string {
  return name.toUpperCase();
}

/** Tables and views of `database` in the given schemas (all but INFORMATION_SCHEMA when omitted). */
export async function listRelations(conn: Connection, database: string, schemas?: readonly string[]): Promise<RelationInfo[]> {
  const binds: unknown[] = [upper(database)];
  let filter = '';
  if (schemas && schemas.length) {
    filter = ` and table_schema in (${schemas.map(() => '?').join(', ')})`;
    binds.push(...schemas.map((s) => upper(s)));
  }
  const r = await conn.execute(
    `select table_schema, table_name, table_type from information_schema.tables where table_catalog = ?${filter} and table_schema <> 'INFORMATION_SCHEMA'`,
    binds,
  );
  return r.rows.map(([schema, identifier, kind]) => ({ schema: String(schema), identifier: String(identifier), kind: String(kind).toUpperCase() === 'VIEW' ? 'view' : 'table' }));
}

/** Whether a relation exists, and as what (`database`: the target's, when the relation names none). */
export async function relationKind(conn: Connection, r: RelationName, database: string): Promise<RelationKind | undefined> {
  const res = await conn.execute(
    `select table_type from information_schema.tables where table_catalog = ? and table_schema = ? and table_name = ?`,
    [upper(r.database ?? database), upper(r.schema), upper(r.identifier)],
  );
  if (!res.rows.length) return undefined;
  return String(res.rows[0][0]).toUpperCase() === 'VIEW' ? 'view' : 'table';
}

/** Columns of a relation, in order (`database`: the target's, when the relation names none). */
export async function listColumns(conn: Connection, r: RelationName, database: string): Promise<ColumnMeta[]> {
  const res = await conn.execute(
    `select column_name, data_type from information_schema.columns where table_catalog = ? and table_schema = ? and table_name = ? order by ordinal_position`,
    [upper(r.database ?? database), upper(r.schema), upper(r.identifier)],
  );
  return res.rows.map(([name, type]) => ({ name: String(name), type: String(type) }));
}

/**
 * `LAST_ALTERED` of the table (https://docs.snowflake.com/en/sql-reference/info-schema/tables): changes
 * with every DDL and DML on it.
 */
export async function relationFingerprint(conn: Connection, r: RelationName, database: string): Promise<string | undefined> {
  try {
    const db = r.database ?? database;
    const res = await conn.execute(
      `select last_altered from ${quoteSnowflakeIdentifier(upper(db))}.information_schema.tables where table_schema = ? and table_name = ?`,
      [upper(r.schema), upper(r.identifier)],
    );
    const v = res.rows[0]?.[0];
    return v === undefined || v === null ? undefined : `snowflake:${v instanceof Date ? v.toISOString() : String(v)}`;
  } catch {
    return undefined;
  }
}
