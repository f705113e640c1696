import { describe, expect, it } from 'vitest';
import { collectFacts, parseTemplate } from '../../../src/compiler/template.js';
import { WeirError } from '../../../src/errors/weir-error.js';

const facts = (src: string) => {
  const errors: WeirError[] = [];
  const f = collectFacts(parseTemplate(src, 'models/m.sql'), 'models/m.sql', errors);
  return { ...f, errors };
};

describe('parse-phase fact collection', () => {
  it('records refs in every branch, including untaken {{#if false}} and {{else}} branches', () => {
    const f = facts(`select * from {{ref "a"}}
{{#if false}}union all select * from {{ref "b"}}{{else}}union all select * from {{ref "c"}}{{/if}}
{{#each (array 1 2)}}{{ref "d"}}{{/each}}
{{#unless true}}{{source "crm" "customers"}}{{/unless}}`);
    expect(f.refs.map((r) => r.name)).toEqual(['a', 'b', 'c', 'd']);
    expect(f.refs[1].line).toBe(2);
    expect(f.sources).toEqual([expect.objectContaining({ source: 'crm', table: 'customers', line: 4 })]);
    expect(f.errors).toEqual([]);
  });

  it('records refs in subexpressions and partial arguments', () => {
    const f = facts(`{{> rfm relation=(ref "orders") }} {{literal (ref "x")}}`);
    expect(f.refs.map((r) => r.name).sort()).toEqual(['orders', 'x']);
    expect(f.partials).toEqual(['rfm']);
  });

  it('rejects dynamic refs with WEIR_REF_DYNAMIC and file:line', () => {
    const f = facts(`select 1\nfrom {{ref (var "x")}}`);
    expect(f.refs).toEqual([]);
    expect(f.errors).toHaveLength(1);
    expect(f.errors[0].code).toBe('WEIR_REF_DYNAMIC');
    expect(f.errors[0].location).toMatchObject({ file: 'models/m.sql', line: 2 });
    expect(facts(`{{ref name}}`).errors[0].code).toBe('WEIR_REF_DYNAMIC');
    expect(facts(`{{source "only_one"}}`).errors[0].code).toBe('WEIR_REF_DYNAMIC');
  });

  it('reads literal {{config}} values, arrays included', () => {
    const f = facts(`{{config materialized="table" tags=(array "a" "b") enabled=true n=3}}select 1`);
    expect(f.config).toEqual({ materialized: 'table', tags: ['a', 'b'], enabled: true, n: 3 });
    // (var ...) is recorded as a parse-time value, resolved by the parse phase (tests/integration/templated-yaml.test.ts).
    expect(facts(`{{config schema=(var "s")}}`).config).toEqual({ schema: { __weir_parse_time: 'var', args: ['s'] } });
    const bad = facts(`{{config schema=(lower "s")}}`);
    expect(bad.errors[0].code).toBe('WEIR_CONFIG_INVALID');
  });

  it('records helper calls for the unknown-helper check', () => {
    const f = facts(`{{refs "a"}}\n{{#myblock x}}{{/myblock}}`);
    expect(f.helperCalls).toEqual([
      expect.objectContaining({ name: 'refs', line: 1 }),
      expect.objectContaining({ name: 'myblock', line: 2 }),
    ]);
  });

  it('a syntax error names file and line', () => {
    let err: WeirError | undefined;
    try {
      parseTemplate('select 1\nfrom x\n{{#if a}}\nwhere {{b}\n', 'models/broken.sql');
    } catch (e) {
      err = e as WeirError;
    }
    expect(err?.code).toBe('WEIR_TEMPLATE_SYNTAX');
    expect(err?.location?.file).toBe('models/broken.sql');
    expect(err?.location?.line).toBe(4);
  });
});

describe('syntax error locations', () => {
  const err = (src: string) => {
    try {
      parseTemplate(src, 'models/x.sql');
    } catch (e) {
      return e as WeirError;
    }
    throw new Error('expected a syntax error');
  };
  it('a mismatched block close names its line and column', () => {
    const e = err('select 1\nfrom x\nwhere {{#if a}} y {{/iff}}\n');
    expect(e.location).toMatchObject({ file: 'models/x.sql', line: 3 });
    expect(e.message).toBe(`template syntax error: if doesn't match iff`);
  });
  it('an unclosed block names a line', () => {
    const e = err('select 1\n{{#if a}}\nx\n');
    expect(e.location?.line).toBeGreaterThanOrEqual(2);
  });
});

describe('collectFacts: names read from the template context as helper arguments', () => {
  const names = (src: string) => collectFacts(parseTemplate(src, 'models/m.sql'), 'models/m.sql', []).argNames.map((a) => `${a.name}@${a.line}:${a.column}`);

  it('records names in {{#if}}, {{#unless}}, else-if, subexpressions, helper and partial arguments, with line:column', () => {
    expect(names('select 1\n{{#if flag}}x{{else if other}}y{{/if}}')).toEqual(['flag@2:7', 'other@2:24']);
    expect(names('{{#unless (eq target.name "prod")}}{{literal sheme}}{{/unless}}')).toEqual(['target@1:15', 'sheme@1:46']);
    expect(names('{{> macro relation=tbl}}')).toEqual(['tbl@1:20']);
  });

  it('leaves out literals, data variables, this, ../ paths and names inside context-changing blocks', () => {
    expect(names('{{#if (var "x" false)}}{{literal "s"}}{{/if}}{{literal @root}}')).toEqual([]);
    expect(names('{{#each (array "a" "b")}}{{#if this}}{{ident this}}{{/if}}{{literal ../x}}{{/each}}')).toEqual([]);
    expect(names('{{#with target}}{{#if name}}{{literal schema}}{{/if}}{{/with}}')).toEqual(['target@1:9']);
    expect(names('{{#each (array 1) as |n|}}{{literal n}}{{/each}}')).toEqual([]);
  });
});

describe('template size guard', () => {
  it('10,000 nested blocks fail at once with the line; a 5 MB+ template is refused; ordinary nesting passes', async () => {
    const { parseTemplate, MAX_TEMPLATE_NESTING } = await import('../../../src/compiler/template.js');
    const deep = `select 1\n${'{{#if true}}'.repeat(10_000)}x${'{{/if}}'.repeat(10_000)}`;
    const t0 = performance.now();
    expect(() => parseTemplate(deep, 'models/deep.sql')).toThrow(/nested more than 100 deep/);
    expect(performance.now() - t0).toBeLessThan(2000);
    try { parseTemplate(deep, 'models/deep.sql'); } catch (e) { expect((e as { location: { file: string; line: number } }).location).toMatchObject({ file: 'models/deep.sql', line: 2 }); }
    expect(() => parseTemplate(`select '${'x'.repeat(5_000_001)}'`, 'models/big.sql')).toThrow(/too large/);
    const ok = `${'{{#if true}}'.repeat(MAX_TEMPLATE_NESTING)}x${'{{/if}}'.repeat(MAX_TEMPLATE_NESTING)}{{!-- {{#if}} in a comment --}}`;
    expect(() => parseTemplate(ok, 'models/ok.sql')).not.toThrow();
  });
});
