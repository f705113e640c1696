/**
 * `weir build` of the demo warehouse at ×N scale as users run it — one whole process through the bench's
 * bin, `--threads 1` (one connection, like the baseline) — against a `node` process running the same
 * statements through @duckdb/node-api on one connection (bench/direct-child.mjs; the statements Weir's
 * materializations send, planned from Weir's manifest as bench/direct.ts does, for exactly the nodes the
 * Weir build executed). Both sides leave out the models that call Weir's JavaScript UDFs and their
 * descendants (plain SQL cannot call them), as section (b) does. Each run starts from a fresh database (the
 * file, its WAL and Weir's read copy removed); runs alternate; medians. Wall time, user CPU time (all
 * threads) and peak RSS of each process.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { planFromManifest, udfNamesOf } from './direct.js';
import { runNode, runWeir } from './cli.js';
import { importWeir } from './exec-bench.js';
import { log, median, timeNode } from './util.js';

/** Results of {@link benchDemoProcess}. Times in ms, memory in MiB. */
export interface DemoProcessResult {
  readonly scale: number;
  readonly reps: number;
  /** Nodes the Weir build executed (seeds, models, tests), and how many of them are seeds, models, tests. */
  readonly nodes: number;
  readonly counts: Readonly<Record<string, number>>;
  /** `--exclude` arguments (UDF models and their descendants). */
  readonly excluded: readonly string[];
  readonly seedGenMs: number;
  /** Size of the generated seed files (MiB, as stored: gzip). */
  readonly seedMiB: number;
  readonly weirMs: number;
  readonly directMs: number;
  readonly weirCpuMs: number;
  readonly directCpuMs: number;
  readonly weirPeakRssMiB: number;
  readonly directPeakRssMiB: number;
  readonly weirRuns: readonly number[];
  readonly directRuns: readonly number[];
}

/**
 * Copies the demo project (project.yaml, models, macros, udfs, tests/data) into `root` and generates its
 * seeds at `scale` (or copies them from `reuseSeedsFrom` when that folder holds them).
 * @returns the generation time (ms; 0 when copied)
 */
export function prepareDemo(repoRoot: string, root: string, scale: number, reuseSeedsFrom?: string): number {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  for (const p of ['project.yaml', 'models', 'macros', 'udfs', path.join('tests', 'data')]) {
    if (existsSync(path.join(repoRoot, p))) cpSync(path.join(repoRoot, p), path.join(root, p), { recursive: true });
  }
  if (reuseSeedsFrom && existsSync(path.join(reuseSeedsFrom, 'seeds.yml'))) {
    cpSync(reuseSeedsFrom, path.join(root, 'seeds'), { recursive: true });
    return 0;
  }
  log(`demo x${scale}: generating seeds (takes a while)`);
  const gen = timeNode(['--import', 'tsx', path.join(repoRoot, 'scripts', 'generate-seeds.ts'), '--scale', String(scale), '--out', path.join(root, 'seeds')], { cwd: repoRoot });
  log(`demo x${scale}: seeds generated in ${Math.round(gen.wallMs)} ms`);
  return gen.wallMs;
}

/**
 * The models that call Weir's UDFs, as `--exclude <name>+` arguments (with their descendants).
 * @param distDir the bench's build of the library (compiles the project in-process to find the calls)
 */
export async function udfModelExcludes(distDir: string, root: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const weir = await importWeir(distDir);
  const probe = await weir.WeirProject.load({ projectDir: root, env });
  const { compiled } = probe.compile({ format: false });
  const udfNames = udfNamesOf(JSON.parse(readFileSync(path.join(probe.targetDir, 'manifest.json'), 'utf8')));
  return [...compiled].filter(([uid, c]) => uid.startsWith('model.') && udfNames.some((n) => new RegExp(`\\b${n}\\s*\\(`, 'i').test(c.compiled_code ?? ''))).map(([uid]) => `${uid.split('.').pop()}+`);
}

/** Sums a folder's file sizes (MiB). */
function folderMiB(dir: string): number {
  let bytes = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else bytes += statSync(p).size;
    }
  };
  walk(dir);
  return bytes / 1024 / 1024;
}

