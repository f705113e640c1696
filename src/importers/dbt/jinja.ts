/**
 * Rewrites a dbt Jinja SQL template as a Weir Handlebars template, tag by tag: `{{ expr }}` (see
 * jinja-expr.ts), `{% if %}`/`{% elif %}`/`{% else %}`/`{% endif %}`, `{% for x in <list or var> %}` (with
 * `loop.first/last/index`), `{% set x = <literal> %}` (inlined where used), `{# comments #}`, and
 * whitespace control (`{%-`/`-%}` → `{{~`/`~}}`). A tag it cannot rewrite is left in place as written and
 * reported with its line and the reason (its block's end tag is left too).
 */
import { call, parseExpr, toArg, Unconvertible, type Expr, type Scope } from './jinja-expr.js';

/** Something left unconverted. */
export interface ImportProblem {
  /** Output-project-relative file. */
  readonly file: string;
  readonly line: number;
  readonly why: string;
}

/** A `{{ }}`, `{% %}` or `{# #}` tag found in a template. */
export interface JinjaTag {
  readonly kind: 'expr' | 'stmt' | 'comment';
  readonly body: string;
  readonly start: number;
  readonly end: number;
  readonly trimLeft: boolean;
  readonly trimRight: boolean;
  readonly raw: string;
}

