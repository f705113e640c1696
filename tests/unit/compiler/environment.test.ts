import { describe, expect, it } from 'vitest';
import { duckdbDialect } from '../../../src/adapters/duckdb/dialect.js';
import { TemplateEnvironment } from '../../../src/compiler/environment.js';
import type { RenderState } from '../../../src/compiler/helpers/render-state.js';
import { annotateRenderError } from '../../../src/compiler/render-errors.js';
import { WeirError } from '../../../src/errors/weir-error.js';

const state = (vars: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}): RenderState => ({
  nodeId: 'model.t.m', file: 'models/m.sql', dialect: duckdbDialect, vars, env, secrets: new Set(),
  resolveRef: (n) => `"main"."${n}"`,
  resolveSource: (s, t) => `"${s}"."${t}"`,
});

/** Renders a template the way the renderer does, turning errors into WeirErrors with file:line. */
function render(src: string, vars: Record<string, unknown> = {}, ctx: object = {}, env: NodeJS.ProcessEnv = {}, partials: { name: string; raw: string }[] = []): string {
  const te = new TemplateEnvironment(partials.map((p) => ({ ...p, path: `macros/${p.name}.sql` })));
  const fn = te.compile(src, 'models/m.sql');
  try {
    return fn(ctx, { data: { weir: state(vars, env) } });
  } catch (e) {
    throw annotateRenderError(e, 'models/m.sql', 'model.t.m');
  }
}

function renderError(src: string, vars: Record<string, unknown> = {}, ctx: object = {}): WeirError {
  try {
    render(src, vars, ctx);
  } catch (e) {
    expect(e).toBeInstanceOf(WeirError);
    return e as WeirError;
  }
  throw new Error(`expected ${src} to fail`);
}

