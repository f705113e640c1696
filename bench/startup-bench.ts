/**
 * Start-up: what a scheduler running one `weir` process per task pays before any work, whole process,
 * against bare `node -e 0` in the same run (commands alternate, medians):
 * - `weir --version` (falls back to `weir --help` on a Weir without the flag: both print and exit);
 * - `weir ls` of a one-model project;
 * - `weir query "select 42"` in the demo project (stdlib + the demo's TypeScript UDF module), against a
 *   `node` script opening the same DuckDB file through @duckdb/node-api and running the same query; the
 *   first query of a fresh project bundles the TypeScript UDF module with esbuild, later ones reuse the
 *   bundle cached by content hash (src/udfs/module-loader.ts), so the first run is shown on its own.
 */
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runNode, runWeir } from './cli.js';
import { log, median } from './util.js';

/** One start-up comparison. */
export interface StartupRow {
  readonly label: string;
  readonly baseline: string;
  readonly ms: number;
  readonly baselineMs: number;
  /** Goal as a maximum ratio to the baseline, if the issue sets one. */
  readonly goal?: number;
}

/** Results of {@link benchStartup}. */
export interface StartupResult {
  readonly reps: number;
  readonly rows: StartupRow[];
  /** `weir query` of a fresh project: bundles the TypeScript UDF module (not cached yet). */
  readonly queryFirstMs: number;
}

const DUCKDB_QUERY = `
const { DuckDBInstance } = await import('@duckdb/node-api');
const db = await DuckDBInstance.create(process.argv[1]);
const c = await db.connect();
const r = await c.runAndReadAll(process.argv[2]);
console.log(JSON.stringify(r.getRowObjectsJson()));
c.closeSync(); db.closeSync();
`;

/**
 * Runs the start-up benchmark.
 * @param bin the bench's copy of bin/weir.js (cli.ts benchBin)
 */
export function benchStartup(repoRoot: string, tmpDir: string, bin: string, reps: number): StartupResult {
  const one = path.join(tmpDir, 'one-model');
  rmSync(one, { recursive: true, force: true });
  mkdirSync(path.join(one, 'models'), { recursive: true });
  writeFileSync(path.join(one, 'project.yaml'), 'name: one\ntarget: dev\ntargets:\n  dev:\n    type: duckdb\n    path: target/one.duckdb\n    threads: 1\n');
  writeFileSync(path.join(one, 'models', 'm.sql'), 'select 1 as id\n');

  const demo = path.join(tmpDir, 'demo-startup');
  rmSync(demo, { recursive: true, force: true });
  mkdirSync(demo, { recursive: true });
  for (const p of ['project.yaml', 'models', 'macros', 'udfs', 'seeds', path.join('tests', 'data')]) {
    if (existsSync(path.join(repoRoot, p))) cpSync(path.join(repoRoot, p), path.join(demo, p), { recursive: true });
  }
  const env = { ...process.env, WEIR_TARGET_PATH: 'target', WEIR_DUCKDB_PATH: 'target/weir.duckdb' };
  const query = 'select 42 as answer';
  const queryFirstMs = runWeir(bin, ['query', query], demo, { env }).wallMs;
  const dbFile = path.join(demo, 'target', 'weir.duckdb');

  const version = runWeir(bin, ['--version'], one, { allowFail: true }).status === 0 ? '--version' : '--help';
  const runs = { node: [] as number[], version: [] as number[], ls: [] as number[], query: [] as number[], duck: [] as number[] };
  for (let i = 0; i <= reps; i++) {
    const t = {
      node: runNode(['-e', '0']).wallMs,
      version: runWeir(bin, [version], one).wallMs,
      ls: runWeir(bin, ['ls'], one).wallMs,
      query: runWeir(bin, ['query', query], demo, { env }).wallMs,
      duck: runNode(['--input-type=module', '-e', DUCKDB_QUERY, dbFile, query], { cwd: repoRoot }).wallMs,
    };
    log(`start-up rep ${i}${i === 0 ? ' (warm-up)' : ''}: node ${Math.round(t.node)} ms, weir ${version} ${Math.round(t.version)} ms, ls ${Math.round(t.ls)} ms, query ${Math.round(t.query)} ms, duckdb script ${Math.round(t.duck)} ms`);
    if (i > 0) for (const k of Object.keys(runs) as (keyof typeof runs)[]) runs[k].push(t[k]);
  }
  const m = (k: keyof typeof runs) => median(runs[k]);
  return {
    reps,
    queryFirstMs,
    rows: [
      { label: `\`weir ${version}\``, baseline: '`node -e 0`', ms: m('version'), baselineMs: m('node'), goal: 3 },
      { label: '`weir ls` (one-model project)', baseline: '`node -e 0`', ms: m('ls'), baselineMs: m('node'), goal: 5 },
      { label: '`weir query "select 42"` (demo project, UDF bundle cached)', baseline: 'node script: @duckdb/node-api, same file, same query', ms: m('query'), baselineMs: m('duck') },
    ],
  };
}
