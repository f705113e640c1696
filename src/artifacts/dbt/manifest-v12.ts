/**
 * `manifest.json` in dbt's manifest v12 shape (https://schemas.getdbt.com/dbt/manifest/v12.json, dbt-core
 * v1.12.3), built from Weir's parsed project. Every required field is filled from what Weir knows:
 * - models, seeds, snapshots, singular and generic tests under `nodes` with `database`/`schema`/`alias`
 *   (the relation the node builds, or the target's schema for tests), `original_file_path` (the file,
 *   project-relative) and `path` (the same: Weir has no per-resource root), `checksum`, `refs`, `sources`;
 * - unit tests under `unit_tests` (not `nodes`, as in dbt 1.8+), sources under `sources`, macros under
 *   `macros` (`macro_sql` is the partial's text or the helper module's source), TypeScript UDFs under
 *   `functions` (`language: javascript`), on-run-start/on-run-end hooks as `operation` nodes;
 * - Weir-only facts go where the schema allows extra keys: `config.weir` (sources: their `checksum`;
 *   functions: kind, export, signature, portability, version).
 * dbt's generic tests carry `column_name` and `attached_node` on the node, not in `test_metadata`.
 */
import type { Manifest } from '../../manifest/manifest.js';
import type { ColumnInfo, GraphNode, ModelNode, RelationName, SeedNode, SnapshotNode, SourceNode, TestNode } from '../../manifest/types.js';
import { nodeChecksum } from '../checksums.js';
import { DBT_COMPAT_VERSION, DBT_SCHEMAS, type ArtifactMetadata } from './metadata.js';
import { manifestConfig, WEIR_FACTS_KEY } from './node-config.js';
import { createHash } from 'node:crypto';

/** Per-node compiled facts merged into the manifest when available. */
export interface CompiledFacts {
  readonly compiled_code?: string;
  readonly relation_name?: string;
  readonly compiled_path?: string;
  /** Where the node's relation lives (models, seeds, snapshots; tests: the target's schema). */
  readonly relation?: RelationName;
}

/** A TypeScript UDF as the manifest's `functions` section describes it. */
export interface UdfFacts {
  readonly name: string;
  readonly kind: 'scalar' | 'batch';
  /** Project-relative module path. */
  readonly path: string;
  readonly export_name: string;
  readonly signature: string;
  readonly args: readonly { readonly name: string; readonly type: string; readonly optional?: boolean }[];
  readonly returns: string;
  readonly deterministic: boolean;
  readonly portable: boolean;
  readonly version?: string;
  readonly description?: string;
  /** Source text of the module (hashed into the checksum). */
  readonly source?: string;
}

/** on-run-start / on-run-end hooks of project.yaml (templates, in order). */
export interface ProjectHooks {
  readonly start: readonly string[];
  readonly end: readonly string[];
  /** project.yaml's path, project-relative. */
  readonly file: string;
}

/** Options of {@link dbtManifest}. */
export interface ManifestOptions {
  readonly compiled?: ReadonlyMap<string, CompiledFacts>;
  readonly udfs?: readonly UdfFacts[];
  readonly hooks?: ProjectHooks;
  /** The target's schema and database (tests, hooks and functions live there). */
  readonly target?: { readonly schema: string; readonly database?: string };
  /** selectors.yml, as read (`selectors` of the manifest). */
  readonly selectors?: Readonly<Record<string, unknown>>;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const DOCS = { show: true, node_color: null } as const;

function columnsOf(columns: Readonly<Record<string, ColumnInfo>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, c] of Object.entries(columns)) {
    const { name, description, data_type, tags, ...rest } = c as ColumnInfo & Record<string, unknown>;
    out[k] = { name, description: description ?? '', meta: {}, data_type: data_type ?? null, constraints: [], quote: null, tags: [...(tags ?? [])], ...rest };
  }
  return out;
}

const patchPath = (project: string, p: string | undefined) => (p ? `${project}://${p}` : null);

/**
 * Builds the manifest v12 value.
 * @param metadata Weir's facts; `project_name` and `adapter_type` go to dbt's metadata, the rest to `metadata.env`
 */
