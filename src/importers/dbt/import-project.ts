/**
 * `weir import-dbt DBT_DIR --out NEW_DIR`: converts a dbt project into a Weir project.
 * - `dbt_project.yml` → `project.yaml`: name, version, paths, `vars`, `on-run-start`/`on-run-end` (converted),
 *   folder config under `models:`/`seeds:`/`snapshots:`/`tests:` (the project-name level removed, config keys
 *   written `+key`); `profiles.yml` in DBT_DIR (the project's `profile:`) → `targets:` (duckdb, snowflake, trino
 *   outputs; `env_var()` kept as `{{env}}`), else a DuckDB target `dev`.
 * - models, analyses-free SQL, singular tests and snapshots (`{% snapshot %}` blocks become files) are converted
 *   by jinja.ts; macros (`{% macro name(args) %}`) become partials `macros/<name>.sql`, generic tests
 *   (`{% test name(model, column_name) %}`) `tests/generic/<name>.sql`;
 * - seeds are copied; schema YAML is copied with `{{ doc('name') }}` replaced by the docs block's text
 *   (`{% docs %}` blocks of `.md` files).
 * What cannot be converted is left in place and listed (file, line, why); the converted project is then
 * loaded by Weir and every load error is listed too. Dropped keys with no Weir meaning are listed as notes.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { WeirError } from '../../errors/weir-error.js';
import { readDbtProfile } from '../../loader/dbt-profiles.js';
import { convertTemplate, type ImportProblem } from './jinja.js';
import { parseExpr, type Expr, type Scope } from './jinja-expr.js';

/** Outcome of an import. */
export interface ImportResult {
  /** Output files written (relative to the output directory). */
  readonly files: readonly string[];
  /** What was left unconverted (the command exits 1 when there is any). */
  readonly problems: readonly ImportProblem[];
  /** Dropped settings that need nothing in Weir. */
  readonly notes: readonly string[];
}

const DROPPED = new Set(['config-version', 'clean-targets', 'require-dbt-version', 'profile', 'analysis-paths', 'docs-paths', 'asset-paths', 'packages-install-path', 'log-path', 'flags', 'dispatch', 'query-comment', 'quoting', 'restrict-access']);
const PATHS: Record<string, string> = {
  'model-paths': 'model-paths', 'source-paths': 'model-paths', 'seed-paths': 'seed-paths', 'data-paths': 'seed-paths', 'test-paths': 'test-paths',
  'macro-paths': 'macro-paths', 'snapshot-paths': 'snapshot-paths', 'target-path': 'target-path',
};
const TREES = ['models', 'seeds', 'snapshots', 'tests', 'data_tests'];

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const walk = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).flatMap((f) => {
  const p = path.join(dir, f);
  return statSync(p).isDirectory() ? (f.startsWith('.') || f === 'dbt_packages' || f === 'target' ? [] : walk(p)) : [p];
}) : []);

/**
 * Imports a dbt project.
 * @param dbtDir the dbt project (holds dbt_project.yml)
 * @param outDir the new Weir project (must not exist, or be empty)
 * @throws WeirError `WEIR_USAGE` for a missing dbt_project.yml or a non-empty output directory
 */
