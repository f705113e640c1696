/**
 * Snapshot column lineage (src/execution/materializations/snapshot-lineage.ts + derived columns in src/lineage/lineage.ts):
 * the query's columns map to the snapshot table's same-named columns, the weir_* meta columns are marked
 * as derived by the strategy (with the query columns they are computed from as upstream), and the extra
 * meta columns in the catalog no longer cause a column-count note.
 */
import { describe, expect, it } from 'vitest';
import { computeLineage, type LineageInput } from '../../../src/lineage/lineage.js';
import { snapshotDerivedColumns } from '../../../src/execution/materializations/snapshot-lineage.js';
import { SNAPSHOT_COLUMNS } from '../../../src/execution/materializations/snapshot.js';
import type { SnapshotConfig } from '../../../src/manifest/node-configs.js';

const metadata = { weir_schema_version: '', weir_version: '0', generated_at: '', invocation_id: '', project_name: 'shop', target_name: 'dev', adapter_type: 'duckdb' };
const META = ['weir_scd_id', 'weir_updated_at', 'weir_valid_from', 'weir_valid_to'];
const seed: LineageInput = { unique_id: 'seed.shop.raw_customers', resource_type: 'seed', relation: { schema: 'main', identifier: 'raw_customers' } };
const SQL = 'select id, upper(status), email as contact, updated_at from "main"."raw_customers" where id > 0';

async function snapshotLineage(cfg: SnapshotConfig, built: string[] | undefined, sql = SQL) {
  const snap: LineageInput = {
    unique_id: 'snapshot.shop.customers_snap', resource_type: 'snapshot', relation: { schema: 'snapshots', identifier: 'customers_snap' },
    compiled_code: sql, derivedColumns: snapshotDerivedColumns(cfg),
  };
  const cat: Record<string, string[] | undefined> = { 'seed.shop.raw_customers': ['id', 'status', 'email', 'updated_at'], [snap.unique_id]: built };
  const art = await computeLineage([seed, snap], { columnsOf: (u) => cat[u], defaultSchema: 'main', metadata });
  return art.nodes[snap.unique_id];
}
const ups = (c: { upstream: readonly { node: string; column: string; kind: string }[] }) => c.upstream.map((u) => `${u.column}:${u.kind}`).sort();

describe('snapshot lineage', () => {
  const timestamp: SnapshotConfig = { uniqueKey: ['id'], strategy: 'timestamp', updatedAt: 'updated_at', hardDeletes: 'ignore' };

  it('meta column names are the ones the snapshot writes', () => {
    expect(snapshotDerivedColumns(timestamp).map((d) => d.name)).toEqual([SNAPSHOT_COLUMNS.scdId, SNAPSHOT_COLUMNS.updatedAt, SNAPSHOT_COLUMNS.validFrom, SNAPSHOT_COLUMNS.validTo]);
    expect(snapshotDerivedColumns({ ...timestamp, hardDeletes: 'new_record' }).map((d) => d.name)).toEqual([...META, SNAPSHOT_COLUMNS.isDeleted]);
  });

  it('timestamp strategy: query columns map by name (an unaliased expression takes the built name), meta columns derived, no note', async () => {
    const l = await snapshotLineage(timestamp, ['id', 'upper(status)', 'contact', 'updated_at', ...META]);
    expect(l.unresolved).toEqual([]);
    expect(Object.keys(l.columns)).toEqual(['id', 'upper(status)', 'contact', 'updated_at', ...META]);
    expect(ups(l.columns.id)).toEqual(['id:direct', 'id:filtered_by']);
    expect(ups(l.columns['upper(status)'])).toEqual(['id:filtered_by', 'status:transformed']);
    expect(ups(l.columns.contact)).toEqual(['email:direct', 'id:filtered_by']);
    for (const c of ['id', 'upper(status)', 'contact', 'updated_at']) expect(l.columns[c].derived_by).toBeUndefined();
    expect(ups(l.columns.weir_scd_id)).toEqual(['id:filtered_by', 'id:transformed', 'updated_at:transformed']);
    expect(ups(l.columns.weir_updated_at)).toEqual(['id:filtered_by', 'updated_at:transformed']);
    expect(l.columns.weir_scd_id.derived_by).toBe("snapshot, timestamp strategy (updated_at updated_at): hash of the unique key (id) and the version's weir_updated_at");
    expect(l.columns.weir_valid_to.derived_by).toMatch(/when the version stopped being current .*NULL while current$/);
    for (const c of META) expect(l.columns[c].unresolved).toEqual([]);
  });

  it('check strategy with hard_deletes new_record: times have no upstream column, weir_is_deleted comes from the key', async () => {
    const check: SnapshotConfig = { uniqueKey: ['id'], strategy: 'check', checkCols: ['contact'], hardDeletes: 'new_record' };
    const l = await snapshotLineage(check, ['id', 'upper(status)', 'contact', 'updated_at', ...META, 'weir_is_deleted']);
    expect(l.unresolved).toEqual([]);
    expect(l.columns.weir_updated_at).toEqual({ upstream: [], unresolved: [], derived_by: 'snapshot, check strategy (check_cols contact): the time of the snapshot run that recorded the version' });
    expect(l.columns.weir_valid_to.derived_by).toContain('or the snapshot time when the key vanished (hard_deletes new_record)');
    expect(ups(l.columns.weir_scd_id)).toEqual(['id:filtered_by', 'id:transformed']);
    expect(ups(l.columns.weir_is_deleted)).toEqual(['id:filtered_by', 'id:transformed']);
  });

  it('columns added to the query later (appended after the meta columns) still map by name', async () => {
    const sql = 'select id, updated_at, email from "main"."raw_customers"';
    const l = await snapshotLineage(timestamp, ['id', 'updated_at', ...META, 'email'], sql);
    expect(l.unresolved).toEqual([]);
    expect(ups(l.columns.email)).toEqual(['email:direct']);
  });

  it('not built yet: the meta columns are still listed as derived', async () => {
    const l = await snapshotLineage(timestamp, undefined);
    expect(l.unresolved).toEqual([]);
    expect(Object.keys(l.columns).slice(-4)).toEqual(META);
  });

  it('a column the strategy needs but the query lacks is reported on the derived column, never guessed', async () => {
    const l = await snapshotLineage({ ...timestamp, updatedAt: 'changed_at' }, undefined);
    expect(l.columns.weir_updated_at).toMatchObject({ upstream: [], unresolved: ['changed_at (which it is computed from) is not a column of the query'] });
  });

  it('a real column-count mismatch of the query itself is still reported', async () => {
    const l = await snapshotLineage(timestamp, ['id', 'updated_at', ...META]);
    expect(l.unresolved).toEqual(['the query yields 4 columns but the built relation has 2: rebuild the model and regenerate the docs']);
  });
});
