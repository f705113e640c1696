/**
 * The parse phase: turns the loader's files into a {@link Manifest}. Templates are parsed (not rendered)
 * and their ASTs walked for `ref`, `source`, `config` and macros; config is merged (project folder config,
 * then schema YAML, then `{{config}}` in the file); generic tests become test nodes; every dependency is
 * resolved to a unique_id. All problems are collected and thrown together.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { WeirError, WeirErrors } from '../errors/weir-error.js';
import type { ProjectFiles, SqlFile } from '../loader/load-project.js';
import { mergeConfig } from '../loader/folder-config.js';
import { mergeFreshness } from '../loader/freshness-spec.js';
import type { ColumnPatch, NodePatch, TestSpec } from '../loader/schema-yaml.js';
import { refUid, uniqueId, type Manifest } from '../manifest/manifest.js';
import type { ExternalConfig, IncrementalConfig, SnapshotConfig } from '../manifest/node-configs.js';
import type {
  ColumnInfo, ExposureDef, GenericTestName, GraphNode, GroupDef, MacroNode, ModelNode, NodeConfig, RefCall, SeedNode, SnapshotNode, SourceCall, SourceNode, TemplateDeps, TestNode,
} from '../manifest/types.js';
import { closest, type TemplateEnvironment } from '../compiler/environment.js';
import { collectFacts, parseTemplate, PARSE_TIME, type ParseTimeValue, type TemplateFacts } from '../compiler/template.js';
import { encodeTemplatePlan } from '../compiler/template-plan.js';
import { unitTestNode } from '../compiler/unit-tests.js';
import { checkTestConfig, checkTestConfigTree, hasPercentThreshold } from '../compiler/test-config.js';
import { projectTestConfig, resourceFolders, testConfigKey, testConfigTree } from '../loader/test-config-tree.js';
import { checkContract, contractConfigOf } from './configs/contract.js';
import { customTestArgs, customTestMacro, customTestNames } from '../compiler/custom-generic-tests.js';
import { incrementalConfigOf } from './configs/incremental.js';
import { snapshotConfigOf } from './configs/snapshot.js';
import { externalConfigOf } from './configs/external.js';
import { checkConfigKeys } from '../loader/config-keys.js';

/** Materializations a model may use. */
export const MODEL_MATERIALIZATIONS = ['view', 'table', 'ephemeral', 'incremental', 'snapshot', 'external'] as const;
const GENERIC_TESTS: readonly GenericTestName[] = ['not_null', 'unique', 'accepted_values', 'relationships'];

/** Context keys available in a model template (besides helpers). */
const MODEL_CONTEXT_KEYS = new Set(['this', 'target', 'model', 'schema', 'identifier', 'database', 'name', '@root', '@index', '@key', '@first', '@last']);

/**
 * Runs the parse phase.
 * @param files loader output
 * @param env template environment with the project's macros registered
 * @param adapterType engine type of the target (recorded in the manifest)
 * @throws WeirErrors with every parse problem (syntax, unknown helper, missing ref/source, cycle-free check is
 *   done later by the graph layer)
 */
