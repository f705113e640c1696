/**
 * Snapshots: slowly changing dimensions of type 2, as dbt's snapshots
 * (https://docs.getdbt.com/docs/build/snapshots). The snapshot table holds every version of every row of
 * the snapshot's query, with Weir's meta columns:
 * - `weir_scd_id`: a hash of the key and the version's `weir_updated_at` (as dbt's `dbt_scd_id`), unique among
 *   a key's versions unless the key vanished and came back with the same `updated_at`;
 * - `weir_updated_at`: the row's `updated_at` (`timestamp` strategy) or the snapshot time (`check`);
 * - `weir_valid_from` / `weir_valid_to`: when the version became and stopped being current (NULL: current);
 * - `weir_is_deleted` (`hard_deletes: new_record` only): TRUE on the row recording that the key vanished.
 *
 * The first run creates the table (temporary relation + swap, like `table`). Later runs write the query's
 * rows to a staging table, compute the changes in a second one — current versions to close (changed rows,
 * and with `invalidate`/`new_record` vanished keys) and new versions to insert — and apply them with one
 * `delete` (of the versions being closed, by `weir_scd_id`) and one `insert` (their closed copies plus the
 * new versions), in one transaction where the engine has transactional DML. Only DELETE and INSERT are
 * needed, so every engine runs the same plan.
 */
import type { Adapter, ColumnMeta, Connection, Dialect } from '../../adapters/adapter.js';
import { typedConfig, type SnapshotConfig } from '../../manifest/node-configs.js';
import { WeirError } from '../../errors/weir-error.js';
import type { ModelNode, RelationName, SnapshotNode } from '../../manifest/types.js';
import { addColumnSql, appendSql } from './incremental-sql.js';
import { inTransaction } from './incremental.js';
import { materializeTable } from './table.js';
import type { RelationCache } from './relation-cache.js';
import type { Strategy } from './strategy.js';

/** Names of the meta columns a snapshot table carries. */
export const SNAPSHOT_COLUMNS = Object.freeze({
  scdId: 'weir_scd_id',
  updatedAt: 'weir_updated_at',
  validFrom: 'weir_valid_from',
  validTo: 'weir_valid_to',
  isDeleted: 'weir_is_deleted',
});

/** Suffixes of the two working tables of a snapshot run. */
export const SNAPSHOT_STAGING_SUFFIX = '__weir_snap';
export const SNAPSHOT_CHANGES_SUFFIX = '__weir_snapchg';

const M = SNAPSHOT_COLUMNS;
const isMeta = (c: string) => Object.values(M).includes(c.toLowerCase() as never);

/** Builds the SQL of one snapshot for a dialect. All functions are pure. */
export class SnapshotSql {
  private readonly q: (c: string) => string;
  private readonly ts: string;

  /**
   * @param now the snapshot time (one per run): `check` versions and hard-delete closes are stamped with it
   */
  constructor(private readonly d: Dialect, private readonly cfg: SnapshotConfig, private readonly now: Date) {
    this.q = (c) => d.quoteIdentifier(c);
    this.ts = d.fn.types.timestamp;
  }

  /** The snapshot time as a timestamp expression. */
  nowSql(): string {
    return `cast(${this.d.literal(this.now)} as ${this.ts})`;
  }

  /** The version's `weir_updated_at` for a row of alias `a`. */
  updatedAtOf(a: string): string {
    return this.cfg.strategy === 'timestamp' ? `cast(${a}.${this.q(this.cfg.updatedAt!)} as ${this.ts})` : this.nowSql();
  }

  /** `weir_scd_id`: md5 of the key columns and `updatedAt`, `|`-separated, NULLs as ''. */
  scdIdOf(a: string, updatedAt: string): string {
    const str = (e: string) => `coalesce(cast(${e} as ${this.d.fn.types.string}), '')`;
    const parts: string[] = [];
    for (const k of this.cfg.uniqueKey) parts.push(str(`${a}.${this.q(k)}`), `'|'`);
    parts.push(str(updatedAt));
    return this.d.fn.hash(this.d.fn.concat(parts));
  }

  /** The key join `l.k = r.k and ...`. */
  keyMatch(l: string, r: string): string {
    return this.cfg.uniqueKey.map((k) => `${l}.${this.q(k)} = ${r}.${this.q(k)}`).join(' and ');
  }

