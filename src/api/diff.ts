/**
 * `weir diff --select MODEL --against TARGET_OR_STATE`: compares a model's relation in the current target
 * with the same model in another target of project.yaml, or with the relation an earlier run's
 * `manifest.json` names (`--against DIR`, read through the current target's connection, as `--defer`
 * reads). Both relations are read whole and compared by key client-side (execution/table-diff.ts), so
 * any two engines can be compared; the key is `--key`, else the model's `unique_key`, else the column of
 * a `unique` test on the model.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { closest, distance } from 'fastest-levenshtein';
import { WeirError } from '../errors/weir-error.js';
import type { ModelNode, SeedNode, SnapshotNode } from '../manifest/types.js';
import { diffRows, type TableDiff } from '../execution/tests/table-diff.js';

export { formatDiff, type TableDiff } from '../execution/tests/table-diff.js';
import type { WeirProject } from './project.js';
import { isEphemeral } from '../manifest/materialization.js';

/** Options of {@link diffModel}. */
export interface DiffOptions {
  /** The model (or seed, snapshot) name. */
  readonly select: string;
  /** A target name from project.yaml, or a directory holding an earlier run's manifest.json. */
  readonly against: string;
  /** Key columns; default: the model's unique_key, else a unique test's column. */
  readonly key?: readonly string[];
  /** Rows per kind in the sample (default 5). */
  readonly sample?: number;
  /** Working directory a relative `against` directory is resolved from (default: the project directory). */
  readonly cwd?: string;
  /** Loads the project for another target (default: the same project files, vars and environment). */
  readonly loadTarget?: (target: string) => Promise<WeirProject>;
}

/**
 * The key a model's rows are matched on: its `unique_key` config, else the column of a `unique` test
 * attached to it.
 * @returns undefined when it has neither
 */
export function defaultDiffKey(project: WeirProject, node: ModelNode | SeedNode | SnapshotNode): string[] | undefined {
  const uk = node.config.unique_key;
  if (typeof uk === 'string' && uk.trim()) return uk.split(',').map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(uk) && uk.length && uk.every((k) => typeof k === 'string')) return uk as string[];
  for (const n of project.manifest.nodes.values()) {
    if (n.resource_type === 'test' && n.generic?.name === 'unique' && n.generic.attached_node === node.unique_id && typeof n.generic.column_name === 'string' && /^[A-Za-z_][\w$]*$/.test(n.generic.column_name)) return [n.generic.column_name];
  }
  return undefined;
}

/**
 * Compares the model's relation in the current target with `options.against`.
 * @throws WeirError `WEIR_NODE_NOT_FOUND` (unknown model), `WEIR_USAGE` (no key, bad --against, a key
 *   column missing on one side, a relation the other side has not built), `WEIR_SQL_ERROR` from reading
 */
export async function diffModel(project: WeirProject, options: DiffOptions): Promise<TableDiff> {
  const uid = project.manifest.refIndex.get(options.select);
  const node = uid ? project.manifest.nodes.get(uid) : undefined;
  if (!node || (node.resource_type !== 'model' && node.resource_type !== 'seed' && node.resource_type !== 'snapshot')) {
    const names = [...project.manifest.refIndex.keys()];
    const s = names.length ? closest(options.select, names) : undefined;
    throw new WeirError('WEIR_NODE_NOT_FOUND', `weir diff: no model, seed or snapshot named '${options.select}'`, { hint: s && distance(s, options.select) <= 3 ? `Did you mean '${s}'?` : 'List nodes with `weir ls`.' });
  }
  if (isEphemeral(node)) {
    throw new WeirError('WEIR_USAGE', `weir diff: model '${node.name}' is ephemeral and has no relation to compare`);
  }
  const key = options.key?.length ? [...options.key] : defaultDiffKey(project, node);
  if (!key) {
    throw new WeirError('WEIR_USAGE', `weir diff: model '${node.name}' has no unique_key and no unique test: pass --key`, { hint: `e.g. weir diff --select ${node.name} --against ${options.against} --key id (several: --key a,b)` });
  }
  const relation = project.renderer().relationName(node)!;
  const targets = Object.keys(project.files.config.targets);
  let againstName: string;
  let againstRelation: string;
  let againstProject: WeirProject;
  if (targets.includes(options.against)) {
    if (options.against === project.targetInfo.name) {
      throw new WeirError('WEIR_USAGE', `weir diff: --against ${options.against} is the current target`, { hint: 'Compare with another target (--target chooses the current one) or a state directory.' });
    }
    againstProject = options.loadTarget ? await options.loadTarget(options.against) : await project.forTarget(options.against);
    againstName = options.against;
    const other = againstProject.manifest.nodes.get(node.unique_id);
    againstRelation = other ? againstProject.renderer().relationName(other)! : relation;
  } else {
    const dir = path.resolve(options.cwd ?? project.files.root, options.against);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new WeirError('WEIR_USAGE', `weir diff: --against '${options.against}' is neither a target of ${project.files.configFile} nor a directory`, {
        hint: `Targets: ${targets.join(', ')}; or a directory with an earlier run's manifest.json (e.g. prod-artifacts/).`,
      });
    }
    const prev = project.previousState(dir).manifest.nodes.get(node.unique_id);
    if (!prev?.relation_name) {
      throw new WeirError('WEIR_USAGE', `weir diff: the manifest in ${options.against} has no relation for ${node.resource_type} '${node.name}'`, { hint: 'Was the model in that project when its manifest was written?' });
    }
    againstProject = project;
    againstName = options.against;
    againstRelation = prev.relation_name;
  }
  const read = async (p: WeirProject, rel: string, side: string) => {
    try {
      return await p.query(`select * from ${rel}`);
    } catch (e) {
      if (e instanceof WeirError) throw new WeirError(e.code, `weir diff: reading ${side} ${rel}: ${e.message}`, { hint: e.hint ?? `Build it first: weir build --select ${node.name}${side === 'current' ? '' : ` --target ${againstName}`}` });
      throw e;
    }
  };
  const current = await read(project, relation, 'current');
  const against = await read(againstProject, againstRelation, 'against');
  try {
    return diffRows({ name: project.targetInfo.name, relation, result: current }, { name: againstName, relation: againstRelation, result: against }, key, options.sample ?? 5);
  } catch (e) {
    throw new WeirError('WEIR_USAGE', `weir diff: ${(e as Error).message}`, { hint: 'Pass --key with columns both relations have.' });
  }
}
