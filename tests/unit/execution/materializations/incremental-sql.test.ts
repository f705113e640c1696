/**
 * The incremental SQL builders and config checks: statement text per dialect (quoting through the dialect),
 * the on_schema_change column plan, microbatch batch boundaries, and the config errors.
 */
import { describe, expect, it } from 'vitest';
import { duckdbDialect } from '../../../../src/adapters/duckdb/dialect.js';
import { snowflakeDialect } from '../../../../src/adapters/snowflake/dialect.js';
import { trinoDialect } from '../../../../src/adapters/trino/dialect.js';
import { appendSql, deleteMatchingSql, deleteWindowSql, mergeSql, planSchemaChange } from '../../../../src/execution/materializations/incremental-sql.js';
import { addPeriods, batchesBetween, plannedBatches, truncateTo } from '../../../../src/execution/materializations/incremental.js';
import { incrementalConfigOf } from '../../../../src/parser/configs/incremental.js';
import { parseUtcDate } from '../../../../src/utils/utc-date.js';
import { WeirError } from '../../../../src/errors/weir-error.js';
import type { NodeConfig } from '../../../../src/manifest/types.js';

const T = '"main"."t"';
const S = '"main"."t__weir_incr"';

describe('incremental SQL builders', () => {
  it('append inserts the named columns, optionally filtered', () => {
    expect(appendSql(duckdbDialect, T, S, ['id', 'order'])).toBe(`insert into ${T} ("id", "order")\nselect "id", "order" from ${S}`);
    expect(appendSql(duckdbDialect, T, S, ['id'], 'x > 1')).toBe(`insert into ${T} ("id")\nselect "id" from ${S}\nwhere x > 1`);
  });

  it('delete+insert deletes by one key or by a row of keys (no alias: Trino\'s DELETE takes none)', () => {
    expect(deleteMatchingSql(duckdbDialect, T, S, ['id'])).toBe(`delete from ${T}\nwhere "id" in (select "id" from ${S})`);
    expect(deleteMatchingSql(trinoDialect, T, S, ['id', 'grp'])).toBe(`delete from ${T}\nwhere ("id", "grp") in (select "id", "grp" from ${S})`);
    expect(() => deleteMatchingSql(duckdbDialect, T, S, [])).toThrow(/unique_key/);
  });

  it('merge updates the non-key columns and inserts new keys; Snowflake names are upper-cased', () => {
    expect(mergeSql(duckdbDialect, T, S, ['id', 'name', 'n'], ['id'])).toBe([
      `merge into ${T} as weir_dest`, `using ${S} as weir_src`, 'on weir_dest."id" = weir_src."id"',
      'when matched then update set "name" = weir_src."name", "n" = weir_src."n"',
      'when not matched then insert ("id", "name", "n") values (weir_src."id", weir_src."name", weir_src."n")',
    ].join('\n'));
    const sf = mergeSql(snowflakeDialect, '"DB"."S"."T"', '"DB"."S"."T__WEIR_INCR"', ['ID', 'NAME'], ['id']);
    expect(sf).toContain('on weir_dest."ID" = weir_src."ID"');
    expect(sf).toContain('update set "NAME" = weir_src."NAME"');
    // Every column a key: nothing to update, so no WHEN MATCHED clause.
    expect(mergeSql(duckdbDialect, T, S, ['a', 'b'], ['a', 'b'])).not.toMatch(/when matched/);
    expect(() => mergeSql(duckdbDialect, T, S, ['a'], [])).toThrow(/unique_key/);
  });

  it('the microbatch window delete uses timestamp literals, half-open', () => {
    const sql = deleteWindowSql(duckdbDialect, T, 'event_at', new Date(Date.UTC(2024, 0, 1)), new Date(Date.UTC(2024, 0, 2)));
    expect(sql).toBe(`delete from ${T} where "event_at" >= TIMESTAMP '2024-01-01 00:00:00.000' and "event_at" < TIMESTAMP '2024-01-02 00:00:00.000'`);
    expect(deleteWindowSql(duckdbDialect, T, 'Event At', new Date(0), new Date(1))).toMatch(/^delete from "main"\."t" where "Event At" >= /);
  });
});

