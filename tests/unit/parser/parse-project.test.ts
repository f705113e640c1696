import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WeirProject } from '../../../src/api/project.js';
import { injectCtes } from '../../../src/compiler/ctes.js';
import { cleanupProjects, makeProject } from '../../helpers/project.js';

let project: WeirProject;

beforeAll(async () => {
  const dir = await makeProject({
    'project.yaml': `name: shop
vars:
  flag: false
models:
  +materialized: view
  +tags: [all]
  staging:
    +schema: staging
    +tags: [stg]
    crm:
      +tags: crm
  marts:
    +materialized: table
targets:
  dev: {type: duckdb, path: target/x.duckdb}
`,
    'seeds/raw_orders.csv': 'id,amount\n1,10\n',
    'models/staging/stg_orders.sql': 'select * from {{ref "raw_orders"}}',
    'models/staging/crm/stg_customers.sql': '{{config tags=(array "pii")}}select 1 as id',
    'models/marts/orders.sql': `{{config materialized="table" tags=(array "a" "b")}}
select * from {{ref "stg_orders"}}
{{#if false}}join {{ref "stg_customers"}} using (id){{/if}}`,
    'models/marts/override.sql': '{{config materialized="view" schema="other"}}select 1 as x',
    'models/uses_macro.sql': '{{> helper_macro}}',
    'macros/helper_macro.sql': 'select * from {{> inner_macro}}',
    'macros/inner_macro.sql': '{{ref "orders"}}',
    'models/eph_a.sql': '{{config materialized="ephemeral"}}select 1 as id',
    'models/eph_b.sql': '{{config materialized="ephemeral"}}select * from {{ref "eph_a"}}',
    'models/uses_eph.sql': 'select * from {{ref "eph_b"}}',
    'models/uses_eph_with.sql': '-- leading comment\nwith x as (select * from {{ref "eph_a"}}) select * from x',
  });
  project = await WeirProject.load({ projectDir: dir });
});
afterAll(cleanupProjects);

const node = (name: string) => project.manifest.nodes.get(project.manifest.refIndex.get(name)!)!;
const parents = (name: string) => project.manifest.parents.get(project.manifest.refIndex.get(name)!);

describe('parse phase on a project', () => {
  it('records a ref in an untaken {{#if false}} branch as a dependency', () => {
    expect(parents('orders')).toEqual(['model.shop.stg_orders', 'model.shop.stg_customers']);
  });

  it('counts refs inside macros (transitively) as dependencies of the model using them', () => {
    expect(parents('uses_macro')).toEqual(['model.shop.orders']);
    const m = node('uses_macro');
    expect(m.resource_type === 'model' && m.deps.macros).toEqual(['helper_macro', 'inner_macro']);
  });

  it('applies folder config: +materialized, +schema and accumulating tags; {{config}} wins over folders', () => {
    const stg = node('stg_orders');
    expect(stg.config.materialized).toBe('view');
    expect(stg.config.schema).toBe('staging');
    expect(stg.tags).toEqual(['all', 'stg']);
    expect(node('stg_customers').tags).toEqual(['all', 'stg', 'crm', 'pii']);
    expect(node('stg_customers').config.schema).toBe('staging');
    const orders = node('orders');
    expect(orders.config.materialized).toBe('table');
    expect(orders.tags).toEqual(['all', 'a', 'b']);
    expect(node('override').config.materialized).toBe('view');
    expect(node('override').config.schema).toBe('other');
    expect(node('uses_macro').config.materialized).toBe('view');
  });

  it('builds fqn and unique ids from folders', () => {
    expect(node('stg_customers').fqn).toEqual(['shop', 'staging', 'crm', 'stg_customers']);
    expect(node('stg_customers').unique_id).toBe('model.shop.stg_customers');
    expect(node('raw_orders').unique_id).toBe('seed.shop.raw_orders');
  });

  it('renders custom schemas as <target schema>_<schema>', () => {
    const r = project.renderer();
    expect(r.render('model.shop.stg_orders').compiled_code).toBe('select * from "main"."raw_orders"');
    expect(r.relationName(node('stg_orders'))).toBe('"main_staging"."stg_orders"');
    expect(r.render('model.shop.orders').compiled_code).toContain('"main_staging"."stg_orders"');
  });

  it('inlines nested ephemeral models as CTEs (dependencies first)', () => {
    const sql = project.renderer().render('model.shop.uses_eph').compiled_code!;
    expect(sql).toBe(`with "__weir_ephemeral__eph_a" as (\nselect 1 as id\n),\n"__weir_ephemeral__eph_b" as (\nselect * from "__weir_ephemeral__eph_a"\n)\nselect * from "__weir_ephemeral__eph_b"`);
  });

  it('merges ephemeral CTEs into a model that has its own WITH (after leading comments)', () => {
    const sql = project.renderer().render('model.shop.uses_eph_with').compiled_code!;
    expect(sql).toBe(`-- leading comment\nwith "__weir_ephemeral__eph_a" as (\nselect 1 as id\n),\nx as (select * from "__weir_ephemeral__eph_a") select * from x`);
    expect(sql.match(/\bwith\b/gi)).toHaveLength(1);
  });
});

describe('injectCtes', () => {
  const ctes = [{ name: '"e"', sql: 'select 1' }];
  it('adds a WITH clause to a plain query', () => {
    expect(injectCtes('select * from "e"', ctes)).toBe('with "e" as (\nselect 1\n)\nselect * from "e"');
  });
  it('keeps WITH RECURSIVE and block comments', () => {
    expect(injectCtes('/* c */ WITH RECURSIVE r as (select 1) select * from r', ctes))
      .toBe('/* c */ WITH RECURSIVE "e" as (\nselect 1\n),\nr as (select 1) select * from r');
  });
  it('does not mistake an identifier starting with "with" for a WITH clause', () => {
    expect(injectCtes('select * from withdrawals', ctes)).toBe('with "e" as (\nselect 1\n)\nselect * from withdrawals');
  });
});
