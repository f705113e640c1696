/**
 * The render phase: resolves each node's template for a target. `ref` becomes the relation of the
 * referenced model (or an inlined CTE for ephemeral models), `source` the declared table; generic tests
 * become their failing-rows query. Errors are per node, so one broken model doesn't stop the others.
 */
import type { Dialect } from '../adapters/adapter.js';
import { WeirError } from '../errors/weir-error.js';
import { refUid, type Manifest } from '../manifest/manifest.js';
import type { GraphNode, ModelNode, RelationName, SnapshotNode, TestNode } from '../manifest/types.js';
import { isEphemeral } from '../manifest/materialization.js';
import type { TemplateEnvironment, CompiledTemplate } from './environment.js';
import { HelperError, type RenderState } from './helpers/render-state.js';
import { annotateRenderError } from './render-errors.js';
import { columnSql, genericTestSql } from './generic-tests.js';
import { isRelationArg } from './custom-generic-tests.js';
import { fixtureColumns, unitTestSql, type UnitTestSql } from './unit-tests.js';
import { injectCtes } from './ctes.js';

/** Target facts visible to templates as `target.*` (no secrets). */
export interface TargetInfo {
  readonly name: string;
  readonly type: string;
  readonly schema: string;
  readonly database?: string;
  readonly threads: number;
}

/** A node rendered for a target. */
export interface CompiledNode {
  readonly unique_id: string;
  /** Executable SQL (SELECT) for models and tests; undefined for seeds and sources. */
  readonly compiled_code?: string;
  /** Where the node is persisted (models, seeds) or read from (sources). */
  readonly relation?: RelationName;
  /** Rendered relation text, e.g. `"main_marts"."customer_rfm"`. */
  readonly relation_name?: string;
  /** Ephemeral models inlined into this node, by unique_id. */
  readonly ephemerals: readonly string[];
}

/**
 * Render inputs of one incremental build step (see {@link Renderer.renderWith}): whether
 * `{{#if (is_incremental)}}` blocks are on, and the time window of a microbatch, to which the node's
 * upstream refs and sources that declare `event_time` are filtered (as dbt's microbatch does).
 */
export interface RenderOverrides {
  readonly isIncremental?: boolean;
  /** `[start, end)` in UTC. */
  readonly eventTimeWindow?: { readonly start: Date; readonly end: Date };
  /**
   * Relation text to use for these nodes (by unique_id) in this render only: write-audit-publish renders a
   * model's tests over its staged relation (`<name>__weir_tmp`) before the swap.
   */
  readonly relations?: ReadonlyMap<string, string>;
}

/** Options for {@link Renderer}. */
export interface RenderOptions {
  readonly manifest: Manifest;
  readonly env: TemplateEnvironment;
  readonly dialect: Dialect;
  readonly target: TargetInfo;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly processEnv?: NodeJS.ProcessEnv;
  /** Set that receives secret env values templates read (shared with the caller's redactor); default: a new set. */
  readonly secrets?: Set<string>;
  /**
   * Relation text to use for refs to these nodes (by unique_id) instead of the target's: `--defer` reads
   * unselected, unbuilt parents from the relations of an earlier run's manifest.
   */
  readonly relationOverrides?: ReadonlyMap<string, string>;
  /**
   * `--empty`: every ref (to a model, seed or snapshot) and source in a model's or test's SQL reads as an
   * empty relation with the same columns — `(select * from <relation> where false)`, as dbt's `--empty`
   * does — so a build creates every relation with zero rows. Ephemeral models are inlined as usual (their
   * own refs are empty); `{{this}}` is not affected.
   */
  readonly emptyInputs?: boolean;
}

/** `--empty`: the relation `rel` read with zero rows (same columns and types). */
export function emptyRelation(rel: string): string {
  return `(select * from ${rel} where false)`;
}

/**
 * Renders nodes on demand, caching results; renders dependencies (ephemerals) first.
 * Not thread-safe across targets: create one per run.
 */
