/**
 * Libraries of macros and UDFs from outside the project: Weir's standard library (`stdlib: true`) and
 * packages listed under `packages:` in project.yaml — dbt's `packages:` idea, on npm:
 *
 * ```yaml
 * stdlib: true
 * packages:
 *   - package: weir-marketing-macros   # an npm package holding a Weir project (resolved from node_modules)
 *   - local: ../shared-macros          # another Weir project folder
 * ```
 *
 * A package is a folder with a `project.yaml`; its `macro-paths` and `udf-paths` (defaults `macros`,
 * `udfs`) are read, nothing else (its models, seeds and targets are not part of this project).
 *
 * Precedence on a name clash: the project's own macro or UDF wins over a package's and the standard
 * library's (a warning names both); a package wins over the standard library (warning); two packages
 * defining the same name is an error naming both, since neither is more specific.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { WeirError } from '../errors/weir-error.js';
import { parseYamlFile, type YamlFile } from './yaml-file.js';

/** Where a library's macros and UDF modules are. */
export interface LibraryLocation {
  /** Display name: the npm package name, or the local package's project name. */
  readonly name: string;
  /** Absolute folder of the library. */
  readonly root: string;
  /** Macro folders, relative to `root`. */
  readonly macroPaths: readonly string[];
  /** UDF module folders, relative to `root`. */
  readonly udfPaths: readonly string[];
}

/** One `packages:` entry of project.yaml. */
export type PackageSpec = { readonly package: string } | { readonly local: string };

/** A UDF module to load, with the library it came from (`origin` undefined: the project's own). */
export interface UdfModuleRef {
  /** Absolute module path. */
  readonly path: string;
  /** Library name, or undefined for the project's own modules. */
  readonly origin?: string;
}

/**
 * Finds each package's folder and reads its project.yaml.
 * @param specs the `packages:` list
 * @param root the project root (npm packages resolve from its node_modules; local paths from it)
 * @param yaml project.yaml (for locations in errors)
 * @param errors collects one error per unusable package (not found, no project.yaml, bad paths)
 */
export function resolvePackages(specs: readonly PackageSpec[], root: string, yaml: YamlFile, errors: WeirError[]): LibraryLocation[] {
  const out: LibraryLocation[] = [];
  specs.forEach((spec, i) => {
    const where = { file: yaml.file, keyPath: `packages[${i}]`, ...yaml.locate(['packages', i]) };
    let dir: string | undefined;
    let label: string;
    if ('package' in spec) {
      label = spec.package;
      dir = npmPackageDir(spec.package, root);
      if (!dir) {
        errors.push(new WeirError('WEIR_PROJECT_INVALID', `package '${spec.package}' is not installed`, {
          location: where, hint: `Install it next to the project: npm install ${spec.package}`,
        }));
        return;
      }
    } else {
      label = spec.local;
      dir = path.resolve(root, spec.local);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) {
        errors.push(new WeirError('WEIR_PROJECT_INVALID', `local package '${spec.local}' is not a folder (${dir})`, {
          location: where, hint: 'Give the path of another Weir project folder, relative to this project.',
        }));
        return;
      }
    }
    const projectFile = ['project.yaml', 'project.yml'].map((f) => path.join(dir!, f)).find((f) => existsSync(f));
    if (!projectFile) {
      errors.push(new WeirError('WEIR_PROJECT_INVALID', `package '${label}' (${dir}) has no project.yaml, so it is not a Weir package`, {
        location: where, hint: 'A Weir package is a folder with a project.yaml whose macro-paths / udf-paths hold its macros and UDFs.',
      }));
      return;
    }
    let pkgYaml: YamlFile;
    try {
      pkgYaml = parseYamlFile(readFileSync(projectFile, 'utf8'), projectFile, 'WEIR_PROJECT_INVALID');
    } catch (e) {
      if (e instanceof WeirError) errors.push(e);
      else throw e;
      return;
    }
    const v = (pkgYaml.value ?? {}) as Record<string, unknown>;
    const list = (key: string, dflt: string): string[] | undefined => {
      const raw = v[key] ?? [dflt];
      const arr = Array.isArray(raw) ? raw : [raw];
      if (arr.every((x) => typeof x === 'string' && x)) return arr as string[];
      errors.push(new WeirError('WEIR_PROJECT_INVALID', `${key} of package '${label}' must be a folder name or a list of them`, {
        location: { file: projectFile, keyPath: key, ...pkgYaml.locate([key]) },
      }));
      return undefined;
    };
    const macroPaths = list('macro-paths', 'macros');
    const udfPaths = list('udf-paths', 'udfs');
    if (!macroPaths || !udfPaths) return;
    const name = 'package' in spec ? spec.package : typeof v.name === 'string' ? v.name : path.basename(dir);
    out.push({ name, root: dir, macroPaths, udfPaths });
  });
  return out;
}

