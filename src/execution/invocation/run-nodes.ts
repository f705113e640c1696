/**
 * The scheduled part of an invocation: plans the selected nodes (execution/invocation/plan.ts), registers
 * the project's UDFs, creates the schemas, opens N connections, and schedules the plan over them
 * (scheduler.ts), running each node with execution/nodes/run-node.ts (its failure becomes a
 * result, never a crash); reports `WEIR_NODE_START` / `WEIR_NODE_FINISH`, skipped and cancelled nodes.
 */
import type { Adapter, Connection } from '../../adapters/adapter.js';
import type { Renderer } from '../../compiler/render.js';
import { now, type NodeStatus, type Reporter } from '../../events/events.js';
import type { Dag } from '../../graph/dag.js';
import type { Manifest } from '../../manifest/manifest.js';
import type { GraphNode } from '../../manifest/types.js';
import type { RunResultEntry } from '../../artifacts/artifacts.js';
import type { Redactor } from '../../utils/redact.js';
import { buildPlan } from './plan.js';
import { schedule } from './scheduler.js';
import { failuresRelation } from '../tests/data-test-runner.js';
import { storeFailuresAs } from '../../parser/configs/data-test.js';
import { RelationCache } from '../materializations/relation-cache.js';
import type { LoadedUdf } from '../../udfs/registry.js';
import type { BatchContext } from '../../udfs/define.js';
import { registerUdfs } from '../udfs/register-udfs.js';
import { auditPlan } from '../nodes/audit-plan.js';
import { ReuseState } from '../nodes/reuse.js';
import { auditedEntry, cancelledEntry, runNode, type AuditState } from '../nodes/run-node.js';
import { SqlAhead } from '../nodes/sql-ahead.js';
import { tokenizeOptionsFor } from '../../sql/tokenize.js';

/** Everything a run needs. */
export interface RunContext {
  readonly command: string;
  readonly manifest: Manifest;
  readonly dag: Dag;
  readonly renderer: Renderer;
  readonly adapter: Adapter;
  readonly reporter: Reporter;
  /** Absolute target directory (compiled SQL goes to `<targetDir>/compiled`). */
  readonly targetDir: string;
  readonly threads: number;
  readonly failFast: boolean;
  readonly redact: Redactor;
  /** The project's UDFs (registered before the first node runs). */
  readonly udfs?: readonly LoadedUdf[];
  /** What batch UDFs receive (project dir, vars, env). */
  readonly batchContext?: Omit<BatchContext, 'nodeId'>;
  /** `--full-refresh`: incremental models are rebuilt from scratch. */
  readonly fullRefresh?: boolean;
  /** `--event-time-start` / `--event-time-end`: the window microbatch models process (UTC). */
  readonly eventTimeStart?: Date;
  readonly eventTimeEnd?: Date;
  /**
   * Write-audit-publish (`build` only; default true there): `table`/`incremental` models are published
   * only after their error-severity data tests pass on the staged relation (execution/tests/audit.ts).
   */
  readonly audit?: boolean;
  /**
   * `--empty`: the renderer reads refs and sources as empty relations; here seeds are emptied after
   * loading (their column types still come from the file) and existing snapshots are kept as they are.
   */
  readonly empty?: boolean;
  /**
   * `--reuse`: seeds and table/incremental/view models whose SQL, config and input data are unchanged
   * since their last successful build on this target are not rebuilt (status `reused`, execution/nodes/reuse.ts).
   */
  readonly reuse?: boolean;
  /**
   * Aborted on SIGINT/SIGTERM (its `reason` is the signal name): running queries are cancelled through
   * each connection's `cancel()` (DuckDB interrupt, Snowflake cancel, Trino DELETE of the query), no node
   * starts, and every node that did not finish is reported with status `error`, code `WEIR_CANCELLED`.
   */
  readonly signal?: AbortSignal;
}

