/**
 * Executes a selection: creates schemas, schedules the plan over N connections, runs each node with one
 * catch (its failure becomes a result, never a crash), writes compiled SQL, and returns run results.
 */
import { writeFileIfChanged } from '../utils/write-file.js';
import path from 'node:path';
import { AdapterError, hostsUdf, type Adapter, type Connection } from '../adapters/adapter.js';
import type { Renderer } from '../compiler/render.js';
import { WeirError } from '../errors/weir-error.js';
import { now, type NodeStatus, type Reporter } from '../events/events.js';
import type { Dag } from '../graph/dag.js';
import type { Manifest } from '../manifest/manifest.js';
import type { GraphNode, RelationName } from '../manifest/types.js';
import type { RunResultEntry } from '../artifacts/artifacts.js';
import type { Redactor } from '../utils/redact.js';
import { buildPlan } from './plan.js';
import { schedule } from './scheduler.js';
import { materializeTable, materializeView } from './materializations.js';
import { setTableOptions, tableOptionsOf } from '../adapters/table-options.js';
import { failuresRelation, runDataTest, testedRelationSql, testMessage } from './data-test-runner.js';
import { storeFailuresAs } from '../compiler/test-config.js';
import { loadSeedFile } from './seed-files.js';
import { materializeExternal } from './external.js';
import { contractEnforced, enforceContract } from './contracts.js';
import { materializeIncremental } from './incremental.js';
import { runSnapshotNode } from './snapshot.js';
import { RelationCache } from './relation-cache.js';
import { runUnitTest } from './unit-test-runner.js';
import { batchUdfsCalledBy, prepareBatchUdfs, UdfUnavailableSkip, type BatchUdfState } from './batch-udfs.js';
import type { LoadedUdf } from '../udfs/registry.js';
import { BatchUdfRuntime } from '../udfs/batch.js';
import { scalarCaller } from '../udfs/define.js';
import type { BatchContext, ScalarUdf } from '../udfs/define.js';
import { applyGrants, buildsRelation, runNodeHooks } from './hooks.js';
import { ClientUdfs, type PreparedSql } from './client-udfs.js';
import { auditPlan, auditStaged, type AuditOutcome } from './audit.js';
import { checkSingleStatement, singleStatementSync } from './statements.js';
import { reusable, ReuseState } from './reuse.js';

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
   * only after their error-severity data tests pass on the staged relation (execution/audit.ts).
   */
  readonly audit?: boolean;
  /**
   * `--empty`: the renderer reads refs and sources as empty relations; here seeds are emptied after
   * loading (their column types still come from the file) and existing snapshots are kept as they are.
   */
  readonly empty?: boolean;
  /**
   * `--reuse`: seeds and table/incremental/view models whose SQL, config and input data are unchanged
   * since their last successful build on this target are not rebuilt (status `reused`, execution/reuse.ts).
   */
  readonly reuse?: boolean;
  /**
   * Aborted on SIGINT/SIGTERM (its `reason` is the signal name): running queries are cancelled through
   * each connection's `cancel()` (DuckDB interrupt, Snowflake cancel, Trino DELETE of the query), no node
   * starts, and every node that did not finish is reported with status `error`, code `WEIR_CANCELLED`.
   */
  readonly signal?: AbortSignal;
}

