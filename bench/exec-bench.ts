/**
 * Benchmark (b): Weir's execution overhead. `weir run`/`weir build` (through the built `dist/` library:
 * `WeirProject.load()` + `execute()`, on one thread and with the threads configured in project.yaml) against the same compiled SQL
 * executed directly through @duckdb/node-api (see direct.ts). Each repetition starts from a fresh database
 * file; Weir and direct runs alternate so machine noise hits both alike; medians are reported.
 *
 * - chain: N trivial models (views, and a table variant), each selecting from up to two earlier models;
 * - demo: the repository's demo warehouse with seeds generated at ×10 scale, `weir build` (seeds, models,
 *   tests) once each way, no warm-up (it takes tens of seconds).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateChainProject } from './generate-project.js';
import { planFromManifest, runDirect, udfNamesOf } from './direct.js';
import { log, median, timeNode } from './util.js';

/** One Weir-vs-direct comparison. */
export interface ExecResult {
  readonly label: string;
  readonly nodes: number;
  readonly reps: number;
  readonly weirMs: number;
  readonly directMs: number;
  readonly weirRuns: number[];
  /** Weir on one thread (one connection, like the direct script): the per-node overhead comparison. */
  readonly weir1Ms: number;
  readonly directRuns: number[];
  /** Weir's own split of the median-ish last run: load (parse) vs execute. */
  readonly loadMs: number;
  readonly executeMs: number;
  readonly threads: number;
}

interface WeirApi {
  WeirProject: {
    load(o: { projectDir: string; env?: NodeJS.ProcessEnv }): Promise<{
      execute(cmd: string, a?: Record<string, unknown>): Promise<{ success: boolean; results: readonly { unique_id: string; status: string; message?: string }[] }>;
      compile(a: { format: boolean }): { compiled: Map<string, { compiled_code?: string }> };
      targetDir: string;
      targetInfo: { threads: number };
    }>;
  };
}

const removeDb = (file: string) => {
  for (const f of [file, `${file}.wal`]) rmSync(f, { force: true });
};

async function compare(label: string, weir: WeirApi, root: string, command: 'run' | 'build', types: readonly string[], reps: number, env: NodeJS.ProcessEnv, warmup = true, exclude: string[] = []): Promise<ExecResult> {
  const dbFile = path.join(root, 'target', 'bench.duckdb');
  const directDb = path.join(root, 'target', 'direct.duckdb');
  const weirRuns: number[] = [];
  const weir1Runs: number[] = [];
  const directRuns: number[] = [];
  let plan: ReturnType<typeof planFromManifest> | undefined;
  let loadMs = 0;
  let executeMs = 0;
  let threads = 0;
  let nodes = 0;
  // With `warmup`, run 0 of both is not counted. The first Weir run also writes the manifest the direct plan is read from.
  const first = warmup ? 0 : 1;
  for (let i = first; i <= reps; i++) {
    removeDb(dbFile);
    const t0 = performance.now();
    const project = await weir.WeirProject.load({ projectDir: root, env });
    const t1 = performance.now();
    const summary = await project.execute(command, exclude.length ? { exclude } : {});
    const t2 = performance.now();
    if (!summary.success) {
      const bad = summary.results.find((r) => r.status === 'error' || r.status === 'fail');
      throw new Error(`${label}: weir ${command} failed: ${bad?.message}`);
    }
    threads = project.targetInfo.threads;
    nodes = summary.results.length;
    plan ??= planFromManifest(path.join(project.targetDir, 'manifest.json'), root, types, new Set(summary.results.map((r) => r.unique_id)));
    removeDb(dbFile);
    const s0 = performance.now();
    const p1 = await weir.WeirProject.load({ projectDir: root, env });
    const s1 = await p1.execute(command, { ...(exclude.length ? { exclude } : {}), threads: 1 });
    const w1 = performance.now() - s0;
    if (!s1.success) throw new Error(`${label}: weir ${command} --threads 1 failed`);
    removeDb(directDb);
    const d = await runDirect(directDb, plan);
    if (i > 0) {
      weirRuns.push(t2 - t0);
      weir1Runs.push(w1);
      directRuns.push(d);
      loadMs = t1 - t0;
      executeMs = t2 - t1;
    }
    log(`${label}: rep ${i}${i === 0 ? ' (warm-up)' : ''}: weir ${Math.round(t2 - t0)} ms (load ${Math.round(t1 - t0)}), weir 1 thread ${Math.round(w1)} ms, direct ${Math.round(d)} ms`);
  }
  removeDb(dbFile);
  removeDb(directDb);
  return { label, nodes, reps, weirMs: median(weirRuns), weir1Ms: median(weir1Runs), directMs: median(directRuns), weirRuns, directRuns, loadMs, executeMs, threads };
}

