/**
 * The `--select` grammar in the browser: the docs app bundles Weir's own selector module
 * (`src/graph/selector.ts`) and evaluates it over a manifest and DAG rebuilt from the site data, so the
 * graph's selector box selects exactly what `weir ls --select ...` would. `result:<status>` uses the
 * statuses of the last run shown by the site.
 */
import { DirectedGraph } from 'graphology';
import { evaluateSelectors } from '../../graph/selector.js';
import { SelectorState } from '../../graph/state.js';
import type { PreviousState } from '../../artifacts/previous-state.js';
import type { Manifest } from '../../manifest/manifest.js';
import type { GraphNode } from '../../manifest/types.js';
import type { SiteData } from '../site-data.js';

/** A selector evaluator over the site's nodes. */
export class SiteSelector {
  private readonly manifest: Manifest;
  private readonly dag: DirectedGraph;
  /** `result:<status>` reads the last run's statuses; `state:` has no earlier manifest here. */
  private readonly state: SelectorState;

  constructor(data: SiteData) {
    const nodes = new Map<string, GraphNode>();
    const parents = new Map<string, string[]>();
    for (const n of data.nodes) {
      if (n.resource_type === 'udf' || n.resource_type === 'exposure') continue;
      const generic = n.test_metadata ? { name: n.test_metadata.name, kwargs: n.test_metadata.kwargs ?? {}, attached_node: n.test_metadata.attached_node ?? '', column_name: n.test_metadata.column_name } : undefined;
      // The selector reads name, fqn, tags, path, resource_type, package_name, config, source_name,
      // test_type and generic: the site keeps all of them.
      nodes.set(n.unique_id, { ...n, columns: {}, meta: n.meta, generic } as unknown as GraphNode);
      parents.set(n.unique_id, [...n.depends_on]);
    }
    this.manifest = {
      projectName: data.project_name, projectVersion: '', root: '', targetName: data.target_name, adapterType: data.adapter_type,
      nodes, macros: [], parents, refIndex: new Map(), sourceIndex: new Map(),
    };
    const results = data.nodes.filter((n) => n.run).map((n) => ({ unique_id: n.unique_id, status: n.run!.status }));
    this.state = new SelectorState({ dir: '', manifest: { nodes: {}, macros: {} }, runResults: { results } } as unknown as PreviousState, this.manifest);
    this.dag = new DirectedGraph();
    for (const uid of nodes.keys()) this.dag.addNode(uid);
    // Edges keyed by their ends: graphology generates a random key for an unkeyed edge, which took most of
    // the time of building the graph of a large project. A parent listed twice is one edge, as with mergeEdge.
    for (const [uid, ps] of parents) {
      for (const p of ps) {
        const key = `${p}\u0000${uid}`;
        if (nodes.has(p) && !this.dag.hasEdge(key)) this.dag.addDirectedEdgeWithKey(key, p, uid);
      }
    }
  }

  /**
   * Evaluates a selector string (space = union, comma = intersection).
   * @returns the selected unique_ids, or the selector's error message
   */
  select(text: string): { ids: Set<string> } | { error: string } {
    if (/(^|[\s,@+])state:/.test(text)) {
      return { error: 'state: selectors compare with an earlier run\'s manifest, which the docs site does not have: use weir ls --select ... --state DIR' };
    }
    try {
      return { ids: evaluateSelectors([text], this.manifest, this.dag, this.state) };
    } catch (e) {
      const err = e as Error & { hint?: string };
      return { error: `${err.message}${err.hint ? ` — ${err.hint}` : ''}` };
    }
  }
}
