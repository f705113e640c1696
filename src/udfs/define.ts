/**
 * The UDF contract: a TypeScript module in a project's `udfs/` folder exports one or more definitions
 * made with {@link defineScalarUdf} or {@link defineBatchUdf}. Weir discovers them, checks their
 * signatures, and makes them callable from SQL on every engine:
 * - **scalar** UDFs are synchronous, pure functions of their arguments. On DuckDB they are registered on
 *   the embedded instance and called once per data chunk; when `portable`, they can be bundled into a
 *   Snowflake JavaScript UDF.
 * - **batch** UDFs are asynchronous (e.g. ONNX inference). They never run inside the engine: before a
 *   model that calls them runs, Weir collects the distinct argument tuples, calls `run` in batches, and
 *   stores results in a cache table keyed by a hash of the UDF's name, version and arguments; the model
 *   then reads the cache. Re-running computes nothing twice.
 *
 * @example
 * export const jaro_winkler = defineScalarUdf({
 *   name: 'jaro_winkler', args: [{ name: 'a', type: 'VARCHAR' }, { name: 'b', type: 'VARCHAR' }],
 *   returns: 'DOUBLE', deterministic: true, description: 'Jaro-Winkler similarity in [0, 1].',
 *   fn: (a, b) => jaroWinkler(a, b),
 * });
 */

/** SQL types a UDF may take or return (mapped per engine). */
export type UdfSqlType = 'VARCHAR' | 'DOUBLE' | 'BIGINT' | 'INTEGER' | 'BOOLEAN' | 'DATE' | 'TIMESTAMP' | 'JSON';

/** The JS type of a value of an SQL type, as UDF code sees it. */
export type JsTypeOf<T extends UdfSqlType> =
  T extends 'VARCHAR' | 'JSON' ? string
    : T extends 'DOUBLE' | 'INTEGER' ? number
      : T extends 'BIGINT' ? bigint | number
        : T extends 'BOOLEAN' ? boolean
          : T extends 'DATE' | 'TIMESTAMP' ? Date
            : never;

/** One UDF argument. Optional arguments must come last; each arity becomes its own SQL overload. */
export interface UdfArg {
  readonly name: string;
  readonly type: UdfSqlType;
  readonly optional?: boolean;
  readonly description?: string;
}

/** Fields common to scalar and batch UDFs. */
interface UdfBase {
  /** SQL name: lower-case letters, digits and underscores. */
  readonly name: string;
  readonly args: readonly UdfArg[];
  readonly returns: UdfSqlType;
  /** Same arguments always give the same result (allows caching and engine optimizations). */
  readonly deterministic: boolean;
  /** What it computes, units, and the source of the algorithm. */
  readonly description: string;
  /**
   * Bump when results change: batch caches are keyed by it. Default `'1'`. A function computes it per run
   * from the project context (e.g. to include a fingerprint of the model files a batch UDF loads).
   */
  readonly version?: string | ((context: UdfContext) => string);
  /**
   * How NULL arguments are handled: `'propagate'` (default) returns NULL without calling the function
   * when any argument is NULL; `'pass'` calls it with `null`.
   */
  readonly nulls?: 'propagate' | 'pass';
  /**
   * Called once per run before the UDF is registered, with the project's context (e.g. to read a key
   * from the environment or a file under the target directory). May throw an Error whose message says
   * what is missing; the run then fails before any node runs, naming the UDF.
   */
  readonly setup?: (context: UdfContext) => void;
}

/** What a UDF's `setup` (and a batch UDF's `run`) gets about the project. */
export interface UdfContext {
  /** Project root directory. */
  readonly projectDir: string;
  /** Absolute target directory (artifacts, local state). */
  readonly targetDir: string;
  /** Project vars (with --vars applied). */
  readonly vars: Readonly<Record<string, unknown>>;
  /** Environment variables. */
  readonly env: NodeJS.ProcessEnv;
}

