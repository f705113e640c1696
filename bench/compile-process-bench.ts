/**
 * `weir compile` as users run it — a whole `weir` process (the bench's bin + dist) — on a generated layered
 * project (generate-project.ts), side by side with Dataform's CLI `compile` of the same DAG (dataform.ts),
 * runs alternating, medians. Also `weir ls` (parse only) of the same project, and `weir compile` of a
 * 10,000-model project cold (`--no-partial-parse`), warm (partial-parse cache from the previous run; the cold
 * run rewrote manifest.json, so everything is rendered and written) and unchanged (again, nothing changed:
 * the compile record says the outputs stand), each with the process's peak RSS and user CPU time (bench/peak-rss.cjs; Dataform's peak is its CLI process, not its
 * compilation child).
 */
import path from 'node:path';
import { generateLayeredProject } from './generate-project.js';
import { installDataform, writeDataformProject, DATAFORM_CLI } from './dataform.js';
import { runNode, runWeir, type ProcResult } from './cli.js';
import { log, median } from './util.js';

/** Median wall time, median user CPU time and the largest peak RSS of a set of runs. */
export interface Timed {
  readonly ms: number;
  readonly peakRssMiB?: number;
  /** Median user CPU time (ms, all threads), when measured. */
  readonly userMs?: number;
  readonly runs: number[];
}

/** Results of {@link benchCompileProcess}. */
export interface CompileProcessResult {
  readonly models: number;
  readonly tests: number;
  readonly reps: number;
  readonly weirCold: Timed;
  readonly weirWarm: Timed;
  /** `weir compile` again right after the warm one, nothing changed (api/compile-record.ts: nothing to do). */
  readonly weirUnchanged: Timed;
  readonly weirLs: Timed;
  readonly dataform?: Timed;
  readonly dataformChecks: number;
  readonly big?: { models: number; nodes: number; cold: Timed; warm: Timed; unchanged: Timed };
}

const summarize = (rs: ProcResult[]): Timed => ({
  ms: median(rs.map((r) => r.wallMs)),
  runs: rs.map((r) => r.wallMs),
  peakRssMiB: rs.some((r) => r.peakRssMiB !== undefined) ? Math.max(...rs.map((r) => r.peakRssMiB ?? 0)) : undefined,
  userMs: rs.every((r) => r.userCpuMs !== undefined) && rs.length ? median(rs.map((r) => r.userCpuMs!)) : undefined,
});

/**
 * Runs the comparison.
 * @param bin the bench's copy of bin/weir.js
 * @param models size of the compared project (2,000 in the full run)
 * @param bigModels size of the large project (10,000; 0 skips it)
 * @param withDataform false skips Dataform (no network)
 */
export function benchCompileProcess(tmpDir: string, bin: string, models: number, reps: number, bigModels: number, withDataform = true): CompileProcessResult {
  const root = path.join(tmpDir, `compile-${models}`);
  const info = generateLayeredProject(root, models);
  log(`compile (process): ${models} models, ${info.tests} tests in ${root}`);
  runWeir(bin, ['compile', '-q'], root); // target/ and manifest.json (Dataform's project is made from it)
  let df: { bin: string; dir: string } | undefined;
  let checks = 0;
  if (withDataform) {
    const d = installDataform();
    const dir = path.join(tmpDir, `dataform-${models}`);
    const w = writeDataformProject(path.join(root, 'target', 'manifest.json'), dir, d.nodeModules);
    checks = w.checks;
    log(`dataform: wrote ${w.models} models, ${w.declarations} declarations, ${w.checks} checks into ${dir}`);
    df = { bin: d.bin, dir };
  }
  const cold: ProcResult[] = [];
  const warm: ProcResult[] = [];
  const same: ProcResult[] = [];
  const ls: ProcResult[] = [];
  const dfr: ProcResult[] = [];
  for (let i = 0; i < reps; i++) {
    cold.push(runWeir(bin, ['compile', '-q', '--no-partial-parse'], root, { rss: true }));
    warm.push(runWeir(bin, ['compile', '-q'], root, { rss: true })); // the cold run rewrote manifest.json: compiles
    same.push(runWeir(bin, ['compile', '-q'], root, { rss: true })); // nothing changed since: skipped
    ls.push(runWeir(bin, ['ls', '-q'], root));
    if (df) dfr.push(runNode([df.bin, 'compile', df.dir, '--quiet', '--timeout', '60m'], { cwd: df.dir, rss: true }));
    log(`compile ${models} rep ${i + 1}/${reps}: weir cold ${Math.round(cold[i].wallMs)} ms, warm ${Math.round(warm[i].wallMs)} ms, unchanged ${Math.round(same[i].wallMs)} ms, ls ${Math.round(ls[i].wallMs)} ms${df ? `, dataform ${Math.round(dfr[i].wallMs)} ms` : ''}`);
  }
  let big: CompileProcessResult['big'];
  if (bigModels > 0) {
    const broot = path.join(tmpDir, `compile-${bigModels}`);
    const binfo = generateLayeredProject(broot, bigModels);
    const bc: ProcResult[] = [];
    const bw: ProcResult[] = [];
    const bs: ProcResult[] = [];
    runWeir(bin, ['compile', '-q'], broot); // writes the partial-parse cache
    for (let i = 0; i < Math.max(1, reps - 1); i++) {
      bc.push(runWeir(bin, ['compile', '-q', '--no-partial-parse'], broot, { rss: true }));
      bw.push(runWeir(bin, ['compile', '-q'], broot, { rss: true }));
      bs.push(runWeir(bin, ['compile', '-q'], broot, { rss: true }));
      log(`compile ${bigModels} rep ${i + 1}: cold ${Math.round(bc[i].wallMs)} ms (${Math.round(bc[i].peakRssMiB ?? 0)} MiB), warm ${Math.round(bw[i].wallMs)} ms, unchanged ${Math.round(bs[i].wallMs)} ms`);
    }
    big = { models: bigModels, nodes: binfo.models + binfo.tests + binfo.seeds, cold: summarize(bc), warm: summarize(bw), unchanged: summarize(bs) };
  }
  return {
    models, tests: info.tests, reps, weirCold: summarize(cold), weirWarm: summarize(warm), weirUnchanged: summarize(same), weirLs: summarize(ls),
    dataform: df ? summarize(dfr) : undefined, dataformChecks: checks, big,
  };
}

export { DATAFORM_CLI };