/** The result of a node stopped (or never started) because the run was cancelled. */
function cancelledEntry(uid: string, signal: AbortSignal, started: boolean, relationName?: string, t0?: number, startedAt?: string): RunResultEntry {
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
interface AuditState {
  readonly plan: ReadonlyMap<string, readonly string[]>;
  readonly outcomes: Map<string, AuditOutcome>;
}

/**
 * Registers the project's UDFs: those the engine hosts (`hostsUdf`) on the adapter — scalar UDFs call
 * their implementation, batch UDFs a lookup into a fresh runtime — and the others for the client-side
 * path (execution/client-udfs.ts).
 * @returns the UDF state for the run (undefined when there are no UDFs)
 */
export async function registerUdfs(adapter: Adapter, udfs: readonly LoadedUdf[], context: Omit<BatchContext, 'nodeId'>): Promise<BatchUdfState | undefined> {
  if (udfs.length === 0) return undefined;
  for (const udf of udfs) {
    try {
      udf.definition.setup?.(context);
    } catch (e) {
      throw new WeirError('WEIR_UDF_UNAVAILABLE', `UDF ${udf.definition.name} (${udf.module}) can't start: ${(e as Error).message}`, {
        location: { file: udf.module }, cause: e,
      });
    }
  }
  const runtimes = new Map<string, BatchUdfRuntime>();
  const hosted = adapter.registerUdfs ? udfs.filter((u) => hostsUdf(adapter.capabilities, u.definition)) : [];
  const clientSide = udfs.filter((u) => !hosted.includes(u));
  if (hosted.length) await adapter.registerUdfs!(hosted.map((udf) => {
    if (udf.definition.kind === 'scalar') {
      const fn = (udf.definition as ScalarUdf).fn as (...a: unknown[]) => unknown;
      return { udf, impl: scalarCaller(fn) };
    }
    const rt = new BatchUdfRuntime(udf, context);
    runtimes.set(udf.definition.name, rt);
    return { udf, impl: (args: unknown[]) => rt.lookup(args) };
  }));
  return { runtimes, context, cacheReady: false, client: clientSide.length ? new ClientUdfs(clientSide, context) : undefined };
}

import { compiledPathOf } from '../manifest/manifest.js';

export { compiledPathOf };

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

    await schedule(plan, connections, {
      run: async (uid, conn) => {
        const node = manifest.nodes.get(uid)!;
        const idx = ++index;
        reporter.emit({ code: 'WEIR_NODE_START', ts: now(), level: 'info', node_id: uid, resource_type: node.resource_type, index: idx, total });
        const entry = await runNode(ctx, node, conn, batch, relations, audits, reuse);
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

/** Message of a snapshot that `--empty` left as it was. */
const EMPTY_SNAPSHOT_KEPT = '--empty: the existing snapshot table was kept (an empty input would close its current rows)';

/** The result of a test node whose verdict came from auditing its model's staged relation. */
function auditedEntry(node: GraphNode, a: AuditOutcome): RunResultEntry {
  const t = now();
  return {
    unique_id: node.unique_id, status: a.status, timing: [{ name: 'execute', started_at: t, completed_at: t }], execution_time: 0,
    failures: a.failures, message: a.message, compiled_path: a.compiledPath, relation_name: undefined,
  };
}

async function runNode(
  ctx: RunContext, node: GraphNode, conn: Connection, batch: BatchUdfState | undefined, relations: RelationCache, audits: AuditState, reuse: ReuseState | undefined,
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
    if (compiled.compiled_code !== undefined) {
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
      const checked = await checkSingleStatement(adapter, conn, node, sql, compiledPath);
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
    let status: NodeStatus = 'success';
    let rows: number | undefined;
    let failures: number | undefined;
    let message: string | undefined;
    await runNodeHooks(ctx, node, conn, 'pre_hook');
    switch (node.resource_type) {
      case 'seed': {
        const relation = compiled.relation!;
        relationName = adapter.dialect.relation(relation);
        rows = await loadSeedFile(adapter, conn, node, relation, ctx.targetDir);
        message = `INSERT ${rows}`;
        if (ctx.empty) {
          await conn.execute(`delete from ${relationName}`);
          message = `INSERT 0 (--empty: ${rows} rows loaded for their types, then deleted)`;
          rows = 0;
        }
        break;
      }
      case 'model': {
        const relation = compiled.relation!;
        // An enforced contract is checked before the relation is touched: a violation keeps the old one.
        if (contractEnforced(node)) await enforceContract(conn, adapter.dialect, node, query!);
        // Write-audit-publish: the model's error-severity tests check the staged relation before the swap.
        const auditTests = audits.plan.get(node.unique_id);
        let auditedCount = 0;
        const audit = auditTests?.length
          ? async (staged: RelationName) => {
            auditedCount = await auditStaged({ manifest, renderer, adapter, targetDir: ctx.targetDir, redact, compiledPath: (t) => compiledPathOf(manifest, t) }, conn, node, auditTests, staged, audits.outcomes, batch, relations);
          }
          : undefined;
        if (node.config.materialized === 'incremental' || node.config.materialized === 'table') {
          // Native table options another engine's dialect applies are reported, never silently dropped.
          const applied = adapter.dialect.ddl.tableOptionKeys ?? [];
          const unapplied = setTableOptions(tableOptionsOf(node.config)).filter((k) => !applied.includes(k));
          if (unapplied.length) ctx.reporter.emit({ code: 'WEIR_WARNING', ts: now(), level: 'warn', node_id: node.unique_id, message: `${unapplied.join(', ')}: not a table option of ${adapter.dialect.name} targets (only ${applied.length ? applied.join(', ') : 'none'}); not applied on target '${manifest.targetName}'` });
        }
        if (node.config.materialized === 'incremental') {
          const r = await materializeIncremental({
            adapter, conn, node, relation, relations, fullRefresh: ctx.fullRefresh, eventTimeStart: ctx.eventTimeStart, eventTimeEnd: ctx.eventTimeEnd, audit,
            render: (o) => {
              const sql = renderer.renderWith(node.unique_id, o).compiled_code!;
              if (compiledPath) writeFileIfChanged(path.join(ctx.targetDir, compiledPath), `${redact(sql)}\n`);
              return singleStatementSync(adapter, node, sql, compiledPath);
            },
          });
          rows = r.rowsAffected;
          message = r.message;
          if (r.warning) ctx.reporter.emit({ code: 'WEIR_WARNING', ts: now(), level: 'warn', node_id: node.unique_id, message: r.warning });
        } else if (node.config.materialized === 'external') {
          const r = await materializeExternal(adapter, conn, node, relation, sql!, { projectDir: manifest.root, targetDir: ctx.targetDir }, relations);
          rows = r.rowsAffected;
          message = `EXPORT ${rows} → ${path.relative(manifest.root, r.file) || r.file}`;
        } else if (node.config.materialized === 'snapshot') {
          if (ctx.empty && await relations.kindOf(adapter, conn, relation)) message = EMPTY_SNAPSHOT_KEPT;
          else ({ rowsAffected: rows, message } = await runSnapshotNode(adapter, conn, node, relation, query!, relations));
        } else if (node.config.materialized === 'table') {
          for (const b of before) await conn.execute(b);
          rows = (await materializeTable(adapter, conn, relation, sql!, relations, audit, tableOptionsOf(node.config))).rowsAffected;
          message = rows === undefined ? 'CREATE TABLE' : `SELECT ${rows}`;
        } else {
          for (const b of before) await conn.execute(b);
          await materializeView(adapter, conn, relation, sql!, relations);
          message = 'CREATE VIEW';
        }
        if (auditedCount) message = `${message}; audited by ${auditedCount} test${auditedCount === 1 ? '' : 's'} before the swap`;
        break;
      }
      case 'snapshot': {
        relationName = adapter.dialect.relation(compiled.relation!);
        // An empty input would close every current row of an existing history: --empty leaves it alone.
        if (ctx.empty && await relations.kindOf(adapter, conn, compiled.relation!)) message = EMPTY_SNAPSHOT_KEPT;
        else ({ rowsAffected: rows, message } = await runSnapshotNode(adapter, conn, node, compiled.relation!, query!, relations));
        break;
      }
      case 'test': {
        if (node.test_type === 'unit') {
          const u = await runUnitTest(adapter, conn, renderer, manifest, node);
          if (compiledPath) writeFileIfChanged(path.join(ctx.targetDir, compiledPath), `${redact(u.sql)}\n`);
          failures = u.failures;
          status = u.status === 'pass' ? 'pass' : node.config.severity === 'warn' ? 'warn' : 'fail';
          if (u.message) message = `unit test ${node.name} of model '${manifest.nodes.get(node.unit!.model)?.name}': ${u.message}`;
          break;
        }
        const tested = testedRelationSql(node, (uid) => { const n = manifest.nodes.get(uid); return n ? renderer.relationName(n) : undefined; });
        const t = await runDataTest(adapter, conn, node, sql!, renderer.target, relations, tested);
        failures = t.failures;
        status = t.status;
        if (failures !== 0 || t.stored || t.percent !== undefined) message = testMessage(node, t, compiledPath);
        break;
      }
      default:
        break;
    }
    // A versioned model's latest version is also readable under the model's own name (a view over it).
    if (node.resource_type === 'model' && node.versioned_name && node.version === node.latest_version && node.config.materialized !== 'ephemeral' && compiled.relation) {
      await materializeView(adapter, conn, { ...compiled.relation, identifier: node.versioned_name }, `select * from ${adapter.dialect.relation(compiled.relation)}`, relations);
    }
    if (buildsRelation(node)) {
      await runNodeHooks(ctx, node, conn, 'post_hook');
      await applyGrants(ctx, node, conn, node.config.materialized === 'view' || node.config.materialized === 'external' ? 'view' : 'table');
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
