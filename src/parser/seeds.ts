/**
 * Seeds (dbt's parser/seeds.py): one node per data file in the seed paths, configured by project.yaml
 * folder config and schema YAML (`column_types` must be a mapping).
 */
import { WeirError } from '../errors/weir-error.js';
import { mergeConfig } from '../loader/folder-config.js';
import { uniqueId } from '../manifest/manifest.js';
import type { SeedNode } from '../manifest/types.js';
import { columnsOf, finishConfig, type ParseContext } from './parse-context.js';

/** Adds a node per enabled seed file. */
export function parseSeeds(ctx: ParseContext): void {
  const { files, project, errors, nodes, disabled, patches, addRefName } = ctx;
  for (const f of files.seeds) {
    const patch = patches.seeds.get(f.name);
    const config = finishConfig(mergeConfig({ materialized: 'seed' }, f.folderConfig, patch?.config ?? {}), 'seed');
    const uid = uniqueId('seed', project, f.name);
    if (!config.enabled) {
      disabled.add(f.name);
      continue;
    }
    if (config.column_types !== undefined && (typeof config.column_types !== 'object' || Array.isArray(config.column_types))) {
      errors.push(new WeirError('WEIR_CONFIG_INVALID', `seed '${f.name}': column_types must be a mapping of column name to SQL type`, { location: { file: patch?.file ?? f.path, line: patch?.line } }));
    }
    const node: SeedNode = {
      resource_type: 'seed', unique_id: uid, name: f.name, package_name: project, fqn: [project, ...f.folders, f.name], path: f.path,
      description: patch?.description ?? '', config, tags: config.tags, columns: columnsOf(patch?.columns), meta: patch?.meta ?? {},
      absolute_path: f.absolutePath, patch_path: patch?.file,
    };
    addRefName(f.name, uid, f.path); // before nodes.set: a same-named node has the same uid, and the message names both paths
    nodes.set(uid, node);
  }
}
