/**
 * UDF discovery and validation: imports each module of a project's udf paths (TypeScript through tsx),
 * keeps the exports branded as UDF definitions, and checks names, types and arities so that a bad
 * definition fails at load time with the module named, not in the middle of a query.
 */
import path from 'node:path';
import { WeirError } from '../errors/weir-error.js';
import { isUdfDefinition, type UdfDefinition, type UdfSqlType } from './define.js';

/** A validated UDF with where it came from. */
export interface LoadedUdf {
  readonly definition: UdfDefinition;
  /** Project-relative module path, e.g. `udfs/fuzzy.ts`. */
  readonly module: string;
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

/**
 * Imports UDF modules and collects their definitions.
 * @param modules absolute module paths
 * @param root project root (for relative paths in messages)
 * @throws WeirError `WEIR_UDF_INVALID` naming the module for import failures, invalid definitions and
 *   duplicate names
 */
export async function loadUdfs(modules: readonly string[], root: string): Promise<LoadedUdf[]> {
  if (modules.length === 0) return [];
  const { tsImport } = await import('tsx/esm/api');
  const out: LoadedUdf[] = [];
  const byName = new Map<string, LoadedUdf>();
  for (const abs of modules) {
    const rel = path.relative(root, abs).split(path.sep).join('/');
    let mod: Record<string, unknown>;
    try {
      mod = (await tsImport(abs, import.meta.url)) as Record<string, unknown>;
    } catch (e) {
      throw new WeirError('WEIR_UDF_INVALID', `cannot load UDF module ${rel}: ${(e as Error).message.split('\n')[0]}`, {
        location: { file: rel }, hint: 'Fix the error in the module; it must export definitions made with defineScalarUdf/defineBatchUdf.', cause: e,
      });
    }
    for (const [exportName, value] of Object.entries(mod)) {
      if (!isUdfDefinition(value)) continue;
      const problems = validateUdf(value);
      if (problems.length) {
        throw new WeirError('WEIR_UDF_INVALID', `UDF '${value.name}' (export ${exportName} of ${rel}): ${problems.join('; ')}`, { location: { file: rel } });
      }
      const prev = byName.get(value.name);
      if (prev) {
        throw new WeirError('WEIR_UDF_INVALID', `UDF '${value.name}' is defined twice: ${prev.module} (${prev.exportName}) and ${rel} (${exportName})`, {
          location: { file: rel }, hint: 'Give one of them another name; optional arguments already provide overloads by arity.',
        });
      }
      const loaded = { definition: value, module: rel, exportName };
      byName.set(value.name, loaded);
      out.push(loaded);
    }
  }
  return out;
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
