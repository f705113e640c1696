import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbSqlParser } from '../../../src/lineage/duckdb-parser.js';
import { analyzeSelect, type RelationResolver, type SelectLineage } from '../../../src/lineage/column-lineage.js';
import { computeLineage } from '../../../src/lineage/lineage.js';

// Relations of a small shop: schema.table → node and catalog columns.
const RELATIONS: Record<string, { node: string; columns?: string[] }> = {
  'main.orders': { node: 'model.shop.orders', columns: ['order_id', 'customer_id', 'amount', 'status', 'ordered_at'] },
  'main.customers': { node: 'model.shop.customers', columns: ['customer_id', 'name', 'country'] },
  'main.refunds': { node: 'seed.shop.refunds', columns: ['order_id', 'refunded'] },
  'main.unbuilt': { node: 'model.shop.unbuilt' }, // not in the catalog
};
const resolver: RelationResolver = {
  resolve: ({ schema, table }) => RELATIONS[`${(schema || 'main').toLowerCase()}.${table.toLowerCase()}`],
};

let parser: DuckDbSqlParser;
beforeAll(async () => {
  parser = await DuckDbSqlParser.open();
});
afterAll(() => parser.close());

async function lineage(sql: string, outputNames?: string[]): Promise<SelectLineage> {
  const p = await parser.parse(sql);
  if (!p.ok) throw new Error(p.error);
  return analyzeSelect(p.statements[0], resolver, parser.aggregateFunctions, outputNames);
}
/** `node.column:kind` strings of one output column, sorted. */
async function up(sql: string, column: string): Promise<string[]> {
  const l = await lineage(sql);
  const c = l.columns.find((x) => x.name === column);
  if (!c) throw new Error(`no column ${column} in ${l.columns.map((x) => x.name).join(', ')}`);
  return c.upstream.map((u) => `${u.node.split('.').pop()}.${u.column}:${u.kind}`).sort();
}

describe('column lineage from DuckDB parse trees', () => {
  it('direct and renamed columns, transformed expressions', async () => {
    const sql = 'select o.order_id as id, o.amount * 100 as cents, upper(status) as status from main.orders o';
    expect(await up(sql, 'id')).toEqual(['orders.order_id:direct']);
    expect(await up(sql, 'cents')).toEqual(['orders.amount:transformed']);
    expect(await up(sql, 'status')).toEqual(['orders.status:transformed']);
  });

  it('follows CTEs and carries their filters', async () => {
    const sql = `with paid as (select order_id, amount from main.orders where status = 'paid'),
      big as (select order_id as oid, amount from paid where amount > 10)
      select oid, amount from big`;
    expect(await up(sql, 'oid')).toEqual(['orders.amount:filtered_by', 'orders.order_id:direct', 'orders.status:filtered_by']);
  });

  it('join keys and columns from both sides of a join', async () => {
    const sql = 'select c.name, o.amount from main.orders o left join main.customers c on c.customer_id = o.customer_id';
    expect(await up(sql, 'name')).toEqual(['customers.customer_id:join_key', 'customers.name:direct', 'orders.customer_id:join_key']);
    expect(await up(sql, 'amount')).toContain('orders.amount:direct');
  });

  it('USING joins: the join column comes from both sides', async () => {
    const sql = 'select customer_id, name from main.orders join main.customers using (customer_id)';
    expect(await up(sql, 'customer_id')).toEqual(['customers.customer_id:direct', 'customers.customer_id:join_key', 'orders.customer_id:direct', 'orders.customer_id:join_key']);
  });

  it('aggregates, GROUP BY keys and HAVING', async () => {
    const sql = 'select customer_id, sum(amount) as total, count(*) as n from main.orders group by customer_id having count(*) > 1';
    expect(await up(sql, 'customer_id')).toEqual(['orders.customer_id:direct']);
    expect(await up(sql, 'total')).toEqual(['orders.amount:aggregated']);
    expect(await up(sql, 'n')).toEqual([]);
  });

  it('window functions: arguments, partitions and orders are aggregated; QUALIFY filters', async () => {
    const sql = 'select order_id, row_number() over (partition by customer_id order by ordered_at) as rn, sum(amount) over (partition by customer_id) as running from main.orders qualify rn = 1';
    expect(await up(sql, 'rn')).toEqual(['orders.customer_id:aggregated', 'orders.customer_id:filtered_by', 'orders.ordered_at:aggregated', 'orders.ordered_at:filtered_by']);
    expect(await up(sql, 'running')).toContain('orders.amount:aggregated');
  });

  it('expands * and t.* with the catalog, honouring EXCLUDE and REPLACE', async () => {
    const l = await lineage('select * exclude (status, ordered_at) replace (amount / 100 as amount) from main.orders');
    expect(l.columns.map((c) => c.name)).toEqual(['order_id', 'customer_id', 'amount']);
    expect(l.columns[2].upstream).toEqual([{ node: 'model.shop.orders', column: 'amount', kind: 'transformed' }]);
    const l2 = await lineage('select c.*, o.amount from main.orders o join main.customers c on o.customer_id = c.customer_id');
    expect(l2.columns.map((c) => c.name)).toEqual(['customer_id', 'name', 'country', 'amount']);
  });

  it('unions combine both branches by position (and BY NAME by name)', async () => {
    const sql = 'select order_id as id, amount from main.orders union all select order_id, refunded from main.refunds';
    expect(await up(sql, 'id')).toEqual(['orders.order_id:direct', 'refunds.order_id:direct']);
    expect(await up(sql, 'amount')).toEqual(['orders.amount:direct', 'refunds.refunded:direct']);
    const byName = await lineage('select order_id, amount from main.orders union all by name select refunded as amount, order_id from main.refunds');
    expect(byName.columns.find((c) => c.name === 'amount')!.upstream.map((u) => u.column).sort()).toEqual(['amount', 'refunded']);
  });

  it('subqueries in FROM (with column aliases), scalar and IN subqueries', async () => {
    const sql = `select s.k, (select max(r.refunded) from main.refunds r where r.order_id = s.k) as last_refund
      from (select order_id from main.orders) as s(k)
      where s.k in (select order_id from main.refunds)`;
    expect(await up(sql, 'k')).toEqual(['orders.order_id:direct', 'orders.order_id:filtered_by', 'refunds.order_id:filtered_by']);
    expect(await up(sql, 'last_refund')).toEqual(['orders.order_id:filtered_by', 'refunds.order_id:filtered_by', 'refunds.refunded:aggregated']);
  });

  it('recursive CTEs and lambdas', async () => {
    const sql = `with recursive r(n) as (select amount from main.orders union all select n + 1 from r where n < 3)
      select n, list_transform([1, 2], x -> x + n) as l from r`;
    expect(await up(sql, 'n')).toContain('orders.amount:direct');
    expect(await up(sql, 'l')).toContain('orders.amount:transformed');
  });

  it('names unaliased expressions from the catalog', async () => {
    const l = await lineage('select amount + 1, order_id from main.orders', ['(amount + 1)', 'order_id']);
    expect(l.columns.map((c) => c.name)).toEqual(['(amount + 1)', 'order_id']);
  });

  it('reports what it cannot resolve instead of guessing', async () => {
    const star = await lineage('select * from main.unbuilt');
    expect(star.columns[0].unresolved[0]).toMatch(/cannot expand \* over unbuilt: the columns of main.unbuilt are not in the catalog/);
    const ambiguous = await lineage('select name, x from main.customers, main.unbuilt');
    expect(ambiguous.columns[1].unresolved[0]).toMatch(/x: could come from .*unbuilt/);
    expect(ambiguous.columns[1].upstream).toEqual([]);
    const external = await lineage('select * from read_csv(\'x.csv\')');
    expect(external.columns[0].unresolved[0]).toMatch(/table function read_csv/);
    const foreign = await lineage('select a from other_schema.t');
    expect(foreign.unresolved).toEqual(['relation other_schema.t is not a model, seed, source or snapshot of this project']);
    const missing = await lineage('select nope from main.orders');
    expect(missing.columns[0].unresolved[0]).toMatch(/nope: no relation in scope has this column/);
  });

  it('a qualified column of a relation missing from the catalog still resolves to that relation', async () => {
    expect(await up('select u.a from main.unbuilt u', 'a')).toEqual(['unbuilt.a:direct']);
  });
});

