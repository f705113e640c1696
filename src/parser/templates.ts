/**
 * Templates in the parse phase: a template is parsed (not rendered) and its AST walked for `ref`, `source`,
 * `config`, helpers and partials (compiler/template.ts); results come from the partial-parse machinery when
 * the text is unchanged. A template's dependencies include those of the macros it uses, transitively, and
 * `{{config}}` values written `(var ...)`, `(env ...)` or `target.x` are resolved here.
 */
import { WeirError } from '../errors/weir-error.js';
import type { SqlFile } from '../loader/load-project.js';
import type { TemplateDeps } from '../manifest/types.js';
import { closest } from '../utils/closest.js';
import { collectFacts, parseTemplate, PARSE_TIME, type ParseTimeValue, type TemplateFacts } from '../compiler/template.js';
import { encodeTemplatePlan } from '../compiler/template-plan.js';
import type { ParseContext } from './parse-context.js';
import { cachedTemplate } from './partial-parse/index.js';

/** Context keys available in a model template (besides helpers). */
const MODEL_CONTEXT_KEYS = new Set(['this', 'target', 'model', 'schema', 'identifier', 'database', 'name', '@root', '@index', '@key', '@first', '@last']);

/**
 * Facts of one template: from the partial-parse cache when the text is unchanged (the render plan is
 * handed to the environment so rendering skips the parser too), else parsed, and cached when clean.
 * @param forRender keep the AST for rendering (models, tests); macros are compiled by the environment
 * @throws WeirError `WEIR_TEMPLATE_SYNTAX`
 */
export function templateFacts(ctx: ParseContext, raw: string, file: string, forRender: boolean): TemplateFacts {
  const { files, env, errors } = ctx;
  // Unchanged since the cache was written, or parsed on the worker thread without problems (partial-parse/).
  const known = cachedTemplate(files, file, raw);
  if (known.hit) {
    if (forRender && known.hit.plan) env.providePlan(raw, known.hit.plan);
    return known.hit.facts;
  }
  const ast = forRender ? env.parse(raw, file) : parseTemplate(raw, file);
  const local: WeirError[] = [];
  const facts = collectFacts(ast, file, local);
  errors.push(...local);
  if (local.length === 0 && known.store) known.store({ facts, plan: encodeTemplatePlan(ast, raw) });
  return facts;
}

/**
 * A template's dependencies: its own refs and sources plus those of every macro it uses, transitively, and
 * its `{{config}}` with parse-time values resolved. An unknown macro is a `WEIR_MACRO_INVALID` error.
 */
export function closure(ctx: ParseContext, facts: TemplateFacts, file: string): TemplateDeps {
  const { files, errors, macroFacts } = ctx;
  const refs = [...facts.refs];
  const sources = [...facts.sources];
  const seen = new Set<string>();
  const queue = [...facts.partials];
  while (queue.length) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const mf = macroFacts.get(name);
    if (!mf) {
      if (!files.macros.some((m) => m.name === name)) {
        const hint = closest(name, [...macroFacts.keys()]);
        errors.push(new WeirError('WEIR_MACRO_INVALID', `unknown macro '${name}' (used as {{> ${name}}})`, {
          location: { file, line: facts.partialLines?.[name] }, hint: hint ? `Did you mean '${hint}'?` : `Macros are .sql files in ${files.config['macro-paths'].join(', ')}.`,
        }));
      }
      continue;
    }
    refs.push(...mf.refs.map((r) => ({ name: r.name })));
    sources.push(...mf.sources.map((s) => ({ source: s.source, table: s.table })));
    queue.push(...mf.partials);
  }
  return { refs, sources, macros: [...seen], config: resolveConfig(ctx, facts.config, facts.configLines, file), configLines: facts.configLines };
}