/** Imports the built library. */
export async function importWeir(distDir: string): Promise<WeirApi> {
  return (await import(pathToFileURL(path.join(distDir, 'public', 'index.js')).href)) as WeirApi;
}

/** The chain benchmarks (views, then tables). */
export async function benchChain(tmpDir: string, distDir: string, models: number, reps: number): Promise<ExecResult[]> {
  const weir = await importWeir(distDir);
  const out: ExecResult[] = [];
  for (const mat of ['view', 'table'] as const) {
    const root = path.join(tmpDir, `chain-${mat}`);
    generateChainProject(root, models, mat);
    out.push(await compare(`${models} ${mat}s`, weir, root, 'run', ['model'], reps, process.env));
  }
  return out;
}

/**
 * The demo warehouse at `scale`: seeds generated into a temporary project with the repository's
 * project.yaml, models, macros, tests/data and udfs; one warm-up-free `weir build` and one direct run.
 */
export async function benchDemo(repoRoot: string, tmpDir: string, distDir: string, scale: number): Promise<ExecResult & { seedGenMs: number; excluded: string[] }> {
  const root = path.join(tmpDir, `demo-x${scale}`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  for (const p of ['project.yaml', 'models', 'macros', 'udfs', path.join('tests', 'data')]) {
    if (existsSync(path.join(repoRoot, p))) cpSync(path.join(repoRoot, p), path.join(root, p), { recursive: true });
  }
  // UDF modules import Weir's sources by relative path (../src/...): point them at the repository.
  log(`demo x${scale}: generating seeds (takes a while)`);
  const gen = timeNode(['--import', 'tsx', path.join(repoRoot, 'scripts', 'generate-seeds.ts'), '--scale', String(scale), '--out', path.join(root, 'seeds')], { cwd: repoRoot });
  log(`demo x${scale}: seeds generated in ${Math.round(gen.wallMs)} ms`);
  const weir = await importWeir(distDir);
  const env = { ...process.env, WEIR_DUCKDB_PATH: 'target/bench.duckdb', WEIR_TARGET_PATH: 'target' };
  // Models calling Weir UDFs (JavaScript functions registered by Weir) can't run as plain SQL: both sides
  // leave them and everything downstream of them out.
  const probe = await weir.WeirProject.load({ projectDir: root, env });
  const { compiled } = probe.compile({ format: false });
  const udfNames = udfNamesOf(JSON.parse(readFileSync(path.join(probe.targetDir, 'manifest.json'), 'utf8')));
  const exclude = [...compiled].filter(([uid, c]) => uid.startsWith('model.') && udfNames.some((n) => new RegExp(`\\b${n}\\s*\\(`, 'i').test(c.compiled_code ?? ''))).map(([uid]) => `${uid.split('.').pop()}+`);
  log(`demo x${scale}: excluding UDF models and their descendants: ${exclude.join(' ') || '(none)'}`);
  // One counted run each, no warm-up: the build takes tens of seconds, so start-up noise is small.
  const r = await compare(`demo ×${scale} build`, weir, root, 'build', ['seed', 'model', 'test'], 1, env, false, exclude);
  return { ...r, seedGenMs: gen.wallMs, excluded: exclude };
}
