/**
 * TEST INFRASTRUCTURE. Compiles a Weir project for a Trino and a Snowflake target and checks every compiled
 * SQL file (models, snapshots, tests, analyses) against the engine's grammar and function list
 * ({@link checkEngineSql}); the project's UDF names (manifest `functions`) count as known functions, since Weir
 * evaluates them client-side (or creates them on the engine) before the SQL runs.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/project.js';
import { checkEngineSql, loadGrammars, type EngineSqlProblem, type GrammarEngine } from './engine-check.js';

/** Target blocks that compile without a connection (compile opens no database client). */
const TARGETS = `  grammar_trino:
    type: trino
    server: http://127.0.0.1:9
    user: weir
    catalog: lake
    schema: main
  grammar_snowflake:
    type: snowflake
    account: grammar-check
    user: weir
    password: not-used
    database: analytics
    schema: main
`;

/** The outcome for one engine: every compiled file and the problem of each that fails. */
export interface CompiledSqlReport {
  readonly files: readonly string[];
  readonly problems: ReadonlyMap<string, EngineSqlProblem>;
}

function sqlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sqlFiles(path.join(dir, e.name)) : e.name.endsWith('.sql') ? [path.join(dir, e.name)] : []);
}

/**
 * Copies the project at `root` (models, macros, seeds, snapshots, tests, analyses, udfs, project.yaml),
 * adds the two targets, compiles for each and checks the files.
 * @throws Error when a compile fails
 */
export async function checkCompiledProject(root: string): Promise<Record<GrammarEngine, CompiledSqlReport>> {
  await loadGrammars();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'weir-grammar-'));
  try {
    for (const d of ['models', 'macros', 'seeds', 'snapshots', 'tests', 'analyses', 'udfs', 'project.yaml']) {
      if (existsSync(path.join(root, d))) cpSync(path.join(root, d), path.join(dir, d), { recursive: true });
    }
    if (existsSync(path.join(root, 'node_modules'))) symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
    const yaml = readFileSync(path.join(dir, 'project.yaml'), 'utf8');
    if (!/^targets:\s*$/m.test(yaml)) throw new Error('project.yaml has no targets: block');
    writeFileSync(path.join(dir, 'project.yaml'), yaml.replace(/^targets:\s*$/m, `targets:\n${TARGETS}`));
    const out = {} as Record<GrammarEngine, CompiledSqlReport>;
    for (const engine of ['trino', 'snowflake'] as const) {
      const r = await runCli(['compile', '--target', `grammar_${engine}`, '--quiet'], dir, { ...process.env, WEIR_TARGET_PATH: `target_${engine}` });
      if (r.code !== 0) throw new Error(`weir compile --target grammar_${engine} failed:\n${r.stdout}${r.stderr}`);
      // Each engine's files are checked right after its compile (a project without {{env "WEIR_TARGET_PATH"}} compiles into target/).
      const targetPath = existsSync(path.join(dir, `target_${engine}`)) ? `target_${engine}` : 'target';
      // UDFs are manifest `functions` (dbt's resource type for user-defined functions).
      const manifest = JSON.parse(readFileSync(path.join(dir, targetPath, 'manifest.json'), 'utf8')) as { functions?: Record<string, { name: string }> };
      const udfs = new Set(Object.values(manifest.functions ?? {}).map((u) => u.name.toLowerCase()));
      const compiled = path.join(dir, targetPath, 'compiled');
      const files = sqlFiles(compiled);
      const problems = new Map<string, EngineSqlProblem>();
      for (const f of files) {
        const p = checkEngineSql(engine, readFileSync(f, 'utf8'), udfs);
        if (p) problems.set(path.relative(compiled, f), p);
      }
      out[engine] = { files: files.map((f) => path.relative(compiled, f)), problems };
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
