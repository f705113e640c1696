/**
 * `weir docs generate` at scale, whole processes: on the generated 2,000-model project, against `weir
 * compile` (cold, `--no-partial-parse`) of the same project in the same run, alternating, medians; with the
 * docs process's peak RSS and the size of the site written (target/docs). The docs build parses, renders
 * every node for column lineage (DuckDB's SQL parser) and lays out the graph; the goal is ≤ 3× compile.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { generateLayeredProject } from './generate-project.js';
import { runWeir, type ProcResult } from './cli.js';
import { log, median } from './util.js';

/** Results of {@link benchDocsProcess}. */
export interface DocsProcessResult {
  readonly models: number;
  readonly reps: number;
  readonly docsMs: number;
  readonly compileMs: number;
  readonly docsPeakRssMiB?: number;
  readonly siteMiB: number;
}

const dirSize = (d: string): number => readdirSync(d, { withFileTypes: true }).reduce((s, e) => s + (e.isDirectory() ? dirSize(path.join(d, e.name)) : statSync(path.join(d, e.name)).size), 0);

/** Runs the comparison. @param bin the bench's copy of bin/weir.js */
export function benchDocsProcess(tmpDir: string, bin: string, models: number, reps: number): DocsProcessResult {
  const root = path.join(tmpDir, `docs-${models}`);
  generateLayeredProject(root, models);
  const docs: ProcResult[] = [];
  const comp: ProcResult[] = [];
  for (let i = 0; i < reps; i++) {
    comp.push(runWeir(bin, ['compile', '-q', '--no-partial-parse'], root));
    docs.push(runWeir(bin, ['docs', 'generate', '-q', '--no-partial-parse'], root, { rss: true }));
    log(`docs ${models} rep ${i + 1}/${reps}: compile ${Math.round(comp[i].wallMs)} ms, docs generate ${Math.round(docs[i].wallMs)} ms (${Math.round(docs[i].peakRssMiB ?? 0)} MiB)`);
  }
  return {
    models, reps, docsMs: median(docs.map((r) => r.wallMs)), compileMs: median(comp.map((r) => r.wallMs)),
    docsPeakRssMiB: Math.max(...docs.map((r) => r.peakRssMiB ?? 0)) || undefined, siteMiB: dirSize(path.join(root, 'target', 'docs')) / 1024 ** 2,
  };
}
