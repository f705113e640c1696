/**
 * Atomic replacement of a relation by a freshly built one: the new relation is built under a temporary
 * name first (outside any transaction, so a failing build leaves the old relation untouched), then swapped
 * in — drop old, rename new — inside one transaction where the engine supports transactional DDL.
 */
import type { RelationName } from '../manifest/types.js';
import type { Adapter, Connection } from './adapter.js';
import type { RelationKind } from './ansi-sql.js';

/** Suffix of the temporary relation a table is built into before the swap. */
export const TMP_SUFFIX = '__weir_tmp';

/** The temporary relation next to `target`. */
export function tmpRelation(target: RelationName): RelationName {
  return { ...target, identifier: `${target.identifier}${TMP_SUFFIX}` };
}

/**
 * Replaces `target` with the table `tmp`. Where the dialect has an atomic table exchange
 * (`ddl.swapTables`, Snowflake) and `target` is a table, the two are exchanged and the old table (now
 * under the temporary name) dropped; otherwise drop + rename, in one transaction where DDL is transactional.
 * @param existing kind of the relation currently at `target` (undefined when absent)
 * @throws the engine's error; with transactional DDL the transaction is rolled back first
 */
export async function swapIn(adapter: Adapter, conn: Connection, tmp: RelationName, target: RelationName, existing: RelationKind | undefined): Promise<void> {
  const d = adapter.dialect;
  if (existing === 'table' && d.ddl.swapTables) {
    await conn.execute(d.ddl.swapTables(d.relation(target), d.relation(tmp)));
    await conn.execute(d.ddl.dropRelation(d.relation(tmp), 'table'));
    return;
  }
  const tx = adapter.capabilities.transactionalDdl;
  if (tx) await conn.execute('begin transaction');
  try {
    if (existing) await conn.execute(d.ddl.dropRelation(d.relation(target), existing));
    await conn.execute(d.ddl.renameRelation(d.relation(tmp), d.quoteIdentifier(target.identifier), 'table'));
    if (tx) await conn.execute('commit');
  } catch (e) {
    if (tx) await conn.execute('rollback').catch(() => undefined);
    throw e;
  }
}