export function dbtManifest(manifest: Manifest, metadata: ArtifactMetadata, o: ManifestOptions = {}) {
  const compiled = o.compiled ?? new Map<string, CompiledFacts>();
  const project = manifest.projectName;
  const targetSchema = o.target?.schema ?? 'main';
  const targetDb = o.target?.database ?? null;
  const nodes: Record<string, unknown> = {};
  const sources: Record<string, unknown> = {};
  const unitTests: Record<string, unknown> = {};
  const parentMap: Record<string, string[]> = {};
  const childMap: Record<string, string[]> = {};
  for (const uid of manifest.nodes.keys()) {
    parentMap[uid] = [...(manifest.parents.get(uid) ?? [])];
    childMap[uid] = [];
  }
  for (const [uid, ps] of manifest.parents) for (const p of ps) childMap[p]?.push(uid);
  for (const [uid, node] of manifest.nodes) {
    const c = compiled.get(uid);
    if (node.resource_type === 'source') sources[uid] = sourceEntry(node, c, project);
    else if (node.resource_type === 'test' && node.test_type === 'unit') unitTests[uid] = unitTestEntry(node, manifest, project, targetSchema);
    else nodes[uid] = nodeEntry(node, manifest, c, { schema: targetSchema, database: targetDb });
  }
  // Project hooks: dbt's HookNode (resource_type `operation`), unique_id as Weir's run results name them.
  for (const [kind, list] of [['on-run-start', o.hooks?.start ?? []], ['on-run-end', o.hooks?.end ?? []]] as const) {
    list.forEach((sql, index) => {
      const name = `${project}-${kind}-${index}`;
      const uid = `operation.${project}.${name}`;
      nodes[uid] = {
        database: targetDb, schema: targetSchema, name, resource_type: 'operation', package_name: project, path: `hooks/${name}.sql`,
        original_file_path: o.hooks!.file, unique_id: uid, fqn: [project, 'hooks', name], alias: name, checksum: { name: 'sha256', checksum: sha256(sql) },
        config: { enabled: true, materialized: 'view', tags: [], meta: {}, 'pre-hook': [], 'post-hook': [] }, tags: [kind], description: '', columns: {}, meta: {},
        docs: DOCS, raw_code: sql, language: 'sql', refs: [], sources: [], depends_on: { macros: [], nodes: [] }, index,
      };
      parentMap[uid] = [];
      childMap[uid] = [];
    });
  }
  // Exposures and groups (dbt's shapes; exposures join the parent/child maps as in dbt).
  const exposures: Record<string, unknown> = {};
  for (const [uid, e] of manifest.exposures ?? []) {
    const refs = e.depends_on.map((d) => manifest.nodes.get(d)).filter((n) => n && n.resource_type !== 'source').map((n) => ({ name: n!.name, package: null, version: null }));
    const srcs = e.depends_on.map((d) => manifest.nodes.get(d)).filter((n): n is SourceNode => n?.resource_type === 'source').map((n) => [n.source_name, n.name]);
    exposures[uid] = {
      name: e.name, resource_type: 'exposure', package_name: project, path: e.path, original_file_path: e.path, unique_id: uid, fqn: [project, e.name],
      type: e.type, owner: { email: null, name: null, ...e.owner }, description: e.description, label: e.label ?? null, maturity: e.maturity ?? null,
      meta: e.meta, tags: [...e.tags], config: { enabled: true, tags: [...e.tags], meta: e.meta }, unrendered_config: {}, url: e.url ?? null,
      depends_on: { macros: [], nodes: [...e.depends_on] }, refs, sources: srcs, metrics: [], created_at: 0,
    };
    parentMap[uid] = [...e.depends_on];
    childMap[uid] = [];
    for (const d of e.depends_on) childMap[d]?.push(uid);
  }
  const groups: Record<string, unknown> = {};
  const groupMap: Record<string, string[]> = {};
  for (const g of manifest.groups?.values() ?? []) {
    groups[g.unique_id] = {
      name: g.name, resource_type: 'group', package_name: project, path: g.path, original_file_path: g.path, unique_id: g.unique_id,
      owner: { email: null, name: null, ...g.owner }, description: g.description || null, config: { meta: {} },
    };
    groupMap[g.name] = [...manifest.nodes.values()].filter((n) => n.config.group === g.name).map((n) => n.unique_id);
  }
  const macros: Record<string, unknown> = {};
  for (const m of manifest.macros) {
    macros[m.unique_id] = {
      name: m.name, resource_type: 'macro', package_name: project, path: m.path, original_file_path: m.path, unique_id: m.unique_id,
      macro_sql: m.raw_code ?? '', depends_on: { macros: [] }, description: m.description, meta: {},
      docs: DOCS, patch_path: null, arguments: [],
    };
  }
  const functions: Record<string, unknown> = {};
  for (const u of o.udfs ?? []) {
    const uid = `function.${project}.${u.name}`;
    functions[uid] = {
      returns: { data_type: u.returns, description: null }, database: targetDb, schema: targetSchema, name: u.name, resource_type: 'function',
      package_name: project, path: u.path, original_file_path: u.path, unique_id: uid, fqn: [project, u.name], alias: u.name,
      checksum: { name: 'sha256', checksum: sha256(u.source ?? u.signature) },
      config: {
        enabled: true, materialized: 'function', tags: [], meta: {}, type: 'scalar', volatility: u.deterministic ? 'deterministic' : 'non-deterministic',
        [WEIR_FACTS_KEY]: { kind: u.kind, export_name: u.export_name, signature: u.signature, portable: u.portable, version: u.version ?? null, optional_args: u.args.filter((a) => a.optional).map((a) => a.name) },
      },
      tags: [], description: u.description ?? '', columns: {}, meta: {}, docs: DOCS, language: 'javascript', refs: [], sources: [],
      depends_on: { macros: [], nodes: [] }, arguments: u.args.map((a) => ({ name: a.name, data_type: a.type, description: a.optional ? 'optional' : null })),
    };
  }
  return {
    metadata: {
      dbt_schema_version: DBT_SCHEMAS.manifest, dbt_version: DBT_COMPAT_VERSION, generated_at: metadata.generated_at, invocation_id: metadata.invocation_id,
      env: { WEIR_VERSION: metadata.weir_version, WEIR_PROJECT: metadata.project_name, WEIR_TARGET: metadata.target_name, WEIR_ADAPTER_TYPE: metadata.adapter_type },
      project_name: metadata.project_name, adapter_type: metadata.adapter_type,
    },
    nodes, sources, macros, docs: {}, exposures, metrics: {}, groups, selectors: o.selectors ?? {}, disabled: {},
    parent_map: parentMap, child_map: childMap, group_map: groupMap, saved_queries: {}, semantic_models: {}, unit_tests: unitTests, functions,
  };
}

