/** The dynamic table config (parser/configs/dynamic-table.ts) and the load-time table-option check (table-options.ts). */
import { describe, expect, it } from 'vitest';
import { dynamicTableConfigOf, parseTargetLag } from '../../../../src/parser/configs/dynamic-table.js';
import { checkTableOptions } from '../../../../src/parser/configs/table-options.js';
import { WeirError } from '../../../../src/errors/weir-error.js';
import type { NodeConfig } from '../../../../src/manifest/types.js';

const cfg = (c: Record<string, unknown>) => ({ enabled: true, tags: [], materialized: 'dynamic_table', ...c }) as NodeConfig;
const lines: Record<string, number> = { materialized: 1, target_lag: 2, snowflake_warehouse: 3, warehouse: 4, refresh_mode: 5, initialize: 6, on_table_exists: 7, cluster_by: 8 };
const site = (key: string) => ({ file: 'models/m.sql', line: lines[key] });
const error = (f: () => unknown): WeirError => {
  try {
    f();
  } catch (e) {
    if (e instanceof WeirError) return e;
    throw e;
  }
  throw new Error('no error');
};

describe('dynamic_table config', () => {
  it('reads target_lag, the warehouse (model, else target) and the optional modes', () => {
    expect(dynamicTableConfigOf(cfg({ target_lag: '2 Hours', snowflake_warehouse: 'wh', refresh_mode: 'full', initialize: 'ON_SCHEDULE' }), 'm', site, 'target_wh'))
      .toEqual({ targetLag: '2 hours', warehouse: 'wh', refreshMode: 'FULL', initialize: 'ON_SCHEDULE' });
    expect(dynamicTableConfigOf(cfg({ target_lag: 'downstream' }), 'm', site, 'target_wh')).toEqual({ targetLag: 'DOWNSTREAM', warehouse: 'target_wh', refreshMode: undefined, initialize: undefined });
    expect(dynamicTableConfigOf(cfg({ target_lag: '1 day', warehouse: 'w2' }), 'm', site, undefined).warehouse).toBe('w2');
  });

  it('names the file, line and key of a bad value, with the closest valid one', () => {
    let e = error(() => dynamicTableConfigOf(cfg({ target_lag: '10 seconds', warehouse: 'w' }), 'm', site, undefined));
    expect([e.code, e.location?.file, e.location?.line, e.location?.keyPath]).toEqual(['WEIR_CONFIG_INVALID', 'models/m.sql', 2, 'target_lag']);
    e = error(() => dynamicTableConfigOf(cfg({ target_lag: '1 hour', warehouse: 'w', initialize: 'on_creat' }), 'm', site, undefined));
    expect([e.location?.line, e.message, e.hint]).toEqual([6, `model 'm': initialize must be one of ON_CREATE, ON_SCHEDULE, got "on_creat"`, "Did you mean 'ON_CREATE'?"]);
    e = error(() => dynamicTableConfigOf(cfg({ target_lag: '1 hour', snowflake_warehouse: 42 }), 'm', site, 'w'));
    expect([e.location?.line, e.message]).toEqual([3, 'model \'m\': snowflake_warehouse must be a warehouse name, got 42']);
    e = error(() => dynamicTableConfigOf(cfg({ warehouse: 'w' }), 'm', site, undefined));
    expect([e.location?.line, e.location?.keyPath]).toEqual([1, 'materialized']);
    expect(e.message).toMatch(/needs target_lag/);
  });

  it('parses target lags as Snowflake documents them', () => {
    expect(['1 minute', '90 SECONDS', '3 hours', '1 days'].map(parseTargetLag)).toEqual(['1 minute', '90 seconds', '3 hours', '1 days']);
    expect(['0 minutes', '1 min', '1.5 hours', '', undefined].map(parseTargetLag)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('table options at load time', () => {
  it('returns the problem with file, line, key and the closest value; undefined when valid', () => {
    expect(checkTableOptions(cfg({ cluster_by: ['a'], on_table_exists: 'replace' }), 'm', site)).toBeUndefined();
    let e = checkTableOptions(cfg({ on_table_exists: 'renam' }), 'm', site)!;
    expect([e.location?.line, e.location?.keyPath, e.hint]).toEqual([7, 'on_table_exists', "Did you mean 'rename'?"]);
    e = checkTableOptions(cfg({ cluster_by: 'lower(a)' }), 'm', site)!;
    expect([e.location?.line, e.location?.keyPath]).toEqual([8, 'cluster_by']);
    e = checkTableOptions(cfg({ transient: 'False' }), 'm', site)!;
    expect([e.location?.keyPath, e.hint]).toEqual(['transient', "Did you mean 'false'?"]);
  });
});
