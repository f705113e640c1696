/**
 * Loads a project's TypeScript/JavaScript modules (UDF modules, macro helper modules) in an installed
 * package, without a TypeScript runtime: `.js`/`.mjs` files are imported as they are; `.ts`/`.mts` files are
 * bundled by esbuild (a runtime dependency) into one ES module written to a cache folder and imported
 * from there.
 *
 * - Relative imports are bundled in; npm packages stay external, resolved from the importing file's folder
 *   to absolute file URLs (so the bundle loads exactly what the module would have loaded in place).
 * - `weir-sql` and `weir-sql/<entry>` resolve to the running Weir's own entry points, so a UDF module made
 *   with `defineScalarUdf` from `weir-sql/udf` works whether Weir is installed locally, globally, or is the
 *   repository itself (and shares Weir's module instances).
 * - `import.meta.url` in the bundle is the original file's URL, so modules that locate files next to
 *   themselves keep working.
 * - The output file name carries the SHA-256 of the bundle, so an unchanged module is written once and
 *   Node's module cache serves repeated imports.
 * - Bundles are cached across processes by the content of their inputs: next to each bundle an index
 *   (`<name>-<hash of the module's path>.json`) lists every file esbuild read with its SHA-256. When every
 *   listed file still has the same content (and Weir's install location and bundle options are the same;
 *   the entry file of each npm package the bundle imports in place is listed too),
 *   the bundle is imported without running esbuild; any change to the module or a file it imports
 *   re-bundles it. (A file added where an import would now resolve differently, e.g. a new `x.ts` beside
 *   `x/index.ts`, is not noticed until one of the listed files changes.)
 */
import { writeFileAtomic } from '../utils/write-file.js';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';

/** The npm name of this package (the name user modules import the authoring API by). */
export const PACKAGE_NAME = 'weir-sql';

/** Public entry points a user module may import, by subpath (`''` is the package root). */
const PUBLIC_ENTRIES: Readonly<Record<string, string>> = { '': 'index', '/udf': 'udf', '/stdlib': 'stdlib', '/client': 'client' };

/**
 * The file of one of this package's public entry points in the running installation (`dist/public/*.js`,
 * or `src/public/*.ts` when Weir itself runs from source under a TypeScript-aware runner).
 * @returns an absolute path, or undefined for an unknown subpath
 */
export function publicEntryFile(subpath: string): string | undefined {
  const base = PUBLIC_ENTRIES[subpath];
  if (!base) return undefined;
  const dir = fileURLToPath(new URL('../public/', import.meta.url));
  for (const ext of ['.js', '.ts']) {
    const f = path.join(dir, base + ext);
    if (existsSync(f)) return f;
  }
  return undefined;
}

/**
 * esbuild plugin resolving `weir-sql[/entry]` to the running installation's entry files.
 * @param external keep the import (as a file URL) instead of bundling the entry (true when the bundle
 *   runs in this process; false for a self-contained bundle such as a Snowflake JavaScript UDF)
 */
export function selfPackagePlugin(external: boolean): Plugin {
  return {
    name: 'weir-self',
    setup(b) {
      b.onResolve({ filter: new RegExp(`^${PACKAGE_NAME}(/.*)?$`) }, (args) => {
        const sub = args.path.slice(PACKAGE_NAME.length);
        const file = publicEntryFile(sub);
        if (!file) {
          return { errors: [{ text: `'${args.path}' is not an entry point of ${PACKAGE_NAME} (use '${PACKAGE_NAME}', '${PACKAGE_NAME}/udf', '${PACKAGE_NAME}/stdlib' or '${PACKAGE_NAME}/client')` }] };
        }
        return external ? { path: pathToFileURL(file).href, external: true } : { path: file };
      });
    },
  };
}

/**
 * esbuild plugin: every other bare import (an npm package) stays external but is resolved now, from the
 * importing file's folder, to an absolute file URL — so the bundle, wherever the cache puts it, loads the
 * same package files the module would have loaded in place (the project's node_modules for a user module,
 * Weir's own dependencies for a library module).
 */
const packagesInPlace = (resolved: Set<string>): Plugin => ({
  name: 'weir-packages-in-place',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'weir-resolving' || args.path.startsWith('node:') || args.path.startsWith('file:')) return undefined;
      const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'weir-resolving' });
      if (r.errors.length) return { errors: r.errors };
      if (r.external || !path.isAbsolute(r.path)) return { path: args.path, external: true }; // Node built-ins
      resolved.add(r.path); // recorded in the cache index: a reinstalled package re-bundles the module
      return { path: pathToFileURL(r.path).href, external: true };
    });
  },
});

