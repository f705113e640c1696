/**
 * The library front door (SQLMesh-style context): `WeirProject.load()` parses a project once; its methods
 * do what the CLI commands do — compile, seed, run, test, build, list, show, query, debug — and report
 * progress through a {@link Reporter}. The CLI is a thin layer over this class.
 *
 * @example
 * const project = await WeirProject.load({ projectDir: '.', target: 'dev' });
 * const summary = await project.build({ select: ['+customer_rfm'], reporter: myReporter });
 * if (!summary.success) process.exitCode = 1;
 */
import path from 'node:path';
import { writeFileIfChanged } from '../utils/write-file.js';
import { BACKGROUND_WRITES_MIN, BackgroundWriter } from '../utils/background-writer.js';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Adapter, DatabaseRecovery, Dialect, QueryResult } from '../adapters/adapter.js';
import { createAdapter, dialectFor } from '../adapters/registry.js';
import { readFileSync } from 'node:fs';
import { loadProjectFiles, type LoadOptions, type ProjectFiles } from '../loader/load-project.js';
import { TemplateEnvironment, closest } from '../compiler/environment.js';
import { parseProject } from '../parser/parse-project.js';
import { Renderer, type CompiledNode, type TargetInfo } from '../compiler/render.js';
import { buildDag, type Dag } from '../graph/dag.js';
import { selectNodes, type IndirectSelection } from '../graph/selector.js';
import { evaluateYamlSelector } from '../graph/yaml-selectors.js';
import { readYamlSelectors, type YamlSelector } from '../loader/selectors-yaml.js';
import type { Manifest } from '../manifest/manifest.js';
import type { GraphNode } from '../manifest/types.js';
import { WeirErrors, WeirError } from '../errors/weir-error.js';
import { now, silentReporter, type NodeStatus, type Reporter, type WeirEvent } from '../events/events.js';
import { manifestArtifact, WEIR_VERSION, writeJsonAtomic, type ArtifactMetadata, type CompiledFacts, type RunResultEntry, type UdfFacts } from '../artifacts/artifacts.js';
import { dbtRunResults } from '../artifacts/dbt/run-results-v6.js';
import { compiledPathOf } from '../manifest/manifest.js';
import { createRedactor, redactDeep, type Redactor } from '../utils/redact.js';
import { loadUdfs, signatureOf, type LoadedUdf } from '../udfs/registry.js';
import { resolveUdfVersion } from '../udfs/define.js';
import { importProjectModule } from '../udfs/module-loader.js';
import { STANDARD_LIBRARY } from '../stdlib/index.js';
import { loadPreviousState, readSourcesArtifact, type PreviousState } from '../artifacts/previous-state.js';
import { SelectorState } from '../graph/state.js';
import { recordedVars } from './retry.js';
import { TEST_HISTORY_TABLE } from '../artifacts/test-history.js';
import { parseUtcDate } from '../utils/utc-date.js';
import type { GenerateDocsResult } from '../docs/generate.js';
import type { CatalogRequest } from '../docs/catalog.js';
import type { LineageInput } from '../lineage/lineage.js';
import { queryConnectionError, querySqlError, type QueryTarget } from './query-errors.js';

/** Commands that execute nodes. */
export type RunCommand = 'seed' | 'run' | 'test' | 'build' | 'snapshot';

/** Selection flags shared by commands. */
export interface SelectionArgs {
  readonly select?: readonly string[];
  readonly exclude?: readonly string[];
  /**
   * Directory with an earlier run's manifest.json (and run_results.json), for `state:` / `result:`
   * selectors and `defer` (absolute, or relative to the project directory).
   */
  readonly state?: string;
  /** A selector of selectors.yml (`--selector`); not combined with `select`. */
  readonly selector?: string;
  /** dbt's `--indirect-selection` (default `eager`). */
  readonly indirectSelection?: IndirectSelection;
}

