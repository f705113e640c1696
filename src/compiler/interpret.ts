/**
 * A tree-walking evaluator for the common subset of model templates, used instead of Handlebars' code
 * generator. `Handlebars.compile` turns every template into JavaScript source and `new Function`s it: for a
 * template that is rendered once (every model, every run) that costs ~10× the render itself and dominated
 * `compile` on large projects. Here the parsed AST becomes a runtime template spec (the same
 * `{ main, 0, 1, ..., useData, usePartial }` object precompiled templates are) whose functions walk the AST,
 * so helpers, partials, `if`/`unless` and strict-mode errors all go through Handlebars' own runtime
 * (`container.invokePartial`, `container.program`, the registered helpers), exactly as generated code would.
 *
 * Supported: content, comments, `{{helper args}}` with literal or sub-expression arguments (no bare paths),
 * `{{> partial key=value}}` (static name, no context argument), and `{{#if}}` / `{{#unless}}` blocks with
 * one argument. Anything else (paths such as `{{this}}` or `{{target.schema}}`, other block helpers,
 * block params, decorators, partial blocks) returns undefined and the caller uses `Handlebars.compile`.
 * Evaluation order matches the generated code: parameters left to right, hash values in reverse key order.
 */
import { Handlebars } from './handlebars.js';
import type { CompiledTemplate } from './environment.js';

type Node = hbs.AST.Node;
type Program = hbs.AST.Program;
type Expr = hbs.AST.Expression;

/** Runtime container handed to template spec functions (the subset used here). */
interface Container {
  lookupProperty(obj: unknown, name: string): unknown;
  invokePartial(partial: unknown, context: unknown, options: Record<string, unknown>): unknown;
  program(i: number, data: unknown, declaredBlockParams: number): unknown;
  noop: unknown;
  nullContext?: object;
  decorators: unknown;
}
type SpecFn = (container: Container, depth0: unknown, helpers: Record<string, unknown>, partials: Record<string, unknown>, data: unknown) => string;

const LITERALS = new Set(['StringLiteral', 'NumberLiteral', 'BooleanLiteral', 'NullLiteral', 'UndefinedLiteral']);
const BLOCKS = new Set(['if', 'unless']);

/** A plain helper name: one part, not `@data`, not `../` or `this.`. */
function simpleName(p: Expr): string | undefined {
  if (p.type !== 'PathExpression') return undefined;
  const path = p as hbs.AST.PathExpression & { head?: unknown };
  if (path.data || path.depth !== 0 || path.parts.length !== 1 || path.original !== path.parts[0]) return undefined;
  return path.parts[0];
}

/**
 * Builds a runtime template for `ast`, or returns undefined when the template uses something outside
 * the supported subset (or a helper that is not registered).
 */
