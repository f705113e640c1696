/**
 * Handlebars templates for SQL: parsing with file:line errors, the parse-phase AST walk that records
 * refs, sources, config and macros in every branch (taken or not), and the AST rewrite that makes direct
 * `{{var ...}}` / `{{env ...}}` output go through a type check (strings must be quoted explicitly).
 * AST reference: https://github.com/handlebars-lang/handlebars.js/blob/master/docs/compiler-api.md
 */
import { assertNoJinja } from './jinja-hints.js';
import { Handlebars } from './handlebars.js';
import { WeirError } from '../errors/weir-error.js';
import type { RefCall, SourceCall } from '../manifest/types.js';

type HbNode = hbs.AST.Node;
type Expr = hbs.AST.Expression;

/** Parse-time facts about one template (not transitive through partials). */
export interface TemplateFacts {
  readonly refs: RefCall[];
  readonly sources: SourceCall[];
  readonly partials: string[];
  /** 1-based line of each partial's first use (for errors). */
  readonly partialLines?: Record<string, number>;
  readonly config: Record<string, unknown>;
  /** 1-based line of each `{{config}}` key (for strict config errors). */
  readonly configLines?: Record<string, number>;
  /** Names called with arguments (`{{name arg}}`, `(name arg)`, `{{#name}}`): must be helpers. */
  readonly helperCalls: { name: string; line: number; column: number }[];
  /**
   * Names read from the template's own context as helper arguments (`{{#if name}}`, `(eq name "x")`,
   * `{{> macro arg=name}}`), outside `{{#each}}`/`{{#with}}` and other context-changing blocks: the first
   * part of the path (`target` for `target.name`). Handlebars' strict mode lets these through as undefined.
   */
  readonly argNames: { name: string; line: number; column: number }[];
}

/** Largest template Weir renders, in characters (a generated model of 5 MB is already unusual). */
export const MAX_TEMPLATE_CHARS = 5_000_000;
/** Deepest nesting of block helpers (`{{#if}}`, `{{#each}}`, `{{#> partial}}` ...) in one template. */
export const MAX_TEMPLATE_NESTING = 100;

/**
 * Refuses templates too large or too deeply nested to be real SQL templates, before Handlebars (whose
 * parser and code generator are recursive and superlinear in the nesting) spends minutes on them.
 * @throws WeirError `WEIR_TEMPLATE_SYNTAX` naming the file and, for nesting, the line where it exceeds the limit
 */
