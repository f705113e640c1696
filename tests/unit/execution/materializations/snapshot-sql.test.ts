/**
 * Snapshot SQL builders and config checks: meta columns, the change detection per strategy, the hard-delete
 * branches, and the config errors naming the file.
 */
import { describe, expect, it } from 'vitest';
import { duckdbDialect } from '../../../../src/adapters/duckdb/dialect.js';
import { snowflakeDialect } from '../../../../src/adapters/snowflake/dialect.js';
import { trinoDialect } from '../../../../src/adapters/trino/dialect.js';
import { SnapshotSql } from '../../../../src/execution/materializations/snapshot.js';
import { snapshotConfigOf } from '../../../../src/parser/configs/snapshot.js';
import type { SnapshotConfig } from '../../../../src/manifest/node-configs.js';
import { WeirError } from '../../../../src/errors/weir-error.js';
import type { NodeConfig } from '../../../../src/manifest/types.js';

const NOW = new Date(Date.UTC(2024, 5, 1, 12));
const ts: SnapshotConfig = { uniqueKey: ['id'], strategy: 'timestamp', updatedAt: 'updated_at', hardDeletes: 'ignore' };
const check: SnapshotConfig = { uniqueKey: ['id', 'region'], strategy: 'check', checkCols: ['name', 'email'], hardDeletes: 'ignore' };

describe('snapshot SQL', () => {
  it('the first build adds the meta columns; timestamp versions start at updated_at', () => {
    const sql = new SnapshotSql(duckdbDialect, ts, NOW).firstBuild('select 1 as id');
    expect(sql).toContain(`cast(weir_src."updated_at" as timestamp) as weir_updated_at, cast(weir_src."updated_at" as timestamp) as weir_valid_from`);
    expect(sql).toContain('cast(null as timestamp) as weir_valid_to');
    expect(sql).toContain(`md5(((coalesce(cast(weir_src."id" as varchar), '')) || '|' || (coalesce(cast(cast(weir_src."updated_at" as timestamp) as varchar), ''))))`);
    expect(sql).not.toContain('weir_is_deleted');
    expect(new SnapshotSql(duckdbDialect, { ...ts, hardDeletes: 'new_record' }, NOW).firstBuild('select 1')).toContain('FALSE as weir_is_deleted');
  });

  it('check versions are stamped with the snapshot time in the dialect\'s timestamp type', () => {
    expect(new SnapshotSql(snowflakeDialect, check, NOW).updatedAtOf('s')).toBe("cast(TIMESTAMP '2024-06-01 12:00:00.000' as timestamp_ntz)");
    expect(new SnapshotSql(trinoDialect, check, NOW).updatedAtOf('s')).toBe("cast(TIMESTAMP '2024-06-01 12:00:00.000' as timestamp(6))");
  });

  it('change detection: timestamp compares updated_at; check compares the columns null-safely; new_record reopens deleted keys', () => {
    expect(new SnapshotSql(duckdbDialect, ts, NOW).changed(['id', 'updated_at'], ['id', 'updated_at'])).toBe('(cast(weir_src."updated_at" as timestamp) > weir_dest.weir_updated_at)');
    expect(new SnapshotSql(duckdbDialect, check, NOW).changed(['id', 'region', 'name', 'email'], ['id', 'region', 'name', 'email']))
      .toBe('(weir_src."name" is distinct from weir_dest."name" or weir_src."email" is distinct from weir_dest."email")');
    // A checked column the table does not have yet always counts as changed.
    expect(new SnapshotSql(duckdbDialect, check, NOW).changed(['id', 'name', 'email'], ['id', 'name'])).toContain(' or TRUE');
    // check_cols: all compares every non-key column.
    expect(new SnapshotSql(duckdbDialect, { ...check, checkCols: 'all', hardDeletes: 'new_record' }, NOW).changed(['id', 'region', 'x'], ['id', 'region', 'x']))
      .toBe('(weir_src."x" is distinct from weir_dest."x" or weir_dest.weir_is_deleted)');
  });

  it('the changes query has one branch per kind of change, every branch with the table\'s columns in order', () => {
    const cols = ['id', 'updated_at', 'weir_scd_id', 'weir_updated_at', 'weir_valid_from', 'weir_valid_to'];
    const ignore = new SnapshotSql(duckdbDialect, ts, NOW).changes('T', 'S', ['id', 'updated_at'], cols);
    expect(ignore.split('union all')).toHaveLength(2);
    expect(ignore).toContain('on weir_src."id" = weir_dest."id"');
    for (const branch of ignore.split('union all')) expect(branch.match(/ as "[a-z_]+"/g)).toEqual(cols.map((c) => ` as "${c}"`));
    expect(new SnapshotSql(duckdbDialect, { ...ts, hardDeletes: 'invalidate' }, NOW).changes('T', 'S', ['id', 'updated_at'], cols).split('union all')).toHaveLength(3);
    const nr = new SnapshotSql(duckdbDialect, { ...ts, hardDeletes: 'new_record' }, NOW).changes('T', 'S', ['id', 'updated_at'], [...cols, 'weir_is_deleted']);
    expect(nr.split('union all')).toHaveLength(4);
    expect(nr).toContain('TRUE as "weir_is_deleted"');
    expect(nr).toContain('and not weir_dest.weir_is_deleted');
  });

  it('closes only current versions', () => {
    expect(new SnapshotSql(duckdbDialect, ts, NOW).deleteClosed('T', 'C'))
      .toBe('delete from T where weir_valid_to is null and weir_scd_id in (select weir_scd_id from C where weir_valid_to is not null)');
  });
});

