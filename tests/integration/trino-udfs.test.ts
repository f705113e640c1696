/**
 * TypeScript UDFs on the trino target, against the local protocol server tests/servers/trino-server.ts
 * (NOT Trino: it executes on DuckDB). Trino has no JavaScript UDFs, so every call runs client-side
 * (src/execution/udfs/client-udfs.ts). Proves, over the real protocol: scalar and batch UDFs in a table, a
 * view and a test give the same values as on DuckDB; the distinct arguments are read page by page; the
 * batch cache computes nothing twice across runs; lookup tables are dropped (kept for a view);
 * `weir query` calls UDFs; UDF errors name the UDF, arguments and model; `on_udf_unavailable: skip`
 * skips with a warning and no cache table is created for it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject, runCli, writeFiles } from '../helpers/project.js';
import { TrinoTestServer, translate } from '../servers/trino-server.js';

const DEFINE = path.resolve(__dirname, '../../src/udfs/define.ts').split(path.sep).join('/');
let server: TrinoTestServer;
let dir: string;

const UDFS = `
import { appendFileSync } from 'node:fs';
import { defineScalarUdf, defineBatchUdf } from '${DEFINE}';

export const shout = defineScalarUdf({
  name: 'shout', args: [{ name: 's', type: 'VARCHAR' }, { name: 'n', type: 'INTEGER', optional: true }],
  returns: 'VARCHAR', deterministic: true, description: 'Upper-cases s and appends n exclamation marks.',
  fn: (s: string, n?: number) => {
    if (s === 'boom') throw new Error('cannot shout boom');
    return s.toUpperCase() + '!'.repeat(n ?? 1);
  },
});

export const ratio = defineScalarUdf({
  name: 'ratio', args: [{ name: 'a', type: 'VARCHAR' }, { name: 'b', type: 'VARCHAR' }], returns: 'DOUBLE',
  deterministic: true, description: 'Length ratio of a to b.', fn: (a: string, b: string) => a.length / b.length,
});

export const slow_len = defineBatchUdf({
  name: 'slow_len', args: [{ name: 's', type: 'VARCHAR' }], returns: 'BIGINT', deterministic: true,
  description: 'Length, asynchronously, in batches of 3; logs every input to calls.log.', batchSize: 3,
  run: async (rows, ctx) => {
    for (const [s] of rows) appendFileSync(ctx.projectDir + '/calls.log', String(s) + '\\n');
    return rows.map(([s]) => String(s).length);
  },
});

export const needs_model = defineBatchUdf({
  name: 'needs_model', args: [{ name: 's', type: 'VARCHAR' }], returns: 'VARCHAR', deterministic: true,
  description: 'Unavailable without NEEDS_MODEL.', unavailable: (ctx) => (ctx.env.NEEDS_MODEL ? undefined : 'set NEEDS_MODEL'),
  run: async (rows) => rows.map(([s]) => String(s)),
});
`;

const words = ['id,word', ...Array.from({ length: 60 }, (_, i) => `${i + 1},${i % 7 === 0 ? '' : `w${'o'.repeat(i % 23)}rd${i % 29}`}`)].join('\n');

const MODELS: Record<string, string> = {
  'models/loud.sql': `{{config materialized="table"}}
select id, shout(word) as one, shout(word, 3) as three, -- shout(this is a comment)
  'shout(not a call)' as lit, ratio(shout(word), word) as r, slow_len(shout(word, cast(id % 3 as integer))) as n
from {{ref "words"}}`,
  'models/loud_view.sql': `{{config materialized="view"}}
select id, shout(word) as one from {{ref "words"}} where word is not null`,
  'models/skipped.sql': `{{config materialized="table" on_udf_unavailable="skip"}}
select needs_model(word) as m from {{ref "words"}}`,
  'models/after_skipped.sql': `{{config materialized="table"}}select * from {{ref "skipped"}}`,
  'models/schema.yml': `version: 2
models:
  - name: loud
    columns:
      - name: one
        tests: [unique]
`,
  'tests/loud_lengths.sql': `select * from {{ref "loud"}} where n <> slow_len(three) - 3 + (id % 3) or length(shout(one)) <> length(one) + 1`,
};

const cli = (args: string[], extraEnv: Record<string, string> = {}) => runCli(args, dir, { ...process.env, WEIR_PII_KEY: 'k', ...extraEnv });

beforeAll(async () => {
  server = await TrinoTestServer.start({ catalogs: ['lake'], pageSize: 7 });
  dir = await makeProject({
    'project.yaml': `name: t
target: dev
targets:
  dev:
    type: duckdb
    path: target/t.duckdb
  trino:
    type: trino
    server: ${server.url}
    user: weir
    catalog: lake
    schema: analytics
    threads: 2
`,
    'udfs/text.ts': UDFS,
    'seeds/words.csv': words,
    ...MODELS,
  });
});
afterAll(async () => {
  cleanupProjects();
  await server?.close();
});

const rowsOf = async (sql: string) => (await server.query(sql)).map((r) => Object.values(r));

describe('UDFs on the trino target (client-side; local protocol server, not Trino)', () => {
  it('builds models and tests calling scalar and batch UDFs with the values DuckDB computes in-process', async () => {
    const t = await cli(['build', '--target', 'trino']);
    expect(t.code, t.stdout + t.stderr).toBe(0);
    expect(t.stdout).toMatch(/skipped \(on_udf_unavailable: skip\): UDF needs_model \(udfs\/text.ts\) is unavailable: set NEEDS_MODEL/);
    const d = await cli(['build']);
    expect(d.code, d.stdout + d.stderr).toBe(0);
    const onTrino = await rowsOf(`select id, one, three, lit, r, n from lake.analytics.loud order by id`);
    const q = await cli(['query', 'select id, one, three, lit, r, n from loud order by id', '--format', 'json']);
    const onDuck = (JSON.parse(q.stdout) as Record<string, unknown>[]).map((r) => Object.values(r));
    const mapped = onTrino.map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
    expect(mapped).toEqual(onDuck);
    expect(mapped[1]).toEqual([2, 'WORD1!', 'WORD1!!!', 'shout(not a call)', 6 / 5, 7]);
    expect(mapped[0]).toEqual([1, null, null, 'shout(not a call)', null, null]);
    // The view keeps reading its lookup table; the table's lookups are gone; the run passed its tests.
    expect((await rowsOf(`select count(*) from lake.analytics.loud_view`))[0][0]).toBe(51n);
    const left = (await rowsOf(`select table_name from information_schema.tables where table_catalog = 'lake' and table_name like 'weir_udf%' order by 1`)).map((r) => r[0]);
    expect([...left].sort()).toEqual(['weir_udf_cache', expect.stringMatching(/^weir_udf_shout_1_[0-9a-f]{10}$/)]);
    expect(t.stdout).toMatch(/PASS=\d+ WARN=0 ERROR=0 SKIP=2/);
    // Arguments were streamed: the collection queries were read in several pages of 7 rows.
    const collect = server.statements.filter((s) => /^select distinct weir_arg_1/.test(s.sql));
    expect(collect.length).toBeGreaterThan(0);
    expect(server.requests.filter((r) => r.method === 'GET').length).toBeGreaterThan(collect.length * 3);
  }, 300_000);

  it('computes a batch UDF once across runs (the cache table on the target)', async () => {
    const before = readFileSync(path.join(dir, 'calls.log'), 'utf8').split('\n').filter(Boolean);
    const again = await cli(['run', '--target', 'trino', '--select', 'loud']);
    expect(again.code, again.stdout).toBe(0);
    const after = readFileSync(path.join(dir, 'calls.log'), 'utf8').split('\n').filter(Boolean);
    expect(after).toEqual(before);
    const cached = await rowsOf(`select count(*), count(distinct key) from lake.analytics.weir_udf_cache where udf = 'slow_len'`);
    expect(cached[0][0]).toBe(cached[0][1]);
  }, 300_000);

  it('weir query and show call UDFs on trino', async () => {
    const q = await cli(['query', `select shout('a', 2) as s, ratio('abc', 'ab') as r`, '--target', 'trino', '--format', 'json']);
    expect(q.code, q.stdout + q.stderr).toBe(0);
    expect(JSON.parse(q.stdout)).toEqual([{ s: 'A!!', r: 1.5 }]);
  }, 300_000);

  it('the test server replaces every regexp_replace match, as Trino does (strings and comments untouched)', async () => {
    expect(translate(`select regexp_replace(a, '\\s+', ' '), regexp_replace(regexp_replace(b, 'x'), 'y', 'z') -- regexp_replace(c, d, e)`))
      .toBe(`select regexp_replace(a, '\\s+', ' ', 'g'), regexp_replace(regexp_replace(b, 'x', '', 'g'), 'y', 'z', 'g') -- regexp_replace(c, d, e)`);
    const q = await cli(['query', `select regexp_replace('a  b  c', ' +', '-') as r`, '--target', 'trino', '--format', 'json']);
    expect(JSON.parse(q.stdout)).toEqual([{ r: 'a-b-c' }]);
  }, 300_000);

  it('errors name the UDF, its arguments and the model; an unavailable UDF without skip fails the model', async () => {
    writeFiles(dir, { 'models/bad.sql': `{{config materialized="table"}}select shout('boom') as x`, 'models/unavail.sql': `select needs_model('x') as y` });
    const r = await cli(['run', '--target', 'trino', '--select', 'bad', 'unavail']);
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/UDF shout \(udfs\/text.ts\) failed while preparing model 'bad' on \("boom"\): cannot shout boom/);
    expect(out).toMatch(/UDF needs_model \(udfs\/text.ts\) is unavailable: set NEEDS_MODEL/);
    expect(out).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  }, 300_000);
});
