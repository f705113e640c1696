/**
 * Source freshness settings in schema YAML, as in dbt
 * (https://docs.getdbt.com/reference/resource-properties/freshness):
 *
 * ```yaml
 * sources:
 *   - name: crm
 *     loaded_at_field: _loaded_at                    # an SQL expression; tables may override it
 *     freshness:
 *       warn_after: {count: 12, period: hour}        # period: minute | hour | day
 *       error_after: {count: 1, period: day}
 *       filter: "_loaded_at > current_date - 3"      # optional WHERE clause
 *     tables:
 *       - name: customers                            # inherits the source's settings
 *       - name: events
 *         freshness: {warn_after: {count: 1, period: hour}}   # merged over the source's, key by key
 *       - name: countries
 *         freshness: null                            # not checked
 * ```
 * Validation reports every problem with the file, key path and line.
 */

import type { FreshnessSpec, FreshnessThreshold } from '../manifest/types.js';

export type { FreshnessSpec, FreshnessThreshold };

/** Periods and their length in seconds. */
export const FRESHNESS_PERIODS: Readonly<Record<FreshnessThreshold['period'], number>> = { minute: 60, hour: 3600, day: 86400 };

type Fail = (path: (string | number)[], message: string, hint?: string) => void;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const HINT = 'e.g. freshness: {warn_after: {count: 12, period: hour}, error_after: {count: 1, period: day}}';

/**
 * Reads a `freshness:` value.
 * @param v the YAML value (undefined: not set; null: explicitly disabled)
 * @param path its key path, for messages
 * @param fail records a problem (parsing continues)
 * @returns the spec, `null` when disabled, undefined when not set or invalid
 */
export function readFreshness(v: unknown, path: (string | number)[], fail: Fail): FreshnessSpec | null | undefined {
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (!isObj(v)) {
    fail(path, 'freshness must be a mapping with warn_after and/or error_after', HINT);
    return undefined;
  }
  let ok = true;
  for (const k of Object.keys(v)) {
    if (!['warn_after', 'error_after', 'filter'].includes(k)) {
      fail([...path, k], `unknown freshness key '${k}' (use warn_after, error_after, filter)`, HINT);
      ok = false;
    }
  }
  const threshold = (key: 'warn_after' | 'error_after'): FreshnessThreshold | undefined => {
    const t = v[key];
    if (t === undefined || t === null) return undefined;
    if (!isObj(t)) {
      fail([...path, key], `${key} must be a mapping {count, period}`, HINT);
      ok = false;
      return undefined;
    }
    const count = t.count;
    const period = typeof t.period === 'string' ? t.period.toLowerCase() : t.period;
    if (typeof count !== 'number' || !Number.isInteger(count) || count <= 0) {
      fail([...path, key, 'count'], `${key}.count must be a positive whole number, got ${JSON.stringify(count)}`, HINT);
      ok = false;
    }
    if (typeof period !== 'string' || !(period in FRESHNESS_PERIODS)) {
      fail([...path, key, 'period'], `${key}.period must be minute, hour or day, got ${JSON.stringify(t.period)}`, HINT);
      ok = false;
    }
    for (const k of Object.keys(t)) {
      if (k !== 'count' && k !== 'period') {
        fail([...path, key, k], `unknown key '${k}' in ${key} (use count and period)`, HINT);
        ok = false;
      }
    }
    return ok ? { count: count as number, period: period as FreshnessThreshold['period'] } : undefined;
  };
  const warn_after = threshold('warn_after');
  const error_after = threshold('error_after');
  let filter: string | undefined;
  if (v.filter !== undefined && v.filter !== null) {
    if (typeof v.filter !== 'string' || !v.filter.trim()) {
      fail([...path, 'filter'], 'filter must be an SQL predicate string', HINT);
      ok = false;
    } else filter = v.filter;
  }
  if (!ok) return undefined;
  return { ...(warn_after ? { warn_after } : {}), ...(error_after ? { error_after } : {}), ...(filter ? { filter } : {}) };
}

/**
 * The freshness of a table: the source's setting with the table's merged over it key by key; a table's
 * `null` disables it.
 */
export function mergeFreshness(source: FreshnessSpec | null | undefined, table: FreshnessSpec | null | undefined): FreshnessSpec | undefined {
  if (table === null) return undefined;
  if (!source) return table ?? undefined;
  if (!table) return source;
  return { ...source, ...table };
}

/** Seconds a threshold allows. */
export function thresholdSeconds(t: FreshnessThreshold): number {
  return t.count * FRESHNESS_PERIODS[t.period];
}
