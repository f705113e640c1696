/**
 * Batch UDFs: asynchronous functions (e.g. ONNX inference) that engines can't call inside a query.
 * Each gets a runtime holding the results known so far. The engine-side function is a synchronous
 * lookup: a known argument tuple returns its result; an unknown one is recorded as pending and returns
 * NULL. Before a model runs, Weir probes its query to collect pending tuples, fills them from the
 * persistent cache table or by calling the UDF in batches (storing new results), and repeats until
 * nothing is pending; then the model runs for real and every lookup hits.
 */
import { createHash } from 'node:crypto';
import { resolveUdfVersion, type BatchContext, type BatchUdf, type UdfContext } from './define.js';
import type { LoadedUdf } from './registry.js';

/** JSON with bigint support (bigints as decimal strings). */
export const stableJson = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x instanceof Date ? x.toISOString() : x));

/** In-memory state of one batch UDF during a run. */
export class BatchUdfRuntime {
  private readonly results = new Map<string, unknown>();
  private readonly pending = new Map<string, readonly unknown[]>();
  readonly definition: BatchUdf;
  /** The UDF's version for this run (part of every cache key). */
  readonly version: string;

  constructor(readonly udf: LoadedUdf, context?: UdfContext) {
    this.definition = udf.definition as BatchUdf;
    this.version = resolveUdfVersion(this.definition, context);
  }

  /** In-memory key of an argument tuple. */
  static memoryKey(args: readonly unknown[]): string {
    return stableJson(args);
  }

  /**
   * Persistent cache key: SHA-256 of name, version and arguments, so a new version recomputes.
   * @returns 64 hex characters
   */
  cacheKey(args: readonly unknown[]): string {
    return createHash('sha256').update(`${this.definition.name}\u0000${this.version}\u0000${stableJson(args)}`).digest('hex');
  }

  /** The engine-side lookup: the known result, or NULL (recording the tuple as pending). */
  lookup(args: readonly unknown[]): unknown {
    const k = BatchUdfRuntime.memoryKey(args);
    if (this.results.has(k)) return this.results.get(k);
    if (!this.pending.has(k)) this.pending.set(k, [...args]);
    return null;
  }

  /** Takes and clears the pending tuples. */
  takePending(): (readonly unknown[])[] {
    const out = [...this.pending.values()];
    this.pending.clear();
    return out;
  }

  /** Whether a result for the tuple is known in memory. */
  has(args: readonly unknown[]): boolean {
    return this.results.has(BatchUdfRuntime.memoryKey(args));
  }

  /** The known result for a tuple (undefined when unknown; see {@link has}). */
  get(args: readonly unknown[]): unknown {
    return this.results.get(BatchUdfRuntime.memoryKey(args));
  }

  /** Records a result. */
  set(args: readonly unknown[], result: unknown): void {
    this.results.set(BatchUdfRuntime.memoryKey(args), result);
  }

  /** Results known in memory. */
  get size(): number {
    return this.results.size;
  }

  /**
   * Computes results for tuples by calling the UDF in batches.
   * @throws Error from the UDF, with the failing batch's first arguments named by the caller
   */
  async compute(tuples: readonly (readonly unknown[])[], context: BatchContext, onBatch?: (done: number) => void): Promise<unknown[]> {
    const size = Math.max(1, this.definition.batchSize ?? 32);
    const out: unknown[] = [];
    for (let i = 0; i < tuples.length; i += size) {
      const batch = tuples.slice(i, i + size);
      const res = await withTimeout(this.definition.run(batch, context), this.definition.udf_timeout_seconds, this.definition.name);
      if (!Array.isArray(res) || res.length !== batch.length) {
        throw new Error(`returned ${Array.isArray(res) ? res.length : typeof res} results for a batch of ${batch.length}`);
      }
      out.push(...res);
      onBatch?.(out.length);
    }
    return out;
  }
}

/** Whether compiled SQL calls a function (by name, followed by `(`). */
export function callsFunction(sql: string, name: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9_."])${name}\\s*\\(`, 'i').test(sql);
}

/**
 * Settles like `p`, or rejects when `seconds` pass first (the UDF's `udf_timeout_seconds`).
 * @throws Error `did not return within N s (udf_timeout_seconds)`
 */
export async function withTimeout<T>(p: Promise<T>, seconds: number | undefined, name: string): Promise<T> {
  if (!seconds || !(seconds > 0)) return p;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_r, reject) => {
      timer = setTimeout(() => reject(new Error(`UDF ${name} did not return within ${seconds} s (udf_timeout_seconds)`)), seconds * 1000);
    })]);
  } finally {
    clearTimeout(timer);
  }
}
