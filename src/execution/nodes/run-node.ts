/**
 * Runs one node of a run: the step the scheduler calls per node (execution/invocation/run-nodes.ts executeRun). It renders
 * the node, builds or tests it through the materializations of this folder, and turns any failure into a
 * run result.
 */
import { stillUnchanged, writeFileIfChanged } from '../../utils/write-file.js';
import path from 'node:path';
import { AdapterError, type Connection } from '../../adapters/adapter.js';
import { WeirError } from '../../errors/weir-error.js';
import { now, type NodeStatus } from '../../events/events.js';
import { compiledPathOf } from '../../manifest/manifest.js';
import type { GraphNode, ModelNode, RelationName } from '../../manifest/types.js';
import type { RunResultEntry } from '../../artifacts/artifacts.js';
import { materializeView } from '../materializations/view.js';
import { setTableOptions, tableOptionsOf } from '../../adapters/table-options.js';
import { contractEnforced, enforceContract } from '../tests/contracts.js';
import type { RelationCache } from '../materializations/relation-cache.js';
import { batchUdfsCalledBy, prepareBatchUdfs, UdfUnavailableSkip, type BatchUdfState } from '../udfs/batch-udfs.js';
import { applyGrants, buildsRelation, runNodeHooks } from '../hooks.js';
import type { PreparedSql } from '../udfs/client-udfs.js';
import { auditStaged, type AuditOutcome } from '../tests/audit.js';
import { checkSingleStatement } from '../materializations/statements.js';
import { reusable, type ReuseState } from './reuse.js';
import { strategyNamed, strategyOf } from './strategies.js';
import type { BuildOutcome, NodeRunContext } from '../materializations/strategy.js';
import type { SqlAhead } from './sql-ahead.js';

export type { NodeRunContext } from '../materializations/strategy.js';

/** The result of a node stopped (or never started) because the run was cancelled. */
export function cancelledEntry(uid: string, signal: AbortSignal, started: boolean, relationName?: string, t0?: number, startedAt?: string): RunResultEntry {
  const at = now();
  return {
    unique_id: uid, status: 'error', error_code: 'WEIR_CANCELLED',
    timing: started && startedAt ? [{ name: 'execute', started_at: startedAt, completed_at: at }] : [],
    execution_time: t0 === undefined ? 0 : (performance.now() - t0) / 1000,
    message: started ? `cancelled: ${String(signal.reason ?? 'signal')} received while it ran (its queries were cancelled)` : `cancelled: ${String(signal.reason ?? 'signal')} received before it started`,
    relation_name: relationName,
  };
}


/** Per-run write-audit-publish state: which tests audit which model, and the verdicts so far. */
export interface AuditState {
  readonly plan: ReadonlyMap<string, readonly string[]>;
  readonly outcomes: Map<string, AuditOutcome>;
}


/** The result of a test node whose verdict came from auditing its model's staged relation. */
export function auditedEntry(node: GraphNode, a: AuditOutcome): RunResultEntry {
  const t = now();
  return {
    unique_id: node.unique_id, status: a.status, timing: [{ name: 'execute', started_at: t, completed_at: t }], execution_time: 0,
    failures: a.failures, message: a.message, compiled_path: a.compiledPath, relation_name: undefined,
  };
}

/**
 * Runs one node on `conn` with one catch: renders and writes its compiled SQL (with `ahead`'s values for it when
 * prepared), applies `--reuse`, checks it is
 * one statement, prepares the UDFs it calls, runs its hooks, builds it (seed, model by materialization,
 * snapshot) or runs it (data/unit test), and reports the outcome. A failure becomes a result, never a throw.
 * @returns the node's run result (status `error` with an error code when it failed; `WEIR_CANCELLED` after
 *   SIGINT/SIGTERM)
 */