describe('computeLineage', () => {
  const metadata = { weir_schema_version: '', weir_version: '0', generated_at: '', invocation_id: '', project_name: 'shop', target_name: 'dev', adapter_type: 'duckdb' };
  it('builds the artifact for models, reporting parse errors and multi-statement SQL', async () => {
    const nodes = [
      { unique_id: 'seed.shop.refunds', resource_type: 'seed', relation: { schema: 'main', identifier: 'refunds' } },
      { unique_id: 'model.shop.orders', resource_type: 'model', relation: { schema: 'main', identifier: 'orders' }, compiled_code: 'select order_id, refunded * 2 as r from "main"."refunds"' },
      { unique_id: 'model.shop.broken', resource_type: 'model', relation: { schema: 'main', identifier: 'broken' }, compiled_code: 'selec 1' },
      { unique_id: 'model.shop.two', resource_type: 'model', relation: { schema: 'main', identifier: 'two' }, compiled_code: 'select 1; select 2' },
      { unique_id: 'model.shop.uncompiled', resource_type: 'model', relation: { schema: 'main', identifier: 'u' } },
    ];
    const cat: Record<string, string[]> = { 'seed.shop.refunds': ['order_id', 'refunded'] };
    const art = await computeLineage(nodes, { columnsOf: (u) => cat[u], defaultSchema: 'main', metadata });
    expect(art.metadata.weir_schema_version).toBe('https://weir.dev/schemas/lineage/v1.json');
    expect(art.nodes['model.shop.orders'].columns.r.upstream).toEqual([{ node: 'seed.shop.refunds', column: 'refunded', kind: 'transformed' }]);
    expect(art.nodes['model.shop.broken'].unresolved[0]).toMatch(/DuckDB cannot parse the compiled SQL: .*syntax error/);
    expect(art.nodes['model.shop.two'].unresolved[0]).toMatch(/expected one SELECT statement, found 2/);
    expect(art.nodes['model.shop.uncompiled'].unresolved[0]).toMatch(/not compiled/);
    expect(art.nodes['seed.shop.refunds']).toBeUndefined();
  });
});