/**
 * Runs the selected nodes.
 * @param selected unique_ids from the selector
 * @param testsBlockChildren true for `build`
 * @returns one result per executable selected node, in completion order
 */
export async function executeRun(ctx: RunContext, selected: readonly string[], testsBlockChildren: boolean): Promise<RunResultEntry[]> {
  const { manifest, renderer, adapter, reporter } = ctx;
  const plan = buildPlan(manifest, ctx.dag, selected, testsBlockChildren);
  const total = plan.order.length;
  const results: RunResultEntry[] = [];
  let index = 0;
  const threads = Math.max(1, Math.min(ctx.threads, total || 1, adapter.capabilities.concurrentConnections ? 64 : 1));

  // Schemas on demand, created up front by one connection (concurrent CREATE SCHEMA conflicts on some engines).
  const schemas = new Map<string, string | undefined>();
  for (const uid of plan.order) {
    const node = manifest.nodes.get(uid)!;
    if (node.resource_type === 'test') {
      // Tests that store their failing rows need `<target schema>_test_failures`.
      if (storeFailuresAs(node.config)) {
        const r = failuresRelation(node, renderer.target);
        schemas.set(`${r.database ?? ''}.${r.schema}`, r.database);
      }
      continue;
    }
    const r = renderer.relationOf(node);
    if (r) schemas.set(`${r.database ?? ''}.${r.schema}`, r.database);
  }
  const connections: Connection[] = [];
  const statuses = new Map<string, NodeStatus>();
  const reuse = ctx.reuse ? ReuseState.load(ctx.targetDir, manifest.targetName) : undefined;
  const audits: AuditState = {
    plan: testsBlockChildren && ctx.audit !== false ? auditPlan(manifest, ctx.dag, plan.order) : new Map(),
    outcomes: new Map(),
  };
  try {
    const batch = await registerUdfs(adapter, ctx.udfs ?? [], ctx.batchContext ?? { projectDir: manifest.root, targetDir: ctx.targetDir, vars: {}, env: process.env });
    connections.push(await adapter.connect());
    for (const key of schemas.keys()) await adapter.createSchema(connections[0], key.slice(key.indexOf('.') + 1), schemas.get(key));
    while (connections.length < threads) connections.push(await adapter.connect());
    // SIGINT/SIGTERM: cancel what the engine is running for us (best effort; each query then fails).
    ctx.signal?.addEventListener('abort', () => {
      for (const c of connections) void c.cancel().catch(() => undefined);
    }, { once: true });
    const relations = await RelationCache.load(adapter, [...new Set([...schemas.keys()].filter((k) => !schemas.get(k)).map((k) => k.slice(k.indexOf('.') + 1)))]);

    const emitFinish = (node: GraphNode, entry: RunResultEntry, idx: number) => {
      results.push(entry);
      reporter.emit({
        code: 'WEIR_NODE_FINISH', ts: now(),
        // A node that skipped itself (it has timings) is a warning; one skipped for its upstream is info.
        level: entry.status === 'error' || entry.status === 'fail' ? 'error' : entry.status === 'warn' || (entry.status === 'skipped' && entry.timing.length > 0) ? 'warn' : 'info',
        node_id: node.unique_id, resource_type: node.resource_type, materialized: node.config.materialized, index: idx, total, status: entry.status,
        relation: entry.relation_name, rows_affected: entry.rows_affected, failures: entry.failures, execution_time: entry.execution_time,
        started_at: entry.timing[0]?.started_at, completed_at: entry.timing[entry.timing.length - 1]?.completed_at,
        message: entry.message,
      });
    };

    const sqlAhead = new SqlAhead(manifest, ctx.targetDir, ctx.redact, tokenizeOptionsFor(adapter.dialect));
    const ahead = renderAhead(renderer, plan.order, (uid, sql) => sqlAhead.prepare(manifest.nodes.get(uid)!, sql));
    await schedule(plan, connections, {
      run: async (uid, conn) => {
        const node = manifest.nodes.get(uid)!;
        const idx = ++index;
        reporter.emit({ code: 'WEIR_NODE_START', ts: now(), level: 'info', node_id: uid, resource_type: node.resource_type, index: idx, total });
        ahead();
        const entry = await runNode(ctx, node, conn, batch, relations, audits, reuse, sqlAhead);
        statuses.set(uid, entry.status);
        emitFinish(node, entry, idx);
        // A node that skipped itself (unavailable UDF) built nothing: what depends on it can't run either.
        if (entry.status === 'error' && node.resource_type === 'model' && node.config.on_error === 'continue') return 'failed-continue';
        return entry.status === 'error' || entry.status === 'fail' || entry.status === 'skipped' ? 'failed' : 'ok';
      },
      skip: (uid, cause) => {
        const node = manifest.nodes.get(uid)!;
        // After SIGINT/SIGTERM every node that did not finish is cancelled, also those whose upstream was.
        if (ctx.signal?.aborted) {
          emitFinish(node, cancelledEntry(uid, ctx.signal, false, renderer.relationName(node)), ++index);
          return;
        }
        const causeNode = cause ? manifest.nodes.get(cause) : undefined;
        const audited = audits.outcomes.get(uid);
        if (audited && node.resource_type === 'test') {
          // The test ran on the staged relation of the model it guards: its verdict is its result.
          statuses.set(uid, audited.status);
          const idx = ++index;
          reporter.emit({ code: 'WEIR_NODE_START', ts: now(), level: 'info', node_id: uid, resource_type: node.resource_type, index: idx, total });
          emitFinish(node, auditedEntry(node, audited), idx);
          return;
        }
        const t = now();
        emitFinish(node, {
          unique_id: uid, status: 'skipped', timing: [], execution_time: 0,
          message: causeNode
            ? `skipped because upstream ${causeNode.resource_type} '${causeNode.name}' ${statuses.get(causeNode.unique_id) === 'skipped' ? 'was skipped' : 'failed'}`
            : 'skipped: the run stopped early (--fail-fast)',
          relation_name: renderer.relationName(node), compiled_path: undefined,
        }, ++index);
        void t;
      },
    }, ctx.failFast, ctx.signal);
  } finally {
    reuse?.save();
    for (const c of connections) await c.close().catch(() => undefined);
  }
  return results;
}