/** Options of {@link WeirProject.execute} and the seed/run/test/build shortcuts. */
export interface RunArgs extends SelectionArgs {
  readonly threads?: number;
  /** Send OpenLineage RunEvents per node (HTTP and/or file transport; see api/openlineage.ts). */
  readonly openLineage?: import('./openlineage.js').OpenLineageOptions;
  readonly failFast?: boolean;
  readonly fullRefresh?: boolean;
  /**
   * Microbatch backfill window (`--event-time-start` / `--event-time-end`): a date or timestamp, UTC
   * (`2024-01-01`, `2024-01-01T06:00:00`).
   */
  readonly eventTimeStart?: string | Date;
  readonly eventTimeEnd?: string | Date;
  readonly reporter?: Reporter;
  /** With `state`: refs to unselected nodes missing from this target read the state manifest's relations. */
  readonly defer?: boolean;
  /** With `defer`: read unselected nodes from the state's relations even when this target has them. */
  readonly favorState?: boolean;
  /** Run exactly these unique_ids (no selector evaluation; `weir retry`). */
  readonly only?: readonly string[];
  /** Seconds to wait for another run holding the target directory's run lock (default 0: fail at once). */
  readonly lockTimeout?: number;
  /**
   * `build` only, default true: write-audit-publish — a `table`/`incremental` model is published only after
   * its error-severity data tests pass on the staged relation (`--no-audit`: false).
   */
  readonly audit?: boolean;
  /**
   * `--empty` (run/build/test/seed): a zero-row build — refs and sources read as empty relations, seeds
   * create empty tables, existing snapshots are kept — so column, type, contract and SQL errors surface on
   * the engine at almost no cost (dbt's `--empty`).
   */
  readonly empty?: boolean;
  /**
   * `--reuse` (default: `reuse:` in project.yaml, else false): seeds and models whose SQL, config and
   * input data fingerprints are unchanged since their last successful build on this target are not
   * rebuilt (status `reused`). Off with `empty` and `fullRefresh`.
   */
  readonly reuse?: boolean;
  /**
   * Cancels the run when aborted (the CLI aborts it on SIGINT/SIGTERM with the signal's name as reason):
   * in-flight queries are cancelled, no node starts, unfinished nodes are `cancelled` (status `error`, code
   * `WEIR_CANCELLED`), run_results.json is written and the lock released; `exitCode` is then 130
   * (SIGINT) or 143 (SIGTERM).
   */
  readonly signal?: AbortSignal;
  /**
   * `test`/`build`: append each data test's result to `weir_test_history` in the target (default:
   * `test_history:` in project.yaml, else true; `--no-test-history`: false).
   */
  readonly testHistory?: boolean;
}

/** Outcome of a run. `elapsed` in seconds. */
export interface RunSummary {
  readonly command: RunCommand;
  readonly success: boolean;
  readonly results: readonly RunResultEntry[];
  readonly counts: Readonly<Record<NodeStatus, number>>;
  readonly elapsed: number;
  /** 0 when every node succeeded (warnings allowed), 1 otherwise; 130/143 when cancelled by SIGINT/SIGTERM. */
  readonly exitCode: 0 | 1 | 130 | 143;
}

/** Options of reads (`query`, `show`). */
export interface ReadOptions {
  /** Called when the database is locked by a run and the last published read copy is read instead. */
  readonly onReadCopy?: (copy: { readonly path: string; readonly publishedAt: Date }) => void;
  /** Told (with the warning text) when the database file was corrupt and restored from its read copy. */
  readonly onRecovered?: (message: string) => void;
}

/** Options of {@link WeirProject.query} and {@link WeirProject.show}. */
export interface QueryOptions extends ReadOptions {
  /**
   * Read the result for printing: `text` — every value as the engine prints it (DuckDB: its cast to
   * VARCHAR); `json` — one JSON type per column, exact digits (see adapters/duckdb/display.ts). Absent:
   * JS values (bigint for 64-bit integers, Date for timestamps).
   */
  readonly display?: 'text' | 'json';
}

/** Options of {@link WeirProject.load}. */
export interface ProjectLoadOptions extends LoadOptions {
  /** Receives parse-phase warnings. */
  readonly reporter?: Reporter;
}

const RESOURCE_TYPES: Record<RunCommand | 'compile', GraphNode['resource_type'][]> = {
  seed: ['seed'],
  run: ['model'],
  test: ['test'],
  build: ['seed', 'model', 'snapshot', 'test'],
  snapshot: ['snapshot'],
  compile: ['model', 'snapshot', 'test'],
};

/**
 * Parses `--event-time-start` / `--event-time-end`.
 * @throws WeirError `WEIR_USAGE` for a value that is not a date, or an end not after the start
 */
