/**
 * A compact, JSON-safe encoding of a template's render plan, stored by the partial-parse cache so that a
 * warm run renders without Handlebars' parser. It covers exactly the subset {@link interpretTemplate}
 * evaluates (content, `{{helper args}}` with literal or sub-expression arguments, `{{#if}}`/`{{#unless}}`
 * with one argument, `{{> partial key=value}}`); templates outside it are not encoded and are parsed again
 * when rendered. Content text is stored as offsets into the template source (which the loader reads anyway),
 * so a plan is a few hundred bytes rather than the tens of kilobytes of a Handlebars AST with locations.
 *
 * Encoding (arrays, to keep the JSON small):
 * - program: array of statements (comments are dropped: they render nothing);
 * - content: `[0, start, end]` (a slice of the source) or `[0, "text"]` when the text is not a slice;
 * - `{{helper ...}}`: `[1, name, params, hash, loc]`;
 * - `{{#if x}}...{{else}}...{{/if}}`: `[2, name, param, program, inverse | 0, loc]`;
 * - `{{> name key=value}}`: `[3, name, hash, indent]`;
 * - expressions: a string / number / boolean / null literal as itself, `[]` for `undefined`, and a
 *   sub-expression as `[name, params, hash, loc]`; hash: `0` or a list of `[key, expr]`; loc: `[line, column, endLine, endColumn]`.
 */

type Program = hbs.AST.Program;
type Expr = hbs.AST.Expression;

/** An encoded plan (see the module comment); opaque to callers. */
export type TemplatePlan = readonly unknown[];

const BLOCKS = new Set(['if', 'unless']);

function simpleName(p: Expr | undefined): string | undefined {
  if (!p || p.type !== 'PathExpression') return undefined;
  const path = p as hbs.AST.PathExpression;
  if (path.data || path.depth !== 0 || path.parts.length !== 1 || path.original !== path.parts[0]) return undefined;
  return path.parts[0];
}

class Unsupported extends Error {}

/**
 * Encodes a freshly parsed (not yet rewritten) template AST.
 * @param ast the AST from `Handlebars.parse(source)`
 * @param source the template text the AST was parsed from
 * @returns the plan, or undefined when the template uses anything outside the interpreted subset
 */