/** Nodes rendered ahead per idle moment (a trivial model renders in ~0.1 ms; a statement takes longer). */
const RENDER_AHEAD = 2;

/**
 * Renders the plan's nodes ahead of their turn while the engine runs a statement: the returned function,
 * called as each node starts, queues (`setImmediate`, which runs once this thread has nothing left to do but
 * wait for the engine) the rendering of the next {@link RENDER_AHEAD} nodes in plan order. Rendering is
 * synchronous, needs no database and is cached by the renderer — failures included, which the node then
 * reports as before when it runs — so each node is still rendered once, and `runNode` finds its SQL ready
 * instead of rendering it between two statements. Every selected node is rendered for manifest.json at the
 * end of the run anyway, so nothing is rendered that would not have been. `prepare` gets each node rendered
 * here that has SQL (execution/nodes/sql-ahead.ts: its compiled file's bytes and its statements).
 */
function renderAhead(renderer: Renderer, order: readonly string[], prepare: (uid: string, sql: string) => void): () => void {
  let next = 0;
  let queued = false;
  const step = () => {
    queued = false;
    for (const end = Math.min(order.length, next + RENDER_AHEAD); next < end; next++) {
      try {
        const sql = renderer.render(order[next]).compiled_code;
        if (sql !== undefined) prepare(order[next], sql);
      } catch {
        /* kept by the renderer: the node reports it when it runs */
      }
    }
  };
  return () => {
    if (queued || next >= order.length) return;
    queued = true;
    setImmediate(step);
  };
}