describe('on_schema_change column plan', () => {
  const target = [{ name: 'ID', type: 'INTEGER' }, { name: 'name', type: 'VARCHAR' }, { name: 'old', type: 'DATE' }];
  const staging = [{ name: 'id', type: 'INTEGER' }, { name: 'name', type: 'VARCHAR' }, { name: 'fresh', type: 'DECIMAL(18,2)' }];

  it('ignore and fail write the common columns only (case-insensitive match) and alter nothing', () => {
    for (const mode of ['ignore', 'fail'] as const) {
      const p = planSchemaChange(duckdbDialect, T, target, staging, mode);
      expect(p.insertColumns).toEqual(['id', 'name']);
      expect(p.alters).toEqual([]);
      expect(p.added.map((c) => c.name)).toEqual(['fresh']);
      expect(p.removed.map((c) => c.name)).toEqual(['old']);
    }
  });

  it('append_new_columns adds; sync_all_columns adds and drops', () => {
    expect(planSchemaChange(duckdbDialect, T, target, staging, 'append_new_columns')).toMatchObject({
      insertColumns: ['id', 'name', 'fresh'], alters: [`alter table ${T} add column "fresh" DECIMAL(18,2)`],
    });
    expect(planSchemaChange(duckdbDialect, T, target, staging, 'sync_all_columns').alters).toEqual([
      `alter table ${T} add column "fresh" DECIMAL(18,2)`, `alter table ${T} drop column "old"`,
    ]);
  });
});

describe('microbatch batches', () => {
  const utc = (...a: [number, number, number, number?]) => new Date(Date.UTC(a[0], a[1] - 1, a[2], a[3] ?? 0));

  it('truncates and steps by hour, day, month and year in UTC', () => {
    const d = new Date(Date.UTC(2024, 1, 29, 13, 45));
    expect(truncateTo(d, 'hour')).toEqual(utc(2024, 2, 29, 13));
    expect(truncateTo(d, 'day')).toEqual(utc(2024, 2, 29));
    expect(truncateTo(d, 'month')).toEqual(utc(2024, 2, 1));
    expect(truncateTo(d, 'year')).toEqual(utc(2024, 1, 1));
    expect(addPeriods(utc(2024, 1, 31), 'day', 1)).toEqual(utc(2024, 2, 1));
    expect(addPeriods(utc(2024, 12, 1), 'month', 1)).toEqual(utc(2025, 1, 1));
    expect(addPeriods(utc(2024, 1, 1, 23), 'hour', 2)).toEqual(utc(2024, 1, 2, 1));
  });

  it('covers [start, end) with aligned, half-open batches', () => {
    const b = batchesBetween(utc(2024, 1, 1, 6), utc(2024, 1, 3), 'day');
    expect(b).toEqual([{ start: utc(2024, 1, 1), end: utc(2024, 1, 2) }, { start: utc(2024, 1, 2), end: utc(2024, 1, 3) }]);
    expect(batchesBetween(utc(2024, 1, 3), utc(2024, 1, 3), 'day')).toEqual([]);
  });

  it('a full build runs from begin through the current batch; an incremental run re-does lookback batches', () => {
    const cfg = { eventTime: 'e', batchSize: 'day' as const, begin: utc(2024, 1, 1), lookback: 2 };
    const now = utc(2024, 1, 5, 12);
    expect(plannedBatches(cfg, false, { now }).map((x) => x.start.getUTCDate())).toEqual([1, 2, 3, 4, 5]);
    expect(plannedBatches(cfg, true, { now }).map((x) => x.start.getUTCDate())).toEqual([3, 4, 5]);
    // --event-time-start/--event-time-end give the window exactly.
    expect(plannedBatches(cfg, true, { now, start: utc(2024, 1, 2), end: utc(2024, 1, 4) }).map((x) => x.start.getUTCDate())).toEqual([2, 3]);
  });

  it('refuses absurd batch counts', () => {
    expect(() => batchesBetween(utc(1000, 1, 1), utc(2024, 1, 1), 'hour')).toThrow(/more than 100000 microbatches/);
  });
});

