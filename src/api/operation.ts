/**
 * `weir run-operation MACRO --args '{...}'`, after dbt's
 * (https://docs.getdbt.com/reference/commands/run-operation): renders a macro (a `macros/*.sql` partial)
 * with the arguments as its variables, plus `target`, and executes the SQL on the target (several
 * statements separated by `;` are allowed where the engine's client accepts them). Typical uses:
 * granting, vacuuming, dropping old schemas, loading a stage.
 */
import { markUntrusted } from '../compiler/untrusted.js';
import { secretVarValues } from '../loader/project-config.js';
import { parse as parseYaml } from 'yaml';
import type { QueryResult } from '../adapters/adapter.js';
import { closest } from '../utils/closest.js';
import { WeirError } from '../errors/weir-error.js';
import type { WeirProject } from './project.js';
import { acquireRunLock } from '../execution/invocation/run-lock.js';

/**
 * Parses `--args`: a YAML or JSON mapping.
 * @throws WeirError `WEIR_USAGE` for invalid YAML/JSON or a value that is not a mapping
 */
export function parseOperationArgs(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text.trim() === '') return {};
  let v: unknown;
  try {
    v = parseYaml(text);
  } catch (e) {
    throw new WeirError('WEIR_USAGE', `--args is not valid YAML/JSON: ${(e as Error).message.split('\n')[0]}`, { hint: `Example: --args '{"schema": "staging", "days": 7}'` });
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new WeirError('WEIR_USAGE', `--args must be a mapping of argument names to values, got ${Array.isArray(v) ? 'a list' : JSON.stringify(v)}`, {
      hint: `Example: --args '{"schema": "staging", "days": 7}'`,
    });
  }
  return v as Record<string, unknown>;
}

/** Outcome of {@link runOperation}. */
export interface OperationResult {
  readonly macro: string;
  /** The rendered SQL ('' when the macro rendered nothing; then nothing ran). */
  readonly sql: string;
  /** The last statement's result (undefined when nothing ran). */
  readonly result?: QueryResult;
}

/**
 * Renders macro `name` with `args` and runs it.
 * @throws WeirError `WEIR_MACRO_INVALID` for an unknown macro (with the closest name); render errors with
 *   the macro's file and line; `WEIR_OPERATION_FAILED` when the engine rejects the SQL; `WEIR_RUN_LOCKED`
 *   when another run holds the target directory's run lock for `lockTimeout` seconds
 */
export async function runOperation(project: WeirProject, name: string, args: Readonly<Record<string, unknown>> = {}, lockTimeout = 0): Promise<OperationResult> {
  const macro = project.files.macros.find((m) => m.name === name && m.kind === 'partial');
  if (!macro) {
    const names = project.files.macros.filter((m) => m.kind === 'partial').map((m) => m.name);
    const s = closest(name, names);
    throw new WeirError('WEIR_MACRO_INVALID', `run-operation: no macro named '${name}'`, {
      hint: s ? `Did you mean '${s}'?` : names.length ? `Macros: ${names.sort().join(', ')}.` : `Macros are the .sql files in ${project.files.config['macro-paths'].join(', ')}.`,
    });
  }
  // Secret-looking arguments (a password handed to a grant macro) are redacted like secret vars.
  project.addSecrets(secretVarValues(args));
  // Arguments come from the command line: their strings reach SQL only through literal/ident (untrusted.ts).
  const context = Object.fromEntries(Object.entries(args).map(([k, v]) => [k, markUntrusted(v, `run-operation argument "${k}"`)]));
  const sql = project.renderer().renderText(`{{> [${name}]}}`, { file: macro.path, context }).replace(/;\s*$/, '');
  if (!sql.trim()) return { macro: name, sql: '' };
  // An operation writes (grants, drops, loads): it takes the run lock like seed/run/test/build.
  const lock = await acquireRunLock(project.targetDir, { command: `weir run-operation ${name}`, timeoutSeconds: lockTimeout });
  const adapter = await project.openAdapter().catch((e: unknown) => {
    lock.release();
    throw e;
  });
  try {
    const conn = await adapter.connect();
    try {
      return { macro: name, sql, result: await conn.execute(sql) };
    } catch (e) {
      throw new WeirError('WEIR_OPERATION_FAILED', project.redact(`run-operation ${name} failed on target '${project.targetInfo.name}': ${(e as Error).message}`), {
        location: { file: macro.path }, cause: e,
      });
    } finally {
      await conn.close().catch(() => undefined);
    }
  } finally {
    await adapter.close();
    lock.release();
  }
}
