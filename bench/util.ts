/**
 * Shared helpers of the benchmarks: statistics (median), formatting, timing of child processes, and a
 * description of the machine (CPU model and count, memory, Node and DuckDB versions).
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Milliseconds as seconds with 2 decimals, e.g. `1.23 s`. */
export const sec = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
/** Milliseconds with no decimals, e.g. `123 ms`. */
export const ms = (v: number): string => `${Math.round(v)} ms`;
/** A ratio with 2 decimals, e.g. `1.07×`. */
export const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;

/** Runs `node <args>` to completion, returning wall time (ms, spawn to exit) and stdout. @throws on a non-zero exit */
export function timeNode(args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { wallMs: number; stdout: string } {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: opts.cwd, env: opts.env ?? process.env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wallMs = performance.now() - t;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${r.status}: ${r.stderr}`);
  return { wallMs, stdout: r.stdout };
}

/** Facts about the machine the benchmarks ran on. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly duckdb: string;
  readonly platform: string;
}

/** Describes this machine; `duckdbVersion` comes from `select version()`. */
export function machineInfo(duckdbVersion: string): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    memoryGiB: os.totalmem() / 1024 ** 3,
    node: process.version,
    duckdb: duckdbVersion,
    platform: `${os.type()} ${os.release()} (${os.arch()})`,
  };
}

/** Logs a progress line to stderr (the report goes to BENCHMARKS.md). */
export const log = (msg: string): void => {
  process.stderr.write(`[bench] ${msg}\n`);
};

/**
 * Mulberry32 (Tommy Ettinger, 2017): a small, fast, deterministic PRNG for benchmark data.
 * @returns a function giving uniform floats in [0, 1)
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
