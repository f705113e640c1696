/** Jinja in a Weir template: each construct found with its line and column and the Weir spelling. */
import { describe, expect, it } from 'vitest';
import { assertNoJinja, findJinja } from '../../../src/compiler/jinja-hints.js';
import { WeirErrors, type WeirError } from '../../../src/errors/weir-error.js';
import { runCli, makeProject, cleanupProjects } from '../../helpers/project.js';
import { afterAll } from 'vitest';

afterAll(cleanupProjects);

describe('findJinja', () => {
  it('finds dbt-style calls, statements, comments and filters with their Weir spelling', () => {
    const t = [
      "{{ config(materialized='incremental', unique_key='id') }}",
      "select * from {{ ref('stg_orders') }} join {{ source('crm', \"customers\") }}",
      '{# a comment #}',
      '{% if is_incremental() %} where x > (select max(x) from {{ this }}) {% endif %}',
      "{% for c in ['a','b'] %}{{ c }}{% endfor %}",
      "{{ var('start', '2024-01-01') }} {{ env_var('HOME') }} {{ x | upper }}",
    ].join('\n');
    expect(findJinja(t).map((f) => [f.line, f.column, f.weir])).toEqual([
      [1, 1, '{{config materialized="incremental" unique_key="id"}}'],
      [2, 15, '{{ref "stg_orders"}}'],
      [2, 44, '{{source "crm" "customers"}}'],
      [3, 1, '{{!-- comment --}}'],
      [4, 1, '{{#if (is_incremental)}}'],
      [4, 69, '{{/if}}'],
      [5, 1, expect.stringContaining('{{#each list}}')],
      [5, 32, '{{/each}}'],
      [6, 1, '{{var "start" "2024-01-01"}}'],
      [6, 34, '{{env "HOME"}}'],
      [6, 56, expect.stringContaining('Jinja filters')],
    ]);
  });

  it('leaves Handlebars alone: subexpressions, block params, pipes in strings and SQL, comments', () => {
    const t = [
      '{{ident (lookup ../cols @index)}} {{#each xs as |x|}}{{x}}{{/each}}',
      "{{literal \"a|b\"}} {{#if (eq a \"b\")}}y{{/if}} select 'a' || 'b' {{raw \"count(*)\"}}",
      "{{!-- {{ ref('x') }} in a comment --}} {{! {% if %} }}",
    ].join('\n');
    expect(findJinja(t)).toEqual([]);
    expect(() => assertNoJinja(t, 'm.sql')).not.toThrow();
  });

  it('assertNoJinja throws one WEIR_TEMPLATE_SYNTAX error per construct, at file:line:column', () => {
    let err: unknown;
    try {
      assertNoJinja("select 1\n{% if x %}a{% endif %}", 'models/m.sql');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WeirErrors);
    const errors = (err as WeirErrors).errors as WeirError[];
    expect(errors.map((e) => [e.code, e.location?.file, e.location?.line, e.location?.column])).toEqual([
      ['WEIR_TEMPLATE_SYNTAX', 'models/m.sql', 2, 1], ['WEIR_TEMPLATE_SYNTAX', 'models/m.sql', 2, 12],
    ]);
    expect(errors[0].hint).toContain('{{#if cond}}');
  });
});

describe("a dbt user's first model", () => {
  it('weir build exits 2 naming file:line and the Weir spelling, instead of a parser dump or an engine error', async () => {
    const dir = await makeProject({
      'models/stg_orders.sql': 'select 1 as id',
      'models/orders.sql': "select * from {{ ref('stg_orders') }}\n{% if is_incremental() %}\nwhere id > 0\n{% endif %}\n",
    });
    const r = await runCli(['build'], dir);
    expect(r.code).toBe(2);
    const text = r.stdout + r.stderr;
    expect(text).toContain("models/orders.sql:1:15: Jinja syntax is not Weir's: {{ ref('stg_orders') }}");
    expect(text).toContain('Write {{ref "stg_orders"}}');
    expect(text).toContain("models/orders.sql:2:1: Jinja syntax is not Weir's: {% if is_incremental() %}");
    expect(text).toContain('Write {{#if (is_incremental)}}');
    expect(text).not.toContain("Expecting 'ID'");
  });
});