export function parseProject(files: ProjectFiles, env: TemplateEnvironment, adapterType: string): Manifest {
  const errors: WeirError[] = [];
  const project = files.config.name;
  const cache = files.parseCache;

  /**
   * Facts of one template: from the partial-parse cache when the text is unchanged (the render plan is
   * handed to the environment so rendering skips the parser too), else parsed, and cached when clean.
   * @param forRender keep the AST for rendering (models, tests); macros are compiled by the environment
   * @throws WeirError `WEIR_TEMPLATE_SYNTAX`
   */
  const templateFacts = (raw: string, file: string, forRender: boolean): TemplateFacts => {
    const cached = cache?.template(file, raw);
    if (cached?.hit) {
      if (forRender && cached.hit.plan) env.providePlan(raw, cached.hit.plan);
      return cached.hit.facts;
    }
    const pre = files.preparsed?.take(file, raw);
    if (pre) {
      // Parsed on the worker thread, without problems (compiler/preparse.ts): as a cache hit.
      if (forRender && pre.plan) env.providePlan(raw, pre.plan);
      if (cached) cache!.storeTemplate(file, cached.hash, pre);
      return pre.facts;
    }
    const ast = forRender ? env.parse(raw, file) : parseTemplate(raw, file);
    const local: WeirError[] = [];
    const facts = collectFacts(ast, file, local);
    errors.push(...local);
    if (cached && local.length === 0) cache!.storeTemplate(file, cached.hash, { facts, plan: encodeTemplatePlan(ast, raw) });
    return facts;
  };

  // --- macros: facts per partial, then transitive closure
  const macroFacts = new Map<string, TemplateFacts>();
  const macros: MacroNode[] = [];
  for (const m of files.macros) {
    macros.push({
      resource_type: 'macro', unique_id: uniqueId('macro', project, m.name), name: m.name, path: m.path, kind: m.kind,
      description: leadingComment(m.raw), raw_code: m.raw,
    });
    if (m.kind !== 'partial') continue;
    try {
      const facts = templateFacts(m.raw, m.path, false);
      macroFacts.set(m.name, facts);
      if (m.name.startsWith('test_')) checkConfigKeys(facts.config, 'test', { file: m.path, keyLines: facts.configLines, what: `generic test '${m.name.slice(5)}'` }, errors);
    } catch (e) {
      if (e instanceof WeirError) errors.push(e);
      else throw e;
    }
  }
  const closure = (facts: TemplateFacts, file: string): TemplateDeps => {
    const refs = [...facts.refs];
    const sources = [...facts.sources];
    const seen = new Set<string>();
    const queue = [...facts.partials];
    while (queue.length) {
      const name = queue.shift()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const mf = macroFacts.get(name);
      if (!mf) {
        if (!files.macros.some((m) => m.name === name)) {
          const hint = closest(name, [...macroFacts.keys()]);
          errors.push(new WeirError('WEIR_MACRO_INVALID', `unknown macro '${name}' (used as {{> ${name}}})`, {
            location: { file, line: facts.partialLines?.[name] }, hint: hint ? `Did you mean '${hint}'?` : `Macros are .sql files in ${files.config['macro-paths'].join(', ')}.`,
          }));
        }
        continue;
      }
      refs.push(...mf.refs.map((r) => ({ name: r.name })));
      sources.push(...mf.sources.map((s) => ({ source: s.source, table: s.table })));
      queue.push(...mf.partials);
    }
    return { refs, sources, macros: [...seen], config: resolveConfig(facts.config, facts.configLines, file), configLines: facts.configLines };
  };

  /** `{{config}}` values written (var ...), (env ...) or target.x, resolved now that they are known. */
  const resolveConfig = (config: Readonly<Record<string, unknown>>, lines: Readonly<Record<string, number>> | undefined, file: string): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const resolve = (v: unknown, key: string): unknown => {
      if (Array.isArray(v)) return v.map((x) => resolve(x, key));
      if (!v || typeof v !== 'object' || !(PARSE_TIME in v)) return v;
      const { [PARSE_TIME]: kind, args } = v as ParseTimeValue;
      const name = String(args[0]);
      const at = { location: { file, line: lines?.[key] } };
      if (kind === 'target') {
        const t = files.target as Record<string, unknown>;
        const got = name === 'name' ? files.targetName : t[name];
        if (got === undefined) errors.push(new WeirError('WEIR_CONFIG_INVALID', `config ${key}: target '${files.targetName}' does not set ${name}`, { ...at, hint: `Set ${name}: under targets.${files.targetName} in ${files.configFile}.` }));
        return got;
      }
      if (kind === 'var') {
        if (name in files.vars) return files.vars[name];
        if (args.length === 2) return args[1];
        errors.push(new WeirError('WEIR_VARS_INVALID', `config ${key}: var '${name}' is not defined`, { ...at, hint: `Define it under vars: in ${files.configFile}, pass --vars, or give a default: (var "${name}" "default").` }));
        return undefined;
      }
      const got = (files.env ?? process.env)[name];
      if (got !== undefined) return got;
      if (args.length === 2) return args[1];
      errors.push(new WeirError('WEIR_ENV_MISSING', `config ${key}: environment variable ${name} is not set`, { ...at, hint: `Export ${name}, or give a default: (env "${name}" "default").` }));
      return undefined;
    };
    for (const [k, v] of Object.entries(config)) out[k] = resolve(v, k);
    return out;
  };

  const checkHelpers = (facts: TemplateFacts, file: string) => {
    for (const call of facts.helperCalls) {
      if (env.isHelper(call.name) || call.name.startsWith('@') || call.name.includes('.')) continue;
      if (MODEL_CONTEXT_KEYS.has(call.name)) continue;
      const s = env.suggestHelper(call.name);
      errors.push(new WeirError('WEIR_HELPER_UNKNOWN', `unknown helper '${call.name}'`, {
        location: { file, line: call.line, column: call.column },
        hint: s ? `Did you mean '${s}'?` : `Built-in helpers: ref, source, config, var, env, literal, ident, raw; macros/*.ts exports add more.`,
      }));
    }
  };

  // A model's, snapshot's or singular test's own names are MODEL_CONTEXT_KEYS: any other name read as a
  // helper argument is undefined at render, which {{#if misspelt}} would take silently as false.
  const checkArgNames = (facts: TemplateFacts, file: string) => {
    for (const a of facts.argNames ?? []) {
      if (MODEL_CONTEXT_KEYS.has(a.name) || env.isHelper(a.name)) continue;
      errors.push(new WeirError('WEIR_TEMPLATE_RENDER', `'${a.name}' is not defined in this template`, {
        location: { file, line: a.line, column: a.column },
        hint: `A name used in {{#if ...}} or as a helper argument must be a template variable (${[...MODEL_CONTEXT_KEYS].filter((k) => !k.startsWith('@')).join(', ')}); a project var is (var "${a.name}"), a string "${a.name}".`,
      }));
    }
  };

  const parseSql = (f: SqlFile): TemplateDeps | undefined => {
    try {
      const facts = templateFacts(f.raw, f.path, true);
      checkHelpers(facts, f.path);
      checkArgNames(facts, f.path);
      return closure(facts, f.path);
    } catch (e) {
      if (e instanceof WeirError) {
        errors.push(e);
        return undefined;
      }
      throw e;
    }
  };

  // --- schema YAML patches
  const patches = { models: new Map<string, NodePatch>(), seeds: new Map<string, NodePatch>() };
  for (const sf of files.schemaFiles) {
    for (const p of sf.nodes) {
      const prev = patches[p.kind].get(p.name);
      if (prev) {
        errors.push(new WeirError('WEIR_SCHEMA_YAML_INVALID', `${p.kind.slice(0, -1)} '${p.name}' is documented twice (also in ${prev.file}:${prev.line ?? '?'})`, {
          location: { file: p.file, line: p.line }, hint: 'Keep one entry per node.',
        }));
      } else patches[p.kind].set(p.name, p);
    }
  }

  const nodes = new Map<string, GraphNode>();
  const refIndex = new Map<string, string>();
  const sourceIndex = new Map<string, string>();
  const disabled = new Set<string>();
  const addRefName = (name: string, uid: string, path: string) => {
    const prev = refIndex.get(name);
    if (prev) {
      const other = nodes.get(prev);
      errors.push(new WeirError('WEIR_DUPLICATE_NODE', `two nodes are named '${name}': ${other?.path} and ${path}`, {
        location: { file: path }, hint: 'Model and seed names must be unique across the project: rename one file.',
      }));
      return;
    }
    refIndex.set(name, uid);
  };

  // --- seeds
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

  // --- model versions: each version is its own file (`<name>_v<v>.sql` or `defined_in`), sharing the entry's properties
  const versionOf = new Map<string, { base: string; v: number; latest: number; patch: NodePatch }>();
  for (const [name, p] of patches.models) {
    for (const ver of p.versions ?? []) versionOf.set(ver.defined_in ?? `${name}_v${ver.v}`, { base: name, v: ver.v, latest: p.latest_version ?? ver.v, patch: p });
  }
  const versions = new Map<string, Map<number, string>>();

  // --- models
  const modelDeps = new Map<string, TemplateDeps>();
  for (const f of files.models) {
    const deps = parseSql(f);
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
    if (!(MODEL_MATERIALIZATIONS as readonly string[]).includes(config.materialized)) {
      errors.push(new WeirError('WEIR_CONFIG_INVALID', `model '${f.name}': unknown materialization '${String(config.materialized)}'`, {
        location: { file: f.path }, hint: `Use one of: ${MODEL_MATERIALIZATIONS.join(', ')}.`,
      }));
    }
    // Strict configs: {{config}} keys against the model's materialization (YAML config keys were checked
    // against every model key by the loader; here only whether they fit this materialization).
    if (deps) checkConfigKeys(deps.config, 'model', { file: f.path, keyLines: deps.configLines, what: `model '${f.name}'` }, errors, String(config.materialized));
    if (patch) checkConfigKeys(patch.config, 'model', { file: patch.file, line: patch.line, keyLines: patch.configLines, what: `model '${f.name}'` }, errors, String(config.materialized), true);
    // The materialization's typed config, validated once and kept on the node for execution.
    let typed: { external?: ExternalConfig; incremental?: IncrementalConfig; snapshot?: SnapshotConfig } = {};
    if (config.materialized === 'incremental' || config.materialized === 'snapshot' || config.materialized === 'external') {
      try {
        if (config.materialized === 'external') typed = { external: externalConfigOf(config, f.name, patch?.file ?? f.path) };
        else if (config.materialized === 'incremental') typed = { incremental: incrementalConfigOf(config, f.name, f.path) };
        else typed = { snapshot: snapshotConfigOf(config, f.name, f.path, 'model') };
      } catch (e) {
        if (e instanceof WeirError) errors.push(e);
        else throw e;
      }
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
    if (deps) modelDeps.set(uid, deps);
    checkContract(node, { file: patch?.file ?? f.path, line: patch?.line }, errors);
    addRefName(f.name, uid, f.path); // before nodes.set: a same-named node has the same uid, and the message names both paths
    nodes.set(uid, node);
  }
  // --- snapshots (SCD type 2): like models, with their own resource type and config checks
  for (const f of files.snapshots ?? []) {
    const deps = parseSql(f);
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

  // --- sources
  /** A source table's `external_location` (dbt-duckdb): `{name}`/`{identifier}` substituted, a relative path resolved against the project. */
  const externalLocationOf = (raw: unknown, name: string, identifier: string, s: { file: string; line?: number; name: string }): { external_location?: string } => {
    if (raw === undefined || raw === null) return {};
    if (typeof raw !== 'string' || !raw.trim()) {
      errors.push(new WeirError('WEIR_CONFIG_INVALID', `source '${s.name}.${name}': external_location must be a file path or URL, got ${JSON.stringify(raw)}`, { location: { file: s.file, line: s.line }, hint: 'e.g. external_location: "data/{name}.parquet"' }));
      return {};
    }
    const loc = raw.replaceAll('{name}', name).replaceAll('{identifier}', identifier);
    return { external_location: /^[a-z][a-z0-9+.-]*:\/\//i.test(loc) ? loc : path.resolve(files.root, loc) };
  };
  for (const sf of files.schemaFiles) {
    for (const s of sf.sources) {
      for (const t of s.tables) {
        const uid = uniqueId('source', project, s.name, t.name);
        if (nodes.has(uid)) {
          errors.push(new WeirError('WEIR_DUPLICATE_NODE', `source '${s.name}.${t.name}' is declared twice`, { location: { file: s.file, line: s.line } }));
          continue;
        }
        const config = finishConfig(mergeConfig({ materialized: 'view' }, s.config ?? {}, t.config), 'source');
        const node: SourceNode = {
          resource_type: 'source', unique_id: uid, name: t.name, package_name: project, fqn: [project, s.name, t.name], path: s.file,
          description: t.description, config, tags: config.tags, columns: columnsOf(t.columns), meta: t.meta,
          source_name: s.name, source_description: s.description, identifier: t.identifier, schema: s.schema, database: s.database, loader: s.loader,
          freshness: mergeFreshness(s.freshness, t.freshness), loaded_at_field: t.loaded_at_field ?? s.loaded_at_field,
          ...externalLocationOf(config.external_location, t.name, t.identifier, s),
        };
        nodes.set(uid, node);
        sourceIndex.set(`${s.name}.${t.name}`, uid);
      }
    }
  }

  // --- generic tests from YAML
  // project.yaml data_tests: (or tests:), checked once per level, applied by the folders of the YAML file.
  const testTreeKey = testConfigKey(files.config);
  if (testTreeKey) checkTestConfigTree(testConfigTree(files.config), testTreeKey, files.configFile, errors);
  const projectLevelByFile = new Map<string, Record<string, unknown>>();
  const projectLevel = (file: string) => {
    let c = projectLevelByFile.get(file);
    if (!c) projectLevelByFile.set(file, (c = projectTestConfig(files.config, resourceFolders(file, files.config))));
    return c;
  };
  const testNames = new Map<string, number>();
  const addTest = (node: TestNode) => {
    let uid = node.unique_id;
    if (nodes.has(uid)) {
      const n = (testNames.get(uid) ?? 1) + 1;
      testNames.set(uid, n);
      uid = `${uid}_${n}`;
      node = { ...node, unique_id: uid, name: `${node.name}_${n}` };
    }
    nodes.set(uid, node);
  };
  const genericFor = (spec: TestSpec, attached: GraphNode, column: string | undefined) => {
    const custom = (GENERIC_TESTS as readonly string[]).includes(spec.name) ? undefined : customTestMacro(spec.name, files.macros);
    if (!(GENERIC_TESTS as readonly string[]).includes(spec.name) && !custom) {
      const known = [...GENERIC_TESTS, ...customTestNames(files.macros)];
      const s = closest(spec.name, known);
      errors.push(new WeirError('WEIR_SCHEMA_YAML_INVALID', `unknown generic test '${spec.name}' on ${attached.name}${column ? `.${column}` : ''}`, {
        location: { file: spec.file, line: spec.line },
        hint: `${s ? `Did you mean '${s}'? ` : ''}Generic tests: ${known.join(', ')}; a custom one is tests/generic/${spec.name}.sql or macros/test_${spec.name}.sql.`,
      }));
      return;
    }
    if (custom) {
      customFor(spec, attached, column, custom);
      return;
    }
    const name = spec.name as GenericTestName;
    const kwargs: Record<string, unknown> = { ...spec.kwargs };
    const refs: RefCall[] = attached.resource_type === 'source' ? [] : [{ name: attached.name }];
    const sources: SourceCall[] = attached.resource_type === 'source' ? [{ source: (attached as SourceNode).source_name, table: attached.name }] : [];
    const colName = column ?? (typeof kwargs.column_name === 'string' ? kwargs.column_name : undefined);
    if (!colName) {
      errors.push(new WeirError('WEIR_SCHEMA_YAML_INVALID', `test '${name}' on ${attached.name} needs a column: put it under columns: or give column_name`, { location: { file: spec.file, line: spec.line } }));
      return;
    }
    if (name === 'accepted_values' && (!Array.isArray(kwargs.values) || kwargs.values.length === 0)) {
      errors.push(new WeirError('WEIR_SCHEMA_YAML_INVALID', `accepted_values on ${attached.name}.${colName} needs a non-empty list: values: [a, b]`, { location: { file: spec.file, line: spec.line } }));
      return;
    }
    if (name === 'relationships') {
      const to = parseRelationArg(kwargs.to);
      if (!to || typeof kwargs.field !== 'string') {
        errors.push(new WeirError('WEIR_SCHEMA_YAML_INVALID', `relationships on ${attached.name}.${colName} needs to: ref('model') (or source('src', 'table')) and field: column`, { location: { file: spec.file, line: spec.line } }));
        return;
      }
      if (to.kind === 'ref') refs.push({ name: to.name, line: spec.line });
      else sources.push({ source: to.source, table: to.table, line: spec.line });
      kwargs.to = to;
    }
    const base = `${name}_${attached.resource_type === 'source' ? `source_${(attached as SourceNode).source_name}_` : ''}${attached.name}_${colName}`
      .replace(/[^A-Za-z0-9_]+/g, '_').replace(/_+$/, '');
    const hash = createHash('sha1').update(JSON.stringify([colName, spec.kwargs])).digest('hex').slice(0, 6);
    // Plain column tests keep readable names; tests with arguments or expressions get a short hash (and
    // long names are cut), so names stay unique and file-system safe.
    const plain = (name === 'not_null' || name === 'unique') && /^[A-Za-z_][A-Za-z0-9_]*$/.test(colName);
    const testName = plain && base.length <= 80 ? base : `${base.slice(0, 60).replace(/_+$/, '')}_${hash}`;
    // Precedence as dbt: the test's YAML config > project.yaml data_tests: for the YAML file's folders.
    const config = finishConfig(mergeConfig({ materialized: 'test', severity: 'error' }, projectLevel(spec.file), { tags: attached.tags }, spec.config), 'test');
    if (!config.enabled) return;
    checkTestConfig(spec.config as NodeConfig, { file: spec.file, line: spec.line, what: `test ${testName}` }, errors);
    addTest({
      resource_type: 'test', unique_id: uniqueId('test', project, testName), name: testName, package_name: project,
      fqn: [project, ...attached.fqn.slice(1, -1), testName], path: spec.file, description: '', config, tags: config.tags, columns: {}, meta: {},
      test_type: 'generic', generic: { name, kwargs, attached_node: attached.unique_id, column_name: colName }, raw_code: '',
      deps: { refs, sources, macros: [], config: {} },
    });
  };
  /** A custom generic test (compiler/custom-generic-tests.ts): the partial `macro` rendered with the arguments. */
  const customFor = (spec: TestSpec, attached: GraphNode, column: string | undefined, macro: string) => {
    const args = customTestArgs(spec.kwargs, spec.line);
    const colName = column ?? (typeof spec.kwargs.column_name === 'string' ? spec.kwargs.column_name : undefined);
    const raw = `{{> ${macro}}}`;
    const local: WeirError[] = [];
    const deps = closure(collectFacts(parseTemplate(raw, spec.file), spec.file, local), spec.file);
    errors.push(...local);
    const refs: RefCall[] = [...(attached.resource_type === 'source' ? [] : [{ name: attached.name }]), ...args.refs, ...deps.refs];
    const sources: SourceCall[] = [...(attached.resource_type === 'source' ? [{ source: (attached as SourceNode).source_name, table: attached.name }] : []), ...args.sources, ...deps.sources];
    const base = `${spec.name}_${attached.resource_type === 'source' ? `source_${(attached as SourceNode).source_name}_` : ''}${attached.name}${colName ? `_${colName}` : ''}`
      .replace(/[^A-Za-z0-9_]+/g, '_').replace(/_+$/, '');
    const hash = createHash('sha1').update(JSON.stringify([colName, spec.kwargs])).digest('hex').slice(0, 6);
    const testName = `${base.slice(0, 60).replace(/_+$/, '')}_${hash}`;
    // The test's YAML config > the definition's {{config}} > project.yaml data_tests: (as dbt).
    const mf = macroFacts.get(macro);
    const definition = mf ? resolveConfig(mf.config, mf.configLines, spec.file) : {};
    const config = finishConfig(mergeConfig({ materialized: 'test', severity: 'error' }, projectLevel(spec.file), definition, { tags: attached.tags }, spec.config), 'test');
    if (!config.enabled) return;
    checkTestConfig(mergeConfig(definition, spec.config) as NodeConfig, { file: spec.file, line: spec.line, what: `test ${testName}` }, errors);
    addTest({
      resource_type: 'test', unique_id: uniqueId('test', project, testName), name: testName, package_name: project,
      fqn: [project, ...attached.fqn.slice(1, -1), testName], path: spec.file, description: '', config, tags: config.tags, columns: {}, meta: {},
      test_type: 'generic', generic: { name: spec.name, kwargs: args.kwargs, attached_node: attached.unique_id, column_name: colName, macro }, raw_code: raw,
      deps: { refs, sources, macros: deps.macros, config: {} },
    });
  };
  const testsFor = (attached: GraphNode, modelTests: readonly TestSpec[], columns: readonly ColumnPatch[]) => {
    for (const t of modelTests) genericFor(t, attached, undefined);
    for (const c of columns) for (const t of c.tests) genericFor(t, attached, c.name);
  };
  for (const kind of ['models', 'seeds'] as const) {
    for (const [name, p] of patches[kind]) {
      const uid = refIndex.get(name);
      if (uid) testsFor(nodes.get(uid)!, p.tests, p.columns);
    }
  }
  for (const sf of files.schemaFiles) {
    for (const s of sf.sources) for (const t of s.tables) {
      const n = nodes.get(uniqueId('source', project, s.name, t.name));
      if (n) testsFor(n, t.tests, t.columns);
    }
  }

  // --- singular tests
  for (const f of files.singularTests) {
    const deps = parseSql(f);
    // {{config}} in the file > project.yaml data_tests: for its folders (f.folderConfig, checked once above).
    const config = finishConfig(mergeConfig({ materialized: 'test', severity: 'error' }, f.folderConfig, deps?.config ?? {}), 'test');
    if (deps) checkConfigKeys(deps.config, 'test', { file: f.path, keyLines: deps.configLines, what: `test '${f.name}'` }, errors);
    if (hasPercentThreshold(config)) {
      errors.push(new WeirError('WEIR_CONFIG_INVALID', `test '${f.name}': a percentage threshold (warn_if/error_if "…%") needs a tested relation, and a singular test has none`, {
        location: { file: f.path }, hint: 'Use a count threshold such as warn_if: ">10", or write the check as a generic test on the model.',
      }));
    }
    if (!config.enabled) continue;
    checkTestConfig((deps?.config ?? {}) as NodeConfig, { file: f.path, what: `test ${f.name}` }, errors);
    addTest({
      resource_type: 'test', unique_id: uniqueId('test', project, f.name), name: f.name, package_name: project,
      fqn: [project, ...f.folders, f.name], path: f.path, description: leadingComment(f.raw), config, tags: config.tags, columns: {}, meta: {},
      test_type: 'singular', raw_code: f.raw, deps: deps ?? { refs: [], sources: [], macros: [], config: {} },
    });
  }

  // --- unit tests from YAML (compiler/unit-tests.ts)
  for (const sf of files.schemaFiles) {
    for (const u of sf.unit_tests ?? []) {
      const node = unitTestNode(u, {
        project, nodes, refIndex, sourceIndex, disabled, isHelper: (n) => env.isHelper(n), finishConfig: (raw) => finishConfig(raw, 'test'),
      }, errors);
      if (node && nodes.has(node.unique_id)) {
        errors.push(new WeirError('WEIR_SCHEMA_YAML_INVALID', `unit test '${node.name}' of model '${u.model}' is defined twice (also in ${nodes.get(node.unique_id)!.path})`, {
          location: { file: u.file, line: u.line }, hint: 'Unit test names must be unique per model.',
        }));
      } else if (node) addTest(node);
    }
  }

  // --- groups and access (dbt's model governance, https://docs.getdbt.com/docs/mesh/govern/model-access)
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

  // --- resolve dependencies
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

  // --- exposures: downstream uses of the project's nodes
  const exposures = new Map<string, ExposureDef>();
  for (const sf of files.schemaFiles) {
    for (const e of sf.exposures ?? []) {
      const uid = uniqueId('exposure', project, e.name);
      if (exposures.has(uid)) {
        errors.push(new WeirError('WEIR_DUPLICATE_NODE', `exposure '${e.name}' is defined twice (also in ${exposures.get(uid)!.path})`, { location: { file: e.file, line: e.line } }));
        continue;
      }
      const dependsOn: string[] = [];
      for (const d of e.depends_on) {
        const rel = parseRelationArg(d);
        const target = rel?.kind === 'ref' ? refIndex.get(rel.name) : rel?.kind === 'source' ? sourceIndex.get(`${rel.source}.${rel.table}`) : undefined;
        if (!target) {
          const name = rel?.kind === 'ref' ? rel.name : rel?.kind === 'source' ? `${rel.source}.${rel.table}` : d;
          const s = rel?.kind === 'source' ? closest(name, sourceIndex.keys()) : closest(name, refIndex.keys());
          errors.push(new WeirError('WEIR_REF_NOT_FOUND', `exposure '${e.name}' depends on ${rel ? `unknown ${rel.kind === 'ref' ? 'model' : 'source'} '${name}'` : `'${d}', which is not ref('...') or source('...', '...')`}`, {
            location: { file: e.file, line: e.line }, hint: s ? `Did you mean '${s}'?` : "Write depends_on: [ref('orders'), source('crm', 'customers')].",
          }));
        } else if (!dependsOn.includes(target)) dependsOn.push(target);
      }
      exposures.set(uid, {
        unique_id: uid, name: e.name, label: e.label, type: e.type, owner: e.owner, description: e.description, url: e.url, maturity: e.maturity,
        tags: e.tags, meta: e.meta, path: e.file, depends_on: dependsOn,
      });
    }
  }

  if (errors.length) throw new WeirErrors(errors);
  return {
    projectName: project, projectVersion: files.config.version, root: files.root, targetName: files.targetName, adapterType,
    nodes: sortNodes(nodes), macros, parents, refIndex, sourceIndex, groups, exposures, versions,
  };
}

const ORDER: Record<string, number> = { seed: 0, model: 1, snapshot: 1.5, source: 2, test: 3 };
function sortNodes(nodes: Map<string, GraphNode>): Map<string, GraphNode> {
  return new Map([...nodes.entries()].sort(([a, x], [b, y]) => ORDER[x.resource_type] - ORDER[y.resource_type] || (a < b ? -1 : a > b ? 1 : 0)));
}

function finishConfig(raw: Record<string, unknown>, kind: string): NodeConfig {
  const tags = Array.isArray(raw.tags) ? raw.tags.map(String) : [];
  const enabled = raw.enabled === undefined ? true : raw.enabled !== false && raw.enabled !== 'false';
  const out: Record<string, unknown> = { ...raw, enabled, tags, materialized: String(raw.materialized ?? (kind === 'model' ? 'view' : kind)) };
  if (out.schema !== undefined) out.schema = String(out.schema);
  if (out.alias !== undefined) out.alias = String(out.alias);
  return out as NodeConfig;
}

function columnsOf(cols: readonly ColumnPatch[] | undefined): Record<string, ColumnInfo> {
  const out: Record<string, ColumnInfo> = {};
  for (const c of cols ?? []) out[c.name] = { name: c.name, description: c.description, data_type: c.data_type, tags: c.tags };
  return out;
}

/** A leading `{{!-- ... --}}` or `/* ... *\/` or `--` comment block, used as a description fallback. */
function leadingComment(raw: string): string {
  const s = raw.trimStart();
  const hb = /^\{\{!--([\s\S]*?)--\}\}/.exec(s) ?? /^\{\{!([\s\S]*?)\}\}/.exec(s);
  if (hb) return hb[1].trim();
  const block = /^\/\*([\s\S]*?)\*\//.exec(s);
  if (block) return block[1].replace(/^\s*\*\s?/gm, '').trim();
  const lines: string[] = [];
  for (const line of s.split('\n')) {
    const m = /^\s*--\s?(.*)$/.exec(line);
    if (!m) break;
    lines.push(m[1]);
  }
  return lines.join('\n').trim();
}

/** Parses `ref('x')`, `ref("x")`, `x`, `source('a', 'b')` as written in YAML test arguments. */
export function parseRelationArg(v: unknown): { kind: 'ref'; name: string } | { kind: 'source'; source: string; table: string } | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  const ref = /^ref\(\s*['"]([^'"]+)['"]\s*\)$/.exec(s);
  if (ref) return { kind: 'ref', name: ref[1] };
  const src = /^source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)$/.exec(s);
  if (src) return { kind: 'source', source: src[1], table: src[2] };
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) return { kind: 'ref', name: s };
  return undefined;
}
