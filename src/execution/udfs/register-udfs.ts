/**
 * Registering the project's UDFs for a run or an ad-hoc query: `setup` of each, the engine-hosted ones on
 * the adapter, the others for the client-side path (client-udfs.ts).
 */
import { hostsUdf, type Adapter } from '../../adapters/adapter.js';
import { WeirError } from '../../errors/weir-error.js';
import { BatchUdfRuntime } from '../../udfs/batch.js';
import { scalarCaller, type BatchContext, type ScalarUdf } from '../../udfs/define.js';
import type { LoadedUdf } from '../../udfs/registry.js';
import type { BatchUdfState } from './batch-udfs.js';
import { ClientUdfs } from './client-udfs.js';

/**
 * Registers the project's UDFs: those the engine hosts (`hostsUdf`) on the adapter — scalar UDFs call
 * their implementation, batch UDFs a lookup into a fresh runtime — and the others for the client-side
 * path (execution/udfs/client-udfs.ts).
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
