/**
 * Loading a project for {@link WeirProject.load}: reads its files (with the standard library), loads its
 * TypeScript macro helpers and UDFs, parses it into a manifest and its DAG, and describes the target.
 */
import path from 'node:path';
import type { Dialect } from '../adapters/adapter.js';
import { dialectFor } from '../adapters/registry.js';
import { TemplateEnvironment } from '../compiler/environment.js';
import { loadProjectFiles, type ParseInput } from '../parser/load-files.js';
import { savePartialParse } from '../parser/partial-parse/index.js';
import { parseProject } from '../parser/parse-project.js';
import type { TargetInfo } from '../compiler/render.js';
import { WeirError } from '../errors/weir-error.js';
import { buildDag, type Dag } from '../graph/dag.js';
import type { Manifest } from '../manifest/manifest.js';
import { STANDARD_LIBRARY } from '../stdlib/index.js';
import { importProjectModule } from '../udfs/module-loader.js';
import { loadUdfs, type LoadedUdf } from '../udfs/registry.js';
import type { ProjectLoadOptions } from './options.js';

/** A parsed project's parts, before it is bound into a WeirProject. */
export interface LoadedProject {
  readonly files: ParseInput;
  readonly manifest: Manifest;
  readonly dag: Dag;
  readonly env: TemplateEnvironment;
  readonly dialect: Dialect;
  readonly targetInfo: TargetInfo;
  readonly processEnv: NodeJS.ProcessEnv;
  readonly udfs: readonly LoadedUdf[];
  /** Problems worth a warning (files' warnings, UDFs hiding others), reported once the project is built. */
  readonly warnings: readonly WeirError[];
}

/**
 * Loads and parses a project (no database connection).
 * @throws WeirError / WeirErrors for invalid project files, templates, refs, cycles (all collected)
 */
export async function loadProject(options: ProjectLoadOptions = {}): Promise<LoadedProject> {
  return loadParsed(readFiles(options), options);
}

/**
 * The first step of {@link loadProject}: reads the project's files (with the standard library).
 * @throws WeirError / WeirErrors for invalid project files
 */
export function readFiles(options: ProjectLoadOptions = {}): ParseInput {
  return loadProjectFiles({ standardLibrary: STANDARD_LIBRARY, ...options });
}

/**
 * The rest of {@link loadProject}, from the files {@link readFiles} read with the same options.
 * @throws WeirError / WeirErrors for invalid templates, refs, cycles (all collected)
 */
export async function loadParsed(files: ParseInput, options: ProjectLoadOptions = {}, preloaded?: LoadedUdfs): Promise<LoadedProject> {
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
    savePartialParse(files, false);
    throw e;
  }
  savePartialParse(files);
  const dag = buildDag(manifest);
  const t = files.target as Record<string, unknown>;
  const targetInfo: TargetInfo = {
    name: files.targetName,
    type: files.target.type,
    schema: String(t.schema ?? (files.target.type === 'duckdb' ? 'main' : 'public')),
    database: (t.database ?? t.catalog) === undefined ? undefined : String(t.database ?? t.catalog), // Trino names it `catalog`
    threads: Number(t.threads ?? 4),
  };
  const { udfs, overrides } = preloaded ?? await loadProjectUdfs(files);
  return { files, manifest, dag, env, dialect, targetInfo, processEnv, udfs, warnings: [...files.warnings, ...overrides] };
}

/** The UDFs of a project's UDF modules, and warnings about UDFs hiding others. */
export interface LoadedUdfs {
  readonly udfs: readonly LoadedUdf[];
  readonly overrides: readonly WeirError[];
}

/**
 * Loads the UDF modules {@link readFiles} found (bundling TypeScript, cached), as {@link loadParsed} does
 * after parsing; pass the result to loadParsed to load them once.
 * @throws WeirError for a module that fails to load or defines invalid UDFs
 */
export async function loadProjectUdfs(files: ParseInput): Promise<LoadedUdfs> {
  const overrides: WeirError[] = [];
  const udfs = await loadUdfs(files.udfModules, files.root, {
    cacheDir: moduleCacheDir(files), stdlibName: STANDARD_LIBRARY.name,
    onOverride: (kept, hidden) => overrides.push(new WeirError('WEIR_UDF_INVALID', `UDF '${kept.definition.name}' of ${kept.module} hides ${hidden.module}`, {
      location: { file: kept.module }, hint: `Rename it to use ${hidden.origin}'s ${kept.definition.name} instead.`,
    })),
  });
  return { udfs, overrides };
}

/** Where bundled TypeScript modules of a project go: `<target-path>/.weir/modules`. */
function moduleCacheDir(files: ParseInput): string {
  return path.resolve(files.root, files.config['target-path'], '.weir', 'modules');
}

/**
 * Loads the project's TypeScript macro modules (`kind: 'helper'`): each exported function becomes a helper.
 * @throws WeirError `WEIR_MACRO_INVALID` naming the module that does not load
 */
async function loadHelperModules(files: ParseInput): Promise<{ path: string; exports: Record<string, unknown> }[]> {
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
