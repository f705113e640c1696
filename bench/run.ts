/**
 * `npm run bench`: builds Weir into `.bench-tmp/dist`, runs the benchmarks and overwrites BENCHMARKS.md with
 * the figures measured in this run (plus the machine, versions and date).
 *
 * (a) compile-bench.ts — cold parse + compile of generated 1,000- and 10,000-model projects, one fresh
 *     process per measurement, against a read-every-file baseline;
 * (b) exec-bench.ts — `weir run` of 500 trivial views / tables, and `weir build` of the demo warehouse at
 *     ×10 scale, each against the same SQL executed directly through @duckdb/node-api (direct.ts).
 *
 * (c–g) udf-report.ts — fuzzy UDF throughput in DuckDB, PII quality and redaction speed, entity-resolution
 *     scaling, translation pipeline speed.
 *
 * (p) pii-spec.ts — PII recall and false alarms on the labelled set written from the entities' specifications.
 * (h) startup-bench.ts — whole-process start-up of the `weir` CLI (`--version`, `ls`, `query`) against bare Node.
 * (r) er-splink.ts — er_fellegi_sunter trained (Splink's method) vs legacy on fake_1000, FEBRL 3/4 ($WEIR_FEBRL_DIR), generated records.
 *
 * (i) compile-process-bench.ts — `weir compile` whole process vs Dataform's CLI compile (`--no-dataform` skips it),
 *     10,000 models cold/warm with peak RSS.
 *
 * (j) run-process-bench.ts — `weir run` of 500 views, whole process, vs one @duckdb/node-api script, and the split.
 * (k) docs-process-bench.ts — `weir docs generate` of the 2,000-model project vs `weir compile`, whole processes.
 * (o) docs-site-bench.ts — the docs site of a ~10,000-node project (and of 10,000 models) in headless Chromium: graph drawn, interactions.
 * (n) demo-process-bench.ts — `weir build` of the demo at ×10, whole process, vs one @duckdb/node-api script (wall, user CPU, peak RSS).
 * (m) translate-cache.ts — the translate batch UDF's cache path (in-memory hits) inside DuckDB.
 * (t) translate-real.ts — the translate batch UDF on a random-weight Marian model at opus-mt-ko-en's size
 *     (fp32 and int8, greedy and 4 beams, one process each: sentences/s, emails/min, peak RSS). Not part of
 *     `--quick`; `--sentences N` sets its sentences per configuration (default 64).
 *
 * `--quick` (the CI regression guard, ≤ 2 min on a quiet 2-core machine): without `--only` it measures
 * startup, fuzzy (200,000 pairs), run-process (1 run) and compile-process (300 models, no 10,000) and prints
 * the report with its ratios; it never writes BENCHMARKS.md.
 *
 * Flags: `--only compile|exec|demo|udfs|pii|startup|er|fuzzy|compile-process|run-process|demo-process|docs-process|docs-site|translate-cache|translate-real|remaining` (repeatable; `fuzzy` is section (c) alone, without the
 * rest of `udfs`) runs a subset (BENCHMARKS.md is then not written unless
 * `--write`, which replaces only the sections measured, marking them as re-measured: report-merge.ts),
 * `--keep` keeps `.bench-tmp/` for inspection. Everything temporary lives in `.bench-tmp/`.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { benchCompile, type CompileResult } from './compile-bench.js';
import { benchChain, benchDemo, type ExecResult } from './exec-bench.js';
import { duckdbVersion } from './direct.js';
import { fuzzySection, udfSections } from './udf-report.js';
import { piiSpecSection } from './pii-spec.js';
import { benchSplink, splinkSection } from './er-splink.js';
import { mergeReport } from './report-merge.js';
import { log, machineInfo, ms, ratio, sec, type MachineInfo } from './util.js';
import { benchBin } from './cli.js';
import { benchStartup } from './startup-bench.js';
import { compileProcessSection, demoProcessSection, docsProcessSection, docsSiteSection, remainingSection, runProcessSection, startupSection, translateCacheSection } from './sections.js';
import { benchTranslateCache } from './translate-cache.js';
import { benchTranslateReal, translateRealSection } from './translate-real.js';
import { benchDocsProcess } from './docs-process-bench.js';
import { benchRunProcess } from './run-process-bench.js';
import { benchDemoProcess } from './demo-process-bench.js';
import { benchDocsSite } from './docs-site-bench.js';
import { benchCompileProcess } from './compile-process-bench.js';
import { benchUdfs } from './udfs.js';

const repoRoot = path.resolve(import.meta.dirname, '..');
// WEIR_BENCH_TMP: another scratch folder, so two partial runs can go at once (each deletes its own at start)
const tmpDir = path.resolve(repoRoot, process.env.WEIR_BENCH_TMP ?? '.bench-tmp');
const distDir = path.join(tmpDir, 'dist');

const argv = process.argv.slice(2);
const only = argv.flatMap((a, i) => (a === '--only' ? [argv[i + 1]] : []));
/** What `--quick` measures when no `--only` is given: the whole-process ratios and the fuzzy UDF rates, small. */
const QUICK_SET = ['startup', 'fuzzy', 'run-process', 'compile-process', 'translate-cache'];
if (argv.includes('--quick') && only.length === 0) only.push(...QUICK_SET);
const wants = (k: string) => only.length === 0 || only.includes(k);
const write = !argv.includes('--quick') && (only.length === 0 || argv.includes('--write'));
const keep = argv.includes('--keep');
/** `--quick`: fewer repetitions and smaller inputs (the CI regression guard, ≤ 2 min); prints, never writes. */
const quick = argv.includes('--quick');
/** `--reps N`: repetitions of the whole-process sections (default 3, 5 for run-process; 1 with --quick). */
const repsArg = argv.includes('--reps') ? Number(argv[argv.indexOf('--reps') + 1]) : undefined;

