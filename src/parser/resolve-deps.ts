/**
 * Dependency resolution, once every node is known: each `ref` (with its version) and `source` a node
 * records becomes the unique_id of a parent; an unknown, disabled or private (to another group) target is
 * an error naming the file, line and column of the call, with the closest name.
 */
import { WeirError } from '../errors/weir-error.js';
import { closest } from '../utils/closest.js';
import { refUid } from '../manifest/manifest.js';
import type { ParseContext } from './parse-context.js';

/** Parents (unique_ids, in call order without repeats) of every node; seeds and sources have none. */
export function resolveDependencies(ctx: ParseContext): Map<string, string[]> {
  const { errors, nodes, refIndex, sourceIndex, disabled, versions } = ctx;
  const parents = new Map<string, string[]>();
  for (const node of nodes.values()) {
    if (node.resource_type === 'seed' || node.resource_type === 'source') {
      parents.set(node.unique_id, []);
      continue;
    }
    const ps: string[] = [];
    for (const r of node.deps.refs) {
      const uid = refUid({ refIndex, versions }, r.name, r.version);
      if (!uid && r.version !== undefined) {
        const known = [...(versions.get(r.name)?.keys() ?? [])];
        errors.push(new WeirError('WEIR_REF_NOT_FOUND', known.length ? `${node.resource_type} '${node.name}' refers to version ${r.version} of '${r.name}', which has versions ${known.join(', ')}` : `${node.resource_type} '${node.name}' refers to version ${r.version} of '${r.name}', which is not a versioned model`, {
          location: { file: node.path, line: r.line, column: r.column, nodeId: node.unique_id },
          hint: known.length ? `Use one of v=${known.join(', v=')}, or {{ref "${r.name}"}} for the latest.` : `Declare versions: under the model in schema YAML, or drop v=.`,
        }));
        continue;
      }
      if (uid) {
        if (!ps.includes(uid)) ps.push(uid);
        // A private model is refable only from models and snapshots of its group (tests may read it).
        const dep = nodes.get(uid);
        if (dep?.resource_type === 'model' && dep.config.access === 'private' && node.resource_type !== 'test' && node.config.group !== dep.config.group) {
          errors.push(new WeirError('WEIR_REF_NOT_FOUND', `${node.resource_type} '${node.name}' refers to '${r.name}', which is private to group '${String(dep.config.group)}'`, {
            location: { file: node.path, line: r.line, column: r.column, nodeId: node.unique_id },
            hint: `${node.config.group === undefined ? `'${node.name}' belongs to no group` : `'${node.name}' belongs to group '${String(node.config.group)}'`}: move it into group '${String(dep.config.group)}', or make '${r.name}' protected or public (config access: ...).`,
          }));
        }
        continue;
      }
      const s = closest(r.name, refIndex.keys());
      const where = node.resource_type === 'test' && node.test_type === 'generic' ? `test ${node.name}` : `${node.resource_type} '${node.name}'`;
      errors.push(new WeirError('WEIR_REF_NOT_FOUND', disabled.has(r.name)
        ? `${where} refers to '${r.name}', which is disabled (enabled: false)`
        : `${where} refers to unknown model '${r.name}'`, {
        location: { file: node.path, line: r.line, column: r.column, nodeId: node.unique_id },
        hint: s ? `Did you mean '${s}'?` : 'Models are the .sql files in model-paths; seeds the CSV files in seed-paths.',
      }));
    }
    for (const sc of node.deps.sources) {
      const uid = sourceIndex.get(`${sc.source}.${sc.table}`);
      if (uid) {
        if (!ps.includes(uid)) ps.push(uid);
        continue;
      }
      const s = closest(`${sc.source}.${sc.table}`, sourceIndex.keys());
      errors.push(new WeirError('WEIR_SOURCE_NOT_FOUND', `${node.resource_type} '${node.name}' uses unknown source '${sc.source}.${sc.table}'`, {
        location: { file: node.path, line: sc.line, column: sc.column, nodeId: node.unique_id },
        hint: s ? `Did you mean '${s}'?` : 'Declare it in a schema YAML file under sources: (name, schema, tables).',
      }));
    }
    parents.set(node.unique_id, ps);
  }
  return parents;
}
