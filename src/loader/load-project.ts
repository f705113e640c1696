/**
 * The loader: reads project.yaml and discovers models, seeds, macros, singular tests, UDF modules and
 * schema YAML. It produces plain data ({@link ProjectFiles}); templates are parsed later by the parse phase
 * (src/parser/), which can speed loading up through {@link LoadHooks} (partial parsing) without the loader
 * knowing how.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { WeirError, WeirErrors } from '../errors/weir-error.js';
import { parseYamlFile } from './yaml-file.js';
import { checkFolderConfigKeys } from './config-keys.js';
import { renderYamlTemplates } from './yaml-template.js';
import { interpolateEnv, validateProjectConfig, SECRET_KEY_PATTERN, secretVarValues, type ProjectConfig, type TargetConfig } from './project-config.js';
import { readSchemaFile, type SchemaFile } from './schema-yaml.js';
import { readDbtProfile, type TargetSource } from './dbt-profiles.js';
import { projectTestConfig } from './test-config-tree.js';
import { folderConfigSites, resolveFolderConfig, unusedFolderPaths } from './folder-config.js';
import { discoverLibrary, mergeLibraryMacros, resolvePackages, type LibraryLocation, type UdfModuleRef } from './libraries.js';

/** File names accepted for the project file, in order of preference. */
export const PROJECT_FILE_NAMES = ['project.yaml', 'project.yml'] as const;

/** A discovered SQL file (model or singular test). */
export interface SqlFile {
  /** Node name: the file name without extension. */
  readonly name: string;
  /** Project-relative path with forward slashes. */
  readonly path: string;
  readonly absolutePath: string;
  /** Folders between the resource path and the file. */
  readonly folders: readonly string[];
  readonly raw: string;
  /** Folder-level config from project.yaml. */
  readonly folderConfig: Readonly<Record<string, unknown>>;
  /** Line of project.yaml that sets each key of {@link folderConfig} (for errors about its values). */
  readonly folderConfigLines?: Readonly<Record<string, number | undefined>>;
}

/** A discovered seed file. */
export interface SeedFile {
  readonly name: string;
  readonly path: string;
  readonly absolutePath: string;
  readonly folders: readonly string[];
  readonly folderConfig: Readonly<Record<string, unknown>>;
}

/** A macro file: `.sql` becomes a partial, `.ts`/`.js` exports helpers. */
export interface MacroFile {
  readonly name: string;
  readonly path: string;
  readonly absolutePath: string;
  readonly kind: 'partial' | 'helper';
  readonly raw: string;
  /** The library it comes from (`stdlib`/`packages:`); undefined for the project's own macros. */
  readonly origin?: string;
}

/** Options for {@link readProjectFiles}. */
export interface LoadOptions {
  /** Project directory (default: cwd). */
  readonly projectDir?: string;
  /** Target name (default: project.yaml `target:`, else the first target). */
  readonly target?: string;
  /** Variables overriding project.yaml `vars:` (from `--vars`). */
  readonly vars?: Readonly<Record<string, unknown>>;
  /** Environment used for `{{env}}` (default: process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Where the standard library is, used when project.yaml says `stdlib: true` (the api layer passes the
   * package's own; see src/stdlib/index.ts). Without it, `stdlib: true` is an error.
   */
  readonly standardLibrary?: LibraryLocation;
  /**
   * A dbt profiles.yml to read targets from (`--profiles-dir`, `--profile`; see dbt-profiles.ts): its
   * outputs are added to project.yaml's targets (replacing same-named ones) and its `target:` is the
   * default target. `profile` defaults to the project's name.
   */
  readonly profiles?: { readonly dir: string; readonly profile?: string };
  /** Overrides project.yaml `target-path` (`--target-path`; relative to the project directory). */
  readonly targetPath?: string;
}

