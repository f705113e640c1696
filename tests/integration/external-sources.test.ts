/**
 * Sources that read files (`external_location`, as dbt-duckdb): `{{source}}` renders the file, which DuckDB
 * reads with the reader its extension names; tests on the source read it too; other engines refuse it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupProjects, DEFAULT_PROJECT_YAML, makeProject, runCli } from '../helpers/project.js';
import { TrinoTestServer } from '../servers/trino-server.js';

afterAll(cleanupProjects);
const out = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;

const SCHEMA = [
  'version: 2',
  'sources:',
  '  - name: landing',
  '    config: {external_location: "data/{name}.csv"}',
  '    tables:',
  '      - name: orders',
  '        columns:',
  '          - name: id',
  '            tests: [not_null, unique]',
  '      - name: customers',
  '        config: {external_location: "data/people.json"}',
  '',
].join('\n');

describe('external_location sources', () => {
  it('renders {{source}} as the file and reads it (CSV and JSON), with tests on the source', async () => {
    const dir = await makeProject({
      'data/orders.csv': 'id,customer_id,amount\n1,10,5.50\n2,11,7.25\n',
      'data/people.json': '[{"customer_id": 10, "name": "Kim"}, {"customer_id": 11, "name": "Lee"}]',
      'models/schema.yml': SCHEMA,
      'models/orders_named.sql': 'select o.id, c.name, o.amount from {{source "landing" "orders"}} o join {{source "landing" "customers"}} c using (customer_id)\n',
    });
    const r = await runCli(['build'], dir);
    expect(r.code, out(r)).toBe(0);
    expect((await runCli(['query', 'select id, name, amount from {{ref "orders_named"}} order by id', '--format', 'csv'], dir)).stdout).toBe('id,name,amount\n1,Kim,5.5\n2,Lee,7.25\n');
    const compiled = await runCli(['compile'], dir);
    expect(compiled.code).toBe(0);
    const { readFileSync } = await import('node:fs');
    const sql = readFileSync(`${dir}/target/compiled/t/models/orders_named.sql`, 'utf8');
    expect(sql).toContain(`'${dir}/data/orders.csv'`);
  });

  it('on Trino a file source is an error naming the file', async () => {
    const server = await TrinoTestServer.start({ catalogs: ['lake'], users: { weir: 'pw' } });
    try {
      const dir = await makeProject({
        'project.yaml': `${DEFAULT_PROJECT_YAML}  trino:\n    type: trino\n    server: ${server.url}\n    user: weir\n    catalog: lake\n    schema: analytics\n    auth: {type: basic, password: pw}\n`,
        'data/orders.csv': 'id\n1\n',
        'models/schema.yml': 'version: 2\nsources:\n  - name: landing\n    tables:\n      - name: orders\n        config: {external_location: data/orders.csv}\n',
        'models/m.sql': 'select * from {{source "landing" "orders"}}\n',
      });
      const r = await runCli(['run', '--target', 'trino'], dir);
      expect(r.code).not.toBe(0);
      expect(out(r)).toContain("(external_location), which a trino target can't read");
    } finally {
      await server.close();
    }
  });
});
