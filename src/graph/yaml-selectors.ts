/**
 * Evaluating YAML selectors (loader/selectors-yaml.ts) to a set of unique_ids with the CLI grammar's atoms
 * (selector.ts): a method definition is the atom `[@][N+]method:value[+N]`, unions and intersections are set
 * operations, and `exclude` items are removed from what the others selected.
 */
import { WeirError } from '../errors/weir-error.js';
import type { SelectorDefinition, YamlSelector } from '../loader/selectors-yaml.js';
import type { Manifest } from '../manifest/manifest.js';
import type { Dag } from './dag.js';
import { evaluateSelectors } from './selector.js';
import type { SelectorState } from './state.js';

/**
 * The nodes a named selector selects (before resource-type filtering and indirect test selection).
 * @throws WeirError `WEIR_SELECTOR_INVALID` for an unknown name (with the names defined), a cycle of
 *   selectors referring to each other, or a bad atom
 */
export function evaluateYamlSelector(name: string, selectors: ReadonlyMap<string, YamlSelector>, manifest: Manifest, dag: Dag, state?: SelectorState, seen: readonly string[] = []): Set<string> {
  const s = selectors.get(name);
  if (!s) {
    throw new WeirError('WEIR_SELECTOR_INVALID', `selector '${name}' is not defined in selectors.yml`, {
      hint: selectors.size ? `Defined selectors: ${[...selectors.keys()].join(', ')}.` : 'The project has no selectors.yml (a list under selectors: with name and definition).',
    });
  }
  if (seen.includes(name)) throw new WeirError('WEIR_SELECTOR_INVALID', `selectors refer to each other in a cycle: ${[...seen, name].join(' → ')}`);
  const ev = (d: SelectorDefinition): Set<string> => {
    switch (d.kind) {
      case 'cli':
        return evaluateSelectors([d.text], manifest, dag, state);
      case 'selector':
        return evaluateYamlSelector(d.name, selectors, manifest, dag, state, [...seen, name]);
      case 'method': {
        const up = d.parents === 0 ? '' : d.parents === Infinity ? '+' : `${d.parents}+`;
        const down = d.children === 0 ? '' : d.children === Infinity ? '+' : `+${d.children}`;
        const atom = d.childrensParents ? `@${d.method}:${d.value}` : `${up}${d.method}:${d.value}${down}`;
        return evaluateSelectors([atom], manifest, dag, state);
      }
      default: {
        const parts = d.include.map(ev);
        let acc: Set<string>;
        if (d.kind === 'union') acc = new Set(parts.flatMap((p) => [...p]));
        else acc = parts.length ? parts.reduce((a, b) => new Set([...a].filter((x) => b.has(x)))) : new Set(manifest.nodes.keys());
        for (const ex of d.exclude) for (const u of ev(ex)) acc.delete(u);
        return acc;
      }
    }
  };
  return ev(s.definition);
}