export async function importDbtProject(dbtDir: string, outDir: string): Promise<ImportResult> {
  const projFile = path.join(dbtDir, 'dbt_project.yml');
  if (!existsSync(projFile)) throw new WeirError('WEIR_USAGE', `${dbtDir} has no dbt_project.yml`, { hint: 'Give the directory of the dbt project.' });
  if (existsSync(outDir) && readdirSync(outDir).length) throw new WeirError('WEIR_USAGE', `--out ${outDir} is not empty`, { hint: 'Give a new or empty directory for the Weir project.' });
  mkdirSync(outDir, { recursive: true });
  const problems: ImportProblem[] = [];
  const notes: string[] = [];
  const files: string[] = [];
  const write = (rel: string, text: string) => {
    const abs = path.join(outDir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
    files.push(rel.split(path.sep).join('/'));
  };
  const dbt = (parseYaml(readFileSync(projFile, 'utf8')) ?? {}) as Record<string, unknown>;
  const name = String(dbt.name ?? path.basename(dbtDir));
  const paths = (k: string, dflt: string) => ((dbt[k] as string[] | undefined) ?? (k === 'model-paths' ? (dbt['source-paths'] as string[] | undefined) : undefined) ?? (k === 'seed-paths' ? (dbt['data-paths'] as string[] | undefined) : undefined) ?? [dflt]);

  // 1. Macros and generic tests first: calls become partials with named arguments.
  const macros = new Map<string, readonly string[]>();
  const macroDefaults = new Map<string, Map<string, Expr>>();
  const macroFiles = paths('macro-paths', 'macros').flatMap((p) => walk(path.join(dbtDir, p))).filter((f) => f.endsWith('.sql'));
  const testFiles = paths('test-paths', 'tests').flatMap((p) => walk(path.join(dbtDir, p))).filter((f) => f.endsWith('.sql'));
  const BLOCK = /\{%-?\s*(macro|test)\s+([A-Za-z_]\w*)\s*\(([^)]*)\)\s*-?%\}([\s\S]*?)\{%-?\s*end(?:macro|test)\s*-?%\}/g;
  const blocks: { kind: string; name: string; params: string[]; body: string; file: string; line: number }[] = [];
  for (const f of [...macroFiles, ...testFiles]) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(BLOCK)) {
      const params = m[3].split(',').map((p) => p.trim().split('=')[0].trim()).filter(Boolean);
      const defaults = new Map<string, Expr>();
      for (const p of m[3].split(',')) {
        const [k, d] = p.split('=').map((x) => x.trim());
        if (k && d !== undefined) {
          try {
            defaults.set(k, parseExpr(d));
          } catch {
            problems.push({ file: path.relative(dbtDir, f), line: 1, why: `default of macro argument ${k} is not a literal: ${d}` });
          }
        }
      }
      if (m[1] === 'macro') macroDefaults.set(m[2], defaults);
      const bodyStart = m.index! + m[0].indexOf('%}') + 2;
      blocks.push({ kind: m[1], name: m[2], params, body: m[4], file: path.relative(dbtDir, f), line: text.slice(0, bodyStart).split('\n').length - 1 });
      if (m[1] === 'macro') macros.set(m[2], params);
    }
  }
  const scope = (params: readonly string[] = []): Scope => ({ sets: new Map(), loops: [], macros, params, macroDefaults, vars: isObj(dbt.vars) ? dbt.vars : {} });
  for (const b of blocks) {
    const rel = b.kind === 'macro' ? `macros/${b.name}.sql` : `tests/generic/${b.name}.sql`;
    const body = b.body.replace(/^\s*\n/, '').replace(/\s+$/, '\n');
    const c = convertTemplate(body, rel, scope(b.params), b.line);
    problems.push(...c.problems);
    write(rel, c.text);
  }

  // 2. Docs blocks, for {{ doc('x') }} in YAML.
  const docs = new Map<string, string>();
  for (const f of walk(dbtDir).filter((x) => x.endsWith('.md'))) {
    for (const m of readFileSync(f, 'utf8').matchAll(/\{%-?\s*docs\s+([A-Za-z_]\w*)\s*-?%\}([\s\S]*?)\{%-?\s*enddocs\s*-?%\}/g)) docs.set(m[1], m[2].trim());
  }

  // 3. Models, snapshots, singular tests, seeds, YAML.
  const convertSql = (abs: string, rel: string) => {
    const c = convertTemplate(readFileSync(abs, 'utf8'), rel, scope());
    problems.push(...c.problems);
    write(rel, c.text);
  };
  const convertYaml = (abs: string, rel: string) => {
    let text = readFileSync(abs, 'utf8');
    text = text.replace(/\{\{\s*doc\(\s*['"]([A-Za-z_]\w*)['"]\s*\)\s*\}\}/g, (all, d: string) => {
      const got = docs.get(d);
      if (got === undefined) return all;
      return got.replace(/\n/g, ' ').replace(/"/g, '\\"');
    });
    const lines = text.split('\n');
    lines.forEach((l, i) => {
      if (/\{\{|\{%/.test(l)) problems.push({ file: rel, line: i + 1, why: `Jinja in YAML: ${l.trim()}` });
    });
    write(rel, text);
  };
  for (const p of paths('model-paths', 'models')) {
    for (const f of walk(path.join(dbtDir, p))) {
      const rel = path.relative(dbtDir, f);
      if (f.endsWith('.sql')) convertSql(f, rel);
      else if (/\.ya?ml$/.test(f)) convertYaml(f, rel);
      else if (f.endsWith('.md')) notes.push(`${rel}: docs blocks inlined into the YAML descriptions that use them`);
      else if (f.endsWith('.py')) problems.push({ file: rel, line: 1, why: 'a Python model: Weir runs SQL models (and TypeScript UDFs)' });
    }
  }
  for (const p of paths('seed-paths', 'seeds')) {
    for (const f of walk(path.join(dbtDir, p))) {
      const rel = path.relative(dbtDir, f);
      if (/\.ya?ml$/.test(f)) convertYaml(f, rel);
      else {
        mkdirSync(path.dirname(path.join(outDir, rel)), { recursive: true });
        copyFileSync(f, path.join(outDir, rel));
        files.push(rel);
      }
    }
  }
  for (const p of paths('snapshot-paths', 'snapshots')) {
    for (const f of walk(path.join(dbtDir, p))) {
      const rel = path.relative(dbtDir, f);
      if (/\.ya?ml$/.test(f)) {
        convertYaml(f, rel);
        continue;
      }
      if (!f.endsWith('.sql')) continue;
      const text = readFileSync(f, 'utf8');
      const snaps = [...text.matchAll(/\{%-?\s*snapshot\s+([A-Za-z_]\w*)\s*-?%\}([\s\S]*?)\{%-?\s*endsnapshot\s*-?%\}/g)];
      if (!snaps.length) convertSql(f, rel);
      for (const m of snaps) {
        const out = path.join(path.dirname(rel), `${m[1]}.sql`);
        const c = convertTemplate(m[2].trim() + '\n', out, scope(), text.slice(0, m.index!).split('\n').length - 1);
        problems.push(...c.problems);
        write(out, c.text);
      }
    }
  }
  for (const f of testFiles) {
    const rel = path.relative(dbtDir, f);
    if (BLOCK.test(readFileSync(f, 'utf8'))) continue; // generic tests, done above
    BLOCK.lastIndex = 0;
    convertSql(f, rel);
  }
  for (const f of macroFiles) {
    const text = readFileSync(f, 'utf8');
    const rest = text.replace(BLOCK, '').replace(/\{#[\s\S]*?#\}/g, '');
    if (/\{%|\{\{/.test(rest)) problems.push({ file: path.relative(dbtDir, f), line: 1, why: 'Jinja outside {% macro %} blocks (not converted)' });
  }

  for (const f of ['packages.yml', 'dependencies.yml']) {
    if (existsSync(path.join(dbtDir, f))) notes.push(`${f}: dbt packages are not installed; calls of dbt/dbt_utils macros Weir has are converted to its helpers, other package macros are listed where they are used`);
  }
  const analyses = ((dbt['analysis-paths'] as string[] | undefined) ?? ['analyses']).flatMap((p) => walk(path.join(dbtDir, p))).filter((f) => f.endsWith('.sql'));
  if (analyses.length) notes.push(`${analyses.length} analyses (${path.relative(dbtDir, path.dirname(analyses[0]))}/) not converted: Weir has no analysis resource; run them with weir query`);

  // 4. project.yaml.
  const project: Record<string, unknown> = { name };
  if (dbt.version !== undefined) project.version = String(dbt.version);
  for (const [k, v] of Object.entries(dbt)) {
    if (k === 'name' || k === 'version') continue;
    if (DROPPED.has(k)) {
      notes.push(`dbt_project.yml ${k}: not needed by Weir (dropped)`);
      continue;
    }
    if (PATHS[k]) project[PATHS[k]] = k === 'target-path' ? v : v;
    else if (k === 'vars') project.vars = v;
    else if (k === 'on-run-start' || k === 'on-run-end') {
      const list = (Array.isArray(v) ? v : [v]).map((h, i) => {
        const c = convertTemplate(String(h), `dbt_project.yml (${k}[${i}])`, scope());
        problems.push(...c.problems);
        return c.text;
      });
      project[k] = list;
    } else if (TREES.includes(k)) project[k === 'data_tests' ? 'data_tests' : k] = folderTree(v, name);
    else problems.push({ file: 'dbt_project.yml', line: lineOf(readFileSync(projFile, 'utf8'), k), why: `key '${k}' has no Weir equivalent` });
  }
  project.targets = targetsFrom(dbtDir, dbt, name, notes, problems);
  write('project.yaml', stringifyYaml(project));

  // 5. Load the result with Weir: every problem it finds is listed.
  try {
    const { WeirProject } = await import('../../api/project.js');
    await WeirProject.load({ projectDir: outDir, partialParse: false, env: { ...process.env } });
  } catch (e) {
    const errs = (e as { errors?: WeirError[] }).errors ?? [e as WeirError];
    for (const x of errs) {
      if (!(x instanceof WeirError)) throw e;
      problems.push({ file: x.location?.file ?? 'project', line: x.location?.line ?? 1, why: `Weir: ${x.message}` });
    }
  }
  return { files: files.sort(), problems: dedupe(problems), notes };
}

function dedupe(ps: ImportProblem[]): ImportProblem[] {
  const seen = new Set<string>();
  return ps.filter((p) => {
    const k = `${p.file}:${p.line}:${p.why}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const lineOf = (text: string, key: string) => Math.max(1, text.split('\n').findIndex((l) => l.startsWith(`${key}:`)) + 1);

/** dbt folder config (`models: {<project>: {+materialized: ..., staging: {...}}}`) → Weir's tree. */
function folderTree(v: unknown, project: string): unknown {
  if (!isObj(v)) return v;
  const top = isObj(v[project]) ? { ...v, ...(v[project] as Record<string, unknown>) } : v;
  delete (top as Record<string, unknown>)[project];
  const conv = (node: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(node)) {
      if (k.startsWith('+')) out[k] = x;
      else if (isObj(x) && !CONFIG_OBJECT_KEYS.has(k)) out[k] = conv(x);
      else out[`+${k}`] = x; // dbt also allows config keys without +
    }
    return out;
  };
  return conv(top as Record<string, unknown>);
}
const CONFIG_OBJECT_KEYS = new Set(['column_types', 'grants', 'meta', 'persist_docs', 'docs', 'contract', 'quoting']);

function targetsFrom(dbtDir: string, dbt: Record<string, unknown>, name: string, notes: string[], problems: ImportProblem[]): Record<string, unknown> {
  const profile = String(dbt.profile ?? name);
  if (existsSync(path.join(dbtDir, 'profiles.yml'))) {
    try {
      const p = readDbtProfile(dbtDir, profile, dbtDir, {}, { keepEnvCalls: true });
      if (Object.keys(p.targets).length) {
        const ordered = p.defaultTarget ? { [p.defaultTarget]: p.targets[p.defaultTarget], ...p.targets } : p.targets;
        return ordered;
      }
    } catch (e) {
      const errs = (e as { errors?: WeirError[] }).errors ?? [e as WeirError];
      for (const x of errs) problems.push({ file: x.location?.file ?? 'profiles.yml', line: x.location?.line ?? 1, why: x.message });
    }
  } else notes.push(`no profiles.yml in ${dbtDir}: project.yaml gets a DuckDB target 'dev' (target/${name}.duckdb)`);
  return { dev: { type: 'duckdb', path: `target/${name}.duckdb`, schema: 'main', threads: 4 } };
}