export function encodeTemplatePlan(ast: Program, source: string): TemplatePlan | undefined {
  const lineStarts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const offsetOf = (loc: hbs.AST.Position) => (lineStarts[loc.line - 1] ?? NaN) + loc.column;
  const loc = (n: hbs.AST.Node) => [n.loc.start.line, n.loc.start.column, n.loc.end.line, n.loc.end.column];

  const expr = (e: Expr): unknown => {
    switch (e.type) {
      case 'StringLiteral':
      case 'NumberLiteral':
      case 'BooleanLiteral': {
        const v = (e as hbs.AST.StringLiteral).value as unknown;
        if (typeof v === 'number' && !Number.isFinite(v)) throw new Unsupported();
        return v;
      }
      case 'NullLiteral':
        return null;
      case 'UndefinedLiteral':
        return [];
      case 'SubExpression': {
        return call(e as hbs.AST.SubExpression);
      }
      default:
        throw new Unsupported();
    }
  };
  const hash = (h: hbs.AST.Hash | undefined): unknown => (h && h.pairs.length ? h.pairs.map((p) => [p.key, expr(p.value)]) : 0);
  /** A helper call `name params hash` (sub-expression or mustache): returns [name, params, hash, loc]. */
  const call = (c: { path: Expr | hbs.AST.PathExpression; params: Expr[]; hash?: hbs.AST.Hash; loc: hbs.AST.SourceLocation }): unknown[] => {
    const name = simpleName(c.path as Expr);
    if (!name || BLOCKS.has(name)) throw new Unsupported();
    if (c.params.length === 0 && !(c.hash && c.hash.pairs.length > 0)) throw new Unsupported();
    return [name, c.params.map(expr), hash(c.hash), loc(c as unknown as hbs.AST.Node)];
  };
  const program = (p: Program): unknown[] => {
    if (p.blockParams && p.blockParams.length) throw new Unsupported();
    const out: unknown[] = [];
    for (const st of p.body) {
      switch (st.type) {
        case 'ContentStatement': {
          const c = st as hbs.AST.ContentStatement;
          const original = (c as unknown as { original: string }).original;
          const value = c.value;
          const start = offsetOf(c.loc.start);
          let enc: unknown[] = [0, value];
          if (typeof original === 'string' && source.startsWith(original, start)) {
            // Whitespace control and standalone lines strip leading/trailing whitespace: value is a slice of original.
            for (let i = original.indexOf(value); i >= 0 && i <= original.length - value.length; i = original.indexOf(value, i + 1)) {
              if (/^\s*$/.test(original.slice(0, i)) && /^\s*$/.test(original.slice(i + value.length))) {
                enc = [0, start + i, start + i + value.length];
                break;
              }
            }
          }
          out.push(enc);
          break;
        }
        case 'CommentStatement':
          break;
        case 'MustacheStatement':
          out.push([1, ...call(st as hbs.AST.MustacheStatement)]);
          break;
        case 'BlockStatement': {
          const b = st as hbs.AST.BlockStatement;
          const name = simpleName(b.path as Expr);
          if (!name || !BLOCKS.has(name) || b.params.length !== 1 || (b.hash && b.hash.pairs.length > 0) || !b.program) throw new Unsupported();
          out.push([2, name, expr(b.params[0]), program(b.program), b.inverse ? program(b.inverse) : 0, loc(b)]);
          break;
        }
        case 'PartialStatement': {
          const ps = st as hbs.AST.PartialStatement & { indent?: string };
          const name = simpleName(ps.name as unknown as Expr);
          if (!name || ps.params.length > 0) throw new Unsupported();
          out.push([3, name, hash(ps.hash), ps.indent ?? '']);
          break;
        }
        default:
          throw new Unsupported();
      }
    }
    return out;
  };
  try {
    return program(ast);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

/**
 * Rebuilds the AST subset {@link interpretTemplate} reads from a plan.
 * The result is only fit for `interpretTemplate` (and `guardValueOutput`): comments and source details
 * Handlebars' own compiler needs are gone, so a caller whose interpretation fails must parse the source.
 * @param plan a plan from {@link encodeTemplatePlan} of the same `source`
 * @throws Error when the plan is malformed (a corrupt cache): the caller parses the source instead
 */
export function decodeTemplatePlan(plan: TemplatePlan, source: string): Program {
  const bad = (): never => {
    throw new Error('malformed template plan');
  };
  const path = (name: unknown) => {
    if (typeof name !== 'string' || !name) bad();
    return { type: 'PathExpression', data: false, depth: 0, parts: [name], original: name };
  };
  const loc = (l: unknown) => {
    if (!Array.isArray(l) || l.length !== 4) bad();
    const [a, b, c, d] = l as number[];
    return { start: { line: a, column: b }, end: { line: c, column: d } };
  };
  const expr = (e: unknown): unknown => {
    if (typeof e === 'string') return { type: 'StringLiteral', value: e, original: e };
    if (typeof e === 'number') return { type: 'NumberLiteral', value: e, original: e };
    if (typeof e === 'boolean') return { type: 'BooleanLiteral', value: e, original: e };
    if (e === null) return { type: 'NullLiteral', value: null, original: null };
    if (!Array.isArray(e)) return bad();
    if (e.length === 0) return { type: 'UndefinedLiteral', value: undefined, original: undefined };
    return { type: 'SubExpression', path: path(e[0]), params: params(e[1]), hash: hash(e[2]), loc: loc(e[3]) };
  };
  const params = (p: unknown) => (Array.isArray(p) ? p.map(expr) : bad());
  const hash = (h: unknown) => {
    if (h === 0) return undefined;
    if (!Array.isArray(h)) return bad();
    return { type: 'Hash', pairs: h.map((pair: unknown) => (Array.isArray(pair) && typeof pair[0] === 'string' ? { type: 'HashPair', key: pair[0], value: expr(pair[1]) } : bad())) };
  };
  const program = (p: unknown): Program => {
    if (!Array.isArray(p)) bad();
    const body = (p as unknown[]).map((st) => {
      if (!Array.isArray(st)) return bad();
      switch (st[0]) {
        case 0: {
          if (st.length === 2 && typeof st[1] === 'string') return { type: 'ContentStatement', value: st[1], original: st[1] };
          const [, a, b] = st as number[];
          if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < a || b > source.length) bad();
          const value = source.slice(a, b);
          return { type: 'ContentStatement', value, original: value };
        }
        case 1:
          return { type: 'MustacheStatement', path: path(st[1]), params: params(st[2]), hash: hash(st[3]), escaped: true, loc: loc(st[4]) };
        case 2:
          return {
            type: 'BlockStatement', path: path(st[1]), params: [expr(st[2])], hash: undefined,
            program: program(st[3]), inverse: st[4] === 0 ? undefined : program(st[4]), loc: loc(st[5]),
          };
        case 3: {
          if (typeof st[3] !== 'string') bad();
          const node: Record<string, unknown> = { type: 'PartialStatement', name: path(st[1]), params: [], hash: hash(st[2]) };
          if (st[3]) node.indent = st[3];
          return node;
        }
        default:
          return bad();
      }
    });
    return { type: 'Program', body, blockParams: undefined } as unknown as Program;
  };
  return program(plan);
}