  /**
   * The first build: the query's rows, each the current version.
   * @param sql the snapshot's compiled query
   */
  firstBuild(sql: string): string {
    const upd = this.updatedAtOf('weir_src');
    return [
      `select weir_src.*, ${this.scdIdOf('weir_src', upd)} as ${M.scdId}, ${upd} as ${M.updatedAt}, ${upd} as ${M.validFrom},`,
      `  cast(null as ${this.ts}) as ${M.validTo}${this.cfg.hardDeletes === 'new_record' ? `, FALSE as ${M.isDeleted}` : ''}`,
      `from (\n${sql}\n) as weir_src`,
    ].join('\n');
  }

  /** Whether source row `s` differs from current version `t` (a new version is due). */
  changed(sourceCols: readonly string[], targetCols: readonly string[]): string {
    const inTarget = (c: string) => targetCols.some((t) => t.toLowerCase() === c.toLowerCase());
    let cond: string;
    if (this.cfg.strategy === 'timestamp') cond = `${this.updatedAtOf('weir_src')} > weir_dest.${M.updatedAt}`;
    else {
      const cols = this.cfg.checkCols === 'all'
        ? sourceCols.filter((c) => !this.cfg.uniqueKey.some((k) => k.toLowerCase() === c.toLowerCase()))
        : this.cfg.checkCols!;
      const checks = cols.map((c) => (inTarget(c) ? `weir_src.${this.q(c)} is distinct from weir_dest.${this.q(c)}` : 'TRUE'));
      cond = checks.length ? checks.join(' or ') : 'FALSE';
    }
    return this.cfg.hardDeletes === 'new_record' ? `(${cond} or weir_dest.${M.isDeleted})` : `(${cond})`;
  }

  /**
   * The changes query: every row to write, with the target's columns in order. Rows with
   * `weir_valid_to` set are closed copies of current versions (their `weir_scd_id` is deleted first);
   * rows without are new versions.
   * @param target rendered snapshot table; `staging` the table of the query's rows
   * @param sourceCols the staging table's columns; `targetCols` the snapshot table's (after added columns)
   */
  changes(target: string, staging: string, sourceCols: readonly string[], targetCols: readonly string[]): string {
    const current = `(select * from ${target} where ${M.validTo} is null)`;
    const hasSource = (c: string) => sourceCols.find((s) => s.toLowerCase() === c.toLowerCase());
    const pick = (override: Record<string, string>, fallback: (c: string) => string) =>
      targetCols.map((c) => `${override[c.toLowerCase()] ?? fallback(c)} as ${this.q(c)}`).join(', ');
    const changed = this.changed(sourceCols, targetCols);
    const firstKey = this.q(this.cfg.uniqueKey[0]);
    const upd = this.updatedAtOf('weir_src');
    const nullTs = `cast(null as ${this.ts})`;
    const branches: string[] = [];
    // 1. Close the current versions of changed rows.
    branches.push(`select ${pick({ [M.validTo]: this.cfg.strategy === 'timestamp' ? upd : this.nowSql() }, (c) => `weir_dest.${this.q(c)}`)}
from ${current} as weir_dest join ${staging} as weir_src on ${this.keyMatch('weir_src', 'weir_dest')}
where ${changed}`);
    // 2. New versions: new keys and changed rows.
    const fresh: Record<string, string> = {
      [M.scdId]: this.scdIdOf('weir_src', upd), [M.updatedAt]: upd, [M.validFrom]: upd, [M.validTo]: nullTs, [M.isDeleted]: 'FALSE',
    };
    branches.push(`select ${pick(fresh, (c) => { const s = hasSource(c); return s ? `weir_src.${this.q(s)}` : 'NULL'; })}
from ${staging} as weir_src left join ${current} as weir_dest on ${this.keyMatch('weir_src', 'weir_dest')}
where weir_dest.${firstKey} is null or ${changed}`);
    if (this.cfg.hardDeletes !== 'ignore') {
      const vanished = `from ${current} as weir_dest
where not exists (select 1 from ${staging} as weir_src where ${this.keyMatch('weir_src', 'weir_dest')})${this.cfg.hardDeletes === 'new_record' ? ` and not weir_dest.${M.isDeleted}` : ''}`;
      // 3. Close the current versions of vanished keys.
      branches.push(`select ${pick({ [M.validTo]: this.nowSql() }, (c) => `weir_dest.${this.q(c)}`)}\n${vanished}`);
      // 4. new_record: a current row recording the deletion.
      if (this.cfg.hardDeletes === 'new_record') {
        const now = this.nowSql();
        branches.push(`select ${pick({
          [M.scdId]: this.scdIdOf('weir_dest', now), [M.updatedAt]: now, [M.validFrom]: now, [M.validTo]: nullTs, [M.isDeleted]: 'TRUE',
        }, (c) => `weir_dest.${this.q(c)}`)}\n${vanished}`);
      }
    }
    return branches.join('\nunion all\n');
  }