const OPEN = /\{\{|\{%|\{#/g;

/** Finds the tags of a template in order. */
export function jinjaTags(text: string): JinjaTag[] {
  const out: JinjaTag[] = [];
  OPEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = OPEN.exec(text))) {
    const kind = m[0] === '{{' ? 'expr' : m[0] === '{%' ? 'stmt' : 'comment';
    const close = kind === 'expr' ? '}}' : kind === 'stmt' ? '%}' : '#}';
    const endAt = text.indexOf(close, m.index + 2);
    if (endAt < 0) break;
    let body = text.slice(m.index + 2, endAt);
    const trimLeft = body.startsWith('-');
    const trimRight = body.endsWith('-');
    if (trimLeft) body = body.slice(1);
    if (trimRight) body = body.slice(0, -1);
    out.push({ kind, body: body.trim(), start: m.index, end: endAt + 2, trimLeft, trimRight, raw: text.slice(m.index, endAt + 2) });
    OPEN.lastIndex = endAt + 2;
  }
  return out;
}

const lineAt = (text: string, offset: number) => text.slice(0, offset).split('\n').length;

/** What a block tag opened (`kept`: left unconverted, so its end tag is left too). */
interface Block {
  readonly type: 'if' | 'for';
  readonly kept: boolean;
  readonly loopVar?: string;
}

/**
 * Converts one template.
 * @param file for problems (output-relative path)
 * @param lineOffset added to line numbers (a macro's body starts inside its file)
 */
export function convertTemplate(text: string, file: string, scope: Scope, lineOffset = 0): { text: string; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const blocks: Block[] = [];
  let out = '';
  let pos = 0;
  const tilde = (t: JinjaTag, inner: string) => `{{${t.trimLeft ? '~' : ''}${inner}${t.trimRight ? '~' : ''}}}`;
  for (const t of jinjaTags(text)) {
    out += text.slice(pos, t.start);
    pos = t.end;
    // '{{ var(...) }}' / '{{ env_var(...) }}' quoted by hand: a value → {{literal ...}} without the quotes.
    if (t.kind === 'expr' && out.endsWith("'") && text[t.end] === "'") {
      try {
        const e = parseExpr(t.body);
        const quoted = e.k === 'call' && /^(var|env_var)$/.test(e.fn.join('.')) ? `(${call(e, scope, 'arg')})`
          : e.k === 'name' && e.path.length === 1 && scope.loops.includes(e.path[0]) ? e.path[0] : undefined;
        if (quoted) {
          out = out.slice(0, -1);
          out += `{{literal ${quoted}}}`;
          pos = t.end + 1;
          continue;
        }
      } catch {
        /* converted (or reported) below */
      }
    }
    const line = lineAt(text, t.start) + lineOffset;
    const keep = (why: string) => {
      problems.push({ file, line, why });
      out += t.raw;
    };
    try {
      if (t.kind === 'comment') {
        out += tilde(t, `!-- ${t.body.replace(/--/g, '- -')} --`);
        continue;
      }
      if (t.kind === 'expr') {
        out += expression(parseExpr(t.body), scope, t);
        continue;
      }
      const [word, ...restWords] = t.body.split(/\s+/);
      const rest = t.body.slice(word.length).trim();
      switch (word) {
        case 'if':
          blocks.push({ type: 'if', kept: false });
          try {
            out += tilde(t, `#if ${toArg(parseExpr(rest), scope)}`);
          } catch (e) {
            blocks[blocks.length - 1] = { type: 'if', kept: true };
            throw e;
          }
          break;
        case 'elif':
        case 'else': {
          const b = blocks.at(-1);
          if (!b) throw new Unconvertible(`{% ${word} %} outside a block`);
          if (b.kept) {
            out += t.raw;
            break;
          }
          if (word === 'else') out += tilde(t, 'else');
          else if (b.type === 'if') out += tilde(t, `else if ${toArg(parseExpr(rest), scope)}`);
          else throw new Unconvertible('{% elif %} in a for loop');
          break;
        }
        case 'endif':
        case 'endfor': {
          const b = blocks.pop();
          if (!b) throw new Unconvertible(`{% ${word} %} without its opening tag`);
          if (b.loopVar) scope.loops.pop();
          out += b.kept ? t.raw : tilde(t, b.type === 'if' ? '/if' : '/each');
          break;
        }
        case 'for': {
          const m = /^([A-Za-z_]\w*)\s+in\s+([\s\S]+)$/.exec(rest);
          if (!m) {
            blocks.push({ type: 'for', kept: true });
            throw new Unconvertible(`{% for ${rest} %} (only one loop variable over a list, a {% set %} list or var())`);
          }
          let list: string;
          try {
            list = toArg(parseExpr(m[2]), scope);
          } catch (e) {
            blocks.push({ type: 'for', kept: true });
            throw e;
          }
          blocks.push({ type: 'for', kept: false, loopVar: m[1] });
          scope.loops.push(m[1]);
          out += tilde(t, `#each ${list} as |${m[1]}|`);
          break;
        }
        case 'set': {
          const m = /^([A-Za-z_]\w*)\s*=\s*([\s\S]+)$/.exec(rest);
          if (!m) throw new Unconvertible(`{% set ${rest} %} (only {% set name = literal %})`);
          const value = parseExpr(m[2]);
          if (!isLiteral(value)) throw new Unconvertible(`{% set ${m[1]} = ... %} of a value that is not a literal`);
          scope.sets.set(m[1], value);
          break;
        }
        default:
          void restWords;
          throw new Unconvertible(`the {% ${word} %} tag`);
      }
    } catch (e) {
      if (!(e instanceof Unconvertible)) throw e;
      keep(`${t.kind === 'expr' ? `{{ ${t.body} }}` : `{% ${t.body.split(/\s+/)[0]} %}`}: ${e.why}`);
    }
  }
  out += text.slice(pos);
  return { text: out, problems };
}

function isLiteral(e: Expr): boolean {
  return e.k === 'str' || e.k === 'num' || e.k === 'bool' || e.k === 'none' || (e.k === 'list' && e.items.every(isLiteral));
}

/** An output expression `{{ ... }}`. */
function expression(e: Expr, s: Scope, t: JinjaTag): string {
  const w = (inner: string) => `{{${t.trimLeft ? '~' : ''}${inner}${t.trimRight ? '~' : ''}}}`;
  if (e.k === 'str') return e.v;
  if (e.k === 'num') return String(e.v);
  if (e.k === 'name') {
    const set = s.sets.get(e.path[0]);
    if (set && e.path.length === 1) {
      if (set.k === 'str' || set.k === 'num') return String(set.v);
      throw new Unconvertible(`output of {% set %} list '${e.path[0]}'`);
    }
    const arg = toArg(e, s);
    if (arg.startsWith('(')) throw new Unconvertible(`output of ${e.path.join('.')}`);
    // A loop variable printed unquoted is SQL text in dbt (a column name, an expression): Weir asks for raw.
    if (e.path.length === 1 && s.loops.includes(e.path[0])) return w(`raw ${arg}`);
    return w(arg);
  }
  if (e.k === 'call') {
    if (e.fn.length === 1 && e.fn[0] === 'config') {
      if (e.args.length) throw new Unconvertible('config() with positional arguments');
      return w(`config${e.kwargs.map(([k, v]) => ` ${k}=${toArg(v, s)}`).join('')}`);
    }
    const c = call(e, s, 'out');
    // A string spliced into SQL unquoted is SQL text in dbt: Weir asks for raw.
    const name = e.fn.join('.');
    if (name === 'env_var' || (name === 'var' && (typeof s.vars?.[(e.args[0] as { v?: string })?.v ?? ''] === 'string' || e.args[1]?.k === 'str'))) return w(`raw (${c})`);
    return w(c);
  }
  throw new Unconvertible('an expression that is not a value, name or call');
}
