/**
 * The Dataform side of the compile comparison: installs `@dataform/cli` (and `@dataform/core`) with npm into
 * a folder under the OS temp dir (never into Weir's dependencies; reused while it exists), and writes a
 * Dataform 3 project with the same DAG as a compiled Weir project, from Weir's manifest.json:
 * - each seed → a `declaration`; each model → `definitions/<name>.sqlx` (`type` table or view) whose body
 *   is Weir's compiled SQL with every parent relation replaced by `${ref("<parent>")}`;
 * - generic tests → Dataform's built-in assertions of that model (not_null → `nonNull`, unique →
 *   `uniqueKey`, accepted_values → `rowConditions`); relationships and singular tests → `type: "assertion"`
 *   files selecting the failing rows.
 * Dataform runs one assertion action per model and kind rather than one per column test, so the number of
 * actions differs from Weir's test count; every Weir test has its check.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { log } from './util.js';

/** Pinned versions (npm registry, checked 2026-12-07). */
export const DATAFORM_CLI = '3.0.69';
export const DATAFORM_CORE = '3.0.62';

/**
 * Installs the Dataform CLI once into `<tmp>/weir-bench-dataform-<version>`.
 * @returns the CLI's entry script (run with `node`) and the folder's node_modules
 */
export function installDataform(): { bin: string; nodeModules: string } {
  const dir = path.join(os.tmpdir(), `weir-bench-dataform-${DATAFORM_CLI}`);
  const bin = path.join(dir, 'node_modules', '@dataform', 'cli', 'bundle.js');
  if (!existsSync(bin) || !existsSync(path.join(dir, 'node_modules', '@dataform', 'core'))) {
    log(`dataform: installing @dataform/cli@${DATAFORM_CLI} @dataform/core@${DATAFORM_CORE} into ${dir}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), '{"name":"weir-bench-dataform","private":true}\n');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', `@dataform/cli@${DATAFORM_CLI}`, `@dataform/core@${DATAFORM_CORE}`], { cwd: dir, stdio: 'inherit' });
  }
  return { bin, nodeModules: path.join(dir, 'node_modules') };
}

interface ManifestNode {
  unique_id: string; name: string; resource_type: string; relation_name?: string; compiled_code?: string;
  config: { materialized?: string }; column_name?: string; test_metadata?: { name: string; kwargs?: Record<string, unknown> };
  depends_on?: { nodes?: string[] }; attached_node?: string;
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * Writes the Dataform project for a compiled Weir project.
 * @param manifestFile Weir's target/manifest.json (models need compiled_code: run `weir compile` first)
 * @returns counts of what was written
 */
export function writeDataformProject(manifestFile: string, out: string, nodeModules: string): { models: number; declarations: number; checks: number; files: number } {
  const m = JSON.parse(readFileSync(manifestFile, 'utf8')) as { nodes: Record<string, ManifestNode> };
  const nodes = Object.values(m.nodes);
  const byId = new Map(nodes.map((n) => [n.unique_id, n]));
  rmSync(out, { recursive: true, force: true });
  mkdirSync(path.join(out, 'definitions', 'sources'), { recursive: true });
  mkdirSync(path.join(out, 'definitions', 'assertions'), { recursive: true });
  writeFileSync(path.join(out, 'workflow_settings.yaml'), 'defaultProject: weir-bench\ndefaultLocation: US\ndefaultDataset: bench\ndefaultAssertionDataset: bench_assertions\n');
  writeFileSync(path.join(out, 'package.json'), JSON.stringify({ name: 'weir-bench-dataform-project', private: true, dependencies: { '@dataform/core': DATAFORM_CORE } }));
  // a copy, not a link: Dataform compiles in a sandbox that only requires modules from inside the project
  cpSync(path.join(nodeModules, '@dataform', 'core'), path.join(out, 'node_modules', '@dataform', 'core'), { recursive: true });
  const refd = (sql: string, parents: string[]) => {
    let s = sql.replace(/\$\{/g, '$\\{');
    for (const p of parents) {
      const n = byId.get(p);
      if (n?.relation_name) s = s.split(n.relation_name).join(`\${ref(${JSON.stringify(n.name)})}`);
    }
    return s;
  };
  const checks = new Map<string, { nonNull: string[]; unique: string[]; rows: string[] }>();
  let files = 0;
  let checkCount = 0;
  let declarations = 0;
  for (const n of nodes) {
    if (n.resource_type !== 'test') continue;
    const model = (n.attached_node ?? n.depends_on?.nodes?.[0]) as string;
    const c = checks.get(model) ?? { nonNull: [], unique: [], rows: [] };
    checks.set(model, c);
    const t = n.test_metadata?.name;
    const col = n.column_name ?? '';
    checkCount++;
    if (t === 'not_null') c.nonNull.push(col);
    else if (t === 'unique') c.unique.push(col);
    else if (t === 'accepted_values') c.rows.push(`${col} in (${((n.test_metadata?.kwargs?.values ?? []) as unknown[]).map((v) => sqlString(String(v))).join(', ')})`);
    else {
      // relationships and singular tests: an assertion selecting the failing rows (Weir's compiled test SQL)
      writeFileSync(path.join(out, 'definitions', 'assertions', `${n.name}.sqlx`), `config { type: "assertion" }\n${refd(n.compiled_code ?? 'select 1 where false', n.depends_on?.nodes ?? [])}\n`);
      files++;
    }
  }
  let models = 0;
  for (const n of nodes) {
    if (n.resource_type === 'seed') {
      writeFileSync(path.join(out, 'definitions', 'sources', `${n.name}.sqlx`), `config { type: "declaration", name: ${JSON.stringify(n.name)} }\n`);
      declarations++;
      files++;
    } else if (n.resource_type === 'model') {
      const c = checks.get(n.unique_id);
      const assertions: string[] = [];
      if (c?.nonNull.length) assertions.push(`nonNull: ${JSON.stringify(c.nonNull)}`);
      if (c?.unique.length) assertions.push(`uniqueKeys: ${JSON.stringify(c.unique.map((u) => [u]))}`);
      if (c?.rows.length) assertions.push(`rowConditions: ${JSON.stringify(c.rows)}`);
      const type = n.config.materialized === 'view' ? 'view' : 'table';
      writeFileSync(path.join(out, 'definitions', `${n.name}.sqlx`), `config {\n  type: "${type}",\n  assertions: { ${assertions.join(', ')} }\n}\n\n${refd(n.compiled_code ?? '', n.depends_on?.nodes ?? [])}\n`);
      models++;
      files++;
    }
  }
  return { models, declarations, checks: checkCount, files };
}
