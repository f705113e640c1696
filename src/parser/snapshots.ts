/**
 * Snapshots (dbt's parser/snapshots.py): one node per `.sql` file in the snapshot paths, like models with
 * their own resource type; the snapshot config (SCD type 2) is validated once and stored on the node.
 */
import { WeirError } from '../errors/weir-error.js';
import { checkConfigKeys } from '../loader/config-keys.js';
import { mergeConfig } from '../loader/folder-config.js';
import { uniqueId } from '../manifest/manifest.js';
import type { SnapshotConfig } from '../manifest/node-configs.js';
import type { SnapshotNode } from '../manifest/types.js';
import { snapshotConfigOf } from './configs/snapshot.js';
import { finishConfig, leadingComment, type ParseContext } from './parse-context.js';
import { parseSql } from './templates.js';

/** Adds a node per enabled snapshot file. */
export function parseSnapshots(ctx: ParseContext): void {
  const { files, project, errors, nodes, disabled, addRefName } = ctx;
  for (const f of files.snapshots ?? []) {
    const deps = parseSql(ctx, f);
    const config = finishConfig(mergeConfig({ materialized: 'snapshot' }, f.folderConfig, deps?.config ?? {}), 'snapshot');
    if (deps) checkConfigKeys(deps.config, 'snapshot', { file: f.path, keyLines: deps.configLines, what: `snapshot '${f.name}'` }, errors);
    if (!config.enabled) {
      disabled.add(f.name);
      continue;
    }
    let snapshot: SnapshotConfig | undefined;
    try {
      snapshot = snapshotConfigOf(config, f.name, f.path);
    } catch (e) {
      if (e instanceof WeirError) errors.push(e);
      else throw e;
    }
    const uid = uniqueId('snapshot', project, f.name);
    const node: SnapshotNode = {
      resource_type: 'snapshot', unique_id: uid, name: f.name, package_name: project, fqn: [project, ...f.folders, f.name], path: f.path,
      description: leadingComment(f.raw), config: { ...config, materialized: 'snapshot' }, tags: config.tags, columns: {}, meta: {}, raw_code: f.raw,
      deps: deps ?? { refs: [], sources: [], macros: [], config: {} },
      // Undefined only when its error was recorded above: then no manifest is returned.
      snapshot: snapshot as SnapshotConfig,
    };
    addRefName(f.name, uid, f.path);
    nodes.set(uid, node);
  }
}