function common(node: GraphNode, project: string) {
  return {
    name: node.name, resource_type: node.resource_type, package_name: node.package_name, path: node.path, original_file_path: node.path,
    unique_id: node.unique_id, fqn: node.fqn,
  };
}

function sourceEntry(node: SourceNode, c: CompiledFacts | undefined, project: string) {
  const config = manifestConfig(node);
  config[WEIR_FACTS_KEY] = { checksum: nodeChecksum(node)?.checksum ?? null };
  return {
    database: node.database ?? null, schema: node.schema, ...common(node, project), source_name: node.source_name, source_description: node.source_description,
    loader: node.loader ?? '', identifier: node.identifier, quoting: {}, loaded_at_field: node.loaded_at_field ?? null,
    freshness: node.freshness ? { warn_after: node.freshness.warn_after ?? null, error_after: node.freshness.error_after ?? null, filter: node.freshness.filter ?? null } : null,
    external: null, description: node.description, columns: columnsOf(node.columns), meta: node.meta, source_meta: {}, tags: [...node.tags],
    config, patch_path: null, unrendered_config: {}, relation_name: c?.relation_name ?? null,
  };
}

/**
 * One node's manifest entry. Built as one object in dbt's key order, by assignment: spreading partial objects
 * (`{ ...base, ...code, contract }`, ~35 keys) sends V8 down its slow property-copy path, which took ~1 s for
 * the 30,000 nodes of a 10,000-model project (BENCHMARKS.md, section (i)); the JSON written is the same.
 */
