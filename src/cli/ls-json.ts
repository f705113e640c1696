/**
 * `weir ls --output json`: one JSON object per node with dbt's `ls` keys (dbt's ListTask: `name`,
 * `resource_type`, `package_name`, `original_file_path`, `unique_id`, `alias`, `config`, `tags`,
 * `depends_on` {nodes, macros}, `source_name`), as astronomer-cosmos' `dbt_ls` load mode parses them,
 * plus Weir's `path`, `fqn` and `materialized`. `--output-keys` picks some of them.
 */
import { manifestConfig } from '../artifacts/dbt/node-config.js';
import type { Manifest } from '../manifest/manifest.js';
import type { GraphNode, RelationName } from '../manifest/types.js';

/** The keys of an `ls --output json` line. */
export const LS_JSON_KEYS = ['name', 'resource_type', 'package_name', 'original_file_path', 'unique_id', 'alias', 'config', 'tags', 'depends_on', 'source_name', 'path', 'fqn', 'materialized'];

/** The JSON object of one node. @param relation where the node builds (undefined for tests) */
export function lsJson(manifest: Manifest, n: GraphNode, relation: RelationName | undefined): Record<string, unknown> {
  const macros = n.resource_type === 'seed' || n.resource_type === 'source' ? [] : n.deps.macros.map((m) => `macro.${manifest.projectName}.${m}`);
  return {
    name: n.name, resource_type: n.resource_type, package_name: n.package_name, original_file_path: n.path, unique_id: n.unique_id,
    alias: relation?.identifier ?? n.name, config: manifestConfig(n), tags: n.tags,
    depends_on: { nodes: manifest.parents.get(n.unique_id) ?? [], macros },
    source_name: n.resource_type === 'source' ? n.source_name : undefined,
    path: n.path, fqn: n.fqn, materialized: n.config.materialized,
  };
}
