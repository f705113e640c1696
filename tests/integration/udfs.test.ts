/**
 * UDFs end to end on DuckDB: discovery and validation of udfs/*.ts, scalar registration with optional
 * arguments, errors naming the UDF and its arguments, batch UDFs computed once and cached across runs,
 * unavailable batch UDFs (error, or skip with a warning), and UDFs in the manifest and `weir ls`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupProjects, jsonLines, makeProject, runCli, writeFiles } from '../helpers/project.js';

afterAll(() => cleanupProjects());

const DEFINE = path.resolve(__dirname, '../../src/udfs/define.ts').split(path.sep).join('/');

const UDFS = `
import { appendFileSync } from 'node:fs';
import { defineScalarUdf, defineBatchUdf } from '${DEFINE}';

export const shout = defineScalarUdf({
  name: 'shout',
  args: [{ name: 's', type: 'VARCHAR' }, { name: 'n', type: 'INTEGER', optional: true }],
  returns: 'VARCHAR', deterministic: true, portable: true,
  description: 'Upper-cases s and appends n exclamation marks (default 1).',
  fn: (s: string, n?: number) => {
    if (s === 'boom') throw new Error('cannot shout boom');
    return s.toUpperCase() + '!'.repeat(n ?? 1);
  },
});

export const slow_len = defineBatchUdf({
  name: 'slow_len', args: [{ name: 's', type: 'VARCHAR' }], returns: 'INTEGER', deterministic: true,
  description: 'String length computed asynchronously, in batches of 2; logs each input to calls.log.',
  batchSize: 2,
  run: async (rows, ctx) => {
    for (const [s] of rows) appendFileSync(ctx.projectDir + '/calls.log', String(s) + '\\n');
    await new Promise((r) => setTimeout(r, 2));
    return rows.map(([s]) => String(s).length);
  },
});

export const needs_model = defineBatchUdf({
  name: 'needs_model', args: [{ name: 's', type: 'VARCHAR' }], returns: 'VARCHAR', deterministic: true,
  description: 'Needs a model directory (vars.model_dir) to run.',
  unavailable: (ctx) => (ctx.vars.model_dir ? undefined : 'no model directory: set vars.model_dir'),
  run: async (rows) => rows.map(([s]) => 'translated ' + String(s)),
});
`;

const SEED = 'id,word\n1,alpha\n2,beta\n3,gamma\n4,beta\n';

describe('scalar and batch UDFs', () => {
  it('registers scalar UDFs with optional arguments, and computes batch UDFs once across runs', async () => {
    const dir = await makeProject({
      'udfs/text.ts': UDFS,
      'udfs/lib/helper.ts': 'export const notAUdf = 1;\n',
      'seeds/words.csv': SEED,
      'models/loud.sql': `{{config materialized="table"}}
select id, shout(word) as one, shout(word, 3) as three, slow_len(word) as len, slow_len(cast(slow_len(word) as varchar)) as lenlen
from {{ref "words"}}`,
    });
    const first = await runCli(['build'], dir);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const out = await runCli(['query', 'select id, one, three, len, lenlen from main.loud order by id', '--format', 'json'], dir);
    expect(JSON.parse(out.stdout)).toEqual([
      { id: 1, one: 'ALPHA!', three: 'ALPHA!!!', len: 5, lenlen: 1 },
      { id: 2, one: 'BETA!', three: 'BETA!!!', len: 4, lenlen: 1 },
      { id: 3, one: 'GAMMA!', three: 'GAMMA!!!', len: 5, lenlen: 1 },
      { id: 4, one: 'BETA!', three: 'BETA!!!', len: 4, lenlen: 1 },
    ]);
    // Distinct inputs only: alpha, beta, gamma, then the nested calls' inputs "5" and "4".
    const calls = () => readFileSync(path.join(dir, 'calls.log'), 'utf8').trim().split('\n').sort();
    expect(calls()).toEqual(['4', '5', 'alpha', 'beta', 'gamma']);
    // A second run reads the persistent cache: nothing is computed again.
    const second = await runCli(['run'], dir);
    expect(second.code).toBe(0);
    expect(calls()).toHaveLength(5);
    // New input: only it is computed.
    writeFiles(dir, { 'seeds/words.csv': `${SEED}5,delta\n` });
    expect((await runCli(['build'], dir)).code).toBe(0);
    expect(calls()).toEqual(['4', '5', 'alpha', 'beta', 'delta', 'gamma']); // len(delta) = 5 was cached already
    const cache = await runCli(['query', "select count(*) as n from main.weir_udf_cache where udf = 'slow_len'", '--format', 'json'], dir);
    expect(JSON.parse(cache.stdout)[0].n).toBe(6);
  });

  it('lists UDFs with weir ls and writes them to the manifest', async () => {
    const dir = await makeProject({ 'udfs/text.ts': UDFS, 'models/m.sql': 'select 1 as x' });
    const ls = await runCli(['ls', '--resource-type', 'udf'], dir);
    expect(ls.code).toBe(0);
    expect(ls.stdout).toContain('t.shout  shout(s VARCHAR [, n INTEGER]) → VARCHAR');
    expect(ls.stdout).toContain('t.slow_len  slow_len(s VARCHAR) → INTEGER');
    // Selectors pick graph nodes: UDFs are listed only unfiltered or with --resource-type udf.
    const selected = await runCli(['ls', '--select', 'm'], dir);
    expect(selected.stdout.trim()).toBe('t.m');
    expect((await runCli(['ls'], dir)).stdout).toContain('t.shout');
    const json = jsonLines((await runCli(['ls', '--resource-type', 'udf', '--output', 'json'], dir)).stdout);
    expect(json.map((u) => u.name)).toEqual(['needs_model', 'shout', 'slow_len']);
    await runCli(['compile'], dir);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8'));
    expect(manifest.functions['function.t.shout']).toMatchObject({ resource_type: 'function', language: 'javascript', returns: { data_type: 'VARCHAR' }, original_file_path: 'udfs/text.ts', config: { weir: { kind: 'scalar', portable: true, optional_args: ['n'] } } });
    expect(manifest.functions['function.t.slow_len']).toMatchObject({ returns: { data_type: 'INTEGER' }, config: { weir: { kind: 'batch' } } });
  });

  it('names the UDF, its arguments and the model when a UDF throws; other models still build', async () => {
    const dir = await makeProject({
      'udfs/text.ts': UDFS,
      'models/bad.sql': `{{config materialized="table"}}\nselect shout(w) as y from (values ('ok'), ('boom')) t(w)`,
      'models/good.sql': `{{config materialized="table"}}\nselect shout('fine') as y`,
    });
    const r = await runCli(['run'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/model 'bad' \(models\/bad\.sql\).*UDF shout \(udfs\/text\.ts\) failed on \("boom"\): cannot shout boom/);
    expect(r.stdout).toMatch(/OK +table "main"\."good"/);
  });

  it('fails a model calling an unavailable batch UDF with the reason, or skips it with a warning when asked', async () => {
    const dir = await makeProject({
      'udfs/text.ts': UDFS,
      'models/needs.sql': `{{config materialized="table"}}\nselect needs_model('hello') as t`,
      'models/after.sql': 'select * from {{ref "needs"}}',
      'models/other.sql': `{{config materialized="table"}}\nselect 1 as x`,
    });
    const failed = await runCli(['run'], dir);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('UDF needs_model (udfs/text.ts) is unavailable: no model directory: set vars.model_dir');
    expect(failed.stdout).toContain('on_udf_unavailable="skip"');

    writeFiles(dir, { 'models/needs.sql': `{{config materialized="table" on_udf_unavailable="skip"}}\nselect needs_model('hello') as t` });
    const skipped = await runCli(['run', '--log-format', 'json'], dir);
    expect(skipped.code).toBe(0);
    const events = jsonLines(skipped.stdout).filter((e) => e.code === 'WEIR_NODE_FINISH');
    const byId = Object.fromEntries(events.map((e) => [e.node_id, e]));
    expect(byId['model.t.needs']).toMatchObject({ status: 'skipped', level: 'warn' });
    expect(String(byId['model.t.needs'].message)).toContain('no model directory');
    expect(byId['model.t.after']).toMatchObject({ status: 'skipped' });
    expect(String(byId['model.t.after'].message)).toContain("upstream model 'needs' was skipped");
    expect(byId['model.t.other']).toMatchObject({ status: 'success' });

    const ok = await runCli(['run', '--vars', '{model_dir: /models/x}'], dir);
    expect(ok.code).toBe(0);
    const q = await runCli(['query', 'select t from main.needs', '--format', 'csv'], dir);
    expect(q.stdout).toContain('translated hello');
  });

  it('rejects invalid UDF definitions at load time, naming the module', async () => {
    const cases: [string, RegExp][] = [
      [`export const a = defineScalarUdf({ name: 'a', args: [], returns: 'VARCHAR', deterministic: true, description: 'x', fn: async () => 'x' });`, /fn is async.*defineBatchUdf/],
      [`export const a = defineScalarUdf({ name: 'a', args: [{ name: 'x', type: 'TEXT' as never }], returns: 'VARCHAR', deterministic: true, description: 'x', fn: () => 'x' });`, /argument 1 'x' has type 'TEXT'/],
      [`export const a = defineScalarUdf({ name: 'Bad-Name', args: [], returns: 'VARCHAR', deterministic: true, description: 'x', fn: () => 'x' });`, /name 'Bad-Name' must be lower-case/],
      [`export const a = defineScalarUdf({ name: 'a', args: [{ name: 'x', type: 'VARCHAR', optional: true }, { name: 'y', type: 'VARCHAR' }], returns: 'VARCHAR', deterministic: true, description: 'x', fn: () => 'x' });`, /'y' is required but follows an optional argument/],
      [`export const a = defineScalarUdf({ name: 'a', args: [], returns: 'VARCHAR', deterministic: true, description: 'x', fn: () => 'x' });\nexport const b = defineScalarUdf({ name: 'a', args: [], returns: 'VARCHAR', deterministic: true, description: 'x', fn: () => 'x' });`, /UDF 'a' is defined twice/],
      [`export const a = ;`, /cannot load UDF module udfs\/bad\.ts/],
    ];
    for (const [body, re] of cases) {
      const dir = await makeProject({ 'udfs/bad.ts': `import { defineScalarUdf } from '${DEFINE}';\n${body}\n`, 'models/m.sql': 'select 1 as x' });
      const r = await runCli(['run'], dir);
      expect(r.code, body).toBe(2);
      expect(r.stdout + r.stderr, body).toMatch(re);
      expect(r.stdout + r.stderr).toContain('udfs/bad.ts');
    }
  });
});

describe('udf_timeout_seconds', () => {
  it('a batch UDF whose run never settles fails its node after the timeout instead of hanging the run', async () => {
    const d = await makeProject({
      'udfs/hang.ts': `import { defineBatchUdf } from '${DEFINE}';
export const hang = defineBatchUdf({
  name: 'hang', args: [{ name: 's', type: 'VARCHAR' }], returns: 'INTEGER', deterministic: true, udf_timeout_seconds: 1, description: 'Never returns (a hung remote call).',
  run: () => new Promise(() => undefined),
});
`,
      'models/hangs.sql': "{{config materialized=\"table\"}}select hang('x') as n",
      'models/fine.sql': '{{config materialized="table"}}select 1 as x',
    });
    const t0 = Date.now();
    const r = await runCli(['run'], d);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(r.stdout + r.stderr).toContain('UDF hang did not return within 1 s (udf_timeout_seconds)');
    expect(r.stdout + r.stderr).toMatch(/OK +table "main"\."fine"/);
  });
});