/** Everything the loader found, as plain data. */
export interface ProjectFiles {
  readonly root: string;
  readonly configFile: string;
  readonly config: ProjectConfig;
  readonly targetName: string;
  readonly target: TargetConfig;
  /** Where the target is defined (project.yaml, or a dbt profiles.yml) and how to locate its keys. */
  readonly targetSource: TargetSource;
  /** Secret values (passwords, tokens) to redact from every log line and artifact. */
  readonly secrets: readonly string[];
  /** Project vars merged with command-line vars. */
  readonly vars: Readonly<Record<string, unknown>>;
  /** The environment `{{env}}` reads (LoadOptions.env, else process.env). */
  readonly env?: NodeJS.ProcessEnv;
  readonly models: readonly SqlFile[];
  readonly seeds: readonly SeedFile[];
  readonly singularTests: readonly SqlFile[];
  /** Snapshot queries (`snapshot-paths`, default `snapshots/`). */
  readonly snapshots: readonly SqlFile[];
  readonly macros: readonly MacroFile[];
  /**
   * UDF modules: the files directly in each udf path, then those of `packages:` and of the standard
   * library (`origin` names the library).
   */
  readonly udfModules: readonly UdfModuleRef[];
  readonly schemaFiles: readonly SchemaFile[];
  /** Non-fatal problems (unused config paths, ...). */
  readonly warnings: readonly WeirError[];
}

/**
 * What a caller may plug into a load to speed it up (the parse phase's partial parsing,
 * parser/partial-parse/): a cache of schema YAML files already read, and a signal once every file is found
 * (before schema YAML is parsed). The loader names none of the caller's types.
 */
export interface LoadHooks {
  /**
   * Called once project.yaml is read, with the project's target directory (absolute): the cache of schema
   * YAML files to use for this load, if any.
   */
  schemaCache?(targetDir: string): SchemaYamlCache | undefined;
  /** Every file was found and read; schema YAML is parsed next. `templates`: models, singular tests, snapshots and `.sql` macros. */
  filesFound?(templates: readonly { readonly path: string; readonly raw: string }[]): void;
  /** The load failed with problems in the project's files (after {@link filesFound}). */
  failed?(): void;
}

/** Schema YAML files read by earlier loads, keyed by project-relative path and text. */
export interface SchemaYamlCache {
  /** The cached result for `file` when its text is unchanged (`hit`), and the key to store a fresh one under. */
  schema(file: string, text: string): { readonly hash: string; readonly hit?: SchemaFile };
  /** Records a schema file read without problems. */
  storeSchema(file: string, hash: string, value: SchemaFile): void;
}

/** Finds the project file in `dir`. @throws WeirError `WEIR_PROJECT_NOT_FOUND` */
export function findProjectFile(dir: string): string {
  for (const name of PROJECT_FILE_NAMES) {
    const p = path.join(dir, name);
    if (existsSync(p)) return p;
  }
  throw new WeirError('WEIR_PROJECT_NOT_FOUND', `no project.yaml in ${dir}`, {
    hint: 'Run Weir from a project directory or pass --project-dir PATH.',
  });
}

const toPosix = (p: string) => p.split(path.sep).join('/');

/** Lists files under `dir` (recursively, sorted, skipping hidden folders and node_modules). */
function listFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/**
 * Loads a project's configuration and files.
 * @param hooks what the caller plugs in (see {@link LoadHooks}); none: everything is read afresh
 * @throws WeirError / WeirErrors for a missing or invalid project.yaml, unknown target, unset env vars,
 *   and invalid schema YAML (all problems at once)
 */
