/**
 * The isolated Handlebars environment Weir renders SQL with: `noEscape` (never HTML-escape SQL) and
 * `strict` (a missing variable is an error, not an empty string), Weir's helpers, project macros as
 * partials (`macros/*.sql`) and TS helpers (`macros/*.ts`). Per-node state reaches helpers through
 * Handlebars' `@data` channel (`options.data.weir`), so one compiled template serves every render.
 * The helpers themselves are in helpers/ (built-ins, cross-dialect SQL, macro-argument checks).
 */
import type HandlebarsTypes from 'handlebars';
import { Handlebars } from './handlebars.js';
import { WeirError } from '../errors/weir-error.js';
import { closest } from '../utils/closest.js';
import { BUILTIN_HELPERS, HANDLEBARS_HELPERS, overridableHelpers, registerBuiltins } from './helpers/builtins.js';
import { HelperError, unwrap, type RenderState } from './helpers/render-state.js';
import { interpretTemplate } from './interpret.js';
import { annotateRenderError } from './render-errors.js';
import { guardValueOutput, parseTemplate } from './template.js';
import { decodeTemplatePlan, type TemplatePlan } from './template-plan.js';
import { plain } from './untrusted.js';

/** A macro (partial) source to register. */
export interface PartialSource {
  readonly name: string;
  readonly path: string;
  readonly raw: string;
}

/** Compiled template function of this environment. */
export type CompiledTemplate = (context: object, options: { data: { weir: RenderState } }) => string;

/**
 * An isolated Handlebars instance with Weir's helpers and the project's macros.
 * @throws WeirError `WEIR_TEMPLATE_SYNTAX` for a macro with a syntax error; `WEIR_MACRO_INVALID` for a
 *   helper module export that clashes with a built-in helper
 */
export class TemplateEnvironment {
  readonly hb: typeof Handlebars;
  private readonly helperNames = new Set<string>([...BUILTIN_HELPERS, ...HANDLEBARS_HELPERS]);
  /** Macro name → project-relative file, for messages. */
  readonly macroFiles = new Map<string, string>();

  constructor(partials: readonly PartialSource[] = [], helperModules: readonly { path: string; exports: Record<string, unknown> }[] = []) {
    this.hb = Handlebars.create();
    registerBuiltins(this.hb);
    for (const mod of helperModules) {
      for (const [name, fn] of Object.entries(mod.exports)) {
        if (typeof fn !== 'function') continue;
        if (this.helperNames.has(name)) {
          throw new WeirError('WEIR_MACRO_INVALID', `macro helper '${name}' clashes with a built-in helper of the same name`, {
            location: { file: mod.path }, hint: `Rename the export '${name}' in ${mod.path}.`,
          });
        }
        this.helperNames.add(name);
        this.macroFiles.set(name, mod.path);
        this.hb.registerHelper(name, (...args: unknown[]) => {
          try {
            // TS helpers are project code: they get plain values (and quote them with their own care).
            return (fn as (...a: unknown[]) => unknown)(...args.slice(0, -1).map((a) => plain(unwrap(a))), args[args.length - 1]);
          } catch (e) {
            throw new HelperError(`macro helper '${name}' (${mod.path}) failed: ${(e as Error).message}`);
          }
        });
      }
    }
    overridableHelpers(this.hb);
    for (const p of partials) {
      this.macroFiles.set(p.name, p.path);
      const fn = this.compile(p.raw, p.path);
      this.hb.registerPartial(p.name, ((ctx: object, opts: { data: { weir: RenderState } }) => {
        try {
          return fn(ctx, opts);
        } catch (e) {
          if (e instanceof HelperError && e.atCaller) throw e;
          throw annotateRenderError(e, p.path, opts.data.weir.nodeId, p.raw);
        }
      }) as unknown as HandlebarsTypes.Template);
    }
  }

  /** Whether `name` is a helper (built-in or from macros/*.ts). */
  isHelper(name: string): boolean {
    return this.helperNames.has(name);
  }

  private readonly isHelperName = (name: string): boolean => this.helperNames.has(name);

  /** All helper names, for suggestions. */
  get helpers(): readonly string[] {
    return [...this.helperNames].filter((n) => !n.startsWith('__') && n !== 'blockHelperMissing' && n !== 'helperMissing');
  }

  /** The closest helper name to `name`, if reasonably close. */
  suggestHelper(name: string): string | undefined {
    return closest(name, this.helpers);
  }

  /**
   * Compiles template text (value-output guard applied).
   * @throws WeirError `WEIR_TEMPLATE_SYNTAX`
   */
  compile(source: string, file: string, ast?: hbs.AST.Program): CompiledTemplate {
    const guard = (t: hbs.AST.Program) => guardValueOutput(t, this.isHelperName);
    if (ast) return this.compileTree(guard(ast));
    // Templates hold no per-node state (it travels in @data), so models with the same text share one.
    const done = this.compiledBySource.get(source);
    if (done) return done;
    let fn: CompiledTemplate | undefined;
    const kept = this.parsed.get(source);
    this.parsed.delete(source);
    if (kept && 'plan' in kept) {
      // A cached render plan: interpretable by construction unless the helpers changed since (then parse).
      try {
        fn = interpretTemplate(this.hb, guard(decodeTemplatePlan(kept.plan, source)));
      } catch {
        /* malformed plan (corrupt cache): parse the source below */
      }
    }
    fn ??= this.compileTree(guard(kept && !('plan' in kept) ? kept : parseTemplate(source, file)));
    this.compiledBySource.set(source, fn);
    return fn;
  }

  private compileTree(tree: hbs.AST.Program): CompiledTemplate {
    return interpretTemplate(this.hb, tree)
      ?? this.hb.compile(tree as unknown as string, { noEscape: true, strict: true, knownHelpersOnly: false }) as unknown as CompiledTemplate;
  }

  /** Compiled templates by source text (see {@link compile}). */
  private readonly compiledBySource = new Map<string, CompiledTemplate>();

  /**
   * ASTs from {@link parse} (or cached render plans from {@link providePlan}), awaiting their one
   * {@link compile} of the same text (the render phase reuses the parse phase's work).
   */
  private readonly parsed = new Map<string, hbs.AST.Program | { plan: TemplatePlan }>();

  /**
   * Parses template text for the parse phase and keeps the AST for a later {@link compile} of the same text.
   * The AST must not be mutated by the caller.
   * @throws WeirError `WEIR_TEMPLATE_SYNTAX`
   */
  parse(source: string, file: string): hbs.AST.Program {
    const ast = parseTemplate(source, file);
    this.parsed.set(source, ast);
    return ast;
  }

  /**
   * Keeps a render plan from the partial-parse cache (see template-plan.ts) for a later {@link compile}
   * of `source`, which then needs no parse. Never throws; a plan that does not decode is ignored then.
   */
  providePlan(source: string, plan: TemplatePlan): void {
    this.parsed.set(source, { plan });
  }
}