export function checkTemplateSize(source: string, file: string): void {
  if (source.length > MAX_TEMPLATE_CHARS) {
    throw new WeirError('WEIR_TEMPLATE_SYNTAX', `template is too large: ${source.length} characters (the limit is ${MAX_TEMPLATE_CHARS})`, {
      location: { file }, hint: 'Split it into models or macros; data belongs in a seed.',
    });
  }
  if (!source.includes('{{#')) return;
  let depth = 0;
  const re = /\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}|\{\{~?\s*([#/])/g;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    if (!m[1]) continue;
    depth += m[1] === '#' ? 1 : -1;
    if (depth > MAX_TEMPLATE_NESTING) {
      throw new WeirError('WEIR_TEMPLATE_SYNTAX', `block helpers are nested more than ${MAX_TEMPLATE_NESTING} deep`, {
        location: { file, line: source.slice(0, m.index).split('\n').length }, hint: 'Flatten the template: nest fewer {{#if}}/{{#each}} blocks, or move a part into a macro.',
      });
    }
  }
}

/**
 * Parses template text into a Handlebars AST.
 * @throws WeirError `WEIR_TEMPLATE_SYNTAX` naming file and line (Handlebars' parse message kept); for
 *   Jinja (`{{ ref('x') }}`, `{% if %}`) one error per construct with the Weir spelling (jinja-hints.ts)
 */
export function parseTemplate(source: string, file: string): hbs.AST.Program {
  assertNoJinja(source, file);
  checkTemplateSize(source, file);
  try {
    return Handlebars.parse(source);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    // Parser errors say "Parse error on line N"; block-mismatch errors end in " - LINE:COLUMN" (0-based column).
    const m = /line (\d+)/i.exec(msg);
    const pos = /\s-\s(\d+):(\d+)\s*$/.exec(msg);
    const detail = msg.split('\n').filter((l) => l.trim() && !/^-*\^$/.test(l.trim()));
    const last = (detail[detail.length - 1] ?? msg).replace(/\s-\s\d+:\d+\s*$/, '');
    const line = m ? Number(m[1]) : pos ? Number(pos[1]) : undefined;
    const column = !m && pos ? Number(pos[2]) + 1 : undefined;
    throw new WeirError('WEIR_TEMPLATE_SYNTAX', `template syntax error: ${last.replace(/^Parse error on line \d+:?\s*/, '')}`, {
      location: { file, line, column },
      hint: 'Check the {{...}} tags near that line: every {{#block}} needs a matching {{/block}}, and strings need matching quotes.',
    });
  }
}

/** Marker key of a config value known only once vars, env and the target are (see {@link ParseTimeValue}). */
export const PARSE_TIME = '__weir_parse_time';
/**
 * A `{{config}}` value written `(var "name" ["default"])`, `(env "NAME" ["default"])` or `target.<field>`:
 * recorded as is (the parse cache holds facts independent of vars) and resolved by the parse phase.
 */
export interface ParseTimeValue {
  readonly [PARSE_TIME]: 'var' | 'env' | 'target';
  readonly args: readonly unknown[];
}

const literalValue = (e: Expr): { ok: true; value: unknown } | { ok: false } => {
  switch (e.type) {
    case 'StringLiteral':
      return { ok: true, value: (e as hbs.AST.StringLiteral).value };
    case 'NumberLiteral':
      return { ok: true, value: (e as hbs.AST.NumberLiteral).value };
    case 'BooleanLiteral':
      return { ok: true, value: (e as hbs.AST.BooleanLiteral).value };
    case 'NullLiteral':
    case 'UndefinedLiteral':
      return { ok: true, value: null };
    case 'SubExpression': {
      const s = e as hbs.AST.SubExpression;
      const head = (s.path as hbs.AST.PathExpression).original;
      if (head === 'array') {
        const vals = s.params.map(literalValue);
        if (vals.every((v) => v.ok)) return { ok: true, value: vals.map((v) => (v as { value: unknown }).value) };
      }
      if ((head === 'var' || head === 'env') && s.params.length >= 1 && s.params.length <= 2 && s.params[0].type === 'StringLiteral') {
        const vals = s.params.map(literalValue);
        if (vals.every((v) => v.ok)) return { ok: true, value: { [PARSE_TIME]: head, args: vals.map((v) => (v as { value: unknown }).value) } satisfies ParseTimeValue };
      }
      return { ok: false };
    }
    case 'PathExpression': {
      const p = e as hbs.AST.PathExpression;
      if (!p.data && p.parts.length === 2 && p.parts[0] === 'target') return { ok: true, value: { [PARSE_TIME]: 'target', args: [p.parts[1]] } satisfies ParseTimeValue };
      return { ok: false };
    }
    default:
      return { ok: false };
  }
};

const pathName = (e: Expr | undefined): string | undefined =>
  e && e.type === 'PathExpression' ? (e as hbs.AST.PathExpression).original : undefined;

/**
 * Walks a template AST and records every `ref`, `source`, `config` and partial, including inside
 * `{{#if}}`/`{{else}}` branches that may not be taken at render time (dbt's parse phase does the same).
 * @param errors receives `WEIR_REF_DYNAMIC` for refs/sources whose arguments are not string literals
 */
export function collectFacts(ast: hbs.AST.Program, file: string, errors: WeirError[]): TemplateFacts {
  const facts: TemplateFacts = { refs: [], sources: [], partials: [], partialLines: {}, config: {}, configLines: {}, helperCalls: [], argNames: [] };
  // whether the node being visited is evaluated against the template's own context (not inside {{#each}} …)
  let atRoot = true;
  const argNames = (exprs: (Expr | undefined)[]) => {
    if (!atRoot) return;
    for (const e of exprs) {
      if (e?.type !== 'PathExpression') continue;
      const p = e as hbs.AST.PathExpression;
      if (p.data || p.depth > 0 || p.parts.length === 0 || p.original === 'this' || p.original.startsWith('this.')) continue;
      facts.argNames.push({ name: p.parts[0], line: p.loc.start.line, column: p.loc.start.column + 1 });
    }
  };
  const call = (name: string | undefined, params: Expr[], hash: hbs.AST.Hash | undefined, loc: hbs.AST.SourceLocation) => {
    if (!name) return;
    const line = loc.start.line;
    const column = loc.start.column + 1;
    if (params.length > 0 || (hash && hash.pairs.length > 0)) facts.helperCalls.push({ name, line, column });
    if (name === 'ref' || name === 'source') {
      const vals = params.map(literalValue);
      const want = name === 'ref' ? 1 : 2;
      if (vals.length !== want || !vals.every((v) => v.ok && typeof v.value === 'string')) {
        errors.push(new WeirError('WEIR_REF_DYNAMIC', `${name} takes ${want === 1 ? 'one string literal' : 'two string literals'}, e.g. ${name === 'ref' ? '{{ref "stg_orders"}}' : '{{source "crm" "customers"}}'}`, {
          location: { file, line, column },
          hint: 'Dependencies are recorded before rendering, so their names must be written literally in the template.',
        }));
        return;
      }
      const [a, b] = vals.map((v) => (v as { value: string }).value);
      const vPair = hash?.pairs.find((p) => p.key === 'v' || p.key === 'version');
      const other = hash?.pairs.find((p) => p.key !== 'v' && p.key !== 'version');
      const vLit = vPair ? literalValue(vPair.value) : undefined;
      const version = vLit?.ok ? Number(vLit.value) : undefined;
      if (other || (name === 'source' && vPair) || (vPair && !(version !== undefined && Number.isInteger(version)))) {
        errors.push(new WeirError('WEIR_REF_DYNAMIC', `${name}: ${other ? `unknown argument '${other.key}'` : name === 'source' ? 'sources have no versions' : 'v must be a whole number written literally'}`, {
          location: { file, line, column }, hint: 'e.g. {{ref "dim_customers" v=2}} for version 2 of a versioned model.',
        }));
        return;
      }
      if (name === 'ref') facts.refs.push({ name: a, line, column, ...(version !== undefined ? { version } : {}) });
      else facts.sources.push({ source: a, table: b, line, column });
    } else if (name === 'config') {
      for (const pair of hash?.pairs ?? []) {
        const v = literalValue(pair.value);
        if (!v.ok) {
          errors.push(new WeirError('WEIR_CONFIG_INVALID', `config value '${pair.key}' must be known when the project is parsed`, {
            location: { file, line, column },
            hint: 'Write a literal (string, number, boolean, (array ...)), (var "name" ["default"]), (env "NAME" ["default"]) or target.name.',
          }));
          continue;
        }
        facts.config[pair.key] = v.value;
        facts.configLines![pair.key] = pair.loc?.start.line ?? line;
      }
    }
  };
  const visitExprs = (exprs: (Expr | undefined)[]) => {
    for (const e of exprs) {
      if (e && e.type === 'SubExpression') {
        const s = e as hbs.AST.SubExpression;
        call(pathName(s.path), s.params, s.hash, s.loc);
        argNames([...s.params, ...(s.hash?.pairs.map((p) => p.value) ?? [])]);
        visitExprs([...s.params, ...(s.hash?.pairs.map((p) => p.value) ?? [])]);
      }
    }
  };
  const visit = (node: HbNode | undefined | null) => {
    if (!node) return;
    switch (node.type) {
      case 'Program':
        for (const st of (node as hbs.AST.Program).body) visit(st);
        break;
      case 'MustacheStatement': {
        const m = node as hbs.AST.MustacheStatement;
        call(pathName(m.path as Expr), m.params, m.hash, m.loc);
        argNames([...m.params, ...(m.hash?.pairs.map((p) => p.value) ?? [])]);
        visitExprs([m.path as Expr, ...m.params, ...(m.hash?.pairs.map((p) => p.value) ?? [])]);
        break;
      }
      case 'BlockStatement':
      case 'DecoratorBlock': {
        const b = node as hbs.AST.BlockStatement;
        const name = pathName(b.path as Expr);
        if (name) facts.helperCalls.push({ name, line: b.loc.start.line, column: b.loc.start.column + 1 });
        call(undefined, b.params, b.hash, b.loc);
        argNames([...b.params, ...(b.hash?.pairs.map((p) => p.value) ?? [])]);
        visitExprs([...b.params, ...(b.hash?.pairs.map((p) => p.value) ?? [])]);
        // {{#if}} / {{#unless}} keep the context; {{#each}}, {{#with}}, block params and other block helpers
        // may change it, so names inside them are not the template's own
        const keeps = (name === 'if' || name === 'unless') && !(b.program?.blockParams?.length);
        const outer = atRoot;
        atRoot = outer && keeps;
        visit(b.program);
        atRoot = outer && (name === 'if' || name === 'unless');
        visit(b.inverse);
        atRoot = outer;
        break;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement': {
        const p = node as hbs.AST.PartialStatement & { program?: hbs.AST.Program };
        const nameExpr = p.name as unknown as Expr;
        const name = pathName(nameExpr) ?? (nameExpr.type === 'StringLiteral' ? (nameExpr as hbs.AST.StringLiteral).value : undefined);
        if (name && name !== '@partial-block' && !facts.partials.includes(name)) {
          facts.partials.push(name);
          facts.partialLines![name] = p.loc.start.line;
        }
        argNames([...p.params, ...(p.hash?.pairs.map((x) => x.value) ?? [])]);
        visitExprs([...p.params, ...(p.hash?.pairs.map((x) => x.value) ?? [])]);
        const outer = atRoot;
        atRoot = false;
        visit(p.program);
        atRoot = outer;
        break;
      }
      default:
        break;
    }
  };
  visit(ast);
  return facts;
}

/**
 * `{{col}}` → `{{__weir_out col LINE COLUMN "col"}}`: the printed value goes through a helper that refuses
 * untrusted strings (values from vars, env, run-operation args; see untrusted.ts) with the template line.
 * The path stays a strict lookup, so a misspelt name is still "not defined" at its line.
 */
function guardPathOutput(m: hbs.AST.MustacheStatement): void {
  const p = m.path as hbs.AST.PathExpression;
  const loc = m.loc;
  const num = (n: number) => ({ type: 'NumberLiteral', value: n, original: n, loc }) as unknown as hbs.AST.NumberLiteral;
  const str = (v: string) => ({ type: 'StringLiteral', value: v, original: v, loc }) as unknown as hbs.AST.StringLiteral;
  const helper = { type: 'PathExpression', data: false, depth: 0, parts: ['__weir_out'], original: '__weir_out', head: '__weir_out', tail: [], loc: p.loc };
  m.params = [{ ...p, strict: true } as unknown as hbs.AST.PathExpression, num(loc.start.line), num(loc.start.column + 1), str(p.original)];
  m.path = helper as unknown as hbs.AST.PathExpression;
}

/** Helpers whose direct output is type-checked (see {@link guardValueOutput}). */
const GUARDED = new Map([['var', '__weir_emit_var'], ['env', '__weir_emit_env']]);

/**
 * Rewrites `{{var ...}}` and `{{env ...}}` in output position to `{{__weir_emit_var ...}}` so that a
 * string value can't be spliced into SQL unquoted: the emit helpers render numbers and booleans and
 * reject strings, pointing the author at `{{literal (var ...)}}` or `{{ident (var ...)}}`.
 * Subexpressions (`(var "x")`) are untouched. With `isHelper`, a bare path printed (`{{col}}`, `{{this}}`,
 * not a helper name) goes through `__weir_out`, which refuses untrusted strings (see guardPathOutput).
 * Mutates and returns the AST.
 */
export function guardValueOutput(ast: hbs.AST.Program, isHelper?: (name: string) => boolean): hbs.AST.Program {
  const visit = (node: HbNode | undefined | null) => {
    if (!node) return;
    if (node.type === 'Program') for (const st of (node as hbs.AST.Program).body) visit(st);
    else if (node.type === 'MustacheStatement') {
      const m = node as hbs.AST.MustacheStatement;
      const name = pathName(m.path as Expr);
      const repl = name ? GUARDED.get(name) : undefined;
      if (repl && m.params.length > 0) {
        const p = m.path as hbs.AST.PathExpression;
        m.path = { ...p, original: repl, parts: [repl], head: repl } as unknown as hbs.AST.PathExpression;
      } else if (isHelper && name !== undefined && m.params.length === 0 && !(m.hash?.pairs.length) && !isHelper(name) && name !== '__weir_out') {
        guardPathOutput(m);
      }
    } else if (node.type === 'BlockStatement') {
      visit((node as hbs.AST.BlockStatement).program);
      visit((node as hbs.AST.BlockStatement).inverse);
    } else if (node.type === 'PartialBlockStatement') {
      visit((node as hbs.AST.PartialBlockStatement).program);
    }
  };
  visit(ast);
  return ast;
}
