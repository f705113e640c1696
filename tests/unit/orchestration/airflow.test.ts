/**
 * `weir airflow-dag`: the Python literal and shell quoting round-trip through python3 and bash, and the
 * generated DAG file parses with python3's `ast` and has the tasks, commands and dependencies the
 * manifest implies (Airflow itself is not installed here, so the file is checked structurally).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pyIdentifier, pyLiteral, pyStr, shellQuote } from '../../../src/orchestration/python-literal.js';
import { generateAirflowDag, type AirflowDagOptions } from '../../../src/orchestration/airflow.js';
import { WeirProject } from '../../../src/api/project.js';
import { cleanupProjects, makeProject, runCli } from '../../helpers/project.js';

/** Parses a DAG file with python3's ast: BashOperator tasks, `>>` edges and DAG/default_args keywords. */
const AST_SCRIPT = `
import ast, json, sys
tree = ast.parse(open(sys.argv[1], encoding='utf-8').read())
tasks, edges, dag, default_args, env = {}, [], {}, {}, None
for node in ast.walk(tree):
    if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and getattr(node.value.func, 'id', None) == 'BashOperator':
        kw = {k.arg: k.value for k in node.value.keywords}
        tasks[node.targets[0].id] = {'task_id': ast.literal_eval(kw['task_id']), 'bash_command': ast.literal_eval(kw['bash_command']), 'env': ast.unparse(kw['env']), 'append_env': ast.literal_eval(kw['append_env'])}
    elif isinstance(node, ast.Assign) and getattr(node.targets[0], 'id', None) == 'WEIR_ENV':
        env = ast.literal_eval(node.value)
    elif isinstance(node, ast.Assign) and getattr(node.targets[0], 'id', None) == 'default_args':
        default_args = {ast.literal_eval(k): ast.unparse(v) for k, v in zip(node.value.keys, node.value.values)}
    elif isinstance(node, ast.Expr) and isinstance(node.value, ast.BinOp) and isinstance(node.value.op, ast.RShift):
        r = node.value.right
        for x in (r.elts if isinstance(r, ast.List) else [r]):
            edges.append([node.value.left.id, x.id])
    elif isinstance(node, ast.With):
        call = node.items[0].context_expr
        dag = {k.arg: ast.unparse(k.value) for k in call.keywords}
print(json.dumps({'tasks': tasks, 'edges': edges, 'dag': dag, 'default_args': default_args, 'env': env}))
`;

interface ParsedDag {
  tasks: Record<string, { task_id: string; bash_command: string; env: string; append_env: boolean }>;
  edges: [string, string][];
  dag: Record<string, string>;
  default_args: Record<string, string>;
  env: Record<string, string>;
}

function parsePython(source: string): ParsedDag {
  const file = path.join(os.tmpdir(), `weir-dag-${process.pid}-${Math.random().toString(36).slice(2)}.py`);
  writeFileSync(file, source);
  return JSON.parse(execFileSync('python3', ['-c', AST_SCRIPT, file], { encoding: 'utf8' })) as ParsedDag;
}

/** task_id → sorted upstream task_ids, from the parsed file. */
function upstreamOf(p: ParsedDag): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of Object.values(p.tasks)) out[t.task_id] = [];
  for (const [a, b] of p.edges) out[p.tasks[b].task_id].push(p.tasks[a].task_id);
  for (const k of Object.keys(out)) out[k].sort();
  return out;
}

/** The argv bash would pass for a bash_command (with WEIR_TARGET set), read back through printf. */
function shellWords(cmd: string, target = 'prod'): string[] {
  const r = spawnSync('bash', ['-c', `set -- ${cmd.replace(/^npx weir /, '')}; printf '%s\\0' "$@"`], { encoding: 'utf8', env: { ...process.env, WEIR_TARGET: target } });
  expect(r.status).toBe(0);
  return r.stdout.split('\0').slice(0, -1);
}

