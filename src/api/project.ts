/**
 * The library front door (SQLMesh-style context): `WeirProject.load()` parses a project once; its methods
 * do what the CLI commands do — compile, seed, run, test, build, list, show, query, debug — and report
 * progress through a {@link Reporter}. They take and return plain typed options and results
 * (api/options.ts); the CLI is a thin layer over this class that maps results to exit codes. The work is
 * done elsewhere: loading (api/load.ts), selection (api/selection.ts), compiling (api/compile.ts), runs
 * (api/execute.ts → execution/invocation/), reads (api/read.ts), docs (api/docs.ts).
 *
 * @example
 * const project = await WeirProject.load({ projectDir: '.', target: 'dev' });
 * const summary = await project.build({ select: ['+customer_rfm'], reporter: myReporter });
 * if (!summary.success) process.exitCode = 1;
 */
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Adapter, Dialect, QueryResult } from '../adapters/adapter.js';
import { dialectFor } from '../adapters/registry.js';
import type { ParseInput } from '../parser/load-files.js';
import type { TemplateEnvironment } from '../compiler/environment.js';
import { Renderer, type TargetInfo } from '../compiler/render.js';
import type { Dag } from '../graph/dag.js';
import { readYamlSelectors, type YamlSelector } from '../loader/selectors-yaml.js';
import type { Manifest } from '../manifest/manifest.js';
import type { GraphNode } from '../manifest/types.js';
import { WeirErrors, WeirError } from '../errors/weir-error.js';
import { now, type Reporter } from '../events/events.js';
import { manifestArtifact, WEIR_VERSION, writeJsonAtomic, type ArtifactMetadata, type CompiledFacts, type UdfFacts } from '../artifacts/artifacts.js';
import { createRedactor, redactDeep, type Redactor } from '../utils/redact.js';
import type { LoadedUdf } from '../udfs/registry.js';
import type { BatchContext } from '../udfs/define.js';
import { loadPreviousState, type PreviousState } from '../artifacts/previous-state.js';
import type { GenerateDocsResult } from '../docs/generate.js';
import type { TargetConnection } from '../execution/invocation/adapter.js';
import type { ProjectLoadOptions, QueryOptions, ReadOptions, RunArgs, RunCommand, RunSummary, SelectionArgs } from './options.js';
import { compile, type CompileOptions, type CompileResult } from './compile.js';
import { executeCommand } from './execute.js';
import { loadParsed, loadProject, loadProjectUdfs, readFiles, type LoadedProject, type LoadedUdfs } from './load.js';
import { udfFacts } from './udf-facts.js';
import { compileInputs, EnvReads, reuseCompile, type Inputs, type RecordedWarning, type UnchangedCompile } from './compile-record.js';
import { query, show } from './read.js';
import { selectFor } from './selection.js';
import { generateDocs } from './docs.js';
import { isEphemeral } from '../manifest/materialization.js';

export type { ProjectLoadOptions, QueryOptions, ReadOptions, RunArgs, RunCommand, RunSummary, SelectionArgs } from './options.js';
export type { CompileOptions, CompileResult } from './compile.js';
export type { UnchangedCompile, RecordedWarning } from './compile-record.js';
export { formatCompiled } from './compile.js';
export { redactingReporter } from './reporting.js';

/** A loaded, parsed project bound to one target. */
export class WeirProject {
  /** Invocation id written into artifacts. */
  readonly invocationId = randomUUID();
  /** Secret values: from project.yaml, plus secret-looking env values templates read while rendering. */
  private readonly secrets: Set<string>;
  private redactor: Redactor;
  private redactorSize = 0;
  /** Earlier runs' artifacts by absolute directory (see {@link previousState}). */
  private readonly states = new Map<string, PreviousState>();
  /** Variables given at load time (`--vars`), recorded in run_results.json for `weir retry`. */
  cliVars: Readonly<Record<string, unknown>> = {};

  private constructor(
    readonly files: ParseInput,
    readonly manifest: Manifest,
    readonly dag: Dag,
    readonly env: TemplateEnvironment,
    readonly dialect: Dialect,
    readonly targetInfo: TargetInfo,
    private readonly processEnv: NodeJS.ProcessEnv,
    /** The project's UDFs (from its udf paths). */
    readonly udfs: readonly LoadedUdf[],
  ) {
    this.secrets = new Set(files.secrets);
    this.redactor = createRedactor(this.secrets);
    this.redactorSize = this.secrets.size;
  }