export function interpretTemplate(hb: typeof Handlebars, ast: Program): CompiledTemplate | undefined {
  const helpers = hb.helpers as Record<string, unknown>;
  const programs: Program[] = [];

  const exprOk = (e: Expr): boolean => {
    if (LITERALS.has(e.type)) return true;
    if (e.type !== 'SubExpression') return false;
    return callOk(e as hbs.AST.SubExpression);
  };
  const hashOk = (h: hbs.AST.Hash | undefined) => !h || h.pairs.every((p) => exprOk(p.value));
  const callOk = (c: { path: Expr; params: Expr[]; hash?: hbs.AST.Hash }): boolean => {
    const name = simpleName(c.path);
    if (!name || typeof helpers[name] !== 'function' || BLOCKS.has(name)) return false;
    if (c.params.length === 0 && !(c.hash && c.hash.pairs.length > 0)) return false; // ambiguous: helper or value
    return c.params.every(exprOk) && hashOk(c.hash);
  };
  const programOk = (p: Program): boolean => {
    if (p.blockParams && p.blockParams.length) return false;
    for (const st of p.body) {
      switch (st.type) {
        case 'ContentStatement':
        case 'CommentStatement':
          break;
        case 'MustacheStatement':
          if (!callOk(st as hbs.AST.MustacheStatement)) return false;
          break;
        case 'BlockStatement': {
          const b = st as hbs.AST.BlockStatement;
          const name = simpleName(b.path as Expr);
          if (!name || !BLOCKS.has(name) || typeof helpers[name] !== 'function') return false;
          if (b.params.length !== 1 || !exprOk(b.params[0]) || (b.hash && b.hash.pairs.length > 0)) return false;
          if (!b.program || !programOk(b.program) || (b.inverse && !programOk(b.inverse))) return false;
          break;
        }
        case 'PartialStatement': {
          const ps = st as hbs.AST.PartialStatement;
          const name = simpleName(ps.name as unknown as Expr);
          if (!name || ps.params.length > 0 || !hashOk(ps.hash)) return false;
          break;
        }
        default:
          return false;
      }
    }
    return true;
  };
  if (!programOk(ast)) return undefined;

  const locOf = (n: Node) => ({ start: { line: n.loc.start.line, column: n.loc.start.column }, end: { line: n.loc.end.line, column: n.loc.end.column } });

  const evalHash = (h: hbs.AST.Hash | undefined, c: Container, ctx: unknown, hs: Record<string, unknown>, data: unknown): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    if (!h) return out;
    // Generated code builds the hash object literal with the keys in reverse order.
    for (let i = h.pairs.length - 1; i >= 0; i--) out[h.pairs[i].key] = evalExpr(h.pairs[i].value, c, ctx, hs, data);
    return out;
  };
  const evalExpr = (e: Expr, c: Container, ctx: unknown, hs: Record<string, unknown>, data: unknown): unknown => {
    switch (e.type) {
      case 'StringLiteral':
      case 'NumberLiteral':
      case 'BooleanLiteral':
        return (e as hbs.AST.StringLiteral).value;
      case 'NullLiteral':
        return null;
      case 'UndefinedLiteral':
        return undefined;
      default:
        return callHelper(e as hbs.AST.SubExpression, c, ctx, hs, data);
    }
  };
  const callHelper = (s: { path: Expr; params: Expr[]; hash?: hbs.AST.Hash; loc: hbs.AST.SourceLocation }, c: Container, ctx: unknown, hs: Record<string, unknown>, data: unknown): unknown => {
    const name = (s.path as hbs.AST.PathExpression).parts[0];
    const fn = c.lookupProperty(hs, name) as (...a: unknown[]) => unknown;
    const self = ctx != null ? ctx : (c.nullContext || {});
    const args = s.params.map((p) => evalExpr(p, c, ctx, hs, data));
    args.push({ name, hash: evalHash(s.hash, c, ctx, hs, data), data, loc: locOf(s as unknown as Node) });
    return fn.apply(self, args);
  };

  const programIndex = (p: Program): number => programs.push(p) - 1;
  const indexOf = new Map<Program, number>();
  const register = (p: Program) => {
    for (const st of p.body) {
      if (st.type !== 'BlockStatement') continue;
      const b = st as hbs.AST.BlockStatement;
      indexOf.set(b.program, programIndex(b.program));
      register(b.program);
      if (b.inverse) {
        indexOf.set(b.inverse, programIndex(b.inverse));
        register(b.inverse);
      }
    }
  };
  register(ast);

  const run = (p: Program): SpecFn => (c, ctx, hs, partials, data) => {
    let out = '';
    for (const st of p.body) {
      switch (st.type) {
        case 'ContentStatement':
          out += (st as hbs.AST.ContentStatement).value;
          break;
        case 'MustacheStatement': {
          const v = callHelper(st as hbs.AST.MustacheStatement, c, ctx, hs, data);
          if (v != null) out += v;
          break;
        }
        case 'BlockStatement': {
          const b = st as hbs.AST.BlockStatement;
          const name = (b.path as hbs.AST.PathExpression).parts[0];
          const fn = c.lookupProperty(hs, name) as (...a: unknown[]) => unknown;
          const self = ctx != null ? ctx : (c.nullContext || {});
          const cond = evalExpr(b.params[0], c, ctx, hs, data);
          const v = fn.call(self, cond, {
            name, hash: {}, fn: c.program(indexOf.get(b.program)!, data, 0),
            inverse: b.inverse ? c.program(indexOf.get(b.inverse)!, data, 0) : c.noop, data, loc: locOf(b),
          });
          if (v != null) out += v;
          break;
        }
        case 'PartialStatement': {
          const ps = st as hbs.AST.PartialStatement & { indent?: string };
          const name = (ps.name as hbs.AST.PathExpression).original;
          const options: Record<string, unknown> = { name };
          if (ps.hash && ps.hash.pairs.length > 0) options.hash = evalHash(ps.hash, c, ctx, hs, data);
          options.data = data;
          if (ps.indent) options.indent = ps.indent;
          options.helpers = hs;
          options.partials = partials;
          options.decorators = c.decorators;
          const v = c.invokePartial(c.lookupProperty(partials, name), ctx, options);
          if (v != null) out += v;
          break;
        }
        default:
          break;
      }
    }
    return out;
  };

  const spec: Record<string, unknown> = {
    compiler: [REVISION, `>= ${HB.VERSION}`],
    main: run(ast),
    useData: true,
    usePartial: true,
  };
  programs.forEach((p, i) => {
    spec[i] = run(p);
  });
  const template = hb.template(spec as unknown as TemplateSpecification) as unknown as CompiledTemplate;
  return ((context: object, options: Parameters<CompiledTemplate>[1]) => {
    // A top-level call with only `data` (how Weir renders): run as the runtime would after its top-level
    // setup, but with the setup's result shared by every template of this environment (see sharedSetup).
    if (!options || (options as { partial?: boolean }).partial || Object.keys(options).some((k) => k !== 'data')) return template(context, options);
    const s = sharedSetup(hb);
    let data = options.data as Record<string, unknown> | undefined;
    // The runtime's initData: a frame over the caller's data with `@root` set to the context.
    if (!data || !('root' in data)) {
      data = data ? (hb.createFrame(data) as Record<string, unknown>) : {};
      data.root = context;
    }
    return template(context, { partial: true, ...s.state, data } as unknown as Parameters<CompiledTemplate>[1]);
  }) as CompiledTemplate;
}

