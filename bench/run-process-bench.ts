/**
 * `weir run` as a scheduler runs it — one whole process, one thread (one connection, like the baseline) —
 * against a `node` process running the same SQL through @duckdb/node-api on one connection
 * (bench/direct-child.mjs, statements from Weir's manifest as bench/direct.ts plans them), on N trivial
 * view models (generate-project.ts generateChainProject). Each run starts from a fresh database file;
 * runs alternate; medians. Where Weir's extra time goes: its start-up (`weir --version`), `weir ls`
 * (start-up + loading and parsing the project), `weir compile` (+ rendering and writing compiled SQL and
 * manifest.json), and the read copy Weir publishes after a DuckDB run (from the run's JSON events).
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateChainProject } from './generate-project.js';
import { planFromManifest } from './direct.js';
import { runNode, runWeir } from './cli.js';
import { log, median } from './util.js';

/** Results of {@link benchRunProcess}. */
export interface RunProcessResult {
  readonly models: number;
  readonly reps: number;
  readonly weirMs: number;
  readonly directMs: number;
  readonly versionMs: number;
  readonly lsMs: number;
  readonly compileMs: number;
  /** Median seconds Weir spent publishing the read copy (WEIR_READ_COPY_PUBLISHED elapsed), ms. */
  readonly readCopyMs: number;
  readonly peakRssMiB?: number;
  /** Median user CPU time (all threads) of the `weir run` and script processes, ms. */
  readonly weirCpuMs: number;
  readonly directCpuMs: number;
  /** Every run's wall time (ms), Weir's and the script's, in order. */
  readonly weirRuns: readonly number[];
  readonly directRuns: readonly number[];
}

/** Runs the comparison on `models` views. */
export function benchRunProcess(tmpDir: string, bin: string, models: number, reps: number): RunProcessResult {
  const root = path.join(tmpDir, `run-process-${models}`);
  rmSync(root, { recursive: true, force: true });
  generateChainProject(root, models, 'view', { threads: 1 });
  const dbFile = path.join(root, 'target', 'bench.duckdb');
  const directDb = path.join(root, 'target', 'direct.duckdb');
  // A fresh database each run, on both sides: the file, its WAL and (Weir's) the read copy it publishes —
  // with the copy left, Weir would restore it instead of starting empty (and say so in a warning).
  const clean = (f: string) => { for (const x of [f, `${f}.wal`, f.replace(/\.duckdb$/, '.read.duckdb')]) rmSync(x, { force: true }); };
  runWeir(bin, ['run', '-q', '--threads', '1'], root); // warm-up; writes manifest.json the plan comes from
  const plan = planFromManifest(path.join(root, 'target', 'manifest.json'), root, ['model']);
  const planFile = path.join(root, 'target', 'direct-plan.json');
  writeFileSync(planFile, JSON.stringify(plan));
  const child = path.resolve(import.meta.dirname, 'direct-child.mjs');
  const w: number[] = [], d: number[] = [], v: number[] = [], l: number[] = [], c: number[] = [], rc: number[] = [], wc: number[] = [], dc: number[] = [];
  let rss = 0;
  for (let i = 0; i < reps; i++) {
    clean(dbFile);
    const r = runWeir(bin, ['run', '--threads', '1', '--log-format', 'json'], root, { rss: true });
    w.push(r.wallMs);
    wc.push(r.userCpuMs ?? 0);
    rss = Math.max(rss, r.peakRssMiB ?? 0);
    for (const line of r.stdout.split('\n')) {
      if (line.includes('WEIR_READ_COPY_PUBLISHED')) rc.push(1000 * Number((JSON.parse(line) as { elapsed: number }).elapsed));
    }
    clean(directDb);
    const dr = runNode([child, directDb, planFile], { cwd: root, rss: true });
    d.push(dr.wallMs);
    dc.push(dr.userCpuMs ?? 0);
    v.push(runWeir(bin, ['--version'], root).wallMs);
    l.push(runWeir(bin, ['ls', '-q'], root).wallMs);
    c.push(runWeir(bin, ['compile', '-q'], root).wallMs);
    log(`run ${models} views rep ${i + 1}/${reps}: weir ${Math.round(w[i])} ms (user CPU ${Math.round(wc[i])}), direct ${Math.round(d[i])} ms (user CPU ${Math.round(dc[i])}), --version ${Math.round(v[i])}, ls ${Math.round(l[i])}, compile ${Math.round(c[i])}`);
  }
  clean(dbFile);
  clean(directDb);
  return { models, reps, weirMs: median(w), directMs: median(d), versionMs: median(v), lsMs: median(l), compileMs: median(c), readCopyMs: rc.length ? median(rc) : 0, peakRssMiB: rss || undefined, weirCpuMs: median(wc), directCpuMs: median(dc), weirRuns: w, directRuns: d };
}
