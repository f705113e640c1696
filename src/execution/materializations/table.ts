/**
 * `table`: a model's query written into a new table that replaces the old one only when it is complete.
 */
import type { Adapter, Connection } from '../../adapters/adapter.js';
import { swapIn, tmpRelation } from '../../adapters/relation-swap.js';
import { tableOptionsOf, type TableOptions } from '../../adapters/table-options.js';
import type { ModelNode, RelationName } from '../../manifest/types.js';
import type { RelationCache } from './relation-cache.js';
import type { Audit, MaterializationResult, Strategy } from './strategy.js';

/**
 * `table`: built as `<name>__weir_tmp`, then swapped in (drop old + rename) in one transaction; where the
 * dialect applies `on_table_exists` (Trino), as that option says: `rename` (default), `drop` or `replace`
 * (`create or replace table`, atomic on Iceberg). A failing
 * query leaves the previous table intact and removes the temporary relation. With `audit`, the staged
 * table is checked before the swap (also on engines with an atomic `create or replace`, which then build
 * the staged table first); a failing audit drops it and leaves the previous table untouched. `options` are
 * the model's native table options (adapters/table-options.ts), written by the dialect's DDL.
 * @throws the engine's error, or the audit's
 */
export async function materializeTable(adapter: Adapter, conn: Connection, relation: RelationName, sql: string, relations?: RelationCache, audit?: Audit, options?: TableOptions): Promise<MaterializationResult> {
  const d = adapter.dialect;
  // on_table_exists where the dialect applies it (Trino; default rename, as dbt-trino), else the engine's way.
  const mode = d.ddl.tableOptionKeys?.includes('on_table_exists') ? options?.on_table_exists ?? 'rename' : undefined;
  if (!audit && d.ddl.createOrReplaceTableAs && (mode === 'replace' || (mode === undefined && adapter.capabilities.atomicReplaceTable))) {
    return replaceTable(adapter, conn, relation, sql, relations, options);
  }
  if (!audit && mode === 'drop') return dropThenCreate(adapter, conn, relation, sql, relations, options);
  const tmp = tmpRelation(relation);
  const tmpSql = d.relation(tmp);
  await conn.execute(d.ddl.dropRelation(tmpSql, 'table'));
  let rowsAffected: number | undefined;
  try {
    const r = await conn.execute(d.ddl.createTableAs(tmpSql, sql, options));
    rowsAffected = rowsFrom(r);
  } catch (e) {
    await conn.execute(d.ddl.dropRelation(tmpSql, 'table')).catch(() => undefined);
    throw e;
  }
  if (rowsAffected === undefined) {
    const c = await conn.execute(`select count(*) from ${tmpSql}`);
    rowsAffected = Number(c.rows[0][0]);
  }
  try {
    if (audit) await audit(tmp);
    const existing = relations ? await relations.kindOf(adapter, conn, relation) : await adapter.relationKind(conn, relation);
    if (mode === 'rename') await renameIn(adapter, conn, tmp, relation, existing);
    else if (mode === 'replace' && d.ddl.createOrReplaceTableAs && existing !== 'view') {
      // Audited: the staged table is copied over the published one in one atomic statement.
      await conn.execute(d.ddl.createOrReplaceTableAs(d.relation(relation), `select * from ${tmpSql}`, options));
      await conn.execute(d.ddl.dropRelation(tmpSql, 'table'));
    } else await swapIn(adapter, conn, tmp, relation, existing);
  } catch (e) {
    await conn.execute(d.ddl.dropRelation(tmpSql, 'table')).catch(() => undefined);
    throw e;
  }
  relations?.set(relation, 'table');
  return { rowsAffected };
}

/**
 * `table` on engines whose `create or replace table ... as` is atomic: one statement; the old table stays
 * until the new one is complete. An existing view of the same name is dropped first.
 */
async function replaceTable(adapter: Adapter, conn: Connection, relation: RelationName, sql: string, relations?: RelationCache, options?: TableOptions): Promise<MaterializationResult> {
  const d = adapter.dialect;
  const rel = d.relation(relation);
  const existing = relations ? await relations.kindOf(adapter, conn, relation) : await adapter.relationKind(conn, relation);
  if (existing === 'view') await conn.execute(d.ddl.dropRelation(rel, 'view'));
  const r = await conn.execute(d.ddl.createOrReplaceTableAs!(rel, sql, options));
  let rowsAffected = rowsFrom(r);
  if (rowsAffected === undefined) rowsAffected = Number((await conn.execute(`select count(*) from ${rel}`)).rows[0][0]);
  relations?.set(relation, 'table');
  return { rowsAffected };
}