  /**
   * Deletes the current versions being closed (they are re-inserted closed). Only current versions: a key
   * that vanished and came back with the same `updated_at` has an old, closed version with the same id.
   */
  deleteClosed(target: string, changes: string): string {
    return `delete from ${target} where ${M.validTo} is null and ${M.scdId} in (select ${M.scdId} from ${changes} where ${M.validTo} is not null)`;
  }
}

/** Everything a snapshot run needs. */
export interface SnapshotBuild {
  readonly adapter: Adapter;
  readonly conn: Connection;
  /** The snapshot's name and file, for messages. */
  readonly name: string;
  readonly file: string;
  readonly relation: RelationName;
  readonly config: SnapshotConfig;
  /** The snapshot's compiled query. */
  readonly sql: string;
  readonly relations?: RelationCache;
  /** The snapshot time (default: now). */
  readonly now?: Date;
}

/**
 * Runs a snapshot: creates the table on the first run, else records new versions and closes old ones.
 * @returns rows written (first run: rows of the query; later: versions closed + versions added)
 * @throws WeirError `WEIR_CONFIG_INVALID` when the existing relation is not a snapshot table or a key
 *   column is missing; the engine's error otherwise (after a rollback where the engine has transactions)
 */
export async function materializeSnapshot(b: SnapshotBuild): Promise<{ rowsAffected: number; message: string }> {
  const { adapter, conn, config } = b;
  const d = adapter.dialect;
  const s = new SnapshotSql(d, config, b.now ?? new Date());
  const existing = b.relations ? await b.relations.kindOf(adapter, conn, b.relation) : await adapter.relationKind(conn, b.relation);
  const target = d.relation(b.relation);
  const stagingRel = { ...b.relation, identifier: `${b.relation.identifier}${SNAPSHOT_STAGING_SUFFIX}` };
  const changesRel = { ...b.relation, identifier: `${b.relation.identifier}${SNAPSHOT_CHANGES_SUFFIX}` };
  const staging = d.relation(stagingRel);
  const changes = d.relation(changesRel);
  for (const t of [staging, changes]) await conn.execute(d.ddl.dropRelation(t, 'table'));
  try {
    const targetCols = existing === 'table' ? await adapter.listColumns(conn, b.relation) : [];
    const missingMeta = [M.scdId, M.updatedAt, M.validFrom, M.validTo, ...(config.hardDeletes === 'new_record' ? [M.isDeleted] : [])]
      .filter((m) => !targetCols.some((c) => c.name.toLowerCase() === m));
    if (existing === 'table' && missingMeta.length) {
      throw new WeirError('WEIR_CONFIG_INVALID', `snapshot '${b.name}': ${target} exists but has no ${missingMeta.join(', ')} column${missingMeta.length > 1 ? 's' : ''}, so it is not this snapshot's table`, {
        location: { file: b.file },
        hint: missingMeta.includes(M.isDeleted) && missingMeta.length === 1
          ? 'hard_deletes: new_record needs weir_is_deleted: add it (alter table ... add column weir_is_deleted boolean) or start the snapshot afresh by dropping the table (its history is lost).'
          : 'Give the snapshot another name or alias, or drop the existing table.',
      });
    }
    await conn.execute(d.ddl.createTableAs(staging, b.sql));
    const sourceCols: ColumnMeta[] = (await adapter.listColumns(conn, stagingRel)).filter((c) => !isMeta(c.name));
    const missingKeys = [...config.uniqueKey, ...(config.updatedAt ? [config.updatedAt] : []), ...(Array.isArray(config.checkCols) ? config.checkCols : [])]
      .filter((k) => !sourceCols.some((c) => c.name.toLowerCase() === k.toLowerCase()));
    if (missingKeys.length) {
      throw new WeirError('WEIR_CONFIG_INVALID', `snapshot '${b.name}': column${missingKeys.length > 1 ? 's' : ''} ${missingKeys.join(', ')} named in its config ${missingKeys.length > 1 ? 'are' : 'is'} not in its query`, {
        location: { file: b.file }, hint: `The query's columns: ${sourceCols.map((c) => c.name).join(', ')}.`,
      });
    }
    // A unique_key that is not unique would version every duplicate on every run (the history grows without
    // end): refused before the history is touched.
    const keyCols = config.uniqueKey.map((k) => d.quoteIdentifier(sourceCols.find((c) => c.name.toLowerCase() === k.toLowerCase())!.name));
    const dup = await conn.execute(`select ${keyCols.join(', ')}, count(*) as weir_n from ${staging} group by ${keyCols.join(', ')} having count(*) > 1 limit 3`);
    if (dup.rows.length) {
      const sample = dup.rows.map((r) => `(${r.slice(0, -1).map((v) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x))).join(', ')}) ×${String(r[r.length - 1])}`).join('; ');
      throw new WeirError('WEIR_SNAPSHOT_KEY_NOT_UNIQUE', `snapshot '${b.name}': unique_key ${config.uniqueKey.join(', ')} is not unique in its query's rows (e.g. ${sample}); the history was left unchanged`, {
        location: { file: b.file },
        hint: 'A snapshot keeps one current row per key: deduplicate the query (e.g. qualify row_number() over (partition by the key order by ...) = 1) or make unique_key a list of columns that is unique.',
      });
    }
    if (existing !== 'table') {
      // First run (or a view in the way): the table is built from the staged rows, then swapped in.
      const r = await materializeTable(adapter, conn, b.relation, s.firstBuild(`select * from ${staging}`), b.relations);
      return { rowsAffected: r.rowsAffected ?? 0, message: `SNAPSHOT created, ${r.rowsAffected ?? 0} rows` };
    }
    // Columns new in the query are added to the table (older versions get NULL); vanished ones stay.
    const added = sourceCols.filter((c) => !targetCols.some((t) => t.name.toLowerCase() === c.name.toLowerCase()));
    // (An added nullable column is harmless if what follows fails, so the alters need no transaction.)
    for (const c of added) await conn.execute(addColumnSql(d, target, c));
    const allCols = [...targetCols.map((c) => c.name), ...added.map((c) => c.name)];
    await conn.execute(d.ddl.createTableAs(changes, s.changes(target, staging, sourceCols.map((c) => c.name), allCols)));
    const rows = Number((await conn.execute(`select count(*) from ${changes}`)).rows[0][0]);
    if (rows > 0) await inTransaction(adapter, conn, [], [s.deleteClosed(target, changes), appendSql(d, target, changes, allCols)]);
    return { rowsAffected: rows, message: `SNAPSHOT ${rows} rows` };
  } finally {
    for (const t of [staging, changes]) await conn.execute(d.ddl.dropRelation(t, 'table')).catch(() => undefined);
  }
}

