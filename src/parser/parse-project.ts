/**
 * The parse phase: turns the loader's files into a {@link Manifest}, one resource type after another as
 * dbt's parser does (macros, seeds, models, snapshots, sources, generic tests, singular tests, unit tests,
 * groups, exposures; one file each). Templates are parsed (not rendered) and their ASTs walked for `ref`,
 * `source`, `config` and macros (templates.ts); config is merged (project folder config, then schema YAML,
 * then `{{config}}` in the file) and typed configs validated once (configs/); every dependency is resolved
 * to a unique_id (resolve-deps.ts). All problems are collected and thrown together.
 */
import { WeirError, WeirErrors } from '../errors/weir-error.js';
import type { TemplateEnvironment } from '../compiler/environment.js';
import type { Manifest } from '../manifest/manifest.js';
import type { GraphNode } from '../manifest/types.js';
import { parseExposures } from './exposures.js';
import { parseGenericTests } from './generic-tests.js';
import type { ParseInput } from './load-files.js';
import { parseGroups } from './groups.js';
import { parseMacros } from './macros.js';
import { checkModelPatches, parseModels } from './models.js';
import { createParseContext, type ParseContext } from './parse-context.js';
import { resolveDependencies } from './resolve-deps.js';
import { parseSeeds } from './seeds.js';
import { parseSingularTests } from './singular-tests.js';
import { parseSnapshots } from './snapshots.js';
import { parseSources } from './sources.js';
import { parseUnitTests } from './unit-tests.js';

/**
 * Runs the parse phase.
 * @param files loader output (load-files.ts), with the partial-parse state of the load
 * @param env template environment with the project's macros registered
 * @param adapterType engine type of the target (recorded in the manifest)
 * @throws WeirErrors with every parse problem (syntax, unknown helper, missing ref/source, cycle-free check is
 *   done later by the graph layer)
 */
export function parseProject(files: ParseInput, env: TemplateEnvironment, adapterType: string): Manifest {
  const ctx = createParseContext(files, env, adapterType);
  const macros = parseMacros(ctx);
  indexPatches(ctx);
  parseSeeds(ctx);
  parseModels(ctx);
  parseSnapshots(ctx);
  checkModelPatches(ctx);
  parseSources(ctx);
  parseGenericTests(ctx);
  parseSingularTests(ctx);
  parseUnitTests(ctx);
  const groups = parseGroups(ctx);
  const parents = resolveDependencies(ctx);
  const exposures = parseExposures(ctx);
  const { errors, project, nodes, refIndex, sourceIndex, versions } = ctx;
  if (errors.length) throw new WeirErrors(errors);
  return {
    projectName: project, projectVersion: files.config.version, root: files.root, targetName: files.targetName, adapterType,
    nodes: sortNodes(nodes), macros, parents, refIndex, sourceIndex, groups, exposures, versions,
  };
}

/** Schema YAML entries of models and seeds by name into `ctx.patches` (an entry documented twice is an error). */
function indexPatches(ctx: ParseContext): void {
  const { files, errors, patches } = ctx;
  for (const sf of files.schemaFiles) {
    for (const p of sf.nodes) {
      const prev = patches[p.kind].get(p.name);
      if (prev) {
        errors.push(new WeirError('WEIR_SCHEMA_YAML_INVALID', `${p.kind.slice(0, -1)} '${p.name}' is documented twice (also in ${prev.file}:${prev.line ?? '?'})`, {
          location: { file: p.file, line: p.line }, hint: 'Keep one entry per node.',
        }));
      } else patches[p.kind].set(p.name, p);
    }
  }
}

/** Nodes in manifest order: seeds, models, snapshots, sources, tests; by unique_id within a kind. */
const ORDER: Record<string, number> = { seed: 0, model: 1, snapshot: 1.5, source: 2, test: 3 };
function sortNodes(nodes: Map<string, GraphNode>): Map<string, GraphNode> {
  return new Map([...nodes.entries()].sort(([a, x], [b, y]) => ORDER[x.resource_type] - ORDER[y.resource_type] || (a < b ? -1 : a > b ? 1 : 0)));
}
