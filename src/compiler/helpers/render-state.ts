/**
 * What Weir's helpers share: the per-render state that reaches them through Handlebars' `@data` channel
 * (`options.data.weir`, so one compiled template serves every render), reading their arguments, and the
 * error they throw ({@link HelperError}, located in the template later by compiler/render-errors.ts).
 */
import type HandlebarsTypes from 'handlebars';
import { Handlebars } from '../handlebars.js';
import type { Dialect } from '../../adapters/adapter.js';

/** Per-render state, set by the renderer for each node. */
export interface RenderState {
  /** unique_id of the node being rendered. */
  readonly nodeId: string;
  readonly file: string;
  readonly dialect: Dialect;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly env: NodeJS.ProcessEnv;
  /** Returns the SQL for `{{ref name}}` (a relation, or an ephemeral CTE name); `version` for `{{ref name v=2}}`. */
  resolveRef(name: string, version?: number): string;
  /** Returns the SQL for `{{source src table}}`. */
  resolveSource(source: string, table: string): string;
  /** Values that must be redacted from logs (env values of secret-looking variables). */
  readonly secrets: Set<string>;
  /**
   * Helper name → fixed result (a unit test's `overrides.macros`, e.g. `is_incremental: true`): the helper
   * returns the value instead of running.
   */
  readonly macroOverrides?: Readonly<Record<string, unknown>>;
  /** What `(is_incremental)` returns: true only in an incremental model's incremental run (default false). */
  readonly isIncremental?: boolean;
}

/** The options argument Handlebars passes a helper last, with Weir's render state. */
export type HelperOptions = HandlebarsTypes.HelperOptions & { data: { weir: RenderState } };

/** The render state of a helper call (from its options argument). @throws Error outside a Weir render */
export const state = (args: unknown[]): RenderState => {
  const options = args[args.length - 1] as HelperOptions;
  const s = options?.data?.weir;
  if (!s) throw new Error('Weir helper called outside a Weir render');
  return s;
};
/** A helper call's positional arguments (Handlebars' options argument dropped, SafeStrings unwrapped). */
export const positional = (args: unknown[]): unknown[] => args.slice(0, -1).map(unwrap);
/** A Handlebars SafeString as its text; anything else as is. */
export const unwrap = (v: unknown): unknown => (v instanceof Handlebars.SafeString ? v.toString() : v);

/**
 * An error thrown inside a helper, annotated later with file and line. `needle` matches the helper
 * call in the template source, so the line can be found (Handlebars reports no position for helper errors).
 */
export class HelperError extends Error {
  /** 1-based line and column in the template, when the helper knows them (takes precedence over `needle`). */
  line?: number;
  column?: number;
  /**
   * @param needle regex finding the call in the template source (for the line)
   * @param atCaller the error is about a macro's arguments: reported at the file that calls the macro
   *   (a model's `{{> rfm_scores scoring=...}}`), not inside the macro's own file
   */
  constructor(message: string, readonly needle?: RegExp, readonly atCaller = false) {
    super(message);
  }
}

/** `s` with the regex metacharacters escaped. */
export const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A regex matching a helper call with a literal first argument, e.g. `var "start_date"`. */
export const callNeedle = (helper: string, arg: unknown) => new RegExp(`${helper}\\s+["']${escapeRe(String(arg))}["']`);