  /**
   * Loads and parses a project (no database connection).
   * @throws WeirError / WeirErrors for invalid project files, templates, refs, cycles (all collected);
   *   WeirErrors `WEIR_DUPLICATE_RELATION` for two nodes building one relation
   */
  static async load(options: ProjectLoadOptions = {}): Promise<WeirProject> {
    return WeirProject.fromLoaded(await loadProject(options), options);
  }

  private static fromLoaded(p: LoadedProject, options: ProjectLoadOptions): WeirProject {
    const project = new WeirProject(p.files, p.manifest, p.dag, p.env, p.dialect, p.targetInfo, p.processEnv, p.udfs);
    project.cliVars = options.vars ?? {};
    project.checkRelationClashes();
    project.loadWarnings = p.warnings.map((w) => ({ message: w.format(), error_code: w.code, file: w.location?.file }));
    for (const w of project.loadWarnings) options.reporter?.emit({ code: 'WEIR_WARNING', ts: now(), level: 'warn', ...w });
    return project;
  }

  /**
   * Loads the project for a compile with `args` — or, when every input of that compile is unchanged since
   * the last one and its outputs are untouched on disk, does nothing but refresh manifest.json's invocation
   * id and time, and reports the recorded compile (see api/compile-record.ts). With `partialParse: false`
   * nothing is reused and nothing recorded. The load's warnings are reported either way.
   * @returns the project (compile it with the same `args` object: the compile is then recorded), or what
   *   the skipped compile reports
   * @throws as {@link load}
   */
  static async loadForCompile(options: ProjectLoadOptions, args: CompileOptions): Promise<WeirProject | UnchangedCompile> {
    const env = new EnvReads(options.env ?? process.env);
    const opts = { ...options, env: env.env };
    const files = readFiles(opts);
    // The manifest's `functions` come from running the UDF modules: their facts are an input. A module that
    // fails to load is reported where a load reports it (after template errors): no skip then.
    let udfs: LoadedUdfs | undefined;
    let functions: string | undefined;
    if (options.partialParse !== false && files.udfModules.length > 0) {
      try {
        udfs = await loadProjectUdfs(files);
        const targetDir = path.resolve(files.root, files.config['target-path']);
        functions = JSON.stringify(udfFacts(udfs.udfs, files.root, { projectDir: files.root, targetDir, vars: files.vars, env: env.env }));
      } catch {
        udfs = undefined;
      }
    }
    // `partialParse: false` reuses nothing of earlier runs, and leaves nothing to reuse (as the parse cache).
    const inputs = options.partialParse === false ? undefined : compileInputs(files, args, functions);
    if (inputs) {
      const reused = reuseCompile(files, inputs, env.inner, { generated_at: now(), invocation_id: randomUUID() });
      if (reused) {
        files.preparsed?.cancel();
        for (const w of reused.warnings) options.reporter?.emit({ code: 'WEIR_WARNING', ts: now(), level: 'warn', ...w });
        return reused;
      }
    }
    const project = WeirProject.fromLoaded(await loadParsed(files, opts, udfs), opts);
    if (inputs) project.compileRecordKey = { inputs, env, args };
    return project;
  }

  /** The load's warnings as reported (see {@link fromLoaded}), unredacted. */
  loadWarnings: readonly RecordedWarning[] = [];

  /**
   * Set by {@link loadForCompile}: the fingerprint of the inputs of a compile with `args` (that object) but the
   * environment, and the environment as the project reads it; compile() records them once it has succeeded.
   */
  compileRecordKey?: { readonly inputs: Inputs; readonly env: EnvReads; readonly args: CompileOptions };

  /** Absolute target directory (`target-path`). */
  get targetDir(): string {
    return path.resolve(this.files.root, this.files.config['target-path']);
  }

  /** A renderer for this target (one per command). */
  renderer(relationOverrides?: ReadonlyMap<string, string>, emptyInputs = false): Renderer {
    return new Renderer({ manifest: this.manifest, env: this.env, dialect: this.dialect, target: this.targetInfo, vars: this.files.vars, processEnv: this.processEnv, secrets: this.secrets, relationOverrides, emptyInputs });
  }

