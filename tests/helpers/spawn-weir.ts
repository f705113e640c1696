/**
 * Test helpers for real second processes: the built `weir` binary (bin/weir.js → dist/) spawned as a child,
 * and a "gate" UDF that blocks a model until the test opens the gate, so a run can be held in the middle
 * deterministically (no sleeps racing the machine's speed).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
/** The CLI entry point the tests spawn. */
export const WEIR_BIN = path.join(root, 'bin/weir.js');

/** Fails early with a clear message when dist/ is missing. */
export function requireDist(): void {
  if (!existsSync(path.join(root, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
}

/** A spawned `weir` process with its collected output. */
export interface WeirChild {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  /** Resolves with the exit code (or -signal number when killed). */
  readonly exited: Promise<number>;
}

/** Spawns `weir <args>` in `cwd`. */
export function spawnWeir(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): WeirChild {
  const child = spawn(process.execPath, [WEIR_BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const w: WeirChild = {
    child, stdout: '', stderr: '',
    exited: new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? -1 : 0)))),
  };
  child.stdout!.on('data', (d: Buffer) => { w.stdout += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { w.stderr += d.toString(); });
  return w;
}

/** Runs `weir <args>` to completion. */
export async function weirExec(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const w = spawnWeir(args, cwd, env);
  const code = await w.exited;
  return { code, stdout: w.stdout, stderr: w.stderr };
}

/** Polls `cond` every 25 ms until it holds. @throws after `timeoutMs` naming `what` */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const DEFINE = path.join(root, 'src/udfs/define.ts').split(path.sep).join('/');

/**
 * A UDF module defining `gate(name)`: writes `<project>/gates/<name>.started`, then blocks (synchronously,
 * inside DuckDB) until `<project>/gates/<name>.open` exists, and returns 1. Blocks at most 60 s.
 */
export const GATE_UDF = `
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { defineScalarUdf } from '${DEFINE}';
let dir = '';
export const gate = defineScalarUdf({
  name: 'gate', args: [{ name: 'name', type: 'VARCHAR' }], returns: 'INTEGER', deterministic: false,
  description: 'Test gate: blocks until gates/<name>.open exists.',
  setup: (ctx) => { dir = ctx.projectDir + '/gates'; },
  fn: (name: string) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(dir + '/' + name + '.started', String(process.pid));
    const cell = new Int32Array(new SharedArrayBuffer(4));
    const end = Date.now() + 60000;
    while (!existsSync(dir + '/' + name + '.open') && Date.now() < end) Atomics.wait(cell, 0, 0, 20);
    return 1;
  },
});
`;
