/**
 * Child process of the parse + compile benchmark (plain JavaScript so nothing but Node and the built
 * `dist/` code is loaded: the measurement is a real cold start).
 *
 * Usage: node bench/compile-child.mjs <distDir> <projectDir> <mode>
 *   mode `api`:   `WeirProject.load()` then `compile({ format: false })`, timed as a whole (the goal figure);
 *                 it reads and refreshes the partial-parse cache (target/partial_parse.json) as `weir compile` does.
 *   mode `cold`:  the same with `partialParse: false` (every file parsed; the cache neither read nor written).
 *   mode `split`: the same work through the internal modules, timed per phase: load (files + YAML),
 *                 parse (templates + manifest), dag (graphology + cycle check), render (compile()).
 * Prints one JSON line: phase times in ms, `importMs` (loading Weir's modules) and `processMs` (time from
 * process start, as Node reports it, to the end of the work), plus node counts.
 */
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const [distDir, projectDir, mode = 'api'] = process.argv.slice(2);
const imp = (p) => import(pathToFileURL(path.join(distDir, p)).href);

const t0 = performance.now();
const { WeirProject } = await imp('api/project.js');
const importMs = performance.now() - t0;
const out = { mode, importMs };

if (mode === 'api' || mode === 'cold') {
  const a = performance.now();
  const project = await WeirProject.load({ projectDir, partialParse: mode === 'api' });
  const b = performance.now();
  const { compiled, errors } = project.compile({ format: false });
  const c = performance.now();
  if (errors.length) throw new Error(`compile errors: ${errors.slice(0, 3).map((e) => e.message).join('; ')}`);
  Object.assign(out, { loadMs: b - a, compileMs: c - b, totalMs: c - a, nodes: project.manifest.nodes.size, compiled: compiled.size });
} else {
  const { loadProjectFiles } = await imp('parser/load-files.js');
  const { TemplateEnvironment } = await imp('compiler/environment.js');
  const { parseProject } = await imp('parser/parse-project.js');
  const { buildDag } = await imp('graph/dag.js');
  const a = performance.now();
  const files = loadProjectFiles({ projectDir, partialParse: false });
  const b = performance.now();
  const env = new TemplateEnvironment(files.macros.filter((m) => m.kind === 'partial'), []);
  const manifest = parseProject(files, env, files.target.type);
  const c = performance.now();
  buildDag(manifest);
  const d = performance.now();
  // Render through the public path (load again is cheap compared with what we time: it is not timed).
  const project = await WeirProject.load({ projectDir, partialParse: false });
  const e = performance.now();
  const { errors } = project.compile({ format: false });
  const f = performance.now();
  if (errors.length) throw new Error(`compile errors: ${errors.slice(0, 3).map((x) => x.message).join('; ')}`);
  Object.assign(out, { filesMs: b - a, parseMs: c - b, dagMs: d - c, renderMs: f - e, nodes: manifest.nodes.size });
}
out.processMs = performance.now();
process.stdout.write(`${JSON.stringify(out)}\n`);