export class Renderer {
  private readonly cache = new Map<string, CompiledNode | WeirError>();
  private readonly templates = new Map<string, CompiledTemplate>();
  /** Values to redact (secret env values read by templates). */
  readonly secrets: Set<string>;

  constructor(private readonly o: RenderOptions) {
    this.secrets = o.secrets ?? new Set<string>();
  }

  /** The target this renderer renders for. */
  get target(): TargetInfo {
    return this.o.target;
  }

  /** The relation a model/seed is built into, or a source is read from. */
  relationOf(node: GraphNode): RelationName | undefined {
    const t = this.o.target;
    if (node.resource_type === 'source') return { database: node.database, schema: node.schema, identifier: node.identifier };
    if (node.resource_type === 'test') return undefined;
    const custom = node.config.schema;
    return {
      database: (node.config.database as string | undefined) ?? t.database,
      schema: custom ? `${t.schema}_${custom}` : t.schema,
      identifier: node.config.alias ?? node.name,
    };
  }

  /**
   * Rendered relation text of a node; a source with `external_location` is its file (DuckDB: `'path'`).
   * @throws WeirError `WEIR_CONFIG_INVALID` for a file source on an engine that can't read files
   */
  relationName(node: GraphNode): string | undefined {
    if (node.resource_type === 'source' && node.external_location) {
      const d = this.o.dialect;
      if (!d.fileRelation) {
        throw new WeirError('WEIR_CONFIG_INVALID', `source '${node.source_name}.${node.name}' reads the file ${node.external_location} (external_location), which a ${d.name} target can't read`, {
          location: { file: node.path, nodeId: node.unique_id }, hint: 'Load the file into a table on this engine and drop external_location, or run on a DuckDB target.',
        });
      }
      return d.fileRelation(node.external_location);
    }
    const r = this.relationOf(node);
    return r ? this.o.dialect.relation(r) : undefined;
  }

  /**
   * Renders one node (cached).
   * @throws WeirError with file, line and node id when the template fails to render
   */
  render(uid: string): CompiledNode {
    const hit = this.cache.get(uid);
    if (hit instanceof WeirError) throw hit;
    if (hit) return hit;
    try {
      const out = this.renderUncached(uid);
      this.cache.set(uid, out);
      return out;
    } catch (e) {
      const node = this.o.manifest.nodes.get(uid);
      const source = node && (node.resource_type === 'model' || node.resource_type === 'test' || node.resource_type === 'snapshot') ? node.raw_code : undefined;
      const err = annotateRenderError(e, node?.path ?? uid, uid, source);
      this.cache.set(uid, err);
      throw err;
    }
  }

  /**
   * Renders one node with incremental inputs or relation substitutions (not cached: each call renders afresh).
   * @throws WeirError with file, line and node id when the template fails to render
   */
  renderWith(uid: string, overrides: RenderOverrides): CompiledNode {
    try {
      return this.renderUncached(uid, overrides);
    } catch (e) {
      const node = this.o.manifest.nodes.get(uid);
      const source = node && (node.resource_type === 'model' || node.resource_type === 'test' || node.resource_type === 'snapshot') ? node.raw_code : undefined;
      throw annotateRenderError(e, node?.path ?? uid, uid, source);
    }
  }

  /** Renders every node that has SQL; returns results and per-node errors. */
  renderAll(uids: Iterable<string> = this.o.manifest.nodes.keys()): { compiled: Map<string, CompiledNode>; errors: WeirError[] } {
    const compiled = new Map<string, CompiledNode>();
    const errors: WeirError[] = [];
    for (const uid of uids) {
      try {
        compiled.set(uid, this.render(uid));
      } catch (e) {
        errors.push(e as WeirError);
      }
    }
    return { compiled, errors };
  }

