/**
 * Models (dbt's parser/models.py): one node per `.sql` file in the model paths. Config is merged (project
 * folder config, then schema YAML, then `{{config}}` in the file), checked against the materialization,
 * and the materialization's typed config (incremental, snapshot, external; contract) is validated once
 * and stored on the node. Versioned models (schema YAML `versions:`) are one node per version file.
 */
import { WeirError } from '../errors/weir-error.js';
import { closest } from '../utils/closest.js';
import { checkConfigKeys } from '../loader/config-keys.js';
import { mergeConfig } from '../loader/folder-config.js';
import type { NodePatch } from '../loader/schema-yaml.js';
import { uniqueId } from '../manifest/manifest.js';
import type { DynamicTableConfig, ExternalConfig, IncrementalConfig, SnapshotConfig } from '../manifest/node-configs.js';
import type { ModelNode } from '../manifest/types.js';
import { checkContract, contractConfigOf } from './configs/contract.js';
import { externalConfigOf } from './configs/external.js';
import { incrementalConfigOf } from './configs/incremental.js';
import { snapshotConfigOf } from './configs/snapshot.js';
import { columnsOf, finishConfig, leadingComment, type ParseContext } from './parse-context.js';
import { parseSql } from './templates.js';

import { ENGINE_MATERIALIZATIONS, MODEL_MATERIALIZATIONS, type EngineMaterialization } from '../manifest/materialization.js';
import { engineBuilds, enginesBuilding } from '../adapters/registry.js';
import { dynamicTableConfigOf } from './configs/dynamic-table.js';
import { checkTableOptions, type KeySite } from './configs/table-options.js';

/** Materializations whose native table options (adapters/table-options.ts) are written into their DDL. */
const WITH_TABLE_OPTIONS: readonly string[] = ['table', 'incremental', 'materialized_view'];

/** Adds a node per enabled model file (and records versions in `ctx.versions`). */
export function parseModels(ctx: ParseContext): void {
  const { files, project, errors, nodes, disabled, patches, versions, addRefName } = ctx;
  // --- model versions: each version is its own file (`<name>_v<v>.sql` or `defined_in`), sharing the entry's properties
  const versionOf = new Map<string, { base: string; v: number; latest: number; patch: NodePatch }>();
  for (const [name, p] of patches.models) {
    for (const ver of p.versions ?? []) versionOf.set(ver.defined_in ?? `${name}_v${ver.v}`, { base: name, v: ver.v, latest: p.latest_version ?? ver.v, patch: p });
  }

  // --- models
  for (const f of files.models) {
    const deps = parseSql(ctx, f);
    const ver = versionOf.get(f.name);
    const patch = ver ? ver.patch : patches.models.get(f.name);
    const config = finishConfig(mergeConfig({ materialized: 'view' }, f.folderConfig, patch?.config ?? {}, deps?.config ?? {}), 'model');
    if (!config.enabled) {
      disabled.add(f.name);
      continue;
    }
    if (config.on_error !== undefined && config.on_error !== 'continue' && config.on_error !== 'skip_children') {
      errors.push(new WeirError('WEIR_CONFIG_INVALID', `model '${f.name}': on_error must be skip_children or continue, got ${JSON.stringify(config.on_error)}`, {
        location: { file: f.path, line: deps?.configLines?.on_error }, hint: 'skip_children (default): a failure skips the models downstream; continue: they still run.',
      }));
    }
    const kindAvailable = !(ENGINE_MATERIALIZATIONS as readonly string[]).includes(config.materialized) || engineBuilds(ctx.adapterType, config.materialized as EngineMaterialization);
    // Where each key of the merged config was set: the file's {{config}}, its schema YAML entry, or project.yaml.
    const site: KeySite = (key) => {
      if (deps && key in deps.config) return { file: f.path, line: deps.configLines?.[key] };
      if (patch?.config && key in patch.config) return { file: patch.file ?? f.path, line: patch.configLines?.[key] ?? patch.line };
      if (key in f.folderConfig) return { file: files.configFile, line: f.folderConfigLines?.[key] };
      return { file: f.path };
    };
    if (!(MODEL_MATERIALIZATIONS as readonly string[]).includes(config.materialized)) {
      errors.push(new WeirError('WEIR_CONFIG_INVALID', `model '${f.name}': unknown materialization '${String(config.materialized)}'`, {
        location: { ...site('materialized'), keyPath: 'materialized' }, hint: `Use one of: ${MODEL_MATERIALIZATIONS.join(', ')}.`,
      }));
    } else if (!kindAvailable) {
      const by = enginesBuilding(config.materialized as EngineMaterialization);
      errors.push(new WeirError('WEIR_CONFIG_INVALID', `model '${f.name}': materialized: ${config.materialized} is not available on target '${files.targetName}' (${ctx.adapterType}); only ${by.join(' and ')} ${by.length > 1 ? 'have' : 'has'} it`, {
        location: { ...site('materialized'), keyPath: 'materialized' },
        hint: `Build this model on a ${by.join(' or ')} target, or use materialized: table for ${ctx.adapterType}.`,
      }));
    }
    // Strict configs: {{config}} keys against the model's materialization (YAML config keys were checked
    // against every model key by the loader; here only whether they fit this materialization).
    if (deps) checkConfigKeys(deps.config, 'model', { file: f.path, keyLines: deps.configLines, what: `model '${f.name}'` }, errors, String(config.materialized));
    if (patch) checkConfigKeys(patch.config, 'model', { file: patch.file, line: patch.line, keyLines: patch.configLines, what: `model '${f.name}'` }, errors, String(config.materialized), true);
    // The materialization's typed config, validated once and kept on the node for execution.
    let typed: { external?: ExternalConfig; incremental?: IncrementalConfig; snapshot?: SnapshotConfig; dynamic_table?: DynamicTableConfig } = {};
    if (config.materialized === 'incremental' || config.materialized === 'snapshot' || config.materialized === 'external' || (config.materialized === 'dynamic_table' && kindAvailable)) {
      try {
        if (config.materialized === 'external') typed = { external: externalConfigOf(config, f.name, patch?.file ?? f.path) };
        else if (config.materialized === 'dynamic_table') typed = { dynamic_table: dynamicTableConfigOf(config, f.name, site, (files.target as Record<string, unknown>).warehouse) };
        else if (config.materialized === 'incremental') typed = { incremental: incrementalConfigOf(config, f.name, f.path) };
        else typed = { snapshot: snapshotConfigOf(config, f.name, f.path, 'model') };
      } catch (e) {
        if (e instanceof WeirError) errors.push(e);
        else throw e;
      }
    }
    if (WITH_TABLE_OPTIONS.includes(config.materialized)) {
      const e = checkTableOptions(config, f.name, site);
      if (e) errors.push(e);
    }
    if (config.audit !== undefined && typeof config.audit !== 'boolean') {
      errors.push(new WeirError('WEIR_CONFIG_INVALID', `model '${f.name}': audit must be true or false, got ${JSON.stringify(config.audit)}`, {
        location: { file: patch?.config && 'audit' in patch.config ? patch.file ?? f.path : f.path, line: patch?.config && 'audit' in patch.config ? patch.line : undefined, keyPath: 'audit' },
        hint: 'audit: false publishes the model without running its tests on the staged relation first (write-audit-publish).',
      }));
    }
    const uid = uniqueId('model', project, f.name);
    const node: ModelNode = {
      resource_type: 'model', unique_id: uid, name: f.name, package_name: project, fqn: [project, ...f.folders, f.name], path: f.path,
      description: patch?.description ?? leadingComment(f.raw), config, tags: config.tags, columns: columnsOf(patch?.columns),
      meta: patch?.meta ?? {}, raw_code: f.raw, deps: deps ?? { refs: [], sources: [], macros: [], config: {} }, patch_path: patch?.file,
      ...(ver ? { version: ver.v, latest_version: ver.latest, versioned_name: ver.base } : {}),
      contract: contractConfigOf(config), ...typed,
    };
    if (ver) {
      const m = versions.get(ver.base) ?? new Map<number, string>();
      m.set(ver.v, uid);
      versions.set(ver.base, m);
    }
    checkContract(node, { file: patch?.file ?? f.path, line: patch?.line }, errors);
    addRefName(f.name, uid, f.path); // before nodes.set: a same-named node has the same uid, and the message names both paths
    nodes.set(uid, node);
  }
}