function eventTimeWindow(args: RunArgs): { eventTimeStart?: Date; eventTimeEnd?: Date } {
  const parse = (v: string | Date | undefined, flag: string) => {
    if (v === undefined) return undefined;
    const d = parseUtcDate(v);
    if (!d) throw new WeirError('WEIR_USAGE', `${flag} '${String(v)}' is not a date`, { hint: `Give a UTC date or timestamp, e.g. ${flag} 2024-01-01 or ${flag} 2024-01-01T06:00:00.` });
    return d;
  };
  const eventTimeStart = parse(args.eventTimeStart, '--event-time-start');
  const eventTimeEnd = parse(args.eventTimeEnd, '--event-time-end');
  if (eventTimeStart && eventTimeEnd && eventTimeEnd <= eventTimeStart) {
    throw new WeirError('WEIR_USAGE', `--event-time-end (${eventTimeEnd.toISOString()}) must be after --event-time-start (${eventTimeStart.toISOString()})`);
  }
  return { eventTimeStart, eventTimeEnd };
}

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
    readonly files: ProjectFiles,
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
   * @throws WeirError / WeirErrors for invalid project files, templates, refs, cycles (all collected)
   */
  static async load(options: ProjectLoadOptions = {}): Promise<WeirProject> {
    const files = loadProjectFiles({ standardLibrary: STANDARD_LIBRARY, ...options });
    const processEnv = options.env ?? process.env;
    const src = {
      file: files.targetSource.file,
      targetName: files.targetName,
      locate: (p: (string | number)[]) => files.targetSource.locate(p),
    };
    const dialect = await dialectFor(files.target.type, src);
    const helperModules = await loadHelperModules(files);
    const env = new TemplateEnvironment(files.macros.filter((m) => m.kind === 'partial'), helperModules);
    let manifest: Manifest;
    try {
      manifest = parseProject(files, env, files.target.type);
    } catch (e) {
      files.parseCache?.save(false);
      throw e;
    }
    files.parseCache?.save();
    const dag = buildDag(manifest);
    const t = files.target as Record<string, unknown>;
    const targetInfo: TargetInfo = {
      name: files.targetName,
      type: files.target.type,
      schema: String(t.schema ?? (files.target.type === 'duckdb' ? 'main' : 'public')),
      database: (t.database ?? t.catalog) === undefined ? undefined : String(t.database ?? t.catalog), // Trino names it `catalog`
      threads: Number(t.threads ?? 4),
    };
    const overrides: WeirError[] = [];
    const udfs = await loadUdfs(files.udfModules, files.root, {
      cacheDir: moduleCacheDir(files), stdlibName: STANDARD_LIBRARY.name,
      onOverride: (kept, hidden) => overrides.push(new WeirError('WEIR_UDF_INVALID', `UDF '${kept.definition.name}' of ${kept.module} hides ${hidden.module}`, {
        location: { file: kept.module }, hint: `Rename it to use ${hidden.origin}'s ${kept.definition.name} instead.`,
      })),
    });
    const project = new WeirProject(files, manifest, dag, env, dialect, targetInfo, processEnv, udfs);
    project.cliVars = options.vars ?? {};
    project.checkRelationClashes();
    for (const w of [...files.warnings, ...overrides]) options.reporter?.emit({ code: 'WEIR_WARNING', ts: now(), level: 'warn', message: w.format(), error_code: w.code, file: w.location?.file });
    return project;
  }

  /** Absolute target directory (`target-path`). */
  get targetDir(): string {
    return path.resolve(this.files.root, this.files.config['target-path']);
  }

  /** A renderer for this target (one per command). */
  renderer(relationOverrides?: ReadonlyMap<string, string>, emptyInputs = false): Renderer {
    return new Renderer({ manifest: this.manifest, env: this.env, dialect: this.dialect, target: this.targetInfo, vars: this.files.vars, processEnv: this.processEnv, secrets: this.secrets, relationOverrides, emptyInputs });
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
   * Selected unique_ids for a command, in manifest order.
   * @throws WeirError `WEIR_SELECTOR_INVALID`; `WEIR_STATE_INVALID` for `state:`/`result:` without usable state
   */
  select(command: RunCommand | 'compile' | 'ls', args: SelectionArgs & { resourceTypes?: GraphNode['resource_type'][] } = {}): string[] {
    const types = args.resourceTypes ?? (command === 'ls' ? ['seed', 'model', 'snapshot', 'source', 'test'] : RESOURCE_TYPES[command]);
    const sourcesFile = path.join(this.targetDir, 'sources.json');
    const state = args.state
      ? new SelectorState(this.previousState(args.state), this.manifest, { sources: () => readSourcesArtifact(sourcesFile), sourcesFile: path.relative(this.files.root, sourcesFile) })
      : undefined;
    if (args.selector && args.select?.length) {
      throw new WeirError('WEIR_USAGE', '--selector and --select can\'t be combined', { hint: 'Put the extra nodes into the selector in selectors.yml, or use --select alone.' });
    }
    const selectors = this.yamlSelectors();
    const fallback = !args.selector && !args.select?.length && !args.exclude?.length ? [...selectors.values()].find((s) => s.default)?.name : undefined;
    const name = args.selector ?? fallback;
    const preselected = name ? evaluateYamlSelector(name, selectors, this.manifest, this.dag, state) : undefined;
    return selectNodes(this.manifest, this.dag, {
      select: args.select, exclude: args.exclude, resourceTypes: types, indirectTests: true, state, preselected, indirectSelection: args.indirectSelection,
    });
  }

  /** selectors.yml of the project (read once; empty without the file). @throws WeirErrors `WEIR_SELECTOR_INVALID` */
  yamlSelectors(): ReadonlyMap<string, YamlSelector> {
    this.selectorsCache ??= readYamlSelectors(this.files.root);
    return this.selectorsCache;
  }

  private selectorsCache?: ReadonlyMap<string, YamlSelector>;

  private metadata(): ArtifactMetadata {
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
      const ephemeral = node.resource_type === 'model' && node.config.materialized === 'ephemeral';
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

  /** The project's UDFs as the manifest's `functions` describe them, by name. */
  udfManifest(): UdfFacts[] {
    return [...this.udfs].sort((a, b) => (a.definition.name < b.definition.name ? -1 : 1)).map((u) => {
      const d = u.definition;
      let source: string | undefined;
      try {
        source = readFileSync(path.join(this.files.root, u.module), 'utf8');
      } catch {
        source = undefined; // checksum from the signature
      }
      return {
        name: d.name, kind: d.kind, path: u.module, export_name: u.exportName, signature: signatureOf(d),
        args: d.args.map((a) => ({ name: a.name, type: a.type, optional: a.optional })), returns: d.returns, deterministic: d.deterministic !== false,
        version: resolveUdfVersion(d, { projectDir: this.files.root, targetDir: this.targetDir, vars: this.files.vars, env: this.processEnv }),
        description: d.description, portable: d.kind === 'scalar' ? !!d.portable : false, source,
      };
    });
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
      const builds = node.resource_type === 'seed' || node.resource_type === 'snapshot' || (node.resource_type === 'model' && node.config.materialized !== 'ephemeral');
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
   * Compiles selected models and tests, writing formatted SQL to `target/compiled/` and `manifest.json`.
   * @returns compiled nodes and per-node errors (a broken model doesn't stop the others)
   */
  compile(args: SelectionArgs & { format?: boolean; relationOverrides?: ReadonlyMap<string, string> } = {}): { compiled: Map<string, CompiledNode & { compiled_path?: string }>; errors: WeirError[] } {
    const renderer = this.renderer(args.relationOverrides);
    const uids = this.select('compile', args);
    // Many files: they are written on a worker thread while this one builds manifest.json (utils/background-writer.ts).
    const writer = uids.length >= BACKGROUND_WRITES_MIN ? BackgroundWriter.start() : undefined;
    try {
      const { compiled, errors } = renderer.renderAll(uids);
      const facts = new Map<string, CompiledFacts>();
      const out = new Map<string, CompiledNode & { compiled_path?: string }>();
      for (const [uid, c] of compiled) {
        const node = this.manifest.nodes.get(uid)!;
        if (c.compiled_code === undefined) continue;
        const code = args.format === false ? c.compiled_code : formatCompiled(c.compiled_code, this.dialect);
        const rel = compiledPathOf(this.manifest, node);
        const abs = path.join(this.targetDir, rel);
        if (writer) writer.write(abs, `${this.redact(code)}\n`);
        else writeFileIfChanged(abs, `${this.redact(code)}\n`);
        facts.set(uid, { compiled_code: code, relation_name: c.relation_name, compiled_path: rel });
        out.set(uid, { ...c, compiled_code: code, compiled_path: rel });
      }
      // The compiled files land before manifest.json, as when written here (a failed write stops both).
      this.writeManifest(facts, writer && (() => writer.finish()));
      return { compiled: out, errors };
    } catch (e) {
      writer?.finish(); // what was queued lands, and a write error comes first, as when the files were written here
      throw e;
    }
  }

  /**
   * The relations `--defer` reads instead of this target's, for a selection (see execution/defer.ts):
   * opens the target to see which relations exist (unless `favorState`).
   * @returns unique_id → relation text from the state manifest
   * @throws WeirError `WEIR_STATE_INVALID` for unusable state; connection errors
   */
  async deferOverrides(command: RunCommand | 'compile', args: SelectionArgs & { favorState?: boolean }): Promise<Map<string, string>> {
    if (!args.state) throw new WeirError('WEIR_USAGE', '--defer needs --state DIR (the artifacts of the run whose relations to read)');
    const selected = new Set(this.select(command, args));
    const adapter = await this.openAdapter();
    try {
      const { deferredRelations } = await import('../execution/defer.js');
      return await deferredRelations({ manifest: this.manifest, renderer: this.renderer(), adapter, previous: this.previousState(args.state), selected, favorState: !!args.favorState });
    } finally {
      await adapter.close();
    }
  }

  /**
   * Opens the target's adapter for a run, waiting up to `timeoutSeconds` while the database file is locked
   * by another process (a reader, or a DuckDB client): `--lock-timeout` covers this lock as well as the run
   * lock. Polls every 250 ms.
   * @throws WeirError `WEIR_DB_LOCKED` when still locked after the timeout
   */
  async openAdapterWaiting(timeoutSeconds: number, reporter?: Reporter): Promise<Adapter> {
    const end = Date.now() + timeoutSeconds * 1000;
    let told = false;
    for (;;) {
      try {
        return await this.openAdapter();
      } catch (e) {
        if (!(e instanceof WeirError && e.code === 'WEIR_DB_LOCKED') || Date.now() >= end) throw e;
        if (!told) reporter?.emit({ code: 'WEIR_MESSAGE', ts: now(), level: 'info', message: `${e.message}: waiting up to ${Math.ceil((end - Date.now()) / 1000)} s (--lock-timeout)` });
        told = true;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  /** Opens the target's adapter. Callers must `close()` it. */
  async openAdapter(): Promise<Adapter> {
    const src = { file: this.files.targetSource.file, targetName: this.files.targetName };
    const adapter = await createAdapter(this.files.target as { type: string } & Record<string, unknown>, src, this.files.root);
    await adapter.open();
    return adapter;
  }

  /**
   * Executes seeds, models and/or tests.
   * @throws WeirError only for problems before any node runs (bad selector, database locked); node
   *   failures are results, not exceptions
   */
  async execute(command: RunCommand, args: RunArgs = {}): Promise<RunSummary> {
    const outer = redactingReporter(args.reporter ?? silentReporter, this.redact);
    const eventTime = eventTimeWindow(args);
    if (args.defer && !args.state) throw new WeirError('WEIR_USAGE', '--defer needs --state DIR (the artifacts of the run whose relations to read)');
    const selected = args.only
      ? args.only.filter((u) => RESOURCE_TYPES[command].includes(this.manifest.nodes.get(u)?.resource_type as GraphNode['resource_type']))
      : this.select(command, args);
    if (selected.length === 0 && (args.select?.length || args.exclude?.length)) {
      outer.emit({
        code: 'WEIR_WARNING', ts: now(), level: 'warn',
        message: `nothing to ${command}: --select ${(args.select ?? []).join(' ') || '(all)'}${args.exclude?.length ? ` --exclude ${args.exclude.join(' ')}` : ''} matches no ${RESOURCE_TYPES[command].join('/')} node${suggestion(args.select ?? [], this.manifest.refIndex.keys())} (list nodes with \`weir ls\`)`,
      });
    }
    // OpenLineage: RunEvents per node while the run goes (api/openlineage.ts).
    const lineage = args.openLineage && (args.openLineage.url || args.openLineage.file)
      ? await (await import('./openlineage.js')).openLineageEmitter(this, selected, args.openLineage, outer)
      : undefined;
    const reporter: Reporter = lineage ? { emit: (e) => { outer.emit(e); lineage.emit(e); }, close: () => outer.close?.() } : outer;
    let renderer = this.renderer(undefined, !!args.empty);
    const start = performance.now();
    const runStartedAt = new Date().toISOString();
    const threads = args.threads ?? this.targetInfo.threads;
    // Execution is imported on demand: compile, ls and docs never load it (start-up cost).
    const { runLockCommand, takeRunLock } = await import('../execution/run-lock.js');
    const { deferredRelations } = await import('../execution/defer.js');
    const { runWithProjectHooks } = await import('../execution/hooks.js');
    const lock = await takeRunLock(this.targetDir, runLockCommand(command, args), args.lockTimeout, reporter);
    const adapter = await this.openAdapterWaiting(args.lockTimeout ?? 0, reporter).catch((e: unknown) => {
      lock.release();
      throw e;
    });
    if (adapter.recovery) reporter.emit(recoveryWarning(adapter.recovery));
    try {
      if (args.defer && args.state) {
        const overrides = await deferredRelations({
          manifest: this.manifest, renderer, adapter, previous: this.previousState(args.state), selected: new Set(selected), favorState: !!args.favorState,
        });
        renderer = this.renderer(overrides, !!args.empty);
      }
    } catch (e) {
      await adapter.close();
      lock.release();
      throw e;
    }
    let results: RunResultEntry[] = [];
    const counts: Record<NodeStatus, number> = { success: 0, error: 0, skipped: 0, pass: 0, fail: 0, warn: 0, reused: 0 };
    const recordedArgs = {
      which: command, select: args.select ?? [], exclude: args.exclude ?? [], selector: args.selector, indirect_selection: args.indirectSelection, threads, fail_fast: !!args.failFast, full_refresh: !!args.fullRefresh,
      ...(command === 'build' ? { audit: args.audit !== false } : {}), ...(args.empty ? { empty: true } : {}), ...(args.reuse !== undefined ? { reuse: args.reuse } : {}),
      target: this.targetInfo.name, vars: recordedVars(this.cliVars), state: args.state, defer: !!args.defer, favor_state: !!args.favorState,
      event_time_start: eventTime.eventTimeStart?.toISOString(), event_time_end: eventTime.eventTimeEnd?.toISOString(),
    };
    const { startRunJournal, journalNode, endRunJournal } = await import('../artifacts/run-journal.js');
    let published = true;
    try {
      const executable = selected.filter((u) => {
        const n = this.manifest.nodes.get(u)!;
        return !(n.resource_type === 'model' && n.config.materialized === 'ephemeral');
      });
      // A run killed before it writes run_results.json leaves this journal for `weir retry` (run-journal.ts).
      startRunJournal(this.targetDir, { invocation_id: this.metadata().invocation_id, args: redactDeep(recordedArgs, this.redact), nodes: executable });
      reporter.emit({ code: 'WEIR_RUN_START', ts: now(), level: 'info', command, target: this.targetInfo.name, adapter_type: this.targetInfo.type, node_count: executable.length + (this.files.config['on-run-start'] ?? []).length + (this.files.config['on-run-end'] ?? []).length, threads });
      try {
        const journaled: Reporter = {
          emit: (e) => {
            if (e.code === 'WEIR_NODE_FINISH') journalNode(this.targetDir, e.node_id, e.status);
            reporter.emit(e);
          },
          close: () => reporter.close?.(),
        };
        const ctx = {
          command, manifest: this.manifest, dag: this.dag, renderer, adapter, reporter: journaled, targetDir: this.targetDir, signal: args.signal,
          threads, failFast: !!args.failFast, redact: this.redact,
          udfs: this.udfs, batchContext: { projectDir: this.files.root, targetDir: this.targetDir, vars: this.files.vars, env: this.processEnv },
          fullRefresh: !!args.fullRefresh, ...eventTime, audit: args.audit !== false, empty: !!args.empty,
          reuse: (args.reuse ?? this.files.config.reuse ?? false) && !args.empty && !args.fullRefresh,
        };
        // on-run-start / on-run-end from project.yaml around the nodes (see execution/hooks.ts).
        const hooks = { start: this.files.config['on-run-start'] ?? [], end: this.files.config['on-run-end'] ?? [], file: this.files.configFile };
        const { executeRun } = await import('../execution/run.js');
        results = await runWithProjectHooks({ ...ctx, hooks, selected, testsBlockChildren: command === 'build' }, () => executeRun(ctx, selected, command === 'build'));
        // Test history (opt out: test_history: false / --no-test-history; --empty runs aren't history).
        if ((command === 'test' || command === 'build') && !args.empty && (args.testHistory ?? this.files.config.test_history ?? true)) {
          try {
            const { recordTestHistory } = await import('../execution/tests/test-history.js');
            await recordTestHistory(adapter, renderer, this.manifest, results, { invocationId: this.invocationId, startedAt: runStartedAt, command });
          } catch (e) {
            reporter.emit({ code: 'WEIR_WARNING', ts: now(), level: 'warn', message: `test history not recorded in ${TEST_HISTORY_TABLE}: ${e instanceof Error ? e.message : String(e)}` });
          }
        }
      } finally {
        for (const r of results) counts[r.status]++;
        const elapsed = (performance.now() - start) / 1000;
        const success = counts.error === 0 && counts.fail === 0;
        const facts = new Map<string, CompiledFacts>();
        for (const r of results) facts.set(r.unique_id, { relation_name: r.relation_name, compiled_path: r.compiled_path });
        for (const uid of selected) {
          try {
            const c = renderer.render(uid);
            facts.set(uid, { ...facts.get(uid), compiled_code: c.compiled_code, relation_name: c.relation_name });
          } catch {
            /* reported as a node error */
          }
        }
        this.writeManifest(facts);
        const artifact = dbtRunResults(this.metadata(), results, elapsed, { ...recordedArgs, ...(args.signal?.aborted ? { cancelled_by: String(args.signal.reason) } : {}) });
        writeJsonAtomic(path.join(this.targetDir, 'run_results.json'), redactDeep(artifact, this.redact));
        endRunJournal(this.targetDir);
        published = await publishReadCopy(adapter, reporter);
        if (lineage) {
          await lineage.drain();
          const c = lineage.counts;
          outer.emit({ code: 'WEIR_MESSAGE', ts: now(), level: 'info', message: `OpenLineage: sent ${c.START + c.COMPLETE + c.FAIL} events (${c.START} START, ${c.COMPLETE} COMPLETE, ${c.FAIL} FAIL)` });
        }
        reporter.emit({ code: 'WEIR_RUN_END', ts: now(), level: success && published ? 'info' : 'error', elapsed, counts, success: success && published });
      }
    } finally {
      await adapter.close();
      lock.release();
      reporter.close?.();
    }
    const success = counts.error === 0 && counts.fail === 0;
    const cancelled = args.signal?.aborted ? (String(args.signal.reason) === 'SIGINT' ? 130 : 143) : undefined;
    return { command, success: success && !cancelled && published, results, counts, elapsed: (performance.now() - start) / 1000, exitCode: cancelled ?? (success && published ? 0 : 1) };
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
  async query(sql: string, limit?: number, options: QueryOptions = {}): Promise<QueryResult> {
    // {{ref}}, {{source}}, {{var}}... render as in a model (hooks' rules: any model, seed or source by name).
    return this.runQuery(sql.includes('{{') ? this.renderer().renderText(sql, { file: '<query>' }) : sql, limit, options);
  }

  /** Runs SQL text as is (already rendered) for {@link query} and {@link show}. */
  private async runQuery(sql: string, limit: number | undefined, options: QueryOptions): Promise<QueryResult> {
    const target = this.queryTarget();
    let readCopy: { path: string } | undefined;
    const adapter = await this.openReadAdapter({ ...options, onReadCopy: (c) => { readCopy = c; options.onReadCopy?.(c); } })
      .catch((e: unknown) => { throw queryConnectionError(e, target, this.redact); });
    try {
      // Scalar UDFs are callable from ad-hoc queries too (batch UDFs only run inside a build).
      const { registerUdfs } = await import('../execution/run.js');
      const udfs = await registerUdfs(adapter, this.udfs.filter((u) => u.definition.kind === 'scalar'), {
        projectDir: this.files.root, targetDir: this.targetDir, vars: this.files.vars, env: this.processEnv,
      });
      const conn = await adapter.connect().catch((e: unknown) => { throw queryConnectionError(e, target, this.redact); });
      let text = limit === undefined ? sql : `select * from (\n${sql.trim().replace(/;\s*$/, '')}\n) as weir_query limit ${Math.max(0, Math.floor(limit))}`;
      // UDFs the engine can't call (Trino) are evaluated client-side and the query rewritten to read them.
      const prepared = udfs?.client ? await udfs.client.prepare(adapter, conn, { unique_id: 'query', name: 'query', resource_type: 'query', path: '<query>', config: {} }, text) : undefined;
      if (prepared) text = prepared.sql;
      try {
        // Printed results: the engine's own text (or typed JSON) where the adapter offers it.
        if (options.display && conn.display && !prepared) return await conn.display(text, options.display);
        return await conn.execute(text);
      } catch (e) {
        throw querySqlError(e, target, this.redact, readCopy);
      } finally {
        await prepared?.cleanup(conn);
      }
    } finally {
      await adapter.close();
    }
  }

  /** The target ad-hoc reads run against, for their error messages (see api/query-errors.ts). */
  private queryTarget(): QueryTarget {
    return { ...this.targetInfo, configFile: this.files.configFile };
  }

  /**
   * Previews a model: its built relation if it exists, else its compiled SQL.
   * @throws WeirError `WEIR_NODE_NOT_FOUND` naming the closest model
   */
  async show(name: string, limit = 10, options: QueryOptions = {}): Promise<QueryResult> {
    const uid = this.manifest.refIndex.get(name) ?? this.manifest.sourceIndex.get(name);
    if (!uid) {
      const s = [...this.manifest.refIndex.keys()].sort((a, b) => a.localeCompare(b)).find((k) => k.includes(name));
      throw new WeirError('WEIR_NODE_NOT_FOUND', `no model, seed or source named '${name}'`, { hint: s ? `Did you mean '${s}'?` : 'List nodes with `weir ls`.' });
    }
    const renderer = this.renderer();
    const c = renderer.render(uid);
    const node = this.manifest.nodes.get(uid)!;
    let sql = `select * from ${c.relation_name ?? renderer.relationName(node)}`;
    if (node.resource_type === 'model' && (node.config.materialized === 'ephemeral' || !(await this.relationExists(node, options)))) sql = c.compiled_code!;
    return this.runQuery(sql, limit, options);
  }

  /**
   * Opens the adapter for reading: when the database is locked by a writing process and the engine
   * publishes read copies (DuckDB), opens the last published copy instead and tells `options.onReadCopy`.
   * @throws WeirError `WEIR_DB_LOCKED` when locked and no copy was published
   */
  async openReadAdapter(options: ReadOptions = {}): Promise<Adapter> {
    const src = { file: this.files.targetSource.file, targetName: this.files.targetName };
    const adapter = await createAdapter(this.files.target as { type: string } & Record<string, unknown>, src, this.files.root);
    // A current read copy is the same data: read it and leave the database file (and its lock) to writers.
    if (adapter.readCopyIsCurrent?.() && adapter.openReadCopy) {
      try {
        if (await adapter.openReadCopy()) return adapter;
      } catch {
        /* an unreadable copy: fall back to the database below */
      }
    }
    try {
      await adapter.open();
      if (adapter.recovery) options.onRecovered?.(recoveryWarning(adapter.recovery).message);
    } catch (e) {
      if (e instanceof WeirError && (e.code === 'WEIR_DB_LOCKED' || e.code === 'WEIR_DB_CORRUPT') && adapter.openReadCopy) {
        const copy = await adapter.openReadCopy();
        if (copy) {
          options.onReadCopy?.(copy);
          return adapter;
        }
      }
      throw e;
    }
    return adapter;
  }

  /** Whether a node's relation exists in the target (opens and closes the adapter). */
  private async relationExists(node: GraphNode, options: ReadOptions = {}): Promise<boolean> {
    const relation = this.renderer().relationOf(node);
    if (!relation) return false;
    const adapter = await this.openReadAdapter({ ...options, onReadCopy: undefined })
      .catch((e: unknown) => { throw queryConnectionError(e, this.queryTarget(), this.redact); });
    try {
      return (await adapter.relationKind(await adapter.connect(), relation)) !== undefined;
    } finally {
      await adapter.close();
    }
  }

  /**
   * `weir docs generate`: compiles every node (writing manifest.json), reads the catalog of built relations
   * through the adapter, computes column lineage from SQL compiled for DuckDB's dialect (for any target:
   * the parser is DuckDB's), and writes catalog.json, lineage.json and the site in `target/docs/`.
   * @returns what was written, plus the compile errors (a broken model has no compiled SQL or lineage)
   * @throws WeirError when the target can't be opened or the docs app isn't built
   */
  async generateDocs(): Promise<GenerateDocsResult & { compileErrors: WeirError[] }> {
    const { errors } = this.compile();
    const renderer = this.renderer();
    const duckRenderer = await this.duckdbRenderer();
    const { snapshotDerivedColumns } = await import('../execution/materializations/snapshot-lineage.js');
    const catalogRequests: CatalogRequest[] = [];
    const lineageInputs: LineageInput[] = [];
    for (const node of this.manifest.nodes.values()) {
      if (node.resource_type === 'test') continue;
      const ephemeral = node.config.materialized === 'ephemeral';
      const relation = ephemeral ? undefined : renderer.relationOf(node);
      if (relation) catalogRequests.push({ unique_id: node.unique_id, resource_type: node.resource_type, relation });
      let compiled_code: string | undefined;
      if ('raw_code' in node) {
        try {
          compiled_code = duckRenderer.render(node.unique_id).compiled_code;
        } catch {
          /* a compile error, reported by compile() */
        }
      }
      lineageInputs.push({
        unique_id: node.unique_id, resource_type: node.resource_type, relation, compiled_code: compiled_code === undefined ? undefined : this.redact(compiled_code),
        // A snapshot's weir_* columns are derived by its strategy, not selected by its query.
        derivedColumns: node.resource_type === 'snapshot' ? snapshotDerivedColumns(node.snapshot) : undefined,
      });
    }
    // Loaded on demand: docs bring DuckDB's SQL parser (column lineage) and the graph layout, which compiling doesn't need.
    const { generateDocs } = await import('../docs/generate.js');
    const result = await generateDocs({
      targetDir: this.targetDir, metadata: this.metadata(), catalogRequests, lineageInputs,
      // The catalog is read like a query reads: from a current read copy, so a scheduled run is not held out.
      openAdapter: () => this.openReadAdapter(), defaultSchema: this.targetInfo.schema,
      testHistory: { database: renderer.target.database, schema: renderer.target.schema, identifier: TEST_HISTORY_TABLE },
    });
    return { ...result, compileErrors: errors };
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

/** `; did you mean 'x'?` for a plain-name selector close to a node name, else ''. */
function suggestion(selectors: readonly string[], names: Iterable<string>): string {
  const plain = selectors.flatMap((s) => s.split(/\s+/)).map((t) => t.replace(/^@|^\d*\+|\+\d*$/g, '')).filter((t) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(t));
  const list = [...names];
  for (const t of plain) {
    const c = closest(t, list);
    if (c && c !== t) return `; did you mean '${c}'?`;
  }
  return '';
}

/** The warning event for a database file restored from its read copy (see `Adapter.recovery`). */
function recoveryWarning(r: DatabaseRecovery): WeirEvent & { message: string } {
  return {
    code: 'WEIR_WARNING', ts: now(), level: 'warn', error_code: 'WEIR_DB_RESTORED',
    message: r.corruptFile
      ? `the database file was corrupt (${r.reason.split('\n')[0]}); restored the read copy published at ${r.publishedAt.toISOString()} (the end of the last completed run: later changes are gone and this run rebuilds them); the corrupt file is kept as ${r.corruptFile}`
      : `${r.reason}; restored the read copy published at ${r.publishedAt.toISOString()} instead of starting an empty database (snapshot history kept; later changes are gone and this run rebuilds them). To start afresh on purpose, delete ${r.restoredFrom} too`,
  };
}

/** Publishes the engine's read copy after a run (DuckDB), reporting it; a failure is a warning. */
/**
 * Publishes the read copy after a run.
 * @returns false when publishing failed (disk full, permissions): reported as an error, and the run exits 1
 *   — readers would otherwise go on reading an old copy while the scheduler believes all is well
 */
async function publishReadCopy(adapter: Adapter, reporter: Reporter): Promise<boolean> {
  if (!adapter.publishReadCopy) return true;
  const t0 = performance.now();
  try {
    const copy = await adapter.publishReadCopy();
    if (copy) reporter.emit({ code: 'WEIR_READ_COPY_PUBLISHED', ts: now(), level: 'info', path: copy.path, size: copy.size, elapsed: (performance.now() - t0) / 1000 });
    return true;
  } catch (e) {
    reporter.emit({ code: 'WEIR_ERROR', ts: now(), level: 'error', message: `could not publish the read copy for readers (the warehouse itself is updated; readers keep the previous copy): ${(e as Error).message}`, error_code: 'WEIR_READ_COPY_FAILED' });
    return false;
  }
}

/** `require` for sql-formatter, loaded on the first formatted file (it costs ~0.2 s to import). */
const requireLazy = createRequire(import.meta.url);

/** Formats SQL for the target dialect; returns it unchanged if the formatter can't parse it. */
export function formatCompiled(sql: string, dialect: Dialect): string {
  try {
    return (requireLazy('sql-formatter') as typeof import('sql-formatter')).format(sql, { language: dialect.formatterLanguage, keywordCase: 'lower', tabWidth: 2 });
  } catch {
    return sql;
  }
}

/** Wraps a reporter so every string in every event is redacted. */
export function redactingReporter(inner: Reporter, redact: Redactor): Reporter {
  return {
    emit: (e: WeirEvent) => inner.emit(redactDeep(e, redact)),
    close: () => inner.close?.(),
  };
}

/** Where bundled TypeScript modules of a project go: `<target-path>/.weir/modules`. */
function moduleCacheDir(files: ProjectFiles): string {
  return path.resolve(files.root, files.config['target-path'], '.weir', 'modules');
}

async function loadHelperModules(files: ProjectFiles): Promise<{ path: string; exports: Record<string, unknown> }[]> {
  const helpers = files.macros.filter((m) => m.kind === 'helper');
  if (helpers.length === 0) return [];
  const out: { path: string; exports: Record<string, unknown> }[] = [];
  for (const m of helpers) {
    try {
      const mod = await importProjectModule(m.absolutePath, { cacheDir: moduleCacheDir(files) });
      out.push({ path: m.path, exports: mod });
    } catch (e) {
      throw new WeirError('WEIR_MACRO_INVALID', `cannot load macro module ${m.path}: ${(e as Error).message.split('\n')[0]}`, {
        location: { file: m.path }, hint: 'Fix the TypeScript error in the module; each exported function becomes a helper.', cause: e,
      });
    }
  }
  return out;
}
