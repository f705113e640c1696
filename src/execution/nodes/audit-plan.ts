/**
 * Planning write-audit-publish for a run (execution/tests/audit.ts runs the audits): which selected data
 * tests check which model's staged relation before it is published. It reads the strategy table (only
 * auditable kinds are staged), so it lives beside the table rather than with the tests.
 */
import { ancestors as dagAncestors, type Dag } from '../../graph/dag.js';
import type { Manifest } from '../../manifest/manifest.js';
import type { ModelNode } from '../../manifest/types.js';
import { STRATEGIES } from './strategies.js';

/** Whether a model is built through a staged relation that can be audited (`table`, `incremental`). */
export function auditable(node: ModelNode): boolean {
  return STRATEGIES[node.config.materialized].auditable && node.config.audit !== false;
}

/**
 * The tests that audit each model of a run: selected data tests (not unit tests) of severity `error` that
 * test the model (a generic test attached to it, or a singular test reading it) and whose other inputs are
 * all upstream of the model (so they are built before it). Tests reading a model built later still run
 * after the swap as usual.
 * @param order the run's executable unique_ids
 * @returns model unique_id → test unique_ids, only for models that have some
 */
export function auditPlan(manifest: Manifest, dag: Dag, order: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const inRun = new Set(order);
  const ancestors = new Map<string, Set<string>>();
  const ancestorsOf = (uid: string): Set<string> => {
    let a = ancestors.get(uid);
    if (a) return a;
    a = dagAncestors(dag, uid);
    ancestors.set(uid, a);
    return a;
  };
  for (const uid of order) {
    const t = manifest.nodes.get(uid);
    if (t?.resource_type !== 'test' || t.test_type === 'unit' || t.config.severity === 'warn') continue;
    const parents = manifest.parents.get(uid) ?? [];
    const candidates = t.generic ? [t.generic.attached_node] : parents;
    for (const m of candidates) {
      const model = manifest.nodes.get(m);
      if (model?.resource_type !== 'model' || !inRun.has(m) || !auditable(model)) continue;
      const others = parents.filter((p) => p !== m);
      if (others.length && !others.every((p) => ancestorsOf(m).has(p))) continue;
      (out.get(m) ?? out.set(m, []).get(m)!).push(uid);
      break;
    }
  }
  return out;
}