/** Options of {@link importProjectModule}. */
export interface ModuleLoadOptions {
  /** Folder for bundled modules (created when needed), e.g. `<project>/target/.weir/modules`. */
  readonly cacheDir: string;
  /** Told how a TypeScript module was obtained: `cached` (bundle reused, esbuild not run) or `bundled`. */
  readonly onLoaded?: (how: 'cached' | 'bundled', bundleFile: string) => void;
}

/** Bumped when the esbuild options below change, so bundles made with other options are not reused. */
const BUNDLE_FORMAT = 1;

/** The cache index of one module: what its bundle was made from. */
interface BundleIndex {
  readonly format: number;
  /** The running Weir's public entry folder (external `weir-sql` imports point into it). */
  readonly self: string;
  /** Absolute path → SHA-256 (hex) of every file esbuild read. */
  readonly inputs: Record<string, string>;
  /** Bundle file name inside the cache folder. */
  readonly output: string;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** The bundle recorded for `abs` if all its inputs are unchanged, else undefined. */
function cachedBundle(indexFile: string, self: string, cacheDir: string): string | undefined {
  let index: BundleIndex;
  try {
    index = JSON.parse(readFileSync(indexFile, 'utf8')) as BundleIndex;
  } catch {
    return undefined; // no index yet, or unreadable: bundle again
  }
  if (index.format !== BUNDLE_FORMAT || index.self !== self || typeof index.inputs !== 'object' || !index.inputs) return undefined;
  const out = path.join(cacheDir, String(index.output));
  if (!existsSync(out)) return undefined;
  for (const [file, hash] of Object.entries(index.inputs)) {
    try {
      if (sha256(readFileSync(file)) !== hash) return undefined;
    } catch {
      return undefined; // an input was removed or became unreadable
    }
  }
  return out;
}

/**
 * Imports one module of a project.
 * @param abs absolute path of a `.ts`, `.mts`, `.js` or `.mjs` file
 * @returns the module namespace
 * @throws Error (esbuild's first message, or the module's own evaluation error) — callers wrap it in a
 *   WeirError naming the module
 */
export async function importProjectModule(abs: string, options: ModuleLoadOptions): Promise<Record<string, unknown>> {
  if (/\.(js|mjs|cjs)$/.test(abs)) return (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
  const base = path.basename(abs).replace(/\.[^.]+$/, '');
  const indexFile = path.join(options.cacheDir, `${base}-${sha256(abs).slice(0, 16)}.json`);
  const self = path.dirname(publicEntryFile('') ?? fileURLToPath(import.meta.url));
  const cached = cachedBundle(indexFile, self, options.cacheDir);
  if (cached) {
    options.onLoaded?.('cached', cached);
    return (await import(pathToFileURL(cached).href)) as Record<string, unknown>;
  }
  const { build } = await import('esbuild');
  const workDir = path.dirname(abs);
  const packageFiles = new Set<string>();
  let code: string;
  let inputs: string[];
  try {
    const res = await build({
      entryPoints: [abs], bundle: true, write: false, format: 'esm', platform: 'node', target: 'node20',
      plugins: [selfPackagePlugin(true), packagesInPlace(packageFiles)], logLevel: 'silent', sourcemap: 'inline',
      absWorkingDir: workDir, metafile: true,
      define: { 'import.meta.url': JSON.stringify(pathToFileURL(abs).href), 'import.meta.dirname': JSON.stringify(path.dirname(abs)), 'import.meta.filename': JSON.stringify(abs) },
    });
    code = res.outputFiles[0].text;
    // metafile input paths are relative to absWorkingDir; namespaced ones (`ns:path`) are not files
    inputs = [...Object.keys(res.metafile.inputs).filter((p) => !/^[a-z-]+:/.test(p)).map((p) => path.resolve(workDir, p)), ...packageFiles];
  } catch (e) {
    const errs = (e as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors;
    if (errs?.length) {
      const first = errs[0];
      const where = first.location ? ` (${first.location.file}:${first.location.line}:${first.location.column + 1})` : '';
      throw new Error(`${first.text}${where}`, { cause: e });
    }
    throw e;
  }
  const name = `${base}-${sha256(code).slice(0, 16)}.mjs`;
  const out = path.join(options.cacheDir, name);
  mkdirSync(options.cacheDir, { recursive: true });
  if (!existsSync(out)) writeFileAtomic(out, code);
  const index: BundleIndex = { format: BUNDLE_FORMAT, self, inputs: Object.fromEntries(inputs.map((f) => [f, sha256(readFileSync(f))])), output: name };
  writeFileAtomic(indexFile, `${JSON.stringify(index, null, 2)}\n`);
  options.onLoaded?.('bundled', out);
  return (await import(pathToFileURL(out).href)) as Record<string, unknown>;
}
