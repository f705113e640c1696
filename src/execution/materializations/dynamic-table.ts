/**
 * `dynamic_table` (Snowflake): the engine keeps the model's query result and refreshes it within its target
 * lag (https://docs.snowflake.com/en/user-guide/dynamic-tables-about), as dbt-snowflake's materialization.
 */
import { WeirError } from '../../errors/weir-error.js';
import { typedConfig } from '../../manifest/node-configs.js';
import type { ModelNode } from '../../manifest/types.js';
import type { Strategy } from './strategy.js';

/**
 * `create or replace dynamic table … target_lag = … warehouse = … as (<query>)` (the dialect's
 * `ddl.createDynamicTable`). An existing view of the same name is dropped first. Reusable: the engine
 * refreshes it, so an unchanged model need not be recreated.
 */
export const dynamicTableStrategy: Strategy<ModelNode> = {
  relation: 'table', auditable: false, tableOptions: false, reusable: true,
  async build({ ctx, conn, node, relation, sql, before, relations }) {
    const d = ctx.adapter.dialect;
    if (!d.ddl.createDynamicTable) {
      // The parse phase refuses the model on such a target; reaching this is a bug.
      throw new WeirError('WEIR_INTERNAL', `model '${node.name}': the ${d.name} dialect has no dynamic tables`, { location: { file: node.path, nodeId: node.unique_id } });
    }
    for (const b of before) await conn.execute(b);
    const rel = d.relation(relation!);
    if (await relations.kindOf(ctx.adapter, conn, relation!) === 'view') await conn.execute(d.ddl.dropRelation(rel, 'view'));
    await conn.execute(d.ddl.createDynamicTable(rel, sql!, typedConfig(node, 'dynamic_table')));
    relations.set(relation!, 'table');
    return { message: 'CREATE DYNAMIC TABLE' };
  },
};
