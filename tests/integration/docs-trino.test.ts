/**
 * `weir docs generate` on a Trino target (the local protocol test server, which executes on DuckDB; not a
 * real Trino): the catalog comes through the Trino adapter (catalog-qualified relations), and lineage is
 * computed from the models rendered a second time in DuckDB's dialect.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject, runCli } from '../helpers/project.js';
import { TrinoTestServer } from '../servers/trino-server.js';

let server: TrinoTestServer;
let dir: string;

beforeAll(async () => {
  server = await TrinoTestServer.start({ catalogs: ['lake'], users: { weir: 'pw-docs-123' }, pageSize: 100 });
  dir = await makeProject({
    'project.yaml': `name: t
target: trino
targets:
  trino:
    type: trino
    server: ${server.url}
    user: weir
    catalog: lake
    schema: analytics
    auth: { type: basic, password: '{{env "TRINO_PASSWORD"}}' }
    threads: 2
seeds:
  +schema: raw
`,
    'seeds/people.csv': 'id,name,score\n1,Ann,1.5\n2,Bob,2\n',
    'models/stg_people.sql': 'select id, upper(name) as name, score from {{ref "people"}}',
    'models/scores.sql': '{{config materialized="table"}}select {{concat "name" "\'!\'"}} as shout, {{safe_cast "score" (type_int)}} as score_int from {{ref "stg_people"}} where score > 1',
  });
}, 60_000);
afterAll(async () => {
  await server?.close();
  cleanupProjects();
});

describe('weir docs generate on Trino', () => {
  it('reads the catalog through the Trino adapter and computes lineage in DuckDB\'s dialect', async () => {
    const env = { ...process.env, TRINO_PASSWORD: 'pw-docs-123' };
    const build = await runCli(['build'], dir, env);
    expect(build.code, build.stdout + build.stderr).toBe(0);
    const gen = await runCli(['docs', 'generate'], dir, env);
    expect(gen.code, gen.stdout + gen.stderr).toBe(0);
    const cat = JSON.parse(readFileSync(path.join(dir, 'target/catalog.json'), 'utf8'));
    expect(cat.metadata.env.WEIR_ADAPTER_TYPE).toBe('trino'); // dbt's catalog v1 metadata has no adapter_type: Weir's facts are under env
    expect(cat.errors).toBeNull(); // dbt's catalog: null when every relation was read
    expect(cat.nodes['model.t.scores'].metadata).toMatchObject({ type: 'table', database: 'lake', schema: 'analytics' });
    expect(Object.keys(cat.nodes['model.t.scores'].columns)).toEqual(['shout', 'score_int']);
    const lin = JSON.parse(readFileSync(path.join(dir, 'target/lineage.json'), 'utf8'));
    expect(lin.metadata.sql_dialect).toBe('duckdb');
    expect(lin.nodes['model.t.scores'].columns.shout.upstream).toEqual([
      { node: 'model.t.stg_people', column: 'name', kind: 'transformed' },
      { node: 'model.t.stg_people', column: 'score', kind: 'filtered_by' },
    ]);
    expect(lin.nodes['model.t.stg_people'].columns.name.upstream).toEqual([{ node: 'seed.t.people', column: 'name', kind: 'transformed' }]);
    // The manifest (and the site) keep the Trino SQL.
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8'));
    expect(manifest.nodes['model.t.scores'].compiled_code).toMatch(/"lake"\."analytics"\."stg_people"/);
    expect(readFileSync(path.join(dir, 'target/catalog.json'), 'utf8')).not.toContain('pw-docs-123');
  });
});
