/**
 * Groups and access (dbt's model governance, https://docs.getdbt.com/docs/mesh/govern/model-access): groups
 * declared in schema YAML, and each model's `group` and `access` checked against them.
 */
import { WeirError } from '../errors/weir-error.js';
import { closest } from '../utils/closest.js';
import { uniqueId } from '../manifest/manifest.js';
import type { GroupDef } from '../manifest/types.js';
import type { ParseContext } from './parse-context.js';

/** The project's groups by name (after models are parsed: checks their `group` and `access`). */
export function parseGroups(ctx: ParseContext): Map<string, GroupDef> {
  const { files, project, errors, nodes } = ctx;
  const groups = new Map<string, GroupDef>();
  for (const sf of files.schemaFiles) {
    for (const g of sf.groups ?? []) {
      const prev = groups.get(g.name);
      if (prev) errors.push(new WeirError('WEIR_DUPLICATE_NODE', `group '${g.name}' is defined twice (also in ${prev.path})`, { location: { file: g.file, line: g.line } }));
      else groups.set(g.name, { unique_id: uniqueId('group', project, g.name), name: g.name, owner: g.owner, description: g.description, path: g.file });
    }
  }
  for (const node of nodes.values()) {
    if (node.resource_type !== 'model') continue;
    const group = node.config.group;
    const at = { location: { file: node.patch_path ?? node.path, nodeId: node.unique_id } };
    if (group !== undefined && (typeof group !== 'string' || !groups.has(group))) {
      const s = typeof group === 'string' ? closest(group, groups.keys()) : undefined;
      errors.push(new WeirError('WEIR_CONFIG_INVALID', `model '${node.name}' belongs to group '${String(group)}', which is not defined`, {
        ...at, hint: s ? `Did you mean '${s}'?` : 'Define it in a schema YAML file: groups: [{name: finance, owner: {name: Finance team}}].',
      }));
    }
    const access = node.config.access;
    if (access !== undefined && access !== 'private' && access !== 'protected' && access !== 'public') {
      errors.push(new WeirError('WEIR_CONFIG_INVALID', `model '${node.name}': access must be private, protected or public, got ${JSON.stringify(access)}`, { ...at, hint: 'protected (default): any model of the project may ref it; private: only models of its group.' }));
    } else if (access === 'private' && group === undefined) {
      errors.push(new WeirError('WEIR_CONFIG_INVALID', `model '${node.name}' is private but belongs to no group`, { ...at, hint: 'Give it a group (config group: ...): private models are refable only inside their group.' }));
    }
  }
  return groups;
}