/** Suffix of the table an existing one is renamed to while `on_table_exists: rename` swaps a new one in. */
export const BACKUP_SUFFIX = '__weir_backup';

/**
 * `on_table_exists: rename` (dbt-trino's default): the existing table is renamed to `<name>__weir_backup`,
 * the new one (`tmp`) renamed into place, then the backup dropped; there is always a table under the name
 * except between the two renames. An existing view is dropped instead. If the second rename fails, the
 * backup is renamed back.
 * @throws the engine's error
 */
async function renameIn(adapter: Adapter, conn: Connection, tmp: RelationName, target: RelationName, existing: 'table' | 'view' | undefined): Promise<void> {
  const d = adapter.dialect;
  const backup = { ...target, identifier: `${target.identifier}${BACKUP_SUFFIX}` };
  if (existing === 'view') await conn.execute(d.ddl.dropRelation(d.relation(target), 'view'));
  if (existing === 'table') {
    await conn.execute(d.ddl.dropRelation(d.relation(backup), 'table'));
    await conn.execute(d.ddl.renameRelation(d.relation(target), d.quoteIdentifier(backup.identifier), 'table'));
  }
  try {
    await conn.execute(d.ddl.renameRelation(d.relation(tmp), d.quoteIdentifier(target.identifier), 'table'));
  } catch (e) {
    if (existing === 'table') await conn.execute(d.ddl.renameRelation(d.relation(backup), d.quoteIdentifier(target.identifier), 'table')).catch(() => undefined);
    throw e;
  }
  if (existing === 'table') await conn.execute(d.ddl.dropRelation(d.relation(backup), 'table'));
}

/**
 * `on_table_exists: drop` (dbt-trino): the existing relation is dropped, then the table created in place.
 * Not atomic, and a failing query leaves no table: the price of needing no rename.
 */
async function dropThenCreate(adapter: Adapter, conn: Connection, relation: RelationName, sql: string, relations?: RelationCache, options?: TableOptions): Promise<MaterializationResult> {
  const d = adapter.dialect;
  const rel = d.relation(relation);
  const existing = relations ? await relations.kindOf(adapter, conn, relation) : await adapter.relationKind(conn, relation);
  if (existing) await conn.execute(d.ddl.dropRelation(rel, existing));
  relations?.set(relation, 'table');
  const r = await conn.execute(d.ddl.createTableAs(rel, sql, options));
  let rowsAffected = rowsFrom(r);
  if (rowsAffected === undefined) rowsAffected = Number((await conn.execute(`select count(*) from ${rel}`)).rows[0][0]);
  return { rowsAffected };
}

/** Row count from a CTAS result: DuckDB returns one `Count` column; others report rowsAffected. */
function rowsFrom(r: { columns: readonly { name: string }[]; rows: readonly (readonly unknown[])[]; rowsAffected?: number }): number | undefined {
  if (r.columns.length === 1 && /^(count|rows|number of rows inserted)$/i.test(r.columns[0].name) && r.rows.length === 1) return Number(r.rows[0][0]);
  return r.rowsAffected && r.rowsAffected > 0 ? r.rowsAffected : undefined;
}

/**
 * The `table` materialization: statements before the query (`allow_multiple_statements`) run first; the
 * table is audited before the swap when write-audit-publish applies.
 */
export const tableStrategy: Strategy<ModelNode> = {
  relation: 'table', auditable: true, tableOptions: true, reusable: true,
  async build({ ctx, conn, node, relation, sql, before, relations, audit }) {
    for (const b of before) await conn.execute(b);
    const rows = (await materializeTable(ctx.adapter, conn, relation!, sql!, relations, audit, tableOptionsOf(node.config))).rowsAffected;
    return { rowsAffected: rows, message: rows === undefined ? 'CREATE TABLE' : `SELECT ${rows}` };
  },
};