/** `{{config}}` values written (var ...), (env ...) or target.x, resolved now that they are known. */
export function resolveConfig(ctx: ParseContext, config: Readonly<Record<string, unknown>>, lines: Readonly<Record<string, number>> | undefined, file: string): Record<string, unknown> {
  const { files, errors } = ctx;
  const out: Record<string, unknown> = {};
  const resolve = (v: unknown, key: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => resolve(x, key));
    if (!v || typeof v !== 'object' || !(PARSE_TIME in v)) return v;
    const { [PARSE_TIME]: kind, args } = v as ParseTimeValue;
    const name = String(args[0]);
    const at = { location: { file, line: lines?.[key] } };
    if (kind === 'target') {
      const t = files.target as Record<string, unknown>;
      const got = name === 'name' ? files.targetName : t[name];
      if (got === undefined) errors.push(new WeirError('WEIR_CONFIG_INVALID', `config ${key}: target '${files.targetName}' does not set ${name}`, { ...at, hint: `Set ${name}: under targets.${files.targetName} in ${files.configFile}.` }));
      return got;
    }
    if (kind === 'var') {
      if (name in files.vars) return files.vars[name];
      if (args.length === 2) return args[1];
      errors.push(new WeirError('WEIR_VARS_INVALID', `config ${key}: var '${name}' is not defined`, { ...at, hint: `Define it under vars: in ${files.configFile}, pass --vars, or give a default: (var "${name}" "default").` }));
      return undefined;
    }
    const got = (files.env ?? process.env)[name];
    if (got !== undefined) return got;
    if (args.length === 2) return args[1];
    errors.push(new WeirError('WEIR_ENV_MISSING', `config ${key}: environment variable ${name} is not set`, { ...at, hint: `Export ${name}, or give a default: (env "${name}" "default").` }));
    return undefined;
  };
  for (const [k, v] of Object.entries(config)) out[k] = resolve(v, k);
  return out;
}

function checkHelpers(ctx: ParseContext, facts: TemplateFacts, file: string): void {
  const { env, errors } = ctx;
  for (const call of facts.helperCalls) {
    if (env.isHelper(call.name) || call.name.startsWith('@') || call.name.includes('.')) continue;
    if (MODEL_CONTEXT_KEYS.has(call.name)) continue;
    const s = env.suggestHelper(call.name);
    errors.push(new WeirError('WEIR_HELPER_UNKNOWN', `unknown helper '${call.name}'`, {
      location: { file, line: call.line, column: call.column },
      hint: s ? `Did you mean '${s}'?` : `Built-in helpers: ref, source, config, var, env, literal, ident, raw; macros/*.ts exports add more.`,
    }));
  }
}

// A model's, snapshot's or singular test's own names are MODEL_CONTEXT_KEYS: any other name read as a
// helper argument is undefined at render, which {{#if misspelt}} would take silently as false.
function checkArgNames(ctx: ParseContext, facts: TemplateFacts, file: string): void {
  const { env, errors } = ctx;
  for (const a of facts.argNames ?? []) {
    if (MODEL_CONTEXT_KEYS.has(a.name) || env.isHelper(a.name)) continue;
    errors.push(new WeirError('WEIR_TEMPLATE_RENDER', `'${a.name}' is not defined in this template`, {
      location: { file, line: a.line, column: a.column },
      hint: `A name used in {{#if ...}} or as a helper argument must be a template variable (${[...MODEL_CONTEXT_KEYS].filter((k) => !k.startsWith('@')).join(', ')}); a project var is (var "${a.name}"), a string "${a.name}".`,
    }));
  }
}

/**
 * Parses a model, snapshot or singular test: its template facts, helper and argument-name checks, and its
 * dependencies ({@link closure}). A template error is recorded and gives undefined.
 */
export function parseSql(ctx: ParseContext, f: SqlFile): TemplateDeps | undefined {
  const { errors } = ctx;
  try {
    const facts = templateFacts(ctx, f.raw, f.path, true);
    checkHelpers(ctx, facts, f.path);
    checkArgNames(ctx, facts, f.path);
    return closure(ctx, facts, f.path);
  } catch (e) {
    if (e instanceof WeirError) {
      errors.push(e);
      return undefined;
    }
    throw e;
  }
}
