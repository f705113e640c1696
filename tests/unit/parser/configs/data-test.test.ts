/** Thresholds and statuses of data tests with dbt's semantics (warn_if / error_if / severity). */
import { describe, expect, it } from 'vitest';
import { checkTestConfig, parseThreshold, storeFailuresAs, testStatus } from '../../../../src/parser/configs/data-test.js';
import type { NodeConfig } from '../../../../src/manifest/types.js';
import type { WeirError } from '../../../../src/errors/weir-error.js';

const cfg = (c: Record<string, unknown>) => ({ enabled: true, materialized: 'test', tags: [], severity: 'error', ...c }) as NodeConfig;

describe('test config', () => {
  it('parses thresholds', () => {
    expect(parseThreshold('>10')).toEqual({ op: '>', value: 10 });
    expect(parseThreshold(' >= 2.5 ')).toEqual({ op: '>=', value: 2.5 });
    expect(parseThreshold('=0')).toEqual({ op: '==', value: 0 });
    expect(parseThreshold('<>0')).toEqual({ op: '!=', value: 0 });
    expect(parseThreshold('!=0')).toEqual({ op: '!=', value: 0 });
    for (const bad of ['10', '> ten', '>>1', '', 'count > 1', null, {}]) expect(parseThreshold(bad)).toBeUndefined();
  });

  it('status follows severity, error_if then warn_if (defaults != 0)', () => {
    expect(testStatus(0, cfg({}))).toBe('pass');
    expect(testStatus(1, cfg({}))).toBe('fail');
    expect(testStatus(1, cfg({ severity: 'warn' }))).toBe('warn');
    expect(testStatus(5, cfg({ error_if: '>10' }))).toBe('warn');
    expect(testStatus(11, cfg({ error_if: '>10' }))).toBe('fail');
    expect(testStatus(5, cfg({ error_if: '>10', warn_if: '>5' }))).toBe('pass');
    expect(testStatus(50, cfg({ severity: 'warn', error_if: '>10' }))).toBe('warn');
    expect(testStatus(0, cfg({ error_if: '<1' }))).toBe('fail');
  });

  it('store_failures_as wins over store_failures', () => {
    expect(storeFailuresAs(cfg({}))).toBeUndefined();
    expect(storeFailuresAs(cfg({ store_failures: true }))).toBe('table');
    expect(storeFailuresAs(cfg({ store_failures: false, store_failures_as: 'view' }))).toBe('view');
  });

  it('collects every bad key with the site', () => {
    const errors: WeirError[] = [];
    checkTestConfig(cfg({ warn_if: 'x', limit: 1.5, store_failures_as: 'ephemeral' }), { file: 'models/a.yml', line: 4, what: 'test t' }, errors);
    expect(errors.map((e) => [e.code, e.location?.file, e.location?.line, e.message.split(':')[0]])).toEqual([
      ['WEIR_CONFIG_INVALID', 'models/a.yml', 4, 'test t'],
      ['WEIR_CONFIG_INVALID', 'models/a.yml', 4, 'test t'],
      ['WEIR_CONFIG_INVALID', 'models/a.yml', 4, 'test t'],
    ]);
  });
});
