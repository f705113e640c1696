/**
 * Whole-process measurement helpers: the `weir` CLI as users run it (a copy of bin/weir.js next to the
 * bench's own build of dist/, see run.ts), any `node` script, wall time from spawn to exit and, on request,
 * the peak resident set size of the child (bench/peak-rss.cjs, preloaded).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

/** One finished child process. */
export interface ProcResult {
  readonly wallMs: number;
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Peak RSS in MiB (only when asked for with `rss: true`). */
  readonly peakRssMiB?: number;
  /** User CPU time of the process, all threads, ms (only with `rss: true`). */
  readonly userCpuMs?: number;
}

const PEAK_RSS = path.resolve(import.meta.dirname, 'peak-rss.cjs');

/**
 * Runs `node <args>` to completion.
 * @param opts.rss preload bench/peak-rss.cjs and report the child's peak RSS
 * @param opts.allowFail return a non-zero exit instead of throwing
 * @throws Error with the child's stderr when it exits non-zero (unless allowFail)
 */
export function runNode(args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; rss?: boolean; allowFail?: boolean } = {}): ProcResult {
  const rssFile = opts.rss ? path.join(opts.cwd ?? process.cwd(), `.peak-rss-${process.pid}.txt`) : undefined;
  if (rssFile) rmSync(rssFile, { force: true });
  const env = { ...(opts.env ?? process.env), ...(rssFile ? { WEIR_BENCH_RSS_FILE: rssFile } : {}), NO_COLOR: '1' };
  const full = rssFile ? ['--require', PEAK_RSS, ...args] : [...args];
  const t = performance.now();
  const r = spawnSync(process.execPath, full, { cwd: opts.cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const wallMs = performance.now() - t;
  const status = r.status ?? -1;
  if (status !== 0 && !opts.allowFail) throw new Error(`node ${args.join(' ')} (in ${opts.cwd ?? '.'}) exited with ${status}: ${r.stderr.slice(-2000)}`);
  let peakRssMiB: number | undefined;
  let userCpuMs: number | undefined;
  if (rssFile && existsSync(rssFile)) {
    const lines = readFileSync(rssFile, 'utf8').trim().split('\n').map((l) => l.split(' ').map(Number));
    peakRssMiB = Math.max(...lines.map((l) => l[0])) / 1024;
    userCpuMs = lines.reduce((s, l) => s + (l[1] ?? 0), 0) / 1000; // one line per instrumented process
    rmSync(rssFile, { force: true });
  }
  return { wallMs, status, stdout: r.stdout, stderr: r.stderr, peakRssMiB, userCpuMs };
}

/**
 * Puts a copy of bin/weir.js at `<tmpDir>/bin/weir.js`, where it imports `<tmpDir>/dist/cli/main.js`
 * (the bench's build) exactly as the installed bin imports the package's dist/, and package.json beside them.
 * @returns the bin's path
 */
export function benchBin(repoRoot: string, tmpDir: string): string {
  const bin = path.join(tmpDir, 'bin', 'weir.js');
  mkdirSync(path.dirname(bin), { recursive: true });
  copyFileSync(path.join(repoRoot, 'bin', 'weir.js'), bin);
  // the package.json an installed package has beside bin/ and dist/ (name, version: `weir --version`, artifacts)
  copyFileSync(path.join(repoRoot, 'package.json'), path.join(tmpDir, 'package.json'));
  return bin;
}

/** Runs `weir <args>` (the bench's bin) in `cwd`. */
export function runWeir(bin: string, args: readonly string[], cwd: string, opts: { env?: NodeJS.ProcessEnv; rss?: boolean; allowFail?: boolean } = {}): ProcResult {
  return runNode([bin, ...args], { cwd, ...opts });
}
