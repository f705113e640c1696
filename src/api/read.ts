/**
 * Ad-hoc reads of the target — {@link WeirProject.query} (templated SQL) and {@link WeirProject.show} (a
 * model's rows, or its compiled query while unbuilt) — through a read adapter (the published read copy
 * while a run holds the database), with the project's scalar UDFs callable.
 */
import type { QueryResult } from '../adapters/adapter.js';
import { WeirError } from '../errors/weir-error.js';
import type { GraphNode } from '../manifest/types.js';
import type { QueryOptions, ReadOptions } from './options.js';
import type { WeirProject } from './project.js';
import { queryConnectionError, querySqlError, type QueryTarget } from './query-errors.js';
import { isEphemeral } from '../manifest/materialization.js';

/**
 * Runs SQL against the target and returns the rows (at most `limit` when given); the SQL is a template.
 * @throws see {@link WeirProject.query}
 */
export async function query(project: WeirProject, sql: string, limit?: number, options: QueryOptions = {}): Promise<QueryResult> {
  // {{ref}}, {{source}}, {{var}}... render as in a model (hooks' rules: any model, seed or source by name).
  return runQuery(project, sql.includes('{{') ? project.renderer().renderText(sql, { file: '<query>' }) : sql, limit, options);
}

/** Runs SQL text as is (already rendered) for {@link query} and {@link show}. */
async function runQuery(project: WeirProject, sql: string, limit: number | undefined, options: QueryOptions): Promise<QueryResult> {
  const target = queryTarget(project);
  let readCopy: { path: string } | undefined;
  const adapter = await project.openReadAdapter({ ...options, onReadCopy: (c) => { readCopy = c; options.onReadCopy?.(c); } })
    .catch((e: unknown) => { throw queryConnectionError(e, target, project.redact); });
  try {
    // Scalar UDFs are callable from ad-hoc queries too (batch UDFs only run inside a build).
    const { registerUdfs } = await import('../execution/udfs/register-udfs.js');
    const udfs = await registerUdfs(adapter, project.udfs.filter((u) => u.definition.kind === 'scalar'), project.udfContext());
    const conn = await adapter.connect().catch((e: unknown) => { throw queryConnectionError(e, target, project.redact); });
    let text = limit === undefined ? sql : `select * from (\n${sql.trim().replace(/;\s*$/, '')}\n) as weir_query limit ${Math.max(0, Math.floor(limit))}`;
    // UDFs the engine can't call (Trino) are evaluated client-side and the query rewritten to read them.
    const prepared = udfs?.client ? await udfs.client.prepare(adapter, conn, { unique_id: 'query', name: 'query', resource_type: 'query', path: '<query>', config: {} }, text) : undefined;
    if (prepared) text = prepared.sql;
    try {
      // Printed results: the engine's own text (or typed JSON) where the adapter offers it.
      if (options.display && conn.display && !prepared) return await conn.display(text, options.display);
      return await conn.execute(text);
    } catch (e) {
      throw querySqlError(e, target, project.redact, readCopy);
    } finally {
      await prepared?.cleanup(conn);
    }
  } finally {
    await adapter.close();
  }
}

/** The target ad-hoc reads run against, for their error messages (see api/query-errors.ts). */
function queryTarget(project: WeirProject): QueryTarget {
  return { ...project.targetInfo, configFile: project.files.configFile };
}

/**
 * Previews a model: its built relation if it exists, else its compiled SQL.
 * @throws WeirError `WEIR_NODE_NOT_FOUND` naming the closest model
 */
export async function show(project: WeirProject, name: string, limit = 10, options: QueryOptions = {}): Promise<QueryResult> {
  const manifest = project.manifest;
  const uid = manifest.refIndex.get(name) ?? manifest.sourceIndex.get(name);
  if (!uid) {
    const s = [...manifest.refIndex.keys()].sort((a, b) => a.localeCompare(b)).find((k) => k.includes(name));
    throw new WeirError('WEIR_NODE_NOT_FOUND', `no model, seed or source named '${name}'`, { hint: s ? `Did you mean '${s}'?` : 'List nodes with `weir ls`.' });
  }
  const renderer = project.renderer();
  const c = renderer.render(uid);
  const node = manifest.nodes.get(uid)!;
  let sql = `select * from ${c.relation_name ?? renderer.relationName(node)}`;
  if (node.resource_type === 'model' && (isEphemeral(node) || !(await relationExists(project, node, options)))) sql = c.compiled_code!;
  return runQuery(project, sql, limit, options);
}

/** Whether a node's relation exists in the target (opens and closes the adapter). */
async function relationExists(project: WeirProject, node: GraphNode, options: ReadOptions = {}): Promise<boolean> {
  const relation = project.renderer().relationOf(node);
  if (!relation) return false;
  const adapter = await project.openReadAdapter({ ...options, onReadCopy: undefined })
    .catch((e: unknown) => { throw queryConnectionError(e, queryTarget(project), project.redact); });
  try {
    return (await adapter.relationKind(await adapter.connect(), relation)) !== undefined;
  } finally {
    await adapter.close();
  }
}
