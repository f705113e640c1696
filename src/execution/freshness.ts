/**
 * `weir source freshness`, after dbt's (https://docs.getdbt.com/reference/commands/source): for each
 * selected source table with a `freshness` setting and a `loaded_at_field`, one query
 * `select max(<loaded_at_field>), <engine current timestamp> from <table> [where <filter>]`; the age is
 * `snapshotted_at - max_loaded_at` in seconds (timestamps without a time zone are taken as UTC, as dbt
 * does). Status: `error` when the age exceeds `error_after`, else `warn` when it exceeds `warn_after`,
 * else `pass`; a table with no rows (max is NULL) is `error` when any threshold is set; a failing query
 * is `runtime error`. Results are written to `target/sources.json` in dbt's shape.
 */
import type { Adapter, Connection } from '../adapters/adapter.js';
import type { Renderer } from '../compiler/render.js';
import { now, type NodeStatus, type Reporter } from '../events/events.js';
import type { SourceNode } from '../manifest/types.js';
import { thresholdSeconds, type FreshnessSpec } from '../loader/freshness-spec.js';
import type { Redactor } from '../utils/redact.js';

/** Freshness outcome of one source table. */
export type FreshnessStatus = 'pass' | 'warn' | 'error' | 'runtime error';

/** One entry of `sources.json` `results`. Times in seconds; timestamps ISO-8601 (UTC) when parseable. */
export interface FreshnessResult {
  readonly unique_id: string;
  readonly status: FreshnessStatus;
  readonly max_loaded_at?: string | null;
  readonly snapshotted_at?: string;
  readonly max_loaded_at_time_ago_in_s?: number | null;
  readonly criteria: FreshnessSpec;
  /** For `runtime error`. */
  readonly error?: string;
  readonly adapter_response: Record<string, unknown>;
  readonly timing: readonly { name: 'execute'; started_at: string; completed_at: string }[];
  readonly execution_time: number;
  readonly thread_id: string;
}

/**
 * The status for an age.
 * @param ageSeconds seconds since the newest row was loaded, or null when the table has no rows
 */
export function freshnessStatus(ageSeconds: number | null, spec: FreshnessSpec): Exclude<FreshnessStatus, 'runtime error'> {
  if (ageSeconds === null) return spec.error_after ? 'error' : spec.warn_after ? 'warn' : 'pass';
  if (spec.error_after && ageSeconds > thresholdSeconds(spec.error_after)) return 'error';
  if (spec.warn_after && ageSeconds > thresholdSeconds(spec.warn_after)) return 'warn';
  return 'pass';
}

/**
 * The freshness query of a source table: max of the loaded-at expression, the engine's current
 * timestamp, and the age in seconds computed by the engine (used when the client can't read the
 * timestamps as instants).
 */
export function freshnessSql(renderer: Renderer, adapter: Adapter, source: SourceNode, loadedAt: string, filter?: string): string {
  const fn = adapter.dialect.fn;
  const rel = renderer.relationName(source)!;
  const nowSql = fn.currentTimestamp();
  return `select max(${loadedAt}) as max_loaded_at, ${nowSql} as snapshotted_at, ${fn.datediff('second', `max(${loadedAt})`, nowSql)} as age_s from ${rel}${filter ? ` where ${filter}` : ''}`;
}

/**
 * A JS instant (ms since epoch) for an engine timestamp value: a Date, or text such as
 * `2024-01-02 03:04:05[.fff][+hh[:mm]| UTC|Z]`; text without a zone is taken as UTC.
 * @returns undefined when the value can't be read as an instant
 */
export function toInstant(v: unknown): number | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.getTime();
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/i.exec(v.trim());
  if (!m) return undefined;
  let zone = (m[3] ?? 'Z').toUpperCase();
  if (zone === 'UTC') zone = 'Z';
  else if (/^[+-]\d{2}$/.test(zone)) zone += ':00';
  else if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const frac = m[2]?.replace(/(\.\d{3})\d+$/, '$1') ?? '00:00:00';
  const t = Date.parse(`${m[1]}T${frac}${zone}`);
  return Number.isNaN(t) ? undefined : t;
}

const iso = (v: unknown): string | null => {
  if (v === null || v === undefined) return null;
  const t = toInstant(v);
  return t === undefined ? String(v) : new Date(t).toISOString();
};