export async function runNode(
  ctx: NodeRunContext, node: GraphNode, conn: Connection, batch: BatchUdfState | undefined, relations: RelationCache, audits: AuditState, reuse: ReuseState | undefined,
  ahead?: SqlAhead,
): Promise<RunResultEntry> {
  const { manifest, renderer, adapter, redact } = ctx;
  const started = now();
  const t0 = performance.now();
  const timing: { name: 'compile' | 'execute'; started_at: string; completed_at: string }[] = [];
  let compiledPath: string | undefined;
  let relationName: string | undefined;
  let prepared: PreparedSql | undefined;
  try {
    const audited = audits.outcomes.get(node.unique_id);
    if (audited) return auditedEntry(node, audited);
    const compiled = renderer.render(node.unique_id);
    relationName = compiled.relation_name;
    // The file's path and bytes and the SQL's statements, when the run prepared them while the engine was busy.
    const pre = compiled.compiled_code !== undefined ? ahead?.take(node.unique_id, compiled.compiled_code) : undefined;
    if (pre) {
      compiledPath = pre.compiledPath;
      // Found holding these bytes ahead and not touched since (one stat): writeFileIfChanged would leave it alone.
      if (!pre.unchanged || !stillUnchanged(pre.file, pre.unchanged)) writeFileIfChanged(pre.file, pre.data);
    } else if (compiled.compiled_code !== undefined) {
      compiledPath = compiledPathOf(manifest, node);
      const abs = path.join(ctx.targetDir, compiledPath);
      // The file is for people; the engine gets the unredacted SQL from memory.
      writeFileIfChanged(abs, `${redact(compiled.compiled_code)}\n`);
    }
    const compiledAt = now();
    timing.push({ name: 'compile', started_at: started, completed_at: compiledAt });
    // A model's query_tag (Snowflake) replaces the target's in the node's QUERY_TAG; elsewhere it is reported.
    const queryTag = node.config.query_tag;
    if (queryTag !== undefined && typeof queryTag !== 'string') throw new Error(`query_tag must be a string (model '${node.name}')`);
    if (queryTag !== undefined && !conn.tagNode) ctx.reporter.emit({ code: 'WEIR_WARNING', ts: now(), level: 'warn', node_id: node.unique_id, message: `query_tag: ${adapter.dialect.name} targets have no query tags; not applied on target '${manifest.targetName}'` });
    await conn.tagNode?.(node.unique_id, queryTag);
    // --reuse: nothing that makes this node's data changed since its last build here → not rebuilt.
    let reuseHash: string | undefined;
    let reuseInputs: Record<string, string> | undefined;
    if (reuse && reusable(node)) {
      reuseHash = reuse.nodeHash(node, compiled.compiled_code);
      reuseInputs = await reuse.inputs(manifest, renderer, adapter, conn, node);
      const rec = await reuse.check(adapter, conn, renderer, node, reuseHash, reuseInputs);
      if (rec) {
        timing.push({ name: 'execute', started_at: compiledAt, completed_at: now() });
        return {
          unique_id: node.unique_id, status: 'reused', timing, execution_time: (performance.now() - t0) / 1000,
          message: `reused: SQL, config and input data unchanged since its build at ${rec.built_at}`, compiled_path: compiledPath, relation_name: relationName,
        };
      }
    }
    let sql = compiled.compiled_code;
    let before: readonly string[] = [];
    if (sql !== undefined && !(node.resource_type === 'test' && node.test_type === 'unit')) {
      // One query per node: a smuggled second statement is refused before anything runs.
      const checked = await checkSingleStatement(adapter, conn, node, sql, compiledPath, pre?.parts);
      sql = checked.query;
      before = checked.before;
    }
    const query = sql;
    if (sql !== undefined) {
      const needed = batchUdfsCalledBy(sql, batch);
      if (needed.length) await prepareBatchUdfs(adapter, conn, node, sql, needed, batch!);
      // UDFs the engine can't call run client-side: the SQL is rewritten to read their results.
      if (batch?.client && !(node.resource_type === 'test' && node.test_type === 'unit')) {
        prepared = await batch.client.prepare(adapter, conn, node, sql);
        sql = prepared.sql;
      }
    }
    const strategy = strategyOf(node);
    await runNodeHooks(ctx, node, conn, 'pre_hook');
    let auditedCount = 0;
    let outcome: BuildOutcome = {};
    if (strategy) {
      // An enforced contract is checked before the relation is touched: a violation keeps the old one.
      if (node.resource_type === 'model' && contractEnforced(node)) await enforceContract(conn, adapter.dialect, node, query!);
      // Write-audit-publish: the model's error-severity tests check the staged relation before the swap.
      const auditTests = audits.plan.get(node.unique_id);
      const audit = auditTests?.length
        ? async (staged: RelationName) => {
          auditedCount = await auditStaged({ manifest, renderer, adapter, targetDir: ctx.targetDir, redact, compiledPath: (t) => compiledPathOf(manifest, t) }, conn, node as ModelNode, auditTests, staged, audits.outcomes, batch, relations);
        }
        : undefined;
      if (strategy.tableOptions) {
        // Native table options another engine's dialect applies are reported, never silently dropped.
        const applied = (strategy.appliedTableOptions ? strategy.appliedTableOptions(adapter.dialect.ddl) : adapter.dialect.ddl.tableOptionKeys) ?? [];
        const unapplied = setTableOptions(tableOptionsOf(node.config)).filter((k) => !applied.includes(k));
        if (unapplied.length) ctx.reporter.emit({ code: 'WEIR_WARNING', ts: now(), level: 'warn', node_id: node.unique_id, message: `${unapplied.join(', ')}: not a table option of ${adapter.dialect.name} targets (only ${applied.length ? applied.join(', ') : 'none'}); not applied on target '${manifest.targetName}'` });
      }
      outcome = await strategy.build({ ctx, conn, node, relation: compiled.relation, sql, query, before, compiledPath, relations, audit });
    }
    const status: NodeStatus = outcome.status ?? 'success';
    const { rowsAffected: rows, failures } = outcome;
    let message = outcome.message;
    if (auditedCount) message = `${message}; audited by ${auditedCount} test${auditedCount === 1 ? '' : 's'} before the swap`;
    // A versioned model's latest version is also readable under the model's own name (a view over it).
    if (node.resource_type === 'model' && node.versioned_name && node.version === node.latest_version && strategy?.relation && compiled.relation) {
      await materializeView(adapter, conn, { ...compiled.relation, identifier: node.versioned_name }, `select * from ${adapter.dialect.relation(compiled.relation)}`, relations);
    }
    if (buildsRelation(node)) {
      await runNodeHooks(ctx, node, conn, 'post_hook');
      await applyGrants(ctx, node, conn, strategyNamed(node.config.materialized)?.relation === 'view' ? 'view' : 'table');
    }
    if (reuse && reuseHash !== undefined) await reuse.record(adapter, conn, renderer, node, reuseHash, reuseInputs);
    timing.push({ name: 'execute', started_at: compiledAt, completed_at: now() });
    return {
      unique_id: node.unique_id, status, timing, execution_time: (performance.now() - t0) / 1000,
      rows_affected: rows, failures, message: message && redact(message), compiled_path: compiledPath, relation_name: relationName,
    };
  } catch (e) {
    if (e instanceof UdfUnavailableSkip) {
      timing.push({ name: 'execute', started_at: started, completed_at: now() });
      return {
        unique_id: node.unique_id, status: 'skipped', timing, execution_time: (performance.now() - t0) / 1000,
        message: redact(`skipped (on_udf_unavailable: skip): ${e.message}`), compiled_path: compiledPath, relation_name: relationName,
      };
    }
    reuse?.forget(node.unique_id);
    if (ctx.signal?.aborted) return { ...cancelledEntry(node.unique_id, ctx.signal, true, relationName, t0, started), compiled_path: compiledPath };
    const what = `${node.resource_type} '${node.name}' (${node.path})`;
    let message: string;
    let code: string;
    if (e instanceof WeirError) {
      // The error's own location leads (file:line); name the node only when the error points elsewhere (a macro).
      message = e.location?.file === node.path ? `${node.resource_type} '${node.name}': ${e.format()}` : `${what}: ${e.format()}`;
      code = e.code;
    } else if (e instanceof AdapterError) {
      // Name the target unless the adapter's message already does (Trino's does).
      const target = e.message.startsWith(`target '${manifest.targetName}'`) ? '' : ` on target '${manifest.targetName}'`;
      message = `database error in ${what}${target}: ${e.message}${compiledPath ? `\n  compiled SQL: target/${compiledPath}` : ''}`;
      code = 'WEIR_SQL_ERROR';
    } else {
      message = `${what}: ${e instanceof Error ? e.message : String(e)}`;
      code = 'WEIR_INTERNAL';
    }
    timing.push({ name: 'execute', started_at: started, completed_at: now() });
    return {
      unique_id: node.unique_id, status: 'error', timing, execution_time: (performance.now() - t0) / 1000,
      message: redact(message), compiled_path: compiledPath, relation_name: relationName, error_code: code,
    };
  } finally {
    await prepared?.cleanup(conn);
  }
}
