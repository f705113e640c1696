/**
 * Hooks and grants, after dbt (https://docs.getdbt.com/reference/resource-configs/pre-hook-post-hook,
 * https://docs.getdbt.com/reference/project-configs/on-run-start-on-run-end,
 * https://docs.getdbt.com/reference/resource-configs/grants):
 * - `pre_hook` / `post_hook` (also spelled `pre-hook` / `post-hook`) in a model's or seed's config: SQL
 *   statements (a string or a list; hooks from project.yaml folders, schema YAML and `{{config}}`
 *   accumulate in that order) rendered with `{{this}}` = the node's relation and run on the node's
 *   connection before / after it is built. A failing hook fails the node, naming the hook.
 * - `grants: {select: [role_a, role_b]}` on a model or seed: after the relation is built (and its
 *   post-hooks ran), one `grant <privilege> on <relation> to <grantee>` per grantee, written by the
 *   dialect. A grantee `role:x` / `user:x` names the principal kind; a plain name is the engine's usual
 *   one (Snowflake: role, Trino: user). Engines without GRANT (DuckDB) skip grants with one info message
 *   per run. Grants are not revoked: tables and views are re-created on every build, so only the
 *   configured grants exist afterwards on engines where re-creation drops privileges.
 * - `on-run-start` / `on-run-end` in project.yaml: statements run before the first node and after the
 *   last one of `seed`/`run`/`test`/`build`, reported as their own results
 *   (`operation.<project>.<project>-on-run-start-<i>`). A failing on-run-start hook skips every node; a
 *   failing on-run-end hook makes the run fail (exit code 1). on-run-end templates see `schemas` (the
 *   schemas of the nodes the run built) and `results` (unique_id, status, message of each node).
 */
import { AdapterError, type Adapter, type Connection } from '../adapters/adapter.js';
import { checkPrivilege, type RelationKind } from '../adapters/ansi-sql.js';
import type { RunResultEntry } from '../artifacts/artifacts.js';
import type { Renderer } from '../compiler/render.js';
import { WeirError } from '../errors/weir-error.js';
import { now, type NodeStatus, type Reporter } from '../events/events.js';
import type { Dag } from '../graph/dag.js';
import type { Manifest } from '../manifest/manifest.js';
import type { GraphNode } from '../manifest/types.js';
import type { Redactor } from '../utils/redact.js';
import { buildPlan } from './plan.js';

/** Whether a node builds a relation (models, seeds and any later relation-building kind; not tests or sources). */
export function buildsRelation(node: GraphNode): boolean {
  return node.resource_type !== 'test' && node.resource_type !== 'source';
}

/** A node-level hook kind. */
export type NodeHookKind = 'pre_hook' | 'post_hook';

/** What hooks need from the run. */
export interface HookContext {
  readonly manifest: Manifest;
  readonly renderer: Renderer;
  readonly adapter: Adapter;
  readonly reporter: Reporter;
  readonly redact: Redactor;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Normalizes a hook config value: a string, a `{sql: "..."}` mapping, or a list of those.
 * @param what for messages, e.g. `model 'orders' pre_hook`
 * @throws WeirError `WEIR_CONFIG_INVALID` naming `file` for anything else
 */
export function hookList(value: unknown, what: string, file: string): string[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((h, i) => {
    if (typeof h === 'string') return h;
    if (isObj(h) && typeof h.sql === 'string') return h.sql;
    throw new WeirError('WEIR_CONFIG_INVALID', `${what}${items.length > 1 ? ` #${i + 1}` : ''} must be an SQL string (or a list of them), got ${JSON.stringify(h)}`, {
      location: { file }, hint: 'e.g. pre_hook: "delete from {{this}} where loaded_at < current_date - 30"',
    });
  }).filter((h) => h.trim() !== '');
}

/** The hooks of a node, in run order (config keys `pre_hook` and `pre-hook`, and likewise for post). */
export function nodeHooks(node: GraphNode, kind: NodeHookKind): string[] {
  const c = node.config as Record<string, unknown>;
  return [...hookList(c[kind], kind, node.path), ...hookList(c[kind.replace('_', '-')], kind, node.path)];
}

/** Runs one rendered hook, turning an engine error into `WEIR_HOOK_FAILED`. */
async function execHook(conn: Connection, sql: string, label: string, location: { file: string; nodeId?: string }, redact: Redactor): Promise<void> {
  try {
    await conn.execute(sql);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const shown = sql.length > 300 ? `${sql.slice(0, 300)}…` : sql;
    throw new WeirError('WEIR_HOOK_FAILED', redact(`${label} failed: ${msg}\n  hook SQL: ${shown}`), { location, cause: e instanceof AdapterError ? e : undefined });
  }
}

/**
 * Renders and runs a node's pre- or post-hooks on its connection.
 * @throws WeirError `WEIR_HOOK_FAILED` (or the render error) naming the hook and the node's file
 */
