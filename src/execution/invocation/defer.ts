/**
 * `--defer`: refs to nodes that this invocation does not build resolve to the relations an earlier run
 * built (named in its manifest), as dbt's defer does
 * (https://docs.getdbt.com/reference/node-selection/defer): a model or seed that is not selected is
 * read from the state manifest's `relation_name` when the current target has no relation of that name,
 * or always with `--favor-state`. Ephemeral models are inlined and never deferred; sources are the same
 * in every target.
 */
import type { Adapter } from '../../adapters/adapter.js';
import type { PreviousState } from '../../artifacts/previous-state.js';
import type { Renderer } from '../../compiler/render.js';
import type { Manifest } from '../../manifest/manifest.js';
import { isEphemeral } from '../../manifest/materialization.js';

/** Options of {@link deferredRelations}. */
export interface DeferOptions {
  readonly manifest: Manifest;
  readonly renderer: Renderer;
  readonly adapter: Adapter;
  readonly previous: PreviousState;
  /** unique_ids this invocation builds (never deferred). */
  readonly selected: ReadonlySet<string>;
  /** Defer even when the current target has the relation. */
  readonly favorState: boolean;
}

/**
 * Computes the relation overrides for a deferred run.
 * @returns unique_id → relation text from the state manifest, for every node to read from there
 */
export async function deferredRelations(o: DeferOptions): Promise<Map<string, string>> {
  const { manifest, renderer, adapter, previous, selected } = o;
  const candidates: { uid: string; schema: string; identifier: string; database?: string; stateRelation: string }[] = [];
  for (const node of manifest.nodes.values()) {
    if (selected.has(node.unique_id)) continue;
    if (node.resource_type !== 'model' && node.resource_type !== 'seed') continue;
    if (isEphemeral(node)) continue;
    const prev = previous.manifest.nodes.get(node.unique_id)?.relation_name;
    const rel = renderer.relationOf(node);
    if (!prev || !rel) continue;
    if (prev === renderer.relationName(node)) continue; // same relation: nothing to redirect
    candidates.push({ uid: node.unique_id, schema: rel.schema, identifier: rel.identifier, database: rel.database, stateRelation: prev });
  }
  const out = new Map<string, string>();
  if (candidates.length === 0) return out;
  let existing = new Set<string>();
  if (!o.favorState) {
    const schemas = [...new Set(candidates.map((c) => c.schema))];
    const found = await adapter.listRelations(schemas);
    existing = new Set(found.map((r) => `${r.schema}.${r.identifier}`.toLowerCase()));
  }
  for (const c of candidates) {
    if (o.favorState || !existing.has(`${c.schema}.${c.identifier}`.toLowerCase())) out.set(c.uid, c.stateRelation);
  }
  return out;
}