describe('template rendering', () => {
  it('never HTML-escapes (noEscape): <, &, quotes pass through', () => {
    expect(render(`select {{x}} as a`, {}, { x: `a < b & c > 'd' "e"` })).toBe(`select a < b & c > 'd' "e" as a`);
    expect(render(`select {{raw (var "expr")}}`, { expr: `x <> 1 and y = '&'` })).toBe(`select x <> 1 and y = '&'`);
  });

  it('is strict: a missing variable is an error naming file:line', () => {
    const e = renderError('select 1\nfrom t\nwhere {{colum}} = 1');
    expect(e.code).toBe('WEIR_TEMPLATE_RENDER');
    expect(e.message).toContain('colum');
    expect(e.location?.file).toBe('models/m.sql');
    expect(e.location?.line).toBe(3);
    expect(e.format()).toMatch(/^models\/m\.sql:3(:\d+)?: /);
  });

  it('literal: strings with quotes, numbers, booleans, null, dates, lists', () => {
    expect(render(`{{literal "it's"}}`)).toBe(`'it''s'`);
    expect(render(`{{literal (var "s")}}`, { s: `O'Brien "x"` })).toBe(`'O''Brien "x"'`);
    expect(render(`{{literal 42}}`)).toBe('42');
    expect(render(`{{literal -1.5}}`)).toBe('-1.5');
    expect(render(`{{literal true}} {{literal false}}`)).toBe('TRUE FALSE');
    expect(render(`{{literal null}}`)).toBe('NULL');
    expect(render(`{{literal (var "d")}}`, { d: new Date('2024-01-02T03:04:05.000Z') })).toBe(`TIMESTAMP '2024-01-02 03:04:05.000'`);
    expect(render(`in ({{literal (var "xs")}})`, { xs: ['a', "b'c", 3] })).toBe(`in ('a', 'b''c', 3)`);
    expect(render(`in ({{literal (array "a" "b")}})`)).toBe(`in ('a', 'b')`);
  });

  it('literal rejects values that are not SQL literals', () => {
    expect(renderError(`{{literal (var "o")}}`, { o: { a: 1 } }).message).toMatch(/cannot write an? object/);
    expect(renderError(`{{literal (var "xs")}}`, { xs: [] }).message).toMatch(/empty list/);
  });

  it('ident quotes names and doubles embedded double quotes', () => {
    expect(render(`{{ident "order"}}`)).toBe(`"order"`);
    expect(render(`{{ident 'a"b'}}`)).toBe(`"a""b"`);
    expect(render(`{{ident "my schema" "t"}}`)).toBe(`"my schema"."t"`);
    expect(render(`{{ident (var "c")}}`, { c: 'Col"X' })).toBe(`"Col""X"`);
    expect(renderError(`{{ident ""}}`).message).toMatch(/non-empty/);
  });

  it('{{var}} renders numbers and booleans but rejects strings', () => {
    expect(render(`limit {{var "n"}}`, { n: 10 })).toBe('limit 10');
    expect(render(`{{var "b"}}`, { b: true })).toBe('TRUE');
    expect(render(`{{var "missing" 7}}`)).toBe('7');
    const e = renderError(`select 1\nwhere country = {{var "country"}}`, { country: 'KR' });
    expect(e.message).toContain('{{literal (var "country")}}');
    expect(e.message).toContain('{{ident (var "country")}}');
    expect(e.location?.file).toBe('models/m.sql');
    // a string default is still a string
    expect(renderError(`{{var "x" "dflt"}}`).message).toContain('unquoted');
  });

  it('{{var}} without a value or default names the variable', () => {
    const e = renderError(`{{literal (var "start_date")}}`);
    expect(e.message).toContain(`var 'start_date' is not defined`);
  });

  it('{{env}} output is guarded too, and secret-looking env values are recorded for redaction', () => {
    const st = state({}, { MY_PASSWORD: 'hunter22', N: '3' });
    const te = new TemplateEnvironment();
    expect(te.compile(`{{literal (env "MY_PASSWORD")}}`, 'm.sql')({}, { data: { weir: st } })).toBe(`'hunter22'`);
    expect(st.secrets.has('hunter22')).toBe(true);
    expect(() => te.compile(`{{env "N"}}`, 'm.sql')({}, { data: { weir: st } })).toThrow(/unquoted/);
  });

  it('{{raw}} splices a value verbatim (the escape hatch)', () => {
    expect(render(`select {{raw (var "e")}} from t`, { e: `a + b` })).toBe('select a + b from t');
    expect(render(`[{{raw null}}]`)).toBe('[]');
  });

  it('comparison helpers drive {{#if}}', () => {
    const t = `{{#if (and (eq (var "env") "prod") (gt (var "n") 1))}}yes{{else}}no{{/if}}`;
    expect(render(t, { env: 'prod', n: 2 })).toBe('yes');
    expect(render(t, { env: 'dev', n: 2 })).toBe('no');
    expect(render(`{{literal (coalesce null (var "x" null) "z")}}`)).toBe(`'z'`);
  });

  it('partials receive hash arguments; errors inside a macro name the macro file', () => {
    const partials = [{ name: 'pick', raw: 'select {{ident col}} from {{relation}}' }, { name: 'bad', raw: 'select {{nope}}' }];
    expect(render(`{{> pick col="a" relation=(ref "m2")}}`, {}, {}, {}, partials)).toBe(`select "a" from "main"."m2"`);
    let err: unknown;
    try {
      render(`{{> bad}}`, {}, {}, {}, partials);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WeirError);
    expect((err as WeirError).location?.file).toBe('macros/bad.sql');
  });

  it('interpreted templates share the runtime setup, yet see helpers registered or replaced later and leave the caller\'s data alone', () => {
    const te = new TemplateEnvironment();
    const data = { weir: state() };
    expect(te.compile('select * from {{ref "a"}}', 'models/a.sql')({}, { data })).toBe('select * from "main"."a"');
    expect('root' in data).toBe(false);
    te.hb.registerHelper('shout', (s: unknown) => String(s).toUpperCase());
    const b = te.compile('select {{shout "x"}}', 'models/b.sql');
    expect(b({}, { data })).toBe('select X');
    te.hb.registerHelper('shout', (s: unknown) => `${String(s)}!`);
    expect(b({}, { data })).toBe('select x!');
  });

  it('suggests the closest helper', () => {
    const te = new TemplateEnvironment();
    expect(te.suggestHelper('refs')).toBe('ref');
    expect(te.suggestHelper('literl')).toBe('literal');
    expect(te.suggestHelper('zzzzzzzzzz')).toBeUndefined();
  });

  it('a helper module cannot shadow a built-in', () => {
    expect(() => new TemplateEnvironment([], [{ path: 'macros/h.ts', exports: { ref: () => 'x' } }])).toThrow(/clashes with a built-in/);
  });
});