/** What the runtime's top-level setup leaves on a template's container (see {@link sharedSetup}). */
interface SetupState {
  readonly helpers: Record<string, unknown>;
  readonly partials: unknown;
  readonly decorators: unknown;
  readonly hooks: unknown;
  readonly protoAccessControl: unknown;
}

/** Per Handlebars environment: the shared setup and the helper functions it was made from. */
const setups = new WeakMap<object, { state: SetupState; helpers: [string, unknown][] }>();

/**
 * The state Handlebars' runtime gives a template's container when it is called at the top level
 * (`ret._setup` in runtime.js): every registered helper wrapped to receive `lookupProperty`, the environment's
 * partials and decorators, `helperMissing`/`blockHelperMissing` moved to hooks, default prototype access
 * control. The runtime rebuilds all of it on every top-level call (dozens of helper wrappers per model
 * rendered, kept alive with each cached template); it depends only on the environment and the call options,
 * which for Weir's renders are always just `data`. So it is built once, by a probe template that captures
 * its container, and reused — until the set of registered helpers changes. Templates called with it run
 * through the runtime's partial-call path, which installs exactly this state.
 */
function sharedSetup(hb: typeof Handlebars): { state: SetupState } {
  const helpers = hb.helpers as Record<string, unknown>;
  const known = setups.get(hb);
  if (known && known.helpers.length === Object.keys(helpers).length && known.helpers.every(([k, f]) => helpers[k] === f)) return known;
  let state: SetupState | undefined;
  const probe = hb.template({
    compiler: [REVISION, `>= ${HB.VERSION}`],
    main: (c: SetupState) => {
      state = { helpers: c.helpers, partials: c.partials, decorators: c.decorators, hooks: c.hooks, protoAccessControl: c.protoAccessControl };
      return '';
    },
    useData: true,
    usePartial: true,
  } as unknown as TemplateSpecification);
  probe({}, { data: {} });
  const made = { state: state!, helpers: Object.entries(helpers) };
  setups.set(hb, made);
  return made;
}

type TemplateSpecification = Parameters<typeof Handlebars.template>[0];
const HB = Handlebars as unknown as { COMPILER_REVISION: number; VERSION: string };
/** The compiler revision of the installed runtime (so `checkRevision` accepts the spec). */
const REVISION = HB.COMPILER_REVISION;