/**
 * Runs a snapshot node, or a model with `materialized: snapshot`, from its compiled query.
 * The config is the typed one the parse phase stored on the node (never parsed again here).
 * @throws WeirError see {@link materializeSnapshot}
 */
export async function runSnapshotNode(
  adapter: Adapter, conn: Connection, node: SnapshotNode | ModelNode, relation: RelationName, sql: string, relations?: RelationCache,
): Promise<{ rowsAffected: number; message: string }> {
  const config = node.resource_type === 'snapshot' ? node.snapshot : typedConfig(node, 'snapshot');
  return materializeSnapshot({ adapter, conn, name: node.name, file: node.path, relation, config, sql, relations });
}

/** Message of a snapshot that `--empty` left as it was. */
const EMPTY_SNAPSHOT_KEPT = '--empty: the existing snapshot table was kept (an empty input would close its current rows)';

/**
 * The `snapshot` materialization (snapshot nodes, and models with `materialized: snapshot`). An empty input
 * would close every current row of an existing history: `--empty` leaves an existing snapshot alone.
 */
export const snapshotStrategy: Strategy<SnapshotNode | ModelNode> = {
  relation: 'table', auditable: false, tableOptions: false, reusable: false,
  async build({ ctx, conn, node, relation, query, relations }) {
    const { adapter } = ctx;
    if (ctx.empty && await relations.kindOf(adapter, conn, relation!)) return { message: EMPTY_SNAPSHOT_KEPT };
    return runSnapshotNode(adapter, conn, node, relation!, query!, relations);
  },
};