export async function runNodeHooks(ctx: HookContext, node: GraphNode, conn: Connection, kind: NodeHookKind): Promise<void> {
  if (!buildsRelation(node)) return;
  const hooks = nodeHooks(node, kind);
  if (kind === 'pre_hook') {
    // Check the rest of the node's hook and grant config before anything is built.
    nodeHooks(node, 'post_hook');
    parseGrants((node.config as Record<string, unknown>).grants, node.path);
  }
  for (let i = 0; i < hooks.length; i++) {
    const label = `${kind}${hooks.length > 1 ? ` #${i + 1}` : ''}`;
    let sql: string;
    try {
      sql = ctx.renderer.renderText(hooks[i], { file: node.path, nodeId: node.unique_id });
    } catch (e) {
      const err = e as WeirError;
      throw new WeirError(err.code ?? 'WEIR_TEMPLATE_RENDER', `${label}: ${err.message}`, { location: { file: node.path, nodeId: node.unique_id }, hint: err.hint, cause: e });
    }
    if (sql) await execHook(conn, sql, label, { file: node.path, nodeId: node.unique_id }, ctx.redact);
  }
}

/** A parsed grantee. */
export interface Grantee {
  readonly type?: 'role' | 'user';
  readonly name: string;
}

/**
 * Reads a `grants:` config: privilege → grantee or list of grantees (`role:x`, `user:x` or a plain name).
 * @returns [privilege (lower case), grantee] pairs in config order
 * @throws WeirError `WEIR_CONFIG_INVALID` naming `file` for a malformed config or privilege (the caller
 *   names the node)
 */
export function parseGrants(value: unknown, file: string): [string, Grantee][] {
  if (value === undefined || value === null) return [];
  const bad = (why: string) => new WeirError('WEIR_CONFIG_INVALID', `grants: ${why}`, {
    location: { file }, hint: 'e.g. grants: {select: [reporter, "role:analyst"]}',
  });
  if (!isObj(value)) throw bad('must be a mapping of privilege to grantees');
  const out: [string, Grantee][] = [];
  for (const [priv, who] of Object.entries(value)) {
    let privilege: string;
    try {
      privilege = checkPrivilege(priv);
    } catch (e) {
      throw bad((e as Error).message);
    }
    const list = who === null || who === undefined ? [] : Array.isArray(who) ? who : [who];
    for (const g of list) {
      if (typeof g !== 'string' || !g.trim()) throw bad(`grantees of '${priv}' must be names, got ${JSON.stringify(g)}`);
      const m = /^(role|user):(.+)$/i.exec(g.trim());
      out.push([privilege, m ? { type: m[1].toLowerCase() as 'role' | 'user', name: m[2].trim() } : { name: g.trim() }]);
    }
  }
  return out;
}

/** Runs whose "this engine has no GRANT" message was already reported. */
const grantNoticeShown = new WeakSet<object>();

/**
 * Applies a node's `grants:` after it is built.
 * @param kind what the relation was built as
 * @returns the GRANT statements run (empty on engines without GRANT)
 * @throws WeirError `WEIR_CONFIG_INVALID` for a malformed config; `WEIR_HOOK_FAILED` when a GRANT fails
 */
export async function applyGrants(ctx: HookContext, node: GraphNode, conn: Connection, kind: RelationKind): Promise<string[]> {
  if (!buildsRelation(node)) return [];
  const grants = parseGrants((node.config as Record<string, unknown>).grants, node.path);
  if (grants.length === 0) return [];
  const d = ctx.adapter.dialect;
  if (!d.ddl.grant) {
    if (!grantNoticeShown.has(ctx.reporter)) {
      grantNoticeShown.add(ctx.reporter);
      ctx.reporter.emit({ code: 'WEIR_MESSAGE', ts: now(), level: 'info', node_id: node.unique_id, message: `grants are not applied on ${d.name}: it has no GRANT statement (${node.resource_type} '${node.name}' and any others configuring grants are built without them)` });
    }
    return [];
  }
  const relation = ctx.renderer.relationName(node)!;
  const done: string[] = [];
  for (const [privilege, grantee] of grants) {
    let sql: string;
    try {
      sql = d.ddl.grant(relation, kind, privilege, { type: grantee.type, name: d.quoteIdentifier(grantee.name) });
    } catch (e) {
      throw new WeirError('WEIR_CONFIG_INVALID', `grants: ${(e as Error).message}`, { location: { file: node.path, nodeId: node.unique_id } });
    }
    await execHook(conn, sql, `grant ${privilege} to ${grantee.type ? `${grantee.type} ` : ''}${grantee.name}`, { file: node.path, nodeId: node.unique_id }, ctx.redact);
    done.push(sql);
  }
  return done;
}

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
