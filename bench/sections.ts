/**
 * Markdown of the whole-process sections of BENCHMARKS.md (start-up, ...): each figure beside the baseline
 * measured in the same run, with the ratio and the goal it is judged against.
 */
import type { StartupResult } from './startup-bench.js';
import { ms, ratio } from './util.js';

/** A Markdown table (first column left-aligned, the others right-aligned). */
export function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** `met` / `**not met**` for a measured ratio against a maximum. */
export const verdict = (value: number, max: number): string => (value <= max ? 'met' : '**not met**');

/** Section (h): start-up. */
export function startupSection(r: StartupResult): string {
  const out: string[] = ['## (h) Start-up, whole process', ''];
  out.push(`What a scheduler running one \`weir\` process per task pays before any work (bench/startup-bench.ts). Every figure is a whole \`node\` process, spawn to exit, running the bench's build of \`dist/\` through a copy of \`bin/weir.js\`; the commands alternate within each repetition and the medians of ${r.reps} repetitions (after one warm-up) are shown. The one-model project has one view model and a DuckDB target.`, '');
  out.push(table(['command', 'median', 'baseline', 'baseline median', 'ratio', 'goal'], r.rows.map((x) => [
    x.label, ms(x.ms), x.baseline, ms(x.baselineMs), `**${ratio(x.ms, x.baselineMs)}**`, x.goal ? `≤ ${x.goal}× (${verdict(x.ms / x.baselineMs, x.goal)})` : '—',
  ])), '');
  out.push(`The first \`weir query\` of a fresh copy of the demo project took ${ms(r.queryFirstMs)}: it bundles the demo's TypeScript UDF module (udfs/identity.ts) with esbuild. Later processes find the bundle in \`target/.weir/modules\` with the SHA-256 of every file it was built from unchanged, and import it without loading esbuild.`, '');
  out.push('What keeps start-up small: the CLI imports only its argument parser (yargs) up front; each command\'s handler imports the library when it runs, and the library imports execution (materializations, run lock, hooks), the engines\' clients, docs generation (DuckDB\'s SQL parser for lineage, the graph layout), sql-formatter and esbuild only where they are used. tests/integration/lazy-modules.test.ts checks which modules `weir --help`, `weir ls` and `weir compile` load.', '');
  return `${out.join('\n')}\n`;
}
