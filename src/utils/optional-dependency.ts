/**
 * Optional peer dependencies (snowflake-sdk, trino-client, onnxruntime-node): a DuckDB-only install does
 * not carry them, so the code that needs one imports it on demand and, when it is missing, says which
 * package to install instead of failing with Node's "Cannot find package".
 */
import { WeirError, type SourceLocation } from '../errors/weir-error.js';

/** True when `e` is Node's error for an uninstalled package `pkg` (ERR_MODULE_NOT_FOUND naming it). */
export function isMissingPackage(e: unknown, pkg: string): boolean {
  const err = e as { code?: string; message?: string } | undefined;
  return !!err && (err.code === 'ERR_MODULE_NOT_FOUND' || err.code === 'MODULE_NOT_FOUND') && typeof err.message === 'string'
    && (err.message.includes(`'${pkg}'`) || err.message.includes(`"${pkg}"`) || err.message.includes(`/${pkg}/`));
}

/** What an optional package is for and which version Weir is tested with. */
export interface OptionalPackage {
  /** npm name, e.g. `snowflake-sdk`. */
  readonly name: string;
  /** Version range to install, e.g. `^3.3.0`. */
  readonly range: string;
  /** What needs it, e.g. `a snowflake target`. */
  readonly neededFor: string;
}

/**
 * Runs `load` (a dynamic import of code that imports the package) and turns a missing package into a
 * WeirError `WEIR_DEPENDENCY_MISSING` (exit 2) naming the package and the install command.
 * @throws WeirError `WEIR_DEPENDENCY_MISSING`; any other error of `load` unchanged
 */
export async function importOptional<T>(pkg: OptionalPackage, load: () => Promise<T>, location?: SourceLocation): Promise<T> {
  try {
    return await load();
  } catch (e) {
    if (!isMissingPackage(e, pkg.name)) throw e;
    throw new WeirError('WEIR_DEPENDENCY_MISSING', `${pkg.neededFor} needs the package ${pkg.name}, which is not installed`, {
      location, cause: e,
      hint: `Install it next to weir-sql: npm install ${pkg.name}@'${pkg.range}'`,
    });
  }
}