const COMPILE_SIZES = [{ models: 1000, reps: 5 }, { models: 10000, reps: 3 }];
const CHAIN = { models: 500, reps: 3 };
const DEMO_SCALE = 10;

async function main(): Promise<void> {
  const started = performance.now();
  rmSync(tmpDir, { recursive: true, force: true });
  mkdirSync(tmpDir, { recursive: true });
  log('building dist/ into .bench-tmp/dist');
  execFileSync(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(repoRoot, 'tsconfig.build.json'), '--outDir', distDir, '--declaration', 'false', '--sourceMap', 'false'], { stdio: 'inherit' });
  // the rest of `npm run build` (docs site bundle, stdlib macros) into the same folder, and a bin beside it
  for (const s of ['build-docs-app.mjs', 'copy-stdlib-macros.mjs', 'bundle-vendor.mjs']) execFileSync(process.execPath, [path.join(repoRoot, 'scripts', s)], { stdio: 'inherit', env: { ...process.env, WEIR_BUILD_OUT: distDir } });
  const bin = benchBin(repoRoot, tmpDir);
  const load = os.loadavg().map((x) => x.toFixed(1)).join(', ');

  const machine = machineInfo(await duckdbVersion());
  const compile: CompileResult[] = [];
  if (wants('compile')) for (const s of COMPILE_SIZES) compile.push(benchCompile(tmpDir, distDir, s.models, s.reps));
  const chain: ExecResult[] = wants('exec') ? await benchChain(tmpDir, distDir, CHAIN.models, CHAIN.reps) : [];
  const demo = wants('demo') ? await benchDemo(repoRoot, tmpDir, distDir, DEMO_SCALE) : undefined;
  const udfs = wants('udfs') ? await udfSections(repoRoot) : [];
  if (wants('pii')) udfs.push(...piiSpecSection());
  if (wants('er')) udfs.push(...splinkSection(await benchSplink()));
  const extra: string[] = [];
  if (only.includes('fuzzy')) extra.push(`${fuzzySection(await benchUdfs(quick ? 200_000 : 1_000_000, repsArg ?? (quick ? 1 : 3))).join('\n')}\n`);
  if (wants('compile-process')) extra.push(compileProcessSection(benchCompileProcess(tmpDir, bin, quick ? 300 : 2000, repsArg ?? (quick ? 1 : 3), quick ? 0 : 10000, !argv.includes('--no-dataform'))));
  if (wants('run-process')) extra.push(runProcessSection(benchRunProcess(tmpDir, bin, 500, repsArg ?? (quick ? 1 : 5))));
  if (wants('demo-process') && !quick) extra.push(demoProcessSection(await benchDemoProcess(repoRoot, tmpDir, distDir, bin, DEMO_SCALE, repsArg ?? 3, path.join(tmpDir, `demo-x${DEMO_SCALE}`, 'seeds'))));
  if (wants('docs-process')) extra.push(docsProcessSection(benchDocsProcess(tmpDir, bin, quick ? 300 : 2000, repsArg ?? (quick ? 1 : 3))));
  if (wants('docs-site') && !quick) {
    const sites = [await benchDocsSite(tmpDir, bin, 10_000, repsArg ?? 3)];
    if (!argv.includes('--no-docs-site-30k')) sites.push(await benchDocsSite(tmpDir, bin, 29_500, repsArg ?? 3));
    extra.push(docsSiteSection(sites));
  }
  if (wants('startup')) extra.push(startupSection(benchStartup(repoRoot, tmpDir, bin, quick ? 3 : 11)));
  if (wants('translate-cache')) extra.push(translateCacheSection(await benchTranslateCache(quick ? 200_000 : 1_000_000, 10_000, repsArg ?? (quick ? 1 : 3))));
  if (wants('translate-real') && !quick) extra.push(translateRealSection(await benchTranslateReal(repoRoot, argv.includes('--sentences') ? Number(argv[argv.indexOf('--sentences') + 1]) : 64)));
  if (wants('remaining') && !quick) extra.push(remainingSection());
  const totalMs = performance.now() - started;

  const report = renderReport(machine, compile, chain, demo, totalMs, load) + (udfs.length ? `\n${udfs.join('\n')}\n` : '') + extra.map((s) => `\n${s}`).join('');
  if (write && only.length > 0) {
    // a partial run replaces only the sections it measured, each marked as re-measured (report-merge.ts)
    const file = path.join(repoRoot, 'BENCHMARKS.md');
    const existing = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const note = `Re-measured on ${new Date().toISOString().slice(0, 10)} by \`npm run bench -- ${only.map((o) => `--only ${o}`).join(' ')} --write\` (${sec(totalMs)}; ${machine.cpuCount} CPUs, Node ${machine.node}, DuckDB ${machine.duckdb}; load average ${load} when it started${Number(load.split(',')[0]) > machine.cpuCount ? ': the machine was loaded by other work, so absolute times are inflated and only the side-by-side ratios are meaningful' : ''}), not by the full run the header describes`;
    writeFileSync(file, mergeReport(existing, report, note));
    log('updated the measured sections of BENCHMARKS.md');
  } else if (write) {
    writeFileSync(path.join(repoRoot, 'BENCHMARKS.md'), report);
    log('wrote BENCHMARKS.md');
  } else process.stdout.write(report);
  if (!keep) rmSync(tmpDir, { recursive: true, force: true });
  log(`done in ${sec(performance.now() - started)}`);
}

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function renderReport(m: MachineInfo, compile: CompileResult[], chain: ExecResult[], demo: (ExecResult & { seedGenMs: number; excluded: string[] }) | undefined, totalMs: number, load: string): string {
  const out: string[] = [];
  out.push('# Weir benchmarks', '');
  out.push(`Measured by \`npm run bench\` (bench/run.ts) on ${new Date().toISOString().slice(0, 10)}; every figure below comes from that one run unless its section is marked re-measured (${sec(totalMs)} in all).`, '');
  out.push(`Machine: ${m.cpuModel}, ${m.cpuCount} CPUs, ${m.memoryGiB.toFixed(1)} GiB RAM, ${m.platform}; Node ${m.node}; DuckDB ${m.duckdb} (@duckdb/node-api).`, '');
  out.push(`Absolute times on shared machines are noisy; the ratios compare against a baseline measured in the same run. Load average (1, 5, 15 min) when the run started: ${load} — the machine was shared with other work.`, '');

  if (compile.length) {
    out.push('## (a) Parse + compile, cold and with the partial-parse cache', '');
    out.push('Generated layered projects (bench/generate-project.ts): CSV seeds, staging models reading one seed each through macros (`{{> cents_to_dollars}}`, `{{> surrogate_key}}`, ...), intermediate models joining 2–4 upstream refs, marts over intermediates, `{{config}}` blocks, `{{#if (var ...)}}` branches, one schema YAML per 50 models with not_null / unique / accepted_values / relationships tests, a few singular tests.', '');
    out.push('Each measurement is a fresh `node` process running the built `dist/` code (bench/compile-child.mjs): `WeirProject.load()` then `compile({ format: false })`, which writes `target/compiled/**` and `manifest.json` as `weir compile` does (without SQL formatting, which only `weir compile` output uses). "Process" is spawn-to-exit wall time including Node start-up and module loading. "Cold" runs pass `partialParse: false` (every file parsed, as `--no-partial-parse`); "warm" runs reuse `target/partial_parse.json` from the previous run (no file changed). The baseline is a fresh Node process that only reads every file of the project. Medians of the runs after the first (the first run writes `target/` and the cache from scratch and is shown separately); cold and warm runs alternate.', '');
    out.push(table(
      ['project', 'nodes (models + tests + seeds)', 'process, first run', 'process, cold (median)', 'load() / compile(), cold', 'process, warm (median)', 'load() / compile(), warm', 'baseline: read all files', 'ratio to baseline (cold / warm)'],
      compile.map((c) => [`${c.info.models.toLocaleString('en')} models`, c.nodes.toLocaleString('en'), sec(c.firstWallMs), `**${sec(c.cold.wallMs)}**`, `${ms(c.cold.loadMs)} / ${ms(c.cold.compileMs)}`, `**${sec(c.wallMs)}**`, `${ms(c.loadMs)} / ${ms(c.compileMs)}`, ms(c.baselineWallMs), `${ratio(c.cold.wallMs, c.baselineWallMs)} / ${ratio(c.wallMs, c.baselineWallMs)}`]),
    ), '');
    out.push('Where the time goes, cold (same work through the internal modules, no cache, medians):', '');
    out.push(table(
      ['project', 'module import', 'load files + YAML', 'parse templates → manifest', 'DAG', 'render + write compiled SQL + manifest.json'],
      compile.map((c) => [`${c.info.models.toLocaleString('en')} models`, ms(c.importMs), ms(c.split.filesMs), ms(c.split.parseMs), ms(c.split.dagMs), ms(c.split.renderMs)]),
    ), '');
    if (compile.length >= 2) {
      const [a, b] = [compile[0], compile[compile.length - 1]];
      out.push(`Scaling (warm): ${b.info.models / a.info.models}× the models took ${ratio(b.totalMs, a.totalMs)} the load + compile time (${ms(a.totalMs)} → ${ms(b.totalMs)}).`, '');
      const met = (v: number) => (v < 3000 ? 'met' : 'not met');
      out.push(`Goal "10,000 models in under 3 s cold on 2 cores": without the cache **${met(b.cold.wallMs)}** (${sec(b.cold.wallMs)} process wall time); with a warm partial-parse cache **${met(b.wallMs)}** (${sec(b.wallMs)}).`, '');
    }
  }

  if (chain.length || demo) {
    out.push('## (b) Execution overhead', '');
    out.push('Weir (`WeirProject.load()` + `execute()` from `dist/`, on 1 thread and on the 4 threads project.yaml configures) against the same SQL run directly through @duckdb/node-api on one connection (bench/direct.ts): the statements Weir\'s materializations send — `create schema`, `create or replace view`, CTAS into `__weir_tmp` + drop/rename in a transaction, seeds with the same `read_csv(...)` statement, tests as `select count(*) from (...)` — taken from the manifest Weir wrote. Every repetition starts from a fresh database file. Weir\'s time includes loading and parsing the project and writing compiled SQL and artifacts.', '');
    const rows = [...chain, ...(demo ? [demo] : [])].map((r) => [
      r.label, String(r.nodes), `${r.reps}`, sec(r.directMs), `**${sec(r.weir1Ms)}**`, `**${ratio(r.weir1Ms, r.directMs)}**`, sec(r.weirMs), ms(r.loadMs), ratio(r.weirMs, r.directMs),
    ]);
    out.push(table(['workload', 'nodes run', 'repetitions (median)', 'direct SQL (1 connection)', 'Weir, 1 thread', 'ratio', 'Weir, 4 threads', 'of which load', 'ratio'], rows), '');
    out.push('The goal (≤ 1.2×) is judged on the like-for-like pair: Weir on one thread against the one-connection script. With 4 threads Weir can beat the sequential script, because independent nodes run concurrently.', '');
    for (const r of chain) out.push(`- ${r.label}: goal ≤ 1.2× ${r.weir1Ms / r.directMs <= 1.2 ? 'met' : 'not met'}.`);
    if (demo) out.push(`- ${demo.label}: seeds generated with \`scripts/generate-seeds.ts --scale ${DEMO_SCALE}\` in ${sec(demo.seedGenMs)} (not part of either time); goal ≤ 1.2× ${demo.weir1Ms / demo.directMs <= 1.2 ? 'met' : 'not met'}. Models calling Weir's JavaScript UDFs cannot run as plain SQL, so both sides left them and their descendants out (\`--exclude ${demo.excluded.join(' ') || '(none)'}\`).`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

await main();