describe('Python literals and shell words', () => {
  const samples = ['', 'plain', "it's", 'say "hi"', `both ' and "`, 'back\\slash', 'line\nbreak\r\ttab', 'nul\0bell\x07del\x7f', 'ünïcødé 한국어', 'emoji 🎉', 'sep\u2028\u2029', '"""triple"""', "'''", '{{ var.value.x }}', '\\x41 not an escape'];

  it('pyStr round-trips through python3 ast.literal_eval, and is ASCII', () => {
    const literals = samples.map(pyStr);
    for (const l of literals) expect(/^[\x20-\x7e]*$/.test(l)).toBe(true);
    const script = `import ast, json, sys\nprint(json.dumps([ast.literal_eval(l) for l in json.loads(sys.stdin.read())]))`;
    const back = JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(literals), encoding: 'utf8' })) as string[];
    expect(back).toEqual(samples);
    expect(pyStr("it's")).toBe(`"it's"`);
    expect(pyStr('a\'b"c')).toBe(`'a\\'b"c'`);
  });

  it('pyLiteral writes lists, dicts, numbers, booleans and None; rejects what Python cannot hold', () => {
    const v = { a: [1, 2.5, true, false, null], "k'ey": { nested: 'x' } };
    const back = execFileSync('python3', ['-c', `import ast, json, sys\nprint(json.dumps(ast.literal_eval(sys.stdin.read())))`], { input: pyLiteral(v), encoding: 'utf8' });
    expect(JSON.parse(back)).toEqual(v);
    expect(() => pyLiteral(Number.NaN)).toThrow(/NaN/);
    expect(() => pyLiteral(() => 1)).toThrow(/function/);
  });

  it('shellQuote round-trips through bash', () => {
    const words = ['plain', 'path:models/a b.sql', "it's", '$HOME', '`id`', '; rm -rf /', 'a\nb', '', '*'];
    expect(shellWords(`npx weir ${words.map(shellQuote).join(' ')}`)).toEqual(words);
  });

  it('pyIdentifier makes valid, non-keyword identifiers', () => {
    expect(pyIdentifier('model.stg-orders')).toBe('model_stg_orders');
    expect(pyIdentifier('9lives')).toBe('_9lives');
    expect(pyIdentifier('class')).toBe('class_');
  });
});

let dir: string;
let project: WeirProject;
const baseOptions = (p: WeirProject, over: Partial<AirflowDagOptions> = {}): AirflowDagOptions => ({
  dagId: 'weir_shop', schedule: '0 3 * * *', startDate: '2024-01-01', groupBy: 'node', retries: 3, retryDelaySeconds: 120,
  projectDir: p.files.root, weirCommand: ['npx', 'weir'], targetVariable: 'weir_target', defaultTarget: 'dev', lockTimeoutSeconds: 600, ...over,
});

beforeAll(async () => {
  // customers (seed) → stg_customers → int_customers (ephemeral) → customer_stats (table)
  // orders (seed) → stg_orders → customer_stats; stg_orders has a relationships test to stg_customers.
  dir = await makeProject({
    'project.yaml': `name: shop
models:
  staging:
    +tags: [staging]
  marts:
    +materialized: table
    +tags: [marts]
target: dev
targets:
  dev:
    type: duckdb
    path: target/shop.duckdb
`,
    'seeds/customers.csv': 'id,name\n1,a\n',
    'seeds/orders.csv': 'id,customer_id\n1,1\n',
    'models/staging/stg_customers.sql': 'select * from {{ref "customers"}}',
    'models/staging/stg_orders.sql': 'select * from {{ref "orders"}}',
    'models/intermediate/int_customers.sql': '{{config materialized="ephemeral"}}select * from {{ref "stg_customers"}}',
    'models/marts/customer_stats.sql': 'select c.id, count(o.id) as n from {{ref "int_customers"}} c left join {{ref "stg_orders"}} o on o.customer_id = c.id group by 1',
    'models/marts/big_customers.sql': 'select * from {{ref "customer_stats"}} where n > 10',
    'models/schema.yml': `version: 2
models:
  - name: stg_orders
    columns:
      - name: customer_id
        tests:
          - not_null
          - relationships: {to: ref('stg_customers'), field: id}
  - name: customer_stats
    columns:
      - name: id
        tests: [unique]
`,
  });
  project = await WeirProject.load({ projectDir: dir });
});
afterAll(cleanupProjects);