/** A synchronous UDF evaluated row by row (in chunks) inside the engine. */
export interface ScalarUdf extends UdfBase {
  readonly kind: 'scalar';
  /** The implementation. Receives JS values, returns a JS value (or null). Must not be async. */
  readonly fn: (...args: never[]) => unknown;
  /**
   * `fn` is self-contained (no Node APIs, no native modules), so the UDF can be bundled as a Snowflake
   * JavaScript UDF. Only `fn` runs there; `setup` keeps running in Weir's process and may use Node.
   */
  readonly portable?: boolean;
  /**
   * Portable UDFs only: values `fn` needs from Weir's process when it runs inside the warehouse (e.g. a
   * key that `setup` resolved). Called after `setup` when the UDF is deployed; the deployed function sets
   * them before calling `fn`, which reads them with {@link deployedValue}. They are written into the
   * function's definition (Weir creates it SECURE, so only its owner role can read the body, but the
   * CREATE statement is in the warehouse's query history): return only what the warehouse may hold.
   */
  readonly deployValues?: () => Readonly<Record<string, string>>;
}

/**
 * Inside a deployed portable UDF (a Snowflake JavaScript UDF): the value `name` from the UDF's
 * {@link ScalarUdf.deployValues}; undefined in Weir's own process.
 */
export function deployedValue(name: string): string | undefined {
  const values = (globalThis as { __weir_deployed_values?: Readonly<Record<string, string>> }).__weir_deployed_values;
  return values?.[name];
}

/** An asynchronous UDF evaluated client-side in batches, results cached in a table. */
export interface BatchUdf extends UdfBase {
  readonly kind: 'batch';
  /**
   * Computes results for a batch of distinct argument tuples, in order.
   * @returns one result per input tuple (null allowed)
   */
  readonly run: (rows: readonly (readonly unknown[])[], context: BatchContext) => Promise<readonly unknown[]>;
  /** Tuples per call (default 32). */
  readonly batchSize?: number;
  /**
   * Seconds one call of `run` may take before it is abandoned and the node calling the UDF fails
   * (`udf_timeout_seconds`; default: no limit). A `run` that never settles (a hung network call) then
   * cannot hang the whole run. Synchronous code that never returns blocks Node's thread and cannot be
   * stopped this way.
   */
  readonly udf_timeout_seconds?: number;
  /**
   * Says why the UDF can't run here (e.g. no model directory configured), or undefined when it can.
   * A model calling an unavailable UDF errors with that reason — or is skipped with a warning when the
   * model sets `on_udf_unavailable: skip`.
   */
  readonly unavailable?: (context: Omit<BatchContext, 'nodeId'>) => string | undefined;
}

/** What a batch UDF gets besides its inputs. */
export interface BatchContext extends UdfContext {
  /** unique_id of the model being prepared. */
  readonly nodeId: string;
}

/** Any UDF definition. */
export type UdfDefinition = ScalarUdf | BatchUdf;

/** Brand that marks module exports as UDF definitions (a global symbol, so copies of Weir agree). */
export const UDF_BRAND: unique symbol = Symbol.for('weir.udf') as never;

/** Whether a value is a UDF definition made by defineScalarUdf/defineBatchUdf. */
export function isUdfDefinition(v: unknown): v is UdfDefinition {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[UDF_BRAND] === true;
}

/** Declares a scalar UDF (identity function that brands and freezes the definition). */
export function defineScalarUdf(def: Omit<ScalarUdf, 'kind'>): ScalarUdf {
  return Object.freeze({ ...def, kind: 'scalar' as const, [UDF_BRAND]: true });
}

/** Declares a batch UDF (identity function that brands and freezes the definition). */
export function defineBatchUdf(def: Omit<BatchUdf, 'kind'>): BatchUdf {
  return Object.freeze({ ...def, kind: 'batch' as const, [UDF_BRAND]: true });
}

/** The version string of a UDF for a run (see {@link UdfBase.version}). */
export function resolveUdfVersion(def: UdfDefinition, context?: UdfContext): string {
  const v = def.version;
  if (typeof v === 'function') return context ? v(context) : 'dynamic';
  return v ?? '1';
}

/**
 * Wraps a scalar UDF implementation as the per-row call the engines' registration code makes with an
 * argument array: fixed-arity calls for 1–3 arguments (no spread per row; the hot path of a UDF called
 * millions of times), a spread call otherwise.
 */
export function scalarCaller(fn: (...a: unknown[]) => unknown): (args: unknown[]) => unknown {
  return (args) => (args.length === 2 ? fn(args[0], args[1]) : args.length === 1 ? fn(args[0]) : args.length === 3 ? fn(args[0], args[1], args[2]) : fn(...args));
}
