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
 * `on-run-start` / `on-run-end` (project.yaml) run around a whole invocation: execution/invocation/project-hooks.ts.
 */
import { AdapterError, type Adapter, type Connection } from '../adapters/adapter.js';
import { checkPrivilege, type RelationKind } from '../adapters/ansi-sql.js';
import type { Renderer } from '../compiler/render.js';
import { WeirError } from '../errors/weir-error.js';
import { now, type Reporter } from '../events/events.js';
import type { Manifest } from '../manifest/manifest.js';
import type { GraphNode } from '../manifest/types.js';
import type { Redactor } from '../utils/redact.js';

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

/**
 * Runs one rendered hook (or GRANT), turning an engine error into `WEIR_HOOK_FAILED`.
 * @param label names the hook in the message, e.g. `post_hook #2`
 * @throws WeirError `WEIR_HOOK_FAILED` with the engine's message and the start of the SQL (redacted)
 */
export async function execHook(conn: Connection, sql: string, label: string, location: { file: string; nodeId?: string }, redact: Redactor): Promise<void> {
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