describe('generateAirflowDag', () => {
  it('one task per model/seed, dependencies through the ephemeral model, tests in the last parent\'s task', () => {
    const d = generateAirflowDag(project.manifest, project.dag, project.select('build'), baseOptions(project));
    const p = parsePython(d.python);
    expect(upstreamOf(p)).toEqual({
      'seed.customers': [],
      'seed.orders': [],
      'model.stg_customers': ['seed.customers'],
      'model.stg_orders': ['model.stg_customers', 'seed.orders'], // the relationships test reads stg_customers
      'model.customer_stats': ['model.stg_customers', 'model.stg_orders'], // through int_customers (ephemeral, no task)
      'model.big_customers': ['model.customer_stats'],
    });
    const byId = Object.fromEntries(Object.values(p.tasks).map((t) => [t.task_id, t]));
    expect(shellWords(byId['model.stg_orders'].bash_command)).toEqual(['build', '--project-dir', dir, '--target', 'prod', '--lock-timeout', '600', '--select', 'path:models/staging/stg_orders.sql']);
    // stg_customers' task must not run the relationships test (stg_orders isn't built yet then).
    const rel = [...project.manifest.nodes.values()].find((n) => n.name.startsWith('relationships_'))!;
    expect(shellWords(byId['model.stg_customers'].bash_command)).toEqual(['build', '--project-dir', dir, '--target', 'prod', '--lock-timeout', '600', '--select', 'path:models/staging/stg_customers.sql', '--exclude', `resource_type:test,${rel.name}`]);
    const t = d.tasks.find((x) => x.taskId === 'model.stg_orders')!;
    expect(t.tests.map((u) => project.manifest.nodes.get(u)!.name).sort()).toEqual([rel.name, expect.stringMatching(/^not_null_stg_orders/)].sort());
    // Target from the Airflow Variable via the environment; retries and schedule as asked.
    expect(p.env).toEqual({ WEIR_TARGET: "{{ var.value.get('weir_target', 'dev') }}" });
    expect(byId['model.stg_orders']).toMatchObject({ env: 'WEIR_ENV', append_env: true });
    expect(p.default_args).toMatchObject({ retries: '3', retry_delay: 'timedelta(seconds=120)' });
    expect(p.dag).toMatchObject({ dag_id: "'weir_shop'", schedule: "'0 3 * * *'", catchup: 'False', start_date: "pendulum.datetime(2024, 1, 1, tz='UTC')" });
  });

  it('keeps dependencies transitive through unselected nodes', () => {
    const sel = project.select('build', { select: ['customers', 'big_customers'] });
    const p = parsePython(generateAirflowDag(project.manifest, project.dag, sel, baseOptions(project)).python);
    expect(upstreamOf(p)).toEqual({ 'seed.customers': [], 'model.big_customers': ['seed.customers'] });
  });

  it('groups by tag and by folder; a cyclic grouping is an error naming the groups', () => {
    const byTag = generateAirflowDag(project.manifest, project.dag, project.select('build'), baseOptions(project, { groupBy: 'tag' }));
    expect(upstreamOf(parsePython(byTag.python))).toEqual({ 'tag.untagged': [], 'tag.staging': ['tag.untagged'], 'tag.marts': ['tag.staging'] });
    const staging = byTag.tasks.find((t) => t.taskId === 'tag.staging')!;
    expect(shellWords(staging.bashCommand)).toEqual(['build', '--project-dir', dir, '--target', 'prod', '--lock-timeout', '600', '--select', 'path:models/staging/stg_customers.sql', 'path:models/staging/stg_orders.sql']);
    const byFolder = generateAirflowDag(project.manifest, project.dag, project.select('build'), baseOptions(project, { groupBy: 'folder' }));
    expect(upstreamOf(parsePython(byFolder.python))).toEqual({ 'folder.seeds': [], 'folder.models_staging': ['folder.seeds'], 'folder.models_marts': ['folder.models_staging'] });
  });

  it('rejects a grouping that makes the task graph cyclic', async () => {
    const d2 = await makeProject({
      'seeds/s.csv': 'id\n1\n',
      'models/a/a1.sql': 'select * from {{ref "s"}}',
      'models/b/b1.sql': 'select * from {{ref "a1"}}',
      'models/a/a2.sql': 'select * from {{ref "b1"}}',
    });
    const p2 = await WeirProject.load({ projectDir: d2 });
    expect(() => generateAirflowDag(p2.manifest, p2.dag, p2.select('build'), baseOptions(p2, { groupBy: 'folder' }))).toThrow(/cyclic: folder\.models\/(a|b) → folder\.models\/(a|b) → folder\.models\/(a|b)/);
  });

  it('quotes a project dir with spaces and quotes; rejects Jinja markup and bad options', () => {
    const odd = "/srv/my warehouse/it's \"x\"";
    const d = generateAirflowDag(project.manifest, project.dag, project.select('build', { select: ['customers'] }), baseOptions(project, { projectDir: odd, schedule: null }));
    const p = parsePython(d.python);
    expect(shellWords(Object.values(p.tasks)[0].bash_command).slice(0, 3)).toEqual(['build', '--project-dir', odd]);
    expect(p.dag.schedule).toBe('None');
    const bad = (over: Partial<AirflowDagOptions>) => () => generateAirflowDag(project.manifest, project.dag, [], baseOptions(project, over));
    expect(bad({ projectDir: '/srv/{{ x }}' })).toThrow(/Jinja/);
    expect(bad({ schedule: 'every day' })).toThrow(/invalid --schedule/);
    expect(bad({ dagId: 'my dag' })).toThrow(/invalid --dag-id/);
    expect(bad({ startDate: '2024-13-45' })).toThrow(/invalid --start-date/);
    expect(bad({ retries: -1 })).toThrow(/--retries/);
    expect(bad({ targetVariable: "x') }}" })).toThrow(/--target-variable/);
  });

  it('generates a valid DAG for the demo project that matches its manifest', async () => {
    const demo = await WeirProject.load({ projectDir: path.resolve(__dirname, '../../..') });
    const sel = demo.select('build');
    const d = generateAirflowDag(demo.manifest, demo.dag, sel, baseOptions(demo, { dagId: 'weir_demo' }));
    const p = parsePython(d.python);
    const buildable = sel.filter((u) => { const n = demo.manifest.nodes.get(u)!; return n.resource_type !== 'test' && !(n.resource_type === 'model' && n.config.materialized === 'ephemeral'); });
    expect(Object.keys(p.tasks)).toHaveLength(buildable.length);
    // Every model dependency between two tasks is an edge or implied by a path of edges.
    const up = upstreamOf(p);
    const reach = (from: string, to: string): boolean => up[to].includes(from) || up[to].some((x) => reach(from, x));
    for (const u of buildable) {
      for (const parent of demo.manifest.parents.get(u) ?? []) {
        const pn = demo.manifest.nodes.get(parent)!;
        if (pn.resource_type === 'source' || !buildable.includes(parent)) continue;
        expect(reach(`${pn.resource_type}.${pn.name}`, `${demo.manifest.nodes.get(u)!.resource_type}.${demo.manifest.nodes.get(u)!.name}`)).toBe(true);
      }
    }
    // Every test runs in exactly one task.
    const tests = sel.filter((u) => demo.manifest.nodes.get(u)!.resource_type === 'test');
    expect(d.tasks.flatMap((t) => t.tests).sort()).toEqual([...tests].sort());
  });

  it('the CLI writes the file and reports tasks and dependencies', async () => {
    const r = await runCli(['airflow-dag', '--select', '+customer_stats', '--out', 'dags/weir_dag.py', '--retries', '1', '--schedule', '@hourly'], dir);
    expect(r.stdout).toMatch(/wrote .*dags\/weir_dag\.py: 5 tasks, 5 dependencies/);
    expect(r.code).toBe(0);
    const p = parsePython(readFileSync(path.join(dir, 'dags/weir_dag.py'), 'utf8'));
    expect(p.dag).toMatchObject({ dag_id: "'weir_shop'", schedule: "'@hourly'" });
    const bad = await runCli(['airflow-dag', '--schedule', 'sometimes'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain("invalid --schedule 'sometimes'");
  });
});