/**
 * Runs the comparison.
 * @param bin the bench's copy of bin/weir.js (runs the bench's build)
 * @param distDir the bench's build (to find the UDF models)
 * @param reuseSeedsFrom a folder of seeds already generated at this scale (section (b)'s), if any
 */
export async function benchDemoProcess(repoRoot: string, tmpDir: string, distDir: string, bin: string, scale: number, reps: number, reuseSeedsFrom?: string): Promise<DemoProcessResult> {
  const root = path.join(tmpDir, `demo-process-x${scale}`);
  const seedGenMs = prepareDemo(repoRoot, root, scale, reuseSeedsFrom);
  const seedMiB = folderMiB(path.join(root, 'seeds'));
  const dbFile = path.join(root, 'target', 'bench.duckdb');
  const directDb = path.join(root, 'target', 'direct.duckdb');
  const env = { ...process.env, WEIR_DUCKDB_PATH: 'target/bench.duckdb', WEIR_TARGET_PATH: 'target' };
  const excluded = await udfModelExcludes(distDir, root, env);
  log(`demo-process x${scale}: excluding UDF models and their descendants: ${excluded.join(' ') || '(none)'}`);
  const clean = (f: string) => { for (const x of [f, `${f}.wal`, f.replace(/\.duckdb$/, '.read.duckdb')]) rmSync(x, { force: true }); };
  const args = ['build', '-q', '--threads', '1', ...(excluded.length ? ['--exclude', ...excluded] : [])];
  // Warm-up: the partial-parse cache and the UDF bundle are written, as on any machine after the first build.
  runWeir(bin, ['compile', '-q'], root, { env });
  const child = path.resolve(import.meta.dirname, 'direct-child.mjs');
  const planFile = path.join(root, 'target', 'direct-plan.json');
  const w: number[] = [], d: number[] = [], wc: number[] = [], dc: number[] = [];
  let wRss = 0, dRss = 0, nodes = 0;
  const counts: Record<string, number> = {};
  for (let i = 0; i < reps; i++) {
    clean(dbFile);
    const r = runWeir(bin, args, root, { env, rss: true, allowFail: true });
    if (r.status !== 0 && r.status !== 1) throw new Error(`demo-process: weir build exited with ${r.status}: ${r.stderr.slice(-2000)}`);
    w.push(r.wallMs);
    wc.push(r.userCpuMs ?? 0);
    wRss = Math.max(wRss, r.peakRssMiB ?? 0);
    if (i === 0) {
      // The plan: exactly the nodes this build executed (a failing test's skipped descendants are left out).
      const results = (JSON.parse(readFileSync(path.join(root, 'target', 'run_results.json'), 'utf8')) as { results: { unique_id: string; status: string }[] }).results;
      const ran = new Set(results.filter((x) => x.status !== 'skipped').map((x) => x.unique_id));
      nodes = ran.size;
      for (const u of ran) counts[u.split('.')[0]] = (counts[u.split('.')[0]] ?? 0) + 1;
      writeFileSync(planFile, JSON.stringify(planFromManifest(path.join(root, 'target', 'manifest.json'), root, ['seed', 'model', 'test'], ran)));
    }
    clean(directDb);
    const dr = runNode([child, directDb, planFile], { cwd: root, rss: true });
    d.push(dr.wallMs);
    dc.push(dr.userCpuMs ?? 0);
    dRss = Math.max(dRss, dr.peakRssMiB ?? 0);
    log(`demo-process x${scale} rep ${i + 1}/${reps}: weir build ${Math.round(r.wallMs)} ms (user CPU ${Math.round(r.userCpuMs ?? 0)} ms, peak RSS ${Math.round(r.peakRssMiB ?? 0)} MiB), direct ${Math.round(dr.wallMs)} ms (user CPU ${Math.round(dr.userCpuMs ?? 0)} ms, ${Math.round(dr.peakRssMiB ?? 0)} MiB)`);
  }
  clean(dbFile);
  clean(directDb);
  return {
    scale, reps, nodes, counts, excluded, seedGenMs, seedMiB,
    weirMs: median(w), directMs: median(d), weirCpuMs: median(wc), directCpuMs: median(dc), weirPeakRssMiB: wRss, directPeakRssMiB: dRss, weirRuns: w, directRuns: d,
  };
}
