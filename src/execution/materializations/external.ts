/**
 * `materialized: external`: the model's rows are written to a file (Parquet, CSV or JSON) for other systems,
 * and a view over the file is created so `ref` and tests work as for any model.
 *
 * The file is written atomically: the engine writes `<location>.weir_tmp` (a file, or a directory when
 * partitioned), which is then renamed over the location, so a reader never sees half a file — a rename
 * within one file system replaces a file in one step (POSIX rename(2)). A partitioned directory cannot
 * be replaced in one step: the old directory is moved aside first, so for that instant the location is
 * missing (never half-written), and the old one is removed afterwards.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Adapter, Connection } from '../../adapters/adapter.js';
import { WeirError } from '../../errors/weir-error.js';
import { typedConfig } from '../../manifest/node-configs.js';
import type { ModelNode, RelationName } from '../../manifest/types.js';
import { materializeView } from './view.js';
import type { MaterializationResult, Strategy } from './strategy.js';
import type { RelationCache } from './relation-cache.js';

/** Where an external model's file goes: its `location` (relative to the project unless absolute), else `<targetDir>/external/<name>.<format>`. */
export function externalLocation(node: ModelNode, projectDir: string, targetDir: string): string {
  const cfg = typedConfig(node, 'external');
  return cfg.location ? path.resolve(projectDir, cfg.location) : path.join(targetDir, 'external', `${node.name}.${cfg.format}`);
}

/**
 * Writes the model's rows to its file and (re)creates the view over it.
 * @returns rows written and the absolute path
 * @throws WeirError `WEIR_CONFIG_INVALID` on an engine that cannot write local files; the engine's error
 *   (the previous file and view are then left as they were)
 */
export async function materializeExternal(
  adapter: Adapter, conn: Connection, node: ModelNode, relation: RelationName, sql: string, dirs: { projectDir: string; targetDir: string }, relations?: RelationCache,
): Promise<MaterializationResult & { readonly file: string }> {
  const cfg = typedConfig(node, 'external');
  if (!adapter.exportQuery || !adapter.readExportSql) {
    throw new WeirError('WEIR_CONFIG_INVALID', `model '${node.name}': materialized: external writes files with DuckDB's COPY; a ${adapter.type} target can't write local files`, {
      location: { file: node.path, nodeId: node.unique_id },
      hint: 'Build it as a table on this target (and unload it with the engine\'s own tools, e.g. a Snowflake stage), or run it on a DuckDB target.',
    });
  }
  const file = externalLocation(node, dirs.projectDir, dirs.targetDir);
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.weir_tmp`;
  rmSync(tmp, { recursive: true, force: true });
  const options = { format: cfg.format, partitionBy: cfg.partitionBy };
  let rows: number;
  try {
    rows = await adapter.exportQuery(conn, sql, tmp, options);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  if (existsSync(file) && (statSync(file).isDirectory() || statSync(tmp).isDirectory())) {
    // A directory (partitioned output) can't be replaced by rename(2): move the old one aside first.
    const old = `${file}.weir_old`;
    rmSync(old, { recursive: true, force: true });
    renameSync(file, old);
    renameSync(tmp, file);
    rmSync(old, { recursive: true, force: true });
  } else {
    renameSync(tmp, file); // replaces an existing file in one step
  }
  await materializeView(adapter, conn, relation, adapter.readExportSql(file, options), relations);
  return { rowsAffected: rows, file };
}

/** The `external` materialization: the file, then the view over it. */
export const externalStrategy: Strategy<ModelNode> = {
  relation: 'view', auditable: false, tableOptions: false, reusable: false,
  async build({ ctx, conn, node, relation, sql, relations }) {
    const { adapter, manifest } = ctx;
    const r = await materializeExternal(adapter, conn, node, relation!, sql!, { projectDir: manifest.root, targetDir: ctx.targetDir }, relations);
    return { rowsAffected: r.rowsAffected, message: `EXPORT ${r.rowsAffected} → ${path.relative(manifest.root, r.file) || r.file}` };
  },
};
