/**
 * Benchmark (a): cold parse + compile of generated layered projects (see generate-project.ts).
 *
 * Every measurement is a fresh `node bench/compile-child.mjs` process running the built `dist/` code, so
 * module loading, JIT warm-up and the first file reads are all paid each time ("cold"). Measured:
 * - `api`: wall time of the whole process (spawn to exit) and, inside it, `WeirProject.load()` +
 *   `compile({ format: false })` (compile writes target/compiled/** and manifest.json, as `weir compile` does);
 *   the first run finds no target/ (and so no partial-parse cache), later ones reuse target/partial_parse.json
 *   ("warm");
 * - `cold`: the same with `partialParse: false` (every file parsed), target/ in place;
 * - `split`: the same work split into load (files + YAML) / parse (templates → manifest) / DAG / render;
 * - baseline: a fresh Node process that only reads every file of the project (the floor for any tool),
 *   so the ratio says how much more than "read the project" Weir costs.
 * The first `api` run writes target/ from scratch; later ones find it in place (files unchanged). Medians.
 * Cold and warm runs alternate, so both see the same machine load.
 */
import path from 'node:path';
import { generateLayeredProject, type LayeredProjectInfo } from './generate-project.js';
import { log, median, timeNode } from './util.js';

/** Results for one project size. */
export interface CompileResult {
  readonly info: LayeredProjectInfo;
  readonly nodes: number;
  readonly reps: number;
  /** Process wall time (spawn → exit), first run (empty target dir, no cache). */
  readonly firstWallMs: number;
  /** Medians with `partialParse: false` (target dir in place). */
  readonly cold: { wallMs: number; loadMs: number; compileMs: number };
  readonly wallMs: number;
  readonly importMs: number;
  readonly loadMs: number;
  readonly compileMs: number;
  readonly totalMs: number;
  readonly split: { filesMs: number; parseMs: number; dagMs: number; renderMs: number };
  /** Wall time of a process that only reads every project file. */
  readonly baselineWallMs: number;
}

const BASELINE_SCRIPT = `
const fs = require('node:fs'), path = require('node:path');
let bytes = 0;
const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) {
  if (e.name === 'target') continue;
  const p = path.join(d, e.name);
  if (e.isDirectory()) walk(p); else bytes += fs.readFileSync(p, 'utf8').length;
} };
walk(process.argv[1]);
console.log(bytes);
`;

/** Runs benchmark (a) for one size. */
export function benchCompile(tmpDir: string, distDir: string, models: number, reps: number): CompileResult {
  const root = path.join(tmpDir, `layered-${models}`);
  const info = generateLayeredProject(root, models);
  log(`compile: generated ${models} models (${info.files} files) in ${root}`);
  const child = path.resolve(import.meta.dirname, 'compile-child.mjs');
  const runChild = (mode: 'api' | 'cold' | 'split') => {
    const r = timeNode([child, distDir, root, mode]);
    return { wallMs: r.wallMs, ...JSON.parse(r.stdout.trim().split('\n').pop()!) } as Record<string, number>;
  };
  const api: Record<string, number>[] = [];
  const cold: Record<string, number>[] = [];
  for (let i = 0; i < reps + 1; i++) {
    api.push(runChild('api'));
    log(`compile ${models}: api run ${i + 1}/${reps + 1}: ${Math.round(api[i].wallMs)} ms wall, load ${Math.round(api[i].loadMs)} + compile ${Math.round(api[i].compileMs)} ms`);
    if (i === 0) continue;
    cold.push(runChild('cold'));
    log(`compile ${models}: cold run ${i}/${reps}: ${Math.round(cold[i - 1].wallMs)} ms wall, load ${Math.round(cold[i - 1].loadMs)} + compile ${Math.round(cold[i - 1].compileMs)} ms`);
  }
  const warm = api.slice(1);
  const split: Record<string, number>[] = [];
  for (let i = 0; i < reps; i++) split.push(runChild('split'));
  const baseline: number[] = [];
  for (let i = 0; i < reps; i++) baseline.push(timeNode(['-e', BASELINE_SCRIPT, root]).wallMs);
  const med = (rows: Record<string, number>[], k: string) => median(rows.map((r) => r[k]));
  return {
    info, nodes: api[0].nodes, reps,
    firstWallMs: api[0].wallMs,
    cold: { wallMs: med(cold, 'wallMs'), loadMs: med(cold, 'loadMs'), compileMs: med(cold, 'compileMs') },
    wallMs: med(warm, 'wallMs'), importMs: med(warm, 'importMs'), loadMs: med(warm, 'loadMs'), compileMs: med(warm, 'compileMs'), totalMs: med(warm, 'totalMs'),
    split: { filesMs: med(split, 'filesMs'), parseMs: med(split, 'parseMs'), dagMs: med(split, 'dagMs'), renderMs: med(split, 'renderMs') },
    baselineWallMs: median(baseline),
  };
}
