/**
 * The DDL Snowflake runs for materializations: tables are built in one atomic `create or replace
 * [transient] table ... as` (capability `atomicReplaceTable`) with the native table options `cluster_by`,
 * `transient` and `copy_grants`; views are `create or replace view`; renames stay in the relation's schema;
 * a staged table is published with `alter table ... swap with`; privileges are granted to roles.
 */
import type { TableOptions } from '../table-options.js';
import type { DynamicTableConfig } from '../../manifest/node-configs.js';
import { ansiDdl, type DdlRules, type RelationKind } from '../ansi-sql.js';

/** Options that change the DDL Weir emits for a Snowflake target. */
export interface SnowflakeDdlOptions {
  /** Create tables as `TRANSIENT` (no Fail-safe, cheaper storage). */
  readonly transient?: boolean;
}

/** The qualifier (`"DB"."SCHEMA"`) of a rendered relation, or '' when unqualified. */
function qualifierOf(relation: string): string {
  // Split on dots outside double quotes.
  let inQuotes = false;
  let lastDot = -1;
  for (let i = 0; i < relation.length; i++) {
    const ch = relation[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (ch === '.' && !inQuotes) lastDot = i;
  }
  return lastDot < 0 ? '' : relation.slice(0, lastDot + 1);
}

/**
 * Snowflake DDL: `create or replace [transient] table ... as` (atomic), renames keep the schema.
 * @param columnRef how the dialect writes a column name (`cluster_by` columns)
 */
export function snowflakeDdl(options: SnowflakeDdlOptions, columnRef: (name: string) => string): DdlRules {
  // CREATE [OR REPLACE] [TRANSIENT] TABLE <name> [CLUSTER BY (<expr>, ...)] [COPY GRANTS] AS <query>
  // (https://docs.snowflake.com/en/sql-reference/sql/create-table); a model's transient overrides the target's.
  const head = (relation: string, o?: TableOptions) =>
    `${(o?.transient ?? options.transient) ? 'transient table' : 'table'} ${relation}`
    + (o?.cluster_by?.length ? ` cluster by (${o.cluster_by.map(columnRef).join(', ')})` : '');
  return Object.freeze({
    ...ansiDdl,
    createTableAs: (relation: string, select: string, o?: TableOptions) => `create ${head(relation, o)} as (\n${select}\n)`,
    createOrReplaceTableAs: (relation: string, select: string, o?: TableOptions) => `create or replace ${head(relation, o)}${o?.copy_grants ? ' copy grants' : ''} as (\n${select}\n)`,
    tableOptionKeys: Object.freeze(['cluster_by', 'transient', 'copy_grants'] as const),
    // The body as a derived table: a WITH query may stand there, and it cannot end the statement.
    createView: (relation: string, select: string) => `create or replace view ${relation} as select * from (\n${select}\n) as weir_view`,
    // An unqualified new name would move the relation into the session's current schema: qualify it.
    renameRelation: (from: string, toIdentifier: string, kind: RelationKind) => `alter ${kind} ${from} rename to ${qualifierOf(from)}${toIdentifier}`,
    // CREATE [OR REPLACE] DYNAMIC TABLE <name> TARGET_LAG = { '<num> { seconds | minutes | hours | days }' | DOWNSTREAM }
    // WAREHOUSE = <warehouse> [REFRESH_MODE = …] [INITIALIZE = …] AS <query>
    // (https://docs.snowflake.com/en/sql-reference/sql/create-dynamic-table), as dbt-snowflake writes it.
    createDynamicTable: (relation: string, select: string, c: DynamicTableConfig) =>
      `create or replace dynamic table ${relation}\n  target_lag = ${c.targetLag === 'DOWNSTREAM' ? 'downstream' : `'${c.targetLag}'`}\n  warehouse = ${columnRef(c.warehouse)}`
      + `${c.refreshMode ? `\n  refresh_mode = ${c.refreshMode}` : ''}${c.initialize ? `\n  initialize = ${c.initialize}` : ''}\nas (\n${select}\n)`,
    // CREATE [OR REPLACE] MATERIALIZED VIEW <name> [COPY GRANTS] [CLUSTER BY (…)] AS <select>
    // (https://docs.snowflake.com/en/sql-reference/sql/create-materialized-view); filled when created.
    createMaterializedView: (relation: string, select: string, o?: TableOptions) =>
      `create or replace materialized view ${relation}${o?.copy_grants ? ' copy grants' : ''}`
      + `${o?.cluster_by?.length ? ` cluster by (${o.cluster_by.map(columnRef).join(', ')})` : ''} as\n${select}`,
    materializedViewOptionKeys: Object.freeze(['cluster_by', 'copy_grants'] as const),
    // Atomic exchange of two tables: publishes a staged (audited) table without a moment of no table.
    swapTables: (relation: string, other: string) => `alter table ${relation} swap with ${other}`,
    // Object privileges go to roles: https://docs.snowflake.com/en/sql-reference/sql/grant-privilege
    grant: (relation: string, kind: RelationKind, privilege: string, grantee: { type?: 'role' | 'user'; name: string }) => {
      if (grantee.type === 'user') throw new Error(`Snowflake grants privileges on a ${kind} to roles, not users: write the grantee as a role name`);
      return `grant ${privilege} on ${kind} ${relation} to role ${grantee.name}`;
    },
  });
}