function nodeEntry(node: ModelNode | SeedNode | SnapshotNode | TestNode, manifest: Manifest, c: CompiledFacts | undefined, target: { schema: string; database: string | null }): Record<string, unknown> {
  const project = manifest.projectName;
  const rel = c?.relation;
  const sum = nodeChecksum(node);
  const e: Record<string, unknown> = {
    database: rel?.database ?? target.database, schema: rel?.schema ?? target.schema,
    name: node.name, resource_type: node.resource_type, package_name: node.package_name, path: node.path, original_file_path: node.path,
    unique_id: node.unique_id, fqn: node.fqn,
    alias: rel?.identifier ?? node.name, checksum: sum ?? { name: 'none', checksum: '' }, config: manifestConfig(node), tags: [...node.tags],
    description: node.description, columns: columnsOf(node.columns), meta: node.meta, docs: DOCS,
    patch_path: patchPath(project, (node as { patch_path?: string }).patch_path), unrendered_config: {},
    relation_name: c?.relation_name ?? null,
  };
  if (node.resource_type === 'seed') {
    e.raw_code = '';
    e.root_path = manifest.root;
    e.depends_on = { macros: [] };
    return e;
  }
  e.raw_code = node.raw_code;
  e.language = 'sql';
  e.refs = node.deps.refs.map((r) => ({ name: r.name, package: null, version: null }));
  e.sources = node.deps.sources.map((s) => [s.source, s.table]);
  e.metrics = [];
  e.functions = [];
  e.depends_on = { macros: node.deps.macros.map((m) => `macro.${project}.${m}`), nodes: manifest.parents.get(node.unique_id) ?? [] };
  e.compiled_path = c?.compiled_path ?? null;
  e.compiled = c?.compiled_code !== undefined;
  e.compiled_code = c?.compiled_code ?? null;
  e.extra_ctes_injected = c?.compiled_code !== undefined;
  e.extra_ctes = [];
  if (node.resource_type === 'test') {
    e.contract = { enforced: false, alias_types: true, checksum: null };
    const g = node.generic;
    if (!g) return e;
    const attached = manifest.nodes.get(g.attached_node);
    e.column_name = g.column_name ?? null;
    e.file_key_name = attached ? `${attached.resource_type === 'source' ? 'sources' : `${attached.resource_type}s`}.${attached.resource_type === 'source' ? (attached as SourceNode).source_name : attached.name}` : null;
    e.attached_node = g.attached_node;
    e.test_metadata = { name: g.name, kwargs: g.kwargs, namespace: null };
    return e;
  }
  const enforced = (node.config.contract as { enforced?: unknown } | undefined)?.enforced === true;
  e.contract = { enforced, alias_types: true, checksum: null };
  if (node.resource_type === 'snapshot') return e;
  e.access = node.config.access === 'private' || node.config.access === 'public' ? node.config.access : 'protected';
  e.group = typeof node.config.group === 'string' ? node.config.group : null;
  e.constraints = [];
  e.version = node.version ?? null;
  e.latest_version = node.latest_version ?? null;
  e.deprecation_date = null;
  return e;
}

function unitTestEntry(node: TestNode, manifest: Manifest, project: string, schema: string) {
  const u = node.unit!;
  const model = manifest.nodes.get(u.model);
  const fixture = (f: { format: 'dict' | 'csv' | 'sql'; rows: readonly Readonly<Record<string, unknown>>[]; sql?: string }) =>
    f.format === 'sql' ? { rows: f.sql ?? '', format: 'sql' as const } : { rows: f.rows.map((r) => ({ ...r })), format: 'dict' as const };
  return {
    model: model?.name ?? u.model, given: u.given.map((g) => ({ input: g.input, ...fixture(g) })), expect: fixture(u.expect),
    ...common(node, project), description: node.description, overrides: { macros: { ...u.overrides.macros }, vars: { ...u.overrides.vars }, env_vars: {} },
    depends_on: { macros: [], nodes: manifest.parents.get(node.unique_id) ?? [] }, config: manifestConfig(node),
    checksum: nodeChecksum(node)?.checksum ?? null, schema,
  };
}