  private renderUncached(uid: string, incremental?: RenderOverrides): CompiledNode {
    const { manifest, dialect } = this.o;
    const node = manifest.nodes.get(uid);
    if (!node) throw new WeirError('WEIR_NODE_NOT_FOUND', `no node ${uid}`);
    const relation = this.relationOf(node);
    const relation_name = relation ? dialect.relation(relation) : undefined;
    if (node.resource_type === 'seed' || node.resource_type === 'source') return { unique_id: uid, relation, relation_name, ephemerals: [] };

    const ephemerals: string[] = [];
    const useEphemeral = (depUid: string) => {
      const dep = this.render(depUid);
      for (const e of dep.ephemerals) if (!ephemerals.includes(e)) ephemerals.push(e);
      if (!ephemerals.includes(depUid)) ephemerals.push(depUid);
    };
    const resolveNode = (depUid: string): string => {
      const dep = manifest.nodes.get(depUid)!;
      if (isEphemeral(dep)) {
        useEphemeral(depUid);
        return ephemeralName(dep, dialect);
      }
      return empty(windowed(dep, incremental?.relations?.get(depUid) ?? this.o.relationOverrides?.get(depUid) ?? this.relationName(dep)!));
    };
    const empty = (rel: string) => (this.o.emptyInputs ? emptyRelation(rel) : rel);
    // A microbatch reads only its window of upstream relations that declare `event_time`.
    const window = incremental?.eventTimeWindow;
    const windowed = (dep: GraphNode, rel: string): string => {
      const col = dep.config.event_time;
      if (!window || typeof col !== 'string' || !col.trim()) return rel;
      const c = dialect.quoteIdentifier(col.trim());
      return `(select * from ${rel} where ${c} >= ${dialect.literal(window.start)} and ${c} < ${dialect.literal(window.end)})`;
    };

    const resolve = {
      ref: (name: string, version?: number) => {
        const depUid = refUid(manifest, name, version);
        if (!depUid || !(manifest.parents.get(uid) ?? []).includes(depUid)) {
          throw new HelperError(`ref '${name}' was not recorded in the parse phase: ref arguments must be string literals written in the model or its macros`);
        }
        return resolveNode(depUid);
      },
      source: (src: string, table: string) => {
        const depUid = manifest.sourceIndex.get(`${src}.${table}`);
        if (!depUid) throw new HelperError(`unknown source '${src}.${table}'`);
        const dep = manifest.nodes.get(depUid)!;
        return empty(windowed(dep, incremental?.relations?.get(depUid) ?? this.relationName(dep)!));
      },
    };
    let body: string;
    if (node.resource_type === 'test' && node.test_type === 'generic') {
      body = this.renderGenericTest(node, resolveNode, resolve);
    } else if (node.resource_type === 'test' && node.test_type === 'unit') {
      const u = this.unitTest(node, new Map(), false);
      return { unique_id: uid, compiled_code: u.sql, ephemerals: [] };
    } else {
      body = this.renderTemplate(node as ModelNode | TestNode | SnapshotNode, relation, relation_name, resolve, undefined, {}, incremental?.isIncremental ?? false);
    }
    let compiled = body;
    if (ephemerals.length) {
      const ctes = ephemerals.map((e) => {
        const dep = manifest.nodes.get(e)!;
        return { name: ephemeralName(dep, dialect), sql: this.ephemeralBody(e) };
      });
      compiled = injectCtes(body, ctes);
    }
    if (isEphemeral(node)) {
      this.ephemeralBodies.set(uid, body);
    }
    const persisted = (node.resource_type === 'model' && !isEphemeral(node)) || node.resource_type === 'snapshot';
    return { unique_id: uid, compiled_code: compiled, relation: persisted ? relation : undefined, relation_name: persisted ? relation_name : undefined, ephemerals };
  }

