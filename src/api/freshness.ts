/**
 * `weir source freshness [--select source:x]`: checks the selected sources' freshness (see
 * execution/freshness.ts) and writes `target/sources.json`, valid against dbt's sources v3 schema
 * (https://docs.getdbt.com/reference/artifacts/sources-json, see artifacts/dbt/sources-v3.ts): `metadata`, `elapsed_time` and per source
 * `unique_id`, `status` (`pass`, `warn`, `error`, `runtime error`), `max_loaded_at`, `snapshotted_at`,
 * `max_loaded_at_time_ago_in_s`, `criteria`, `timing`, `execution_time` (or `error`).
 * Not a success when any source is `error` or `runtime error` (the CLI exits 1).
 */
import path from 'node:path';
import { now, silentReporter, type NodeStatus, type Reporter } from '../events/events.js';
import { ARTIFACT_SCHEMAS, WEIR_VERSION, writeJsonAtomic } from '../artifacts/artifacts.js';
import { dbtSources } from '../artifacts/dbt/sources-v3.js';
import { checkFreshness, type FreshnessCheck, type FreshnessResult } from '../execution/freshness.js';
import type { SourceNode } from '../manifest/types.js';
import { redactDeep } from '../utils/redact.js';
import type { SelectionArgs } from './options.js';
import type { WeirProject } from './project.js';
import { redactingReporter } from './reporting.js';

/** Schema id of `sources.json`. */
export const SOURCES_SCHEMA = ARTIFACT_SCHEMAS.sources;

/** Options of {@link sourceFreshness}. */
export interface FreshnessArgs extends SelectionArgs {
  readonly reporter?: Reporter;
  /** Where to write the artifact (default `<target>/sources.json`; relative to the project directory). */
  readonly output?: string;
}

/** Outcome of {@link sourceFreshness}. */
export interface FreshnessSummary {
  readonly results: readonly FreshnessResult[];
  /** Absolute path of the sources.json written. */
  readonly file: string;
  /** Seconds. */
  readonly elapsed: number;
  /** No source is `error` or `runtime error` (warnings allowed). */
  readonly success: boolean;
}

/**
 * Checks source freshness.
 * @throws WeirError for a bad selector or state; a failing query is a `runtime error` result, not a throw
 */
export async function sourceFreshness(project: WeirProject, args: FreshnessArgs = {}): Promise<FreshnessSummary> {
  const reporter = redactingReporter(args.reporter ?? silentReporter, project.redact);
  const start = performance.now();
  const uids = project.select('ls', { select: args.select, exclude: args.exclude, state: args.state, selector: args.selector, resourceTypes: ['source'] });
  const checks: FreshnessCheck[] = [];
  for (const uid of uids) {
    const s = project.manifest.nodes.get(uid) as SourceNode;
    const spec = s.freshness;
    if (!spec || (!spec.warn_after && !spec.error_after)) continue;
    if (!s.loaded_at_field) {
      reporter.emit({ code: 'WEIR_WARNING', ts: now(), level: 'warn', node_id: uid, file: s.path, message: `source '${s.source_name}.${s.name}' (${s.path}) has a freshness setting but no loaded_at_field: not checked (set loaded_at_field on the source or the table)` });
      continue;
    }
    checks.push({ source: s, spec, loadedAt: s.loaded_at_field });
  }
  let results: FreshnessResult[] = [];
  if (checks.length === 0) {
    reporter.emit({ code: 'WEIR_MESSAGE', ts: now(), level: 'info', message: `no selected source has a freshness setting with a loaded_at_field: nothing to check` });
  } else {
    const adapter = await project.openAdapter();
    try {
      reporter.emit({ code: 'WEIR_RUN_START', ts: now(), level: 'info', command: 'source freshness', target: project.targetInfo.name, adapter_type: project.targetInfo.type, node_count: checks.length, threads: 1 });
      results = await checkFreshness({ renderer: project.renderer(), adapter, reporter, redact: project.redact }, checks);
    } finally {
      await adapter.close();
    }
  }
  const elapsed = (performance.now() - start) / 1000;
  const file = args.output ? path.resolve(project.files.root, args.output) : path.join(project.targetDir, 'sources.json');
  writeJsonAtomic(file, redactDeep(dbtSources({
    weir_schema_version: SOURCES_SCHEMA, weir_version: WEIR_VERSION, generated_at: now(), invocation_id: project.invocationId,
    project_name: project.manifest.projectName, target_name: project.targetInfo.name, adapter_type: project.targetInfo.type,
  }, results, elapsed), project.redact));
  const failed = results.some((r) => r.status === 'error' || r.status === 'runtime error');
  if (checks.length) {
    const counts: Record<NodeStatus, number> = { success: 0, error: 0, skipped: 0, pass: 0, fail: 0, warn: 0, reused: 0 };
    for (const r of results) counts[r.status === 'pass' ? 'pass' : r.status === 'warn' ? 'warn' : r.status === 'error' ? 'fail' : 'error']++;
    reporter.emit({ code: 'WEIR_RUN_END', ts: now(), level: failed ? 'error' : 'info', elapsed, counts, success: !failed });
  }
  reporter.close?.();
  return { results, file, elapsed, success: !failed };
}