describe('values from vars and env never reach SQL unquoted (untrusted.ts)', () => {
  it('a var printed raw in a macro, {{#with}} or {{#each}} is an error at the template line', () => {
    const m = (() => { try { render('select 1\n{{> f val=(var "v")}}', { v: "x'; drop table t; --" }, {}, {}, [{ name: 'f', raw: "where a = 1\n  and b = '{{val}}'" }]); } catch (e) { return e as WeirError; } throw new Error('no error'); })();
    expect(m.location).toMatchObject({ file: 'macros/f.sql', line: 2 });
    expect(m.message).toContain('var "v"');
    expect(m.message).toContain('{{literal');
    expect(renderError('{{#with (var "v")}}\n{{this}}{{/with}}', { v: 'x' }).location?.line).toBe(2);
    expect(renderError('{{#each (var "v")}}{{this}}{{/each}}', { v: ['a', 'b'] }).message).toContain('{{this}}');
    expect(renderError('{{#each (var "v")}}{{name}}{{/each}}', { v: [{ name: 'a' }] }).message).toContain('var "v"');
  });

  it('numbers, booleans, empty strings and literal/ident/raw/comparisons keep working', () => {
    expect(render('{{#each (var "v")}}{{this}},{{/each}}', { v: [1, 2] })).toBe('1,2,');
    expect(render('{{> f val=(literal (var "v"))}}', { v: "O'B" }, {}, {}, [{ name: 'f', raw: 'x = {{val}}' }])).toBe("x = 'O''B'");
    expect(render('{{#if (eq (var "v") "a")}}yes{{/if}}{{#if (var "e")}}no{{/if}}', { v: 'a', e: '' })).toBe('yes');
    expect(render('{{raw (var "v")}} {{ident (var "c")}}', { v: 'a + b', c: 'Col' })).toBe('a + b "Col"');
    expect(render('select {{x}} from {{this}}', {}, { x: 'a', toString: () => '"main"."m"' })).toBe('select a from "main"."m"');
  });

  it('a misspelt name printed is still "not defined" at its line', () => {
    const e = renderError('select 1\n, {{misspelt}}');
    expect(e.message).toContain("'misspelt' is not defined");
    expect(e.location?.line).toBe(2);
  });

  it('cross-dialect helpers refuse a var as SQL text; env values too', () => {
    expect(renderError('{{hash (var "v")}}', { v: 'x' }).message).toMatch(/hash: the value would be a string from var "v"/);
    const te = new TemplateEnvironment([{ name: 'f', path: 'macros/f.sql', raw: '{{p}}' }]);
    expect(() => te.compile('{{> f p=(env "HOME_X")}}', 'm.sql')({}, { data: { weir: state({}, { HOME_X: '/x' }) } })).toThrow(/env "HOME_X"/);
  });

  it('literal cannot end a -- or /* */ comment: line breaks and */ become concatenations', () => {
    expect(render('{{literal (var "v")}}', { v: "a\nb'\r*/c" })).toBe("('a' || chr(10) || 'b''' || chr(13) || '*' || '/c')");
    expect(render('in ({{literal (var "v")}})', { v: ['x', 'y\nz'] })).toBe("in ('x', ('y' || chr(10) || 'z'))");
    expect(renderError('{{ident (var "v")}}', { v: 'a\nb' }).message).toContain('line break');
  });
});
