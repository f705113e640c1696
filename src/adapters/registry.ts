/**
 * The only file that knows which engines exist. Everything else holds the {@link Adapter} interface.
 * Each engine registers its target schema and a factory; engine modules are imported lazily so that
 * a DuckDB-only run never loads the Snowflake or Trino clients.
 */
import type { z } from 'zod';
import { WeirError, WeirErrors } from '../errors/weir-error.js';
import type { Adapter, Dialect } from './adapter.js';

/** How to build one engine's adapter. */
interface EngineEntry {
  /** Loads the engine module and returns its target schema, dialect and constructor. */
  load(): Promise<{
    schema: z.ZodType;
    dialect: Dialect;
    create(target: unknown, targetName: string, projectRoot: string): Adapter;
  }>;
}

const ENGINES: Readonly<Record<string, EngineEntry>> = {
  duckdb: {
    async load() {
      const m = await import('./duckdb/duckdb-adapter.js');
      return {
        schema: m.duckdbTargetSchema,
        dialect: (await import('./duckdb/duckdb-dialect.js')).duckdbDialect,
        create: (t, name, root) => new m.DuckDBAdapter(t as import('./duckdb/duckdb-adapter.js').DuckDBTarget, name, root),
      };
    },
  },
  snowflake: {
    async load() {
      const m = await import('./snowflake/snowflake-adapter.js');
      return {
        schema: m.snowflakeTargetSchema,
        dialect: (await import('./snowflake/snowflake-dialect.js')).snowflakeDialect,
        create: (t, name, root) => new m.SnowflakeAdapter(t as import('./snowflake/snowflake-adapter.js').SnowflakeTarget, name, root),
      };
    },
  },
  trino: {
    async load() {
      const m = await import('./trino/trino-adapter.js');
      return {
        schema: m.trinoTargetSchema,
        dialect: (await import('./trino/trino-dialect.js')).trinoDialect,
        create: (t, name, root) => new m.TrinoAdapter(t as import('./trino/trino-adapter.js').TrinoTarget, name, root),
      };
    },
  },
};

/** Engine type names Weir supports, e.g. `['duckdb']`. */
export const ADAPTER_TYPES: readonly string[] = Object.keys(ENGINES);

/** Where a target is defined, for error messages. */
export interface TargetSource {
  readonly file: string;
  readonly targetName: string;
  /** Locates a key path in the project file (1-based line/column). */
  readonly locate?: (path: (string | number)[]) => { line?: number; column?: number };
}

async function entryFor(type: string, src: TargetSource) {
  const entry = ENGINES[type];
  if (!entry) {
    throw new WeirError('WEIR_ADAPTER_UNKNOWN', `target '${src.targetName}' has unknown type '${type}'`, {
      location: { file: src.file, keyPath: `targets.${src.targetName}.type`, ...src.locate?.(['targets', src.targetName, 'type']) },
      hint: `Supported types: ${ADAPTER_TYPES.join(', ')}.`,
    });
  }
  return entry.load();
}

/**
 * Validates a target's engine-specific configuration and creates its adapter (not yet opened).
 * @throws WeirError `WEIR_ADAPTER_UNKNOWN` for an unknown type; WeirErrors `WEIR_TARGET_INVALID` listing
 *   every invalid key with its path under `targets.<name>`
 */
export async function createAdapter(target: { type: string } & Record<string, unknown>, src: TargetSource, projectRoot: string): Promise<Adapter> {
  const engine = await entryFor(target.type, src);
  const parsed = engine.schema.safeParse(target);
  if (!parsed.success) {
    throw new WeirErrors(parsed.error.issues.map((issue) => {
      const p = ['targets', src.targetName, ...issue.path.map((x) => (typeof x === 'symbol' ? String(x) : x))] as (string | number)[];
      const keyPath = p.join('.');
      const message = issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.join(', ')} for a ${target.type} target` : issue.message;
      return new WeirError('WEIR_TARGET_INVALID', `${keyPath}: ${message}`, {
        location: { file: src.file, keyPath, ...src.locate?.(p) },
        hint: `See the README's ${target.type} target reference.`,
      });
    }));
  }
  return engine.create(parsed.data, src.targetName, projectRoot);
}

/** The dialect of an engine type (for compiling without connecting). */
export async function dialectFor(type: string, src: TargetSource): Promise<Dialect> {
  return (await entryFor(type, src)).dialect;
}
