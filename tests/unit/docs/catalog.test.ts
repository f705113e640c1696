import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdapter } from '../../../src/adapters/registry.js';
import type { Adapter } from '../../../src/adapters/adapter.js';
import { catalogColumns, readCatalog } from '../../../src/docs/catalog.js';

const metadata = { weir_schema_version: '', weir_version: '0', generated_at: 'now', invocation_id: 'i', project_name: 'p', target_name: 'dev', adapter_type: 'duckdb' };
let adapter: Adapter;

beforeAll(async () => {
  adapter = await createAdapter({ type: 'duckdb', path: ':memory:' }, { file: 'project.yaml', targetName: 'dev' }, os.tmpdir());
  await adapter.open();
  const c = await adapter.connect();
  await c.execute('create schema s; create table s."Orders" (id integer, amount decimal(18, 2), note varchar); create view s.v as select id from s."Orders"');
  await c.close();
});
afterAll(() => adapter.close());

describe('readCatalog', () => {
  it('reads columns in order with engine types; matches relation names case-insensitively', async () => {
    const cat = await readCatalog(adapter, [
      { unique_id: 'model.p.orders', resource_type: 'model', relation: { schema: 's', identifier: 'orders' } },
      { unique_id: 'source.p.raw.v', resource_type: 'source', relation: { schema: 'S', identifier: 'V' } },
    ], metadata);
    expect(cat.metadata.weir_schema_version).toBe('https://schemas.getdbt.com/dbt/catalog/v1.json');
    expect(cat.nodes['model.p.orders'].metadata).toMatchObject({ type: 'table', schema: 's', name: 'Orders' });
    expect(catalogColumns(cat, 'model.p.orders')!.map((c) => `${c.index}:${c.name}:${c.type}`)).toEqual(['1:id:INTEGER', '2:amount:DECIMAL(18,2)', '3:note:VARCHAR']);
    expect(cat.sources['source.p.raw.v'].metadata.type).toBe('view');
    expect(cat.errors).toEqual([]);
    expect(catalogColumns(cat, 'model.p.nothing')).toBeUndefined();
  });

  it('lists missing relations and unreadable columns as errors, keeping the rest', async () => {
    const failing: Adapter = Object.create(adapter, {
      listColumns: { value: async (_c: unknown, r: { identifier: string }) => { if (r.identifier === 'v') throw new Error('permission denied'); return adapter.listColumns(_c as never, r as never); } },
    });
    const cat = await readCatalog(failing, [
      { unique_id: 'model.p.gone', resource_type: 'model', relation: { schema: 's', identifier: 'gone' } },
      { unique_id: 'model.p.v', resource_type: 'model', relation: { schema: 's', identifier: 'v' } },
      { unique_id: 'model.p.orders', resource_type: 'model', relation: { schema: 's', identifier: 'Orders' } },
    ], metadata);
    expect(cat.errors).toEqual([
      { unique_id: 'model.p.gone', relation: 's.gone', message: 'relation s.gone not found in the target: build it first (weir build --select gone)' },
      { unique_id: 'model.p.v', relation: 's.v', message: 'cannot read the columns of s.v: permission denied' },
    ]);
    expect(Object.keys(cat.nodes)).toEqual(['model.p.orders']);
  });
});
