/**
 * `view`: a model's query kept as a view (also the view over an external model's file and over a versioned
 * model's latest version).
 */
import type { Adapter, Connection } from '../../adapters/adapter.js';
import type { RelationName } from '../../manifest/types.js';
import type { RelationCache } from './relation-cache.js';
import type { ModelNode } from '../../manifest/types.js';
import type { MaterializationResult, Strategy } from './strategy.js';

/**
 * `view`: `create or replace view`. An existing table of the same name is dropped first, in the same
 * transaction, so a failing view definition leaves the old relation in place.
 * @param relations the run's relation cache (without it, the catalog is asked)
 */
export async function materializeView(adapter: Adapter, conn: Connection, relation: RelationName, sql: string, relations?: RelationCache): Promise<MaterializationResult> {
  const d = adapter.dialect;
  const existing = relations ? await relations.kindOf(adapter, conn, relation) : await adapter.relationKind(conn, relation);
  if (existing === 'table') {
    const tx = adapter.capabilities.transactionalDdl;
    if (tx) await conn.execute('begin transaction');
    try {
      await conn.execute(d.ddl.dropRelation(d.relation(relation), 'table'));
      await conn.execute(d.ddl.createView(d.relation(relation), sql));
      if (tx) await conn.execute('commit');
    } catch (e) {
      if (tx) await conn.execute('rollback').catch(() => undefined);
      throw e;
    }
  } else {
    await conn.execute(d.ddl.createView(d.relation(relation), sql));
  }
  relations?.set(relation, 'view');
  return {};
}

/** The `view` materialization: statements before the query (`allow_multiple_statements`) run first. */
export const viewStrategy: Strategy<ModelNode> = {
  relation: 'view', auditable: false, tableOptions: false, reusable: true,
  async build({ ctx, conn, relation, sql, before, relations }) {
    for (const b of before) await conn.execute(b);
    await materializeView(ctx.adapter, conn, relation!, sql!, relations);
    return { message: 'CREATE VIEW' };
  },
};