/**
 * After models and snapshots: a versioned model's name refers to its latest version, every listed version
 * needs its file, and every model or seed documented in schema YAML must exist.
 */
export function checkModelPatches(ctx: ParseContext): void {
  const { files, errors, refIndex, disabled, patches, versions, addRefName } = ctx;
  // A versioned model's name refers to its latest version; every listed version needs its file.
  for (const [name, p] of patches.models) {
    if (!p.versions?.length) continue;
    const byV = versions.get(name) ?? new Map<number, string>();
    for (const ver of p.versions) {
      const fileName = ver.defined_in ?? `${name}_v${ver.v}`;
      if (!byV.has(ver.v) && !disabled.has(fileName)) {
        errors.push(new WeirError('WEIR_SCHEMA_YAML_INVALID', `version ${ver.v} of model '${name}' has no file: expected ${fileName}.sql in ${files.config['model-paths'].join(', ')}`, {
          location: { file: p.file, line: ver.line }, hint: ver.defined_in ? 'Fix defined_in, or add the file.' : `Name the file ${fileName}.sql, or set defined_in: <file name> on the version.`,
        }));
      }
    }
    const latestUid = byV.get(p.latest_version ?? -1);
    if (latestUid) addRefName(name, latestUid, p.file);
  }
  for (const kind of ['models', 'seeds'] as const) {
    for (const [name, p] of patches[kind]) {
      if (!refIndex.has(name) && !disabled.has(name)) {
        const s = closest(name, refIndex.keys());
        errors.push(new WeirError('WEIR_SCHEMA_YAML_INVALID', `${p.file} documents ${kind.slice(0, -1)} '${name}', which does not exist`, {
          location: { file: p.file, line: p.line }, hint: s ? `Did you mean '${s}'?` : `Add ${kind}/${name}.sql or remove the entry.`,
        }));
      }
    }
  }
}