/** What a freshness check needs. */
export interface FreshnessContext {
  readonly renderer: Renderer;
  readonly adapter: Adapter;
  readonly reporter: Reporter;
  readonly redact: Redactor;
}

/** A source table to check, with its merged settings. */
export interface FreshnessCheck {
  readonly source: SourceNode;
  readonly spec: FreshnessSpec;
  readonly loadedAt: string;
}

/**
 * Checks source tables one after another on one connection (each query is a single aggregate).
 * @returns one result per check, in order; never throws for a failing query (that is a `runtime error`)
 */
export async function checkFreshness(ctx: FreshnessContext, checks: readonly FreshnessCheck[]): Promise<FreshnessResult[]> {
  const out: FreshnessResult[] = [];
  if (checks.length === 0) return out;
  const conn: Connection = await ctx.adapter.connect();
  try {
    for (let i = 0; i < checks.length; i++) {
      const { source, spec, loadedAt } = checks[i];
      const started = now();
      const t0 = performance.now();
      ctx.reporter.emit({ code: 'WEIR_NODE_START', ts: started, level: 'info', node_id: source.unique_id, resource_type: 'source', index: i + 1, total: checks.length });
      let result: FreshnessResult;
      const base = { unique_id: source.unique_id, criteria: spec, adapter_response: {}, thread_id: 'Thread-1' };
      try {
        const r = await conn.execute(freshnessSql(ctx.renderer, ctx.adapter, source, loadedAt, spec.filter));
        const [maxAt, snapAt, ageSql] = r.rows[0] ?? [null, null, null];
        const a = toInstant(maxAt);
        const b = toInstant(snapAt);
        const age = maxAt === null || maxAt === undefined ? null
          : a !== undefined && b !== undefined ? (b - a) / 1000
            : ageSql === null || ageSql === undefined ? null : Number(ageSql);
        result = {
          ...base, status: freshnessStatus(age, spec), max_loaded_at: iso(maxAt), snapshotted_at: iso(snapAt) ?? undefined,
          max_loaded_at_time_ago_in_s: age, timing: [{ name: 'execute', started_at: started, completed_at: now() }], execution_time: (performance.now() - t0) / 1000,
        };
      } catch (e) {
        result = {
          ...base, status: 'runtime error', error: ctx.redact(`source '${source.source_name}.${source.name}' (${source.path}): ${(e as Error).message}`),
          timing: [{ name: 'execute', started_at: started, completed_at: now() }], execution_time: (performance.now() - t0) / 1000,
        };
      }
      out.push(result);
      const status: NodeStatus = result.status === 'pass' ? 'pass' : result.status === 'warn' ? 'warn' : result.status === 'error' ? 'fail' : 'error';
      ctx.reporter.emit({
        code: 'WEIR_NODE_FINISH', ts: now(), level: status === 'pass' ? 'info' : status === 'warn' ? 'warn' : 'error', node_id: source.unique_id, resource_type: 'source',
        materialized: 'freshness', index: i + 1, total: checks.length, status, relation: ctx.renderer.relationName(source), execution_time: result.execution_time,
        message: result.status === 'runtime error' ? result.error : describe(result),
      });
    }
  } finally {
    await conn.close().catch(() => undefined);
  }
  return out;
}

/** `max_loaded_at 2024-01-02T00:00:00.000Z, 26.0 h ago (warn after 12 hour, error after 1 day)`. */
function describe(r: FreshnessResult): string {
  const ago = r.max_loaded_at_time_ago_in_s;
  const age = ago === null || ago === undefined ? 'no rows' : ago >= 86400 ? `${(ago / 86400).toFixed(1)} d ago` : ago >= 3600 ? `${(ago / 3600).toFixed(1)} h ago` : `${Math.round(ago / 60)} min ago`;
  const c = r.criteria;
  const crit = [c.warn_after && `warn after ${c.warn_after.count} ${c.warn_after.period}`, c.error_after && `error after ${c.error_after.count} ${c.error_after.period}`].filter(Boolean).join(', ');
  return `${r.status === 'pass' ? 'fresh' : r.status === 'warn' ? 'stale (warn)' : 'stale (error)'}: max_loaded_at ${r.max_loaded_at ?? 'null'}, ${age}${crit ? ` (${crit})` : ''}`;
}
