/**
 * The only file that knows which engines exist. Everything else holds the {@link Adapter} interface.
 * Each engine registers its target schema and a factory; engine modules are imported lazily so that
 * a DuckDB-only run never loads the Snowflake or Trino clients.
 */
import type { z } from 'zod';
import { WeirError, WeirErrors } from '../errors/weir-error.js';
import path from 'node:path';
import type { Dialect as KyselyDialect } from 'kysely';
import type { Adapter, Dialect } from './adapter.js';
import { importOptional, type OptionalPackage } from '../utils/optional-dependency.js';
import type { EngineMaterialization } from '../manifest/materialization.js';

/** How to build one engine's adapter. */
interface EngineEntry {
  /** The engine's client package when it is an optional peer dependency (not installed with weir-sql). */
  readonly client?: Omit<OptionalPackage, 'neededFor'>;
  /**
   * The engine-specific materializations it builds (its dialect has their DDL: `ddl.createDynamicTable`,
   * `ddl.createMaterializedView`); a model using another one is refused by the parse phase.
   */
  readonly materializations: readonly EngineMaterialization[];
  /** Loads the engine module and returns its target schema, dialect and constructor. */
  load(): Promise<{
    schema: z.ZodType;
    dialect: Dialect;
    create(target: unknown, targetName: string, projectRoot: string): Adapter;
  }>;
  /** Loads only the engine's SQL dialect (not its client library: compiling needs no connection). */
  dialect(): Promise<Dialect>;
  /**
   * Loads the engine's Kysely dialect (for `createClient`).
   * @param open creates and opens this target's Weir adapter
   */
  kysely(target: unknown, targetName: string, projectRoot: string, options: KyselyDialectOptions, open: () => Promise<Adapter>): Promise<KyselyDialect>;
}

/** Options of {@link createKyselyDialect}. */
export interface KyselyDialectOptions {
  /** DuckDB: read the published read copy (`auto`: when there is one), or the database file itself. */
  readonly source?: 'auto' | 'main' | 'read-copy';
}

const ENGINES: Readonly<Record<string, EngineEntry>> = {
  duckdb: {
    materializations: [],
    async load() {
      const m = await import('./duckdb/adapter.js');
      return {
        schema: (await import('./duckdb/target.js')).duckdbTargetSchema,
        dialect: (await import('./duckdb/dialect.js')).duckdbDialect,
        create: (t, name, root) => new m.DuckDBAdapter(t as import('./duckdb/target.js').DuckDBTarget, name, root),
      };
    },
    async dialect() {
      return (await import('./duckdb/dialect.js')).duckdbDialect;
    },
    async kysely(t, name, root, options) {
      const target = t as import('./duckdb/target.js').DuckDBTarget;
      const { DuckDBKyselyDialect } = await import('./duckdb/kysely-dialect.js');
      return new DuckDBKyselyDialect({
        path: target.path === ':memory:' ? ':memory:' : path.resolve(root, target.path), settings: target.settings, source: options.source, targetName: name,
      });
    },
  },
  snowflake: {
    client: { name: 'snowflake-sdk', range: '^3.3.0' },
    materializations: ['dynamic_table', 'materialized_view'],
    async load() {
      const m = await import('./snowflake/adapter.js');
      return {
        schema: (await import('./snowflake/target.js')).snowflakeTargetSchema,
        dialect: (await import('./snowflake/dialect.js')).snowflakeDialect,
        create: (t, name, root) => new m.SnowflakeAdapter(t as import('./snowflake/target.js').SnowflakeTarget, name, root),
      };
    },
    async dialect() {
      return (await import('./snowflake/dialect.js')).snowflakeDialect;
    },
    async kysely(_t, _name, _root, _options, open) {
      return new (await import('./snowflake/kysely-dialect.js')).SnowflakeKyselyDialect(open);
    },
  },
  trino: {
    client: { name: 'trino-client', range: '^0.2.9' },
    materializations: ['materialized_view'],
    async load() {
      const m = await import('./trino/adapter.js');
      return {
        schema: (await import('./trino/target.js')).trinoTargetSchema,
        dialect: (await import('./trino/dialect.js')).trinoDialect,
        create: (t, name, root) => new m.TrinoAdapter(t as import('./trino/target.js').TrinoTarget, name, root),
      };
    },
    async dialect() {
      return (await import('./trino/dialect.js')).trinoDialect;
    },
    async kysely(_t, _name, _root, _options, open) {
      return new (await import('./trino/kysely-dialect.js')).TrinoKyselyDialect(open);
    },
  },
};