  /**
   * A renderer whose SQL is in DuckDB's dialect (the column-lineage parser is DuckDB's): this target's own
   * renderer on DuckDB, else one with the DuckDB dialect and this target's relation names.
   */
  async duckdbRenderer(): Promise<Renderer> {
    if (this.targetInfo.type === 'duckdb') return this.renderer();
    const src = { file: this.files.targetSource.file, targetName: this.files.targetName };
    return new Renderer({
      manifest: this.manifest, env: this.env, dialect: await dialectFor('duckdb', src), target: this.targetInfo, vars: this.files.vars, processEnv: this.processEnv, secrets: this.secrets,
    });
  }

  /** What UDFs receive (`setup`, batch calls, versions): project and target directories, vars, environment. */
  udfContext(): Omit<BatchContext, 'nodeId'> {
    return { projectDir: this.files.root, targetDir: this.targetDir, vars: this.files.vars, env: this.processEnv };
  }

  /**
   * The same project bound to another target of project.yaml (same files, `--vars` and environment), e.g.
   * for `weir diff --against prod`.
   * @throws WeirError `WEIR_TARGET_UNKNOWN` for a target project.yaml doesn't define
   */
  forTarget(target: string): Promise<WeirProject> {
    return WeirProject.load({ projectDir: this.files.root, target, vars: this.cliVars, env: this.processEnv });
  }

  /**
   * The artifacts of an earlier run in `dir` (relative to the project directory), read once per project.
   * @throws WeirError `WEIR_STATE_INVALID` (missing directory or manifest, unreadable artifacts)
   */
  previousState(dir: string): PreviousState {
    const abs = path.resolve(this.files.root, dir);
    let s = this.states.get(abs);
    if (!s) this.states.set(abs, (s = loadPreviousState(abs)));
    return s;
  }

  /**
   * Selected unique_ids for a command, in manifest order (see api/selection.ts).
   * @throws WeirError `WEIR_SELECTOR_INVALID`; `WEIR_STATE_INVALID` for `state:`/`result:` without usable state
   */
  select(command: RunCommand | 'compile' | 'ls', args: SelectionArgs & { resourceTypes?: GraphNode['resource_type'][] } = {}): string[] {
    return selectFor(this, command, args);
  }

  /** selectors.yml of the project (read once; empty without the file). @throws WeirErrors `WEIR_SELECTOR_INVALID` */
  yamlSelectors(): ReadonlyMap<string, YamlSelector> {
    this.selectorsCache ??= readYamlSelectors(this.files.root);
    return this.selectorsCache;
  }

  private selectorsCache?: ReadonlyMap<string, YamlSelector>;

  /** Metadata of this invocation's artifacts (invocation id, project, target, adapter, time). */
  metadata(): ArtifactMetadata {
    return {
      weir_schema_version: '', weir_version: WEIR_VERSION, generated_at: now(), invocation_id: this.invocationId,
      project_name: this.manifest.projectName, target_name: this.targetInfo.name, adapter_type: this.targetInfo.type,
    };
  }

  /**
   * Writes `manifest.json` with whatever compiled facts are known.
   * @param beforeWrite called once the manifest is serialized, before it is written (see writeJsonAtomic)
   */
  writeManifest(compiled: ReadonlyMap<string, CompiledFacts> = new Map(), beforeWrite?: () => void): string {
    const file = path.join(this.targetDir, 'manifest.json');
    // Every node's relation is named (not only the compiled ones): a later run may defer to it (--defer).
    const renderer = this.renderer();
    const facts = new Map(compiled);
    for (const node of this.manifest.nodes.values()) {
      if (node.resource_type === 'test') continue;
      const f = facts.get(node.unique_id);
      const relation = renderer.relationOf(node);
      const ephemeral = isEphemeral(node);
      facts.set(node.unique_id, { ...f, relation, relation_name: ephemeral ? undefined : f?.relation_name ?? renderer.relationName(node) });
    }
    const hooks = { start: this.files.config['on-run-start'] ?? [], end: this.files.config['on-run-end'] ?? [], file: this.files.configFile };
    const artifact = manifestArtifact(this.manifest, this.metadata(), {
      compiled: facts, udfs: this.udfManifest(), hooks, target: { schema: this.targetInfo.schema, database: this.targetInfo.database },
      selectors: Object.fromEntries([...this.yamlSelectors()].map(([n, y]) => [n, { name: n, description: y.description, definition: y.raw, default: y.default }])),
    }, this.secrets.size ? this.redact : undefined); // with no secrets known there is nothing to redact: skip the walk
    writeJsonAtomic(file, artifact, beforeWrite);
    return file;
  }

