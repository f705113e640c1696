/**
 * `on-run-start` / `on-run-end` in project.yaml, after dbt
 * (https://docs.getdbt.com/reference/project-configs/on-run-start-on-run-end): statements run before the
 * first node and after the last one of `seed`/`run`/`test`/`build`, reported as their own results
 * (`operation.<project>.<project>-on-run-start-<i>`). A failing on-run-start hook skips every node; a
 * failing on-run-end hook makes the run fail (exit code 1). on-run-end templates see `schemas` (the
 * schemas of the nodes the run built) and `results` (unique_id, status, message of each node).
 */
import type { Connection } from '../../adapters/adapter.js';
import type { RunResultEntry } from '../../artifacts/artifacts.js';
import { WeirError } from '../../errors/weir-error.js';
import { now, type NodeStatus } from '../../events/events.js';
import type { Dag } from '../../graph/dag.js';
import { execHook, type HookContext } from '../hooks.js';
import { buildPlan } from './plan.js';

/** project.yaml hooks. */
export interface ProjectHooks {
  readonly start: readonly string[];
  readonly end: readonly string[];
  /** The project file (for messages). */
  readonly file: string;
}

/** Options of {@link runWithProjectHooks}. */
export interface ProjectHookRun extends HookContext {
  readonly dag: Dag;
  readonly hooks: ProjectHooks;
  readonly selected: readonly string[];
  readonly testsBlockChildren: boolean;
}

/** unique_id of a project hook, as dbt names them. */
export const projectHookId = (project: string, kind: 'on-run-start' | 'on-run-end', i: number) => `operation.${project}.${project}-${kind}-${i}`;

/**
 * Runs `on-run-start` hooks, then `run()` (the nodes) unless a start hook failed (then every planned node
 * is reported skipped), then `on-run-end` hooks with `schemas` and `results` in their context.
 * @returns hook results and node results, in that order of execution
 */
export async function runWithProjectHooks(o: ProjectHookRun, run: () => Promise<RunResultEntry[]>): Promise<RunResultEntry[]> {
  if (o.hooks.start.length === 0 && o.hooks.end.length === 0) return run();
  const results: RunResultEntry[] = [];
  results.push(...await runProjectHookList(o, 'on-run-start', o.hooks.start, {}));
  const failedStart = results.find((r) => r.status === 'error');
  if (failedStart) {
    const plan = buildPlan(o.manifest, o.dag, o.selected, o.testsBlockChildren);
    plan.order.forEach((uid, i) => {
      const node = o.manifest.nodes.get(uid)!;
      const entry: RunResultEntry = {
        unique_id: uid, status: 'skipped', timing: [], execution_time: 0, relation_name: o.renderer.relationName(node),
        message: `skipped because on-run-start hook #${Number(failedStart.unique_id.split('-').pop()) + 1} failed`,
      };
      results.push(entry);
      o.reporter.emit({
        code: 'WEIR_NODE_FINISH', ts: now(), level: 'info', node_id: uid, resource_type: node.resource_type, materialized: node.config.materialized,
        index: i + 1, total: plan.order.length, status: 'skipped', relation: entry.relation_name, execution_time: 0, message: entry.message,
      });
    });
  } else results.push(...await run());
  const schemas = new Set<string>();
  const nodeResults: Record<string, unknown>[] = [];
  for (const r of results) {
    const node = o.manifest.nodes.get(r.unique_id);
    if (!node) continue;
    nodeResults.push({ unique_id: r.unique_id, name: node.name, resource_type: node.resource_type, status: r.status, message: r.message ?? '', rows_affected: r.rows_affected, execution_time: r.execution_time });
    const rel = r.status === 'success' ? o.renderer.relationOf(node) : undefined;
    if (rel) schemas.add(rel.schema);
  }
  results.push(...await runProjectHookList(o, 'on-run-end', o.hooks.end, { schemas: [...schemas].sort(), results: nodeResults }));
  return results;
}

/** Runs one list of project hooks on a fresh connection; the first failure skips the rest of the list. */
async function runProjectHookList(o: ProjectHookRun, kind: 'on-run-start' | 'on-run-end', hooks: readonly string[], context: Record<string, unknown>): Promise<RunResultEntry[]> {
  if (hooks.length === 0) return [];
  const project = o.manifest.projectName;
  const out: RunResultEntry[] = [];
  let conn: Connection | undefined;
  let failed = false;
  try {
    for (let i = 0; i < hooks.length; i++) {
      const uid = projectHookId(project, kind, i);
      const label = `${kind} hook #${i + 1}`;
      const started = now();
      const t0 = performance.now();
      let status: NodeStatus = 'success';
      let message: string | undefined;
      let code: string | undefined;
      if (failed) {
        status = 'skipped';
        message = `skipped because an earlier ${kind} hook failed`;
      } else {
        o.reporter.emit({ code: 'WEIR_NODE_START', ts: started, level: 'info', node_id: uid, resource_type: 'operation', index: i + 1, total: hooks.length });
        try {
          const sql = o.renderer.renderText(hooks[i], { file: o.hooks.file, context });
          conn ??= await o.adapter.connect();
          if (sql) await execHook(conn, sql, label, { file: o.hooks.file }, o.redact);
          message = sql ? 'OK' : 'empty hook: nothing run';
        } catch (e) {
          failed = true;
          status = 'error';
          const err = e instanceof WeirError ? e : new WeirError('WEIR_HOOK_FAILED', `${label} failed: ${(e as Error).message}`, { location: { file: o.hooks.file } });
          code = err.code;
          message = o.redact(err.code === 'WEIR_HOOK_FAILED' ? `${o.hooks.file}: ${err.message}` : `${o.hooks.file}: ${label}: ${err.message}`);
        }
      }
      const entry: RunResultEntry = {
        unique_id: uid, status, timing: status === 'skipped' ? [] : [{ name: 'execute', started_at: started, completed_at: now() }],
        execution_time: (performance.now() - t0) / 1000, message, error_code: code,
      };
      out.push(entry);
      o.reporter.emit({
        code: 'WEIR_NODE_FINISH', ts: now(), level: status === 'error' ? 'error' : 'info', node_id: uid, resource_type: 'operation',
        index: i + 1, total: hooks.length, status, execution_time: entry.execution_time, message,
      });
    }
  } finally {
    await conn?.close().catch(() => undefined);
  }
  return out;
}
