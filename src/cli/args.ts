/**
 * Reading parsed command-line values into the library's typed options: lists, `--state`, `--selector`.
 */
import path from 'node:path';
import type { IndirectSelection } from '../graph/selector.js';
import type { CliIO, CommandArgs } from './context.js';

/** A string-or-array option as a non-empty list of strings (undefined when absent or empty). */
export function list(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  const arr = (Array.isArray(v) ? v : [v]).map(String).filter(Boolean);
  return arr.length ? arr : undefined;
}

/** `--state` as an absolute path (relative paths are relative to the working directory, as in dbt). */
export function stateDir(io: CliIO, a: CommandArgs): string | undefined {
  return typeof a.state === 'string' && a.state ? path.resolve(io.cwd ?? process.cwd(), a.state) : undefined;
}

/** `--selector` and `--indirect-selection` as selection arguments. */
export function selectorArgs(a: CommandArgs): { selector?: string; indirectSelection?: IndirectSelection } {
  return { selector: typeof a.selector === 'string' && a.selector ? a.selector : undefined, indirectSelection: a['indirect-selection'] as IndirectSelection | undefined };
}

/** `--select`, `--exclude`, `--state`, `--selector` and `--indirect-selection` as the library's selection. */
export function selectionArgs(io: CliIO, a: CommandArgs) {
  return { select: list(a.select), exclude: list(a.exclude), state: stateDir(io, a), ...selectorArgs(a) };
}