  /** The project's UDFs as the manifest's `functions` describe them, by name (see api/udf-facts.ts). */
  udfManifest(): UdfFacts[] {
    return udfFacts(this.udfs, this.files.root, this.udfContext());
  }

  /**
   * Refuses two nodes that would build the same relation on this target — the same `alias`, or names that
   * differ only in case (`Orders.sql` beside `orders.sql`): engines fold or quote identifiers so that one
   * would silently overwrite the other. Compared case-insensitively on database, schema and identifier.
   * @throws WeirErrors `WEIR_DUPLICATE_RELATION` (exit 2), one per clash, naming both files
   */
  checkRelationClashes(): void {
    const renderer = this.renderer();
    const seen = new Map<string, GraphNode>();
    const errors: WeirError[] = [];
    for (const node of this.manifest.nodes.values()) {
      const builds = node.resource_type === 'seed' || node.resource_type === 'snapshot' || (node.resource_type === 'model' && !isEphemeral(node));
      if (!builds) continue;
      const r = renderer.relationOf(node);
      if (!r) continue;
      const key = [r.database ?? '', r.schema, r.identifier].join('\u0000').toLowerCase();
      const other = seen.get(key);
      if (!other) {
        seen.set(key, node);
        continue;
      }
      errors.push(new WeirError('WEIR_DUPLICATE_RELATION', `${node.resource_type} '${node.name}' (${node.path}) and ${other.resource_type} '${other.name}' (${other.path}) would both build ${this.dialect.relation(r)} on target '${this.targetInfo.name}': one would overwrite the other`, {
        location: { file: node.path, nodeId: node.unique_id },
        hint: 'Give one of them another alias (or file name), or another schema; relation names are compared without regard to case.',
      }));
    }
    if (errors.length) throw errors.length === 1 ? errors[0] : new WeirErrors(errors);
  }

  /** Adds values to redact from every output of this project from now on (e.g. secret run-operation args). */
  addSecrets(values: Iterable<string>): void {
    for (const v of values) if (v) this.secrets.add(v);
  }

  /** Redacts secrets from a string (including secret env values read by templates rendered so far). */
  readonly redact = (s: string): string => {
    if (this.secrets.size !== this.redactorSize) {
      this.redactor = createRedactor(this.secrets);
      this.redactorSize = this.secrets.size;
    }
    return this.redactor(s);
  };

  /**
   * Compiles selected models and tests, writing formatted SQL to `target/compiled/` and `manifest.json`
   * (see api/compile.ts).
   * @returns compiled nodes and per-node errors (a broken model doesn't stop the others)
   */
  compile(args: CompileOptions = {}): CompileResult {
    return compile(this, args);
  }

  /**
   * The relations `--defer` reads instead of this target's, for a selection (see execution/invocation/defer.ts):
   * opens the target to see which relations exist (unless `favorState`).
   * @returns unique_id → relation text from the state manifest
   * @throws WeirError `WEIR_STATE_INVALID` for unusable state; connection errors
   */
  async deferOverrides(command: RunCommand | 'compile', args: SelectionArgs & { favorState?: boolean }): Promise<Map<string, string>> {
    if (!args.state) throw new WeirError('WEIR_USAGE', '--defer needs --state DIR (the artifacts of the run whose relations to read)');
    const selected = new Set(this.select(command, args));
    const adapter = await this.openAdapter();
    try {
      const { deferredRelations } = await import('../execution/invocation/defer.js');
      return await deferredRelations({ manifest: this.manifest, renderer: this.renderer(), adapter, previous: this.previousState(args.state), selected, favorState: !!args.favorState });
    } finally {
      await adapter.close();
    }
  }

  /** The target's settings, where they are defined, and the project directory (to open an adapter). */
  targetConnection(): TargetConnection {
    return {
      target: this.files.target as { type: string } & Record<string, unknown>,
      source: { file: this.files.targetSource.file, targetName: this.files.targetName },
      projectDir: this.files.root,
    };
  }