  /**
   * Renders a model's or test's template with the given ref/source resolution. `thisRelation` replaces
   * what `{{this}}` renders to; `overrides` (unit tests) replace vars and helper results; `extraContext`
   * adds template variables (a custom generic test's `model`, `column_name` and arguments); `isIncremental`
   * is what `(is_incremental)` returns.
   */
  private renderTemplate(
    node: ModelNode | TestNode | SnapshotNode, relation: RelationName | undefined, relation_name: string | undefined,
    resolve: { ref(name: string, version?: number): string; source(src: string, table: string): string },
    overrides?: { vars: Readonly<Record<string, unknown>>; macros: Readonly<Record<string, unknown>>; thisRelation?: () => string },
    extraContext: Readonly<Record<string, unknown>> = {},
    isIncremental = false,
  ): string {
    const state: RenderState = {
      nodeId: node.unique_id,
      file: node.path,
      dialect: this.o.dialect,
      vars: overrides ? { ...this.o.vars, ...overrides.vars } : this.o.vars,
      env: this.o.processEnv ?? process.env,
      secrets: this.secrets,
      resolveRef: resolve.ref,
      resolveSource: resolve.source,
      ...(overrides && Object.keys(overrides.macros).length ? { macroOverrides: overrides.macros } : {}),
      isIncremental,
    };
    let tmpl = this.templates.get(node.unique_id);
    if (!tmpl) {
      tmpl = this.o.env.compile(node.raw_code, node.path);
      this.templates.set(node.unique_id, tmpl);
    }
    const t = this.o.target;
    const self = overrides?.thisRelation ?? (() => relation_name ?? '');
    const context: Record<string, unknown> = {
      ...extraContext,
      target: { name: t.name, type: t.type, schema: t.schema, database: t.database, threads: t.threads },
      name: node.name,
      schema: relation?.schema,
      identifier: relation?.identifier,
      database: relation?.database,
      toString: () => self(),
    };
    return tmpl(context, { data: { weir: state } }).trim().replace(/;\s*$/, '');
  }

  /**
   * The SQL of a unit test: its model rendered over inline relations of the given rows (see
   * compiler/unit-tests.ts). Not cached: a run passes the warehouse columns of each input.
   * @param warehouse columns of the real relation of each input node (by unique_id), when it exists
   * @param strict see unitTestSql (false: `weir compile`, nothing introspected)
   * @throws WeirError naming the model's file and line (template errors) or the YAML file (bad values)
   */
  unitTest(node: TestNode, warehouse: ReadonlyMap<string, readonly { name: string; type?: string }[]> = new Map(), strict = true): UnitTestSql {
    const { manifest, dialect } = this.o;
    const model = manifest.nodes.get(node.unit!.model) as ModelNode;
    const relation = this.relationOf(model);
    return unitTestSql(node, dialect, (inputs) => {
      const missing = (what: string) => new HelperError(`unit test '${node.name}' gives no input for ${what}: add it under given:`);
      try {
        return this.renderTemplate(model, relation, relation ? dialect.relation(relation) : undefined, {
          ref: (name) => {
            const dep = manifest.refIndex.get(name);
            const cte = dep && inputs.get(dep);
            if (!cte) throw missing(`ref('${name}')`);
            return cte;
          },
          source: (src, table) => {
            const dep = manifest.sourceIndex.get(`${src}.${table}`);
            const cte = dep && inputs.get(dep);
            if (!cte) throw missing(`source('${src}', '${table}')`);
            return cte;
          },
        }, {
          ...node.unit!.overrides,
          thisRelation: () => {
            const cte = inputs.get('this');
            if (!cte) throw missing('this (the model\'s own relation)');
            return cte;
          },
        });
      } catch (e) {
        throw annotateRenderError(e, model.path, node.unique_id, model.raw_code);
      }
    }, (input) => fixtureColumns(input, manifest.nodes.get(input.node), warehouse.get(input.node) ?? []), strict);
  }

