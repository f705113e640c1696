/**
 * Column lineage of snapshots: a snapshot table holds its query's columns (same names, mapped by the
 * lineage analysis) plus the meta columns the snapshot strategy writes (see snapshot.ts). This module says
 * how each meta column is derived and from which of the query's columns, for `lineage.json` and the docs
 * site — so a snapshot's lineage neither misses those columns nor reports a column-count mismatch.
 */
import type { SnapshotConfig } from '../../manifest/node-configs.js';
import type { DerivedColumn } from '../../lineage/lineage.js';
import { SNAPSHOT_COLUMNS as M } from './snapshot.js';

/**
 * The meta columns of a snapshot with config `cfg`, in table order, each with its derivation and the
 * query columns it is computed from (`timestamp`: the unique key and `updated_at`; `check`: the unique
 * key only — its times are the snapshot run's clock). `weir_is_deleted` only with `hard_deletes: new_record`.
 */
export function snapshotDerivedColumns(cfg: SnapshotConfig): DerivedColumn[] {
  const key = cfg.uniqueKey.join(', ');
  const ts = cfg.strategy === 'timestamp';
  const strategy = ts ? `snapshot, timestamp strategy (updated_at ${cfg.updatedAt})` : `snapshot, check strategy (check_cols ${cfg.checkCols === 'all' ? 'all' : cfg.checkCols!.join(', ')})`;
  const time = ts ? [cfg.updatedAt!] : [];
  const closed = cfg.hardDeletes === 'ignore' ? '' : `, or the snapshot time when the key vanished (hard_deletes ${cfg.hardDeletes})`;
  const out: DerivedColumn[] = [
    { name: M.scdId, derivation: `${strategy}: hash of the unique key (${key}) and the version's ${M.updatedAt}`, from: [...cfg.uniqueKey, ...time] },
    { name: M.updatedAt, derivation: `${strategy}: ${ts ? `the row's ${cfg.updatedAt}` : 'the time of the snapshot run that recorded the version'}`, from: time },
    { name: M.validFrom, derivation: `${strategy}: when the version became current (its ${M.updatedAt})`, from: time },
    {
      name: M.validTo,
      derivation: `${strategy}: when the version stopped being current (the next version's ${M.updatedAt}${closed}); NULL while current`,
      from: time,
    },
  ];
  if (cfg.hardDeletes === 'new_record') {
    out.push({ name: M.isDeleted, derivation: `snapshot, hard_deletes new_record: TRUE on the version recording that the key (${key}) vanished from the query`, from: [...cfg.uniqueKey] });
  }
  return out;
}