export function readProjectFiles(options: LoadOptions = {}, hooks: LoadHooks = {}): ProjectFiles {
  const root = path.resolve(options.projectDir ?? process.cwd());
  const configPath = findProjectFile(root);
  const configFile = path.basename(configPath);
  const yaml = parseYamlFile(readFileSync(configPath, 'utf8'), configFile, 'WEIR_PROJECT_INVALID');
  // The target is known before interpolation, so that other targets' unset variables are not errors.
  const raw = yaml.value as { target?: unknown; targets?: unknown } | null;
  const rawTargets = raw && typeof raw.targets === 'object' && raw.targets ? Object.keys(raw.targets) : [];
  const activeTarget = options.target ?? (typeof raw?.target === 'string' ? raw.target : rawTargets[0]);
  const { value, secrets: envSecrets } = interpolateEnv(yaml.value, yaml, options.env ?? process.env, activeTarget);
  const config = validateProjectConfig(value, yaml);
  if (options.targetPath) config['target-path'] = options.targetPath;

  const profile = options.profiles ? readDbtProfile(path.resolve(root, options.profiles.dir), options.profiles.profile ?? config.name, root, options.env ?? process.env) : undefined;
  if (profile) config.targets = { ...config.targets, ...(profile.targets as typeof config.targets) };
  const targetName = options.target ?? profile?.defaultTarget ?? config.target ?? Object.keys(config.targets)[0];
  const target = config.targets[targetName];
  if (!target) {
    throw new WeirError('WEIR_TARGET_UNKNOWN', `target '${targetName}' is not defined in ${configFile}${profile ? ` or profile '${profile.profile}' of ${profile.file}` : ''}`, {
      location: { file: configFile, keyPath: 'targets', ...yaml.locate(['targets']) },
      hint: `Defined targets: ${Object.keys(config.targets).join(', ')}. Pass one with --target or add '${targetName}' under targets:.`,
    });
  }
  const targetSource: TargetSource = profile && targetName in profile.targets ? profile.source : { file: configFile, locate: (p) => yaml.locate(p) };
  const secrets = new Set([...envSecrets, ...(profile?.secrets ?? [])]);
  for (const t of Object.values(config.targets)) {
    // `private_key_path` names a file, it is not the key.
    for (const [k, v] of Object.entries(t)) if (SECRET_KEY_PATTERN.test(k) && !/_(path|file)$/.test(k) && typeof v === 'string' && v) secrets.add(v);
  }

  const errors: WeirError[] = [];
  const warnings: WeirError[] = [];
  const projectVars = { ...config.vars, ...(options.vars ?? {}) };
  for (const v of secretVarValues(projectVars, config.secret_vars)) secrets.add(v);
  // Strict configs in the folder-config trees (config-keys.ts), each key at its line.
  const locateKey = (p: readonly string[]) => yaml.locate(p).line;
  checkFolderConfigKeys(config.models, 'models', 'model', configFile, locateKey, errors);
  checkFolderConfigKeys(config.seeds, 'seeds', 'seed', configFile, locateKey, errors);
  checkFolderConfigKeys(config.snapshots, 'snapshots', 'snapshot', configFile, locateKey, errors);
  const testTree = config.data_tests && Object.keys(config.data_tests).length ? 'data_tests' : 'tests';
  checkFolderConfigKeys(config[testTree], testTree, 'test', configFile, locateKey, errors);
  const schemaFiles: SchemaFile[] = [];
  const yamlCache = hooks.schemaCache?.(path.resolve(root, config['target-path']));
  // Schema YAML is parsed after every file is found (in the order found), so that the SQL templates can go
  // to a worker thread first (hooks.filesFound).
  const yamlFiles: string[] = [];
  const readYaml = (abs: string) => {
    yamlFiles.push(abs);
  };
  const parseYaml = (abs: string) => {
    const rel = toPosix(path.relative(root, abs));
    const text = readFileSync(abs, 'utf8');
    // A templated file depends on vars, env and the target: rendered on every load, never cached.
    const templated = text.includes('{{');
    const cached = templated ? undefined : yamlCache?.schema(rel, text);
    if (cached?.hit) {
      schemaFiles.push(cached.hit);
      return;
    }
    const local: WeirError[] = [];
    try {
      let yamlFile = parseYamlFile(text, rel, 'WEIR_SCHEMA_YAML_INVALID');
      if (templated) {
        const rendered = renderYamlTemplates(yamlFile, { vars: projectVars, env: options.env ?? process.env, target: { ...target, name: targetName } }, local);
        for (const v of rendered.secrets) secrets.add(v);
        yamlFile = { ...yamlFile, value: rendered.value, locate: yamlFile.locate };
      }
      const sf = readSchemaFile(yamlFile, local);
      schemaFiles.push(sf);
      if (local.length === 0 && cached) yamlCache!.storeSchema(rel, cached.hash, sf);
    } catch (e) {
      if (e instanceof WeirError) local.push(e);
      else throw e;
    }
    errors.push(...local);
  };
  // Files found under a folder start with it: sliced off as path.relative would compute it, without its cost.
  const under = (dir: string, abs: string) => (abs.startsWith(dir + path.sep) ? abs.slice(dir.length + 1) : undefined);
  const rel = (abs: string) => toPosix(under(root, abs) ?? path.relative(root, abs));
  const foldersOf = (base: string, abs: string) => {
    const r = under(base, abs);
    return (r === undefined ? toPosix(path.relative(base, path.dirname(abs))).split('/') : r.split(path.sep).slice(0, -1)).filter((s) => s && s !== '.');
  };
  const existingFolders = new Set<string>();

  const folderLines = (tree: string, value: Record<string, unknown>, folders: readonly string[]) =>
    Object.fromEntries(Object.entries(folderConfigSites(value, config.name, folders)).map(([k, p]) => [k, yaml.locate([tree, ...p]).line]));
  // Files of one folder share its config (read-only from here on): resolved once per folder.
  const modelFolders = new Map<string, { folderConfig: Record<string, unknown>; folderConfigLines: Record<string, number | undefined> }>();
  const modelFolder = (folders: readonly string[]) => {
    const key = folders.join('/');
    let f = modelFolders.get(key);
    if (!f) modelFolders.set(key, (f = { folderConfig: resolveFolderConfig(config.models, config.name, folders), folderConfigLines: folderLines('models', config.models, folders) }));
    return f;
  };
  const models: SqlFile[] = [];
  for (const mp of config['model-paths']) {
    const base = path.resolve(root, mp);
    for (const abs of listFiles(base)) {
      const folders = foldersOf(base, abs);
      for (let i = 1; i <= folders.length; i++) existingFolders.add(folders.slice(0, i).join('/'));
      if (abs.endsWith('.sql')) {
        const { folderConfig, folderConfigLines } = modelFolder(folders);
        models.push({ name: path.basename(abs, '.sql'), path: rel(abs), absolutePath: abs, folders, raw: readFileSync(abs, 'utf8'), folderConfig, folderConfigLines });
      } else if (/\.ya?ml$/.test(abs)) readYaml(abs);
    }
  }
  for (const p of unusedFolderPaths(config.models, config.name, existingFolders)) {
    warnings.push(new WeirError('WEIR_CONFIG_INVALID', `models config path '${p}' matches no folder under ${config['model-paths'].join(', ')}`, {
      location: { file: configFile, keyPath: `models.${p}` },
      hint: 'Fix the folder name in project.yaml or remove the entry.',
    }));
  }

  const seeds: SeedFile[] = [];
  for (const sp of config['seed-paths']) {
    const base = path.resolve(root, sp);
    for (const abs of listFiles(base)) {
      // CSV/TSV (optionally gzipped), Parquet, JSON (array or one object per line), NDJSON and Excel workbooks.
      const m = /^(.*)\.(csv|csv\.gz|tsv|tsv\.gz|parquet|json|ndjson|jsonl|xlsx)$/.exec(path.basename(abs));
      const folders = foldersOf(base, abs);
      if (m) seeds.push({ name: m[1], path: rel(abs), absolutePath: abs, folders, folderConfig: resolveFolderConfig(config.seeds, config.name, folders) });
      else if (/\.ya?ml$/.test(abs)) readYaml(abs);
    }
  }

  const singularTests: SqlFile[] = [];
  // `tests/generic/<name>.sql` defines custom generic test <name>: the partial `test_<name>`.
  const genericTestMacros: MacroFile[] = [];
  for (const tp of config['test-paths']) {
    const base = path.resolve(root, tp);
    for (const abs of listFiles(base)) {
      const folders = foldersOf(base, abs);
      if (abs.endsWith('.sql') && folders[0] === 'generic') {
        genericTestMacros.push({ name: `test_${path.basename(abs, '.sql')}`, path: rel(abs), absolutePath: abs, kind: 'partial', raw: readFileSync(abs, 'utf8') });
      } else if (abs.endsWith('.sql')) {
        singularTests.push({
          name: path.basename(abs, '.sql'), path: rel(abs), absolutePath: abs, folders, raw: readFileSync(abs, 'utf8'),
          folderConfig: projectTestConfig(config, folders), // data_tests: / tests: (test-config-tree.ts)
        });
      } else if (/\.ya?ml$/.test(abs)) readYaml(abs);
    }
  }

  const snapshots: SqlFile[] = [];
  for (const sp of config['snapshot-paths']) {
    const base = path.resolve(root, sp);
    for (const abs of listFiles(base)) {
      const folders = foldersOf(base, abs);
      if (abs.endsWith('.sql')) {
        snapshots.push({
          name: path.basename(abs, '.sql'), path: rel(abs), absolutePath: abs, folders, raw: readFileSync(abs, 'utf8'),
          folderConfig: resolveFolderConfig(config.snapshots, config.name, folders),
        });
      } else if (/\.ya?ml$/.test(abs)) readYaml(abs);
    }
  }

  const macros: MacroFile[] = [...genericTestMacros];
  for (const mp of config['macro-paths']) {
    const base = path.resolve(root, mp);
    for (const abs of listFiles(base)) {
      if (abs.endsWith('.sql')) macros.push({ name: path.basename(abs, '.sql'), path: rel(abs), absolutePath: abs, kind: 'partial', raw: readFileSync(abs, 'utf8') });
      else if (/\.(ts|mts|js|mjs)$/.test(abs) && !abs.endsWith('.d.ts')) macros.push({ name: path.basename(abs).replace(/\.[^.]+$/, ''), path: rel(abs), absolutePath: abs, kind: 'helper', raw: readFileSync(abs, 'utf8') });
      else if (/\.ya?ml$/.test(abs)) readYaml(abs);
    }
  }

  // UDF modules are the files directly in each udf path; subfolders (e.g. udfs/lib/) hold their helpers.
  let udfModules: UdfModuleRef[] = [];
  for (const up of config['udf-paths']) {
    const base = path.resolve(root, up);
    for (const abs of listFiles(base)) {
      if (path.dirname(abs) !== base) continue;
      if (/\.(ts|mts|js|mjs)$/.test(abs) && !abs.endsWith('.d.ts') && !/\.test\.[mc]?[jt]s$/.test(abs)) udfModules.push({ path: abs });
    }
  }

  // Libraries: packages first (more specific), then the standard library.
  const libraries: LibraryLocation[] = resolvePackages(config.packages, root, yaml, errors);
  if (config.stdlib) {
    if (options.standardLibrary) libraries.push(options.standardLibrary);
    else {
      errors.push(new WeirError('WEIR_PROJECT_INVALID', 'stdlib: true, but this loader was not given the standard library location', {
        location: { file: configFile, keyPath: 'stdlib', ...yaml.locate(['stdlib']) }, hint: 'Load the project through WeirProject.load (the weir CLI), which passes it.',
      }));
    }
  }
  const found = libraries.map((lib) => ({ name: lib.name, ...discoverLibrary(lib) }));
  const allMacros = mergeLibraryMacros(macros, found, options.standardLibrary?.name ?? '', warnings, errors);
  udfModules = [...udfModules, ...found.flatMap((f) => f.udfModules)];

  hooks.filesFound?.([...models, ...singularTests, ...snapshots, ...allMacros.filter((m) => m.kind === 'partial')]);
  for (const abs of yamlFiles) parseYaml(abs);

  if (errors.length) {
    hooks.failed?.();
    throw new WeirErrors(errors);
  }
  return {
    root, configFile, config, targetName, target, targetSource, secrets: [...secrets],
    vars: projectVars, env: options.env ?? process.env,
    models, seeds, singularTests, snapshots, macros: allMacros, udfModules, schemaFiles, warnings,
  };
}
