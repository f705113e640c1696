import { describe, expect, it } from 'vitest';
import { DAGRE_MAX_NODES, layeredLayout, layoutDag } from '../../../src/docs/graph-layout.js';

/** A deterministic layered DAG: `n` nodes in 10 layers, 1–3 parents each from the previous one or two layers. */
function layered(n: number): { nodes: { id: string; width: number; height: number }[]; edges: [string, string][] } {
  let s = 7;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const per = Math.ceil(n / 10);
  const nodes = Array.from({ length: n }, (_, i) => ({ id: `m${i}`, width: 60 + (i % 5) * 20, height: 26 }));
  const edges: [string, string][] = [];
  for (let i = per; i < n; i++) {
    const layer = Math.floor(i / per);
    for (let j = 0, k = 1 + Math.floor(rnd() * 3); j < k; j++) {
      const from = Math.max(0, layer - 1 - (rnd() < 0.2 ? 1 : 0));
      edges.push([`m${from * per + Math.floor(rnd() * per)}`, `m${i}`]);
    }
  }
  return { nodes, edges };
}

function checkLeftToRight(pos: Record<string, { x: number; y: number }>, g: ReturnType<typeof layered>): void {
  expect(Object.keys(pos)).toHaveLength(g.nodes.length);
  const w = new Map(g.nodes.map((n) => [n.id, n.width]));
  for (const [a, b] of g.edges) expect(pos[a].x + w.get(a)! / 2, `${a} → ${b}`).toBeLessThan(pos[b].x - w.get(b)! / 2);
}

function checkNoOverlap(pos: Record<string, { x: number; y: number }>, g: ReturnType<typeof layered>): void {
  const byX = new Map<number, number[]>();
  for (const n of g.nodes) (byX.get(pos[n.id].x) ?? byX.set(pos[n.id].x, []).get(pos[n.id].x)!).push(pos[n.id].y);
  for (const ys of byX.values()) {
    ys.sort((a, b) => a - b);
    for (let i = 1; i < ys.length; i++) expect(ys[i] - ys[i - 1]).toBeGreaterThanOrEqual(26);
  }
}

describe('graph layout', () => {
  it('dagre lays small graphs out left to right', () => {
    const g = layered(120);
    const pos = layoutDag(g.nodes, g.edges);
    checkLeftToRight(pos, g);
  });

  it('large graphs get the layered layout: every edge points right, boxes in a rank never overlap', () => {
    const g = layered(5000);
    expect(g.nodes.length).toBeGreaterThan(DAGRE_MAX_NODES);
    const pos = layoutDag(g.nodes, g.edges);
    expect(pos).toEqual(layeredLayout(g.nodes, g.edges));
    checkLeftToRight(pos, g);
    checkNoOverlap(pos, g);
  });

  it('ignores edges to unknown nodes and self-loops', () => {
    const pos = layeredLayout([{ id: 'a', width: 50, height: 20 }, { id: 'b', width: 50, height: 20 }], [['a', 'b'], ['b', 'b'], ['x', 'a']]);
    expect(pos.a.x).toBeLessThan(pos.b.x);
  });
});