describe('incremental config', () => {
  const cfg = (c: Record<string, unknown>) => ({ enabled: true, tags: [], materialized: 'incremental', ...c }) as NodeConfig;
  const err = (c: Record<string, unknown>) => {
    try {
      incrementalConfigOf(cfg(c), 'm', 'models/m.sql');
    } catch (e) {
      expect(e).toBeInstanceOf(WeirError);
      expect((e as WeirError).location?.file).toBe('models/m.sql');
      return (e as WeirError).message;
    }
    throw new Error('expected an error');
  };

  it('defaults: merge with a unique_key, append without; keys from a string, a comma list or a list', () => {
    expect(incrementalConfigOf(cfg({}), 'm', 'f')).toMatchObject({ strategy: 'append', uniqueKey: [], onSchemaChange: 'ignore' });
    expect(incrementalConfigOf(cfg({ unique_key: 'id' }), 'm', 'f')).toMatchObject({ strategy: 'merge', uniqueKey: ['id'] });
    expect(incrementalConfigOf(cfg({ unique_key: 'a, b' }), 'm', 'f').uniqueKey).toEqual(['a', 'b']);
    expect(incrementalConfigOf(cfg({ unique_key: ['a', 'b'] }), 'm', 'f').uniqueKey).toEqual(['a', 'b']);
  });

  it('rejects unknown strategies, on_schema_change values and bad unique_keys, naming the model', () => {
    expect(err({ incremental_strategy: 'upsert' })).toMatch(/model 'm': unknown incremental_strategy 'upsert'/);
    expect(err({ on_schema_change: 'drop' })).toMatch(/unknown on_schema_change 'drop'/);
    expect(err({ unique_key: 3 })).toMatch(/unique_key must be a column name or a list/);
    expect(err({ incremental_strategy: 'delete+insert' })).toMatch(/delete\+insert needs a unique_key/);
  });

  it('microbatch needs event_time, a batch_size and a begin date', () => {
    const mb = { incremental_strategy: 'microbatch', event_time: 'e', batch_size: 'day', begin: '2024-01-01' };
    expect(incrementalConfigOf(cfg(mb), 'm', 'f').microbatch).toEqual({ eventTime: 'e', batchSize: 'day', begin: new Date(Date.UTC(2024, 0, 1)), lookback: 1 });
    expect(err({ ...mb, event_time: undefined })).toMatch(/needs event_time/);
    expect(err({ ...mb, batch_size: 'week' })).toMatch(/batch_size must be one of hour, day, month, year/);
    expect(err({ ...mb, begin: 'yesterday' })).toMatch(/begin must be a date/);
    expect(err({ ...mb, lookback: -1 })).toMatch(/lookback must be a whole number/);
  });

  it('parses UTC dates and timestamps, rejecting impossible ones', () => {
    expect(parseUtcDate('2024-02-29')).toEqual(new Date(Date.UTC(2024, 1, 29)));
    expect(parseUtcDate('2024-01-01T06:30:00Z')).toEqual(new Date(Date.UTC(2024, 0, 1, 6, 30)));
    expect(parseUtcDate('2024-01-01 06:30')).toEqual(new Date(Date.UTC(2024, 0, 1, 6, 30)));
    const d = new Date(Date.UTC(2024, 0, 1, 6, 30, 5, 120));
    expect(parseUtcDate(d.toISOString())).toEqual(d); // as run_results.json records it for weir retry
    expect(parseUtcDate('2023-02-29')).toBeUndefined();
    expect(parseUtcDate('soon')).toBeUndefined();
    expect(parseUtcDate(20240101)).toBeUndefined();
  });
});
