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
 * `table`: built as `<name>__weir_tmp`, then swapped in (drop old + rename) in one transaction. A failing
 * query leaves the previous table intact and removes the temporary relation. With `audit`, the staged
 * table is checked before the swap (also on engines with an atomic `create or replace`, which then build
 * the staged table first); a failing audit drops it and leaves the previous table untouched. `options` are
 * the model's native table options (adapters/table-options.ts), written by the dialect's DDL.
 * @throws the engine's error, or the audit's
 */
export async function materializeTable(adapter: Adapter, conn: Connection, relation: RelationName, sql: string, relations?: RelationCache, audit?: Audit, options?: TableOptions): Promise<MaterializationResult> {
  const d = adapter.dialect;
  if (!audit && adapter.capabilities.atomicReplaceTable && d.ddl.createOrReplaceTableAs) return replaceTable(adapter, conn, relation, sql, relations, options);
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
    await swapIn(adapter, conn, tmp, relation, relations ? await relations.kindOf(adapter, conn, relation) : await adapter.relationKind(conn, relation));
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
