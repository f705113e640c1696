/**
 * A node's `config` as written to manifest.json in dbt's shape (ModelConfig, SeedConfig, TestConfig,
 * SnapshotConfig, SourceConfig of manifest v12): Weir's resolved config with dbt's spelling of the keys
 * whose types dbt's schema fixes. Hooks (`pre_hook`/`post_hook`, lists of SQL templates in Weir) become
 * dbt's `pre-hook`/`post-hook`: lists of `{sql, transaction: true, index}`. Everything else is kept as
 * resolved (the schemas allow extra config keys). State comparison (`state:modified.configs`) compares this
 * form on both sides, so the conversion never makes an unchanged node look modified.
 */
import type { GraphNode } from '../../manifest/types.js';

/** A dbt hook entry (`pre-hook`/`post-hook` items). */
export interface DbtHook {
  readonly sql: string;
  readonly transaction: boolean;
  readonly index: number;
}

const HOOKS: readonly (readonly [string, string])[] = [['pre_hook', 'pre-hook'], ['post_hook', 'post-hook']];

const toList = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/**
 * The config of a node as manifest.json holds it.
 * @returns a new object; the node's config is not changed
 */
export function manifestConfig(node: GraphNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const hooks: Record<string, string[]> = { 'pre-hook': [], 'post-hook': [] };
  for (const [k, v] of Object.entries(node.config)) {
    const hook = HOOKS.find(([a, b]) => a === k || b === k);
    if (hook) hooks[hook[1]].push(...toList(v));
    else if (v !== undefined) out[k] = v;
  }
  const built = node.resource_type === 'model' || node.resource_type === 'seed' || node.resource_type === 'snapshot';
  for (const [k, list] of Object.entries(hooks)) {
    if (built || list.length) out[k] = list.map((sql, index): DbtHook => ({ sql, transaction: true, index }));
  }
  if (node.resource_type === 'source') {
    if (node.freshness) out.freshness = node.freshness;
    if (node.loaded_at_field) out.loaded_at_field = node.loaded_at_field;
  }
  out.tags = [...toList(out.tags)];
  if (out.meta === undefined) out.meta = { ...node.meta };
  return out;
}

/** Config keys that hold Weir-only facts rather than settings (left out of `state:modified.configs`). */
export const WEIR_FACTS_KEY = 'weir';