  /**
   * Opens the target's adapter for a run, waiting up to `timeoutSeconds` while the database file is locked
   * by another process (a reader, or a DuckDB client). Polls every 250 ms.
   * @throws WeirError `WEIR_DB_LOCKED` when still locked after the timeout
   */
  async openAdapterWaiting(timeoutSeconds: number, reporter?: Reporter): Promise<Adapter> {
    const { openAdapterWaiting } = await import('../execution/invocation/adapter.js');
    return openAdapterWaiting(() => this.openAdapter(), timeoutSeconds, reporter);
  }

  /** Opens the target's adapter. Callers must `close()` it. */
  async openAdapter(): Promise<Adapter> {
    const { openAdapter } = await import('../execution/invocation/adapter.js');
    return openAdapter(this.targetConnection());
  }

  /**
   * Opens the adapter for reading: when the database is locked by a writing process and the engine
   * publishes read copies (DuckDB), opens the last published copy instead and tells `options.onReadCopy`.
   * @throws WeirError `WEIR_DB_LOCKED` when locked and no copy was published
   */
  async openReadAdapter(options: ReadOptions = {}): Promise<Adapter> {
    const { openReadAdapter } = await import('../execution/invocation/adapter.js');
    return openReadAdapter(this.targetConnection(), options);
  }

  /**
   * Executes seeds, models and/or tests: one invocation (run lock, adapter, hooks, nodes, artifacts, read
   * copy; see api/execute.ts and execution/invocation/).
   * @throws WeirError only for problems before any node runs (bad selector, database locked); node
   *   failures are results, not exceptions
   */
  execute(command: RunCommand, args: RunArgs = {}): Promise<RunSummary> {
    return executeCommand(this, command, args);
  }

  /** `weir seed` */
  seed(args: RunArgs = {}): Promise<RunSummary> {
    return this.execute('seed', args);
  }
  /** `weir run` */
  run(args: RunArgs = {}): Promise<RunSummary> {
    return this.execute('run', args);
  }
  /** `weir test` */
  test(args: RunArgs = {}): Promise<RunSummary> {
    return this.execute('test', args);
  }
  /** `weir snapshot`: runs the snapshots (SCD type 2) in DAG order. */
  snapshot(args: RunArgs = {}): Promise<RunSummary> {
    return this.execute('snapshot', args);
  }
  /** `weir build` */
  build(args: RunArgs = {}): Promise<RunSummary> {
    return this.execute('build', args);
  }

  /**
   * Runs SQL against the target and returns the rows (at most `limit` when given). The SQL is a template:
   * `{{ref "m"}}`, `{{source "s" "t"}}`, `{{var ...}}` render as in a model before it runs.
   * @throws WeirError template errors (`WEIR_TEMPLATE_RENDER`: unknown ref, ...); `WEIR_SQL_ERROR` with the engine's message, naming the target and its profile entry;
   *   connection failures keep the adapter's code and name the target too (see api/query-errors.ts)
   */
  query(sql: string, limit?: number, options: QueryOptions = {}): Promise<QueryResult> {
    return query(this, sql, limit, options);
  }

  /**
   * Previews a model: its built relation if it exists, else its compiled SQL.
   * @throws WeirError `WEIR_NODE_NOT_FOUND` naming the closest model
   */
  show(name: string, limit = 10, options: QueryOptions = {}): Promise<QueryResult> {
    return show(this, name, limit, options);
  }

  /**
   * `weir docs generate`: compiles every node (writing manifest.json), reads the catalog of built relations
   * through the adapter, computes column lineage from SQL compiled for DuckDB's dialect (for any target:
   * the parser is DuckDB's), and writes catalog.json, lineage.json and the site in `target/docs/`.
   * @returns what was written, plus the compile errors (a broken model has no compiled SQL or lineage)
   * @throws WeirError when the target can't be opened or the docs app isn't built
   */
  generateDocs(): Promise<GenerateDocsResult & { compileErrors: WeirError[] }> {
    return generateDocs(this);
  }

  /** Checks configuration and connection; returns facts for `weir debug`. @throws WeirError when the connection fails */
  async debug(): Promise<Record<string, unknown>> {
    const adapter = await this.openAdapter();
    try {
      const conn = await adapter.connect();
      const r = await conn.execute('select 1 as ok');
      return redactDeep({
        project: this.manifest.projectName, project_dir: this.files.root, target: this.targetInfo.name, adapter: adapter.describe(),
        connection: Number(r.rows[0][0]) === 1 ? 'OK' : 'unexpected result', nodes: this.manifest.nodes.size,
      }, this.redact);
    } finally {
      await adapter.close();
    }
  }
}
