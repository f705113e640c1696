import { afterAll, describe, expect, it } from 'vitest';
import { freshnessStatus, toInstant } from '../../../src/execution/freshness.js';
import { mergeFreshness, thresholdSeconds } from '../../../src/loader/freshness-spec.js';
import { WeirProject } from '../../../src/api/project.js';
import { WeirError, WeirErrors } from '../../../src/errors/weir-error.js';
import type { SourceNode } from '../../../src/manifest/types.js';
import { cleanupProjects, makeProject } from '../../helpers/project.js';

afterAll(cleanupProjects);

const spec = { warn_after: { count: 12, period: 'hour' as const }, error_after: { count: 1, period: 'day' as const } };

describe('freshness computation', () => {
  it('thresholds in seconds', () => {
    expect(thresholdSeconds({ count: 90, period: 'minute' })).toBe(5400);
    expect(thresholdSeconds({ count: 12, period: 'hour' })).toBe(43200);
    expect(thresholdSeconds({ count: 2, period: 'day' })).toBe(172800);
  });

  it('pass up to warn_after, warn up to error_after, then error (strictly greater)', () => {
    expect(freshnessStatus(0, spec)).toBe('pass');
    expect(freshnessStatus(43200, spec)).toBe('pass');
    expect(freshnessStatus(43201, spec)).toBe('warn');
    expect(freshnessStatus(86400, spec)).toBe('warn');
    expect(freshnessStatus(86401, spec)).toBe('error');
    expect(freshnessStatus(1e9, { warn_after: spec.warn_after })).toBe('warn');
    expect(freshnessStatus(1e9, { error_after: spec.error_after })).toBe('error');
  });

  it('an empty table (no max) is as stale as the strictest threshold set', () => {
    expect(freshnessStatus(null, spec)).toBe('error');
    expect(freshnessStatus(null, { warn_after: spec.warn_after })).toBe('warn');
  });

  it('merges table over source key by key; null disables', () => {
    expect(mergeFreshness(spec, { warn_after: { count: 1, period: 'hour' } })).toEqual({ warn_after: { count: 1, period: 'hour' }, error_after: spec.error_after });
    expect(mergeFreshness(spec, undefined)).toEqual(spec);
    expect(mergeFreshness(spec, null)).toBeUndefined();
    expect(mergeFreshness(undefined, { filter: 'x > 1' })).toEqual({ filter: 'x > 1' });
  });

  it('reads engine timestamps as instants (no zone = UTC)', () => {
    expect(toInstant(new Date('2024-01-02T03:04:05Z'))).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(toInstant('2024-01-02 03:04:05')).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(toInstant('2024-01-02 03:04:05.123456')).toBe(Date.UTC(2024, 0, 2, 3, 4, 5, 123));
    expect(toInstant('2024-01-02 03:04:05+02')).toBe(Date.UTC(2024, 0, 2, 1, 4, 5));
    expect(toInstant('2024-01-02 03:04:05.000 -0800')).toBe(Date.UTC(2024, 0, 2, 11, 4, 5));
    expect(toInstant('2024-01-02 03:04:05.000 UTC')).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(toInstant('2024-01-02')).toBe(Date.UTC(2024, 0, 2));
    expect(toInstant('2024-01-02 03:04:05 Europe/Berlin')).toBeUndefined();
    expect(toInstant(42)).toBeUndefined();
  });
});

describe('freshness in schema YAML', () => {
  it('source-level settings are inherited and table-level ones merged over them', async () => {
    const dir = await makeProject({
      'models/src.yml': `version: 2
sources:
  - name: crm
    loaded_at_field: _loaded_at
    freshness: {warn_after: {count: 12, period: hour}, error_after: {count: 1, period: day}}
    tables:
      - name: customers
      - name: events
        loaded_at_field: "cast(ts as timestamp)"
        freshness: {error_after: {count: 2, period: day}, filter: "ts > current_date - 7"}
      - name: countries
        freshness: null
      - name: legacy
        config: {freshness: {warn_after: {count: 30, period: minute}}}
`,
    });
    const p = await WeirProject.load({ projectDir: dir, partialParse: false });
    const src = (t: string) => p.manifest.nodes.get(`source.t.crm.${t}`) as SourceNode;
    expect(src('customers')).toMatchObject({ freshness: spec, loaded_at_field: '_loaded_at' });
    expect(src('events')).toMatchObject({ freshness: { warn_after: spec.warn_after, error_after: { count: 2, period: 'day' }, filter: 'ts > current_date - 7' }, loaded_at_field: 'cast(ts as timestamp)' });
    expect(src('countries').freshness).toBeUndefined();
    expect(src('legacy').freshness).toEqual({ ...spec, warn_after: { count: 30, period: 'minute' } });
  });

  it('reports every bad freshness setting with file, key path and line', async () => {
    const dir = await makeProject({
      'models/src.yml': `version: 2
sources:
  - name: crm
    freshness:
      warn_after: {count: 0, period: hour}
      error_after: {count: 1, period: week}
      fliter: x
    loaded_at_field: 42
    tables:
      - name: a
        freshness: 12h
`,
    });
    let err: unknown;
    try {
      await WeirProject.load({ projectDir: dir, partialParse: false });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WeirError);
    const errors = err instanceof WeirErrors ? err.errors : [err as WeirError];
    const lines = errors.map((e) => e.format().split('\n')[0]);
    expect(lines).toHaveLength(5);
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/^models\/src.yml:7:\d+ \(sources\[0\].freshness.fliter\): .*unknown freshness key 'fliter'/),
      expect.stringMatching(/^models\/src.yml:5:\d+ \(sources\[0\].freshness.warn_after.count\): .*warn_after.count must be a positive whole number, got 0/),
      expect.stringMatching(/^models\/src.yml:6:\d+ \(sources\[0\].freshness.error_after.period\): .*error_after.period must be minute, hour or day, got "week"/),
      expect.stringMatching(/^models\/src.yml:8:\d+ \(sources\[0\].loaded_at_field\): .*loaded_at_field must be a column name or SQL expression/),
      expect.stringMatching(/^models\/src.yml:11:\d+ \(sources\[0\].tables\[0\].freshness\): .*freshness must be a mapping with warn_after and\/or error_after/),
    ]));
    expect(errors.every((e) => e.code === 'WEIR_SCHEMA_YAML_INVALID')).toBe(true);
  });
});
