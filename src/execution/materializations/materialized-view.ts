/**
 * `materialized_view` (Snowflake, Trino): the engine stores the model's query result as a materialized view
 * (https://docs.snowflake.com/en/user-guide/views-materialized, https://trino.io/docs/current/sql/create-materialized-view.html).
 */
import { tableOptionsOf } from '../../adapters/table-options.js';
import { WeirError } from '../../errors/weir-error.js';
import type { ModelNode } from '../../manifest/types.js';
import type { Strategy } from './strategy.js';

/**
 * `create or replace materialized view … as <query>` (the dialect's `ddl.createMaterializedView`, with the
 * table options it applies to materialized views), then, where creating leaves it stale, the dialect's
 * refresh (Trino `refresh materialized view`, as dbt-trino). An existing plain view of the same name is
 * dropped first. Not reusable: each run refreshes it.
 */
export const materializedViewStrategy: Strategy<ModelNode> = {
  relation: 'view', auditable: false, tableOptions: true, reusable: false,
  appliedTableOptions: (ddl) => ddl.materializedViewOptionKeys,
  async build({ ctx, conn, node, relation, sql, before, relations }) {
    const d = ctx.adapter.dialect;
    if (!d.ddl.createMaterializedView) {
      // The parse phase refuses the model on such a target; reaching this is a bug.
      throw new WeirError('WEIR_INTERNAL', `model '${node.name}': the ${d.name} dialect has no materialized views`, { location: { file: node.path, nodeId: node.unique_id } });
    }
    for (const b of before) await conn.execute(b);
    const rel = d.relation(relation!);
    if (await relations.kindOf(ctx.adapter, conn, relation!) === 'view') await conn.execute(d.ddl.dropRelation(rel, 'view'));
    await conn.execute(d.ddl.createMaterializedView(rel, sql!, tableOptionsOf(node.config)));
    if (d.ddl.refreshMaterializedView) await conn.execute(d.ddl.refreshMaterializedView(rel));
    relations.set(relation!, 'table');
    return { message: 'CREATE MATERIALIZED VIEW' };
  },
};