/** The installed folder of npm package `name` as seen from `root`, or undefined. */
function npmPackageDir(name: string, root: string): string | undefined {
  try {
    return path.dirname(createRequire(path.join(root, 'package.json')).resolve(`${name}/package.json`));
  } catch {
    // `exports` may hide package.json: walk node_modules folders upwards instead.
  }
  for (let d = root; ; d = path.dirname(d)) {
    const candidate = path.join(d, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(d) === d) return undefined;
  }
}

/** Macro files found in a library (shape of the loader's MacroFile). */
export interface LibraryMacro {
  readonly name: string;
  readonly path: string;
  readonly absolutePath: string;
  readonly kind: 'partial' | 'helper';
  readonly raw: string;
  readonly origin: string;
}

/**
 * Lists a library's macros (`.sql` partials, `.ts`/`.js` helper modules) and UDF modules (files directly in
 * each udf folder; `.d.ts`, tests and source maps skipped). Paths in messages read `<library>/<path>`.
 */
export function discoverLibrary(lib: LibraryLocation): { macros: LibraryMacro[]; udfModules: UdfModuleRef[] } {
  const macros: LibraryMacro[] = [];
  const udfModules: UdfModuleRef[] = [];
  const display = (abs: string) => `${lib.name}/${path.relative(lib.root, abs).split(path.sep).join('/')}`;
  for (const mp of lib.macroPaths) {
    for (const abs of filesIn(path.join(lib.root, mp))) {
      const base = path.basename(abs);
      if (base.endsWith('.sql')) macros.push({ name: base.slice(0, -4), path: display(abs), absolutePath: abs, kind: 'partial', raw: readFileSync(abs, 'utf8'), origin: lib.name });
      else if (isModule(base)) macros.push({ name: base.replace(/\.[^.]+$/, ''), path: display(abs), absolutePath: abs, kind: 'helper', raw: readFileSync(abs, 'utf8'), origin: lib.name });
    }
  }
  for (const up of lib.udfPaths) {
    for (const abs of filesIn(path.join(lib.root, up))) if (isModule(path.basename(abs))) udfModules.push({ path: abs, origin: lib.name });
  }
  return { macros, udfModules };
}

const isModule = (base: string) => /\.(ts|mts|js|mjs)$/.test(base) && !base.endsWith('.d.ts') && !/\.test\.[mc]?[jt]s$/.test(base);

/** Files directly in `dir` (sorted), none when it does not exist. */
function filesIn(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(dir, e.name)).sort();
}

/**
 * Adds library macros to the project's: a project macro hides a library macro of the same name and kind
 * (warning), an earlier library (packages come before the standard library) hides a later one (warning)
 * unless both are packages (error).
 * @param stdlibName the standard library's name (the only library others may hide without an error)
 */
export function mergeLibraryMacros<M extends { name: string; path: string; kind: string }>(
  project: readonly M[], libraries: readonly { name: string; macros: readonly (M & { origin: string })[] }[], stdlibName: string,
  warnings: WeirError[], errors: WeirError[],
): M[] {
  const out = [...project];
  const seen = new Map<string, M & { origin?: string }>(project.map((m) => [`${m.kind}:${m.name}`, m]));
  for (const lib of libraries) {
    for (const m of lib.macros) {
      const key = `${m.kind}:${m.name}`;
      const prev = seen.get(key);
      if (!prev) {
        seen.set(key, m);
        out.push(m);
        continue;
      }
      if (prev.origin && prev.origin !== stdlibName && m.origin !== stdlibName) {
        errors.push(new WeirError('WEIR_PROJECT_INVALID', `macro '${m.name}' is defined by two packages: ${prev.path} and ${m.path}`, {
          location: { file: m.path }, hint: 'Define your own macro of that name in the project (it wins over both), or drop one of the packages.',
        }));
      } else {
        warnings.push(new WeirError('WEIR_MACRO_INVALID', `macro '${m.name}' of ${prev.path} hides ${m.path}`, {
          location: { file: prev.path }, hint: `Rename ${prev.path} to use ${m.origin}'s macro instead.`,
        }));
      }
    }
  }
  return out;
}
