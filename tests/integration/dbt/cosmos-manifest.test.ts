/**
 * Weir's manifest read the way astronomer-cosmos' manifest load mode reads a dbt manifest
 * (cosmos/dbt/graph.py `load_from_dbt_manifest`: nodes, sources and exposures merged; per node
 * `resource_type`, `depends_on.nodes`, `original_file_path` joined to the project path, `tags`, `config`,
 * `alias` or `name`; then tests mark the nodes they depend on as tested, and a task per model, seed and
 * snapshot depends on the tasks of its parents). The resulting DAG is the project's; and
 * `weir airflow-dag --cosmos` writes a DbtDag in manifest load mode (parsed with python3's ast).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, runCli } from '../../helpers/project.js';
import { makeFullCoverageProject } from '../../helpers/full-coverage-project.js';

interface CosmosNode { name: string; uniqueId: string; resourceType: string; dependsOn: string[]; filePath: string; tags: string[]; config: Record<string, unknown>; hasTest: boolean }

/** What cosmos' manifest mode does with manifest.json (a port of its reading logic, not of its code). */
function cosmosLoad(projectPath: string, manifest: Record<string, Record<string, Record<string, any>>>): Map<string, CosmosNode> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const nodes = new Map<string, CosmosNode>();
  const resources = { ...manifest.nodes, ...manifest.sources, ...(manifest.exposures ?? {}) };
  for (const [uid, n] of Object.entries(resources)) {
    // cosmos indexes these keys directly: a missing one is a KeyError that stops the DAG from loading.
    for (const k of ['name', 'resource_type', 'original_file_path', 'tags', 'config']) if (!(k in n)) throw new Error(`${uid} has no ${k}`);
    nodes.set(uid, {
      name: n.alias ?? n.name, uniqueId: uid, resourceType: n.resource_type, dependsOn: n.depends_on?.nodes ?? [],
      filePath: path.join(projectPath, n.original_file_path), tags: n.tags, config: n.config, hasTest: false,
    });
  }
  for (const n of nodes.values()) if (n.resourceType === 'test') for (const d of n.dependsOn) if (nodes.has(d)) nodes.get(d)!.hasTest = true;
  return nodes;
}

let dir: string;
beforeAll(async () => {
  dir = await makeFullCoverageProject();
  const r = await runCli(['compile'], dir);
  expect(r.code, r.stdout + r.stderr).toBe(0);
}, 60_000);
afterAll(cleanupProjects);

describe('astronomer-cosmos manifest load mode', () => {
  it('finds every node with its file, config and tags, and the DAG between models, seeds and snapshots', () => {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8'));
    const nodes = cosmosLoad(dir, manifest);
    const weirIds = [...Object.keys(manifest.nodes), ...Object.keys(manifest.sources)];
    expect([...nodes.keys()].sort()).toEqual(weirIds.sort());
    // cosmos silently drops what it can't place; every original_file_path must be a file of the project.
    for (const n of nodes.values()) expect(existsSync(n.filePath), `${n.uniqueId}: ${n.filePath}`).toBe(true);
    const tasks = [...nodes.values()].filter((n) => ['model', 'seed', 'snapshot'].includes(n.resourceType));
    expect(tasks.map((t) => t.name).sort()).toEqual(['customers', 'customers_history', 'events_incremental', 'gold_customers', 'int_gold', 'stg_customers', 'stg_events']);
    const edges = tasks.flatMap((t) => t.dependsOn.filter((p) => tasks.some((x) => x.uniqueId === p)).map((p) => `${nodes.get(p)!.name} >> ${t.name}`)).sort();
    expect(edges).toEqual([
      'customers >> customers_history', 'customers >> stg_customers', 'int_gold >> gold_customers', 'stg_customers >> int_gold', 'stg_events >> events_incremental',
    ]);
    expect(nodes.get('model.full.gold_customers')).toMatchObject({ hasTest: true, config: { materialized: 'table' } });
    expect(nodes.get('model.full.stg_customers')!.tags).toEqual(['staging']);
    expect(nodes.get('source.full.ext.events')!.filePath).toBe(path.join(dir, 'models/sources.yml'));
  });

  it('weir airflow-dag --cosmos writes a DbtDag reading the manifest, with Weir as the dbt executable', async () => {
    const r = await runCli(['airflow-dag', '--cosmos', '--dag-project-dir', '/srv/full', '--select', 'tag:staging+', '--schedule', '0 3 * * *'], dir);
    expect(r.code, r.stderr).toBe(0);
    const script = `import ast, json, sys
tree = ast.parse(sys.stdin.read())
call = next(n.value for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == 'dag')
out = {'func': call.func.id}
for kw in call.keywords:
    out[kw.arg] = ast.unparse(kw.value)
imports = [a.name for n in tree.body if isinstance(n, ast.ImportFrom) and n.module in ('cosmos', 'cosmos.constants') for a in n.names]
out['imports'] = imports
print(json.dumps(out))`;
    const parsed = JSON.parse(execFileSync('python3', ['-c', script], { input: r.stdout }).toString());
    expect(parsed).toMatchObject({
      func: 'DbtDag', dag_id: "'weir_full'", schedule: "'0 3 * * *'",
      render_config: "RenderConfig(load_method=LoadMode.DBT_MANIFEST, select=['tag:staging+'])",
      execution_config: "ExecutionConfig(dbt_executable_path='/srv/full/node_modules/.bin/weir')",
    });
    expect(parsed.project_config).toContain("manifest_path=PROJECT_DIR / 'target' / 'manifest.json'");
    expect(parsed.profile_config).toContain("profile_name='full', target_name='dev'");
    expect(parsed.imports).toEqual(expect.arrayContaining(['DbtDag', 'ProfileConfig', 'LoadMode']));
    const bad = await runCli(['airflow-dag', '--cosmos', '--weir-executable', 'npx weir'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stdout + bad.stderr).toMatch(/--weir-executable 'npx weir' must be an absolute path/);
  });
});
