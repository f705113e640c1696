/**
 * SQL text of the incremental strategies, built from a dialect's quoting rules only (pure functions, no
 * engine names): `append`, `delete+insert`, `merge` and the microbatch window delete, plus the column diff
 * and `alter table` statements behind `on_schema_change`. Statements follow dbt's default strategy macros
 * (https://docs.getdbt.com/docs/build/incremental-strategy): the new rows are first written to a staging
 * table, then moved into the target by these statements inside one transaction where the engine has one.
 */
import type { ColumnMeta, Dialect } from '../../adapters/adapter.js';

/** Which columns an incremental step writes, and which `alter table` statements come first. */
export interface SchemaPlan {
  /** Columns of the staging table that the target lacks. */
  readonly added: readonly ColumnMeta[];
  /** Columns of the target that the staging table lacks. */
  readonly removed: readonly ColumnMeta[];
  /** Columns to write (names as the staging table spells them), in the staging table's order. */
  readonly insertColumns: readonly string[];
  /** `alter table` statements to run before the rows are written. */
  readonly alters: readonly string[];
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Compares the staging table's columns with the target's and plans the `on_schema_change` behaviour:
 * `ignore` writes the columns both have; `fail` is decided by the caller from `added`/`removed`;
 * `append_new_columns` adds the new columns; `sync_all_columns` adds new and drops missing columns.
 * Names are matched case-insensitively (engines fold unquoted names). Column type changes are not
 * applied: the engine casts on insert.
 * @param target rendered target relation
 */
export function planSchemaChange(
  d: Dialect, target: string, targetCols: readonly ColumnMeta[], stagingCols: readonly ColumnMeta[],
  mode: 'ignore' | 'fail' | 'append_new_columns' | 'sync_all_columns',
): SchemaPlan {
  const added = stagingCols.filter((c) => !targetCols.some((t) => same(t.name, c.name)));
  const removed = targetCols.filter((t) => !stagingCols.some((c) => same(t.name, c.name)));
  const common = stagingCols.filter((c) => targetCols.some((t) => same(t.name, c.name))).map((c) => c.name);
  const alters: string[] = [];
  let insertColumns = common;
  if (mode === 'append_new_columns' || mode === 'sync_all_columns') {
    for (const c of added) alters.push(addColumnSql(d, target, c));
    insertColumns = stagingCols.map((c) => c.name);
  }
  if (mode === 'sync_all_columns') for (const c of removed) alters.push(dropColumnSql(d, target, c.name));
  return { added, removed, insertColumns, alters };
}

/** `alter table T add column c TYPE` */
export function addColumnSql(d: Dialect, target: string, col: ColumnMeta): string {
  return `alter table ${target} add column ${d.quoteIdentifier(col.name)} ${col.type}`;
}

/** `alter table T drop column c` */
export function dropColumnSql(d: Dialect, target: string, column: string): string {
  return `alter table ${target} drop column ${d.quoteIdentifier(column)}`;
}

const colList = (d: Dialect, cols: readonly string[]) => cols.map((c) => d.quoteIdentifier(c)).join(', ');

/**
 * `insert into T (cols) select cols from S [where ...]`.
 * @param where optional predicate on the staging rows (SQL text)
 */
export function appendSql(d: Dialect, target: string, staging: string, cols: readonly string[], where?: string): string {
  const list = colList(d, cols);
  return `insert into ${target} (${list})\nselect ${list} from ${staging}${where ? `\nwhere ${where}` : ''}`;
}

/**
 * Deletes the target rows whose key matches a staging row (`delete+insert`'s first step):
 * `delete from T where (k1, k2) in (select k1, k2 from S)` — the row-value form, because Trino's DELETE
 * takes no table alias. Rows with a NULL key never match (SQL equality), as in dbt.
 * @throws Error when `keys` is empty
 */
export function deleteMatchingSql(d: Dialect, target: string, staging: string, keys: readonly string[]): string {
  if (keys.length === 0) throw new Error('delete+insert needs at least one unique_key column');
  const list = colList(d, keys);
  const lhs = keys.length === 1 ? list : `(${list})`;
  return `delete from ${target}\nwhere ${lhs} in (select ${list} from ${staging})`;
}

/**
 * `merge into T using S on keys when matched then update set ... when not matched then insert ...`
 * (SQL:2003 MERGE; DuckDB ≥ 1.4, Snowflake, Trino on connectors that support it). When every column is a
 * key there is nothing to update and the `when matched` clause is left out.
 * @throws Error when `keys` is empty
 */
export function mergeSql(d: Dialect, target: string, staging: string, cols: readonly string[], keys: readonly string[]): string {
  if (keys.length === 0) throw new Error('merge needs at least one unique_key column');
  const q = (c: string) => d.quoteIdentifier(c);
  const on = keys.map((k) => `weir_dest.${q(k)} = weir_src.${q(k)}`).join(' and ');
  const updates = cols.filter((c) => !keys.some((k) => same(k, c))).map((c) => `${q(c)} = weir_src.${q(c)}`);
  return [
    `merge into ${target} as weir_dest`,
    `using ${staging} as weir_src`,
    `on ${on}`,
    ...(updates.length ? [`when matched then update set ${updates.join(', ')}`] : []),
    `when not matched then insert (${colList(d, cols)}) values (${cols.map((c) => `weir_src.${q(c)}`).join(', ')})`,
  ].join('\n');
}

/** `col >= start and col < end`: the predicate of a microbatch window (UTC timestamps). */
export function windowPredicate(d: Dialect, column: string, start: Date, end: Date): string {
  const c = d.quoteIdentifier(column);
  return `${c} >= ${d.literal(start)} and ${c} < ${d.literal(end)}`;
}

/** `delete from T where <window>`: clears a microbatch's window before its rows are inserted. */
export function deleteWindowSql(d: Dialect, target: string, column: string, start: Date, end: Date): string {
  return `delete from ${target} where ${windowPredicate(d, column, start, end)}`;
}
