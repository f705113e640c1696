/**
 * The project DAG on graphology: nodes are unique_ids, edges point from a dependency to its dependent.
 * Cycles are reported with the whole path; topological order and generations come from graphology-dag.
 */
import { DirectedGraph } from 'graphology';
import { topologicalSort, topologicalGenerations } from 'graphology-dag';
import { WeirError } from '../errors/weir-error.js';
import type { Manifest } from '../manifest/manifest.js';

/** A DAG of unique_ids with node attributes omitted (nodes live in the manifest). */
export type Dag = DirectedGraph;

/**
 * Builds the DAG from a manifest's parent map.
 * @throws WeirError `WEIR_DAG_CYCLE` naming every node on one cycle, in order, with the first node's file
 */
export function buildDag(manifest: Manifest): Dag {
  const g = new DirectedGraph();
  for (const uid of manifest.nodes.keys()) g.addNode(uid);
  for (const [uid, ps] of manifest.parents) for (const p of ps) g.mergeEdge(p, uid);
  const cycle = findCycle(g);
  if (cycle) {
    const first = manifest.nodes.get(cycle[0]);
    const names = cycle.map((u) => manifest.nodes.get(u)?.name ?? u);
    throw new WeirError('WEIR_DAG_CYCLE', `dependency cycle: ${[...names, names[0]].join(' → ')}`, {
      location: { file: first?.path, nodeId: cycle[0] },
      hint: `Models on a cycle: ${cycle.map((u) => manifest.nodes.get(u)?.path ?? u).join(', ')}. Remove one of the refs to break it.`,
    });
  }
  return g;
}

/**
 * Finds one cycle (as a list of node keys, each depending on the previous; the last depends back on the
 * first), or undefined. Iterative three-colour DFS, O(V + E).
 */
export function findCycle(g: DirectedGraph): string[] | undefined {
  const WHITE = 0, GREY = 1, BLACK = 2;
  const colour = new Map<string, number>();
  g.forEachNode((n) => colour.set(n, WHITE));
  for (const start of g.nodes()) {
    if (colour.get(start) !== WHITE) continue;
    const stack: { node: string; next: string[]; i: number }[] = [{ node: start, next: g.outNeighbors(start), i: 0 }];
    colour.set(start, GREY);
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.i >= top.next.length) {
        colour.set(top.node, BLACK);
        stack.pop();
        continue;
      }
      const n = top.next[top.i++];
      const c = colour.get(n);
      if (c === GREY) {
        const from = stack.findIndex((f) => f.node === n);
        return stack.slice(from).map((f) => f.node);
      }
      if (c === WHITE) {
        colour.set(n, GREY);
        stack.push({ node: n, next: g.outNeighbors(n), i: 0 });
      }
    }
  }
  return undefined;
}

/** Node keys in a topological order (dependencies first). */
export function topoOrder(g: DirectedGraph): string[] {
  return topologicalSort(g);
}

/** Topological generations: each array only depends on earlier ones. */
export function generations(g: DirectedGraph): string[][] {
  return topologicalGenerations(g);
}

/** All ancestors of `node` up to `depth` edges away (Infinity for all). */
export function ancestors(g: DirectedGraph, node: string, depth = Infinity): Set<string> {
  return walk(g, node, depth, (n) => g.inNeighbors(n));
}

/** All descendants of `node` up to `depth` edges away. */
export function descendants(g: DirectedGraph, node: string, depth = Infinity): Set<string> {
  return walk(g, node, depth, (n) => g.outNeighbors(n));
}

function walk(g: DirectedGraph, node: string, depth: number, next: (n: string) => string[]): Set<string> {
  const out = new Set<string>();
  let frontier = [node];
  for (let d = 0; d < depth && frontier.length; d++) {
    const nf: string[] = [];
    for (const n of frontier) for (const m of next(n)) if (!out.has(m) && m !== node) {
      out.add(m);
      nf.push(m);
    }
    frontier = nf;
  }
  return out;
}
