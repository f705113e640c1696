/**
 * Left-to-right layered layout of a DAG with dagre (https://github.com/dagrejs/dagre/wiki): Sugiyama-style
 * ranking (network simplex), crossing reduction and coordinate assignment. Used by `weir docs generate` for
 * the whole project (precomputed, so the browser never lays out thousands of nodes) and by the docs app for
 * focused subgraphs. Pure: runs in Node and in the browser.
 *
 * dagre's network-simplex ranking and crossing reduction grow much faster than linearly with the graph,
 * so graphs above {@link DAGRE_MAX_NODES} nodes get a fast
 * layered layout instead: longest-path ranks, then barycenter crossing reduction sweeps (Sugiyama, Tagawa &
 * Toda, "Methods for Visual Understanding of Hierarchical System Structures", IEEE SMC 11(2), 1981), in
 * O((V + E) · sweeps) time.
 */
import { layout as dagreLayout, graphlib } from '@dagrejs/dagre';

/** A node to place: `width`/`height` in pixels of the drawing. */
export interface LayoutNode {
  readonly id: string;
  readonly width: number;
  readonly height: number;
}

/** Centre of each node, in drawing pixels (x grows rightwards along the dependency direction). */
export type Positions = Record<string, { x: number; y: number }>;

/**
 * Lays out nodes and edges (`[from, to]`, from the dependency to its dependent) left to right.
 * Edges naming unknown nodes are ignored.
 */
export function layoutDag(nodes: readonly LayoutNode[], edges: readonly (readonly [string, string])[]): Positions {
  if (nodes.length > DAGRE_MAX_NODES) return layeredLayout(nodes, edges);
  const g = new graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: NODESEP, ranksep: RANKSEP, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: n.width, height: n.height });
  for (const [a, b] of edges) if (a !== b && g.hasNode(a) && g.hasNode(b)) g.setEdge(a, b);
  dagreLayout(g);
  const out: Positions = {};
  for (const id of g.nodes()) {
    const n = g.node(id) as { x: number; y: number };
    out[id] = { x: Math.round(n.x), y: Math.round(n.y) };
  }
  return out;
}

/** Above this many nodes {@link layoutDag} uses {@link layeredLayout} instead of dagre. */
export const DAGRE_MAX_NODES = 600;

const NODESEP = 14;
const RANKSEP = 90;

/**
 * Fast layered left-to-right layout for large DAGs: rank = longest path from a root, order within a rank
 * by alternating down/up barycenter sweeps (4 of each), then ranks placed left to right and nodes stacked
 * and centred vertically. Nodes on a cycle (not expected in a DAG) keep rank 0.
 */
export function layeredLayout(nodes: readonly LayoutNode[], edges: readonly (readonly [string, string])[]): Positions {
  const idx = new Map(nodes.map((n, i) => [n.id, i]));
  const ins: number[][] = nodes.map(() => []);
  const outs: number[][] = nodes.map(() => []);
  for (const [a, b] of edges) {
    const i = idx.get(a), j = idx.get(b);
    if (i === undefined || j === undefined || i === j) continue;
    outs[i].push(j);
    ins[j].push(i);
  }
  // Longest-path ranking in topological order (Kahn).
  const rank = new Array<number>(nodes.length).fill(0);
  const indeg = ins.map((x) => x.length);
  const queue: number[] = [];
  indeg.forEach((d, i) => d === 0 && queue.push(i));
  for (let q = 0; q < queue.length; q++) {
    const i = queue[q];
    for (const j of outs[i]) {
      rank[j] = Math.max(rank[j], rank[i] + 1);
      if (--indeg[j] === 0) queue.push(j);
    }
  }
  const layers: number[][] = [];
  for (let i = 0; i < nodes.length; i++) (layers[rank[i]] ??= []).push(i);
  for (let r = 0; r < layers.length; r++) layers[r] ??= [];
  const pos = new Float64Array(nodes.length);
  const setPos = (layer: number[]) => layer.forEach((n, k) => (pos[n] = k / Math.max(1, layer.length - 1)));
  layers.forEach(setPos);
  const sweep = (r: number, neighbours: number[][]) => {
    const layer = layers[r];
    const bary = new Map<number, number>();
    for (const n of layer) {
      const ns = neighbours[n];
      bary.set(n, ns.length ? ns.reduce((s, m) => s + pos[m], 0) / ns.length : pos[n]);
    }
    layer.sort((a, b) => bary.get(a)! - bary.get(b)!);
    setPos(layer);
  };
  for (let it = 0; it < 4; it++) {
    for (let r = 1; r < layers.length; r++) sweep(r, ins);
    for (let r = layers.length - 2; r >= 0; r--) sweep(r, outs);
  }
  const out: Positions = {};
  const heights = layers.map((l) => l.reduce((s, n) => s + nodes[n].height + NODESEP, 0));
  const tallest = Math.max(0, ...heights);
  let x = 20;
  for (let r = 0; r < layers.length; r++) {
    const w = Math.max(0, ...layers[r].map((n) => nodes[n].width));
    let y = 20 + (tallest - heights[r]) / 2;
    for (const n of layers[r]) {
      out[nodes[n].id] = { x: Math.round(x + w / 2), y: Math.round(y + nodes[n].height / 2) };
      y += nodes[n].height + NODESEP;
    }
    x += w + RANKSEP;
  }
  return out;
}

/** Width in pixels of a graph box for a label (monospace-ish estimate: 7 px per character + padding). */
export function boxWidth(label: string): number {
  return Math.min(260, 24 + label.length * 7);
}