describe('snapshot config', () => {
  const cfg = (c: Record<string, unknown>) => ({ enabled: true, tags: [], materialized: 'snapshot', ...c }) as NodeConfig;
  const err = (c: Record<string, unknown>) => {
    try {
      snapshotConfigOf(cfg(c), 's', 'snapshots/s.sql');
    } catch (e) {
      expect(e).toBeInstanceOf(WeirError);
      expect((e as WeirError).location?.file).toBe('snapshots/s.sql');
      return (e as WeirError).message;
    }
    throw new Error('expected an error');
  };

  it('reads both strategies, key lists and the hard-delete modes (invalidate_hard_deletes: true = invalidate)', () => {
    expect(snapshotConfigOf(cfg({ unique_key: 'id', strategy: 'timestamp', updated_at: 'u' }), 's', 'f'))
      .toEqual({ uniqueKey: ['id'], strategy: 'timestamp', updatedAt: 'u', checkCols: undefined, hardDeletes: 'ignore' });
    expect(snapshotConfigOf(cfg({ unique_key: ['a', 'b'], strategy: 'check', check_cols: 'all', invalidate_hard_deletes: true }), 's', 'f'))
      .toMatchObject({ uniqueKey: ['a', 'b'], checkCols: 'all', hardDeletes: 'invalidate' });
    expect(snapshotConfigOf(cfg({ unique_key: 'id', strategy: 'check', check_cols: ['x'], hard_deletes: 'new_record' }), 's', 'f').hardDeletes).toBe('new_record');
  });

  it('rejects a missing key, an unknown strategy, a missing updated_at or check_cols and an unknown hard_deletes', () => {
    expect(err({ strategy: 'timestamp', updated_at: 'u' })).toMatch(/snapshot 's': a snapshot needs unique_key/);
    expect(err({ unique_key: 'id', strategy: 'latest' })).toMatch(/strategy must be timestamp or check, got 'latest'/);
    expect(err({ unique_key: 'id', strategy: 'timestamp' })).toMatch(/needs updated_at/);
    expect(err({ unique_key: 'id', strategy: 'check' })).toMatch(/needs check_cols/);
    expect(err({ unique_key: 'id', strategy: 'check', check_cols: 'all', hard_deletes: 'purge' })).toMatch(/hard_deletes must be one of ignore, invalidate, new_record/);
  });
});