/** Engine type names Weir supports, e.g. `['duckdb']`. */
export const ADAPTER_TYPES: readonly string[] = Object.keys(ENGINES);

/** Whether engine `type` builds the engine-specific materialization `kind` (false for an unknown type). */
export function engineBuilds(type: string, kind: EngineMaterialization): boolean {
  return ENGINES[type]?.materializations.includes(kind) ?? false;
}

/** The engine types that build the engine-specific materialization `kind`, e.g. `['snowflake']`. */
export function enginesBuilding(kind: EngineMaterialization): string[] {
  return ADAPTER_TYPES.filter((t) => ENGINES[t].materializations.includes(kind));
}

/** Where a target is defined, for error messages. */
export interface TargetSource {
  readonly file: string;
  readonly targetName: string;
  /** Locates a key path in the project file (1-based line/column). */
  readonly locate?: (path: (string | number)[]) => { line?: number; column?: number };
}

/** The registry entry of an engine type. @throws WeirError `WEIR_ADAPTER_UNKNOWN` */
function engineOf(type: string, src: TargetSource): EngineEntry {
  const entry = ENGINES[type];
  if (!entry) {
    throw new WeirError('WEIR_ADAPTER_UNKNOWN', `target '${src.targetName}' has unknown type '${type}'`, {
      location: { file: src.file, keyPath: `targets.${src.targetName}.type`, ...src.locate?.(['targets', src.targetName, 'type']) },
      hint: `Supported types: ${ADAPTER_TYPES.join(', ')}.`,
    });
  }
  return entry;
}

/**
 * Loads an engine (its client library included).
 * @throws WeirError `WEIR_DEPENDENCY_MISSING` when the engine's optional client package is not installed
 */
async function entryFor(type: string, src: TargetSource) {
  const engine = engineOf(type, src);
  if (!engine.client) return engine.load();
  const location = { file: src.file, keyPath: `targets.${src.targetName}.type`, ...src.locate?.(['targets', src.targetName, 'type']) };
  return importOptional({ ...engine.client, neededFor: `target '${src.targetName}' (type ${type})` }, () => engine.load(), location);
}

/**
 * Validates a target's engine-specific configuration and creates its adapter (not yet opened).
 * @throws WeirError `WEIR_ADAPTER_UNKNOWN` for an unknown type; WeirErrors `WEIR_TARGET_INVALID` listing
 *   every invalid key with its path under `targets.<name>`
 */
export async function createAdapter(target: { type: string } & Record<string, unknown>, src: TargetSource, projectRoot: string): Promise<Adapter> {
  const engine = await entryFor(target.type, src);
  return engine.create(validateTarget(engine.schema, target, src), src.targetName, projectRoot);
}

/**
 * A Kysely dialect for a target (what `createClient` builds its Kysely instance on): DuckDB's over
 * @duckdb/node-api with one connection per Kysely instance; Snowflake's and Trino's over their Weir adapters.
 * @throws WeirError `WEIR_ADAPTER_UNKNOWN`; WeirErrors `WEIR_TARGET_INVALID` as {@link createAdapter}
 */
export async function createKyselyDialect(target: { type: string } & Record<string, unknown>, src: TargetSource, projectRoot: string, options: KyselyDialectOptions = {}): Promise<KyselyDialect> {
  const engine = await entryFor(target.type, src);
  const validated = validateTarget(engine.schema, target, src);
  const entry = ENGINES[target.type];
  const make = () => entry.kysely(validated, src.targetName, projectRoot, options, async () => {
    const adapter = engine.create(validated, src.targetName, projectRoot);
    await adapter.open();
    return adapter;
  });
  return entry.client ? importOptional({ ...entry.client, neededFor: `target '${src.targetName}' (type ${target.type})` }, make) : make();
}

/** Validates a target against its engine's schema. @throws WeirErrors `WEIR_TARGET_INVALID` */
function validateTarget(schema: z.ZodType, target: { type: string } & Record<string, unknown>, src: TargetSource): unknown {
  const parsed = schema.safeParse(target);
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
  return parsed.data;
}

/**
 * The dialect of an engine type (for compiling without connecting): loads the engine's dialect module only,
 * so `weir compile` / `weir parse` never load a database client (@duckdb/node-api, snowflake-sdk, trino-client).
 * @throws WeirError `WEIR_ADAPTER_UNKNOWN`
 */
export async function dialectFor(type: string, src: TargetSource): Promise<Dialect> {
  return engineOf(type, src).dialect();
}
