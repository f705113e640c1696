/**
 * UDF discovery and validation: imports each module of a project's udf paths (TypeScript bundled by
 * esbuild, see module-loader.ts), and of the libraries it uses (standard library, packages),
 * keeps the exports branded as UDF definitions, and checks names, types and arities so that a bad
 * definition fails at load time with the module named, not in the middle of a query.
 */
import path from 'node:path';
import { WeirError } from '../errors/weir-error.js';
import { isUdfDefinition, type UdfDefinition, type UdfSqlType } from './define.js';
import { importProjectModule } from './module-loader.js';
import type { UdfModuleRef } from '../loader/libraries.js';

/** A validated UDF with where it came from. */
export interface LoadedUdf {
  readonly definition: UdfDefinition;
  /**
   * Module path for messages: project-relative (`udfs/fuzzy.ts`), or `<library>/<path>` for a library's
   * module (`weir-sql/udfs/fuzzy.js`).
   */
  readonly module: string;
  /** Absolute module path. */
  readonly absolutePath: string;
  /** The library it comes from; undefined for the project's own UDFs. */
  readonly origin?: string;
  /** Export name in the module. */
  readonly exportName: string;
}

/** SQL types a UDF may use. */
export const UDF_SQL_TYPES: readonly UdfSqlType[] = ['VARCHAR', 'DOUBLE', 'BIGINT', 'INTEGER', 'BOOLEAN', 'DATE', 'TIMESTAMP', 'JSON'];

/**
 * Checks one definition.
 * @returns problems (empty when valid)
 */
export function validateUdf(def: UdfDefinition): string[] {
  const problems: string[] = [];
  if (!/^[a-z_][a-z0-9_]*$/.test(def.name)) problems.push(`name '${def.name}' must be lower-case letters, digits and underscores`);
  if (!UDF_SQL_TYPES.includes(def.returns)) problems.push(`return type '${String(def.returns)}' is not one of ${UDF_SQL_TYPES.join(', ')}`);
  let optionalSeen = false;
  def.args.forEach((a, i) => {
    if (!UDF_SQL_TYPES.includes(a.type)) problems.push(`argument ${i + 1} '${a.name}' has type '${String(a.type)}', not one of ${UDF_SQL_TYPES.join(', ')}`);
    if (a.optional) optionalSeen = true;
    else if (optionalSeen) problems.push(`argument ${i + 1} '${a.name}' is required but follows an optional argument`);
  });
  if (typeof def.description !== 'string' || def.description.trim() === '') problems.push('a description is required (what it computes, units, the source of the algorithm)');
  if (def.kind === 'scalar') {
    if (typeof def.fn !== 'function') problems.push('fn must be a function');
    else if (def.fn.constructor?.name === 'AsyncFunction') {
      problems.push('fn is async: engines call scalar UDFs synchronously — declare it with defineBatchUdf instead');
    }
  } else if (typeof def.run !== 'function') problems.push('run must be a function returning a promise of results');
  return problems;
}

/** Options of {@link loadUdfs}. */
export interface LoadUdfsOptions {
  /** Folder for bundled TypeScript modules (default `<root>/target/.weir/modules`). */
  readonly cacheDir?: string;
  /** Called when a project UDF hides a library UDF of the same name, or a package UDF hides a standard one. */
  readonly onOverride?: (kept: LoadedUdf, hidden: LoadedUdf) => void;
  /** The standard library's name: a package may hide its UDFs; two packages may not hide each other's. */
  readonly stdlibName?: string;
}

/**
 * Imports UDF modules and collects their definitions. The project's own modules come first and win over
 * the libraries' (reported through `onOverride`); two modules of the project, or two packages, defining
 * the same name is an error.
 * @param modules absolute module paths (the project's own) or refs with the library they come from
 * @param root project root (for relative paths in messages)
 * @throws WeirError `WEIR_UDF_INVALID` naming the module for import failures, invalid definitions and
 *   duplicate names
 */
export async function loadUdfs(modules: readonly (string | UdfModuleRef)[], root: string, options: LoadUdfsOptions = {}): Promise<LoadedUdf[]> {
  if (modules.length === 0) return [];
  const cacheDir = options.cacheDir ?? path.join(root, 'target', '.weir', 'modules');
  const out: LoadedUdf[] = [];
  const byName = new Map<string, LoadedUdf>();
  for (const m of modules) {
    const ref = typeof m === 'string' ? { path: m } : m;
    const abs = ref.path;
    const rel = ref.origin ? libraryPath(ref.origin, abs) : path.relative(root, abs).split(path.sep).join('/');
    let mod: Record<string, unknown>;
    try {
      mod = await importProjectModule(abs, { cacheDir });
    } catch (e) {
      throw new WeirError('WEIR_UDF_INVALID', `cannot load UDF module ${rel}: ${(e as Error).message.split('\n')[0]}`, {
        location: { file: rel }, hint: 'Fix the error in the module; it must export definitions made with defineScalarUdf/defineBatchUdf (from weir-sql/udf).', cause: e,
      });
    }
    for (const [exportName, value] of Object.entries(mod)) {
      if (!isUdfDefinition(value)) continue;
      const problems = validateUdf(value);
      if (problems.length) {
        throw new WeirError('WEIR_UDF_INVALID', `UDF '${value.name}' (export ${exportName} of ${rel}): ${problems.join('; ')}`, { location: { file: rel } });
      }
      const loaded: LoadedUdf = { definition: value, module: rel, absolutePath: abs, exportName, origin: ref.origin };
      const prev = byName.get(value.name);
      if (prev) {
        const hides = prev.origin !== loaded.origin && loaded.origin !== undefined
          && (prev.origin === undefined || loaded.origin === options.stdlibName);
        if (hides) {
          options.onOverride?.(prev, loaded);
          continue;
        }
        throw new WeirError('WEIR_UDF_INVALID', `UDF '${value.name}' is defined twice: ${prev.module} (${prev.exportName}) and ${rel} (${exportName})`, {
          location: { file: rel }, hint: 'Give one of them another name; optional arguments already provide overloads by arity.',
        });
      }
      byName.set(value.name, loaded);
      out.push(loaded);
    }
  }
  return out;
}

/** `<library>/<path inside the library>` for a library module (the library root is the udf folder's parent). */
function libraryPath(origin: string, abs: string): string {
  return `${origin}/${path.basename(path.dirname(abs))}/${path.basename(abs)}`;
}

/** Truncates a value for error messages (strings to 40 characters). */
export function preview(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

/** Signature text, e.g. `jaro_winkler(a VARCHAR, b VARCHAR [, scale DOUBLE]) → DOUBLE`. */
export function signatureOf(def: UdfDefinition): string {
  const req = def.args.filter((a) => !a.optional).map((a) => `${a.name} ${a.type}`);
  const opt = def.args.filter((a) => a.optional).map((a) => `${a.name} ${a.type}`);
  return `${def.name}(${req.join(', ')}${opt.length ? `${req.length ? ' ' : ''}[${req.length ? ', ' : ''}${opt.join(', ')}]` : ''}) → ${def.returns}`;
}