  /**
   * Renders template text that is not a node's body: hooks (`pre_hook`, `on-run-end`, ...) and
   * operations. `{{this}}` is the node's relation when `nodeId` is given; `ref` resolves any model or seed
   * by name (hooks are not parsed for dependencies; an ephemeral model can't be referenced), `source` any
   * declared source. Compiled templates are cached by text.
   * @param o.file project-relative file the text comes from (for messages)
   * @param o.context extra template variables (e.g. `schemas` for on-run-end, macro arguments)
   * @returns the rendered SQL, trimmed
   * @throws WeirError with the file (and line when Handlebars reports one) for syntax and render errors
   */
  renderText(text: string, o: { file: string; nodeId?: string; context?: Readonly<Record<string, unknown>> }): string {
    const { manifest, dialect } = this.o;
    const node = o.nodeId ? manifest.nodes.get(o.nodeId) : undefined;
    const relation = node ? this.relationOf(node) : undefined;
    const relationText = relation ? dialect.relation(relation) : '';
    const state: RenderState = {
      nodeId: o.nodeId ?? o.file,
      file: o.file,
      dialect,
      vars: this.o.vars,
      env: this.o.processEnv ?? process.env,
      secrets: this.secrets,
      resolveRef: (name, version) => {
        const depUid = refUid(manifest, name, version);
        if (!depUid) throw new HelperError(version === undefined ? `unknown model or seed '${name}' in ref` : `model '${name}' has no version ${version}`);
        const dep = manifest.nodes.get(depUid)!;
        if (isEphemeral(dep)) throw new HelperError(`ref '${name}': an ephemeral model has no relation to use here`);
        return this.o.relationOverrides?.get(depUid) ?? this.relationName(dep)!;
      },
      resolveSource: (src, table) => {
        const depUid = manifest.sourceIndex.get(`${src}.${table}`);
        if (!depUid) throw new HelperError(`unknown source '${src}.${table}'`);
        return this.relationName(manifest.nodes.get(depUid)!)!;
      },
    };
    const t = this.o.target;
    const context: Record<string, unknown> = {
      target: { name: t.name, type: t.type, schema: t.schema, database: t.database, threads: t.threads },
      name: node?.name,
      schema: relation?.schema,
      identifier: relation?.identifier,
      database: relation?.database,
      ...o.context,
      toString: () => relationText,
    };
    try {
      let tmpl = this.textTemplates.get(text);
      if (!tmpl) {
        tmpl = this.o.env.compile(text, o.file);
        this.textTemplates.set(text, tmpl);
      }
      return tmpl(context, { data: { weir: state } }).trim();
    } catch (e) {
      throw annotateRenderError(e, o.file, o.nodeId ?? o.file, text);
    }
  }
  private readonly textTemplates = new Map<string, CompiledTemplate>();

  private readonly ephemeralBodies = new Map<string, string>();
  private ephemeralBody(uid: string): string {
    this.render(uid);
    return this.ephemeralBodies.get(uid)!;
  }

  private renderGenericTest(node: TestNode, resolveNode: (uid: string) => string, resolve: { ref(name: string): string; source(src: string, table: string): string }): string {
    const spec = node.generic!;
    const { manifest, dialect } = this.o;
    let model = resolveNode(spec.attached_node);
    if (node.config.where) model = `(select * from ${model} where ${node.config.where})`;
    if (spec.macro) {
      // A custom generic test: its partial, with the model, the column and the arguments as variables.
      const args: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(spec.kwargs)) {
        args[k] = isRelationArg(v)
          ? resolveNode(v.kind === 'ref' ? manifest.refIndex.get(v.name)! : manifest.sourceIndex.get(`${v.source}.${v.table}`)!)
          : v;
      }
      const extra = { ...args, model, ...(spec.column_name !== undefined ? { column_name: columnSql(spec.column_name, dialect) } : {}) };
      return this.renderTemplate(node, undefined, undefined, resolve, undefined, extra);
    }
    let to: string | undefined;
    if (spec.name === 'relationships') {
      const target = spec.kwargs.to as { kind: 'ref'; name: string } | { kind: 'source'; source: string; table: string };
      const toUid = target.kind === 'ref' ? manifest.refIndex.get(target.name)! : manifest.sourceIndex.get(`${target.source}.${target.table}`)!;
      to = resolveNode(toUid);
    }
    return genericTestSql(spec, model, dialect, to);
  }
}

/** The CTE name an ephemeral model is inlined under. */
export function ephemeralName(node: GraphNode, dialect: Dialect): string {
  return dialect.quoteIdentifier(`__weir_ephemeral__${node.name}`);
}

