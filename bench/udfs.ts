/**
 * Fuzzy UDFs as SQL sees them: each function of `udfs/fuzzy.ts` registered on an in-memory DuckDB by
 * Weir's own registration code (src/adapters/duckdb/udfs.ts) and called over the same N string
 * pairs (`select sum(f(a, b)) from pairs`), as calls per second and as a ratio to DuckDB's builtin
 * `jaro_winkler_similarity` over the same pairs in the same process. Pairs come from bench/fuzzy.ts.
 */
import path from 'node:path';
import { DuckDBInstance, VARCHAR } from '@duckdb/node-api';
import { registerDuckDBUdf } from '../src/adapters/duckdb/udfs.js';
import { loadUdfs } from '../src/udfs/registry.js';
import { scalarCaller, type ScalarUdf } from '../src/udfs/define.js';
import { makeFuzzyPairs } from './fuzzy.js';
import { log, median } from './util.js';

/** One function's throughput. */
export interface UdfBenchRow {
  readonly fn: string;
  readonly seconds: number;
  readonly callsPerSecond: number;
  /** callsPerSecond / builtin jaro_winkler_similarity's calls per second. */
  readonly ratioToBuiltin: number;
  /** Calls per CPU-second of this process (user + system, all threads): steadier than wall time on a loaded machine. */
  readonly callsPerCpuSecond: number;
  /** The JavaScript function alone over the same pairs in a plain loop, calls per CPU-second (no DuckDB). */
  readonly jsOnlyPerCpuSecond?: number;
  /**
   * One-argument functions only: the JavaScript function alone over the same names made distinct (a word
   * spelling the row number appended to each), calls per CPU-second. normalize_name and name_keys keep
   * their last 4,096 results, and column `a` repeats a few hundred names, so this is their rate on names
   * seen once.
   */
  readonly jsDistinctPerCpuSecond?: number;
}

/**
 * Runs the benchmark.
 * @param rows string pairs (1,000,000 by default)
 * @param reps repetitions per function (median reported)
 */
export async function benchUdfs(rows = 1_000_000, reps = 3): Promise<{ rows: number; reps: number; distinctA: number; distinctB: number; builtin: UdfBenchRow; udfs: UdfBenchRow[] }> {
  const root = path.resolve(import.meta.dirname, '..');
  const udfs = (await loadUdfs([path.join(root, 'src/stdlib/udfs/fuzzy.ts')], root)).filter((u) => u.definition.kind === 'scalar');
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  const conn = await db.connect();
  try {
    await conn.run('create table pairs (a varchar, b varchar)');
    const { a, b } = makeFuzzyPairs(rows);
    const app = await conn.createAppender('pairs');
    for (let i = 0; i < rows; i++) {
      app.appendVarchar(a[i]);
      app.appendVarchar(b[i]);
      app.endRow();
    }
    app.closeSync();
    void VARCHAR;
    for (const u of udfs) registerDuckDBUdf(conn, u, scalarCaller((u.definition as ScalarUdf).fn as (...x: unknown[]) => unknown));
    let cpuSec = 0;
    const time = async (sql: string) => {
      const runs: number[] = [];
      const cpus: number[] = [];
      for (let r = 0; r < reps; r++) {
        const c = process.cpuUsage();
        const t = performance.now();
        await conn.run(sql);
        runs.push((performance.now() - t) / 1000);
        const u = process.cpuUsage(c);
        cpus.push((u.user + u.system) / 1e6);
      }
      cpuSec = median(cpus);
      return median(runs);
    };
    const distinct = (await conn.runAndReadAll('select count(distinct a), count(distinct b) from pairs')).getRows()[0].map(Number);
    // names made distinct for the one-argument functions: row i's name and a word spelling i in base 26 (a–z)
    const letters = (i: number) => {
      let w = '';
      do {
        w += String.fromCharCode(97 + (i % 26));
        i = Math.floor(i / 26);
      } while (i > 0);
      return w;
    };
    const unique = a.map((x, i) => `${x} ${letters(i)}`);
    const builtinSec = await time('select sum(jaro_winkler_similarity(a, b)) from pairs');
    const builtin: UdfBenchRow = { fn: 'jaro_winkler_similarity (DuckDB builtin)', seconds: builtinSec, callsPerSecond: rows / builtinSec, ratioToBuiltin: 1, callsPerCpuSecond: rows / cpuSec };
    const out: UdfBenchRow[] = [];
    for (const u of udfs) {
      const d = u.definition;
      const call = d.args.filter((x) => !x.optional).length === 2 ? `${d.name}(a, b)` : `${d.name}(a)`;
      const agg = d.returns === 'VARCHAR' ? `count(${call})` : `sum(${call})`;
      const s = await time(`select ${agg} from pairs`);
      const perCpu = rows / cpuSec;
      // the function alone, same pairs, plain loop (what registration and DuckDB's string reads add is the rest)
      const fn = (d as ScalarUdf).fn as (...x: unknown[]) => unknown;
      const two = call.includes(', b)');
      const c0 = process.cpuUsage();
      let sink = 0;
      for (let i = 0; i < rows; i++) sink += String(two ? fn(a[i], b[i]) : fn(a[i])).length;
      const jc = process.cpuUsage(c0);
      if (sink < 0) log('unreachable');
      let jsDistinctPerCpuSecond: number | undefined;
      if (!two) {
        const c1 = process.cpuUsage();
        for (let i = 0; i < rows; i++) sink += String(fn(unique[i])).length;
        const jd = process.cpuUsage(c1);
        jsDistinctPerCpuSecond = rows / ((jd.user + jd.system) / 1e6);
      }
      if (sink < 0) log('unreachable');
      out.push({ fn: d.name, seconds: s, callsPerSecond: rows / s, ratioToBuiltin: rows / s / builtin.callsPerSecond, callsPerCpuSecond: perCpu, jsOnlyPerCpuSecond: rows / ((jc.user + jc.system) / 1e6), jsDistinctPerCpuSecond });
    }
    return { rows, reps, distinctA: distinct[0], distinctB: distinct[1], builtin, udfs: out };
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
