/**
 * The in-engine batch-UDF path, for engines that host every UDF (`capabilities.udfHosting: 'all'`,
 * DuckDB), where a batch UDF is registered as a synchronous lookup. Prepares batch UDF results for a model
 * before it runs: probe the query to learn which argument tuples
 * it needs, fill them from the persistent cache table, compute the rest in batches and store them, and
 * repeat until nothing is pending (nested calls may need more than one round).
 */
import type { Adapter, Connection } from '../../adapters/adapter.js';
import { WeirError } from '../../errors/weir-error.js';
import type { GraphNode, RelationName } from '../../manifest/types.js';
import type { BatchContext } from '../../udfs/define.js';
import { BatchUdfRuntime, callsFunction, stableJson } from '../../udfs/batch.js';
import { preview } from '../../udfs/registry.js';
import { assertUdfAvailable, UdfUnavailableSkip } from './availability.js';
import type { ClientUdfs } from './client-udfs.js';

/** Name of the cache table (in the target's default schema). */
export const UDF_CACHE_TABLE = 'weir_udf_cache';
const MAX_ROUNDS = 5;
const CHUNK = 200;

/** Batch-UDF state shared by a run. */
export interface BatchUdfState {
  readonly runtimes: ReadonlyMap<string, BatchUdfRuntime>;
  readonly context: Omit<BatchContext, 'nodeId'>;
  /** Whether the cache table is known to exist. */
  cacheReady: boolean;
  /** The UDFs the engine doesn't host, evaluated client-side (undefined when there are none). */
  readonly client?: ClientUdfs;
}

/** Runtimes whose UDF the SQL calls. */
export function batchUdfsCalledBy(sql: string, state: BatchUdfState | undefined): BatchUdfRuntime[] {
  if (!state || state.runtimes.size === 0) return [];
  return [...state.runtimes.values()].filter((r) => callsFunction(sql, r.definition.name));
}

export { UdfUnavailableSkip };

/**
 * Makes every batch-UDF result the query needs available in memory.
 * @throws WeirError `WEIR_UDF_UNAVAILABLE` (UDF can't run here), `WEIR_UDF_FAILED` (the UDF threw);
 *   UdfUnavailableSkip when unavailable and the model has `on_udf_unavailable: skip`
 */
export async function prepareBatchUdfs(adapter: Adapter, conn: Connection, node: GraphNode, sql: string, runtimes: readonly BatchUdfRuntime[], state: BatchUdfState): Promise<void> {
  for (const rt of runtimes) assertUdfAvailable(rt.udf, node, state.context);
  const d = adapter.dialect;
  const cache: RelationName = { schema: adapter.defaultSchema, identifier: UDF_CACHE_TABLE };
  const cacheSql = d.relation(cache);
  if (!state.cacheReady) {
    await adapter.createSchema(conn, adapter.defaultSchema);
    await conn.execute(`create table if not exists ${cacheSql} (key varchar primary key, udf varchar, version varchar, args varchar, result varchar, created_at timestamp default current_timestamp)`);
    state.cacheReady = true;
  }
  const probe = d.quoteIdentifier(`__weir_udf_probe_${process.pid}`);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    await conn.execute(`create or replace temp table ${probe} as ${sql}`);
    await conn.execute(`drop table if exists ${probe}`);
    let pendingTotal = 0;
    for (const rt of runtimes) {
      const pending = rt.takePending();
      if (pending.length === 0) continue;
      pendingTotal += pending.length;
      // 1. from the persistent cache
      const keys = pending.map((args) => rt.cacheKey(args));
      const found = new Map<string, unknown>();
      for (let i = 0; i < keys.length; i += CHUNK) {
        const part = keys.slice(i, i + CHUNK);
        const r = await conn.execute(`select key, result from ${cacheSql} where key in (${part.map(() => '?').join(', ')})`, part);
        for (const [k, v] of r.rows) found.set(String(k), v === null ? null : JSON.parse(String(v)));
      }
      const missing: (readonly unknown[])[] = [];
      pending.forEach((args, i) => {
        if (found.has(keys[i])) rt.set(args, found.get(keys[i]));
        else missing.push(args);
      });
      if (missing.length === 0) continue;
      // 2. compute the rest, in batches, storing each batch as it completes
      let results: unknown[];
      try {
        results = await rt.compute(missing, { ...state.context, nodeId: node.unique_id });
      } catch (e) {
        if (e instanceof WeirError) throw e;
        throw new WeirError('WEIR_UDF_FAILED', `UDF ${rt.definition.name} (${rt.udf.module}) failed while preparing ${node.resource_type} '${node.name}' on (${missing[0].map(preview).join(', ')})${missing.length > 1 ? ` and ${missing.length - 1} more input(s)` : ''}: ${(e as Error).message}`, {
          location: { file: node.path, nodeId: node.unique_id }, cause: e,
        });
      }
      for (let i = 0; i < missing.length; i += CHUNK) {
        const rows = missing.slice(i, i + CHUNK);
        const binds: unknown[] = [];
        rows.forEach((args, j) => binds.push(rt.cacheKey(args), rt.definition.name, rt.version, stableJson(args), stableJson(results[i + j] ?? null)));
        await conn.execute(`insert or ignore into ${cacheSql} (key, udf, version, args, result) values ${rows.map(() => '(?, ?, ?, ?, ?)').join(', ')}`, binds);
      }
      missing.forEach((args, i) => rt.set(args, results[i] ?? null));
    }
    if (pendingTotal === 0) return;
  }
}
