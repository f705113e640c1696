/**
 * The execution plan: which selected nodes run, and what each waits for. Dependencies through
 * unselected nodes are kept transitively (a selected node waits for its nearest selected ancestors);
 * ephemeral models are never executed (they're inlined). For `build`, a test blocks the children of the
 * node it tests, so a failing test skips what is downstream of it (dbt build semantics); a model waits for
 * its unit tests, which wait only for the model's own upstream.
 */
import { ancestors, type Dag } from '../../graph/dag.js';
import { WeirError } from '../../errors/weir-error.js';
import type { Manifest } from '../../manifest/manifest.js';
import { isEphemeral } from '../../manifest/materialization.js';

/** Steps as data. */
export interface ExecutionPlan {
  /** Executable unique_ids in a valid order. */
  readonly order: readonly string[];
  /** uid → uids it must wait for (all in `order`). */
  readonly waitsFor: ReadonlyMap<string, ReadonlySet<string>>;
  /** uid → uids waiting for it. */
  readonly blocks: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Whether a node is executed by a run (ephemeral models and sources are not). */
export function isExecutable(manifest: Manifest, uid: string): boolean {
  const n = manifest.nodes.get(uid);
  if (!n) return false;
  if (n.resource_type === 'source') return false;
  if (isEphemeral(n)) return false;
  return true;
}

/** The model a unit test tests, or undefined for other nodes. */
function unitTestedModel(manifest: Manifest, uid: string): string | undefined {
  const n = manifest.nodes.get(uid);
  return n?.resource_type === 'test' && n.test_type === 'unit' ? n.unit?.model : undefined;
}

/**
 * Builds the plan.
 * @param selected unique_ids chosen by the selector (any order)
 * @param testsBlockChildren true for `build`
 */
export function buildPlan(manifest: Manifest, dag: Dag, selected: readonly string[], testsBlockChildren: boolean): ExecutionPlan {
  const chosen = new Set(selected.filter((u) => isExecutable(manifest, u)));
  const waitsFor = new Map<string, Set<string>>();
  for (const uid of chosen) {
    const deps = new Set<string>();
    const seen = new Set<string>();
    // A unit test reads none of its model's relations: it waits for what its model waits for (so it can
    // type its inputs from them), and with testsBlockChildren the model waits for it (below).
    const unitOf = unitTestedModel(manifest, uid);
    const stack = unitOf ? [...dag.inNeighbors(unitOf)] : [...dag.inNeighbors(uid)];
    while (stack.length) {
      const p = stack.pop()!;
      if (seen.has(p)) continue;
      seen.add(p);
      if (chosen.has(p)) deps.add(p);
      else stack.push(...dag.inNeighbors(p));
    }
    waitsFor.set(uid, deps);
  }
  if (testsBlockChildren) {
    const dependents = new Map<string, string[]>();
    for (const [uid, deps] of waitsFor) for (const d of deps) (dependents.get(d) ?? dependents.set(d, []).get(d)!).push(uid);
    for (const t of chosen) {
      const test = manifest.nodes.get(t)!;
      if (test.resource_type !== 'test') continue;
      const unitOf = unitTestedModel(manifest, t);
      if (unitOf) {
        // dbt build: a model's unit tests run before it; a failing one skips the model (and so its children).
        if (chosen.has(unitOf)) waitsFor.get(unitOf)!.add(t);
        continue;
      }
      const parents = manifest.parents.get(t) ?? [];
      // The nodes a test guards: a generic test's attached node (the model whose column it checks; for
      // relationships the `to` model is only read); a singular test's last parents (those that are not
      // ancestors of another parent). Their dependents wait for the test.
      let guarded: string[];
      if (test.generic) guarded = [test.generic.attached_node];
      else {
        const anc = new Set<string>();
        if (parents.length > 1) for (const p of parents) for (const a of ancestors(dag, p)) anc.add(a);
        guarded = parents.filter((p) => !anc.has(p));
      }
      // Never make an ancestor of one of the test's parents wait for it (that would be a cycle).
      const upstream = new Set<string>(parents);
      if (parents.length > 1) for (const p of parents) for (const a of ancestors(dag, p)) upstream.add(a);
      for (const p of guarded) {
        for (const child of dependents.get(p) ?? []) {
          if (child === t || upstream.has(child) || manifest.nodes.get(child)!.resource_type === 'test') continue;
          waitsFor.get(child)!.add(t);
        }
      }
    }
  }
  const blocks = new Map<string, Set<string>>();
  for (const uid of chosen) blocks.set(uid, new Set());
  for (const [uid, deps] of waitsFor) for (const d of deps) blocks.get(d)!.add(uid);
  // Kahn's algorithm over the plan graph, ties broken by manifest order for stable output.
  const rank = new Map([...manifest.nodes.keys()].map((u, i) => [u, i]));
  const indeg = new Map([...waitsFor].map(([u, d]) => [u, d.size]));
  const ready = [...chosen].filter((u) => indeg.get(u) === 0).sort((a, b) => rank.get(a)! - rank.get(b)!);
  const order: string[] = [];
  while (ready.length) {
    const u = ready.shift()!;
    order.push(u);
    const next: string[] = [];
    for (const c of blocks.get(u)!) {
      indeg.set(c, indeg.get(c)! - 1);
      if (indeg.get(c) === 0) next.push(c);
    }
    ready.push(...next);
    ready.sort((a, b) => rank.get(a)! - rank.get(b)!);
  }
  if (order.length < chosen.size) {
    // Defensive: a cycle in the plan would silently drop nodes; fail loudly instead.
    const stuck = [...chosen].filter((u) => !order.includes(u));
    throw new WeirError('WEIR_INTERNAL', `execution plan has a cycle among ${stuck.length} nodes (e.g. ${stuck.slice(0, 5).join(', ')})`, {
      hint: 'This is a bug in Weir: please report it with the project\'s manifest.json.',
    });
  }
  return { order, waitsFor, blocks };
}
