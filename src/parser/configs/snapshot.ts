/**
 * Validation of snapshot config (SCD type 2), with dbt's keys
 * (https://docs.getdbt.com/reference/snapshot-configs): `unique_key`, `strategy` (`timestamp` with
 * `updated_at`, or `check` with `check_cols`: a list or `all`), and `hard_deletes` (`ignore`,
 * `invalidate`, `new_record`; dbt's older `invalidate_hard_deletes: true` means `invalidate`). The parse
 * phase calls {@link snapshotConfigOf} so a bad value is reported with the file before anything runs, and
 * stores the result on the node (`SnapshotNode.snapshot`, `ModelNode.snapshot`).
 */
import { WeirError } from '../../errors/weir-error.js';
import type { HardDeletes, SnapshotConfig } from '../../manifest/node-configs.js';
import type { NodeConfig } from '../../manifest/types.js';

/** What a snapshot does with rows whose key vanished from its query. */
export const HARD_DELETES = ['ignore', 'invalidate', 'new_record'] as const satisfies readonly HardDeletes[];

/**
 * Reads and checks a snapshot's config.
 * @param kind `snapshot` or `model` (named in errors)
 * @throws WeirError `WEIR_CONFIG_INVALID` naming the file, the key and the allowed values
 */
export function snapshotConfigOf(config: NodeConfig, name: string, file: string, kind = 'snapshot'): SnapshotConfig {
  const bad = (msg: string, hint: string) => new WeirError('WEIR_CONFIG_INVALID', `${kind} '${name}': ${msg}`, { location: { file }, hint });
  const example = '{{config unique_key="id" strategy="timestamp" updated_at="updated_at"}} or {{config unique_key="id" strategy="check" check_cols=(array "status" "email")}}';
  const raw = config.unique_key;
  const uniqueKey = typeof raw === 'string' ? raw.split(',').map((s) => s.trim()).filter(Boolean)
    : Array.isArray(raw) && raw.every((x) => typeof x === 'string' && x.trim()) ? raw.map((x) => (x as string).trim()) : [];
  if (uniqueKey.length === 0) throw bad('a snapshot needs unique_key (a column or a list of columns)', example);
  const strategy = String(config.strategy ?? '');
  if (strategy !== 'timestamp' && strategy !== 'check') throw bad(`strategy must be timestamp or check, got '${strategy}'`, example);
  let updatedAt: string | undefined;
  let checkCols: readonly string[] | 'all' | undefined;
  if (strategy === 'timestamp') {
    if (typeof config.updated_at !== 'string' || !config.updated_at.trim()) throw bad('strategy timestamp needs updated_at (the column that changes when a row changes)', example);
    updatedAt = config.updated_at.trim();
  } else {
    const c = config.check_cols;
    if (c === 'all') checkCols = 'all';
    else if (typeof c === 'string' && c.trim()) checkCols = c.split(',').map((s) => s.trim()).filter(Boolean);
    else if (Array.isArray(c) && c.length && c.every((x) => typeof x === 'string' && x.trim())) checkCols = c.map((x) => (x as string).trim());
    else throw bad(`strategy check needs check_cols: a list of columns or "all", got ${JSON.stringify(c)}`, example);
  }
  const hd = config.hard_deletes ?? (config.invalidate_hard_deletes === true ? 'invalidate' : 'ignore');
  if (!(HARD_DELETES as readonly unknown[]).includes(hd)) throw bad(`hard_deletes must be one of ${HARD_DELETES.join(', ')}, got '${String(hd)}'`, 'e.g. hard_deletes="invalidate"');
  return { uniqueKey, strategy, updatedAt, checkCols, hardDeletes: hd as HardDeletes };
}
