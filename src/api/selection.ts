/**
 * {@link WeirProject.select}: which unique_ids a command works on — selector expressions, a selectors.yml
 * selector (or its default), `state:` / `result:` against an earlier run, and the command's resource types.
 */
import path from 'node:path';
import { closest } from '../utils/closest.js';
import { readSourcesArtifact } from '../artifacts/previous-state.js';
import { WeirError } from '../errors/weir-error.js';
import { selectNodes } from '../graph/selector.js';
import { SelectorState } from '../graph/state.js';
import { evaluateYamlSelector } from '../graph/yaml-selectors.js';
import type { GraphNode } from '../manifest/types.js';
import { RESOURCE_TYPES, type RunCommand, type SelectionArgs } from './options.js';
import type { WeirProject } from './project.js';

/** Resource types `weir ls` lists by default. */
const LS_TYPES: readonly GraphNode['resource_type'][] = ['seed', 'model', 'snapshot', 'source', 'test'];

/**
 * Selected unique_ids for a command, in manifest order.
 * @throws WeirError `WEIR_SELECTOR_INVALID`; `WEIR_STATE_INVALID` for `state:`/`result:` without usable
 *   state; `WEIR_USAGE` for `selector` together with `select`
 */
export function selectFor(project: WeirProject, command: RunCommand | 'compile' | 'ls', args: SelectionArgs & { resourceTypes?: GraphNode['resource_type'][] } = {}): string[] {
  const types = args.resourceTypes ?? [...(command === 'ls' ? LS_TYPES : RESOURCE_TYPES[command])];
  const sourcesFile = path.join(project.targetDir, 'sources.json');
  const state = args.state
    ? new SelectorState(project.previousState(args.state), project.manifest, { sources: () => readSourcesArtifact(sourcesFile), sourcesFile: path.relative(project.files.root, sourcesFile) })
    : undefined;
  if (args.selector && args.select?.length) {
    throw new WeirError('WEIR_USAGE', '--selector and --select can\'t be combined', { hint: 'Put the extra nodes into the selector in selectors.yml, or use --select alone.' });
  }
  const selectors = project.yamlSelectors();
  const fallback = !args.selector && !args.select?.length && !args.exclude?.length ? [...selectors.values()].find((s) => s.default)?.name : undefined;
  const name = args.selector ?? fallback;
  const preselected = name ? evaluateYamlSelector(name, selectors, project.manifest, project.dag, state) : undefined;
  return selectNodes(project.manifest, project.dag, {
    select: args.select, exclude: args.exclude, resourceTypes: types, indirectTests: true, state, preselected, indirectSelection: args.indirectSelection,
  });
}

/** `; did you mean 'x'?` for a plain-name selector close to a node name, else ''. */
export function suggestion(selectors: readonly string[], names: Iterable<string>): string {
  const plain = selectors.flatMap((s) => s.split(/\s+/)).map((t) => t.replace(/^@|^\d*\+|\+\d*$/g, '')).filter((t) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(t));
  const list = [...names];
  for (const t of plain) {
    const c = closest(t, list);
    if (c && c !== t) return `; did you mean '${c}'?`;
  }
  return '';
}
